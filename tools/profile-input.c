// SPDX-License-Identifier: MIT
/* profile-input.c: reading profiles for flame, diff and export; event and option helpers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-input.h"
#include "filter.h"
#include "python-view.h"
#include "flame.h"
#include "report.h"
#include "usage.h"

static int add_rules(struct pfold_filter *f, enum pfold_filter_rule rule,
		     const struct string_list *l)
{
	size_t i;
	int ret;

	for (i = 0; i < l->nr; i++) {
		ret = pfold_filter_add(f, rule, l->items[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Warnings of the read pipeline: printed, counted, the first kept for the SVG subtitle. */
static unsigned long nr_warnings;
static char first_warning[256];

static void input_warn(void *arg, const char *msg)
{
	(void)arg;
	warning("%s", msg);
	if (!nr_warnings++)
		snprintf(first_warning, sizeof(first_warning), "%s", msg);
}

const char *profile_input_note(char *buf, size_t size)
{
	if (!nr_warnings)
		return NULL;
	if (nr_warnings == 1)
		snprintf(buf, size, "warning: %.100s", first_warning);
	else
		snprintf(buf, size, "%lu warnings, the first: %.90s", nr_warnings, first_warning);
	return buf;
}

/* is_report - PATH holds JSON (a report.json): its first non-blank byte is '{'. */
static int is_report(const char *path)
{
	FILE *f;
	int c;

	if (!strcmp(path, "-") || !(f = fopen(path, "rb")))
		return 0;
	do
		c = getc(f);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	fclose(f);
	return c == '{';
}

/*
 * read_report - the profile of a report.json: its folded artifact when it
 * names one (relative to the report's folder), else its top functions as
 * one-frame stacks of their self cost.
 */
static void read_report(struct pfold_profile *p, const char *path,
			struct pfold_folded_stats *st)
{
	struct pfold_report *r;
	size_t i, j;
	int ret;

	ret = pfold_report_load(&r, path);
	if (ret)
		die_error(ret, path);
	for (i = 0; i < r->nr_files; i++) {
		const char *fp = r->files[i].path, *slash = strrchr(path, '/');
		char *full;

		if (strcmp(r->files[i].kind, "folded"))
			continue;
		if (fp[0] == '/' || !slash) {
			full = xstrdup(fp);
		} else {
			full = xmalloc((size_t)(slash - path) + strlen(fp) + 2);
			sprintf(full, "%.*s/%s", (int)(slash - path), path, fp);
		}
		ret = pfold_flame_read(p, full, NULL, st, input_warn, NULL);
		if (ret)
			die_error(ret, path);
		free(full);
		pfold_report_free(r);
		return;
	}
	if (!r->nr_tops)
		die("%s: the report holds no profile (no folded file, no top functions)", path);
	for (i = 0; i < r->nr_tops; i++) {
		const struct pfold_report_top *t = &r->tops[i];
		int slot = pfold_profile_add_event(p, t->event);

		if (slot < 0)
			die_error(slot, path);
		for (j = 0; j < t->nr_funcs; j++) {
			uint32_t id;
			long sr;

			if (t->funcs[j].self <= 0)
				continue;
			ret = pfold_profile_intern(p, t->funcs[j].name, strlen(t->funcs[j].name),
						   PFOLD_FRAME_USER, &id);
			if (ret)
				die_error(ret, path);
			sr = pfold_profile_add1(p, &id, 1, (size_t)slot, (uint64_t)llround(t->funcs[j].self));
			if (sr < 0)
				die_error((int)sr, path);
		}
	}
	warning("%s: no folded file in the report: comparing its top functions only", path);
	pfold_report_free(r);
}

struct pfold_profile *read_profile_input(const char *path,
					 const struct profile_input_rules *rules)
{
	return read_profile_input_opts(path, rules, NULL);
}

struct pfold_profile *read_profile_input_opts(const char *path,
					      const struct profile_input_rules *rules,
					      const struct pfold_fold_options *opts)
{
	struct pfold_folded_stats st = { 0 };
	struct pfold_profile *p, *out;
	struct pfold_filter *f;
	int ret;

	ret = pfold_profile_open(&p);
	if (ret)
		die_error(ret, NULL);
	if (is_report(path)) {
		read_report(p, path, &st);
		ret = 0;
	} else {
		ret = pfold_flame_read(p, path, opts, &st, input_warn, NULL);
	}
	if (ret)
		die_error(ret, NULL);
	if (st.skipped)
		warning("%s: skipped %lu line%s that could not be parsed (the first: line %lu)",
			path, st.skipped, st.skipped == 1 ? "" : "s", st.first_skipped);
	if (!pfold_profile_nr_events(p))
		die("%s: no stacks found", path);
	if (opts && opts->python) {
		/* --python on folded input (perf.data input is folded in the view already) */
		struct pfold_python_view *v;

		ret = pfold_python_view_open(&v, opts->python_drop, opts->nr_python_drop);
		if (!ret)
			ret = pfold_profile_open(&out);
		if (!ret)
			ret = pfold_python_view_profile(v, p, out, NULL);
		if (ret)
			die_error(ret, path);
		pfold_python_view_close(v);
		pfold_profile_close(p);
		p = out;
	}
	if (!rules || !(rules->include.nr + rules->exclude.nr + rules->collapse.nr +
			rules->rename.nr))
		return p;
	ret = pfold_filter_open(&f);
	if (!ret)
		ret = add_rules(f, PFOLD_FILTER_INCLUDE, &rules->include);
	if (!ret)
		ret = add_rules(f, PFOLD_FILTER_EXCLUDE, &rules->exclude);
	if (!ret)
		ret = add_rules(f, PFOLD_FILTER_COLLAPSE, &rules->collapse);
	if (!ret)
		ret = add_rules(f, PFOLD_FILTER_RENAME, &rules->rename);
	if (ret)
		die_error(ret, NULL);
	ret = pfold_profile_open(&out);
	if (!ret)
		ret = pfold_filter_profile(f, p, out);
	if (ret)
		die_error(ret, path);
	pfold_filter_close(f);
	pfold_profile_close(p);
	return out;
}

void profile_input_rules_release(struct profile_input_rules *r)
{
	string_list_release(&r->include);
	string_list_release(&r->exclude);
	string_list_release(&r->collapse);
	string_list_release(&r->rename);
}

int find_metric(const struct pfold_profile *p, const char *path, const char *name)
{
	int slot;

	if (!name)
		return 0;
	slot = pfold_profile_find_event(p, name);
	if (slot < 0) {
		/* "cpu-clock" matches "cpu-clock:ppp" (perf adds modifiers), once */
		size_t i, n = pfold_profile_nr_events(p), l = strcspn(name, ":");
		int found = -1;

		for (i = 0; i < n; i++) {
			const char *e = pfold_profile_event_name(p, i);

			if (strcspn(e, ":") == l && !strncmp(e, name, l)) {
				if (found >= 0) {
					found = -2;
					break;
				}
				found = (int)i;
			}
		}
		if (found >= 0)
			slot = found;
	}
	if (slot < 0)
		die("%s: no event '%s' (events: %s%s)", path, name,
		    pfold_profile_event_name(p, 0),
		    pfold_profile_nr_events(p) > 1 ? ", ..." : "");
	return slot;
}

void parse_color_by(const struct pfold_profile *p, const char *path, const char *arg,
		    int *num, int *den)
{
	const char *slash = strchr(arg, '/');
	char *a;

	if (!slash || slash == arg || !slash[1])
		die("--color-by wants EVENT/EVENT, not '%s'", arg);
	a = xstrdup(arg);
	a[slash - arg] = '\0';
	*num = find_metric(p, path, a);
	*den = find_metric(p, path, a + (slash - arg) + 1);
	free(a);
}

double parse_pixels(const char *opt, const char *arg, int zero_ok)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || (!zero_ok && v == 0) ||
	    v > 1e6)
		die("%s wants a number of pixels, not '%s'", opt, arg);
	return v;
}

int diff_profiles(struct pfold_profile **out, const struct pfold_profile *cur, int mc,
		  const struct pfold_profile *base, int mb, int normalize, double *scale)
{
	uint64_t tc = pfold_profile_total(cur, (size_t)mc);
	uint64_t tb = pfold_profile_total(base, (size_t)mb);

	*scale = 1;
	if (normalize && tb)
		*scale = (double)tc / (double)tb;
	return pfold_flame_diff_profile(out, cur, mc, base, mb);
}
