// SPDX-License-Identifier: MIT
/* test-report.c: report.json round trip, bad baselines, metric choice, and check comparisons. */
#include <math.h>

#include "check.h"
#include "error.h"
#include "profile.h"
#include "report.h"
#include "tap.h"

static struct pfold_report *make(const char *cpu, int pmu, double scale, int with_profile)
{
	static const char *const argv[] = { "./bench", "--size", "it's 10", NULL };
	static const char *const names[] = { "main", "hot", "cold" };
	double self[] = { 0, 75, 25 }, total[] = { 100, 75, 25 };
	struct pfold_report *r;
	struct pfold_report_event *e;
	int i;

	if (pfold_report_new(&r))
		return NULL;
	r->cpu_model = strdup(cpu);
	r->kernel = strdup("6.1.0");
	r->arch = strdup("x86_64");
	r->ncpus = 2;
	r->pmu = pmu;
	pfold_report_set_command(r, argv);
	pfold_report_add_event(r, "instructions", "", 0, "dropped: no PMU", NULL);
	pfold_report_add_event(r, "task-clock", "msec", 1, NULL, &e);
	for (i = 0; i < 5; i++)
		pfold_report_event_add_value(e, (400 + i) * scale);
	pfold_report_add_event(r, "wall-time", "msec", 1, NULL, &e);
	for (i = 0; i < 5; i++)
		pfold_report_event_add_value(e, (410 + 2 * i) * scale);
	if (with_profile) {
		if (scale > 1) {
			self[1] = 85;	/* hot grew from 75% to 85% */
			self[2] = 15;
		}
		pfold_report_add_top(r, "cpu-clock", 100, names, self, total, 3);
	}
	pfold_report_finish(r);
	return r;
}

static int parse_str(const char *s, struct pfold_report **r)
{
	pfold_error_clear();
	*r = NULL;
	return pfold_report_parse(r, s, strlen(s));
}

static void round_trip(void)
{
	struct pfold_report *r = make("AMD EPYC", 0, 1, 1), *back = NULL;
	struct pfold_buf b = PFOLD_BUF_INIT;
	const struct pfold_report_event *e;

	ok(r != NULL, "a report is built");
	is_str(r->metric, "task-clock", "no PMU: the metric is task-clock");
	ok(strstr(r->metric_reason, "no hardware PMU") && strstr(r->metric_reason, "instructions not counted"),
	   "the reason says why (%s)", r->metric_reason);
	ok(!pfold_report_write(r, &b), "written");
	ok(strstr(b.data, "\"format\": \"pfold-report/1\"") != NULL, "the format version is written");
	ok(!pfold_report_parse(&back, b.data, b.len), "read back");
	is_str(back->cpu_model, "AMD EPYC", "cpu model");
	is_int(back->pmu, 0, "pmu");
	is_int(back->command_len, 3, "command words");
	is_str(back->command[2], "it's 10", "a quoted word survives");
	e = pfold_report_find_event(back, "task-clock");
	ok(e && e->nr_values == 5 && e->values[4] == 404, "per-run values survive");
	/* 400..404: median 402, mean 402 */
	ok(e && e->summary.median == 402 && e->summary.mean == 402, "summary recomputed");
	ok(pfold_report_find_event(back, "instructions") == NULL, "a dropped event is not counted");
	ok(back->nr_events == 3 && back->events[0].fallback &&
	   !strcmp(back->events[0].fallback, "dropped: no PMU"), "its fallback is kept");
	ok(back->nr_tops == 1 && back->tops[0].nr_funcs == 3 && back->tops[0].funcs[1].self == 75,
	   "the profile's top functions survive");
	is_str(back->metric, "task-clock", "the metric survives");
	pfold_report_free(back);
	pfold_buf_release(&b);
	pfold_report_free(r);
}

static void bad_input(void)
{
	struct pfold_report *r = make("AMD EPYC", 0, 1, 0), *back = NULL;
	struct pfold_buf b = PFOLD_BUF_INIT;
	size_t half;

	is_int(parse_str("hello", &back), -PFOLD_E_JSON, "not JSON");
	ok(strstr(pfold_errmsg(-PFOLD_E_JSON), "not a pfold report") != NULL, "...says so");
	is_int(parse_str("[1,2]", &back), -PFOLD_E_FORMAT, "a JSON array");
	is_int(parse_str("{\"a\": 1}", &back), -PFOLD_E_FORMAT, "JSON without a format");
	is_int(parse_str("{\"format\": \"pfold-report/2\", \"events\": []}", &back), -PFOLD_E_FORMAT,
	       "another format version");
	ok(strstr(pfold_errmsg(-PFOLD_E_FORMAT), "pfold-report/2") != NULL, "...named in the message");
	is_int(parse_str("{\"format\": \"pfold-report/1\"}", &back), -PFOLD_E_PARSE, "no events");
	is_int(parse_str("{\"format\": \"pfold-report/1\", \"events\": [{\"name\": \"x\", \"values\": [\"1\"]}]}",
			 &back), -PFOLD_E_PARSE, "a value that is a string");
	is_int(parse_str("{\"format\": \"pfold-report/1\", \"events\": [{\"values\": []}]}", &back),
	       -PFOLD_E_PARSE, "an event without a name");
	pfold_report_write(r, &b);
	half = b.len / 2;
	pfold_error_clear();
	is_int(pfold_report_parse(&back, b.data, half), -PFOLD_E_JSON, "a truncated report");
	ok(strstr(pfold_errmsg(-PFOLD_E_JSON), "end of input") != NULL, "...says where it ends");
	ok(back == NULL, "nothing returned on failure");
	/* every proper prefix of a report is refused: a truncated baseline never passes */
	{
		size_t end = b.len, n, accepted = 0;
		unsigned seed = 12345;

		while (end > 0 && b.data[end - 1] != '}')
			end--;
		for (n = 0; n < end; n++) {
			back = NULL;
			if (!pfold_report_parse(&back, b.data, n)) {
				accepted++;
				pfold_report_free(back);
			}
		}
		is_int(accepted, 0, "no prefix of a report is accepted");
		/* random byte changes: refused or read, never a crash (run under ASan in CI) */
		for (n = 0; n < 2000; n++) {
			char *copy = malloc(b.len);
			size_t k;

			memcpy(copy, b.data, b.len);
			for (k = 0; k < 3; k++) {
				seed = seed * 1103515245u + 12345u;
				copy[(seed >> 8) % b.len] = (char)(seed >> 20);
			}
			back = NULL;
			if (!pfold_report_parse(&back, copy, b.len))
				pfold_report_free(back);
			free(copy);
		}
		ok(1, "2000 damaged reports parsed or refused without a crash");
	}
	pfold_buf_release(&b);
	pfold_report_free(r);
}

static const struct pfold_check_metric *metric(const struct pfold_check_result *res, const char *name)
{
	size_t i;

	for (i = 0; i < res->nr_metrics; i++)
		if (!strcmp(res->metrics[i].name, name))
			return &res->metrics[i];
	return NULL;
}

static void check(void)
{
	struct pfold_report *base = make("AMD EPYC", 0, 1, 1);
	struct pfold_report *same = make("AMD EPYC", 0, 1, 1);
	struct pfold_report *slow = make("AMD EPYC", 0, 1.15, 1);
	struct pfold_report *other = make("Intel Xeon", 1, 1, 0);
	struct pfold_check_opts o = { 0.10, NULL, 0, 10, "base.json", "cur.json" };
	const char *const wall[] = { "wall-time" }, *const cyc[] = { "cycles" };
	struct pfold_check_result *res = NULL;
	struct pfold_buf b = PFOLD_BUF_INIT;

	ok(!pfold_check_compare(&res, base, same, &o), "A/A compare");
	is_str(pfold_verdict_name(res->verdict), "unchanged", "A/A: unchanged");
	ok(metric(res, "task-clock") && metric(res, "task-clock")->gating, "task-clock decides");
	ok(metric(res, "wall-time") && !metric(res, "wall-time")->gating, "wall-time is information");
	is_int(res->nr_warnings, 0, "same host: no warning");
	pfold_check_free(res);

	ok(!pfold_check_compare(&res, base, slow, &o), "A/B compare");
	is_str(pfold_verdict_name(res->verdict), "regression", "+15%: regression");
	/* 402 * 1.15 / 402 - 1 */
	ok(fabs(metric(res, "task-clock")->cmp.change - 0.15) < 1e-9, "change +15%%");
	ok(res->nr_blame >= 1 && !strcmp(res->blame[0].name, "hot") &&
	   fabs(res->blame[0].growth - 0.10) < 1e-9, "blame: hot grew by 10 points, first");
	ok(!pfold_check_write(res, PFOLD_CHECK_TEXT, &b), "text output");
	ok(strstr(b.data, "+15.0% (over 10.0%)") != NULL, "text has the change line");
	ok(strstr(b.data, "command:   ./bench --size 'it'\\''s 10'") != NULL, "text has the quoted command");
	pfold_buf_reset(&b);
	ok(!pfold_check_write(res, PFOLD_CHECK_JUNIT, &b), "junit output");
	ok(strstr(b.data, "<failure type=\"regression\"") != NULL, "junit has a failure");
	ok(strstr(b.data, "&#39;it&#39;\\&#39;&#39;s 10&#39;") != NULL, "junit escapes the command");
	pfold_buf_reset(&b);
	ok(!pfold_check_write(res, PFOLD_CHECK_MARKDOWN, &b), "markdown output");
	ok(strstr(b.data, "| **task-clock** |") != NULL, "markdown has the metric row");
	pfold_buf_release(&b);
	pfold_check_free(res);

	o.metrics = wall;
	o.nr_metrics = 1;
	ok(!pfold_check_compare(&res, base, slow, &o), "--metric wall-time");
	ok(metric(res, "wall-time")->gating && !metric(res, "task-clock")->gating,
	   "the named metric decides");
	pfold_check_free(res);
	o.metrics = cyc;
	is_int(pfold_check_compare(&res, base, slow, &o), -PFOLD_E_NOT_FOUND,
	       "a named metric that is not counted is an error");
	o.metrics = NULL;
	o.nr_metrics = 0;

	ok(!pfold_check_compare(&res, base, other, &o), "another host");
	ok(res->mismatch && res->nr_warnings >= 2, "cpu and pmu differences are warnings");
	ok(strstr(res->warnings[0], "Intel Xeon") != NULL, "the warning names the CPU");
	pfold_check_free(res);

	pfold_report_free(base);
	pfold_report_free(same);
	pfold_report_free(slow);
	pfold_report_free(other);
}

static void add_stack(struct pfold_profile *p, const char *path, uint64_t a, uint64_t b)
{
	uint32_t ids[8];
	uint64_t counts[2] = { a, b };
	size_t n = 0;
	char buf[128], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ";", &save); tok && n < 8; tok = strtok_r(NULL, ";", &save))
		pfold_profile_intern(p, tok, strlen(tok), PFOLD_FRAME_USER, &ids[n++]);
	pfold_profile_add(p, ids, n, counts);
}

static const struct pfold_report_func *func(const struct pfold_report_top *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nr_funcs; i++)
		if (!strcmp(t->funcs[i].name, name))
			return &t->funcs[i];
	return NULL;
}

static void from_profile(void)
{
	struct pfold_profile *p = NULL;
	struct pfold_report *r = NULL;
	const struct pfold_report_top *t;

	ok(!pfold_profile_open(&p) && !pfold_report_new(&r), "a profile and a report");
	pfold_profile_add_event(p, "cpu-clock");
	pfold_profile_add_event(p, "page-faults");
	add_stack(p, "main;hot;leaf", 75, 1);
	add_stack(p, "main;cold;leaf", 25, 2);
	add_stack(p, "main;rec;rec", 10, 0);
	add_stack(p, "main", 5, 7);
	ok(!pfold_report_add_profile(r, p, 10), "top functions attached");
	is_int(r->nr_tops, 2, "one top list per event");
	t = &r->tops[0];
	is_str(t->event, "cpu-clock", "first event");
	/* total of the event: 75 + 25 + 10 + 5 = 115 */
	ok(t->event_total == 115, "event total 115");
	/* self: leaf 75 + 25 = 100 (first), rec 10, main 5; hot and cold have none */
	is_str(t->funcs[0].name, "leaf", "leaf has the most self cost");
	ok(func(t, "leaf")->self == 100 && func(t, "leaf")->total == 100, "leaf: self 100, total 100");
	/* rec;rec counts once per stack in total: 10, not 20 */
	ok(func(t, "rec")->self == 10 && func(t, "rec")->total == 10, "recursion counted once in total");
	ok(func(t, "main")->self == 5 && func(t, "main")->total == 115, "main: self 5, total 115");
	ok(func(t, "hot") && func(t, "hot")->self == 0 && func(t, "hot")->total == 75,
	   "hot is listed by its total 75");
	t = &r->tops[1];
	/* page-faults: leaf 1 + 2 = 3, main 7 */
	ok(func(t, "main")->self == 7 && func(t, "leaf")->self == 3 && !strcmp(t->funcs[0].name, "main"),
	   "second event: main 7 first, leaf 3");
	pfold_report_free(r);
	pfold_profile_close(p);
}

int main(void)
{
	from_profile();
	round_trip();
	bad_input();
	check();
	return done_testing();
}
