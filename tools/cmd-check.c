// SPDX-License-Identifier: MIT
/* cmd-check.c: pfold check: compare a report (or fresh runs of a command) with a baseline. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "check.h"
#include "counting.h"
#include "error.h"
#include "parse-options.h"
#include "stat-common.h"
#include "usage.h"

static const char *const check_usage[] = {
	"pfold check BASELINE.json CURRENT.json [--threshold 10%] [--metric EV,...] [--format text|json|junit|markdown] [-o FILE] [--strict]",
	"pfold check BASELINE.json [-r N] [-e EV,...] [--save FILE] [options] -- CMD [ARG...]",
	NULL
};

/* "10%" -> 0.10; a bare number below 1 is a fraction ("0.1"), from 1 up a percentage ("10") */
static double parse_threshold(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		die("option '--threshold' expects a percentage like 10%% or 0.10, not '%s'", s);
	if (*end == '%' && !end[1])
		return v / 100;
	if (*end)
		die("option '--threshold' expects a percentage like 10%% or 0.10, not '%s'", s);
	return v < 1 ? v : v / 100;
}

int cmd_check(int argc, const char **argv)
{
	struct string_list specs = { 0 }, events = { 0 }, mspecs = { 0 }, metrics = { 0 };
	const char *threshold = "10%", *format = "text", *output = NULL, *save = NULL, **cmd;
	struct pfold_report *base = NULL, *cur = NULL;
	struct pfold_check_result *res = NULL;
	struct pfold_check_opts copts = { 0 };
	struct pfold_buf out = PFOLD_BUF_INIT;
	enum pfold_check_format fmt;
	char *storage = NULL, *mstorage = NULL;
	int strict = 0, n, ret, status;
	long runs = 5;
	size_t i;
	FILE *f;
	const struct option_def opts[] = {
		OPT_STRING(0, "threshold", &threshold, "PCT", "regression threshold (default 10%)"),
		OPT_STRING_LIST(0, "metric", &mspecs, "EV,...",
				"metrics that decide (default: the first of instructions, cycles, task-clock, cpu-time, wall-time counted on both sides)"),
		OPT_STRING(0, "format", &format, "FMT", "output format: text, json, junit or markdown"),
		OPT_STRING('o', "output", &output, "FILE", "write the result to FILE instead of standard output"),
		OPT_BOOL(0, "strict", &strict, "a baseline from another host or event set is an error"),
		OPT_GROUP("When running CMD"),
		OPT_INTEGER('r', "repeat", &runs, "N", "run the command N times (default 5)"),
		OPT_STRING_LIST('e', "event", &specs, "EV,...", "events to count (default: the baseline's)"),
		OPT_STRING(0, "save", &save, "FILE", "also write the current run's report.json to FILE"),
		OPT_END(),
	};

	n = stat_split_dashdash(argc, argv, &cmd);
	n = parse_options(n, argv, opts, check_usage, 0);
	if (cmd && !cmd[0]) {
		error_msg("no command after '--'");
		usage_with_options(check_usage, opts, 1);
	}
	if (n != (cmd ? 1 : 2)) {
		error_msg(cmd ? "expected one baseline before '--'" :
			  "expected BASELINE.json and CURRENT.json (or '-- CMD')");
		usage_with_options(check_usage, opts, 1);
	}
	if (pfold_check_format_parse(format, &fmt))
		die("%s", pfold_errmsg(-PFOLD_E_USAGE));
	if (runs < 1 || runs > 100000)
		die("option '--repeat' expects a number from 1 to 100000, not %ld", runs);
	copts.threshold = parse_threshold(threshold);
	stat_split_events(&metrics, &mspecs, &mstorage, 0);
	copts.metrics = metrics.items;
	copts.nr_metrics = metrics.nr;
	copts.base_name = argv[0];
	copts.cur_name = cmd ? "current run" : argv[1];

	ret = pfold_report_load(&base, argv[0]);
	if (ret)
		die_error(ret, argv[0]);
	if (cmd) {
		if (!specs.nr) {
			/* the baseline's event set, so that both sides count the same */
			for (i = 0; i < base->nr_events; i++)
				if (strcmp(base->events[i].name, "wall-time") &&
				    strcmp(base->events[i].name, "cpu-time"))
					string_list_append(&specs, base->events[i].name);
			if (!specs.nr)
				string_list_append(&specs, PFOLD_COUNT_DEFAULT_EVENTS);
		}
		stat_split_events(&events, &specs, &storage, 1);
		ret = pfold_count_run(&cur, cmd, events.items, events.nr, (unsigned)runs);
		if (ret)
			die_error(ret, ret == -PFOLD_E_CHILD ? NULL : "check");
		if (save)
			stat_write_report(cur, save);
	} else {
		ret = pfold_report_load(&cur, argv[1]);
		if (ret)
			die_error(ret, argv[1]);
	}
	ret = pfold_check_compare(&res, base, cur, &copts);
	if (ret)
		die_error(ret, NULL);
	for (i = 0; i < res->nr_warnings; i++)
		warning("%s", res->warnings[i]);
	if (strict && res->mismatch)
		die("%s: %s (--strict)", argv[0], res->warnings[0]);
	ret = pfold_check_write(res, fmt, &out);
	if (ret)
		die_error(ret, NULL);
	f = open_output(output, 0644);
	fwrite(out.data, 1, out.len, f);
	close_output(f, output);
	status = res->verdict == PFOLD_VERDICT_REGRESSION ? 1 : 0;
	pfold_buf_release(&out);
	pfold_check_free(res);
	pfold_report_free(base);
	pfold_report_free(cur);
	free(storage);
	free(mstorage);
	string_list_release(&events);
	string_list_release(&specs);
	string_list_release(&metrics);
	string_list_release(&mspecs);
	return status;
}
