/* SPDX-License-Identifier: MIT */
/* stacks.h: the perf.data read pipeline: reader -> session -> raw-chain counts -> names -> frame rules -> profile. */
#ifndef PFOLD_STACKS_H
#define PFOLD_STACKS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fold-options.h"
#include "profile.h"

/* Called once per problem (missing object, build-id mismatch...); MSG valid during the call. */
typedef void (*pfold_warn_fn)(void *arg, const char *msg);

/*
 * pfold_fold_perf_data - read the perf.data file or stream PATH ("-":
 * stdin) and add its samples to OUT as folded stacks named as
 * `perf script | stackcollapse-perf.pl` names them for the same OPTS (root
 * frame: the comm; callers first; period weights unless OPTS says samples).
 * Samples are counted per raw call chain (address-space generation + return
 * addresses) as they stream by, and each distinct chain is named once at the
 * end, so memory grows with distinct chains, not with samples. STATS (may
 * be NULL) receives counts; WARN (may be NULL) gets each warning once. PATH,
 * OPTS and OUT stay the caller's. Returns 0 or a negative PFOLD_E_* code with
 * a pfold_error() detail naming PATH.
 */
int pfold_fold_perf_data(const char *path, const struct pfold_fold_options *opts,
			 struct pfold_profile *out, struct pfold_fold_stats *stats,
			 pfold_warn_fn warn, void *warn_arg);

/*
 * pfold_script_fn - receives the text of one sample in perf script's default
 * form (TEXT[0..LEN), valid during the call). Returns 0, or a negative code
 * that stops the run and is returned by pfold_script_perf_data().
 */
typedef int (*pfold_script_fn)(void *arg, const char *text, size_t len);

/*
 * pfold_script_perf_data - read PATH like pfold_fold_perf_data() and hand
 * each sample of it (OPTS->event: only that event), named by the same
 * symbolizer, to EMIT in `perf script`'s default text form: the header line
 * "comm tid [cpu] time: period event:" then one "\taddr sym+off (dso)" line
 * per callchain entry and an empty line. Returns 0 or a negative code.
 */
int pfold_script_perf_data(const char *path, const struct pfold_fold_options *opts,
			   pfold_script_fn emit, void *emit_arg,
			   pfold_warn_fn warn, void *warn_arg);

/*
 * pfold_collapse_frame - FUNC (a perf script symbol, "+0x..." offset already
 * dropped, "[unknown]" when none) of object MOD (perf script's dso name,
 * "[unknown]" when none) at address PC, named as stackcollapse-perf.pl
 * names it: appended to OUT as NUL-separated frames (more than one when FUNC
 * holds "->" inline separators), with each frame's kind in KINDS (up to
 * MAX_KINDS). JAVA: the root frame is "java". Returns the number of frames
 * (0: the line is skipped) or -PFOLD_E_NOMEM.
 */
int pfold_collapse_frame(struct pfold_buf *out, enum pfold_frame_kind *kinds,
			 size_t max_kinds, const char *func, const char *mod,
			 uint64_t pc, const struct pfold_fold_options *opts, int java);

#endif
