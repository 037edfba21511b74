// SPDX-License-Identifier: MIT
/* test-filter.c: unit tests of the PCRE2 frame rules. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "filter.h"
#include "folded.h"
#include "profile.h"
#include "tap.h"

/* apply one rule to folded TEXT (pfold_filter_profile) and write it back */
static char *apply(enum pfold_filter_rule rule, const char *pattern, const char *in, int *ret)
{
	struct pfold_profile *p, *out;
	struct pfold_filter *f;
	struct pfold_buf b = PFOLD_BUF_INIT;

	pfold_profile_open(&p);
	pfold_profile_open(&out);
	pfold_filter_open(&f);
	pfold_folded_read_mem(p, in, strlen(in), "t", NULL);
	*ret = pfold_filter_add(f, rule, pattern);
	if (!*ret)
		*ret = pfold_filter_profile(f, p, out);
	if (!*ret && pfold_profile_nr_events(out))
		pfold_folded_write(out, 0, &b);
	pfold_buf_adds(&b, "");
	pfold_filter_close(f);
	pfold_profile_close(p);
	pfold_profile_close(out);
	return pfold_buf_detach(&b, NULL);
}

static void check(enum pfold_filter_rule rule, const char *pattern, const char *in,
		  const char *want, const char *what)
{
	int ret;
	char *got = apply(rule, pattern, in, &ret);

	is_str(got, want, what);
	free(got);
}

int main(void)
{
	const char *in = "a;b;c 1\na;x;b;y 2\nq 4\n";
	struct pfold_filter *f;
	int ret;
	char *got;

	check(PFOLD_FILTER_INCLUDE, "^b$", in, "a;b;c 1\na;x;b;y 2\n", "include: any frame matches");
	check(PFOLD_FILTER_INCLUDE, "zzz", in, "", "include: nothing matches");
	check(PFOLD_FILTER_EXCLUDE, "x", in, "a;b;c 1\nq 4\n", "exclude");
	check(PFOLD_FILTER_COLLAPSE, "^b$", in, "a;b 1\na;x;b 2\nq 4\n", "collapse at the first match");
	check(PFOLD_FILTER_COLLAPSE, "^a$", in, "a 3\nq 4\n", "collapse merges subtrees");
	check(PFOLD_FILTER_RENAME, "s/^(.)$/<$1>/", in, "<a>;<b>;<c> 1\n<a>;<x>;<b>;<y> 2\n<q> 4\n",
	      "rename with a group");
	check(PFOLD_FILTER_RENAME, "s/[abc]/Z/", in, "Z;Z;Z 1\nZ;x;Z;y 2\nq 4\n", "rename: renamed stacks stay apart");
	check(PFOLD_FILTER_RENAME, "s/^[bxy]$//", in, "a;;; 2\na;;c 1\nq 4\n", "rename to empty (';' sorts before 'c')");
	check(PFOLD_FILTER_RENAME, "s#a#/#", in, "/;b;c 1\n/;x;b;y 2\nq 4\n", "another delimiter");
	check(PFOLD_FILTER_RENAME, "s/A/k/ig", "aAa 1\n", "kkk 1\n", "flags i and g");
	check(PFOLD_FILTER_RENAME, "s/a/\\//", "a 1\n", "/ 1\n", "an escaped delimiter in the replacement");
	check(PFOLD_FILTER_RENAME, "s/(a)/$2/", "a 1\n", "", "a substitution error fails");

	got = apply(PFOLD_FILTER_INCLUDE, "a(", in, &ret);
	is_int(ret, -PFOLD_E_REGEX, "a bad pattern is -PFOLD_E_REGEX");
	is_str(pfold_errmsg(ret), "bad pattern 'a(': missing closing parenthesis at offset 2",
	       "the message names the pattern and the offset");
	free(got);
	got = apply(PFOLD_FILTER_RENAME, "s/x/y", in, &ret);
	is_int(ret, -PFOLD_E_REGEX, "an unterminated rename is refused");
	free(got);
	got = apply(PFOLD_FILTER_RENAME, "sxaxbx", in, &ret);
	is_int(ret, -PFOLD_E_REGEX, "a letter as delimiter is refused");
	free(got);

	pfold_filter_open(&f);
	ok(pfold_filter_empty(f) && pfold_filter_empty(NULL), "empty rule sets");
	pfold_filter_close(f);
	return done_testing();
}
