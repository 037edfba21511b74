// SPDX-License-Identifier: MIT
/* test-map-guard.c: a mapped file truncated under pfold ends the process with one line and exit 2, for a bare mapping and through the reader. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "map-guard.h"
#include "perf-records.h"
#include "reader.h"
#include "writer.h"
#include "tap.h"

#define BIG ((size_t)2 << 20)

static char dir[64];

/* run FN in a child with stderr to a pipe: its exit status in *STATUS, its stderr in ERR */
static void in_child(void (*fn)(const char *arg), const char *arg, int *status, char *err, size_t len)
{
	int p[2];
	size_t n = 0;
	ssize_t got;
	pid_t pid;

	*status = -1;
	err[0] = '\0';
	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		fn(arg);
		_exit(0);	/* the read did not fault: the test fails on status 0 */
	}
	close(p[1]);
	while (n + 1 < len && (got = read(p[0], err + n, len - 1 - n)) > 0)
		n += (size_t)got;
	err[n] = '\0';
	close(p[0]);
	waitpid(pid, status, 0);
}

/* a file of BIG bytes, mapped, then cut to one page; read a byte at 1 MB */
static void read_after_truncate(const char *how)
{
	char path[128];
	volatile const char *m;
	int fd;

	pfold_map_guard_install();
	snprintf(path, sizeof(path), "%s/cut.bin", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)BIG))
		_exit(9);
	m = mmap(NULL, BIG, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		_exit(9);
	if (strcmp(how, "unnamed"))
		pfold_map_guard_add((const void *)m, BIG, "cut.bin");
	if (!strcmp(how, "removed"))
		pfold_map_guard_remove((const void *)m);
	if (ftruncate(fd, 4096))
		_exit(9);
	(void)m[1 << 20];
}

/* a perf.data of some 3 MB through the reader, cut to 8 KB after its first record */
static void reader_after_truncate(const char *path)
{
	struct pfold_writer *w = NULL;
	struct pfold_reader *r = NULL;
	const struct pfold_event *ev;
	struct perf_event_attr a;
	uint8_t rec[32];
	uint64_t ip = 0x401000, id = 0;
	struct pfold_record_header h = { PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, 32 };
	uint32_t pt[2] = { 7, 8 };
	int i, ret;

	pfold_map_guard_install();
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.sample_period = 4000;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID;
	if (pfold_writer_open(&w, path, NULL) || pfold_writer_add_attr(w, &a, NULL, 0, "cpu-clock") < 0)
		_exit(9);
	memcpy(rec, &h, 8);
	memcpy(rec + 16, pt, 8);
	memcpy(rec + 24, &id, 8);
	for (i = 0; i < 100000; i++) {
		memcpy(rec + 8, &ip, 8);
		if (pfold_writer_write(w, rec, 24) || pfold_writer_write(w, rec + 24, 8))
			_exit(9);
	}
	if (pfold_writer_close(w))
		_exit(9);
	if (pfold_reader_open(&r, path, NULL) || pfold_reader_next(r, &ev) <= 0)
		_exit(9);
	if (truncate(path, 8192))
		_exit(9);
	while ((ret = pfold_reader_next(r, &ev)) > 0)
		;
	_exit(ret < 0 ? 3 : 0);	/* an error return would also be a clean end, but not this test's */
}

int main(void)
{
	char err[1024], path[128], want[256];
	int status;

	snprintf(dir, sizeof(dir), "map-guard-%d", (int)getpid());
	mkdir(dir, 0700);

	in_child(read_after_truncate, "named", &status, err, sizeof(err));
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2, "a read past the new end: exit 2 (status %#x)", status);
	is_str(err, "pfold: cut.bin: the file shrank while being read (no data at offset 1048576)\n",
	       "one line naming the file and the offset");

	in_child(read_after_truncate, "unnamed", &status, err, sizeof(err));
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2, "an unregistered mapping: exit 2 too");
	ok(!strncmp(err, "pfold: a mapped file shrank while being read (bus error at 0x", 61) &&
	   strchr(err, '\n') == err + strlen(err) - 1, "one line with the address (%.*s)",
	   (int)strcspn(err, "\n"), err);

	in_child(read_after_truncate, "removed", &status, err, sizeof(err));
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2 && strstr(err, "bus error at 0x"),
	   "a removed mapping is no longer named");

	snprintf(path, sizeof(path), "%s/cut.data", dir);
	in_child(reader_after_truncate, path, &status, err, sizeof(err));
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2, "the reader, its file cut to 8 KB: exit 2 (status %#x)",
	   status);
	snprintf(want, sizeof(want), "pfold: %s: the file shrank while being read (no data at offset ", path);
	ok(!strncmp(err, want, strlen(want)), "its message names the perf.data file (%.*s)",
	   (int)strcspn(err, "\n"), err);

	unlink(path);
	snprintf(path, sizeof(path), "%s/cut.bin", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
