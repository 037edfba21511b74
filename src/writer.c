// SPDX-License-Identifier: MIT
/* writer.c: the perf.data writer: file mode (header rewritten last) and pipe mode. */
#include <byteswap.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "perf-records.h"
#include "writer.h"

#define DEFAULT_BUF_SIZE (1024 * 1024)
#define NAME_ALIGN 64
#define PFOLD_EVENT_UPDATE_NAME 2	/* perf's PERF_EVENT_UPDATE__NAME */

struct writer_attr {
	struct perf_event_attr attr;
	uint64_t *ids;
	size_t nr_ids;
	char *name;
	uint64_t id_offset;		/* file mode: where its ids are */
};

struct writer_feature {
	uint8_t *data;
	size_t len;
	int set;
};

struct pfold_writer {
	int fd;
	int own_fd;
	int pipe;
	int swap;
	char *name;
	int failed;			/* the first error, negative; 0 while fine */
	int begun;

	/* buffered output */
	uint8_t *buf;
	size_t buf_len, buf_size;
	uint64_t pos;			/* file offset (or stream bytes) after buf */

	struct writer_attr *attrs;
	size_t nr_attrs, alloc_attrs;

	struct writer_feature feat[HEADER_LAST_FEATURE];
	struct pfold_buf build_ids;	/* BUILD_ID entries, file byte order */
	uint8_t *tracing;
	size_t tracing_len;

	uint64_t attrs_offset;		/* file mode */
	uint64_t data_offset, data_size;
};

static uint16_t sw16(uint16_t v, int swap) { return swap ? bswap_16(v) : v; }
static uint32_t sw32(uint32_t v, int swap) { return swap ? bswap_32(v) : v; }
static uint64_t sw64(uint64_t v, int swap) { return swap ? bswap_64(v) : v; }

int pfold_put_u16(struct pfold_buf *b, uint16_t v, int swap)
{
	v = sw16(v, swap);
	return pfold_buf_add(b, &v, sizeof(v));
}

int pfold_put_u32(struct pfold_buf *b, uint32_t v, int swap)
{
	v = sw32(v, swap);
	return pfold_buf_add(b, &v, sizeof(v));
}

int pfold_put_u64(struct pfold_buf *b, uint64_t v, int swap)
{
	v = sw64(v, swap);
	return pfold_buf_add(b, &v, sizeof(v));
}

int pfold_put_perf_string(struct pfold_buf *b, const char *s, int swap)
{
	size_t n = strlen(s) + 1, len = (n + NAME_ALIGN - 1) / NAME_ALIGN * NAME_ALIGN;
	int err;

	if (len > UINT32_MAX)
		return -PFOLD_E_INVAL;
	err = pfold_put_u32(b, (uint32_t)len, swap);
	if (!err)
		err = pfold_buf_add(b, s, n);
	if (!err)
		err = pfold_buf_add_zeros(b, len - n);
	return err;
}

/* reverse the bits of a byte (bitfields of a host of the other byte order) */
static uint8_t revbyte(uint8_t b)
{
	b = (uint8_t)((b & 0xf0) >> 4 | (b & 0x0f) << 4);
	b = (uint8_t)((b & 0xcc) >> 2 | (b & 0x33) << 2);
	b = (uint8_t)((b & 0xaa) >> 1 | (b & 0x55) << 1);
	return b;
}

#define SWAP_FIELD(p, f, bits) do { \
	(p)->f = bswap_##bits((p)->f); \
} while (0)

int pfold_attr_to_file(uint8_t out[PFOLD_WRITER_ATTR_SIZE],
		       const struct perf_event_attr *attr, int swap)
{
	size_t have = attr->size ? attr->size : 64, i;
	const uint8_t *src = (const void *)attr;
	struct perf_event_attr a;
	uint8_t *flags;

	if (have > sizeof(*attr))
		have = sizeof(*attr);
	for (i = PFOLD_WRITER_ATTR_SIZE; i < have; i++)
		if (src[i])
			return pfold_error(PFOLD_E_INVAL,
					   "attr field at byte %zu is past the %d bytes the writer writes",
					   i, PFOLD_WRITER_ATTR_SIZE);
	memset(&a, 0, sizeof(a));
	memcpy(&a, attr, have < sizeof(a) ? have : sizeof(a));
	a.size = PFOLD_WRITER_ATTR_SIZE;
	if (swap) {
		SWAP_FIELD(&a, type, 32);
		SWAP_FIELD(&a, size, 32);
		SWAP_FIELD(&a, config, 64);
		SWAP_FIELD(&a, sample_period, 64);
		SWAP_FIELD(&a, sample_type, 64);
		SWAP_FIELD(&a, read_format, 64);
		SWAP_FIELD(&a, wakeup_events, 32);
		SWAP_FIELD(&a, bp_type, 32);
		SWAP_FIELD(&a, config1, 64);
		SWAP_FIELD(&a, config2, 64);
		SWAP_FIELD(&a, branch_sample_type, 64);
		SWAP_FIELD(&a, sample_regs_user, 64);
		SWAP_FIELD(&a, sample_stack_user, 32);
		SWAP_FIELD(&a, clockid, 32);
		SWAP_FIELD(&a, sample_regs_intr, 64);
		SWAP_FIELD(&a, aux_watermark, 32);
		SWAP_FIELD(&a, sample_max_stack, 16);
		SWAP_FIELD(&a, aux_sample_size, 32);
		SWAP_FIELD(&a, sig_data, 64);
		/* the u64 of bitfields after read_format: a big-endian host
		 * allocates bitfields from the most significant bit */
		flags = (uint8_t *)&a.read_format + sizeof(a.read_format);
		for (i = 0; i < 8; i++)
			flags[i] = revbyte(flags[i]);
	}
	memset(out, 0, PFOLD_WRITER_ATTR_SIZE);
	memcpy(out, &a, sizeof(a) < PFOLD_WRITER_ATTR_SIZE ? sizeof(a) : PFOLD_WRITER_ATTR_SIZE);
	return 0;
}

static int fail_io(struct pfold_writer *w, const char *what, uint64_t off, int err)
{
	w->failed = pfold_error(PFOLD_E_IO, "%s: cannot %s at offset %llu: %s",
				w->name, what, (unsigned long long)off, strerror(err));
	return w->failed;
}

/* all LEN bytes of DATA, EINTR retried, at file offset OFF: appended at the
 * fd's position (write), or in place (POSITIONAL: pwrite); OFF names errors */
static int write_at(struct pfold_writer *w, const void *data, size_t len, uint64_t off,
		    int positional)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = positional ? pwrite(w->fd, p, len, (off_t)off) : write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail_io(w, "write", off, errno);
		if (n == 0)
			return fail_io(w, "write", off, ENOSPC);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int write_all(struct pfold_writer *w, const void *data, size_t len, uint64_t off)
{
	return write_at(w, data, len, off, 0);
}

static int pwrite_all(struct pfold_writer *w, const void *data, size_t len, uint64_t off)
{
	return write_at(w, data, len, off, 1);
}

static int flush_buf(struct pfold_writer *w)
{
	int err;

	if (!w->buf_len)
		return 0;
	err = write_all(w, w->buf, w->buf_len, w->pos - w->buf_len);
	w->buf_len = 0;
	return err;
}

/*
 * Append to the output (buffered); POS counts every byte. The buffer is
 * written out when it reaches a multiple of its size in the file: writes
 * that start and end there let the page cache hold the file in large
 * folios, which a reader maps with a quarter of the page faults (folding a
 * 170 MB dwarf recording: 4,900 faults and 23 ms -> 1,000 and 16 ms).
 */
static int out(struct pfold_writer *w, const void *data, size_t len)
{
	const uint8_t *p = data;
	int err;

	if (w->failed)
		return w->failed;
	while (len) {
		uint64_t start = w->pos - w->buf_len;	/* the file offset of buf[0] */
		size_t room = w->buf_size - (size_t)(start % w->buf_size) - w->buf_len;
		size_t n = len < room ? len : room;

		memcpy(w->buf + w->buf_len, p, n);
		w->buf_len += n;
		w->pos += n;
		p += n;
		len -= n;
		if (n == room && (err = flush_buf(w)))
			return err;
	}
	return 0;
}

static int out_zero(struct pfold_writer *w, size_t len)
{
	static const uint8_t zero[64];
	int err = 0;

	while (len && !err) {
		size_t n = len < sizeof(zero) ? len : sizeof(zero);

		err = out(w, zero, n);
		len -= n;
	}
	return err;
}

static void put_header(struct pfold_record_header *h, uint32_t type, uint16_t misc,
		       uint16_t size, int swap)
{
	h->type = sw32(type, swap);
	h->misc = sw16(misc, swap);
	h->size = sw16(size, swap);
}

static int writer_new(struct pfold_writer **out_w, int fd, const char *name,
		      const struct pfold_writer_opts *opts)
{
	struct pfold_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return -PFOLD_E_NOMEM;
	w->fd = fd;
	w->name = strdup(name ? name : "(output)");
	w->buf_size = opts && opts->buf_size ? opts->buf_size : DEFAULT_BUF_SIZE;
	if (w->buf_size < 4096)
		w->buf_size = 4096;
	w->buf = malloc(w->buf_size);
	if (!w->name || !w->buf) {
		free(w->name);
		free(w->buf);
		free(w);
		return -PFOLD_E_NOMEM;
	}
	w->swap = opts && (opts->flags & PFOLD_WRITER_SWAP);
	*out_w = w;
	return 0;
}

static void writer_free(struct pfold_writer *w)
{
	size_t i;

	for (i = 0; i < w->nr_attrs; i++) {
		free(w->attrs[i].ids);
		free(w->attrs[i].name);
	}
	free(w->attrs);
	for (i = 0; i < HEADER_LAST_FEATURE; i++)
		free(w->feat[i].data);
	pfold_buf_release(&w->build_ids);
	free(w->tracing);
	free(w->buf);
	free(w->name);
	free(w);
}

/* the first bytes of the stream: pipe header, or a file header placeholder */
static int write_start(struct pfold_writer *w)
{
	uint64_t h[2];
	uint8_t zero[PFOLD_FILE_HEADER_SIZE];

	if (w->pipe) {
		h[0] = sw64(PFOLD_PERF_MAGIC2, w->swap);
		h[1] = sw64(PFOLD_PIPE_HEADER_SIZE, w->swap);
		return out(w, h, sizeof(h));
	}
	/* zero magic until the final header: not a perf.data file yet */
	memset(zero, 0, sizeof(zero));
	return out(w, zero, sizeof(zero));
}

int pfold_writer_open_fd(struct pfold_writer **out_w, int fd, const char *name,
			 const struct pfold_writer_opts *opts)
{
	struct pfold_writer *w;
	int err;

	err = writer_new(&w, fd, name, opts);
	if (err)
		return err;
	w->pipe = (opts && (opts->flags & PFOLD_WRITER_PIPE)) ||
		  lseek(fd, 0, SEEK_SET) == (off_t)-1;
	if (!w->pipe && ftruncate(fd, 0) < 0) {
		struct stat st;

		/* a character device (/dev/null) seeks but cannot be truncated */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			err = pfold_error(PFOLD_E_IO, "%s: cannot truncate: %s",
					  w->name, strerror(errno));
			writer_free(w);
			return err;
		}
	}
	err = write_start(w);
	if (err) {
		writer_free(w);
		return err;
	}
	*out_w = w;
	return 0;
}

int pfold_writer_open(struct pfold_writer **out_w, const char *path,
		      const struct pfold_writer_opts *opts)
{
	struct pfold_writer *w;
	int fd, err;

	if (!path || !strcmp(path, "-"))
		return pfold_writer_open_fd(out_w, STDOUT_FILENO, "(stdout)", opts);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return pfold_error(errno == EACCES ? PFOLD_E_PERM : PFOLD_E_IO,
				   "cannot create '%s': %s", path, strerror(errno));
	err = pfold_writer_open_fd(&w, fd, path, opts);
	if (err) {
		close(fd);
		return err;
	}
	w->own_fd = 1;
	*out_w = w;
	return 0;
}

int pfold_writer_is_pipe(const struct pfold_writer *w)
{
	return w->pipe;
}

int pfold_writer_fd(const struct pfold_writer *w)
{
	return w->fd;
}

const char *pfold_writer_name(const struct pfold_writer *w)
{
	return w->name;
}

int pfold_writer_add_attr(struct pfold_writer *w, const struct perf_event_attr *attr,
			  const uint64_t *ids, size_t nr_ids, const char *name)
{
	struct writer_attr *a;
	uint8_t tmp[PFOLD_WRITER_ATTR_SIZE];
	int err;

	if (w->begun)
		return pfold_error(PFOLD_E_INVAL, "%s: event added after the first record",
				   w->name);
	err = pfold_attr_to_file(tmp, attr, 0);
	if (err)
		return err;
	/* a pipe's HEADER_ATTR records have a u16 size */
	if (w->pipe && nr_ids > (65535 - 8 - PFOLD_WRITER_ATTR_SIZE) / 8)
		return pfold_error(PFOLD_E_LIMIT, "%s: %zu ids for one event", w->name, nr_ids);
	err = PFOLD_GROW(w->attrs, w->alloc_attrs, w->nr_attrs + 1);
	if (err)
		return err;
	a = &w->attrs[w->nr_attrs];
	memset(a, 0, sizeof(*a));
	memcpy(&a->attr, tmp, sizeof(a->attr) < sizeof(tmp) ? sizeof(a->attr) : sizeof(tmp));
	a->attr.size = sizeof(a->attr) < PFOLD_WRITER_ATTR_SIZE ? sizeof(a->attr)
							       : PFOLD_WRITER_ATTR_SIZE;
	if (nr_ids) {
		a->ids = malloc(nr_ids * sizeof(*ids));
		if (!a->ids)
			return -PFOLD_E_NOMEM;
		memcpy(a->ids, ids, nr_ids * sizeof(*ids));
	}
	a->nr_ids = nr_ids;
	if (name && !(a->name = strdup(name))) {
		free(a->ids);
		return -PFOLD_E_NOMEM;
	}
	return (int)w->nr_attrs++;
}

int pfold_writer_add_feature(struct pfold_writer *w, unsigned feat,
			     const void *data, size_t len)
{
	struct writer_feature *f;
	uint8_t *copy;

	if (feat == HEADER_RESERVED || feat >= HEADER_LAST_FEATURE ||
	    feat == HEADER_BUILD_ID || feat == HEADER_TRACING_DATA)
		return pfold_error(PFOLD_E_INVAL, "%s: feature %u cannot be added this way",
				   w->name, feat);
	if (w->pipe && w->begun)
		return pfold_error(PFOLD_E_INVAL, "%s: feature %u added after the first record of a pipe",
				   w->name, feat);
	if (len > 65535 - 16 && w->pipe)
		return pfold_error(PFOLD_E_LIMIT, "%s: feature %u is %zu bytes, too big for a pipe record",
				   w->name, feat, len);
	copy = malloc(len ? len : 1);
	if (!copy)
		return -PFOLD_E_NOMEM;
	memcpy(copy, data, len);
	f = &w->feat[feat];
	free(f->data);
	f->data = copy;
	f->len = len;
	f->set = 1;
	return 0;
}

int pfold_writer_set_tracing_data(struct pfold_writer *w, const void *data, size_t len)
{
	uint8_t *copy;

	if (w->pipe && w->begun)
		return pfold_error(PFOLD_E_INVAL, "%s: tracing data after the first record of a pipe",
				   w->name);
	if (len > UINT32_MAX - 8)
		return pfold_error(PFOLD_E_LIMIT, "%s: tracing data of %zu bytes", w->name, len);
	copy = malloc(len ? len : 1);
	if (!copy)
		return -PFOLD_E_NOMEM;
	memcpy(copy, data, len);
	free(w->tracing);
	w->tracing = copy;
	w->tracing_len = len;
	return 0;
}

int pfold_writer_add_build_id(struct pfold_writer *w, int32_t pid, uint16_t misc,
			      const uint8_t *build_id, size_t size, const char *filename)
{
	struct pfold_buf *b = &w->build_ids;
	struct pfold_rec_build_id rec;
	size_t n = strlen(filename) + 1, len = (n + NAME_ALIGN - 1) / NAME_ALIGN * NAME_ALIGN;
	size_t total = sizeof(rec) + len;
	int err;

	if (size > 20 || total > 65535)
		return pfold_error(PFOLD_E_INVAL, "%s: build id of %zu bytes for '%s'",
				   w->name, size, filename);
	memset(&rec, 0, sizeof(rec));
	/* file mode: perf leaves type 0; pipe mode: HEADER_BUILD_ID */
	put_header(&rec.header, w->pipe ? PERF_RECORD_HEADER_BUILD_ID : 0,
		   misc | PFOLD_MISC_BUILD_ID_SIZE, (uint16_t)total, w->swap);
	rec.pid = (int32_t)sw32((uint32_t)pid, w->swap);
	memcpy(rec.data, build_id, size);
	rec.size = (uint8_t)size;
	err = pfold_buf_add(b, &rec, sizeof(rec));
	if (!err)
		err = pfold_buf_add(b, filename, n);
	if (!err)
		err = pfold_buf_add_zeros(b, len - n);
	return err;
}

/*
 * EVENT_DESC (perf write_event_desc): u32 nr, u32 attr size, then per event
 * the attr, u32 nr_ids, the name as a perf string, the ids. Built from the
 * writer's own attrs when the caller gave none.
 */
static int build_event_desc(struct pfold_writer *w, struct pfold_buf *b)
{
	uint8_t attr[PFOLD_WRITER_ATTR_SIZE];
	size_t i, j;
	int err;

	err = pfold_put_u32(b, (uint32_t)w->nr_attrs, w->swap);
	if (!err)
		err = pfold_put_u32(b, PFOLD_WRITER_ATTR_SIZE, w->swap);
	for (i = 0; !err && i < w->nr_attrs; i++) {
		struct writer_attr *a = &w->attrs[i];

		err = pfold_attr_to_file(attr, &a->attr, w->swap);
		if (!err)
			err = pfold_buf_add(b, attr, sizeof(attr));
		if (!err)
			err = pfold_put_u32(b, (uint32_t)a->nr_ids, w->swap);
		if (!err)
			err = pfold_put_perf_string(b, a->name ? a->name : "", w->swap);
		for (j = 0; !err && j < a->nr_ids; j++)
			err = pfold_put_u64(b, a->ids[j], w->swap);
	}
	return err;
}

static int want_event_desc(struct pfold_writer *w)
{
	size_t i;

	if (w->feat[HEADER_EVENT_DESC].set)
		return 0;
	for (i = 0; i < w->nr_attrs; i++)
		if (w->attrs[i].name)
			return 1;
	return 0;
}

static int add_event_desc(struct pfold_writer *w)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	struct pfold_header_info info;
	struct pfold_event_desc *d;
	size_t i;
	int err;

	if (!want_event_desc(w))
		return 0;
	if (w->swap) {
		/* the feature table writes host order only */
		err = build_event_desc(w, &b);
	} else {
		d = calloc(w->nr_attrs, sizeof(*d));
		if (!d)
			return -PFOLD_E_NOMEM;
		for (i = 0; i < w->nr_attrs; i++) {
			d[i].attr = w->attrs[i].attr;
			d[i].name = w->attrs[i].name ? w->attrs[i].name : (char *)"";
			d[i].nr_ids = (uint32_t)w->attrs[i].nr_ids;
			d[i].ids = w->attrs[i].ids;
		}
		pfold_header_info_init(&info);
		info.nr_event_desc = w->nr_attrs;
		info.event_desc = d;	/* borrowed: not released through INFO */
		err = pfold_feature_write(&b, HEADER_EVENT_DESC, &info);
		free(d);
		err = err < 0 ? err : 0;
	}
	if (!err && b.len)
		err = pfold_writer_add_feature(w, HEADER_EVENT_DESC, b.data, b.len);
	pfold_buf_release(&b);
	return err;
}

int pfold_writer_set_header_info(struct pfold_writer *w, const struct pfold_header_info *info)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	unsigned feat;
	size_t i;
	int err = 0;

	if (w->swap)
		return pfold_error(PFOLD_E_UNSUPPORTED,
				   "%s: features of the other byte order must be given as bytes",
				   w->name);
	for (feat = HEADER_HOSTNAME; !err && feat < HEADER_LAST_FEATURE; feat++) {
		if (!pfold_feature_can_write(feat))
			continue;
		pfold_buf_reset(&b);
		err = pfold_feature_write(&b, feat, info);
		if (err > 0)
			err = pfold_writer_add_feature(w, feat, b.data, b.len);
	}
	pfold_buf_release(&b);
	for (i = 0; !err && i < info->nr_build_ids; i++) {
		const struct pfold_build_id *bid = &info->build_ids[i];

		err = pfold_writer_add_build_id(w, bid->pid, bid->misc, bid->id,
						bid->size > 20 ? 20 : bid->size,
						bid->filename ? bid->filename : "");
	}
	if (!err && info->tracing_data_size)
		err = pfold_writer_set_tracing_data(w, info->tracing_data, info->tracing_data_size);
	return err < 0 ? err : 0;
}

static char *read_small_file(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return strdup(buf);
}

/* the value of "KEY<spaces>: value" in /proc/cpuinfo text, strdup'd */
static char *cpuinfo_value(const char *text, const char *key)
{
	const char *p = text;
	size_t klen = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, klen) && (p[klen] == ' ' || p[klen] == '\t' || p[klen] == ':')) {
			const char *v = strchr(p, ':'), *e;

			if (!v)
				return NULL;
			v++;
			while (*v == ' ')
				v++;
			e = strchr(v, '\n');
			return e ? strndup(v, (size_t)(e - v)) : strdup(v);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

int pfold_writer_host_info(struct pfold_header_info *info, int argc, const char *const *argv)
{
	struct utsname u;
	char *cpuinfo, *vendor, *family, *model, *stepping, *meminfo;
	long n;
	int i;

	if (uname(&u) == 0) {
		info->hostname = strdup(u.nodename);
		info->osrelease = strdup(u.release);
		info->arch = strdup(u.machine);
		if (!info->hostname || !info->osrelease || !info->arch)
			return -PFOLD_E_NOMEM;
	}
	info->version = strdup(pfold_version());
	if (!info->version)
		return -PFOLD_E_NOMEM;
	n = sysconf(_SC_NPROCESSORS_CONF);
	info->nr_cpus_avail = n > 0 ? (uint32_t)n : 1;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	info->nr_cpus_online = n > 0 ? (uint32_t)n : 1;

	/* /proc/cpuinfo is longer than 4 KiB on big machines: the first CPU is enough */
	cpuinfo = read_small_file("/proc/cpuinfo");
	if (cpuinfo) {
		info->cpudesc = cpuinfo_value(cpuinfo, "model name");
		vendor = cpuinfo_value(cpuinfo, "vendor_id");
		family = cpuinfo_value(cpuinfo, "cpu family");
		model = cpuinfo_value(cpuinfo, "model");
		stepping = cpuinfo_value(cpuinfo, "stepping");
		/* perf's x86 get_cpuid(): vendor,family,model,stepping */
		if (vendor && family && model && stepping &&
		    asprintf(&info->cpuid, "%s,%s,%s,%s", vendor, family, model, stepping) < 0)
			info->cpuid = NULL;
		free(vendor);
		free(family);
		free(model);
		free(stepping);
		free(cpuinfo);
	}
	meminfo = read_small_file("/proc/meminfo");
	if (meminfo) {
		char *v = cpuinfo_value(meminfo, "MemTotal");

		if (v)
			info->total_mem = strtoull(v, NULL, 10);
		free(v);
		free(meminfo);
	}
	if (argc > 0) {
		info->cmdline = calloc((size_t)argc, sizeof(char *));
		if (!info->cmdline)
			return -PFOLD_E_NOMEM;
		for (i = 0; i < argc; i++) {
			info->cmdline[i] = strdup(argv[i]);
			if (!info->cmdline[i])
				return -PFOLD_E_NOMEM;
			info->nr_cmdline = (size_t)i + 1;
		}
	}
	return 0;
}

/* the whole of a (tracefs) file, whose stat size means nothing, appended to B */
static int read_whole(struct pfold_buf *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	if (fd < 0)
		return -PFOLD_E_NOT_FOUND;
	for (;;) {
		err = pfold_buf_grow(b, 65536);
		if (err)
			break;
		n = read(fd, b->data + b->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -PFOLD_E_IO : 0;
			break;
		}
		b->len += (size_t)n;
	}
	close(fd);
	return err;
}

/* perf's record_file(): the size in SIZE_BYTES bytes (4 or 8), then the file */
static int put_file(struct pfold_buf *out, const char *path, int size_bytes)
{
	struct pfold_buf f = PFOLD_BUF_INIT;
	int err = read_whole(&f, path);

	if (!err)
		err = size_bytes == 8 ? pfold_put_u64(out, f.len, 0)
				      : pfold_put_u32(out, (uint32_t)f.len, 0);
	if (!err)
		err = pfold_buf_add(out, f.data ? f.data : "", f.len);
	pfold_buf_release(&f);
	return err;
}

int pfold_tracing_data_build(struct pfold_buf *out, const char *tracefs,
			     const char *const *names, size_t n)
{
	static const char magic[10] = { 23, 8, 68, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	char path[4096], sys[256], ev[256];
	size_t i, j, nsys;
	long page = sysconf(_SC_PAGESIZE);
	int err;

	if (!tracefs)
		tracefs = "/sys/kernel/tracing";
	snprintf(path, sizeof(path), "%s/events/header_page", tracefs);
	if (access(path, R_OK))
		return pfold_error(PFOLD_E_TRACEFS, "cannot read '%s': %s", path, strerror(errno));
	for (i = 0; i < n; i++) {
		const char *colon = strchr(names[i], ':');

		if (!colon || colon == names[i] || !colon[1] || strchr(names[i], '/') ||
		    (size_t)(colon - names[i]) >= sizeof(sys) || strlen(colon + 1) >= sizeof(ev))
			return pfold_error(PFOLD_E_EVENT, "'%s' is not a tracepoint name", names[i]);
		snprintf(path, sizeof(path), "%s/events/%.*s/%s/format", tracefs,
			 (int)(colon - names[i]), names[i], colon + 1);
		if (access(path, R_OK))
			return pfold_error(PFOLD_E_EVENT, "no tracepoint '%s' (%s)", names[i], path);
	}
	err = pfold_buf_add(out, magic, sizeof(magic));
	err = err ? err : pfold_buf_add(out, "0.6", 4);
	err = err ? err : pfold_buf_addch(out, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	err = err ? err : pfold_buf_addch(out, (int)sizeof(long));
	err = err ? err : pfold_put_u32(out, (uint32_t)page, 0);
	err = err ? err : pfold_buf_add(out, "header_page", 12);
	snprintf(path, sizeof(path), "%s/events/header_page", tracefs);
	err = err ? err : put_file(out, path, 8);
	err = err ? err : pfold_buf_add(out, "header_event", 13);
	snprintf(path, sizeof(path), "%s/events/header_event", tracefs);
	err = err ? err : put_file(out, path, 8);
	err = err ? err : pfold_put_u32(out, 0, 0);	/* ftrace formats */
	if (err)
		return err == -PFOLD_E_NOMEM ? err
			: pfold_error(PFOLD_E_TRACEFS, "cannot read the tracefs headers under '%s'", tracefs);

	/* systems in order of first appearance, each with its events */
	for (i = 0, nsys = 0; i < n; i++) {
		size_t len = (size_t)(strchr(names[i], ':') - names[i]);

		for (j = 0; j < i; j++)
			if (!strncmp(names[j], names[i], len) && names[j][len] == ':')
				break;
		nsys += j == i;
	}
	err = pfold_put_u32(out, (uint32_t)nsys, 0);
	for (i = 0; !err && i < n; i++) {
		size_t len = (size_t)(strchr(names[i], ':') - names[i]), k, count = 0;

		for (j = 0; j < i; j++)
			if (!strncmp(names[j], names[i], len) && names[j][len] == ':')
				break;
		if (j < i)
			continue;	/* system written already */
		memcpy(sys, names[i], len);
		sys[len] = 0;
		err = pfold_buf_add(out, sys, len + 1);
		/* count the distinct events of this system */
		for (j = i; j < n; j++) {
			if (strncmp(names[j], sys, len) || names[j][len] != ':')
				continue;
			for (k = i; k < j; k++)
				if (!strcmp(names[k], names[j]))
					break;
			count += k == j;
		}
		err = err ? err : pfold_put_u32(out, (uint32_t)count, 0);
		for (j = i; !err && j < n; j++) {
			if (strncmp(names[j], sys, len) || names[j][len] != ':')
				continue;
			for (k = i; k < j; k++)
				if (!strcmp(names[k], names[j]))
					break;
			if (k < j)
				continue;
			snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs, sys,
				 names[j] + len + 1);
			err = put_file(out, path, 8);
			if (err && err != -PFOLD_E_NOMEM)
				err = pfold_error(PFOLD_E_EVENT, "cannot read '%s'", path);
		}
	}
	err = err ? err : pfold_put_u32(out, 0, 0);	/* /proc/kallsyms: left out */
	err = err ? err : pfold_put_u32(out, 0, 0);	/* printk formats: left out */
	err = err ? err : pfold_put_u64(out, 0, 0);	/* saved cmdlines: left out */
	return err;
}

static int begin_file(struct pfold_writer *w)
{
	uint8_t attr[PFOLD_WRITER_ATTR_SIZE];
	uint64_t sec[2];
	size_t i, j;
	int err = 0;

	for (i = 0; !err && i < w->nr_attrs; i++) {
		struct writer_attr *a = &w->attrs[i];

		a->id_offset = w->pos;
		for (j = 0; !err && j < a->nr_ids; j++) {
			uint64_t id = sw64(a->ids[j], w->swap);

			err = out(w, &id, sizeof(id));
		}
	}
	w->attrs_offset = w->pos;
	for (i = 0; !err && i < w->nr_attrs; i++) {
		struct writer_attr *a = &w->attrs[i];

		err = pfold_attr_to_file(attr, &a->attr, w->swap);
		if (!err)
			err = out(w, attr, sizeof(attr));
		sec[0] = sw64(a->id_offset, w->swap);
		sec[1] = sw64(a->nr_ids * sizeof(uint64_t), w->swap);
		if (!err)
			err = out(w, sec, sizeof(sec));
	}
	w->data_offset = w->pos;
	return err;
}

static int out_record_header(struct pfold_writer *w, uint32_t type, uint16_t misc, size_t size)
{
	struct pfold_record_header h;

	put_header(&h, type, misc, (uint16_t)size, w->swap);
	return out(w, &h, sizeof(h));
}

static int begin_pipe(struct pfold_writer *w)
{
	uint8_t attr[PFOLD_WRITER_ATTR_SIZE];
	size_t i, j;
	int err = 0;

	for (i = 0; !err && i < w->nr_attrs; i++) {
		struct writer_attr *a = &w->attrs[i];
		size_t size = 8 + PFOLD_WRITER_ATTR_SIZE + a->nr_ids * 8;

		err = out_record_header(w, PERF_RECORD_HEADER_ATTR, 0, size);
		if (!err)
			err = pfold_attr_to_file(attr, &a->attr, w->swap);
		if (!err)
			err = out(w, attr, sizeof(attr));
		for (j = 0; !err && j < a->nr_ids; j++) {
			uint64_t id = sw64(a->ids[j], w->swap);

			err = out(w, &id, sizeof(id));
		}
	}
	/* EVENT_UPDATE names, as perf record does in a pipe: perf takes event
	 * names from them (not from EVENT_DESC) when reading a stream */
	for (i = 0; !err && i < w->nr_attrs; i++) {
		struct writer_attr *a = &w->attrs[i];
		size_t len = a->name ? strlen(a->name) + 1 : 0;
		size_t size = (16 + 8 + len + 7) & ~(size_t)7;
		uint64_t v[2];

		if (!a->name || !a->nr_ids || size > 65535)
			continue;
		err = out_record_header(w, PERF_RECORD_EVENT_UPDATE, 0, size);
		v[0] = sw64(PFOLD_EVENT_UPDATE_NAME, w->swap);
		v[1] = sw64(a->ids[0], w->swap);
		if (!err)
			err = out(w, v, sizeof(v));
		if (!err)
			err = out(w, a->name, len);
		if (!err)
			err = out_zero(w, size - 24 - len);
	}
	/* HEADER_FEATURE records: perf synthesizes every feature but those
	 * without a record form (TRACING_DATA, BUILD_ID and a few others) */
	for (i = HEADER_HOSTNAME; !err && i < HEADER_LAST_FEATURE; i++) {
		struct writer_feature *f = &w->feat[i];
		uint64_t id = sw64(i, w->swap);
		size_t pad = (8 - f->len % 8) % 8;

		if (!f->set)
			continue;
		err = out_record_header(w, PERF_RECORD_HEADER_FEATURE, 0, 16 + f->len + pad);
		if (!err)
			err = out(w, &id, sizeof(id));
		if (!err)
			err = out(w, f->data, f->len);
		if (!err)
			err = out_zero(w, pad);
	}
	if (!err) {
		uint64_t id = sw64(HEADER_LAST_FEATURE, w->swap);

		err = out_record_header(w, PERF_RECORD_HEADER_FEATURE, 0, 16);
		if (!err)
			err = out(w, &id, sizeof(id));
	}
	if (!err && w->tracing) {
		struct pfold_rec_tracing_data td;
		size_t aligned = (w->tracing_len + 7) & ~(size_t)7;

		put_header(&td.header, PERF_RECORD_HEADER_TRACING_DATA, 0, sizeof(td), w->swap);
		td.size = sw32((uint32_t)aligned, w->swap);
		td.pad = 0;
		err = out(w, &td, sizeof(td));
		if (!err)
			err = out(w, w->tracing, w->tracing_len);
		if (!err)
			err = out_zero(w, aligned - w->tracing_len);
	}
	return err;
}

int pfold_writer_begin(struct pfold_writer *w)
{
	int err;

	if (w->failed)
		return w->failed;
	if (w->begun)
		return 0;
	/* EVENT_DESC goes out with the other features in a pipe */
	err = w->pipe ? add_event_desc(w) : 0;
	w->begun = 1;
	if (!err)
		err = w->pipe ? begin_pipe(w) : begin_file(w);
	if (err && !w->failed)
		w->failed = err;
	w->data_offset = w->pipe ? 0 : w->data_offset;
	w->data_size = 0;
	return err;
}

int pfold_writer_write(struct pfold_writer *w, const void *data, size_t len)
{
	int err;

	if (!w->begun) {
		err = pfold_writer_begin(w);
		if (err)
			return err;
	}
	err = out(w, data, len);
	if (!err)
		w->data_size += len;
	return err;
}

static int write_empty_record(struct pfold_writer *w, uint32_t type)
{
	struct pfold_record_header h;

	put_header(&h, type, 0, sizeof(h), w->swap);
	return pfold_writer_write(w, &h, sizeof(h));
}

int pfold_writer_finished_init(struct pfold_writer *w)
{
	return write_empty_record(w, PERF_RECORD_FINISHED_INIT);
}

int pfold_writer_finished_round(struct pfold_writer *w)
{
	int err = write_empty_record(w, PERF_RECORD_FINISHED_ROUND);

	/* a pipe's reader gets each round as it ends, not a buffer later */
	return err || !w->pipe ? err : flush_buf(w);
}

uint64_t pfold_writer_data_size(const struct pfold_writer *w)
{
	return w->data_size;
}

/* file mode: feature index + sections after the data, then the header */
static int finish_file(struct pfold_writer *w)
{
	uint64_t bitmap[HEADER_FEAT_BITS / 64] = { 0 };
	uint64_t hdr[PFOLD_FILE_HEADER_SIZE / 8];
	uint64_t feat_offset, *index = NULL;
	size_t nr = 0, i, k;
	int err;

	err = add_event_desc(w);
	if (err)
		return err;
	for (i = 0; i < HEADER_LAST_FEATURE; i++) {
		int have = w->feat[i].set ||
			   (i == HEADER_BUILD_ID && w->build_ids.len) ||
			   (i == HEADER_TRACING_DATA && w->tracing);

		if (have) {
			bitmap[i / 64] |= 1ULL << (i % 64);
			nr++;
		}
	}
	feat_offset = w->data_offset + w->data_size;
	if (w->pos != feat_offset)
		return pfold_error(PFOLD_E_IO, "%s: data section ends at %llu, not %llu",
				   w->name, (unsigned long long)w->pos,
				   (unsigned long long)feat_offset);
	index = calloc(nr ? nr : 1, 2 * sizeof(uint64_t));
	if (!index)
		return -PFOLD_E_NOMEM;
	err = out_zero(w, nr * 16);
	for (i = 0, k = 0; !err && i < HEADER_LAST_FEATURE; i++) {
		const void *data;
		size_t len;

		if (!(bitmap[i / 64] & (1ULL << (i % 64))))
			continue;
		if (i == HEADER_BUILD_ID) {
			data = w->build_ids.data;
			len = w->build_ids.len;
		} else if (i == HEADER_TRACING_DATA) {
			data = w->tracing;
			len = w->tracing_len;
		} else {
			data = w->feat[i].data;
			len = w->feat[i].len;
		}
		index[2 * k] = sw64(w->pos, w->swap);
		index[2 * k + 1] = sw64(len, w->swap);
		k++;
		err = out(w, data, len);
	}
	if (!err)
		err = flush_buf(w);
	if (!err)
		err = pwrite_all(w, index, nr * 16, feat_offset);
	free(index);
	if (err)
		return err;

	/* the header, last: magic, size, attr_size, attrs, data, event_types, features */
	memset(hdr, 0, sizeof(hdr));
	hdr[0] = sw64(PFOLD_PERF_MAGIC2, w->swap);
	hdr[1] = sw64(PFOLD_FILE_HEADER_SIZE, w->swap);
	hdr[2] = sw64(PFOLD_FILE_ATTR_SIZE, w->swap);
	hdr[3] = sw64(w->attrs_offset, w->swap);
	hdr[4] = sw64(w->nr_attrs * PFOLD_FILE_ATTR_SIZE, w->swap);
	hdr[5] = sw64(w->data_offset, w->swap);
	hdr[6] = sw64(w->data_size, w->swap);
	for (i = 0; i < HEADER_FEAT_BITS / 64; i++)
		hdr[9 + i] = sw64(bitmap[i], w->swap);
	return pwrite_all(w, hdr, sizeof(hdr), 0);
}

static int finish_pipe(struct pfold_writer *w)
{
	int err;

	/* HEADER_BUILD_ID records go after the data, as perf inject -b does */
	err = out(w, w->build_ids.data, w->build_ids.len);
	if (!err)
		err = flush_buf(w);
	return err;
}

int pfold_writer_close(struct pfold_writer *w)
{
	int err = 0;

	if (!w)
		return 0;
	if (!w->failed && !w->begun)
		err = pfold_writer_begin(w);
	if (!err && w->failed)
		err = w->failed;
	if (!err)
		err = w->pipe ? finish_pipe(w) : finish_file(w);
	if (w->own_fd && close(w->fd) < 0 && !err)
		err = fail_io(w, "close", w->pos, errno);
	/* keep the failing detail for the caller */
	if (err && w->failed && err != w->failed)
		err = w->failed;
	writer_free(w);
	return err;
}

void pfold_writer_abort(struct pfold_writer *w)
{
	if (!w)
		return;
	if (w->own_fd)
		close(w->fd);
	writer_free(w);
}
