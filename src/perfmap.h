/* SPDX-License-Identifier: MIT */
/* perfmap.h: JIT symbol tables from /tmp/perf-PID.map (Python -X perf, node --perf-basic-prof). */
#ifndef PFOLD_PERFMAP_H
#define PFOLD_PERFMAP_H

#include <stddef.h>
#include <stdint.h>

/* Bounds: longer lines are skipped (counted as bad), entries past the limit ignored. */
#define PFOLD_PERFMAP_MAX_LINE 4096
#define PFOLD_PERFMAP_MAX_ENTRIES (16u << 20)

struct pfold_perfmap;

/*
 * pfold_perfmap_open - read the perf map PATH ("START SIZE NAME" lines, hex
 * numbers with or without 0x) once into a sorted table in *OUT, which the
 * caller owns and frees with pfold_perfmap_close(). A file owned by another
 * user than the effective one or root is refused (as perf does) unless
 * FORCE. *OUT is set only on success. Returns the number of entries (>= 0),
 * or -PFOLD_E_NOT_FOUND (no such file), -PFOLD_E_PERM (owned by another
 * user), -PFOLD_E_IO, -PFOLD_E_NOMEM.
 */
int pfold_perfmap_open(struct pfold_perfmap **out, const char *path, int force);

/* pfold_perfmap_close - free M; NULL is ignored. */
void pfold_perfmap_close(struct pfold_perfmap *m);

/* pfold_perfmap_bad_lines - the number of lines skipped as unparsable or too long. */
size_t pfold_perfmap_bad_lines(const struct pfold_perfmap *m);

/*
 * pfold_perfmap_lookup - the name (owned by M) of the entry containing the
 * absolute address ADDR, with ADDR - start in *OFF when OFF is not NULL.
 * Overlapping entries: the one with the greatest start at or below ADDR that
 * contains it; among equal starts, the one written last (the newest code).
 * Returns the name or NULL.
 */
const char *pfold_perfmap_lookup(const struct pfold_perfmap *m, uint64_t addr,
				 uint64_t *off);

#endif
