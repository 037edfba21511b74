// SPDX-License-Identifier: MIT
/* cmd-record.c: pfold record: sample a command (or -p, -a) with perf_event_open into perf.data. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "error.h"
#include "events.h"
#include "parse-options.h"
#include "recorder.h"
#include "usage.h"
#include "writer.h"

static const char *const record_usage[] = {
	"pfold record [-e EV[,EV...]] [-F HZ | -c PERIOD] [-g | --call-graph fp|dwarf[,BYTES]]",
	"             [-a | -p PID[,PID...]] [-m PAGES] [-o FILE|-] [--fallback] [--] [CMD [ARG...]]",
	NULL
};

static struct pfold_recorder *active;

static void on_signal(int sig)
{
	pfold_recorder_signal(active, sig);
}

static void parse_pids(const char *arg, pid_t **pids, size_t *nr)
{
	size_t alloc = 0;
	const char *p = arg;

	while (*p) {
		char *end;
		long v;

		errno = 0;
		v = strtol(p, &end, 10);
		if (errno || end == p || v <= 0 || (*end && *end != ','))
			die("-p '%s': not a list of process ids", arg);
		if (PFOLD_GROW(*pids, alloc, *nr + 1))
			die("out of memory");
		(*pids)[(*nr)++] = (pid_t)v;
		p = *end ? end + 1 : end;
	}
	if (!*nr)
		die("-p '%s': not a list of process ids", arg);
}

/* the GROUP_DESC feature, so that perf report --group shows the groups */
static int add_group_desc(struct pfold_header_info *info, const struct pfold_event_list *l)
{
	size_t i, j;

	for (i = 0; i < l->nr; i++) {
		struct pfold_group_desc *g;
		uint32_t members = 0;

		if (l->ev[i].group < 0 || !l->ev[i].leader)
			continue;
		for (j = i; j < l->nr && l->ev[j].group == l->ev[i].group; j++)
			members++;
		g = realloc(info->groups, (info->nr_groups + 1) * sizeof(*g));
		if (!g)
			return -PFOLD_E_NOMEM;
		info->groups = g;
		g = &info->groups[info->nr_groups];
		g->name = strdup("{anon_group}");
		if (!g->name)
			return -PFOLD_E_NOMEM;
		g->leader_idx = (uint32_t)i;
		g->nr_members = members;
		info->nr_groups++;
	}
	if (info->nr_groups)
		pfold_header_set(info, HEADER_GROUP_DESC);
	return 0;
}

int cmd_record(int argc, const char **argv)
{
	struct string_list events = { NULL, 0, 0 };
	const char *output = "perf.data", *call_graph = NULL, *pid_arg = NULL;
	long freq = 0, period = 0, pages = 0;
	int fp = 0, system_wide = 0, fallback = 0, explicit_events, ret, status = 0;
	int orig_argc = argc;
	const char **orig_argv;
	struct pfold_event_list list = PFOLD_EVENT_LIST_INIT;
	struct pfold_record_opts opts;
	struct pfold_record_stats stats;
	struct pfold_header_info info;
	struct pfold_writer *w = NULL;
	struct pfold_writer_opts wopts;
	struct sigaction sa;
	pid_t *pids = NULL;
	size_t nr_pids = 0, i;
	char *fallback_msg = NULL;
	const struct option_def options[] = {
		OPT_STRING_LIST('e', "event", &events, "EV[,EV...]",
				"events to sample; {a,b} samples a group on its leader (default: cycles)"),
		OPT_INTEGER('F', "freq", &freq, "HZ", "samples per second (default 999)"),
		OPT_INTEGER('c', "count", &period, "PERIOD", "one sample every PERIOD events"),
		OPT_BOOL('g', NULL, &fp, "record frame-pointer callchains (kernel and user)"),
		OPT_STRING(0, "call-graph", &call_graph, "fp|dwarf[,BYTES]",
			   "callchains: frame pointers, or user registers + BYTES of stack (default 8192)"),
		OPT_BOOL('a', "all-cpus", &system_wide, "sample every process on every CPU"),
		OPT_STRING('p', "pid", &pid_arg, "PID[,PID...]", "attach to running processes"),
		OPT_INTEGER('m', "mmap-pages", &pages, "PAGES",
			    "ring buffer pages per CPU, a power of two (default 128)"),
		OPT_STRING('o', "output", &output, "FILE",
			   "output file (default perf.data); - writes a pipe-mode stream to stdout"),
		OPT_BOOL(0, "fallback", &fallback,
			 "sample cpu-clock instead of a hardware event this machine does not count"),
		OPT_END()
	};

	/* CMDLINE keeps the arguments as given: parse_options() reorders argv */
	orig_argv = xcalloc((size_t)argc + 1, sizeof(*orig_argv));
	memcpy(orig_argv, argv, (size_t)argc * sizeof(*argv));
	argc = parse_options(argc, argv, options, record_usage, PARSE_OPT_STOP_AT_NON_OPTION);
	if (freq && period)
		die("-F and -c exclude each other");
	if (freq < 0 || period < 0 || pages < 0 || pages > (1L << 20))
		die("-F, -c and -m take positive numbers");
	if (pid_arg)
		parse_pids(pid_arg, &pids, &nr_pids);
	if (system_wide && nr_pids)
		die("-a and -p exclude each other");
	if (!argc && !system_wide && !nr_pids)
		usage_with_options(record_usage, options, 1);
	if (argc && nr_pids)
		die("-p and a command exclude each other");

	memset(&opts, 0, sizeof(opts));
	opts.freq = (uint64_t)freq;
	opts.period = (uint64_t)period;
	opts.callchain = fp ? PFOLD_CALLCHAIN_FP : PFOLD_CALLCHAIN_NONE;
	if (call_graph) {
		ret = pfold_parse_call_graph(call_graph, &opts.callchain, &opts.stack_size);
		if (ret)
			die_error(ret, NULL);
	}
	opts.system_wide = system_wide;
	opts.pids = pids;
	opts.nr_pids = nr_pids;
	opts.mmap_pages = (unsigned)pages;
	opts.argv = argc ? argv : NULL;
	opts.child_stdout_fd = -1;
	if (!strcmp(output, "-"))
		opts.child_stdout_fd = 2;	/* the stream owns stdout */

	/* events: the default falls back to cpu-clock, an explicit -e only with --fallback */
	explicit_events = events.nr > 0;
	if (!explicit_events)
		string_list_append(&events, "cycles");
	for (i = 0; i < events.nr; i++) {
		ret = pfold_events_parse(&list, events.items[i]);
		if (ret == -PFOLD_E_PFM && !explicit_events) {
			/* the default without libpfm4: as without a PMU, loudly */
			fprintf(stderr, "pfold: %s; sampling cpu-clock instead\n", pfold_errmsg(ret));
			ret = pfold_events_parse(&list, "cpu-clock");
		}
		if (ret)
			die_error(ret, NULL);
	}
	ret = pfold_record_probe(&list, !explicit_events || fallback, system_wide, &fallback_msg);
	if (ret) {
		if (ret == -PFOLD_E_NO_PMU)
			die("%s; use --fallback to sample cpu-clock instead", pfold_errmsg(ret));
		die_error(ret, NULL);
	}
	if (list.user_only)
		fprintf(stderr, "pfold: kernel.perf_event_paranoid is %d and no CAP_PERFMON: sampling user space only (:u)\n",
			pfold_perf_paranoid());
	if (fallback_msg) {
		fprintf(stderr, "pfold: %s; sampling cpu-clock instead\n", fallback_msg);
		free(fallback_msg);
	}

	/* -o -: pipe mode even when stdout is a regular file, as perf does */
	memset(&wopts, 0, sizeof(wopts));
	if (!strcmp(output, "-"))
		wopts.flags = PFOLD_WRITER_PIPE;
	ret = pfold_writer_open(&w, output, &wopts);
	if (ret)
		die_error(ret, NULL);
	opts.writer = w;
	opts.events = &list;
	ret = pfold_recorder_open(&active, &opts);
	if (ret) {
		pfold_writer_abort(w);
		if (strcmp(output, "-"))
			unlink(output);
		die_error(ret, NULL);
	}

	pfold_header_info_init(&info);
	ret = pfold_writer_host_info(&info, orig_argc, orig_argv);
	if (!ret)
		ret = add_group_desc(&info, &list);
	if (!ret)
		ret = pfold_writer_set_header_info(w, &info);
	pfold_header_info_release(&info);
	free(orig_argv);
	if (ret)
		goto err_abort;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is a write error, not a silent death */

	ret = pfold_recorder_run(active, &stats);
	if (ret == -PFOLD_E_CHILD && strcmp(output, "-"))
		unlink(output);	/* nothing was recorded */
	if (ret)
		goto err_abort;
	if (stats.independent_groups)
		fprintf(stderr, "pfold: this kernel cannot read a group with each sample of an inherited event; sampled the events independently\n");
	pfold_recorder_close(active);
	active = NULL;
	ret = pfold_writer_close(w);
	if (ret)
		die_error(ret, NULL);
	if (stats.lost_samples || stats.lost_records)
		warning("lost %llu samples (%llu LOST records); use a larger -m or a lower -F",
			(unsigned long long)stats.lost_samples,
			(unsigned long long)stats.lost_records);
	if (isatty(2))
		fprintf(stderr, "pfold: wrote %.3f MB to %s\n",
			(double)stats.bytes / (1024 * 1024), strcmp(output, "-") ? output : "stdout");
	if (stats.has_child) {
		if (WIFEXITED(stats.child_status))
			status = WEXITSTATUS(stats.child_status);
		else if (WIFSIGNALED(stats.child_status))
			status = 128 + WTERMSIG(stats.child_status);
	}
	pfold_event_list_release(&list);
	string_list_release(&events);
	free(pids);
	return status;

err_abort:
	{
		struct pfold_recorder *r = active;

		active = NULL;
		pfold_recorder_close(r);
	}
	pfold_writer_abort(w);
	die_error(ret, NULL);
}
