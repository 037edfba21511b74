// SPDX-License-Identifier: MIT
/* fuzz-util.c: memfd and pipe helpers for the fuzz harnesses (see fuzz.h). */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

static int write_all(int fd, const uint8_t *data, size_t size)
{
	while (size) {
		ssize_t n = write(fd, data, size);

		if (n <= 0)
			return -1;
		data += n;
		size -= (size_t)n;
	}
	return 0;
}

int fuzz_memfd(const char *name, const uint8_t *data, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write_all(fd, data, size) || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int fuzz_pipe(const uint8_t *data, size_t size)
{
	int p[2];
	long cap;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	cap = fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
	if (cap < 0)
		cap = fcntl(p[1], F_GETPIPE_SZ);
	if (cap < 0)
		cap = 65536;
	if (size > (size_t)cap)
		size = (size_t)cap;
	if (write_all(p[1], data, size)) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	return p[0];
}
