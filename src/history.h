/* SPDX-License-Identifier: MIT */
/* history.h: a SQLite history of reports: add, list, baseline, trend chart. */
#ifndef PFOLD_HISTORY_H
#define PFOLD_HISTORY_H

#include <stddef.h>

#include "buf.h"
#include "report.h"

struct pfold_history;

/*
 * pfold_history_open - open (CREATE: create if missing) the history database
 * PATH and make its tables. *OUT is the caller's (pfold_history_close()).
 * Returns 0, -PFOLD_E_SQLITE (SQLite's message in the detail, e.g. "file is
 * not a database") or -PFOLD_E_NOMEM.
 */
int pfold_history_open(struct pfold_history **out, const char *path, int create);
/* pfold_history_close - close H (NULL is fine). */
void pfold_history_close(struct pfold_history *h);

/*
 * pfold_history_add - store the report R (borrowed) under NAME, with its
 * JSON text JSON (borrowed), the COMMIT and BRANCH (may be NULL: COMMIT
 * then defaults to the report's). *ID (may be NULL) receives the new row's
 * id. Returns 0 or -PFOLD_E_SQLITE.
 */
int pfold_history_add(struct pfold_history *h, const struct pfold_report *r, const char *json,
		      const char *name, const char *commit, const char *branch, long long *id);

/* struct pfold_history_entry - one stored report, as list and trend see it. */
struct pfold_history_entry {
	long long id;
	char *name, *created, *commit, *branch, *metric, *unit;
	double median, min, max;
	size_t n;
};

/*
 * pfold_history_list - the reports of NAME (NULL: all) and BRANCH (NULL: all),
 * oldest first, each with the summary of METRIC (NULL: the report's own
 * metric; rows without it are left out). *OUT (caller frees with
 * pfold_history_entries_free) and *NR. Returns 0, -PFOLD_E_SQLITE or -PFOLD_E_NOMEM.
 */
int pfold_history_list(struct pfold_history *h, const char *name, const char *branch,
		       const char *metric, struct pfold_history_entry **out, size_t *nr);
void pfold_history_entries_free(struct pfold_history_entry *e, size_t nr);

/*
 * pfold_history_baseline - the JSON text of the newest report of NAME and
 * BRANCH (either NULL: any). *JSON is the caller's (free()). Returns 0,
 * -PFOLD_E_NOT_FOUND or -PFOLD_E_SQLITE.
 */
int pfold_history_baseline(struct pfold_history *h, const char *name, const char *branch,
			   char **json);

/*
 * pfold_history_trend_svg - append to OUT a self-contained SVG line chart of
 * the NR entries' medians (with min-max bars), titled TITLE. Returns 0,
 * -PFOLD_E_NOT_FOUND (no entry) or -PFOLD_E_NOMEM.
 */
int pfold_history_trend_svg(const struct pfold_history_entry *e, size_t nr, const char *title,
			    struct pfold_buf *out);

#endif
