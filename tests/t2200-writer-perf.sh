#!/bin/bash
# SPDX-License-Identifier: MIT
# t2200-writer-perf.sh: synthetic files from pfold's writer (mkperf), read back by the system perf.
test_description='perf script and perf report read what the writer writes, value by value'
. "$(dirname "$0")/test-lib.sh"

command -v perf >/dev/null 2>&1 || test_skip_all "no system perf to use as the oracle"
command -v mkperf >/dev/null 2>&1 || test_skip_all "tests/helpers/mkperf not built"

# perf script -F pid,tid,cpu,time,event,period,ip[,brstack] --ns, normalised to
# mkperf's --expect lines: S pid tid cpu time event period / I ip / C ip / B ...
norm_perf() {
	awk '
	/^[ \t]*$/ { next }
	/^\t/ { print "C " $1; next }
	{
		split($1, pt, "/"); cpu = $2; gsub(/[\[\]]/, "", cpu); sub(/^0+/, "", cpu)
		if (cpu == "") cpu = 0
		t = $3; sub(/:$/, "", t); sub(/\./, "", t); sub(/^0+/, "", t)
		ev = $5; sub(/:$/, "", ev)
		print "S " pt[1] " " pt[2] " " cpu " " t " " ev " " $4
		for (i = 6; i <= NF; i++) {
			if ($i ~ /^[[(]/)
				continue	# symbol or dso perf adds in pipe mode
			if ($i ~ /^0x.*\//) {
				n = split($i, b, "/"); sub(/^0x/, "", b[1]); sub(/^0x/, "", b[2])
				print "B " b[1] " " b[2] " " b[3] " " b[4] " " b[5] " " b[6]
			} else {
				print "I " $i
			}
		}
	}'
}

# mkperf's expectation in the same form: the S line without its ip, and the
# ip as an I line when perf prints it on the S line (no callchain)
norm_expect() {
	awk -v inline_ip="$2" -v branches="$3" '
	/^S / { print $1 " " $2 " " $3 " " $4 " " $5 " " $6 " " $7; if (inline_ip) print "I " $8; next }
	/^C / || (/^B / && branches) { print }' "$1"
}

# perf 6.1 does not fix up the u32 pairs (pid/tid, cpu), branch flags nor
# HEADER_FEATURE records of a pipe of the other byte order (evsel->needs_swap
# is only set for files): there, compare time, period, ips and branch
# addresses only
loose() {
	awk '/^S / { print "S " $5 " " $7; next } /^B / { print "B " $2 " " $3; next } { print }'
}

check_kind() {
	kind=$1; shift
	fields=pid,tid,cpu,time,event,period,ip
	inline_ip= branches= filter=cat
	case $kind in
	branch*) fields=$fields,brstack; inline_ip=1 branches=1 ;;
	tracepoint) inline_ip=1 ;;
	esac
	case "$*" in *--pipe*--swap*) filter=loose ;; esac
	mkperf --kind "$kind" "$@" -o f.data --expect exp &&
	perf script -i f.data -F $fields --ns >script.out 2>script.err &&
	norm_perf <script.out | $filter >got &&
	norm_expect exp "$inline_ip" "$branches" | $filter >want &&
	test -s want &&
	test_cmp want got
}

for mode in "" "--pipe" "--swap" "--pipe --swap"; do
	for kind in hw-group branch branch-hwidx; do
		test_expect_success "$kind ${mode:-file}: perf script prints the values written" "
			check_kind $kind $mode
		"
	done
done

test_expect_success 'all-bits file: perf script prints ip/pid/tid/time/cpu/period/callchain' '
	check_kind all-bits
'

test_expect_success 'all-bits pipe: perf script prints ip/pid/tid/time/cpu/period/callchain' '
	check_kind all-bits --pipe
'

# one field of the all-bits kind: perf script -F FIELD against the X NAME lines
check_field() {
	perf script -i ab.data -F "$1" >out 2>err &&
	awk -v f="$2" '$1 == "X" && $2 == f { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' exp >want &&
	test -s want &&
	sed -e "s/^ *//" -e "s/ *$//" out | eval "$3" >got &&
	test_cmp want got
}

test_expect_success 'all-bits: addr, phys_addr, weight, data_src, regs, page sizes' '
	mkperf --kind all-bits -o ab.data --expect exp &&
	check_field addr addr cat &&
	check_field phys_addr phys_addr cat &&
	check_field weight,ins_lat weight "awk \"{ print \\\$1 \\\" ins_lat \\\" \\\$2 }\"" &&
	check_field data_src data_src "cut -d\" \" -f1" &&
	check_field uregs uregs "sed -e \"s/^ABI:2 *//\" -e \"s/  */ /g\" | tr A-Z a-z" &&
	check_field data_page_size data_page_size "sed s/4K/4096/" &&
	check_field code_page_size code_page_size "sed s/2M/2097152/"
'

test_expect_success 'all-bits: branch stack through perf script -F brstack' '
	mkperf --kind all-bits -o ab.data --expect exp &&
	perf script -i ab.data -F brstack >out 2>err &&
	tr " " "\n" <out | grep "^0x" | awk -F/ "{ sub(/^0x/, \"\", \$1); sub(/^0x/, \"\", \$2); print \"B \" \$1 \" \" \$2 \" \" \$3 \" \" \$4 \" \" \$5 \" \" \$6 }" >got &&
	grep "^B " exp >want &&
	test_cmp want got
'

for mode in "" "--pipe"; do
	test_expect_success TRACEFS "tracepoint ${mode:-file}: perf script prints the values written" "
		check_kind tracepoint $mode
	"
	test_expect_success TRACEFS "tracepoint ${mode:-file}: perf decodes the raw data with our TRACING_DATA" "
		mkperf --kind tracepoint $mode -o tp.data --expect exp &&
		perf script -i tp.data -F trace 2>/dev/null | sed -e 's/^ *//' -e 's/ *\$//' >got &&
		sed -n 's/^X trace //p' exp >want &&
		test -s want &&
		test_cmp want got
	"
done

# perf report --stats: record counts per type as mkperf wrote them
for mode in "" "--pipe" "--swap"; do
	test_expect_success "perf report --stats counts the records (${mode:-file})" "
		mkperf --kind hw-group --samples 37 $mode -o s.data &&
		perf report -i s.data --stats >stats 2>err &&
		grep -q 'SAMPLE events: *37 ' stats &&
		grep -q 'COMM events: *2 ' stats &&
		grep -q 'MMAP2 events: *1 ' stats &&
		grep -q 'FORK events: *1 ' stats &&
		grep -q 'EXIT events: *1 ' stats &&
		grep -q 'FINISHED_INIT events: *1 ' stats
	"
done

for mode in "" "--pipe" "--swap"; do
	test_expect_success "perf report --header-only shows the features (${mode:-file})" "
		mkperf --kind hw-group $mode -o h.data &&
		perf report -i h.data --header-only >hdr 2>err &&
		grep -q '^# hostname : mkperf-host\$' hdr &&
		grep -q '^# os release : 6.1.0-mkperf\$' hdr &&
		grep -q '^# perf version : 6.1.mkperf\$' hdr &&
		grep -q '^# arch : x86_64\$' hdr &&
		grep -q '^# nrcpus online : 2\$' hdr &&
		grep -q '^# nrcpus avail : 4\$' hdr &&
		grep -q '^# cpudesc : mkperf synthetic CPU @ 1.00GHz\$' hdr &&
		grep -q '^# cpuid : GenuineIntel,6,85,4\$' hdr &&
		grep -q '^# total memory : 16777216 kB\$' hdr &&
		grep -q '^# cmdline : mkperf --kind hw-group *\$' hdr &&
		grep -q '^# event : name = cycles, .*id = { 101 }, size = 128,.*read_format = TOTAL_TIME_ENABLED|TOTAL_TIME_RUNNING|ID|GROUP|LOST, disabled = 1, inherit = 1' hdr &&
		grep -q '^# event : name = cache-misses, .*id = { 102 }, size = 128, config = 0x3' hdr &&
		grep -q '^# clockid frequency: 1000000 MHz' hdr
	"
done

test_expect_success 'file mode: header offsets as perf reads them' '
	mkperf --kind hw-group -o h.data &&
	perf report -i h.data --header-only >hdr 2>err &&
	grep -q "^# data offset *: 408\$" hdr &&
	size=$(stat -c %s h.data) &&
	doff=408 &&
	dsize=$(sed -n "s/^# data size *: //p" hdr) &&
	foff=$(sed -n "s/^# feat offset *: //p" hdr) &&
	test $((doff + dsize)) = "$foff" &&
	test "$foff" -lt "$size"
'

for mode in "" "--pipe" "--swap"; do
	test_expect_success "perf buildid-list shows the build id (${mode:-file})" "
		mkperf --kind hw-group $mode -o b.data &&
		perf buildid-list -i b.data >ids 2>err &&
		echo '0102030405060708090a0b0c0d0e0f1011121314 /usr/bin/mkperf-hot' >want &&
		test_cmp want ids
	"
done

test_expect_success '-o - on a pipe writes pipe mode that perf reads from stdin' '
	mkperf --kind hw-group --samples 9 -o - --expect exp | perf script -i - -F pid,tid,cpu,time,event,period,ip --ns >script.out 2>err &&
	norm_perf <script.out >got &&
	norm_expect exp "" "" >want &&
	test_cmp want got
'

test_expect_success 'the output file has mode 0600' '
	rm -f m.data &&
	(umask 022 && mkperf --kind branch -o m.data) &&
	test "$(stat -c %a m.data)" = 600
'

test_expect_success 'the other byte order is really big-endian on disk' '
	mkperf --kind hw-group --swap -o be.data &&
	test "$(head -c 8 be.data)" = 2ELIFREP &&
	mkperf --kind hw-group -o le.data &&
	test "$(head -c 8 le.data)" = PERFILE2 &&
	mkperf --kind hw-group --pipe --swap -o bep.data &&
	test "$(head -c 8 bep.data)" = 2ELIFREP
'

test_done
