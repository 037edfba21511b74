/* SPDX-License-Identifier: MIT */
/* stat-common.h: helpers shared by cmd-stat.c and cmd-check.c (event lists, the `--` split). */
#ifndef PFOLD_STAT_COMMON_H
#define PFOLD_STAT_COMMON_H

#include "check.h"
#include "parse-options.h"
#include "report.h"

/*
 * stat_split_events - append the comma-separated event names of SPECS to
 * OUT, once each; without wall-time and cpu-time (always measured) when
 * SKIP_TIMES. The names live in *STORAGE, which the caller frees. Dies on
 * an event group.
 */
void stat_split_events(struct string_list *out, const struct string_list *specs,
		       char **storage, int skip_times);

/* stat_print_dropped - one warning line per event of R with a fallback (dropped, user space only). */
void stat_print_dropped(const struct pfold_report *r);

/* stat_write_report - write R as JSON to PATH ("-": standard output); dies on failure. */
void stat_write_report(const struct pfold_report *r, const char *path);

/*
 * stat_split_dashdash - find the first "--" of ARGV: *CMD points after it
 * (NULL-terminated, as argv is) and the "--" becomes NULL. Returns the
 * number of arguments before it (ARGC when there is none, *CMD NULL).
 */
int stat_split_dashdash(int argc, const char **argv, const char ***cmd);

#endif
