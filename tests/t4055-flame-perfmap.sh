#!/bin/bash
# SPDX-License-Identifier: MIT
# t4055-flame-perfmap.sh: perf-map symbols named like markup ("<script>alert(1)</script>", "&'") stay text in the SVG.
test_description='hostile perf-map symbols in a flamegraph from perf.data'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-node.sh"

test_have_prereq PERF || test_skip_all "perf record does not work here"
[ "$(uname -m)" = x86_64 ] || test_skip_all "the JIT workload is x86-64 code"
if [ -x /usr/bin/chromium ] && why=$(node_install playwright-core); then
	test_set_prereq BROWSER
else
	say "no browser check: ${why:-no /usr/bin/chromium}"
fi

test_expect_success 'record JIT code named in a perf map' '
	perf record -q -g -o perf.data -- "$WORKLOADS/jitnames" 300000000 >pid &&
	pid=$(cat pid) &&
	cp "/tmp/perf-$pid.map" perf.map && cat perf.map &&
	perf report -i perf.data --stdio -q --no-children --sort sym >report 2>/dev/null &&
	grep -F "<script>alert(1)</script>" report
'

test_expect_success 'the symbols are text in the SVG, never markup' '
	"$PFOLD" flame -i perf.data -o jit.svg &&
	rm -f "/tmp/perf-$(cat pid).map" &&
	xmllint --noout jit.svg &&
	python3 - jit.svg <<-\PY >names
	import sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	root = ET.parse(sys.argv[1]).getroot()
	assert len(list(root.iter(ns + "script"))) == 1, "a second script element"
	titles = [g.find(ns + "title").text.split("\n")[0] for g in root.iter(ns + "g")
	          if g.get("class") == "f"]
	hostile = [t for t in titles if "<" in t or "&" in t]
	assert any(t.startswith("<script>alert") for t in hostile), titles
	assert any("&" in t and "<" not in t for t in hostile), titles
	print("\n".join(hostile))
	PY
	cat names
'

test_expect_success BROWSER 'in Chromium: the names show as text and no script of theirs runs' '
	printf "main;hot;leaf 60\nmain;hot 15\nmain;cold;leaf 20\nmain;other 5\n" >plain.folded &&
	"$PFOLD" flame -i plain.folded -o plain.svg &&
	mapfile -t want <names &&
	timeout 120 node "$TEST_DIRECTORY/browser/flame-ui.mjs" "$PWD/plain.svg" "$PWD/jit.svg" "${want[@]}" >tap &&
	cat tap &&
	! grep "^not ok" tap
'

# the workload leaves its perf map behind, as JITs do
[ -f pid ] && rm -f "/tmp/perf-$(cat pid).map"
test_done
