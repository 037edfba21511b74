#!/bin/bash
# SPDX-License-Identifier: MIT
# t2002-reader-bad-input.sh: damaged perf.data files: exit 2 with "pfold: FILE: <what> at offset N", never a crash or hang.
test_description='the reader on truncated, flipped and corrupt input'
. "$(dirname "$0")/test-lib.sh"

MKFILE="$TEST_DIRECTORY/helpers/reader-mkfile.py"
MUTATE="$TEST_DIRECTORY/helpers/reader-mutate.py"
command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to write the test files"

# expect_clean_error FILE: exit 2 and one line "pfold: FILE: ... at offset N"
expect_clean_error() {
	timeout 10 "$PFOLD" dump -i "$1" >/dev/null 2>err
	rc=$?
	if [ $rc != 2 ]; then echo "$1: exit $rc, wanted 2"; cat err; return 1; fi
	test_line_count = 1 err &&
	grep -Eq "^pfold: $1: .* at offset [0-9]+$" err || { echo "$1: bad message:"; cat err; return 1; }
}

# expect_no_crash FILE: exit 0, or 2 with a clean message (a damaged byte may still be valid)
expect_no_crash() {
	timeout 10 "$PFOLD" dump -i "$1" >/dev/null 2>err
	rc=$?
	case $rc in
	0) return 0 ;;
	2) grep -Eq "^pfold: $1: .* at offset [0-9]+$" err && test_line_count = 1 err ||
		{ echo "$1: bad message:"; cat err; return 1; } ;;
	*) echo "$1: exit $rc (crash or hang)"; cat err; return 1 ;;
	esac
}

test_expect_success 'synthetic files read back field by field (both byte orders, file and pipe)' '
	for mode in "" "--big-endian" "--pipe" "--pipe --big-endian"; do
		python3 "$MKFILE" s.data $mode >expect &&
		"$PFOLD" dump -i s.data >dump &&
		sed -n "s/.* type=SAMPLE misc=0x[0-9a-f]* size=[0-9]* //p" dump >actual &&
		test_cmp expect actual &&
		grep -q " type=MMAP2 .* start=0x400000 len=0x10000 pgoff=0x0 maj=8 min=1 ino=1234 .*filename=/usr/bin/demo sample_id={pid=42 tid=42 time=600 cpu=0 }" dump &&
		"$PFOLD" dump --stats -i s.data >stats &&
		! grep -q "time order" stats &&
		"$PFOLD" dump --header -i s.data >header &&
		grep -q "^# hostname : synthetic-host$" header &&
		grep -q "^# nrcpus avail : 4$" header || { echo "mode: $mode"; exit 1; }
	done &&
	"$PFOLD" dump --unordered -i s.data | sed -n "s/.* type=SAMPLE .* time=\([0-9]*\) .*/\1/p" >file-order &&
	printf "3000\n1000\n2000\n" >expect-order &&
	test_cmp expect-order file-order &&
	python3 "$MKFILE" be.data --big-endian >/dev/null &&
	"$PFOLD" dump --header -i be.data | grep -q "^# byte order : other (swapped)$"
'

test_expect_success 'an empty file, a short file, a bad magic and the old PERFFILE magic' '
	: >empty.data &&
	expect_clean_error empty.data &&
	printf "PERFILE2" >short.data &&
	expect_clean_error short.data &&
	printf "NOTPERF!\020\0\0\0\0\0\0\0" >magic.data &&
	expect_clean_error magic.data &&
	grep -q "not a perf.data file" err &&
	printf "PERFFILE\150\0\0\0\0\0\0\0" >v1.data &&
	expect_clean_error v1.data &&
	grep -q "PERFFILE" err &&
	test_must_fail "$PFOLD" dump -i no-such-file 2>err &&
	grep -q "^pfold: cannot open .no-such-file.: No such file or directory$" err
'

test_expect_success 'section offsets, record sizes and array counts past the end' '
	python3 "$MKFILE" s.data >/dev/null &&
	python3 "$MUTATE" s.data data-size.data set 48 "<Q" 0x10000000 &&
	expect_clean_error data-size.data && grep -q "data section past the end" err &&
	python3 "$MUTATE" s.data attrs-off.data set 24 "<Q" 1000000 &&
	expect_clean_error attrs-off.data && grep -q "attr section past the end" err &&
	python3 "$MUTATE" s.data ids-off.data set 216 "<Q" 1000000 &&
	expect_clean_error ids-off.data && grep -q "id section past the end" err &&
	python3 "$MUTATE" s.data attr-size.data set 16 "<Q" 8 &&
	expect_clean_error attr-size.data &&
	feat_table=$(( $(od -An -t u8 -j 40 -N 8 s.data) + $(od -An -t u8 -j 48 -N 8 s.data) )) &&
	python3 "$MUTATE" s.data feat-off.data set $feat_table "<Q" 99999999 &&
	expect_clean_error feat-off.data && grep -q "feature section past the end" err &&
	python3 "$MUTATE" s.data feat-str.data set $(( feat_table + 8 )) "<Q" 2 &&
	expect_clean_error feat-str.data && grep -q "feature hostname" err &&
	python3 "$MUTATE" s.data size0.data set 254 "<H" 0 &&
	expect_clean_error size0.data && grep -q "record size below 8 at offset 248$" err &&
	python3 "$MUTATE" s.data size-big.data set 254 "<H" 0xfff0 &&
	expect_clean_error size-big.data && grep -q "record past the end of the data section at offset 248$" err &&
	python3 "$MUTATE" s.data chain.data set 456 "<Q" 1000 &&
	expect_clean_error chain.data && grep -q "sample fields past the end of the record at offset 408$" err &&
	python3 "$MKFILE" p.data --pipe >/dev/null &&
	python3 "$MUTATE" p.data p-size0.data set 22 "<H" 0 &&
	expect_clean_error p-size0.data && grep -q "record size below 8 at offset 16$" err
'

# check_files MODE FILE...: each FILE read by pfold dump exits 2 with one
# clean line (MODE clean), or 0 or that (MODE any); never a crash or hang
check_files() {
	mode=$1
	shift
	for f; do
		timeout 10 "$PFOLD" dump -i "$f" >/dev/null 2>"$f.err"
		rc=$?
		case $rc in
		0) [ "$mode" = any ] && continue
		   echo "$f: exit 0, wanted 2"; return 1 ;;
		2) [ "$(wc -l <"$f.err")" = 1 ] && grep -Eq "^pfold: $f: .* at offset [0-9]+$" "$f.err" && continue
		   echo "$f: bad message:"; cat "$f.err"; return 1 ;;
		*) echo "$f: exit $rc (crash or hang)"; cat "$f.err"; return 1 ;;
		esac
	done
}
export -f check_files

# check_all MODE FILE...: check_files on two cores
check_all() {
	mode=$1
	shift
	printf "%s\n" "$@" | xargs -P2 -n16 bash -c 'check_files "$0" "$@"' "$mode"
}

# truncate_all FILE MODE: 64 truncation points; file mode must always fail cleanly
truncate_all() {
	rm -f t.data.* &&
	python3 "$MUTATE" "$1" trunc t.data 64 &&
	if [ "$2" = file ]; then check_all clean t.data.*; else check_all any t.data.*; fi
}

# flip_all FILE N: N copies with 4 random bytes replaced (seeds 1..N)
flip_all() {
	rm -f f.data.* &&
	python3 "$MUTATE" "$1" flips f.data "$2" 4 &&
	check_all any f.data.*
}

test_expect_success 'every truncation of synthetic files (64 points each)' '
	python3 "$MKFILE" s.data >/dev/null && truncate_all s.data file &&
	python3 "$MKFILE" sb.data --big-endian >/dev/null && truncate_all sb.data file &&
	python3 "$MKFILE" p.data --pipe >/dev/null && truncate_all p.data pipe
'

test_expect_success 'random byte flips in synthetic files (seeded)' '
	python3 "$MKFILE" s.data >/dev/null && flip_all s.data 60 &&
	python3 "$MKFILE" p.data --pipe --big-endian >/dev/null && flip_all p.data 60
'

test_expect_success PERF 'every truncation and random flips of real recordings (fp, -z, pipe)' '
	perf record -q -g -o fp.data -- "$WORKLOADS/hotcold" >/dev/null 2>&1 & p1=$!
	perf record -q -z -g -o z.data -- "$WORKLOADS/hotcold" >/dev/null 2>&1 & p2=$!
	perf record -q -g -o - -- "$WORKLOADS/hotcold" >pipe.data 2>/dev/null & p3=$!
	wait $p1 && wait $p2 && wait $p3 &&
	truncate_all fp.data file &&
	truncate_all z.data file &&
	truncate_all pipe.data pipe &&
	flip_all fp.data 30 &&
	flip_all z.data 30 &&
	flip_all pipe.data 30
'

command -v mkperf >/dev/null 2>&1 && test_set_prereq MKPERF

# a pipe file whose EVENT_DESC comes again after the samples, renamed, and
# without EVENT_UPDATE names: the attrs keep the first names (perf's
# evlist__set_event_name), which must not point into the freed first
# EVENT_DESC (sanitizer builds check)
test_expect_success MKPERF 'a second EVENT_DESC in a pipe: first names stay, none dangles' '
	mkperf --kind hw-group --pipe -o hp.data &&
	python3 - hp.data dd.data <<-\EOF &&
	import struct, sys
	d = open(sys.argv[1], "rb").read()
	pos, out, desc = 16, [d[:16]], None
	while pos + 8 <= len(d):
	    t, misc, size = struct.unpack_from("<IHH", d, pos)
	    rec = d[pos:pos + size]
	    pos += size
	    if t == 78:
	        continue                # EVENT_UPDATE
	    if t == 80 and struct.unpack_from("<Q", rec, 8)[0] == 12:
	        desc = rec              # FEATURE event_desc
	    out.append(rec)
	out.append(desc.replace(b"cycles", b"cyclez"))
	open(sys.argv[2], "wb").write(b"".join(out))
	EOF
	"$PFOLD" dump -i dd.data >dd.out &&
	grep -q " type=SAMPLE .* event=cycles " dd.out &&
	! grep -q "event=cyclez" dd.out &&
	"$PFOLD" dump --header -i dd.data >dd.hdr &&
	grep -q "^# attr 0 : event=cycles " dd.hdr &&
	grep -q "^# attr 1 : event=cache-misses " dd.hdr
'

test_expect_success PEER_FIXTURES 'every truncation of peer files (old perf, compressed pipe)' '
	truncate_all "$PEER_FIXTURES/perf_data_converter/perf.data.i686-3.4" file &&
	cp "$PEER_FIXTURES/linux-perf-data/fibo.compressed2.pipe.data" fibo.data &&
	truncate_all fibo.data pipe &&
	flip_all fibo.data 30
'

test_done
