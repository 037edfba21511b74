// SPDX-License-Identifier: MIT
/* test-reader.c: unit tests of sample decoding, attr byte swapping, the order queue and feature round trips. */
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "ordered.h"
#include "perf-file.h"
#include "reader.h"
#include "sample.h"
#include "tap.h"

static void put64(uint8_t *p, size_t *pos, uint64_t v, int swap)
{
	if (swap)
		v = __builtin_bswap64(v);
	memcpy(p + *pos, &v, 8);
	*pos += 8;
}

static void put32x2(uint8_t *p, size_t *pos, uint32_t a, uint32_t b, int swap)
{
	if (swap) {
		a = __builtin_bswap32(a);
		b = __builtin_bswap32(b);
	}
	memcpy(p + *pos, &a, 4);
	memcpy(p + *pos + 4, &b, 4);
	*pos += 8;
}

/* a sample with every fixed field, a group read, a callchain and a branch stack */
static void test_sample(int swap)
{
	uint64_t buf[64];
	uint8_t *p = (uint8_t *)buf;
	size_t pos = 0;
	struct perf_event_attr attr;
	struct pfold_sample_layout l;
	struct pfold_sample s;
	struct pfold_read_value *rv = NULL;
	size_t rv_alloc = 0;
	const char *tag = swap ? "swapped" : "host";

	memset(&attr, 0, sizeof(attr));
	attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			   PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD |
			   PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_BRANCH_STACK |
			   PERF_SAMPLE_WEIGHT_STRUCT | PERF_SAMPLE_DATA_SRC;
	attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PFOLD_FORMAT_LOST;
	attr.branch_sample_type = PFOLD_BRANCH_HW_INDEX;
	pfold_sample_layout_init(&l, &attr);
	is_int(l.id_pos, 0, "IDENTIFIER puts the id first");
	is_int(l.is_pos, 1, "and last in a trailer");

	put64(p, &pos, 77, swap);			/* identifier */
	put64(p, &pos, 0x401000, swap);			/* ip */
	put32x2(p, &pos, 10, 11, swap);			/* pid, tid */
	put64(p, &pos, 123456789, swap);		/* time */
	put32x2(p, &pos, 3, 0, swap);			/* cpu */
	put64(p, &pos, 1000, swap);			/* period */
	put64(p, &pos, 2, swap);			/* read: nr */
	put64(p, &pos, 5555, swap);			/* time_enabled */
	put64(p, &pos, 100, swap);			/* value, id, lost */
	put64(p, &pos, 77, swap);
	put64(p, &pos, 1, swap);
	put64(p, &pos, 200, swap);
	put64(p, &pos, 78, swap);
	put64(p, &pos, 0, swap);
	put64(p, &pos, 3, swap);			/* callchain */
	put64(p, &pos, (uint64_t)PERF_CONTEXT_USER, swap);
	put64(p, &pos, 0x401000, swap);
	put64(p, &pos, 0x400800, swap);
	put64(p, &pos, 1, swap);			/* branch nr */
	put64(p, &pos, 9, swap);			/* hw_idx */
	put64(p, &pos, 0x401010, swap);
	put64(p, &pos, 0x401020, swap);
	/* mispred, cycles 7: a big-endian host puts the first bitfield on top
	 * (perf's evsel__bitfield_swap_branch_flags moves each field back) */
	put64(p, &pos, swap ? 1ULL << 63 | 7ULL << 44 | 0xaULL << 40 : 1 | 7 << 4 | 0xa << 20, swap);
	put64(p, &pos, 0x0003000200000010ULL, swap);	/* weight struct */
	put64(p, &pos, 0x42, swap);			/* data_src */

	is_int(pfold_sample_parse(&s, &l, p, pos, swap, &rv, &rv_alloc), 0, "%s: sample parses", tag);
	is_int(s.id, 77, "%s: id", tag);
	is_int(s.ip, 0x401000, "%s: ip", tag);
	ok(s.pid == 10 && s.tid == 11, "%s: pid/tid", tag);
	is_int(s.time, 123456789, "%s: time", tag);
	is_int(s.cpu, 3, "%s: cpu", tag);
	is_int(s.period, 1000, "%s: period", tag);
	ok(s.read.group && s.read.nr == 2 && s.read.time_enabled == 5555, "%s: group read header", tag);
	ok(s.read.values[0].value == 100 && s.read.values[0].id == 77 && s.read.values[0].lost == 1 &&
	   s.read.values[1].value == 200 && s.read.values[1].id == 78, "%s: group read values", tag);
	ok(s.callchain_nr == 3 && s.callchain[0] == (uint64_t)PERF_CONTEXT_USER && s.callchain[2] == 0x400800,
	   "%s: callchain with its context marker", tag);
	ok(s.branch_nr == 1 && s.branch_has_hw_idx && s.branch_hw_idx == 9 &&
	   s.branches[0].from == 0x401010 && PFOLD_BRANCH_MISPRED(s.branches[0].flags) &&
	   PFOLD_BRANCH_CYCLES(s.branches[0].flags) == 7 && !PFOLD_BRANCH_PREDICTED(s.branches[0].flags) &&
	   PFOLD_BRANCH_TYPE(s.branches[0].flags) == 0xa, "%s: branch stack with hw_idx", tag);
	ok(s.weight_var1 == 0x10 && s.weight_var2 == 2 && s.weight_var3 == 3, "%s: weight struct", tag);
	is_int(s.data_src, 0x42, "%s: data_src", tag);
	is_int(pfold_sample_parse(&s, &l, p, pos - 16, 0, &rv, &rv_alloc), -PFOLD_E_BAD_SAMPLE,
	       "%s: a short sample is refused", tag);
	free(rv);
}

static void test_attr_swap(void)
{
	struct perf_event_attr a, b;
	uint8_t raw[128];
	size_t i;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = 112;
	a.sample_type = 0x1234;
	a.disabled = 1;
	a.sample_id_all = 1;
	a.precise_ip = 2;
	a.sample_stack_user = 8192;
	memcpy(raw, &a, 112);
	/* the big-endian image: fields swapped, bitfield bits reversed per byte */
	for (i = 0; i < 112; i++)
		raw[i] = 0;
	{
		uint32_t t = __builtin_bswap32(a.type), sz = __builtin_bswap32(112);
		uint64_t st = __builtin_bswap64(0x1234);
		uint32_t stack = __builtin_bswap32(8192);
		uint64_t bits = 0;

		memcpy(raw, &t, 4);
		memcpy(raw + 4, &sz, 4);
		memcpy(raw + 24, &st, 8);
		/* disabled = bit 0, precise_ip = bits 15-16 (value 2: bit 16), sample_id_all = bit 18,
		 * numbered from the most significant bit of byte 0 on big-endian */
		((uint8_t *)&bits)[0] = 0x80;			/* bit 0 */
		((uint8_t *)&bits)[2] = 0x80 >> 0 | 0x80 >> 2;	/* bits 16 and 18 */
		memcpy(raw + 40, &bits, 8);
		memcpy(raw + 88, &stack, 4);
	}
	pfold_attr_from_file(&b, raw, 112, 1);
	ok(b.type == PERF_TYPE_SOFTWARE && b.size == 112 && b.sample_type == 0x1234,
	   "swapped attr: plain fields");
	ok(b.disabled && b.sample_id_all && b.precise_ip == 2 && !b.inherit, "swapped attr: bitfields");
	is_int(b.sample_stack_user, 8192, "swapped attr: sample_stack_user");
	memcpy(raw, &a, 64);
	pfold_attr_from_file(&b, raw, 64, 0);
	ok(b.size == 64 && b.sample_stack_user == 0 && b.sample_type == 0x1234,
	   "a VER0 attr is zero-filled past its size");
}

static void test_ordered(void)
{
	struct pfold_ordered o;
	struct pfold_oe_entry *e;
	static const uint64_t round1[] = { 50, 10, 30, 20, 40 };
	static const uint64_t round2[] = { 45, 60, 25, 70 };
	uint64_t got[16];
	int n = 0, ok_order = 1;
	size_t i;
	char rec[16] = "0123456789abcde";

	pfold_ordered_init(&o, 0);
	for (i = 0; i < 5; i++)
		pfold_ordered_queue(&o, round1[i], i, rec, 16, 0, 1);
	pfold_ordered_flush(&o, PFOLD_OE_ROUND);
	ok(!pfold_ordered_ready(&o), "the first round flushes nothing (previous max is 0)");
	for (i = 0; i < 4; i++)
		pfold_ordered_queue(&o, round2[i], 10 + i, rec, 16, 0, 1);
	pfold_ordered_flush(&o, PFOLD_OE_ROUND);
	while (pfold_ordered_pop(&o, &e))
		got[n++] = e->time;
	is_int(n, 7, "the second round flushes up to the first round's max (50)");
	for (i = 1; i < (size_t)n; i++)
		ok_order &= got[i - 1] <= got[i];
	ok(ok_order && got[0] == 10 && got[n - 1] == 50, "in time order");
	pfold_ordered_flush(&o, PFOLD_OE_FINAL);
	n = 0;
	while (pfold_ordered_pop(&o, &e)) {
		got[n++] = e->time;
		ok_order &= !memcmp(e->data, rec, 16);
	}
	ok(n == 2 && got[0] == 60 && got[1] == 70 && ok_order, "the final flush gives the rest, copies intact");
	pfold_ordered_release(&o);

	/* a tiny budget forces half flushes: nothing is lost, each batch sorted */
	pfold_ordered_init(&o, 4096);
	n = 0;
	ok_order = 1;
	for (i = 0; i < 1000; i++) {
		uint64_t last = 0;

		pfold_ordered_queue(&o, 1 + (i * 7919) % 1000, i, rec, 16, 0, 1);
		while (pfold_ordered_pop(&o, &e)) {
			ok_order &= e->time >= last;
			last = e->time;
			n++;
		}
	}
	pfold_ordered_flush(&o, PFOLD_OE_FINAL);
	while (pfold_ordered_pop(&o, &e))
		n++;
	is_int(n, 1000, "half flushes under a small budget lose nothing");
	ok(ok_order, "each half flush is in time order");
	pfold_ordered_release(&o);
}

static void test_features(void)
{
	struct pfold_header_info in, out;
	struct pfold_buf b = PFOLD_BUF_INIT;
	char *cmd[] = { "perf", "record", "-g" };
	struct pfold_event_desc d;
	uint64_t ids[] = { 5, 6 };
	struct pfold_build_id bid;
	unsigned feat;
	int all = 1;

	pfold_header_info_init(&in);
	in.hostname = "host";
	in.osrelease = "6.1";
	in.arch = "x86_64";
	in.nr_cpus_avail = 4;
	in.nr_cpus_online = 2;
	in.total_mem = 1024;
	in.cmdline = cmd;
	in.nr_cmdline = 3;
	memset(&d, 0, sizeof(d));
	d.attr.type = 1;
	d.attr.sample_type = 7;
	d.name = "cpu-clock";
	d.ids = ids;
	d.nr_ids = 2;
	in.event_desc = &d;
	in.nr_event_desc = 1;
	memset(&bid, 0, sizeof(bid));
	bid.pid = -1;
	bid.size = 20;
	memset(bid.id, 0xab, 20);
	bid.filename = "/bin/true";
	in.build_ids = &bid;
	in.nr_build_ids = 1;
	pfold_header_set(&in, HEADER_COMPRESSED);
	in.comp.type = 1;
	in.comp.level = 3;

	pfold_header_info_init(&out);
	for (feat = 1; feat < HEADER_LAST_FEATURE; feat++) {
		int w;

		pfold_buf_reset(&b);
		w = pfold_feature_write(&b, feat, &in);
		if (w < 0)
			all = 0;
		if (w == 1 && pfold_feature_read(&out, feat, b.data, b.len, 0, "mem", 0))
			all = 0;
	}
	ok(all, "every written feature reads back");
	is_str(out.hostname, "host", "hostname");
	is_str(out.arch, "x86_64", "arch");
	ok(out.nr_cpus_avail == 4 && out.nr_cpus_online == 2, "nrcpus");
	ok(out.nr_cmdline == 3 && !strcmp(out.cmdline[2], "-g"), "cmdline");
	ok(out.nr_event_desc == 1 && !strcmp(out.event_desc[0].name, "cpu-clock") &&
	   out.event_desc[0].nr_ids == 2 && out.event_desc[0].ids[1] == 6 &&
	   out.event_desc[0].attr.sample_type == 7, "event_desc");
	ok(out.nr_build_ids == 1 && out.build_ids[0].pid == -1 && out.build_ids[0].id[19] == 0xab &&
	   !strcmp(out.build_ids[0].filename, "/bin/true"), "build_id");
	ok(out.comp.type == 1 && out.comp.level == 3, "compressed");
	ok(!pfold_header_has(&out, HEADER_CPUDESC), "absent features stay absent");
	is_int(pfold_feature_read(&out, HEADER_HOSTNAME, "\100\0\0\0ab", 6, 0, "mem", 0),
	       -PFOLD_E_BAD_FEATURE, "a string longer than its section is refused");
	pfold_header_info_release(&out);
	pfold_buf_release(&b);
}

static void test_names(void)
{
	struct pfold_header_info info;
	struct pfold_tracepoint tp = { 316, "sched:sched_switch" };
	struct perf_event_attr a;
	char buf[64];

	pfold_header_info_init(&info);
	info.tracepoints = &tp;
	info.nr_tracepoints = 1;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	is_str(pfold_attr_default_name(buf, sizeof(buf), &a, NULL), "cycles", "hardware name");
	a.exclude_kernel = 1;
	is_str(pfold_attr_default_name(buf, sizeof(buf), &a, NULL), "cycles:uh", "modifiers as perf adds them");
	a.exclude_kernel = 0;
	a.type = PERF_TYPE_SOFTWARE;
	is_str(pfold_attr_default_name(buf, sizeof(buf), &a, NULL), "cpu-clock", "software name");
	a.type = PERF_TYPE_HW_CACHE;
	a.config = 0 | (0 << 8) | (1 << 16);
	is_str(pfold_attr_default_name(buf, sizeof(buf), &a, NULL), "L1-dcache-load-misses", "cache name");
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = 316;
	is_str(pfold_attr_default_name(buf, sizeof(buf), &a, &info), "sched:sched_switch", "tracepoint from TRACING_DATA");
	a.config = 317;
	is_str(pfold_attr_default_name(buf, sizeof(buf), &a, &info), "raw 0x13d", "unknown tracepoint");
	a.type = PERF_TYPE_RAW;
	a.config = 0x1234;
	is_str(pfold_attr_default_name(buf, sizeof(buf), &a, NULL), "raw 0x1234", "raw event");
	is_str(pfold_record_name(PERF_RECORD_COMPRESSED2), "COMPRESSED2", "record names");
	is_str(pfold_record_name(99), "UNKNOWN", "unknown record type");
}

int main(void)
{
	test_names();
	test_sample(0);
	test_sample(1);
	test_attr_swap();
	test_ordered();
	test_features();
	return done_testing();
}
