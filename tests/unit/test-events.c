// SPDX-License-Identifier: MIT
/* test-events.c: event names to perf_event_attr through libpfm4, groups, tracepoints (no PMU needed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "events.h"
/* after linux/perf_event.h (events.h): libpfm4 then skips its own copy */
#include <perfmon/pfmlib_perf_event.h>
#include "tap.h"

/*
 * Expected encodings, worked out from the kernel's perf_event.h enums (the
 * generic names libpfm4's "perf" pseudo-PMU maps to: perf_events.h in
 * libpfm4) and, for the Skylake names, from Intel's event codes as libpfm4's
 * skl_events.h lists them (event code in bits 0-7, umask in 8-15, cmask in
 * 24-31; offcore response bits in config1).
 */
#define CACHE(id, op, res) \
	((id) | (PERF_COUNT_HW_CACHE_OP_##op << 8) | (PERF_COUNT_HW_CACHE_RESULT_##res << 16))

/* tap.h's is_int() prints its message verbatim: format it first */
#define IS(got, want, ...)                                 \
	({                                                 \
		char msg_[256];                            \
		snprintf(msg_, sizeof(msg_), __VA_ARGS__); \
		is_int((got), (want), msg_);               \
	})

struct want {
	const char *name;
	unsigned type;
	unsigned long long config, config1;
	int exclude_user, exclude_kernel;
	enum pfold_event_kind kind;
};

static const struct want generic[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "LLC-load-misses", PERF_TYPE_HW_CACHE, CACHE(PERF_COUNT_HW_CACHE_LL, READ, MISS), 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "L1-dcache-load-misses", PERF_TYPE_HW_CACHE, CACHE(PERF_COUNT_HW_CACHE_L1D, READ, MISS), 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "cycles:u", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0, 0, 1, PFOLD_EVENT_HARDWARE },
	{ "cycles:k", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0, 1, 0, PFOLD_EVENT_HARDWARE },
	{ "r01c2", PERF_TYPE_RAW, 0x1c2, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 0, 0, 0, PFOLD_EVENT_SOFTWARE },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 0, 0, 0, PFOLD_EVENT_SOFTWARE },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 0, 0, 0, PFOLD_EVENT_SOFTWARE },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, 0, 0, 0, PFOLD_EVENT_SOFTWARE },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, 0, 0, 0, PFOLD_EVENT_SOFTWARE },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN, 0, 0, 0, PFOLD_EVENT_SOFTWARE },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 0, 0, 0, PFOLD_EVENT_SOFTWARE },
};

static const struct want skylake[] = {
	{ "INST_RETIRED:ANY_P", PERF_TYPE_RAW, 0xc0, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "skl::INST_RETIRED:ANY_P:k", PERF_TYPE_RAW, 0xc0, 0, 1, 0, PFOLD_EVENT_HARDWARE },
	{ "INST_RETIRED:ANY_P:u", PERF_TYPE_RAW, 0xc0, 0, 0, 1, PFOLD_EVENT_HARDWARE },
	{ "INST_RETIRED:ANY_P:c=2", PERF_TYPE_RAW, 0x020000c0, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "UNHALTED_CORE_CYCLES", PERF_TYPE_RAW, 0x3c, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	{ "MEM_LOAD_RETIRED:L3_MISS", PERF_TYPE_RAW, 0x20d1, 0, 0, 0, PFOLD_EVENT_HARDWARE },
	/* DMND_DATA_RD bit 0, L3_MISS_LOCAL bit 26, SNP_ANY bits 31-37 */
	{ "OFFCORE_RESPONSE_0:DMND_DATA_RD:L3_MISS", PERF_TYPE_RAW, 0x1b7,
	  1ULL | 1ULL << 26 | 0x7fULL << 31, 0, 0, PFOLD_EVENT_HARDWARE },
};

static void check_table(const struct want *w, size_t n, const char *what)
{
	struct perf_event_attr attr;
	enum pfold_event_kind kind;
	char *fstr;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = pfold_event_encode(w[i].name, &attr, &fstr, &kind);
		if (!IS(ret, 0, "%s: %s encodes", what, w[i].name)) {
			printf("#   %s\n", pfold_errmsg(ret));
			continue;
		}
		IS(attr.type, w[i].type, "%s: type", w[i].name);
		IS(attr.config, w[i].config, "%s: config", w[i].name);
		IS(attr.config1, w[i].config1, "%s: config1", w[i].name);
		IS(attr.exclude_user, w[i].exclude_user, "%s: exclude_user", w[i].name);
		IS(attr.exclude_kernel, w[i].exclude_kernel, "%s: exclude_kernel", w[i].name);
		IS(kind, w[i].kind, "%s: kind", w[i].name);
		IS(attr.size, sizeof(attr), "%s: attr size", w[i].name);
		ok(fstr && *fstr, "%s: libpfm4 gives a qualified name (%s)", w[i].name,
		   fstr ? fstr : "none");
		free(fstr);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void test_tracepoints(void)
{
	char dir[] = "/tmp/pfold-tracefs-XXXXXX", path[256];
	struct perf_event_attr attr;
	enum pfold_event_kind kind;
	int ret;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/events", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/events/sched", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch/id", dir);
	write_file(path, "316\n");
	setenv("PFOLD_TRACEFS", dir, 1);

	ret = pfold_event_encode("sched:sched_switch", &attr, NULL, &kind);
	is_int(ret, 0, "a tracepoint encodes through tracefs");
	is_int(attr.type, PERF_TYPE_TRACEPOINT, "tracepoint type");
	is_int(attr.config, 316, "tracepoint id read from events/sched/sched_switch/id");
	is_int(kind, PFOLD_EVENT_TRACEPOINT, "tracepoint kind");
	ret = pfold_event_encode("sched:no_such_event", &attr, NULL, &kind);
	is_int(ret, -PFOLD_E_EVENT, "an unknown tracepoint is an unknown event");

	setenv("PFOLD_TRACEFS", "", 1);
	ret = pfold_event_encode("sched:sched_switch", &attr, NULL, &kind);
	is_int(ret, -PFOLD_E_TRACEFS, "no tracefs: PFOLD_E_TRACEFS");
	ok(strstr(pfold_errmsg(ret), "mount -t tracefs nodev /sys/kernel/tracing") != NULL,
	   "no tracefs: the message gives the mount command (%s)", pfold_errmsg(ret));
	unsetenv("PFOLD_TRACEFS");

	unlink(path);
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/events/sched", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/events", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_groups(void)
{
	struct pfold_event_list l = PFOLD_EVENT_LIST_INIT;
	int ret;

	ret = pfold_events_parse(&l, "{cpu-clock,page-faults}:S,task-clock");
	is_int(ret, 0, "a braced group and a single event parse");
	is_int(l.nr, 3, "three events");
	is_int(l.nr_groups, 1, "one group");
	ok(l.ev[0].group == 0 && l.ev[0].leader, "cpu-clock leads group 0");
	ok(l.ev[1].group == 0 && !l.ev[1].leader, "page-faults is a member of group 0");
	ok(l.ev[2].group == -1, "task-clock is independent");
	pfold_event_list_release(&l);

	ret = pfold_events_parse(&l, "cpu-clock,page-faults");
	is_int(ret, 0, "a plain list of software events parses");
	ok(l.ev[0].group == -1 && l.ev[1].group == -1,
	   "a plain list of software events is not a group");
	pfold_event_list_release(&l);

	ret = pfold_events_parse(&l, "cycles,instructions,cache-misses");
	is_int(ret, 0, "a plain list of hardware events parses");
	ok(l.nr_groups == 1 && l.ev[0].leader && l.ev[1].group == 0 &&
	   l.ev[2].group == 0 && !l.ev[2].leader,
	   "a plain list of hardware events forms one group led by the first");
	pfold_event_list_release(&l);

	ret = pfold_events_parse(&l, "{cpu-clock}");
	ok(ret == 0 && l.nr == 1 && l.ev[0].group == -1, "a group of one is no group");
	pfold_event_list_release(&l);

	ret = pfold_events_parse(&l, "{cpu-clock,page-faults");
	is_int(ret, -PFOLD_E_USAGE, "an unclosed brace is a usage error");
	is_int(l.nr, 0, "and leaves the list unchanged");
	is_int(pfold_events_parse(&l, "cpu-clock}"), -PFOLD_E_USAGE, "a stray '}' is a usage error");
	is_int(pfold_events_parse(&l, "{cpu-clock,{page-faults}}"), -PFOLD_E_USAGE, "nested braces are a usage error");
	is_int(pfold_events_parse(&l, ""), -PFOLD_E_USAGE, "an empty list is a usage error");
	is_int(pfold_events_parse(&l, "cpu-clock,no-such-event"), -PFOLD_E_EVENT,
	       "an unknown name is an event error");
	is_int(l.nr, 0, "a failed parse adds nothing");
	ok(strstr(pfold_errmsg(-PFOLD_E_EVENT), "no-such-event") != NULL,
	   "the message names the unknown event");
	is_int(pfold_events_parse(&l, "cycles:nosuchmod"), -PFOLD_E_EVENT,
	       "an unknown modifier is an event error");
	pfold_event_list_release(&l);
}

/* --call-graph arguments: perf's forms, sizes rounded up to 8, bad ones refused untouched */
static void test_call_graph(void)
{
	static const struct {
		const char *arg;
		int ret;
		enum pfold_callchain mode;
		uint32_t size;		/* expected stack size (77: left alone) */
	} cases[] = {
		{ "fp", 0, PFOLD_CALLCHAIN_FP, 77 },
		{ "dwarf", 0, PFOLD_CALLCHAIN_DWARF, 8192 },
		{ "dwarf,4096", 0, PFOLD_CALLCHAIN_DWARF, 4096 },
		{ "dwarf,1", 0, PFOLD_CALLCHAIN_DWARF, 8 },
		{ "dwarf,65528", 0, PFOLD_CALLCHAIN_DWARF, 65528 },
		{ "dwarf,65529", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
		{ "dwarf,0", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
		{ "dwarf,-8", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
		{ "dwarf,", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
		{ "dwarf,12k", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
		{ "dwarfish", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
		{ "lbr", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
		{ "", -PFOLD_E_USAGE, PFOLD_CALLCHAIN_NONE, 77 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum pfold_callchain mode = PFOLD_CALLCHAIN_NONE;
		uint32_t size = 77;

		int ret = pfold_parse_call_graph(cases[i].arg, &mode, &size);

		ok(ret == cases[i].ret, "--call-graph '%s': returns %d", cases[i].arg, ret);
		ok(mode == cases[i].mode && size == cases[i].size,
		   "--call-graph '%s': mode %d size %u", cases[i].arg, (int)mode, size);
		if (cases[i].ret)
			ok(strstr(pfold_errmsg(cases[i].ret), "--call-graph") != NULL,
			   "--call-graph '%s': the message quotes the option", cases[i].arg);
	}
}

/* pfold encodes the perf software names without libpfm4: exactly as libpfm4 does */
static void test_software_as_libpfm(void)
{
	static const char *const names[] = {
		"cpu-clock", "task-clock", "page-faults", "faults", "context-switches", "cs",
		"cpu-migrations", "migrations", "minor-faults", "major-faults",
	};
	size_t i;

	pfm_initialize();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct perf_event_attr ours, theirs;
		pfm_perf_encode_arg_t arg;
		char *fstr = NULL, *pfm_fstr = NULL;
		enum pfold_event_kind kind;
		int ret;

		ret = pfold_event_encode(names[i], &ours, &fstr, &kind);
		memset(&theirs, 0, sizeof(theirs));
		memset(&arg, 0, sizeof(arg));
		arg.attr = &theirs;
		arg.size = sizeof(arg);
		arg.fstr = &pfm_fstr;
		if (!IS(pfm_get_os_event_encoding(names[i], PFM_PLM0 | PFM_PLM3,
						  PFM_OS_PERF_EVENT_EXT, &arg), PFM_SUCCESS,
			"%s: libpfm4 encodes it", names[i]))
			continue;
		theirs.size = sizeof(theirs);
		IS(ret, 0, "%s: pfold encodes it", names[i]);
		IS(kind, PFOLD_EVENT_SOFTWARE, "%s: a software event", names[i]);
		ok(!memcmp(&ours, &theirs, sizeof(ours)), "%s: the same attr as libpfm4's", names[i]);
		is_str(fstr, pfm_fstr, "%s: the same qualified name", names[i]);
		free(fstr);
		free(pfm_fstr);
	}
}

int main(void)
{
	check_table(generic, sizeof(generic) / sizeof(generic[0]), "generic");
	test_tracepoints();
	test_groups();
	test_call_graph();
	test_software_as_libpfm();

	/*
	 * PMU-specific names: this VM has no PMU, so force libpfm4's Skylake
	 * table (LIBPFM_FORCE_PMU, read when libpfm4 initializes).
	 */
	pfm_terminate();
	setenv("LIBPFM_FORCE_PMU", "skl", 1);
	check_table(skylake, sizeof(skylake) / sizeof(skylake[0]), "skl");
	pfm_terminate();
	unsetenv("LIBPFM_FORCE_PMU");
	return done_testing();
}
