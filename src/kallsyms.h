/* SPDX-License-Identifier: MIT */
/* kallsyms.h: kernel symbols from /proc/kallsyms or a saved copy of it. */
#ifndef PFOLD_KALLSYMS_H
#define PFOLD_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

struct pfold_kallsyms;

/*
 * pfold_kallsyms_open - read the kallsyms file PATH ("ADDR TYPE NAME [MOD]"
 * lines) into a sorted table in *OUT, which the caller owns and frees with
 * pfold_kallsyms_close(). Like perf, only text, weak, data and bss symbols
 * (T W D B, either case) are kept, and a symbol ends where the next begins.
 * *OUT is set only on success. A regular file is mapped, not copied.
 * Returns the number of symbols, or -PFOLD_E_NOT_FOUND, -PFOLD_E_IO,
 * -PFOLD_E_NOMEM, -PFOLD_E_LIMIT (over 4 GB, or over 65,534 modules),
 * -PFOLD_E_PERM (every address reads 0: kptr_restrict hides them).
 */
int pfold_kallsyms_open(struct pfold_kallsyms **out, const char *path);

/* pfold_kallsyms_close - free K; NULL is ignored. */
void pfold_kallsyms_close(struct pfold_kallsyms *k);

/*
 * pfold_kallsyms_lookup - the name (owned by K) of the symbol containing
 * ADDR, with ADDR - start in *OFF and the module name (without brackets,
 * owned by K, NULL for the kernel image) in *MOD when not NULL. Returns the
 * name or NULL (below the first symbol). K is not const: a name is cut out
 * of the text (its NUL written) when first looked up. The strings stay
 * valid until pfold_kallsyms_close().
 */
const char *pfold_kallsyms_lookup(struct pfold_kallsyms *k, uint64_t addr,
				  uint64_t *off, const char **mod);

/*
 * pfold_kallsyms_save - write the text K was read from to PATH (mode 0600;
 * missing directories are made 0700), through a temporary file renamed
 * over PATH. Only before the first look-up, which cuts names out of the
 * text. Returns 0 or -1 (nothing is left behind).
 */
int pfold_kallsyms_save(const struct pfold_kallsyms *k, const char *path);

/*
 * pfold_kallsyms_address_of - the address of the kernel-image symbol NAME
 * (a module's does not count), or 0 when K has none. A scan of the table:
 * meant for the reference symbol (_text), once.
 */
uint64_t pfold_kallsyms_address_of(const struct pfold_kallsyms *k, const char *name);

/*
 * pfold_kallsyms_relocate - the recorded kernel image lies DELTA above K's
 * (K comes from another boot: KASLR moves the kernel at each). Look-ups
 * subtract DELTA; module symbols are not found any more, as modules load at
 * addresses of their own.
 */
void pfold_kallsyms_relocate(struct pfold_kallsyms *k, uint64_t delta);

/*
 * pfold_kallsyms_running_release - whether RELEASE (a recording's osrelease)
 * is the running kernel's. Returns 1 or 0.
 */
int pfold_kallsyms_running_release(const char *release);

#endif
