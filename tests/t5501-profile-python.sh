#!/bin/bash
# SPDX-License-Identifier: MIT
# t5501-profile-python.sh: pfold profile on the bundled Python example (the README main job), and its blame list with --python.
test_description='pfold profile on tests/workloads/example.py'
. "$(dirname "$0")/test-lib.sh"

command -v python3 >/dev/null 2>&1 || test_skip_all "no python3"
test_have_prereq PERF || test_skip_all "perf_event_open does not work here"

EXAMPLE="$abs_top_srcdir/tests/workloads/example.py"
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

test_expect_success 'the example: --fast does half the work, in hot()' '
	python3 - "$EXAMPLE" <<-\PY
	import runpy, sys
	calls = {"hot": 0, "cold": 0}
	mod = runpy.run_path(sys.argv[1], run_name="example")
	for name in ("hot", "cold"):
	    f = mod[name]
	    def wrap(units, f=f, name=name):
	        calls[name] += units
	        return f(units)
	    mod["main"].__globals__[name] = wrap
	mod["main"](["4"])
	assert calls == {"hot": 12, "cold": 4}, calls
	calls.update(hot=0, cold=0)
	mod["main"](["4", "--fast"])
	assert calls == {"hot": 4, "cold": 4}, calls
	PY
'

# the README main job, in a scratch directory: default DIR and NAME
test_expect_success 'pfold profile -- python3 example.py writes the files and prints the report' '
	mkdir readme && (
		cd readme &&
		"$PFOLD" profile -r 2 -- python3 "$EXAMPLE" 10 >../report 2>../err
	) &&
	ls readme/artifacts/profiling >files &&
	test_line_count = 4 files &&
	for ext in data folded svg json; do
		grep -q "^python3_[0-9]\{8\}_[0-9]\{6\}\.$ext$" files || exit 1
		grep -q "artifacts/profiling/python3_[0-9_]*\.$ext$" report || exit 1
	done &&
	grep "^metric: " report &&
	grep "^top functions" report &&
	j=$(ls readme/artifacts/profiling/*.json) &&
	test "$(jget "$j" "d[\"runs\"]")" = 2 &&
	test "$(jget "$j" "len(d[\"profile\"][\"top\"][0][\"functions\"]) > 0")" = True
'

PY312=$(python_version 3.12)
if [ -n "$PY312" ]; then test_set_prereq PY312; fi

test_expect_success PY312 '--python: the profile names hot and cold (example.py), 1:1 in the fast variant' '
	"$PFOLD" profile -o py --name base --python -F 2999 -r 5 -- "$PY312" "$EXAMPLE" 20 --fast >base.out 2>&1 &&
	cp py/base_*.json base.json &&
	awk "{ w = \$NF } /;hot \(example.py\)(;[^(;]*)* [0-9]+$/ { h += w } /;cold \(example.py\)(;[^(;]*)* [0-9]+$/ { c += w }
	     END { print h, c; exit !(c > 0 && h / c > 0.7 && h / c < 1.4) }" py/base_*.folded
'

test_expect_success PY312 'the default variant against it: exit 1, hot (example.py) blamed first' '
	test_expect_code 1 "$PFOLD" profile -o py --name cur --python -F 2999 -r 5 --compare base.json \
		--fail-on-regression -- "$PY312" "$EXAMPLE" 20 >cur.out 2>err &&
	grep "^verdict: *regression" cur.out &&
	sed -n "/^blame/{n;p;}" cur.out >first &&
	cat first &&
	grep " hot (example.py)$" first
'

# Python 3.12 leaves its perf maps in /tmp: remove those of this test's runs
rm -f $(grep -l "example.py" /tmp/perf-*.map 2>/dev/null | while read -r m; do
	pid=${m#/tmp/perf-}; pid=${pid%.map}; kill -0 "$pid" 2>/dev/null || echo "$m"; done)

test_done
