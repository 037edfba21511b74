#!/bin/bash
# SPDX-License-Identifier: MIT
# t3102-unwind-node.sh: Node (V8 JIT) recorded with --call-graph dwarf: chains through JIT code, builtins and the C++ runtime.
test_description='DWARF unwinding through V8 JIT frames'
. "$(dirname "$0")/test-lib.sh"

test_have_prereq NODE || test_skip_all "no node here"
test_have_prereq PERF || test_skip_all "perf record does not work here"

cat >hc.js <<'JSEOF'
function leaf(n) { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + i) | 0; return x; }
function hot(n) { return leaf(3 * n); }
function cold(n) { return leaf(n); }
function main() { let s = 0; for (let r = 0; r < 3000; r++) { s += hot(20000); s += cold(20000); } return s; }
main();
JSEOF

test_expect_success 'node --perf-basic-prof: >= 90% of leaf samples under main -> hot|cold, from _start' '
	perf record -q -o basic.data --call-graph dwarf -F 999 -- sh -c "echo \$\$ >pid; \
		exec node --perf-basic-prof --interpreted-frames-native-stack hc.js" 2>err &&
	"$PFOLD" fold -i basic.data --weight samples >basic.folded 2>err &&
	rm -f "/tmp/perf-$(cat pid).map" &&
	awk "{ w = \$NF; if (\$0 !~ /JS:[^;]*leaf /) next; L += w
	       if (\$0 ~ /^node;_start;.*JS:[^;]*main [^;]*;JS:[^;]*(hot|cold) [^;]*;JS:[^;]*leaf /) F += w }
	     END { print L, F; exit !(L > 300 && F >= 0.9 * L) }" basic.folded
'

test_expect_success 'node --perf-prof (jitdump): >= 90% of all samples reach _start, not truncated' '
	perf record -q -k 1 -o prof.data --call-graph dwarf -F 999 -- sh -c "echo \$\$ >pid; \
		exec node --perf-prof --interpreted-frames-native-stack hc.js" 2>err &&
	rm -f "/tmp/perf-$(cat pid).map" &&
	"$PFOLD" fold -i prof.data --weight samples >prof.folded 2>err &&
	awk "{ w = \$NF; T += w; if (\$0 ~ /^node;_start;/) S += w }
	     END { print T, S; exit !(T > 300 && S >= 0.9 * T) }" prof.folded
'

test_done
