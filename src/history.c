// SPDX-License-Identifier: MIT
/* history.c: reports kept in SQLite (one row per report, one per metric), listed, charted. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "error.h"
#include "history.h"

struct pfold_history {
	sqlite3 *db;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS reports ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created TEXT, added TEXT,"
	" git_commit TEXT, branch TEXT, command TEXT, cpu_model TEXT, kernel TEXT, pmu INTEGER,"
	" metric TEXT, json TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS metrics ("
	" report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE, event TEXT NOT NULL,"
	" unit TEXT, n INTEGER, median REAL, mean REAL, stddev REAL, min REAL, max REAL,"
	" PRIMARY KEY (report_id, event));"
	"CREATE INDEX IF NOT EXISTS reports_name ON reports(name, branch);";

static int sql_error(sqlite3 *db, const char *what)
{
	return pfold_error(PFOLD_E_SQLITE, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

int pfold_history_open(struct pfold_history **out, const char *path, int create)
{
	struct pfold_history *h = calloc(1, sizeof(*h));
	int ret;

	if (!h)
		return -PFOLD_E_NOMEM;
	if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
			    NULL) != SQLITE_OK) {
		ret = sql_error(h->db, "cannot open the history database");
		goto err_close;
	}
	sqlite3_busy_timeout(h->db, 5000);
	if (sqlite3_exec(h->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		ret = sql_error(h->db, "not a pfold history database");
		goto err_close;
	}
	*out = h;
	return 0;
err_close:
	sqlite3_close(h->db);
	free(h);
	return ret;
}

void pfold_history_close(struct pfold_history *h)
{
	if (!h)
		return;
	sqlite3_close(h->db);
	free(h);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int pfold_history_add(struct pfold_history *h, const struct pfold_report *r, const char *json,
		      const char *name, const char *commit, const char *branch, long long *id)
{
	struct pfold_buf cmd = PFOLD_BUF_INIT;
	sqlite3_stmt *st = NULL;
	char added[32];
	time_t now = time(NULL);
	struct tm tm;
	long long rid;
	size_t i;
	int ret = 0;

	gmtime_r(&now, &tm);
	strftime(added, sizeof(added), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (pfold_shell_quote(&cmd, r->command, r->command_len))
		return -PFOLD_E_NOMEM;
	if (sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		ret = sql_error(h->db, "cannot add to the history");
		goto out_release;
	}
	if (sqlite3_prepare_v2(h->db,
			       "INSERT INTO reports (name, created, added, git_commit, branch, command,"
			       " cpu_model, kernel, pmu, metric, json) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto err_sql;
	bind_text(st, 1, name ? name : (cmd.data ? cmd.data : ""));
	bind_text(st, 2, r->created);
	bind_text(st, 3, added);
	bind_text(st, 4, commit ? commit : r->git_commit);
	bind_text(st, 5, branch);
	bind_text(st, 6, cmd.data ? cmd.data : "");
	bind_text(st, 7, r->cpu_model);
	bind_text(st, 8, r->kernel);
	sqlite3_bind_int(st, 9, r->pmu);
	bind_text(st, 10, r->metric);
	bind_text(st, 11, json);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto err_sql;
	sqlite3_finalize(st);
	st = NULL;
	rid = sqlite3_last_insert_rowid(h->db);
	if (sqlite3_prepare_v2(h->db,
			       "INSERT OR REPLACE INTO metrics (report_id, event, unit, n, median, mean,"
			       " stddev, min, max) VALUES (?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		goto err_sql;
	for (i = 0; i < r->nr_events; i++) {
		const struct pfold_report_event *e = &r->events[i];

		if (!e->counted || !e->summary.n)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, rid);
		bind_text(st, 2, e->name);
		bind_text(st, 3, e->unit);
		sqlite3_bind_int64(st, 4, (long long)e->summary.n);
		bind_real(st, 5, e->summary.median);
		bind_real(st, 6, e->summary.mean);
		bind_real(st, 7, e->summary.stddev);
		bind_real(st, 8, e->summary.min);
		bind_real(st, 9, e->summary.max);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto err_sql;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto err_sql;
	if (id)
		*id = rid;
	goto out_release;
err_sql:
	ret = sql_error(h->db, "cannot add to the history");
	sqlite3_finalize(st);
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
out_release:
	pfold_buf_release(&cmd);
	return ret;
}

static char *col_dup(sqlite3_stmt *st, int i, int *err)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	char *p;

	if (!t)
		return NULL;
	p = strdup((const char *)t);
	if (!p)
		*err = 1;
	return p;
}

static double col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

void pfold_history_entries_free(struct pfold_history_entry *e, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(e[i].name);
		free(e[i].created);
		free(e[i].commit);
		free(e[i].branch);
		free(e[i].metric);
		free(e[i].unit);
	}
	free(e);
}

int pfold_history_list(struct pfold_history *h, const char *name, const char *branch,
		       const char *metric, struct pfold_history_entry **out, size_t *nr)
{
	struct pfold_history_entry *v = NULL;
	size_t n = 0, alloc = 0;
	sqlite3_stmt *st = NULL;
	int rc, oom = 0;

	if (sqlite3_prepare_v2(h->db,
			       "SELECT r.id, r.name, r.created, r.git_commit, r.branch, m.event, m.unit,"
			       " m.median, m.min, m.max, m.n FROM reports r JOIN metrics m ON m.report_id = r.id"
			       " WHERE (?1 IS NULL OR r.name = ?1) AND (?2 IS NULL OR r.branch = ?2)"
			       " AND m.event = COALESCE(?3, r.metric) ORDER BY r.id", -1, &st, NULL) != SQLITE_OK)
		return sql_error(h->db, "cannot read the history");
	bind_text(st, 1, name);
	bind_text(st, 2, branch);
	bind_text(st, 3, metric);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pfold_history_entry *e;

		if (PFOLD_GROW(v, alloc, n + 1)) {
			oom = 1;
			break;
		}
		e = &v[n++];
		memset(e, 0, sizeof(*e));
		e->id = sqlite3_column_int64(st, 0);
		e->name = col_dup(st, 1, &oom);
		e->created = col_dup(st, 2, &oom);
		e->commit = col_dup(st, 3, &oom);
		e->branch = col_dup(st, 4, &oom);
		e->metric = col_dup(st, 5, &oom);
		e->unit = col_dup(st, 6, &oom);
		e->median = col_real(st, 7);
		e->min = col_real(st, 8);
		e->max = col_real(st, 9);
		e->n = (size_t)sqlite3_column_int64(st, 10);
	}
	sqlite3_finalize(st);
	if (oom || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
		pfold_history_entries_free(v, n);
		return oom ? -PFOLD_E_NOMEM : sql_error(h->db, "cannot read the history");
	}
	*out = v;
	*nr = n;
	return 0;
}

int pfold_history_baseline(struct pfold_history *h, const char *name, const char *branch,
			   char **json)
{
	sqlite3_stmt *st = NULL;
	int rc, oom = 0;

	if (sqlite3_prepare_v2(h->db,
			       "SELECT json FROM reports WHERE (?1 IS NULL OR name = ?1)"
			       " AND (?2 IS NULL OR branch = ?2) ORDER BY id DESC LIMIT 1", -1, &st,
			       NULL) != SQLITE_OK)
		return sql_error(h->db, "cannot read the history");
	bind_text(st, 1, name);
	bind_text(st, 2, branch);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*json = col_dup(st, 0, &oom);
		sqlite3_finalize(st);
		return oom || !*json ? -PFOLD_E_NOMEM : 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_error(h->db, "cannot read the history");
	return pfold_error(PFOLD_E_NOT_FOUND, "no report in the history%s%s%s%s",
			   name ? " named " : "", name ? name : "", branch ? " on branch " : "",
			   branch ? branch : "");
}

int pfold_history_trend_svg(const struct pfold_history_entry *e, size_t nr, const char *title,
			    struct pfold_buf *o)
{
	const double W = 800, H = 400, L = 80, R = 20, T = 40, B = 50;
	double lo = INFINITY, hi = -INFINITY, pad;
	size_t i;
	int ret = 0, k;

	for (i = 0; i < nr; i++) {
		double a = isfinite(e[i].min) ? e[i].min : e[i].median;
		double b = isfinite(e[i].max) ? e[i].max : e[i].median;

		if (isfinite(a) && a < lo)
			lo = a;
		if (isfinite(b) && b > hi)
			hi = b;
	}
	if (!nr || !isfinite(lo))
		return pfold_error(PFOLD_E_NOT_FOUND, "no report in the history to chart");
	pad = (hi - lo) * 0.1 + (hi == lo ? fabs(hi) * 0.05 + 1 : 0);
	lo -= pad;
	hi += pad;
#define X(i) (L + (nr > 1 ? (W - L - R) * (double)(i) / (double)(nr - 1) : (W - L - R) / 2))
#define Y(v) (T + (H - T - B) * (1 - ((v) - lo) / (hi - lo)))
	ret |= pfold_buf_addf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
			      "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
			      "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W, H, W, H);
	ret |= pfold_buf_addf(o, "<text x=\"%.0f\" y=\"24\" font-size=\"16\">", L);
	ret |= pfold_buf_add_xml(o, title, strlen(title));
	ret |= pfold_buf_adds(o, "</text>\n");
	for (k = 0; k <= 4; k++) {
		double v = lo + (hi - lo) * k / 4;

		ret |= pfold_buf_addf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
				      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>\n",
				      L, Y(v), W - R, Y(v), L - 6, Y(v) + 4, v);
	}
	ret |= pfold_buf_adds(o, "<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"2\" points=\"");
	for (i = 0; i < nr; i++)
		if (isfinite(e[i].median))
			ret |= pfold_buf_addf(o, "%.1f,%.1f ", X(i), Y(e[i].median));
	ret |= pfold_buf_adds(o, "\"/>\n");
	for (i = 0; i < nr; i++) {
		if (!isfinite(e[i].median))
			continue;
		if (isfinite(e[i].min) && isfinite(e[i].max))
			ret |= pfold_buf_addf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c33\" opacity=\"0.5\"/>\n",
					      X(i), Y(e[i].min), X(i), Y(e[i].max));
		ret |= pfold_buf_addf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#c33\"><title>#%lld ",
				      X(i), Y(e[i].median), e[i].id);
		if (e[i].commit)
			ret |= pfold_buf_add_xml(o, e[i].commit, strlen(e[i].commit) > 12 ? 12 : strlen(e[i].commit));
		ret |= pfold_buf_adds(o, " ");
		if (e[i].created)
			ret |= pfold_buf_add_xml(o, e[i].created, strlen(e[i].created));
		ret |= pfold_buf_adds(o, ": ");
		if (e[i].metric)
			ret |= pfold_buf_add_xml(o, e[i].metric, strlen(e[i].metric));
		ret |= pfold_buf_addf(o, " median %.6g ", e[i].median);
		if (e[i].unit)
			ret |= pfold_buf_add_xml(o, e[i].unit, strlen(e[i].unit));
		ret |= pfold_buf_adds(o, "</title></circle>\n");
	}
	ret |= pfold_buf_addf(o, "<text x=\"%.0f\" y=\"%.0f\">oldest</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">newest (%zu reports)</text>\n",
			      L, H - 15, W - R, H - 15, nr);
	ret |= pfold_buf_adds(o, "</svg>\n");
#undef X
#undef Y
	return ret ? -PFOLD_E_NOMEM : 0;
}
