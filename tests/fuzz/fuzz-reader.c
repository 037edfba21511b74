// SPDX-License-Identifier: MIT
/* fuzz-reader.c: fuzz harness of the perf.data reader, each input read in file mode (memfd) and as a pipe stream. */
#include <unistd.h>

#include "error.h"
#include "fuzz.h"
#include "reader.h"

/* Small caps so that an input cannot make one run allocate or inflate much. */
static const struct pfold_reader_options fuzz_opts = {
	.max_decompressed = 16u << 20,
	.max_queue_bytes = 8u << 20,
};

static void drain(int fd, const char *name, int unordered)
{
	struct pfold_reader_options opts = fuzz_opts;
	struct pfold_reader *r;
	const struct pfold_event *ev;
	size_t i, n;

	opts.unordered = unordered;
	if (pfold_reader_open_fd(&r, fd, name, &opts) < 0)
		return;
	n = pfold_reader_nr_attrs(r);
	for (i = 0; i < n; i++)
		(void)pfold_reader_attr(r, i);
	(void)pfold_reader_header(r);
	while (pfold_reader_next(r, &ev) > 0) {
		/* touch what the reader hands out, as the session does */
		if (ev->attr)
			(void)ev->attr->name;
		if (ev->size >= 8)
			(void)((const volatile uint8_t *)ev->data)[ev->size - 1];
	}
	(void)pfold_reader_stats(r);
	pfold_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd;

	fd = fuzz_memfd("fuzz.data", data, size);
	if (fd >= 0) {
		drain(fd, "fuzz.data", 0);
		if (lseek(fd, 0, SEEK_SET) == 0)
			drain(fd, "fuzz.data", 1);
		close(fd);
	}
	fd = fuzz_pipe(data, size);
	if (fd >= 0) {
		drain(fd, "fuzz-pipe", 0);
		close(fd);
	}
	pfold_error_clear();
	return 0;
}
