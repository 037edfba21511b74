// SPDX-License-Identifier: MIT
/* mkperf.c: synthetic perf.data files (what this machine cannot record) made with pfold's writer. */
/*
 * mkperf --kind KIND [--pipe] [--swap] [--samples N] [--seed S] -o FILE [--expect OUT]
 *
 * KIND: hw-group      cycles + cache-misses sampled as a group (PERF_SAMPLE_READ,
 *                     read_format GROUP|ID|TOTAL_TIME_*|LOST), fp callchains,
 *                     COMM/MMAP2/FORK/EXIT
 *       branch        cycles with a branch stack (no hw_idx)
 *       branch-hwidx  the same with PERF_SAMPLE_BRANCH_HW_INDEX
 *       all-bits      every sample_type bit at once (WEIGHT_STRUCT for the weight)
 *       tracepoint    sched:sched_switch samples with RAW data and TRACING_DATA
 *                     from this machine's tracefs (exit 3 without tracefs;
 *                     host byte order only)
 * --pipe: pipe mode; --swap: the other byte order (a big-endian file here).
 * Every value derives from --seed. --expect writes what was written, one
 * line per sample as the tests normalise `perf script` output:
 *   S pid tid cpu time event period ip
 *   C ip                  (callchain entries, context markers left out)
 *   B from to M|P|- X|- A|- cycles     (branch entries)
 *   X name value          (other fields of the all-bits kind)
 */
#include <byteswap.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "perf-records.h"
#include "writer.h"

#ifndef PERF_FORMAT_LOST
#define PERF_FORMAT_LOST (1U << 4)
#endif

static int swap;
static FILE *expect;
static uint64_t rng_state;

static uint64_t rnd(uint64_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rng_state >> 33) % n;
}

static void die(const char *msg, int err)
{
	fprintf(stderr, "mkperf: %s: %s\n", msg, err ? pfold_errmsg(err) : "failed");
	exit(2);
}

/* record builder: the record being built, in the file's byte order */
static struct pfold_buf rec = PFOLD_BUF_INIT;

static void u16(uint16_t v) { if (pfold_put_u16(&rec, v, swap)) die("u16", -PFOLD_E_NOMEM); }
static void u32(uint32_t v) { if (pfold_put_u32(&rec, v, swap)) die("u32", -PFOLD_E_NOMEM); }
static void u64(uint64_t v) { if (pfold_put_u64(&rec, v, swap)) die("u64", -PFOLD_E_NOMEM); }
static void bytes(const void *p, size_t n) { if (pfold_buf_add(&rec, p, n)) die("bytes", -PFOLD_E_NOMEM); }
static void pad8(void) { static const char z[8]; bytes(z, (8 - rec.len % 8) % 8); }

static void rec_begin(uint32_t type, uint16_t misc)
{
	pfold_buf_reset(&rec);
	u32(type);
	u16(misc);
	u16(0);
}

static void rec_end(struct pfold_writer *w)
{
	uint16_t size;
	int err;

	pad8();
	size = (uint16_t)rec.len;
	if (swap)
		size = bswap_16(size);
	memcpy(rec.data + 6, &size, 2);
	err = pfold_writer_write(w, rec.data, rec.len);
	if (err)
		die("write", err);
}

/* the file's events */
struct ev {
	struct perf_event_attr attr;
	uint64_t id;
	const char *name;
	uint64_t count;		/* cumulative count for group reads */
};

static struct ev evs[2];

/* expected lines other than S of the sample being built (printed after each S) */
static struct pfold_buf detail = PFOLD_BUF_INIT;

static void detailf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void detailf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (pfold_buf_vaddf(&detail, fmt, ap))
		die("expect", -PFOLD_E_NOMEM);
	va_end(ap);
}


static const uint32_t pids[2] = { 1000, 1000 };
static const uint32_t tids[2] = { 1000, 1001 };

/* the tracepoint kind: sched:sched_switch as tracefs describes it */
static struct {
	uint64_t id;
	unsigned size;			/* bytes of the raw record */
	int prev_comm, prev_pid, prev_prio, prev_state, next_comm, next_pid, next_prio;
} tp;

static int field_offset(const char *fmt, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), " %s;", name);
	p = strstr(fmt, key);
	if (!p)
		snprintf(key, sizeof(key), " %s[", name), p = strstr(fmt, key);
	p = p ? strstr(p, "offset:") : NULL;
	return p ? atoi(p + 7) : -1;
}

static int load_tracepoint(void)
{
	char fmt[8192];
	FILE *f = fopen("/sys/kernel/tracing/events/sched/sched_switch/format", "r");
	size_t n;
	const char *p;

	if (!f)
		return -1;
	n = fread(fmt, 1, sizeof(fmt) - 1, f);
	fclose(f);
	fmt[n] = 0;
	p = strstr(fmt, "\nID: ");
	if (!p)
		return -1;
	tp.id = strtoull(p + 5, NULL, 10);
	tp.prev_comm = field_offset(fmt, "prev_comm");
	tp.prev_pid = field_offset(fmt, "prev_pid");
	tp.prev_prio = field_offset(fmt, "prev_prio");
	tp.prev_state = field_offset(fmt, "prev_state");
	tp.next_comm = field_offset(fmt, "next_comm");
	tp.next_pid = field_offset(fmt, "next_pid");
	tp.next_prio = field_offset(fmt, "next_prio");
	if (tp.prev_comm < 0 || tp.prev_pid < 0 || tp.prev_prio < 0 || tp.prev_state < 0 ||
	    tp.next_comm < 0 || tp.next_pid < 0 || tp.next_prio < 0)
		return -1;
	tp.size = (unsigned)tp.next_prio + 4;
	return 0;
}

/* the raw record of one sched_switch (host order: the tracing data says so) */
static void tracepoint_raw(unsigned t)
{
	uint8_t raw[256];
	uint32_t size = (tp.size + 4 + 7) / 8 * 8 - 4;	/* u32 size + data, u64-aligned */
	int32_t prev = (int32_t)tids[t], next = (int32_t)tids[!t], prio = 120;
	int64_t state = 1;	/* S */
	uint16_t type = (uint16_t)tp.id;

	memset(raw, 0, sizeof(raw));
	memcpy(raw, &type, 2);
	memcpy(raw + 4, &prev, 4);	/* common_pid */
	strcpy((char *)raw + tp.prev_comm, t ? "worker" : "mkperf-hot");
	memcpy(raw + tp.prev_pid, &prev, 4);
	memcpy(raw + tp.prev_prio, &prio, 4);
	memcpy(raw + tp.prev_state, &state, 8);
	strcpy((char *)raw + tp.next_comm, t ? "mkperf-hot" : "worker");
	memcpy(raw + tp.next_pid, &next, 4);
	memcpy(raw + tp.next_prio, &prio, 4);
	u32(size);
	bytes(raw, size);
	detailf("X trace prev_comm=%s prev_pid=%d prev_prio=120 prev_state=S ==> next_comm=%s next_pid=%d next_prio=120\n",
		t ? "worker" : "mkperf-hot", prev, t ? "mkperf-hot" : "worker", next);
}
static size_t nr_evs;
static uint64_t sample_type, read_format;
static int hw_idx;

/* sample_id_all trailer (TID TIME ID CPU IDENTIFIER as sample_type has them) */
static void id_trailer(uint32_t pid, uint32_t tid, uint64_t time, uint32_t cpu)
{
	if (sample_type & PERF_SAMPLE_TID) {
		u32(pid);
		u32(tid);
	}
	if (sample_type & PERF_SAMPLE_TIME)
		u64(time);
	if (sample_type & PERF_SAMPLE_ID)
		u64(evs[0].id);
	if (sample_type & PERF_SAMPLE_STREAM_ID)
		u64(evs[0].id);
	if (sample_type & PERF_SAMPLE_CPU) {
		u32(cpu);
		u32(0);
	}
	if (sample_type & PERF_SAMPLE_IDENTIFIER)
		u64(evs[0].id);
}

static void comm(struct pfold_writer *w, uint32_t pid, uint32_t tid, const char *name,
		 int exec, uint64_t time)
{
	rec_begin(PERF_RECORD_COMM, exec ? PERF_RECORD_MISC_COMM_EXEC : 0);
	u32(pid);
	u32(tid);
	bytes(name, strlen(name) + 1);
	pad8();
	id_trailer(pid, tid, time, 0);
	rec_end(w);
}

static void mmap2(struct pfold_writer *w, uint32_t pid, uint64_t start, uint64_t len,
		  const char *file, uint64_t time)
{
	rec_begin(PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER);
	u32(pid);
	u32(pid);
	u64(start);
	u64(len);
	u64(start);	/* pgoff = start: perf script shows the raw ip for an absent file */
	u32(8);
	u32(1);
	u64(123456);
	u64(0);
	u32(5);
	u32(2);
	bytes(file, strlen(file) + 1);
	pad8();
	id_trailer(pid, pid, time, 0);
	rec_end(w);
}

static void fork_exit(struct pfold_writer *w, uint32_t type, uint32_t pid, uint32_t ppid,
		      uint32_t tid, uint32_t ptid, uint64_t time)
{
	rec_begin(type, 0);
	u32(pid);
	u32(ppid);
	u32(tid);
	u32(ptid);
	u64(time);
	id_trailer(pid, tid, time, 0);
	rec_end(w);
}

/*
 * a branch entry's flags as the host of the file's byte order lays out the
 * bitfield: a big-endian host allocates from the most significant bit, so a
 * field at little-endian bit P of width W sits at bit 64 - P - W (its value
 * not reversed; perf's evsel__bitfield_swap_branch_flags() undoes this)
 */
static uint64_t bitfield(uint64_t v, unsigned pos, unsigned width)
{
	v &= (1ULL << width) - 1;
	return swap ? v << (64 - pos - width) : v << pos;
}

static uint64_t branch_flags(int mispred, int predicted, int in_tx, int abort, unsigned cycles)
{
	return bitfield((uint64_t)mispred, 0, 1) | bitfield((uint64_t)predicted, 1, 1) |
	       bitfield((uint64_t)in_tx, 2, 1) | bitfield((uint64_t)abort, 3, 1) |
	       bitfield(cycles, 4, 16);
}

static void sample(struct pfold_writer *w, unsigned i, uint64_t time)
{
	unsigned t = i % 2, cpu = (unsigned)rnd(2), k, n;
	uint64_t ip = 0x401000 + rnd(0x8000), period = 100000 + rnd(1000);
	uint64_t delta[2];

	pfold_buf_reset(&detail);
	rec_begin(PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	if (sample_type & PERF_SAMPLE_IDENTIFIER)
		u64(evs[0].id);
	if (sample_type & PERF_SAMPLE_IP)
		u64(ip);
	if (sample_type & PERF_SAMPLE_TID) {
		u32(pids[t]);
		u32(tids[t]);
	}
	if (sample_type & PERF_SAMPLE_TIME)
		u64(time);
	if (sample_type & PERF_SAMPLE_ADDR) {
		uint64_t addr = 0x7f0000001000ULL + rnd(1 << 20) * 8;

		u64(addr);
		detailf("X addr %" PRIx64 "\n", addr);
	}
	if (sample_type & PERF_SAMPLE_ID)
		u64(evs[0].id);
	if (sample_type & PERF_SAMPLE_STREAM_ID)
		u64(evs[0].id);
	if (sample_type & PERF_SAMPLE_CPU) {
		u32(cpu);
		u32(0);
	}
	if (sample_type & PERF_SAMPLE_PERIOD)
		u64(period);
	delta[0] = period;
	if (sample_type & PERF_SAMPLE_READ) {
		/* cumulative counts; perf delivers the deltas as periods */
		delta[1] = 1 + rnd(500);
		evs[0].count += delta[0];
		evs[1].count += delta[1];
		if (!(read_format & PERF_FORMAT_GROUP)) {
			/* single form: value, [enabled], [running], [id], [lost] */
			u64(evs[0].count);
			if (read_format & PERF_FORMAT_TOTAL_TIME_ENABLED)
				u64(time - 1000000000ULL + 5000);
			if (read_format & PERF_FORMAT_TOTAL_TIME_RUNNING)
				u64(time - 1000000000ULL + 4000);
			if (read_format & PERF_FORMAT_ID)
				u64(evs[0].id);
			if (read_format & PERF_FORMAT_LOST)
				u64(0);
			goto read_done;
		}
		u64(nr_evs);
		if (read_format & PERF_FORMAT_TOTAL_TIME_ENABLED)
			u64(time - 1000000000ULL + 5000);
		if (read_format & PERF_FORMAT_TOTAL_TIME_RUNNING)
			u64(time - 1000000000ULL + 4000);
		for (k = 0; k < nr_evs; k++) {
			u64(evs[k].count);
			u64(evs[k].id);
			if (read_format & PERF_FORMAT_LOST)
				u64(0);
		}
	}
read_done:
	if (sample_type & PERF_SAMPLE_CALLCHAIN) {
		n = 2 + (unsigned)rnd(3);
		u64(n + 2);
		u64(PERF_CONTEXT_USER);
		u64(ip);
		detailf("C %" PRIx64 "\n", ip);
		for (k = 0; k < n; k++) {
			uint64_t ret = 0x402000 + 0x100 * k + rnd(0x80);

			u64(ret);
			detailf("C %" PRIx64 "\n", ret);
		}
	}
	if ((sample_type & PERF_SAMPLE_RAW) && tp.id) {
		tracepoint_raw(t);
	} else if (sample_type & PERF_SAMPLE_RAW) {
		static const char raw[12] = "mkperf-raw!";

		u32(sizeof(raw));
		bytes(raw, sizeof(raw));	/* 4 + 12: u64-aligned */
		detailf("X raw_size %zu\n", sizeof(raw));
	}
	if (sample_type & PERF_SAMPLE_BRANCH_STACK) {
		n = 1 + (unsigned)rnd(4);
		u64(n);
		if (hw_idx)
			u64(n - 1);
		for (k = 0; k < n; k++) {
			uint64_t from = 0x401000 + rnd(0x1000), to = 0x403000 + rnd(0x1000);
			int mis = (int)rnd(2), tx = (int)rnd(2), ab = (int)rnd(2);
			unsigned cyc = (unsigned)rnd(1000);

			u64(from);
			u64(to);
			u64(branch_flags(mis, !mis, tx, ab, cyc));
			detailf("B %" PRIx64 " %" PRIx64 " %c %c %c %u\n", from, to,
				mis ? 'M' : 'P', tx ? 'X' : '-', ab ? 'A' : '-', cyc);
		}
	}
	if (sample_type & PERF_SAMPLE_REGS_USER) {
		/* abi 2 (64-bit), mask ax, bp, sp, ip */
		uint64_t ax = rnd(1 << 30);

		u64(PERF_SAMPLE_REGS_ABI_64);
		u64(ax);
		u64(0x7ffd00001000ULL);
		u64(0x7ffd00000f00ULL);
		u64(ip);
		detailf("X uregs ax:0x%" PRIx64 " bp:0x7ffd00001000 sp:0x7ffd00000f00 ip:0x%" PRIx64 "\n",
			ax, ip);
	}
	if (sample_type & PERF_SAMPLE_STACK_USER) {
		u64(64);
		for (k = 0; k < 8; k++)
			u64(0x1111111111111111ULL * k);
		u64(48);
	}
	if (sample_type & PERF_SAMPLE_WEIGHT_STRUCT) {
		uint32_t var1 = 100 + (uint32_t)rnd(100);
		uint16_t var2 = (uint16_t)(10 + rnd(10)), var3 = 7;

		/* union perf_sample_weight: var1_dw, var2_w, var3_w */
		u32(var1);
		u16(var2);
		u16(var3);
		detailf("X weight %u ins_lat %u\n", var1, var2);
	} else if (sample_type & PERF_SAMPLE_WEIGHT) {
		u64(321);
	}
	if (sample_type & PERF_SAMPLE_DATA_SRC) {
		u64(0x68100142ULL);
		detailf("X data_src 68100142\n");
	}
	if (sample_type & PERF_SAMPLE_TRANSACTION)
		u64(0);
	if (sample_type & PERF_SAMPLE_REGS_INTR) {
		u64(PERF_SAMPLE_REGS_ABI_64);
		u64(0xfffffe0000001000ULL);	/* sp */
		u64(0xffffffff81000000ULL + rnd(0x1000));
	}
	if (sample_type & PERF_SAMPLE_PHYS_ADDR) {
		uint64_t pa = 0x100000000ULL + rnd(1 << 20) * 64;

		u64(pa);
		detailf("X phys_addr %" PRIx64 "\n", pa);
	}
	if (sample_type & PFOLD_SAMPLE_CGROUP)
		u64(42);
	if (sample_type & PFOLD_SAMPLE_DATA_PAGE_SIZE) {
		u64(4096);
		detailf("X data_page_size 4096\n");
	}
	if (sample_type & PFOLD_SAMPLE_CODE_PAGE_SIZE) {
		u64(2 * 1024 * 1024);
		detailf("X code_page_size 2097152\n");
	}
	if (sample_type & PFOLD_SAMPLE_AUX) {
		u64(16);
		u64(0xa1a2a3a4a5a6a7a8ULL);
		u64(0xb1b2b3b4b5b6b7b8ULL);
	}
	rec_end(w);
	/* a group read is delivered as one sample per member, period = delta */
	for (k = 0; k < ((read_format & PERF_FORMAT_GROUP) ? nr_evs : 1); k++) {
		fprintf(expect, "S %u %u %u %" PRIu64 " %s %" PRIu64 " %" PRIx64 "\n",
			pids[t], tids[t], cpu, time, evs[k].name, delta[k], ip);
		if (detail.len)
			fputs(detail.data, expect);
	}
}

/*
 * The features: through the feature table (pfold_writer_set_header_info) in
 * host order; as bytes built here for a file of the other byte order, which
 * the table does not write.
 */
static const uint8_t bid[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				 17, 18, 19, 20 };
#define HOSTNAME "mkperf-host"
#define OSRELEASE "6.1.0-mkperf"
#define VERSION "6.1.mkperf"
#define ARCH "x86_64"
#define CPUDESC "mkperf synthetic CPU @ 1.00GHz"
#define CPUID "GenuineIntel,6,85,4"
#define NR_AVAIL 4
#define NR_ONLINE 2
#define TOTAL_MEM 16777216
#define CLOCK_RES 1000

static void add_features_table(struct pfold_writer *w, const char *kind)
{
	struct pfold_header_info info;
	struct pfold_build_id b;
	char *cmdline[3] = { (char *)"mkperf", (char *)"--kind", (char *)kind };
	int err;

	pfold_header_info_init(&info);
	info.hostname = (char *)HOSTNAME;
	info.osrelease = (char *)OSRELEASE;
	info.version = (char *)VERSION;
	info.arch = (char *)ARCH;
	info.cpudesc = (char *)CPUDESC;
	info.cpuid = (char *)CPUID;
	info.nr_cpus_avail = NR_AVAIL;
	info.nr_cpus_online = NR_ONLINE;
	info.total_mem = TOTAL_MEM;
	info.nr_cmdline = 3;
	info.cmdline = cmdline;
	info.clockid_res_ns = CLOCK_RES;
	pfold_header_set(&info, HEADER_CLOCKID);
	memset(&b, 0, sizeof(b));
	b.pid = -1;
	b.misc = PERF_RECORD_MISC_USER;
	b.size = 20;
	memcpy(b.id, bid, 20);
	b.filename = (char *)"/usr/bin/mkperf-hot";
	info.nr_build_ids = 1;
	info.build_ids = &b;
	/* INFO borrows everything: not released */
	err = pfold_writer_set_header_info(w, &info);
	if (err)
		die("features", err);
}

static void add_string_feature(struct pfold_writer *w, unsigned feat, const char *s)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	int err = pfold_put_perf_string(&b, s, swap);

	if (!err)
		err = pfold_writer_add_feature(w, feat, b.data, b.len);
	if (err)
		die("feature", err);
	pfold_buf_release(&b);
}

static void add_features_swapped(struct pfold_writer *w, const char *kind)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	int err = 0;

	add_string_feature(w, HEADER_HOSTNAME, HOSTNAME);
	add_string_feature(w, HEADER_OSRELEASE, OSRELEASE);
	add_string_feature(w, HEADER_VERSION, VERSION);
	add_string_feature(w, HEADER_ARCH, ARCH);
	add_string_feature(w, HEADER_CPUDESC, CPUDESC);
	add_string_feature(w, HEADER_CPUID, CPUID);
	/* NRCPUS: nr_cpus_avail, nr_cpus_online */
	err = pfold_put_u32(&b, NR_AVAIL, swap);
	err |= pfold_put_u32(&b, NR_ONLINE, swap);
	err = err ? err : pfold_writer_add_feature(w, HEADER_NRCPUS, b.data, b.len);
	pfold_buf_reset(&b);
	err |= pfold_put_u64(&b, TOTAL_MEM, swap);	/* kB */
	err = err ? err : pfold_writer_add_feature(w, HEADER_TOTAL_MEM, b.data, b.len);
	pfold_buf_reset(&b);
	err |= pfold_put_u32(&b, 3, swap);
	err |= pfold_put_perf_string(&b, "mkperf", swap);
	err |= pfold_put_perf_string(&b, "--kind", swap);
	err |= pfold_put_perf_string(&b, kind, swap);
	err = err ? err : pfold_writer_add_feature(w, HEADER_CMDLINE, b.data, b.len);
	pfold_buf_reset(&b);
	err |= pfold_put_u64(&b, CLOCK_RES, swap);
	err = err ? err : pfold_writer_add_feature(w, HEADER_CLOCKID, b.data, b.len);
	err = err ? err : pfold_writer_add_build_id(w, -1, PERF_RECORD_MISC_USER, bid, 20,
						     "/usr/bin/mkperf-hot");
	pfold_buf_release(&b);
	if (err)
		die("features", err);
}

static void add_features(struct pfold_writer *w, const char *kind)
{
	if (swap)
		add_features_swapped(w, kind);
	else
		add_features_table(w, kind);
}

static void setup_attr(struct ev *e, uint32_t type, uint64_t config, const char *name,
		       uint64_t id, int leader)
{
	struct perf_event_attr *a = &e->attr;

	memset(a, 0, sizeof(*a));
	a->type = type;
	a->size = sizeof(*a);
	a->config = config;
	a->sample_period = leader ? 100000 : 0;
	a->sample_type = sample_type;
	a->read_format = read_format;
	a->disabled = leader;
	a->inherit = 1;
	a->exclude_hv = 1;
	a->sample_id_all = 1;
	if (leader) {
		a->mmap = 1;
		a->comm = 1;
		a->task = 1;
		a->mmap2 = 1;
		a->comm_exec = 1;
		a->enable_on_exec = 1;
	}
	e->id = id;
	e->name = name;
	e->count = 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "expect", required_argument, NULL, 'e' },
		{ "samples", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "pipe", no_argument, NULL, 'p' },
		{ "swap", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	const char *kind = "hw-group", *output = NULL, *expect_path = NULL;
	struct pfold_writer_opts opts = { 0, 0 };
	struct pfold_writer *w;
	unsigned nsamples = 20, i;
	uint64_t seed = 1, time = 1000000000ULL;
	size_t k;
	int c, err;

	while ((c = getopt_long(argc, argv, "k:o:e:n:s:pw", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': kind = optarg; break;
		case 'o': output = optarg; break;
		case 'e': expect_path = optarg; break;
		case 'n': nsamples = (unsigned)strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'p': opts.flags |= PFOLD_WRITER_PIPE; break;
		case 'w': opts.flags |= PFOLD_WRITER_SWAP; swap = 1; break;
		default:
			fprintf(stderr, "usage: mkperf --kind hw-group|branch|branch-hwidx|all-bits|tracepoint "
				"[--pipe] [--swap] [--samples N] [--seed S] -o FILE [--expect OUT]\n");
			return 2;
		}
	}
	if (!output) {
		fprintf(stderr, "mkperf: -o FILE is required\n");
		return 2;
	}
	rng_state = seed;
	expect = fopen(expect_path ? expect_path : "/dev/null", "w");
	if (!expect) {
		perror("mkperf: expect");
		return 2;
	}

	if (!strcmp(kind, "hw-group")) {
		sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			      PERF_SAMPLE_TIME | PERF_SAMPLE_ID | PERF_SAMPLE_CPU |
			      PERF_SAMPLE_PERIOD | PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN;
		read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED |
			      PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_LOST;
		nr_evs = 2;
		setup_attr(&evs[0], PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles", 101, 1);
		setup_attr(&evs[1], PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "cache-misses", 102, 0);
	} else if (!strcmp(kind, "branch") || !strcmp(kind, "branch-hwidx")) {
		hw_idx = !strcmp(kind, "branch-hwidx");
		sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			      PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_BRANCH_STACK;
		nr_evs = 1;
		setup_attr(&evs[0], PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles", 201, 1);
		evs[0].attr.branch_sample_type = PERF_SAMPLE_BRANCH_ANY | PERF_SAMPLE_BRANCH_USER |
						 (hw_idx ? PFOLD_BRANCH_HW_INDEX : 0);
	} else if (!strcmp(kind, "all-bits")) {
		sample_type = (PERF_SAMPLE_MAX - 1) & ~(uint64_t)PERF_SAMPLE_WEIGHT;
		read_format = PERF_FORMAT_ID;
		nr_evs = 1;
		setup_attr(&evs[0], PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles", 301, 1);
		evs[0].attr.branch_sample_type = PERF_SAMPLE_BRANCH_ANY | PERF_SAMPLE_BRANCH_USER;
		evs[0].attr.sample_regs_user = 1 << 0 | 1 << 6 | 1 << 7 | 1 << 8;
		evs[0].attr.sample_regs_intr = 1 << 7 | 1 << 8;
		evs[0].attr.sample_stack_user = 64;
		evs[0].attr.aux_sample_size = 16;
	} else if (!strcmp(kind, "tracepoint")) {
		if (load_tracepoint()) {
			fprintf(stderr, "mkperf: cannot read sched:sched_switch from tracefs\n");
			return 3;
		}
		sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			      PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_RAW;
		nr_evs = 1;
		setup_attr(&evs[0], PERF_TYPE_TRACEPOINT, tp.id, "sched:sched_switch", 401, 1);
		evs[0].attr.sample_period = 1;
	} else {
		fprintf(stderr, "mkperf: unknown kind '%s'\n", kind);
		return 2;
	}

	err = pfold_writer_open(&w, output, &opts);
	if (err)
		die(output, err);
	for (k = 0; k < nr_evs; k++) {
		err = pfold_writer_add_attr(w, &evs[k].attr, &evs[k].id, 1, evs[k].name);
		if (err < 0)
			die("attr", err);
	}
	add_features(w, kind);
	if (tp.id) {
		const char *name = "sched:sched_switch";
		struct pfold_buf td = PFOLD_BUF_INIT;

		err = pfold_tracing_data_build(&td, NULL, &name, 1);
		if (!err)
			err = pfold_writer_set_tracing_data(w, td.data, td.len);
		pfold_buf_release(&td);
		if (err)
			die("tracing data", err);
	}

	comm(w, 1000, 1000, "mkperf-hot", 1, time);
	mmap2(w, 1000, 0x400000, 0x10000, "/usr/bin/mkperf-hot", time + 10);
	fork_exit(w, PERF_RECORD_FORK, 1000, 1000, 1001, 1000, time + 20);
	comm(w, 1000, 1001, "worker", 0, time + 30);
	err = pfold_writer_finished_init(w);
	if (err)
		die("finished_init", err);
	time += 1000;
	for (i = 0; i < nsamples; i++) {
		time += 1000000 + rnd(100000);
		sample(w, i, time);
		if (i % 8 == 7 && pfold_writer_finished_round(w))
			die("round", -PFOLD_E_IO);
	}
	fork_exit(w, PERF_RECORD_EXIT, 1000, 1000, 1001, 1000, time + 100);
	err = pfold_writer_finished_round(w);
	if (err)
		die("round", err);
	err = pfold_writer_close(w);
	if (err)
		die(output, err);
	pfold_buf_release(&rec);
	pfold_buf_release(&detail);
	return fclose(expect) ? 2 : 0;
}
