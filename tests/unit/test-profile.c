// SPDX-License-Identifier: MIT
/* test-profile.c: unit tests of the profile: interning, counter vectors, sorted order, merge. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "profile.h"
#include "tap.h"

static uint32_t frame(struct pfold_profile *p, const char *name, enum pfold_frame_kind k)
{
	uint32_t id = UINT32_MAX;

	if (pfold_profile_intern(p, name, strlen(name), k, &id))
		return UINT32_MAX;
	return id;
}

/* the ';'-joined text of stack I (the caller frees) */
static char *text(const struct pfold_profile *p, size_t i)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	struct pfold_stack st;
	size_t k;

	pfold_profile_stack(p, i, &st);
	pfold_buf_adds(&b, "");
	for (k = 0; k < st.nframes; k++) {
		if (k)
			pfold_buf_addch(&b, ';');
		pfold_buf_adds(&b, pfold_profile_frame_name(p, st.frames[k]));
	}
	return pfold_buf_detach(&b, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_basics(void)
{
	struct pfold_profile *p;
	uint32_t a, b, a2, ak, st[3];
	uint64_t c2[2] = { 5, 7 };
	struct pfold_stack s;
	long i0, i1;

	ok(pfold_profile_open(&p) == 0, "open");
	is_int(pfold_profile_add_event(p, "cycles"), 0, "first event is slot 0");
	is_int(pfold_profile_add_event(p, "cycles"), 0, "adding it again gives the same slot");
	is_int(pfold_profile_add_event(p, "bad name"), -PFOLD_E_INVAL, "an event name with a space is refused");
	is_int(pfold_profile_add_event(p, "a,b"), -PFOLD_E_INVAL, "an event name with a comma is refused");
	a = frame(p, "main", PFOLD_FRAME_USER);
	b = frame(p, "leaf", PFOLD_FRAME_USER);
	a2 = frame(p, "main", PFOLD_FRAME_USER);
	ak = frame(p, "main", PFOLD_FRAME_KERNEL);
	ok(a == a2, "interning the same (name, kind) gives the same id");
	ok(a != ak, "another kind is another frame");
	is_int(pfold_profile_frame_kind(p, ak), PFOLD_FRAME_KERNEL, "the kind is kept");
	is_str(pfold_profile_frame_name(p, b), "leaf", "the name is kept");
	ok(pfold_profile_intern(p, "a\nb", 3, PFOLD_FRAME_USER, &a2) == -PFOLD_E_INVAL,
	   "a newline in a name is refused");

	st[0] = a;
	st[1] = b;
	i0 = pfold_profile_add1(p, st, 2, 0, 10);
	i1 = pfold_profile_add1(p, st, 2, 0, 5);
	is_int(i0, 0, "a new stack gets index 0");
	is_int(i1, 0, "the same stack again: same index");
	i1 = pfold_profile_add1(p, st, 1, 0, 1);
	is_int(i1, 1, "a prefix is another stack");
	is_int(pfold_profile_add1(p, st, 0, 0, 2), 2, "the empty stack is a stack");
	st[2] = 12345;
	ok(pfold_profile_add1(p, st + 2, 1, 0, 1) == -PFOLD_E_INVAL, "an unknown frame id is refused");
	ok(pfold_profile_add1(p, st, 1, 3, 1) == -PFOLD_E_INVAL, "a bad slot is refused");
	is_int(pfold_profile_total(p, 0), 18, "the total adds every stack");

	/* a second event re-lays the vectors: old counts stay, new slot is 0 */
	is_int(pfold_profile_add_event(p, "cache-misses"), 1, "second event is slot 1");
	pfold_profile_stack(p, 0, &s);
	ok(s.counts[0] == 15 && s.counts[1] == 0, "counts kept after adding an event");
	ok(pfold_profile_add(p, st, 2, c2) == 0, "add a vector");
	pfold_profile_stack(p, 0, &s);
	ok(s.counts[0] == 20 && s.counts[1] == 7, "the vector adds slot by slot");
	is_int(pfold_profile_total(p, 1), 7, "total of slot 1");
	is_int(pfold_profile_find_event(p, "cache-misses"), 1, "find an event");
	is_int(pfold_profile_find_event(p, "nope"), -PFOLD_E_NOT_FOUND, "a missing event");
	pfold_profile_close(p);
}

/* random stacks: the sorted order is strcmp order of the joined text */
static void test_sorted(void)
{
	struct pfold_profile *p;
	static const char *names[] = { "a", "ab", "b", "B", "_", "a;b", "a b", "", "-", "zz", "a-" };
	size_t n, i, *order;
	char **want, *got;
	uint32_t ids[8];
	int bad = 0;

	pfold_profile_open(&p);
	pfold_profile_add_event(p, "samples");
	srand(1);
	for (i = 0; i < 3000; i++) {
		size_t d = (size_t)(rand() % 6), k;

		for (k = 0; k < d; k++)
			ids[k] = frame(p, names[rand() % 11], (enum pfold_frame_kind)(rand() % 2));
		pfold_profile_add1(p, ids, d, 0, 1);
	}
	n = pfold_profile_nr_stacks(p);
	ok(pfold_profile_sorted(p, &order) == 0 && order, "sorted order of %zu stacks", n);
	want = calloc(n, sizeof(*want));
	for (i = 0; i < n; i++)
		want[i] = text(p, i);
	qsort(want, n, sizeof(*want), cmp_str);
	for (i = 0; i < n; i++) {
		got = text(p, order[i]);
		if (strcmp(got, want[i]))
			bad++;
		free(got);
	}
	is_int(bad, 0, "every position holds the text strcmp puts there");
	for (i = 0; i < n; i++)
		free(want[i]);
	free(want);
	free(order);
	pfold_profile_close(p);
}

/* a profile of random stacks over events EVS (names from a fixed pool) */
static struct pfold_profile *random_profile(unsigned seed, const char *const *evs, size_t nev)
{
	struct pfold_profile *p;
	uint32_t ids[6];
	size_t i, k;

	pfold_profile_open(&p);
	for (k = 0; k < nev; k++)
		pfold_profile_add_event(p, evs[k]);
	srand(seed);
	for (i = 0; i < 500; i++) {
		size_t d = 1 + (size_t)(rand() % 5);
		char name[8];

		for (k = 0; k < d; k++) {
			snprintf(name, sizeof(name), "f%d", rand() % 7);
			ids[k] = frame(p, name, PFOLD_FRAME_USER);
		}
		pfold_profile_add1(p, ids, d, (size_t)(rand() % (int)nev), (uint64_t)(rand() % 100));
	}
	return p;
}

/* equal as sets of (text, event name) -> count */
static int same_profile(const struct pfold_profile *x, const struct pfold_profile *y)
{
	size_t ne = pfold_profile_nr_events(x), i, *ox, *oy;
	struct pfold_stack sx, sy;
	int same = 1;

	if (ne != pfold_profile_nr_events(y) ||
	    pfold_profile_nr_stacks(x) != pfold_profile_nr_stacks(y))
		return 0;
	pfold_profile_sorted(x, &ox);
	pfold_profile_sorted(y, &oy);
	for (i = 0; same && i < pfold_profile_nr_stacks(x); i++) {
		char *tx = text(x, ox[i]), *ty = text(y, oy[i]);
		size_t e;

		pfold_profile_stack(x, ox[i], &sx);
		pfold_profile_stack(y, oy[i], &sy);
		same = !strcmp(tx, ty);
		for (e = 0; same && e < ne; e++) {
			int ey = pfold_profile_find_event(y, pfold_profile_event_name(x, e));

			same = ey >= 0 && sx.counts[e] == sy.counts[ey];
		}
		free(tx);
		free(ty);
	}
	free(ox);
	free(oy);
	return same;
}

static void test_merge(void)
{
	static const char *const e1[] = { "cycles" }, *const e2[] = { "cycles", "misses" },
			  *const e3[] = { "instructions", "misses" };
	struct pfold_profile *a = random_profile(1, e1, 1), *b = random_profile(2, e2, 2),
			     *c = random_profile(3, e3, 2), *l, *r, *bc, *ab;
	size_t e;
	int totals_ok = 1;

	/* left = a + (b + c), right = (a + b) + c */
	pfold_profile_open(&bc);
	pfold_profile_merge(bc, b);
	pfold_profile_merge(bc, c);
	pfold_profile_open(&l);
	pfold_profile_merge(l, a);
	ok(pfold_profile_merge(l, bc) == 0, "merge a with (b + c)");
	pfold_profile_open(&ab);
	pfold_profile_merge(ab, a);
	pfold_profile_merge(ab, b);
	pfold_profile_open(&r);
	pfold_profile_merge(r, ab);
	ok(pfold_profile_merge(r, c) == 0, "merge (a + b) with c");
	ok(same_profile(l, r), "merge is associative");
	is_int(pfold_profile_nr_events(l), 3, "events united by name");
	for (e = 0; e < pfold_profile_nr_events(l); e++) {
		const char *name = pfold_profile_event_name(l, e);
		uint64_t want = 0;
		const struct pfold_profile *parts[3] = { a, b, c };
		int k;

		for (k = 0; k < 3; k++) {
			int s = pfold_profile_find_event(parts[k], name);

			if (s >= 0)
				want += pfold_profile_total(parts[k], (size_t)s);
		}
		if (pfold_profile_total(l, e) != want)
			totals_ok = 0;
	}
	ok(totals_ok, "totals per event add");
	ok(pfold_profile_merge(l, l) == -PFOLD_E_INVAL, "merging into itself is refused");
	pfold_profile_close(a);
	pfold_profile_close(b);
	pfold_profile_close(c);
	pfold_profile_close(l);
	pfold_profile_close(r);
	pfold_profile_close(ab);
	pfold_profile_close(bc);
}

static void test_many(void)
{
	struct pfold_profile *p;
	uint32_t ids[3];
	size_t i;
	struct pfold_stack s;
	int ok_all = 1;

	pfold_profile_open(&p);
	pfold_profile_add_event(p, "x");
	ids[0] = frame(p, "r", PFOLD_FRAME_USER);
	for (i = 0; i < 200000; i++) {
		char name[16];

		snprintf(name, sizeof(name), "g%zu", i % 50000);
		ids[1] = frame(p, name, PFOLD_FRAME_USER);
		ids[2] = (uint32_t)(i % 3);
		pfold_profile_add1(p, ids, 3, 0, 1);
	}
	is_int(pfold_profile_nr_frames(p), 50001, "50000 distinct frames + root");
	is_int(pfold_profile_nr_stacks(p), 150000, "150000 distinct stacks");
	for (i = 0; i < pfold_profile_nr_stacks(p); i++) {
		pfold_profile_stack(p, i, &s);
		if (s.counts[0] < 1 || s.counts[0] > 2)
			ok_all = 0;
	}
	ok(ok_all, "every stack counted once or twice");
	is_int(pfold_profile_total(p, 0), 200000, "total");
	pfold_profile_close(p);
}

/* frame origins: a side table, first value wins, merged, not part of identity */
static void test_origins(void)
{
	struct pfold_profile *p, *q;
	struct pfold_frame_origin o = { "/bin/app", "abcd", 0x1234, "app.c", 42 };
	struct pfold_frame_origin o2 = { "/bin/other", NULL, 0x99, NULL, 0 };
	const struct pfold_frame_origin *g;
	char obj[16] = "/bin/app";
	uint32_t a, b, c, qa;

	pfold_profile_open(&p);
	pfold_profile_open(&q);
	a = frame(p, "main", PFOLD_FRAME_USER);
	b = frame(p, "leaf", PFOLD_FRAME_USER);
	ok(!pfold_profile_frame_origin(p, a), "no origin at first");
	o.object = obj;
	is_int(pfold_profile_set_frame_origin(p, b, &o), 1, "origin stored");
	obj[1] = 'X';
	is_int(pfold_profile_set_frame_origin(p, b, &o2), 0, "the first origin wins");
	g = pfold_profile_frame_origin(p, b);
	ok(g && !strcmp(g->object, "/bin/app") && !strcmp(g->build_id, "abcd") &&
	   g->address == 0x1234 && !strcmp(g->file, "app.c") && g->line == 42,
	   "origin copied and read back");
	ok(!pfold_profile_frame_origin(p, a), "other frames keep none");
	is_int(pfold_profile_set_frame_origin(p, 7, &o2), -PFOLD_E_INVAL, "unknown frame");
	c = frame(p, "leaf", PFOLD_FRAME_USER);
	is_int(c, b, "an origin does not change frame identity");
	qa = frame(q, "leaf", PFOLD_FRAME_USER);
	pfold_profile_set_frame_origin(q, qa, &o2);
	frame(q, "x", PFOLD_FRAME_USER);
	pfold_profile_merge(q, p);
	g = pfold_profile_frame_origin(q, qa);
	ok(g && !strcmp(g->object, "/bin/other") && !g->build_id, "merge keeps DST's origin");
	pfold_profile_merge(p, q);
	g = pfold_profile_frame_origin(p, b);
	ok(g && g->line == 42, "merge: still the first");
	pfold_profile_close(p);
	pfold_profile_open(&p);
	pfold_profile_merge(p, q);
	b = frame(p, "leaf", PFOLD_FRAME_USER);
	g = pfold_profile_frame_origin(p, b);
	ok(g && !strcmp(g->object, "/bin/other"), "merge copies origins into a new profile");
	pfold_profile_clear(p);
	b = frame(p, "leaf", PFOLD_FRAME_USER);
	ok(!pfold_profile_frame_origin(p, b), "clear forgets origins");
	pfold_profile_close(p);
	pfold_profile_close(q);
}

int main(void)
{
	test_basics();
	test_sorted();
	test_merge();
	test_many();
	test_origins();
	return done_testing();
}
