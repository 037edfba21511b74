// SPDX-License-Identifier: MIT
/* flame.c: flamegraph layout (flamegraph.pl's frame merge), narrow-frame merging, diff profiles. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include "error.h"
#include "flame.h"
#include "stacks.h"

/* A frame while the layout is built: counters live at store[off...]. */
struct node {
	uint32_t id;		/* frame id in the profile */
	uint32_t depth;
	uint32_t parent;
	uint64_t start, width;
	size_t off;		/* inclusive counters at off, self at off + nevents */
	double delta;		/* diff: self delta */
};

struct builder {
	struct node *nodes;
	size_t nr, alloc;
	uint64_t *store;
	size_t store_nr, store_alloc;
	size_t nev;
};

static int builder_new_node(struct builder *b, uint32_t id, uint32_t depth,
			    uint32_t parent, uint64_t start, uint32_t *out)
{
	struct node *n;

	if (b->nr >= UINT32_MAX - 1)
		return pfold_error(PFOLD_E_LIMIT, "flamegraph: too many frames");
	if (PFOLD_GROW(b->nodes, b->alloc, b->nr + 1) ||
	    PFOLD_GROW(b->store, b->store_alloc, b->store_nr + 2 * b->nev + 1))
		return -PFOLD_E_NOMEM;
	n = &b->nodes[b->nr];
	n->id = id;
	n->depth = depth;
	n->parent = parent;
	n->start = start;
	n->width = 0;
	n->off = b->store_nr;
	n->delta = 0;
	memset(b->store + b->store_nr, 0, 2 * b->nev * sizeof(*b->store));
	b->store_nr += 2 * b->nev;
	*out = (uint32_t)b->nr++;
	return 0;
}

/* same_frame - flamegraph.pl merges frames on their text, whatever the kind. */
static int same_frame(const struct pfold_profile *p, uint32_t a, uint32_t b)
{
	return a == b || !strcmp(pfold_profile_frame_name(p, a),
				 pfold_profile_frame_name(p, b));
}

static void free_builder(struct builder *b)
{
	free(b->nodes);
	free(b->store);
}

/* Merge the sorted stacks into nodes (flamegraph.pl's flow()). */
static int build_nodes(struct builder *b, const struct pfold_profile *p,
		       const struct pfold_flame_options *opt, uint64_t *total)
{
	size_t *order = NULL, nstacks = pfold_profile_nr_stacks(p), i, k;
	uint32_t *path = NULL;	/* path[d]: open node at depth d (0 = root) */
	size_t path_alloc = 0, path_len = 0;	/* open depths 1..path_len */
	const uint32_t *prev = NULL;
	size_t prev_n = 0;
	uint64_t time = 0;
	uint32_t root;
	int ret;

	ret = pfold_profile_sorted(p, &order);
	if (ret)
		return ret;
	ret = PFOLD_GROW(path, path_alloc, 1);
	if (ret)
		goto out;
	ret = builder_new_node(b, UINT32_MAX, 0, UINT32_MAX, 0, &root);
	if (ret)
		goto out;
	path[0] = root;

	for (i = 0; i < nstacks; i++) {
		struct pfold_stack s;
		size_t same = 0, d;
		uint64_t v;

		ret = pfold_profile_stack(p, order[i], &s);
		if (ret)
			goto out;
		v = s.counts[opt->metric];
		while (same < prev_n && same < s.nframes &&
		       same_frame(p, prev[same], s.frames[same]))
			same++;
		/* close the frames deeper than the common prefix */
		for (d = path_len; d > same; d--) {
			struct node *n = &b->nodes[path[d]];

			n->width = time - n->start;
		}
		path_len = same;
		if (PFOLD_GROW(path, path_alloc, s.nframes + 1)) {
			ret = -PFOLD_E_NOMEM;
			goto out;
		}
		for (d = same; d < s.nframes; d++) {
			uint32_t idx;

			ret = builder_new_node(b, s.frames[d], (uint32_t)(d + 1),
					       path[d], time, &idx);
			if (ret)
				goto out;
			path[d + 1] = idx;
		}
		path_len = s.nframes;
		/* inclusive counters along the path, self counters at the end */
		for (d = 0; d <= path_len; d++) {
			uint64_t *c = b->store + b->nodes[path[d]].off;

			for (k = 0; k < b->nev; k++)
				c[k] += s.counts[k];
		}
		{
			struct node *leaf = &b->nodes[path[path_len]];
			uint64_t *c = b->store + leaf->off + b->nev;

			for (k = 0; k < b->nev; k++)
				c[k] += s.counts[k];
			if (opt->diff_base >= 0)
				leaf->delta += (double)s.counts[opt->metric] -
					(double)s.counts[opt->diff_base] * opt->base_scale;
		}
		if (time + v < time) {
			ret = pfold_error(PFOLD_E_LIMIT, "flamegraph: the total overflows 64 bits");
			goto out;
		}
		time += v;
		prev = s.frames;
		prev_n = s.nframes;
		/* s.frames stays valid: the profile does not change */
	}
	for (; path_len > 0; path_len--)
		b->nodes[path[path_len]].width = time - b->nodes[path[path_len]].start;
	b->nodes[root].width = time;
	*total = time;
	ret = 0;
out:
	free(path);
	free(order);
	return ret;
}

/* A run of consecutive narrow siblings, merged into one box. */
struct run {
	uint32_t parent;	/* node index */
	uint32_t first;		/* node index of its first member */
	uint32_t count;
	uint64_t start, width;
	size_t off;		/* summed counters in the builder store */
	double delta;
};

static int add_frame(struct pfold_flame *f, const struct pfold_flame_frame *fr)
{
	if (PFOLD_GROW(f->frames, f->alloc, f->nr + 1))
		return -PFOLD_E_NOMEM;
	f->frames[f->nr++] = *fr;
	return 0;
}

int pfold_flame_layout(struct pfold_flame **out, const struct pfold_profile *prof,
		       const struct pfold_flame_options *opt)
{
	struct builder b = { 0 };
	struct pfold_flame *f;
	struct run *runs = NULL;
	size_t nruns = 0, runs_alloc = 0, i, k;
	uint32_t *newidx = NULL;	/* node -> frame index, UINT32_MAX if not drawn */
	uint32_t *open_run = NULL;	/* node -> index of its children's open run + 1 */
	double minw_units;
	size_t ne = pfold_profile_nr_events(prof);
	int ret;

	if (opt->metric < 0 || (size_t)opt->metric >= ne ||
	    (opt->diff_base >= 0 && (size_t)opt->diff_base >= ne))
		return pfold_error(PFOLD_E_INVAL, "flamegraph: no such event slot");
	f = calloc(1, sizeof(*f));
	if (!f)
		return -PFOLD_E_NOMEM;
	f->prof = prof;
	f->nevents = ne;
	f->metric = opt->metric;
	f->diff_base = opt->diff_base;
	f->width = opt->width > 0 ? opt->width : PFOLD_FLAME_WIDTH;
	f->minwidth = opt->minwidth < 0 ? PFOLD_FLAME_MINWIDTH : opt->minwidth;
	f->xpad = PFOLD_FLAME_XPAD;
	f->max_delta = 1;
	b.nev = ne;

	ret = build_nodes(&b, prof, opt, &f->total);
	if (ret)
		goto err;
	f->unit_px = f->total ? (f->width - 2 * f->xpad) / (double)f->total : 0;
	minw_units = f->unit_px > 0 ? f->minwidth / f->unit_px : 0;

	newidx = malloc(b.nr * sizeof(*newidx));
	open_run = calloc(b.nr, sizeof(*open_run));
	if (!newidx || !open_run) {
		ret = -PFOLD_E_NOMEM;
		goto err;
	}
	/* Pass 1: which nodes are drawn; narrow siblings collect into runs. */
	for (i = 0; i < b.nr; i++) {
		struct node *n = &b.nodes[i];
		struct run *r;

		newidx[i] = UINT32_MAX;
		if (i == 0) {
			newidx[i] = 0;
			continue;
		}
		if (newidx[n->parent] == UINT32_MAX)
			continue;	/* inside a narrow frame */
		if (n->width > 0 && (double)n->width >= minw_units) {
			newidx[i] = 0;	/* drawn; numbered in pass 2 */
			open_run[n->parent] = 0;
			continue;
		}
		if (n->width == 0)
			continue;	/* flamegraph.pl draws no empty frame either */
		f->narrow_frames++;
		r = open_run[n->parent] ? &runs[open_run[n->parent] - 1] : NULL;
		if (!r || r->start + r->width != n->start) {
			if (PFOLD_GROW(runs, runs_alloc, nruns + 1) ||
			    PFOLD_GROW(b.store, b.store_alloc, b.store_nr + 2 * ne + 1)) {
				ret = -PFOLD_E_NOMEM;
				goto err;
			}
			r = &runs[nruns++];
			r->parent = n->parent;
			r->first = (uint32_t)i;
			r->count = 0;
			r->start = n->start;
			r->width = 0;
			r->delta = 0;
			r->off = b.store_nr;
			memset(b.store + b.store_nr, 0, 2 * ne * sizeof(*b.store));
			b.store_nr += 2 * ne;
			open_run[n->parent] = (uint32_t)nruns;
		}
		r->count++;
		r->width += n->width;
		for (k = 0; k < 2 * ne; k++)
			b.store[r->off + k] += b.store[n->off + k];
		r->delta += n->delta;
	}

	/* Pass 2: the frames in preorder; a run box takes the place of its first member. */
	{
		uint32_t *run_of_first = NULL;

		run_of_first = malloc(b.nr * sizeof(*run_of_first));
		if (!run_of_first) {
			ret = -PFOLD_E_NOMEM;
			goto err;
		}
		for (i = 0; i < b.nr; i++)
			run_of_first[i] = UINT32_MAX;
		for (i = 0; i < nruns; i++)
			run_of_first[runs[i].first] = (uint32_t)i;
		for (i = 0; i < b.nr; i++) {
			struct node *n = &b.nodes[i];
			struct pfold_flame_frame fr = { 0 };

			if (run_of_first[i] != UINT32_MAX) {
				struct run *r = &runs[run_of_first[i]];
				struct pfold_flame_frame *par = &f->frames[newidx[r->parent]];

				if ((double)r->width >= minw_units && r->width > 0) {
					fr.kind = PFOLD_FRAME_OTHER;
					fr.depth = n->depth;
					fr.parent = newidx[r->parent];
					fr.narrow = r->count;
					fr.start = r->start;
					fr.width = r->width;
					fr.counts = (uint64_t *)(uintptr_t)r->off;
					fr.delta = r->delta;
					ret = add_frame(f, &fr);
					if (ret) {
						free(run_of_first);
						goto err;
					}
					f->merged_boxes++;
					if (fr.depth > f->max_depth)
						f->max_depth = fr.depth;
				} else {
					par->hidden += r->width;
					par->nhidden += r->count;
				}
				continue;
			}
			if (newidx[i] == UINT32_MAX)
				continue;
			fr.name = i ? pfold_profile_frame_name(prof, n->id) : "all";
			fr.name_len = i ? pfold_profile_frame_len(prof, n->id) : 3;
			fr.kind = i ? pfold_profile_frame_kind(prof, n->id) : PFOLD_FRAME_OTHER;
			fr.depth = n->depth;
			fr.parent = i ? newidx[n->parent] : UINT32_MAX;
			fr.start = n->start;
			fr.width = n->width;
			fr.counts = (uint64_t *)(uintptr_t)n->off;
			fr.delta = n->delta;
			newidx[i] = (uint32_t)f->nr;
			ret = add_frame(f, &fr);
			if (ret) {
				free(run_of_first);
				goto err;
			}
			if (fr.depth > f->max_depth)
				f->max_depth = fr.depth;
		}
		free(run_of_first);
	}

	/* counters: hand the store to the layout and turn offsets into pointers */
	f->store = b.store;
	f->store_nr = b.store_nr;
	f->store_alloc = b.store_alloc;
	b.store = NULL;
	for (i = 0; i < f->nr; i++) {
		struct pfold_flame_frame *fr = &f->frames[i];
		size_t off = (size_t)(uintptr_t)fr->counts;

		fr->counts = f->store + off;
		fr->self = f->store + off + ne;
	}
	/* diff: inclusive deltas (children were appended after their parent) */
	if (opt->diff_base >= 0) {
		for (i = 0; i < f->nr; i++) {
			struct pfold_flame_frame *fr = &f->frames[i];

			fr->delta_total = (double)fr->counts[f->metric] -
				(double)fr->counts[opt->diff_base] * opt->base_scale;
			if (fabs(fr->delta) > f->max_delta)
				f->max_delta = fabs(fr->delta);
		}
	}
	free(open_run);
	free(newidx);
	free(runs);
	free_builder(&b);
	*out = f;
	return 0;
err:
	free(open_run);
	free(newidx);
	free(runs);
	free_builder(&b);
	pfold_flame_free(f);
	return ret;
}

void pfold_flame_free(struct pfold_flame *f)
{
	if (!f)
		return;
	free(f->frames);
	free(f->store);
	free(f);
}

void pfold_flame_x(const struct pfold_flame *f, size_t i, double *x, double *w)
{
	const struct pfold_flame_frame *fr = &f->frames[i];
	double x1 = f->xpad + (double)fr->start * f->unit_px;
	double x2 = f->xpad + (double)(fr->start + fr->width) * f->unit_px;

	/* flamegraph.pl prints x1, x2 with %0.1f and the width as their difference */
	x1 = round(x1 * 10) / 10;
	x2 = round(x2 * 10) / 10;
	*x = x1;
	*w = x2 - x1;
}

/* ---- differential profiles ---- */

static int copy_slot(struct pfold_profile *dst, size_t slot,
		     const struct pfold_profile *src, int metric)
{
	size_t n = pfold_profile_nr_stacks(src), i, j;
	uint32_t *ids = NULL;
	size_t ids_alloc = 0;
	int ret = 0;

	for (i = 0; i < n; i++) {
		struct pfold_stack s;
		long r;

		ret = pfold_profile_stack(src, i, &s);
		if (ret)
			break;
		if (!s.counts[metric])
			continue;
		if (PFOLD_GROW(ids, ids_alloc, s.nframes + 1)) {
			ret = -PFOLD_E_NOMEM;
			break;
		}
		for (j = 0; j < s.nframes; j++) {
			ret = pfold_profile_intern(dst,
					pfold_profile_frame_name(src, s.frames[j]),
					pfold_profile_frame_len(src, s.frames[j]),
					pfold_profile_frame_kind(src, s.frames[j]), &ids[j]);
			if (ret)
				goto out;
		}
		r = pfold_profile_add1(dst, ids, s.nframes, slot, s.counts[metric]);
		if (r < 0) {
			ret = (int)r;
			break;
		}
	}
out:
	free(ids);
	return ret;
}

int pfold_flame_diff_profile(struct pfold_profile **out,
			     const struct pfold_profile *cur, int metric_cur,
			     const struct pfold_profile *base, int metric_base)
{
	struct pfold_profile *d;
	int ret;

	if (metric_cur < 0 || (size_t)metric_cur >= pfold_profile_nr_events(cur) ||
	    metric_base < 0 || (size_t)metric_base >= pfold_profile_nr_events(base))
		return pfold_error(PFOLD_E_INVAL, "diff: no such event slot");
	ret = pfold_profile_open(&d);
	if (ret)
		return ret;
	if (pfold_profile_add_event(d, "cur") != 0 ||
	    pfold_profile_add_event(d, "base") != 1) {
		ret = -PFOLD_E_NOMEM;
		goto err;
	}
	ret = copy_slot(d, 0, cur, metric_cur);
	if (!ret)
		ret = copy_slot(d, 1, base, metric_base);
	if (ret)
		goto err;
	*out = d;
	return 0;
err:
	pfold_profile_close(d);
	return ret;
}

static int cmp_change(const void *a, const void *b)
{
	const struct pfold_self_change *x = a, *y = b;
	double dx = fabs(x->delta), dy = fabs(y->delta);

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return strcmp(x->name, y->name);
}

int pfold_flame_self_changes(const struct pfold_profile *diff, double base_scale,
			     struct pfold_self_change **out, size_t *nr)
{
	size_t nf = pfold_profile_nr_frames(diff), ns = pfold_profile_nr_stacks(diff);
	double *cur, *base;
	struct pfold_self_change *ch;
	size_t i, n = 0;

	cur = calloc(nf + 1, sizeof(*cur));
	base = calloc(nf + 1, sizeof(*base));
	ch = calloc(nf + 1, sizeof(*ch));
	if (!cur || !base || !ch) {
		free(cur);
		free(base);
		free(ch);
		return -PFOLD_E_NOMEM;
	}
	for (i = 0; i < ns; i++) {
		struct pfold_stack s;

		if (pfold_profile_stack(diff, i, &s) || !s.nframes)
			continue;
		cur[s.frames[s.nframes - 1]] += (double)s.counts[0];
		base[s.frames[s.nframes - 1]] += (double)s.counts[1] * base_scale;
	}
	for (i = 0; i < nf; i++) {
		if (!cur[i] && !base[i])
			continue;
		ch[n].name = pfold_profile_frame_name(diff, (uint32_t)i);
		ch[n].cur = cur[i];
		ch[n].base = base[i];
		ch[n].delta = cur[i] - base[i];
		n++;
	}
	free(cur);
	free(base);
	qsort(ch, n, sizeof(*ch), cmp_change);
	*out = ch;
	*nr = n;
	return 0;
}

/* ---- input ---- */

/* perf.data that came through a pipe: the read pipeline wants a path, so spill it. */
static int read_perf_data_mem(struct pfold_profile *p, const struct pfold_buf *data,
			      const char *path, const struct pfold_fold_options *opts,
			      pfold_warn_fn warn, void *warn_arg)
{
	const char *dir = getenv("TMPDIR");
	char tmp[4096];
	int fd, ret;

	snprintf(tmp, sizeof(tmp), "%s/pfold-stdin-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0)
		return pfold_error(PFOLD_E_IO, "%s: cannot make a temporary file: %s", path, strerror(errno));
	if (write(fd, data->data, data->len) != (ssize_t)data->len) {
		ret = pfold_error(PFOLD_E_IO, "%s: cannot write '%s': %s", path, tmp, strerror(errno));
		goto out;
	}
	ret = pfold_fold_perf_data(tmp, opts, p, NULL, warn, warn_arg);
out:
	close(fd);
	unlink(tmp);
	return ret;
}

int pfold_flame_read(struct pfold_profile *p, const char *path,
		     const struct pfold_fold_options *fold_opts,
		     struct pfold_folded_stats *stats, pfold_warn_fn warn, void *warn_arg)
{
	struct pfold_fold_options opts;
	char magic[8];
	struct pfold_buf data = PFOLD_BUF_INIT;
	FILE *f;
	size_t got;
	int ret = 0, is_stdin = !strcmp(path, "-");

	if (fold_opts)
		opts = *fold_opts;
	else
		memset(&opts, 0, sizeof(opts));
	opts.input = PFOLD_INPUT_PERF_DATA;
	opts.event = NULL;
	opts.all_events = 1;	/* every event is a counter slot */
	f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return pfold_error(PFOLD_E_IO, "cannot open '%s': %s", path, strerror(errno));
	got = fread(magic, 1, sizeof(magic), f);
	if (!is_stdin && got == sizeof(magic) &&
	    (!memcmp(magic, "PERFILE2", 8) || !memcmp(magic, "2ELIFREP", 8))) {
		fclose(f);
		return pfold_fold_perf_data(path, &opts, p, NULL, warn, warn_arg);
	}
	if (pfold_buf_add(&data, magic, got)) {
		ret = -PFOLD_E_NOMEM;
		goto out;
	}
	for (;;) {
		size_t n;

		if (pfold_buf_grow(&data, 65536)) {
			ret = -PFOLD_E_NOMEM;
			goto out;
		}
		n = fread(data.data + data.len, 1, 65536, f);
		data.len += n;
		data.data[data.len] = '\0';
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		ret = pfold_error(PFOLD_E_IO, "%s: read error", path);
		goto out;
	}
	if (data.len >= 8 && (!memcmp(data.data, "PERFILE2", 8) || !memcmp(data.data, "2ELIFREP", 8)))
		ret = read_perf_data_mem(p, &data, path, &opts, warn, warn_arg);
	else
		ret = pfold_folded_read_mem(p, data.data ? data.data : "", data.len, path, stats);
out:
	pfold_buf_release(&data);
	if (!is_stdin)
		fclose(f);
	return ret;
}
