// SPDX-License-Identifier: MIT
/* cmd-list.c: pfold list: the events this machine can open, probed, and why the others cannot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "error.h"
#include "events.h"
#include "parse-options.h"
#include "usage.h"

static const char *const list_usage[] = {
	"pfold list [--all]",
	NULL
};

struct list_state {
	int probed, probe_ret;
};

static const char *kind_name(enum pfold_event_kind kind)
{
	switch (kind) {
	case PFOLD_EVENT_HARDWARE:
		return "hardware";
	case PFOLD_EVENT_SOFTWARE:
		return "software";
	case PFOLD_EVENT_TRACEPOINT:
		return "tracepoint";
	}
	return "?";
}

/* the message of RET without the leading "NAME: " */
static const char *reason(int ret, const char *name)
{
	const char *msg = pfold_errmsg(ret);
	size_t len = strlen(name);

	if (!strncmp(msg, name, len) && !strncmp(msg + len, ": ", 2))
		msg += len + 2;
	return msg;
}

/* print one event: "NAME KIND ok" or "NAME KIND no: why"; returns the probe's result */
static int show(const char *name, int probe_ret, int probed)
{
	struct perf_event_attr attr;
	enum pfold_event_kind kind;
	int ret;

	ret = pfold_event_encode(name, &attr, NULL, &kind);
	if (ret) {
		printf("%-32s %-10s no: %s\n", name, "?", reason(ret, name));
		return ret;
	}
	ret = probed ? probe_ret : pfold_event_probe(name, &attr, 0);
	if (!ret)
		printf("%-32s %-10s ok\n", name, kind_name(kind));
	else
		printf("%-32s %-10s no: %s\n", name, kind_name(kind), reason(ret, name));
	return ret;
}

static void show_pmu_event(const char *name, const char *desc, void *arg)
{
	(void)desc;
	(void)arg;
	show(name, 0, 0);
}

/*
 * Opening and closing a tracepoint event costs the kernel tens of
 * milliseconds: the first tracepoint is probed, the others share its result.
 */
static void show_tracepoint(const char *name, void *arg)
{
	struct list_state *st = arg;

	if (!st->probed) {
		st->probe_ret = show(name, 0, 0);
		st->probed = 1;
	} else {
		show(name, st->probe_ret, 1);
	}
}

int cmd_list(int argc, const char **argv)
{
	const char *const *names;
	struct list_state st = { 0, 0 };
	int all = 0, ret;
	const struct option_def options[] = {
		OPT_BOOL(0, "all", &all,
			 "also every PMU-specific event libpfm4 knows here and every tracepoint"),
		OPT_END()
	};

	argc = parse_options(argc, argv, options, list_usage, 0);
	if (argc > 0)
		usage_with_options(list_usage, options, 1);

	printf("%-32s %-10s %s\n", "# event", "kind", "can be opened here");
	for (names = pfold_event_common_names(); *names; names++)
		show(*names, 0, 0);
	if (all) {
		ret = pfold_event_foreach_pmu_event(show_pmu_event, NULL);
		if (ret < 0)
			printf("%-32s %-10s no: %s\n", "pmu::EVENT", "hardware", pfold_errmsg(ret));
		ret = pfold_tracepoint_foreach(show_tracepoint, &st);
		if (ret < 0)
			printf("%-32s %-10s no: %s\n", "SUBSYS:NAME", "tracepoint", pfold_errmsg(ret));
	} else {
		const char *dir = pfold_tracefs_dir();

		if (dir)
			printf("%-32s %-10s ok: %s/available_events (pfold list --all shows them)\n",
			       "SUBSYS:NAME", "tracepoint", dir);
		else
			printf("%-32s %-10s no: tracefs is not mounted; run 'mount -t tracefs nodev /sys/kernel/tracing'\n",
			       "SUBSYS:NAME", "tracepoint");
		printf("%-32s %-10s %s\n", "pmu::EVENT", "hardware",
		       "PMU-specific names and raw rNNNN go to libpfm4 (pfold list --all)");
	}
	return 0;
}
