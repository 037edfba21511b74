// SPDX-License-Identifier: MIT
/* hotcold.c: a known-shape workload: main -> hot (3 units) | cold (1 unit) -> leaf. */
#include <stdint.h>
#include <stdlib.h>

/*
 * leaf() burns a fixed number of loop iterations per call; hot() calls it
 * three times as often as cold(), so a profile must split hot:cold 3:1.
 * noinline + the volatile sink keep the call shape at any optimisation level.
 */
static volatile uint64_t sink;

/* publish() keeps leaf() from being a leaf function: gcc sets up no frame
 * pointer in leaf functions, and an fp callchain would then skip hot/cold. */
__attribute__((noinline)) void publish(uint64_t x)
{
	sink = x;
}

__attribute__((noinline)) void leaf(uint64_t n)
{
	uint64_t x = sink, i;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	publish(x);
	__asm__ volatile("" ::: "memory");	/* no tail call either */
}

__attribute__((noinline)) void hot(uint64_t n)
{
	leaf(3 * n);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void cold(uint64_t n)
{
	leaf(n);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	/* default: about 0.4 s of CPU on a 2020s x86-64 core */
	long rounds = argc > 1 ? atol(argv[1]) : 800;
	long r;

	for (r = 0; r < rounds; r++) {
		hot(100000);
		cold(100000);
	}
	return 0;
}
