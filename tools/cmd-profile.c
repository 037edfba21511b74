// SPDX-License-Identifier: MIT
/* cmd-profile.c: pfold profile: the one-shot job (record, fold, flamegraph, counting runs, report, verdict). */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "error.h"
#include "parse-options.h"
#include "profile-job.h"
#include "stat-common.h"
#include "usage.h"

static const char *const profile_usage[] = {
	"pfold profile [-o DIR] [--name NAME] [-e EV,...] [-r N] [--python] [--compare BASE.json] [--threshold 0.10] [--fail-on-regression] [--update-baseline FILE] [--markdown FILE] [--] CMD [ARG...]",
	NULL
};

static struct pfold_recorder *volatile active;

static void on_signal(int sig)
{
	struct pfold_recorder *r = active;

	if (r) {
		pfold_recorder_signal(r, sig);
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* "10%" -> 0.10; a bare number below 1 is a fraction ("0.1"), from 1 up a percentage ("10"), as check */
static double parse_threshold(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v <= 0)
		die("option '--threshold' expects a percentage like 10%% or 0.10, not '%s'", s);
	if (*end == '%' && !end[1])
		return v / 100;
	if (*end)
		die("option '--threshold' expects a percentage like 10%% or 0.10, not '%s'", s);
	return v < 1 ? v : v / 100;
}

static void parse_call_graph(const char *arg, struct pfold_profile_job_opts *o)
{
	int ret = pfold_parse_call_graph(arg, &o->callchain, &o->stack_size);

	if (ret)
		die_error(ret, NULL);
}

static void append_markdown(const struct pfold_profile_job *job, const char *path)
{
	struct pfold_buf md = PFOLD_BUF_INIT;
	FILE *f;
	int ret;

	ret = pfold_profile_job_write_markdown(job, &md);
	if (ret)
		die_error(ret, NULL);
	f = fopen(path, "a");
	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	if ((md.len && fwrite(md.data, 1, md.len, f) != md.len) | ferror(f) | fclose(f))
		die("cannot write '%s': %s", path, strerror(errno));
	pfold_buf_release(&md);
}

int cmd_profile(int argc, const char **argv)
{
	struct string_list specs = { 0 }, events = { 0 };
	const char *dir = NULL, *name = NULL, *compare = NULL, *threshold = NULL;
	const char *update = NULL, *markdown = NULL, *call_graph = NULL, **cmd;
	struct pfold_profile_job_opts o;
	struct pfold_profile_job *job = NULL;
	struct pfold_buf text = PFOLD_BUF_INIT;
	struct sigaction sa;
	char *storage = NULL;
	long runs = PFOLD_PROFILE_RUNS, freq = 0;
	int fail = 0, fp = 0, python = 0, n, ret, status = 0, updated, existed = 0;
	const struct option_def opts[] = {
		OPT_STRING('o', "output-dir", &dir, "DIR",
			   "where the files go (default " PFOLD_PROFILE_DIR ", created)"),
		OPT_STRING(0, "name", &name, "NAME", "file name prefix (default: the command's base name)"),
		OPT_STRING_LIST('e', "event", &specs, "EV,...",
				"events to count and sample (default: count instructions, cycles, task-clock; sample cycles, or cpu-clock without a PMU)"),
		OPT_INTEGER('r', "repeat", &runs, "N", "counting runs after the recording (default 5)"),
		OPT_INTEGER('F', "freq", &freq, "HZ", "samples per second of the recording (default 999)"),
		OPT_BOOL('g', NULL, &fp, "frame-pointer callchains (the default)"),
		OPT_STRING(0, "call-graph", &call_graph, "fp|dwarf[,BYTES]",
			   "callchains: frame pointers, or user registers + BYTES of stack"),
		OPT_BOOL(0, "python", &python,
			 "the Python view: func (file.py) frames, interpreter frames hidden (Python 3.12+); implies --call-graph dwarf"),
		OPT_GROUP("Comparing with a baseline"),
		OPT_STRING(0, "compare", &compare, "BASE.json", "compare with this report and print the verdict"),
		OPT_STRING(0, "threshold", &threshold, "PCT", "regression threshold: 0.10 or 10% (default 10%)"),
		OPT_BOOL(0, "fail-on-regression", &fail, "exit 1 when the verdict is a regression"),
		OPT_STRING(0, "update-baseline", &update, "FILE",
			   "write the new report to FILE when it improved on FILE, or FILE does not exist"),
		OPT_STRING(0, "markdown", &markdown, "FILE", "append the report as Markdown to FILE (e.g. $GITHUB_STEP_SUMMARY)"),
		OPT_END(),
	};

	n = stat_split_dashdash(argc, argv, &cmd);
	if (cmd) {
		if (parse_options(n, argv, opts, profile_usage, 0) != 0)
			usage_with_options(profile_usage, opts, 1);
	} else {
		n = parse_options(argc, argv, opts, profile_usage, PARSE_OPT_STOP_AT_NON_OPTION);
		cmd = n ? argv : NULL;
	}
	if (!cmd || !cmd[0]) {
		error_msg("no command to profile");
		usage_with_options(profile_usage, opts, 1);
	}
	if (runs < 1 || runs > 100000)
		die("option '--repeat' expects a number from 1 to 100000, not %ld", runs);
	if (freq < 0 || freq > 1000000)
		die("option '--freq' expects a number from 1 to 1000000, not %ld", freq);

	memset(&o, 0, sizeof(o));
	o.argv = cmd;
	o.dir = dir;
	o.name = name;
	o.runs = (unsigned)runs;
	o.freq = (uint64_t)freq;
	o.callchain = PFOLD_CALLCHAIN_FP;
	if (python)
		parse_call_graph("dwarf", &o);
	if (call_graph)
		parse_call_graph(call_graph, &o);
	o.python = python;
	o.threshold = threshold ? parse_threshold(threshold) : 0.10;
	/* --update-baseline alone compares with the baseline it may replace */
	o.compare = compare;
	existed = update && !access(update, F_OK);
	if (!compare && existed)
		o.compare = update;
	if (specs.nr) {
		stat_split_events(&events, &specs, &storage, 0);
		o.events = events.items;
		o.nr_events = events.nr;
	}
	o.active = &active;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ret = pfold_profile_job_run(&job, &o);
	if (ret)
		die_error(ret, NULL);
	if (job->sample_fallback)
		warning("%s", job->sample_fallback);
	if (!job->data_path)
		warning("no profile recorded (perf_event_open refused): the report holds the counting runs only");
	if (job->check)
		for (n = 0; (size_t)n < job->check->nr_warnings; n++)
			warning("%s", job->check->warnings[n]);
	ret = pfold_profile_job_write_text(job, &text);
	if (ret)
		die_error(ret, NULL);
	if (pfold_profile_job_regressed(job) && fail)
		status = 1;
	if (update && !pfold_profile_job_regressed(job)) {
		ret = pfold_profile_job_update_baseline(job, update, &updated);
		if (ret)
			die_error(ret, NULL);
		ret = pfold_buf_addf(&text, "baseline:  %s %s\n", update,
				     updated ? (existed ? "updated (improvement)" :
						"written (first baseline)") : "kept (no improvement)");
	} else if (update) {
		ret = pfold_buf_addf(&text, "baseline:  %s kept (regression)\n", update);
	}
	if (ret)
		die_error(ret, NULL);
	fwrite(text.data, 1, text.len, stdout);
	if (markdown)
		append_markdown(job, markdown);
	pfold_buf_release(&text);
	pfold_profile_job_free(job);
	free(storage);
	string_list_release(&events);
	string_list_release(&specs);
	return status;
}
