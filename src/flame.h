/* SPDX-License-Identifier: MIT */
/* flame.h: flamegraph layout: stacks merged into frames with positions, widths and counters. */
#ifndef PFOLD_FLAME_H
#define PFOLD_FLAME_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "folded.h"
#include "profile.h"
#include "stacks.h"

/*
 * The layout follows flamegraph.pl: stacks are taken in the byte-wise order
 * of their folded text, consecutive stacks share the frames of their common
 * prefix, and a frame is as wide as the sum of the metric over the stacks
 * that pass through it. A frame narrower than minwidth pixels is not drawn
 * on its own: consecutive narrow siblings become one box "[N narrow frames]"
 * that keeps their total (and their place); a run still too narrow to draw
 * is counted in its parent's `hidden` so that nothing vanishes silently.
 */

/* Default image width and minimum frame width (pixels), as flamegraph.pl. */
#define PFOLD_FLAME_WIDTH 1200
#define PFOLD_FLAME_MINWIDTH 0.1
#define PFOLD_FLAME_XPAD 10

/* struct pfold_flame_frame - one drawn box. */
struct pfold_flame_frame {
	const char *name;	/* owned by the profile; NULL for a merged box */
	size_t name_len;
	enum pfold_frame_kind kind;
	uint32_t depth;		/* 0 = the root "all" */
	uint32_t parent;	/* index in frames[]; UINT32_MAX for the root */
	uint32_t narrow;	/* merged box: how many sibling frames it holds; else 0 */
	uint64_t start;		/* in metric units from the left edge */
	uint64_t width;		/* in metric units (= counts[metric]) */
	uint64_t *counts;	/* inclusive counters, one per event (in the layout's storage) */
	uint64_t *self;		/* counters of stacks that end here */
	double delta;		/* diff: change of self cost in the metric (cur - base) */
	double delta_total;	/* diff: change of inclusive cost */
	uint64_t hidden;	/* metric units in children runs too narrow to draw */
	uint32_t nhidden;	/* number of child frames in those runs */
};

/* struct pfold_flame_options - what the layout needs; zero = defaults. */
struct pfold_flame_options {
	int metric;		/* event slot for the width */
	double width;		/* image width in px (0: PFOLD_FLAME_WIDTH) */
	double minwidth;	/* px; < 0: PFOLD_FLAME_MINWIDTH; 0 keeps every non-empty frame */
	int diff_base;		/* >= 0: slot holding the base of a differential graph */
	double base_scale;	/* diff: factor applied to base values (--normalize) */
};

/* struct pfold_flame - the layout of one graph; owns frames and counters. */
struct pfold_flame {
	const struct pfold_profile *prof;	/* borrowed */
	size_t nevents;
	int metric;
	int diff_base;
	double width;		/* image width, px */
	double minwidth;	/* px */
	double xpad;
	double unit_px;		/* px per metric unit */
	uint64_t total;		/* sum of the metric (the root's width) */
	uint32_t max_depth;
	double max_delta;	/* diff: largest |delta| (>= 1) */
	struct pfold_flame_frame *frames;	/* preorder, x order among siblings */
	size_t nr, alloc;
	unsigned long narrow_frames;	/* frames that were narrower than minwidth */
	unsigned long merged_boxes;	/* "[N narrow frames]" boxes drawn */
	uint64_t *store;	/* counters of all frames */
	size_t store_nr, store_alloc;
};

/*
 * pfold_flame_layout - lay out PROF (borrowed: it must outlive *OUT and not
 * change) into a new layout in *OUT that the caller frees with
 * pfold_flame_free(). *OUT is set only on success. Returns 0 or
 * -PFOLD_E_INVAL (metric out of range), -PFOLD_E_NOMEM, -PFOLD_E_LIMIT.
 */
int pfold_flame_layout(struct pfold_flame **out, const struct pfold_profile *prof,
		       const struct pfold_flame_options *opt);

/* pfold_flame_free - free a layout; NULL is ignored. */
void pfold_flame_free(struct pfold_flame *f);

/*
 * pfold_flame_x - left edge and width in pixels of frame I as written in the
 * SVG (flamegraph.pl rounding: one decimal). Pure function of the layout.
 */
void pfold_flame_x(const struct pfold_flame *f, size_t i, double *x, double *w);

/*
 * pfold_flame_diff_profile - a new profile in *OUT with two slots, "cur"
 * (slot 0) and "base" (slot 1), holding the METRIC_CUR slot of CUR and the
 * METRIC_BASE slot of BASE per stack (matched on frame text and kind).
 * Neither input changes owner; the caller closes *OUT. Returns 0 or a
 * negative code.
 */
int pfold_flame_diff_profile(struct pfold_profile **out,
			     const struct pfold_profile *cur, int metric_cur,
			     const struct pfold_profile *base, int metric_base);

/*
 * struct pfold_self_change - one function of a diff table: self cost in base
 * (already scaled) and cur, and the change.
 */
struct pfold_self_change {
	const char *name;	/* owned by the profile */
	double base, cur, delta;
};

/*
 * pfold_flame_self_changes - the functions of DIFF (a profile from
 * pfold_flame_diff_profile) by decreasing |change of self cost|, base values
 * multiplied by BASE_SCALE, in a new array *OUT of *NR elements (caller
 * frees with free()). Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_flame_self_changes(const struct pfold_profile *diff, double base_scale,
			     struct pfold_self_change **out, size_t *nr);

/*
 * pfold_flame_read - add the stacks of PATH ("-": standard input) to P: a
 * folded file (FlameGraph's single column or pfold's multi-column form) or a
 * perf.data file (recognised by its magic), folded with FOLD_OPTS (NULL:
 * the defaults; in any case every event becomes a counter slot), problems
 * going to WARN (may be NULL). Folded lines that do not parse are counted
 * in *STATS (may be NULL). Nothing changes owner. Returns 0 or a negative
 * code with a message naming PATH.
 */
int pfold_flame_read(struct pfold_profile *p, const char *path,
		     const struct pfold_fold_options *fold_opts,
		     struct pfold_folded_stats *stats, pfold_warn_fn warn, void *warn_arg);

#endif
