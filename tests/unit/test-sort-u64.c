// SPDX-License-Identifier: MIT
/* test-sort-u64.c: the radix sort against qsort with an order tie-break, on random, sorted, reversed and tied keys. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sort-u64.h"
#include "tap.h"

struct rec {
	char tag;		/* the key is not at offset 0 */
	uint64_t key;
	uint32_t order;		/* input position: equal keys must keep it */
	char pad[3];
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static uint64_t seed = 88172645463325252ull;

static uint64_t next_random(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* sort N records whose keys MAKE gives, by both sorts: the same records in the same order */
static void check(const char *what, size_t n, uint64_t (*make)(size_t i, size_t n))
{
	struct rec *a = calloc(n + 1, sizeof(*a)), *b = calloc(n + 1, sizeof(*b));
	size_t i;

	for (i = 0; i < n; i++) {
		a[i].key = make(i, n);
		a[i].order = (uint32_t)i;
		a[i].tag = (char)('a' + i % 26);
	}
	memcpy(b, a, n * sizeof(*a));
	qsort(b, n, sizeof(*b), cmp_rec);
	is_int(pfold_sort_by_u64(a, n, sizeof(*a), offsetof(struct rec, key)), 0, "%s: sorted", what);
	ok(!memcmp(a, b, n * sizeof(*a)), "%s (%zu records): as qsort with ties in input order", what, n);
	free(a);
	free(b);
}

static uint64_t random_key(size_t i, size_t n) { (void)i; (void)n; return next_random(); }
static uint64_t few_keys(size_t i, size_t n) { (void)i; (void)n; return 0xffffffff81000000ull + next_random() % 7 * 16; }
static uint64_t ascending(size_t i, size_t n) { (void)n; return 0x400000 + i * 8; }
static uint64_t descending(size_t i, size_t n) { return 0x400000 + (n - i) * 8; }
static uint64_t one_key(size_t i, size_t n) { (void)i; (void)n; return 42; }
static uint64_t high_bytes(size_t i, size_t n) { (void)n; return (uint64_t)(next_random() % 5) << 56 | (i & 1); }

int main(void)
{
	static const size_t sizes[] = { 0, 1, 2, 5, 31, 32, 33, 1000, 100000 };
	size_t s;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		check("random keys", sizes[s], random_key);
		check("aliases: 7 keys", sizes[s], few_keys);
	}
	check("already ascending", 5000, ascending);
	check("descending", 5000, descending);
	check("one key for all", 5000, one_key);
	check("only the top byte and the bottom bit differ", 5000, high_bytes);
	return done_testing();
}
