// SPDX-License-Identifier: MIT
/* ordered.c: the time-order queue of the reader (perf's FINISHED_ROUND rounds, bounded memory). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "ordered.h"

#define CHUNK_SIZE (1u << 20)

struct pfold_oe_chunk {
	struct pfold_oe_chunk *next;
	size_t used, size;
	size_t live;		/* queued or held entries that point here */
	uint8_t data[];
};

void pfold_ordered_init(struct pfold_ordered *o, size_t max_bytes)
{
	memset(o, 0, sizeof(*o));
	o->max_bytes = max_bytes ? max_bytes : (size_t)64 << 20;
}

static void chunk_put(struct pfold_ordered *o, struct pfold_oe_chunk *c)
{
	if (!c || --c->live)
		return;
	if (c == o->cur) {
		c->used = 0;
		return;
	}
	o->bytes -= c->size;
	if (!o->spare && c->size == CHUNK_SIZE) {
		c->used = 0;
		o->spare = c;
		return;
	}
	free(c);
}

void pfold_ordered_release(struct pfold_ordered *o)
{
	size_t i;

	for (i = o->head; i < o->nr; i++)
		if (o->q[i].chunk)
			chunk_put(o, o->q[i].chunk);
	chunk_put(o, o->held);
	o->held = NULL;
	if (o->cur && !o->cur->live)
		free(o->cur);
	free(o->spare);
	free(o->q);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

static void *arena_alloc(struct pfold_ordered *o, size_t size, struct pfold_oe_chunk **out)
{
	struct pfold_oe_chunk *c = o->cur;

	size = (size + 7) & ~(size_t)7;
	if (!c || c->size - c->used < size) {
		if (c && !c->live) {
			o->bytes -= c->size;
			free(c);
		}
		if (size <= CHUNK_SIZE && o->spare) {
			c = o->spare;
			o->spare = NULL;
		} else {
			size_t sz = size > CHUNK_SIZE ? size : CHUNK_SIZE;

			c = malloc(sizeof(*c) + sz);
			if (!c) {
				o->cur = NULL;
				return NULL;
			}
			c->size = sz;
		}
		c->used = 0;
		c->live = 0;
		c->next = NULL;
		o->bytes += c->size;
		o->cur = c;
	}
	c->live++;
	*out = c;
	c->used += size;
	return c->data + c->used - size;
}

int pfold_ordered_queue(struct pfold_ordered *o, uint64_t time, uint64_t offset,
			const void *data, uint32_t size, uint32_t flags, int copy)
{
	struct pfold_oe_entry *e;
	struct pfold_oe_chunk *c = NULL;
	uint8_t *p = (uint8_t *)data;

	if (o->head == o->ready && o->head) {
		/* everything deliverable went: drop the delivered prefix */
		memmove(o->q, o->q + o->head, (o->nr - o->head) * sizeof(*o->q));
		o->nr -= o->head;
		o->ready = o->head = 0;
	}
	if (PFOLD_GROW(o->q, o->alloc, o->nr + 1))
		return -PFOLD_E_NOMEM;
	if (copy) {
		p = arena_alloc(o, size, &c);
		if (!p)
			return -PFOLD_E_NOMEM;
		memcpy(p, data, size);
	}
	if (time < o->last_flush)
		o->nr_unordered++;
	e = &o->q[o->nr++];
	e->time = time;
	e->offset = offset;
	e->data = p;
	e->size = size;
	e->flags = flags;
	e->chunk = c;
	if (time > o->max_time)
		o->max_time = time;
	/* copies and entries both count: a mapped file queues entries only */
	if (o->bytes + (o->nr - o->head) * sizeof(*o->q) > o->max_bytes && o->head == o->ready)
		return pfold_ordered_flush(o, PFOLD_OE_HALF);
	return 0;
}

/* stable natural merge sort of Q[0, N) by time */
static int sort_entries(struct pfold_ordered *o, struct pfold_oe_entry *q, size_t n)
{
	struct pfold_oe_entry *src = q, *dst, *t;
	size_t i, runs;

	for (i = 1; i < n; i++)
		if (q[i].time < q[i - 1].time)
			break;
	if (i >= n)
		return 0;
	if (PFOLD_GROW(o->tmp, o->tmp_alloc, n))
		return -PFOLD_E_NOMEM;
	dst = o->tmp;
	do {
		runs = 0;
		i = 0;
		while (i < n) {
			size_t a = i, mid, end, x, y, k;

			while (i + 1 < n && src[i + 1].time >= src[i].time)
				i++;
			mid = ++i;
			if (mid >= n) {
				memcpy(dst + a, src + a, (n - a) * sizeof(*src));
				runs++;
				break;
			}
			while (i + 1 < n && src[i + 1].time >= src[i].time)
				i++;
			end = ++i;
			x = a;
			y = mid;
			k = a;
			while (x < mid && y < end)
				dst[k++] = src[y].time < src[x].time ? src[y++] : src[x++];
			while (x < mid)
				dst[k++] = src[x++];
			while (y < end)
				dst[k++] = src[y++];
			runs++;
		}
		t = src;
		src = dst;
		dst = t;
	} while (runs > 1);
	if (src != q)
		memcpy(q, src, n * sizeof(*q));
	return 0;
}

int pfold_ordered_flush(struct pfold_ordered *o, enum pfold_oe_flush how)
{
	/* o->q is NULL until the first entry: no arithmetic on it then */
	struct pfold_oe_entry *q = o->q ? o->q + o->ready : NULL;
	size_t n = o->nr - o->ready, k;
	uint64_t limit;
	int ret;

	/* only the not-yet-deliverable tail is sorted; the ready part stays */
	ret = sort_entries(o, q, n);
	if (ret)
		return ret;
	switch (how) {
	case PFOLD_OE_FINAL:
		limit = UINT64_MAX;
		break;
	case PFOLD_OE_HALF:
		limit = n ? q[n / 2].time : 0;
		break;
	case PFOLD_OE_ROUND:
	default:
		limit = o->next_flush;
		o->next_flush = o->max_time;
		break;
	}
	for (k = 0; k < n && q[k].time <= limit; k++)
		;
	o->ready += k;
	return 0;
}

int pfold_ordered_pop(struct pfold_ordered *o, struct pfold_oe_entry **e)
{
	if (o->held) {
		chunk_put(o, o->held);
		o->held = NULL;
	}
	if (o->head >= o->ready)
		return 0;
	*e = &o->q[o->head++];
	o->held = (*e)->chunk;
	if ((*e)->time > o->last_flush)
		o->last_flush = (*e)->time;
	return 1;
}
