// SPDX-License-Identifier: MIT
/* group-read.c: counter deltas of PERF_SAMPLE_READ values (group or single), per sample id, as perf delivers them. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "group-read.h"

/* previous value of one sample id; open addressing, id 0 is a valid id */
struct prev {
	uint64_t id;
	uint64_t value;
	int used;
};

struct pfold_group_read {
	struct prev *tab;
	size_t nr, mask;
	struct pfold_group_delta *deltas;
	size_t alloc_deltas;
	uint64_t unknown;
};

int pfold_group_read_open(struct pfold_group_read **out)
{
	struct pfold_group_read *g = calloc(1, sizeof(*g));

	if (!g)
		return -PFOLD_E_NOMEM;
	*out = g;
	return 0;
}

void pfold_group_read_close(struct pfold_group_read *g)
{
	if (!g)
		return;
	free(g->tab);
	free(g->deltas);
	free(g);
}

uint64_t pfold_group_read_unknown(const struct pfold_group_read *g)
{
	return g ? g->unknown : 0;
}

static size_t hash_id(uint64_t id)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return (size_t)id;
}

static int tab_grow(struct pfold_group_read *g)
{
	size_t n = g->tab ? (g->mask + 1) * 2 : 64, i, j;
	struct prev *t = calloc(n, sizeof(*t));

	if (!t)
		return -PFOLD_E_NOMEM;
	for (i = 0; g->tab && i <= g->mask; i++) {
		if (!g->tab[i].used)
			continue;
		for (j = hash_id(g->tab[i].id) & (n - 1); t[j].used; j = (j + 1) & (n - 1))
			;
		t[j] = g->tab[i];
	}
	free(g->tab);
	g->tab = t;
	g->mask = n - 1;
	return 0;
}

/* the previous-value slot of ID, created (value 0) on first use */
static struct prev *prev_of(struct pfold_group_read *g, uint64_t id)
{
	size_t j;

	if ((!g->tab || (g->nr + 1) * 4 > (g->mask + 1) * 3) && tab_grow(g))
		return NULL;
	for (j = hash_id(id) & g->mask; g->tab[j].used; j = (j + 1) & g->mask)
		if (g->tab[j].id == id)
			return &g->tab[j];
	g->tab[j].used = 1;
	g->tab[j].id = id;
	g->tab[j].value = 0;
	g->nr++;
	return &g->tab[j];
}

int pfold_group_read_deltas(struct pfold_group_read *g, const struct pfold_reader *r,
			    const struct pfold_event *ev, const struct pfold_group_delta **out)
{
	const struct pfold_sample *s = &ev->sample;
	size_t n = 0;
	uint64_t i;

	*out = NULL;
	if (!ev->attr || !(s->type & PERF_SAMPLE_READ) ||
	    !(ev->attr->attr.read_format & PERF_FORMAT_ID) || !s->read.nr || !s->read.values)
		return 0;
	/* the reader bounded nr by the record's size */
	if (PFOLD_GROW(g->deltas, g->alloc_deltas, s->read.nr))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < s->read.nr; i++) {
		const struct pfold_read_value *v = &s->read.values[i];
		const struct pfold_attr *a = pfold_reader_attr_by_id(r, v->id);
		struct prev *p;

		if (!a) {
			g->unknown++;
			continue;
		}
		p = prev_of(g, v->id);
		if (!p)
			return -PFOLD_E_NOMEM;
		g->deltas[n].attr = a;
		g->deltas[n].delta = v->value >= p->value ? v->value - p->value : 0;
		p->value = v->value;
		n++;
	}
	*out = g->deltas;
	return (int)n;
}
