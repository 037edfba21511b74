/* SPDX-License-Identifier: MIT */
/* check.h: compare two reports metric by metric; verdict, warnings, blame list, output formats. */
#ifndef PFOLD_CHECK_H
#define PFOLD_CHECK_H

#include <stddef.h>

#include "buf.h"
#include "report.h"
#include "stats.h"

enum pfold_check_format {
	PFOLD_CHECK_TEXT,
	PFOLD_CHECK_JSON,
	PFOLD_CHECK_JUNIT,
	PFOLD_CHECK_MARKDOWN,
};

struct pfold_check_opts {
	double threshold;		/* 0.10 for 10% */
	const char *const *metrics;	/* named metrics (--metric), or NULL */
	size_t nr_metrics;
	size_t top;			/* length of the blame list */
	const char *base_name;		/* how to call the baseline in output (its path) */
	const char *cur_name;		/* and the current side */
};

/* struct pfold_check_metric - one compared metric. */
struct pfold_check_metric {
	char *name, *unit;
	int gating;			/* decides the verdict (else information only) */
	size_t base_n, cur_n;
	struct pfold_compare cmp;
};

/* struct pfold_check_blame - a function whose self cost grew. */
struct pfold_check_blame {
	char *name;
	double base_self, cur_self;	/* share of the event's total, 0..1 */
	double growth;			/* cur_self - base_self */
};

/* struct pfold_check_result - everything a check found; owns its strings, borrows nothing. */
struct pfold_check_result {
	double threshold;
	char *command;			/* the current side's command, shell-quoted */
	char *base_name, *cur_name;
	double base_wall_ms, cur_wall_ms;	/* median wall time, NAN if unknown */
	size_t base_runs, cur_runs;
	char *metric_reason;		/* why the gating metric(s) */
	struct pfold_check_metric *metrics;
	size_t nr_metrics, alloc_metrics;
	char **warnings;
	size_t nr_warnings, alloc_warnings;
	int mismatch;			/* host or event-set mismatch (an error with --strict) */
	char *blame_event;
	struct pfold_check_blame *blame;
	size_t nr_blame, alloc_blame;
	char *diff_flamegraph;		/* path, when the current report names one */
	enum pfold_verdict verdict;
};

/*
 * pfold_check_compare - compare CUR against BASE (both borrowed) with OPTS.
 * Without named metrics the gating metric is the first of instructions,
 * cycles, task-clock, cpu-time, wall-time counted on both sides, and the result says
 * why; every other metric counted on both sides is compared for
 * information. Differences of host fingerprint or event set become warnings
 * (mismatch set). On success *OUT is owned by the caller
 * (pfold_check_free()). Returns 0, -PFOLD_E_NOT_FOUND (a named metric is
 * missing on a side, or nothing in common), or -PFOLD_E_NOMEM.
 */
int pfold_check_compare(struct pfold_check_result **out, const struct pfold_report *base,
			const struct pfold_report *cur, const struct pfold_check_opts *opts);

/* pfold_check_free - free RES (NULL is fine). */
void pfold_check_free(struct pfold_check_result *res);

/* pfold_check_format_parse - "text", "json", "junit" or "markdown" to *FMT. Returns 0 or -PFOLD_E_USAGE. */
int pfold_check_format_parse(const char *name, enum pfold_check_format *fmt);

/* pfold_check_write - append RES in format FMT to OUT. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_check_write(const struct pfold_check_result *res, enum pfold_check_format fmt,
		      struct pfold_buf *out);

/*
 * pfold_shell_quote - append ARGV (N strings) to OUT as one shell command
 * line, quoting words that need it. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_shell_quote(struct pfold_buf *out, char *const *argv, size_t n);

#endif
