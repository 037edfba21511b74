// SPDX-License-Identifier: MIT
/* test-symbols.c: the symbolizer on the hotcold workload (PIE and ET_EXEC), build-id checks, kallsyms. */
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
	struct pfold_kallsyms *k;
	const char *mod = NULL;
	uint8_t zero[20] = { 0 };
	char pie[4096], nopie[4096], ks[64];
	uint64_t off;
	FILE *f;
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

	/* kallsyms: T/W/D/B kept, others dropped, modules, aliases, zero addresses */
	snprintf(ks, sizeof(ks), "kallsyms-test-%d", (int)getpid());
	f = fopen(ks, "w");
	fputs("ffffffff81000000 T _text\n"
	      "ffffffff81001000 t helper\n"
	      "ffffffff81001000 T helper_alias\n"
	      "ffffffff81002000 r some_rodata\n"
	      "ffffffff81003000 W weak_fn\n"
	      "ffffffffc0000000 t modfn\t[mymod]\n"
	      "garbage line\n", f);
	fclose(f);
	ret = pfold_kallsyms_open(&k, ks);
	is_int(ret, 5, "five symbols kept");
	is_str(pfold_kallsyms_lookup(k, 0xffffffff81001010, &off, &mod), "helper_alias", "the last alias in file order wins (as perf)");
	is_int(off, 0x10, "kernel offset");
	ok(mod == NULL, "kernel image has no module");
	is_str(pfold_kallsyms_lookup(k, 0xffffffff81002010, NULL, NULL), "helper_alias",
	       "rodata symbols are not kept (perf keeps T W D B)");
	is_str(pfold_kallsyms_lookup(k, 0xffffffffc0000004, NULL, &mod), "modfn", "module symbol");
	is_str(mod, "mymod", "module name");
	ok(pfold_kallsyms_lookup(k, 0x1000, NULL, NULL) == NULL, "below the first symbol");
	pfold_kallsyms_close(k);
	f = fopen(ks, "w");
	fputs("0000000000000000 T _text\n0000000000000000 T other\n", f);
	fclose(f);
	k = NULL;
	is_int(pfold_kallsyms_open(&k, ks), -PFOLD_E_PERM, "hidden addresses: refused");
	unlink(ks);

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
