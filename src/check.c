// SPDX-License-Identifier: MIT
/* check.c: regression check of a report against a baseline, and its text/JSON/JUnit/Markdown output. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "json.h"

static const char *const preferred[] = { "instructions", "cycles", "task-clock", "cpu-time",
					 "wall-time" };
#define NR_PREFERRED (sizeof(preferred) / sizeof(preferred[0]))

int pfold_shell_quote(struct pfold_buf *out, char *const *argv, size_t n)
{
	size_t i, k;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		const char *a = argv[i];

		if (i)
			ret = pfold_buf_addch(out, ' ');
		if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_-+./:=,@%") == strlen(a)) {
			ret = ret ? ret : pfold_buf_adds(out, a);
			continue;
		}
		ret = ret ? ret : pfold_buf_addch(out, '\'');
		for (k = 0; a[k] && !ret; k++)
			ret = a[k] == '\'' ? pfold_buf_adds(out, "'\\''") : pfold_buf_addch(out, a[k]);
		ret = ret ? ret : pfold_buf_addch(out, '\'');
	}
	return ret;
}

void pfold_check_free(struct pfold_check_result *res)
{
	size_t i;

	if (!res)
		return;
	free(res->command);
	free(res->base_name);
	free(res->cur_name);
	free(res->metric_reason);
	for (i = 0; i < res->nr_metrics; i++) {
		free(res->metrics[i].name);
		free(res->metrics[i].unit);
	}
	free(res->metrics);
	for (i = 0; i < res->nr_warnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	free(res->blame_event);
	for (i = 0; i < res->nr_blame; i++)
		free(res->blame[i].name);
	free(res->blame);
	free(res->diff_flamegraph);
	free(res);
}

static int warn(struct pfold_check_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int warn(struct pfold_check_result *res, const char *fmt, ...)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pfold_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!ret)
		ret = PFOLD_GROW(res->warnings, res->alloc_warnings, res->nr_warnings + 1);
	if (ret) {
		pfold_buf_release(&b);
		return -PFOLD_E_NOMEM;
	}
	res->warnings[res->nr_warnings++] = pfold_buf_detach(&b, NULL);
	res->mismatch = 1;
	return 0;
}

static int str_differs(const char *a, const char *b)
{
	return a && b && strcmp(a, b);
}

static int add_metric(struct pfold_check_result *res, const struct pfold_report_event *b,
		      const struct pfold_report_event *c, int gating, double threshold)
{
	struct pfold_check_metric *m;
	int ret;

	if (PFOLD_GROW(res->metrics, res->alloc_metrics, res->nr_metrics + 1))
		return -PFOLD_E_NOMEM;
	m = &res->metrics[res->nr_metrics];
	memset(m, 0, sizeof(*m));
	m->gating = gating;
	m->base_n = b->nr_values;
	m->cur_n = c->nr_values;
	ret = pfold_stats_compare(&m->cmp, b->values, b->nr_values, c->values, c->nr_values,
				  threshold);
	if (ret)
		return ret;
	m->name = strdup(c->name);
	m->unit = strdup(c->unit ? c->unit : "");
	if (!m->name || !m->unit) {
		free(m->name);
		free(m->unit);
		return -PFOLD_E_NOMEM;
	}
	res->nr_metrics++;
	return 0;
}

static int both_counted(const struct pfold_report *base, const struct pfold_report *cur,
			const char *name)
{
	const struct pfold_report_event *b = pfold_report_find_event(base, name);
	const struct pfold_report_event *c = pfold_report_find_event(cur, name);

	return b && c && b->nr_values && c->nr_values;
}

static int choose_gating(struct pfold_check_result *res, const struct pfold_report *base,
			 const struct pfold_report *cur, const char **chosen)
{
	struct pfold_buf why = PFOLD_BUF_INIT;
	size_t p, q;
	int ret = 0;

	for (p = 0; p < NR_PREFERRED; p++)
		if (both_counted(base, cur, preferred[p]))
			break;
	if (p == NR_PREFERRED)
		return pfold_error(PFOLD_E_NOT_FOUND,
				   "the reports have none of instructions, cycles, task-clock, cpu-time, wall-time in common");
	*chosen = preferred[p];
	if (p == 0) {
		ret = pfold_buf_adds(&why, "instructions are the most stable metric");
	} else {
		if (!cur->pmu || !base->pmu)
			ret = pfold_buf_addf(&why, "no hardware PMU on %s: ",
					     !cur->pmu && !base->pmu ? "either side" :
					     !cur->pmu ? "the current machine" : "the baseline's machine");
		for (q = 0; q < p && !ret; q++) {
			int inb = pfold_report_find_event(base, preferred[q]) != NULL;
			int inc = pfold_report_find_event(cur, preferred[q]) != NULL;

			ret = pfold_buf_addf(&why, "%s%s not counted%s", q ? ", " : "", preferred[q],
					     inb ? " in the current run" : inc ? " in the baseline" : "");
		}
		if (!ret)
			ret = pfold_buf_addf(&why, "; fallback to %s", preferred[p]);
	}
	if (ret) {
		pfold_buf_release(&why);
		return -PFOLD_E_NOMEM;
	}
	res->metric_reason = pfold_buf_detach(&why, NULL);
	return 0;
}

static int cmp_blame(const void *a, const void *b)
{
	const struct pfold_check_blame *x = a, *y = b;

	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	return strcmp(x->name, y->name);
}

static const struct pfold_report_top *find_top(const struct pfold_report *r, const char *ev)
{
	size_t i;

	for (i = 0; i < r->nr_tops; i++)
		if (!ev || !strcmp(r->tops[i].event, ev))
			return &r->tops[i];
	return NULL;
}

/* functions whose share of the event grew most, when both sides carry a profile */
static int blame(struct pfold_check_result *res, const struct pfold_report *base,
		 const struct pfold_report *cur, const char *metric, size_t top)
{
	const struct pfold_report_top *bt = NULL, *ct = NULL;
	double btot, ctot;
	size_t i, j;

	if (!base->nr_tops || !cur->nr_tops)
		return 0;
	/* the gating metric's profile if there is one, else the first event both have */
	if ((bt = find_top(base, metric)) && (ct = find_top(cur, metric)))
		;
	else
		for (i = 0, bt = ct = NULL; i < cur->nr_tops && !bt; i++)
			if ((bt = find_top(base, cur->tops[i].event)))
				ct = &cur->tops[i];
	if (!bt || !ct)
		return 0;
	btot = bt->event_total > 0 ? bt->event_total : 0;
	ctot = ct->event_total > 0 ? ct->event_total : 0;
	for (i = 0; i < bt->nr_funcs && !(bt->event_total > 0); i++)
		btot += bt->funcs[i].self > 0 ? bt->funcs[i].self : 0;
	for (i = 0; i < ct->nr_funcs && !(ct->event_total > 0); i++)
		ctot += ct->funcs[i].self > 0 ? ct->funcs[i].self : 0;
	if (!(btot > 0) || !(ctot > 0))
		return 0;
	res->blame_event = strdup(ct->event);
	if (!res->blame_event)
		return -PFOLD_E_NOMEM;
	/*
	 * Shares, not raw sample counts, so that two profiles of different
	 * lengths compare; scaled by the change of the whole (current total /
	 * baseline total in time units is unknown here), growth is in points.
	 */
	for (i = 0; i < ct->nr_funcs; i++) {
		struct pfold_check_blame *bl;
		double bs = 0, cs = ct->funcs[i].self / ctot;

		for (j = 0; j < bt->nr_funcs; j++)
			if (!strcmp(bt->funcs[j].name, ct->funcs[i].name))
				bs = bt->funcs[j].self / btot;
		if (!(cs - bs > 0))
			continue;
		if (PFOLD_GROW(res->blame, res->alloc_blame, res->nr_blame + 1))
			return -PFOLD_E_NOMEM;
		bl = &res->blame[res->nr_blame];
		bl->name = strdup(ct->funcs[i].name);
		if (!bl->name)
			return -PFOLD_E_NOMEM;
		bl->base_self = bs;
		bl->cur_self = cs;
		bl->growth = cs - bs;
		res->nr_blame++;
	}
	if (res->nr_blame)
		qsort(res->blame, res->nr_blame, sizeof(*res->blame), cmp_blame);
	while (res->nr_blame > top)
		free(res->blame[--res->nr_blame].name);
	return 0;
}

static double median_wall(const struct pfold_report *r)
{
	const struct pfold_report_event *e = pfold_report_find_event(r, "wall-time");

	return e && e->nr_values ? e->summary.median : NAN;
}

static int event_sets(struct pfold_check_result *res, const struct pfold_report *base,
		      const struct pfold_report *cur)
{
	struct pfold_buf only_b = PFOLD_BUF_INIT, only_c = PFOLD_BUF_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; i < base->nr_events && !ret; i++)
		if (base->events[i].counted && !pfold_report_find_event(cur, base->events[i].name))
			ret = pfold_buf_addf(&only_b, "%s%s", only_b.len ? "," : "", base->events[i].name);
	for (i = 0; i < cur->nr_events && !ret; i++)
		if (cur->events[i].counted && !pfold_report_find_event(base, cur->events[i].name))
			ret = pfold_buf_addf(&only_c, "%s%s", only_c.len ? "," : "", cur->events[i].name);
	if (!ret && (only_b.len || only_c.len))
		ret = warn(res, "the event sets differ: only in the baseline: %s; only in the current run: %s",
			   only_b.len ? only_b.data : "(none)", only_c.len ? only_c.data : "(none)");
	pfold_buf_release(&only_b);
	pfold_buf_release(&only_c);
	return ret;
}

int pfold_check_compare(struct pfold_check_result **out, const struct pfold_report *base,
			const struct pfold_report *cur, const struct pfold_check_opts *opts)
{
	struct pfold_check_result *res = calloc(1, sizeof(*res));
	struct pfold_buf cmd = PFOLD_BUF_INIT;
	const char *gate = NULL;
	size_t i, k;
	int ret = 0, any_regression = 0, any_noisy = 0, any_improvement = 0;

	if (!res)
		return -PFOLD_E_NOMEM;
	res->threshold = opts->threshold;
	res->base_wall_ms = median_wall(base);
	res->cur_wall_ms = median_wall(cur);
	res->base_runs = base->runs;
	res->cur_runs = cur->runs;
	res->base_name = strdup(opts->base_name ? opts->base_name : "baseline");
	res->cur_name = strdup(opts->cur_name ? opts->cur_name : "current");
	ret = pfold_shell_quote(&cmd, cur->command, cur->command_len);
	res->command = pfold_buf_detach(&cmd, NULL);
	if (ret || !res->base_name || !res->cur_name || !res->command) {
		ret = -PFOLD_E_NOMEM;
		goto err_free;
	}
	/* host fingerprint and event set */
	if (str_differs(base->cpu_model, cur->cpu_model) && (ret = warn(res,
	    "the baseline comes from another CPU ('%s', here '%s')", base->cpu_model, cur->cpu_model)))
		goto err_free;
	if (str_differs(base->kernel, cur->kernel) && (ret = warn(res,
	    "the baseline comes from another kernel (%s, here %s)", base->kernel, cur->kernel)))
		goto err_free;
	if (str_differs(base->arch, cur->arch) && (ret = warn(res,
	    "the baseline comes from another architecture (%s, here %s)", base->arch, cur->arch)))
		goto err_free;
	if (base->pmu != cur->pmu && (ret = warn(res, "the baseline was made %s a hardware PMU, the current run %s",
						 base->pmu ? "with" : "without", cur->pmu ? "with one" : "without")))
		goto err_free;
	if ((ret = event_sets(res, base, cur)))
		goto err_free;

	if (opts->nr_metrics) {
		struct pfold_buf why = PFOLD_BUF_INIT;

		for (k = 0; k < opts->nr_metrics; k++) {
			const char *name = opts->metrics[k];
			const struct pfold_report_event *b = pfold_report_find_event(base, name);
			const struct pfold_report_event *c = pfold_report_find_event(cur, name);

			if (!b || !c || !b->nr_values || !c->nr_values) {
				ret = pfold_error(PFOLD_E_NOT_FOUND, "metric '%s' is not counted in the %s",
						  name, !b || !b->nr_values ? "baseline" : "current run");
				goto err_free;
			}
			for (i = 0; i < res->nr_metrics; i++)
				if (!strcmp(res->metrics[i].name, name))
					break;
			if (i < res->nr_metrics)
				continue;
			if ((ret = add_metric(res, b, c, 1, opts->threshold)))
				goto err_free;
		}
		if (pfold_buf_adds(&why, "named with --metric")) {
			ret = -PFOLD_E_NOMEM;
			goto err_free;
		}
		res->metric_reason = pfold_buf_detach(&why, NULL);
		gate = opts->metrics[0];
	} else {
		if ((ret = choose_gating(res, base, cur, &gate)))
			goto err_free;
		ret = add_metric(res, pfold_report_find_event(base, gate),
				 pfold_report_find_event(cur, gate), 1, opts->threshold);
		if (ret)
			goto err_free;
	}
	/* everything else both sides counted, for information */
	for (i = 0; i < cur->nr_events; i++) {
		const struct pfold_report_event *c = &cur->events[i];

		if (!c->counted || !both_counted(base, cur, c->name))
			continue;
		for (k = 0; k < res->nr_metrics; k++)
			if (!strcmp(res->metrics[k].name, c->name))
				break;
		if (k < res->nr_metrics)
			continue;
		if ((ret = add_metric(res, pfold_report_find_event(base, c->name), c, 0, opts->threshold)))
			goto err_free;
	}
	for (i = 0; i < res->nr_metrics; i++) {
		if (!res->metrics[i].gating)
			continue;
		switch (res->metrics[i].cmp.verdict) {
		case PFOLD_VERDICT_REGRESSION: any_regression = 1; break;
		case PFOLD_VERDICT_IMPROVEMENT: any_improvement = 1; break;
		case PFOLD_VERDICT_NOISY: case PFOLD_VERDICT_UNKNOWN: any_noisy = 1; break;
		default: break;
		}
	}
	res->verdict = any_regression ? PFOLD_VERDICT_REGRESSION :
		       any_noisy ? PFOLD_VERDICT_NOISY :
		       any_improvement ? PFOLD_VERDICT_IMPROVEMENT : PFOLD_VERDICT_UNCHANGED;
	if ((ret = blame(res, base, cur, gate, opts->top ? opts->top : 10)))
		goto err_free;
	for (i = 0; i < cur->nr_files; i++)
		if (!strcmp(cur->files[i].kind, "diff-svg") &&
		    !(res->diff_flamegraph = strdup(cur->files[i].path))) {
			ret = -PFOLD_E_NOMEM;
			goto err_free;
		}
	*out = res;
	return 0;
err_free:
	pfold_check_free(res);
	return ret;
}

int pfold_check_format_parse(const char *name, enum pfold_check_format *fmt)
{
	static const char *const names[] = { "text", "json", "junit", "markdown" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i])) {
			*fmt = (enum pfold_check_format)i;
			return 0;
		}
	return pfold_error(PFOLD_E_USAGE, "unknown format '%s' (text, json, junit or markdown)", name);
}

/* ---- output ---- */

static void fmt_pct(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "n/a");
	else if (isinf(v))
		snprintf(buf, size, "%sinf", v > 0 ? "+" : "-");
	else
		snprintf(buf, size, "%+.1f%%", v * 100);
}

static void fmt_value(char *buf, size_t size, double v, const char *unit)
{
	if (isnan(v))
		snprintf(buf, size, "n/a");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f%s%s", v, *unit ? " " : "", unit);
	else
		snprintf(buf, size, "%.2f%s%s", v, *unit ? " " : "", unit);
}

static void fmt_secs(char *buf, size_t size, double ms)
{
	if (isnan(ms))
		snprintf(buf, size, "unknown");
	else
		snprintf(buf, size, "%.3f s", ms / 1e3);
}

/* "+2.3% (within 10.0%)" */
static void fmt_change(char *buf, size_t size, const struct pfold_check_metric *m, double thr)
{
	char pct[32];

	fmt_pct(pct, sizeof(pct), m->cmp.change);
	snprintf(buf, size, "%s (%s %.1f%%)", pct,
		 fabs(m->cmp.change) <= thr ? "within" : "over", thr * 100);
}

static void fmt_ci(char *buf, size_t size, const struct pfold_compare *c)
{
	char lo[32], hi[32];

	if (isinf(c->lo) || isinf(c->hi)) {
		snprintf(buf, size, "none (too few runs)");
		return;
	}
	fmt_pct(lo, sizeof(lo), c->lo);
	fmt_pct(hi, sizeof(hi), c->hi);
	snprintf(buf, size, "[%s, %s]", lo, hi);
}

static const char *verdict_advice(enum pfold_verdict v)
{
	switch (v) {
	case PFOLD_VERDICT_REGRESSION: return "regression: the change is over the threshold and its 95% interval excludes zero";
	case PFOLD_VERDICT_IMPROVEMENT: return "improvement: faster than the baseline beyond the threshold";
	case PFOLD_VERDICT_NOISY: return "noisy: the interval is too wide to decide; run more repetitions (-r)";
	case PFOLD_VERDICT_UNCHANGED: return "unchanged: within the threshold";
	default: return "unknown";
	}
}

static int write_text(const struct pfold_check_result *res, struct pfold_buf *o)
{
	char chg[64], ci[80], bv[64], cv[64];
	size_t i;
	int ret = 0;

	fmt_secs(bv, sizeof(bv), res->cur_wall_ms);
	fmt_secs(cv, sizeof(cv), res->base_wall_ms);
	ret |= pfold_buf_addf(o, "command:   %s\n", res->command);
	ret |= pfold_buf_addf(o, "duration:  %zu run%s, %s median wall time (baseline %zu run%s, %s)\n",
			      res->cur_runs, res->cur_runs == 1 ? "" : "s", bv,
			      res->base_runs, res->base_runs == 1 ? "" : "s", cv);
	ret |= pfold_buf_addf(o, "baseline:  %s\n", res->base_name);
	for (i = 0; i < res->nr_metrics; i++)
		if (res->metrics[i].gating)
			ret |= pfold_buf_addf(o, "metric:    %s (%s)\n", res->metrics[i].name, res->metric_reason);
	for (i = 0; i < res->nr_warnings; i++)
		ret |= pfold_buf_addf(o, "warning:   %s\n", res->warnings[i]);
	for (i = 0; i < res->nr_metrics; i++) {
		const struct pfold_check_metric *m = &res->metrics[i];

		fmt_change(chg, sizeof(chg), m, res->threshold);
		fmt_ci(ci, sizeof(ci), &m->cmp);
		fmt_value(bv, sizeof(bv), m->cmp.base_median, m->unit);
		fmt_value(cv, sizeof(cv), m->cmp.cur_median, m->unit);
		ret |= pfold_buf_addf(o, "  %-16s %-24s %-11s %s -> %s, 95%% CI %s%s\n", m->name, chg,
				      pfold_verdict_name(m->cmp.verdict), bv, cv, ci,
				      m->gating ? "" : " (information)");
	}
	if (res->nr_blame) {
		ret |= pfold_buf_addf(o, "blame (%s, self share growth):\n", res->blame_event);
		for (i = 0; i < res->nr_blame; i++)
			ret |= pfold_buf_addf(o, "  %+6.1f pts  %5.1f%% -> %5.1f%%  %s\n",
					      res->blame[i].growth * 100, res->blame[i].base_self * 100,
					      res->blame[i].cur_self * 100, res->blame[i].name);
	}
	if (res->diff_flamegraph)
		ret |= pfold_buf_addf(o, "diff flamegraph: %s\n", res->diff_flamegraph);
	ret |= pfold_buf_addf(o, "verdict:   %s\n", verdict_advice(res->verdict));
	return ret ? -PFOLD_E_NOMEM : 0;
}

static int write_json(const struct pfold_check_result *res, struct pfold_buf *o)
{
	struct pfold_json_writer w;
	size_t i;

	pfold_jw_init(&w, o);
	pfold_jw_begin_object(&w, NULL, 0);
	pfold_jw_string(&w, "format", "pfold-check/1");
	pfold_jw_string(&w, "verdict", pfold_verdict_name(res->verdict));
	pfold_jw_string(&w, "command", res->command);
	pfold_jw_string(&w, "baseline", res->base_name);
	pfold_jw_string(&w, "current", res->cur_name);
	pfold_jw_number(&w, "threshold", res->threshold);
	pfold_jw_string(&w, "metric_reason", res->metric_reason);
	pfold_jw_begin_array(&w, "warnings", 0);
	for (i = 0; i < res->nr_warnings; i++)
		pfold_jw_string(&w, NULL, res->warnings[i]);
	pfold_jw_end_array(&w);
	pfold_jw_begin_array(&w, "metrics", 0);
	for (i = 0; i < res->nr_metrics; i++) {
		const struct pfold_check_metric *m = &res->metrics[i];

		pfold_jw_begin_object(&w, NULL, 1);
		pfold_jw_string(&w, "name", m->name);
		pfold_jw_string(&w, "unit", m->unit);
		pfold_jw_bool(&w, "gating", m->gating);
		pfold_jw_number(&w, "baseline_median", m->cmp.base_median);
		pfold_jw_number(&w, "current_median", m->cmp.cur_median);
		pfold_jw_number(&w, "baseline_runs", (double)m->base_n);
		pfold_jw_number(&w, "current_runs", (double)m->cur_n);
		pfold_jw_number(&w, "change", m->cmp.change);
		pfold_jw_begin_array(&w, "ci95", 1);
		pfold_jw_number(&w, NULL, m->cmp.lo);
		pfold_jw_number(&w, NULL, m->cmp.hi);
		pfold_jw_end_array(&w);
		pfold_jw_string(&w, "verdict", pfold_verdict_name(m->cmp.verdict));
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_array(&w);
	pfold_jw_string(&w, "blame_event", res->blame_event);
	pfold_jw_begin_array(&w, "blame", 0);
	for (i = 0; i < res->nr_blame; i++) {
		pfold_jw_begin_object(&w, NULL, 1);
		pfold_jw_string(&w, "function", res->blame[i].name);
		pfold_jw_number(&w, "baseline_self_share", res->blame[i].base_self);
		pfold_jw_number(&w, "current_self_share", res->blame[i].cur_self);
		pfold_jw_number(&w, "growth", res->blame[i].growth);
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_array(&w);
	pfold_jw_string(&w, "diff_flamegraph", res->diff_flamegraph);
	pfold_jw_end_object(&w);
	return pfold_jw_finish(&w);
}

static int add_xml(struct pfold_buf *o, const char *s)
{
	return pfold_buf_add_xml(o, s, strlen(s));
}

static int write_junit(const struct pfold_check_result *res, struct pfold_buf *o)
{
	char chg[64], ci[80], bv[64], cv[64];
	size_t i, failures = 0;
	int ret = 0;
	double secs = isnan(res->cur_wall_ms) ? 0 : res->cur_wall_ms * res->cur_runs / 1e3;

	for (i = 0; i < res->nr_metrics; i++)
		failures += res->metrics[i].gating &&
			    res->metrics[i].cmp.verdict == PFOLD_VERDICT_REGRESSION;
	ret |= pfold_buf_adds(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ret |= pfold_buf_addf(o, "<testsuites name=\"pfold check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
			      res->nr_metrics, failures);
	ret |= pfold_buf_adds(o, "  <testsuite name=\"pfold check: ");
	ret |= add_xml(o, res->command);
	ret |= pfold_buf_addf(o, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"%.3f\">\n",
			      res->nr_metrics, failures, secs);
	for (i = 0; i < res->nr_metrics; i++) {
		const struct pfold_check_metric *m = &res->metrics[i];
		struct pfold_buf msg = PFOLD_BUF_INIT;

		fmt_change(chg, sizeof(chg), m, res->threshold);
		fmt_ci(ci, sizeof(ci), &m->cmp);
		fmt_value(bv, sizeof(bv), m->cmp.base_median, m->unit);
		fmt_value(cv, sizeof(cv), m->cmp.cur_median, m->unit);
		ret |= pfold_buf_addf(&msg, "%s %s %s: median %s -> %s, 95%% CI %s%s", m->name, chg,
				      pfold_verdict_name(m->cmp.verdict), bv, cv, ci,
				      m->gating ? "" : " (information only)");
		ret |= pfold_buf_adds(o, "    <testcase classname=\"pfold.check\" name=\"");
		ret |= add_xml(o, m->name);
		ret |= pfold_buf_addf(o, "\" time=\"%.3f\">\n", secs / (res->nr_metrics ? res->nr_metrics : 1));
		if (m->gating && m->cmp.verdict == PFOLD_VERDICT_REGRESSION) {
			ret |= pfold_buf_adds(o, "      <failure type=\"regression\" message=\"");
			ret |= add_xml(o, msg.data ? msg.data : "");
			ret |= pfold_buf_adds(o, "\">");
			ret |= add_xml(o, msg.data ? msg.data : "");
			ret |= pfold_buf_adds(o, "</failure>\n");
		} else {
			ret |= pfold_buf_adds(o, "      <system-out>");
			ret |= add_xml(o, msg.data ? msg.data : "");
			ret |= pfold_buf_adds(o, "</system-out>\n");
		}
		ret |= pfold_buf_adds(o, "    </testcase>\n");
		pfold_buf_release(&msg);
	}
	ret |= pfold_buf_adds(o, "    <system-out>");
	ret |= add_xml(o, verdict_advice(res->verdict));
	for (i = 0; i < res->nr_warnings; i++) {
		ret |= pfold_buf_adds(o, "\nwarning: ");
		ret |= add_xml(o, res->warnings[i]);
	}
	for (i = 0; i < res->nr_blame; i++) {
		ret |= pfold_buf_addf(o, "\nblame: %+.1f pts ", res->blame[i].growth * 100);
		ret |= add_xml(o, res->blame[i].name);
	}
	ret |= pfold_buf_adds(o, "</system-out>\n  </testsuite>\n</testsuites>\n");
	return ret ? -PFOLD_E_NOMEM : 0;
}

/* text for a Markdown table cell: no line breaks, | and ` escaped, < > & as entities */
static int add_md(struct pfold_buf *o, const char *s)
{
	int ret = 0;

	for (; *s && !ret; s++) {
		switch (*s) {
		case '|': ret = pfold_buf_adds(o, "\\|"); break;
		case '`': ret = pfold_buf_adds(o, "\\`"); break;
		case '*': ret = pfold_buf_adds(o, "\\*"); break;
		case '_': ret = pfold_buf_adds(o, "\\_"); break;
		case '<': ret = pfold_buf_adds(o, "&lt;"); break;
		case '>': ret = pfold_buf_adds(o, "&gt;"); break;
		case '&': ret = pfold_buf_adds(o, "&amp;"); break;
		case '\n': case '\r': ret = pfold_buf_addch(o, ' '); break;
		default: ret = pfold_buf_addch(o, *s);
		}
	}
	return ret;
}

static int write_markdown(const struct pfold_check_result *res, struct pfold_buf *o)
{
	char chg[64], ci[80], bv[64], cv[64];
	size_t i;
	int ret = 0;

	ret |= pfold_buf_addf(o, "### pfold check: %s\n\n", pfold_verdict_name(res->verdict));
	ret |= pfold_buf_adds(o, "Command: ");
	ret |= add_md(o, res->command);
	fmt_secs(bv, sizeof(bv), res->cur_wall_ms);
	fmt_secs(cv, sizeof(cv), res->base_wall_ms);
	ret |= pfold_buf_addf(o, " (%zu runs, %s median wall time; baseline %zu runs, %s)\n\n",
			      res->cur_runs, bv, res->base_runs, cv);
	for (i = 0; i < res->nr_metrics; i++)
		if (res->metrics[i].gating) {
			ret |= pfold_buf_addf(o, "Metric: **%s** (", res->metrics[i].name);
			ret |= add_md(o, res->metric_reason);
			ret |= pfold_buf_adds(o, ")\n\n");
		}
	for (i = 0; i < res->nr_warnings; i++) {
		ret |= pfold_buf_adds(o, "> warning: ");
		ret |= add_md(o, res->warnings[i]);
		ret |= pfold_buf_adds(o, "\n\n");
	}
	ret |= pfold_buf_adds(o, "| metric | baseline | current | change | 95% CI | verdict |\n"
				 "|---|---:|---:|---:|---|---|\n");
	for (i = 0; i < res->nr_metrics; i++) {
		const struct pfold_check_metric *m = &res->metrics[i];

		fmt_change(chg, sizeof(chg), m, res->threshold);
		fmt_ci(ci, sizeof(ci), &m->cmp);
		fmt_value(bv, sizeof(bv), m->cmp.base_median, m->unit);
		fmt_value(cv, sizeof(cv), m->cmp.cur_median, m->unit);
		ret |= pfold_buf_addf(o, "| %s", m->gating ? "**" : "");
		ret |= add_md(o, m->name);
		ret |= pfold_buf_addf(o, "%s | %s | %s | %s | %s | %s%s |\n", m->gating ? "**" : "",
				      bv, cv, chg, ci, pfold_verdict_name(m->cmp.verdict),
				      m->gating ? "" : " (info)");
	}
	if (res->nr_blame) {
		ret |= pfold_buf_addf(o, "\nFunctions whose self share of %s grew most:\n\n"
					 "| function | baseline | current | growth |\n|---|---:|---:|---:|\n",
				      res->blame_event);
		for (i = 0; i < res->nr_blame; i++) {
			ret |= pfold_buf_adds(o, "| ");
			ret |= add_md(o, res->blame[i].name);
			ret |= pfold_buf_addf(o, " | %.1f%% | %.1f%% | %+.1f pts |\n",
					      res->blame[i].base_self * 100, res->blame[i].cur_self * 100,
					      res->blame[i].growth * 100);
		}
	}
	if (res->diff_flamegraph) {
		ret |= pfold_buf_adds(o, "\nDiff flamegraph: ");
		ret |= add_md(o, res->diff_flamegraph);
		ret |= pfold_buf_adds(o, "\n");
	}
	return ret ? -PFOLD_E_NOMEM : 0;
}

int pfold_check_write(const struct pfold_check_result *res, enum pfold_check_format fmt,
		      struct pfold_buf *out)
{
	switch (fmt) {
	case PFOLD_CHECK_JSON: return write_json(res, out);
	case PFOLD_CHECK_JUNIT: return write_junit(res, out);
	case PFOLD_CHECK_MARKDOWN: return write_markdown(res, out);
	default: return write_text(res, out);
	}
}
