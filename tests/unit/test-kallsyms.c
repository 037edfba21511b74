// SPDX-License-Identifier: MIT
/* test-kallsyms.c: the kallsyms table against a line-by-line reference, on written and generated files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "kallsyms.h"
#include "tap.h"

/* a symbol as the reference reads it: sscanf on each line, no cleverness */
struct ref {
	uint64_t addr;
	char name[128];
	char mod[32];
	int line;
};

static char path[64];

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* Perf's rules, spelled out: T W D B kept (either case), sorted by (address, line). */
static int cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->line - y->line;
}

static size_t read_ref(const char *file, struct ref **out)
{
	FILE *f = fopen(file, "r");
	struct ref *v = NULL;
	size_t nr = 0, alloc = 0;
	char line[512];
	int no = 0;

	while (fgets(line, sizeof(line), f)) {
		struct ref r = { .line = no++ };
		char type, *tab;

		if (sscanf(line, "%" SCNx64 " %c %127s", &r.addr, &type, r.name) != 3)
			continue;
		type &= ~0x20;
		if (type != 'T' && type != 'W' && type != 'D' && type != 'B')
			continue;
		tab = strchr(line, '\t');
		if (tab && tab[1] == '[')
			sscanf(tab + 2, "%31[^]\n]", r.mod);
		if (nr == alloc)
			v = realloc(v, (alloc = alloc * 2 + 64) * sizeof(*v));
		v[nr++] = r;
	}
	fclose(f);
	qsort(v, nr, sizeof(*v), cmp_ref);
	*out = v;
	return nr;
}

/* every symbol's address: the table agrees with the reference */
static void check_against_reference(const char *what)
{
	struct pfold_kallsyms *k = NULL;
	struct ref *v;
	size_t nr = read_ref(path, &v), i, bad = 0;
	int ret = pfold_kallsyms_open(&k, path);

	is_int(ret, (long long)nr, "%s: as many symbols as the reference keeps");
	for (i = 0; k && i < nr; i++) {
		/* among aliases, the last at an address is the one found */
		const struct ref *want = &v[i];
		uint64_t addr = v[i].addr, off = 99;
		const char *mod = "x", *name;

		while (want + 1 < v + nr && want[1].addr == addr)
			want++;
		name = pfold_kallsyms_lookup(k, addr, &off, &mod);
		if (!name || strcmp(name, want->name) || off != 0 ||
		    strcmp(mod ? mod : "", want->mod)) {
			if (bad++ < 5)
				printf("# %s: at %#" PRIx64 " got %s [%s] +%" PRIu64 ", want %s [%s]\n", what,
				       addr, name ? name : "(null)", mod ? mod : "", off, want->name,
				       want->mod);
		}
	}
	ok(!bad, "%s: every lookup as the reference (%zu wrong)", what, bad);
	pfold_kallsyms_close(k);
	free(v);
}

int main(void)
{
	struct pfold_kallsyms *k;
	const char *name, *again, *mod;
	uint64_t off;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "kallsyms-test-%d", (int)getpid());

	/* the layouts: 64-bit, 32-bit, upper-case digits, bad digits, odd names */
	write_file("ffffffff81000000 T _text\n"
		   "ffffffff81001000 t helper\n"
		   "ffffffff81001000 T helper_alias\n"
		   "ffffffff81002000 r some_rodata\n"
		   "FFFFFFFF81003000 W upper_digits\n"
		   "ffffffff8100400g T bad_digit\n"
		   "ffffffff8100500 T fifteen_digits\n"
		   "ffffffff81006000 T\n"
		   "ffffffff81007000 T \t[nameless]\n"
		   "ffffffffc0000000 t modfn\t[mymod]\n"
		   "ffffffffc0000100 t openmod\t[unclosed\n"
		   "garbage line\n");
	is_int(pfold_kallsyms_open(&k, path), 7, "seven symbols kept");
	is_str(pfold_kallsyms_lookup(k, 0xffffffff81001010, &off, &mod), "helper_alias",
	       "the last alias in file order wins (as perf)");
	is_int(off, 0x10, "offset from the symbol");
	ok(mod == NULL, "the kernel image has no module");
	is_str(pfold_kallsyms_lookup(k, 0xffffffff81002010, NULL, NULL), "helper_alias",
	       "rodata symbols are not kept (perf keeps T W D B)");
	is_str(pfold_kallsyms_lookup(k, 0xffffffff81004010, NULL, NULL), "upper_digits",
	       "upper-case digits read; a bad digit drops the line");
	is_str(pfold_kallsyms_lookup(k, 0xffffffff81007010, NULL, NULL), "upper_digits",
	       "a line without a name is dropped");
	is_str(pfold_kallsyms_lookup(k, 0xffffffff8100500, NULL, NULL), "fifteen_digits",
	       "fewer than 16 digits read");
	is_str(pfold_kallsyms_lookup(k, 0xffffffffc0000004, NULL, &mod), "modfn", "module symbol");
	is_str(mod, "mymod", "module name");
	is_str(pfold_kallsyms_lookup(k, 0xffffffffc0000104, NULL, &mod), "openmod", "unclosed module");
	is_str(mod, "unclosed", "an unclosed module name runs to the end of the line");
	ok(pfold_kallsyms_lookup(k, 0x1000, NULL, NULL) == NULL, "below the first symbol");
	name = pfold_kallsyms_lookup(k, 0xffffffff81000001, NULL, NULL);
	pfold_kallsyms_lookup(k, 0xffffffff81003001, NULL, NULL);
	again = pfold_kallsyms_lookup(k, 0xffffffff81000002, NULL, NULL);
	ok(name == again && !strcmp(name, "_text"), "a name stays where it was given out");
	pfold_kallsyms_close(k);

	/* another boot: the reference symbol found, the table moved, modules dropped */
	write_file("ffffffff81000000 T _text\n"
		   "ffffffff81000100 T do_work\n"
		   "ffffffffc0000000 t modfn\t[mymod]\n"
		   "ffffffffc0000100 T _text\t[oddmod]\n");
	is_int(pfold_kallsyms_open(&k, path), 4, "a table with a reference symbol");
	ok(pfold_kallsyms_address_of(k, "_text") == 0xffffffff81000000ull,
	   "_text found in the kernel image, not in a module");
	ok(pfold_kallsyms_address_of(k, "no_such") == 0, "an absent name: 0");
	pfold_kallsyms_relocate(k, 0x2a00000);
	is_str(pfold_kallsyms_lookup(k, 0xffffffff83a00104, &off, &mod), "do_work",
	       "moved: an address of the recording's kernel finds its symbol");
	is_int(off, 4, "at the same offset");
	ok(pfold_kallsyms_lookup(k, 0xffffffffc2a00004, NULL, NULL) == NULL,
	   "moved: module symbols are not found");
	pfold_kallsyms_close(k);

	/* a saved copy is the text as read; not once a name was cut out of it */
	{
		static const char text[] = "ffffffff81000000 T _text\nffffffffc0000000 t modfn\t[mymod]\n";
		char saved[128], copy[96];
		FILE *in;
		size_t n;

		snprintf(copy, sizeof(copy), "%s.dir/sub/copy", path);
		write_file(text);
		is_int(pfold_kallsyms_open(&k, path), 2, "a table to save");
		is_int(pfold_kallsyms_save(k, copy), 0, "saved, its directories made");
		in = fopen(copy, "r");
		n = in ? fread(saved, 1, sizeof(saved), in) : 0;
		if (in)
			fclose(in);
		ok(n == sizeof(text) - 1 && !memcmp(saved, text, n), "the copy is the text byte for byte");
		pfold_kallsyms_lookup(k, 0xffffffffc0000001, NULL, &mod);
		is_int(pfold_kallsyms_save(k, copy), -1, "after a look-up (names cut out): refused");
		pfold_kallsyms_close(k);
		unlink(copy);
		snprintf(copy, sizeof(copy), "%s.dir/sub", path);
		rmdir(copy);
		snprintf(copy, sizeof(copy), "%s.dir", path);
		rmdir(copy);
	}

	/* 32-bit kallsyms and a last line without its newline */
	write_file("c1000000 T start32\nc1000100 T next32\nc1000200 T last_without_newline");
	is_int(pfold_kallsyms_open(&k, path), 3, "32-bit lines");
	is_str(pfold_kallsyms_lookup(k, 0xc1000104, &off, NULL), "next32", "32-bit lookup");
	is_str(pfold_kallsyms_lookup(k, 0xc1000204, &off, NULL), "last_without_newline",
	       "the last name without a newline");
	pfold_kallsyms_close(k);

	write_file("0000000000000000 T _text\n0000000000000000 T other\n");
	k = NULL;
	is_int(pfold_kallsyms_open(&k, path), -PFOLD_E_PERM, "hidden addresses: refused");
	ok(k == NULL, "nothing returned on failure");
	write_file("");
	is_int(pfold_kallsyms_open(&k, path), 0, "an empty file: no symbols");
	ok(pfold_kallsyms_lookup(k, 0xffffffff81000000, NULL, NULL) == NULL, "nothing found in it");
	pfold_kallsyms_close(k);
	is_int(pfold_kallsyms_open(&k, "/nonexistent/kallsyms"), -PFOLD_E_NOT_FOUND, "a missing file");

	/*
	 * Generated: a sorted kernel, then 300 modules whose lines come
	 * shuffled, aliases, every type letter: the table is sorted and each
	 * lookup agrees with the reference.
	 */
	srand(7);
	f = fopen(path, "w");
	for (i = 0; i < 20000; i++)
		fprintf(f, "%016llx %c kfn_%d\n", 0xffffffff81000000ULL + (unsigned long long)(i - i % 3) * 16,
			"TtWwDdBbRrAaUu"[rand() % 14], i);
	for (i = 0; i < 6000; i++) {
		int m = rand() % 300;

		fprintf(f, "%016llx %c mfn_%d\t[mod_%d]\n",
			0xffffffffc0000000ULL + (unsigned long long)m * 0x100000 + (unsigned long long)(rand() % 4096) * 64,
			"TtWwDdBbRr"[rand() % 10], i, m);
	}
	fclose(f);
	check_against_reference("generated, 300 modules");

	/* the running kernel's, when readable (this is no skip: the generated file is the test) */
	if (access("/proc/kallsyms", R_OK) == 0) {
		FILE *in = fopen("/proc/kallsyms", "r"), *out = fopen(path, "w");
		char line[512];

		while (in && fgets(line, sizeof(line), in))
			fputs(line, out);
		if (in)
			fclose(in);
		fclose(out);
		check_against_reference("this machine's kallsyms");
	}
	unlink(path);
	return done_testing();
}
