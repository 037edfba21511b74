// SPDX-License-Identifier: MIT
/* regress.c: a workload for regression tests: main -> hot (HOT units of its own work) | cold (1 unit). */
#include <stdint.h>
#include <stdlib.h>

/*
 * Unlike hotcold, hot() and cold() burn their loops themselves, so the
 * self cost of each is its own: `regress ROUNDS 1` is the fast variant,
 * `regress ROUNDS 3` (the default) costs twice as much and the extra cost
 * is all in hot(). publish() keeps hot() and cold() from being leaf
 * functions, so they keep a frame and fp callchains show main;hot.
 */
static volatile uint64_t sink;

__attribute__((noinline)) void publish(uint64_t x)
{
	sink = x;
}

static inline __attribute__((always_inline)) uint64_t spin(uint64_t x, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

__attribute__((noinline)) void hot(uint64_t units)
{
	publish(spin(sink, units * 100000));
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void cold(uint64_t units)
{
	publish(spin(sink, units * 100000));
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 400;
	long hot_units = argc > 2 ? atol(argv[2]) : 3;
	long r;

	for (r = 0; r < rounds; r++) {
		hot((uint64_t)hot_units);
		cold(1);
	}
	return 0;
}
