/* SPDX-License-Identifier: MIT */
/* perf-script.h: folding `perf script` text by stackcollapse-perf.pl's rules. */
#ifndef PFOLD_PERF_SCRIPT_H
#define PFOLD_PERF_SCRIPT_H

#include <stdio.h>

#include "fold-options.h"
#include "profile.h"

/*
 * The rules are those of FlameGraph's stackcollapse-perf.pl (master, with
 * period weighting and --event-filter), read and re-implemented, not copied;
 * doc/pfold-fold.1 lists them. Options used: event, all_events, weight,
 * include_pid, include_tid, annotate_kernel, annotate_jit, include_addrs,
 * show_inline (no addr2line: frames are kept as the .pl keeps them when
 * addr2line finds nothing), no_kernel, filter. Stacks go into OUT with one
 * counter slot (the chosen event; "samples" when lines name no event) or,
 * with all_events, one slot per event seen.
 */

/*
 * pfold_perf_script_fold - fold the `perf script` text read from F (named
 * PATH in messages) into OUT. Lines that are neither a sample header, a
 * callchain line, a comment nor blank are skipped and counted in STATS
 * (bad_lines, first_bad_line); STATS (may be NULL) also gets the sample
 * counts and the chosen event. F, OPTS and OUT stay the caller's. Returns 0
 * or a negative code (-PFOLD_E_IO, -PFOLD_E_NOMEM, -PFOLD_E_REGEX from a
 * rename rule).
 */
int pfold_perf_script_fold(FILE *f, const char *path, const struct pfold_fold_options *opts,
			   struct pfold_profile *out, struct pfold_fold_stats *stats);

/* pfold_perf_script_fold_mem - like pfold_perf_script_fold() on DATA[0..LEN). */
int pfold_perf_script_fold_mem(const char *data, size_t len, const char *path,
			       const struct pfold_fold_options *opts,
			       struct pfold_profile *out, struct pfold_fold_stats *stats);

#endif
