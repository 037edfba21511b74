// SPDX-License-Identifier: MIT
/* sort-u64.c: a stable LSD radix sort of records by a 64-bit key, 8 bits a pass. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "sort-u64.h"

struct keyed {
	uint64_t key;
	size_t index;
};

#define SMALL 32	/* below this, insertion sort */

static uint64_t key_of(const unsigned char *base, size_t i, size_t size, size_t offset)
{
	uint64_t k;

	memcpy(&k, base + i * size + offset, sizeof(k));
	return k;
}

/* stable insertion sort of (key, index) pairs */
static void insertion(struct keyed *v, size_t nr)
{
	size_t i, j;

	for (i = 1; i < nr; i++) {
		struct keyed x = v[i];

		for (j = i; j > 0 && v[j - 1].key > x.key; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* sort V (NR pairs) with TMP (NR more) as room: the sorted pairs (V or TMP), or NULL */
static struct keyed *radix(struct keyed *v, struct keyed *tmp, size_t nr)
{
	static const unsigned passes = 8;
	size_t (*count)[256] = calloc(passes, sizeof(*count));
	struct keyed *from = v, *to = tmp, *t;
	unsigned p;
	size_t i;

	if (!count)
		return NULL;
	for (i = 0; i < nr; i++)
		for (p = 0; p < passes; p++)
			count[p][(v[i].key >> (8 * p)) & 0xff]++;
	for (p = 0; p < passes; p++) {
		size_t sum = 0, b, c;

		if (count[p][(v[0].key >> (8 * p)) & 0xff] == nr)
			continue;	/* every key has this byte: nothing moves */
		for (b = 0; b < 256; b++) {
			c = count[p][b];
			count[p][b] = sum;
			sum += c;
		}
		for (i = 0; i < nr; i++)
			to[count[p][(from[i].key >> (8 * p)) & 0xff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	free(count);
	return from;
}

int pfold_sort_by_u64(void *base, size_t nr, size_t size, size_t offset)
{
	unsigned char *b = base, *records = NULL;
	struct keyed *v, *sorted;
	int in_order = 1, ret = -PFOLD_E_NOMEM;
	size_t i;

	if (nr < 2)
		return 0;
	if (nr > SIZE_MAX / 2 / sizeof(*v) || nr > SIZE_MAX / size)
		return -PFOLD_E_NOMEM;
	v = malloc(2 * nr * sizeof(*v));
	if (!v)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < nr; i++) {
		v[i].key = key_of(b, i, size, offset);
		v[i].index = i;
		if (i && v[i].key < v[i - 1].key)
			in_order = 0;
	}
	ret = 0;
	if (in_order)
		goto out;
	ret = -PFOLD_E_NOMEM;
	if (nr < SMALL)
		insertion(sorted = v, nr);
	else if (!(sorted = radix(v, v + nr, nr)))
		goto out;
	records = malloc(nr * size);
	if (!records)
		goto out;
	for (i = 0; i < nr; i++)
		memcpy(records + i * size, b + sorted[i].index * size, size);
	memcpy(b, records, nr * size);
	ret = 0;
out:
	free(v);
	free(records);
	return ret;
}
