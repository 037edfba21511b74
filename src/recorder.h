/* SPDX-License-Identifier: MIT */
/* recorder.h: perf_event_open per CPU, ring buffers, child start/stop and signals, into a writer. */
#ifndef PFOLD_RECORDER_H
#define PFOLD_RECORDER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"
#include "writer.h"

/* enum pfold_callchain is in events.h (with its parser, pfold_parse_call_graph) */

/* struct pfold_record_opts - what to record; everything stays the caller's. */
struct pfold_record_opts {
	struct pfold_event_list *events;	/* parsed and probed (see pfold_record_probe);
						   ungrouped when the kernel refuses group reads */
	uint64_t freq;				/* -F HZ; used when period is 0 */
	uint64_t period;			/* -c PERIOD */
	enum pfold_callchain callchain;
	uint32_t stack_size;			/* dwarf: bytes of user stack, multiple of 8 */
	int system_wide;			/* -a */
	const pid_t *pids;			/* -p: processes to attach to */
	size_t nr_pids;
	unsigned mmap_pages;			/* data pages per CPU, a power of two; 0: 128 */
	const char *const *argv;		/* command to run (NULL-terminated) or NULL */
	int child_stdout_fd;			/* the child's stdout becomes this fd; -1: unchanged */
	struct pfold_writer *writer;
};

/*
 * struct pfold_record_stats - what happened, for the tool to report.
 */
struct pfold_record_stats {
	uint64_t bytes;			/* bytes of records written */
	int independent_groups;		/* groups were sampled as independent events */
	int child_status;		/* wait status of the command (valid when has_child) */
	int has_child;
	int stopped_by;			/* the signal that stopped the recording, or 0 */
	uint64_t lost_samples;		/* the lost counts of PERF_RECORD_LOST and _LOST_SAMPLES */
	uint64_t lost_records;		/* the number of PERF_RECORD_LOST records */
	size_t nr_build_ids;		/* BUILD_ID entries given to the writer */
};

struct pfold_recorder;

/*
 * pfold_record_probe - open each event of LIST once (pfold_event_probe). An
 * event the machine does not count (-PFOLD_E_NO_PMU) is replaced by
 * cpu-clock when FALLBACK is set; its failure message is kept in
 * *FALLBACK_MSG (malloc'd, caller frees; NULL when nothing fell back; one
 * message per call, for the first event replaced). An event refused for
 * permission (perf_event_paranoid >= 2) without a :u/:k modifier is retried
 * for user space only; LIST->user_only then says so. Returns 0 or the probe's
 * error (the event's name in the detail).
 */
int pfold_record_probe(struct pfold_event_list *list, int fallback, int system_wide,
		       char **fallback_msg);

/*
 * pfold_recorder_open - fork the command (stopped before exec) or find the
 * threads of OPTS->pids, open every event per CPU with inherit, map the ring
 * buffers and give the attrs and ids to OPTS->writer. *OUT is set only on
 * success; pfold_recorder_close() frees it. OPTS must outlive the recorder.
 * Returns 0 or -PFOLD_E_PERM / -PFOLD_E_NO_PMU / -PFOLD_E_UNSUPPORTED (event
 * open), -PFOLD_E_CHILD (fork), -PFOLD_E_NOT_FOUND (a -p process does not
 * exist), -PFOLD_E_NOMEM.
 */
int pfold_recorder_open(struct pfold_recorder **out, const struct pfold_record_opts *opts);

/*
 * pfold_recorder_run - synthesize what already runs (-p, -a), start the
 * command, copy the ring buffers into the writer until the command exits (or
 * the -p processes do, or a signal arrives through pfold_recorder_signal()),
 * then drain them. The only look at the records is their 8-byte headers:
 * PERF_RECORD_LOST and _LOST_SAMPLES are counted, executable MMAP2 mappings
 * collected; at the end their build ids (from the MMAP2 record, else from
 * the file's ELF note) and the kernel's (/sys/kernel/notes) go to the writer
 * with pfold_writer_add_build_id() (pid -1, as perf writes host objects).
 * STATS receives the outcome. Does not close the writer.
 * $PFOLD_TEST_DRAIN_DELAY_MS (tests only) sleeps that long before each drain.
 * Returns 0, -PFOLD_E_CHILD (the command could not be executed: detail says
 * why), or the writer's error (-PFOLD_E_IO: full disk...).
 */
int pfold_recorder_run(struct pfold_recorder *r, struct pfold_record_stats *stats);

/*
 * pfold_recorder_signal - async-signal-safe: forward SIG to the command (if
 * any) and make pfold_recorder_run() stop when there is no command. R may be
 * NULL (does nothing).
 */
void pfold_recorder_signal(struct pfold_recorder *r, int sig);

/* pfold_recorder_close - close events and buffers, reap a command never started, free R (may be NULL). */
void pfold_recorder_close(struct pfold_recorder *r);

#endif
