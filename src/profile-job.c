// SPDX-License-Identifier: MIT
/* profile-job.c: the one-shot job of `pfold profile`: record -> fold -> flamegraph -> counting runs -> report -> compare. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counting.h"
#include "error.h"
#include "events.h"
#include "flame-svg.h"
#include "flame.h"
#include "folded.h"
#include "pfold.h"
#include "profile-job.h"
#include "profile.h"
#include "stacks.h"
#include "writer.h"

#define MAX_NOTES 16

static int add_note(struct pfold_profile_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_note(struct pfold_profile_job *job, const char *fmt, ...)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	va_list ap;
	int ret;

	if (job->nr_notes >= MAX_NOTES)
		return 0;
	va_start(ap, fmt);
	ret = pfold_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (ret || PFOLD_GROW(job->notes, job->alloc_notes, job->nr_notes + 1)) {
		pfold_buf_release(&b);
		return -PFOLD_E_NOMEM;
	}
	job->notes[job->nr_notes++] = pfold_buf_detach(&b, NULL);
	return 0;
}

static void fold_warning(void *arg, const char *msg)
{
	add_note(arg, "fold: %s", msg);
}

void pfold_profile_job_free(struct pfold_profile_job *job)
{
	size_t i;

	if (!job)
		return;
	free(job->data_path);
	free(job->folded_path);
	free(job->svg_path);
	free(job->json_path);
	free(job->diff_svg_path);
	free(job->name);
	free(job->sample_fallback);
	free(job->sampled);
	for (i = 0; i < job->nr_notes; i++)
		free(job->notes[i]);
	free(job->notes);
	pfold_report_free(job->report);
	pfold_report_free(job->baseline);
	pfold_check_free(job->check);
	free(job);
}

int pfold_profile_job_regressed(const struct pfold_profile_job *job)
{
	return job && job->check && job->check->verdict == PFOLD_VERDICT_REGRESSION;
}

/* ---- names ---- */

/* mkdir -p DIR */
static int make_dirs(const char *dir)
{
	char *p, *s = strdup(dir);
	struct stat st;

	if (!s)
		return -PFOLD_E_NOMEM;
	for (p = s + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		{
			char c = *p;

			*p = 0;
			if (mkdir(s, 0777) && errno != EEXIST) {
				int ret = pfold_error(PFOLD_E_IO, "cannot create directory '%s': %s",
						      s, strerror(errno));

				free(s);
				return ret;
			}
			*p = c;
		}
		if (!*p)
			break;
	}
	free(s);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return pfold_error(PFOLD_E_IO, "'%s' is not a directory", dir);
	return 0;
}

/* NAME as a file name prefix: bytes other than [A-Za-z0-9._+-] become '_' */
static char *clean_name(const char *name)
{
	const char *base = strrchr(name, '/');
	char *s, *p;

	base = base ? base + 1 : name;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		base = "profile";
	s = strdup(base);
	if (!s)
		return NULL;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '+' || *p == '-'))
			*p = '_';
	return s;
}

static const char *const exts[] = { "data", "folded", "svg", "json", "diff.svg" };

static char *with_ext(const char *stem, const char *ext);

/* 1 when a file STEM.EXT of the job exists, -1 out of memory, else 0 */
static int stem_taken(const char *stem)
{
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		char *path = with_ext(stem, exts[i]);
		int taken;

		if (!path)
			return -1;
		taken = !access(path, F_OK);
		free(path);
		if (taken)
			return 1;
	}
	return 0;
}

static char *with_ext(const char *stem, const char *ext)
{
	struct pfold_buf b = PFOLD_BUF_INIT;

	if (pfold_buf_addf(&b, "%s.%s", stem, ext)) {
		pfold_buf_release(&b);
		return NULL;
	}
	return pfold_buf_detach(&b, NULL);
}

/* DIR/NAME_YYYYmmdd_HHMMSS[_N] not used yet: the job's file names */
static int choose_paths(struct pfold_profile_job *job, const struct pfold_profile_job_opts *o)
{
	const char *dir = o->dir && *o->dir ? o->dir : PFOLD_PROFILE_DIR;
	time_t when = o->when ? o->when : time(NULL);
	struct pfold_buf stem = PFOLD_BUF_INIT;
	char stamp[32];
	struct tm tm;
	size_t len;
	int n, ret, taken;

	job->name = clean_name(o->name && *o->name ? o->name : o->argv[0]);
	if (!job->name)
		return -PFOLD_E_NOMEM;
	ret = make_dirs(dir);
	if (ret)
		return ret;
	if (!gmtime_r(&when, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%d_%H%M%S", &tm))
		return pfold_error(PFOLD_E_INVAL, "cannot format the time %lld", (long long)when);
	if (pfold_buf_addf(&stem, "%s%s%s_%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			   job->name, stamp))
		goto err_nomem;
	len = stem.len;
	for (n = 2; (taken = stem_taken(stem.data)); n++) {
		if (taken < 0)
			goto err_nomem;
		if (n > 999) {
			ret = pfold_error(PFOLD_E_LIMIT, "%s: too many profiles of that name in one second",
					  stem.data);
			goto err_release;
		}
		stem.len = len;
		stem.data[len] = 0;
		if (pfold_buf_addf(&stem, "_%d", n))
			goto err_nomem;
	}
	job->data_path = with_ext(stem.data, "data");
	job->folded_path = with_ext(stem.data, "folded");
	job->svg_path = with_ext(stem.data, "svg");
	job->json_path = with_ext(stem.data, "json");
	if (!job->data_path || !job->folded_path || !job->svg_path || !job->json_path)
		goto err_nomem;
	pfold_buf_release(&stem);
	return 0;

err_nomem:
	ret = -PFOLD_E_NOMEM;
err_release:
	pfold_buf_release(&stem);
	return ret;
}

static int write_file(const char *path, const struct pfold_buf *b)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f)
		return pfold_error(PFOLD_E_IO, "cannot create '%s': %s", path, strerror(errno));
	bad = b->len && fwrite(b->data, 1, b->len, f) != b->len;
	bad |= ferror(f);
	if (fclose(f) || bad) {
		unlink(path);
		return pfold_error(PFOLD_E_IO, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
	}
	return 0;
}

/* ---- record ---- */

static int sample_events(struct pfold_event_list *list, struct pfold_profile_job *job,
			 const struct pfold_profile_job_opts *o)
{
	char *msg = NULL;
	size_t i;
	int ret;

	if (!o->nr_events) {
		ret = pfold_events_parse(list, "cycles");
	} else {
		for (i = 0, ret = 0; i < o->nr_events && !ret; i++) {
			/* wall-time and cpu-time are measured, not sampled */
			if (!strcmp(o->events[i], "wall-time") || !strcmp(o->events[i], "cpu-time"))
				continue;
			ret = pfold_events_parse(list, o->events[i]);
		}
		if (!ret && !list->nr)
			ret = pfold_events_parse(list, "cycles");
	}
	if (ret)
		return ret;
	ret = pfold_record_probe(list, 1, 0, &msg);
	if (ret)
		return ret;
	free(job->sampled);
	job->sampled = list->nr ? strdup(list->ev[0].name) : NULL;
	if (list->nr && !job->sampled) {
		free(msg);
		return -PFOLD_E_NOMEM;
	}
	if (msg) {
		struct pfold_buf b = PFOLD_BUF_INIT;

		ret = pfold_buf_addf(&b, "%s; sampled cpu-clock instead", msg);
		free(msg);
		if (ret) {
			pfold_buf_release(&b);
			return -PFOLD_E_NOMEM;
		}
		job->sample_fallback = pfold_buf_detach(&b, NULL);
	}
	return 0;
}

static int record(struct pfold_profile_job *job, const struct pfold_profile_job_opts *o)
{
	struct pfold_event_list list = PFOLD_EVENT_LIST_INIT;
	struct pfold_record_opts ro;
	struct pfold_header_info info;
	struct pfold_writer *w = NULL;
	struct pfold_recorder *r = NULL;
	const char **cmdline = NULL;
	size_t argc, i;
	int ret, st;

	ret = sample_events(&list, job, o);
	if (ret)
		goto out_events;
	memset(&ro, 0, sizeof(ro));
	ro.events = &list;
	ro.freq = o->freq ? o->freq : 999;
	ro.callchain = o->callchain == PFOLD_CALLCHAIN_NONE ? PFOLD_CALLCHAIN_FP : o->callchain;
	ro.stack_size = o->stack_size ? o->stack_size : 8192;
	ro.argv = o->argv;
	ro.child_stdout_fd = -1;

	ret = pfold_writer_open(&w, job->data_path, NULL);
	if (ret)
		goto out_events;
	ro.writer = w;
	ret = pfold_recorder_open(&r, &ro);
	if (ret)
		goto err_abort;

	/* the header's command line: what perf record would show for this job */
	for (argc = 0; o->argv[argc]; argc++)
		;
	cmdline = calloc(argc + 4, sizeof(*cmdline));
	if (!cmdline) {
		ret = -PFOLD_E_NOMEM;
		goto err_close;
	}
	cmdline[0] = "pfold";
	cmdline[1] = "profile";
	cmdline[2] = "--";
	for (i = 0; i < argc; i++)
		cmdline[3 + i] = o->argv[i];
	pfold_header_info_init(&info);
	ret = pfold_writer_host_info(&info, (int)argc + 3, cmdline);
	if (!ret)
		ret = pfold_writer_set_header_info(w, &info);
	pfold_header_info_release(&info);
	free(cmdline);
	if (ret)
		goto err_close;

	if (o->active)
		*o->active = r;
	ret = pfold_recorder_run(r, &job->record);
	if (o->active)
		*o->active = NULL;
	if (ret)
		goto err_close;
	pfold_recorder_close(r);
	r = NULL;
	ret = pfold_writer_close(w);
	w = NULL;
	if (ret)
		goto err_unlink;
	st = job->record.child_status;
	if (job->record.stopped_by) {
		ret = pfold_error(PFOLD_E_INTERRUPTED, "'%s': recording stopped by signal %d",
				  o->argv[0], job->record.stopped_by);
		goto out_events;
	}
	if (job->record.has_child && WIFSIGNALED(st)) {
		ret = pfold_error(PFOLD_E_CHILD, "'%s' was killed by signal %d while recorded",
				  o->argv[0], WTERMSIG(st));
		goto out_events;
	}
	if (job->record.has_child && WIFEXITED(st) && WEXITSTATUS(st)) {
		ret = pfold_error(PFOLD_E_CHILD, "'%s' exited with status %d while recorded",
				  o->argv[0], WEXITSTATUS(st));
		goto out_events;
	}
	goto out_events;

err_close:
	if (o->active)
		*o->active = NULL;
	pfold_recorder_close(r);
err_abort:
	pfold_writer_abort(w);
err_unlink:
	unlink(job->data_path);
out_events:
	pfold_event_list_release(&list);
	return ret;
}

/* ---- flamegraphs ---- */

static int draw(const struct pfold_profile *p, int diff, const char *title, const char *note,
		const char *path)
{
	struct pfold_flame_options lo;
	struct pfold_flame_svg_options so;
	struct pfold_flame *layout = NULL;
	struct pfold_buf svg = PFOLD_BUF_INIT;
	int ret;

	memset(&lo, 0, sizeof(lo));
	lo.metric = 0;
	lo.minwidth = -1;
	lo.diff_base = diff ? 1 : -1;
	lo.base_scale = 1.0;
	memset(&so, 0, sizeof(so));
	so.title = title;
	so.note = note;
	so.color_num = so.color_den = -1;
	ret = pfold_flame_layout(&layout, p, &lo);
	if (ret)
		return ret;
	ret = pfold_flame_svg(layout, &so, &svg);
	if (!ret)
		ret = write_file(path, &svg);
	pfold_buf_release(&svg);
	pfold_flame_free(layout);
	return ret;
}

/* WHAT and the command line ARGV, shell-quoted, appended to B */
static int command_title(struct pfold_buf *b, const char *what, const char *const *argv)
{
	size_t n;

	for (n = 0; argv[n]; n++)
		;
	if (pfold_buf_addf(b, "%s", what) || pfold_shell_quote(b, (char *const *)argv, n))
		return -PFOLD_E_NOMEM;
	return 0;
}

/* the baseline's folded file, when it is still there: a differential flamegraph */
static int draw_diff(struct pfold_profile_job *job, const struct pfold_profile *cur,
		     const struct pfold_profile_job_opts *o)
{
	const struct pfold_report *b = job->baseline;
	const char *bpath = NULL, *ev = pfold_profile_event_name(cur, 0);
	struct pfold_profile *base = NULL, *d = NULL;
	struct pfold_buf title = PFOLD_BUF_INIT;
	char *stem;
	size_t i;
	int slot, ret;

	for (i = 0; i < b->nr_files; i++)
		if (!strcmp(b->files[i].kind, "folded"))
			bpath = b->files[i].path;
	if (!bpath)
		return add_note(job, "no differential flamegraph: the baseline names no folded file");
	if (access(bpath, R_OK))
		return add_note(job, "no differential flamegraph: the baseline's folded file '%s' is not here",
				bpath);
	ret = pfold_profile_open(&base);
	if (ret)
		return ret;
	ret = pfold_flame_read(base, bpath, NULL, NULL, NULL, NULL);
	if (ret) {
		ret = add_note(job, "no differential flamegraph: %s", pfold_errmsg(ret));
		goto out_base;
	}
	/* a single-column folded file has no event names: its one slot is the metric */
	slot = pfold_profile_find_event(base, ev);
	if (slot < 0 && pfold_profile_nr_events(base) == 1)
		slot = 0;
	if (slot < 0) {
		ret = add_note(job, "no differential flamegraph: the baseline's profile has no %s", ev);
		goto out_base;
	}
	ret = pfold_flame_diff_profile(&d, cur, 0, base, slot);
	if (ret)
		goto out_base;
	stem = strdup(job->svg_path);
	if (!stem) {
		ret = -PFOLD_E_NOMEM;
		goto out_diff;
	}
	stem[strlen(stem) - 4] = 0;	/* ".svg" */
	job->diff_svg_path = with_ext(stem, "diff.svg");
	free(stem);
	if (!job->diff_svg_path) {
		ret = -PFOLD_E_NOMEM;
		goto out_diff;
	}
	ret = command_title(&title, "pfold profile (change against the baseline): ", o->argv);
	if (!ret)
		ret = draw(d, 1, title.data, NULL, job->diff_svg_path);
	if (ret) {
		free(job->diff_svg_path);
		job->diff_svg_path = NULL;
	}
	pfold_buf_release(&title);
out_diff:
	pfold_profile_close(d);
out_base:
	pfold_profile_close(base);
	return ret;
}

/* ---- the job ---- */

static int split_default_events(char **storage, const char ***names, size_t *nr)
{
	char *p, *tok, *save;
	size_t n = 0;

	p = *storage = strdup(PFOLD_COUNT_DEFAULT_EVENTS);
	*names = calloc(8, sizeof(**names));
	if (!p || !*names)
		return -PFOLD_E_NOMEM;
	for (tok = strtok_r(p, ",", &save); tok && n < 8; tok = strtok_r(NULL, ",", &save))
		(*names)[n++] = tok;
	*nr = n;
	return 0;
}

int pfold_profile_job_run(struct pfold_profile_job **out,
			  const struct pfold_profile_job_opts *o)
{
	struct pfold_profile_job *job;
	struct pfold_profile *prof = NULL;
	struct pfold_fold_options fo;
	struct pfold_fold_stats fs;
	struct pfold_buf b = PFOLD_BUF_INIT;
	const char **defaults = NULL;
	const char *const *events = o->events;
	size_t nr_events = o->nr_events, nslots;
	char *storage = NULL;
	int ret;

	if (!o->argv || !o->argv[0] || !*o->argv[0])
		return pfold_error(PFOLD_E_USAGE, "no command to profile");
	job = calloc(1, sizeof(*job));
	if (!job)
		return -PFOLD_E_NOMEM;

	/* 1. a bad baseline fails before anything runs */
	if (o->compare) {
		ret = pfold_report_load(&job->baseline, o->compare);
		if (ret) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", pfold_errmsg(ret));
			if (!strstr(msg, o->compare))
				pfold_error(-ret, "%s: %s", o->compare, msg);
			goto err_free;
		}
	}
	ret = choose_paths(job, o);
	if (ret)
		goto err_free;

	/* 2. record; where perf_event_open is refused (containers), the counting runs still run */
	ret = pfold_profile_open(&prof);
	if (ret)
		goto err_free;
	ret = record(job, o);
	if (ret == -PFOLD_E_PERM || ret == -PFOLD_E_UNSUPPORTED) {
		ret = add_note(job, "no profile: %s", pfold_errmsg(ret));
		if (ret)
			goto err_prof;
		free(job->data_path);
		free(job->folded_path);
		free(job->svg_path);
		job->data_path = job->folded_path = job->svg_path = NULL;
		goto count;
	}
	if (ret)
		goto err_prof;

	/* 3. fold: every sampled event is a slot */
	memset(&fo, 0, sizeof(fo));
	fo.all_events = 1;
	fo.python = o->python;	/* the Python view: src/python-view.c */
	memset(&fs, 0, sizeof(fs));
	ret = pfold_fold_perf_data(job->data_path, &fo, prof, &fs, fold_warning, job);
	if (ret)
		goto err_prof;
	job->samples = fs.samples;
	if (o->python && !fs.python_stacks)
		add_note(job, "--python: no py:: frames (Python 3.12 or later with its perf trampoline, -X perf, names them)");
	if (!pfold_profile_nr_events(prof) || !fs.samples) {
		add_note(job, "the recording holds no samples: the command ran too briefly for %lu Hz",
			 (unsigned long)(o->freq ? o->freq : 999));
		/* an empty folded file and an empty graph all the same */
		if (!pfold_profile_nr_events(prof) && job->sampled &&
		    (ret = pfold_profile_add_event(prof, job->sampled)) < 0)
			goto err_prof;
	}
	nslots = pfold_profile_nr_events(prof);
	if (nslots) {
		ret = pfold_folded_write(prof, nslots == 1 ? 0 : -1, &b);
		if (!ret)
			ret = write_file(job->folded_path, &b);
		pfold_buf_release(&b);
		if (ret)
			goto err_prof;

		/* 4. the flamegraph */
		ret = command_title(&b, "pfold profile: ", o->argv);
		if (!ret)
			ret = draw(prof, 0, b.data, job->sample_fallback, job->svg_path);
		pfold_buf_release(&b);
		if (ret)
			goto err_prof;
	}

	/* 5. counting runs */
count:
	nslots = pfold_profile_nr_events(prof);
	if (!nr_events) {
		ret = split_default_events(&storage, &defaults, &nr_events);
		if (ret)
			goto err_prof;
		events = defaults;
	}
	ret = pfold_count_run(&job->report, o->argv, events, nr_events,
			      o->runs ? o->runs : PFOLD_PROFILE_RUNS);
	if (ret)
		goto err_prof;

	/* 6. the report: profile tops and files */
	if (nslots)
		ret = pfold_report_add_profile(job->report, prof, o->top ? o->top : PFOLD_PROFILE_TOP);
	if (!ret && job->data_path)
		ret = pfold_report_add_file(job->report, "data", job->data_path);
	if (!ret && nslots)
		ret = pfold_report_add_file(job->report, "folded", job->folded_path);
	if (!ret && nslots)
		ret = pfold_report_add_file(job->report, "svg", job->svg_path);
	if (ret)
		goto err_prof;
	if (job->baseline && nslots) {
		ret = draw_diff(job, prof, o);
		if (!ret && job->diff_svg_path)
			ret = pfold_report_add_file(job->report, "diff-svg", job->diff_svg_path);
		if (ret)
			goto err_prof;
	}
	ret = pfold_report_finish(job->report);
	if (!ret)
		ret = pfold_report_save(job->report, job->json_path);
	if (ret)
		goto err_prof;

	/* 7. the verdict */
	if (job->baseline) {
		struct pfold_check_opts co;

		memset(&co, 0, sizeof(co));
		co.threshold = o->threshold > 0 ? o->threshold : 0.10;
		co.top = 10;
		co.base_name = o->compare;
		co.cur_name = job->json_path;
		ret = pfold_check_compare(&job->check, job->baseline, job->report, &co);
		if (ret)
			goto err_prof;
	}
	pfold_profile_close(prof);
	free(defaults);
	free(storage);
	*out = job;
	return 0;

err_prof:
	pfold_profile_close(prof);
err_free:
	free(defaults);
	free(storage);
	pfold_profile_job_free(job);
	return ret;
}

/* ---- output ---- */

static const struct pfold_report_event *metric_event(const struct pfold_report *r)
{
	return r->metric ? pfold_report_find_event(r, r->metric) : NULL;
}

/* "1.234 s" for msec values, plain counts with their unit otherwise */
static void fmt_value(char *buf, size_t size, double v, const char *unit)
{
	if (unit && !strcmp(unit, "msec"))
		snprintf(buf, size, "%.2f msec", v);
	else
		snprintf(buf, size, "%.0f%s%s", v, unit && *unit ? " " : "", unit ? unit : "");
}

static int text_tops(const struct pfold_report *r, struct pfold_buf *o, size_t max)
{
	size_t i, j;
	int ret = 0;

	for (i = 0; i < r->nr_tops; i++) {
		const struct pfold_report_top *t = &r->tops[i];

		ret |= pfold_buf_addf(o, "top functions (%s, self / total share of the profile):\n",
				      t->event);
		for (j = 0; j < t->nr_funcs && j < max; j++)
			ret |= pfold_buf_addf(o, "  %5.1f%%  %5.1f%%  %s\n",
					      t->event_total > 0 ? 100 * t->funcs[j].self / t->event_total : 0,
					      t->event_total > 0 ? 100 * t->funcs[j].total / t->event_total : 0,
					      t->funcs[j].name);
	}
	return ret;
}

int pfold_profile_job_write_text(const struct pfold_profile_job *job, struct pfold_buf *o)
{
	const struct pfold_report *r = job->report;
	const struct pfold_report_event *m = metric_event(r);
	struct pfold_buf cmd = PFOLD_BUF_INIT;
	char v[64];
	size_t i;
	int ret = 0;

	ret |= pfold_shell_quote(&cmd, r->command, r->command_len);
	ret |= pfold_buf_addf(o, "pfold profile: %s\n", cmd.data ? cmd.data : "");
	pfold_buf_release(&cmd);
	if (job->sample_fallback)
		ret |= pfold_buf_addf(o, "sampling:  %s\n", job->sample_fallback);
	ret |= pfold_buf_addf(o, "profile:   %lu samples\n", job->samples);
	ret |= pfold_buf_addf(o, "runs:      %zu counting run%s\n", r->runs, r->runs == 1 ? "" : "s");
	for (i = 0; i < r->nr_events; i++) {
		const struct pfold_report_event *e = &r->events[i];

		if (!e->counted || !e->summary.n) {
			/* the fallback says why ("dropped: not counted on this machine...") */
			ret |= pfold_buf_addf(o, "  %-16s %s\n", e->name,
					      e->fallback ? e->fallback : "not counted");
			continue;
		}
		fmt_value(v, sizeof(v), e->summary.median, e->unit);
		ret |= pfold_buf_addf(o, "  %-16s median %-20s (+- %.2f%% stddev)\n", e->name, v,
				      e->summary.median != 0 ?
				      100 * e->summary.stddev / fabs(e->summary.median) : 0.0);
	}
	if (m)
		ret |= pfold_buf_addf(o, "metric:    %s (%s)\n", m->name,
				      r->metric_reason ? r->metric_reason : "");
	ret |= text_tops(r, o, 10);
	ret |= pfold_buf_adds(o, "files:\n");
	if (job->svg_path)
		ret |= pfold_buf_addf(o, "  flamegraph  %s\n", job->svg_path);
	ret |= pfold_buf_addf(o, "  report      %s\n", job->json_path);
	if (job->folded_path)
		ret |= pfold_buf_addf(o, "  folded      %s\n", job->folded_path);
	if (job->data_path)
		ret |= pfold_buf_addf(o, "  perf.data   %s\n", job->data_path);
	if (job->diff_svg_path)
		ret |= pfold_buf_addf(o, "  diff graph  %s\n", job->diff_svg_path);
	for (i = 0; i < job->nr_notes; i++)
		ret |= pfold_buf_addf(o, "note:      %s\n", job->notes[i]);
	if (job->check) {
		ret |= pfold_buf_adds(o, "\ncomparison with the baseline:\n");
		ret |= pfold_check_write(job->check, PFOLD_CHECK_TEXT, o);
	}
	return ret ? -PFOLD_E_NOMEM : 0;
}

/* Markdown text: escape what would start markup, keep it on one line */
static int add_md(struct pfold_buf *o, const char *s)
{
	int ret = 0;

	for (; s && *s && !ret; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			ret = pfold_buf_addf(o, *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : "\\%c", *s);
		else
			ret = pfold_buf_addch(o, *s == '\n' || *s == '\r' ? ' ' : *s);
	}
	return ret;
}

/* " `PATH`" (backquotes in PATH become quotes); nothing for NULL */
static int md_file(struct pfold_buf *o, const char *path)
{
	int ret = 0;

	if (!path)
		return 0;
	ret |= pfold_buf_adds(o, " `");
	for (; *path; path++)
		ret |= pfold_buf_addch(o, *path == '`' ? '\'' : *path == '\n' ? ' ' : *path);
	ret |= pfold_buf_addch(o, '`');
	return ret;
}

int pfold_profile_job_write_markdown(const struct pfold_profile_job *job, struct pfold_buf *o)
{
	const struct pfold_report *r = job->report;
	const struct pfold_report_event *m = metric_event(r);
	struct pfold_buf cmd = PFOLD_BUF_INIT;
	char v[64];
	size_t i, j;
	int ret = 0;

	ret |= pfold_shell_quote(&cmd, r->command, r->command_len);
	ret |= pfold_buf_addf(o, "## pfold profile: %s\n\n",
			      job->check ? pfold_verdict_name(job->check->verdict) : "no baseline");
	ret |= pfold_buf_adds(o, "Command: `");
	for (i = 0; cmd.data && i < cmd.len; i++)
		ret |= pfold_buf_addch(o, cmd.data[i] == '`' ? '\'' : cmd.data[i]);
	pfold_buf_release(&cmd);
	ret |= pfold_buf_addf(o, "` (%zu counting runs, %lu samples)\n\n", r->runs, job->samples);
	if (job->sample_fallback) {
		ret |= pfold_buf_adds(o, "> sampling: ");
		ret |= add_md(o, job->sample_fallback);
		ret |= pfold_buf_adds(o, "\n\n");
	}
	if (job->check) {
		ret |= pfold_check_write(job->check, PFOLD_CHECK_MARKDOWN, o);
		ret |= pfold_buf_adds(o, "\n");
	} else {
		if (m) {
			ret |= pfold_buf_addf(o, "Metric: **%s** (", m->name);
			ret |= add_md(o, r->metric_reason);
			ret |= pfold_buf_adds(o, ")\n\n");
		}
		ret |= pfold_buf_adds(o, "| metric | median | stddev | runs |\n|---|---:|---:|---:|\n");
		for (i = 0; i < r->nr_events; i++) {
			const struct pfold_report_event *e = &r->events[i];

			ret |= pfold_buf_adds(o, "| ");
			ret |= add_md(o, e->name);
			if (!e->counted || !e->summary.n) {
				ret |= pfold_buf_adds(o, " | not counted | | |\n");
				continue;
			}
			fmt_value(v, sizeof(v), e->summary.median, e->unit);
			ret |= pfold_buf_addf(o, " | %s | %.2f%% | %zu |\n", v,
					      e->summary.median != 0 ?
					      100 * e->summary.stddev / fabs(e->summary.median) : 0.0,
					      e->summary.n);
		}
		ret |= pfold_buf_adds(o, "\n");
	}
	for (i = 0; i < r->nr_tops; i++) {
		const struct pfold_report_top *t = &r->tops[i];

		ret |= pfold_buf_adds(o, "Top functions by self share of ");
		ret |= add_md(o, t->event);
		ret |= pfold_buf_adds(o, ":\n\n| function | self | total |\n|---|---:|---:|\n");
		for (j = 0; j < t->nr_funcs && j < 10; j++) {
			ret |= pfold_buf_adds(o, "| ");
			ret |= add_md(o, t->funcs[j].name);
			ret |= pfold_buf_addf(o, " | %.1f%% | %.1f%% |\n",
					      t->event_total > 0 ? 100 * t->funcs[j].self / t->event_total : 0,
					      t->event_total > 0 ? 100 * t->funcs[j].total / t->event_total : 0);
		}
		ret |= pfold_buf_adds(o, "\n");
	}
	ret |= pfold_buf_adds(o, "Files:");
	ret |= md_file(o, job->svg_path);
	ret |= md_file(o, job->json_path);
	ret |= md_file(o, job->folded_path);
	ret |= md_file(o, job->data_path);
	ret |= md_file(o, job->diff_svg_path);
	ret |= pfold_buf_adds(o, "\n\n");
	return ret ? -PFOLD_E_NOMEM : 0;
}

int pfold_profile_job_update_baseline(const struct pfold_profile_job *job, const char *path,
				      int *updated)
{
	struct pfold_buf tmp = PFOLD_BUF_INIT, text = PFOLD_BUF_INIT;
	int ret;

	if (updated)
		*updated = 0;
	if (!access(path, F_OK) &&
	    !(job->check && job->check->verdict == PFOLD_VERDICT_IMPROVEMENT))
		return 0;
	if (pfold_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid()) ||
	    pfold_report_write(job->report, &text)) {
		ret = -PFOLD_E_NOMEM;
		goto out;
	}
	ret = write_file(tmp.data, &text);
	if (ret)
		goto out;
	if (rename(tmp.data, path)) {
		ret = pfold_error(PFOLD_E_IO, "cannot replace '%s': %s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	if (updated)
		*updated = 1;
out:
	pfold_buf_release(&tmp);
	pfold_buf_release(&text);
	return ret;
}
