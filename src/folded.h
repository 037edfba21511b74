/* SPDX-License-Identifier: MIT */
/* folded.h: reading and writing folded stacks (FlameGraph's form and pfold's multi-column form). */
#ifndef PFOLD_FOLDED_H
#define PFOLD_FOLDED_H

#include <stdio.h>

#include "buf.h"
#include "profile.h"

/*
 * Two forms (doc/design.md §5):
 *   single event (FlameGraph's):  "frame;frame;frame COUNT\n", no header;
 *   multi-column:  "# pfold-folded events=cycles,cache-misses\n" then
 *                  "frame;frame 1200 31\n" (one column per event).
 * Frames are split on ';'; the stack is everything before the last run of
 * count columns. Reading infers each frame's kind from flamegraph.pl's
 * suffixes: "_[k]" kernel, "_[j]" JIT, "_[i]" inlined, else user; the suffix
 * stays part of the name.
 */

/*
 * pfold_folded_frame_kind - the kind a folded frame's text says: "_[k]"
 * kernel, "_[j]" JIT, "_[i]" inlined, else user.
 */
enum pfold_frame_kind pfold_folded_frame_kind(const char *s, size_t len);

/* The name of the event slot used for FlameGraph's single-column files. */
#define PFOLD_FOLDED_DEFAULT_EVENT "samples"

/* What pfold_folded_read() saw, for the tool's warnings. */
struct pfold_folded_stats {
	unsigned long lines;		/* stack lines added */
	unsigned long skipped;		/* lines that could not be parsed (skipped) */
	unsigned long first_skipped;	/* line number of the first of them (1-based) */
};

/*
 * pfold_folded_read - read folded text from F (named PATH in messages) and
 * add its stacks into P. A multi-column header names the events (matched by
 * name with P's, added when missing); lines before any header are one column
 * of the event PFOLD_FOLDED_DEFAULT_EVENT ("samples"); a header may appear
 * again later (concatenated files) and sets the columns of the lines after
 * it. Blank lines and comment lines ('#') other than the
 * header are ignored; a line whose count columns do not parse (or whose
 * column count disagrees with the header) is skipped and counted in *STATS
 * (may be NULL). A count that overflows 64 bits is an error. Neither F nor P
 * changes owner. Returns 0 or a negative code (-PFOLD_E_IO, -PFOLD_E_PARSE
 * for an overflowing count or a bad header, -PFOLD_E_NOMEM) with a message
 * naming PATH and the line.
 */
int pfold_folded_read(struct pfold_profile *p, FILE *f, const char *path,
		      struct pfold_folded_stats *stats);

/* pfold_folded_read_mem - like pfold_folded_read() on DATA[0..LEN). */
int pfold_folded_read_mem(struct pfold_profile *p, const char *data, size_t len,
			  const char *path, struct pfold_folded_stats *stats);

/*
 * pfold_folded_write - append P's stacks to OUT in stackcollapse-perf.pl's
 * order (see pfold_profile_sorted()). EVENT >= 0 writes FlameGraph's
 * single-column form of that slot, leaving out stacks whose count is 0
 * (unless P has only that event: then every stack is written, as
 * stackcollapse-perf.pl writes stacks whose periods add up to 0);
 * EVENT < 0 writes the multi-column form of all slots with its header,
 * leaving out stacks whose counters are all 0. Returns 0 or -PFOLD_E_NOMEM /
 * -PFOLD_E_INVAL (EVENT out of range, or EVENT < 0 on a profile without
 * events).
 */
int pfold_folded_write(const struct pfold_profile *p, int event,
		       struct pfold_buf *out);

/* pfold_folded_write_file - like pfold_folded_write() to F; -PFOLD_E_IO on a write error. */
int pfold_folded_write_file(const struct pfold_profile *p, int event, FILE *f);

#endif
