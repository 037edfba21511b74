// SPDX-License-Identifier: MIT
/* test-writer.c: unit tests of the perf.data writer: header fields, section offsets, attr/id layout, pipe records, errors. */
#include <byteswap.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "perf-file.h"
#include "perf-records.h"
#include "writer.h"
#include "tap.h"

static uint8_t file[65536];
static size_t file_len;

static void slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	memset(file, 0, sizeof(file));
	n = fd < 0 ? -1 : read(fd, file, sizeof(file));

	file_len = n > 0 ? (size_t)n : 0;
	if (fd >= 0)
		close(fd);
}

static uint64_t get64(size_t off, int swap)
{
	uint64_t v;

	memcpy(&v, file + off, 8);
	return swap ? bswap_64(v) : v;
}

static uint32_t get32(size_t off, int swap)
{
	uint32_t v;

	memcpy(&v, file + off, 4);
	return swap ? bswap_32(v) : v;
}

static uint16_t get16(size_t off, int swap)
{
	uint16_t v;

	memcpy(&v, file + off, 2);
	return swap ? bswap_16(v) : v;
}

static void set_attr(struct perf_event_attr *a, uint64_t config)
{
	memset(a, 0, sizeof(*a));
	a->type = PERF_TYPE_HARDWARE;
	a->size = sizeof(*a);
	a->config = config;
	a->sample_period = 4000;
	a->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_ID;
	a->read_format = PERF_FORMAT_ID;
	a->disabled = 1;
	a->sample_id_all = 1;
}

/* one 32-byte sample record: ip, pid/tid, id */
static void make_sample(uint8_t rec[32], uint64_t ip, uint64_t id)
{
	struct pfold_record_header h = { PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, 32 };
	uint32_t pt[2] = { 7, 8 };

	memcpy(rec, &h, 8);
	memcpy(rec + 8, &ip, 8);
	memcpy(rec + 16, pt, 8);
	memcpy(rec + 24, &id, 8);
}

static void test_file_mode(const char *path, int swap)
{
	struct pfold_writer_opts opts = { swap ? PFOLD_WRITER_SWAP : 0, 0 };
	struct pfold_writer *w = NULL;
	struct perf_event_attr a0, a1;
	uint64_t ids0[2] = { 11, 12 }, ids1[1] = { 21 };
	uint8_t rec[32], host[8] = "hostx";
	uint8_t bid[20] = { 0xaa, 0xbb };
	uint64_t attrs, data, dsize, feat, bitmap0;
	struct stat st;
	size_t off;

	set_attr(&a0, PERF_COUNT_HW_CPU_CYCLES);
	set_attr(&a1, PERF_COUNT_HW_CACHE_MISSES);
	a1.disabled = 0;
	is_int(pfold_writer_open(&w, path, &opts), 0, "open %s", path);
	if (!w)
		return;
	ok(!pfold_writer_is_pipe(w), "a regular file is file mode");
	is_int(pfold_writer_add_attr(w, &a0, ids0, 2, "cycles"), 0, "first attr has index 0");
	is_int(pfold_writer_add_attr(w, &a1, ids1, 1, "cache-misses"), 1, "second attr has index 1");
	is_int(pfold_writer_add_feature(w, HEADER_HOSTNAME, host, 8), 0, "raw feature bytes");
	is_int(pfold_writer_add_feature(w, HEADER_BUILD_ID, host, 8), -PFOLD_E_INVAL,
	       "BUILD_ID is not a raw feature");
	is_int(pfold_writer_add_build_id(w, -1, PERF_RECORD_MISC_USER, bid, 20, "/bin/x"), 0,
	       "a build id");
	make_sample(rec, 0x401000, 11);
	if (swap) {
		/* records are the caller's: in the file's byte order */
		memset(rec, 0, sizeof(rec));
	}
	is_int(pfold_writer_write(w, rec, sizeof(rec)), 0, "a record");
	is_int(pfold_writer_add_attr(w, &a0, ids0, 1, "late"), -PFOLD_E_INVAL,
	       "no attr after the first record");
	is_int(pfold_writer_finished_round(w), 0, "FINISHED_ROUND");
	is_int(pfold_writer_data_size(w), 40, "data size counts the records");

	/* before close: the header does not claim to be a perf.data file */
	slurp(path);
	is_int(get64(0, 0), 0, "magic is zero until close");

	is_int(pfold_writer_close(w), 0, "close");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	slurp(path);
	is_int(get64(0, swap), PFOLD_PERF_MAGIC2, "magic PERFILE2");
	ok(!memcmp(file, swap ? "2ELIFREP" : "PERFILE2", 8), "magic bytes %s",
	   swap ? "2ELIFREP" : "PERFILE2");
	is_int(get64(8, swap), 104, "header size 104");
	is_int(get64(16, swap), PFOLD_WRITER_ATTR_SIZE + 16, "attr_size = attr + ids section");
	attrs = get64(24, swap);
	is_int(attrs, 104 + 3 * 8, "attrs follow the header and the 3 ids");
	is_int(get64(32, swap), 2 * (PFOLD_WRITER_ATTR_SIZE + 16), "attrs size");
	data = get64(40, swap);
	dsize = get64(48, swap);
	is_int(data, attrs + 2 * (PFOLD_WRITER_ATTR_SIZE + 16), "data follows the attrs");
	is_int(dsize, 40, "data size");
	is_int(get64(56, swap) | get64(64, swap), 0, "event_types section empty");
	bitmap0 = get64(72, swap);
	is_int(bitmap0, (1ULL << HEADER_BUILD_ID) | (1ULL << HEADER_HOSTNAME) |
	       (1ULL << HEADER_EVENT_DESC), "feature bits: BUILD_ID HOSTNAME EVENT_DESC");
	is_int(get64(80, swap) | get64(88, swap) | get64(96, swap), 0, "no higher feature bits");

	/* ids of each attr, and each attr's ids section */
	is_int(get64(104, swap), 11, "attr 0 id 0");
	is_int(get64(112, swap), 12, "attr 0 id 1");
	is_int(get64(120, swap), 21, "attr 1 id 0");
	is_int(get32(attrs, swap), PERF_TYPE_HARDWARE, "attr 0 type");
	is_int(get32(attrs + 4, swap), PFOLD_WRITER_ATTR_SIZE, "attr 0 size");
	is_int(get64(attrs + 8, swap), PERF_COUNT_HW_CPU_CYCLES, "attr 0 config");
	is_int(get64(attrs + 16, swap), 4000, "attr 0 sample_period");
	is_int(get64(attrs + 24, swap), a0.sample_type, "attr 0 sample_type");
	/* bitfields: disabled is bit 0 (LSB of byte 40) here, the MSB of byte 40 in big-endian */
	is_int(file[attrs + 40], swap ? 0x80 : 0x01, "attr 0 disabled bit in the file's layout");
	is_int(file[attrs + 42], swap ? 0x20 : 0x04, "attr 0 sample_id_all (bit 18) in the file's layout");
	is_int(get64(attrs + PFOLD_WRITER_ATTR_SIZE, swap), 104, "attr 0 ids offset");
	is_int(get64(attrs + PFOLD_WRITER_ATTR_SIZE + 8, swap), 16, "attr 0 ids size");
	off = attrs + PFOLD_FILE_ATTR_SIZE;
	is_int(get64(off + 8, swap), PERF_COUNT_HW_CACHE_MISSES, "attr 1 config");
	is_int(get64(off + PFOLD_WRITER_ATTR_SIZE, swap), 120, "attr 1 ids offset");
	is_int(get64(off + PFOLD_WRITER_ATTR_SIZE + 8, swap), 8, "attr 1 ids size");

	/* data, then the feature index (3 sections), then the sections */
	if (!swap)
		is_int(get64(data + 8, 0), 0x401000, "the record copied as given");
	is_int(get32(data + 32, swap), PERF_RECORD_FINISHED_ROUND, "FINISHED_ROUND record");
	is_int(get16(data + 38, swap), 8, "FINISHED_ROUND size");
	feat = data + dsize;
	is_int(get64(feat, swap), feat + 3 * 16, "BUILD_ID section right after the index");
	is_int(get64(feat + 8, swap), 36 + 64, "BUILD_ID section size");
	is_int(get64(feat + 16, swap), feat + 48 + 100, "HOSTNAME section next");
	is_int(get64(feat + 24, swap), 8, "HOSTNAME section size");
	ok(!memcmp(file + feat + 48 + 100, "hostx", 5), "HOSTNAME bytes as given");
	off = feat + 48;
	is_int(get16(off + 6, swap), 100, "build id entry size");
	is_int(get16(off + 4, swap), PERF_RECORD_MISC_USER | PFOLD_MISC_BUILD_ID_SIZE,
	       "build id misc");
	is_int((int32_t)get32(off + 8, swap), -1, "build id pid");
	is_int(file[off + 12], 0xaa, "build id bytes");
	is_int(file[off + 32], 20, "build id size byte");
	ok(!strcmp((char *)file + off + 36, "/bin/x"), "build id filename");
	/* EVENT_DESC: nr, attr size, attr, nr_ids, name */
	off = get64(feat + 32, swap);
	is_int(get32(off, swap), 2, "EVENT_DESC has 2 events");
	is_int(get32(off + 4, swap), swap ? PFOLD_WRITER_ATTR_SIZE : sizeof(struct perf_event_attr),
	       "EVENT_DESC attr size");
	is_int(get64(off + 8 + 8, swap), PERF_COUNT_HW_CPU_CYCLES, "EVENT_DESC attr 0 config");
	off += 8 + get32(off + 4, swap);
	is_int(get32(off, swap), 2, "EVENT_DESC attr 0 has 2 ids");
	is_int(get32(off + 4, swap), 64, "EVENT_DESC name padded to 64");
	ok(!strcmp((char *)file + off + 8, "cycles"), "EVENT_DESC name");
	is_int(get64(off + 8 + 64, swap), 11, "EVENT_DESC id");
	is_int(get64(feat + 32, swap) + get64(feat + 40, swap), file_len,
	       "EVENT_DESC is the last section, to the end of the file");
}

static void test_pipe_mode(void)
{
	struct pfold_writer *w = NULL;
	struct perf_event_attr a;
	uint64_t id = 5;
	uint8_t rec[32], tracing[5] = "trace";
	size_t off;
	int p[2];
	ssize_t n;

	if (pipe(p)) {
		ok(0, "pipe");
		return;
	}
	set_attr(&a, PERF_COUNT_HW_INSTRUCTIONS);
	is_int(pfold_writer_open_fd(&w, p[1], "pipe", NULL), 0, "open a pipe fd");
	if (!w)
		return;
	ok(pfold_writer_is_pipe(w), "a pipe is pipe mode");
	is_int(pfold_writer_add_attr(w, &a, &id, 1, "instructions"), 0, "attr");
	is_int(pfold_writer_add_feature(w, HEADER_NRCPUS, "\2\0\0\0\2\0\0\0", 8), 0, "NRCPUS");
	is_int(pfold_writer_set_tracing_data(w, tracing, 5), 0, "tracing data");
	is_int(pfold_writer_finished_init(w), 0, "FINISHED_INIT");
	make_sample(rec, 0x1234, 5);
	is_int(pfold_writer_write(w, rec, sizeof(rec)), 0, "a record");
	is_int(pfold_writer_add_feature(w, HEADER_ARCH, "x", 1), -PFOLD_E_INVAL,
	       "no feature after the first record of a pipe");
	is_int(pfold_writer_close(w), 0, "close the pipe writer");
	close(p[1]);
	n = read(p[0], file, sizeof(file));
	close(p[0]);
	file_len = n > 0 ? (size_t)n : 0;
	is_int(get64(0, 0), PFOLD_PERF_MAGIC2, "pipe magic");
	is_int(get64(8, 0), 16, "pipe header size 16");
	off = 16;
	is_int(get32(off, 0), PERF_RECORD_HEADER_ATTR, "HEADER_ATTR first");
	is_int(get16(off + 6, 0), 8 + PFOLD_WRITER_ATTR_SIZE + 8, "HEADER_ATTR size: attr + 1 id");
	is_int(get64(off + 8 + 8, 0), PERF_COUNT_HW_INSTRUCTIONS, "HEADER_ATTR config");
	is_int(get64(off + 8 + PFOLD_WRITER_ATTR_SIZE, 0), 5, "HEADER_ATTR id");
	off += get16(off + 6, 0);
	/* perf takes a stream's event names from EVENT_UPDATE name records */
	is_int(get32(off, 0), PERF_RECORD_EVENT_UPDATE, "EVENT_UPDATE after the attrs");
	is_int(get64(off + 8, 0), 2, "EVENT_UPDATE type NAME");
	is_int(get64(off + 16, 0), 5, "EVENT_UPDATE id of the event");
	is_str((const char *)file + off + 24, "instructions", "EVENT_UPDATE name");
	off += get16(off + 6, 0);
	is_int(get32(off, 0), PERF_RECORD_HEADER_FEATURE, "HEADER_FEATURE next");
	is_int(get64(off + 8, 0), HEADER_NRCPUS, "NRCPUS feature record");
	is_int(get16(off + 6, 0), 24, "NRCPUS record size");
	off += get16(off + 6, 0);
	is_int(get64(off + 8, 0), HEADER_EVENT_DESC, "EVENT_DESC feature record");
	off += get16(off + 6, 0);
	is_int(get32(off, 0), PERF_RECORD_HEADER_FEATURE, "last-feature mark");
	is_int(get64(off + 8, 0), HEADER_LAST_FEATURE, "HEADER_LAST_FEATURE id");
	off += get16(off + 6, 0);
	is_int(get32(off, 0), PERF_RECORD_HEADER_TRACING_DATA, "HEADER_TRACING_DATA");
	is_int(get32(off + 8, 0), 8, "tracing data size padded to 8");
	ok(!memcmp(file + off + 16, "trace\0\0\0", 8), "tracing data follows the record");
	off += 16 + 8;
	is_int(get32(off, 0), PERF_RECORD_FINISHED_INIT, "FINISHED_INIT");
	off += 8;
	is_int(get32(off, 0), PERF_RECORD_SAMPLE, "the sample record");
	off += 32;
	is_int(file_len, off, "nothing else in the stream");
}

static void test_errors(const char *dir)
{
	struct pfold_writer *w = NULL;
	struct perf_event_attr a;
	char path[4096];
	uint8_t rec[32];
	int fd, err;

	snprintf(path, sizeof(path), "%s/no/such/dir/x.data", dir);
	err = pfold_writer_open(&w, path, NULL);
	is_int(err, -PFOLD_E_IO, "open in a missing directory fails");
	ok(strstr(pfold_errmsg(err), "No such file or directory") != NULL,
	   "the detail says why: %s", pfold_errmsg(err));

	/* a write that fails: a read-only fd */
	snprintf(path, sizeof(path), "%s/ro.data", dir);
	fd = open(path, O_RDONLY | O_CREAT, 0600);
	set_attr(&a, 0);
	is_int(pfold_writer_open_fd(&w, fd, path, NULL), -PFOLD_E_IO, "writing to a read-only fd fails at open");
	ok(strstr(pfold_errmsg(-PFOLD_E_IO), "ro.data: cannot") != NULL, "names the file: %s",
	   pfold_errmsg(-PFOLD_E_IO));
	close(fd);

	/* a small buffer, then the fd goes away: the error sticks */
	snprintf(path, sizeof(path), "%s/gone.data", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	{
		struct pfold_writer_opts opts = { 0, 4096 };

		is_int(pfold_writer_open_fd(&w, fd, path, &opts), 0, "open with a 4 KiB buffer");
	}
	is_int(pfold_writer_add_attr(w, &a, NULL, 0, NULL), 0, "attr without ids");
	close(fd);
	make_sample(rec, 1, 1);
	err = 0;
	for (int i = 0; i < 1000 && !err; i++)
		err = pfold_writer_write(w, rec, sizeof(rec));
	is_int(err, -PFOLD_E_IO, "a failed write is reported");
	is_int(pfold_writer_write(w, rec, sizeof(rec)), -PFOLD_E_IO, "and every write after it");
	is_int(pfold_writer_close(w), -PFOLD_E_IO, "close reports the failure too");

	/* attrs with bytes the writer cannot write */
	{
		uint8_t big[sizeof(struct perf_event_attr)];
		uint8_t out[PFOLD_WRITER_ATTR_SIZE];

		set_attr(&a, PERF_COUNT_HW_CPU_CYCLES);
		a.size = PFOLD_WRITER_ATTR_SIZE;
		memcpy(big, &a, sizeof(a));
		is_int(pfold_attr_to_file(out, &a, 0), 0, "attr to file");
		ok(!memcmp(out, big, PFOLD_WRITER_ATTR_SIZE < sizeof(a) ? PFOLD_WRITER_ATTR_SIZE : sizeof(a)),
		   "host-order attr copied as is");
		is_int(pfold_attr_to_file(out, &a, 1), 0, "attr to the other byte order");
		is_int(out[4], 0, "swapped size: high byte first");
		is_int(out[7], PFOLD_WRITER_ATTR_SIZE, "swapped size: low byte last");
		is_int(out[15], PERF_COUNT_HW_CPU_CYCLES, "swapped config");
	}
}

/* a header that claims completeness is written last, after the data hit the disk */
/* pipe mode: a round is written out when it ends, not when the buffer fills */
static void test_pipe_rounds(void)
{
	struct pfold_writer *w = NULL;
	struct perf_event_attr a;
	uint8_t rec[32], got[4096];
	ssize_t n, total = 0;
	int p[2];

	if (pipe(p)) {
		ok(0, "pipe");
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	set_attr(&a, PERF_COUNT_HW_CPU_CYCLES);
	is_int(pfold_writer_open_fd(&w, p[1], "pipe", NULL), 0, "open a pipe fd");
	pfold_writer_add_attr(w, &a, NULL, 0, NULL);
	make_sample(rec, 0x401000, 1);
	pfold_writer_write(w, rec, sizeof(rec));
	while ((n = read(p[0], got, sizeof(got))) > 0)
		total += n;
	is_int(total, 0, "a record alone stays in the buffer");
	is_int(pfold_writer_finished_round(w), 0, "end the round");
	while ((n = read(p[0], got, sizeof(got))) > 0)
		total += n;
	ok(total > 40 && !memcmp(got + total - 8 - 32, rec, 32),
	   "the round's records are in the pipe as it ends (%zd bytes)", total);
	pfold_writer_close(w);
	close(p[0]);
	close(p[1]);
}

static void test_header_last(const char *dir)
{
	struct pfold_writer_opts opts = { 0, 4096 };
	struct pfold_writer *w = NULL;
	struct perf_event_attr a;
	uint8_t rec[32];
	char path[4096];
	int i, err = 0;

	snprintf(path, sizeof(path), "%s/last.data", dir);
	set_attr(&a, PERF_COUNT_HW_CPU_CYCLES);
	is_int(pfold_writer_open(&w, path, &opts), 0, "open with a 4 KiB buffer");
	if (!w)
		return;
	pfold_writer_add_attr(w, &a, NULL, 0, NULL);
	make_sample(rec, 0x401000, 1);
	for (i = 0; i < 300 && !err; i++)
		err = pfold_writer_write(w, rec, sizeof(rec));
	is_int(err, 0, "300 records");
	slurp(path);
	ok(file_len > 4096, "records reached the disk (%zu bytes)", file_len);
	ok(file_len % 4096 == 0, "in writes that end at multiples of the buffer size (%zu bytes)",
	   file_len);
	is_int(get64(0, 0), 0, "the magic is still zero");
	is_int(get64(48, 0), 0, "the data size is still zero");
	is_int(pfold_writer_close(w), 0, "close");
	slurp(path);
	is_int(get64(0, 0), PFOLD_PERF_MAGIC2, "now the magic is there");
	is_int(get64(48, 0), 300 * 32, "and the data size");
	is_int(get64(72, 0), 0, "no features given, none written (no names: no EVENT_DESC)");
	is_int(file_len, get64(40, 0) + 300 * 32, "the file ends with the data");
	unlink(path);
}

/* the host's features through the feature table, as the recorder writes them */
static void test_host_info(const char *dir)
{
	const char *argv[] = { "pfold", "record", "--", "true" };
	struct pfold_header_info info, back;
	struct pfold_writer *w = NULL;
	struct perf_event_attr a;
	struct utsname u;
	char path[4096];
	uint64_t feat, off, size;
	size_t i, k;

	pfold_header_info_init(&info);
	is_int(pfold_writer_host_info(&info, 4, argv), 0, "host info");
	ok(uname(&u) == 0 && info.hostname && !strcmp(info.hostname, u.nodename), "hostname from uname");
	ok(info.osrelease && !strcmp(info.osrelease, u.release), "os release from uname");
	is_int(info.nr_cpus_online, sysconf(_SC_NPROCESSORS_ONLN), "cpus online");
	ok(info.total_mem > 0, "total memory from /proc/meminfo");
	is_int(info.nr_cmdline, 4, "command line");
	snprintf(path, sizeof(path), "%s/host.data", dir);
	set_attr(&a, PERF_COUNT_HW_CPU_CYCLES);
	is_int(pfold_writer_open(&w, path, NULL), 0, "open");
	if (!w)
		return;
	pfold_writer_add_attr(w, &a, NULL, 0, "cpu-clock");
	is_int(pfold_writer_set_header_info(w, &info), 0, "features through the table");
	is_int(pfold_writer_close(w), 0, "close");
	slurp(path);
	/* read every section back through the same table */
	pfold_header_info_init(&back);
	feat = get64(40, 0) + get64(48, 0);
	for (i = 0, k = 0; i < HEADER_LAST_FEATURE; i++) {
		if (!(get64(72 + 8 * (i / 64), 0) & (1ULL << (i % 64))))
			continue;
		off = get64(feat + 16 * k, 0);
		size = get64(feat + 16 * k + 8, 0);
		k++;
		if (off + size > file_len || pfold_feature_read(&back, (unsigned)i, file + off,
								size, 0, path, off))
			ok(0, "feature %zu reads back", i);
	}
	ok(back.hostname && !strcmp(back.hostname, info.hostname), "hostname reads back");
	ok(back.cpuid == NULL || (info.cpuid && !strcmp(back.cpuid, info.cpuid)), "cpuid reads back");
	is_int(back.total_mem, info.total_mem, "total memory reads back");
	is_int(back.nr_cmdline, 4, "command line reads back");
	ok(back.nr_cmdline == 4 && !strcmp(back.cmdline[3], "true"), "command line words");
	ok(back.nr_event_desc == 1 && !strcmp(back.event_desc[0].name, "cpu-clock"),
	   "EVENT_DESC built from the attrs");
	pfold_header_info_release(&back);
	pfold_header_info_release(&info);
	unlink(path);
}

static void put_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* TRACING_DATA from a fake tracefs: exact layout, and H1's parser finds the events */
static void test_tracing_data(const char *dir)
{
	static const char fmt_a[] = "name: ev_a\nID: 77\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\nprint fmt: \"a\"\n";
	static const char fmt_b[] = "name: ev_b\nID: 78\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\nprint fmt: \"b\"\n";
	const char *names[] = { "sysx:ev_a", "sysx:ev_b", "sysx:ev_a" };
	const char *bad[] = { "sysx:nope" }, *bad2[] = { "nocolon" };
	struct pfold_buf b = PFOLD_BUF_INIT;
	struct pfold_header_info info;
	char root[4096], path[4200];
	size_t off, i;
	uint64_t len;

	snprintf(root, sizeof(root), "%s/tracefs", dir);
	is_int(pfold_tracing_data_build(&b, root, names, 3), -PFOLD_E_TRACEFS, "no tracefs there");
	snprintf(path, sizeof(path), "%s", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/sysx", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/sysx/ev_a", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/sysx/ev_b", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/events/header_page", root);
	put_text(path, "HP\n");
	snprintf(path, sizeof(path), "%s/events/header_event", root);
	put_text(path, "HEV\n");
	snprintf(path, sizeof(path), "%s/events/sysx/ev_a/format", root);
	put_text(path, fmt_a);
	snprintf(path, sizeof(path), "%s/events/sysx/ev_b/format", root);
	put_text(path, fmt_b);

	is_int(pfold_tracing_data_build(&b, root, bad, 1), -PFOLD_E_EVENT, "a missing tracepoint");
	is_int(pfold_tracing_data_build(&b, root, bad2, 1), -PFOLD_E_EVENT, "not a tracepoint name");
	is_int(b.len, 0, "nothing appended on failure");
	is_int(pfold_tracing_data_build(&b, root, names, 3), 0, "build");
	memset(file, 0, sizeof(file));
	memcpy(file, b.data, b.len < sizeof(file) ? b.len : sizeof(file));
	ok(!memcmp(file, "\027\010Dtracing0.6", 14), "magic and version");
	is_int(file[14], 0, "little-endian");
	is_int(file[15], sizeof(long), "long size");
	is_int(get32(16, 0), sysconf(_SC_PAGESIZE), "page size");
	ok(!memcmp(file + 20, "header_page", 12), "header_page name");
	is_int(get64(32, 0), 3, "header_page size");
	ok(!memcmp(file + 40, "HP\n", 3), "header_page bytes");
	ok(!memcmp(file + 43, "header_event", 13), "header_event name");
	is_int(get64(56, 0), 4, "header_event size");
	is_int(get32(68, 0), 0, "no ftrace formats");
	off = 72;
	is_int(get32(off, 0), 1, "one system");
	ok(!strcmp((char *)file + off + 4, "sysx"), "system name");
	off += 4 + 5;
	is_int(get32(off, 0), 2, "two distinct events");
	off += 4;
	len = get64(off, 0);
	is_int(len, sizeof(fmt_a) - 1, "first format size");
	if (len != sizeof(fmt_a) - 1 || b.len > sizeof(file)) {
		pfold_buf_release(&b);
		return;
	}
	ok(!memcmp(file + off + 8, fmt_a, sizeof(fmt_a) - 1), "first format");
	off += 8 + len;
	len = get64(off, 0);
	ok(!memcmp(file + off + 8, fmt_b, sizeof(fmt_b) - 1), "second format");
	off += 8 + len;
	is_int(get32(off, 0), 0, "kallsyms empty");
	is_int(get32(off + 4, 0), 0, "printk formats empty");
	is_int(get64(off + 8, 0), 0, "saved cmdlines empty");
	is_int(b.len, off + 16, "nothing more");

	pfold_header_info_init(&info);
	is_int(pfold_tracing_data_parse(&info, b.data, b.len, "test", 0), 0, "perf-file parses it");
	is_int(info.nr_tracepoints, 2, "two tracepoints found");
	for (i = 0; i < info.nr_tracepoints; i++)
		ok((info.tracepoints[i].id == 77 && !strcmp(info.tracepoints[i].name, "sysx:ev_a")) ||
		   (info.tracepoints[i].id == 78 && !strcmp(info.tracepoints[i].name, "sysx:ev_b")),
		   "tracepoint %zu: %" PRIu64 " %s", i, info.tracepoints[i].id, info.tracepoints[i].name);
	pfold_header_info_release(&info);
	pfold_buf_release(&b);
}

int main(void)
{
	char dir[] = "/tmp/test-writer.XXXXXX", path[4096];

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/le.data", dir);
	test_file_mode(path, 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/be.data", dir);
	test_file_mode(path, 1);
	unlink(path);
	test_pipe_mode();
	test_pipe_rounds();
	test_header_last(dir);
	test_host_info(dir);
	test_tracing_data(dir);
	test_errors(dir);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		printf("# could not remove %s\n", dir);
	return done_testing();
}
