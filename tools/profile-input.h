/* SPDX-License-Identifier: MIT */
/* profile-input.h: what flame, diff and export share: reading a profile, picking events. */
#ifndef PFOLD_PROFILE_INPUT_H
#define PFOLD_PROFILE_INPUT_H

#include <stddef.h>

#include "fold-options.h"
#include "parse-options.h"
#include "profile.h"

/* struct profile_input_rules - the frame-rule options (--include ... --rename). */
struct profile_input_rules {
	struct string_list include, exclude, collapse, rename;
};

#define PROFILE_INPUT_RULES_INIT { { 0 }, { 0 }, { 0 }, { 0 } }

#define PROFILE_INPUT_RULE_OPTIONS(r) \
	OPT_STRING_LIST(0, "include", &(r)->include, "RE", "keep only stacks with a frame matching RE"), \
	OPT_STRING_LIST(0, "exclude", &(r)->exclude, "RE", "drop stacks with a frame matching RE"), \
	OPT_STRING_LIST(0, "collapse", &(r)->collapse, "RE", "cut the stack after the first frame matching RE"), \
	OPT_STRING_LIST(0, "rename", &(r)->rename, "s/RE/REPL/", "rewrite frame names (PCRE2)")

/*
 * read_profile_input - a new profile with the stacks of PATH ("-": stdin),
 * perf.data or folded, with RULES applied; warns about skipped lines; dies
 * (exit 2) on errors. The caller closes it.
 */
struct pfold_profile *read_profile_input(const char *path,
					 const struct profile_input_rules *rules);

/* read_profile_input_opts - the same, perf.data folded with OPTS (NULL: defaults). */
struct pfold_profile *read_profile_input_opts(const char *path,
					      const struct profile_input_rules *rules,
					      const struct pfold_fold_options *opts);

/* profile_input_note - a one-line summary of the input's warnings in BUF, or NULL when none. */
const char *profile_input_note(char *buf, size_t size);

/* profile_input_rules_release - free the lists of R. */
void profile_input_rules_release(struct profile_input_rules *r);

/* find_metric - the slot of event NAME in P (NULL: slot 0); dies naming PATH when missing. */
int find_metric(const struct pfold_profile *p, const char *path, const char *name);

/* parse_color_by - "NUM/DEN" into two slots of P; dies on a bad value. */
void parse_color_by(const struct pfold_profile *p, const char *path, const char *arg,
		    int *num, int *den);

/* parse_pixels - a number of pixels (> 0, or >= 0 when ZERO_OK) for option OPT; dies otherwise. */
double parse_pixels(const char *opt, const char *arg, int zero_ok);

/*
 * diff_profiles - the two-slot profile ("cur", "base") of CUR's slot MC and
 * BASE's slot MB in *OUT; with NORMALIZE, *SCALE is cur total / base total,
 * else 1. Returns 0 or a negative code.
 */
int diff_profiles(struct pfold_profile **out, const struct pfold_profile *cur, int mc,
		  const struct pfold_profile *base, int mb, int normalize, double *scale);

#endif
