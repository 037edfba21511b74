/* SPDX-License-Identifier: MIT */
/* report.h: the report.json model (design.md §5): build, read, write. */
#ifndef PFOLD_REPORT_H
#define PFOLD_REPORT_H

#include <stddef.h>

#include "buf.h"
#include "stats.h"

#define PFOLD_REPORT_FORMAT "pfold-report/1"

/*
 * struct pfold_report_event - one metric of a report: a counter (task-clock,
 * instructions...) or a measured time (wall-time, cpu-time). A requested
 * event the machine could not count has counted = 0, no values, and
 * FALLBACK saying why it was dropped. All strings are owned by the report.
 */
struct pfold_report_event {
	char *name;
	char *unit;		/* "msec" or "" for plain counts */
	char *fallback;		/* what happened instead of the plain event, or NULL */
	int counted;
	int scaled;		/* some run was multiplexed (values scaled) */
	double *values;		/* one per run */
	size_t nr_values, alloc_values;
	struct pfold_summary summary;
};

/* struct pfold_report_func - one function of a profile's top list. */
struct pfold_report_func {
	char *name;
	double self, total;	/* in the event's samples/periods, over the profile */
};

/* struct pfold_report_top - the top functions of a profile for one event. */
struct pfold_report_top {
	char *event;
	double event_total;	/* the event's total over the profile */
	struct pfold_report_func *funcs;
	size_t nr_funcs, alloc_funcs;
};

/* struct pfold_report_file - an artifact that goes with the report (svg, folded, data). */
struct pfold_report_file {
	char *kind;
	char *path;
};

struct pfold_report {
	char *tool_version;
	char *created;		/* UTC, ISO 8601 */
	char **command;		/* argv of the measured command */
	size_t command_len;
	/* host fingerprint */
	char *cpu_model, *kernel, *arch;
	long ncpus;
	int pmu;		/* a hardware PMU was available */
	char *git_commit;	/* or NULL */
	size_t runs;
	/* the preferred metric for check and why it was chosen */
	char *metric, *metric_reason;
	struct pfold_report_event *events;
	size_t nr_events, alloc_events;
	struct pfold_report_top *tops;
	size_t nr_tops, alloc_tops;
	struct pfold_report_file *files;
	size_t nr_files, alloc_files;
};

/* pfold_report_new - an empty report with tool version, time and host filled in. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_report_new(struct pfold_report **out);
/* pfold_report_free - free R and everything it owns (NULL is fine). */
void pfold_report_free(struct pfold_report *r);

/* pfold_report_set_command - copy ARGV (NULL-terminated) into R. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_report_set_command(struct pfold_report *r, const char *const *argv);

/*
 * pfold_report_add_event - append an event named NAME with UNIT (copied);
 * *OUT (may be NULL) points at it until the next add. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_report_add_event(struct pfold_report *r, const char *name, const char *unit,
			   int counted, const char *fallback, struct pfold_report_event **out);
/* pfold_report_event_add_value - append one run's value. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_report_event_add_value(struct pfold_report_event *e, double v);
/* pfold_report_find_event - the counted event NAME of R, or NULL. Borrowed. */
struct pfold_report_event *pfold_report_find_event(const struct pfold_report *r, const char *name);

/*
 * pfold_report_add_top - attach a profile's top functions for EVENT: NR
 * functions with their names (copied) and self/total costs, and the event's
 * total. This is how `pfold profile` puts a profile into the report.
 * Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_report_add_top(struct pfold_report *r, const char *event, double event_total,
			 const char *const *names, const double *self, const double *total,
			 size_t nr);
struct pfold_profile;

/*
 * pfold_report_add_profile - attach the top functions of the profile P
 * (borrowed) for each of its events: the TOP frames by self cost (the leaf
 * of a stack) and the TOP by total cost (anywhere in a stack, counted once
 * per stack), self first, with the event's total. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_report_add_profile(struct pfold_report *r, const struct pfold_profile *p, size_t top);

/* pfold_report_add_file - record an artifact path of KIND (svg, folded, data). Returns 0 or -PFOLD_E_NOMEM. */
int pfold_report_add_file(struct pfold_report *r, const char *kind, const char *path);

/*
 * pfold_report_finish - compute the summaries of every event and choose the
 * preferred metric (instructions, cycles, task-clock, cpu-time, wall-time: the first
 * counted one) with the reason. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_report_finish(struct pfold_report *r);

/* pfold_report_write - append R as JSON to OUT. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_report_write(const struct pfold_report *r, struct pfold_buf *out);
/* pfold_report_save - write R to the file PATH ("-": stdout). Returns 0 or -PFOLD_E_IO with a detail. */
int pfold_report_save(const struct pfold_report *r, const char *path);

/*
 * pfold_report_parse - read a report from the LEN bytes of TEXT. Errors:
 * -PFOLD_E_JSON (not JSON, truncated: detail with the offset), -PFOLD_E_FORMAT
 * (JSON but not a pfold report, or another format version), -PFOLD_E_PARSE
 * (a field of the wrong type). *OUT is set only on success; the caller owns it.
 */
int pfold_report_parse(struct pfold_report **out, const char *text, size_t len);
/* pfold_report_load - read the file PATH ("-": stdin) with pfold_report_parse. Returns as it does, or -PFOLD_E_IO. */
int pfold_report_load(struct pfold_report **out, const char *path);

/*
 * pfold_host_fill - fill R's host fingerprint (CPU model, kernel, arch,
 * CPUs, PMU) and git commit from this machine. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_host_fill(struct pfold_report *r);

#endif
