// SPDX-License-Identifier: MIT
/* jitdump.c: reading /tmp/jit-PID.dump (perf's jitdump format): JIT code names, ranges, line tables and CFI. */
#include <elf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "jitdump.h"

/*
 * The format is perf's tools/perf/util/jitdump.h (read there, not copied):
 * a 40-byte header (magic "JiTD" as a u32 in the writer's byte order,
 * version, total_size, elf_mach, pad, pid, timestamp, flags), then records
 * of {u32 id, u32 total_size, u64 timestamp} + body. Bodies used here:
 *   0 CODE_LOAD   u32 pid, tid; u64 vma, code_addr, code_size, code_index;
 *                 NUL-terminated name; code bytes
 *   1 CODE_MOVE   u32 pid, tid; u64 vma, old_code_addr, new_code_addr,
 *                 code_size, code_index
 *   2 DEBUG_INFO  u64 code_addr, nr_entry; entries {u64 addr; i32 line;
 *                 i32 discrim; NUL-terminated file ("\xff" = as before)}
 *   4 UNWINDING_INFO u64 unwinding_size, eh_frame_hdr_size, mapped_size;
 *                 .eh_frame then .eh_frame_hdr (unwinding_size bytes)
 * DEBUG_INFO and UNWINDING_INFO apply to the CODE_LOAD that follows them.
 * The .eh_frame is laid out as if placed right after the code, at
 * code_addr + ALIGN_8(code_size) (perf genelf.c, CPython
 * perf_jit_trampoline.c), so its pc-relative FDE addresses resolve there.
 */
#define JIT_MAGIC 0x4A695444u
#define JIT_MAGIC_SW 0x4454694Au
#define JIT_HEADER_SIZE 40
#define JIT_PREFIX 16

enum { JIT_CODE_LOAD, JIT_CODE_MOVE, JIT_CODE_DEBUG_INFO, JIT_CODE_CLOSE,
       JIT_CODE_UNWINDING_INFO };

struct jit_cfi {
	int state;		/* 0 not tried, 1 built, -1 none */
	char *image;
	Elf *elf;
	Dwarf_CFI *cfi;
};

struct pfold_jitdump {
	unsigned char *data;
	size_t len;
	int swap;
	uint32_t pid, elf_mach;
	struct pfold_jit_code *codes;
	size_t nr, alloc;
	size_t *line_start;	/* per code while parsing: index into lines */
	size_t line_start_alloc;
	struct pfold_jit_line *lines;
	size_t nr_lines, lines_alloc;
	struct jit_cfi *cfi;	/* per code, after sorting */
	size_t skipped;
	int truncated;
};

static uint32_t rd32(const struct pfold_jitdump *jd, size_t off)
{
	uint32_t v;

	memcpy(&v, jd->data + off, 4);
	return jd->swap ? __builtin_bswap32(v) : v;
}

static uint64_t rd64(const struct pfold_jitdump *jd, size_t off)
{
	uint64_t v;

	memcpy(&v, jd->data + off, 8);
	return jd->swap ? __builtin_bswap64(v) : v;
}

/* str_in - the NUL-terminated string at OFF if it ends before END, else NULL. */
static const char *str_in(const struct pfold_jitdump *jd, size_t off, size_t end)
{
	const unsigned char *nul;

	if (off >= end)
		return NULL;
	nul = memchr(jd->data + off, 0, end - off);
	return nul ? (const char *)jd->data + off : NULL;
}

static struct pfold_jit_code *code_add(struct pfold_jitdump *jd)
{
	if (PFOLD_GROW(jd->codes, jd->alloc, jd->nr + 1) ||
	    PFOLD_GROW(jd->line_start, jd->line_start_alloc, jd->nr + 1))
		return NULL;
	memset(&jd->codes[jd->nr], 0, sizeof(jd->codes[0]));
	jd->line_start[jd->nr] = 0;
	return &jd->codes[jd->nr++];
}

struct pending {
	size_t line_start, nr_lines;	/* debug info for the next load */
	int have_lines;
	const unsigned char *eh_frame;	/* unwinding info for the next load */
	uint64_t eh_size, hdr_size;
};

static int parse_debug_info(struct pfold_jitdump *jd, size_t off, size_t end,
			    struct pending *p)
{
	uint64_t nr, i;
	const char *prev = "";
	size_t pos = off + JIT_PREFIX + 16;

	if (end - off < JIT_PREFIX + 16)
		return 0;
	nr = rd64(jd, off + JIT_PREFIX + 8);
	p->line_start = jd->nr_lines;
	p->nr_lines = 0;
	p->have_lines = 1;
	for (i = 0; i < nr && end - pos >= 17; i++) {
		struct pfold_jit_line *l;
		const char *raw = str_in(jd, pos + 16, end), *file = raw;

		if (!raw)
			break;
		if (PFOLD_GROW(jd->lines, jd->lines_alloc, jd->nr_lines + 1))
			return -PFOLD_E_NOMEM;
		l = &jd->lines[jd->nr_lines++];
		l->addr = rd64(jd, pos);
		l->line = (int32_t)rd32(jd, pos + 8);
		l->discrim = (int32_t)rd32(jd, pos + 12);
		if ((unsigned char)file[0] == 0xff && file[1] == 0)
			file = prev;
		l->file = prev = file;
		p->nr_lines++;
		pos += 16 + strlen(raw) + 1;
	}
	return 0;
}

static int parse_records(struct pfold_jitdump *jd, size_t off)
{
	struct pending p;

	memset(&p, 0, sizeof(p));
	while (jd->len - off >= JIT_PREFIX) {
		uint32_t id = rd32(jd, off), size = rd32(jd, off + 4);
		uint64_t ts = rd64(jd, off + 8);
		size_t end = off + size, b = off + JIT_PREFIX;
		struct pfold_jit_code *c;
		int rc;

		if (size < JIT_PREFIX || size > PFOLD_JITDUMP_MAX_RECORD || size > jd->len - off) {
			jd->truncated = 1;	/* a JIT still writing, a cut copy, or garbage */
			break;
		}
		switch (id) {
		case JIT_CODE_LOAD: {
			const char *name;
			uint64_t addr, csize;

			if (size < JIT_PREFIX + 40 || !(name = str_in(jd, b + 40, end))) {
				jd->skipped++;
				break;
			}
			addr = rd64(jd, b + 16);
			csize = rd64(jd, b + 24);
			if (csize == 0 || addr + csize < addr) {
				jd->skipped++;
				break;
			}
			if (!(c = code_add(jd)))
				return -PFOLD_E_NOMEM;
			c->pid = rd32(jd, b);
			c->tid = rd32(jd, b + 4);
			c->addr = addr;
			c->size = csize;
			c->index = rd64(jd, b + 32);
			c->timestamp = ts;
			c->name = name;
			if (p.have_lines) {
				jd->line_start[jd->nr - 1] = p.line_start;
				c->nr_lines = p.nr_lines;
			}
			c->eh_frame = p.eh_frame;
			c->eh_frame_size = p.eh_size;
			c->eh_frame_hdr_size = p.hdr_size;
			memset(&p, 0, sizeof(p));
			break;
		}
		case JIT_CODE_MOVE: {
			uint64_t index, naddr, csize;
			size_t i;

			if (size < JIT_PREFIX + 48) {
				jd->skipped++;
				break;
			}
			naddr = rd64(jd, b + 24);
			csize = rd64(jd, b + 32);
			index = rd64(jd, b + 40);
			for (i = jd->nr; i-- > 0;)
				if (jd->codes[i].index == index)
					break;
			if (i == (size_t)-1 || csize == 0 || naddr + csize < naddr) {
				jd->skipped++;
				break;
			}
			if (!(c = code_add(jd)))
				return -PFOLD_E_NOMEM;
			*c = jd->codes[i];
			c->addr = naddr;
			c->size = csize;
			c->timestamp = ts;
			c->pid = rd32(jd, b);
			c->tid = rd32(jd, b + 4);
			c->nr_lines = 0;	/* line addresses were for the old place */
			break;
		}
		case JIT_CODE_DEBUG_INFO:
			if ((rc = parse_debug_info(jd, off, end, &p)))
				return rc;
			break;
		case JIT_CODE_UNWINDING_INFO: {
			uint64_t usize, hsize;

			if (size < JIT_PREFIX + 24) {
				jd->skipped++;
				break;
			}
			usize = rd64(jd, b);
			hsize = rd64(jd, b + 8);
			if (usize > size - JIT_PREFIX - 24 || hsize > usize) {
				jd->skipped++;
				break;
			}
			p.eh_frame = jd->data + b + 24;
			p.eh_size = usize - hsize;
			p.hdr_size = hsize;
			break;
		}
		case JIT_CODE_CLOSE:
			break;
		default:
			jd->skipped++;
			break;
		}
		off = end;
	}
	if (off < jd->len && jd->len - off < JIT_PREFIX)
		jd->truncated = 1;	/* a record cut inside its prefix */
	return 0;
}

static int code_cmp(const void *a, const void *b)
{
	const struct pfold_jit_code *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->timestamp != y->timestamp)
		return x->timestamp < y->timestamp ? -1 : 1;
	return x < y ? -1 : x > y;	/* file order among equals (qsort is not stable) */
}

int pfold_jitdump_parse(struct pfold_jitdump **out, const void *data, size_t len,
			const char *name)
{
	struct pfold_jitdump *jd;
	uint32_t magic, hsize;
	size_t i;
	int rc;

	if (!name)
		name = "jitdump";
	if (len < JIT_HEADER_SIZE)
		return pfold_error(PFOLD_E_BAD_MAGIC, "%s: not a jitdump (%zu bytes)", name, len);
	memcpy(&magic, data, 4);
	if (magic != JIT_MAGIC && magic != JIT_MAGIC_SW)
		return pfold_error(PFOLD_E_BAD_MAGIC, "%s: not a jitdump (bad magic at offset 0)", name);
	jd = calloc(1, sizeof(*jd));
	if (!jd)
		return pfold_error(PFOLD_E_NOMEM, "%s: out of memory", name);
	jd->data = malloc(len + 1);
	if (!jd->data) {
		rc = pfold_error(PFOLD_E_NOMEM, "%s: out of memory", name);
		goto err_free;
	}
	memcpy(jd->data, data, len);
	jd->data[len] = 0;
	jd->len = len;
	jd->swap = magic == JIT_MAGIC_SW;
	hsize = rd32(jd, 8);
	jd->elf_mach = rd32(jd, 12);
	jd->pid = rd32(jd, 20);
	if (hsize < JIT_HEADER_SIZE || hsize > len) {
		rc = pfold_error(PFOLD_E_BAD_HEADER, "%s: bad header size %u at offset 8", name, hsize);
		goto err_free;
	}
	rc = parse_records(jd, hsize);
	if (rc) {
		pfold_error(PFOLD_E_NOMEM, "%s: out of memory", name);
		goto err_free;
	}
	for (i = 0; i < jd->nr; i++)
		jd->codes[i].lines = jd->codes[i].nr_lines ? jd->lines + jd->line_start[i] : NULL;
	free(jd->line_start);
	jd->line_start = NULL;
	if (jd->nr)
		qsort(jd->codes, jd->nr, sizeof(*jd->codes), code_cmp);
	jd->cfi = calloc(jd->nr ? jd->nr : 1, sizeof(*jd->cfi));
	if (!jd->cfi) {
		rc = pfold_error(PFOLD_E_NOMEM, "%s: out of memory", name);
		goto err_free;
	}
	*out = jd;
	return (int)(jd->nr > INT32_MAX ? INT32_MAX : jd->nr);

err_free:
	pfold_jitdump_close(jd);
	return rc;
}

int pfold_jitdump_open(struct pfold_jitdump **out, const char *path)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pfold_error(errno == ENOENT ? PFOLD_E_NOT_FOUND : PFOLD_E_IO,
				   "cannot open '%s': %s", path, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = pfold_error(PFOLD_E_IO, "%s: read error at offset %zu: %s",
					 path, b.len, strerror(errno));
			goto out_close;
		}
		if (pfold_buf_add(&b, chunk, (size_t)n)) {
			rc = pfold_error(PFOLD_E_NOMEM, "%s: out of memory", path);
			goto out_close;
		}
	}
	rc = pfold_jitdump_parse(out, b.data ? b.data : "", b.len, path);
out_close:
	close(fd);
	pfold_buf_release(&b);
	return rc;
}

void pfold_jitdump_close(struct pfold_jitdump *jd)
{
	size_t i;

	if (!jd)
		return;
	if (jd->cfi) {
		for (i = 0; i < jd->nr; i++) {
			if (jd->cfi[i].cfi)
				dwarf_cfi_end(jd->cfi[i].cfi);
			if (jd->cfi[i].elf)
				elf_end(jd->cfi[i].elf);
			free(jd->cfi[i].image);
		}
	}
	free(jd->cfi);
	free(jd->line_start);
	free(jd->lines);
	free(jd->codes);
	free(jd->data);
	free(jd);
}

uint32_t pfold_jitdump_pid(const struct pfold_jitdump *jd)
{
	return jd->pid;
}

uint32_t pfold_jitdump_elf_machine(const struct pfold_jitdump *jd)
{
	return jd->elf_mach;
}

size_t pfold_jitdump_count(const struct pfold_jitdump *jd, size_t *skipped, int *truncated)
{
	if (skipped)
		*skipped = jd->skipped;
	if (truncated)
		*truncated = jd->truncated;
	return jd->nr;
}

const struct pfold_jit_code *pfold_jitdump_code(const struct pfold_jitdump *jd, size_t i)
{
	return i < jd->nr ? &jd->codes[i] : NULL;
}

const struct pfold_jit_code *pfold_jitdump_find(const struct pfold_jitdump *jd,
						uint64_t addr, uint64_t time)
{
	size_t lo = 0, hi = jd->nr, scanned = 0;

	/* hi = the first entry starting above addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (jd->codes[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* scan back: highest start first, newest first among equal starts */
	while (hi-- > 0 && scanned++ < 256) {
		const struct pfold_jit_code *c = &jd->codes[hi];

		if (addr - c->addr < c->size && (!time || c->timestamp <= time))
			return c;
	}
	return NULL;
}

/*
 * cfi_build - wrap CODE's .eh_frame in a minimal in-memory ELF image (ELF
 * header, .eh_frame at BASE, .shstrtab) so libdw can read it as CFI.
 */
static int cfi_build(struct jit_cfi *jc, const struct pfold_jit_code *code,
		     uint32_t machine, uint64_t base)
{
	static const char shstr[] = "\0.eh_frame\0.shstrtab";
	size_t eh_off = sizeof(Elf64_Ehdr), str_off, sh_off, total;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;

	str_off = eh_off + code->eh_frame_size;
	sh_off = (str_off + sizeof(shstr) + 7) & ~(size_t)7;
	total = sh_off + 3 * sizeof(Elf64_Shdr);
	jc->image = calloc(1, total);
	if (!jc->image)
		return -1;
	eh = (Elf64_Ehdr *)jc->image;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = (Elf64_Half)machine;
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_shoff = sh_off;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 3;
	eh->e_shstrndx = 2;
	memcpy(jc->image + eh_off, code->eh_frame, code->eh_frame_size);
	memcpy(jc->image + str_off, shstr, sizeof(shstr));
	sh = (Elf64_Shdr *)(jc->image + sh_off);
	sh[1].sh_name = 1;
	sh[1].sh_type = SHT_PROGBITS;
	sh[1].sh_flags = SHF_ALLOC;
	sh[1].sh_addr = base;
	sh[1].sh_offset = eh_off;
	sh[1].sh_size = code->eh_frame_size;
	sh[1].sh_addralign = 1;
	sh[2].sh_name = 11;
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = str_off;
	sh[2].sh_size = sizeof(shstr);
	sh[2].sh_addralign = 1;
	elf_version(EV_CURRENT);
	jc->elf = elf_memory(jc->image, total);
	if (!jc->elf)
		return -1;
	jc->cfi = dwarf_getcfi_elf(jc->elf);
	return jc->cfi ? 0 : -1;
}

static void cfi_drop(struct jit_cfi *jc)
{
	if (jc->cfi)
		dwarf_cfi_end(jc->cfi);
	if (jc->elf)
		elf_end(jc->elf);
	free(jc->image);
	jc->cfi = NULL;
	jc->elf = NULL;
	jc->image = NULL;
}

Dwarf_CFI *pfold_jitdump_cfi(struct pfold_jitdump *jd, const struct pfold_jit_code *code)
{
	struct jit_cfi *jc;
	uint64_t bases[2];
	size_t i;

	if (code < jd->codes || code >= jd->codes + jd->nr)
		return NULL;
	jc = &jd->cfi[code - jd->codes];
	if (jc->state)
		return jc->state > 0 ? jc->cfi : NULL;
	jc->state = -1;
	/* foreign byte order: the .eh_frame would need an ELF in that order */
	if (!code->eh_frame || !code->eh_frame_size || jd->swap)
		return NULL;
	bases[0] = code->addr + ((code->size + 7) & ~7ull);
	bases[1] = code->addr + code->size;
	for (i = 0; i < 2; i++) {
		Dwarf_Frame *frame;

		if (i == 1 && bases[1] == bases[0])
			break;
		if (!cfi_build(jc, code, jd->elf_mach ? jd->elf_mach : EM_X86_64, bases[i]) &&
		    !dwarf_cfi_addrframe(jc->cfi, code->addr, &frame)) {
			free(frame);
			jc->state = 1;
			return jc->cfi;
		}
		cfi_drop(jc);
	}
	return NULL;
}
