// SPDX-License-Identifier: MIT
/* kallsyms.c: kallsyms text as a sorted symbol table, names cut out of the text when first looked up. */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
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
#include "map-guard.h"
#include "sort-u64.h"

/* 16 bytes: a 122,000-line kallsyms is a 2 MB table */
struct ksym {
	uint64_t addr;
	uint32_t name;		/* offset in the text */
	uint16_t name_len;
	uint16_t mod;		/* index in mods + 1, or 0 for the kernel image */
};

struct kmod {
	uint32_t name;		/* offset in the text, after the '[' */
	uint16_t len;
};

struct pfold_kallsyms {
	struct ksym *v;
	size_t nr, alloc;
	struct kmod *mods;
	size_t mods_nr, mods_alloc;
	uint32_t *mod_hash;	/* open addressing: index in mods + 1, or 0 */
	size_t mod_mask;
	/*
	 * The text: a private writable mapping of a regular file, or the bytes
	 * read from /proc. A name gets its NUL (over the tab or newline after
	 * it) when it is first looked up, so only those pages are copied.
	 */
	char *text;
	size_t len, map_len;	/* map_len: 0 when TEXT is a buffer */
	struct pfold_buf buf;
	uint64_t delta;		/* the recording's kernel image - this table's (another boot) */
	int cut;		/* a name was cut out of the text: it is no longer the file's */
};

#define NAME_MAX_LEN UINT16_MAX
#define MODS_MAX (UINT16_MAX - 1)

/* hex digit value + 1 for each character, 0 for a non-digit: one load each */
static const unsigned char hex_digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

#define BYTES(x) (0x0101010101010101ULL * (x))

/*
 * The 8 hex digits in X (the first in the lowest byte) as a number; *BAD
 * gets a high bit for each byte that is no hex digit. Branch-free: a
 * 64-bit kallsyms line starts with 16 digits, and this is most of its parse.
 */
static inline uint64_t hex8(uint64_t x, uint64_t *bad)
{
	uint64_t lower = x | BYTES(0x20);
	uint64_t digit = (x + BYTES(0x80 - '0')) & ~(x + BYTES(0x80 - '9' - 1));
	uint64_t alpha = (lower + BYTES(0x80 - 'a')) & ~(lower + BYTES(0x80 - 'f' - 1));
	uint64_t v;

	/* a byte of 0x80 or more would carry into its neighbour: it is bad anyway */
	*bad |= (x | ~(digit | alpha)) & BYTES(0x80);
	v = (x & BYTES(0x0f)) + ((x >> 6) & BYTES(0x01)) * 9;
	v = (v << 4 | v >> 8) & 0x00ff00ff00ff00ffULL;		/* byte pairs */
	v = (v << 8 | v >> 16) & 0x0000ffff0000ffffULL;		/* 16-bit pairs */
	return (v << 16 | v >> 32) & 0xffffffffULL;
}

/* the 16 hex digits at P as a number, or 0 with *OK cleared */
static uint64_t hex16(const char *p, int *ok)
{
	uint64_t hi, lo, bad = 0, v;

	memcpy(&hi, p, 8);
	memcpy(&lo, p + 8, 8);
	v = hex8(le64toh(hi), &bad) << 32 | hex8(le64toh(lo), &bad);
	*ok = !bad;
	return v;
}

/* advise 2 MB pages for the whole 2 MB blocks of [P, P + LEN) */
static void huge_pages(void *p, size_t len)
{
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(huge - 1);

	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/*
 * Map the regular file FD (PATH) of SIZE bytes into K: private and writable, so
 * that a looked-up name can be cut out in place. The last line must end in
 * a newline (the byte its NUL takes). Returns 1 when mapped, 0 to read it.
 */
static int map_text(struct pfold_kallsyms *k, int fd, size_t size, const char *path)
{
	char last;
	void *p;

	if (pread(fd, &last, 1, (off_t)size - 1) != 1 || last != '\n')
		return 0;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 0;
	madvise(p, size, MADV_SEQUENTIAL);
	pfold_map_guard_add(p, size, path);
	k->text = p;
	k->len = k->map_len = size;
	return 1;
}

/* Read all of FD (PATH) into K's buffer: a /proc file has no size. */
static int read_text(struct pfold_kallsyms *k, int fd, const char *path, size_t want)
{
	struct pfold_buf *text = &k->buf;

	if (pfold_buf_grow(text, want))
		return -PFOLD_E_NOMEM;
	if (want >= (size_t)4 << 20)
		huge_pages(text->data, text->alloc);
	for (;;) {
		ssize_t n;

		if (pfold_buf_grow(text, 1 << 20))
			return -PFOLD_E_NOMEM;
		n = read(fd, text->data + text->len, text->alloc - text->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pfold_error(PFOLD_E_IO, "cannot read '%s': %s", path, strerror(errno));
		if (n == 0)
			break;
		text->len += (size_t)n;
	}
	/* the NUL of the last name, when the text does not end in a newline */
	text->data[text->len] = '\0';
	k->text = text->data;
	k->len = text->len;
	return 0;
}

static int load_text(struct pfold_kallsyms *k, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;
	struct stat st;

	if (fd < 0)
		return pfold_error(errno == ENOENT ? PFOLD_E_NOT_FOUND : PFOLD_E_IO,
				   "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size >= UINT32_MAX)
			ret = pfold_error(PFOLD_E_LIMIT, "'%s' is over 4 GB", path);
		else if (!map_text(k, fd, (size_t)st.st_size, path))
			ret = read_text(k, fd, path, (size_t)st.st_size + 1);
	} else {
		/* /proc/kallsyms: some 8 MB of text, room for 16 at once */
		ret = read_text(k, fd, path, (size_t)16 << 20);
		if (!ret && k->len >= UINT32_MAX)
			ret = pfold_error(PFOLD_E_LIMIT, "'%s' is over 4 GB", path);
	}
	close(fd);
	return ret;
}

static uint32_t hash_bytes(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*p++) * 16777619u;
	return h;
}

/*
 * The index + 1 of module [P, P + N) (the text between the brackets), added
 * when new. Returns it, or -PFOLD_E_LIMIT (too many modules), -PFOLD_E_NOMEM.
 */
static int module_id(struct pfold_kallsyms *k, const char *p, size_t n)
{
	size_t i;

	if ((k->mods_nr + 1) * 2 > k->mod_mask) {
		size_t mask = k->mod_mask ? k->mod_mask * 2 + 1 : 63;
		uint32_t *h;

		if (k->mods_nr >= MODS_MAX)
			return pfold_error(PFOLD_E_LIMIT, "over %d kernel modules", MODS_MAX);
		h = calloc(mask + 1, sizeof(*h));
		if (!h)
			return -PFOLD_E_NOMEM;
		for (i = 0; i < k->mods_nr; i++) {
			size_t j = hash_bytes(k->text + k->mods[i].name, k->mods[i].len) & mask;

			while (h[j])
				j = (j + 1) & mask;
			h[j] = (uint32_t)i + 1;
		}
		free(k->mod_hash);
		k->mod_hash = h;
		k->mod_mask = mask;
	}
	for (i = hash_bytes(p, n) & k->mod_mask; k->mod_hash[i]; i = (i + 1) & k->mod_mask) {
		const struct kmod *m = &k->mods[k->mod_hash[i] - 1];

		if (m->len == n && !memcmp(k->text + m->name, p, n))
			return (int)k->mod_hash[i];
	}
	if (PFOLD_GROW(k->mods, k->mods_alloc, k->mods_nr + 1))
		return -PFOLD_E_NOMEM;
	k->mods[k->mods_nr].name = (uint32_t)(p - k->text);
	k->mods[k->mods_nr].len = (uint16_t)n;
	k->mod_hash[i] = (uint32_t)++k->mods_nr;
	return (int)k->mods_nr;
}

/*
 * The table at about its final size (a line is some 40 bytes), in 2 MB
 * pages when it is as big as one: a fault each instead of 512.
 */
static int reserve_table(struct pfold_kallsyms *k)
{
	const size_t huge = (size_t)2 << 20;
	size_t bytes = (k->len / 32 + 1) * sizeof(*k->v);

	if (bytes < huge)
		return PFOLD_GROW(k->v, k->alloc, k->len / 32 + 1) ? -PFOLD_E_NOMEM : 0;
	bytes = (bytes + huge - 1) & ~(huge - 1);
	k->v = aligned_alloc(huge, bytes);
	if (!k->v)
		return -PFOLD_E_NOMEM;
	madvise(k->v, bytes, MADV_HUGEPAGE);
	k->alloc = bytes / sizeof(*k->v);
	return 0;
}

/* the first tab or newline in [P, END), or END: 8 bytes a step, as names are some 25 bytes long */
static const char *name_end(const char *p, const char *end)
{
	for (; end - p >= 8; p += 8) {
		uint64_t x, below11;

		memcpy(&x, p, 8);
		x = le64toh(x);
		/* a high bit for each byte below 11 (exact for the first of them) */
		below11 = (x - BYTES(11)) & ~x & BYTES(0x80);
		if (below11) {
			p += __builtin_ctzll(below11) / 8;
			break;
		}
	}
	for (; p < end && *p != '\t' && *p != '\n'; p++)
		;
	return p;
}

/* the end of the line at P: its newline, or END */
static const char *line_end(const char *p, const char *end)
{
	const char *eol = memchr(p, '\n', (size_t)(end - p));

	return eol ? eol : end;
}

/*
 * Parse the line at P (text ends at END) into *SYM and set *NEXT to the
 * next line. Returns 1 for a kept symbol, 0 for a line to skip, 2 for a
 * kept line at address 0, or an error of module_id().
 */
static int parse_line(struct pfold_kallsyms *k, const char *p, const char *end,
		      struct ksym *sym, const char **next)
{
	const char *name, *stop, *eol;
	uint64_t addr;
	int digits = 0, d, ok = 0;
	char type;

	/* the 64-bit layout: 16 digits, a space, the type, a space */
	if (end - p >= 19 && p[16] == ' ' && p[18] == ' ')
		addr = hex16(p, &ok);
	if (ok) {
		p += 16;
		eol = NULL;	/* no newline before p[17]: found later */
	} else {
		eol = line_end(p, end);
		for (addr = 0; p < eol && (d = hex_digit1[(unsigned char)*p]) && digits < 17; p++, digits++)
			addr = addr << 4 | (uint64_t)(d - 1);
		if (!digits || digits > 16 || eol - p < 3 || p[0] != ' ' || p[2] != ' ') {
			*next = eol + 1;
			return 0;
		}
	}
	type = (char)(p[1] & ~0x20);	/* upper case for letters */
	if (type != 'T' && type != 'W' && type != 'D' && type != 'B') {
		*next = (eol ? eol : line_end(p + 1, end)) + 1;
		return 0;
	}
	name = p + 3;
	stop = name_end(name, eol ? eol : end);
	if (!eol)
		eol = stop < end && *stop == '\n' ? stop : line_end(stop, end);
	*next = eol + 1;
	if (stop == name || stop - name > NAME_MAX_LEN)
		return 0;
	if (!addr)
		return 2;
	sym->addr = addr;
	sym->name = (uint32_t)(name - k->text);
	sym->name_len = (uint16_t)(stop - name);
	sym->mod = 0;
	if (stop < eol && eol - stop > 2 && stop[1] == '[') {
		const char *close = memchr(stop + 2, ']', (size_t)(eol - stop - 2));
		int id;

		if (!close)
			close = eol;	/* "[name" to the end of the line */
		if (close - stop - 2 <= NAME_MAX_LEN) {
			id = module_id(k, stop + 2, (size_t)(close - stop - 2));
			if (id < 0)
				return id;
			sym->mod = (uint16_t)id;
		}
	}
	return 1;
}

int pfold_kallsyms_open(struct pfold_kallsyms **out, const char *path)
{
	struct pfold_kallsyms *k;
	size_t zero = 0;
	const char *p, *end;
	int ret, sorted = 1;

	k = calloc(1, sizeof(*k));
	if (!k)
		return -PFOLD_E_NOMEM;
	ret = load_text(k, path);
	if (ret)
		goto err_free;
	ret = reserve_table(k);
	if (ret)
		goto err_free;
	for (p = k->text, end = p + k->len; p < end;) {
		if (k->nr == k->alloc && PFOLD_GROW(k->v, k->alloc, k->nr + 1 + k->len / 32)) {
			ret = -PFOLD_E_NOMEM;
			goto err_free;
		}
		ret = parse_line(k, p, end, &k->v[k->nr], &p);
		if (ret < 0)
			goto err_free;
		if (ret == 2)
			zero++;
		if (ret == 1) {
			if (k->nr && k->v[k->nr - 1].addr > k->v[k->nr].addr)
				sorted = 0;
			k->nr++;
		}
	}
	if (!k->nr && zero) {
		pfold_kallsyms_close(k);
		return pfold_error(PFOLD_E_PERM,
				   "'%s' hides kernel addresses (kptr_restrict)", path);
	}
	/* (addr, file order): /proc/kallsyms is sorted already but for modules */
	if (!sorted && pfold_sort_by_u64(k->v, k->nr, sizeof(*k->v), offsetof(struct ksym, addr))) {
		ret = -PFOLD_E_NOMEM;
		goto err_free;
	}
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
	if (k->map_len) {
		pfold_map_guard_remove(k->text);
		munmap(k->text, k->map_len);
	}
	free(k->v);
	free(k->mods);
	free(k->mod_hash);
	pfold_buf_release(&k->buf);
	free(k);
}

/* create the directories of PATH (not its last component), mode 0700 */
static int make_parents(const char *path)
{
	char dir[4096];
	char *p;

	if (strlen(path) >= sizeof(dir))
		return -1;
	strcpy(dir, path);
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

int pfold_kallsyms_save(const struct pfold_kallsyms *k, const char *path)
{
	char tmp[4200];
	size_t done = 0;
	int fd, ok;

	if (k->cut || !k->nr || make_parents(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >= sizeof(tmp))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (done < k->len) {
		ssize_t n = write(fd, k->text + done, k->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	ok = done == k->len;
	if (close(fd))
		ok = 0;
	/* a reader sees the old file or the whole new one, never a part */
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

uint64_t pfold_kallsyms_address_of(const struct pfold_kallsyms *k, const char *name)
{
	size_t len = strlen(name), i;

	for (i = 0; i < k->nr; i++)
		if (k->v[i].name_len == len && !k->v[i].mod && !memcmp(k->text + k->v[i].name, name, len))
			return k->v[i].addr;
	return 0;
}

void pfold_kallsyms_relocate(struct pfold_kallsyms *k, uint64_t delta)
{
	k->delta = delta;
}

const char *pfold_kallsyms_lookup(struct pfold_kallsyms *k, uint64_t addr,
				  uint64_t *off, const char **mod)
{
	size_t lo = 0, hi = k->nr;
	const struct ksym *s;

	addr -= k->delta;

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
	if (k->delta && s->mod)
		return NULL;	/* modules load at their own addresses each boot */
	if (off)
		*off = addr - s->addr;
	if (mod) {
		*mod = NULL;
		if (s->mod) {
			const struct kmod *m = &k->mods[s->mod - 1];

			k->text[m->name + m->len] = '\0';	/* over the ']' */
			*mod = k->text + m->name;
		}
	}
	k->text[s->name + s->name_len] = '\0';		/* over the tab or newline */
	k->cut = 1;
	return k->text + s->name;
}

int pfold_kallsyms_running_release(const char *release)
{
	struct utsname u;

	if (!release || uname(&u))
		return 0;
	return !strcmp(u.release, release);
}
