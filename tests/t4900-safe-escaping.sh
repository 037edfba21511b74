#!/bin/bash
# SPDX-License-Identifier: MIT
# t4900-safe-escaping.sh: hostile frame, event and command names stay text in every SVG, XML and JSON output (flame, diff, export, check, history, stat).
test_description='names are escaped for their context in SVG, XML and JSON outputs'
. "$(dirname "$0")/test-lib.sh"

CHECK="$TEST_DIRECTORY/helpers/markup-check.py"
command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to parse the outputs"

N1='<script>alert(1)</script>'
N2='"&'"'"'<>'
N3=']]><!-- x -->'
N4='</text><image href=x onerror=alert(1)/>'

# benign.folded and hostile.folded have the same shape; hostile adds control
# bytes and invalid UTF-8 that must come out replaced, never raw.
cat >benign.folded <<EOT
main;alpha;beta 30
main;gamma 10
main;delta;epsilon 5
other;zeta 2
EOT
{
	printf 'main;%s;%s 30\n' "$N1" "$N2"
	printf 'main;%s 10\n' "$N3"
	printf 'main;%s;bad\001\033[31m\377\376 5\n' "$N4"
	printf 'other;zeta 2\n'
} >hostile.folded

# no_raw FILE: no control byte but tab/newline/CR, valid UTF-8
no_raw() {
	python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
d.decode("utf-8")
bad = [c for c in d if c < 32 and c not in (9, 10, 13)]
sys.exit(1 if bad else 0)' "$1"
}

test_expect_success 'flame: names are text in the SVG, never markup; raw bytes replaced' '
	"$PFOLD" flame -i benign.folded -o benign.svg &&
	"$PFOLD" flame -i hostile.folded -o hostile.svg &&
	python3 "$CHECK" xml benign.svg hostile.svg "$N1" "$N2" "$N3" "$N4" &&
	no_raw hostile.svg &&
	! grep -q "<script>alert" hostile.svg &&
	! grep -q "<image" hostile.svg
'

test_expect_success 'flame --icicle, --title and an event named like markup' '
	{ printf "# pfold-folded events=%s,b&c\n" "$N1" && sed "s/\$/ 1/" hostile.folded; } >multi.folded &&
	{ printf "# pfold-folded events=%s,b&c\n" "ev" && sed "s/\$/ 1/" benign.folded; } >multi-benign.folded &&
	"$PFOLD" flame -i multi-benign.folded --color-by "b&c/ev" --title plain -o mb.svg &&
	"$PFOLD" flame -i multi.folded --icicle --color-by "b&c/$N1" --title "$N3" -o mh.svg &&
	python3 "$CHECK" xml mb.svg mh.svg "$N1" "$N2" "$N3" "b&c" &&
	no_raw mh.svg
'

test_expect_success 'diff: the SVG and its table keep names as text' '
	sed "s/ 30\$/ 60/" benign.folded >benign2.folded &&
	sed "s/ 30\$/ 60/" hostile.folded >hostile2.folded &&
	"$PFOLD" diff benign.folded benign2.folded -o bdiff.svg 2>/dev/null &&
	"$PFOLD" diff hostile.folded hostile2.folded -o hdiff.svg 2>/dev/null &&
	python3 "$CHECK" xml bdiff.svg hdiff.svg "$N1" "$N2" &&
	no_raw hdiff.svg
'

test_expect_success 'export json and speedscope: strict JSON, names round-trip' '
	"$PFOLD" export --to json -i hostile.folded -o h.json &&
	python3 "$CHECK" json h.json "$N1" "$N2" "$N3" "$N4" &&
	no_raw h.json &&
	"$PFOLD" export --to speedscope -i hostile.folded -o h.speedscope.json &&
	python3 "$CHECK" json h.speedscope.json "$N1" "$N2" "$N3" "$N4" &&
	no_raw h.speedscope.json
'

# a report pair whose event is named like markup, the second 2x slower
make_reports() {
	"$PFOLD" stat -r 8 -e task-clock -o base.json -- true 2>/dev/null &&
	python3 - "$1" <<-PY
	import json, sys
	r = json.load(open("base.json"))
	for e in r["events"]:
	    if e["name"] == "task-clock":
	        e["name"] = sys.argv[1]
	r["metric"] = {"name": sys.argv[1], "reason": sys.argv[1]}
	r["command"] = [sys.argv[1], "&amp;"]
	json.dump(r, open("base.json", "w"))
	for e in r["events"]:
	    e["values"] = [v * 2 for v in e["values"]]
	json.dump(r, open("cur.json", "w"))
	PY
}

test_expect_success 'check --format junit: well-formed XML, the name is text' '
	make_reports "plain-metric" &&
	test_expect_code 1 "$PFOLD" check base.json cur.json --format junit -o b.xml &&
	make_reports "$N1$N2" &&
	test_expect_code 1 "$PFOLD" check base.json cur.json --format junit -o h.xml &&
	python3 "$CHECK" xml b.xml h.xml "$N1$N2" &&
	no_raw h.xml
'

test_expect_success 'check --format json: strict JSON, the name round-trips' '
	make_reports "$N1$N2" &&
	test_expect_code 1 "$PFOLD" check base.json cur.json --format json -o h.json &&
	python3 "$CHECK" json h.json "$N1$N2"
'

test_expect_success 'stat: a command line with markup and control bytes round-trips in report.json' '
	"$PFOLD" stat -r 1 -e task-clock -o r.json -- sh -c "exit 0" "$N1" "$N2" "$(printf "a\001b")" 2>/dev/null &&
	python3 "$CHECK" json r.json "$N1" "$N2" "$(printf "a\001b")" &&
	no_raw r.json
'

test_expect_success 'history trend: names from reports are text in the trend SVG' '
	make_reports "plain-metric" &&
	"$PFOLD" history add base.json --db b.db --name bench --commit 1111111 &&
	"$PFOLD" history add cur.json --db b.db --name bench --commit 2222222 &&
	"$PFOLD" history trend --db b.db --name bench --metric plain-metric -o b.svg &&
	make_reports "$N1" &&
	"$PFOLD" history add base.json --db h.db --name "$N2" --commit 1111111 &&
	"$PFOLD" history add cur.json --db h.db --name "$N2" --commit 2222222 &&
	"$PFOLD" history trend --db h.db --name "$N2" --metric "$N1" -o h.svg &&
	python3 "$CHECK" xml b.svg h.svg "$N1" &&
	no_raw h.svg
'

test_done
