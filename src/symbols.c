// SPDX-License-Identifier: MIT
/* symbols.c: object cache and (object, address) symbol cache over libdwfl, kallsyms and perf maps. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>

#include "buf.h"
#include "demangle.h"
#include "error.h"
#include "jitdump.h"
#include "kallsyms.h"
#include "sort-u64.h"
#include "perfmap.h"
#include "fileutil.h"
#include "symbols.h"

#define MAX_BUILD_ID 64
#define MAX_LOADS 64

struct load_seg {
	uint64_t offset, vaddr, filesz;
};

/* one symbol of an ELF object, as perf keeps it */
struct elf_sym {
	uint64_t start, end;	/* module addresses (vaddr + bias); [start, end) */
	const char *name;	/* owned by the Dwfl */
	unsigned char bind;
};

struct pfold_dso {
	char *name;
	struct elf_sym *syms;	/* sorted by start, duplicates resolved */
	char **names;		/* synthesized names (name@plt) owned by the object */
	size_t nr_names, alloc_names;
	void *image;		/* [vdso]: the copy of the running kernel's vdso */
	size_t image_size;
	uint64_t *max_end;	/* max_end[i]: greatest end of syms[0..i] */
	size_t nsyms;
	enum pfold_dso_kind kind;
	uint8_t build_id[MAX_BUILD_ID];
	size_t build_id_len;
	int loaded;		/* 1 tried (ok or not) */
	int usable;		/* symbols can be looked up */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	GElf_Addr bias;
	struct load_seg seg[MAX_LOADS];
	size_t nseg;
	struct pfold_perfmap *perfmap;
	char *jitdump_path;	/* perf maps: the process's jitdump (its MMAP), or NULL */
	struct pfold_jitdump *jitdump;
	struct pfold_dso *next;	/* hash chain */
};

struct cache_slot {
	struct pfold_dso *dso;	/* NULL: empty */
	uint64_t addr;
	const char *name;
	const char *module;
	uint64_t offset;
};

#define DSO_HASH 1024

struct pfold_symbols {
	struct pfold_symbols_options opts;
	struct pfold_dso *dso_hash[DSO_HASH];
	struct cache_slot *cache;
	size_t cache_nr, cache_mask;
	char **owned;		/* demangled names */
	size_t owned_nr, owned_alloc;
	struct pfold_kallsyms *kallsyms;
	int kallsyms_tried;
	char *debuginfo_path;
	Dwfl_Callbacks cb;
	/* kallsyms read by a second thread while the records stream by */
	pthread_t pf_thread;
	int pf_started, pf_ret;
	struct pfold_kallsyms *pf_kallsyms;
	char pf_path[4096], pf_err[512];
	/* the recording's kernel image: where its reference symbol (_text) was */
	char ref_name[64];
	uint64_t ref_addr;
	/* pfold's copy of the recorded kernel's kallsyms ("": none can be named) */
	char cache_path[4096];
};

static void prefetch_join(struct pfold_symbols *s);
static void warnf(struct pfold_symbols *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warnf(struct pfold_symbols *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!s->opts.warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->opts.warn(s->opts.warn_arg, msg);
}

static uint64_t hash_str(const char *p)
{
	uint64_t h = 1469598103934665603ULL;

	while (*p)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h;
}

static uint64_t hash_addr(const void *d, uint64_t a)
{
	uint64_t h = (uint64_t)(uintptr_t)d * 0x9E3779B97F4A7C15ULL ^ a;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

int pfold_symbols_open(struct pfold_symbols **out,
		       const struct pfold_symbols_options *opts)
{
	struct pfold_symbols *s = calloc(1, sizeof(*s));
	struct pfold_buf path = PFOLD_BUF_INIT;
	int err;

	if (!s)
		return -PFOLD_E_NOMEM;
	elf_version(EV_CURRENT);
	if (opts)
		s->opts = *opts;
	s->cache_mask = 4095;
	s->cache = calloc(s->cache_mask + 1, sizeof(*s->cache));
	if (!s->cache)
		goto err_free;
	/* look for debug files beside the object, in .debug/ and under the debug dirs */
	if (s->opts.symfs)
		err = pfold_buf_addf(&path, "-:.debug:%s/usr/lib/debug", s->opts.symfs);
	else
		err = pfold_buf_adds(&path, "-:.debug:/usr/lib/debug");
	if (err)
		goto err_free;
	s->debuginfo_path = pfold_buf_detach(&path, NULL);
	s->cb.find_elf = dwfl_build_id_find_elf;
	s->cb.find_debuginfo = dwfl_standard_find_debuginfo;
	s->cb.section_address = dwfl_offline_section_address;
	s->cb.debuginfo_path = &s->debuginfo_path;
	*out = s;
	return 0;

err_free:
	pfold_buf_release(&path);
	free(s->cache);
	free(s);
	return -PFOLD_E_NOMEM;
}

static void dso_unload(struct pfold_dso *d)
{
	size_t i;

	for (i = 0; i < d->nr_names; i++)
		free(d->names[i]);
	free(d->names);
	d->names = NULL;
	d->nr_names = d->alloc_names = 0;
	free(d->syms);
	free(d->max_end);
	d->syms = NULL;
	d->max_end = NULL;
	d->nsyms = 0;
	if (d->dwfl)
		dwfl_end(d->dwfl);
	d->dwfl = NULL;
	free(d->image);
	d->image = NULL;
	pfold_perfmap_close(d->perfmap);
	d->perfmap = NULL;
	pfold_jitdump_close(d->jitdump);
	d->jitdump = NULL;
}

void pfold_symbols_close(struct pfold_symbols *s)
{
	size_t i;

	if (!s)
		return;
	if (s->pf_started) {
		prefetch_join(s);
		if (s->pf_ret >= 0)
			pfold_kallsyms_close(s->pf_kallsyms);
	}
	for (i = 0; i < DSO_HASH; i++) {
		struct pfold_dso *d = s->dso_hash[i], *n;

		for (; d; d = n) {
			n = d->next;
			dso_unload(d);
			free(d->jitdump_path);
			free(d->name);
			free(d);
		}
	}
	for (i = 0; i < s->owned_nr; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->cache);
	pfold_kallsyms_close(s->kallsyms);
	free(s->debuginfo_path);
	free(s);
}

static struct pfold_dso *find_dso(struct pfold_symbols *s, const char *name)
{
	struct pfold_dso *d = s->dso_hash[hash_str(name) % DSO_HASH];

	for (; d; d = d->next)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

struct pfold_dso *pfold_symbols_dso(struct pfold_symbols *s, const char *name,
				    enum pfold_dso_kind kind)
{
	struct pfold_dso *d = find_dso(s, name);
	size_t h;

	if (d)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->name = strdup(name);
	if (!d->name) {
		free(d);
		return NULL;
	}
	d->kind = kind;
	h = hash_str(name) % DSO_HASH;
	d->next = s->dso_hash[h];
	s->dso_hash[h] = d;
	return d;
}

int pfold_symbols_set_build_id(struct pfold_symbols *s, const char *name,
			       const uint8_t *id, size_t len)
{
	struct pfold_dso *d;

	if (!len || len > MAX_BUILD_ID)
		return -PFOLD_E_INVAL;
	d = pfold_symbols_dso(s, name, PFOLD_DSO_ELF);
	if (!d)
		return -PFOLD_E_NOMEM;
	memcpy(d->build_id, id, len);
	d->build_id_len = len;
	return 0;
}

const char *pfold_dso_name(const struct pfold_dso *d)
{
	return d->name;
}

enum pfold_dso_kind pfold_dso_kind(const struct pfold_dso *d)
{
	return d->kind;
}

static void hex(char *out, const uint8_t *id, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", id[i]);
	out[2 * len] = '\0';
}

/* The build-id of the ELF file at PATH in ID (0 length if none); -1 if not an ELF file. */
static int file_build_id(const char *path, uint8_t *id, size_t *len)
{
	const void *bits;
	ssize_t n;
	Elf *elf;
	int fd;

	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		elf_end(elf);
		close(fd);
		return -1;
	}
	n = dwelf_elf_gnu_build_id(elf, &bits);
	if (n > 0 && n <= MAX_BUILD_ID) {
		memcpy(id, bits, n);
		*len = n;
	}
	elf_end(elf);
	close(fd);
	return 0;
}

static int underscores(const char *p)
{
	int n = 0;

	while (*p++ == '_')
		n++;
	return n;
}

/* perf's choose_best_symbol(): 1 when A should stay over B (same start). */
static int better_sym(const struct elf_sym *a, const struct elf_sym *b)
{
	int za = a->end == a->start, zb = b->end == b->start;
	size_t na, nb;

	if (za != zb)
		return zb;
	if ((a->bind == STB_WEAK) != (b->bind == STB_WEAK))
		return b->bind == STB_WEAK;
	if ((a->bind == STB_GLOBAL) != (b->bind == STB_GLOBAL))
		return a->bind == STB_GLOBAL;
	if (underscores(a->name) != underscores(b->name))
		return underscores(a->name) < underscores(b->name);
	na = strlen(a->name);
	nb = strlen(b->name);
	if (na != nb)
		return na > nb;
	return 1;
}

static Elf_Scn *section_by_name(Elf *elf, const char *want, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, sh))
			continue;
		n = elf_strptr(elf, shstrndx, sh->sh_name);
		if (n && !strcmp(n, want))
			return scn;
	}
	return NULL;
}

/*
 * perf 6.1's PLT symbols: "name@plt" for each .rela.plt (or .rel.plt)
 * relocation, one .plt entry each after the header entry, entries of
 * .plt's sh_entsize (the name of the relocation's dynamic symbol, demangled;
 * "" for IRELATIVE). Appended to D's table; returns 0 or -1.
 */
static int plt_symbols(struct pfold_dso *d, Elf *elf, size_t *alloc)
{
	GElf_Shdr plt, rel, dynsym;
	Elf_Scn *s_plt, *s_rel, *s_dyn;
	Elf_Data *rd, *dd;
	uint64_t addr, ent;
	size_t i, n;

	s_plt = section_by_name(elf, ".plt", &plt);
	s_rel = section_by_name(elf, ".rela.plt", &rel);
	if (!s_rel)
		s_rel = section_by_name(elf, ".rel.plt", &rel);
	s_dyn = section_by_name(elf, ".dynsym", &dynsym);
	if (!s_plt || !s_rel || !s_dyn || !plt.sh_entsize || !rel.sh_entsize ||
	    (rel.sh_type != SHT_RELA && rel.sh_type != SHT_REL))
		return 0;
	rd = elf_getdata(s_rel, NULL);
	dd = elf_getdata(s_dyn, NULL);
	if (!rd || !dd)
		return 0;
	ent = plt.sh_entsize;
	addr = plt.sh_addr + ent;
	n = rel.sh_size / rel.sh_entsize;
	for (i = 0; i < n && n <= (1u << 20); i++, addr += ent) {
		char buf[512], *dm, *name;
		const char *sn = NULL;
		struct elf_sym *e;
		GElf_Sym sym;
		size_t symidx;

		if (rel.sh_type == SHT_RELA) {
			GElf_Rela r;

			if (!gelf_getrela(rd, (int)i, &r))
				break;
			symidx = GELF_R_SYM(r.r_info);
		} else {
			GElf_Rel r;

			if (!gelf_getrel(rd, (int)i, &r))
				break;
			symidx = GELF_R_SYM(r.r_info);
		}
		if (gelf_getsym(dd, (int)symidx, &sym))
			sn = elf_strptr(elf, dynsym.sh_link, sym.st_name);
		if (!sn)
			sn = "";
		dm = pfold_demangle(sn, 0);
		snprintf(buf, sizeof(buf), "%s@plt", dm ? dm : sn);
		free(dm);
		name = strdup(buf);
		if (!name || PFOLD_GROW(d->names, d->alloc_names, d->nr_names + 1) ||
		    PFOLD_GROW(d->syms, *alloc, d->nsyms + 1)) {
			free(name);
			return -1;
		}
		d->names[d->nr_names++] = name;
		e = &d->syms[d->nsyms++];
		e->start = addr + d->bias;
		e->end = e->start + ent;
		e->name = name;
		e->bind = STB_GLOBAL;
	}
	return 0;
}

/*
 * The symbols of D as perf keeps them: functions and objects (and labels in
 * executable sections) with a name and a section; one per start address
 * (perf's choice among aliases); a zero size reaches to the next symbol.
 * Returns 0 or -1 (out of memory).
 */
static int dso_symtab(struct pfold_dso *d)
{
	int n = dwfl_module_getsymtab(d->mod), i;
	size_t alloc = 0, k, w;
	GElf_Addr bias;

	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		Elf *elf = NULL;
		const char *name = dwfl_module_getsym_info(d->mod, i, &sym, &addr, &shndx,
							   &elf, NULL);
		int type = GELF_ST_TYPE(sym.st_info);
		struct elf_sym *e;

		if (!name || !name[0] || shndx == SHN_UNDEF || shndx == SHN_ABS)
			continue;
		if (type == STT_NOTYPE) {
			Elf_Scn *scn;
			GElf_Shdr sh;
			int vis = GELF_ST_VISIBILITY(sym.st_other);

			if (shndx == SHN_ABS || vis == STV_HIDDEN || vis == STV_INTERNAL || !elf)
				continue;
			scn = elf_getscn(elf, shndx);
			if (!scn || !gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR))
				continue;
		} else if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT) {
			continue;
		}
		if (PFOLD_GROW(d->syms, alloc, d->nsyms + 1))
			return -1;
		e = &d->syms[d->nsyms++];
		e->start = addr;
		e->end = addr + sym.st_size;
		e->name = name;
		e->bind = GELF_ST_BIND(sym.st_info);
	}
	if (plt_symbols(d, dwfl_module_getelf(d->mod, &bias), &alloc))
		return -1;
	/* by start, ties in table order (the sort is stable) */
	if (pfold_sort_by_u64(d->syms, d->nsyms, sizeof(*d->syms), offsetof(struct elf_sym, start)))
		return -1;
	/* one symbol per start */
	for (k = 0, w = 0; k < d->nsyms; k++) {
		if (w && d->syms[w - 1].start == d->syms[k].start) {
			if (!better_sym(&d->syms[w - 1], &d->syms[k]))
				d->syms[w - 1] = d->syms[k];
			continue;
		}
		d->syms[w++] = d->syms[k];
	}
	d->nsyms = w;
	/* zero sizes reach the next symbol (the last: the end of its page + 4096) */
	for (k = 0; k < d->nsyms; k++) {
		if (d->syms[k].end != d->syms[k].start)
			continue;
		if (k + 1 < d->nsyms)
			d->syms[k].end = d->syms[k + 1].start;
		else
			d->syms[k].end = ((d->syms[k].start + 4095) & ~4095ULL) + 4096;
	}
	d->max_end = malloc((d->nsyms ? d->nsyms : 1) * sizeof(*d->max_end));
	if (!d->max_end)
		return -1;
	for (k = 0; k < d->nsyms; k++)
		d->max_end[k] = k && d->max_end[k - 1] > d->syms[k].end ?
			d->max_end[k - 1] : d->syms[k].end;
	return 0;
}

/* Report PATH as D's only module; fills the PT_LOAD table. Returns 0 or -1. */
static int dso_report(struct pfold_symbols *s, struct pfold_dso *d, const char *path)
{
	size_t phnum, i;
	Elf *elf;

	d->dwfl = dwfl_begin(&s->cb);
	if (!d->dwfl)
		return -1;
	dwfl_report_begin(d->dwfl);
	if (d->image)
		d->mod = dwfl_report_offline_memory(d->dwfl, d->name, d->name, d->image,
						    d->image_size);
	else
		d->mod = dwfl_report_elf(d->dwfl, d->name, path, -1, 0, false);
	dwfl_report_end(d->dwfl, NULL, NULL);
	if (!d->mod)
		goto err_end;
	elf = dwfl_module_getelf(d->mod, &d->bias);
	if (!elf || elf_getphdrnum(elf, &phnum))
		goto err_end;
	for (i = 0; i < phnum && d->nseg < MAX_LOADS; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		d->seg[d->nseg].offset = ph.p_offset;
		d->seg[d->nseg].vaddr = ph.p_vaddr;
		d->seg[d->nseg].filesz = ph.p_filesz;
		d->nseg++;
	}
	if (dso_symtab(d))
		goto err_end;
	return 0;

err_end:
	dwfl_end(d->dwfl);
	d->dwfl = NULL;
	d->mod = NULL;
	return -1;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* A copy of this process's vdso (the running kernel's) in D->image. Returns 0 or -1. */
static int copy_vdso(struct pfold_dso *d)
{
	const Elf64_Ehdr *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Phdr *ph;
	size_t size, i;

	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return -1;
	size = eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize;
	ph = (const void *)((const char *)eh + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > size)
			size = ph[i].p_offset + ph[i].p_filesz;
	if (!size || size > (64u << 20))
		return -1;
	d->image = malloc(size);
	if (!d->image)
		return -1;
	memcpy(d->image, eh, size);
	d->image_size = size;
	return 0;
}

static void dso_load_elf(struct pfold_symbols *s, struct pfold_dso *d)
{
	struct pfold_buf p = PFOLD_BUF_INIT;
	uint8_t id[MAX_BUILD_ID];
	char want[2 * MAX_BUILD_ID + 1], got[2 * MAX_BUILD_ID + 1];
	const char *home = s->opts.home ? s->opts.home : getenv("HOME");
	const char *symfs = s->opts.symfs ? s->opts.symfs : "";
	size_t len;
	int found_file = 0, mismatch = 0;

	if (!strcmp(d->name, "[vdso]")) {
		if (pfold_kallsyms_running_release(s->opts.osrelease) && !copy_vdso(d) &&
		    !dso_report(s, d, NULL))
			d->usable = 1;
		return;
	}
	if (d->build_id_len)
		hex(want, d->build_id, d->build_id_len);
	/* 1. the object itself (under --symfs, which a ".." must not leave) */
	if (!(s->opts.symfs && pfold_path_escapes(d->name)))
		pfold_buf_addf(&p, "%s%s", s->opts.symfs ? s->opts.symfs : "", d->name);
	if (p.data && !file_build_id(p.data, id, &len)) {
		found_file = 1;
		if (d->build_id_len && len &&
		    (len != d->build_id_len || memcmp(id, d->build_id, len))) {
			mismatch = 1;
			hex(got, id, len);
		} else if (!dso_report(s, d, p.data)) {
			goto done;
		}
	}
	/* 2. perf's build-id cache, then the distribution's debug files */
	if (d->build_id_len) {
		const char *cand[3];
		size_t k;

		for (k = 0; k < 3; k++) {
			pfold_buf_reset(&p);
			if (k < 2 && !home)
				continue;
			/* perf's build-id cache (~/.debug); with --symfs, the
			 * recording machine's cache is under it too */
			if (k == 0)
				pfold_buf_addf(&p, "%s%s/.debug/.build-id/%.2s/%s/elf", symfs, home,
					       want, want + 2);
			else if (k == 1)
				pfold_buf_addf(&p, "%s%s/.debug/.build-id/%.2s/%s", symfs, home,
					       want, want + 2);
			else
				pfold_buf_addf(&p, "%s/usr/lib/debug/.build-id/%.2s/%s.debug",
					       s->opts.symfs ? s->opts.symfs : "", want, want + 2);
			cand[k] = p.data;
			if (!cand[k] || !exists(cand[k]) || file_build_id(cand[k], id, &len))
				continue;
			if (len != d->build_id_len || memcmp(id, d->build_id, len))
				continue;
			if (!dso_report(s, d, cand[k]))
				goto done;
		}
	}
	if (mismatch)
		warnf(s, "%s: build-id %s does not match the recording's %s; its frames are [unknown]",
		      d->name, got, want);
	else if (!found_file)
		warnf(s, "%s%s: cannot open: %s; its frames are [unknown]",
		      s->opts.symfs ? s->opts.symfs : "", d->name, strerror(ENOENT));
	else
		warnf(s, "%s: cannot read its symbols; its frames are [unknown]", d->name);
	pfold_buf_release(&p);
	return;
done:
	d->usable = 1;
	pfold_buf_release(&p);
}

/*
 * Where pfold keeps its copy of the kallsyms of kernel build id ID:
 * $XDG_CACHE_HOME/pfold/kallsyms/ID, else HOME/.cache/pfold/kallsyms/ID
 * (perf's own copy, under ~/.debug, is taken first). Sets s->cache_path;
 * returns it, or NULL.
 */
static const char *cache_path_of(struct pfold_symbols *s, const char *home, const char *id)
{
	const char *xdg = s->opts.home ? NULL : getenv("XDG_CACHE_HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(s->cache_path, sizeof(s->cache_path), "%s/pfold/kallsyms/%s", xdg, id);
	else
		n = snprintf(s->cache_path, sizeof(s->cache_path), "%s/.cache/pfold/kallsyms/%s", home, id);
	if (n < 0 || (size_t)n >= sizeof(s->cache_path)) {
		s->cache_path[0] = '\0';
		return NULL;
	}
	return s->cache_path;
}

/* K was just read from /proc/kallsyms: keep a copy for the next run (best effort) */
static void save_for_next_time(const struct pfold_symbols *s, const struct pfold_kallsyms *k)
{
	if (s->cache_path[0])
		pfold_kallsyms_save(k, s->cache_path);
}

/*
 * The kallsyms file to read: --kallsyms, else perf's copy for the recorded
 * kernel's build id (~/.debug), else pfold's copy (setting s->cache_path on
 * the way), else SYMFS/proc/kallsyms, else /proc/kallsyms when the
 * recording's kernel is the running one. NULL (with the reason in WHY) when
 * there is none. BUF holds a built path.
 */
static const char *kallsyms_path(struct pfold_symbols *s, struct pfold_buf *buf,
				 char *why, size_t len)
{
	const char *rel = s->opts.osrelease, *home;
	struct pfold_dso *k;

	if (s->opts.kallsyms)
		return s->opts.kallsyms;
	if (!s->opts.symfs && (k = find_dso(s, "[kernel.kallsyms]")) && k->build_id_len &&
	    (home = s->opts.home ? s->opts.home : getenv("HOME"))) {
		/* perf's build-id cache keeps the recorded kernel's kallsyms */
		char id[2 * MAX_BUILD_ID + 1];

		hex(id, k->build_id, k->build_id_len);
		cache_path_of(s, home, id);
		if (pfold_buf_addf(buf, "%s/.debug/[kernel.kallsyms]/%s/kallsyms", home, id))
			return NULL;
		if (exists(buf->data))
			return buf->data;
		pfold_buf_reset(buf);
		/* else pfold's own copy, saved the first time /proc/kallsyms was read */
		if (s->cache_path[0] && exists(s->cache_path))
			return s->cache_path;
	}
	if (s->opts.symfs) {
		/* a symfs is the recording machine's root: its kallsyms, as perf reads it */
		if (pfold_buf_addf(buf, "%s/proc/kallsyms", s->opts.symfs)) {
			snprintf(why, len, "out of memory; kernel frames are [unknown]");
			return NULL;
		}
		return buf->data;
	}
	if (!rel || !rel[0]) {
		snprintf(why, len, "the recording does not name its kernel; kernel frames are [unknown] (use --kallsyms FILE)");
		return NULL;
	}
	if (!pfold_kallsyms_running_release(rel)) {
		snprintf(why, len, "the recording's kernel %s is not the running one; kernel frames are [unknown] (use --kallsyms FILE)",
			 rel);
		return NULL;
	}
	return "/proc/kallsyms";
}

static void *prefetch_main(void *arg)
{
	struct pfold_symbols *s = arg;

	s->pf_ret = pfold_kallsyms_open(&s->pf_kallsyms, s->pf_path);
	if (s->pf_ret < 0)
		snprintf(s->pf_err, sizeof(s->pf_err), "%s", pfold_errmsg(s->pf_ret));
	else if (!strcmp(s->pf_path, "/proc/kallsyms"))
		save_for_next_time(s, s->pf_kallsyms);
	return NULL;
}

int pfold_symbols_prefetch_kernel(struct pfold_symbols *s)
{
	struct pfold_buf buf = PFOLD_BUF_INIT;
	const char *path;
	char why[256];

	if (s->kallsyms_tried || s->pf_started)
		return 0;
	path = kallsyms_path(s, &buf, why, sizeof(why));
	if (!path || strlen(path) >= sizeof(s->pf_path)) {
		pfold_buf_release(&buf);
		return 0;
	}
	strcpy(s->pf_path, path);
	pfold_buf_release(&buf);
	if (pthread_create(&s->pf_thread, NULL, prefetch_main, s))
		return 0;	/* loaded at first use instead */
	s->pf_started = 1;
	return 1;
}

static void prefetch_join(struct pfold_symbols *s)
{
	if (!s->pf_started)
		return;
	pthread_join(s->pf_thread, NULL);
	s->pf_started = 0;
}

void pfold_symbols_set_kernel_ref(struct pfold_symbols *s, const char *name, uint64_t addr)
{
	/* 0: the recorder could not read kernel addresses (kptr_restrict) */
	if (!addr || strlen(name) >= sizeof(s->ref_name))
		return;
	strcpy(s->ref_name, name);
	s->ref_addr = addr;
}

/* another table for the recording's kernel from FROM, if its reference symbol is where the recording had it */
static struct pfold_kallsyms *matching_table(struct pfold_symbols *s, const char *from)
{
	struct pfold_kallsyms *k = NULL;

	if (pfold_kallsyms_open(&k, from) > 0 &&
	    pfold_kallsyms_address_of(k, s->ref_name) == s->ref_addr)
		return k;
	pfold_kallsyms_close(k);
	return NULL;
}

/*
 * The table read from PATH must put the reference symbol where the
 * recording had it. perf's build-id cache keeps the kallsyms of the boot
 * that first recorded with a kernel, and KASLR moves the kernel at each
 * boot: then pfold's copy, or the running kernel's own table, is taken when
 * it matches (the latter saved as pfold's copy), or else the table is moved
 * by the difference (as perf does), with a warning.
 */
static void check_kernel_ref(struct pfold_symbols *s, const char *path)
{
	struct pfold_kallsyms *k = NULL;
	uint64_t have;

	if (!s->kallsyms || !s->ref_name[0])
		return;
	have = pfold_kallsyms_address_of(s->kallsyms, s->ref_name);
	if (!have || have == s->ref_addr)
		return;
	if (!s->opts.kallsyms && !s->opts.symfs) {
		if (s->cache_path[0] && strcmp(path, s->cache_path) && exists(s->cache_path))
			k = matching_table(s, s->cache_path);
		if (!k && strcmp(path, "/proc/kallsyms") &&
		    pfold_kallsyms_running_release(s->opts.osrelease) &&
		    (k = matching_table(s, "/proc/kallsyms")))
			save_for_next_time(s, k);	/* over a copy from another boot */
		if (k) {
			pfold_kallsyms_close(s->kallsyms);
			s->kallsyms = k;
			return;
		}
	}
	warnf(s, "%s is from another boot (%s at %#llx, the recording's at %#llx): kernel symbols moved to match, module frames are [unknown]",
	      path, s->ref_name, (unsigned long long)have, (unsigned long long)s->ref_addr);
	pfold_kallsyms_relocate(s->kallsyms, s->ref_addr - have);
}

static void load_kallsyms(struct pfold_symbols *s)
{
	struct pfold_buf p = PFOLD_BUF_INIT;
	const char *path;
	char why[256];
	int ret;

	s->kallsyms_tried = 1;
	if (s->pf_started) {
		prefetch_join(s);
		if (s->pf_ret >= 0) {
			s->kallsyms = s->pf_kallsyms;
			check_kernel_ref(s, s->pf_path);
		} else {
			warnf(s, "%s; kernel frames are [unknown]", s->pf_err);
		}
		return;
	}
	path = kallsyms_path(s, &p, why, sizeof(why));
	if (!path) {
		warnf(s, "%s", why);
		pfold_buf_release(&p);
		return;
	}
	ret = pfold_kallsyms_open(&s->kallsyms, path);
	if (ret < 0)
		warnf(s, "%s; kernel frames are [unknown]", pfold_errmsg(ret));
	else if (!strcmp(path, "/proc/kallsyms"))
		save_for_next_time(s, s->kallsyms);
	if (ret >= 0)
		check_kernel_ref(s, path);
	pfold_buf_release(&p);
}

/* the PID of "/tmp/perf-PID.map", or 0 */
static uint32_t perfmap_pid(const char *name)
{
	unsigned long pid;
	char *end;

	if (strncmp(name, "/tmp/perf-", 10) || name[10] < '0' || name[10] > '9')
		return 0;
	errno = 0;
	pid = strtoul(name + 10, &end, 10);
	if (errno || strcmp(end, ".map") || !pid || pid > UINT32_MAX)
		return 0;
	return (uint32_t)pid;
}

/*
 * The jitdump of perf map D's process (Python 3.13 -X perf_jit, node
 * --perf-prof): the file its MMAP named, else /tmp/jit-PID.dump; another
 * user's file is refused unless --force, as perf maps are.
 */
static void load_jitdump(struct pfold_symbols *s, struct pfold_dso *d)
{
	char fallback[64];
	const char *path = d->jitdump_path;
	uint32_t pid = perfmap_pid(d->name);
	struct stat st;
	int ret;

	if (!path) {
		if (!pid)
			return;
		snprintf(fallback, sizeof(fallback), "/tmp/jit-%u.dump", pid);
		path = fallback;
	}
	if (stat(path, &st)) {
		if (d->jitdump_path)
			warnf(s, "%s: %s; its JIT frames are [unknown]", path, strerror(errno));
		return;
	}
	if (!s->opts.force && st.st_uid && st.st_uid != geteuid()) {
		warnf(s, "'%s' is not owned by the current user or root, ignoring it (use --force to override)",
		      path);
		return;
	}
	ret = pfold_jitdump_open(&d->jitdump, path);
	if (ret < 0) {
		d->jitdump = NULL;
		warnf(s, "%s", pfold_errmsg(ret));
	}
}

int pfold_symbols_set_jitdump(struct pfold_symbols *s, uint32_t pid, const char *path)
{
	char name[64];
	struct pfold_dso *d;
	char *copy;

	snprintf(name, sizeof(name), "/tmp/perf-%u.map", pid);
	d = pfold_symbols_dso(s, name, PFOLD_DSO_PERFMAP);
	if (!d || !(copy = strdup(path)))
		return -PFOLD_E_NOMEM;
	free(d->jitdump_path);
	d->jitdump_path = copy;
	if (d->loaded && !d->jitdump) {
		/* named after the first look-up: read it now */
		load_jitdump(s, d);
		if (d->jitdump)
			d->usable = 1;
	}
	return 0;
}

const char *pfold_symbols_jitdump_path(struct pfold_symbols *s, uint32_t pid)
{
	char name[64];
	struct pfold_dso *d;

	snprintf(name, sizeof(name), "/tmp/perf-%u.map", pid);
	d = find_dso(s, name);
	return d ? d->jitdump_path : NULL;
}

static void dso_load(struct pfold_symbols *s, struct pfold_dso *d)
{
	int ret;

	d->loaded = 1;
	switch (d->kind) {
	case PFOLD_DSO_ELF:
		dso_load_elf(s, d);
		break;
	case PFOLD_DSO_PERFMAP:
		load_jitdump(s, d);
		ret = pfold_perfmap_open(&d->perfmap, d->name, s->opts.force);
		if (ret >= 0 || d->jitdump)
			d->usable = 1;
		if (ret >= 0)
			break;
		if (ret != -PFOLD_E_NOT_FOUND)
			warnf(s, "%s", pfold_errmsg(ret));
		else if (!d->jitdump)
			warnf(s, "%s: no such perf map%s; its frames are [unknown]", d->name,
			      d->jitdump_path ? " (and no usable jitdump)" : " or jitdump");
		break;
	case PFOLD_DSO_KERNEL:
		if (!s->kallsyms_tried)
			load_kallsyms(s);
		d->usable = s->kallsyms != NULL;
		break;
	case PFOLD_DSO_NONE:
		break;
	}
}

static int elf_lookup(struct pfold_dso *d, uint64_t off, const char **name,
		      uint64_t *symoff)
{
	const struct load_seg *g = NULL;
	uint64_t vaddr;
	size_t i, lo, hi;

	for (i = 0; i < d->nseg; i++) {
		if (off >= d->seg[i].offset && off - d->seg[i].offset < d->seg[i].filesz) {
			g = &d->seg[i];
			break;
		}
		if (off >= d->seg[i].offset)
			g = &d->seg[i];
	}
	if (!g)
		return 0;
	vaddr = off - g->offset + g->vaddr + d->bias;
	/* the nearest symbol at or below vaddr that contains it */
	lo = 0;
	hi = d->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->syms[mid].start <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i-- > 0;) {
		if (d->max_end[i] <= vaddr)
			break;
		if (vaddr < d->syms[i].end) {
			*name = d->syms[i].name;
			*symoff = vaddr - d->syms[i].start;
			return 1;
		}
	}
	return 0;
}

static int cache_grow(struct pfold_symbols *s)
{
	size_t n = (s->cache_mask + 1) * 2, i;
	struct cache_slot *c = calloc(n, sizeof(*c));

	if (!c)
		return -PFOLD_E_NOMEM;
	for (i = 0; i <= s->cache_mask; i++) {
		struct cache_slot *o = &s->cache[i];
		size_t j;

		if (!o->dso)
			continue;
		for (j = hash_addr(o->dso, o->addr) & (n - 1); c[j].dso; j = (j + 1) & (n - 1))
			;
		c[j] = *o;
	}
	free(s->cache);
	s->cache = c;
	s->cache_mask = n - 1;
	return 0;
}

int pfold_symbols_lookup(struct pfold_symbols *s, struct pfold_dso *d,
			 uint64_t addr, struct pfold_sym *out)
{
	const char *name = NULL, *mod = NULL;
	uint64_t off = 0;
	struct cache_slot *c;
	size_t j;

	out->name = NULL;
	out->offset = 0;
	out->jit = d->kind == PFOLD_DSO_PERFMAP;
	out->module = NULL;
	for (j = hash_addr(d, addr) & s->cache_mask; s->cache[j].dso;
	     j = (j + 1) & s->cache_mask) {
		c = &s->cache[j];
		if (c->dso == d && c->addr == addr) {
			out->name = c->name;
			out->offset = c->offset;
			out->module = c->module;
			return c->name != NULL;
		}
	}
	if (!d->loaded)
		dso_load(s, d);
	if (d->usable) {
		switch (d->kind) {
		case PFOLD_DSO_ELF:
			if (!elf_lookup(d, addr, &name, &off))
				name = NULL;
			break;
		case PFOLD_DSO_PERFMAP:
			name = d->perfmap ? pfold_perfmap_lookup(d->perfmap, addr, &off) : NULL;
			if (!name && d->jitdump) {
				/* the newest code at ADDR: look-ups are cached per address */
				const struct pfold_jit_code *jc = pfold_jitdump_find(d->jitdump, addr, 0);

				if (jc && jc->name) {
					name = jc->name;
					off = addr - jc->addr;
				}
			}
			break;
		case PFOLD_DSO_KERNEL:
			name = pfold_kallsyms_lookup(s->kallsyms, addr, &off, &mod);
			break;
		case PFOLD_DSO_NONE:
			break;
		}
	}
	if (name && !s->opts.no_demangle && d->kind != PFOLD_DSO_PERFMAP) {
		char *dm = pfold_demangle(name, 0);	/* perf prints no parameters */

		if (dm) {
			if (PFOLD_GROW(s->owned, s->owned_alloc, s->owned_nr + 1)) {
				free(dm);
				return -PFOLD_E_NOMEM;
			}
			s->owned[s->owned_nr++] = dm;
			name = dm;
		}
	}
	if ((s->cache_nr + 1) * 2 > s->cache_mask + 1) {
		if (cache_grow(s))
			return -PFOLD_E_NOMEM;
	}
	for (j = hash_addr(d, addr) & s->cache_mask; s->cache[j].dso;
	     j = (j + 1) & s->cache_mask)
		;
	c = &s->cache[j];
	c->dso = d;
	c->addr = addr;
	c->name = name;
	c->offset = off;
	c->module = mod;
	s->cache_nr++;
	out->module = mod;
	out->name = name;
	out->offset = off;
	return name != NULL;
}

/* The name of an inlined subroutine: its linkage name demangled, else its name. */
static const char *inline_name(struct pfold_symbols *s, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name = NULL;
	char *dm;

	if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
	    dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr))
		name = dwarf_formstring(&attr);
	if (name && !s->opts.no_demangle && (dm = pfold_demangle(name, 0))) {
		if (PFOLD_GROW(s->owned, s->owned_alloc, s->owned_nr + 1)) {
			free(dm);
			return NULL;
		}
		s->owned[s->owned_nr++] = dm;
		return dm;
	}
	if (name)
		return name;
	if (dwarf_attr_integrate(die, DW_AT_name, &attr))
		name = dwarf_formstring(&attr);
	return name ? name : "[unknown]";
}

int pfold_symbols_inline(struct pfold_symbols *s, struct pfold_dso *d,
			 uint64_t addr, const char **names, size_t max)
{
	const struct load_seg *g = NULL;
	Dwarf_Die *cu, *scopes = NULL;
	Dwarf_Addr bias;
	uint64_t vaddr;
	size_t i, n = 0;
	int nscopes, k;

	if (d->kind != PFOLD_DSO_ELF || !max)
		return 0;
	if (!d->loaded)
		dso_load(s, d);
	if (!d->usable || !d->mod)
		return 0;
	for (i = 0; i < d->nseg; i++) {
		if (addr >= d->seg[i].offset && addr - d->seg[i].offset < d->seg[i].filesz) {
			g = &d->seg[i];
			break;
		}
	}
	if (!g)
		return 0;
	vaddr = addr - g->offset + g->vaddr + d->bias;
	cu = dwfl_module_addrdie(d->mod, vaddr, &bias);
	if (!cu)
		return 0;
	nscopes = dwarf_getscopes(cu, vaddr - bias, &scopes);
	/* scopes: innermost first; the inlined ones sit below the subprogram */
	for (k = 0; k < nscopes; k++) {
		int tag = dwarf_tag(&scopes[k]);

		if (tag == DW_TAG_subprogram)
			break;
		if (tag != DW_TAG_inlined_subroutine)
			continue;
		if (n < max) {
			const char *name = inline_name(s, &scopes[k]);

			if (!name) {
				free(scopes);
				return -PFOLD_E_NOMEM;
			}
			names[n++] = name;
		}
	}
	free(scopes);
	/* outermost first */
	for (i = 0; i < n / 2; i++) {
		const char *t = names[i];

		names[i] = names[n - 1 - i];
		names[n - 1 - i] = t;
	}
	return (int)n;
}
