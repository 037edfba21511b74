#!/bin/bash
# SPDX-License-Identifier: MIT
# t3101-unwind-python.sh: Python 3.12 -X perf recorded with --call-graph dwarf: full py:: chains through the perf trampolines.
test_description='DWARF unwinding through Python perf trampolines'
. "$(dirname "$0")/test-lib.sh"

PY=$(python_version 3.12)
if [ -z "$PY" ]; then
	test_skip_all "no python3.12 (pyenv) here"
fi
test_have_prereq PERF || test_skip_all "perf record does not work here"

cat >hc.py <<'PYEOF'
import sys

def leaf(n):
    x = 0
    for i in range(n):
        x = (x * 31 + i) & 0xffffffff
    return x

def hot(n):
    return leaf(3 * n)

def cold(n):
    return leaf(n)

def main():
    for _ in range(int(sys.argv[1])):
        hot(20000)
        cold(20000)

main()
PYEOF

# py_share FOLDED: "LEAF FULL HOT COLD" over samples in py::leaf: those with
# py::main, then py::hot or py::cold, then py::leaf, in that order
py_share() {
	awk '{ w = $NF; s = $0; sub(/ [0-9]+$/, "", s)
	       if (s !~ /py::leaf:/) next
	       L += w
	       if (s ~ /py::main:[^;]*;(.*;)?py::hot:[^;]*;(.*;)?py::leaf:/) H += w
	       else if (s ~ /py::main:[^;]*;(.*;)?py::cold:[^;]*;(.*;)?py::leaf:/) C += w }
	     END { printf "%d %d %d %d\n", L, H + C, H, C }' "$1"
}

test_expect_success 'record python3.12 -X perf with perf --call-graph dwarf' '
	perf record -q -o py.data --call-graph dwarf -F 1999 -- \
		sh -c "echo \$\$ >pid; exec \"$PY\" -X perf hc.py 60" 2>err &&
	test -s py.data
'

test_expect_success '>= 90% of py::leaf samples carry py::main, py::hot|cold, py::leaf' '
	"$PFOLD" fold -i py.data --weight samples >ours.folded &&
	py_share ours.folded >share &&
	echo "pfold: leaf, full, hot, cold: $(cat share)" &&
	read L F H C <share &&
	test "$L" -gt 300 &&
	awk -v l="$L" -v f="$F" "BEGIN { exit !(f >= 0.90 * l) }"
'

test_expect_success 'hot/cold split is 3.0 +- 0.3' '
	read L F H C <share &&
	awk -v h="$H" -v c="$C" "BEGIN { r = h / c; print \"hot/cold\", r; exit !(c > 0 && r >= 2.7 && r <= 3.3) }"
'

test_expect_success 'what perf script gives on the same file (shown, not required)' '
	perf script -i py.data 2>/dev/null >perf.txt &&
	"$PFOLD" fold --input perf-script -i perf.txt --weight samples >perf.folded &&
	py_share perf.folded >perf.share &&
	test -s perf.share
'
test -s pid && rm -f "/tmp/perf-$(cat pid).map"
if [ -s share ] && [ -s perf.share ]; then
	read L F H C <share
	read PL PF PH PC <perf.share
	say "pfold:       $F of $L py::leaf samples have py::main -> py::hot|cold -> py::leaf (hot $H, cold $C)"
	say "perf script: $PF of $PL (perf's unwinding stops at the first trampoline frame)"
fi

test_done
