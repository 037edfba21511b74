#!/bin/bash
# SPDX-License-Identifier: MIT
# t2900-robust-corruption.sh: the corruption corpus: truncations, seeded byte flips and hostile peer files through pfold dump and pfold fold: exit 0 or 2 within 10 s, never a crash or a sanitizer report.
test_description='pfold dump and fold on truncated, flipped and hostile perf.data files'
. "$(dirname "$0")/test-lib.sh"

MUTATE="$TEST_DIRECTORY/helpers/reader-mutate.py"
command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to damage the files"
command -v timeout >/dev/null 2>&1 || test_skip_all "timeout (coreutils) is needed"

# A small kernel symbol table, so that fold does not read /proc/kallsyms 2,000 times.
printf 'ffffffff81000000 T _stext\nffffffff81001000 t some_kernel_func\n' >ks

# check_files OUT FILE...: run `pfold dump` and `pfold fold` on each FILE
# (fold with an empty --symfs: the read path without symbol files); append
# "FILE cmd exit N" to OUT for every run that exits other than 0 or 2, takes
# more than 10 s (124) or prints a sanitizer report. Run two at a time.
cat >check.sh <<'SH'
out=$1; shift
mkdir -p empty-symfs
for f in "$@"; do
	for cmd in dump fold; do
		if [ $cmd = dump ]; then
			timeout 10 "$PFOLD" dump -i "$f" >/dev/null 2>"$f.$cmd.err"
		else
			timeout 10 "$PFOLD" fold --symfs empty-symfs --kallsyms ks -i "$f" >/dev/null 2>"$f.$cmd.err"
		fi
		rc=$?
		if { [ $rc != 0 ] && [ $rc != 2 ]; } ||
		   grep -q -E 'Sanitizer|runtime error|LeakSanitizer' "$f.$cmd.err"; then
			echo "$f $cmd exit $rc: $(head -c 300 "$f.$cmd.err" | tr '\n' ' ')" >>"$out"
		elif [ $rc = 2 ] && ! grep -q '^pfold: ' "$f.$cmd.err"; then
			echo "$f $cmd exit 2 without a 'pfold: ' message" >>"$out"
		else
			rm -f "$f.$cmd.err"
		fi
	done
done
SH
check_files() {
	out=$1; shift
	: >"$out"
	printf '%s\n' "$@" | xargs -P 2 -n 32 bash check.sh "$out" &&
	if [ -s "$out" ]; then
		sort "$out" | head -n 20
		return 1
	fi
}

test_expect_success PERF 'three real recordings: fp, dwarf, pipe + zstd' '
	perf record -q -F 1000 -e cpu-clock -g -o fp.data -- "$WORKLOADS/hotcold" >/dev/null 2>&1 &&
	perf record -q -F 200 -e cpu-clock --call-graph dwarf,2048 -o dwarf.data \
		-- "$WORKLOADS/hotcold" >/dev/null 2>&1 &&
	perf record -q -F 1000 -z -e cpu-clock -g -o - -- "$WORKLOADS/hotcold" 2>/dev/null >pipez.data &&
	for f in fp.data dwarf.data pipez.data; do
		"$PFOLD" dump -i $f >$f.dump &&
		grep -q " type=SAMPLE " $f.dump &&
		"$PFOLD" fold -i $f >$f.folded &&
		grep -q "main;" $f.folded || { echo "$f did not fold"; exit 1; }
	done &&
	grep -q "(z) type=SAMPLE" pipez.data.dump
'

test_expect_success PERF 'every truncation at 64 offsets of each recording' '
	for f in fp.data dwarf.data pipez.data; do
		python3 "$MUTATE" $f trunc trunc-$f 64 || exit 1
	done &&
	ls trunc-* | wc -l >n && test "$(cat n)" = 192 &&
	check_files bad-trunc trunc-*
'

test_expect_success PERF '1,000 seeded random byte flips' '
	python3 "$MUTATE" fp.data flips flip-fp 334 2 &&
	python3 "$MUTATE" dwarf.data flips flip-dwarf 333 2 &&
	python3 "$MUTATE" pipez.data flips flip-pipez 333 2 &&
	test "$(ls flip-* | wc -l)" = 1000 &&
	check_files bad-flip flip-*
'

test_expect_success PEER_FIXTURES 'every peer fixture, and the corrupt one, exits 0 or 2' '
	set -- &&
	for f in "$PEER_FIXTURES"/*/perf.data* "$PEER_FIXTURES"/*/*.data; do
		case $f in *.xz) continue ;; esac
		n=peer-$(basename "$f") &&
		cp "$f" "$n" && chmod u+w "$n" && set -- "$@" "$n" || exit 1
	done &&
	test $# -ge 20 &&
	check_files bad-peer "$@" &&
	test_must_fail "$PFOLD" dump -i peer-perf.data.piped.corrupted.zero_size_sample-3.2 >/dev/null 2>err &&
	grep -q "^pfold: peer-perf.data.piped.corrupted.zero_size_sample-3.2: .*offset" err
'

test_expect_success PEER_FIXTURES 'flipped and truncated peer fixtures (old perf, 32-bit, compressed pipe)' '
	python3 "$MUTATE" peer-perf.data.armv7.perf_3.14-3.8 flips flip-armv7 40 3 &&
	python3 "$MUTATE" peer-perf.data.i686-3.4 flips flip-i686 40 3 &&
	python3 "$MUTATE" peer-sleep.compressed2.data flips flip-sleepz 40 3 &&
	python3 "$MUTATE" peer-perf.data.branch-4.14 trunc trunc-branch 16 &&
	python3 "$MUTATE" peer-sleep.compressed2.data trunc trunc-sleepz 16 &&
	check_files bad-peer-mut flip-armv7.* flip-i686.* flip-sleepz.* trunc-branch.* trunc-sleepz.*
'

test_done
