// SPDX-License-Identifier: MIT
/* test-perf-script.c: unit tests of folding perf script text (stackcollapse-perf.pl's rules). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fold-options.h"
#include "folded.h"
#include "perf-script.h"
#include "profile.h"
#include "tap.h"

static char *fold(const char *in, const struct pfold_fold_options *o, struct pfold_fold_stats *st)
{
	struct pfold_fold_options none = { 0 };
	struct pfold_profile *p;
	struct pfold_buf b = PFOLD_BUF_INIT;

	pfold_profile_open(&p);
	if (!pfold_perf_script_fold_mem(in, strlen(in), "t", o ? o : &none, p, st))
		pfold_folded_write(p, (o && o->all_events) ? -1 : 0, &b);
	pfold_buf_adds(&b, "");
	pfold_profile_close(p);
	return pfold_buf_detach(&b, NULL);
}

static void check(const char *in, const struct pfold_fold_options *o, const char *want,
		  const char *what)
{
	char *got = fold(in, o, NULL);

	is_str(got, want, what);
	free(got);
}

int main(void)
{
	struct pfold_fold_options o = { 0 };
	struct pfold_fold_stats st = { 0 };
	char *got;

	/* each expectation worked out by hand from the .pl's rules (see t4000) */
	check("app 1 1.0: 3 cpu-clock:\n\t1 f+0x1 (/x)\n\t2 main (/x)\n\n", NULL,
	      "app;main;f 3\n", "basic sample, offset dropped, period weight");
	check("app 1 1.0: cpu-clock:\n\n", NULL, "app 1\n", "no callchain, no period");
	check("app 1 1.0: 3 cpu-clock:\n\t1 f (/x)\n", NULL, "",
	      "no final empty line: the sample is never remembered");
	check("ab 5/0 1.0: 1 e:\n\n", &(struct pfold_fold_options){ .include_tid = 1 }, "ab-?/5 1\n",
	      "TID 0 is false: PID ?, TID = the first number");
	check("app 1 1.0: 1 e:\n\t1 a->b->c (/x)\n\n", NULL, "app;a;b_[i];c_[i] 1\n", "inline chains");
	check("app 1 1.0: 1 e:\n\t1 ->x-> (/x)\n\n", NULL, "app;;x_[i] 1\n",
	      "split /->/: a leading empty field stays, trailing ones go");
	check("app 1 1.0: 1 e:\n\t1 +0x10 (/x)\n\n", NULL, "app 1\n", "a symbol that is only an offset vanishes");
	check("app 1 1.0: 1 e:\n\t1 f+0xABC (/x)\n\n", NULL, "app;f+0xABC 1\n",
	      "upper-case hex is not an offset");
	check("app 1 1.0: 1 e:\n\t1 f(x)_[j] (/tmp/perf-1.map)\n\n",
	      &(struct pfold_fold_options){ .annotate_jit = 1 }, "app;f_[j] 1\n",
	      "the cut at ( drops an old _[j], so --jit adds it again");
	check("app 1 1.0: 1 e:\n\tf_[j] (/tmp/perf-1.map)\n\n",
	      &(struct pfold_fold_options){ .annotate_jit = 1 }, "app;[j]_[j] 1\n",
	      "\\w+ takes \"f_\" as the address: the symbol is \"[j]\", which has no _[j]");

	got = fold("junk\napp 1 1.0: 1 e:\nmore junk\n\t1 a (/x)\n\n", NULL, &st);
	is_str(got, "app;a 1\n", "junk lines are skipped");
	ok(st.bad_lines == 2 && st.first_bad_line == 1, "and counted");
	free(got);

	memset(&st, 0, sizeof(st));
	o.event = "b";
	got = fold("xx 1 1.0: 1 a:\n\t1 f (/x)\n\nxx 1 1.0: 2 b:\n\t1 g (/x)\n\n", &o, &st);
	is_str(got, "xx;g 2\n", "-e picks the event");
	is_int(st.other_events, 1, "other events are counted");
	free(got);

	o.event = NULL;
	o.all_events = 1;
	check("xx 1 1.0: 1 a:\n\t1 f (/x)\n\nxx 1 1.0: 2 b:\n\t1 g (/x)\n\n", &o,
	      "# pfold-folded events=a,b\nxx;f 1 0\nxx;g 0 2\n", "--all-events");

	/* frame kinds follow the object, whatever the annotation options */
	{
		static const char in[] = "app 1 1.0: 1 e:\n\t1 k ([kernel.kallsyms])\n"
					 "\t2 j (/tmp/perf-9.map)\n\t3 u->i (/x)\n\n";
		struct pfold_fold_options none = { 0 };
		struct pfold_profile *p;
		struct pfold_stack s;

		pfold_profile_open(&p);
		pfold_perf_script_fold_mem(in, sizeof(in) - 1, "t", &none, p, NULL);
		ok(pfold_profile_stack(p, 0, &s) == 0 && s.nframes == 5, "one stack of 5 frames");
		ok(pfold_profile_frame_kind(p, s.frames[0]) == PFOLD_FRAME_OTHER &&
		   pfold_profile_frame_kind(p, s.frames[1]) == PFOLD_FRAME_USER &&
		   pfold_profile_frame_kind(p, s.frames[2]) == PFOLD_FRAME_INLINED &&
		   pfold_profile_frame_kind(p, s.frames[3]) == PFOLD_FRAME_JIT &&
		   pfold_profile_frame_kind(p, s.frames[4]) == PFOLD_FRAME_KERNEL,
		   "kinds: comm other, user, inlined, JIT, kernel");
		pfold_profile_close(p);
	}

	/* hostile text never crashes */
	{
		static const char alpha[] = "ab 1/2:(x)[]+0x->#\n\t ;'\"";
		char buf[2048];
		struct pfold_profile *p;
		struct pfold_fold_options none = { 0 };
		int i, k;

		srand(5);
		for (k = 0; k < 300; k++) {
			for (i = 0; i < (int)sizeof(buf); i++)
				buf[i] = alpha[rand() % (sizeof(alpha) - 1)];
			pfold_profile_open(&p);
			pfold_perf_script_fold_mem(buf, sizeof(buf), "fuzz", &none, p, NULL);
			pfold_profile_close(p);
		}
		ok(1, "300 random buffers folded without a crash");
	}
	return done_testing();
}
