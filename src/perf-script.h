/* SPDX-License-Identifier: MIT */
/* perf-script.h: folding `perf script` text by stackcollapse-perf.pl's rules. */
#ifndef PFOLD_PERF_SCRIPT_H
#define PFOLD_PERF_SCRIPT_H

#include <stdio.h>

#include "buf.h"
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

/*
 * pfold_collapse_tidy - stackcollapse-perf.pl's naming of one frame, the one
 * implementation both read paths use (perf script text here, perf.data in
 * src/stacks.c): the frame text B->data[START..B->len) (one "->" field,
 * "+0x..." offset dropped) is tidied in place ($tidy_generic; $tidy_java
 * when JAVA, the process name starting with "java") and annotated as OPTS
 * asks ("_[i]" when NTH > 0, an inlined field; else "_[k]" for kernel
 * objects, "_[j]" for /tmp/perf-PID.map) for the object MOD[0..MODLEN) as
 * perf script names it. Returns the frame's kind (from NTH and the object,
 * whatever the annotation options) or -PFOLD_E_NOMEM.
 */
int pfold_collapse_tidy(struct pfold_buf *b, size_t start, int nth, const char *mod,
			size_t modlen, int java, const struct pfold_fold_options *opts);

#endif
