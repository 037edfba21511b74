// SPDX-License-Identifier: MIT
/* export-pprof.c: profile.proto written by hand (protobuf wire format) and gzip'd with zlib. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "error.h"
#include "export.h"
#include "flame-svg.h"

/*
 * Field numbers of perftools.profiles (github.com/google/pprof proto/profile.proto):
 * Profile: 1 sample_type, 2 sample, 3 mapping, 4 location, 5 function,
 * 6 string_table, 11 period_type, 12 period, 13 comment, 14 default_sample_type.
 * ValueType: 1 type, 2 unit. Sample: 1 location_id (packed), 2 value (packed).
 * Mapping: 1 id, 5 filename, 6 build_id, 7 has_functions, 8 has_filenames,
 * 9 has_line_numbers.
 * Location: 1 id, 2 mapping_id, 3 address, 4 line. Line: 1 function_id, 2 line.
 * Function: 1 id, 2 name, 3 system_name, 4 filename.
 */

#define WT_VARINT 0
#define WT_LEN 2

static int put_varint(struct pfold_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = v & 0x7f;
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	return pfold_buf_add(b, tmp, n);
}

static int put_tag(struct pfold_buf *b, unsigned field, unsigned wt)
{
	return put_varint(b, ((uint64_t)field << 3) | wt);
}

/* A varint field; proto3 leaves out zero values. */
static int put_uint(struct pfold_buf *b, unsigned field, uint64_t v)
{
	if (!v)
		return 0;
	return put_tag(b, field, WT_VARINT) || put_varint(b, v) ? -PFOLD_E_NOMEM : 0;
}

static int put_bytes(struct pfold_buf *b, unsigned field, const void *data, size_t len)
{
	if (put_tag(b, field, WT_LEN) || put_varint(b, len) || pfold_buf_add(b, data, len))
		return -PFOLD_E_NOMEM;
	return 0;
}

/* The string table: index 0 is "", then strings in order of first use. */
struct strtab {
	struct pfold_buf msg;	/* the encoded string_table fields */
	int64_t nr;
};

/* protobuf strings are UTF-8: invalid bytes become '?' */
static int64_t str_add(struct strtab *t, const char *s)
{
	struct pfold_buf clean = PFOLD_BUF_INIT;
	int ret;

	if (pfold_utf8_clean(&clean, s, strlen(s)))
		return -PFOLD_E_NOMEM;
	ret = put_bytes(&t->msg, 6, clean.data ? clean.data : "", clean.len);
	pfold_buf_release(&clean);
	if (ret)
		return -PFOLD_E_NOMEM;
	return t->nr++;
}

static int gzip_append(struct pfold_buf *out, const struct pfold_buf *in)
{
	z_stream zs;
	int zr;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return pfold_error(PFOLD_E_ZLIB, "pprof: deflateInit2 failed");
	zs.next_in = (unsigned char *)in->data;
	zs.avail_in = (uInt)in->len;
	do {
		if (pfold_buf_grow(out, 65536)) {
			deflateEnd(&zs);
			return -PFOLD_E_NOMEM;
		}
		zs.next_out = (unsigned char *)out->data + out->len;
		zs.avail_out = 65536;
		zr = deflate(&zs, Z_FINISH);
		out->len = (size_t)((char *)zs.next_out - out->data);
	} while (zr == Z_OK || (zr == Z_BUF_ERROR && zs.avail_out == 0));
	deflateEnd(&zs);
	if (zr != Z_STREAM_END)
		return pfold_error(PFOLD_E_ZLIB, "pprof: deflate failed (%d)", zr);
	return 0;
}

/* One Mapping: an object (or "[pfold]" for frames of no known object). */
struct mapping {
	const char *object;	/* NULL: "[pfold]" */
	const char *build_id;
	int64_t name, bid;	/* string table indices */
	int has_lines;
};

/* The mapping id (1-based) of OBJECT in *MAPS, added if new; 0 when out of memory. */
static uint32_t mapping_of(struct mapping **maps, size_t *n, size_t *alloc,
			   const struct pfold_frame_origin *o)
{
	const char *object = o ? o->object : NULL;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*maps)[i].object == object ||
		    ((*maps)[i].object && object && !strcmp((*maps)[i].object, object)))
			break;
	if (i == *n) {
		if (PFOLD_GROW(*maps, *alloc, *n + 1))
			return 0;
		memset(&(*maps)[i], 0, sizeof(**maps));
		(*maps)[i].object = object;
		(*n)++;
	}
	if (o && o->build_id && !(*maps)[i].build_id)
		(*maps)[i].build_id = o->build_id;
	if (o && o->line)
		(*maps)[i].has_lines = 1;
	return (uint32_t)i + 1;
}

static const char *unit_of(const char *event)
{
	if (!strncmp(event, "cpu-clock", 9) || !strncmp(event, "task-clock", 10))
		return "nanoseconds";
	return "count";
}

int pfold_export_pprof(const struct pfold_profile *p, int default_event,
		       struct pfold_buf *out)
{
	struct pfold_buf msg = PFOLD_BUF_INIT, sub = PFOLD_BUF_INIT, sub2 = PFOLD_BUF_INIT;
	struct strtab st = { PFOLD_BUF_INIT, 0 };
	size_t ne = pfold_profile_nr_events(p), nf = pfold_profile_nr_frames(p);
	size_t ns = pfold_profile_nr_stacks(p), i, k, d;
	int64_t *names = NULL, *ev = NULL, *files = NULL, map_name, comment;
	uint32_t *fmap = NULL;	/* frame -> mapping id */
	struct mapping *maps = NULL;
	size_t nmaps = 0, amaps = 0;
	int ret = -PFOLD_E_NOMEM;

	d = default_event >= 0 && (size_t)default_event < ne ? (size_t)default_event : 0;
	/* every string first: event names and units, the mapping, frame names */
	names = malloc((nf + 1) * sizeof(*names));
	ev = malloc((2 * ne + 1) * sizeof(*ev));
	if (!names || !ev || str_add(&st, "") < 0)
		goto out;
	for (k = 0; k < ne; k++) {
		ev[2 * k] = str_add(&st, pfold_profile_event_name(p, k));
		ev[2 * k + 1] = str_add(&st, unit_of(pfold_profile_event_name(p, k)));
		if (ev[2 * k] < 0 || ev[2 * k + 1] < 0)
			goto out;
	}
	map_name = str_add(&st, "[pfold]");
	comment = str_add(&st, "made by pfold");
	if (map_name < 0 || comment < 0)
		goto out;
	fmap = malloc((nf + 1) * sizeof(*fmap));
	files = malloc((nf + 1) * sizeof(*files));
	if (!fmap || !files)
		goto out;
	for (i = 0; i < nf; i++) {
		const struct pfold_frame_origin *o = pfold_profile_frame_origin(p, (uint32_t)i);

		names[i] = str_add(&st, pfold_profile_frame_name(p, (uint32_t)i));
		files[i] = o && o->file ? str_add(&st, o->file) : 0;
		fmap[i] = mapping_of(&maps, &nmaps, &amaps, o);
		if (names[i] < 0 || files[i] < 0 || !fmap[i])
			goto out;
	}
	/* mappings: one per object */
	for (i = 0; i < nmaps; i++) {
		maps[i].name = maps[i].object ? str_add(&st, maps[i].object) : map_name;
		maps[i].bid = maps[i].build_id ? str_add(&st, maps[i].build_id) : 0;
		if (maps[i].name < 0 || maps[i].bid < 0)
			goto out;
	}

	/* sample types, one per event */
	for (k = 0; k < ne; k++) {
		pfold_buf_reset(&sub);
		if (put_uint(&sub, 1, (uint64_t)ev[2 * k]) || put_uint(&sub, 2, (uint64_t)ev[2 * k + 1]) ||
		    put_bytes(&msg, 1, sub.data, sub.len))
			goto out;
	}
	/* samples: location ids leaf first, one value per event */
	for (i = 0; i < ns; i++) {
		struct pfold_stack stk;
		int any = 0;

		if (pfold_profile_stack(p, i, &stk))
			continue;
		for (k = 0; k < ne; k++)
			any |= stk.counts[k] != 0;
		if (!any)
			continue;
		pfold_buf_reset(&sub);
		pfold_buf_reset(&sub2);
		for (k = stk.nframes; k > 0; k--)
			if (put_varint(&sub2, (uint64_t)stk.frames[k - 1] + 1))
				goto out;
		if (sub2.len && put_bytes(&sub, 1, sub2.data, sub2.len))
			goto out;
		pfold_buf_reset(&sub2);
		for (k = 0; k < ne; k++)
			if (put_varint(&sub2, stk.counts[k] > INT64_MAX ? INT64_MAX : stk.counts[k]))
				goto out;
		if (put_bytes(&sub, 2, sub2.data, sub2.len) || put_bytes(&msg, 2, sub.data, sub.len))
			goto out;
	}
	for (i = 0; i < nmaps; i++) {
		pfold_buf_reset(&sub);
		if (put_uint(&sub, 1, i + 1) || put_uint(&sub, 5, (uint64_t)maps[i].name) ||
		    put_uint(&sub, 6, (uint64_t)maps[i].bid) || put_uint(&sub, 7, 1) ||
		    put_uint(&sub, 8, (uint64_t)maps[i].has_lines) ||
		    put_uint(&sub, 9, (uint64_t)maps[i].has_lines) ||
		    put_bytes(&msg, 3, sub.data, sub.len))
			goto out;
	}
	/* locations and functions: one per frame, id = frame id + 1 */
	for (i = 0; i < nf; i++) {
		const struct pfold_frame_origin *o = pfold_profile_frame_origin(p, (uint32_t)i);

		pfold_buf_reset(&sub);
		pfold_buf_reset(&sub2);
		if (put_uint(&sub2, 1, i + 1) || put_uint(&sub2, 2, o ? o->line : 0) ||
		    put_uint(&sub, 1, i + 1) || put_uint(&sub, 2, fmap[i]) ||
		    put_uint(&sub, 3, o ? o->address : 0) ||
		    put_bytes(&sub, 4, sub2.data, sub2.len) || put_bytes(&msg, 4, sub.data, sub.len))
			goto out;
	}
	for (i = 0; i < nf; i++) {
		pfold_buf_reset(&sub);
		if (put_uint(&sub, 1, i + 1) || put_uint(&sub, 2, (uint64_t)names[i]) ||
		    put_uint(&sub, 3, (uint64_t)names[i]) || put_uint(&sub, 4, (uint64_t)files[i]) ||
		    put_bytes(&msg, 5, sub.data, sub.len))
			goto out;
	}
	if (pfold_buf_add(&msg, st.msg.data, st.msg.len))
		goto out;
	if (ne) {
		pfold_buf_reset(&sub);
		if (put_uint(&sub, 1, (uint64_t)ev[2 * d]) || put_uint(&sub, 2, (uint64_t)ev[2 * d + 1]) ||
		    put_bytes(&msg, 11, sub.data, sub.len) || put_uint(&msg, 12, 1) ||
		    put_uint(&msg, 14, (uint64_t)ev[2 * d]))
			goto out;
	}
	if (put_tag(&msg, 13, WT_VARINT) || put_varint(&msg, (uint64_t)comment))
		goto out;
	ret = gzip_append(out, &msg);
out:
	free(maps);
	free(fmap);
	free(files);
	free(ev);
	free(names);
	pfold_buf_release(&msg);
	pfold_buf_release(&sub);
	pfold_buf_release(&sub2);
	pfold_buf_release(&st.msg);
	return ret;
}
