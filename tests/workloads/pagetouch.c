// SPDX-License-Identifier: MIT
/* pagetouch.c: a workload with known page faults, context switches and CPU work. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/*
 * pagetouch PAGES [SLEEPS [SPINS]]: maps PAGES fresh anonymous pages and
 * writes one byte in each (one minor page fault per page, plus the few of
 * exec and libc start-up), sleeps 100 us SLEEPS times (one voluntary context
 * switch each), then spins SPINS million loop iterations (CPU time).
 */
static volatile uint64_t sink;

int main(int argc, char **argv)
{
	long pages = argc > 1 ? atol(argv[1]) : 1000;
	long sleeps = argc > 2 ? atol(argv[2]) : 0;
	long spins = argc > 3 ? atol(argv[3]) : 0;
	long psz = sysconf(_SC_PAGESIZE), i;
	struct timespec ts = { 0, 100000 };
	uint64_t x = 1;
	char *p;

	if (pages < 0 || sleeps < 0 || spins < 0)
		return 2;
	if (pages) {
		p = mmap(NULL, (size_t)pages * (size_t)psz, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		/* no transparent huge pages: one fault per 4 KiB page */
		madvise(p, (size_t)pages * (size_t)psz, MADV_NOHUGEPAGE);
		for (i = 0; i < pages; i++)
			p[i * psz] = 1;
	}
	for (i = 0; i < sleeps; i++)
		nanosleep(&ts, NULL);
	for (i = 0; i < spins * 1000000; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
	return 0;
}
