/* SPDX-License-Identifier: MIT */
/* symbols.h: the symbolizer: object cache, libdwfl look-ups, kallsyms, perf maps, build-id checks. */
#ifndef PFOLD_SYMBOLS_H
#define PFOLD_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

/*
 * One struct pfold_symbols serves a whole run: it interns objects (struct
 * pfold_dso) by name, loads each one at most once, and caches every
 * (object, address) look-up, so each address is resolved once per run.
 * Warnings (a missing object, a build-id mismatch, kernel symbols that do
 * not belong to the recording's kernel, a refused perf map) go, once per
 * object, to the warn callback: the library never prints.
 */

struct pfold_symbols_options {
	const char *symfs;	/* --symfs DIR: objects are looked up under DIR; NULL: / */
	const char *kallsyms;	/* --kallsyms FILE; NULL: /proc/kallsyms if osrelease matches */
	const char *osrelease;	/* the recording's kernel release, NULL if unknown */
	const char *home;	/* where ~/.debug and ~/.cache are; NULL: $HOME ($XDG_CACHE_HOME) */
	int force;		/* use perf maps owned by another user */
	int no_demangle;	/* keep mangled C++/Rust names */
	/* called once per problem; MSG is valid during the call only */
	void (*warn)(void *arg, const char *msg);
	void *warn_arg;
};

enum pfold_dso_kind {
	PFOLD_DSO_ELF,		/* a file: addresses are file offsets */
	PFOLD_DSO_KERNEL,	/* kernel image or module: absolute addresses */
	PFOLD_DSO_PERFMAP,	/* /tmp/perf-PID.map: absolute addresses */
	PFOLD_DSO_NONE,		/* [heap], [stack], [vsyscall]...: no symbols */
};

struct pfold_dso;
struct pfold_symbols;

/* struct pfold_sym - the result of one look-up. */
struct pfold_sym {
	const char *name;	/* symbol (demangled), or NULL when unknown; owned by the symbolizer */
	uint64_t offset;	/* address - symbol start */
	int jit;		/* the name comes from a perf map */
	const char *module;	/* kernel objects: the module ("nf_tables") or NULL */
};

/*
 * pfold_symbols_open - a new symbolizer in *OUT (set only on success), which
 * the caller owns and frees with pfold_symbols_close(). OPTS is copied (its
 * strings are borrowed and must outlive the symbolizer). Returns 0 or
 * -PFOLD_E_NOMEM.
 */
int pfold_symbols_open(struct pfold_symbols **out,
		       const struct pfold_symbols_options *opts);

/*
 * pfold_symbols_prefetch_kernel - start reading the kernel symbols (see
 * pfold_symbols_options; the recording's osrelease must be known by now) in
 * a second thread, so that they are ready when the first kernel address is
 * looked up; S must not be used from two threads otherwise. Problems are
 * reported at that first look-up, as without prefetching. Returns 1 when a
 * thread was started, 0 when not (nothing to read, or no thread).
 */
int pfold_symbols_prefetch_kernel(struct pfold_symbols *s);

/* pfold_symbols_close - free S and every object it holds; NULL is ignored. */
void pfold_symbols_close(struct pfold_symbols *s);

/*
 * pfold_symbols_dso - the object named NAME (as the recording names it: a
 * path, "[kernel.kallsyms]", "/tmp/perf-PID.map", "[vdso]"...), interned:
 * the same pointer for the same name. The object is owned by S and loaded
 * lazily at its first look-up. Returns the object or NULL (out of memory).
 */
struct pfold_dso *pfold_symbols_dso(struct pfold_symbols *s, const char *name,
				    enum pfold_dso_kind kind);

/*
 * pfold_symbols_set_build_id - record the build-id the recording gives for
 * object NAME (from the build-id feature or MMAP2), copied. Must come before
 * the object's first look-up. Returns 0 or -PFOLD_E_NOMEM / -PFOLD_E_INVAL.
 */
int pfold_symbols_set_build_id(struct pfold_symbols *s, const char *name,
			       const uint8_t *id, size_t len);

/*
 * pfold_symbols_set_kernel_ref - the recording had the kernel image's
 * reference symbol NAME (perf's "_text", after "[kernel.kallsyms]" in the
 * kernel MMAP) at ADDR (0: unknown, ignored); NAME is copied. A kernel
 * symbol table whose NAME is elsewhere is from another boot (KASLR):
 * pfold's copy or the running kernel's table is taken when it matches, else
 * the table is moved by the difference, with a warning.
 */
void pfold_symbols_set_kernel_ref(struct pfold_symbols *s, const char *name, uint64_t addr);

/*
 * pfold_symbols_set_jitdump - the jitdump of process PID is PATH (copied; as
 * its MMAP record names it): JIT code of the process (its perf-map object
 * "/tmp/perf-PID.map") is named from it where the perf map does not name
 * it. Without this, /tmp/jit-PID.dump is looked for. The file is refused
 * when another user owns it (unless opts.force). Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_symbols_set_jitdump(struct pfold_symbols *s, uint32_t pid, const char *path);

/* pfold_symbols_jitdump_path - the path set for PID by pfold_symbols_set_jitdump(), or NULL (owned by S). */
const char *pfold_symbols_jitdump_path(struct pfold_symbols *s, uint32_t pid);

/* pfold_dso_name - the name of D as the recording gives it (owned by D). */
const char *pfold_dso_name(const struct pfold_dso *d);

/* pfold_dso_kind - the kind of D. */
enum pfold_dso_kind pfold_dso_kind(const struct pfold_dso *d);

/*
 * pfold_symbols_lookup - resolve ADDR in D into *OUT. ADDR is a file offset
 * for PFOLD_DSO_ELF objects (sample address - map start + map page offset)
 * and an absolute address otherwise (kernel objects resolve through
 * kallsyms; see pfold_symbols_options). The result is cached per (D, ADDR).
 * Returns 1 when a symbol was found, 0 when not (out->name NULL), or
 * -PFOLD_E_NOMEM.
 */
int pfold_symbols_lookup(struct pfold_symbols *s, struct pfold_dso *d,
			 uint64_t addr, struct pfold_sym *out);

/*
 * pfold_symbols_inline - the functions inlined at ADDR (a file offset of the
 * ELF object D, as for pfold_symbols_lookup()) according to D's DWARF, the
 * outermost first, not counting the function that holds them: up to MAX
 * names (owned by S, valid until pfold_symbols_close()) in NAMES. Returns
 * their number (0: none, or no DWARF) or -PFOLD_E_NOMEM.
 */
int pfold_symbols_inline(struct pfold_symbols *s, struct pfold_dso *d,
			 uint64_t addr, const char **names, size_t max);

#endif
