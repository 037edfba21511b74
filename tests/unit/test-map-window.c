// SPDX-License-Identifier: MIT
/* test-map-window.c: the map window maps pages in ahead of the reader and gives them back behind it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "map-window.h"
#include "tap.h"

#define MB ((uint64_t)1 << 20)
#define FILE_SIZE (48 * MB)

/* resident kB of the mapping that starts at MAP, from /proc/self/smaps; -1 if not found */
static long resident_kb(const void *map)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0;
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == (unsigned long)(uintptr_t)map;
			continue;
		}
		if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* the reader's own reads of [from, to) */
static unsigned read_range(const uint8_t *map, uint64_t from, uint64_t to)
{
	volatile const uint8_t *m = map;
	unsigned sum = 0;

	for (; from < to; from += 4096)
		sum += m[from];
	return sum;
}

static int near_mb(long kb, uint64_t want)
{
	long want_kb = (long)(want / 1024);

	return kb >= want_kb - 1024 && kb <= want_kb + 1024;
}

int main(void)
{
	char path[] = "/tmp/pfold-map-window.XXXXXX";
	int fd = mkstemp(path);
	struct pfold_map_window *w;
	uint8_t *map, *chunk;
	uint64_t off;
	long kb;

	if (fd < 0)
		return fprintf(stderr, "mkstemp failed\n"), 1;
	unlink(path);
	chunk = malloc(MB);
	if (!chunk)
		return fprintf(stderr, "out of memory\n"), 1;
	for (off = 0; off < FILE_SIZE; off += MB) {
		memset(chunk, (int)(off / MB) + 1, MB);
		if (write(fd, chunk, MB) != (ssize_t)MB)
			return fprintf(stderr, "cannot write the test file\n"), 1;
	}
	free(chunk);
	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return fprintf(stderr, "mmap failed\n"), 1;
	madvise(map, FILE_SIZE, MADV_SEQUENTIAL);

	w = pfold_map_window_start(map, FILE_SIZE, 0);
	ok(w != NULL, "a window over a 48 MB mapping");
	pfold_map_window_settle(w);
	kb = resident_kb(map);
	ok(near_mb(kb, 16 * MB), "before the reader moves, the first 16 MB are mapped (%ld kB)", kb);

	pfold_map_window_advance(w, 24 * MB, 16 * MB);
	pfold_map_window_settle(w);
	kb = resident_kb(map);
	ok(near_mb(kb, 16 * MB), "the reader at 24 MB: the 16 MB ahead of it are mapped (%ld kB)", kb);

	read_range(map, 16 * MB, 32 * MB);	/* the reader's own reads, from what it still keeps */
	pfold_map_window_advance(w, 32 * MB, 28 * MB);
	pfold_map_window_settle(w);
	kb = resident_kb(map);
	ok(near_mb(kb, 20 * MB), "at 32 MB, keeping from 28 MB: only [28 MB, 48 MB) stays (%ld kB)", kb);

	pfold_map_window_advance(w, 0, 0);
	pfold_map_window_settle(w);
	kb = resident_kb(map);
	ok(near_mb(kb, 20 * MB), "a position behind an earlier one is ignored (%ld kB)", kb);

	ok(pfold_map_window_due(w, 33 * MB) && !pfold_map_window_due(w, 32 * MB + MB / 2) &&
	   !pfold_map_window_due(w, 0), "the reader reports every 1 MB forward");
	ok(map[40 * MB] == 41 && map[0] == 1, "the pages read back the file's bytes");
	pfold_map_window_stop(w);

	/* a helper starved of CPU: the reader's memory still does not follow the file */
	madvise(map, FILE_SIZE, MADV_DONTNEED);
	w = pfold_map_window_start(map, FILE_SIZE, 0);
	pfold_map_window_pause(w, 1);
	for (off = 0; off < FILE_SIZE; off += MB) {
		read_range(map, off, off + MB);
		pfold_map_window_advance(w, off + MB, off);
	}
	kb = resident_kb(map);
	ok(kb >= 0 && kb <= (long)(34 * MB / 1024),
	   "helper held, the reader through 48 MB: at most 34 MB stay mapped (%ld kB)", kb);
	pfold_map_window_pause(w, 0);
	pfold_map_window_settle(w);
	kb = resident_kb(map);
	ok(kb >= 0 && kb <= (long)(2 * MB / 1024), "let go, the helper gives back the rest (%ld kB)", kb);

	pfold_map_window_stop(w);
	munmap(map, FILE_SIZE);
	close(fd);
	return done_testing();
}
