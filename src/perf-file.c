// SPDX-License-Identifier: MIT
/* perf-file.c: perf.data feature sections through one table of read, write and print functions. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "perf-file.h"
#include "perf-records.h"

#define NAME_ALIGN 64

/* A bounds-checked cursor over one section in the file's byte order. */
struct cursor {
	const uint8_t *p;
	size_t size, pos;
	int swap;
	const char *what;
	uint64_t offset;	/* file offset of p[0] */
	unsigned feat;
};

static int cur_fail(struct cursor *c, const char *item)
{
	return pfold_error(PFOLD_E_BAD_FEATURE, "%s: feature %s: %s past the end of the section at offset %" PRIu64,
			   c->what, pfold_feature_name(c->feat), item, c->offset + c->pos);
}

static int cur_u32(struct cursor *c, uint32_t *v, const char *item)
{
	uint32_t x;

	if (c->size - c->pos < 4)
		return cur_fail(c, item);
	memcpy(&x, c->p + c->pos, 4);
	c->pos += 4;
	*v = c->swap ? pfold_bswap32(x) : x;
	return 0;
}

static int cur_u64(struct cursor *c, uint64_t *v, const char *item)
{
	uint64_t x;

	if (c->size - c->pos < 8)
		return cur_fail(c, item);
	memcpy(&x, c->p + c->pos, 8);
	c->pos += 8;
	*v = c->swap ? pfold_bswap64(x) : x;
	return 0;
}

/* perf's do_read_string: u32 length (padded), then the NUL-terminated string */
static int cur_string(struct cursor *c, char **out, const char *item)
{
	uint32_t len = 0;
	const char *s;
	char *copy;
	int ret;

	ret = cur_u32(c, &len, item);
	if (ret)
		return ret;
	if (c->size - c->pos < len)
		return cur_fail(c, item);
	s = (const char *)c->p + c->pos;
	copy = strndup(s, len);
	if (!copy)
		return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", c->what);
	c->pos += len;
	*out = copy;
	return 0;
}

/* a count of items, each at least MIN_SIZE bytes, that must fit in the rest */
static int cur_count(struct cursor *c, uint32_t *nr, size_t min_size, const char *item)
{
	int ret = cur_u32(c, nr, item);

	if (ret)
		return ret;
	if (min_size && *nr > (c->size - c->pos) / min_size)
		return pfold_error(PFOLD_E_BAD_FEATURE, "%s: feature %s: %s count %u too large at offset %" PRIu64,
				   c->what, pfold_feature_name(c->feat), item, *nr, c->offset + c->pos - 4);
	return 0;
}

static int nomem(struct cursor *c)
{
	return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", c->what);
}

static int read_strings(struct cursor *c, char ***arr, size_t *nr_out, const char *item)
{
	uint32_t nr, i;
	char **a;
	int ret;

	ret = cur_count(c, &nr, 4, item);
	if (ret)
		return ret;
	a = calloc(nr ? nr : 1, sizeof(*a));
	if (!a)
		return nomem(c);
	for (i = 0; i < nr; i++) {
		ret = cur_string(c, &a[i], item);
		if (ret)
			break;
	}
	if (ret) {
		while (i--)
			free(a[i]);
		free(a);
		return ret;
	}
	*arr = a;
	*nr_out = nr;
	return 0;
}

static void free_strings(char **a, size_t nr)
{
	size_t i;

	for (i = 0; a && i < nr; i++)
		free(a[i]);
	free(a);
}

/* ---- attr ---- */

/* byte offsets and widths of perf_event_attr fields, for swapping */
static const struct { uint16_t off, width; } attr_fields[] = {
	{ 0, 4 }, { 4, 4 }, { 8, 8 }, { 16, 8 }, { 24, 8 }, { 32, 8 },
	{ 40, 0 },	/* the bitfield word: bits reversed within each byte */
	{ 48, 4 }, { 52, 4 }, { 56, 8 }, { 64, 8 }, { 72, 8 }, { 80, 8 },
	{ 88, 4 }, { 92, 4 }, { 96, 8 }, { 104, 4 }, { 108, 2 }, { 110, 2 },
	{ 112, 4 }, { 116, 4 }, { 120, 8 },
};

static uint8_t revbyte(uint8_t b)
{
	b = (uint8_t)((b & 0xf0) >> 4 | (b & 0x0f) << 4);
	b = (uint8_t)((b & 0xcc) >> 2 | (b & 0x33) << 2);
	b = (uint8_t)((b & 0xaa) >> 1 | (b & 0x55) << 1);
	return b;
}

int pfold_attr_from_file(struct perf_event_attr *attr, const void *src,
			 size_t file_size, int swap)
{
	size_t n = file_size < sizeof(*attr) ? file_size : sizeof(*attr);
	uint8_t *p = (uint8_t *)attr;
	size_t i;

	memset(attr, 0, sizeof(*attr));
	memcpy(attr, src, n);
	if (swap) {
		for (i = 0; i < sizeof(attr_fields) / sizeof(attr_fields[0]); i++) {
			size_t off = attr_fields[i].off, w = attr_fields[i].width;

			if (off + (w ? w : 8) > n)
				break;
			if (w == 2) {
				uint16_t v;
				memcpy(&v, p + off, 2);
				v = pfold_bswap16(v);
				memcpy(p + off, &v, 2);
			} else if (w == 4) {
				uint32_t v;
				memcpy(&v, p + off, 4);
				v = pfold_bswap32(v);
				memcpy(p + off, &v, 4);
			} else if (w == 8) {
				uint64_t v;
				memcpy(&v, p + off, 8);
				v = pfold_bswap64(v);
				memcpy(p + off, &v, 8);
			} else {
				size_t k;
				for (k = 0; k < 8; k++)
					p[off + k] = revbyte(p[off + k]);
			}
		}
	}
	attr->size = (uint32_t)file_size;
	return 0;
}

/* ---- info lifetime ---- */

void pfold_header_info_init(struct pfold_header_info *info)
{
	memset(info, 0, sizeof(*info));
}

static void free_build_ids(struct pfold_header_info *info)
{
	size_t i;

	for (i = 0; i < info->nr_build_ids; i++)
		free(info->build_ids[i].filename);
	free(info->build_ids);
	info->build_ids = NULL;
	info->nr_build_ids = 0;
}

static void free_event_desc(struct pfold_header_info *info)
{
	size_t i;

	for (i = 0; i < info->nr_event_desc; i++) {
		free(info->event_desc[i].name);
		free(info->event_desc[i].ids);
	}
	free(info->event_desc);
	info->event_desc = NULL;
	info->nr_event_desc = 0;
}

static void free_topology(struct pfold_header_info *info)
{
	free_strings(info->sibling_cores, info->nr_sibling_cores);
	free_strings(info->sibling_threads, info->nr_sibling_threads);
	free_strings(info->sibling_dies, info->nr_sibling_dies);
	free(info->cpu_topo);
	info->sibling_cores = info->sibling_threads = info->sibling_dies = NULL;
	info->nr_sibling_cores = info->nr_sibling_threads = info->nr_sibling_dies = 0;
	info->cpu_topo = NULL;
	info->nr_cpu_topo = 0;
	info->topo_has_ids = info->topo_has_die = 0;
}

static void free_numa(struct pfold_header_info *info)
{
	size_t i;

	for (i = 0; i < info->nr_numa_nodes; i++)
		free(info->numa_nodes[i].cpus);
	free(info->numa_nodes);
	info->numa_nodes = NULL;
	info->nr_numa_nodes = 0;
}

static void free_pmu(struct pfold_header_info *info)
{
	size_t i;

	for (i = 0; i < info->nr_pmu_mappings; i++)
		free(info->pmu_mappings[i].name);
	free(info->pmu_mappings);
	info->pmu_mappings = NULL;
	info->nr_pmu_mappings = 0;
}

static void free_groups(struct pfold_header_info *info)
{
	size_t i;

	for (i = 0; i < info->nr_groups; i++)
		free(info->groups[i].name);
	free(info->groups);
	info->groups = NULL;
	info->nr_groups = 0;
}

static void free_hybrid(struct pfold_header_info *info)
{
	size_t i;

	for (i = 0; i < info->nr_hybrid; i++) {
		free(info->hybrid[i].pmu_name);
		free(info->hybrid[i].cpus);
	}
	free(info->hybrid);
	info->hybrid = NULL;
	info->nr_hybrid = 0;
}

static void free_tracing(struct pfold_header_info *info)
{
	size_t i;

	for (i = 0; i < info->nr_tracepoints; i++)
		free(info->tracepoints[i].name);
	free(info->tracepoints);
	free(info->tracing_data);
	info->tracepoints = NULL;
	info->nr_tracepoints = 0;
	info->tracing_data = NULL;
	info->tracing_data_size = 0;
}

void pfold_header_info_release(struct pfold_header_info *info)
{
	free(info->hostname);
	free(info->osrelease);
	free(info->version);
	free(info->arch);
	free(info->cpudesc);
	free(info->cpuid);
	free_strings(info->cmdline, info->nr_cmdline);
	free_event_desc(info);
	free_build_ids(info);
	free_topology(info);
	free_numa(info);
	free_pmu(info);
	free_groups(info);
	free_hybrid(info);
	free_tracing(info);
	pfold_header_info_init(info);
}

/* ---- read functions ---- */

static char **string_field(struct pfold_header_info *info, unsigned feat)
{
	switch (feat) {
	case HEADER_HOSTNAME: return &info->hostname;
	case HEADER_OSRELEASE: return &info->osrelease;
	case HEADER_VERSION: return &info->version;
	case HEADER_ARCH: return &info->arch;
	case HEADER_CPUDESC: return &info->cpudesc;
	case HEADER_CPUID: return &info->cpuid;
	}
	return NULL;
}

static int read_string_feat(struct cursor *c, struct pfold_header_info *info)
{
	char **field = string_field(info, c->feat);
	char *s;
	int ret = cur_string(c, &s, "string");

	if (ret)
		return ret;
	free(*field);
	*field = s;
	return 0;
}

static int read_nrcpus(struct cursor *c, struct pfold_header_info *info)
{
	int ret = cur_u32(c, &info->nr_cpus_avail, "nr_cpus_avail");

	return ret ? ret : cur_u32(c, &info->nr_cpus_online, "nr_cpus_online");
}

static int read_total_mem(struct cursor *c, struct pfold_header_info *info)
{
	return cur_u64(c, &info->total_mem, "total_mem");
}

static int read_cmdline(struct cursor *c, struct pfold_header_info *info)
{
	free_strings(info->cmdline, info->nr_cmdline);
	info->cmdline = NULL;
	info->nr_cmdline = 0;
	return read_strings(c, &info->cmdline, &info->nr_cmdline, "cmdline");
}

static int read_clockid(struct cursor *c, struct pfold_header_info *info)
{
	return cur_u64(c, &info->clockid_res_ns, "clockid_res_ns");
}

static int read_sample_time(struct cursor *c, struct pfold_header_info *info)
{
	int ret = cur_u64(c, &info->sample_time_first, "first sample time");

	return ret ? ret : cur_u64(c, &info->sample_time_last, "last sample time");
}

static int read_compressed(struct cursor *c, struct pfold_header_info *info)
{
	int ret;

	if ((ret = cur_u32(c, &info->comp.version, "version")) ||
	    (ret = cur_u32(c, &info->comp.type, "type")) ||
	    (ret = cur_u32(c, &info->comp.level, "level")) ||
	    (ret = cur_u32(c, &info->comp.ratio, "ratio")) ||
	    (ret = cur_u32(c, &info->comp.mmap_len, "mmap_len")))
		return ret;
	return 0;
}

static int read_event_desc(struct cursor *c, struct pfold_header_info *info)
{
	uint32_t nre, sz, i, j;
	struct pfold_event_desc *d;
	int ret;

	free_event_desc(info);
	ret = cur_count(c, &nre, 8, "event count");
	if (ret)
		return ret;
	ret = cur_u32(c, &sz, "attr size");
	if (ret)
		return ret;
	if (nre && (sz < PERF_ATTR_SIZE_VER0 || sz > 4096))
		return pfold_error(PFOLD_E_BAD_FEATURE, "%s: feature event_desc: attr size %u out of range at offset %" PRIu64,
				   c->what, sz, c->offset + c->pos - 4);
	d = calloc(nre ? nre : 1, sizeof(*d));
	if (!d)
		return nomem(c);
	info->event_desc = d;
	for (i = 0; i < nre; i++) {
		uint32_t nr;

		if (c->size - c->pos < sz)
			return cur_fail(c, "attr");
		pfold_attr_from_file(&d[i].attr, c->p + c->pos, sz, c->swap);
		c->pos += sz;
		info->nr_event_desc = i + 1;
		ret = cur_count(c, &nr, 8, "id count");
		if (ret)
			return ret;
		ret = cur_string(c, &d[i].name, "event name");
		if (ret)
			return ret;
		if (nr > (c->size - c->pos) / 8)
			return cur_fail(c, "ids");
		d[i].ids = calloc(nr ? nr : 1, 8);
		if (!d[i].ids)
			return nomem(c);
		d[i].nr_ids = nr;
		for (j = 0; j < nr; j++)
			cur_u64(c, &d[i].ids[j], "id");
	}
	return 0;
}

static int read_cpu_topology(struct cursor *c, struct pfold_header_info *info)
{
	uint32_t i, n;
	int ret;

	free_topology(info);
	ret = read_strings(c, &info->sibling_cores, &info->nr_sibling_cores, "sibling cores");
	if (ret)
		return ret;
	ret = read_strings(c, &info->sibling_threads, &info->nr_sibling_threads, "sibling threads");
	if (ret)
		return ret;
	n = info->nr_cpus_avail;
	if (!n || c->size - c->pos < (size_t)n * 8)
		return 0;	/* old files stop here */
	info->cpu_topo = calloc(n, sizeof(*info->cpu_topo));
	if (!info->cpu_topo)
		return nomem(c);
	info->nr_cpu_topo = n;
	for (i = 0; i < n; i++) {
		cur_u32(c, &info->cpu_topo[i].core_id, "core id");
		cur_u32(c, &info->cpu_topo[i].socket_id, "socket id");
	}
	info->topo_has_ids = 1;
	if (c->size - c->pos < 4)
		return 0;
	ret = read_strings(c, &info->sibling_dies, &info->nr_sibling_dies, "sibling dies");
	if (ret)
		return ret;
	if (c->size - c->pos < (size_t)n * 4)
		return cur_fail(c, "die ids");
	for (i = 0; i < n; i++)
		cur_u32(c, &info->cpu_topo[i].die_id, "die id");
	info->topo_has_die = 1;
	return 0;
}

static int read_numa(struct cursor *c, struct pfold_header_info *info)
{
	uint32_t nr, i;
	int ret;

	free_numa(info);
	ret = cur_count(c, &nr, 24, "node count");
	if (ret)
		return ret;
	info->numa_nodes = calloc(nr ? nr : 1, sizeof(*info->numa_nodes));
	if (!info->numa_nodes)
		return nomem(c);
	for (i = 0; i < nr; i++) {
		struct pfold_numa_node *n = &info->numa_nodes[i];

		info->nr_numa_nodes = i + 1;
		if ((ret = cur_u32(c, &n->node, "node")) ||
		    (ret = cur_u64(c, &n->mem_total, "mem_total")) ||
		    (ret = cur_u64(c, &n->mem_free, "mem_free")) ||
		    (ret = cur_string(c, &n->cpus, "cpus")))
			return ret;
	}
	return 0;
}

static int read_pmu_mappings(struct cursor *c, struct pfold_header_info *info)
{
	uint32_t nr, i;
	int ret;

	free_pmu(info);
	ret = cur_count(c, &nr, 8, "pmu count");
	if (ret)
		return ret;
	info->pmu_mappings = calloc(nr ? nr : 1, sizeof(*info->pmu_mappings));
	if (!info->pmu_mappings)
		return nomem(c);
	for (i = 0; i < nr; i++) {
		info->nr_pmu_mappings = i + 1;
		if ((ret = cur_u32(c, &info->pmu_mappings[i].type, "pmu type")) ||
		    (ret = cur_string(c, &info->pmu_mappings[i].name, "pmu name")))
			return ret;
	}
	return 0;
}

static int read_group_desc(struct cursor *c, struct pfold_header_info *info)
{
	uint32_t nr, i;
	int ret;

	free_groups(info);
	ret = cur_count(c, &nr, 12, "group count");
	if (ret)
		return ret;
	info->groups = calloc(nr ? nr : 1, sizeof(*info->groups));
	if (!info->groups)
		return nomem(c);
	for (i = 0; i < nr; i++) {
		info->nr_groups = i + 1;
		if ((ret = cur_string(c, &info->groups[i].name, "group name")) ||
		    (ret = cur_u32(c, &info->groups[i].leader_idx, "leader_idx")) ||
		    (ret = cur_u32(c, &info->groups[i].nr_members, "nr_members")))
			return ret;
	}
	return 0;
}

static int read_hybrid(struct cursor *c, struct pfold_header_info *info)
{
	uint32_t nr, i;
	int ret;

	free_hybrid(info);
	ret = cur_count(c, &nr, 8, "node count");
	if (ret)
		return ret;
	info->hybrid = calloc(nr ? nr : 1, sizeof(*info->hybrid));
	if (!info->hybrid)
		return nomem(c);
	for (i = 0; i < nr; i++) {
		info->nr_hybrid = i + 1;
		if ((ret = cur_string(c, &info->hybrid[i].pmu_name, "pmu name")) ||
		    (ret = cur_string(c, &info->hybrid[i].cpus, "cpus")))
			return ret;
	}
	return 0;
}

static int read_build_ids(struct cursor *c, struct pfold_header_info *info)
{
	free_build_ids(info);
	while (c->size - c->pos >= sizeof(struct pfold_rec_build_id)) {
		struct pfold_rec_build_id rec;
		struct pfold_build_id *b, *arr;
		uint16_t size, misc;
		const char *name;
		size_t name_len;

		memcpy(&rec, c->p + c->pos, sizeof(rec));
		size = c->swap ? pfold_bswap16(rec.header.size) : rec.header.size;
		misc = c->swap ? pfold_bswap16(rec.header.misc) : rec.header.misc;
		if (size < sizeof(rec) || size > c->size - c->pos)
			return pfold_error(PFOLD_E_BAD_FEATURE, "%s: feature build_id: bad entry size %u at offset %" PRIu64,
					   c->what, size, c->offset + c->pos);
		arr = realloc(info->build_ids, (info->nr_build_ids + 1) * sizeof(*arr));
		if (!arr)
			return nomem(c);
		info->build_ids = arr;
		b = &arr[info->nr_build_ids];
		memset(b, 0, sizeof(*b));
		b->pid = c->swap ? (int32_t)pfold_bswap32((uint32_t)rec.pid) : rec.pid;
		b->misc = misc & ~PFOLD_MISC_BUILD_ID_SIZE;
		memcpy(b->id, rec.data, 20);
		b->size = (misc & PFOLD_MISC_BUILD_ID_SIZE) && rec.size <= 20 ? rec.size : 20;
		name = (const char *)c->p + c->pos + sizeof(rec);
		name_len = strnlen(name, size - sizeof(rec));
		b->filename = strndup(name, name_len);
		if (!b->filename)
			return nomem(c);
		info->nr_build_ids++;
		c->pos += size;
	}
	return 0;
}

static int read_tracing_data(struct cursor *c, struct pfold_header_info *info)
{
	free_tracing(info);
	info->tracing_data = malloc(c->size ? c->size : 1);
	if (!info->tracing_data)
		return nomem(c);
	memcpy(info->tracing_data, c->p, c->size);
	info->tracing_data_size = c->size;
	/* a tracing blob we cannot parse is not fatal: names fall back to "raw" */
	if (pfold_tracing_data_parse(info, c->p, c->size, c->what, c->offset) == -PFOLD_E_NOMEM)
		return nomem(c);
	c->pos = c->size;
	return 0;
}

/* ---- write functions (host order, as perf writes) ---- */

static int put_u32(struct pfold_buf *b, uint32_t v) { return pfold_buf_add(b, &v, 4); }
static int put_u64(struct pfold_buf *b, uint64_t v) { return pfold_buf_add(b, &v, 8); }

static int put_string(struct pfold_buf *b, const char *s)
{
	static const char zero[NAME_ALIGN];
	size_t len = strlen(s ? s : "") + 1;
	size_t olen = (len + NAME_ALIGN - 1) / NAME_ALIGN * NAME_ALIGN;

	if (put_u32(b, (uint32_t)olen) || pfold_buf_add(b, s ? s : "", len - 1) ||
	    pfold_buf_add(b, zero, olen - len + 1))
		return -PFOLD_E_NOMEM;
	return 0;
}

static int write_string_feat(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	char **field = string_field((struct pfold_header_info *)info, feat);

	if (!*field)
		return 0;
	return put_string(b, *field) ? -PFOLD_E_NOMEM : 1;
}

static int write_nrcpus(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	if (!info->nr_cpus_avail && !info->nr_cpus_online)
		return 0;
	return put_u32(b, info->nr_cpus_avail) || put_u32(b, info->nr_cpus_online) ? -PFOLD_E_NOMEM : 1;
}

static int write_total_mem(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	if (!info->total_mem)
		return 0;
	return put_u64(b, info->total_mem) ? -PFOLD_E_NOMEM : 1;
}

static int write_cmdline(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;

	if (!info->nr_cmdline)
		return 0;
	if (put_u32(b, (uint32_t)info->nr_cmdline))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_cmdline; i++)
		if (put_string(b, info->cmdline[i]))
			return -PFOLD_E_NOMEM;
	return 1;
}

static int write_event_desc(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i, j;

	if (!info->nr_event_desc)
		return 0;
	if (put_u32(b, (uint32_t)info->nr_event_desc) || put_u32(b, sizeof(struct perf_event_attr)))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_event_desc; i++) {
		const struct pfold_event_desc *d = &info->event_desc[i];
		struct perf_event_attr a = d->attr;

		a.size = sizeof(a);
		if (pfold_buf_add(b, &a, sizeof(a)) || put_u32(b, d->nr_ids) ||
		    put_string(b, d->name))
			return -PFOLD_E_NOMEM;
		for (j = 0; j < d->nr_ids; j++)
			if (put_u64(b, d->ids[j]))
				return -PFOLD_E_NOMEM;
	}
	return 1;
}

static int write_cpu_topology(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;

	if (!info->nr_sibling_cores && !info->nr_sibling_threads)
		return 0;
	if (put_u32(b, (uint32_t)info->nr_sibling_cores))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_sibling_cores; i++)
		if (put_string(b, info->sibling_cores[i]))
			return -PFOLD_E_NOMEM;
	if (put_u32(b, (uint32_t)info->nr_sibling_threads))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_sibling_threads; i++)
		if (put_string(b, info->sibling_threads[i]))
			return -PFOLD_E_NOMEM;
	if (!info->topo_has_ids)
		return 1;
	for (i = 0; i < info->nr_cpu_topo; i++)
		if (put_u32(b, info->cpu_topo[i].core_id) || put_u32(b, info->cpu_topo[i].socket_id))
			return -PFOLD_E_NOMEM;
	if (!info->topo_has_die)
		return 1;
	if (put_u32(b, (uint32_t)info->nr_sibling_dies))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_sibling_dies; i++)
		if (put_string(b, info->sibling_dies[i]))
			return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_cpu_topo; i++)
		if (put_u32(b, info->cpu_topo[i].die_id))
			return -PFOLD_E_NOMEM;
	return 1;
}

static int write_numa(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;

	if (!info->nr_numa_nodes)
		return 0;
	if (put_u32(b, (uint32_t)info->nr_numa_nodes))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_numa_nodes; i++) {
		const struct pfold_numa_node *n = &info->numa_nodes[i];

		if (put_u32(b, n->node) || put_u64(b, n->mem_total) || put_u64(b, n->mem_free) ||
		    put_string(b, n->cpus))
			return -PFOLD_E_NOMEM;
	}
	return 1;
}

static int write_pmu_mappings(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;

	if (!info->nr_pmu_mappings)
		return 0;
	if (put_u32(b, (uint32_t)info->nr_pmu_mappings))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_pmu_mappings; i++)
		if (put_u32(b, info->pmu_mappings[i].type) || put_string(b, info->pmu_mappings[i].name))
			return -PFOLD_E_NOMEM;
	return 1;
}

static int write_group_desc(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;

	if (!info->nr_groups)
		return 0;
	if (put_u32(b, (uint32_t)info->nr_groups))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_groups; i++)
		if (put_string(b, info->groups[i].name) || put_u32(b, info->groups[i].leader_idx) ||
		    put_u32(b, info->groups[i].nr_members))
			return -PFOLD_E_NOMEM;
	return 1;
}

static int write_clockid(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	if (!pfold_header_has(info, HEADER_CLOCKID))
		return 0;
	return put_u64(b, info->clockid_res_ns) ? -PFOLD_E_NOMEM : 1;
}

static int write_sample_time(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	if (!info->sample_time_first && !info->sample_time_last)
		return 0;
	return put_u64(b, info->sample_time_first) || put_u64(b, info->sample_time_last) ? -PFOLD_E_NOMEM : 1;
}

static int write_compressed(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	if (!pfold_header_has(info, HEADER_COMPRESSED))
		return 0;
	if (put_u32(b, info->comp.version) || put_u32(b, info->comp.type) || put_u32(b, info->comp.level) ||
	    put_u32(b, info->comp.ratio) || put_u32(b, info->comp.mmap_len))
		return -PFOLD_E_NOMEM;
	return 1;
}

static int write_hybrid(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;

	if (!info->nr_hybrid)
		return 0;
	if (put_u32(b, (uint32_t)info->nr_hybrid))
		return -PFOLD_E_NOMEM;
	for (i = 0; i < info->nr_hybrid; i++)
		if (put_string(b, info->hybrid[i].pmu_name) || put_string(b, info->hybrid[i].cpus))
			return -PFOLD_E_NOMEM;
	return 1;
}

static int write_build_ids(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	static const char zero[NAME_ALIGN];
	size_t i;

	if (!info->nr_build_ids)
		return 0;
	for (i = 0; i < info->nr_build_ids; i++) {
		const struct pfold_build_id *bid = &info->build_ids[i];
		struct pfold_rec_build_id rec;
		size_t len = strlen(bid->filename ? bid->filename : "") + 1;
		size_t olen = (len + NAME_ALIGN - 1) / NAME_ALIGN * NAME_ALIGN;

		memset(&rec, 0, sizeof(rec));
		rec.header.type = PERF_RECORD_HEADER_BUILD_ID;
		rec.header.misc = bid->misc | PFOLD_MISC_BUILD_ID_SIZE;
		rec.header.size = (uint16_t)(sizeof(rec) + olen);
		rec.pid = bid->pid;
		memcpy(rec.data, bid->id, 20);
		rec.size = bid->size;
		if (pfold_buf_add(b, &rec, sizeof(rec)) ||
		    pfold_buf_add(b, bid->filename ? bid->filename : "", len - 1) ||
		    pfold_buf_add(b, zero, olen - len + 1))
			return -PFOLD_E_NOMEM;
	}
	return 1;
}

static int write_tracing_data(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	if (!info->tracing_data_size)
		return 0;
	return pfold_buf_add(b, info->tracing_data, info->tracing_data_size) ? -PFOLD_E_NOMEM : 1;
}

/* ---- print functions ---- */

static int print_string_feat(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	static const char *const label[] = {
		[HEADER_HOSTNAME] = "hostname", [HEADER_OSRELEASE] = "os release",
		[HEADER_VERSION] = "perf version", [HEADER_ARCH] = "arch",
		[HEADER_CPUDESC] = "cpudesc", [HEADER_CPUID] = "cpuid",
	};
	char **field = string_field((struct pfold_header_info *)info, feat);

	return pfold_buf_addf(b, "# %s : %s\n", label[feat], *field ? *field : "");
}

static int print_nrcpus(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	return pfold_buf_addf(b, "# nrcpus online : %u\n# nrcpus avail : %u\n",
			      info->nr_cpus_online, info->nr_cpus_avail);
}

static int print_total_mem(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	return pfold_buf_addf(b, "# total memory : %" PRIu64 " kB\n", info->total_mem);
}

static int print_cmdline(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;
	int ret = pfold_buf_adds(b, "# cmdline :");

	for (i = 0; !ret && i < info->nr_cmdline; i++)
		ret = pfold_buf_addf(b, " %s", info->cmdline[i]);
	return ret ? ret : pfold_buf_addch(b, '\n');
}

static int print_event_desc(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i, j;
	int ret = 0;

	for (i = 0; !ret && i < info->nr_event_desc; i++) {
		const struct pfold_event_desc *d = &info->event_desc[i];
		const struct perf_event_attr *a = &d->attr;

		ret = pfold_buf_addf(b, "# event : name = %s, type = %u, size = %u, config = %#llx, "
				     "sample_period/freq = %llu%s, sample_type = %#llx, read_format = %#llx",
				     d->name ? d->name : "", a->type, a->size,
				     (unsigned long long)a->config,
				     (unsigned long long)a->sample_period, a->freq ? " (freq)" : "",
				     (unsigned long long)a->sample_type,
				     (unsigned long long)a->read_format);
		if (!ret && d->nr_ids) {
			ret = pfold_buf_adds(b, ", id = {");
			for (j = 0; !ret && j < d->nr_ids; j++)
				ret = pfold_buf_addf(b, "%s %" PRIu64, j ? "," : "", d->ids[j]);
			if (!ret)
				ret = pfold_buf_adds(b, " }");
		}
		if (!ret)
			ret = pfold_buf_addch(b, '\n');
	}
	return ret;
}

static int print_cpu_topology(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < info->nr_sibling_cores; i++)
		ret = pfold_buf_addf(b, "# sibling sockets : %s\n", info->sibling_cores[i]);
	for (i = 0; !ret && i < info->nr_sibling_dies; i++)
		ret = pfold_buf_addf(b, "# sibling dies    : %s\n", info->sibling_dies[i]);
	for (i = 0; !ret && i < info->nr_sibling_threads; i++)
		ret = pfold_buf_addf(b, "# sibling threads : %s\n", info->sibling_threads[i]);
	for (i = 0; !ret && info->topo_has_ids && i < info->nr_cpu_topo; i++) {
		if (info->topo_has_die)
			ret = pfold_buf_addf(b, "# CPU %zu: Core ID %u, Die ID %u, Socket ID %u\n", i,
					     info->cpu_topo[i].core_id, info->cpu_topo[i].die_id,
					     info->cpu_topo[i].socket_id);
		else
			ret = pfold_buf_addf(b, "# CPU %zu: Core ID %u, Socket ID %u\n", i,
					     info->cpu_topo[i].core_id, info->cpu_topo[i].socket_id);
	}
	return ret;
}

static int print_numa(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < info->nr_numa_nodes; i++) {
		const struct pfold_numa_node *n = &info->numa_nodes[i];

		ret = pfold_buf_addf(b, "# node%u meminfo  : total = %" PRIu64 " kB, free = %" PRIu64 " kB\n"
				     "# node%u cpu list : %s\n",
				     n->node, n->mem_total, n->mem_free, n->node, n->cpus);
	}
	return ret;
}

static int print_pmu_mappings(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;
	int ret = pfold_buf_adds(b, "# pmu mappings:");

	for (i = 0; !ret && i < info->nr_pmu_mappings; i++)
		ret = pfold_buf_addf(b, "%s %s = %u", i ? "," : "", info->pmu_mappings[i].name,
				     info->pmu_mappings[i].type);
	return ret ? ret : pfold_buf_addch(b, '\n');
}

static int print_group_desc(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < info->nr_groups; i++)
		ret = pfold_buf_addf(b, "# group: %s leader_idx=%u nr_members=%u\n", info->groups[i].name,
				     info->groups[i].leader_idx, info->groups[i].nr_members);
	return ret;
}

static int print_clockid(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	/* perf's --header-only prints res_ns * 1000 under this label; match it */
	return pfold_buf_addf(b, "# clockid frequency: %" PRIu64 " MHz\n",
			      info->clockid_res_ns * 1000);
}

static int print_sample_time(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	return pfold_buf_addf(b, "# time of first sample : %" PRIu64 "\n# time of last sample : %" PRIu64 "\n",
			      info->sample_time_first, info->sample_time_last);
}

static int print_compressed(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	return pfold_buf_addf(b, "# compressed : %s, level = %u, ratio = %u\n",
			      info->comp.type == 1 ? "Zstd" : "Unknown", info->comp.level, info->comp.ratio);
}

static int print_hybrid(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < info->nr_hybrid; i++)
		ret = pfold_buf_addf(b, "# %s cpu list : %s\n", info->hybrid[i].pmu_name, info->hybrid[i].cpus);
	return ret;
}

static int print_build_ids(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i, j;
	int ret = 0;

	for (i = 0; !ret && i < info->nr_build_ids; i++) {
		const struct pfold_build_id *bid = &info->build_ids[i];

		ret = pfold_buf_adds(b, "# build id : ");
		for (j = 0; !ret && j < bid->size; j++)
			ret = pfold_buf_addf(b, "%02x", bid->id[j]);
		if (!ret)
			ret = pfold_buf_addf(b, " pid=%d %s\n", bid->pid, bid->filename);
	}
	return ret;
}

static int print_tracing_data(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info)
{
	size_t i;
	int ret = pfold_buf_addf(b, "# tracing data : %zu bytes, %zu tracepoints\n",
				 info->tracing_data_size, info->nr_tracepoints);

	for (i = 0; !ret && i < info->nr_tracepoints; i++)
		ret = pfold_buf_addf(b, "# tracepoint : id=%" PRIu64 " %s\n", info->tracepoints[i].id,
				     info->tracepoints[i].name);
	return ret;
}

/* ---- the table ---- */

typedef int (*feat_read_fn)(struct cursor *c, struct pfold_header_info *info);
typedef int (*feat_write_fn)(struct pfold_buf *b, unsigned feat, const struct pfold_header_info *info);

struct feat_ops {
	const char *name;
	feat_read_fn read;
	feat_write_fn write;
	feat_write_fn print;
};

#define FEAT(id, nm, r, w, p) [id] = { nm, r, w, p }
#define FEAT_NAME(id, nm) [id] = { nm, NULL, NULL, NULL }

static const struct feat_ops feat_ops[HEADER_LAST_FEATURE] = {
	FEAT_NAME(HEADER_RESERVED, "reserved"),
	FEAT(HEADER_TRACING_DATA, "tracing_data", read_tracing_data, write_tracing_data, print_tracing_data),
	FEAT(HEADER_BUILD_ID, "build_id", read_build_ids, write_build_ids, print_build_ids),
	FEAT(HEADER_HOSTNAME, "hostname", read_string_feat, write_string_feat, print_string_feat),
	FEAT(HEADER_OSRELEASE, "osrelease", read_string_feat, write_string_feat, print_string_feat),
	FEAT(HEADER_VERSION, "version", read_string_feat, write_string_feat, print_string_feat),
	FEAT(HEADER_ARCH, "arch", read_string_feat, write_string_feat, print_string_feat),
	FEAT(HEADER_NRCPUS, "nrcpus", read_nrcpus, write_nrcpus, print_nrcpus),
	FEAT(HEADER_CPUDESC, "cpudesc", read_string_feat, write_string_feat, print_string_feat),
	FEAT(HEADER_CPUID, "cpuid", read_string_feat, write_string_feat, print_string_feat),
	FEAT(HEADER_TOTAL_MEM, "total_mem", read_total_mem, write_total_mem, print_total_mem),
	FEAT(HEADER_CMDLINE, "cmdline", read_cmdline, write_cmdline, print_cmdline),
	FEAT(HEADER_EVENT_DESC, "event_desc", read_event_desc, write_event_desc, print_event_desc),
	FEAT(HEADER_CPU_TOPOLOGY, "cpu_topology", read_cpu_topology, write_cpu_topology, print_cpu_topology),
	FEAT(HEADER_NUMA_TOPOLOGY, "numa_topology", read_numa, write_numa, print_numa),
	FEAT_NAME(HEADER_BRANCH_STACK, "branch_stack"),
	FEAT(HEADER_PMU_MAPPINGS, "pmu_mappings", read_pmu_mappings, write_pmu_mappings, print_pmu_mappings),
	FEAT(HEADER_GROUP_DESC, "group_desc", read_group_desc, write_group_desc, print_group_desc),
	FEAT_NAME(HEADER_AUXTRACE, "auxtrace"),
	FEAT_NAME(HEADER_STAT, "stat"),
	FEAT_NAME(HEADER_CACHE, "cache"),
	FEAT(HEADER_SAMPLE_TIME, "sample_time", read_sample_time, write_sample_time, print_sample_time),
	FEAT_NAME(HEADER_MEM_TOPOLOGY, "mem_topology"),
	FEAT(HEADER_CLOCKID, "clockid", read_clockid, write_clockid, print_clockid),
	FEAT_NAME(HEADER_DIR_FORMAT, "dir_format"),
	FEAT_NAME(HEADER_BPF_PROG_INFO, "bpf_prog_info"),
	FEAT_NAME(HEADER_BPF_BTF, "bpf_btf"),
	FEAT(HEADER_COMPRESSED, "compressed", read_compressed, write_compressed, print_compressed),
	FEAT_NAME(HEADER_CPU_PMU_CAPS, "cpu_pmu_caps"),
	FEAT_NAME(HEADER_CLOCK_DATA, "clock_data"),
	FEAT(HEADER_HYBRID_TOPOLOGY, "hybrid_topology", read_hybrid, write_hybrid, print_hybrid),
	FEAT_NAME(HEADER_PMU_CAPS, "pmu_caps"),
};

const char *pfold_feature_name(unsigned feat)
{
	if (feat < HEADER_LAST_FEATURE && feat_ops[feat].name)
		return feat_ops[feat].name;
	return "unknown";
}

int pfold_feature_read(struct pfold_header_info *info, unsigned feat,
		       const void *data, size_t size, int swap,
		       const char *what, uint64_t offset)
{
	struct cursor c = { data, size, 0, swap, what, offset, feat };

	/* an empty section is a feature perf could not gather (cpudesc on
	 * old ARM perf): the file says nothing about it */
	if (!size)
		return 0;
	pfold_header_set(info, feat);
	if (feat >= HEADER_LAST_FEATURE || !feat_ops[feat].read)
		return 0;
	return feat_ops[feat].read(&c, info);
}

int pfold_feature_can_write(unsigned feat)
{
	return feat < HEADER_LAST_FEATURE && feat_ops[feat].write;
}

int pfold_feature_write(struct pfold_buf *out, unsigned feat,
			const struct pfold_header_info *info)
{
	if (!pfold_feature_can_write(feat))
		return 0;
	return feat_ops[feat].write(out, feat, info);
}

int pfold_feature_print(struct pfold_buf *out, unsigned feat,
			const struct pfold_header_info *info)
{
	if (feat >= HEADER_LAST_FEATURE || !feat_ops[feat].print)
		return pfold_buf_addf(out, "# feature %s (%u): not decoded\n", pfold_feature_name(feat), feat);
	return feat_ops[feat].print(out, feat, info);
}

/* ---- TRACING_DATA ---- */

struct tcur {
	const uint8_t *p;
	size_t size, pos;
	int swap;
};

static int t_u32(struct tcur *t, uint32_t *v)
{
	if (t->size - t->pos < 4)
		return -1;
	memcpy(v, t->p + t->pos, 4);
	t->pos += 4;
	if (t->swap)
		*v = pfold_bswap32(*v);
	return 0;
}

static int t_u64(struct tcur *t, uint64_t *v)
{
	if (t->size - t->pos < 8)
		return -1;
	memcpy(v, t->p + t->pos, 8);
	t->pos += 8;
	if (t->swap)
		*v = pfold_bswap64(*v);
	return 0;
}

static const char *t_str(struct tcur *t)
{
	const char *s = (const char *)t->p + t->pos;
	size_t n = strnlen(s, t->size - t->pos);

	if (n == t->size - t->pos)
		return NULL;
	t->pos += n + 1;
	return s;
}

/* skip a u64 size + data block */
static int t_skip64(struct tcur *t)
{
	uint64_t sz;

	if (t_u64(t, &sz) || sz > t->size - t->pos)
		return -1;
	t->pos += sz;
	return 0;
}

static int add_tracepoint(struct pfold_header_info *info, const char *sys, const char *fmt, size_t len)
{
	const char *name = NULL, *id = NULL, *p = fmt, *end = fmt + len;
	size_t name_len = 0;
	struct pfold_tracepoint *arr;
	char *full;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if (eol - p > 6 && !memcmp(p, "name: ", 6)) {
			name = p + 6;
			name_len = (size_t)(eol - name);
		} else if (eol - p > 4 && !memcmp(p, "ID: ", 4)) {
			id = p + 4;
		}
		p = eol + 1;
	}
	if (!name || !id)
		return 0;
	arr = realloc(info->tracepoints, (info->nr_tracepoints + 1) * sizeof(*arr));
	if (!arr)
		return -PFOLD_E_NOMEM;
	info->tracepoints = arr;
	full = malloc(strlen(sys) + name_len + 2);
	if (!full)
		return -PFOLD_E_NOMEM;
	sprintf(full, "%s:%.*s", sys, (int)name_len, name);
	arr[info->nr_tracepoints].id = strtoull(id, NULL, 10);
	arr[info->nr_tracepoints].name = full;
	info->nr_tracepoints++;
	return 0;
}

int pfold_tracing_data_parse(struct pfold_header_info *info, const void *data,
			     size_t size, const char *what, uint64_t offset)
{
	static const uint8_t magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	struct tcur t = { data, size, 0, 0 };
	uint32_t nr, nsys, i, j;
	const char *s;
	uint8_t big;
	int ret;

	if (size < 10 || memcmp(data, magic, 10))
		goto bad;
	t.pos = 10;
	if (!t_str(&t) || t.size - t.pos < 2)
		goto bad;
	big = t.p[t.pos];
	t.pos += 2;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	t.swap = !big;
#else
	t.swap = big;
#endif
	{
		uint32_t page;
		if (t_u32(&t, &page))
			goto bad;
	}
	s = t_str(&t);
	if (!s || strcmp(s, "header_page") || t_skip64(&t))
		goto bad;
	s = t_str(&t);
	if (!s || strcmp(s, "header_event") || t_skip64(&t))
		goto bad;
	if (t_u32(&t, &nr))
		goto bad;
	for (i = 0; i < nr; i++)
		if (t_skip64(&t))
			goto bad;
	if (t_u32(&t, &nsys))
		goto bad;
	for (i = 0; i < nsys; i++) {
		const char *sys = t_str(&t);

		if (!sys || t_u32(&t, &nr))
			goto bad;
		for (j = 0; j < nr; j++) {
			uint64_t sz;

			if (t_u64(&t, &sz) || sz > t.size - t.pos)
				goto bad;
			ret = add_tracepoint(info, sys, (const char *)t.p + t.pos, (size_t)sz);
			if (ret)
				return ret;
			t.pos += sz;
		}
	}
	return 0;
bad:
	return pfold_error(PFOLD_E_BAD_FEATURE, "%s: cannot parse tracing data at offset %" PRIu64,
			   what, offset + t.pos);
}
