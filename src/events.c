// SPDX-License-Identifier: MIT
/* events.c: event names (libpfm4, software, tracepoints, groups) to perf_event_attr; PMU probe. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "events.h"
#include "pfm-load.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

static int is_tracefs(const char *dir)
{
	struct statfs sf;
	char path[512];

	if (statfs(dir, &sf) || (unsigned long)sf.f_type != TRACEFS_MAGIC)
		return 0;
	snprintf(path, sizeof(path), "%s/events", dir);
	return access(path, R_OK | X_OK) == 0;
}

const char *pfold_tracefs_dir(void)
{
	const char *env = getenv("PFOLD_TRACEFS");

	if (env)
		return *env && access(env, R_OK | X_OK) == 0 ? env : NULL;
	if (is_tracefs("/sys/kernel/tracing"))
		return "/sys/kernel/tracing";
	if (is_tracefs("/sys/kernel/debug/tracing"))
		return "/sys/kernel/debug/tracing";
	return NULL;
}

/* A tracepoint name is `subsys:name`, both [A-Za-z0-9_], one colon. */
static int looks_like_tracepoint(const char *name)
{
	const char *c = strchr(name, ':');
	const char *p;

	if (!c || c == name || !c[1] || strchr(c + 1, ':'))
		return 0;
	for (p = name; *p; p++)
		if (p != c && !isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return 0;
	return 1;
}

static int encode_tracepoint(const char *name, struct perf_event_attr *attr)
{
	const char *dir = pfold_tracefs_dir();
	const char *c = strchr(name, ':');
	char path[1024], num[32];
	ssize_t n;
	long long id;
	char *end;
	int fd;

	if (!dir)
		return pfold_error(PFOLD_E_TRACEFS,
				   "%s: tracefs is not mounted; run 'mount -t tracefs nodev /sys/kernel/tracing'",
				   name);
	snprintf(path, sizeof(path), "%s/events/%.*s/%s/id", dir,
		 (int)(c - name), name, c + 1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			return pfold_error(PFOLD_E_PERM, "%s: cannot read '%s': %s",
					   name, path, strerror(errno));
		return pfold_error(PFOLD_E_EVENT,
				   "%s: unknown event (neither a libpfm4 name for this machine's PMUs nor a tracepoint in %s/events; see 'pfold list --all')",
				   name, dir);
	}
	n = read(fd, num, sizeof(num) - 1);
	close(fd);
	if (n <= 0)
		return pfold_error(PFOLD_E_EVENT, "%s: cannot read '%s'", name, path);
	num[n] = 0;
	errno = 0;
	id = strtoll(num, &end, 10);
	if (errno || end == num || id < 0)
		return pfold_error(PFOLD_E_EVENT, "%s: bad tracepoint id in '%s'", name, path);
	attr->type = PERF_TYPE_TRACEPOINT;
	attr->config = (uint64_t)id;
	return 0;
}

/*
 * The software events by their perf names, encoded as libpfm4's perf::
 * table does (type, config, exclude_hv and exclude_guest, its qualified
 * name), so that recording cpu-clock neither loads libpfm4 nor pays its
 * start-up, which builds every PMU's tables: milliseconds on the fixed cost
 * of each recording. test-events checks each row against libpfm4 itself.
 */
static const struct software_event {
	const char *name, *pfm;
	uint64_t config;
} software_events[] = {
	{ "cpu-clock", "PERF_COUNT_SW_CPU_CLOCK", PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", "PERF_COUNT_SW_TASK_CLOCK", PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", "PERF_COUNT_SW_PAGE_FAULTS", PERF_COUNT_SW_PAGE_FAULTS },
	{ "faults", "PERF_COUNT_SW_PAGE_FAULTS", PERF_COUNT_SW_PAGE_FAULTS },
	{ "context-switches", "PERF_COUNT_SW_CONTEXT_SWITCHES", PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cs", "PERF_COUNT_SW_CONTEXT_SWITCHES", PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", "PERF_COUNT_SW_CPU_MIGRATIONS", PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "migrations", "PERF_COUNT_SW_CPU_MIGRATIONS", PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "minor-faults", "PERF_COUNT_SW_PAGE_FAULTS_MIN", PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", "PERF_COUNT_SW_PAGE_FAULTS_MAJ", PERF_COUNT_SW_PAGE_FAULTS_MAJ },
};

/* 1 when NAME (without modifiers) is a software event of the table above */
static int encode_software(const char *name, struct perf_event_attr *attr, char **fstr)
{
	size_t i;

	for (i = 0; i < sizeof(software_events) / sizeof(software_events[0]); i++) {
		const struct software_event *e = &software_events[i];

		if (strcmp(name, e->name))
			continue;
		attr->type = PERF_TYPE_SOFTWARE;
		attr->config = e->config;
		attr->exclude_hv = 1;
		attr->exclude_guest = 1;
		attr->size = sizeof(*attr);
		if (fstr && asprintf(fstr, "perf::%s:u=1:k=1:excl=0:mg=0:mh=1", e->pfm) < 0)
			*fstr = NULL;
		return 1;
	}
	return 0;
}

int pfold_event_encode(const char *name, struct perf_event_attr *attr,
		       char **fstr, enum pfold_event_kind *kind)
{
	const struct pfold_pfm *pfm;
	pfm_perf_encode_arg_t arg;
	char *qualified = NULL;
	int ret;

	memset(attr, 0, sizeof(*attr));
	if (fstr)
		*fstr = NULL;
	if (encode_software(name, attr, fstr)) {
		if (kind)
			*kind = PFOLD_EVENT_SOFTWARE;
		return 0;
	}
	pfm = pfold_pfm(&ret);
	if (!pfm)
		return ret;
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	arg.fstr = &qualified;
	ret = pfm->get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
					PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret == PFM_SUCCESS) {
		attr->size = sizeof(*attr);
		if (kind)
			*kind = attr->type == PERF_TYPE_SOFTWARE ?
				PFOLD_EVENT_SOFTWARE : PFOLD_EVENT_HARDWARE;
		if (fstr)
			*fstr = qualified;
		else
			free(qualified);
		return 0;
	}
	free(qualified);
	memset(attr, 0, sizeof(*attr));
	if (ret == PFM_ERR_NOTFOUND && looks_like_tracepoint(name)) {
		ret = encode_tracepoint(name, attr);
		if (ret)
			return ret;
		attr->size = sizeof(*attr);
		if (kind)
			*kind = PFOLD_EVENT_TRACEPOINT;
		return 0;
	}
	if (ret == PFM_ERR_NOTFOUND)
		return pfold_error(PFOLD_E_EVENT,
				   "%s: unknown event (see 'pfold list')", name);
	return pfold_error(PFOLD_E_EVENT, "%s: %s", name, pfm->strerror(ret));
}

void pfold_event_list_release(struct pfold_event_list *list)
{
	size_t i;

	for (i = 0; i < list->nr; i++) {
		free(list->ev[i].name);
		free(list->ev[i].fstr);
	}
	free(list->ev);
	list->ev = NULL;
	list->nr = list->alloc = 0;
	list->nr_groups = 0;
}

void pfold_event_list_ungroup(struct pfold_event_list *list)
{
	size_t i;

	for (i = 0; i < list->nr; i++) {
		list->ev[i].group = -1;
		list->ev[i].leader = 0;
	}
	list->nr_groups = 0;
}

static int add_event(struct pfold_event_list *list, const char *name,
		     size_t len, int group)
{
	struct pfold_event *ev;
	char *copy;
	int ret;

	while (len && isspace((unsigned char)*name)) {
		name++;
		len--;
	}
	while (len && isspace((unsigned char)name[len - 1]))
		len--;
	if (!len)
		return pfold_error(PFOLD_E_USAGE, "empty event name in the event list");
	if (PFOLD_GROW(list->ev, list->alloc, list->nr + 1))
		return -PFOLD_E_NOMEM;
	copy = strndup(name, len);
	if (!copy)
		return -PFOLD_E_NOMEM;
	ev = &list->ev[list->nr];
	memset(ev, 0, sizeof(*ev));
	ret = pfold_event_encode(copy, &ev->attr, &ev->fstr, &ev->kind);
	if (ret) {
		free(copy);
		return ret;
	}
	ev->name = copy;
	ev->group = group;
	ev->leader = 0;
	list->nr++;
	return 0;
}

int pfold_events_parse(struct pfold_event_list *list, const char *spec)
{
	size_t first = list->nr, i;
	int saved_groups = list->nr_groups;
	int in_group = -1, braces = 0, all_hw = 1, ret = 0;
	const char *p = spec, *start;

	while (*p) {
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '{') {
			if (in_group >= 0) {
				ret = pfold_error(PFOLD_E_USAGE, "'%s': nested '{' in the event list", spec);
				goto err_undo;
			}
			in_group = list->nr_groups++;
			braces = 1;
			p++;
			continue;
		}
		if (*p == '}') {
			if (in_group < 0) {
				ret = pfold_error(PFOLD_E_USAGE, "'%s': '}' without '{'", spec);
				goto err_undo;
			}
			in_group = -1;
			p++;
			/* group modifiers: :S (leader sampling) is what pfold always does */
			if (*p == ':') {
				p++;
				while (*p && *p != ',') {
					if (*p != 'S') {
						ret = pfold_error(PFOLD_E_USAGE,
								  "'%s': unsupported group modifier ':%c'",
								  spec, *p);
						goto err_undo;
					}
					p++;
				}
			}
			continue;
		}
		start = p;
		while (*p && *p != ',' && *p != '{' && *p != '}')
			p++;
		ret = add_event(list, start, p - start, in_group);
		if (ret)
			goto err_undo;
	}
	if (in_group >= 0) {
		ret = pfold_error(PFOLD_E_USAGE, "'%s': '{' without '}'", spec);
		goto err_undo;
	}
	if (list->nr == first) {
		ret = pfold_error(PFOLD_E_USAGE, "'%s': no event in the event list", spec);
		goto err_undo;
	}
	/* a plain list of two or more hardware events is one group */
	for (i = first; i < list->nr; i++)
		if (list->ev[i].kind != PFOLD_EVENT_HARDWARE)
			all_hw = 0;
	if (!braces && all_hw && list->nr - first >= 2) {
		for (i = first; i < list->nr; i++)
			list->ev[i].group = list->nr_groups;
		list->nr_groups++;
	}
	/* the first member of each group leads it; a group of one is no group */
	for (i = first; i < list->nr; i++) {
		struct pfold_event *ev = &list->ev[i];
		size_t j, members = 0;

		if (ev->group < 0)
			continue;
		for (j = first; j < list->nr; j++)
			if (list->ev[j].group == ev->group)
				members++;
		ev->leader = i == first || list->ev[i - 1].group != ev->group;
		if (members == 1) {
			ev->group = -1;
			ev->leader = 0;
		}
	}
	return 0;

err_undo:
	for (i = first; i < list->nr; i++) {
		free(list->ev[i].name);
		free(list->ev[i].fstr);
	}
	list->nr = first;
	list->nr_groups = saved_groups;
	return ret;
}

int pfold_perf_paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "re");
	int v = -100;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -100;
		fclose(f);
	}
	return v;
}

int pfold_perf_open_error(const char *name, int err)
{
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		return pfold_error(PFOLD_E_NO_PMU,
				   "%s: not counted on this machine (no PMU exposed, e.g. a VM)",
				   name);
	case EACCES:
	case EPERM:
		return pfold_error(PFOLD_E_PERM,
				   "%s: %s: kernel.perf_event_paranoid is %d; lower it (sysctl kernel.perf_event_paranoid=1) or run with CAP_PERFMON",
				   name, strerror(err), pfold_perf_paranoid());
	case ENOSYS:
		return pfold_error(PFOLD_E_UNSUPPORTED,
				   "%s: this kernel has no perf_event_open", name);
	default:
		return pfold_error(PFOLD_E_UNSUPPORTED, "%s: cannot open the event: %s",
				   name, strerror(err));
	}
}

int pfold_event_probe(const char *name, const struct perf_event_attr *attr,
		      int system_wide)
{
	struct perf_event_attr a = *attr;
	int fd;

	a.size = sizeof(a);
	a.disabled = 1;
	a.sample_period = 0;
	a.freq = 0;
	a.sample_type = 0;
	a.read_format = 0;
	fd = (int)syscall(SYS_perf_event_open, &a, system_wide ? -1 : 0,
			  system_wide ? 0 : -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return pfold_perf_open_error(name, errno);
	close(fd);
	return 0;
}

int pfold_event_foreach_pmu_event(void (*fn)(const char *name, const char *desc,
					     void *arg), void *arg)
{
	const struct pfold_pfm *pfm;
	pfm_pmu_info_t pinfo;
	pfm_event_info_t einfo;
	int pmu, idx, ret, count = 0;
	char full[512];

	pfm = pfold_pfm(&ret);
	if (!pfm)
		return ret;
	for (pmu = PFM_PMU_NONE; pmu < PFM_PMU_MAX; pmu++) {
		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm->get_pmu_info(pmu, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
			continue;
		for (idx = pinfo.first_event; idx != -1; idx = pfm->get_event_next(idx)) {
			memset(&einfo, 0, sizeof(einfo));
			einfo.size = sizeof(einfo);
			if (pfm->get_event_info(idx, PFM_OS_PERF_EVENT_EXT, &einfo) != PFM_SUCCESS)
				continue;
			snprintf(full, sizeof(full), "%s::%s", pinfo.name, einfo.name);
			fn(full, einfo.desc ? einfo.desc : "", arg);
			count++;
		}
	}
	return count;
}

static const char *const common_names[] = {
	"cycles", "instructions", "cache-references", "cache-misses",
	"branch-instructions", "branch-misses", "bus-cycles", "ref-cycles",
	"stalled-cycles-frontend", "stalled-cycles-backend",
	"L1-dcache-loads", "L1-dcache-load-misses", "LLC-loads",
	"LLC-load-misses", "dTLB-load-misses", "iTLB-load-misses",
	"cpu-clock", "task-clock", "page-faults", "minor-faults",
	"major-faults", "context-switches", "cpu-migrations",
	NULL
};

const char *const *pfold_event_common_names(void)
{
	return common_names;
}

int pfold_tracepoint_foreach(void (*fn)(const char *name, void *arg), void *arg)
{
	const char *dir = pfold_tracefs_dir();
	char path[512], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int count = 0;
	FILE *f;

	if (!dir)
		return pfold_error(PFOLD_E_TRACEFS,
				   "tracefs is not mounted; run 'mount -t tracefs nodev /sys/kernel/tracing'");
	snprintf(path, sizeof(path), "%s/available_events", dir);
	f = fopen(path, "re");
	if (!f)
		return pfold_error(errno == EACCES || errno == EPERM ? PFOLD_E_PERM : PFOLD_E_IO,
				   "cannot read '%s': %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = 0;
		if (!n)
			continue;
		fn(line, arg);
		count++;
	}
	free(line);
	fclose(f);
	return count;
}

int pfold_parse_call_graph(const char *arg, enum pfold_callchain *mode, uint32_t *stack_size)
{
	unsigned long size = PFOLD_DWARF_STACK_DEFAULT;
	char *end;

	if (!strcmp(arg, "fp")) {
		*mode = PFOLD_CALLCHAIN_FP;
		return 0;
	}
	if (strncmp(arg, "dwarf", 5) || (arg[5] && arg[5] != ','))
		return pfold_error(PFOLD_E_USAGE, "--call-graph '%s': expected fp or dwarf[,BYTES]",
				   arg);
	if (arg[5] == ',') {
		errno = 0;
		size = strtoul(arg + 6, &end, 0);
		if (errno || end == arg + 6 || *end || arg[6] == '-' || !size ||
		    size > PFOLD_DWARF_STACK_MAX)
			return pfold_error(PFOLD_E_USAGE,
					   "--call-graph '%s': the stack size must be 1..%d bytes",
					   arg, PFOLD_DWARF_STACK_MAX);
		size = (size + 7) & ~7UL;
	}
	*mode = PFOLD_CALLCHAIN_DWARF;
	*stack_size = (uint32_t)size;
	return 0;
}
