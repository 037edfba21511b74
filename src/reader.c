// SPDX-License-Identifier: MIT
/* reader.c: the perf.data record stream: file/pipe mode, byte order, zstd, attrs by id, time order. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "buf.h"
#include "error.h"
#include "map-guard.h"
#include "map-window.h"
#include "ordered.h"
#include "reader.h"

#define OE_FROM_COMPRESSED 1
#define MAX_ATTRS 65536
#define MAX_NAME_PASSES 16	/* full naming passes (features that name events) */
#define MAX_EVENT_TYPES 1024	/* EVENT_TYPE records applied */
#define MAX_DESC_PER_ATTR 4096	/* EVENT_DESC entries searched for one new ATTR */
#define MAX_PAYLOAD ((uint64_t)256 << 20)

struct pfold_reader {
	char *path;
	int fd, own_fd;
	struct pfold_reader_options opts;
	int pipe, swap, ordered;

	/* file mode: the whole file, mapped (or read when not mappable) */
	uint8_t *map;
	size_t map_size;
	int mapped;
	struct pfold_file_header fh;
	uint64_t pos, end;		/* data section cursor within map */
	uint64_t data_start;		/* where the data section begins in map */
	struct pfold_map_window *window;	/* file mode: maps pages in ahead, gives them back behind */

	/* pipe mode: buffered input */
	uint8_t *in;
	size_t in_alloc, in_start, in_end;
	uint64_t in_offset;		/* stream offset of in[in_start] */
	int eof;

	/* attrs and the id -> attr index */
	struct pfold_attr **attrs;	/* each allocated once: pointers stay valid */
	size_t nr_attrs, attrs_alloc;
	char **names;			/* owned name of each attr, or NULL */
	unsigned char *name_src;	/* where names[i] came from: NAME_* */
	char **old_names;		/* names replaced by better ones: kept until close */
	size_t nr_old_names, old_names_alloc;
	uint64_t *hkeys;
	uint32_t *hvals;		/* attr index + 1; 0 = empty */
	size_t hsize, hcount;

	struct pfold_header_info info;

	/* COMPRESSED(2): one zstd stream across records */
	ZSTD_DStream *zds;
	uint8_t *dbuf;
	size_t dbuf_alloc, dpos, dend;
	uint64_t doffset;		/* offset of the compressed record last inflated */

	struct pfold_ordered oe;
	uint64_t queue_last;		/* the time queued last */
	int queued_any, queue_reordered;	/* the queue changed the file's order */
	unsigned name_passes;		/* name_attrs() over every attr so far */
	unsigned nr_event_types;	/* EVENT_TYPE records applied */

	struct pfold_event ev;
	uint8_t *scratch;
	size_t scratch_alloc;
	struct pfold_read_value *readv;
	size_t readv_alloc;
	struct pfold_reader_stats stats;
	int failed;
};

/* ---- names ---- */

static const char *const hw_names[] = {
	"cycles", "instructions", "cache-references", "cache-misses", "branches",
	"branch-misses", "bus-cycles", "stalled-cycles-frontend",
	"stalled-cycles-backend", "ref-cycles",
};

static const char *const sw_names[] = {
	"cpu-clock", "task-clock", "page-faults", "context-switches",
	"cpu-migrations", "minor-faults", "major-faults", "alignment-faults",
	"emulation-faults", "dummy", "bpf-output", "cgroup-switches",
};

static const char *const cache_names[] = {
	"L1-dcache", "L1-icache", "LLC", "dTLB", "iTLB", "branch", "node",
};
static const char *const cache_ops[] = { "load", "store", "prefetch" };

static void add_modifiers(char *buf, size_t len, const struct perf_event_attr *a)
{
	char mod[16];
	size_t n = 0;

	if (a->exclude_kernel || a->exclude_user || a->exclude_hv) {
		if (!a->exclude_kernel)
			mod[n++] = 'k';
		if (!a->exclude_user)
			mod[n++] = 'u';
		if (!a->exclude_hv)
			mod[n++] = 'h';
	}
	for (unsigned i = 0; i < a->precise_ip && n < 8; i++)
		mod[n++] = 'p';
	mod[n] = 0;
	if (n) {
		size_t l = strlen(buf);

		snprintf(buf + l, len - l, ":%s", mod);
	}
}

const char *pfold_attr_default_name(char *buf, size_t len, const struct perf_event_attr *a,
				    const struct pfold_header_info *info)
{
	size_t i;

	switch (a->type) {
	case PERF_TYPE_HARDWARE:
		if (a->config < sizeof(hw_names) / sizeof(hw_names[0]))
			snprintf(buf, len, "%s", hw_names[a->config]);
		else
			snprintf(buf, len, "unknown-hardware");
		break;
	case PERF_TYPE_SOFTWARE:
		if (a->config < sizeof(sw_names) / sizeof(sw_names[0]))
			snprintf(buf, len, "%s", sw_names[a->config]);
		else
			snprintf(buf, len, "unknown-software");
		break;
	case PERF_TYPE_HW_CACHE: {
		uint64_t c = a->config & 0xff, op = (a->config >> 8) & 0xff, res = (a->config >> 16) & 0xff;

		if (c < 7 && op < 3 && res < 2)
			snprintf(buf, len, "%s-%s%s", cache_names[c], cache_ops[op],
				 res ? "-misses" : (op == 2 ? "es" : "s"));
		else
			snprintf(buf, len, "unknown-cache");
		break;
	}
	case PERF_TYPE_TRACEPOINT:
		for (i = 0; info && i < info->nr_tracepoints; i++) {
			if (info->tracepoints[i].id == a->config) {
				snprintf(buf, len, "%s", info->tracepoints[i].name);
				return buf;
			}
		}
		snprintf(buf, len, "raw 0x%llx", (unsigned long long)a->config);
		return buf;
	case PERF_TYPE_BREAKPOINT:
		snprintf(buf, len, "mem:0x%llx", (unsigned long long)a->bp_addr);
		return buf;
	case PERF_TYPE_RAW:
		snprintf(buf, len, "raw 0x%llx", (unsigned long long)a->config);
		break;
	default:
		for (i = 0; info && i < info->nr_pmu_mappings; i++) {
			if (info->pmu_mappings[i].type == a->type) {
				snprintf(buf, len, "%s/config=0x%llx/", info->pmu_mappings[i].name,
					 (unsigned long long)a->config);
				return buf;
			}
		}
		snprintf(buf, len, "raw 0x%llx", (unsigned long long)a->config);
		return buf;
	}
	add_modifiers(buf, len, a);
	return buf;
}

static const char *const record_names[PFOLD_RECORD_TYPE_MAX] = {
	[PERF_RECORD_MMAP] = "MMAP",
	[PERF_RECORD_LOST] = "LOST",
	[PERF_RECORD_COMM] = "COMM",
	[PERF_RECORD_EXIT] = "EXIT",
	[PERF_RECORD_THROTTLE] = "THROTTLE",
	[PERF_RECORD_UNTHROTTLE] = "UNTHROTTLE",
	[PERF_RECORD_FORK] = "FORK",
	[PERF_RECORD_READ] = "READ",
	[PERF_RECORD_SAMPLE] = "SAMPLE",
	[PERF_RECORD_MMAP2] = "MMAP2",
	[11] = "AUX",
	[12] = "ITRACE_START",
	[13] = "LOST_SAMPLES",
	[14] = "SWITCH",
	[15] = "SWITCH_CPU_WIDE",
	[16] = "NAMESPACES",
	[17] = "KSYMBOL",
	[18] = "BPF_EVENT",
	[19] = "CGROUP",
	[20] = "TEXT_POKE",
	[21] = "AUX_OUTPUT_HW_ID",
	[PERF_RECORD_HEADER_ATTR] = "ATTR",
	[PERF_RECORD_HEADER_EVENT_TYPE] = "EVENT_TYPE",
	[PERF_RECORD_HEADER_TRACING_DATA] = "TRACING_DATA",
	[PERF_RECORD_HEADER_BUILD_ID] = "BUILD_ID",
	[PERF_RECORD_FINISHED_ROUND] = "FINISHED_ROUND",
	[PERF_RECORD_ID_INDEX] = "ID_INDEX",
	[PERF_RECORD_AUXTRACE_INFO] = "AUXTRACE_INFO",
	[PERF_RECORD_AUXTRACE] = "AUXTRACE",
	[PERF_RECORD_AUXTRACE_ERROR] = "AUXTRACE_ERROR",
	[PERF_RECORD_THREAD_MAP] = "THREAD_MAP",
	[PERF_RECORD_CPU_MAP] = "CPU_MAP",
	[PERF_RECORD_STAT_CONFIG] = "STAT_CONFIG",
	[PERF_RECORD_STAT] = "STAT",
	[PERF_RECORD_STAT_ROUND] = "STAT_ROUND",
	[PERF_RECORD_EVENT_UPDATE] = "EVENT_UPDATE",
	[PERF_RECORD_TIME_CONV] = "TIME_CONV",
	[PERF_RECORD_HEADER_FEATURE] = "FEATURE",
	[PERF_RECORD_COMPRESSED] = "COMPRESSED",
	[PERF_RECORD_FINISHED_INIT] = "FINISHED_INIT",
	[PERF_RECORD_COMPRESSED2] = "COMPRESSED2",
};

const char *pfold_record_name(uint32_t type)
{
	if (type < PFOLD_RECORD_TYPE_MAX && record_names[type])
		return record_names[type];
	return "UNKNOWN";
}

static int known_type(uint32_t type)
{
	return type < PFOLD_RECORD_TYPE_MAX && record_names[type];
}

/* ---- errors ---- */

static int fail(struct pfold_reader *r, int code, uint64_t offset, const char *what)
{
	r->failed = 1;
	return pfold_error(code, "%s: %s at offset %" PRIu64, r->path, what, offset);
}

/* ---- attrs ---- */

static int id_insert(struct pfold_reader *r, uint64_t id, uint32_t idx)
{
	size_t i, mask;

	if ((r->hcount + 1) * 2 > r->hsize) {
		size_t nsize = r->hsize ? r->hsize * 2 : 64, j;
		uint64_t *nk = calloc(nsize, sizeof(*nk));
		uint32_t *nv = calloc(nsize, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -PFOLD_E_NOMEM;
		}
		for (j = 0; j < r->hsize; j++) {
			if (!r->hvals[j])
				continue;
			i = (size_t)(r->hkeys[j] * 0x9E3779B97F4A7C15ULL) & (nsize - 1);
			while (nv[i])
				i = (i + 1) & (nsize - 1);
			nk[i] = r->hkeys[j];
			nv[i] = r->hvals[j];
		}
		free(r->hkeys);
		free(r->hvals);
		r->hkeys = nk;
		r->hvals = nv;
		r->hsize = nsize;
	}
	mask = r->hsize - 1;
	i = (size_t)(id * 0x9E3779B97F4A7C15ULL) & mask;
	while (r->hvals[i]) {
		if (r->hkeys[i] == id) {
			r->hvals[i] = idx + 1;
			return 0;
		}
		i = (i + 1) & mask;
	}
	r->hkeys[i] = id;
	r->hvals[i] = idx + 1;
	r->hcount++;
	return 0;
}

static struct pfold_attr *id_lookup(const struct pfold_reader *r, uint64_t id)
{
	size_t i, mask;

	if (!r->hsize)
		return NULL;
	mask = r->hsize - 1;
	i = (size_t)(id * 0x9E3779B97F4A7C15ULL) & mask;
	while (r->hvals[i]) {
		if (r->hkeys[i] == id)
			return r->attrs[r->hvals[i] - 1];
		i = (i + 1) & mask;
	}
	return NULL;
}

/* where an attr's name came from, weakest first */
enum { NAME_DERIVED, NAME_DESC, NAME_UPDATE };

/*
 * Give attr I the name N (owned, taken even on failure) from SRC. A name
 * already handed out may be held by a consumer: the one it replaces is kept
 * until close, so attr->name can move but never dangles.
 */
static int set_name(struct pfold_reader *r, size_t i, char *n, unsigned src)
{
	if (!n)
		return -PFOLD_E_NOMEM;
	if (r->names[i] && !strcmp(r->names[i], n)) {
		free(n);
	} else {
		if (r->names[i]) {
			if (r->nr_old_names == r->old_names_alloc) {
				size_t k = r->old_names_alloc ? r->old_names_alloc * 2 : 8;
				char **o = realloc(r->old_names, k * sizeof(*o));

				if (!o) {
					free(n);
					return -PFOLD_E_NOMEM;
				}
				r->old_names = o;
				r->old_names_alloc = k;
			}
			r->old_names[r->nr_old_names++] = r->names[i];
		}
		r->names[i] = n;
	}
	r->name_src[i] = (unsigned char)src;
	r->attrs[i]->name = r->names[i];
	return 0;
}

/*
 * Name the attrs from FIRST on as perf does: the first name given stays (an
 * EVENT_UPDATE name replaces any); else the EVENT_DESC entry whose first id
 * is the attr's first id (or, for an entry listing no ids, the one at the
 * attr's position); else the name derived from the attr, redone as
 * TRACING_DATA or pmu_mappings arrive. In pipe mode these come after the
 * ATTR records, so names move from derived to EVENT_DESC here. A pass over
 * every attr (FIRST 0) costs O(attrs + entries): hostile input repeating the
 * features gets MAX_NAME_PASSES of them.
 */
static int name_attrs(struct pfold_reader *r, size_t first)
{
	size_t i, j;
	char buf[128];

	if (!first) {
		if (r->name_passes >= MAX_NAME_PASSES)
			return 0;
		r->name_passes++;
	}
	/* perf writes EVENT_DESC after the attrs: one before a new ATTR is rare */
	for (j = 0; (!first || r->info.nr_event_desc <= MAX_DESC_PER_ATTR) && j < 2 * r->info.nr_event_desc; j++) {
		const struct pfold_event_desc *d = &r->info.event_desc[j % r->info.nr_event_desc];
		int by_id = j < r->info.nr_event_desc;	/* entries with ids first */
		struct pfold_attr *a;

		if (!d->name || by_id != !!d->nr_ids)
			continue;
		if (by_id) {
			a = id_lookup(r, d->ids[0]);
			if (a && a->ids[0] != d->ids[0])
				a = NULL;
		} else {
			i = j - r->info.nr_event_desc;
			a = i < r->nr_attrs ? r->attrs[i] : NULL;
		}
		if (!a || a->idx < first || r->name_src[a->idx] != NAME_DERIVED)
			continue;
		if (set_name(r, a->idx, strdup(d->name), NAME_DESC))
			goto nomem;
	}
	for (i = first; i < r->nr_attrs; i++) {
		if (r->name_src[i] != NAME_DERIVED)
			continue;	/* perf's evlist__set_event_name: a named event keeps its name */
		pfold_attr_default_name(buf, sizeof(buf), &r->attrs[i]->attr, &r->info);
		if (r->names[i] && !strcmp(r->names[i], buf))
			continue;
		if (set_name(r, i, strdup(buf), NAME_DERIVED))
			goto nomem;
	}
	return 0;
nomem:
	return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
}

static int add_attr(struct pfold_reader *r, const void *src, size_t attr_size,
		    const uint64_t *ids, size_t nr_ids, int ids_swap, uint64_t offset)
{
	struct pfold_attr *a;
	size_t i;
	int ret;

	if (r->nr_attrs >= MAX_ATTRS)
		return fail(r, PFOLD_E_LIMIT, offset, "too many event attributes");
	if (r->nr_attrs == r->attrs_alloc) {
		size_t n = r->attrs_alloc ? r->attrs_alloc * 2 : 8;
		struct pfold_attr **na = realloc(r->attrs, n * sizeof(*na));
		char **nn;
		unsigned char *ns;

		if (!na)
			return -PFOLD_E_NOMEM;
		r->attrs = na;
		nn = realloc(r->names, n * sizeof(*nn));
		if (!nn)
			return -PFOLD_E_NOMEM;
		r->names = nn;
		ns = realloc(r->name_src, n);
		if (!ns)
			return -PFOLD_E_NOMEM;
		r->name_src = ns;
		r->attrs_alloc = n;
		/* ids hash keeps indexes, attr names point into names[] or old_names[]: stable */
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return -PFOLD_E_NOMEM;
	r->attrs[r->nr_attrs] = a;
	r->names[r->nr_attrs] = NULL;
	r->name_src[r->nr_attrs] = NAME_DERIVED;
	a->idx = (unsigned)r->nr_attrs;
	pfold_attr_from_file(&a->attr, src, attr_size, r->swap);
	a->file_attr_size = (uint32_t)attr_size;
	r->nr_attrs++;
	a->ids = malloc((nr_ids ? nr_ids : 1) * sizeof(uint64_t));
	if (!a->ids)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < nr_ids; i++) {
		uint64_t v;

		memcpy(&v, ids + i, 8);
		a->ids[i] = ids_swap ? pfold_bswap64(v) : v;
	}
	a->nr_ids = nr_ids;
	pfold_sample_layout_init(&a->layout, &a->attr);
	for (i = 0; i < nr_ids; i++) {
		ret = id_insert(r, a->ids[i], a->idx);
		if (ret)
			return ret;
	}
	return 0;
}

/* perf's evlist__event2evsel */
static struct pfold_attr *attr_of(struct pfold_reader *r, uint32_t type, const uint8_t *body,
				  size_t size, int swap)
{
	struct pfold_attr *first;
	uint64_t id;

	if (!r->nr_attrs)
		return NULL;
	first = r->attrs[0];
	if (r->nr_attrs == 1)
		return first;
	if (!first->attr.sample_id_all && type != PERF_RECORD_SAMPLE)
		return first;
	if (!pfold_sample_peek_id(&first->layout, type != PERF_RECORD_SAMPLE, body, size, swap, &id))
		return type == PERF_RECORD_SAMPLE ? NULL : first;
	if (!id)
		return first;
	return id_lookup(r, id);
}

/* ---- opening ---- */

static int read_all(int fd, struct pfold_reader *r, const uint8_t *head, size_t head_len)
{
	size_t alloc = 1 << 20, len = head_len;
	uint8_t *p = malloc(alloc);

	if (!p)
		return -PFOLD_E_NOMEM;
	memcpy(p, head, head_len);
	for (;;) {
		ssize_t n;

		if (len == alloc) {
			uint8_t *np = realloc(p, alloc * 2);

			if (!np) {
				free(p);
				return -PFOLD_E_NOMEM;
			}
			p = np;
			alloc *= 2;
		}
		n = read(fd, p + len, alloc - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(p);
			return pfold_error(PFOLD_E_IO, "%s: read error: %s", r->path, strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	r->map = p;
	r->map_size = len;
	r->mapped = 0;
	return 0;
}

static int open_file_mode(struct pfold_reader *r)
{
	struct pfold_file_header *h = &r->fh;
	uint64_t attr_size, nr, i, feat_off;
	const uint8_t *m = r->map;
	int ret;

	if (r->map_size < 72)
		return fail(r, PFOLD_E_TRUNCATED, r->map_size, "truncated file header");
	memset(h, 0, sizeof(*h));
	memcpy(h, m, r->map_size < sizeof(*h) ? r->map_size : sizeof(*h));
	if (r->swap) {
		uint64_t *w = (uint64_t *)h;

		for (i = 0; i < sizeof(*h) / 8; i++)
			w[i] = pfold_bswap64(w[i]);
		/* the feature bitmap is an array of unsigned long: a 64-bit
		 * writer's words swap back as u64, which the loop did */
	}
	if (h->size == 72) {
		memset(h->adds_features, 0, sizeof(h->adds_features));
	} else if (h->size != sizeof(*h)) {
		return fail(r, PFOLD_E_BAD_HEADER, 8, "bad file header size");
	} else if (r->map_size < sizeof(*h)) {
		return fail(r, PFOLD_E_TRUNCATED, r->map_size, "truncated file header");
	}
	attr_size = h->attr_size;
	if (attr_size < PERF_ATTR_SIZE_VER0 + 16 || attr_size > 4096 + 16)
		return fail(r, PFOLD_E_BAD_HEADER, 16, "bad attr size");
	if (h->attrs.offset > r->map_size || h->attrs.size > r->map_size - h->attrs.offset)
		return fail(r, PFOLD_E_TRUNCATED, 24, "attr section past the end of the file");
	if (h->attrs.size % attr_size)
		return fail(r, PFOLD_E_BAD_HEADER, 32, "attr section size not a multiple of the attr size");
	if (h->data.offset > r->map_size || h->data.size > r->map_size - h->data.offset)
		return fail(r, PFOLD_E_TRUNCATED, 40, "data section past the end of the file");
	nr = h->attrs.size / attr_size;
	for (i = 0; i < nr; i++) {
		uint64_t off = h->attrs.offset + i * attr_size;
		struct pfold_file_section ids;

		memcpy(&ids, m + off + attr_size - 16, 16);
		if (r->swap) {
			ids.offset = pfold_bswap64(ids.offset);
			ids.size = pfold_bswap64(ids.size);
		}
		if (ids.offset > r->map_size || ids.size > r->map_size - ids.offset || ids.size % 8)
			return fail(r, PFOLD_E_BAD_ATTR, off + attr_size - 16, "attr id section past the end of the file");
		if (ids.offset % 8)
			return fail(r, PFOLD_E_BAD_ATTR, off + attr_size - 16, "misaligned attr id section");
		ret = add_attr(r, m + off, attr_size - 16, (const uint64_t *)(const void *)(m + ids.offset),
			       ids.size / 8, r->swap, off);
		if (ret)
			return ret == -PFOLD_E_NOMEM ? pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path) : ret;
	}
	/* feature sections: a table right after the data section */
	feat_off = h->data.offset + h->data.size;
	for (i = 0; i < HEADER_FEAT_BITS; i++) {
		struct pfold_file_section sec;

		if (!((h->adds_features[i / 64] >> (i % 64)) & 1))
			continue;
		if (feat_off > r->map_size || r->map_size - feat_off < 16)
			return fail(r, PFOLD_E_TRUNCATED, feat_off, "feature table past the end of the file");
		memcpy(&sec, m + feat_off, 16);
		if (r->swap) {
			sec.offset = pfold_bswap64(sec.offset);
			sec.size = pfold_bswap64(sec.size);
		}
		if (sec.offset > r->map_size || sec.size > r->map_size - sec.offset)
			return fail(r, PFOLD_E_BAD_FEATURE, feat_off, "feature section past the end of the file");
		ret = pfold_feature_read(&r->info, (unsigned)i, m + sec.offset, sec.size, r->swap,
					 r->path, sec.offset);
		if (ret) {
			r->failed = 1;
			return ret;
		}
		feat_off += 16;
	}
	if (h->data.offset % 8 && h->data.size)
		return fail(r, PFOLD_E_BAD_HEADER, 40, "misaligned data section");
	r->pos = h->data.offset;
	r->data_start = h->data.offset;
	if (r->mapped && !r->window)
		r->window = pfold_map_window_start(r->map, r->map_size, r->data_start);
	r->end = h->data.offset + h->data.size;
	return name_attrs(r, 0);
}

int pfold_reader_open_fd(struct pfold_reader **out, int fd, const char *name,
			 const struct pfold_reader_options *opts)
{
	struct pfold_reader *r;
	struct stat st;
	uint64_t magic = 0;
	uint8_t head[16];
	size_t have = 0;
	int ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", name);
	r->path = strdup(name);
	if (!r->path) {
		free(r);
		return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", name);
	}
	r->fd = fd;
	if (opts)
		r->opts = *opts;
	if (!r->opts.max_decompressed)
		r->opts.max_decompressed = (uint64_t)64 << 20;
	pfold_header_info_init(&r->info);
	pfold_ordered_init(&r->oe, r->opts.max_queue_bytes);
	r->ordered = !r->opts.unordered;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    lseek(fd, 0, SEEK_CUR) == 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			r->map = m;
			r->map_size = (size_t)st.st_size;
			r->mapped = 1;
			pfold_map_guard_add(m, r->map_size, name);
			/* MADV_WILLNEED would walk the page cache at every fault */
			madvise(m, r->map_size, MADV_SEQUENTIAL);
		}
	}
	if (r->map) {
		have = r->map_size < 16 ? r->map_size : 16;
		memcpy(head, r->map, have);
	} else {
		while (have < 16) {
			ssize_t n = read(fd, head + have, 16 - have);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				ret = pfold_error(PFOLD_E_IO, "%s: read error: %s", name, strerror(errno));
				goto err_free;
			}
			if (n == 0)
				break;
			have += (size_t)n;
		}
	}
	if (have == 0) {
		ret = pfold_error(PFOLD_E_TRUNCATED, "%s: empty file at offset 0", name);
		goto err_free;
	}
	if (have < 16) {
		ret = pfold_error(PFOLD_E_TRUNCATED, "%s: truncated file header at offset %zu", name, have);
		goto err_free;
	}
	memcpy(&magic, head, 8);
	if (magic == PFOLD_PERF_MAGIC2) {
		r->swap = 0;
	} else if (magic == PFOLD_PERF_MAGIC2_SW) {
		r->swap = 1;
	} else if (!memcmp(head, "PERFFILE", 8)) {
		ret = pfold_error(PFOLD_E_OLD_FORMAT, "%s: perf.data version 1 (PERFFILE magic) is not supported; "
				  "re-record with a perf from after 2011 at offset 0", name);
		goto err_free;
	} else {
		ret = pfold_error(PFOLD_E_BAD_MAGIC, "%s: not a perf.data file (bad magic) at offset 0", name);
		goto err_free;
	}
	{
		uint64_t hsize;

		memcpy(&hsize, head + 8, 8);
		if (r->swap)
			hsize = pfold_bswap64(hsize);
		r->pipe = hsize == sizeof(struct pfold_pipe_header);
	}
	if (r->pipe) {
		r->in_alloc = 1 << 20;
		r->in = malloc(r->in_alloc);
		if (!r->in) {
			ret = pfold_error(PFOLD_E_NOMEM, "%s: out of memory", name);
			goto err_free;
		}
		if (r->map) {
			/* a pipe-format file: read it from the map, as a stream */
			r->pos = 16;
			r->end = r->map_size;
		}
		r->in_offset = 16;
	} else {
		if (!r->map) {
			ret = read_all(fd, r, head, have);
			if (ret)
				goto err_free;
		}
		ret = open_file_mode(r);
		if (ret)
			goto err_free;
	}
	*out = r;
	return 0;
err_free:
	r->fd = -1;
	pfold_reader_close(r);
	return ret;
}

int pfold_reader_open(struct pfold_reader **out, const char *path,
		      const struct pfold_reader_options *opts)
{
	struct pfold_reader *r;
	int fd, ret;

	if (!strcmp(path, "-"))
		return pfold_reader_open_fd(out, 0, "-", opts);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pfold_error(errno == ENOENT ? PFOLD_E_NOT_FOUND : errno == EACCES ? PFOLD_E_PERM : PFOLD_E_IO,
				   "cannot open '%s': %s", path, strerror(errno));
	ret = pfold_reader_open_fd(&r, fd, path, opts);
	if (ret) {
		close(fd);
		return ret;
	}
	r->own_fd = 1;
	*out = r;
	return 0;
}

void pfold_reader_close(struct pfold_reader *r)
{
	size_t i;

	if (!r)
		return;
	pfold_map_window_stop(r->window);
	if (r->map) {
		if (r->mapped) {
			pfold_map_guard_remove(r->map);
			munmap(r->map, r->map_size);
		} else {
			free(r->map);
		}
	}
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	for (i = 0; i < r->nr_attrs; i++) {
		free(r->attrs[i]->ids);
		free(r->attrs[i]);
		free(r->names[i]);
	}
	free(r->attrs);
	free(r->names);
	free(r->name_src);
	for (i = 0; i < r->nr_old_names; i++)
		free(r->old_names[i]);
	free(r->old_names);
	free(r->hkeys);
	free(r->hvals);
	pfold_header_info_release(&r->info);
	if (r->zds)
		ZSTD_freeDStream(r->zds);
	free(r->dbuf);
	free(r->in);
	pfold_ordered_release(&r->oe);
	free(r->scratch);
	free(r->readv);
	free(r->path);
	free(r);
}

/* ---- raw record sources ---- */

struct raw {
	uint8_t *data;		/* file byte order */
	uint32_t size;
	uint32_t type;
	uint16_t misc;
	uint64_t offset;
	int stable;		/* data stays valid until close (the map) */
	int compressed;
	uint8_t *payload;
	uint64_t payload_size;
};

static void read_header(const uint8_t *p, int swap, uint32_t *type, uint16_t *misc, uint16_t *size)
{
	struct pfold_record_header h;

	memcpy(&h, p, 8);
	*type = swap ? pfold_bswap32(h.type) : h.type;
	*misc = swap ? pfold_bswap16(h.misc) : h.misc;
	*size = swap ? pfold_bswap16(h.size) : h.size;
}

/* bytes of payload that follow a record of TYPE in the stream */
static int payload_of(struct pfold_reader *r, const uint8_t *rec, uint32_t type, uint32_t size,
		      uint64_t offset, uint64_t *out)
{
	*out = 0;
	if (type == PERF_RECORD_AUXTRACE) {
		uint64_t v;

		if (size < sizeof(struct pfold_rec_auxtrace))
			return fail(r, PFOLD_E_BAD_RECORD, offset, "AUXTRACE record too short");
		memcpy(&v, rec + 8, 8);
		*out = r->swap ? pfold_bswap64(v) : v;
	} else if (type == PERF_RECORD_HEADER_TRACING_DATA) {
		uint32_t v;

		if (size < 12)
			return fail(r, PFOLD_E_BAD_RECORD, offset, "TRACING_DATA record too short");
		memcpy(&v, rec + 8, 4);
		v = r->swap ? pfold_bswap32(v) : v;
		*out = ((uint64_t)v + 7) & ~7ULL;
	}
	if (*out > MAX_PAYLOAD)
		return fail(r, PFOLD_E_LIMIT, offset, "record payload too large");
	return 0;
}

/* make LEN bytes available at in[in_start]; returns bytes available (< LEN at EOF) or <0 */
static int64_t in_fill(struct pfold_reader *r, size_t len)
{
	while (r->in_end - r->in_start < len && !r->eof) {
		ssize_t n;

		if (r->in_alloc - r->in_start < len) {
			if (r->in_start) {
				memmove(r->in, r->in + r->in_start, r->in_end - r->in_start);
				r->in_end -= r->in_start;
				r->in_start = 0;
			}
			if (r->in_alloc < len) {
				size_t na = r->in_alloc;
				uint8_t *ni;

				while (na < len)
					na *= 2;
				ni = realloc(r->in, na);
				if (!ni)
					return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
				r->in = ni;
				r->in_alloc = na;
			}
		}
		if (r->map) {
			size_t want = r->in_alloc - r->in_end;

			if (want > r->end - r->pos)
				want = r->end - r->pos;
			memcpy(r->in + r->in_end, r->map + r->pos, want);
			r->pos += want;
			r->in_end += want;
			if (r->pos >= r->end)
				r->eof = 1;
			continue;
		}
		n = read(r->fd, r->in + r->in_end, r->in_alloc - r->in_end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pfold_error(PFOLD_E_IO, "%s: read error at offset %" PRIu64 ": %s", r->path,
					   r->in_offset + (r->in_end - r->in_start), strerror(errno));
		if (n == 0)
			r->eof = 1;
		r->in_end += (size_t)n;
	}
	return (int64_t)(r->in_end - r->in_start);
}

#define KEEP_BEHIND ((uint64_t)8 << 20)	/* pages kept below the oldest record in use */

/*
 * tell_window - report the reader's position POS to the map window, with
 * the offset below which no record still queued (or just handed out)
 * points, so that memory follows a round of records and not the file. The
 * pages given back are clean copies of the file or records already handed
 * out: nothing reads them again. Cheap unless a report is due (every 1 MB).
 */
static void tell_window(struct pfold_reader *r, uint64_t pos)
{
	uint64_t low = pos;
	size_t i;

	if (!r->window || !pfold_map_window_due(r->window, pos))
		return;
	for (i = r->oe.head; i < r->oe.nr; i++)
		if (!r->oe.q[i].chunk && r->oe.q[i].offset < low)
			low = r->oe.q[i].offset;
	pfold_map_window_advance(r->window, pos, low > KEEP_BEHIND ? low - KEEP_BEHIND : 0);
}

/*
 * prefetch_record - start loading the first cache lines of the record at P
 * (AVAIL bytes from there to the end of its buffer): the header, the
 * sample's fixed fields, its registers and the top of a user stack copy.
 * Records of a dwarf recording are 8 KB apart, which the hardware
 * prefetchers do not follow across pages; the load then overlaps with the
 * work on the record before it. Small records are left to the hardware.
 */
static void prefetch_record(const uint8_t *p, uint64_t avail)
{
	uint64_t off;

	for (off = 0; off < 512 && off < avail; off += 64)
		__builtin_prefetch(p + off);
}

/* the next record of the input (not of the decompressed stream); 1, 0 at end, <0 */
static int next_input(struct pfold_reader *r, struct raw *raw)
{
	uint32_t type;
	uint16_t misc, size;
	uint64_t pay;
	int ret;

	memset(raw, 0, sizeof(*raw));
	if (!r->pipe) {
		uint8_t *p;

		if (r->pos >= r->end)
			return 0;
		if (r->end - r->pos < 8)
			return fail(r, PFOLD_E_TRUNCATED, r->pos, "truncated record header");
		p = r->map + r->pos;
		read_header(p, r->swap, &type, &misc, &size);
		if (size < 8)
			return fail(r, PFOLD_E_BAD_RECORD, r->pos, "record size below 8");
		if (size > r->end - r->pos)
			return fail(r, PFOLD_E_TRUNCATED, r->pos, "record past the end of the data section");
		ret = payload_of(r, p, type, size, r->pos, &pay);
		if (ret)
			return ret;
		if (pay > r->end - r->pos - size)
			return fail(r, PFOLD_E_TRUNCATED, r->pos, "record payload past the end of the data section");
		raw->data = p;
		raw->size = size;
		raw->type = type;
		raw->misc = misc;
		raw->offset = r->pos;
		raw->stable = 1;
		raw->payload = p + size;
		raw->payload_size = pay;
		r->pos += size + pay;
		if (size >= 1024 && !r->ordered)	/* big records: dwarf samples */
			prefetch_record(r->map + r->pos, r->end - r->pos);
		tell_window(r, r->pos);
		return 1;
	} else {
		int64_t n;

		/* drop the previous record */
		n = in_fill(r, 8);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return 0;
		if (n < 8)
			return fail(r, PFOLD_E_TRUNCATED, r->in_offset, "truncated record header");
		read_header(r->in + r->in_start, r->swap, &type, &misc, &size);
		if (size < 8)
			return fail(r, PFOLD_E_BAD_RECORD, r->in_offset, "record size below 8");
		n = in_fill(r, size);
		if (n < 0)
			return (int)n;
		if (n < size)
			return fail(r, PFOLD_E_TRUNCATED, r->in_offset, "truncated record");
		ret = payload_of(r, r->in + r->in_start, type, size, r->in_offset, &pay);
		if (ret)
			return ret;
		n = in_fill(r, size + pay);
		if (n < 0)
			return (int)n;
		if ((uint64_t)n < size + pay)
			return fail(r, PFOLD_E_TRUNCATED, r->in_offset, "truncated record payload");
		raw->data = r->in + r->in_start;
		raw->size = size;
		raw->type = type;
		raw->misc = misc;
		raw->offset = r->in_offset;
		raw->payload = raw->data + size;
		raw->payload_size = pay;
		r->in_start += size + pay;
		r->in_offset += size + pay;
		return 1;
	}
}

/* inflate one COMPRESSED(2) record into dbuf (after any partial record left) */
static int inflate_record(struct pfold_reader *r, const struct raw *raw)
{
	const uint8_t *src = raw->data + 8;
	size_t src_size = raw->size - 8;
	ZSTD_inBuffer in;
	uint64_t produced = 0;

	if (raw->type == PERF_RECORD_COMPRESSED2) {
		uint64_t ds;

		if (raw->size < 16)
			return fail(r, PFOLD_E_BAD_RECORD, raw->offset, "COMPRESSED2 record too short");
		memcpy(&ds, raw->data + 8, 8);
		if (r->swap)
			ds = pfold_bswap64(ds);
		if (ds > (uint64_t)raw->size - 16)
			return fail(r, PFOLD_E_BAD_RECORD, raw->offset, "COMPRESSED2 data size past the end of the record");
		src = raw->data + 16;
		src_size = (size_t)ds;
	}
	if (!r->zds) {
		r->zds = ZSTD_createDStream();
		if (!r->zds)
			return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
		ZSTD_initDStream(r->zds);
	}
	/* keep the partial record left by the previous chunk */
	if (r->dpos) {
		memmove(r->dbuf, r->dbuf + r->dpos, r->dend - r->dpos);
		r->dend -= r->dpos;
		r->dpos = 0;
	}
	in.src = src;
	in.size = src_size;
	in.pos = 0;
	for (;;) {
		ZSTD_outBuffer out;
		size_t zr;

		if (r->dbuf_alloc - r->dend < 65536) {
			size_t na = r->dbuf_alloc ? r->dbuf_alloc * 2 : (size_t)1 << 20;
			uint8_t *nb = realloc(r->dbuf, na);

			if (!nb)
				return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
			r->dbuf = nb;
			r->dbuf_alloc = na;
		}
		out.dst = r->dbuf + r->dend;
		out.size = r->dbuf_alloc - r->dend;
		out.pos = 0;
		zr = ZSTD_decompressStream(r->zds, &out, &in);
		if (ZSTD_isError(zr)) {
			char msg[160];

			snprintf(msg, sizeof(msg), "zstd: %s", ZSTD_getErrorName(zr));
			return fail(r, PFOLD_E_ZSTD, raw->offset, msg);
		}
		r->dend += out.pos;
		produced += out.pos;
		r->stats.decompressed_bytes += out.pos;
		if (produced > r->opts.max_decompressed)
			return fail(r, PFOLD_E_LIMIT, raw->offset, "compressed record inflates past the limit");
		if (in.pos == in.size && out.pos < out.size)
			break;
	}
	r->doffset = raw->offset;
	return 0;
}

/* the next complete record of the decompressed stream; 1, or 0 when none is complete */
static int next_decompressed(struct pfold_reader *r, struct raw *raw)
{
	uint32_t type;
	uint16_t misc, size;
	uint64_t pay;
	int ret;

	if (r->dend - r->dpos < 8)
		return 0;
	read_header(r->dbuf + r->dpos, r->swap, &type, &misc, &size);
	if (size < 8)
		return fail(r, PFOLD_E_BAD_RECORD, r->doffset, "record size below 8 in compressed data");
	if (size > r->dend - r->dpos)
		return 0;
	ret = payload_of(r, r->dbuf + r->dpos, type, size, r->doffset, &pay);
	if (ret)
		return ret;
	if (pay > r->dend - r->dpos - size)
		return 0;
	if (type == PERF_RECORD_COMPRESSED || type == PERF_RECORD_COMPRESSED2)
		return fail(r, PFOLD_E_BAD_RECORD, r->doffset, "compressed record inside compressed data");
	memset(raw, 0, sizeof(*raw));
	raw->data = r->dbuf + r->dpos;
	raw->size = size;
	raw->type = type;
	raw->misc = misc;
	raw->offset = r->doffset;
	raw->compressed = 1;
	raw->payload = raw->data + size;
	raw->payload_size = pay;
	r->dpos += size + pay;
	return 1;
}

/* ---- swapping a record's fixed fields in place ---- */

/* per type: widths of the fields after the header ('2','4','8'), 'b' = 8 bytes left
 * alone, '*' = u64s up to the body end; fields end at the string's end */
static const char *const swap_spec[PFOLD_RECORD_TYPE_MAX] = {
	[PERF_RECORD_MMAP] = "44888",
	[PERF_RECORD_COMM] = "44",
	[PERF_RECORD_EXIT] = "44448",
	[PERF_RECORD_FORK] = "44448",
	[PERF_RECORD_LOST] = "88",
	[PERF_RECORD_THROTTLE] = "888",
	[PERF_RECORD_UNTHROTTLE] = "888",
	[PERF_RECORD_READ] = "44",
	[11] = "888",
	[12] = "44",
	[13] = "8",
	[15] = "44",
	[16] = "448",
	[17] = "8422",
	[18] = "224",
	[19] = "8",
	[20] = "822",
	[21] = "8",
	[PERF_RECORD_HEADER_ATTR] = "",
	[PERF_RECORD_HEADER_EVENT_TYPE] = "8",
	[PERF_RECORD_HEADER_TRACING_DATA] = "4",
	[PERF_RECORD_HEADER_BUILD_ID] = "4",
	[PERF_RECORD_ID_INDEX] = "*",
	[PERF_RECORD_AUXTRACE_INFO] = "44*",
	[PERF_RECORD_AUXTRACE] = "8884444",
	[PERF_RECORD_AUXTRACE_ERROR] = "4444448",
	[PERF_RECORD_STAT_CONFIG] = "*",
	[PERF_RECORD_STAT] = "844888",
	[PERF_RECORD_STAT_ROUND] = "88",
	[PERF_RECORD_EVENT_UPDATE] = "88",
	[PERF_RECORD_TIME_CONV] = "88888",
	[PERF_RECORD_HEADER_FEATURE] = "8",
	[PERF_RECORD_COMPRESSED2] = "8",
};

static void swap_fields(uint8_t *p, size_t size, const char *spec)
{
	size_t pos = 8;

	for (; *spec; spec++) {
		if (*spec == '*') {
			while (size - pos >= 8) {
				uint64_t v;

				memcpy(&v, p + pos, 8);
				v = pfold_bswap64(v);
				memcpy(p + pos, &v, 8);
				pos += 8;
			}
			return;
		}
		if (*spec == 'b') {
			pos += 8;
			continue;
		}
		if (size - pos < (size_t)(*spec - '0'))
			return;
		if (*spec == '2') {
			uint16_t v;
			memcpy(&v, p + pos, 2);
			v = pfold_bswap16(v);
			memcpy(p + pos, &v, 2);
			pos += 2;
		} else if (*spec == '4') {
			uint32_t v;
			memcpy(&v, p + pos, 4);
			v = pfold_bswap32(v);
			memcpy(p + pos, &v, 4);
			pos += 4;
		} else {
			uint64_t v;
			memcpy(&v, p + pos, 8);
			v = pfold_bswap64(v);
			memcpy(p + pos, &v, 8);
			pos += 8;
		}
		if (pos > size)
			return;
	}
}

static void swap_record(struct pfold_reader *r, uint8_t *p, uint32_t type, uint16_t misc,
			uint32_t size, const struct pfold_attr *attr)
{
	struct pfold_record_header *h = (struct pfold_record_header *)(void *)p;
	size_t body_end = size;

	h->type = pfold_bswap32(h->type);
	h->misc = pfold_bswap16(h->misc);
	h->size = pfold_bswap16(h->size);
	if (type < PFOLD_RECORD_KERNEL_MAX && attr && type != PERF_RECORD_SAMPLE &&
	    attr->layout.sample_id_all && (size_t)attr->layout.trailer_size <= size - 8)
		body_end = size - attr->layout.trailer_size;
	if (type == PERF_RECORD_MMAP2) {
		swap_fields(p, body_end, "44888");
		if (!(misc & PERF_RECORD_MISC_MMAP_BUILD_ID))
			swap_fields(p + 32, body_end - 32, "4488");
		if (body_end >= 72)
			swap_fields(p + 56, body_end - 56, "44");
		return;
	}
	if (type == PERF_RECORD_READ && attr) {
		swap_fields(p, body_end, "44*");
		return;
	}
	if (type == 16) {	/* NAMESPACES: nr then (dev, ino) pairs */
		swap_fields(p, body_end, "448*");
		return;
	}
	if (type == PERF_RECORD_THREAD_MAP) {
		uint64_t nr, i;

		swap_fields(p, size, "8");
		memcpy(&nr, p + 8, 8);
		for (i = 0; i < nr && 16 + i * 24 + 8 <= size; i++)
			swap_fields(p + 8 + i * 24, 16, "8");
		return;
	}
	if (type < PFOLD_RECORD_TYPE_MAX && swap_spec[type])
		swap_fields(p, body_end, swap_spec[type]);
}

/* ---- processing perf's own records ---- */

static int process_user(struct pfold_reader *r, struct pfold_event *ev)
{
	const uint8_t *p = ev->data;
	uint32_t size = ev->size;
	int ret;

	switch (ev->type) {
	case PERF_RECORD_HEADER_ATTR: {
		uint32_t asz;
		size_t nids;

		if (size < 8 + PERF_ATTR_SIZE_VER0)
			return fail(r, PFOLD_E_BAD_ATTR, ev->offset, "ATTR record too short");
		memcpy(&asz, p + 12, 4);	/* attr.size, file order */
		if (r->swap)
			asz = pfold_bswap32(asz);
		if (!asz)
			asz = PERF_ATTR_SIZE_VER0;
		if (asz < PERF_ATTR_SIZE_VER0 || asz > size - 8 || asz % 8)
			return fail(r, PFOLD_E_BAD_ATTR, ev->offset, "bad attr size in ATTR record");
		nids = (size - 8 - asz) / 8;
		ret = add_attr(r, p + 8, asz, (const uint64_t *)(const void *)(p + 8 + asz), nids, r->swap, ev->offset);
		if (ret)
			return ret == -PFOLD_E_NOMEM ? pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path) : ret;
		/* swap the ids in place for consumers */
		if (r->swap)
			swap_fields((uint8_t *)p + asz, size - asz, "*");
		ret = name_attrs(r, r->nr_attrs - 1);
		if (ret)
			return ret;
		break;
	}
	case PERF_RECORD_HEADER_EVENT_TYPE: {
		const struct pfold_rec_event_type *et = (const void *)p;
		size_t i;

		/* perf writes the name only as long as it is, padded to 8 */
		if (size < 16)
			return fail(r, PFOLD_E_BAD_RECORD, ev->offset, "EVENT_TYPE record too short");
		/* O(attrs) each: hostile input repeating them gets MAX_EVENT_TYPES */
		for (i = 0; r->nr_event_types < MAX_EVENT_TYPES && i < r->nr_attrs; i++) {
			if (r->attrs[i]->attr.config == et->event_id && r->name_src[i] == NAME_DERIVED &&
			    set_name(r, i, strndup(et->name, size - 16 < sizeof(et->name) ? size - 16 : sizeof(et->name)),
				     NAME_DESC))
				return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
		}
		r->nr_event_types++;
		break;
	}
	case PERF_RECORD_HEADER_TRACING_DATA:
		ret = pfold_feature_read(&r->info, HEADER_TRACING_DATA, ev->payload, ev->payload_size,
					 r->swap, r->path, ev->offset + size);
		if (ret)
			return ret;
		ret = name_attrs(r, 0);
		if (ret)
			return ret;
		break;
	case PERF_RECORD_HEADER_BUILD_ID: {
		struct pfold_header_info tmp;
		struct pfold_build_id *nb;
		uint8_t *copy;

		if (size < sizeof(struct pfold_rec_build_id))
			return fail(r, PFOLD_E_BAD_RECORD, ev->offset, "BUILD_ID record too short");
		/* parse with the feature reader (file order expected: swap back the pid) */
		copy = malloc(size);
		if (!copy)
			return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
		memcpy(copy, p, size);
		pfold_header_info_init(&tmp);
		ret = pfold_feature_read(&tmp, HEADER_BUILD_ID, copy, size, 0, r->path, ev->offset);
		free(copy);
		if (ret) {
			pfold_header_info_release(&tmp);
			return ret;
		}
		nb = realloc(r->info.build_ids, (r->info.nr_build_ids + tmp.nr_build_ids + 1) * sizeof(*nb));
		if (!nb) {
			pfold_header_info_release(&tmp);
			return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
		}
		r->info.build_ids = nb;
		memcpy(nb + r->info.nr_build_ids, tmp.build_ids, tmp.nr_build_ids * sizeof(*nb));
		r->info.nr_build_ids += tmp.nr_build_ids;
		free(tmp.build_ids);
		tmp.build_ids = NULL;
		tmp.nr_build_ids = 0;
		pfold_header_info_release(&tmp);
		pfold_header_set(&r->info, HEADER_BUILD_ID);
		break;
	}
	case PERF_RECORD_ID_INDEX: {
		const struct pfold_rec_id_index *ix = (const void *)p;

		if (size < 16 || ix->nr > (size - 16) / sizeof(struct pfold_id_index_entry))
			return fail(r, PFOLD_E_BAD_RECORD, ev->offset, "bad ID_INDEX record");
		/* entries tie ids the attrs already list to a ring buffer (idx),
		 * cpu and tid, as perf's perf_event__process_id_index uses them */
		break;
	}
	case PERF_RECORD_HEADER_FEATURE: {
		const struct pfold_rec_feature *f = (const void *)p;

		if (size < 16)
			return fail(r, PFOLD_E_BAD_RECORD, ev->offset, "FEATURE record too short");
		ret = pfold_feature_read(&r->info, (unsigned)(f->feat_id < HEADER_FEAT_BITS ? f->feat_id : HEADER_FEAT_BITS - 1),
					 f->data, size - 16, r->swap, r->path, ev->offset + 16);
		if (ret) {
			r->failed = 1;
			return ret;
		}
		if (f->feat_id == HEADER_EVENT_DESC || f->feat_id == HEADER_PMU_MAPPINGS) {
			ret = name_attrs(r, 0);
			if (ret)
				return ret;
		}
		break;
	}
	case PERF_RECORD_EVENT_UPDATE: {
		const struct pfold_rec_event_update *u = (const void *)p;
		struct pfold_attr *a;

		if (size < 24)
			return fail(r, PFOLD_E_BAD_RECORD, ev->offset, "EVENT_UPDATE record too short");
		a = id_lookup(r, u->id);
		if (u->type == 2 && a && size > 24) {	/* PERF_EVENT_UPDATE__NAME */
			if (set_name(r, a->idx, strndup((const char *)u->data, size - 24), NAME_UPDATE))
				return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
		}
		break;
	}
	case PERF_RECORD_FINISHED_ROUND:
		if (r->ordered) {
			ret = pfold_ordered_flush(&r->oe, PFOLD_OE_ROUND);
			if (ret)
				return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
		}
		break;
	default:
		break;
	}
	return 0;
}

/* ---- delivery ---- */

static int deliver(struct pfold_reader *r, uint8_t *data, uint32_t size, uint64_t offset, int compressed,
		   uint8_t *payload, uint64_t payload_size)
{
	struct pfold_event *ev = &r->ev;
	uint32_t type;
	uint16_t misc, hsize;
	struct pfold_attr *attr = NULL;
	int ret;

	read_header(data, r->swap, &type, &misc, &hsize);
	if ((uintptr_t)data % 8) {
		if (size > r->scratch_alloc) {
			free(r->scratch);
			r->scratch = malloc(size);
			if (!r->scratch) {
				r->scratch_alloc = 0;
				return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
			}
			r->scratch_alloc = size;
		}
		memcpy(r->scratch, data, size);
		data = r->scratch;
	}
	if (type < PFOLD_RECORD_KERNEL_MAX)
		attr = attr_of(r, type, data + 8, size - 8, r->swap);
	if (r->swap)
		swap_record(r, data, type, misc, size, attr);
	memset(ev, 0, offsetof(struct pfold_event, sample));
	ev->type = type;
	ev->misc = misc;
	ev->size = (uint16_t)size;
	ev->offset = offset;
	ev->compressed = compressed;
	ev->data = data;
	ev->attr = attr;
	ev->payload = payload;
	ev->payload_size = payload_size;
	ev->sample.type = 0;
	if (type == PERF_RECORD_SAMPLE) {
		if (!attr) {
			r->stats.nr_unknown_id++;
			memset(&ev->sample, 0, sizeof(ev->sample));
			return 1;
		}
		ret = pfold_sample_parse(&ev->sample, &attr->layout, data + 8, size - 8, r->swap,
					 &r->readv, &r->readv_alloc);
		if (ret == -PFOLD_E_NOMEM)
			return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
		if (ret)
			return fail(r, PFOLD_E_BAD_SAMPLE, offset, "sample fields past the end of the record");
	} else if (type < PFOLD_RECORD_KERNEL_MAX) {
		memset(&ev->sample, 0, sizeof(ev->sample));
		if (attr && attr->layout.sample_id_all) {
			if (pfold_sample_id_parse(&ev->sample, &attr->layout, data + 8, size - 8, r->swap))
				return fail(r, PFOLD_E_BAD_RECORD, offset, "sample_id trailer past the end of the record");
		}
		if (type == PERF_RECORD_READ && attr) {
			ret = pfold_read_values_parse(&ev->sample.read, attr->attr.read_format,
						      (const uint64_t *)(const void *)(data + 16),
						      size - 16 - (attr->layout.sample_id_all ? attr->layout.trailer_size : 0),
						      &r->readv, &r->readv_alloc);
			if (ret == -PFOLD_E_NOMEM)
				return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
			if (ret < 0)
				return fail(r, PFOLD_E_BAD_RECORD, offset, "READ values past the end of the record");
		}
		if (type == PERF_RECORD_LOST && size >= sizeof(struct pfold_rec_lost))
			r->stats.total_lost += ((const struct pfold_rec_lost *)(const void *)data)->lost;
		if (type == 13 && size >= sizeof(struct pfold_rec_lost_samples))
			r->stats.total_lost_samples += ((const struct pfold_rec_lost_samples *)(const void *)data)->lost;
	} else {
		memset(&ev->sample, 0, sizeof(ev->sample));
		ret = process_user(r, ev);
		if (ret)
			return ret;
	}
	return 1;
}

/* queue a kernel record for time order, or say it must go now (returns 0 queued, 1 deliver now) */
static int maybe_queue(struct pfold_reader *r, const struct raw *raw)
{
	struct pfold_attr *attr;
	uint64_t time;
	int ret;

	if (!r->ordered || raw->type >= PERF_RECORD_USER_TYPE_START || raw->payload_size)
		return 1;
	attr = attr_of(r, raw->type, raw->data + 8, raw->size - 8, r->swap);
	if (!attr || !pfold_sample_peek_time(&attr->layout, raw->type != PERF_RECORD_SAMPLE,
					     raw->data + 8, raw->size - 8, r->swap, &time) ||
	    !time || time == UINT64_MAX) {
		/* handed out now, ahead of what the queue holds */
		r->queue_reordered |= r->queued_any;
		return 1;
	}
	/* whether the queue changes the file's order, for --stats */
	r->queue_reordered |= time < r->queue_last;
	r->queue_last = time;
	r->queued_any = 1;
	ret = pfold_ordered_queue(&r->oe, time, raw->offset, raw->data, raw->size,
				  raw->compressed, !raw->stable);
	if (ret)
		return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
	return 0;
}

int pfold_reader_next(struct pfold_reader *r, const struct pfold_event **out)
{
	struct raw raw;
	int ret;

	if (r->failed)
		return pfold_error(PFOLD_E_INVAL, "%s: reader used after an error", r->path);
	for (;;) {
		struct pfold_oe_entry *e;

		if (pfold_ordered_pop(&r->oe, &e)) {
			const struct pfold_oe_entry *after = pfold_ordered_peek(&r->oe);

			if (after && after->size >= 1024)
				prefetch_record(after->data, after->size);
			ret = deliver(r, e->data, e->size, e->offset, e->flags & OE_FROM_COMPRESSED, NULL, 0);
			if (ret < 0)
				r->failed = 1;
			else
				*out = &r->ev;
			return ret;
		}
		ret = next_decompressed(r, &raw);
		if (ret == 0)
			ret = next_input(r, &raw);
		if (ret < 0) {
			r->failed = 1;
			return ret;
		}
		if (ret == 0) {
			if (r->dend > r->dpos) {
				return fail(r, PFOLD_E_TRUNCATED, r->doffset, "truncated record in compressed data");
			}
			if (r->ordered && r->oe.nr > r->oe.ready) {
				if (pfold_ordered_flush(&r->oe, PFOLD_OE_FINAL))
					return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", r->path);
				continue;
			}
			r->stats.in_file_order = r->ordered && r->queued_any && !r->queue_reordered;
			return 0;
		}
		if (raw.type < PFOLD_RECORD_TYPE_MAX)
			r->stats.nr[raw.type]++;
		if (!known_type(raw.type)) {
			r->stats.nr_unknown++;
			continue;
		}
		if (raw.type == PERF_RECORD_COMPRESSED || raw.type == PERF_RECORD_COMPRESSED2) {
			ret = inflate_record(r, &raw);
			if (ret < 0) {
				r->failed = 1;
				return ret;
			}
		}
		ret = maybe_queue(r, &raw);
		if (ret < 0) {
			r->failed = 1;
			return ret;
		}
		if (ret == 0)
			continue;
		ret = deliver(r, raw.data, raw.size, raw.offset, raw.compressed, raw.payload, raw.payload_size);
		if (ret < 0) {
			r->failed = 1;
			return ret;
		}
		r->stats.nr_unordered = r->oe.nr_unordered;
		*out = &r->ev;
		return 1;
	}
}

/* ---- views ---- */

const char *pfold_reader_path(const struct pfold_reader *r) { return r->path; }
int pfold_reader_is_pipe(const struct pfold_reader *r) { return r->pipe; }
int pfold_reader_needs_swap(const struct pfold_reader *r) { return r->swap; }
const struct pfold_file_header *pfold_reader_file_header(const struct pfold_reader *r) { return &r->fh; }
const struct pfold_header_info *pfold_reader_header(const struct pfold_reader *r) { return &r->info; }
size_t pfold_reader_nr_attrs(const struct pfold_reader *r) { return r->nr_attrs; }

const struct pfold_attr *pfold_reader_attr(const struct pfold_reader *r, size_t idx)
{
	return idx < r->nr_attrs ? r->attrs[idx] : NULL;
}

const struct pfold_attr *pfold_reader_attr_by_id(const struct pfold_reader *r, uint64_t id)
{
	return id_lookup(r, id);
}

const struct pfold_reader_stats *pfold_reader_stats(const struct pfold_reader *r)
{
	return &r->stats;
}
