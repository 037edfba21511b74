/* SPDX-License-Identifier: MIT */
/* fold-options.h: the options of the fold pipeline, shared by every path that makes a profile. */
#ifndef PFOLD_FOLD_OPTIONS_H
#define PFOLD_FOLD_OPTIONS_H

#include <stddef.h>

struct pfold_filter;

/* What the input is; DETECT looks at the first bytes (perf.data magic or text). */
enum pfold_fold_input {
	PFOLD_INPUT_DETECT = 0,
	PFOLD_INPUT_PERF_DATA,
	PFOLD_INPUT_PERF_SCRIPT,
};

/*
 * How each sample counts. DEFAULT: as stackcollapse-perf.pl (the sample's
 * period when the input has one, else 1); SAMPLES: 1 per sample; PERIOD: the
 * period (the counter delta for group members read with PERF_SAMPLE_READ).
 */
enum pfold_fold_weight {
	PFOLD_WEIGHT_DEFAULT = 0,
	PFOLD_WEIGHT_SAMPLES,
	PFOLD_WEIGHT_PERIOD,
};

/*
 * struct pfold_fold_options - everything `pfold fold` (and flame, diff, top,
 * export, profile) can ask of the read pipeline. Zero-initialise, then set
 * fields; strings are borrowed (the caller keeps them alive during the call).
 * Names follow stackcollapse-perf.pl where it has the same idea.
 */
struct pfold_fold_options {
	enum pfold_fold_input input;
	const char *event;		/* -e: keep only this event; NULL: the first event seen */
	int all_events;			/* --all-events: one counter slot per event */
	enum pfold_fold_weight weight;	/* --weight */

	/* root frame: comm, "comm-PID" (--pid) or "comm-PID/TID" (--tid); spaces become '_' */
	int include_pid;		/* --pid */
	int include_tid;		/* --tid */

	int annotate_kernel;		/* --kernel: kernel frames end in "_[k]" */
	int annotate_jit;		/* --jit: JIT frames (perf maps, jitdump) end in "_[j]" */
	/* --all sets both annotate_kernel and annotate_jit */
	int include_addrs;		/* --addrs: "[dso <addr>]" for frames without a symbol */
	int show_inline;		/* --inline: DWARF inline frames ("_[i]" after the first) */
	int no_kernel;			/* --no-kernel: drop kernel frames */
	int python;			/* --python: the Python view (src/python-view.h) */
	const char *const *python_drop;	/* --python-drop RE...: its drop rules; NULL: the defaults */
	size_t nr_python_drop;
	int force;			/* --force: use perf maps owned by another user */
	int want_lines;			/* export: source lines of frames from objects with DWARF */

	const char *symfs;		/* --symfs DIR: look for objects under DIR */
	const char *kallsyms;		/* --kallsyms FILE: kernel symbols from FILE */

	/* --include/--exclude/--collapse/--rename, compiled; NULL: no rules. Borrowed. */
	struct pfold_filter *filter;
};

/*
 * struct pfold_fold_stats - what a fold run saw, for the tool's warnings
 * (the library never prints). Zero-initialise; the pipeline adds to it.
 */
struct pfold_fold_stats {
	unsigned long samples;		/* samples added to the profile */
	unsigned long filtered;		/* samples of other events (not -e), or excluded */
	unsigned long bad_lines;	/* perf-script lines that could not be parsed (skipped) */
	unsigned long first_bad_line;	/* line number of the first of them */
	char first_event[64];		/* the event chosen by default ("" if none) */
	unsigned long other_events;	/* samples of events other than the chosen one */
	unsigned long python_stacks;	/* --python: stacks that held py:: frames */
};

#endif
