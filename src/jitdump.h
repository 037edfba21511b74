/* SPDX-License-Identifier: MIT */
/* jitdump.h: reading /tmp/jit-PID.dump (perf's jitdump format): JIT code names, ranges, line tables and CFI. */
#ifndef PFOLD_JITDUMP_H
#define PFOLD_JITDUMP_H

#include <stddef.h>
#include <stdint.h>

#include <elfutils/libdw.h>

/* Bounds: a record larger than this is refused as corrupt. */
#define PFOLD_JITDUMP_MAX_RECORD (64u << 20)

/* one JIT_CODE_DEBUG_INFO entry */
struct pfold_jit_line {
	uint64_t addr;
	int32_t line;
	int32_t discrim;
	const char *file;		/* owned by the jitdump */
};

/*
 * struct pfold_jit_code - one piece of JIT code: a JIT_CODE_LOAD, or the new
 * place of a JIT_CODE_MOVE (which keeps the loaded code's name and tables).
 */
struct pfold_jit_code {
	uint64_t addr, size;		/* [addr, addr + size) in the process */
	uint64_t index;			/* code_index */
	uint64_t timestamp;		/* of the load (or move) record */
	uint32_t pid, tid;
	const char *name;		/* owned by the jitdump */
	const struct pfold_jit_line *lines;	/* nr_lines, sorted by addr */
	size_t nr_lines;
	/* JIT_CODE_UNWINDING_INFO that preceded the load: an .eh_frame image
	 * (eh_frame_size bytes) followed by its .eh_frame_hdr; NULL if none */
	const unsigned char *eh_frame;
	uint64_t eh_frame_size, eh_frame_hdr_size;
};

struct pfold_jitdump;

/*
 * pfold_jitdump_open - read the jitdump file PATH (either byte order, told by
 * the header magic) into *OUT, which the caller owns and frees with
 * pfold_jitdump_close(). Unknown record types are skipped and counted; a
 * record that runs past the end of the file ends the table there (a JIT
 * still writing, or a truncated copy) and is counted as truncated. *OUT is
 * set only on success. Returns the number of code entries, or
 * -PFOLD_E_NOT_FOUND, -PFOLD_E_IO, -PFOLD_E_BAD_MAGIC (not a jitdump),
 * -PFOLD_E_BAD_HEADER, -PFOLD_E_NOMEM, with a detail naming PATH and offset.
 */
int pfold_jitdump_open(struct pfold_jitdump **out, const char *path);

/*
 * pfold_jitdump_parse - as pfold_jitdump_open() from the LEN bytes at DATA
 * (copied; NAME is used in messages only).
 */
int pfold_jitdump_parse(struct pfold_jitdump **out, const void *data, size_t len,
			const char *name);

/* pfold_jitdump_close - free JD and everything it owns; NULL is ignored. */
void pfold_jitdump_close(struct pfold_jitdump *jd);

/* pfold_jitdump_pid - the process id of the header. */
uint32_t pfold_jitdump_pid(const struct pfold_jitdump *jd);

/* pfold_jitdump_elf_machine - the header's elf_mach (EM_X86_64, ...). */
uint32_t pfold_jitdump_elf_machine(const struct pfold_jitdump *jd);

/* pfold_jitdump_count - the code entries; *SKIPPED and *TRUNCATED (may be NULL):
 * unknown records skipped, 1 when the file ended inside a record. */
size_t pfold_jitdump_count(const struct pfold_jitdump *jd, size_t *skipped,
			   int *truncated);

/* pfold_jitdump_code - entry I (0 <= I < count), sorted by address; owned by JD. */
const struct pfold_jit_code *pfold_jitdump_code(const struct pfold_jitdump *jd, size_t i);

/*
 * pfold_jitdump_find - the code entry containing ADDR that was loaded at or
 * before TIME (TIME 0: the newest), or NULL. Owned by JD.
 */
const struct pfold_jit_code *pfold_jitdump_find(const struct pfold_jitdump *jd,
						uint64_t addr, uint64_t time);

/*
 * pfold_jitdump_cfi - the libdw CFI of CODE's unwinding info, built on first
 * use; addresses in it are process addresses. Owned by JD (valid until
 * pfold_jitdump_close()). Returns NULL when CODE has no (usable) unwinding
 * info.
 */
Dwarf_CFI *pfold_jitdump_cfi(struct pfold_jitdump *jd, const struct pfold_jit_code *code);

#endif
