// SPDX-License-Identifier: MIT
/* sample.c: decoding PERF_RECORD_SAMPLE by sample_type, and the sample_id trailer of other records. */
#include <string.h>

#include "buf.h"
#include "error.h"
#include "sample.h"

#define S(bit) ((uint64_t)(bit))

void pfold_sample_layout_init(struct pfold_sample_layout *l,
			      const struct perf_event_attr *attr)
{
	uint64_t t = attr->sample_type;
	int idx;

	memset(l, 0, sizeof(*l));
	l->sample_type = t;
	l->read_format = attr->read_format;
	l->branch_sample_type = attr->branch_sample_type;
	l->regs_user_mask = attr->sample_regs_user;
	l->regs_intr_mask = attr->sample_regs_intr;
	l->sample_id_all = attr->sample_id_all;

	/* perf's __evsel__calc_id_pos / __evsel__calc_is_pos */
	if (t & PERF_SAMPLE_IDENTIFIER) {
		l->id_pos = 0;
	} else if (!(t & PERF_SAMPLE_ID)) {
		l->id_pos = -1;
	} else {
		idx = 0;
		if (t & PERF_SAMPLE_IP)
			idx++;
		if (t & PERF_SAMPLE_TID)
			idx++;
		if (t & PERF_SAMPLE_TIME)
			idx++;
		if (t & PERF_SAMPLE_ADDR)
			idx++;
		l->id_pos = idx;
	}
	if (t & PERF_SAMPLE_IDENTIFIER) {
		l->is_pos = 1;
	} else if (!(t & PERF_SAMPLE_ID)) {
		l->is_pos = -1;
	} else {
		idx = 1;
		if (t & PERF_SAMPLE_CPU)
			idx++;
		if (t & PERF_SAMPLE_STREAM_ID)
			idx++;
		l->is_pos = idx;
	}
	l->trailer_size = 0;
	if (l->sample_id_all) {
		if (t & PERF_SAMPLE_TID)
			l->trailer_size += 8;
		if (t & PERF_SAMPLE_TIME)
			l->trailer_size += 8;
		if (t & PERF_SAMPLE_ID)
			l->trailer_size += 8;
		if (t & PERF_SAMPLE_STREAM_ID)
			l->trailer_size += 8;
		if (t & PERF_SAMPLE_CPU)
			l->trailer_size += 8;
		if (t & PERF_SAMPLE_IDENTIFIER)
			l->trailer_size += 8;
	}
}

struct scur {
	uint8_t *p;
	size_t size, pos;
	int swap;
};

static inline int need(struct scur *c, size_t n)
{
	return c->size - c->pos >= n;
}

static inline int get64(struct scur *c, uint64_t *v)
{
	uint64_t x;

	if (!need(c, 8))
		return -1;
	memcpy(&x, c->p + c->pos, 8);
	if (c->swap) {
		x = pfold_bswap64(x);
		memcpy(c->p + c->pos, &x, 8);
	}
	c->pos += 8;
	*v = x;
	return 0;
}

/* two u32 in one u64 slot */
static inline int get32x2(struct scur *c, uint32_t *a, uint32_t *b)
{
	uint32_t x[2];

	if (!need(c, 8))
		return -1;
	memcpy(x, c->p + c->pos, 8);
	if (c->swap) {
		x[0] = pfold_bswap32(x[0]);
		x[1] = pfold_bswap32(x[1]);
		memcpy(c->p + c->pos, x, 8);
	}
	c->pos += 8;
	*a = x[0];
	*b = x[1];
	return 0;
}

/* N u64s in place; returns a pointer to them (aligned when the record is) */
static inline const uint64_t *get64n(struct scur *c, uint64_t n)
{
	uint64_t *arr, i;

	if (n > (c->size - c->pos) / 8)
		return NULL;
	if ((uintptr_t)(c->p + c->pos) % 8)
		return NULL;	/* after a raw or stack payload of odd size: corrupt */
	arr = (uint64_t *)(void *)(c->p + c->pos);
	if (c->swap)
		for (i = 0; i < n; i++)
			arr[i] = pfold_bswap64(arr[i]);
	c->pos += n * 8;
	return arr;
}

int pfold_read_values_parse(struct pfold_sample_read *r, uint64_t rf,
			    const uint64_t *data, size_t size,
			    struct pfold_read_value **buf, size_t *alloc)
{
	size_t n = size / 8, pos = 0;
	uint64_t nr = 1, i;
	size_t per = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PFOLD_FORMAT_LOST);

	memset(r, 0, sizeof(*r));
	r->group = !!(rf & PERF_FORMAT_GROUP);
	if (r->group) {
		if (pos >= n)
			return -PFOLD_E_BAD_SAMPLE;
		nr = data[pos++];
	} else {
		if (pos >= n)
			return -PFOLD_E_BAD_SAMPLE;
		pos++;	/* the value; picked up below */
	}
	if (rf & PERF_FORMAT_TOTAL_TIME_ENABLED) {
		if (pos >= n)
			return -PFOLD_E_BAD_SAMPLE;
		r->time_enabled = data[pos++];
	}
	if (rf & PERF_FORMAT_TOTAL_TIME_RUNNING) {
		if (pos >= n)
			return -PFOLD_E_BAD_SAMPLE;
		r->time_running = data[pos++];
	}
	if (r->group) {
		if (nr > (n - pos) / per)
			return -PFOLD_E_BAD_SAMPLE;
	} else {
		if (per - 1 > n - pos)
			return -PFOLD_E_BAD_SAMPLE;
	}
	if (nr > *alloc && pfold_grow(buf, alloc, nr ? nr : 1, sizeof(**buf)))
		return -PFOLD_E_NOMEM;
	if (!*buf && pfold_grow(buf, alloc, 1, sizeof(**buf)))
		return -PFOLD_E_NOMEM;
	if (r->group) {
		for (i = 0; i < nr; i++) {
			struct pfold_read_value *v = &(*buf)[i];

			v->value = data[pos++];
			v->id = rf & PERF_FORMAT_ID ? data[pos++] : 0;
			v->lost = rf & PFOLD_FORMAT_LOST ? data[pos++] : 0;
		}
	} else {
		struct pfold_read_value *v = &(*buf)[0];

		v->value = data[0];
		v->id = rf & PERF_FORMAT_ID ? data[pos++] : 0;
		v->lost = rf & PFOLD_FORMAT_LOST ? data[pos++] : 0;
	}
	r->nr = nr;
	r->values = *buf;
	return (int)(pos * 8);
}

/* the number of u64s a read_format value set takes, given its first u64 (nr for groups) */
/*
 * Branch flags from the other byte order.  struct perf_branch_flags is a
 * bitfield in a u64: a big-endian compiler lays the first field out at the
 * top, so after bswap64 a field of width w at little-endian bit p sits at
 * bit 64 - p - w with its value's bits in their usual order (what perf's
 * evsel__bitfield_swap_branch_flags undoes).  Fields as of perf 6.1:
 * mispred predicted in_tx abort cycles:16 type:4 spec:2 new_type:4 priv:3,
 * then 31 reserved bits.
 */
static uint64_t swap_branch_flags(uint64_t raw)
{
	static const uint8_t field[][2] = {	/* little-endian position, width */
		{ 0, 1 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 4, 16 }, { 20, 4 },
		{ 24, 2 }, { 26, 4 }, { 30, 3 }, { 33, 31 },
	};
	uint64_t v = pfold_bswap64(raw), out = 0;
	size_t i;

	for (i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
		unsigned p = field[i][0], w = field[i][1];
		uint64_t mask = (1ULL << w) - 1;

		out |= ((v >> (64 - p - w)) & mask) << p;
	}
	return out;
}

static int read_size_u64(uint64_t rf, uint64_t first, size_t avail, uint64_t *out)
{
	uint64_t per = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PFOLD_FORMAT_LOST);
	uint64_t n = 1 + !!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) + !!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING);

	if (rf & PERF_FORMAT_GROUP) {
		if (first > avail / per)
			return -1;
		n += first * per;
	} else {
		n += per - 1;
	}
	if (n > avail)
		return -1;
	*out = n;
	return 0;
}

int pfold_sample_parse(struct pfold_sample *s, const struct pfold_sample_layout *l,
		       void *data, size_t size, int swap,
		       struct pfold_read_value **read_buf, size_t *read_alloc)
{
	struct scur c = { data, size, 0, swap };
	uint64_t t = l->sample_type;
	uint64_t v;

	memset(s, 0, sizeof(*s));
	s->type = t;

	if ((t & PERF_SAMPLE_IDENTIFIER) && get64(&c, &s->id))
		goto bad;
	if ((t & PERF_SAMPLE_IP) && get64(&c, &s->ip))
		goto bad;
	if ((t & PERF_SAMPLE_TID) && get32x2(&c, &s->pid, &s->tid))
		goto bad;
	if ((t & PERF_SAMPLE_TIME) && get64(&c, &s->time))
		goto bad;
	if ((t & PERF_SAMPLE_ADDR) && get64(&c, &s->addr))
		goto bad;
	if ((t & PERF_SAMPLE_ID) && get64(&c, &s->id))
		goto bad;
	if ((t & PERF_SAMPLE_STREAM_ID) && get64(&c, &s->stream_id))
		goto bad;
	if ((t & PERF_SAMPLE_CPU) && get32x2(&c, &s->cpu, &s->cpu_res))
		goto bad;
	if ((t & PERF_SAMPLE_PERIOD) && get64(&c, &s->period))
		goto bad;
	if (t & PERF_SAMPLE_READ) {
		uint64_t first, n;
		const uint64_t *arr;
		int ret;

		if (!need(&c, 8))
			goto bad;
		memcpy(&first, c.p + c.pos, 8);
		if (swap)
			first = pfold_bswap64(first);
		if (read_size_u64(l->read_format, first, (c.size - c.pos) / 8, &n))
			goto bad;
		arr = get64n(&c, n);
		if (!arr)
			goto bad;
		ret = pfold_read_values_parse(&s->read, l->read_format, arr, n * 8, read_buf, read_alloc);
		if (ret == -PFOLD_E_NOMEM)
			return ret;
		if (ret < 0)
			goto bad;
	}
	if (t & PERF_SAMPLE_CALLCHAIN) {
		if (get64(&c, &s->callchain_nr))
			goto bad;
		s->callchain = get64n(&c, s->callchain_nr);
		if (!s->callchain)
			goto bad;
	}
	if (t & PERF_SAMPLE_RAW) {
		uint32_t sz;

		if (!need(&c, 4))
			goto bad;
		memcpy(&sz, c.p + c.pos, 4);
		if (swap) {
			sz = pfold_bswap32(sz);
			memcpy(c.p + c.pos, &sz, 4);
		}
		c.pos += 4;
		if (sz > c.size - c.pos)
			goto bad;
		s->raw_size = sz;
		s->raw = c.p + c.pos;
		c.pos += sz;
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		uint64_t i;
		uint64_t *e;

		if (get64(&c, &s->branch_nr))
			goto bad;
		if (l->branch_sample_type & PFOLD_BRANCH_HW_INDEX) {
			if (get64(&c, &s->branch_hw_idx))
				goto bad;
			s->branch_has_hw_idx = 1;
		}
		if (s->branch_nr > (c.size - c.pos) / 24 || (uintptr_t)(c.p + c.pos) % 8)
			goto bad;
		e = (uint64_t *)(void *)(c.p + c.pos);
		if (swap)
			for (i = 0; i < s->branch_nr * 3; i++)
				e[i] = (i % 3 == 2) ? swap_branch_flags(e[i]) : pfold_bswap64(e[i]);
		s->branches = (const struct pfold_branch_entry *)e;
		c.pos += s->branch_nr * 24;
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		if (get64(&c, &s->user_regs.abi))
			goto bad;
		s->user_regs.mask = l->regs_user_mask;
		if (s->user_regs.abi) {
			s->user_regs.nr = (uint32_t)__builtin_popcountll(l->regs_user_mask);
			s->user_regs.regs = get64n(&c, s->user_regs.nr);
			if (!s->user_regs.regs)
				goto bad;
		}
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		if (get64(&c, &s->user_stack_size))
			goto bad;
		if (s->user_stack_size > c.size - c.pos)
			goto bad;
		s->user_stack = c.p + c.pos;
		c.pos += s->user_stack_size;
		if (s->user_stack_size) {
			if (get64(&c, &s->user_stack_dyn_size))
				goto bad;
			if (s->user_stack_dyn_size > s->user_stack_size)
				s->user_stack_dyn_size = s->user_stack_size;
		}
	}
	if (t & (PERF_SAMPLE_WEIGHT | PERF_SAMPLE_WEIGHT_STRUCT)) {
		if (get64(&c, &v))
			goto bad;
		s->weight = v;
		if (t & PERF_SAMPLE_WEIGHT_STRUCT) {
			s->weight_var1 = (uint32_t)v;
			s->weight_var2 = (uint16_t)(v >> 32);
			s->weight_var3 = (uint16_t)(v >> 48);
			s->weight = s->weight_var1;
		}
	}
	if ((t & PERF_SAMPLE_DATA_SRC) && get64(&c, &s->data_src))
		goto bad;
	if ((t & PERF_SAMPLE_TRANSACTION) && get64(&c, &s->transaction))
		goto bad;
	if (t & PERF_SAMPLE_REGS_INTR) {
		if (get64(&c, &s->intr_regs.abi))
			goto bad;
		s->intr_regs.mask = l->regs_intr_mask;
		if (s->intr_regs.abi) {
			s->intr_regs.nr = (uint32_t)__builtin_popcountll(l->regs_intr_mask);
			s->intr_regs.regs = get64n(&c, s->intr_regs.nr);
			if (!s->intr_regs.regs)
				goto bad;
		}
	}
	if ((t & PERF_SAMPLE_PHYS_ADDR) && get64(&c, &s->phys_addr))
		goto bad;
	if ((t & PFOLD_SAMPLE_CGROUP) && get64(&c, &s->cgroup))
		goto bad;
	if ((t & PFOLD_SAMPLE_DATA_PAGE_SIZE) && get64(&c, &s->data_page_size))
		goto bad;
	if ((t & PFOLD_SAMPLE_CODE_PAGE_SIZE) && get64(&c, &s->code_page_size))
		goto bad;
	if (t & PFOLD_SAMPLE_AUX) {
		if (get64(&c, &s->aux_size))
			goto bad;
		if (s->aux_size > c.size - c.pos)
			goto bad;
		s->aux = c.p + c.pos;
		c.pos += s->aux_size;
	}
	return 0;
bad:
	return -PFOLD_E_BAD_SAMPLE;
}

int pfold_sample_id_parse(struct pfold_sample *s, const struct pfold_sample_layout *l,
			  void *data, size_t size, int swap)
{
	uint64_t t = l->sample_type;
	struct scur c;

	memset(s, 0, sizeof(*s));
	if (!l->sample_id_all || !l->trailer_size)
		return 0;
	if ((size_t)l->trailer_size > size)
		return -PFOLD_E_BAD_SAMPLE;
	c.p = (uint8_t *)data + size - l->trailer_size;
	c.size = (size_t)l->trailer_size;
	c.pos = 0;
	c.swap = swap;
	s->type = t & (PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID |
		       PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER);
	if (t & PERF_SAMPLE_TID)
		get32x2(&c, &s->pid, &s->tid);
	if (t & PERF_SAMPLE_TIME)
		get64(&c, &s->time);
	if (t & PERF_SAMPLE_ID)
		get64(&c, &s->id);
	if (t & PERF_SAMPLE_STREAM_ID)
		get64(&c, &s->stream_id);
	if (t & PERF_SAMPLE_CPU)
		get32x2(&c, &s->cpu, &s->cpu_res);
	if (t & PERF_SAMPLE_IDENTIFIER)
		get64(&c, &s->id);
	return 0;
}

int pfold_sample_peek_id(const struct pfold_sample_layout *l, int kind,
			 const void *data, size_t size, int swap, uint64_t *id)
{
	const uint8_t *p;
	uint64_t v;

	if (kind == 0) {
		if (l->id_pos < 0 || (size_t)(l->id_pos + 1) * 8 > size)
			return 0;
		p = (const uint8_t *)data + l->id_pos * 8;
	} else {
		if (!l->sample_id_all || l->is_pos < 0 || (size_t)l->is_pos * 8 > size)
			return 0;
		p = (const uint8_t *)data + size - l->is_pos * 8;
	}
	memcpy(&v, p, 8);
	*id = swap ? pfold_bswap64(v) : v;
	return 1;
}

/*
 * pfold_sample_peek_time - the time of a SAMPLE body (KIND 0) or of a
 * trailer (KIND 1), file byte order, without changing DATA. Returns 1 with
 * *TIME, or 0 when there is none.
 */
int pfold_sample_peek_time(const struct pfold_sample_layout *l, int kind,
			   const void *data, size_t size, int swap, uint64_t *time)
{
	uint64_t t = l->sample_type, v;
	size_t off;

	if (!(t & PERF_SAMPLE_TIME))
		return 0;
	if (kind == 0) {
		off = 8 * (!!(t & PERF_SAMPLE_IDENTIFIER) + !!(t & PERF_SAMPLE_IP) +
			   !!(t & PERF_SAMPLE_TID));
		if (off + 8 > size)
			return 0;
	} else {
		if (!l->sample_id_all || (size_t)l->trailer_size > size)
			return 0;
		off = size - l->trailer_size + 8 * !!(t & PERF_SAMPLE_TID);
	}
	memcpy(&v, (const uint8_t *)data + off, 8);
	*time = swap ? pfold_bswap64(v) : v;
	return 1;
}
