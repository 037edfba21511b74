// SPDX-License-Identifier: MIT
/* test-symbols.c: the symbolizer on the hotcold workload (PIE and ET_EXEC), build-id checks, the kernel object. */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "kallsyms.h"
#include "symbols.h"
#include "tap.h"

static int nwarn;
static char lastwarn[1024];

static void warn_cb(void *arg, const char *msg)
{
	nwarn++;
	snprintf(lastwarn, sizeof(lastwarn), "%s", msg);
}

/*
 * The file offset of function NAME in PATH, worked out from the ELF symbol
 * table and program headers independently of the symbolizer. 0: not found.
 */
static uint64_t file_offset_of(const char *path, const char *name)
{
	uint64_t vaddr = 0, off = 0;
	Elf_Scn *scn = NULL;
	size_t phnum, i;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;

			if (gelf_getsym(d, i, &sym) && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
			    !strcmp(elf_strptr(elf, sh.sh_link, sym.st_name), name))
				vaddr = sym.st_value;
		}
	}
	elf_getphdrnum(elf, &phnum);
	for (i = 0; vaddr && i < phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD &&
		    vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz)
			off = vaddr - ph.p_vaddr + ph.p_offset;
	}
	elf_end(elf);
	close(fd);
	return off;
}

static void check_binary(struct pfold_symbols *s, const char *path, const char *what)
{
	static const char *const funcs[] = { "main", "hot", "cold", "leaf" };
	struct pfold_dso *d = pfold_symbols_dso(s, path, PFOLD_DSO_ELF);
	struct pfold_sym sym;
	size_t i;

	for (i = 0; i < 4; i++) {
		uint64_t off = file_offset_of(path, funcs[i]);
		int ret;

		ok(off != 0, "%s: %s has a file offset", what, funcs[i]);
		ret = pfold_symbols_lookup(s, d, off + 3, &sym);
		is_int(ret, 1, "found");
		is_str(sym.name, funcs[i], "symbol name");
		is_int(sym.offset, 3, "offset from the symbol start");
	}
}

int main(void)
{
	const char *top = getenv("abs_top_builddir");
	struct pfold_symbols_options so = { 0 };
	struct pfold_symbols *s;
	struct pfold_dso *d;
	struct pfold_sym sym, sym2;
	uint8_t zero[20] = { 0 };
	char pie[4096], nopie[4096];
	uint64_t off;
	int ret;

	if (!top)
		top = ".";
	snprintf(pie, sizeof(pie), "%s/tests/workloads/hotcold", top);
	snprintf(nopie, sizeof(nopie), "%s/tests/workloads/hotcold-nopie", top);
	so.warn = warn_cb;
	ret = pfold_symbols_open(&s, &so);
	is_int(ret, 0, "open");

	check_binary(s, pie, "PIE");
	check_binary(s, nopie, "ET_EXEC");
	is_int(nwarn, 0, "no warnings for readable objects");

	/* one cache: the same (object, address) gives the same string */
	d = pfold_symbols_dso(s, pie, PFOLD_DSO_ELF);
	ok(d == pfold_symbols_dso(s, pie, PFOLD_DSO_ELF), "objects are interned");
	off = file_offset_of(pie, "hot");
	pfold_symbols_lookup(s, d, off, &sym);
	pfold_symbols_lookup(s, d, off, &sym2);
	ok(sym.name == sym2.name, "cached look-up returns the same name");

	/* a missing object: [unknown] and one warning, however many look-ups */
	d = pfold_symbols_dso(s, "/nonexistent/libgone.so", PFOLD_DSO_ELF);
	is_int(pfold_symbols_lookup(s, d, 0x1000, &sym), 0, "missing object: not found");
	ok(sym.name == NULL, "no name");
	pfold_symbols_lookup(s, d, 0x2000, &sym);
	is_int(nwarn, 1, "one warning for the missing object");
	ok(strstr(lastwarn, "libgone.so") != NULL, "the warning names it");
	pfold_symbols_close(s);

	/* a build-id that does not match: never a wrong name */
	nwarn = 0;
	pfold_symbols_open(&s, &so);
	is_int(pfold_symbols_set_build_id(s, pie, zero, 20), 0, "set a recorded build-id");
	d = pfold_symbols_dso(s, pie, PFOLD_DSO_ELF);
	is_int(pfold_symbols_lookup(s, d, file_offset_of(pie, "hot"), &sym), 0,
	       "mismatched build-id: not found");
	pfold_symbols_lookup(s, d, file_offset_of(pie, "cold"), &sym);
	is_int(nwarn, 1, "one warning for the mismatch");
	ok(strstr(lastwarn, "build-id") != NULL, "the warning says build-id");
	pfold_symbols_close(s);

	/* the kernel object without a matching release: [unknown] + one warning */
	nwarn = 0;
	so.osrelease = "0.0.0-not-this-kernel";
	pfold_symbols_open(&s, &so);
	d = pfold_symbols_dso(s, "[kernel.kallsyms]", PFOLD_DSO_KERNEL);
	is_int(pfold_symbols_lookup(s, d, 0xffffffff81000010, &sym), 0, "other kernel: unknown");
	pfold_symbols_lookup(s, d, 0xffffffff81000020, &sym);
	is_int(nwarn, 1, "one warning for the kernel");
	pfold_symbols_close(s);
	return done_testing();
}
