#!/bin/bash
# SPDX-License-Identifier: MIT
# t5500-profile-job.sh: pfold profile: the files and their names, the report, the verdict, blame, --update-baseline, --markdown, errors.
test_description='pfold profile, the one-shot job'
. "$(dirname "$0")/test-lib.sh"

command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to read the reports"

# independent reads of a report with python3's json
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
# the newest report of a directory
newest() { ls -t "$1"/*.json | head -n 1; }

# regress ROUNDS HOT: main -> hot (HOT units) | cold (1 unit), each burning its own loop
REGRESS="$WORKLOADS/regress"

# ---- errors: no kernel access needed (the baseline is read before anything runs) ----

test_expect_success 'a baseline that is not JSON: exit 2 naming it, nothing run' '
	printf "not json\n" >notjson.json &&
	test_expect_code 2 "$PFOLD" profile -o bad1 --compare notjson.json -- "$REGRESS" 1 1 >stdout 2>err &&
	grep "notjson.json" err &&
	! test -e bad1
'

test_expect_success 'a baseline of an unknown format version: exit 2 naming it' '
	printf "{\"format\": \"pfold-report/99\", \"runs\": 1}\n" >v99.json &&
	test_expect_code 2 "$PFOLD" profile -o bad2 --compare v99.json -- "$REGRESS" 1 1 >stdout 2>err &&
	grep "v99.json" err && grep "pfold-report/99" err &&
	! test -e bad2
'

test_expect_success 'another JSON document (not a report): exit 2' '
	printf "[1, 2, 3]\n" >array.json &&
	test_expect_code 2 "$PFOLD" profile -o bad3 --compare array.json -- "$REGRESS" 1 1 2>err &&
	grep "array.json" err
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 "$PFOLD" profile -o bad4 2>err &&
	grep "no command" err &&
	test_expect_code 2 "$PFOLD" profile --threshold ten -- true 2>err &&
	grep threshold err &&
	test_expect_code 2 "$PFOLD" profile -r 0 -- true 2>err &&
	test_expect_code 2 "$PFOLD" profile --call-graph lbr -- true 2>err &&
	! test -e bad4 && ! test -e artifacts
'

# perf_event_open refused (as in a container under Docker's seccomp profile):
# a preloaded syscall() that fails it with EACCES
test_expect_success NO_SANITIZERS 'perf_event_open refused: no profile, the counting runs still give a report' '
	cat >noperf.c <<-\EOF &&
	#define _GNU_SOURCE
	#include <dlfcn.h>
	#include <errno.h>
	#include <stdarg.h>
	#include <sys/syscall.h>
	long syscall(long nr, ...)
	{
		static long (*real)(long, ...);
		long a[6];
		va_list ap;
		int i;

		if (nr == SYS_perf_event_open) {
			errno = EACCES;
			return -1;
		}
		if (!real)
			real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
		va_start(ap, nr);
		for (i = 0; i < 6; i++)
			a[i] = va_arg(ap, long);
		va_end(ap);
		return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	EOF
	${CC:-cc} -shared -fPIC -o noperf.so noperf.c -ldl &&
	LD_PRELOAD=$PWD/noperf.so "$PFOLD" profile -o noperf -r 2 -- "$REGRESS" 20 1 >np.out 2>np.err &&
	grep "no profile recorded" np.err &&
	grep "^note: *no profile: .*ermission denied" np.out &&
	ls noperf >files &&
	test_line_count = 1 files &&
	j=noperf/$(cat files) &&
	test "$(jget "$j" "d[\"runs\"]")" = 2 &&
	test "$(jget "$j" "d[\"metric\"][\"name\"]")" = cpu-time &&
	test "$(jget "$j" "len([e for e in d[\"events\"] if e[\"name\"]==\"cpu-time\"][0][\"values\"])")" = 2
'

# ---- the job ----

test_expect_success PERF 'profile writes DIR/NAME_YYYYmmdd_HHMMSS.{data,folded,svg,json}' '
	before=$(date -u +%s) &&
	"$PFOLD" profile -o out -r 3 -F 4999 -- "$REGRESS" 400 1 >report 2>err &&
	after=$(date -u +%s) &&
	ls out >files &&
	test_line_count = 4 files &&
	stem=$(sed -n "s/^\(regress_[0-9]\{8\}_[0-9]\{6\}\)\.json$/\1/p" files) &&
	test -n "$stem" &&
	for ext in data folded svg json; do test -s "out/$stem.$ext" || exit 1; done &&
	stamp=${stem#regress_} &&
	t=$(date -u -d "${stamp:0:8} ${stamp:9:2}:${stamp:11:2}:${stamp:13:2}" +%s) &&
	test "$t" -ge $((before - 1)) && test "$t" -le "$after" &&
	for ext in data folded svg json; do grep -F "out/$stem.$ext" report || exit 1; done &&
	echo "$stem" >stem
'

test_expect_success PERF 'the perf.data file is read by perf script' '
	stem=$(cat stem) &&
	perf script -i "out/$stem.data" >script 2>/dev/null &&
	grep -q "regress" script &&
	grep -q "hot" script && grep -q "cold" script
'

test_expect_success PERF 'the folded file splits hot:cold as the workload does (1:1, +-30%)' '
	stem=$(cat stem) &&
	awk "{ w = \$NF } /;main;hot( |;)/ { h += w } /;main;cold( |;)/ { c += w }
	     END { print h, c; exit !(c > 0 && h / c > 0.7 && h / c < 1.3) }" "out/$stem.folded"
'

test_expect_success PERF 'the SVG is well-formed XML naming hot and cold' '
	stem=$(cat stem) &&
	python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "out/$stem.svg" &&
	grep -q ">hot<\|hot (" "out/$stem.svg" && grep -q "cold" "out/$stem.svg"
'

test_expect_success PERF 'report.json: counting runs, the profile top functions, the files' '
	stem=$(cat stem) && j="out/$stem.json" &&
	test "$(jget "$j" "d[\"format\"]")" = pfold-report/1 &&
	test "$(jget "$j" "d[\"runs\"]")" = 3 &&
	test "$(jget "$j" "\" \".join(d[\"command\"][1:])")" = "400 1" &&
	test "$(jget "$j" "len([e for e in d[\"events\"] if e[\"name\"]==\"task-clock\"][0][\"values\"])")" = 3 &&
	python3 - "$j" "$stem" <<-\PY
	import json, sys
	d = json.load(open(sys.argv[1]))
	stem = sys.argv[2]
	files = d["profile"]["files"]
	assert files["svg"] == "out/%s.svg" % stem, files
	assert files["folded"] == "out/%s.folded" % stem, files
	assert files["data"] == "out/%s.data" % stem, files
	t = d["profile"]["top"][0]
	funcs = t["functions"]
	names = [f["name"] for f in funcs[:2]]
	assert sorted(names) == ["cold", "hot"], names
	for f in funcs[:2]:
	    assert 0.3 < f["self"] / t["total"] < 0.7, (f, t["total"])
	# the folded file agrees with the top list: the self cost of hot is the sum of stacks ending in hot
	hot = 0
	for line in open("out/%s.folded" % stem):
	    st, w = line.rsplit(" ", 1)
	    if st.split(";")[-1] == "hot":
	        hot += int(w)
	assert hot == [f for f in funcs if f["name"] == "hot"][0]["self"], hot
	PY
'

test_expect_success PERF 'without a PMU the report says the metric is task-clock and why' '
	stem=$(cat stem) && j="out/$stem.json" &&
	if test "$(jget "$j" "d[\"host\"][\"pmu\"]")" = False; then
		grep "^metric: *task-clock (no hardware PMU" report &&
		grep "sampled cpu-clock instead" err &&
		test "$(jget "$j" "d[\"metric\"][\"name\"]")" = task-clock
	else
		grep "^metric: *instructions" report
	fi
'

test_expect_success PERF 'two jobs in the same second do not overwrite each other' '
	"$PFOLD" profile -o same --name x -r 1 -- true >/dev/null 2>&1 &&
	"$PFOLD" profile -o same --name x -r 1 -- true >/dev/null 2>&1 &&
	ls same/*.json >jsons &&
	test_line_count = 2 jsons
'

test_expect_success PERF 'a command that fails is an error (exit 2), not a baseline' '
	test_expect_code 2 "$PFOLD" profile -o failing -r 1 -- sh -c "exit 3" 2>err &&
	grep "status 3" err &&
	! ls failing/*.json 2>/dev/null
'

# ---- comparing: a baseline of the fast variant, then the default (2x, the extra all in hot) ----

test_expect_success PERF 'a baseline from the fast variant' '
	"$PFOLD" profile -o cmp --name bench -r 5 -F 4999 -- "$REGRESS" 150 1 >base.out 2>&1 &&
	cp "$(newest cmp)" base.json
'

test_expect_success PERF 'the slower variant: exit 1 under --fail-on-regression, hot blamed first' '
	test_expect_code 1 "$PFOLD" profile -o cmp --name bench -r 5 -F 4999 --compare base.json \
		--fail-on-regression --markdown summary.md -- "$REGRESS" 150 3 >cur.out 2>err &&
	grep "^verdict: *regression" cur.out &&
	sed -n "/^blame/{n;p;}" cur.out >first &&
	cat first &&
	grep " hot$" first
'

test_expect_success PERF 'the new report carries the comparison paths; a diff flamegraph is drawn' '
	j=$(newest cmp) &&
	d=$(jget "$j" "d[\"profile\"][\"files\"][\"diff-svg\"]") &&
	test -s "$d" &&
	python3 -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" "$d"
'

test_expect_success PERF 'without --fail-on-regression the same verdict exits 0' '
	"$PFOLD" profile -o cmp --name bench -r 5 --compare base.json -- "$REGRESS" 150 3 >cur2.out 2>err &&
	grep "^verdict: *regression" cur2.out
'

test_expect_success PERF '--threshold above the change: not a regression' '
	"$PFOLD" profile -o cmp --name bench -r 5 --compare base.json --threshold 300% \
		--fail-on-regression -- "$REGRESS" 150 3 >cur3.out 2>err &&
	! grep "^verdict: *regression" cur3.out
'

test_expect_success PERF '--markdown appends a report with a table and the blame list' '
	printf "existing line\n" >md &&
	cat summary.md >>md &&
	test "$(head -n 1 md)" = "existing line" &&
	grep "^## pfold profile: regression" summary.md &&
	grep "^| metric |" summary.md &&
	grep "^|---|" summary.md &&
	grep "^| \*\*task-clock\*\* \|^| \*\*instructions\*\* " summary.md &&
	grep "^| hot |" summary.md &&
	"$PFOLD" profile -o cmp --name bench -r 1 --markdown summary.md -- "$REGRESS" 20 1 >/dev/null 2>&1 &&
	test $(grep -c "^## pfold profile" summary.md) = 2 &&
	grep "^## pfold profile: no baseline" summary.md
'

# ---- --update-baseline ----

test_expect_success PERF '--update-baseline FILE: a missing FILE becomes the first baseline' '
	"$PFOLD" profile -o upd -r 5 --update-baseline bl.json -- "$REGRESS" 150 3 >u1.out 2>&1 &&
	grep "^baseline: *bl.json written" u1.out &&
	cmp bl.json "$(newest upd)" &&
	cp bl.json bl.orig
'

test_expect_success PERF '--update-baseline keeps FILE after a regression' '
	"$PFOLD" profile -o upd -r 5 --update-baseline bl-fast.json -- "$REGRESS" 150 1 >/dev/null 2>&1 &&
	cp bl-fast.json bl-fast.orig &&
	"$PFOLD" profile -o upd -r 5 --update-baseline bl-fast.json -- "$REGRESS" 150 3 >u2.out 2>&1 &&
	grep "^verdict: *regression" u2.out &&
	grep "^baseline: *bl-fast.json kept" u2.out &&
	cmp bl-fast.json bl-fast.orig
'

test_expect_success PERF '--update-baseline replaces FILE after an improvement' '
	"$PFOLD" profile -o upd -r 5 --update-baseline bl.json -- "$REGRESS" 150 1 >u3.out 2>&1 &&
	grep "^verdict: *improvement" u3.out &&
	grep "^baseline: *bl.json updated" u3.out &&
	! cmp -s bl.json bl.orig &&
	cmp bl.json "$(newest upd)"
'

test_done
