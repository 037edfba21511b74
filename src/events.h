/* SPDX-License-Identifier: MIT */
/* events.h: event names (libpfm4, software, tracepoints, groups) to perf_event_attr; PMU probe. */
#ifndef PFOLD_EVENTS_H
#define PFOLD_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

enum pfold_event_kind {
	PFOLD_EVENT_HARDWARE,	/* PERF_TYPE_HARDWARE, HW_CACHE, RAW or a PMU type */
	PFOLD_EVENT_SOFTWARE,	/* PERF_TYPE_SOFTWARE */
	PFOLD_EVENT_TRACEPOINT,	/* PERF_TYPE_TRACEPOINT, id read from tracefs */
};

/*
 * struct pfold_event - one event of an -e list. attr holds what the name
 * encodes (type, config, config1, exclude_*); the recorder adds the
 * sampling fields. group is the index of the event's group (-1: none);
 * the first member of a group is its leader.
 */
struct pfold_event {
	char *name;		/* as the user wrote it (modifiers included) */
	char *fstr;		/* libpfm4's fully qualified name, or NULL */
	enum pfold_event_kind kind;
	struct perf_event_attr attr;
	int group;
	int leader;
};

enum pfold_callchain {
	PFOLD_CALLCHAIN_NONE,
	PFOLD_CALLCHAIN_FP,	/* PERF_SAMPLE_CALLCHAIN, kernel and user */
	PFOLD_CALLCHAIN_DWARF,	/* REGS_USER + STACK_USER (+ kernel callchain) */
};

/* the default and largest user stack size of --call-graph dwarf, in bytes */
#define PFOLD_DWARF_STACK_DEFAULT	8192
#define PFOLD_DWARF_STACK_MAX		65528

/* struct pfold_event_list - the parsed events; owns every string. */
struct pfold_event_list {
	struct pfold_event *ev;
	size_t nr, alloc;
	int nr_groups;
	int user_only;		/* the probe had to add :u (perf_event_paranoid) */
};

#define PFOLD_EVENT_LIST_INIT { NULL, 0, 0, 0, 0 }

/*
 * pfold_event_encode - encode one event NAME (no group braces) into *ATTR
 * (zeroed first, size set). Names go to libpfm4 (generic perf names,
 * PMU-specific names, :u :k modifiers, raw rNNNN); `subsys:name` that
 * libpfm4 does not know is looked up as a tracepoint in tracefs. *FSTR, when
 * FSTR is not NULL, receives libpfm4's fully qualified name (caller frees;
 * NULL for tracepoints). *KIND receives the kind. Returns 0, -PFOLD_E_EVENT
 * (unknown name), -PFOLD_E_TRACEFS (tracefs not mounted, with the mount
 * advice) or -PFOLD_E_PFM.
 */
int pfold_event_encode(const char *name, struct perf_event_attr *attr,
		       char **fstr, enum pfold_event_kind *kind);

/*
 * pfold_events_parse - append the events of SPEC (an -e argument:
 * `a,b,{c,d}`, a group may end in `}:S`) to LIST. A plain list of two or more
 * hardware events, with no braces, forms one group. LIST owns what it
 * gains. Returns 0 or the code of pfold_event_encode / -PFOLD_E_USAGE
 * (unbalanced braces, empty name); LIST is unchanged on failure.
 */
int pfold_events_parse(struct pfold_event_list *list, const char *spec);

/*
 * pfold_parse_call_graph - parse a --call-graph argument ARG: "fp", "dwarf"
 * or "dwarf,BYTES" (1..PFOLD_DWARF_STACK_MAX, rounded up to a multiple of 8;
 * default PFOLD_DWARF_STACK_DEFAULT). Sets *MODE and, for dwarf, *STACK_SIZE
 * (left alone for fp). ARG stays the caller's. Returns 0 or -PFOLD_E_USAGE
 * (the detail quotes ARG and says what is expected); nothing is set then.
 */
int pfold_parse_call_graph(const char *arg, enum pfold_callchain *mode, uint32_t *stack_size);

/* pfold_event_list_release - free LIST's events and strings; LIST can be reused. */
void pfold_event_list_release(struct pfold_event_list *list);

/* pfold_event_list_ungroup - make every event of LIST independent. */
void pfold_event_list_ungroup(struct pfold_event_list *list);

/*
 * pfold_event_probe - open ATTR once (counting, disabled) for this process,
 * or on CPU 0 for every process when SYSTEM_WIDE, and close it. Returns 0,
 * -PFOLD_E_NO_PMU (ENOENT, EOPNOTSUPP, ENODEV: not counted on this machine),
 * -PFOLD_E_PERM (EACCES, EPERM: the message names perf_event_paranoid and
 * CAP_PERFMON) or -PFOLD_E_UNSUPPORTED (anything else, errno in the message).
 * NAME is used in the message only.
 */
int pfold_event_probe(const char *name, const struct perf_event_attr *attr,
		      int system_wide);

/*
 * pfold_perf_open_error - turn the errno ERR of perf_event_open for the event
 * NAME into a pfold error (as pfold_event_probe classifies it). Returns the
 * negative code.
 */
int pfold_perf_open_error(const char *name, int err);

/* pfold_perf_paranoid - kernel.perf_event_paranoid, or -100 when unreadable. */
int pfold_perf_paranoid(void);

/*
 * pfold_tracefs_dir - the mounted tracefs directory ($PFOLD_TRACEFS,
 * /sys/kernel/tracing or /sys/kernel/debug/tracing), or NULL when none is
 * mounted. Static storage.
 */
const char *pfold_tracefs_dir(void);

/*
 * pfold_event_foreach_pmu_event - call FN(name, desc, ARG) for every event of
 * every PMU libpfm4 has active on this machine (full `pmu::event` names).
 * Returns the number of events or -PFOLD_E_PFM.
 */
int pfold_event_foreach_pmu_event(void (*fn)(const char *name, const char *desc,
					     void *arg), void *arg);

/*
 * pfold_event_common_names - the generic hardware and software event names
 * pfold list shows (perf's names); a NULL-terminated static array.
 */
const char *const *pfold_event_common_names(void);

/*
 * pfold_tracepoint_foreach - call FN("subsys:name", ARG) for every tracepoint
 * in tracefs' available_events. Returns the count, or -PFOLD_E_TRACEFS (with
 * the mount advice) / -PFOLD_E_PERM / -PFOLD_E_IO.
 */
int pfold_tracepoint_foreach(void (*fn)(const char *name, void *arg), void *arg);

#endif
