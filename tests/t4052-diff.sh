#!/bin/bash
# SPDX-License-Identifier: MIT
# t4052-diff.sh: pfold diff: differential colours (flamegraph.pl's scale) and the self-cost change table.
test_description='differential flamegraph and top changes'
. "$(dirname "$0")/test-lib.sh"

# frame SVG NAME DEPTH: "fill count" of the frame NAME at DEPTH
frame() {
	python3 - "$@" <<-\PY
	import sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	for g in ET.parse(sys.argv[1]).getroot().iter(ns + "g"):
	    t = g.find(ns + "title")
	    if t is not None and t.text.split("\n")[0] == sys.argv[2] and g.get("data-d") == sys.argv[3]:
	        print(g.find(ns + "rect").get("fill"), g.get("data-w"), g.get("data-s"))
	PY
}

test_expect_success 'setup' '
	printf "main;hot;leaf 75\nmain;cold;leaf 25\nmain;gone 10\n" >base.folded &&
	printf "main;hot;leaf 60\nmain;cold;leaf 50\nmain;new 5\n" >cur.folded
'

# worked out by hand: self deltas cold;leaf +25 (the largest: full red),
# hot;leaf -15 (blue: r = g = int(210 * 10 / 25) = 84), new +5
# (g = b = int(210 * 20 / 25) = 168), hot 0 (white); widths are CUR's
test_expect_success 'red grew, blue shrank, widths of the current profile' '
	"$PFOLD" diff base.folded cur.folded -o d.svg >table &&
	xmllint --noout d.svg &&
	test "$(frame d.svg leaf 3 | sort -k3n | sed -n 1p)" = "rgb(255,0,0) 50 0" &&
	test "$(frame d.svg leaf 3 | sort -k3n | sed -n 2p)" = "rgb(84,84,255) 60 50" &&
	test "$(frame d.svg new 2)" = "rgb(255,168,168) 5 110" &&
	test "$(frame d.svg hot 2)" = "rgb(255,255,255) 60 50" &&
	test -z "$(frame d.svg gone 2)"
'

test_expect_success 'the table: functions by change of self cost' '
	cat table &&
	sed -n 2p table | grep -E "^ +-10 +10 +0 +-100.0%  gone$" &&
	sed -n 3p table | grep -E "^ +\+10 +100 +110 +\+10.0%  leaf$" &&
	sed -n 4p table | grep -E "^ +\+5 +0 +5 +new  new$" &&
	test_line_count = 4 table
'

test_expect_success '--normalize scales the base to the current total (115/110)' '
	"$PFOLD" diff --normalize base.folded cur.folded -o n.svg >ntable &&
	cat ntable &&
	sed -n 2p ntable | grep -E "^ +-10 +10 +0 .* gone$" &&
	sed -n 3p ntable | grep -E "^ +\+5 +105 +110 +\+5.2%  leaf$" &&
	grep "base normalized" ntable
'

test_expect_success '--top limits the table; without -o the table goes to stderr' '
	"$PFOLD" diff --top 1 base.folded cur.folded >out.svg 2>t1 &&
	xmllint --noout out.svg &&
	test_line_count = 2 t1
'

test_expect_success 'flame --diff draws the same graph' '
	"$PFOLD" flame --diff base.folded -i cur.folded -o f.svg &&
	test "$(frame f.svg leaf 3 | sort -k3n | sed -n 1p)" = "rgb(255,0,0) 50 0"
'

# a report.json made by pfold stat, given a profile by hand: first its folded
# artifact (a path relative to the report), then top functions only
test_expect_success PERF 'report.json inputs: their folded file, else their top functions' '
	"$PFOLD" stat -r 1 -o st.json -- true &&
	mkdir -p runs &&
	cp base.folded runs/base.folded &&
	python3 - st.json runs/base.json runs/tops.json <<-\PY &&
	import json, sys
	r = json.load(open(sys.argv[1]))
	r["profile"] = {"top": [], "files": {"folded": "base.folded"}}
	json.dump(r, open(sys.argv[2], "w"))
	r["profile"] = {"top": [{"event": "samples", "total": 110, "functions": [
	    {"name": "leaf", "self": 100, "total": 100}, {"name": "gone", "self": 10, "total": 10}]}],
	    "files": {}}
	json.dump(r, open(sys.argv[3], "w"))
	PY
	"$PFOLD" diff runs/base.json cur.folded -o r.svg >rtable &&
	test_cmp table rtable &&
	"$PFOLD" diff runs/tops.json cur.folded -o t.svg >ttable 2>err &&
	cat ttable &&
	grep "top functions only" err &&
	sed -n 2p ttable | grep -E "^ +-10 +10 +0 +-100.0%  gone$" &&
	sed -n 3p ttable | grep -E "^ +\+10 +100 +110 +\+10.0%  leaf$"
'

test_expect_success 'errors: one input, unknown metric (exit 2)' '
	test_must_fail "$PFOLD" diff base.folded 2>err &&
	test_must_fail "$PFOLD" diff --metric cycles base.folded cur.folded 2>err &&
	grep "cycles" err
'

test_done
