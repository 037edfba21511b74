// SPDX-License-Identifier: MIT
/* perf-script.c: folds `perf script` text by stackcollapse-perf.pl's rules, re-implemented. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "filter.h"
#include "perf-script.h"
#include "python-view.h"

/*
 * The .pl works on each line with Perl regexes; the matchers below give the
 * same captures as those regexes (with Perl's leftmost, lazy/greedy and
 * backtracking rules) without a regex engine. Perl's \s is [ \t\n\r\f\v],
 * \w is [A-Za-z0-9_], \d is [0-9]; the line has no newline (chomped).
 */

struct span {
	const char *s;
	size_t len;
};

struct folder {
	const struct pfold_fold_options *opts;
	struct pfold_profile *prof;
	struct pfold_fold_stats *stats;
	const char *path;

	/* the .pl's state */
	struct pfold_buf event_filter;	/* "" until the first event is seen */
	int event_defaulted;
	struct pfold_buf pname;		/* valid when have_pname */
	int have_pname;
	uint64_t period;
	struct pfold_buf event;		/* the current sample's event ("" if none) */

	/* the stack: groups of frames in line order; each group is prepended */
	uint32_t *ids;
	size_t nids, alloc_ids;
	size_t *groups;			/* start of each group in ids */
	size_t ngroups, alloc_groups;
	uint32_t *final;
	size_t alloc_final;

	struct pfold_buf func;		/* scratch */
	int single_slot;		/* the slot in single-event mode, -1 until made */
	uint64_t *counts;
	size_t alloc_counts;
	struct pfold_python_view *pyview;	/* --python */
};

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_word(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Perl truthiness of a defined string: false for "" and "0" */
static int perl_true(const char *s, size_t len)
{
	return !(len == 0 || (len == 1 && s[0] == '0'));
}

/*
 * /^(\S.+?)\s+(\d+)\/{0,}(\d+){0,}\s+/ ("{0,}" is the .pl's star): COMM is at least two characters (lazy: the
 * shortest that lets the rest match); TID is the second number when present.
 */
static int match_event_line(const char *line, size_t len, struct span *comm,
			    struct span *d1, struct span *d2)
{
	size_t e, p, q, r, t;

	if (!len || is_space((unsigned char)line[0]))
		return 0;
	for (e = 2; e < len; e++) {
		if (!is_space((unsigned char)line[e]))
			continue;
		for (p = e; p < len && is_space((unsigned char)line[p]); p++)
			;
		/* every E in this run of blanks fares the same: on failure, skip the run */
		for (q = p; q < len && is_digit(line[q]); q++)
			;
		if (q == p) {
			e = p - 1;
			continue;
		}
		for (r = q; r < len && line[r] == '/'; r++)
			;
		for (t = r; t < len && is_digit(line[t]); t++)
			;
		if (t >= len || !is_space((unsigned char)line[t])) {
			e = p - 1;
			continue;
		}
		comm->s = line;
		comm->len = e;
		d1->s = line + p;
		d1->len = q - p;
		d2->s = line + r;
		d2->len = t - r;	/* 0: undefined */
		return 1;
	}
	return 0;
}

/*
 * /:\s*(\d+)*\s+(\S+):\s*$/ : EVENT is the last word when it ends in ':' and
 * follows blanks, which follow either a number after ':' and blanks (PERIOD)
 * or ':' itself.
 */
static int match_period_event(const char *line, size_t len, struct span *period,
			      struct span *event)
{
	size_t end = len, s, w0, d0, c;

	while (end > 0 && is_space((unsigned char)line[end - 1]))
		end--;
	if (end < 2 || line[end - 1] != ':')
		return 0;
	for (s = end - 1; s > 0 && !is_space((unsigned char)line[s - 1]); s--)
		;
	if (s + 1 >= end || s == 0)
		return 0;	/* (\S+) needs a character, \s+ before it */
	for (w0 = s; w0 > 0 && is_space((unsigned char)line[w0 - 1]); w0--)
		;
	event->s = line + s;
	event->len = end - 1 - s;
	for (d0 = w0; d0 > 0 && is_digit(line[d0 - 1]); d0--)
		;
	if (d0 < w0) {
		for (c = d0; c > 0 && is_space((unsigned char)line[c - 1]); c--)
			;
		if (c == 0 || line[c - 1] != ':')
			return 0;
		period->s = line + d0;
		period->len = w0 - d0;
		return 1;
	}
	if (w0 == 0 || line[w0 - 1] != ':')
		return 0;
	period->s = NULL;
	period->len = 0;
	return 1;
}

/*
 * /^\s*(\w+)\s*(.+) \((.*)\)/ : MOD runs from the last " (" that has a ')'
 * after it to the last ')'; FUNC is what lies between the address and it.
 */
static int match_stack_line(const char *line, size_t len, struct span *pc,
			    struct span *func, struct span *mod)
{
	size_t ws, we, fs0, k, lastp, fs;
	int found = 0;

	for (ws = 0; ws < len && is_space((unsigned char)line[ws]); ws++)
		;
	for (we = ws; we < len && is_word((unsigned char)line[we]); we++)
		;
	if (we == ws)
		return 0;
	for (fs0 = we; fs0 < len && is_space((unsigned char)line[fs0]); fs0++)
		;
	for (lastp = len; lastp > 0 && line[lastp - 1] != ')'; lastp--)
		;
	if (!lastp)
		return 0;
	lastp--;
	/* the rightmost " (" with K + 2 <= lastp */
	for (k = lastp >= 2 ? lastp - 2 : 0; ; k--) {
		if (k + 2 <= lastp && line[k] == ' ' && line[k + 1] == '(') {
			found = 1;
			break;
		}
		if (!k)
			break;
	}
	if (!found || k < 1)
		return 0;
	fs = fs0 < k - 1 ? fs0 : k - 1;
	if (fs < ws + 1)
		return 0;
	pc->s = line + ws;
	pc->len = (fs >= we ? we : fs) - ws;
	func->s = line + fs;
	func->len = k - fs;
	mod->s = line + k + 2;
	mod->len = lastp - (k + 2);
	return 1;
}

static int span_has(const struct span *s, const char *needle)
{
	return memmem(s->s, s->len, needle, strlen(needle)) != NULL;
}

/* $mod =~ m/(^\[|vmlinux$)/ && $mod !~ /unknown/ */
static int mod_is_kernel(const struct span *mod)
{
	return ((mod->len && mod->s[0] == '[') ||
		(mod->len >= 7 && !memcmp(mod->s + mod->len - 7, "vmlinux", 7))) &&
	       !span_has(mod, "unknown");
}

/* $mod =~ m:/tmp/perf-\d+\.map: */
static int mod_is_jit(const struct span *mod)
{
	const char *p = mod->s, *end = mod->s + mod->len, *q;

	while ((q = memmem(p, (size_t)(end - p), "/tmp/perf-", 10))) {
		const char *d = q + 10, *e = d;

		while (e < end && is_digit(*e))
			e++;
		if (e > d && end - e >= 4 && !memcmp(e, ".map", 4))
			return 1;
		p = q + 1;
	}
	return 0;
}

int pfold_collapse_tidy(struct pfold_buf *b, size_t start, int nth, const char *modp,
			size_t modlen, int java, const struct pfold_fold_options *opts)
{
	const struct span m = { modp, modlen }, *mod = &m;
	size_t len = b->len - start, i, j, n;
	int go = 0;
	char *d;

	if (!b->data) {
		/* an empty frame text in a new buffer: make it "" */
		if (pfold_buf_addch(b, '\0'))
			return -PFOLD_E_NOMEM;
		b->len--;
	}
	d = b->data + start;

	/* s/;/:/g */
	for (i = 0; i < len; i++)
		if (d[i] == ';')
			d[i] = ':';
	/*
	 * unless m/\.\(.*\)\./ (a Go method: the first ".(" has a ")." at least
	 * two bytes after it), cut at the first '(' that is not "(anonymous namespace)"
	 */
	for (i = 0; i + 1 < len; i++)
		if (d[i] == '.' && d[i + 1] == '(')
			break;
	for (j = len >= 2 ? len - 2 : 0; i + 1 < len && j >= i + 2; j--)
		if (d[j] == ')' && d[j + 1] == '.') {
			go = 1;
			break;
		}
	if (!go) {
		static const char anon[] = "anonymous namespace)";

		for (i = 0; i < len; i++) {
			if (d[i] != '(')
				continue;
			if (len - i - 1 >= sizeof(anon) - 1 &&
			    !memcmp(d + i + 1, anon, sizeof(anon) - 1))
				continue;
			len = i;
			break;
		}
	}
	/* tr/"'//d */
	for (i = 0, n = 0; i < len; i++)
		if (d[i] != '"' && d[i] != '\'')
			d[n++] = d[i];
	len = n;
	/* java: s/^L// if m:/: when the process name starts with "java" */
	if (java && len && d[0] == 'L' && memchr(d, '/', len)) {
		memmove(d, d + 1, len - 1);
		len--;
	}
	b->len = start + len;
	b->data[b->len] = '\0';
	if (nth > 0) {
		if (!memmem(d, len, "_[i]", 4) && pfold_buf_adds(b, "_[i]"))
			return -PFOLD_E_NOMEM;
		return PFOLD_FRAME_INLINED;
	}
	if (opts->annotate_kernel && mod_is_kernel(mod)) {
		if (pfold_buf_adds(b, "_[k]"))
			return -PFOLD_E_NOMEM;
	} else if (opts->annotate_jit && mod_is_jit(mod)) {
		if (!memmem(d, len, "_[j]", 4) && pfold_buf_adds(b, "_[j]"))
			return -PFOLD_E_NOMEM;
	}
	if (mod_is_kernel(mod))
		return PFOLD_FRAME_KERNEL;
	if (mod_is_jit(mod))
		return PFOLD_FRAME_JIT;
	return PFOLD_FRAME_USER;
}

/* the .pl's tidy_generic and tidy_java, then its annotations, on F->func */
static int tidy_and_annotate(struct folder *f, int nth, const struct span *mod)
{
	int java = f->pname.len >= 4 && !memcmp(f->pname.data, "java", 4);
	int ret = pfold_collapse_tidy(&f->func, 0, nth, mod->s, mod->len, java, f->opts);

	return ret < 0 ? ret : 0;
}

/*
 * Kinds come from the object whatever the annotation options (for colours);
 * frames of equal text and different kinds are written as one folded line.
 */
static enum pfold_frame_kind frame_kind(int nth, const struct span *mod)
{
	if (nth > 0)
		return PFOLD_FRAME_INLINED;
	if (mod_is_kernel(mod))
		return PFOLD_FRAME_KERNEL;
	if (mod_is_jit(mod))
		return PFOLD_FRAME_JIT;
	return PFOLD_FRAME_USER;
}

static int push_frame(struct folder *f, const char *s, size_t len, enum pfold_frame_kind kind)
{
	uint32_t id;
	int ret;

	ret = pfold_profile_intern(f->prof, s, len, kind, &id);
	if (ret < 0)
		return ret;
	if (PFOLD_GROW(f->ids, f->alloc_ids, f->nids + 1))
		return -PFOLD_E_NOMEM;
	f->ids[f->nids++] = id;
	return 0;
}

static int stack_line(struct folder *f, const struct span *pc, const struct span *rawfunc,
		      const struct span *mod)
{
	const char *s = rawfunc->s, *end = rawfunc->s + rawfunc->len, *p, *q;
	struct span field[64];
	size_t nfields = 0, i;
	int ret;

	/* s/\+0x[\da-f]+$// */
	for (p = end; p > s && ((*(p - 1) >= '0' && *(p - 1) <= '9') ||
				(*(p - 1) >= 'a' && *(p - 1) <= 'f')); p--)
		;
	if (p < end && p - s >= 3 && p[-1] == 'x' && p[-2] == '0' && p[-3] == '+')
		end = p - 3;
	/* next if /^\(/ */
	if (end > s && *s == '(')
		return 0;
	if (f->opts->no_kernel && mod_is_kernel(mod))
		return 0;
	/* split /->/, dropping trailing empty fields */
	for (p = s;;) {
		q = end - p >= 2 ? memmem(p, (size_t)(end - p), "->", 2) : NULL;
		if (nfields < 64) {
			field[nfields].s = p;
			field[nfields].len = (size_t)((q ? q : end) - p);
			nfields++;
		}
		if (!q)
			break;
		p = q + 2;
	}
	while (nfields && !field[nfields - 1].len)
		nfields--;
	if (!nfields)
		return 0;
	if (PFOLD_GROW(f->groups, f->alloc_groups, f->ngroups + 1))
		return -PFOLD_E_NOMEM;
	f->groups[f->ngroups++] = f->nids;
	for (i = 0; i < nfields; i++) {
		struct pfold_buf *b = &f->func;

		pfold_buf_reset(b);
		if (pfold_buf_addch(b, 0))
			return -PFOLD_E_NOMEM;
		pfold_buf_reset(b);
		if (field[i].len == 9 && !memcmp(field[i].s, "[unknown]", 9)) {
			struct span m = *mod;
			const char *slash;

			if (m.len == 9 && !memcmp(m.s, "[unknown]", 9)) {
				m.s = "unknown";
				m.len = 7;
			} else {
				/* s/.*\/// */
				while ((slash = memchr(m.s, '/', m.len))) {
					m.len -= (size_t)(slash + 1 - m.s);
					m.s = slash + 1;
				}
			}
			if (pfold_buf_addch(b, '[') || pfold_buf_add(b, m.s, m.len))
				return -PFOLD_E_NOMEM;
			if (f->opts->include_addrs &&
			    (pfold_buf_adds(b, " <") || pfold_buf_add(b, pc->s, pc->len) ||
			     pfold_buf_addch(b, '>')))
				return -PFOLD_E_NOMEM;
			if (pfold_buf_addch(b, ']'))
				return -PFOLD_E_NOMEM;
		} else if (pfold_buf_add(b, field[i].s, field[i].len)) {
			return -PFOLD_E_NOMEM;
		}
		ret = tidy_and_annotate(f, (int)i, mod);
		if (ret < 0)
			return ret;
		/* a name never holds a newline; NUL cannot come from a text line */
		ret = push_frame(f, b->data, b->len, frame_kind((int)i, mod));
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int event_slot(struct folder *f)
{
	const char *name;
	int slot;

	if (f->opts->all_events) {
		name = f->event.len ? f->event.data : "samples";
		return pfold_profile_add_event(f->prof, name);
	}
	if (f->single_slot >= 0)
		return f->single_slot;
	name = f->event_filter.len ? f->event_filter.data : "samples";
	slot = pfold_profile_add_event(f->prof, name);
	if (slot >= 0)
		f->single_slot = slot;
	return slot;
}

/* the end of a sample: root first, the process name, then the groups last-first */
static int end_of_stack(struct folder *f)
{
	size_t n = 0, g, i, start, stop;
	int slot, keep;
	uint32_t id;
	long idx;
	int ret;

	if (!f->have_pname || !perl_true(f->pname.data, f->pname.len))
		return 0;	/* "next if not $pname": the stack is kept for later */
	ret = pfold_profile_intern(f->prof, f->pname.data, f->pname.len,
				   PFOLD_FRAME_OTHER, &id);
	if (ret < 0)
		return ret;
	if (PFOLD_GROW(f->final, f->alloc_final, f->nids + 1))
		return -PFOLD_E_NOMEM;
	f->final[n++] = id;
	for (g = f->ngroups; g-- > 0;) {
		start = f->groups[g];
		stop = g + 1 < f->ngroups ? f->groups[g + 1] : f->nids;
		for (i = start; i < stop; i++)
			f->final[n++] = f->ids[i];
	}
	f->nids = 0;
	f->ngroups = 0;
	f->have_pname = 0;
	if (f->pyview) {
		/* --python: src/python-view.c */
		keep = pfold_python_view_stack(f->pyview, f->prof, f->final, &n);
		if (keep < 0)
			return keep;
		if (keep && f->stats)
			f->stats->python_stacks++;
	}
	keep = pfold_filter_stack(f->opts->filter, f->prof, f->final, &n);
	if (keep < 0)
		return keep;
	if (!keep) {
		if (f->stats)
			f->stats->filtered++;
		return 0;
	}
	slot = event_slot(f);
	if (slot < 0)
		return slot;
	idx = pfold_profile_add1(f->prof, f->final, n, (size_t)slot,
				 f->opts->weight == PFOLD_WEIGHT_SAMPLES ? 1 : f->period);
	if (idx < 0)
		return (int)idx;
	if (f->stats)
		f->stats->samples++;
	return 0;
}

static int set_buf(struct pfold_buf *b, const char *s, size_t len)
{
	pfold_buf_reset(b);
	if (pfold_buf_addch(b, 0))
		return -PFOLD_E_NOMEM;
	pfold_buf_reset(b);
	return pfold_buf_add(b, s, len) ? -PFOLD_E_NOMEM : 0;
}

static uint64_t parse_period(const struct span *d)
{
	uint64_t v = 0;
	size_t i;

	/* if (not $period) { $period = 1 } */
	if (!d->s || !perl_true(d->s, d->len))
		return 1;
	for (i = 0; i < d->len; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return UINT64_MAX;
		v = v * 10 + (uint64_t)(d->s[i] - '0');
	}
	return v;
}

static int event_line(struct folder *f, const char *line, size_t len,
		      const struct span *comm, const struct span *d1, const struct span *d2)
{
	struct span pid = *d1, tid = *d2, period = { NULL, 0 }, ev;
	struct pfold_buf *pn = &f->pname;
	int ret;

	/* if (not $tid) { $tid = $pid; $pid = "?" } */
	if (!tid.len || !perl_true(tid.s, tid.len)) {
		tid = *d1;
		pid.s = "?";
		pid.len = 1;
	}
	ret = set_buf(&f->event, "", 0);
	if (ret < 0)
		return ret;
	if (match_period_event(line, len, &period, &ev)) {
		ret = set_buf(&f->event, ev.s, ev.len);
		if (ret < 0)
			return ret;
		if (f->opts->all_events) {
			/* every event is kept, in its own slot */
		} else if (!f->event_filter.len) {
			ret = set_buf(&f->event_filter, ev.s, ev.len);
			if (ret < 0)
				return ret;
			f->event_defaulted = 1;
			if (f->stats && ev.len < sizeof(f->stats->first_event))
				memcpy(f->stats->first_event, ev.s, ev.len),
					f->stats->first_event[ev.len] = '\0';
		} else if (f->event_filter.len != ev.len ||
			   memcmp(f->event_filter.data, ev.s, ev.len)) {
			if (f->stats)
				f->stats->other_events++;
			return 0;	/* next: $pname is left as it was */
		}
	}
	f->period = parse_period(&period);
	ret = set_buf(pn, comm->s, comm->len);
	if (ret < 0)
		return ret;
	if (f->opts->include_tid) {
		if (pfold_buf_addch(pn, '-') || pfold_buf_add(pn, pid.s, pid.len) ||
		    pfold_buf_addch(pn, '/') || pfold_buf_add(pn, tid.s, tid.len))
			return -PFOLD_E_NOMEM;
	} else if (f->opts->include_pid) {
		if (pfold_buf_addch(pn, '-') || pfold_buf_add(pn, pid.s, pid.len))
			return -PFOLD_E_NOMEM;
	}
	/* tr/ /_/ */
	for (size_t i = 0; i < pn->len; i++)
		if (pn->data[i] == ' ')
			pn->data[i] = '_';
	f->have_pname = 1;
	return 0;
}

static void bad_line(struct folder *f, unsigned long lineno)
{
	if (!f->stats)
		return;
	if (!f->stats->bad_lines)
		f->stats->first_bad_line = lineno;
	f->stats->bad_lines++;
}

static int fold_line(struct folder *f, const char *line, size_t len, unsigned long lineno)
{
	struct span comm, d1, d2, pc, func, mod;

	/* next if m/^#/ (before chomp) */
	if (len && line[0] == '#')
		return 0;
	/* chomp */
	if (len && line[len - 1] == '\n')
		len--;
	if (!len)
		return end_of_stack(f);
	if (memchr(line, '\0', len)) {
		bad_line(f, lineno);
		return 0;
	}
	if (match_event_line(line, len, &comm, &d1, &d2))
		return event_line(f, line, len, &comm, &d1, &d2);
	if (match_stack_line(line, len, &pc, &func, &mod)) {
		if (!f->have_pname || !perl_true(f->pname.data, f->pname.len))
			return 0;
		return stack_line(f, &pc, &func, &mod);
	}
	bad_line(f, lineno);
	return 0;
}

static void folder_init(struct folder *f, const char *path, const struct pfold_fold_options *opts,
			struct pfold_profile *out, struct pfold_fold_stats *stats)
{
	memset(f, 0, sizeof(*f));
	f->opts = opts;
	f->prof = out;
	f->stats = stats;
	f->path = path;
	f->single_slot = -1;
	f->period = 1;
}

static int folder_start(struct folder *f)
{
	int ret;

	if (f->opts->python) {
		ret = pfold_python_view_open(&f->pyview, f->opts->python_drop,
					     f->opts->nr_python_drop);
		if (ret)
			return ret;
	}
	if (f->opts->event && *f->opts->event &&
	    set_buf(&f->event_filter, f->opts->event, strlen(f->opts->event)))
		return pfold_error(PFOLD_E_NOMEM, "out of memory reading '%s'", f->path);
	return 0;
}

static void folder_release(struct folder *f)
{
	pfold_buf_release(&f->event_filter);
	pfold_buf_release(&f->pname);
	pfold_buf_release(&f->event);
	pfold_buf_release(&f->func);
	free(f->ids);
	free(f->groups);
	free(f->final);
	free(f->counts);
	pfold_python_view_close(f->pyview);
}

static int finish(struct folder *f, int ret)
{
	if (ret == -PFOLD_E_NOMEM)
		return pfold_error(PFOLD_E_NOMEM, "out of memory reading '%s'", f->path);
	/* with -e EVENT and no sample of it, the slot still exists (empty output) */
	if (ret == 0 && !f->opts->all_events && f->single_slot < 0) {
		int slot = event_slot(f);

		if (slot < 0)
			return slot;
	}
	return ret;
}

int pfold_perf_script_fold(FILE *in, const char *path, const struct pfold_fold_options *opts,
			   struct pfold_profile *out, struct pfold_fold_stats *stats)
{
	struct folder f;
	char *line = NULL;
	size_t alloc = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int ret;

	folder_init(&f, path, opts, out, stats);
	ret = folder_start(&f);
	if (ret < 0)
		goto out_release;
	errno = 0;
	while ((n = getline(&line, &alloc, in)) >= 0) {
		ret = fold_line(&f, line, (size_t)n, ++lineno);
		if (ret < 0)
			break;
	}
	if (ret == 0 && ferror(in))
		ret = pfold_error(PFOLD_E_IO, "%s: read error: %s", path, strerror(errno));
	ret = finish(&f, ret);
out_release:
	free(line);
	folder_release(&f);
	return ret;
}

int pfold_perf_script_fold_mem(const char *data, size_t len, const char *path,
			       const struct pfold_fold_options *opts,
			       struct pfold_profile *out, struct pfold_fold_stats *stats)
{
	struct folder f;
	const char *s = data, *end = data + len, *nl;
	unsigned long lineno = 0;
	int ret;

	folder_init(&f, path, opts, out, stats);
	ret = folder_start(&f);
	while (ret == 0 && s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		nl = nl ? nl + 1 : end;
		ret = fold_line(&f, s, (size_t)(nl - s), ++lineno);
		s = nl;
	}
	ret = finish(&f, ret);
	folder_release(&f);
	return ret;
}
