// SPDX-License-Identifier: MIT
/* test-flame.c: unit tests of the flamegraph layout, narrow-frame merging, diffs and SVG text escaping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flame-svg.h"
#include "flame.h"
#include "tap.h"

static struct pfold_profile *prof;

/* add "a;b;c" with COUNT in slot 0 (and COUNT2 in slot 1 when the profile has it) */
static void add(const char *stack, uint64_t count, uint64_t count2)
{
	uint32_t ids[32];
	uint64_t c[2] = { count, count2 };
	size_t n = 0;
	char *s = strdup(stack), *save = NULL, *t;

	for (t = strtok_r(s, ";", &save); t; t = strtok_r(NULL, ";", &save))
		pfold_profile_intern(prof, t, strlen(t), PFOLD_FRAME_USER, &ids[n++]);
	pfold_profile_add(prof, ids, n, c);
	free(s);
}

/* the frame NAME at DEPTH, or NULL */
static const struct pfold_flame_frame *find(const struct pfold_flame *f, const char *name,
					     uint32_t depth)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (f->frames[i].depth == depth && f->frames[i].name &&
		    !strcmp(f->frames[i].name, name))
			return &f->frames[i];
	return NULL;
}

static void test_layout(void)
{
	struct pfold_flame_options o = { 0 };
	struct pfold_flame *f;
	const struct pfold_flame_frame *fr;
	double x, w;

	pfold_profile_open(&prof);
	pfold_profile_add_event(prof, "samples");
	/* flamegraph.pl's order is byte-wise on the folded text: "foo " < "foo!bar" < "foo;" */
	add("main;foo;x", 10, 0);
	add("main;foo!bar", 20, 0);
	add("main;foo", 30, 0);
	add("main;zed", 40, 0);
	o.minwidth = 0;
	o.diff_base = -1;
	ok(!pfold_flame_layout(&f, prof, &o), "layout");
	is_int(f->total, 100, "total");
	is_int(f->frames[0].width, 100, "the root is as wide as the total");
	/* sorted: "main;foo 30", "main;foo!bar 20", "main;foo;x 10", "main;zed 40" */
	fr = find(f, "foo!bar", 2);
	ok(fr && fr->start == 30 && fr->width == 20, "foo!bar sits between the two foo runs");
	ok(find(f, "foo", 2) && find(f, "foo", 2)->start == 0 && find(f, "foo", 2)->width == 30,
	   "the first foo holds only its own line, as in flamegraph.pl");
	fr = find(f, "x", 3);
	ok(fr && fr->start == 50 && fr->width == 10 && f->frames[fr->parent].start == 50,
	   "a second foo frame starts at 50 with x above it");
	fr = find(f, "zed", 2);
	ok(fr && fr->start == 60 && fr->width == 40 && fr->self[0] == 40, "zed: start, width, self");
	pfold_flame_x(f, (size_t)(fr - f->frames), &x, &w);
	ok(fabs(x - (10 + 60 * 11.8)) < 0.06 && fabs(w - 40 * 11.8) < 0.11, "zed in pixels");
	is_int(find(f, "main", 1)->counts[0], 100, "inclusive count of main");
	is_int(find(f, "main", 1)->self[0], 0, "main has no self count");
	pfold_flame_free(f);
	pfold_profile_close(prof);
}

static void test_narrow(void)
{
	struct pfold_flame_options o = { 0 };
	struct pfold_flame *f;
	size_t i, boxes = 0;
	char name[32];

	pfold_profile_open(&prof);
	pfold_profile_add_event(prof, "samples");
	add("main;big", 100000, 0);
	for (i = 0; i < 50; i++) {	/* 50 frames of 10: 0.118 px each at 1200 px */
		snprintf(name, sizeof(name), "main;small%02zu", i);
		add(name, 10, 0);
	}
	add("main;lone", 1, 0);	/* a run of one that stays too thin: hidden, counted */
	add("main;mid", 900, 0);	/* drawn */
	add("main;tiny", 1, 0);
	o.minwidth = 1;
	o.diff_base = -1;
	ok(!pfold_flame_layout(&f, prof, &o), "layout with minwidth 1");
	for (i = 0; i < f->nr; i++) {
		if (!f->frames[i].narrow)
			continue;
		boxes++;
		is_int(f->frames[i].narrow, 51, "the box holds the 50 small frames and lone");
		is_int(f->frames[i].width, 501, "and their total");
		is_int(f->frames[i].counts[0], 501, "counters summed too");
	}
	is_int(boxes, 1, "one merged box");
	ok(find(f, "mid", 2) != NULL && find(f, "small00", 2) == NULL, "wide frames stay, narrow ones go");
	is_int(find(f, "main", 1)->nhidden, 1, "tiny is counted in its parent");
	is_int(find(f, "main", 1)->hidden, 1, "with its count");
	is_int(f->narrow_frames, 52, "narrow frames counted");
	pfold_flame_free(f);
	pfold_profile_close(prof);
}

static void test_diff(void)
{
	struct pfold_profile *base, *cur, *d;
	struct pfold_self_change *ch;
	struct pfold_flame_options o = { 0 };
	struct pfold_flame *f;
	size_t n;

	pfold_profile_open(&base);
	pfold_profile_add_event(base, "cycles");
	prof = base;
	add("main;a", 30, 0);
	add("main;b", 70, 0);
	pfold_profile_open(&cur);
	pfold_profile_add_event(cur, "cycles");
	prof = cur;
	add("main;a", 90, 0);
	add("main;b", 110, 0);
	ok(!pfold_flame_diff_profile(&d, cur, 0, base, 0), "diff profile");
	is_int(pfold_profile_total(d, 0), 200, "cur slot");
	is_int(pfold_profile_total(d, 1), 100, "base slot");
	o.diff_base = 1;
	o.base_scale = 2;	/* normalized: base total 100 -> 200 */
	o.minwidth = -1;
	ok(!pfold_flame_layout(&f, d, &o), "diff layout");
	ok(fabs(find(f, "a", 2)->delta - 30) < 1e-9, "a grew by 90 - 2 * 30");
	ok(fabs(find(f, "b", 2)->delta + 30) < 1e-9, "b shrank by 110 - 2 * 70");
	ok(fabs(find(f, "main", 1)->delta_total) < 1e-9, "main: no change in shape");
	ok(fabs(f->max_delta - 30) < 1e-9, "largest change");
	ok(!pfold_flame_self_changes(d, 1, &ch, &n), "self changes");
	is_int(n, 2, "two functions");
	ok(!strcmp(ch[0].name, "a") && ch[0].delta == 60 && !strcmp(ch[1].name, "b") && ch[1].delta == 40,
	   "ordered by absolute change");
	free(ch);
	pfold_flame_free(f);
	pfold_profile_close(d);
	pfold_profile_close(cur);
	pfold_profile_close(base);
}

static void test_text(void)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	const char in[] = "<a href=\"x\">&'\xff\xc3\xa9\xed\xa0\x80\x01\xe2\x82</a>";

	ok(!pfold_svg_add_text(&b, in, sizeof(in) - 1), "escape");
	is_str(b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;?\xc3\xa9??????&lt;/a&gt;",
	       "markup escaped; each byte of invalid UTF-8, surrogates and controls is a ?");
	pfold_buf_release(&b);
}

int main(void)
{
	test_layout();
	test_narrow();
	test_diff();
	test_text();
	return done_testing();
}
