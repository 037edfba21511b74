// SPDX-License-Identifier: MIT
/* fuzz-perfmap.c: fuzz harness of the perf map (/tmp/perf-PID.map) parser and its look-ups. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fuzz.h"
#include "perfmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfold_perfmap *m;
	char path[64];
	uint64_t addr = 0, off;
	size_t i;
	int fd;

	/*
	 * The perf map parser takes a path: a memfd, named through /proc. It
	 * starts with one valid line so that the fuzzer is not stopped over and
	 * over by the empty-table case, which has its own regression input
	 * (regressions/perfmap/empty.map: qsort(NULL, 0) in pfold_perfmap_open).
	 */
	fd = fuzz_memfd("perf-fuzz.map", (const uint8_t *)"10 10 first\n", 12);
	if (fd < 0)
		return 0;
	if (lseek(fd, 0, SEEK_END) != 12 || write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (pfold_perfmap_open(&m, path, 0) >= 0) {
		(void)pfold_perfmap_bad_lines(m);
		/* look up addresses made of the input's own bytes, and the edges */
		for (i = 0; i + 8 <= size && i < 256; i += 8) {
			memcpy(&addr, data + i, 8);
			(void)pfold_perfmap_lookup(m, addr, &off);
			(void)pfold_perfmap_lookup(m, addr & 0xffffffffu, &off);
		}
		(void)pfold_perfmap_lookup(m, 0, NULL);
		(void)pfold_perfmap_lookup(m, UINT64_MAX, &off);
		pfold_perfmap_close(m);
	}
	close(fd);
	pfold_error_clear();
	return 0;
}
