// SPDX-License-Identifier: MIT
/* stacks.c: perf.data to folded stacks (aggregate raw chains, name once) and to perf script text. */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter.h"
#include "folded.h"
#include "group-read.h"
#include "perf-script.h"
#include "python-view.h"
#include "reader.h"
#include "session.h"
#include "stacks.h"
#include "symbols.h"
#include "unwind.h"

#define MAX_STACK 127		/* perf script's scripting_max_stack */
#define MAX_FRAMES (MAX_STACK * 4 + 8)
#define ROOT_CACHE 256
#define UNWIND_ROOM (MAX_STACK + 4)	/* H8: user frames of a dwarf sample */

/* ---- stackcollapse-perf.pl's naming of one perf script frame ---- */

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

int pfold_collapse_frame(struct pfold_buf *out, enum pfold_frame_kind *kinds,
			 size_t max_kinds, const char *func, const char *mod,
			 uint64_t pc, const struct pfold_fold_options *opts, int java)
{
	const char *p = func, *sep;
	size_t n = 0;

	if (func[0] == '(')
		return 0;
	while (n < max_kinds) {
		size_t start = out->len, len;
		int err, kind;

		sep = strstr(p, "->");
		len = sep ? (size_t)(sep - p) : strlen(p);
		if (len == 9 && !strncmp(p, "[unknown]", 9)) {
			const char *m = strcmp(mod, "[unknown]") ? base_name(mod) : "unknown";

			if (opts->include_addrs)
				err = pfold_buf_addf(out, "[%s <%llx>]", m, (unsigned long long)pc);
			else
				err = pfold_buf_addf(out, "[%s]", m);
		} else {
			err = pfold_buf_add(out, p, len);
		}
		if (err)
			return -PFOLD_E_NOMEM;
		/* the one implementation of the .pl's tidying: src/perf-script.c */
		kind = pfold_collapse_tidy(out, start, (int)n, mod, strlen(mod), java, opts);
		if (kind < 0 || pfold_buf_addch(out, '\0'))
			return -PFOLD_E_NOMEM;
		kinds[n++] = (enum pfold_frame_kind)kind;
		if (!sep)
			break;
		p = sep + 2;
	}
	return (int)n;
}

/* ---- a run: reader + symbols + session ---- */

struct run {
	const char *path;
	const struct pfold_fold_options *opts;
	struct pfold_reader *reader;
	struct pfold_symbols *syms;
	struct pfold_session *session;
	char osrelease[128];
	int build_ids_done;
	pfold_warn_fn warn;
	void *warn_arg;
	/* event selection */
	char chosen[64];
	/* --call-graph dwarf samples (H8: src/unwind.c) */
	struct pfold_unwinder *unwinder;
	uint64_t *uchain;
	size_t alloc_uchain;
};

static int run_open(struct run *r, const char *path, const struct pfold_fold_options *opts,
		    pfold_warn_fn warn, void *warn_arg)
{
	struct pfold_symbols_options so = { 0 };
	int ret;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->opts = opts;
	r->warn = warn;
	r->warn_arg = warn_arg;
	ret = pfold_reader_open(&r->reader, path, NULL);
	if (ret)
		return ret;
	so.symfs = opts->symfs;
	so.kallsyms = opts->kallsyms;
	so.osrelease = r->osrelease;
	so.force = opts->force;
	so.warn = warn;
	so.warn_arg = warn_arg;
	ret = pfold_symbols_open(&r->syms, &so);
	if (ret)
		goto err_reader;
	ret = pfold_session_open(&r->session, r->syms);
	if (ret)
		goto err_syms;
	if (opts->event)
		snprintf(r->chosen, sizeof(r->chosen), "%s", opts->event);
	return 0;

err_syms:
	pfold_symbols_close(r->syms);
err_reader:
	pfold_reader_close(r->reader);
	return ret;
}

static void run_close(struct run *r)
{
	pfold_unwinder_close(r->unwinder);	/* H8 */
	free(r->uchain);
	pfold_session_close(r->session);
	pfold_symbols_close(r->syms);
	pfold_reader_close(r->reader);
}

/* Take the recording's kernel release and build-ids from its header (once they are there). */
static int run_header(struct run *r)
{
	const struct pfold_header_info *h = pfold_reader_header(r->reader);
	size_t i;
	int ret;

	if (!h)
		return 0;
	if (!r->osrelease[0] && h->osrelease && h->osrelease[0])
		snprintf(r->osrelease, sizeof(r->osrelease), "%s", h->osrelease);
	if (r->build_ids_done || !h->nr_build_ids)
		return 0;
	r->build_ids_done = 1;
	for (i = 0; i < h->nr_build_ids; i++) {
		const struct pfold_build_id *b = &h->build_ids[i];

		if (!b->filename || !b->size || b->size > 20 ||
		    (b->filename[0] != '/' && strcmp(b->filename, "[kernel.kallsyms]")))
			continue;
		ret = pfold_symbols_set_build_id(r->syms, b->filename, b->id, b->size);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Whether sample EV counts (event selection as stackcollapse-perf.pl: -e
 * EVENT, else the first event seen); with all_events, every event counts.
 */
static int select_event(struct run *r, const struct pfold_attr *a,
			struct pfold_fold_stats *stats)
{
	const char *name = a->name ? a->name : "";

	if (r->opts->all_events)
		return 1;
	if (!r->chosen[0]) {
		snprintf(r->chosen, sizeof(r->chosen), "%s", name);
		if (stats)
			snprintf(stats->first_event, sizeof(stats->first_event), "%s", name);
	}
	if (!strcmp(name, r->chosen))
		return 1;
	if (stats) {
		stats->filtered++;
		if (!r->opts->event)
			stats->other_events++;
	}
	return 0;
}

/* The period perf script prints: the sample's, else the attr's fixed one. */
static uint64_t sample_period(const struct pfold_attr *a, const struct pfold_sample *s)
{
	if (s->type & PERF_SAMPLE_PERIOD)
		return s->period;
	if (!a->attr.freq && a->attr.sample_period)
		return a->attr.sample_period;
	return 1;
}

/* perf script prints no period for tracepoints: stackcollapse then counts 1 */
static int prints_period(const struct pfold_attr *a)
{
	return a->attr.type != PERF_TYPE_TRACEPOINT;
}

static uint64_t sample_weight(const struct run *r, const struct pfold_event *ev)
{
	if (r->opts->weight == PFOLD_WEIGHT_SAMPLES)
		return 1;
	if (r->opts->weight == PFOLD_WEIGHT_DEFAULT && !prints_period(ev->attr))
		return 1;
	return sample_period(ev->attr, &ev->sample);
}

static enum pfold_cpumode misc_cpumode(uint16_t misc)
{
	switch (misc & PERF_RECORD_MISC_CPUMODE_MASK) {
	case PERF_RECORD_MISC_KERNEL:
		return PFOLD_CPU_KERNEL;
	case PERF_RECORD_MISC_HYPERVISOR:
		return PFOLD_CPU_HV;
	case PERF_RECORD_MISC_GUEST_KERNEL:
	case PERF_RECORD_MISC_GUEST_USER:
		return PFOLD_CPU_GUEST;
	default:
		return PFOLD_CPU_USER;
	}
}

/* perf's PERF_CONTEXT_* markers: a new cpumode, or -1 for an address. */
static int context_cpumode(uint64_t ip, enum pfold_cpumode *mode)
{
	if (ip < (uint64_t)PERF_CONTEXT_MAX)
		return -1;
	switch (ip) {
	case (uint64_t)PERF_CONTEXT_HV:
		*mode = PFOLD_CPU_HV;
		break;
	case (uint64_t)PERF_CONTEXT_KERNEL:
		*mode = PFOLD_CPU_KERNEL;
		break;
	case (uint64_t)PERF_CONTEXT_USER:
		*mode = PFOLD_CPU_USER;
		break;
	default:
		*mode = PFOLD_CPU_GUEST;
		break;
	}
	return 0;
}

/* Name the address IP (CPUMODE) of generation GEN as perf script does: FUNC, MOD, OFF. */
/*
 * Name the address IP (CPUMODE) of generation GEN as perf script does: FUNC,
 * MOD, OFF, and in *PC the address it prints (perf 6.1 prints the address
 * within the object for objects mapped from files, else IP).
 */
static int name_ip(struct run *r, uint32_t gen, enum pfold_cpumode mode, uint64_t ip,
		   const char **func, const char **mod, uint64_t *off, uint64_t *pc,
		   char *modbuf, size_t modlen)
{
	struct pfold_location loc;
	struct pfold_sym sym;
	int ret;

	*func = "[unknown]";
	*mod = "[unknown]";
	*off = 0;
	*pc = ip;
	if (mode == PFOLD_CPU_HV || mode == PFOLD_CPU_GUEST)
		return 0;
	if (mode == PFOLD_CPU_KERNEL && !r->osrelease[0])
		run_header(r);
	ret = pfold_session_resolve(r->session, gen, mode, ip, &loc);
	if (ret <= 0)
		return ret;
	*mod = pfold_dso_name(loc.dso);
	*pc = loc.addr;
	ret = pfold_symbols_lookup(r->syms, loc.dso, loc.addr, &sym);
	if (ret < 0)
		return ret;
	if (ret) {
		*func = sym.name;
		*off = sym.offset;
		if (sym.module) {
			snprintf(modbuf, modlen, "[%s]", sym.module);
			*mod = modbuf;
		}
	}
	return 0;
}

/* ---- fold: count raw chains ---- */

/*
 * A raw chain: key[0] = generation << 32 | root id, key[1] = counter slot,
 * key[2..] = the callchain as recorded (PERF_CONTEXT_* markers kept; a
 * sample without callchain: a marker for its cpumode and its ip, flagged by
 * key[1] bit 32).
 */
struct chain {
	uint64_t hash;
	size_t key;		/* index in keys */
	uint32_t len;		/* u64s */
	uint64_t count;
};

struct fold {
	struct run run;
	struct pfold_profile *out;
	struct pfold_fold_stats *stats;
	struct chain *chains;	/* open addressing */
	size_t nr, mask;
	uint64_t *keys;
	size_t nr_keys, alloc_keys;
	uint64_t *scratch;
	size_t alloc_scratch;
	/* roots: interned root-frame strings */
	struct pfold_buf roots;	/* NUL-separated */
	size_t *root_off;
	size_t nr_roots, alloc_roots;
	struct {
		const struct pfold_thread *t;
		uint32_t seq;
		uint32_t id;
	} root_cache[ROOT_CACHE];
	int slot_of_attr[64];
	int warned_dwarf;
	struct pfold_buf inl;	/* --inline: the joined name of one frame */
	struct pfold_python_view *pyview;	/* --python */
	struct pfold_group_read *gread;	/* H6: PERF_SAMPLE_READ deltas per id */
	struct line_obj *lobjs;	/* want_lines: one DWARF reader per object */
	size_t nr_lobjs, alloc_lobjs;
};

/* ---- frame origins: object, build id, source line (for export) ---- */

/* One ELF object opened for line look-ups; dwfl NULL when it has none. */
struct line_obj {
	const struct pfold_dso *dso;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Elf *elf;
	Dwarf_Addr bias;
};

static const Dwfl_Callbacks line_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static void line_objs_close(struct fold *f)
{
	size_t i;

	for (i = 0; i < f->nr_lobjs; i++)
		if (f->lobjs[i].dwfl)
			dwfl_end(f->lobjs[i].dwfl);
	free(f->lobjs);
}

/* The line reader of D, opened at first use; NULL when out of memory. */
static struct line_obj *line_obj(struct fold *f, const struct pfold_dso *d)
{
	const char *symfs = f->run.opts->symfs;
	struct pfold_buf path = PFOLD_BUF_INIT;
	struct line_obj *o;
	size_t i;

	for (i = 0; i < f->nr_lobjs; i++)
		if (f->lobjs[i].dso == d)
			return &f->lobjs[i];
	if (PFOLD_GROW(f->lobjs, f->alloc_lobjs, f->nr_lobjs + 1))
		return NULL;
	o = &f->lobjs[f->nr_lobjs++];
	memset(o, 0, sizeof(*o));
	o->dso = d;
	if ((symfs && pfold_buf_adds(&path, symfs)) || pfold_buf_adds(&path, pfold_dso_name(d))) {
		pfold_buf_release(&path);
		return o;
	}
	o->dwfl = dwfl_begin(&line_callbacks);
	if (o->dwfl) {
		dwfl_report_begin(o->dwfl);
		o->mod = dwfl_report_elf(o->dwfl, pfold_dso_name(d), path.data, -1, 0, false);
		dwfl_report_end(o->dwfl, NULL, NULL);
		if (o->mod)
			o->elf = dwfl_module_getelf(o->mod, &o->bias);
		if (!o->mod || !o->elf) {
			dwfl_end(o->dwfl);
			o->dwfl = NULL;
		}
	}
	pfold_buf_release(&path);
	return o;
}

/* The source line of file offset OFF of D into *O (left alone when unknown). */
static void frame_line(struct fold *f, const struct pfold_dso *d, uint64_t off,
		       struct pfold_frame_origin *o)
{
	struct line_obj *lo = line_obj(f, d);
	size_t phnum, i;
	Dwfl_Line *line;
	const char *file;
	int lineno = 0;

	if (!lo || !lo->dwfl || elf_getphdrnum(lo->elf, &phnum))
		return;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(lo->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (off < ph.p_offset || off - ph.p_offset >= ph.p_filesz)
			continue;
		line = dwfl_module_getsrc(lo->mod, off - ph.p_offset + ph.p_vaddr + lo->bias);
		if (!line)
			return;
		file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
		if (file && lineno > 0) {
			o->file = file;
			o->line = (unsigned)lineno;
		}
		return;
	}
}

/* The build id the recording's header gives for object NAME, as hex in BUF ("" if none). */
static void frame_build_id(struct run *r, const char *name, char *buf)
{
	const struct pfold_header_info *h = pfold_reader_header(r->reader);
	size_t i, k;

	buf[0] = '\0';
	for (i = 0; h && i < h->nr_build_ids; i++) {
		const struct pfold_build_id *b = &h->build_ids[i];

		if (!b->filename || !b->size || b->size > 20 || strcmp(b->filename, name))
			continue;
		for (k = 0; k < b->size; k++)
			snprintf(buf + 2 * k, 3, "%02x", b->id[k]);
		return;
	}
}

/*
 * Record where the frames IDS[0..N) named from IP come from, for those that
 * have no origin yet (the first one wins). INNER: IP is the sampled address
 * (else a return address: lines are looked up at IP - 1). Returns 0 or a
 * negative code.
 */
static int frame_origins(struct fold *f, uint32_t gen, enum pfold_cpumode mode, uint64_t ip,
			 int inner, const uint32_t *ids, size_t n)
{
	struct pfold_frame_origin o = { 0 };
	struct pfold_location loc;
	char bid[41];
	size_t k;
	int ret;

	for (k = 0; k < n; k++)
		if (!pfold_profile_frame_origin(f->out, ids[k]))
			break;
	if (k == n)
		return 0;
	/* in no object: an empty origin, so that the frame is not resolved again */
	if (mode == PFOLD_CPU_HV || mode == PFOLD_CPU_GUEST ||
	    pfold_session_resolve(f->run.session, gen, mode, ip, &loc) <= 0 || !loc.dso)
		goto set;
	o.object = pfold_dso_name(loc.dso);
	o.address = loc.addr;
	frame_build_id(&f->run, o.object, bid);
	o.build_id = bid[0] ? bid : NULL;
	if (f->run.opts->want_lines && pfold_dso_kind(loc.dso) == PFOLD_DSO_ELF)
		frame_line(f, loc.dso, inner || !loc.addr ? loc.addr : loc.addr - 1, &o);
set:
	for (; k < n; k++) {
		ret = pfold_profile_set_frame_origin(f->out, ids[k], &o);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static uint64_t hash_u64s(const uint64_t *v, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= v[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static int chains_grow(struct fold *f)
{
	size_t n = f->mask ? (f->mask + 1) * 2 : 1024, i;
	struct chain *c = calloc(n, sizeof(*c));

	if (!c)
		return -PFOLD_E_NOMEM;
	for (i = 0; f->mask && i <= f->mask; i++) {
		size_t j;

		if (!f->chains[i].len)
			continue;
		for (j = f->chains[i].hash & (n - 1); c[j].len; j = (j + 1) & (n - 1))
			;
		c[j] = f->chains[i];
	}
	free(f->chains);
	f->chains = c;
	f->mask = n - 1;
	return 0;
}

static int add_chain(struct fold *f, const uint64_t *key, size_t len, uint64_t weight)
{
	uint64_t h = hash_u64s(key, len);
	struct chain *c;
	size_t j;

	if ((f->nr + 1) * 4 > (f->mask + 1) * 3 || !f->mask)
		if (chains_grow(f))
			return -PFOLD_E_NOMEM;
	for (j = h & f->mask; f->chains[j].len; j = (j + 1) & f->mask) {
		c = &f->chains[j];
		if (c->hash == h && c->len == len &&
		    !memcmp(f->keys + c->key, key, len * sizeof(*key))) {
			c->count += weight;
			return 0;
		}
	}
	if (PFOLD_GROW(f->keys, f->alloc_keys, f->nr_keys + len))
		return -PFOLD_E_NOMEM;
	memcpy(f->keys + f->nr_keys, key, len * sizeof(*key));
	c = &f->chains[j];
	c->hash = h;
	c->key = f->nr_keys;
	c->len = (uint32_t)len;
	c->count = weight;
	f->nr_keys += len;
	f->nr++;
	return 0;
}

static long intern_root(struct fold *f, const char *name)
{
	size_t i;

	/* few distinct roots: a linear search is fine */
	for (i = 0; i < f->nr_roots; i++)
		if (!strcmp(f->roots.data + f->root_off[i], name))
			return (long)i;
	if (f->nr_roots >= UINT32_MAX ||
	    PFOLD_GROW(f->root_off, f->alloc_roots, f->nr_roots + 1))
		return -PFOLD_E_NOMEM;
	f->root_off[f->nr_roots] = f->roots.len;
	if (pfold_buf_add(&f->roots, name, strlen(name) + 1))
		return -PFOLD_E_NOMEM;
	return (long)f->nr_roots++;
}

static long root_id(struct fold *f, const struct pfold_thread *t, uint32_t pid, uint32_t tid)
{
	size_t k = ((uintptr_t)t >> 4) % ROOT_CACHE;
	char name[128], *p;
	long id;

	if (f->root_cache[k].t == t && f->root_cache[k].seq == pfold_thread_comm_seq(t))
		return f->root_cache[k].id;
	if (f->run.opts->include_tid)
		snprintf(name, sizeof(name), "%s-%u/%u", pfold_thread_comm(t), pid, tid);
	else if (f->run.opts->include_pid)
		snprintf(name, sizeof(name), "%s-%u", pfold_thread_comm(t), pid);
	else
		snprintf(name, sizeof(name), "%s", pfold_thread_comm(t));
	for (p = name; *p; p++)
		if (*p == ' ')
			*p = '_';
	id = intern_root(f, name);
	if (id < 0)
		return id;
	f->root_cache[k].t = t;
	f->root_cache[k].seq = pfold_thread_comm_seq(t);
	f->root_cache[k].id = (uint32_t)id;
	return id;
}

static int event_slot(struct fold *f, const struct pfold_attr *a)
{
	int slot;

	if (a->idx < 64 && f->slot_of_attr[a->idx])
		return f->slot_of_attr[a->idx] - 1;
	slot = pfold_profile_add_event(f->out, a->name && a->name[0] ? a->name : "samples");
	if (slot >= 0 && a->idx < 64)
		f->slot_of_attr[a->idx] = slot + 1;
	return slot;
}

/*
 * H6: a sample with read values adds each member's delta (KEY[1]: its slot)
 * as perf delivers it: one sample per member with a nonzero delta, its
 * period the delta (so -e MEMBER, --weight samples and the default event
 * choice work as on perf script's lines). With all_events the members get
 * their columns in group order.
 */
static int add_read_chains(struct fold *f, uint64_t *key, size_t n,
			   const struct pfold_group_delta *gd, int nr_gd)
{
	int i, slot, ret, added = 0;

	for (i = 0; i < nr_gd; i++) {
		uint64_t w = gd[i].delta;

		if (f->run.opts->all_events && event_slot(f, gd[i].attr) < 0)
			return -PFOLD_E_NOMEM;
		if (!w || !select_event(&f->run, gd[i].attr, f->stats))
			continue;
		slot = event_slot(f, gd[i].attr);
		if (slot < 0)
			return slot;
		if (f->run.opts->weight == PFOLD_WEIGHT_SAMPLES ||
		    (f->run.opts->weight == PFOLD_WEIGHT_DEFAULT && !prints_period(gd[i].attr)))
			w = 1;
		key[1] = (uint64_t)slot | (key[1] & ~(uint64_t)0xffffffff);
		ret = add_chain(f, key, n, w);
		if (ret)
			return ret;
		added = 1;
	}
	if (added && f->stats)
		f->stats->samples++;
	return 0;
}

static int fold_sample(struct fold *f, const struct pfold_event *ev)
{
	const struct pfold_sample *s = &ev->sample;
	struct pfold_thread *t;
	uint64_t *key;
	size_t n = 0, i, ips = 0;
	long gen, root;
	int slot;

	const struct pfold_group_delta *gd;
	int nr_gd;

	if (!ev->attr)
		return 0;
	/* H6: read values (group reads): every member's delta counts (below) */
	nr_gd = pfold_group_read_deltas(f->gread, f->run.reader, ev, &gd);
	if (nr_gd < 0)
		return nr_gd;
	if (!nr_gd && !select_event(&f->run, ev->attr, f->stats))
		return 0;
	/* H8: user stack copies (--call-graph dwarf) are unwound below */
	slot = nr_gd ? 0 : event_slot(f, ev->attr);
	if (slot < 0)
		return slot;
	t = pfold_session_thread(f->run.session, s->pid, s->tid);
	if (!t)
		return -PFOLD_E_NOMEM;
	gen = pfold_session_generation(f->run.session, t);
	if (gen < 0)
		return (int)gen;
	root = root_id(f, t, s->pid, s->tid);
	if (root < 0)
		return (int)root;
	if (PFOLD_GROW(f->scratch, f->alloc_scratch, s->callchain_nr + 4 + UNWIND_ROOM))
		return -PFOLD_E_NOMEM;
	key = f->scratch;
	key[n++] = (uint64_t)gen << 32 | (uint64_t)root;
	key[n++] = (uint64_t)slot;
	if (s->user_stack_size && s->user_regs.abi) {
		/* H8: --call-graph dwarf: unwind the stack copy (src/unwind.c) */
		int got = pfold_unwind_sample_chain(&f->run.unwinder, f->run.session,
						    (uint32_t)gen, f->run.opts->symfs, s, key + n,
						    s->callchain_nr + UNWIND_ROOM);

		if (got < 0)
			return got;
		n += (size_t)got;
	} else if (s->type & PERF_SAMPLE_CALLCHAIN) {
		for (i = 0; i < s->callchain_nr && ips < MAX_STACK; i++) {
			key[n++] = s->callchain[i];
			if (s->callchain[i] < (uint64_t)PERF_CONTEXT_MAX)
				ips++;
		}
	} else {
		/*
		 * No callchain: the sampled address alone. (stackcollapse-perf.pl
		 * folds nothing here: perf script prints such samples on their
		 * header lines, with no blank line between them.)
		 */
		switch (misc_cpumode(ev->misc)) {
		case PFOLD_CPU_KERNEL:
			key[n++] = (uint64_t)PERF_CONTEXT_KERNEL;
			break;
		case PFOLD_CPU_USER:
			key[n++] = (uint64_t)PERF_CONTEXT_USER;
			break;
		default:
			key[n++] = (uint64_t)PERF_CONTEXT_HV;
			break;
		}
		key[n++] = s->ip;
	}
	if (nr_gd)
		return add_read_chains(f, key, n, gd, nr_gd);
	if (f->stats)
		f->stats->samples++;
	return add_chain(f, key, n, sample_weight(&f->run, ev));
}

/* Name one raw chain and add it to the profile. */
static int fold_chain(struct fold *f, const struct chain *c, struct pfold_buf *text,
		      uint32_t *ids, enum pfold_frame_kind *kinds)
{
	const uint64_t *key = f->keys + c->key;
	uint32_t gen = (uint32_t)(key[0] >> 32), root = (uint32_t)key[0];
	size_t slot = (size_t)(key[1] & 0xffffffff), nids = 0, i, k;
	enum pfold_cpumode mode = PFOLD_CPU_USER;
	const char *rootname = f->roots.data + f->root_off[root];
	int java = !strncmp(rootname, "java", 4), ret;
	struct {
		uint64_t ip;
		enum pfold_cpumode mode;
	} fr[MAX_STACK];
	size_t nfr = 0;
	int truncated = 0;

	ret = pfold_profile_intern(f->out, rootname, strlen(rootname), PFOLD_FRAME_OTHER, &ids[nids]);
	if (ret)
		return ret;
	nids++;
	for (i = 2; i < c->len && nfr < MAX_STACK; i++) {
		if (key[i] == PFOLD_UNWIND_TRUNCATED) {
			truncated = 1;	/* H8: unwinding stopped early */
			continue;
		}
		if (!context_cpumode(key[i], &mode))
			continue;
		fr[nfr].ip = key[i];
		fr[nfr].mode = mode;
		nfr++;
	}
	if (truncated) {
		/* H8: the outermost frame says the stack is incomplete */
		ret = pfold_profile_intern(f->out, "[truncated]", 11, PFOLD_FRAME_OTHER, &ids[nids]);
		if (ret)
			return ret;
		nids++;
	}
	/* callers first */
	while (nfr-- > 0) {
		const char *func, *mod;
		char modbuf[80];
		uint64_t off, pc;
		size_t first;
		int n;

		if (f->run.opts->no_kernel && fr[nfr].mode == PFOLD_CPU_KERNEL)
			continue;
		ret = name_ip(&f->run, gen, fr[nfr].mode, fr[nfr].ip, &func, &mod, &off,
			      &pc, modbuf, sizeof(modbuf));
		if (ret < 0)
			return ret;
		if (f->run.opts->show_inline && fr[nfr].mode == PFOLD_CPU_USER &&
		    strcmp(func, "[unknown]")) {
			/* --inline: "func->inlined->..." as perf script --inline joins them */
			const char *inl[16];
			struct pfold_location loc;
			int ni = 0, j;

			if (pfold_session_resolve(f->run.session, gen, fr[nfr].mode, fr[nfr].ip,
						  &loc) > 0)
				ni = pfold_symbols_inline(f->run.syms, loc.dso, loc.addr, inl, 16);
			if (ni < 0)
				return ni;
			if (ni > 0) {
				pfold_buf_reset(&f->inl);
				if (pfold_buf_adds(&f->inl, func))
					return -PFOLD_E_NOMEM;
				for (j = 0; j < ni; j++)
					if (pfold_buf_adds(&f->inl, "->") ||
					    pfold_buf_adds(&f->inl, inl[j]))
						return -PFOLD_E_NOMEM;
				func = f->inl.data;
			}
		}
		pfold_buf_reset(text);
		n = pfold_collapse_frame(text, kinds, MAX_FRAMES - nids, func, mod,
					 pc, f->run.opts, java);
		if (n < 0)
			return n;
		first = nids;
		for (k = 0, i = 0; k < (size_t)n; k++) {
			const char *name = text->data + i;
			size_t len = strlen(name);

			/*
			 * the kind the text says (as the perf-script path interns
			 * it): equal text is one frame, so equal stacks merge
			 */
			ret = pfold_profile_intern(f->out, name, len,
						   pfold_folded_frame_kind(name, len), &ids[nids]);
			if (ret)
				return ret;
			nids++;
			i += len + 1;
		}
		ret = frame_origins(f, gen, fr[nfr].mode, fr[nfr].ip, nfr == 0, ids + first,
				    nids - first);
		if (ret < 0)
			return ret;
	}
	if (f->pyview) {
		/* --python: src/python-view.c */
		ret = pfold_python_view_stack(f->pyview, f->out, ids, &nids);
		if (ret < 0)
			return ret;
		if (ret && f->stats)
			f->stats->python_stacks++;
	}
	if (f->run.opts->filter && !pfold_filter_empty(f->run.opts->filter)) {
		ret = pfold_filter_stack(f->run.opts->filter, f->out, ids, &nids);
		if (ret <= 0) {
			if (!ret && f->stats)
				f->stats->filtered++;
			return ret;
		}
	}
	ret = (int)pfold_profile_add1(f->out, ids, nids, slot, c->count);
	return ret < 0 ? ret : 0;
}

static int fold_finish(struct fold *f)
{
	struct pfold_buf text = PFOLD_BUF_INIT;
	enum pfold_frame_kind *kinds;
	uint32_t *ids;
	size_t i;
	int ret = 0;

	ret = run_header(&f->run);
	if (ret)
		return ret;
	ids = malloc(MAX_FRAMES * sizeof(*ids));
	kinds = malloc(MAX_FRAMES * sizeof(*kinds));
	if (!ids || !kinds) {
		ret = -PFOLD_E_NOMEM;
		goto out;
	}
	for (i = 0; f->mask && i <= f->mask; i++) {
		if (!f->chains[i].len)
			continue;
		ret = fold_chain(f, &f->chains[i], &text, ids, kinds);
		if (ret < 0)
			break;
		ret = 0;
	}
out:
	free(ids);
	free(kinds);
	pfold_buf_release(&text);
	return ret;
}

int pfold_fold_perf_data(const char *path, const struct pfold_fold_options *opts,
			 struct pfold_profile *out, struct pfold_fold_stats *stats,
			 pfold_warn_fn warn, void *warn_arg)
{
	const struct pfold_event *ev;
	struct fold f;
	int ret;

	memset(&f, 0, sizeof(f));
	ret = run_open(&f.run, path, opts, warn, warn_arg);
	if (ret)
		return ret;
	f.out = out;
	f.stats = stats;
	ret = pfold_group_read_open(&f.gread);	/* H6 */
	if (ret)
		goto out;
	if (opts->python) {
		ret = pfold_python_view_open(&f.pyview, opts->python_drop, opts->nr_python_drop);
		if (ret)
			goto out;
	}
	/* file mode knows its kernel now: read kallsyms while the records stream by */
	ret = run_header(&f.run);
	if (ret)
		goto out;
	pfold_symbols_prefetch_kernel(f.run.syms);
	while ((ret = pfold_reader_next(f.run.reader, &ev)) > 0) {
		if (ev->type == PERF_RECORD_SAMPLE)
			ret = fold_sample(&f, ev);
		else
			ret = pfold_session_event(f.run.session, ev);
		if (ret < 0)
			break;
	}
	if (!ret)
		ret = fold_finish(&f);
out:
	free(f.chains);
	free(f.keys);
	free(f.scratch);
	free(f.root_off);
	pfold_buf_release(&f.roots);
	pfold_buf_release(&f.inl);
	pfold_python_view_close(f.pyview);
	pfold_group_read_close(f.gread);	/* H6 */
	line_objs_close(&f);
	run_close(&f.run);
	return ret;
}

/* ---- script ---- */

/* one address line of perf script's text: "pc sym+off (dso)", no +off when unknown */
static int add_ip_line(struct pfold_buf *b, const char *indent, uint64_t pc,
		       const char *func, uint64_t off, const char *mod)
{
	if (strcmp(func, "[unknown]"))
		return pfold_buf_addf(b, "%s%16llx %s+0x%llx (%s)\n", indent,
				      (unsigned long long)pc, func, (unsigned long long)off, mod);
	return pfold_buf_addf(b, "%s%16llx %s (%s)\n", indent, (unsigned long long)pc, func, mod);
}

static int script_sample(struct run *r, const struct pfold_event *ev, struct pfold_buf *b)
{
	const struct pfold_sample *s = &ev->sample;
	enum pfold_cpumode mode = PFOLD_CPU_USER;
	const uint64_t *chain = s->callchain;
	uint64_t chain_nr = s->callchain_nr;
	struct pfold_thread *t;
	size_t i, ips = 0;
	long gen;
	int ret;

	t = pfold_session_thread(r->session, s->pid, s->tid);
	if (!t)
		return -PFOLD_E_NOMEM;
	gen = pfold_session_generation(r->session, t);
	if (gen < 0)
		return (int)gen;
	pfold_buf_reset(b);
	if (s->type & PERF_SAMPLE_CALLCHAIN)
		ret = pfold_buf_addf(b, "%s ", pfold_thread_comm(t));
	else
		ret = pfold_buf_addf(b, "%16s ", pfold_thread_comm(t));
	if (!ret && (s->type & PERF_SAMPLE_TID))
		ret = pfold_buf_addf(b, "%5d ", (int)s->tid);
	if (!ret && (s->type & PERF_SAMPLE_CPU))
		ret = pfold_buf_addf(b, "[%03u] ", s->cpu);
	if (!ret && (s->type & PERF_SAMPLE_TIME))
		ret = pfold_buf_addf(b, "%5llu.%06llu: ",
				     (unsigned long long)(s->time / 1000000000ULL),
				     (unsigned long long)(s->time % 1000000000ULL / 1000));
	if (!ret && prints_period(ev->attr))
		ret = pfold_buf_addf(b, "%10llu ",
				     (unsigned long long)sample_period(ev->attr, s));
	if (!ret)
		ret = pfold_buf_addf(b, "%s: ", ev->attr->name ? ev->attr->name : "");
	if (ret)
		return ret;
	if ((s->type & PERF_SAMPLE_CALLCHAIN) && s->user_stack_size && s->user_regs.abi) {
		/* H8: --call-graph dwarf: the unwound chain (src/unwind.c) */
		if (PFOLD_GROW(r->uchain, r->alloc_uchain, s->callchain_nr + UNWIND_ROOM))
			return -PFOLD_E_NOMEM;
		ret = pfold_unwind_sample_chain(&r->unwinder, r->session, (uint32_t)gen,
						r->opts->symfs, s, r->uchain,
						s->callchain_nr + UNWIND_ROOM);
		if (ret < 0)
			return ret;
		chain = r->uchain;
		chain_nr = (uint64_t)ret;
	}
	if (s->type & PERF_SAMPLE_CALLCHAIN) {
		ret = pfold_buf_addch(b, '\n');
		for (i = 0; !ret && i < chain_nr && ips < MAX_STACK; i++) {
			const char *func, *mod;
			char modbuf[80];
			uint64_t off, pc;

			if (!context_cpumode(chain[i], &mode))
				continue;
			ips++;
			ret = name_ip(r, (uint32_t)gen, mode, chain[i], &func, &mod,
				      &off, &pc, modbuf, sizeof(modbuf));
			if (ret < 0)
				return ret;
			ret = add_ip_line(b, "\t", pc, func, off, mod);
		}
	} else {
		const char *func, *mod;
		char modbuf[80];
		uint64_t off, pc;

		ret = name_ip(r, (uint32_t)gen, misc_cpumode(ev->misc), s->ip, &func, &mod,
			      &off, &pc, modbuf, sizeof(modbuf));
		if (ret < 0)
			return ret;
		ret = add_ip_line(b, "", pc, func, off, mod);
	}
	if (!ret)
		ret = pfold_buf_addch(b, '\n');
	return ret;
}

int pfold_script_perf_data(const char *path, const struct pfold_fold_options *opts,
			   pfold_script_fn emit, void *emit_arg,
			   pfold_warn_fn warn, void *warn_arg)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	const struct pfold_event *ev;
	struct run r;
	int ret;

	ret = run_open(&r, path, opts, warn, warn_arg);
	if (ret)
		return ret;
	ret = run_header(&r);
	while (!ret && (ret = pfold_reader_next(r.reader, &ev)) > 0) {
		if (ev->type == PERF_RECORD_SAMPLE) {
			ret = 0;
			if (!ev->attr || (opts->event && (!ev->attr->name ||
							  strcmp(ev->attr->name, opts->event))))
				continue;
			ret = script_sample(&r, ev, &b);
			if (!ret)
				ret = emit(emit_arg, b.data, b.len);
		} else {
			ret = pfold_session_event(r.session, ev);
		}
	}
	pfold_buf_release(&b);
	run_close(&r);
	return ret;
}
