// SPDX-License-Identifier: MIT
/* folded.c: reading and writing folded stacks, FlameGraph's single-column form and pfold's multi-column form. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "folded.h"

#define HEADER "# pfold-folded events="
#define MAX_COLUMNS 4096

struct reader {
	struct pfold_profile *p;
	const char *path;
	struct pfold_folded_stats *stats;
	size_t *slots;		/* column -> event slot */
	size_t ncols;
	uint64_t *vals;		/* ncols */
	uint32_t *ids;
	size_t ids_alloc;
	uint64_t *counts;	/* nr_events of p */
	size_t counts_alloc;
};

enum pfold_frame_kind pfold_folded_frame_kind(const char *s, size_t len)
{
	if (len >= 4 && s[len - 4] == '_' && s[len - 3] == '[' && s[len - 1] == ']') {
		switch (s[len - 2]) {
		case 'k':
			return PFOLD_FRAME_KERNEL;
		case 'j':
			return PFOLD_FRAME_JIT;
		case 'i':
			return PFOLD_FRAME_INLINED;
		}
	}
	return PFOLD_FRAME_USER;
}

static int set_columns(struct reader *r, const char *list, size_t len,
		       unsigned long lineno)
{
	size_t n = 0, i, start;
	char name[256];
	int slot;

	free(r->slots);
	free(r->vals);
	r->slots = NULL;
	r->vals = NULL;
	r->ncols = 0;
	for (i = 0; i <= len; i++)
		if (i == len || list[i] == ',')
			n++;
	if (!len || n > MAX_COLUMNS)
		return pfold_error(PFOLD_E_PARSE, "%s: line %lu: bad pfold-folded header",
				   r->path, lineno);
	r->slots = malloc(n * sizeof(*r->slots));
	r->vals = malloc(n * sizeof(*r->vals));
	if (!r->slots || !r->vals)
		return pfold_error(PFOLD_E_NOMEM, "out of memory reading '%s'", r->path);
	for (i = 0, start = 0; i <= len; i++) {
		if (i < len && list[i] != ',')
			continue;
		if (i == start || i - start >= sizeof(name))
			return pfold_error(PFOLD_E_PARSE,
					   "%s: line %lu: bad event name in the pfold-folded header",
					   r->path, lineno);
		memcpy(name, list + start, i - start);
		name[i - start] = '\0';
		slot = pfold_profile_add_event(r->p, name);
		if (slot < 0)
			return pfold_error(PFOLD_E_PARSE,
					   "%s: line %lu: bad event name '%s' in the pfold-folded header",
					   r->path, lineno, name);
		r->slots[r->ncols++] = (size_t)slot;
		start = i + 1;
	}
	return 0;
}

/* parse a decimal count ending at END (exclusive) backwards; returns its start or NULL */
static const char *parse_count_back(const char *begin, const char *end, uint64_t *v,
				    int *overflow)
{
	const char *s = end;
	uint64_t x = 0, mul = 1;
	int digits = 0;

	while (s > begin && s[-1] >= '0' && s[-1] <= '9') {
		uint64_t d = (uint64_t)(s[-1] - '0');

		if (digits >= 20 || (digits == 19 && d > 1) ||
		    (d && mul > UINT64_MAX / d) || x > UINT64_MAX - d * mul) {
			*overflow = 1;
			return NULL;
		}
		x += d * mul;
		digits++;
		if (digits < 20)
			mul *= 10;
		s--;
	}
	if (!digits)
		return NULL;
	*v = x;
	return s;
}

static void skip_line(struct reader *r, unsigned long lineno)
{
	if (!r->stats)
		return;
	if (!r->stats->skipped)
		r->stats->first_skipped = lineno;
	r->stats->skipped++;
}

static int read_line(struct reader *r, const char *line, size_t len, unsigned long lineno)
{
	const char *end = line + len, *s, *f, *e;
	size_t ncols, c, nframes = 0, ne;
	int overflow = 0;
	long idx;
	int ret;

	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (end == line)
		return 0;
	if (*line == '#') {
		if ((size_t)(end - line) > strlen(HEADER) && !memcmp(line, HEADER, strlen(HEADER)))
			return set_columns(r, line + strlen(HEADER),
					   (size_t)(end - line) - strlen(HEADER), lineno);
		return 0;
	}
	if (!r->ncols) {
		ret = set_columns(r, PFOLD_FOLDED_DEFAULT_EVENT,
				  strlen(PFOLD_FOLDED_DEFAULT_EVENT), lineno);
		if (ret < 0)
			return ret;
	}
	ncols = r->ncols;
	/* the count columns, last first, each after blanks */
	s = end;
	for (c = ncols; c-- > 0;) {
		const char *start = parse_count_back(line, s, &r->vals[c], &overflow);

		if (overflow)
			return pfold_error(PFOLD_E_PARSE, "%s: line %lu: count overflows 64 bits",
					   r->path, lineno);
		if (!start || start == line || (start[-1] != ' ' && start[-1] != '\t')) {
			skip_line(r, lineno);
			return 0;
		}
		s = start;
		while (s > line && (s[-1] == ' ' || s[-1] == '\t'))
			s--;
	}
	/* the stack: frames split on ';' */
	if (s > line) {
		for (f = line;; f = e + 1) {
			e = memchr(f, ';', (size_t)(s - f));
			if (!e)
				e = s;
			if (PFOLD_GROW(r->ids, r->ids_alloc, nframes + 1))
				return pfold_error(PFOLD_E_NOMEM, "out of memory reading '%s'",
						   r->path);
			ret = pfold_profile_intern(r->p, f, (size_t)(e - f),
						   pfold_folded_frame_kind(f, (size_t)(e - f)), &r->ids[nframes]);
			if (ret < 0)
				return ret;
			nframes++;
			if (e == s)
				break;
		}
	}
	ne = pfold_profile_nr_events(r->p);
	if (PFOLD_GROW(r->counts, r->counts_alloc, ne + 1))
		return pfold_error(PFOLD_E_NOMEM, "out of memory reading '%s'", r->path);
	memset(r->counts, 0, ne * sizeof(*r->counts));
	for (c = 0; c < ncols; c++)
		r->counts[r->slots[c]] += r->vals[c];
	idx = pfold_profile_add(r->p, r->ids, nframes, r->counts);
	if (idx < 0)
		return (int)idx;
	if (r->stats)
		r->stats->lines++;
	return 0;
}

static void reader_release(struct reader *r)
{
	free(r->slots);
	free(r->vals);
	free(r->ids);
	free(r->counts);
}

int pfold_folded_read(struct pfold_profile *p, FILE *f, const char *path,
		      struct pfold_folded_stats *stats)
{
	struct reader r = { p, path, stats, NULL, 0, NULL, NULL, 0, NULL, 0 };
	char *line = NULL;
	size_t alloc = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int ret = 0;

	errno = 0;
	while ((n = getline(&line, &alloc, f)) >= 0) {
		lineno++;
		if (memchr(line, '\0', (size_t)n)) {
			skip_line(&r, lineno);
			continue;
		}
		ret = read_line(&r, line, (size_t)n, lineno);
		if (ret < 0)
			goto out_free;
	}
	if (ferror(f))
		ret = pfold_error(PFOLD_E_IO, "%s: read error: %s", path, strerror(errno));
out_free:
	free(line);
	reader_release(&r);
	return ret;
}

int pfold_folded_read_mem(struct pfold_profile *p, const char *data, size_t len,
			  const char *path, struct pfold_folded_stats *stats)
{
	struct reader r = { p, path, stats, NULL, 0, NULL, NULL, 0, NULL, 0 };
	const char *s = data, *end = data + len, *nl;
	unsigned long lineno = 0;
	int ret = 0;

	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		lineno++;
		if (memchr(s, '\0', (size_t)(nl - s))) {
			skip_line(&r, lineno);
		} else {
			ret = read_line(&r, s, (size_t)(nl - s), lineno);
			if (ret < 0)
				break;
		}
		s = nl + 1;
	}
	reader_release(&r);
	return ret;
}

static int add_stack_text(const struct pfold_profile *p, const struct pfold_stack *st,
			  struct pfold_buf *out)
{
	size_t i;

	for (i = 0; i < st->nframes; i++) {
		if (i && pfold_buf_addch(out, ';'))
			return -PFOLD_E_NOMEM;
		if (pfold_buf_add(out, pfold_profile_frame_name(p, st->frames[i]),
				  pfold_profile_frame_len(p, st->frames[i])))
			return -PFOLD_E_NOMEM;
	}
	return 0;
}

/* append one line: TEXT and the counters in ACC (one slot, or all) */
static int flush_line(const struct pfold_buf *text, const uint64_t *acc, size_t ne,
		      int event, struct pfold_buf *out)
{
	size_t k;
	int nonzero = 0;

	if (event >= 0) {
		/* a one-event profile keeps its 0-weight stacks, as the .pl prints them */
		nonzero = acc[event] != 0 || ne == 1;
	} else {
		for (k = 0; k < ne; k++)
			nonzero |= acc[k] != 0;
	}
	if (!nonzero)
		return 0;
	if (pfold_buf_add(out, text->data, text->len))
		return -PFOLD_E_NOMEM;
	if (event >= 0)
		return pfold_buf_addf(out, " %llu\n", (unsigned long long)acc[event]);
	for (k = 0; k < ne; k++)
		if (pfold_buf_addf(out, " %llu", (unsigned long long)acc[k]))
			return -PFOLD_E_NOMEM;
	return pfold_buf_addch(out, '\n');
}

int pfold_folded_write(const struct pfold_profile *p, int event, struct pfold_buf *out)
{
	size_t ne = pfold_profile_nr_events(p), n = pfold_profile_nr_stacks(p), i, k;
	struct pfold_buf prev = PFOLD_BUF_INIT, cur = PFOLD_BUF_INIT;
	uint64_t *acc = NULL;
	size_t *order = NULL;
	struct pfold_stack st;
	int ret, have_prev = 0;

	if (event >= 0 && (size_t)event >= ne)
		return pfold_error(PFOLD_E_INVAL, "no event slot %d in the profile", event);
	if (event < 0 && !ne)
		return pfold_error(PFOLD_E_INVAL, "the profile has no events");
	ret = pfold_profile_sorted(p, &order);
	if (ret < 0)
		return ret;
	ret = -PFOLD_E_NOMEM;
	acc = calloc(ne ? ne : 1, sizeof(*acc));
	if (!acc)
		goto out_free;
	if (event < 0) {
		if (pfold_buf_adds(out, HEADER))
			goto out_free;
		for (k = 0; k < ne; k++)
			if ((k && pfold_buf_addch(out, ',')) ||
			    pfold_buf_adds(out, pfold_profile_event_name(p, k)))
				goto out_free;
		if (pfold_buf_addch(out, '\n'))
			goto out_free;
	}
	/*
	 * Stacks of equal text (frames of equal names but different kinds) sort
	 * next to each other and are written as one line.
	 */
	for (i = 0; i < n; i++) {
		pfold_profile_stack(p, order[i], &st);
		pfold_buf_reset(&cur);
		if (pfold_buf_addch(&cur, 0))	/* storage even for an empty stack */
			goto out_free;
		pfold_buf_reset(&cur);
		if (add_stack_text(p, &st, &cur))
			goto out_free;
		if (have_prev && (prev.len != cur.len || memcmp(prev.data, cur.data, cur.len))) {
			if (flush_line(&prev, acc, ne, event, out))
				goto out_free;
			memset(acc, 0, ne * sizeof(*acc));
		}
		for (k = 0; k < ne; k++)
			acc[k] += st.counts[k];
		pfold_buf_reset(&prev);
		if (pfold_buf_add(&prev, cur.data, cur.len))
			goto out_free;
		have_prev = 1;
	}
	if (have_prev && flush_line(&prev, acc, ne, event, out))
		goto out_free;
	ret = 0;
out_free:
	free(acc);
	free(order);
	pfold_buf_release(&prev);
	pfold_buf_release(&cur);
	if (ret == -PFOLD_E_NOMEM)
		pfold_error(PFOLD_E_NOMEM, "out of memory writing folded stacks");
	return ret;
}

int pfold_folded_write_file(const struct pfold_profile *p, int event, FILE *f)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	int ret = pfold_folded_write(p, event, &b);

	if (ret == 0 && b.len && fwrite(b.data, 1, b.len, f) != b.len)
		ret = pfold_error(PFOLD_E_IO, "write error: %s", strerror(errno));
	pfold_buf_release(&b);
	return ret;
}
