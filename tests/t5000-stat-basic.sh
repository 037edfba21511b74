#!/bin/bash
# SPDX-License-Identifier: MIT
# t5000-stat-basic.sh: pfold stat: report.json contents, dropped events, the metric and why, errors.
test_description='pfold stat basics'
. "$(dirname "$0")/test-lib.sh"

command -v python3 >/dev/null 2>&1 || test_skip_all "python3 is needed to read the reports"

# jq-like reads of a report with python3 (an independent JSON reader)
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

test_expect_success PERF 'stat writes a pfold-report/1 with per-run values' '
	"$PFOLD" stat -r 3 -o r.json -- "$WORKLOADS/hotcold" 20 2>err &&
	test "$(jget r.json "d[\"format\"]")" = pfold-report/1 &&
	test "$(jget r.json "d[\"runs\"]")" = 3 &&
	test "$(jget r.json "d[\"command\"][1]")" = 20 &&
	test "$(jget r.json "[e for e in d[\"events\"] if e[\"name\"]==\"task-clock\"][0][\"unit\"]")" = msec &&
	test "$(jget r.json "len([e for e in d[\"events\"] if e[\"name\"]==\"task-clock\"][0][\"values\"])")" = 3 &&
	test "$(jget r.json "len([e for e in d[\"events\"] if e[\"name\"]==\"wall-time\"][0][\"values\"])")" = 3 &&
	grep -q "Performance counter stats for .*hotcold 20. (3 runs)" err
'

test_expect_success PERF 'the summary agrees with the values (median, mean, min, max)' '
	python3 - r.json <<-\PY
	import json, statistics, sys
	d = json.load(open(sys.argv[1]))
	for e in d["events"]:
	    v = e["values"]
	    if not v:
	        continue
	    s = e["summary"]
	    assert s["n"] == len(v)
	    assert abs(s["median"] - statistics.median(v)) <= 1e-9 * abs(s["median"]) + 1e-12, e["name"]
	    assert abs(s["mean"] - statistics.mean(v)) <= 1e-9 * abs(s["mean"]) + 1e-12, e["name"]
	    assert s["min"] == min(v) and s["max"] == max(v)
	    if len(v) > 1:
	        assert abs(s["stddev"] - statistics.stdev(v)) <= 1e-6 * s["stddev"] + 1e-9, e["name"]
	PY
'

test_expect_success PERF 'events the machine cannot count are dropped with one line each, and the metric says why' '
	perf stat -x, -e instructions -o pstat.txt -- true 2>/dev/null
	if grep -q "not supported" pstat.txt; then
		# no hardware PMU (this VM): instructions and cycles are dropped
		test "$(grep -c "dropped" err)" = 2 &&
		grep -q "^pfold: warning: instructions: dropped: " err &&
		grep -q "^pfold: warning: cycles: dropped: " err &&
		test "$(jget r.json "d[\"host\"][\"pmu\"]")" = False &&
		test "$(jget r.json "d[\"metric\"][\"name\"]")" = task-clock &&
		jget r.json "d[\"metric\"][\"reason\"]" | grep -q "no hardware PMU" &&
		test "$(jget r.json "[e[\"counted\"] for e in d[\"events\"] if e[\"name\"]==\"cycles\"][0]")" = False &&
		grep -q "metric: task-clock (no hardware PMU" err
	else
		test "$(jget r.json "d[\"metric\"][\"name\"]")" = instructions
	fi
'

test_expect_success PERF 'with no countable event the runs still give cpu-time, and it is the metric' '
	if grep -q "not supported" pstat.txt; then
		"$PFOLD" stat -r 2 -e cycles,instructions -o nc.json -- "$WORKLOADS/hotcold" 20 2>err &&
		test "$(grep -c "dropped" err)" = 2 &&
		test "$(jget nc.json "d[\"metric\"][\"name\"]")" = cpu-time &&
		test "$(jget nc.json "len([e for e in d[\"events\"] if e[\"name\"]==\"cpu-time\"][0][\"values\"])")" = 2
	fi
'

test_expect_success PERF 'the host fingerprint is this machine (uname, /proc/cpuinfo)' '
	test "$(jget r.json "d[\"host\"][\"kernel\"]")" = "$(uname -r)" &&
	test "$(jget r.json "d[\"host\"][\"arch\"]")" = "$(uname -m)" &&
	test "$(jget r.json "d[\"host\"][\"ncpus\"]")" = "$(getconf _NPROCESSORS_ONLN)" &&
	model=$(sed -n "s/^model name[[:space:]]*: *//p" /proc/cpuinfo | head -1) &&
	if test -n "$model"; then test "$(jget r.json "d[\"host\"][\"cpu_model\"]")" = "$model"; fi
'

test_expect_success PERF 'the git commit of the current repository is recorded (git rev-parse)' '
	command -v git >/dev/null || exit 0
	mkdir repo && (
		cd repo && git init -q &&
		git -c user.email=t@example.com -c user.name=t commit -q --allow-empty -m one &&
		unset GITHUB_SHA CI_COMMIT_SHA &&
		"$PFOLD" stat -r 1 -e task-clock -o ../g.json -- true 2>/dev/null &&
		test "$(jget ../g.json "d[\"git_commit\"]")" = "$(git rev-parse HEAD)" &&
		git pack-refs --all &&
		"$PFOLD" stat -r 1 -e task-clock -o ../g2.json -- true 2>/dev/null &&
		test "$(jget ../g2.json "d[\"git_commit\"]")" = "$(git rev-parse HEAD)"
	)
'

test_expect_success PERF 'an unknown event is an error' '
	test_must_fail "$PFOLD" stat -e no-such-event -- true 2>err &&
	grep -q "no-such-event" err
'

test_expect_success 'no command is a usage error' '
	test_must_fail "$PFOLD" stat -r 2 2>err &&
	grep -q "no command" err
'

test_expect_success PERF 'a command that cannot run, fails, or dies is an error naming it' '
	test_must_fail "$PFOLD" stat -e task-clock -- ./no-such-program 2>err &&
	grep -q "cannot run .\./no-such-program.: No such file" err &&
	test_must_fail "$PFOLD" stat -e task-clock -r 2 -- false 2>err &&
	grep -q "exited with status 1 in run 1" err &&
	test_must_fail "$PFOLD" stat -e task-clock -- sh -c "kill -9 \$\$" 2>err &&
	grep -q "killed by signal 9" err
'

test_expect_success PERF 'stat -r 1 -- true is quick (design: under 50 ms; here under 500 ms)' '
	start=$(date +%s%N) &&
	"$PFOLD" stat -r 1 -e task-clock -- true 2>/dev/null &&
	end=$(date +%s%N) &&
	test $(( (end - start) / 1000000 )) -lt 500
'

test_expect_success PERF 'options after the command belong to the command' '
	"$PFOLD" stat -r 1 -e task-clock -o r2.json "$WORKLOADS/pagetouch" 10 -r 2>err &&
	test "$(jget r2.json "\" \".join(d[\"command\"])")" = "$WORKLOADS/pagetouch 10 -r"
'

test_expect_success PERF 'a report that cannot be written is an error' '
	test -w /dev/full || exit 0
	test_must_fail "$PFOLD" stat -r 1 -e task-clock -o /dev/full -- true 2>err &&
	grep -q "^pfold: write error on ./dev/full." err
'

test_done
