#!/bin/bash
# SPDX-License-Identifier: MIT
# t2001-reader-peer-fixtures.sh: perf.data files from other machines and perf versions read as their decode dumps say.
test_description='the reader on ../shared/peer-fixtures (quipper pb_text dumps as the oracle)'
. "$(dirname "$0")/test-lib.sh"

ORACLE="$TEST_DIRECTORY/helpers/reader-oracle.py"
PDC="$PEER_FIXTURES/perf_data_converter"
LPD="$PEER_FIXTURES/linux-perf-data"

test_have_prereq PEER_FIXTURES || test_skip_all "no peer fixtures at $PEER_FIXTURES"
command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to read the pb_text dumps"
command -v xz >/dev/null 2>&1 || test_skip_all "xz is needed to read the pb_text dumps"

for pb in "$PDC"/*.pb_text.xz; do
	name=$(basename "$pb" .pb_text.xz)
	name=${name%.serialized.out}
	name=${name%.pr.out}
	test_expect_success "$name: read to the end, first 100 samples as quipper decodes them" '
		xz -dc "'"$pb"'" >pb &&
		timeout 60 "$PFOLD" dump -i "'"$PDC/$name"'" >dump &&
		python3 "$ORACLE" pb pb dump 100
	'
done

test_expect_success 'perf.data.weight_struct (no dump): reads, WEIGHT_STRUCT decoded' '
	timeout 10 "$PFOLD" dump -i "$PDC/perf.data.weight_struct" >dump &&
	grep -q " type=SAMPLE .* weight={var1=" dump
'

test_expect_success 'branch stacks carry from/to/flags and the hw_idx' '
	"$PFOLD" dump -i "$PDC/perf.data.branch-4.14" >dump &&
	grep -q " type=SAMPLE .*branch_stack={nr=[1-9][0-9]* \[from=0x" dump
'

test_expect_success 'i686 and armv7 files (32-bit, perf 3.x) read with their headers' '
	"$PFOLD" dump --header -i "$PDC/perf.data.i686-3.4" >h1 &&
	grep -q "^# arch : i686" h1 &&
	"$PFOLD" dump --header -i "$PDC/perf.data.armv7.perf_3.14-3.8" >h2 &&
	grep -q "^# arch : armv7l" h2
'

test_expect_success 'group_desc and hybrid_topology features decode' '
	"$PFOLD" dump --header -i "$PDC/perf.data.group_desc-4.14" >h1 &&
	grep -q "^# group: " h1 &&
	"$PFOLD" dump --header -i "$PDC/perf.data.hybrid_topology" >h2 &&
	grep -q "^# cpu_core cpu list : " h2
'

test_expect_success 'pipe files carry their features in the stream' '
	"$PFOLD" dump --header -i "$PDC/perf.data.piped.header_feautres_group_desc-6.8" >h &&
	grep -q "^# mode : pipe" h &&
	grep -q "^# hostname : " h &&
	grep -q "^# group: " h
'

test_expect_success 'lost samples are counted' '
	"$PFOLD" dump --stats -i "$PDC/perf.data.lost_samples-4.4" >st &&
	grep -q "LOST_SAMPLES events: *[1-9]" st
'

test_expect_success 'intel_pt: AUXTRACE payloads skipped, samples still read' '
	"$PFOLD" dump --stats -i "$PDC/perf.data.intel_pt-4.14" >st &&
	grep -q "AUXTRACE events: *[1-9]" st &&
	grep -q "AUXTRACE_INFO events: *1" st
'

test_expect_success 'the corrupt pipe file fails with a clear error, exit 2' '
	test_must_fail timeout 10 "$PFOLD" dump -i "$PDC/perf.data.piped.corrupted.zero_size_sample-3.2" >out 2>err &&
	test_line_count = 1 err &&
	grep -q "^pfold: .*perf.data.piped.corrupted.zero_size_sample-3.2: record size below 8 at offset [0-9]" err
'

test_expect_success 'linux-perf-data sleep.data (perf 6.16, attr size 136)' '
	"$PFOLD" dump --header -i "$LPD/sleep.data" >h &&
	grep -q "^# attr 0 : .* size=136 " h &&
	"$PFOLD" dump --stats -i "$LPD/sleep.data" >st &&
	grep -q "SAMPLE events: *[1-9]" st
'

test_expect_success 'linux-perf-data sleep.compressed2.data (COMPRESSED2) gives the samples of the plain file form' '
	"$PFOLD" dump -i "$LPD/sleep.compressed2.data" >dz &&
	"$PFOLD" dump --stats -i "$LPD/sleep.compressed2.data" >st &&
	grep -q "COMPRESSED2 events: *[1-9]" st &&
	grep -q "^offset=[0-9]*(z) type=SAMPLE" dz &&
	grep -q "^# compressed : Zstd" <("$PFOLD" dump --header -i "$LPD/sleep.compressed2.data")
'

test_expect_success 'linux-perf-data fibo.compressed2.pipe.data (pipe, dwarf, records across chunks)' '
	cat "$LPD/fibo.compressed2.pipe.data" | "$PFOLD" dump -i - >d &&
	"$PFOLD" dump --stats -i "$LPD/fibo.compressed2.pipe.data" >st &&
	grep -q "COMPRESSED2 events: *[1-9]" st &&
	n=$(grep -c " type=SAMPLE .*user_stack={size=[1-9]" d) &&
	test "$n" -gt 100 &&
	test "$n" = "$(sed -n "s/^ *SAMPLE events: *//p" st)"
'

test_done
