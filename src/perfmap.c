// SPDX-License-Identifier: MIT
/* perfmap.c: parse a /tmp/perf-PID.map once into a sorted, bounded table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "perfmap.h"

struct perfmap_entry {
	uint64_t start, end;	/* [start, end) */
	size_t name;		/* offset in names */
	size_t seq;		/* line order, for ties */
};

struct pfold_perfmap {
	struct perfmap_entry *v;
	size_t nr, alloc;
	struct pfold_buf names;
	size_t bad;
	/* max_end[i]: the greatest end among v[0..i], to bound the backward scan */
	uint64_t *max_end;
};

static int parse_hex(const char **p, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, n++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (n >= 16)
			return -1;
		v = v << 4 | d;
	}
	if (!n)
		return -1;
	*p = s;
	*val = v;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct perfmap_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int add_line(struct pfold_perfmap *m, const char *line, size_t seq)
{
	const char *p = line;
	uint64_t start, size;
	size_t len;
	struct perfmap_entry *e;

	if (parse_hex(&p, &start) || *p != ' ')
		return 1;
	p++;
	if (parse_hex(&p, &size) || *p != ' ')
		return 1;
	p++;
	len = strlen(p);
	if (!len || start + size < start)
		return 1;
	if (m->nr >= PFOLD_PERFMAP_MAX_ENTRIES)
		return 0;
	if (PFOLD_GROW(m->v, m->alloc, m->nr + 1))
		return -PFOLD_E_NOMEM;
	e = &m->v[m->nr];
	e->start = start;
	e->end = start + (size ? size : 1);
	e->name = m->names.len;
	e->seq = seq;
	if (pfold_buf_add(&m->names, p, len + 1))
		return -PFOLD_E_NOMEM;
	m->nr++;
	return 0;
}

int pfold_perfmap_open(struct pfold_perfmap **out, const char *path, int force)
{
	struct pfold_perfmap *m;
	struct stat st;
	char line[PFOLD_PERFMAP_MAX_LINE + 2];
	size_t seq = 0, i;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f)
		return pfold_error(errno == ENOENT ? PFOLD_E_NOT_FOUND : PFOLD_E_IO,
				   "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return pfold_error(PFOLD_E_IO, "'%s' is not a regular file", path);
	}
	if (!force && st.st_uid && st.st_uid != geteuid()) {
		fclose(f);
		return pfold_error(PFOLD_E_PERM,
				   "'%s' is not owned by the current user or root, ignoring it (use --force to override)",
				   path);
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		fclose(f);
		return -PFOLD_E_NOMEM;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		seq++;
		if (len && line[len - 1] == '\n') {
			line[--len] = '\0';
		} else if (!feof(f)) {
			int c;

			/* too long: skip the rest of it */
			while ((c = getc(f)) != EOF && c != '\n')
				;
			m->bad++;
			continue;
		}
		ret = add_line(m, line, seq);
		if (ret < 0)
			goto err_free;
		m->bad += ret;
	}
	if (ferror(f)) {
		ret = pfold_error(PFOLD_E_IO, "cannot read '%s'", path);
		goto err_free;
	}
	fclose(f);
	f = NULL;
	if (m->nr)
		qsort(m->v, m->nr, sizeof(*m->v), cmp_entry);
	m->max_end = malloc((m->nr ? m->nr : 1) * sizeof(*m->max_end));
	if (!m->max_end) {
		ret = -PFOLD_E_NOMEM;
		goto err_free;
	}
	for (i = 0; i < m->nr; i++)
		m->max_end[i] = i && m->max_end[i - 1] > m->v[i].end ?
			m->max_end[i - 1] : m->v[i].end;
	*out = m;
	return (int)m->nr;

err_free:
	if (f)
		fclose(f);
	pfold_perfmap_close(m);
	return ret;
}

void pfold_perfmap_close(struct pfold_perfmap *m)
{
	if (!m)
		return;
	free(m->v);
	free(m->max_end);
	pfold_buf_release(&m->names);
	free(m);
}

size_t pfold_perfmap_bad_lines(const struct pfold_perfmap *m)
{
	return m->bad;
}

const char *pfold_perfmap_lookup(const struct pfold_perfmap *m, uint64_t addr,
				 uint64_t *off)
{
	size_t lo = 0, hi = m->nr, i;

	/* first entry with start > addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* walk back to the nearest entry that contains addr */
	for (i = lo; i-- > 0;) {
		if (m->max_end[i] <= addr)
			break;
		if (addr < m->v[i].end) {
			if (off)
				*off = addr - m->v[i].start;
			return m->names.data + m->v[i].name;
		}
	}
	return NULL;
}
