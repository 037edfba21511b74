/* SPDX-License-Identifier: MIT */
/* unwind.h: DWARF unwinding of one sample from its user registers and stack copy (libdw CFI + a rule for JIT code). */
#ifndef PFOLD_UNWIND_H
#define PFOLD_UNWIND_H

#include <stddef.h>
#include <stdint.h>

#include "sample.h"

struct pfold_jitdump;

/*
 * Register conventions of one architecture: how perf's sample registers
 * (PERF_REG_<ARCH>_*, the bit order of attr.sample_regs_user) map to DWARF
 * register numbers, and the frame-record layout used by the frame-pointer
 * rule. One table per architecture (src/unwind-<arch>.c).
 */
#define PFOLD_UNWIND_MAX_REGS 40	/* DWARF registers tracked per frame */

struct pfold_unwind_arch {
	const char *name;		/* "x86_64" */
	unsigned int e_machine;		/* EM_X86_64 */
	unsigned int nregs;		/* DWARF registers 0..nregs-1 tracked (<= MAX_REGS) */
	unsigned int pc_reg;		/* DWARF number holding the pc of a frame */
	unsigned int ra_reg;		/* CFI return-address column */
	unsigned int sp_reg;		/* stack pointer; the caller's is the CFA */
	unsigned int fp_reg;		/* frame pointer of the frame-pointer rule */
	uint64_t callee_saved;		/* DWARF registers a call preserves (bit mask) */
	unsigned int nperf;		/* entries of perf_to_dwarf */
	const signed char *perf_to_dwarf; /* perf sample register -> DWARF number, -1: none */
	/* frame record at fp: caller's fp at fp + fp_off_fp, return address at
	 * fp + fp_off_ra, caller's sp (the CFA) = fp + fp_off_cfa */
	int fp_off_fp, fp_off_ra, fp_off_cfa;
};

extern const struct pfold_unwind_arch pfold_unwind_arch_x86_64;

/* pfold_unwind_arch_find - the table for ELF machine E_MACHINE, or NULL. */
const struct pfold_unwind_arch *pfold_unwind_arch_find(unsigned int e_machine);

/*
 * What the caller knows about the mapping that covers an address in the
 * sampled process (from the session's MMAP/MMAP2 records). Strings and the
 * build id stay owned by the caller; they need to live only until the
 * callback returns (the unwinder copies what it keeps).
 */
struct pfold_unwind_map {
	const char *path;		/* the object to read CFI from (after --symfs), or NULL */
	uint64_t start, end;		/* [start, end) in the process */
	uint64_t pgoff;			/* file offset mapped at start */
	const unsigned char *build_id;	/* NULL when unknown */
	size_t build_id_size;
	int is_jit;			/* perf-map / jitdump / anonymous executable code */
};

/*
 * pfold_unwind_find_map_fn - fill *MAP with the mapping of process PID that
 * contains ADDR. Returns 0 when found, a negative value when no mapping
 * covers ADDR.
 */
typedef int (*pfold_unwind_find_map_fn)(void *arg, uint32_t pid, uint64_t addr,
					struct pfold_unwind_map *map);

/* How an unwind ended. Anything but OUTERMOST means the stack is [truncated]. */
enum pfold_unwind_end {
	PFOLD_UNWIND_OUTERMOST = 0,	/* CFI marks the outermost frame, or return address 0 */
	PFOLD_UNWIND_DEPTH,		/* the caller's array (or the depth cap) is full */
	PFOLD_UNWIND_STACK,		/* a read fell outside the copied stack */
	PFOLD_UNWIND_NO_MAP,		/* a pc in no mapping */
	PFOLD_UNWIND_NO_RULE,		/* no CFI and no usable frame pointer */
	PFOLD_UNWIND_LOOP,		/* the stack pointer did not move towards the caller */
	PFOLD_UNWIND_BAD_REGS,		/* registers missing or absurd */
	PFOLD_UNWIND_BAD_CFI,		/* CFI we cannot evaluate */
};

/* How one frame's caller was found (for tests and `script`-style dumps). */
enum pfold_unwind_how {
	PFOLD_UNWIND_HOW_CFI = 1,	/* the object's .eh_frame/.debug_frame */
	PFOLD_UNWIND_HOW_JIT_CFI,	/* jitdump unwinding info */
	PFOLD_UNWIND_HOW_JIT_FP,	/* frame-pointer rule in JIT code */
	PFOLD_UNWIND_HOW_FP,		/* frame-pointer fallback: object without CFI for pc */
	PFOLD_UNWIND_HOW_JIT_SP,	/* return address found at [sp+8] or [sp] (trampolines) */
};

struct pfold_unwind_result {
	size_t nr;			/* addresses stored */
	enum pfold_unwind_end end;
	unsigned char *how;		/* optional, caller-owned, one per address: how
					 * that frame's caller was found (0: last frame) */
};

/* Hard caps: no unwind takes more steps than this, whatever the input. */
#define PFOLD_UNWIND_MAX_DEPTH 512
#define PFOLD_UNWIND_MAX_OPS 64		/* DWARF operations per expression */

struct pfold_unwinder;

/*
 * pfold_unwinder_open - an unwinder for ARCH (NULL: x86_64) with an empty
 * CFI cache (one entry per object path, opened on first use and kept until
 * pfold_unwinder_close()). *OUT is set only on success; the caller owns it.
 * Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_unwinder_open(struct pfold_unwinder **out, const struct pfold_unwind_arch *arch);

/* pfold_unwinder_close - free U and every cached object; NULL is ignored. */
void pfold_unwinder_close(struct pfold_unwinder *u);

/*
 * pfold_unwinder_add_jitdump - use JD's code-load ranges and unwinding info
 * for process PID. JD stays owned by the caller and must outlive U (or the
 * next call for the same PID, which replaces it). Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_unwinder_add_jitdump(struct pfold_unwinder *u, uint32_t pid,
			       struct pfold_jitdump *jd);

/*
 * pfold_unwinder_load_jitdump - read the jitdump file PATH and use it for
 * process PID (U owns it from then on). A missing file is remembered as
 * "none" and is not an error. Returns the number of code entries, 0 when
 * the file does not exist, or a negative PFOLD_E_* code (the file is then
 * not used).
 */
int pfold_unwinder_load_jitdump(struct pfold_unwinder *u, uint32_t pid, const char *path);

/*
 * pfold_unwind_sample - unwind one sample of process PID from its user
 * registers REGS (as decoded: abi, mask, values in mask-bit order) and the
 * copy of its user stack STACK (SIZE bytes copied, DYN_SIZE of them valid;
 * the copy starts at the sampled stack pointer). FIND_MAP/ARG say which
 * mapping covers an address. SPACE, when not 0, names the process's address
 * space so that (SPACE, address) means one code location for the whole run:
 * FIND_MAP's answer is then cached, and the caller must never give the same
 * SPACE to mappings that differ; 0 caches nothing across calls. Stores up to
 * MAX addresses in IPS: the sampled pc first, then the return addresses of
 * the callers, outermost last, as a PERF_SAMPLE_CALLCHAIN user part would
 * hold them (symbolize ips[i] - 1 for i > 0). RES->end says why it stopped
 * (anything but OUTERMOST: the stack is truncated). Never reads outside
 * STACK, never takes more than MAX (capped at PFOLD_UNWIND_MAX_DEPTH)
 * frames. Returns the number of addresses stored (0 when the sample has no
 * usable registers) or -PFOLD_E_NOMEM.
 */
int pfold_unwind_sample(struct pfold_unwinder *u, uint32_t pid, uint64_t space,
			const struct pfold_sample_regs *regs,
			const void *stack, uint64_t size, uint64_t dyn_size,
			pfold_unwind_find_map_fn find_map, void *arg,
			uint64_t *ips, size_t max, struct pfold_unwind_result *res);

/* pfold_unwind_end_name - a short English name of END ("stack copy ends"); static. */
const char *pfold_unwind_end_name(enum pfold_unwind_end end);

/*
 * The read pipeline's entry point (src/stacks.c). PFOLD_UNWIND_TRUNCATED is
 * a marker in the PERF_CONTEXT_* range that no kernel emits: placed after
 * the outermost address of a chain whose unwinding did not reach the
 * outermost frame, to be named "[truncated]".
 */
#define PFOLD_UNWIND_TRUNCATED ((uint64_t)-4000)

struct pfold_session;

/*
 * pfold_unwind_sample_chain - the call chain of sample SMP (which has
 * REGS_USER and STACK_USER) in perf's callchain form in OUT (MAX entries):
 * the kernel part of its recorded callchain as it is, then PERF_CONTEXT_USER
 * and the unwound user addresses (callers as return address - 1, as perf
 * script shows them), then PFOLD_UNWIND_TRUNCATED when unwinding stopped
 * early. Mappings come from SESSION's address-space generation GEN (objects
 * read under SYMFS when not NULL). *UP is the run's unwinder, opened on
 * first use (the caller closes it with pfold_unwinder_close()). Returns the
 * number of entries or a negative PFOLD_E_* code.
 */
int pfold_unwind_sample_chain(struct pfold_unwinder **up, struct pfold_session *session,
			      uint32_t gen, const char *symfs,
			      const struct pfold_sample *smp, uint64_t *out, size_t max);

#endif
