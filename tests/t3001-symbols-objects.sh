#!/bin/sh
# SPDX-License-Identifier: MIT
# t3001-symbols-objects.sh: debuglink, --symfs, ET_EXEC, build-id mismatch and missing objects, against perf script.
test_description='objects found (or honestly not found) as perf finds them'
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/test-lib.sh"

# perf and pfold both look in ~/.debug (perf's build-id cache): an empty one
# here, so that a removed or replaced object is really gone
HOME=$TRASH_DIRECTORY
export HOME

# frames FOLDED: the set of frame names (root excluded), one per line, sorted
frames() { sed 's/ [0-9]*$//' "$1" | tr ';' '\n' | sort -u; }

# script_frames FILE: the frame names perf script gives for FILE
script_frames() { perf script -i "$1" 2>/dev/null | "$PFOLD" fold --input perf-script >"$1.theirs" && frames "$1.theirs"; }

test_expect_success PERF 'non-PIE (ET_EXEC) binary: names as perf script' '
	perf record -q -N -e cpu-clock -c 100000 -g -o nopie.data \
		"$WORKLOADS/hotcold-nopie" 600 2>/dev/null &&
	"$PFOLD" fold -i nopie.data >nopie.folded &&
	frames nopie.folded >ours && script_frames nopie.data >theirs &&
	test_cmp theirs ours && grep -qx hot ours && grep -qx cold ours
'

test_expect_success PERF 'stripped binary with .gnu_debuglink: symbols from the debug file' '
	cp "$WORKLOADS/hotcold" ./hc-strip &&
	objcopy --only-keep-debug hc-strip hc-strip.debug &&
	strip --strip-all hc-strip &&
	objcopy --add-gnu-debuglink=hc-strip.debug hc-strip &&
	! nm hc-strip 2>/dev/null | grep -q " hot$" &&
	perf record -q -N -e cpu-clock -c 100000 -g -o strip.data ./hc-strip 600 2>/dev/null &&
	"$PFOLD" fold -i strip.data >strip.folded 2>strip.err &&
	frames strip.folded >ours && grep -qx hot ours && grep -qx leaf ours &&
	script_frames strip.data >theirs && test_cmp theirs ours
'

test_expect_success PERF '--symfs: objects looked up under DIR' '
	cp "$WORKLOADS/hotcold" ./hc-symfs &&
	perf record -q -N -e cpu-clock -c 100000 -g -o symfs.data ./hc-symfs 600 2>/dev/null &&
	mkdir -p "sym$PWD" && mv hc-symfs "sym$PWD/" &&
	"$PFOLD" fold -i symfs.data --symfs sym >symfs.folded 2>symfs.err &&
	frames symfs.folded >ours && grep -qx hot ours &&
	perf script -i symfs.data --symfs sym 2>/dev/null |
		"$PFOLD" fold --input perf-script >symfs.theirs &&
	frames symfs.theirs >theirs && test_cmp theirs ours
'

test_expect_success PERF 'missing binary: [unknown] frames and one warning per object' '
	cp "$WORKLOADS/hotcold" ./hc-gone &&
	perf record -q -N -e cpu-clock -c 100000 -g -o gone.data ./hc-gone 600 2>/dev/null &&
	rm hc-gone &&
	"$PFOLD" fold -i gone.data >gone.folded 2>gone.err &&
	cat gone.err &&
	test $(grep -c "hc-gone" gone.err) -eq 1 &&
	grep -q "\[hc-gone\]" gone.folded &&
	! grep -q ";hot;" gone.folded &&
	script_frames gone.data >theirs && frames gone.folded >ours && test_cmp theirs ours
'

test_expect_success PERF 'build-id mismatch: [unknown] and one warning, never a wrong name' '
	cp "$WORKLOADS/hotcold" ./hc-swap &&
	perf record -q -N -e cpu-clock -c 100000 -g -o swap.data ./hc-swap 600 2>/dev/null &&
	cp "$WORKLOADS/hotcold-nofp" ./hc-swap &&
	"$PFOLD" fold -i swap.data >swap.folded 2>swap.err &&
	cat swap.err &&
	test $(grep -c "build-id" swap.err) -eq 1 &&
	! grep -Eq ";(hot|cold|leaf|main)(;| )" swap.folded &&
	grep -q "\[hc-swap\]" swap.folded
'

test_expect_success PERF 'kernel symbols only for the running kernel, or --kallsyms' '
	"$PFOLD" fold -i gone.data --kernel >k.folded 2>k.err &&
	grep -q "_\[k\]" k.folded &&
	! grep -q "kernel" k.err &&
	cp /proc/kallsyms ks.txt &&
	"$PFOLD" fold -i gone.data --kernel --kallsyms ks.txt >k2.folded 2>/dev/null &&
	test_cmp k.folded k2.folded
'

# shift_kallsyms IN OUT DELTA: IN's kernel-image symbols DELTA higher (another
# boot under KASLR); module lines are left out
shift_kallsyms() {
	python3 - "$1" "$2" "$3" <<-PYEOF
	import sys
	delta = int(sys.argv[3], 0)
	with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
	    for line in f:
	        if "\t" in line:
	            continue
	        addr, rest = line.split(" ", 1)
	        out.write("%016x %s" % ((int(addr, 16) + delta) % (1 << 64), rest))
	PYEOF
}

test_expect_success 'kallsyms from another boot (KASLR): moved to match the recording, or the running one taken' '
	"$PFOLD" record -e cpu-clock -c 20000 -g -o kaslr.data -- \
		dd if=/dev/zero of=/dev/null bs=64 count=400000 2>/dev/null &&
	shift_kallsyms /proc/kallsyms ks-here.txt 0 &&
	shift_kallsyms /proc/kallsyms ks-moved.txt 0x2a00000 &&
	"$PFOLD" fold -i kaslr.data --kallsyms ks-here.txt >here.folded 2>here.err &&
	grep -q "entry_SYSCALL_64" here.folded &&
	! grep -q "another boot" here.err &&
	"$PFOLD" fold -i kaslr.data --kallsyms ks-moved.txt >moved.folded 2>moved.err &&
	cat moved.err &&
	test_line_count = 1 moved.err &&
	grep -q "^pfold: warning: ks-moved.txt is from another boot (_text at 0x[0-9a-f]*, the recording.s at 0x[0-9a-f]*)" moved.err &&
	test_cmp here.folded moved.folded &&
	# a stale copy in the build-id cache: the running kernel matches, it is taken
	id=$("$PFOLD" dump --header -i kaslr.data | sed -n "s/^# build id : \([0-9a-f]*\) pid=-1 \[kernel.kallsyms\]$/\1/p") &&
	test -n "$id" &&
	mkdir -p "home/.debug/[kernel.kallsyms]/$id" &&
	cp ks-moved.txt "home/.debug/[kernel.kallsyms]/$id/kallsyms" &&
	"$PFOLD" fold -i kaslr.data >proc.folded 2>/dev/null &&
	HOME=$(pwd)/home "$PFOLD" fold -i kaslr.data >stale.folded 2>stale.err &&
	! grep -q "another boot" stale.err &&
	test_cmp proc.folded stale.folded &&
	echo "$id" >kernel-id
'

test_expect_success 'pfold keeps its own copy of /proc/kallsyms for the next run, and refreshes a stale one' '
	id=$(cat kernel-id) &&
	copy="fresh/.cache/pfold/kallsyms/$id" &&
	HOME=$(pwd)/fresh env -u XDG_CACHE_HOME "$PFOLD" fold -i kaslr.data >fresh.folded 2>/dev/null &&
	test_cmp proc.folded fresh.folded &&
	test "$(stat -c %a "$copy")" = 600 &&
	grep -q " T _text$" "$copy" &&
	# the copy is what the next run reads: a renamed symbol shows
	grep -q ";do_syscall_64;" proc.folded &&
	sed "s/ do_syscall_64$/ do_syscall_64_from_the_copy/" "$copy" >renamed &&
	cp renamed "$copy" &&
	HOME=$(pwd)/fresh env -u XDG_CACHE_HOME "$PFOLD" fold -i kaslr.data >renamed.folded 2>/dev/null &&
	grep -q ";do_syscall_64_from_the_copy;" renamed.folded &&
	# a copy from another boot: the running kernel is read, and the copy rewritten
	cp ks-moved.txt "$copy" &&
	HOME=$(pwd)/fresh env -u XDG_CACHE_HOME "$PFOLD" fold -i kaslr.data >again.folded 2>again.err &&
	! grep -q "another boot" again.err &&
	test_cmp proc.folded again.folded &&
	test "$(grep " T _text$" "$copy")" = "$(grep " T _text$" /proc/kallsyms)" &&
	# XDG_CACHE_HOME, when set, is where the copy goes
	HOME=$(pwd)/fresh2 XDG_CACHE_HOME=$(pwd)/xdg "$PFOLD" fold -i kaslr.data >/dev/null 2>&1 &&
	test -s "xdg/pfold/kallsyms/$id" &&
	! test -e "fresh2/.cache/pfold"
'

test_expect_success PERF 'pfold script prints what perf script prints (fp recording)' '
	perf record -q -N -e cpu-clock -c 100000 -g -o s.data "$WORKLOADS/hotcold" 300 2>/dev/null &&
	"$PFOLD" script -i s.data >ours.txt &&
	perf script -i s.data >theirs.txt 2>/dev/null &&
	test_cmp theirs.txt ours.txt
'

test_expect_success 'a file that is not perf.data: exit 2, one line' '
	echo "not a recording" >bad.data &&
	test_must_fail "$PFOLD" script -i bad.data 2>err &&
	test_line_count = 1 err &&
	grep -q "bad.data" err
'

cat >inl.c <<'CEOF'
static inline __attribute__((always_inline)) unsigned long spin(unsigned long n)
{
	volatile unsigned long x = 0;
	unsigned long i;

	for (i = 0; i < n; i++)
		x += i;
	return x;
}

__attribute__((noinline)) unsigned long outer(unsigned long n)
{
	return spin(n) + 1;
}

int main(void)
{
	unsigned long t = 0;
	int i;

	for (i = 0; i < 200; i++)
		t += outer(1000000);
	return t == 42;
}
CEOF
command -v gcc >/dev/null 2>&1 && test_set_prereq CC

test_expect_success PERF,CC '--inline: DWARF inline frames after their function, _[i]' '
	gcc -O2 -g -fno-omit-frame-pointer -fstack-protector-all -o inl inl.c &&
	perf record -q -N -e cpu-clock -c 100000 -g -o inl.data ./inl 2>/dev/null &&
	"$PFOLD" fold -i inl.data >plain.folded &&
	"$PFOLD" fold -i inl.data --inline >inline.folded &&
	grep -q ";main;outer [0-9]*$" plain.folded &&
	! grep -q ";spin" plain.folded &&
	grep -q ";main;outer;spin_\[i\] [0-9]*$" inline.folded &&
	a=$(awk "{ s += \$NF } END { print s }" plain.folded) &&
	b=$(awk "{ s += \$NF } END { print s }" inline.folded) &&
	test "$a" = "$b"
'

test_expect_success PERF 'a truncated recording: exit 2 naming the file, no crash' '
	size=$(wc -c <s.data) &&
	head -c $((size / 2)) s.data >half.data &&
	test_expect_code 2 "$PFOLD" fold -i half.data >/dev/null 2>err &&
	cat err && grep -q "half.data" err &&
	test_expect_code 2 "$PFOLD" script -i half.data >/dev/null 2>err2 &&
	grep -q "half.data" err2
'

test_expect_success PERF 'garbage in the data section: exit 0 or 2, never a crash' '
	cp s.data junk.data &&
	size=$(wc -c <junk.data) &&
	dd if=/dev/urandom of=junk.data bs=1 seek=$((size / 3)) count=4096 conv=notrunc 2>/dev/null &&
	"$PFOLD" fold -i junk.data >/dev/null 2>err; rc=$? &&
	echo "exit $rc" && cat err | head -3 &&
	test $rc = 0 -o $rc = 2
'

test_done
