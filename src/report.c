// SPDX-License-Identifier: MIT
/* report.c: report.json (pfold-report/1): the model, host fingerprint, JSON write and strict read. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "error.h"
#include "json.h"
#include "profile.h"
#include "fileutil.h"
#include "report.h"

static char *dup_or_null(const char *s, int *err)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		*err = -PFOLD_E_NOMEM;
	return p;
}

int pfold_report_new(struct pfold_report **out)
{
	struct pfold_report *r = calloc(1, sizeof(*r));
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int err = 0;

	if (!r)
		return -PFOLD_E_NOMEM;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	r->tool_version = dup_or_null(PACKAGE_VERSION, &err);
	r->created = dup_or_null(stamp, &err);
	if (err) {
		pfold_report_free(r);
		return err;
	}
	*out = r;
	return 0;
}

void pfold_report_free(struct pfold_report *r)
{
	size_t i, j;

	if (!r)
		return;
	free(r->tool_version);
	free(r->created);
	for (i = 0; i < r->command_len; i++)
		free(r->command[i]);
	free(r->command);
	free(r->cpu_model);
	free(r->kernel);
	free(r->arch);
	free(r->git_commit);
	free(r->metric);
	free(r->metric_reason);
	for (i = 0; i < r->nr_events; i++) {
		free(r->events[i].name);
		free(r->events[i].unit);
		free(r->events[i].fallback);
		free(r->events[i].values);
	}
	free(r->events);
	for (i = 0; i < r->nr_tops; i++) {
		for (j = 0; j < r->tops[i].nr_funcs; j++)
			free(r->tops[i].funcs[j].name);
		free(r->tops[i].funcs);
		free(r->tops[i].event);
	}
	free(r->tops);
	for (i = 0; i < r->nr_files; i++) {
		free(r->files[i].kind);
		free(r->files[i].path);
	}
	free(r->files);
	free(r);
}

int pfold_report_set_command(struct pfold_report *r, const char *const *argv)
{
	size_t n = 0, i;
	char **cmd;

	while (argv[n])
		n++;
	cmd = calloc(n + 1, sizeof(*cmd));
	if (!cmd)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < n; i++) {
		cmd[i] = strdup(argv[i]);
		if (!cmd[i]) {
			while (i--)
				free(cmd[i]);
			free(cmd);
			return -PFOLD_E_NOMEM;
		}
	}
	for (i = 0; i < r->command_len; i++)
		free(r->command[i]);
	free(r->command);
	r->command = cmd;
	r->command_len = n;
	return 0;
}

int pfold_report_add_event(struct pfold_report *r, const char *name, const char *unit,
			   int counted, const char *fallback, struct pfold_report_event **out)
{
	struct pfold_report_event *e;
	int err = 0;

	if (PFOLD_GROW(r->events, r->alloc_events, r->nr_events + 1))
		return -PFOLD_E_NOMEM;
	e = &r->events[r->nr_events];
	memset(e, 0, sizeof(*e));
	e->name = dup_or_null(name, &err);
	e->unit = dup_or_null(unit ? unit : "", &err);
	e->fallback = dup_or_null(fallback, &err);
	e->counted = counted;
	if (err) {
		free(e->name);
		free(e->unit);
		free(e->fallback);
		return err;
	}
	r->nr_events++;
	if (out)
		*out = e;
	return 0;
}

int pfold_report_event_add_value(struct pfold_report_event *e, double v)
{
	if (PFOLD_GROW(e->values, e->alloc_values, e->nr_values + 1))
		return -PFOLD_E_NOMEM;
	e->values[e->nr_values++] = v;
	return 0;
}

struct pfold_report_event *pfold_report_find_event(const struct pfold_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nr_events; i++)
		if (r->events[i].counted && !strcmp(r->events[i].name, name))
			return &r->events[i];
	return NULL;
}

int pfold_report_add_top(struct pfold_report *r, const char *event, double event_total,
			 const char *const *names, const double *self, const double *total,
			 size_t nr)
{
	struct pfold_report_top *t;
	size_t i;

	if (PFOLD_GROW(r->tops, r->alloc_tops, r->nr_tops + 1))
		return -PFOLD_E_NOMEM;
	t = &r->tops[r->nr_tops];
	memset(t, 0, sizeof(*t));
	t->event = strdup(event);
	t->event_total = event_total;
	if (!t->event)
		return -PFOLD_E_NOMEM;
	r->nr_tops++;	/* from here pfold_report_free() frees what is attached */
	if (PFOLD_GROW(t->funcs, t->alloc_funcs, nr ? nr : 1))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < nr; i++) {
		t->funcs[i].name = strdup(names[i]);
		if (!t->funcs[i].name)
			return -PFOLD_E_NOMEM;
		t->funcs[i].self = self[i];
		t->funcs[i].total = total ? total[i] : NAN;
		t->nr_funcs++;
	}
	return 0;
}

int pfold_report_add_file(struct pfold_report *r, const char *kind, const char *path)
{
	struct pfold_report_file *f;
	int err = 0;

	if (PFOLD_GROW(r->files, r->alloc_files, r->nr_files + 1))
		return -PFOLD_E_NOMEM;
	f = &r->files[r->nr_files];
	f->kind = dup_or_null(kind, &err);
	f->path = dup_or_null(path, &err);
	if (err) {
		free(f->kind);
		free(f->path);
		return err;
	}
	r->nr_files++;
	return 0;
}

struct frame_cost {
	uint32_t id;
	double self, total;
};

static int cmp_self(const void *a, const void *b)
{
	const struct frame_cost *x = a, *y = b;

	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_total(const void *a, const void *b)
{
	const struct frame_cost *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int pfold_report_add_profile(struct pfold_report *r, const struct pfold_profile *p, size_t top)
{
	size_t nf = pfold_profile_nr_frames(p), ns = pfold_profile_nr_stacks(p);
	size_t ne = pfold_profile_nr_events(p), ev, i, k, nsel;
	struct frame_cost *cost = NULL, *sel = NULL;
	size_t *seen = NULL;
	const char **names = NULL;
	double *self = NULL, *total = NULL;
	int ret = 0;

	if (!nf || !ns || !top)
		return 0;
	cost = calloc(nf, sizeof(*cost));
	sel = calloc(2 * top, sizeof(*sel));
	seen = calloc(nf, sizeof(*seen));
	names = calloc(2 * top, sizeof(*names));
	self = calloc(2 * top, sizeof(*self));
	total = calloc(2 * top, sizeof(*total));
	if (!cost || !sel || !seen || !names || !self || !total) {
		ret = -PFOLD_E_NOMEM;
		goto out_free;
	}
	for (ev = 0; ev < ne && !ret; ev++) {
		for (i = 0; i < nf; i++) {
			cost[i].id = (uint32_t)i;
			cost[i].self = cost[i].total = 0;
			seen[i] = 0;
		}
		for (i = 0; i < ns; i++) {
			struct pfold_stack st;
			double c;

			if (pfold_profile_stack(p, i, &st) || !st.nframes)
				continue;
			c = (double)st.counts[ev];
			/* the root comm/pid frames (kind OTHER) are no functions */
			if (pfold_profile_frame_kind(p, st.frames[st.nframes - 1]) != PFOLD_FRAME_OTHER)
				cost[st.frames[st.nframes - 1]].self += c;
			/* total: once per stack even when a frame recurses */
			for (k = 0; k < st.nframes; k++) {
				if (seen[st.frames[k]] == i + 1 ||
				    pfold_profile_frame_kind(p, st.frames[k]) == PFOLD_FRAME_OTHER)
					continue;
				seen[st.frames[k]] = i + 1;
				cost[st.frames[k]].total += c;
			}
		}
		nsel = 0;
		qsort(cost, nf, sizeof(*cost), cmp_self);
		for (i = 0; i < nf && i < top; i++)
			if (cost[i].self > 0)
				sel[nsel++] = cost[i];
		qsort(cost, nf, sizeof(*cost), cmp_total);
		for (i = 0; i < nf && i < top; i++) {
			if (!(cost[i].total > 0))
				continue;
			for (k = 0; k < nsel; k++)
				if (sel[k].id == cost[i].id)
					break;
			if (k == nsel)
				sel[nsel++] = cost[i];
		}
		qsort(sel, nsel, sizeof(*sel), cmp_self);
		for (i = 0; i < nsel; i++) {
			names[i] = pfold_profile_frame_name(p, sel[i].id);
			self[i] = sel[i].self;
			total[i] = sel[i].total;
		}
		ret = pfold_report_add_top(r, pfold_profile_event_name(p, ev),
					   (double)pfold_profile_total(p, ev), names, self, total, nsel);
	}
out_free:
	free(cost);
	free(sel);
	free(seen);
	free(names);
	free(self);
	free(total);
	return ret;
}

static const char *const preferred[] = { "instructions", "cycles", "task-clock", "cpu-time",
					 "wall-time" };

int pfold_report_finish(struct pfold_report *r)
{
	struct pfold_buf why = PFOLD_BUF_INIT;
	size_t i, p;
	int ret = 0;

	for (i = 0; i < r->nr_events; i++) {
		struct pfold_report_event *e = &r->events[i];

		ret = pfold_stats_summarize(&e->summary, e->values, e->nr_values);
		if (ret)
			return ret;
		if (e->nr_values > r->runs)
			r->runs = e->nr_values;
	}
	free(r->metric);
	free(r->metric_reason);
	r->metric = r->metric_reason = NULL;
	for (p = 0; p < sizeof(preferred) / sizeof(preferred[0]); p++) {
		struct pfold_report_event *e = pfold_report_find_event(r, preferred[p]);

		if (e && e->nr_values)
			break;
	}
	if (p == sizeof(preferred) / sizeof(preferred[0]))
		return 0;	/* nothing counted */
	if (p == 0) {
		ret = pfold_buf_adds(&why, "instructions are the most stable metric");
	} else {
		size_t q;

		ret = pfold_buf_addf(&why, "%s", !r->pmu ? "no hardware PMU on this machine: " : "");
		for (q = 0; q < p && !ret; q++) {
			const char *fb = NULL;

			for (i = 0; i < r->nr_events; i++)
				if (!strcmp(r->events[i].name, preferred[q]))
					fb = r->events[i].fallback;
			ret = pfold_buf_addf(&why, "%s%s %s", q ? ", " : "", preferred[q],
					     fb ? "not counted" : "not requested");
		}
		if (!ret)
			ret = pfold_buf_addf(&why, "; fallback to %s", preferred[p]);
	}
	if (!ret) {
		r->metric = strdup(preferred[p]);
		r->metric_reason = pfold_buf_detach(&why, NULL);
		if (!r->metric || !r->metric_reason)
			ret = -PFOLD_E_NOMEM;
	}
	pfold_buf_release(&why);
	return ret;
}

/* ---- host fingerprint ---- */

static char *cpu_model(void)
{
	static const char *const keys[] = { "model name", "Processor", "cpu model", "uarch", NULL };
	char line[512], *best = NULL;
	FILE *f = fopen("/proc/cpuinfo", "r");
	int k;

	if (!f)
		return NULL;
	while (!best && fgets(line, sizeof(line), f)) {
		for (k = 0; keys[k]; k++) {
			size_t n = strlen(keys[k]);
			char *v, *end;

			if (strncmp(line, keys[k], n) || !(v = strchr(line, ':')))
				continue;
			for (v++; *v == ' ' || *v == '\t'; v++)
				;
			end = v + strlen(v);
			while (end > v && (end[-1] == '\n' || end[-1] == ' '))
				*--end = '\0';
			if (*v)
				best = strdup(v);
			break;
		}
	}
	fclose(f);
	return best;
}

static int probe_pmu(void)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* the first line of PATH, trailing blanks dropped; 0 or -1 */
static int read_small(const char *path, char *buf, size_t size)
{
	size_t n;

	if (pfold_read_small(path, buf, size))
		return -1;
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static int is_sha(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return (n == 40 || n == 64) && !s[n];
}

/* the commit checked out in GITDIR, or NULL */
static char *git_head(const char *gitdir)
{
	char path[4096], buf[4096], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/HEAD", gitdir);
	if (read_small(path, buf, sizeof(buf)))
		return NULL;
	if (is_sha(buf))
		return strdup(buf);
	if (strncmp(buf, "ref: ", 5) || strstr(buf, ".."))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", gitdir, buf + 5);
	if (!read_small(path, line, sizeof(line)) && is_sha(line))
		return strdup(line);
	snprintf(path, sizeof(path), "%s/packed-refs", gitdir);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		sp[strcspn(sp + 1, "\n") + 1] = '\0';
		if (!strcmp(sp + 1, buf + 5) && is_sha(line)) {
			fclose(f);
			return strdup(line);
		}
	}
	fclose(f);
	return NULL;
}

static char *git_commit(void)
{
	static const char *const vars[] = { "GITHUB_SHA", "CI_COMMIT_SHA", NULL };
	char dir[4096], gitdir[2 * 4096 + 16], buf[4096];
	struct stat st;
	int i;

	for (i = 0; vars[i]; i++) {
		const char *v = getenv(vars[i]);

		if (v && is_sha(v))
			return strdup(v);
	}
	if (!getcwd(dir, sizeof(dir)))
		return NULL;
	for (;;) {
		char *slash;

		snprintf(gitdir, sizeof(gitdir), "%s/.git", dir);
		if (!stat(gitdir, &st)) {
			if (S_ISDIR(st.st_mode))
				return git_head(gitdir);
			/* a worktree or submodule: "gitdir: PATH" */
			if (read_small(gitdir, buf, sizeof(buf)) || strncmp(buf, "gitdir: ", 8))
				return NULL;
			if (buf[8] == '/')
				return git_head(buf + 8);
			snprintf(gitdir, sizeof(gitdir), "%s/%s", dir, buf + 8);
			return git_head(gitdir);
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return NULL;
		*slash = '\0';
	}
}

int pfold_host_fill(struct pfold_report *r)
{
	struct utsname u;

	free(r->cpu_model);
	free(r->kernel);
	free(r->arch);
	free(r->git_commit);
	r->cpu_model = r->kernel = r->arch = NULL;
	if (uname(&u) == 0) {
		r->kernel = strdup(u.release);
		r->arch = strdup(u.machine);
		if (!r->kernel || !r->arch)
			return -PFOLD_E_NOMEM;
	}
	r->cpu_model = cpu_model();
	r->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	r->pmu = probe_pmu();
	r->git_commit = git_commit();
	return 0;
}

/* ---- write ---- */

static void write_summary(struct pfold_json_writer *w, const struct pfold_summary *s)
{
	pfold_jw_begin_object(w, "summary", 1);
	pfold_jw_number(w, "n", (double)s->n);
	pfold_jw_number(w, "median", s->median);
	pfold_jw_number(w, "mean", s->mean);
	pfold_jw_number(w, "stddev", s->stddev);
	pfold_jw_number(w, "min", s->min);
	pfold_jw_number(w, "max", s->max);
	pfold_jw_begin_array(w, "ci95", 1);
	pfold_jw_number(w, NULL, s->ci95_lo);
	pfold_jw_number(w, NULL, s->ci95_hi);
	pfold_jw_end_array(w);
	pfold_jw_end_object(w);
}

int pfold_report_write(const struct pfold_report *r, struct pfold_buf *out)
{
	struct pfold_json_writer w;
	size_t i, j;

	pfold_jw_init(&w, out);
	pfold_jw_begin_object(&w, NULL, 0);
	pfold_jw_string(&w, "format", PFOLD_REPORT_FORMAT);
	pfold_jw_begin_object(&w, "tool", 1);
	pfold_jw_string(&w, "name", "pfold");
	pfold_jw_string(&w, "version", r->tool_version);
	pfold_jw_end_object(&w);
	pfold_jw_string(&w, "created", r->created);
	pfold_jw_begin_array(&w, "command", 1);
	for (i = 0; i < r->command_len; i++)
		pfold_jw_string(&w, NULL, r->command[i]);
	pfold_jw_end_array(&w);
	pfold_jw_begin_object(&w, "host", 0);
	pfold_jw_string(&w, "cpu_model", r->cpu_model);
	pfold_jw_string(&w, "kernel", r->kernel);
	pfold_jw_string(&w, "arch", r->arch);
	pfold_jw_number(&w, "ncpus", (double)r->ncpus);
	pfold_jw_bool(&w, "pmu", r->pmu);
	pfold_jw_end_object(&w);
	pfold_jw_string(&w, "git_commit", r->git_commit);
	pfold_jw_number(&w, "runs", (double)r->runs);
	pfold_jw_begin_object(&w, "metric", 0);
	pfold_jw_string(&w, "name", r->metric);
	pfold_jw_string(&w, "reason", r->metric_reason);
	pfold_jw_end_object(&w);
	pfold_jw_begin_array(&w, "events", 0);
	for (i = 0; i < r->nr_events; i++) {
		const struct pfold_report_event *e = &r->events[i];

		pfold_jw_begin_object(&w, NULL, 0);
		pfold_jw_string(&w, "name", e->name);
		pfold_jw_string(&w, "unit", e->unit);
		pfold_jw_bool(&w, "counted", e->counted);
		pfold_jw_string(&w, "fallback", e->fallback);
		pfold_jw_bool(&w, "scaled", e->scaled);
		pfold_jw_begin_array(&w, "values", 1);
		for (j = 0; j < e->nr_values; j++)
			pfold_jw_number(&w, NULL, e->values[j]);
		pfold_jw_end_array(&w);
		write_summary(&w, &e->summary);
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_array(&w);
	if (r->nr_tops || r->nr_files) {
		pfold_jw_begin_object(&w, "profile", 0);
		pfold_jw_begin_array(&w, "top", 0);
		for (i = 0; i < r->nr_tops; i++) {
			const struct pfold_report_top *t = &r->tops[i];

			pfold_jw_begin_object(&w, NULL, 0);
			pfold_jw_string(&w, "event", t->event);
			pfold_jw_number(&w, "total", t->event_total);
			pfold_jw_begin_array(&w, "functions", 0);
			for (j = 0; j < t->nr_funcs; j++) {
				pfold_jw_begin_object(&w, NULL, 1);
				pfold_jw_string(&w, "name", t->funcs[j].name);
				pfold_jw_number(&w, "self", t->funcs[j].self);
				pfold_jw_number(&w, "total", t->funcs[j].total);
				pfold_jw_end_object(&w);
			}
			pfold_jw_end_array(&w);
			pfold_jw_end_object(&w);
		}
		pfold_jw_end_array(&w);
		pfold_jw_begin_object(&w, "files", 0);
		for (i = 0; i < r->nr_files; i++)
			pfold_jw_string(&w, r->files[i].kind, r->files[i].path);
		pfold_jw_end_object(&w);
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_object(&w);
	return pfold_jw_finish(&w);
}

int pfold_report_save(const struct pfold_report *r, const char *path)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	int ret = pfold_report_write(r, &b);
	FILE *f;

	if (ret)
		goto out_release;
	f = (!path || !strcmp(path, "-")) ? stdout : fopen(path, "w");
	if (!f) {
		ret = pfold_error(PFOLD_E_IO, "cannot open '%s' for writing: %s", path, strerror(errno));
		goto out_release;
	}
	if (fwrite(b.data, 1, b.len, f) != b.len || fflush(f))
		ret = pfold_error(PFOLD_E_IO, "write error on '%s': %s", path ? path : "-", strerror(errno));
	if (f != stdout && fclose(f) && !ret)
		ret = pfold_error(PFOLD_E_IO, "write error on '%s': %s", path, strerror(errno));
out_release:
	pfold_buf_release(&b);
	return ret;
}

/* ---- read ---- */

static int bad_field(const char *field, const char *want)
{
	return pfold_error(PFOLD_E_PARSE, "report field '%s' is not %s", field, want);
}

/* copy the optional string member KEY of J into *DST; a non-string non-null is an error */
static int get_str(const struct pfold_json *j, const char *key, char **dst, const char *field)
{
	const struct pfold_json *v = pfold_json_get(j, key);

	if (!v || v->type == PFOLD_JSON_NULL)
		return 0;
	if (v->type != PFOLD_JSON_STRING)
		return bad_field(field, "a string");
	free(*dst);
	*dst = strdup(v->string);
	return *dst ? 0 : -PFOLD_E_NOMEM;
}

static int get_num(const struct pfold_json *j, const char *key, double *dst, const char *field)
{
	const struct pfold_json *v = pfold_json_get(j, key);

	if (!v || v->type == PFOLD_JSON_NULL)
		return 0;
	if (v->type != PFOLD_JSON_NUMBER)
		return bad_field(field, "a number");
	*dst = v->number;
	return 0;
}

static int parse_events(struct pfold_report *r, const struct pfold_json *arr)
{
	size_t i, k;
	int ret;

	if (!arr)
		return pfold_error(PFOLD_E_PARSE, "report has no 'events'");
	if (arr->type != PFOLD_JSON_ARRAY)
		return bad_field("events", "an array");
	for (i = 0; i < arr->len; i++) {
		const struct pfold_json *ej = arr->items[i], *v;
		struct pfold_report_event *e;
		const char *name;
		char *unit = NULL, *fb = NULL;
		int counted = 1;

		if (ej->type != PFOLD_JSON_OBJECT)
			return bad_field("events[]", "an object");
		name = pfold_json_str(pfold_json_get(ej, "name"));
		if (!name || !*name)
			return pfold_error(PFOLD_E_PARSE, "report event %zu has no name", i);
		v = pfold_json_get(ej, "counted");
		if (v && v->type == PFOLD_JSON_BOOL)
			counted = v->boolean;
		else if (v)
			return bad_field("events[].counted", "true or false");
		if ((ret = get_str(ej, "unit", &unit, "events[].unit")) ||
		    (ret = get_str(ej, "fallback", &fb, "events[].fallback"))) {
			free(unit);
			free(fb);
			return ret;
		}
		ret = pfold_report_add_event(r, name, unit, counted, fb, &e);
		free(unit);
		free(fb);
		if (ret)
			return ret;
		v = pfold_json_get(ej, "scaled");
		e->scaled = v && v->type == PFOLD_JSON_BOOL && v->boolean;
		v = pfold_json_get(ej, "values");
		if (!v)
			continue;
		if (v->type != PFOLD_JSON_ARRAY)
			return bad_field("events[].values", "an array");
		for (k = 0; k < v->len; k++) {
			if (v->items[k]->type != PFOLD_JSON_NUMBER)
				return pfold_error(PFOLD_E_PARSE, "value %zu of event '%s' is not a number",
						   k, name);
			if ((ret = pfold_report_event_add_value(e, v->items[k]->number)))
				return ret;
		}
	}
	return 0;
}

static int parse_profile(struct pfold_report *r, const struct pfold_json *p)
{
	const struct pfold_json *top, *files;
	size_t i, k;
	int ret;

	if (!p || p->type == PFOLD_JSON_NULL)
		return 0;
	if (p->type != PFOLD_JSON_OBJECT)
		return bad_field("profile", "an object");
	top = pfold_json_get(p, "top");
	if (top && top->type != PFOLD_JSON_ARRAY)
		return bad_field("profile.top", "an array");
	for (i = 0; top && i < top->len; i++) {
		const struct pfold_json *t = top->items[i], *fn;
		const char *ev = pfold_json_str(pfold_json_get(t, "event"));
		const char **names;
		double *self, *total, ev_total = NAN;

		fn = pfold_json_get(t, "functions");
		if (!ev || !fn || fn->type != PFOLD_JSON_ARRAY)
			return pfold_error(PFOLD_E_PARSE, "profile.top[%zu] needs 'event' and 'functions'", i);
		if ((ret = get_num(t, "total", &ev_total, "profile.top[].total")))
			return ret;
		names = calloc(fn->len + 1, sizeof(*names));
		self = calloc(fn->len + 1, sizeof(*self));
		total = calloc(fn->len + 1, sizeof(*total));
		ret = (!names || !self || !total) ? -PFOLD_E_NOMEM : 0;
		for (k = 0; !ret && k < fn->len; k++) {
			names[k] = pfold_json_str(pfold_json_get(fn->items[k], "name"));
			total[k] = self[k] = NAN;
			if (!names[k])
				ret = pfold_error(PFOLD_E_PARSE, "profile.top[%zu].functions[%zu] has no name", i, k);
			else if (!(ret = get_num(fn->items[k], "self", &self[k], "functions[].self")))
				ret = get_num(fn->items[k], "total", &total[k], "functions[].total");
		}
		if (!ret)
			ret = pfold_report_add_top(r, ev, ev_total, names, self, total, fn->len);
		free(names);
		free(self);
		free(total);
		if (ret)
			return ret;
	}
	files = pfold_json_get(p, "files");
	if (files && files->type == PFOLD_JSON_OBJECT)
		for (i = 0; i < files->len; i++)
			if (files->items[i]->type == PFOLD_JSON_STRING &&
			    (ret = pfold_report_add_file(r, files->keys[i], files->items[i]->string)))
				return ret;
	return 0;
}

int pfold_report_parse(struct pfold_report **out, const char *text, size_t len)
{
	struct pfold_json *root = NULL;
	const struct pfold_json *fmt, *v, *host, *tool, *metric;
	struct pfold_report *r = NULL;
	double num;
	size_t i;
	int ret;

	ret = pfold_json_parse(&root, text, len);
	if (ret == -PFOLD_E_JSON) {
		char detail[512];

		snprintf(detail, sizeof(detail), "%s", pfold_errmsg(ret));
		return pfold_error(PFOLD_E_JSON, "not a pfold report: %s", detail);
	}
	if (ret)
		return ret;
	if (root->type != PFOLD_JSON_OBJECT) {
		ret = pfold_error(PFOLD_E_FORMAT, "not a pfold report (a JSON %s, not an object)",
				  root->type == PFOLD_JSON_ARRAY ? "array" : "scalar");
		goto out_free_json;
	}
	fmt = pfold_json_get(root, "format");
	if (!pfold_json_str(fmt) || strncmp(fmt->string, "pfold-report/", 13)) {
		ret = pfold_error(PFOLD_E_FORMAT, "not a pfold report (no \"format\": \"%s\")",
				  PFOLD_REPORT_FORMAT);
		goto out_free_json;
	}
	if (strcmp(fmt->string, PFOLD_REPORT_FORMAT)) {
		ret = pfold_error(PFOLD_E_FORMAT, "report format '%.64s' is not supported (this pfold reads %s)",
				  fmt->string, PFOLD_REPORT_FORMAT);
		goto out_free_json;
	}
	ret = pfold_report_new(&r);
	if (ret)
		goto out_free_json;
	free(r->tool_version);
	r->tool_version = NULL;
	tool = pfold_json_get(root, "tool");
	if ((ret = get_str(tool, "version", &r->tool_version, "tool.version")) ||
	    (ret = get_str(root, "created", &r->created, "created")) ||
	    (ret = get_str(root, "git_commit", &r->git_commit, "git_commit")))
		goto out_free_report;
	v = pfold_json_get(root, "command");
	if (v && v->type == PFOLD_JSON_ARRAY) {
		const char **argv = calloc(v->len + 1, sizeof(*argv));

		if (!argv) {
			ret = -PFOLD_E_NOMEM;
			goto out_free_report;
		}
		for (i = 0; i < v->len; i++)
			if (!(argv[i] = pfold_json_str(v->items[i])))
				argv[i] = "?";
		ret = pfold_report_set_command(r, argv);
		free(argv);
		if (ret)
			goto out_free_report;
	} else if (v && v->type != PFOLD_JSON_NULL) {
		ret = bad_field("command", "an array of strings");
		goto out_free_report;
	}
	host = pfold_json_get(root, "host");
	if (host && host->type != PFOLD_JSON_OBJECT && host->type != PFOLD_JSON_NULL) {
		ret = bad_field("host", "an object");
		goto out_free_report;
	}
	num = 0;
	if ((ret = get_str(host, "cpu_model", &r->cpu_model, "host.cpu_model")) ||
	    (ret = get_str(host, "kernel", &r->kernel, "host.kernel")) ||
	    (ret = get_str(host, "arch", &r->arch, "host.arch")) ||
	    (ret = get_num(host, "ncpus", &num, "host.ncpus")))
		goto out_free_report;
	r->ncpus = (long)num;
	v = pfold_json_get(host, "pmu");
	r->pmu = v && v->type == PFOLD_JSON_BOOL && v->boolean;
	if ((ret = parse_events(r, pfold_json_get(root, "events"))) ||
	    (ret = parse_profile(r, pfold_json_get(root, "profile"))))
		goto out_free_report;
	/* summaries and the preferred metric are recomputed from the values */
	if ((ret = pfold_report_finish(r)))
		goto out_free_report;
	metric = pfold_json_get(root, "metric");
	if (metric && pfold_json_str(pfold_json_get(metric, "reason")) && r->metric &&
	    pfold_json_str(pfold_json_get(metric, "name")) &&
	    !strcmp(r->metric, pfold_json_get(metric, "name")->string) &&
	    (ret = get_str(metric, "reason", &r->metric_reason, "metric.reason")))
		goto out_free_report;
	pfold_json_free(root);
	*out = r;
	return 0;
out_free_report:
	pfold_report_free(r);
out_free_json:
	pfold_json_free(root);
	return ret;
}

int pfold_report_load(struct pfold_report **out, const char *path)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	char chunk[65536];
	int fd, ret;
	ssize_t n;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return pfold_error(PFOLD_E_IO, "cannot open: %s", strerror(errno));
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = pfold_error(PFOLD_E_IO, "read error: %s", strerror(errno));
			goto out_close;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > (256u << 20)) {
			ret = pfold_error(PFOLD_E_LIMIT, "report larger than 256 MiB");
			goto out_close;
		}
		if ((ret = pfold_buf_add(&b, chunk, (size_t)n)))
			goto out_close;
	}
	if (!b.len) {
		ret = pfold_error(PFOLD_E_JSON, "not a pfold report: the file is empty");
		goto out_close;
	}
	ret = pfold_report_parse(out, b.data, b.len);
out_close:
	if (fd > 0)
		close(fd);
	pfold_buf_release(&b);
	return ret;
}
