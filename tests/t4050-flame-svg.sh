#!/bin/bash
# SPDX-License-Identifier: MIT
# t4050-flame-svg.sh: pfold flame: flamegraph.pl's frames and widths, escaping, counters, colours.
test_description='flamegraph SVG layout, escaping and counters'
. "$(dirname "$0")/test-lib.sh"

ORACLE="$TEST_DIRECTORY/flame-oracle.py"

# gen SEED N: N random stacks over names that exercise flamegraph.pl's sort
# order ("foo" < "foo!bar" < "foo;..." byte-wise), spaces, UTF-8, annotations
gen() {
	python3 - "$1" "$2" <<-\PY
	import random, sys
	random.seed(int(sys.argv[1]))
	names = ["main", "foo", "foo!bar", "foo_bar", "Foo", "a b", "x_[k]", "jit_[j]",
	         "inl_[i]", "\u00e9t\u00e9", "z", "-"]
	out = {}
	for i in range(int(sys.argv[2])):
	    st = ";".join(random.choice(names) for _ in range(random.randint(1, 8)))
	    out[st] = out.get(st, 0) + random.choice([1, 1, 2, 5, 50, 1000, 20000])
	for k, v in out.items():
	    print("%s %d" % (k, v))
	PY
}

# tooltip SVG NAME: the title lines of the frame NAME, then its fill and y
tooltip() {
	python3 - "$1" "$2" <<-\PY
	import sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	for g in ET.parse(sys.argv[1]).getroot().iter(ns + "g"):
	    t = g.find(ns + "title")
	    if t is not None and t.text.split("\n")[0] == sys.argv[2]:
	        print(t.text)
	        r = g.find(ns + "rect")
	        print("fill=" + r.get("fill") + " y=" + r.get("y"))
	PY
}

test_expect_success 'a FlameGraph folded file gives flamegraph.pl frames, counts and widths' '
	gen 1 3000 >r.folded &&
	"$PFOLD" flame -i r.folded -o r.svg &&
	xmllint --noout r.svg &&
	python3 "$ORACLE" r.folded r.svg
'

test_expect_success 'every frame drawn with --minwidth 0, at another width' '
	gen 2 500 >s.folded &&
	"$PFOLD" flame -i s.folded --minwidth 0 --width 700 -o s.svg &&
	python3 "$ORACLE" s.folded s.svg --minwidth 0 --width 700
'

test_expect_success '--minwidth merges narrow frames into boxes that keep their total' '
	"$PFOLD" flame -i r.folded --minwidth 5 -o m.svg &&
	python3 "$ORACLE" r.folded m.svg --minwidth 5 >out &&
	cat out &&
	grep "merged boxes: [1-9]" out &&
	grep -q "narrow frames\]" m.svg &&
	grep -q "frames narrower than 5 px merged" m.svg
'

test_expect_success 'standard input gives the same SVG' '
	"$PFOLD" flame -i - <r.folded >r2.svg &&
	cmp r.svg r2.svg
'

test_expect_success 'hostile names are escaped: text, never markup or script' '
	{
		echo "main;<script>alert(1)</script> 5" &&
		echo "main;\"&'"'"' 4" &&
		echo "main;]]></title><script>alert(2)</script> 3" &&
		printf "main;\377\376bytes 1\n" &&
		printf "main;ctl_\001z 1\n"
	} >hostile.folded &&
	"$PFOLD" flame -i hostile.folded -o h.svg &&
	xmllint --noout h.svg &&
	python3 - h.svg <<-\PY
	import sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	root = ET.parse(sys.argv[1]).getroot()
	scripts = list(root.iter(ns + "script"))
	assert len(scripts) == 1, "%d script elements" % len(scripts)
	assert "alert" not in scripts[0].text, "a name reached the script"
	names = [g.find(ns + "title").text.split("\n")[0] for g in root.iter(ns + "g")
	         if g.get("class") == "f"]
	for want in ["<script>alert(1)</script>", "\"&\x27", "]]></title><script>alert(2)</script>",
	             "??bytes", "ctl_?z"]:
	    assert want in names, (want, names)
	print("ok", names)
	PY
'

test_expect_success 'multi-column input: tooltips carry every counter, self counts and ratios' '
	cat >multi.folded <<-\EOF &&
	# pfold-folded events=cycles,instructions,cache-misses,cache-references
	main;compute 1000 3000 10 100
	main;alloc;memset 500 500 40 50
	main;alloc 100 50 5 10
	EOF
	"$PFOLD" flame -i multi.folded -o multi.svg &&
	tooltip multi.svg main >main.txt && cat main.txt &&
	grep -x "1,600 cycles, 100.00%" main.txt &&
	grep -x "instructions: 3,550 (100.00%), self 0" main.txt &&
	grep -x "cache-misses: 55 (100.00%), self 0" main.txt &&
	grep "^cache-references: 160 " main.txt &&
	grep -x "IPC: 2.219" main.txt &&
	grep -x "CPI: 0.451" main.txt &&
	grep -x "cache-misses per 1000 instructions: 15.493" main.txt &&
	grep -x "cache-misses rate: 34.38%" main.txt &&
	tooltip multi.svg alloc >alloc.txt && cat alloc.txt &&
	grep -x "600 cycles, 37.50%" alloc.txt &&
	grep -x "instructions: 550 (15.49%), self 50" alloc.txt &&
	grep -x "cache-misses: 45 (81.82%), self 5" alloc.txt &&
	grep -x "IPC: 0.917" alloc.txt
'

test_expect_success '--metric picks the width' '
	"$PFOLD" flame -i multi.folded --metric cache-misses -o cm.svg &&
	python3 "$ORACLE" multi.folded cm.svg --metric-col 2 &&
	tooltip cm.svg alloc | grep -x "45 cache-misses, 81.82%"
'

test_expect_success '--color-by colours by the ratio on a legend scale' '
	"$PFOLD" flame -i multi.folded --color-by cache-misses/instructions -o c.svg &&
	grep -q "id=\"legend-scale\"" c.svg &&
	tooltip c.svg alloc | grep "fill=rgb(180,20,20)" &&
	tooltip c.svg compute | grep "fill=rgb(255,245,170)" &&
	tooltip c.svg alloc | grep -x "cache-misses/instructions: 0.08182"
'

test_expect_success 'the default palette tells kernel, JIT and inlined frames apart' '
	printf "main;k_[k] 1\nmain;j_[j] 1\nmain;i_[i] 1\nmain;u 1\n" >kinds.folded &&
	"$PFOLD" flame -i kinds.folded -o kinds.svg &&
	tooltip kinds.svg "k_[k]" | grep "fill=rgb([0-9]*,[0-9]*,0) " &&
	tooltip kinds.svg "j_[j]" | grep "fill=rgb([0-9]*,2[0-9][0-9],[0-9]*) " &&
	tooltip kinds.svg "i_[i]" | grep "fill=rgb([0-9]*,[12][0-9][0-9],[12][0-9][0-9]) " &&
	tooltip kinds.svg "u" | grep "fill=rgb(2[0-5][0-9],[0-9]*,[0-9]) \|fill=rgb(2[0-5][0-9],[0-9]*,[0-5][0-9]) "
'

test_expect_success '--icicle puts the root at the top; --title and the subtitle' '
	"$PFOLD" flame -i multi.folded --icicle --title "T<&>" -o i.svg &&
	xmllint --noout i.svg &&
	root_y=$(tooltip i.svg all | sed -n "s/.* y=//p") &&
	leaf_y=$(tooltip i.svg memset | sed -n "s/.* y=//p") &&
	python3 -c "import sys; sys.exit(0 if $root_y < $leaf_y else 1)" &&
	grep -q ">T&lt;&amp;&gt;</text>" i.svg &&
	grep -q "width: cycles; totals: cycles 1,600, instructions 3,550" i.svg
'

test_expect_success 'errors: missing input, unknown events, no samples (exit 2)' '
	test_must_fail "$PFOLD" flame -i nosuch.folded -o x.svg 2>err &&
	grep "^pfold: .*nosuch.folded" err &&
	test_must_fail "$PFOLD" flame -i multi.folded --metric nosuch 2>err &&
	grep "nosuch" err &&
	test_must_fail "$PFOLD" flame -i multi.folded --color-by cycles 2>err &&
	test_must_fail "$PFOLD" flame -i multi.folded --color-by cycles/nosuch 2>err &&
	test_must_fail "$PFOLD" flame -i multi.folded --minwidth -1 2>err &&
	: >empty.folded &&
	test_must_fail "$PFOLD" flame -i empty.folded 2>err &&
	printf "main;a 0\n" >zero.folded &&
	test_must_fail "$PFOLD" flame -i zero.folded 2>err &&
	test ! -f x.svg
'

test_done
