#!/bin/bash
# SPDX-License-Identifier: MIT
# t3100-unwind-dwarf.sh: --call-graph dwarf recordings of a no-frame-pointer workload unwound by pfold, checked against perf script.
test_description='DWARF unwinding of perf --call-graph dwarf recordings'
. "$(dirname "$0")/test-lib.sh"

NOFP="$WORKLOADS/hotcold-nofp"

# share_of FOLDED: "LEAF FULL HOT COLD": samples in leaf, of them with
# main -> hot|cold -> leaf, and the hot and cold parts
share_of() {
	awk '{ w = $NF; s = $0; sub(/ [0-9]+$/, "", s)
	       if (s !~ /(^|;)leaf(;|$)/) next
	       L += w
	       if (s ~ /(^|;)main;hot;leaf(;|$)/) H += w
	       else if (s ~ /(^|;)main;cold;leaf(;|$)/) C += w }
	     END { printf "%d %d %d %d\n", L, H + C, H, C }' "$1"
}

# from_main FOLDED: each stack from "main" on (callers above main differ in
# naming only: inlined __libc_start_main_impl, versioned symbols), weights
# summed; stacks without main are dropped
from_main() {
	awk '{ w = $NF; s = $0; sub(/ [0-9]+$/, "", s)
	       i = index(s, ";main;"); if (!i) next
	       k[substr(s, i + 1)] += w }
	     END { for (x in k) print x, k[x] }' "$1" | sort
}

test_expect_success PERF 'record hotcold-nofp with perf --call-graph dwarf' '
	test -x "$NOFP" &&
	perf record -q -o nofp.data --call-graph dwarf -F 2999 -- "$NOFP" 2000 2>err &&
	test -s nofp.data
'

test_expect_success PERF 'pfold fold unwinds >= 95% of leaf samples to main -> hot|cold -> leaf' '
	"$PFOLD" fold -i nofp.data --weight samples >ours.folded &&
	share_of ours.folded >share &&
	cat share &&
	read L F H C <share &&
	test "$L" -gt 500 &&
	awk -v l="$L" -v f="$F" "BEGIN { exit !(f >= 0.95 * l) }"
'

test_expect_success PERF 'hot/cold split is 3.0 +- 0.2' '
	read L F H C <share &&
	awk -v h="$H" -v c="$C" "BEGIN { r = h / c; print \"hot/cold\", r; exit !(c > 0 && r >= 2.8 && r <= 3.2) }"
'

test_expect_success PERF 'agrees with perf script on >= 97% of the weight perf unwinds' '
	perf script -i nofp.data 2>/dev/null >perf.txt &&
	"$PFOLD" fold --input perf-script -i perf.txt --weight samples >perf.folded &&
	from_main perf.folded >perf.main &&
	from_main ours.folded >ours.main &&
	awk "{ w = \$NF; sub(/ [0-9]+\$/, \"\"); if (FILENAME == ARGV[1]) p[\$0] = w; else if (\$0 in p) s += (p[\$0] < w ? p[\$0] : w) }
	     END { print s + 0 }" perf.main ours.main >agree &&
	awk "{ s += \$NF } END { print s + 0 }" perf.main >perfw &&
	echo "agree $(cat agree) of $(cat perfw)" &&
	test "$(cat perfw)" -gt 500 &&
	awk -v a="$(cat agree)" -v p="$(cat perfw)" "BEGIN { exit !(a >= 0.97 * p) }"
'

# addrs SCRIPT-TEXT: one line per sample, its chain's addresses (repeats
# collapsed: perf prints an address again for each inlined frame)
addrs() {
	awk 'BEGIN { RS = "" } { n = split($0, L, "\n"); s = ""; p = ""
	     for (i = 2; i <= n; i++) { split(L[i], f, " "); if (f[1] != p) s = s " " f[1]; p = f[1] }
	     print s }' "$1"
}

test_expect_success PERF 'pfold script gives perf script'"'"'s addresses for >= 97% of samples' '
	"$PFOLD" script -i nofp.data >ours.txt 2>err &&
	addrs ours.txt >ours.addrs &&
	addrs perf.txt >perf.addrs &&
	test_line_count = $(wc -l <perf.addrs) ours.addrs &&
	paste -d "|" ours.addrs perf.addrs |
	awk -F "|" "\$1 == \$2 { s++ } END { print s, NR; exit !(NR > 500 && s >= 0.97 * NR) }"
'

test_expect_success PERF 'pfold record --call-graph dwarf: the same shape and split' '
	"$PFOLD" record --fallback -F 2999 --call-graph dwarf -o pf.data -- "$NOFP" 2000 2>err &&
	"$PFOLD" fold -i pf.data --weight samples >pf.folded &&
	share_of pf.folded >pf.share &&
	cat pf.share &&
	read L F H C <pf.share &&
	test "$L" -gt 500 &&
	awk -v l="$L" -v f="$F" -v h="$H" -v c="$C" \
		"BEGIN { r = h / c; print \"hot/cold\", r; exit !(f >= 0.95 * l && r >= 2.8 && r <= 3.2) }"
'

test_expect_success PERF 'stacks that reach _start are not marked truncated' '
	! grep -q "^hotcold-nofp;\[truncated\];_start" ours.folded &&
	grep -q "^hotcold-nofp;_start;" ours.folded
'

test_expect_success PERF 'pfold fold with DWARF unwinding is fast (well under perf script)' '
	start=$(date +%s%N) &&
	"$PFOLD" fold -i nofp.data >/dev/null &&
	end=$(date +%s%N) &&
	echo "fold took $(( (end - start) / 1000000 )) ms" &&
	test $(( (end - start) / 1000000 )) -lt 3000
'

# corrupt bytes of the recording (mostly stack copies: 8 KiB of each
# 8.4 KiB sample): pfold must end cleanly (0, or 2 with a message), never
# crash or hang
test_expect_success PERF 'corrupted stack copies: no crash, no hang' '
	size=$(stat -c %s nofp.data) &&
	for seed in 1 2 3 4 5 6; do
		cp nofp.data bad.data &&
		awk -v seed=$seed -v size=$size "BEGIN { srand(seed); for (i = 0; i < 300; i++) print int(size * 0.1 + rand() * size * 0.8), int(rand() * 256) }" >offsets &&
		while read off val; do
			printf "$(printf "\\\\%03o" $val)" | dd of=bad.data bs=1 seek=$off conv=notrunc status=none
		done <offsets &&
		{ timeout 30 "$PFOLD" fold -i bad.data >/dev/null 2>err; rc=$?; } ;
		echo "seed $seed: exit $rc" &&
		{ test $rc = 0 || test $rc = 2; } || return 1
	done
'

test_done
