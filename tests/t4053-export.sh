#!/bin/bash
# SPDX-License-Identifier: MIT
# t4053-export.sh: pfold export: pprof read back by pprof-format, speedscope checked by its schema, JSON.
test_description='pprof, speedscope and JSON export'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-node.sh"

CHECK="$TEST_DIRECTORY/browser/check-export.mjs"
if why=$(node_install pprof-format speedscope ajv); then
	test_set_prereq NODE_DEPS
else
	say "skipping the decoder checks: $why"
fi

test_expect_success 'setup' '
	cat >multi.folded <<-\EOF &&
	# pfold-folded events=cpu-clock,page-faults
	main;alloc;memset 3000000 120
	main;alloc 1000000 7
	main;compute 9000000 0
	main;<b>&amp;"x" 250000 1
	EOF
	printf "app-42;main;a 5\napp-42;main;b 3\napp-43/44;main;a 2\nother-7;x 1\n" >tasks.folded
'

# the folded totals, worked out by the shell: the oracle
test_expect_success NODE_DEPS 'pprof: pprof-format decodes it; totals per type equal the folded totals' '
	"$PFOLD" export --to pprof -i multi.folded -o p.pb.gz &&
	gzip -t p.pb.gz &&
	node "$CHECK" pprof p.pb.gz >dec &&
	cat dec &&
	c=$(awk "!/^#/ { s += \$(NF-1) } END { print s }" multi.folded) &&
	f=$(awk "!/^#/ { s += \$NF } END { print s }" multi.folded) &&
	test "$(sed -n 1p dec)" = "cpu-clock/nanoseconds=$c page-faults/count=$f" &&
	grep -x "default=cpu-clock" dec &&
	sed -n "3,\$p" dec | sort >got &&
	grep -v "^#" multi.folded | sort >want &&
	test_cmp want got
'

test_expect_success NODE_DEPS 'pprof: --metric sets the default sample type' '
	"$PFOLD" export --to pprof --metric page-faults -i multi.folded -o p2.pb.gz &&
	node "$CHECK" pprof p2.pb.gz | grep -x "default=page-faults"
'

test_expect_success NODE_DEPS 'speedscope: valid against file-format-schema.json, weights sum to the totals' '
	"$PFOLD" export --to speedscope -i multi.folded -o s.json &&
	node "$CHECK" speedscope s.json >dec &&
	cat dec &&
	head -n 1 dec | grep -x valid &&
	grep -x "multi.folded cpu-clock 13250000 13250000 nanoseconds" dec &&
	grep -x "multi.folded page-faults 128 128 none" dec &&
	grep -x "  main;<b>&amp;\"x\" 1" dec
'

test_expect_success NODE_DEPS 'speedscope: one profile per process or thread' '
	"$PFOLD" export --to speedscope -i tasks.folded -o t.json &&
	node "$CHECK" speedscope t.json >dec &&
	cat dec &&
	grep -x "app-42 samples 8 8 none" dec &&
	grep -x "app-43/44 samples 2 2 none" dec &&
	grep -x "other-7 samples 1 1 none" dec &&
	grep -x "  main;a 5" dec
'

test_expect_success PERF,NODE_DEPS 'speedscope from perf.data: one profile per thread, totals as perf reads them' '
	perf record -q -g -o perf.data -- sh -c "\"$WORKLOADS/hotcold\" 100 & \"$WORKLOADS/hotcold\" 100; wait" &&
	"$PFOLD" export --to speedscope -i perf.data -o p.json &&
	node "$CHECK" speedscope p.json >dec &&
	head -n 1 dec | grep -x valid &&
	grep -v "^  " dec | sed 1d | awk "{ print \$1, \$3 }" | sort >got &&
	perf script -i perf.data -F comm,pid,tid,period 2>/dev/null |
		awk "{ s[\$1 \"-\" \$2] += \$3 } END { for (k in s) print k, s[k] }" | sort >want &&
	cat want got &&
	test $(grep -c "^hotcold-" want) -ge 2 &&
	test_cmp want got
'

test_expect_success PERF,NODE_DEPS 'pprof from perf.data: the sample total is the sum of the periods perf reads' '
	"$PFOLD" export --to pprof -i perf.data -o perf.pb.gz &&
	node "$CHECK" pprof perf.pb.gz >dec &&
	want=$(perf script -i perf.data -F period 2>/dev/null | awk "{ s += \$1 } END { print s }") &&
	test "$(sed -n "1s/^cpu-clock[^/]*/cpu-clock/p" dec)" = "cpu-clock/nanoseconds=$want"
'

test_expect_success PERF,NODE_DEPS 'pprof from perf.data: a mapping per object with its build id, lines for leaf' '
	perf record -q -g -o hc.data -- "$WORKLOADS/hotcold" 100 &&
	"$PFOLD" export --to pprof -i hc.data -o hc.pb.gz &&
	node "$CHECK" pprof-where hc.pb.gz >where &&
	cat where &&
	bid=$(LC_ALL=C readelf -n "$WORKLOADS/hotcold" | sed -n "s/^ *Build ID: *//p") &&
	test -n "$bid" &&
	awk -v b="$bid" "\$1 == \"mapping\" && \$3 ~ /\/hotcold\$/ && \$4 == b { ok = 1 } END { exit !ok }" where &&
	m=$(awk "\$1 == \"mapping\" && \$3 ~ /\/hotcold\$/ { print \$2 }" where) &&
	first=$(grep -n "^__attribute__.*void leaf(" "$TEST_DIRECTORY/workloads/hotcold.c" | cut -d: -f1) &&
	last=$(awk -v f="$first" "NR > f && /^}/ { print NR; exit }" "$TEST_DIRECTORY/workloads/hotcold.c") &&
	echo "leaf: lines $first-$last, mapping $m" &&
	awk -v m="$m" -v a="$first" -v z="$last" "\$1 == \"location\" && \$4 == \"leaf\" && \$3 == m &&
		\$5 ~ /hotcold\.c\$/ && \$6 >= a && \$6 <= z { ok = 1 } END { exit !ok }" where &&
	node "$CHECK" pprof hc.pb.gz >dec &&
	"$PFOLD" fold -i hc.data >hc.folded &&
	want=$(awk "{ s += \$NF } END { print s }" hc.folded) &&
	test "$(sed -n "1s/^[^=]*=//p" dec)" = "$want" &&
	sed -n "3,\$p" dec | sort >got &&
	sort hc.folded >want &&
	test_cmp want got
'

test_expect_success 'json: stacks with their counter vectors' '
	"$PFOLD" export --to json -i multi.folded -o j.json &&
	python3 - j.json <<-\PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["format"] == "pfold-profile/1"
	assert [(e["name"], e["total"]) for e in d["events"]] == [("cpu-clock", 13250000), ("page-faults", 128)]
	fr = d["frames"]
	got = sorted((";".join(fr[i]["name"] for i in s["frames"]), s["counts"]) for s in d["stacks"])
	assert got == sorted([("main;alloc;memset", [3000000, 120]), ("main;alloc", [1000000, 7]),
	                      ("main;compute", [9000000, 0]), ("main;<b>&amp;\"x\"", [250000, 1])]), got
	PY
'

test_expect_success 'names that are not UTF-8 still give valid JSON' '
	printf "main;\377bad;x 3\nmain;ok 2\n" >bad.folded &&
	"$PFOLD" export --to json -i bad.folded -o bad.json &&
	"$PFOLD" export --to speedscope -i bad.folded -o bad.ss.json &&
	python3 -c "import json, sys; [json.load(open(f, encoding=\"utf-8\")) for f in sys.argv[1:]]" \
		bad.json bad.ss.json &&
	grep -q "?bad" bad.json
'

test_expect_success 'errors: unknown format, no -o (exit 2)' '
	test_must_fail "$PFOLD" export --to svg -i multi.folded -o x 2>err &&
	grep "pprof, speedscope or json" err &&
	test_must_fail "$PFOLD" export --to json -i multi.folded 2>err
'

test_done
