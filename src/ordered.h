/* SPDX-License-Identifier: MIT */
/* ordered.h: the time-order queue of the reader (perf's FINISHED_ROUND rounds, bounded memory). */
#ifndef PFOLD_ORDERED_H
#define PFOLD_ORDERED_H

#include <stddef.h>
#include <stdint.h>

/* one queued record; data is in the file's byte order */
struct pfold_oe_entry {
	uint64_t time;
	uint64_t offset;
	uint8_t *data;
	uint32_t size;
	uint32_t flags;		/* the reader's (e.g. came from COMPRESSED) */
	void *chunk;		/* arena chunk holding a copy, or NULL */
};

struct pfold_oe_chunk;

struct pfold_ordered {
	struct pfold_oe_entry *q;
	size_t nr, alloc;	/* entries [0, nr) */
	size_t head, ready;	/* [head, ready) sorted and deliverable */
	struct pfold_oe_entry *tmp;
	size_t tmp_alloc;
	uint64_t max_time;	/* highest time queued */
	uint64_t next_flush;	/* a round flushes up to this (the previous round's max) */
	uint64_t last_flush;	/* time of the last delivered record */
	uint64_t nr_unordered;
	size_t bytes;		/* bytes of copies held */
	size_t max_bytes;
	struct pfold_oe_chunk *cur, *spare;
	void *held;		/* chunk of the entry handed out last */
};

enum pfold_oe_flush {
	PFOLD_OE_ROUND,		/* FINISHED_ROUND: up to the previous round's max time */
	PFOLD_OE_HALF,		/* too much queued: the older half */
	PFOLD_OE_FINAL,		/* end of data: everything */
};

/* pfold_ordered_init - an empty queue holding at most MAX_BYTES of copies before a half flush. */
void pfold_ordered_init(struct pfold_ordered *o, size_t max_bytes);
/* pfold_ordered_release - free everything O holds. */
void pfold_ordered_release(struct pfold_ordered *o);

/*
 * pfold_ordered_queue - queue a record of SIZE bytes at DATA with TIME. With
 * COPY the bytes are copied into the queue's arena (8-byte aligned); else
 * DATA must stay valid until the record is popped. May flush half the queue
 * when over its byte budget (pfold_ordered_ready() then says so).
 * Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_ordered_queue(struct pfold_ordered *o, uint64_t time, uint64_t offset,
			const void *data, uint32_t size, uint32_t flags, int copy);

/* pfold_ordered_flush - make the records HOW selects deliverable, in time order. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_ordered_flush(struct pfold_ordered *o, enum pfold_oe_flush how);

/* pfold_ordered_ready - 1 when a record is deliverable. */
static inline int pfold_ordered_ready(const struct pfold_ordered *o)
{
	return o->head < o->ready;
}

/* pfold_ordered_peek - the record the next pop will give, or NULL; O keeps it. */
static inline const struct pfold_oe_entry *pfold_ordered_peek(const struct pfold_ordered *o)
{
	return o->head < o->ready ? &o->q[o->head] : NULL;
}

/*
 * pfold_ordered_pop - the next deliverable record; *E points into the queue
 * and its data stays valid until the next pop. Returns 1, or 0 when none.
 */
int pfold_ordered_pop(struct pfold_ordered *o, struct pfold_oe_entry **e);

#endif
