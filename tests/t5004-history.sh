#!/bin/bash
# SPDX-License-Identifier: MIT
# t5004-history.sh: pfold history: add, list, baseline, trend SVG; bad reports and databases.
test_description='pfold history'
. "$(dirname "$0")/test-lib.sh"

command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to make and read the reports"

# make_report OUT MEDIAN: a pfold-report/1 whose task-clock runs have median MEDIAN
make_report() {
	python3 - "$@" <<-\PY
	import json, sys
	out, m = sys.argv[1], float(sys.argv[2])
	d = {"format": "pfold-report/1", "command": ["./bench"], "git_commit": "%040x" % int(m),
	     "host": {"cpu_model": "Test CPU", "kernel": "6.1", "arch": "x86_64", "ncpus": 2, "pmu": False},
	     "events": [{"name": "task-clock", "unit": "msec", "counted": True,
	                 "values": [m - 2, m + 5, m, m + 1, m - 1]},
	                {"name": "wall-time", "unit": "msec", "counted": True, "values": [m + 10] * 3}]}
	json.dump(d, open(out, "w"))
	PY
}

test_expect_success 'add three reports on two branches' '
	make_report a.json 100 && make_report b.json 120 && make_report c.json 90 &&
	"$PFOLD" history add a.json --db h.db --name bench --branch main >out &&
	grep -q "^added a.json as #1$" out &&
	"$PFOLD" history add b.json --db h.db --name bench --branch main &&
	"$PFOLD" history add c.json --db h.db --name bench --branch topic
'

test_expect_success 'list: oldest first, the median of each report, its commit' '
	"$PFOLD" history list --db h.db --name bench >out &&
	test_line_count = 4 out &&
	awk "NR > 1 { print \$1, \$5, \$6 }" out >got &&
	printf "1 task-clock 100\n2 task-clock 120\n3 task-clock 90\n" >want &&
	test_cmp want got &&
	grep -q "^2 .* 000000000000 *main " out
'

test_expect_success 'list --branch and --metric select' '
	"$PFOLD" history list --db h.db --branch topic --metric wall-time >out &&
	test_line_count = 2 out &&
	awk "NR == 2 { print \$1, \$5, \$6 }" out >got &&
	echo "3 wall-time 100" >want &&
	test_cmp want got
'

test_expect_success 'baseline: the newest report of the branch, a report check reads' '
	"$PFOLD" history baseline --db h.db --name bench --branch main -o base.json &&
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); assert d[\"events\"][0][\"values\"][0] == 118" base.json &&
	test_expect_code 1 "$PFOLD" check a.json base.json >/dev/null &&
	"$PFOLD" check --threshold 20% base.json b.json >/dev/null
'

test_expect_success 'trend: well-formed SVG with one point per report' '
	"$PFOLD" history trend --db h.db --name bench -o t.svg &&
	python3 -c "import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); c = r.findall(\".//{http://www.w3.org/2000/svg}circle\"); assert len(c) == 3, len(c)" t.svg
'

test_expect_success 'bad input: a bad report, not a database, no such database, nothing stored' '
	echo "{\"format\": \"pfold-report/7\"}" >v7.json &&
	test_must_fail "$PFOLD" history add v7.json --db h.db 2>err &&
	grep -q "^pfold: v7.json: report format .pfold-report/7. is not supported" err &&
	echo "not sqlite" >junk.db &&
	test_must_fail "$PFOLD" history list --db junk.db 2>err &&
	grep -q "^pfold: junk.db: not a pfold history database" err &&
	test_must_fail "$PFOLD" history list --db missing.db 2>err &&
	test ! -e missing.db &&
	test_must_fail "$PFOLD" history baseline --db h.db --name other 2>err &&
	grep -q "no report in the history named other" err &&
	test_must_fail "$PFOLD" history frob --db h.db 2>err
'

test_done
