#!/bin/sh
# SPDX-License-Identifier: MIT
# t3004-symbols-jitdump.sh: JIT frames named from jitdump files (python3.13 -X perf_jit, node --perf-prof), found through their MMAP records.
test_description='jitdump names'
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/test-lib.sh"

test_have_prereq PERF || test_skip_all "perf record does not work here"
PY313=$(python_version 3.13)
[ -n "$PY313" ] && test_set_prereq PY313
command -v node >/dev/null 2>&1 && test_set_prereq NODEJS
id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && test_set_prereq ROOT

cp "$TEST_DIRECTORY/workloads/pyleaf.py" x.py

# chains FOLDED: "LEAF FULL" weights: samples in py::leaf, and those of them under py::main -> py::hot|cold
chains() {
	awk "{ w = \$NF } /py::leaf:/ { L += w
	      if (\$0 ~ /py::main:[^;]*;(.*;)?py::(hot|cold):[^;]*;(.*;)?py::leaf:/) F += w }
	     END { print L + 0, F + 0 }" "$1"
}

test_expect_success PY313 'python3.13 -X perf_jit, --call-graph dwarf: names and full chains from /tmp/jit-PID.dump' '
	perf record -q -F 999 --call-graph dwarf -o py.data -- sh -c "echo \$\$ >pid; exec \"$PY313\" -X perf_jit x.py 100" 2>err &&
	pid=$(cat pid) &&
	test -f /tmp/jit-$pid.dump && ! test -f /tmp/perf-$pid.map &&
	"$PFOLD" fold -i py.data >py.folded &&
	set -- $(chains py.folded) &&
	say "pfold: $2 of $1 py::leaf weight under py::main -> py::hot|cold" &&
	test "$1" -gt 0 && test $(($2 * 10)) -ge $(($1 * 9)) &&
	perf script -i py.data 2>/dev/null | "$PFOLD" fold --input perf-script >theirs.folded &&
	say "perf script: $(grep -c "py::" theirs.folded) stacks name py:: frames (it needs perf inject --jit)"
'

test_expect_success PY313 'without the jitdump the same frames are unknown (the names came from it)' '
	pid=$(cat pid) &&
	mv /tmp/jit-$pid.dump saved.dump &&
	"$PFOLD" fold -i py.data >nodump.folded 2>err;
	ret=$?; mv saved.dump /tmp/jit-$pid.dump && test $ret = 0 &&
	! grep -q "py::" nodump.folded &&
	grep "jit-$pid.dump" err
'

cat >w.js <<'EOF'
function hotLoop(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
function driver() { let t = 0; for (let k = 0; k < 300; k++) t += hotLoop(200000); return t; }
console.log(driver() > 0 ? "" : "x");
EOF

test_expect_success NODEJS 'node --perf-prof: the jitdump in its working directory names JS frames' '
	mkdir cwd && (cd cwd && perf record -q -F 999 -g -o ../n.data -- sh -c "echo \$\$ >../npid; \
		exec node --perf-prof --interpreted-frames-native-stack ../w.js") 2>err &&
	npid=$(cat npid) &&
	test -f cwd/jit-$npid.dump && ! test -f /tmp/jit-$npid.dump && ! test -f /tmp/perf-$npid.map &&
	"$PFOLD" fold -i n.data >n.folded &&
	awk "{ w = \$NF; T += w } /JS:[^;]*hotLoop/ { H += w; if (\$0 ~ /JS:[^;]*driver[^;]*;(.*;)?JS:[^;]*hotLoop/) D += w }
	     END { print T, H, D; exit !(H > 0.25 * T && D >= 0.9 * H) }" n.folded
'

test_expect_success NODEJS,ROOT 'another user'"'"'s jitdump is refused without --force' '
	npid=$(cat npid) &&
	chown nobody cwd/jit-$npid.dump &&
	"$PFOLD" fold -i n.data >own.folded 2>err &&
	grep "not owned by the current user" err &&
	! grep -q "hotLoop" own.folded &&
	"$PFOLD" fold -i n.data --force >force.folded 2>err &&
	grep -q "hotLoop" force.folded
'

pid=$(cat pid 2>/dev/null) && rm -f "/tmp/jit-$pid.dump"
test_done
