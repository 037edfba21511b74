/* SPDX-License-Identifier: MIT */
/* group-read.h: counter deltas of PERF_SAMPLE_READ values (group or single), per sample id, as perf delivers them. */
#ifndef PFOLD_GROUP_READ_H
#define PFOLD_GROUP_READ_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"

/* one counter of a sample's read values: the event it belongs to and its delta */
struct pfold_group_delta {
	const struct pfold_attr *attr;
	uint64_t delta;
};

struct pfold_group_read;

/*
 * pfold_group_read_open - an empty table of previous values per sample id.
 * *OUT (set only on success) belongs to the caller: pfold_group_read_close().
 * Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_group_read_open(struct pfold_group_read **out);

/* pfold_group_read_close - free G (NULL is fine). */
void pfold_group_read_close(struct pfold_group_read *g);

/*
 * pfold_group_read_deltas - the counter deltas of sample EV of reader R, as
 * perf's deliver_sample_value() computes them: for each read value whose id
 * names an event of R, delta = value - the previous value of that id (the
 * first value of an id counts in full), and the id's previous value becomes
 * value. A value lower than the previous one (a corrupt or reordered file)
 * gives delta 0. Values whose id matches no event are left out (as perf's
 * nr_unknown_id). *OUT (owned by G, valid until the next call) gets the
 * deltas in the order of the read values (a group: the leader first), zero
 * deltas included. Returns their number; 0 when EV carries no read values
 * that name events (no PERF_SAMPLE_READ, or no PERF_FORMAT_ID): then the
 * sample counts as an ordinary one; or -PFOLD_E_NOMEM.
 */
int pfold_group_read_deltas(struct pfold_group_read *g, const struct pfold_reader *r,
			    const struct pfold_event *ev, const struct pfold_group_delta **out);

/* pfold_group_read_unknown - read values seen whose id matched no event. */
uint64_t pfold_group_read_unknown(const struct pfold_group_read *g);

#endif
