// SPDX-License-Identifier: MIT
/* kallsyms.c: parse kallsyms text into a sorted symbol table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "kallsyms.h"

struct ksym {
	uint64_t addr;
	size_t name;	/* offset in names */
	size_t mod;	/* offset in names, or SIZE_MAX */
};

struct pfold_kallsyms {
	struct ksym *v;
	size_t nr, alloc;
	struct pfold_buf names;
};

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;
}

/* hex digit value + 1 for each character, 0 for a non-digit: one load each */
static const unsigned char hex_digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* advise 2 MB pages for the whole 2 MB blocks of [P, P + LEN) */
static void huge_pages(void *p, size_t len)
{
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(huge - 1);

	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/* Read all of PATH into TEXT (a /proc file has no size: read to the end). */
static int slurp(const char *path, struct pfold_buf *text)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;
	size_t want = (size_t)16 << 20;
	struct stat st;

	if (fd < 0)
		return pfold_error(errno == ENOENT ? PFOLD_E_NOT_FOUND : PFOLD_E_IO,
				   "cannot open '%s': %s", path, strerror(errno));
	/*
	 * /proc/kallsyms has no size and some 8 MB of text: room for 16 at once,
	 * in 2 MB pages where the kernel gives them, is a few page faults
	 * instead of thousands. A file (--kallsyms) gets its own size.
	 */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		want = (size_t)st.st_size + 1;
	if (pfold_buf_grow(text, want)) {
		close(fd);
		return -PFOLD_E_NOMEM;
	}
	if (want >= (size_t)4 << 20)
		huge_pages(text->data, text->alloc);
	for (;;) {
		ssize_t n;

		if (pfold_buf_grow(text, 1 << 20)) {
			ret = -PFOLD_E_NOMEM;
			break;
		}
		n = read(fd, text->data + text->len, text->alloc - text->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = pfold_error(PFOLD_E_IO, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		text->len += (size_t)n;
		text->data[text->len] = '\0';
	}
	close(fd);
	return ret;
}

int pfold_kallsyms_open(struct pfold_kallsyms **out, const char *path)
{
	struct pfold_kallsyms *k;
	size_t zero = 0;
	char *p, *end;
	int ret, sorted = 1;

	k = calloc(1, sizeof(*k));
	if (!k)
		return -PFOLD_E_NOMEM;
	ret = slurp(path, &k->names);
	if (ret)
		goto err_free;
	if (!k->names.data) {
		*out = k;
		return 0;
	}
	/* a line is some 40 bytes: the table at its final size, in 2 MB pages */
	if (PFOLD_GROW(k->v, k->alloc, k->names.len / 32 + 1)) {
		ret = -PFOLD_E_NOMEM;
		goto err_free;
	}
	if (k->alloc * sizeof(*k->v) >= (size_t)4 << 20)
		huge_pages(k->v, k->alloc * sizeof(*k->v));
	/* parse in place: names and modules become NUL-terminated strings of the text */
	for (p = k->names.data, end = p + k->names.len; p < end;) {
		char *eol = memchr(p, '\n', (size_t)(end - p)), *name, *mod;
		uint64_t addr = 0;
		struct ksym *sym;
		int digits = 0, d;
		char type;

		if (!eol)
			eol = end;
		*eol = '\0';
		for (; (d = hex_digit1[(unsigned char)*p]) && digits < 17; p++, digits++)
			addr = addr << 4 | (uint64_t)(d - 1);
		if (!digits || digits > 16 || p[0] != ' ' || !p[1] || p[2] != ' ')
			goto next;
		type = (char)(p[1] & ~0x20);	/* upper case for letters */
		if (type != 'T' && type != 'W' && type != 'D' && type != 'B')
			goto next;
		if (!addr) {
			zero++;
			goto next;
		}
		name = p + 3;
		mod = memchr(name, '\t', (size_t)(eol - name));
		if (mod)
			*mod++ = '\0';
		if (!*name)
			goto next;
		if (PFOLD_GROW(k->v, k->alloc, k->nr + 1)) {
			ret = -PFOLD_E_NOMEM;
			goto err_free;
		}
		sym = &k->v[k->nr++];
		sym->addr = addr;
		sym->name = (size_t)(name - k->names.data);
		sym->mod = SIZE_MAX;
		if (mod && *mod == '[') {
			char *close = strchr(mod + 1, ']');

			if (close)
				*close = '\0';
			sym->mod = (size_t)(mod + 1 - k->names.data);
		}
		if (k->nr > 1 && sym[-1].addr > addr)
			sorted = 0;
next:
		p = eol + 1;
	}
	if (!k->nr && zero) {
		pfold_kallsyms_close(k);
		return pfold_error(PFOLD_E_PERM,
				   "'%s' hides kernel addresses (kptr_restrict)", path);
	}
	/* (addr, file order): /proc/kallsyms is sorted already but for modules */
	if (!sorted && k->nr)
		qsort(k->v, k->nr, sizeof(*k->v), cmp_ksym);
	*out = k;
	return (int)k->nr;

err_free:
	pfold_kallsyms_close(k);
	return ret;
}

void pfold_kallsyms_close(struct pfold_kallsyms *k)
{
	if (!k)
		return;
	free(k->v);
	pfold_buf_release(&k->names);
	free(k);
}

const char *pfold_kallsyms_lookup(const struct pfold_kallsyms *k, uint64_t addr,
				  uint64_t *off, const char **mod)
{
	size_t lo = 0, hi = k->nr;
	const struct ksym *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	/* among aliases at one address, the last in file order (as perf finds it) */
	s = &k->v[lo - 1];
	if (off)
		*off = addr - s->addr;
	if (mod)
		*mod = s->mod == SIZE_MAX ? NULL : k->names.data + s->mod;
	return k->names.data + s->name;
}

int pfold_kallsyms_running_release(const char *release)
{
	struct utsname u;

	if (!release || uname(&u))
		return 0;
	return !strcmp(u.release, release);
}
