// SPDX-License-Identifier: MIT
/* test-folded.c: unit tests of folded text reading and writing, both forms. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "folded.h"
#include "profile.h"
#include "tap.h"

/* read TEXT into a new profile and write it back with EVENT (-1: multi) */
static char *roundtrip(const char *in, int event, struct pfold_folded_stats *st, int *ret)
{
	struct pfold_profile *p;
	struct pfold_buf b = PFOLD_BUF_INIT;

	pfold_profile_open(&p);
	*ret = pfold_folded_read_mem(p, in, strlen(in), "t", st);
	if (!*ret)
		*ret = pfold_folded_write(p, event, &b);
	pfold_buf_adds(&b, "");
	pfold_profile_close(p);
	return pfold_buf_detach(&b, NULL);
}

static void check(const char *in, int event, const char *want, const char *what)
{
	struct pfold_folded_stats st = { 0 };
	int ret;
	char *got = roundtrip(in, event, &st, &ret);

	is_str(got, want, what);
	free(got);
}

int main(void)
{
	struct pfold_folded_stats st = { 0 };
	struct pfold_profile *p;
	int ret;
	char *got;
	uint32_t id;

	check("b;c 2\na 1\nb;c 3\n", 0, "a 1\nb;c 5\n", "single form: sorted, duplicates add");
	check("x y;z  12\n", 0, "x y;z 12\n", "spaces inside names; several blanks before the count");
	check("a 1\r\n", 0, "a 1\n", "CRLF lines");
	check("# pfold-folded events=c,m\na;b 1 2\na 0 5\n", -1,
	      "# pfold-folded events=c,m\na 0 5\na;b 1 2\n", "multi form round trip");
	check("# pfold-folded events=c,m\na;b 1 2\na 0 5\n", 0, "a;b 1\n",
	      "one column of a multi-column file leaves out its zero stacks");
	check("a 1\n# pfold-folded events=samples,m\na 1 1\n", -1,
	      "# pfold-folded events=samples,m\na 2 1\n", "a later header (cat of files) sets the columns after it");
	check("a;b 0\n", 0, "a;b 0\n", "a one-event zero stack is kept (as stackcollapse-perf.pl)");
	check(" 5\n", 0, " 5\n", "an empty stack");

	got = roundtrip("a 1\nbad\nb 1.5\nc 2\n\n# note\n", 0, &st, &ret);
	is_str(got, "a 1\nc 2\n", "bad lines are skipped");
	ok(st.skipped == 2 && st.first_skipped == 2 && st.lines == 2, "and counted (first: line 2)");
	free(got);

	memset(&st, 0, sizeof(st));
	got = roundtrip("# pfold-folded events=a,b\ns 1\nt 1 2\n", -1, &st, &ret);
	is_str(got, "# pfold-folded events=a,b\nt 1 2\n", "too few columns: skipped");
	free(got);

	got = roundtrip("a 18446744073709551616\n", 0, &st, &ret);
	is_int(ret, -PFOLD_E_PARSE, "a count beyond 64 bits is an error");
	ok(strstr(pfold_errmsg(ret), "t: line 1: count overflows") != NULL, "naming file and line");
	free(got);
	got = roundtrip("a 18446744073709551615\n", 0, &st, &ret);
	is_str(got, "a 18446744073709551615\n", "UINT64_MAX reads");
	free(got);
	got = roundtrip("# pfold-folded events=a,,b\n", -1, &st, &ret);
	is_int(ret, -PFOLD_E_PARSE, "an empty event name in the header is an error");
	free(got);

	/* kinds from flamegraph.pl's suffixes */
	pfold_profile_open(&p);
	pfold_folded_read_mem(p, "r;k_[k];j_[j];i_[i];u 1\n", 23, "t", NULL);
	ok(pfold_profile_intern(p, "k_[k]", 5, PFOLD_FRAME_KERNEL, &id) == 0 && id == 1,
	   "_[k] reads as a kernel frame");
	ok(pfold_profile_intern(p, "j_[j]", 5, PFOLD_FRAME_JIT, &id) == 0 && id == 2,
	   "_[j] reads as a JIT frame");
	ok(pfold_profile_intern(p, "i_[i]", 5, PFOLD_FRAME_INLINED, &id) == 0 && id == 3,
	   "_[i] reads as an inlined frame");
	is_int(pfold_profile_nr_frames(p), 5, "no extra frames");
	pfold_profile_close(p);

	/* equal text of different kinds is one line */
	{
		struct pfold_buf b = PFOLD_BUF_INIT;
		uint32_t s1[2], s2[2];

		pfold_profile_open(&p);
		pfold_profile_add_event(p, "samples");
		pfold_profile_intern(p, "r", 1, PFOLD_FRAME_OTHER, &s1[0]);
		pfold_profile_intern(p, "f", 1, PFOLD_FRAME_USER, &s1[1]);
		pfold_profile_intern(p, "r", 1, PFOLD_FRAME_USER, &s2[0]);
		pfold_profile_intern(p, "f", 1, PFOLD_FRAME_KERNEL, &s2[1]);
		pfold_profile_add1(p, s1, 2, 0, 3);
		pfold_profile_add1(p, s2, 2, 0, 4);
		pfold_folded_write(p, 0, &b);
		is_str(b.data, "r;f 7\n", "stacks of equal text are written as one line");
		pfold_buf_release(&b);
		pfold_profile_close(p);
	}

	/* hostile bytes never crash */
	{
		static const char alpha[] = "a;b 12#\n\0 \t-pfold-folded events=,x";
		char buf[4096];
		int i, k;

		srand(3);
		for (k = 0; k < 200; k++) {
			for (i = 0; i < (int)sizeof(buf); i++)
				buf[i] = alpha[rand() % (int)(sizeof(alpha) - 1)];
			pfold_profile_open(&p);
			pfold_folded_read_mem(p, buf, sizeof(buf), "fuzz", NULL);
			pfold_profile_close(p);
		}
		ok(1, "200 random buffers read without a crash");
	}
	return done_testing();
}
