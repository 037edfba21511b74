/* SPDX-License-Identifier: MIT */
/* profile-job.h: the one-shot job of `pfold profile`: record -> fold -> flamegraph -> counting runs -> report -> compare. */
#ifndef PFOLD_PROFILE_JOB_H
#define PFOLD_PROFILE_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "check.h"
#include "pfold.h"
#include "recorder.h"
#include "report.h"

/*
 * These functions are exported from libpfold (PFOLD_API), so that a program
 * linking it can run the job as `pfold profile` does (tests/unit/test-profile-job.c).
 */

/* Where the artifacts go when the caller names no directory. */
#define PFOLD_PROFILE_DIR "artifacts/profiling"
/* Counting runs when the caller asks for none. */
#define PFOLD_PROFILE_RUNS 5
/* Functions per event kept in report.json. */
#define PFOLD_PROFILE_TOP 25

/*
 * struct pfold_profile_job_opts - what to run and where the files go.
 * Zero-initialise, then set; every pointer is borrowed for the call.
 */
struct pfold_profile_job_opts {
	const char *const *argv;	/* the command (NULL-terminated; argv[0] looked up in PATH) */
	const char *dir;		/* NULL: PFOLD_PROFILE_DIR (created with its parents) */
	const char *name;		/* file name prefix; NULL: basename of argv[0] */
	time_t when;			/* time in the file names (UTC); 0: now */
	/*
	 * The counted events (NULL: PFOLD_COUNT_DEFAULT_EVENTS), one name each;
	 * the recording samples them too, each one the machine cannot sample
	 * replaced by cpu-clock (said in fallback). With no events named, the
	 * recording samples cycles (falling back to cpu-clock).
	 */
	const char *const *events;
	size_t nr_events;
	unsigned runs;			/* counting runs; 0: PFOLD_PROFILE_RUNS */
	uint64_t freq;			/* sampling frequency; 0: 999 Hz */
	enum pfold_callchain callchain;	/* NONE is taken as FP */
	uint32_t stack_size;		/* dwarf: bytes of stack; 0: 8192 */
	int python;			/* the Python view (src/python-view.h) */
	size_t top;			/* functions per event in the report; 0: PFOLD_PROFILE_TOP */
	const char *compare;		/* baseline report.json, or NULL */
	double threshold;		/* for the comparison; 0: 0.10 */
	/*
	 * While the command is recorded, *ACTIVE (when not NULL) points at the
	 * recorder so that the caller's signal handler can forward signals with
	 * pfold_recorder_signal(); it is NULL again before the call returns.
	 */
	struct pfold_recorder *volatile *active;
};

/* struct pfold_profile_job - what one job made; owns everything. */
struct pfold_profile_job {
	char *data_path, *folded_path, *svg_path, *json_path;
	char *diff_svg_path;		/* with a comparison whose baseline folded file exists; else NULL */
	char *name;			/* the file name prefix used */
	char *sampled;			/* the (first) sampled event */
	char *sample_fallback;		/* "cycles: not counted...; sampled cpu-clock instead", or NULL */
	char **notes;			/* other things worth saying (fold warnings, no diff graph...) */
	size_t nr_notes, alloc_notes;
	struct pfold_record_stats record;
	unsigned long samples;		/* samples folded */
	struct pfold_report *report;	/* the saved report.json */
	struct pfold_report *baseline;	/* with a comparison */
	struct pfold_check_result *check;	/* with a comparison */
};

/*
 * pfold_profile_job_run - do the whole job of `pfold profile`:
 *   1. load the baseline (OPTS->compare), so that a bad one fails first;
 *   2. record the command with callchains into DIR/NAME_YYYYmmdd_HHMMSS.data
 *      (a "_2", "_3"... suffix follows the time when files of that name
 *      already exist);
 *   3. fold it (every sampled event a counter slot; OPTS->python: the
 *      Python view) into .folded, the multi-column form when several
 *      events were sampled;
 *   4. draw the flamegraph into .svg (the fallback in its subtitle);
 *   5. run the command OPTS->runs more times under counters;
 *   6. write .json: the counting runs, the profile's top functions per
 *      sampled event (self and total) and the paths of the other files;
 *   7. with a baseline, compare (check.h) and, when the baseline's folded
 *      file is still there, draw a differential flamegraph .diff.svg.
 * On success *OUT (set only then) is the caller's (pfold_profile_job_free()).
 * Files already written stay on disk when a later step fails.
 * Returns 0, or -PFOLD_E_JSON / -PFOLD_E_FORMAT / -PFOLD_E_PARSE / -PFOLD_E_IO
 * (the baseline; detail names it), -PFOLD_E_CHILD (the command cannot run or
 * exits non-zero), -PFOLD_E_IO (an output file), or the code of the step
 * that failed; the pfold_error() detail says which.
 */
PFOLD_API int pfold_profile_job_run(struct pfold_profile_job **out,
				    const struct pfold_profile_job_opts *opts);

/* pfold_profile_job_free - free JOB and all it owns (the files stay); NULL is fine. */
PFOLD_API void pfold_profile_job_free(struct pfold_profile_job *job);

/*
 * pfold_profile_job_regressed - 1 when JOB has a comparison whose verdict is
 * a regression, else 0.
 */
PFOLD_API int pfold_profile_job_regressed(const struct pfold_profile_job *job);

/*
 * pfold_profile_job_write_text - append JOB's report for a terminal to OUT:
 * the command, the metric and why (the fallback when there is no PMU), the
 * counting runs, the top functions of the profile, the files and, with a
 * comparison, check's report with its verdict. Returns 0 or -PFOLD_E_NOMEM.
 */
PFOLD_API int pfold_profile_job_write_text(const struct pfold_profile_job *job,
					   struct pfold_buf *out);

/*
 * pfold_profile_job_write_markdown - the same as Markdown (for a CI job
 * summary or a merge-request comment): a heading with the verdict, the
 * metric table, the blame list, the top functions and the files.
 * Returns 0 or -PFOLD_E_NOMEM.
 */
PFOLD_API int pfold_profile_job_write_markdown(const struct pfold_profile_job *job,
					       struct pfold_buf *out);

/*
 * pfold_profile_job_update_baseline - the --update-baseline rule: copy
 * JOB's report.json to PATH when PATH does not exist yet (the first
 * baseline), or when JOB compared against a baseline and its verdict is an
 * improvement (no gating metric regressed or noisy). *UPDATED (may be NULL)
 * says whether PATH was written. The file is replaced atomically (a
 * temporary file renamed over it). Returns 0 or -PFOLD_E_IO (detail names
 * PATH) / -PFOLD_E_NOMEM.
 */
PFOLD_API int pfold_profile_job_update_baseline(const struct pfold_profile_job *job,
						const char *path, int *updated);

#endif
