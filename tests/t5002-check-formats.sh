#!/bin/bash
# SPDX-License-Identifier: MIT
# t5002-check-formats.sh: pfold check on saved reports: verdicts, exit codes, formats, bad baselines.
test_description='pfold check on reports'
. "$(dirname "$0")/test-lib.sh"

command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to make and read the reports"

# make_report OUT SCALE [CPU]: a pfold-report/1 written here (not by pfold),
# task-clock and wall-time runs around 400 msec times SCALE
make_report() {
	python3 - "$@" <<-\PY
	import json, sys
	out, scale = sys.argv[1], float(sys.argv[2])
	cpu = sys.argv[3] if len(sys.argv) > 3 else "Test CPU"
	ev = lambda name, base: {"name": name, "unit": "msec", "counted": True, "fallback": None,
	                         "values": [round((base + i) * scale, 3) for i in (0, 3, -2, 1, -1)]}
	d = {"format": "pfold-report/1", "tool": {"name": "pfold", "version": "0"},
	     "command": ["./bench", "<arg & \"x\">"],
	     "host": {"cpu_model": cpu, "kernel": "6.1", "arch": "x86_64", "ncpus": 2, "pmu": False},
	     "events": [{"name": "instructions", "unit": "", "counted": False,
	                 "fallback": "dropped: no PMU", "values": []},
	                ev("task-clock", 400), ev("wall-time", 410), ev("cpu-time", 401)]}
	json.dump(d, open(out, "w"))
	PY
}

test_expect_success 'set up reports' '
	make_report base.json 1 &&
	make_report same.json 1.004 &&
	make_report slow15.json 1.15 &&
	make_report slow5.json 1.05 &&
	make_report fast.json 0.8 &&
	make_report otherhost.json 1 "Other CPU"
'

test_expect_success 'A/A: exit 0, unchanged, task-clock named with the reason' '
	"$PFOLD" check base.json same.json >out &&
	grep -q "^verdict:   unchanged" out &&
	grep -q "^metric:    task-clock (no hardware PMU on either side: instructions not counted, cycles not counted; fallback to task-clock)" out &&
	grep -q "^  task-clock  *+0.4% (within 10.0%) *unchanged" out &&
	grep -q "^command:   ./bench .<arg & \"x\">." out &&
	grep -q "^duration:  5 runs" out
'

test_expect_success '+15% is a regression: exit 1' '
	test_expect_code 1 "$PFOLD" check base.json slow15.json >out &&
	grep -q "^  task-clock  *+15.0% (over 10.0%) *regression" out &&
	grep -q "^verdict:   regression" out
'

test_expect_success '+5% with a 10% threshold is not; with 3% it is' '
	"$PFOLD" check base.json slow5.json >out &&
	grep -q "+5.0% (within 10.0%)" out &&
	test_expect_code 1 "$PFOLD" check --threshold 3% base.json slow5.json >out &&
	grep -q "+5.0% (over 3.0%)" out &&
	test_expect_code 1 "$PFOLD" check --threshold 0.03 base.json slow5.json >/dev/null
'

test_expect_success 'faster is an improvement: exit 0' '
	"$PFOLD" check base.json fast.json >out &&
	grep -q "^verdict:   improvement" out
'

test_expect_success '--metric chooses the deciding metric; a metric not counted is an error' '
	test_expect_code 1 "$PFOLD" check --metric wall-time base.json slow15.json >out &&
	grep -q "^metric:    wall-time (named with --metric)" out &&
	test_must_fail "$PFOLD" check --metric cycles base.json slow15.json 2>err &&
	grep -q "metric .cycles. is not counted in the baseline" err
'

test_expect_success 'junit: well-formed, one testcase per metric, a failure for the regression' '
	test_expect_code 1 "$PFOLD" check --format junit -o junit.xml base.json slow15.json &&
	python3 - junit.xml <<-\PY
	import sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[1]).getroot()
	cases = root.findall(".//testcase")
	names = sorted(c.get("name") for c in cases)
	# the metrics counted on both sides: task-clock, wall-time, cpu-time
	assert names == ["cpu-time", "task-clock", "wall-time"], names
	failed = [c.get("name") for c in cases if c.find("failure") is not None]
	assert failed == ["task-clock"], failed
	suite = root.find("testsuite")
	assert suite.get("tests") == "3" and suite.get("failures") == "1"
	assert "<arg & \"x\">" in suite.get("name"), suite.get("name")
	PY
'

test_expect_success 'junit of a pass has no failure' '
	"$PFOLD" check --format junit base.json same.json >junit.xml &&
	python3 -c "import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); assert len(r.findall(\".//testcase\")) == 3 and not r.findall(\".//failure\")" junit.xml
'

test_expect_success 'markdown: a table with a header, a separator and one row per metric' '
	test_expect_code 1 "$PFOLD" check --format markdown base.json slow15.json >md &&
	grep "^|" md >table &&
	test_line_count = 5 table &&
	sed -n 1p table | grep -q "^| metric | baseline | current | change | 95% CI | verdict |$" &&
	sed -n 2p table | grep -q "^|---|---:|---:|---:|---|---|$" &&
	grep -q "^| \*\*task-clock\*\* | .* | +15.0% (over 10.0%) | .* | regression |$" table &&
	for l in 3 4 5; do test "$(sed -n ${l}p table | tr -cd "|" | wc -c)" = 7 || exit 1; done &&
	grep -q "&lt;arg &amp; \"x\"&gt;" md
'

test_expect_success 'json: parses, names the verdict and every metric' '
	test_expect_code 1 "$PFOLD" check --format json base.json slow15.json >c.json &&
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); assert d[\"verdict\"] == \"regression\"; assert sorted(m[\"name\"] for m in d[\"metrics\"]) == [\"cpu-time\", \"task-clock\", \"wall-time\"]; assert abs([m for m in d[\"metrics\"] if m[\"name\"] == \"task-clock\"][0][\"change\"] - 0.15) < 1e-9" c.json
'

test_expect_success 'another host: a warning; with --strict an error' '
	"$PFOLD" check base.json otherhost.json >out 2>err &&
	grep -q "^pfold: warning: the baseline comes from another CPU (.Test CPU., here .Other CPU.)" err &&
	grep -q "^warning: " out &&
	test_must_fail "$PFOLD" check --strict base.json otherhost.json >out 2>err &&
	grep -q "^pfold: base.json: the baseline comes from another CPU.*(--strict)" err
'

test_expect_success 'bad baselines exit 2 naming the file, never a pass' '
	echo "not json at all" >notjson.json &&
	python3 -c "import json; d = json.load(open(\"base.json\")); d[\"format\"] = \"pfold-report/9\"; json.dump(d, open(\"v9.json\", \"w\"))" &&
	head -c 300 base.json >trunc.json &&
	: >empty.json &&
	echo "{\"cpu\": 1}" >other.json &&
	for b in notjson v9 trunc empty other missing; do
		test_must_fail "$PFOLD" check $b.json same.json >out 2>err || exit 1
		test ! -s out || exit 1
		grep -q "^pfold: $b.json: " err || { cat err; exit 1; }
		test_line_count = 1 err || exit 1
	done &&
	grep -q "pfold-report/9. is not supported" <("$PFOLD" check v9.json same.json 2>&1) &&
	grep -q "end of input at offset 300" <("$PFOLD" check trunc.json same.json 2>&1) &&
	test_must_fail "$PFOLD" check base.json trunc.json 2>err &&
	grep -q "^pfold: trunc.json: " err
'

test_expect_success 'usage errors exit 2' '
	test_must_fail "$PFOLD" check base.json 2>err &&
	test_must_fail "$PFOLD" check --format yaml base.json same.json 2>err &&
	grep -q "unknown format" err &&
	test_must_fail "$PFOLD" check --threshold abc base.json same.json 2>err &&
	grep -q "threshold" err
'

test_done
