/* SPDX-License-Identifier: MIT */
/* session.h: threads, comms and per-process address spaces rebuilt from COMM/FORK/EXIT/MMAP/MMAP2 records. */
#ifndef PFOLD_SESSION_H
#define PFOLD_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "symbols.h"

/*
 * A session follows the records of one recording in time order. Each
 * process has an address space (the executable mappings seen so far; a later
 * mapping over the same addresses wins, exec starts a new one). Every layout
 * an address space passes through that a sample sees gets a small number, its
 * generation: (generation, address) names a code location for the whole run,
 * so samples can be counted per raw call chain and resolved once at the end.
 */

struct pfold_session;
struct pfold_thread;

/* Kernel and user frames resolve differently. */
enum pfold_cpumode {
	PFOLD_CPU_USER = 0,
	PFOLD_CPU_KERNEL,
	PFOLD_CPU_HV,
	PFOLD_CPU_GUEST,
};

/* struct pfold_location - where an address of a process lies. */
struct pfold_location {
	struct pfold_dso *dso;	/* NULL: in no mapping ("[unknown]") */
	uint64_t addr;		/* for ELF objects the file offset, else the address */
};

/*
 * pfold_session_open - a new empty session in *OUT (set only on success),
 * owned by the caller (pfold_session_close()). SYMS (borrowed, must outlive
 * the session) interns the objects mappings name. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_session_open(struct pfold_session **out, struct pfold_symbols *syms);

/* pfold_session_close - free S and its threads and address spaces; NULL is ignored. */
void pfold_session_close(struct pfold_session *s);

/*
 * pfold_session_event - apply a COMM, FORK, EXIT, MMAP or MMAP2 record (EV,
 * from the reader; other types are ignored). A record too short for its type
 * gives -PFOLD_E_BAD_RECORD with a detail naming its offset. Returns 0 or a
 * negative code.
 */
int pfold_session_event(struct pfold_session *s, const struct pfold_event *ev);

/*
 * pfold_session_thread - the thread TID of process PID, created (comm
 * ":TID", as perf names a thread it has no COMM for) when unknown. Owned by
 * S. Returns the thread or NULL (out of memory).
 */
struct pfold_thread *pfold_session_thread(struct pfold_session *s, uint32_t pid,
					  uint32_t tid);

/* pfold_thread_comm - the current command name of T (owned by the session). */
const char *pfold_thread_comm(const struct pfold_thread *t);

/*
 * pfold_thread_comm_seq - a number that changes whenever T's comm changes
 * (callers cache what they derive from the comm). Returns it.
 */
uint32_t pfold_thread_comm_seq(const struct pfold_thread *t);

/*
 * pfold_session_generation - the generation of T's address space as it is
 * now. Returns it (>= 0) or -PFOLD_E_NOMEM / -PFOLD_E_LIMIT.
 */
long pfold_session_generation(struct pfold_session *s, struct pfold_thread *t);

/*
 * pfold_session_resolve - the location of ADDR (CPUMODE says kernel or
 * user) in the address space generation GEN, in *LOC. User addresses in
 * anonymous or JIT memory resolve to the process's /tmp/perf-PID.map
 * object. Returns 1 when a mapping covers ADDR, 0 when none does
 * (LOC->dso NULL), or -PFOLD_E_NOMEM / -PFOLD_E_INVAL (unknown GEN).
 */
int pfold_session_resolve(struct pfold_session *s, uint32_t gen,
			  enum pfold_cpumode cpumode, uint64_t addr,
			  struct pfold_location *loc);

/*
 * pfold_session_jitdump - the jitdump file process PID mapped (the path its
 * MMAP record gives: python3.13 -X perf_jit writes /tmp/jit-PID.dump, node
 * --perf-prof jit-PID.dump in its working directory), or NULL when none was
 * seen. Owned by the session.
 */
const char *pfold_session_jitdump(struct pfold_session *s, uint32_t pid);

/* pfold_session_kernel_dso - the kernel image object ("[kernel.kallsyms]"). */
struct pfold_dso *pfold_session_kernel_dso(struct pfold_session *s);

#endif
