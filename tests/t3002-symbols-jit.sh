#!/bin/sh
# SPDX-License-Identifier: MIT
# t3002-symbols-jit.sh: perf maps: Python 3.12 -X perf and node --perf-basic-prof frames, against the perf script oracle.
test_description='JIT frames from /tmp/perf-PID.map'
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/test-lib.sh"

PY312=$(python_version 3.12)
[ -n "$PY312" ] && test_set_prereq PY312

# agree OURS THEIRS: >= 99% of the weight in identical stacks; differing stacks printed
agree() {
	awk '
	function key(l) { sub(/ [0-9]+$/, "", l); return l }
	FNR == NR { a[key($0)] += $NF; ta += $NF; next }
	{ b[key($0)] += $NF; tb += $NF }
	END {
		for (k in a) if (k in b) same += a[k] < b[k] ? a[k] : b[k]
		for (k in a) if (!(k in b) || a[k] != b[k]) printf "pfold: %s %d (perf script: %d)\n", k, a[k], b[k]
		for (k in b) if (!(k in a)) printf "perf script only: %s %d\n", k, b[k]
		tot = ta > tb ? ta : tb
		printf "agreement: %.4f of %d\n", tot ? same / tot : 0, tot
		exit !(tot > 0 && same / tot >= 0.99)
	}' "$1" "$2"
}

# (pyenv's python has no frame pointers: an fp chain reaches the perf-map
# trampolines of work.py's own functions only by luck, those of the start-up
# code often; the checks below ask for py:: frames, not for inner() itself,
# which the dwarf tests (t3101, t3003) find every time)
cat >work.py <<'PYEOF'
def inner(n):
    s = 0
    for i in range(n):
        s += i * i
    return s

def outer():
    t = 0
    for _ in range(200):
        t += inner(20000)
    return t

outer()
PYEOF

# pyenv's python is built without frame pointers, so fp callchains reach the
# -X perf trampolines only now and then (when the sample lands right below
# one): a dense recording makes sure some do.
test_expect_success PERF,PY312 'python3.12 -X perf: py:: frames, oracle agreement' '
	perf record -q -N -e cpu-clock -c 20000 -g -o py.data "$PY312" -X perf work.py 2>/dev/null &&
	"$PFOLD" fold -i py.data >py.folded 2>py.err &&
	grep -q "py::[^;]*\.py" py.folded &&
	perf script -i py.data 2>/dev/null | "$PFOLD" fold --input perf-script >py.theirs &&
	agree py.folded py.theirs
'

test_expect_success PERF,PY312 '--jit: py:: frames end in _[j]' '
	"$PFOLD" fold -i py.data --jit >pyj.folded &&
	grep -q "py::[^;]*_\[j\]" pyj.folded &&
	sed "s/ [0-9]*\$//" pyj.folded | tr ";" "\n" | grep "^py::" >pyframes &&
	! grep -v "_\[j\]\$" pyframes &&
	perf script -i py.data 2>/dev/null | "$PFOLD" fold --input perf-script --jit >pyj.theirs &&
	agree pyj.folded pyj.theirs
'

test_expect_success PERF,PY312 '--python: py:: frames become func (file.py), interpreter frames go' '
	"$PFOLD" fold -i py.data --python >pyv.folded &&
	grep -q "^python3.12;\(.*;\)\{0,1\}[^;]* ([^;()]*\.py)" pyv.folded &&
	! grep "py::" pyv.folded &&
	! grep "([^;()]*\.py)" pyv.folded | grep "_PyEval_EvalFrameDefault\|py_trampoline" &&
	a=$(awk "{ s += \$NF } END { print s }" py.folded) &&
	b=$(awk "{ s += \$NF } END { print s }" pyv.folded) &&
	test "$a" = "$b"
'

cat >work.js <<'JSEOF'
function hotLoop(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
function driver() { let t = 0; for (let k = 0; k < 400; k++) t += hotLoop(200000); return t; }
console.log(driver() > 0 ? "" : "x");
JSEOF

test_expect_success PERF,NODE 'node --perf-basic-prof: JS names, oracle agreement' '
	perf record -q -N -e cpu-clock -c 100000 -g -o js.data node --perf-basic-prof work.js >/dev/null 2>&1 &&
	"$PFOLD" fold -i js.data >js.folded 2>js.err &&
	grep -q "hotLoop" js.folded &&
	perf script -i js.data 2>/dev/null | "$PFOLD" fold --input perf-script >js.theirs &&
	agree js.folded js.theirs
'

test_expect_success PERF,NODE '--jit: JS frames end in _[j]' '
	"$PFOLD" fold -i js.data --jit >jsj.folded &&
	grep -q "hotLoop[^;]*_\[j\]" jsj.folded
'

test_expect_success PERF,PY312 'a perf map owned by another user is refused without --force' '
	pid=$(perf script -i py.data -F pid 2>/dev/null | head -1 | tr -d " ") &&
	test -f /tmp/perf-$pid.map &&
	if [ "$(id -u)" = 0 ]; then
		cp /tmp/perf-$pid.map saved.map &&
		chown 12345 /tmp/perf-$pid.map &&
		"$PFOLD" fold -i py.data >own.folded 2>own.err;
		rc=$?;
		"$PFOLD" fold -i py.data --force >force.folded 2>/dev/null;
		chown 0 /tmp/perf-$pid.map &&
		test $rc = 0 && cat own.err &&
		grep -q "force" own.err &&
		! grep -q "py::" own.folded &&
		grep -q "py::" force.folded
	fi
'

test_done
