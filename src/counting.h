/* SPDX-License-Identifier: MIT */
/* counting.h: counting mode: run a command N times under perf_event counters. */
#ifndef PFOLD_COUNTING_H
#define PFOLD_COUNTING_H

#include <stddef.h>

#include "report.h"

/* The events of `pfold stat` when none are named (wall-time and cpu-time are always added). */
#define PFOLD_COUNT_DEFAULT_EVENTS "instructions,cycles,task-clock"

/*
 * pfold_count_run - run ARGV (NULL-terminated; argv[0] looked up in PATH)
 * RUNS times, counting each of the NR EVENTS (names as for -e, one event
 * each, no groups) in the command and its children (inherit, enabled on
 * exec, read with TOTAL_TIME_ENABLED/RUNNING and scaled when multiplexed),
 * and measuring wall-time and cpu-time (user + system, from wait4) per run.
 * An event the machine cannot count is kept in the report with counted = 0
 * and a fallback saying why; one the kernel forbids in kernel mode is counted
 * in user space only, also said in its fallback. Task-clock and cpu-clock
 * are stored in msec, as perf stat prints them.
 * On success *OUT is a finished report (host filled in) the caller owns.
 * When no event can be counted at all, the runs still measure wall-time and
 * cpu-time. Returns 0, -PFOLD_E_EVENT (unknown name), -PFOLD_E_CHILD (the
 * command cannot be run, or exits non-zero or on a signal: detail names the
 * run), or -PFOLD_E_NOMEM.
 */
int pfold_count_run(struct pfold_report **out, const char *const *argv,
		    const char *const *events, size_t nr, unsigned runs);

#endif
