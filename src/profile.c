// SPDX-License-Identifier: MIT
/* profile.c: the stack table with a counter vector per stack, its sorted order and merging. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "profile.h"

#define NAME_BLOCK 65536
#define MAX_IDS 0xfffffff0u

struct name_block {
	struct name_block *next;
	size_t used, size;
	char data[];
};

struct frame {
	const char *name;	/* in a name block: never moves */
	uint32_t len;
	uint32_t hash;
	uint8_t kind;
};

struct origin {
	struct pfold_frame_origin o;	/* strings in name blocks */
	int set;
};

struct stack {
	size_t off;		/* into pool */
	uint32_t nframes;
	uint32_t hash;
};

struct pfold_profile {
	char **events;
	size_t nr_events, alloc_events;

	struct name_block *blocks;
	struct frame *frames;
	size_t nr_frames, alloc_frames;
	uint32_t *frame_tab;	/* open addressing: id + 1, 0 = empty */
	size_t frame_tab_size;
	/* frame origins by frame id, a side table (set == 0: none); grown on demand */
	struct origin *origins;
	size_t alloc_origins;

	struct stack *stacks;
	size_t nr_stacks, alloc_stacks;
	uint32_t *pool;
	size_t pool_len, pool_alloc;
	uint64_t *counts;	/* nr_stacks x nr_events */
	size_t counts_alloc;	/* in elements */
	uint32_t *stack_tab;	/* open addressing: index + 1, 0 = empty */
	size_t stack_tab_size;
};

static uint32_t hash_bytes(const char *s, size_t len, unsigned kind)
{
	uint32_t h = 2166136261u ^ kind;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t hash_ids(const uint32_t *ids, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	size_t i;

	for (i = 0; i < n; i++) {
		h = (h ^ ids[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	h ^= h >> 32;
	return (uint32_t)h;
}

int pfold_profile_open(struct pfold_profile **out)
{
	struct pfold_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return pfold_error(PFOLD_E_NOMEM, "out of memory allocating a profile");
	*out = p;
	return 0;
}

static void free_blocks(struct pfold_profile *p)
{
	struct name_block *b, *next;

	for (b = p->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	p->blocks = NULL;
}

void pfold_profile_clear(struct pfold_profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nr_events; i++)
		free(p->events[i]);
	p->nr_events = 0;
	free_blocks(p);
	p->nr_frames = 0;
	if (p->origins)
		memset(p->origins, 0, p->alloc_origins * sizeof(*p->origins));
	if (p->frame_tab)
		memset(p->frame_tab, 0, p->frame_tab_size * sizeof(*p->frame_tab));
	p->nr_stacks = 0;
	p->pool_len = 0;
	if (p->stack_tab)
		memset(p->stack_tab, 0, p->stack_tab_size * sizeof(*p->stack_tab));
}

void pfold_profile_close(struct pfold_profile *p)
{
	if (!p)
		return;
	pfold_profile_clear(p);
	free(p->events);
	free(p->frames);
	free(p->frame_tab);
	free(p->origins);
	free(p->stacks);
	free(p->pool);
	free(p->counts);
	free(p->stack_tab);
	free(p);
}

/* ---- events ---- */

int pfold_profile_find_event(const struct pfold_profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nr_events; i++)
		if (!strcmp(p->events[i], name))
			return (int)i;
	return -PFOLD_E_NOT_FOUND;
}

int pfold_profile_add_event(struct pfold_profile *p, const char *name)
{
	size_t n = p->nr_events, i;
	uint64_t *counts;
	char *copy;
	int idx;

	if (!name || !*name || strpbrk(name, " \t\n\r,"))
		return pfold_error(PFOLD_E_INVAL, "bad event name '%s'", name ? name : "");
	idx = pfold_profile_find_event(p, name);
	if (idx >= 0)
		return idx;
	if (n >= 4096)
		return pfold_error(PFOLD_E_LIMIT, "too many events (4096)");
	copy = strdup(name);
	if (!copy || PFOLD_GROW(p->events, p->alloc_events, n + 1)) {
		free(copy);
		return pfold_error(PFOLD_E_NOMEM, "out of memory adding event '%s'", name);
	}
	/* re-lay the counter vectors with one more slot each */
	if (p->nr_stacks) {
		counts = malloc(((p->alloc_stacks ? p->alloc_stacks : 1) * (n + 1)) *
				sizeof(*counts));
		if (!counts) {
			free(copy);
			return pfold_error(PFOLD_E_NOMEM, "out of memory adding event '%s'", name);
		}
		for (i = 0; i < p->nr_stacks; i++) {
			if (n)
				memcpy(counts + i * (n + 1), p->counts + i * n,
				       n * sizeof(*counts));
			counts[i * (n + 1) + n] = 0;
		}
		free(p->counts);
		p->counts = counts;
		p->counts_alloc = (p->alloc_stacks ? p->alloc_stacks : 1) * (n + 1);
	} else {
		free(p->counts);
		p->counts = NULL;
		p->counts_alloc = 0;
	}
	p->events[n] = copy;
	p->nr_events = n + 1;
	return (int)n;
}

size_t pfold_profile_nr_events(const struct pfold_profile *p)
{
	return p->nr_events;
}

const char *pfold_profile_event_name(const struct pfold_profile *p, size_t i)
{
	return i < p->nr_events ? p->events[i] : NULL;
}

/* ---- frames ---- */

static char *store_name(struct pfold_profile *p, const char *name, size_t len)
{
	struct name_block *b = p->blocks;
	char *s;

	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > NAME_BLOCK ? len + 1 : NAME_BLOCK;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		/* a big name gets its own block behind the current one */
		if (size > NAME_BLOCK && p->blocks) {
			b->next = p->blocks->next;
			p->blocks->next = b;
		} else {
			b->next = p->blocks;
			p->blocks = b;
		}
	}
	s = b->data + b->used;
	memcpy(s, name, len);
	s[len] = '\0';
	b->used += len + 1;
	return s;
}

static int frame_tab_grow(struct pfold_profile *p)
{
	size_t size = p->frame_tab_size ? p->frame_tab_size * 2 : 1024, i;
	uint32_t *tab = calloc(size, sizeof(*tab));

	if (!tab)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < p->nr_frames; i++) {
		size_t j = p->frames[i].hash & (size - 1);

		while (tab[j])
			j = (j + 1) & (size - 1);
		tab[j] = (uint32_t)i + 1;
	}
	free(p->frame_tab);
	p->frame_tab = tab;
	p->frame_tab_size = size;
	return 0;
}

int pfold_profile_intern(struct pfold_profile *p, const char *name, size_t len,
			 enum pfold_frame_kind kind, uint32_t *id)
{
	uint32_t h;
	size_t j;
	struct frame *fr;

	if (memchr(name, '\0', len) || memchr(name, '\n', len))
		return pfold_error(PFOLD_E_INVAL, "frame name with a NUL or newline");
	if (len > UINT32_MAX - 1)
		return pfold_error(PFOLD_E_LIMIT, "frame name too long");
	h = hash_bytes(name, len, kind);
	if ((p->nr_frames + 1) * 2 > p->frame_tab_size && frame_tab_grow(p))
		return pfold_error(PFOLD_E_NOMEM, "out of memory interning a frame");
	j = h & (p->frame_tab_size - 1);
	while (p->frame_tab[j]) {
		fr = &p->frames[p->frame_tab[j] - 1];
		if (fr->hash == h && fr->len == len && fr->kind == kind &&
		    !memcmp(fr->name, name, len)) {
			*id = p->frame_tab[j] - 1;
			return 0;
		}
		j = (j + 1) & (p->frame_tab_size - 1);
	}
	if (p->nr_frames >= MAX_IDS)
		return pfold_error(PFOLD_E_LIMIT, "too many distinct frames");
	if (PFOLD_GROW(p->frames, p->alloc_frames, p->nr_frames + 1))
		return pfold_error(PFOLD_E_NOMEM, "out of memory interning a frame");
	fr = &p->frames[p->nr_frames];
	fr->name = store_name(p, name, len);
	if (!fr->name)
		return pfold_error(PFOLD_E_NOMEM, "out of memory interning a frame");
	fr->len = (uint32_t)len;
	fr->hash = h;
	fr->kind = (uint8_t)kind;
	p->frame_tab[j] = (uint32_t)p->nr_frames + 1;
	*id = (uint32_t)p->nr_frames++;
	return 0;
}

size_t pfold_profile_nr_frames(const struct pfold_profile *p)
{
	return p->nr_frames;
}

const char *pfold_profile_frame_name(const struct pfold_profile *p, uint32_t id)
{
	return id < p->nr_frames ? p->frames[id].name : NULL;
}

size_t pfold_profile_frame_len(const struct pfold_profile *p, uint32_t id)
{
	return id < p->nr_frames ? p->frames[id].len : 0;
}

enum pfold_frame_kind pfold_profile_frame_kind(const struct pfold_profile *p, uint32_t id)
{
	return id < p->nr_frames ? (enum pfold_frame_kind)p->frames[id].kind :
				   PFOLD_FRAME_USER;
}

/* A copy of S in P's name blocks (NULL stays NULL); *ERR set when out of memory. */
static const char *store_opt(struct pfold_profile *p, const char *s, int *err)
{
	const char *c;

	if (!s)
		return NULL;
	c = store_name(p, s, strlen(s));
	if (!c)
		*err = 1;
	return c;
}

int pfold_profile_set_frame_origin(struct pfold_profile *p, uint32_t id,
				   const struct pfold_frame_origin *o)
{
	struct origin *r;
	int err = 0;

	if (id >= p->nr_frames)
		return pfold_error(PFOLD_E_INVAL, "no frame %u", id);
	if (id < p->alloc_origins && p->origins[id].set)
		return 0;
	if (id >= p->alloc_origins) {
		size_t old = p->alloc_origins;

		if (PFOLD_GROW(p->origins, p->alloc_origins, p->nr_frames))
			return -PFOLD_E_NOMEM;
		memset(p->origins + old, 0, (p->alloc_origins - old) * sizeof(*p->origins));
	}
	r = &p->origins[id];
	r->o.object = store_opt(p, o->object, &err);
	r->o.build_id = store_opt(p, o->build_id, &err);
	r->o.file = store_opt(p, o->file, &err);
	r->o.address = o->address;
	r->o.line = o->line;
	if (err) {
		memset(r, 0, sizeof(*r));
		return -PFOLD_E_NOMEM;
	}
	r->set = 1;
	return 1;
}

const struct pfold_frame_origin *pfold_profile_frame_origin(const struct pfold_profile *p,
							    uint32_t id)
{
	if (id >= p->nr_frames || id >= p->alloc_origins || !p->origins[id].set)
		return NULL;
	return &p->origins[id].o;
}

/* ---- stacks ---- */

static int stack_tab_grow(struct pfold_profile *p)
{
	size_t size = p->stack_tab_size ? p->stack_tab_size * 2 : 1024, i;
	uint32_t *tab = calloc(size, sizeof(*tab));

	if (!tab)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < p->nr_stacks; i++) {
		size_t j = p->stacks[i].hash & (size - 1);

		while (tab[j])
			j = (j + 1) & (size - 1);
		tab[j] = (uint32_t)i + 1;
	}
	free(p->stack_tab);
	p->stack_tab = tab;
	p->stack_tab_size = size;
	return 0;
}

/* the index of stack FRAMES, created with zero counters if new; or a negative code */
static long find_or_add(struct pfold_profile *p, const uint32_t *frames, size_t n)
{
	uint32_t h;
	size_t j, i, ne = p->nr_events;
	struct stack *st;

	for (i = 0; i < n; i++)
		if (frames[i] >= p->nr_frames)
			return pfold_error(PFOLD_E_INVAL, "unknown frame id %u", frames[i]);
	if (n > UINT32_MAX)
		return pfold_error(PFOLD_E_LIMIT, "stack too deep");
	h = hash_ids(frames, n);
	if (p->stack_tab_size) {
		j = h & (p->stack_tab_size - 1);
		while (p->stack_tab[j]) {
			st = &p->stacks[p->stack_tab[j] - 1];
			if (st->hash == h && st->nframes == n &&
			    (!n || !memcmp(p->pool + st->off, frames, n * sizeof(*frames))))
				return (long)p->stack_tab[j] - 1;
			j = (j + 1) & (p->stack_tab_size - 1);
		}
	}
	if (p->nr_stacks >= MAX_IDS)
		return pfold_error(PFOLD_E_LIMIT, "too many distinct stacks");
	if ((p->nr_stacks + 1) * 2 > p->stack_tab_size && stack_tab_grow(p))
		goto err_nomem;
	if (PFOLD_GROW(p->stacks, p->alloc_stacks, p->nr_stacks + 1))
		goto err_nomem;
	if (PFOLD_GROW(p->pool, p->pool_alloc, p->pool_len + n + 1))
		goto err_nomem;
	if (ne && PFOLD_GROW(p->counts, p->counts_alloc, (p->nr_stacks + 1) * ne))
		goto err_nomem;
	st = &p->stacks[p->nr_stacks];
	st->off = p->pool_len;
	st->nframes = (uint32_t)n;
	st->hash = h;
	if (n)
		memcpy(p->pool + p->pool_len, frames, n * sizeof(*frames));
	p->pool_len += n;
	if (ne)
		memset(p->counts + p->nr_stacks * ne, 0, ne * sizeof(*p->counts));
	j = h & (p->stack_tab_size - 1);
	while (p->stack_tab[j])
		j = (j + 1) & (p->stack_tab_size - 1);
	p->stack_tab[j] = (uint32_t)p->nr_stacks + 1;
	return (long)p->nr_stacks++;

err_nomem:
	return pfold_error(PFOLD_E_NOMEM, "out of memory adding a stack");
}

long pfold_profile_add(struct pfold_profile *p, const uint32_t *frames,
		       size_t nframes, const uint64_t *counts)
{
	long idx = find_or_add(p, frames, nframes);
	uint64_t *c;
	size_t i;

	if (idx < 0)
		return idx;
	c = p->counts + (size_t)idx * p->nr_events;
	for (i = 0; i < p->nr_events; i++)
		c[i] += counts[i];
	return idx;
}

long pfold_profile_add1(struct pfold_profile *p, const uint32_t *frames,
			size_t nframes, size_t event, uint64_t value)
{
	long idx;

	if (event >= p->nr_events)
		return pfold_error(PFOLD_E_INVAL, "no event slot %zu", event);
	idx = find_or_add(p, frames, nframes);
	if (idx < 0)
		return idx;
	p->counts[(size_t)idx * p->nr_events + event] += value;
	return idx;
}

size_t pfold_profile_nr_stacks(const struct pfold_profile *p)
{
	return p->nr_stacks;
}

int pfold_profile_stack(const struct pfold_profile *p, size_t i, struct pfold_stack *out)
{
	if (i >= p->nr_stacks)
		return pfold_error(PFOLD_E_INVAL, "no stack %zu", i);
	out->frames = p->pool + p->stacks[i].off;
	out->nframes = p->stacks[i].nframes;
	out->counts = p->nr_events ? p->counts + i * p->nr_events : NULL;
	return 0;
}

uint64_t pfold_profile_total(const struct pfold_profile *p, size_t event)
{
	uint64_t t = 0;
	size_t i;

	if (event >= p->nr_events)
		return 0;
	for (i = 0; i < p->nr_stacks; i++)
		t += p->counts[i * p->nr_events + event];
	return t;
}

/* ---- sorted order: byte-wise order of the ';'-joined text ---- */

struct text_cursor {
	const struct pfold_profile *p;
	const uint32_t *ids;
	size_t n, i, j;		/* frame i, byte j of it (j == len: the separator) */
};

/* the next byte of the joined text, or -1 at its end */
static int cursor_next(struct text_cursor *c)
{
	const struct frame *fr;

	while (c->i < c->n) {
		fr = &c->p->frames[c->ids[c->i]];
		if (c->j < fr->len)
			return (unsigned char)fr->name[c->j++];
		c->i++;
		c->j = 0;
		if (c->i < c->n)
			return ';';
	}
	return -1;
}

static int compare_stacks(const void *a, const void *b, void *arg)
{
	const struct pfold_profile *p = arg;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const struct stack *sa = &p->stacks[ia], *sb = &p->stacks[ib];
	struct text_cursor ca = { p, p->pool + sa->off, sa->nframes, 0, 0 };
	struct text_cursor cb = { p, p->pool + sb->off, sb->nframes, 0, 0 };
	int x, y;

	/* a common prefix of equal frames has equal text (and separators) */
	while (ca.i < ca.n && cb.i < cb.n && ca.ids[ca.i] == cb.ids[cb.i]) {
		ca.i++;
		cb.i++;
	}
	if (ca.i == ca.n || cb.i == cb.n) {
		/* one text is a prefix of the other: the shorter sorts first */
		if (ca.i < ca.n)
			return 1;
		if (cb.i < cb.n)
			return -1;
		return ia < ib ? -1 : ia > ib;
	}
	do {
		x = cursor_next(&ca);
		y = cursor_next(&cb);
	} while (x == y && x != -1);
	if (x != y)
		return x < y ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

int pfold_profile_sorted(const struct pfold_profile *p, size_t **order)
{
	size_t *o, i;

	if (!p->nr_stacks) {
		*order = NULL;
		return 0;
	}
	o = malloc(p->nr_stacks * sizeof(*o));
	if (!o)
		return pfold_error(PFOLD_E_NOMEM, "out of memory sorting stacks");
	for (i = 0; i < p->nr_stacks; i++)
		o[i] = i;
	qsort_r(o, p->nr_stacks, sizeof(*o), compare_stacks, (void *)p);
	*order = o;
	return 0;
}

/* ---- merge ---- */

int pfold_profile_merge(struct pfold_profile *dst, const struct pfold_profile *src)
{
	size_t *slot = NULL, i, k;
	uint32_t *fmap = NULL, *ids = NULL;
	size_t ids_alloc = 0;
	long idx;
	int ret = 0;

	if (dst == src)
		return pfold_error(PFOLD_E_INVAL, "cannot merge a profile into itself");
	if (src->nr_events) {
		slot = malloc(src->nr_events * sizeof(*slot));
		if (!slot)
			goto err_nomem;
	}
	for (i = 0; i < src->nr_events; i++) {
		ret = pfold_profile_add_event(dst, src->events[i]);
		if (ret < 0)
			goto out_free;
		slot[i] = (size_t)ret;
	}
	ret = 0;
	if (src->nr_frames) {
		fmap = malloc(src->nr_frames * sizeof(*fmap));
		if (!fmap)
			goto err_nomem;
	}
	for (i = 0; i < src->nr_frames; i++) {
		const struct frame *fr = &src->frames[i];

		ret = pfold_profile_intern(dst, fr->name, fr->len, fr->kind, &fmap[i]);
		if (ret < 0)
			goto out_free;
		if (pfold_profile_frame_origin(src, (uint32_t)i)) {
			ret = pfold_profile_set_frame_origin(dst, fmap[i],
							     pfold_profile_frame_origin(src, (uint32_t)i));
			if (ret < 0)
				goto out_free;
			ret = 0;
		}
	}
	for (i = 0; i < src->nr_stacks; i++) {
		const struct stack *st = &src->stacks[i];
		const uint64_t *c = src->counts + i * src->nr_events;

		if (PFOLD_GROW(ids, ids_alloc, (size_t)st->nframes + 1))
			goto err_nomem;
		for (k = 0; k < st->nframes; k++)
			ids[k] = fmap[src->pool[st->off + k]];
		idx = find_or_add(dst, ids, st->nframes);
		if (idx < 0) {
			ret = (int)idx;
			goto out_free;
		}
		for (k = 0; k < src->nr_events; k++)
			dst->counts[(size_t)idx * dst->nr_events + slot[k]] += c[k];
	}
	goto out_free;

err_nomem:
	ret = pfold_error(PFOLD_E_NOMEM, "out of memory merging profiles");
out_free:
	free(ids);
	free(fmap);
	free(slot);
	return ret;
}

int pfold_profile_rewrite(const struct pfold_profile *in, pfold_stack_rewrite_fn fn,
			  void *arg, struct pfold_profile *out)
{
	struct pfold_profile *tmp = NULL, *res = NULL;
	size_t i, k, n, alloc = 0, ne = pfold_profile_nr_events(in);
	struct pfold_stack st;
	uint32_t *ids = NULL;
	long idx;
	int ret, keep;

	/* FN interns new names: work on a copy of IN, collect in RES */
	ret = pfold_profile_open(&tmp);
	if (ret < 0)
		return ret;
	ret = pfold_profile_open(&res);
	if (ret < 0)
		goto out_close_tmp;
	ret = pfold_profile_merge(tmp, in);
	for (k = 0; ret >= 0 && k < ne; k++)
		ret = pfold_profile_add_event(res, pfold_profile_event_name(in, k));
	if (ret < 0)
		goto out_close_res;
	ret = 0;
	for (i = 0; i < pfold_profile_nr_stacks(tmp); i++) {
		pfold_profile_stack(tmp, i, &st);
		n = st.nframes;
		if (PFOLD_GROW(ids, alloc, n + 1)) {
			ret = -PFOLD_E_NOMEM;
			goto out_close_res;
		}
		memcpy(ids, st.frames, n * sizeof(*ids));
		keep = fn(arg, tmp, ids, &n);
		if (keep < 0) {
			ret = keep;
			goto out_close_res;
		}
		if (!keep)
			continue;
		for (k = 0; k < n; k++) {
			ret = pfold_profile_intern(res, pfold_profile_frame_name(tmp, ids[k]),
						   pfold_profile_frame_len(tmp, ids[k]),
						   pfold_profile_frame_kind(tmp, ids[k]), &ids[k]);
			if (ret < 0)
				goto out_close_res;
		}
		/* re-read: FN may have grown TMP's tables */
		pfold_profile_stack(tmp, i, &st);
		idx = pfold_profile_add(res, ids, n, st.counts);
		if (idx < 0) {
			ret = (int)idx;
			goto out_close_res;
		}
	}
	ret = pfold_profile_merge(out, res);
out_close_res:
	pfold_profile_close(res);
out_close_tmp:
	pfold_profile_close(tmp);
	free(ids);
	return ret;
}
