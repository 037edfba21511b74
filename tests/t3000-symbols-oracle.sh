#!/bin/sh
# SPDX-License-Identifier: MIT
# t3000-symbols-oracle.sh: pfold fold -i F against perf script -i F | pfold fold --input perf-script, on recordings made now.
test_description='perf.data folding agrees with the perf script oracle'
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/test-lib.sh"

# leaf() keeps its frame pointer here, so fp callchains go through hot and cold
HOTCOLD="$WORKLOADS/hotcold"

# agree OURS THEIRS: >= 99% of the sample weight in identical stacks; prints
# every differing stack, and says where pfold names a frame perf leaves
# [unknown] (the same stack with [...] frames in place of names)
agree() {
	awk -v min="${AGREE_MIN:-0.99}" '
	function key(line) { sub(/ [0-9]+$/, "", line); return line }
	function cnt(line) { return line + 0 == line ? line : substr(line, match(line, /[0-9]+$/)) + 0 }
	FNR == NR { k = key($0); a[k] += cnt($0); ta += cnt($0); next }
	{ k = key($0); b[k] += cnt($0); tb += cnt($0) }
	END {
		for (k in a) { same += (k in b) ? (a[k] < b[k] ? a[k] : b[k]) : 0 }
		tot = ta > tb ? ta : tb
		for (k in a) if (!(k in b) || a[k] != b[k]) {
			printf "pfold only: %s %d (perf script: %d)\n", k, a[k], b[k]
			for (j in b) if (!(j in a)) {
				n1 = split(k, x, ";"); n2 = split(j, y, ";")
				if (n1 != n2) continue
				d = 0; better = 0
				for (i = 1; i <= n1; i++) if (x[i] != y[i]) {
					if (y[i] ~ /^\[.*\]$/ && x[i] !~ /^\[.*\]$/) better++; else d++
				}
				if (!d && better) printf "  pfold names %d frame(s) perf script leaves [unknown]\n", better
			}
		}
		for (k in b) if (!(k in a)) printf "perf script only: %s %d\n", k, b[k]
		printf "agreement: %.4f of %d (pfold total %d, perf script total %d)\n", tot ? same / tot : 0, tot, ta, tb
		exit !(tot > 0 && same / tot >= min)
	}' "$1" "$2"
}

# oracle F [FLAGS...]: fold F both ways and compare
# fold_both FILE [FOLD OPTIONS]: ours.folded from pfold, theirs.folded from perf script
fold_both() {
	f=$1; shift
	"$PFOLD" fold -i "$f" "$@" >ours.folded 2>ours.err &&
	perf script -i "$f" 2>/dev/null >"$f.script" &&
	"$PFOLD" fold --input perf-script -i "$f.script" "$@" >theirs.folded 2>theirs.err &&
	cat ours.err
}

oracle() { fold_both "$@" && agree ours.folded theirs.folded; }

# ratio FOLDED A B: the weight of stacks through frame A over those through B
ratio() {
	awk -v a="$2" -v b="$3" '
	{ n = $NF; s = ";" $0 ";"; if (index(s, ";" a ";")) x += n; if (index(s, ";" b ";")) y += n }
	END { if (!y) { print "no " b " frames"; exit 1 } printf "%.3f\n", x / y }' "$1"
}

test_expect_success PERF 'record hotcold with fp callchains' '
	perf record -q -N -e cpu-clock -c 50000 -g -o fp.data "$HOTCOLD" 1600 2>/dev/null &&
	test -s fp.data
'

test_expect_success PERF 'fp recording: pfold fold agrees with the perf script oracle' '
	oracle fp.data
'

test_expect_success PERF 'known shape: hot:cold folds to 3.0 +- 0.2' '
	"$PFOLD" fold -i fp.data >fp.folded &&
	r=$(ratio fp.folded hot cold) && echo "hot/cold = $r" &&
	awk -v r="$r" "BEGIN { exit !(r >= 2.8 && r <= 3.2) }" &&
	grep -q "^hotcold;.*main;hot;leaf " fp.folded
'

test_expect_success PERF 'oracle agreement with --kernel --addrs --pid --tid' '
	oracle fp.data --kernel --addrs &&
	grep -q "_\[k\]" ours.folded
'

test_expect_success PERF 'weights: --weight samples counts samples' '
	"$PFOLD" fold -i fp.data --weight samples >s.folded &&
	n=$(perf script -i fp.data -F period 2>/dev/null | wc -l) &&
	s=$(awk "{ t += \$NF } END { print t }" s.folded) &&
	echo "$s samples, perf script: $n" && test "$s" -eq "$n"
'

test_expect_success PERF 'several events: first event by default, -e, --all-events' '
	perf record -q -N -e cpu-clock/period=100000/ -e page-faults/period=20/ -g \
		-o multi.data "$HOTCOLD" 800 2>/dev/null &&
	oracle multi.data &&
	oracle multi.data -e page-faults/period=20/ &&
	"$PFOLD" fold -i multi.data --all-events >ours.multi &&
	perf script -i multi.data 2>/dev/null | "$PFOLD" fold --input perf-script --all-events >theirs.multi &&
	test_cmp theirs.multi ours.multi &&
	head -1 ours.multi | grep -q "^# pfold-folded events=cpu-clock.*,page-faults"
'

test_expect_success PERF 'compressed (-z) recording' '
	perf record -q -N -z -e cpu-clock -c 100000 -g -o z.data "$HOTCOLD" 800 2>/dev/null &&
	oracle z.data
'

test_expect_success PERF 'pipe-mode recording' '
	perf record -q -N -e cpu-clock -c 100000 -g -o - "$HOTCOLD" 800 >pipe.data 2>/dev/null &&
	oracle pipe.data &&
	"$PFOLD" fold --input perf-data -i - <pipe.data >stdin.folded &&
	test_cmp ours.folded stdin.folded
'

test_expect_success PERF 'system-wide (-a) recording' '
	perf record -q -N -a -e cpu-clock -c 200000 -g -o all.data "$HOTCOLD" 800 2>/dev/null &&
	fold_both all.data &&
	# the machine-wide part holds whatever other tests ran meanwhile (their
	# binaries may be gone by the time perf script runs): judge the workload
	grep "^hotcold;" ours.folded >ours.hotcold &&
	grep "^hotcold;" theirs.folded >theirs.hotcold &&
	agree ours.hotcold theirs.hotcold
'

test_expect_success PERF 'a sample without callchain folds to comm;symbol' '
	perf record -q -N -e cpu-clock -c 100000 -o nocg.data "$HOTCOLD" 400 2>/dev/null &&
	"$PFOLD" fold -i nocg.data >nocg.folded &&
	grep -q "^hotcold;leaf [0-9]*$" nocg.folded &&
	n=$(perf script -i nocg.data -F ip 2>/dev/null | wc -l) &&
	awk -v want=$((n * 100000)) "{ t += \$NF } END { print t, want; exit t != want }" nocg.folded
'

test_done
