// SPDX-License-Identifier: MIT
/* allocs.c: a known-shape workload: main -> alloc_touch (fresh pages: page faults) | compute (CPU only). */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * alloc_touch() maps fresh anonymous memory and writes one byte per page, so
 * every page costs a page fault in alloc_touch itself (no libc call between:
 * the loop is here), then unmaps it so the next round faults again.
 * compute() touches no new memory. A profile of page-faults must put nearly
 * all of them in alloc_touch; a profile of cpu-clock sees both.
 */
static volatile uint64_t sink;

__attribute__((noinline)) void alloc_touch(size_t bytes)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p;
	size_t i;

	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort();
	for (i = 0; i < bytes; i += (size_t)page)
		p[i] = (char)i;
	munmap((void *)p, bytes);
}

__attribute__((noinline)) void compute(uint64_t n)
{
	uint64_t x = sink, i;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 40;
	long r;

	for (r = 0; r < rounds; r++) {
		alloc_touch(8 << 20);	/* 2048 pages of 4 KiB */
		compute(2000000);
	}
	return 0;
}
