// SPDX-License-Identifier: MIT
/* test-group-read.c: unit tests of the per-id deltas of PERF_SAMPLE_READ values (src/group-read.c). */
#include <stdint.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "group-read.h"
#include "perf-records.h"
#include "reader.h"
#include "writer.h"
#include "tap.h"

static void set_attr(struct perf_event_attr *a, uint64_t config, uint64_t read_format)
{
	memset(a, 0, sizeof(*a));
	a->type = PERF_TYPE_HARDWARE;
	a->size = sizeof(*a);
	a->config = config;
	a->sample_period = 1000;
	a->sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_READ;
	a->read_format = read_format;
	a->sample_id_all = 1;
}

/* a sample of ID with N u64s of read values V */
static void put_sample(struct pfold_buf *b, uint64_t id, const uint64_t *v, size_t n)
{
	struct pfold_record_header h = { PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, 0 };
	uint32_t pt[2] = { 7, 7 };

	h.size = (uint16_t)(8 + 8 + 8 + n * 8);
	pfold_buf_add(b, &h, 8);
	pfold_buf_add(b, &id, 8);
	pfold_buf_add(b, pt, 8);
	pfold_buf_add(b, v, n * 8);
}

int main(void)
{
	static const uint64_t s1[] = { 2, 100, 11, 5, 12 }, s2[] = { 2, 250, 11, 5, 12 },
		s3[] = { 3, 260, 11, 3, 12, 7, 99 }, s4[] = { 2, 300, 11, 9, 12 },
		s5[] = { 1000, 31 }, s6[] = { 1500, 31 }, s7[] = { 77 };
	/* per sample: the deltas wanted (cycles, cache-misses or single), -1: none */
	static const long want[7][2] = { { 100, 5 }, { 150, 0 }, { 10, 0 }, { 40, 6 },
					 { 1000, -1 }, { 500, -1 }, { -1, -1 } };
	static const char *const names[7][2] = {
		{ "cycles", "cache-misses" }, { "cycles", "cache-misses" },
		{ "cycles", "cache-misses" }, { "cycles", "cache-misses" },
		{ "single", NULL }, { "single", NULL }, { NULL, NULL } };
	char path[] = "/tmp/test-group-read-XXXXXX";
	uint64_t id11 = 11, id12 = 12, id31 = 31, id41 = 41;
	struct pfold_buf b = PFOLD_BUF_INIT;
	struct pfold_group_read *g = NULL;
	struct pfold_reader *r = NULL;
	const struct pfold_event *ev;
	struct perf_event_attr a;
	struct pfold_writer *w;
	int fd, k = 0, i;

	fd = mkstemp(path);
	if (fd < 0)
		return 99;
	close(fd);
	if (pfold_writer_open(&w, path, NULL))
		return 99;
	set_attr(&a, PERF_COUNT_HW_CPU_CYCLES, PERF_FORMAT_GROUP | PERF_FORMAT_ID);
	is_int(pfold_writer_add_attr(w, &a, &id11, 1, "cycles"), 0, "leader");
	set_attr(&a, PERF_COUNT_HW_CACHE_MISSES, PERF_FORMAT_GROUP | PERF_FORMAT_ID);
	a.sample_period = 0;
	is_int(pfold_writer_add_attr(w, &a, &id12, 1, "cache-misses"), 1, "member");
	set_attr(&a, PERF_COUNT_HW_INSTRUCTIONS, PERF_FORMAT_ID);
	is_int(pfold_writer_add_attr(w, &a, &id31, 1, "single"), 2, "single read with id");
	set_attr(&a, PERF_COUNT_HW_BRANCH_MISSES, 0);
	is_int(pfold_writer_add_attr(w, &a, &id41, 1, "noid"), 3, "single read, no id");
	put_sample(&b, 11, s1, 5);
	put_sample(&b, 11, s2, 5);
	put_sample(&b, 11, s3, 7);	/* cache-misses goes down; id 99 is no event */
	put_sample(&b, 12, s4, 5);	/* the member's own sample: the same table */
	put_sample(&b, 31, s5, 2);
	put_sample(&b, 31, s6, 2);
	put_sample(&b, 41, s7, 1);	/* no PERF_FORMAT_ID: an ordinary sample */
	if (pfold_writer_write(w, b.data, b.len) || pfold_writer_close(w))
		return 99;

	is_int(pfold_group_read_open(&g), 0, "open the table");
	is_int(pfold_reader_open(&r, path, NULL), 0, "read the file back");
	while (g && r && pfold_reader_next(r, &ev) > 0) {
		const struct pfold_group_delta *d;
		int n, nwant = 0;

		if (ev->type != PERF_RECORD_SAMPLE || k >= 7)
			continue;
		n = pfold_group_read_deltas(g, r, ev, &d);
		for (i = 0; i < 2; i++)
			nwant += want[k][i] >= 0;
		is_int(n, nwant, "sample %d: %d deltas", k + 1, nwant);
		for (i = 0; i < n && i < 2; i++) {
			is_str(d[i].attr->name, names[k][i], "sample %d value %d: its event", k + 1, i);
			is_int(d[i].delta, want[k][i], "sample %d: %s delta", k + 1, names[k][i]);
		}
		k++;
	}
	is_int(k, 7, "seven samples");
	is_int(pfold_group_read_unknown(g), 1, "one value of an unknown id");
	pfold_reader_close(r);
	pfold_group_read_close(g);
	pfold_group_read_close(NULL);
	pfold_buf_release(&b);
	unlink(path);
	return done_testing();
}
