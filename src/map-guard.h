/* SPDX-License-Identifier: MIT */
/* map-guard.h: a file shrinking under its mapping ends pfold with a one-line error, not a bus error. */
#ifndef PFOLD_MAP_GUARD_H
#define PFOLD_MAP_GUARD_H

#include <stddef.h>

/*
 * A mapped input file that another program truncates while pfold reads it
 * (perf record writing a new perf.data over the old one, cp over a
 * binary) makes the next read of a page past its new end a SIGBUS. The
 * tool installs a handler once; the mappings register themselves, so that
 * the message names the file and the offset. The handler writes
 * "pfold: NAME: the file shrank while being read (no data at offset N)"
 * (or, outside a registered mapping, the address) and exits with status 2.
 */

/* pfold_map_guard_install - install the SIGBUS handler (the tool, once, at start). Returns 0 or -1. */
int pfold_map_guard_install(void);

/*
 * pfold_map_guard_add - name the mapping [MAP, MAP + LEN) of file NAME
 * (copied; cut at 255 bytes) mapped from file offset 0. Up to 16 at once;
 * beyond that a mapping is simply not named. Thread-safe.
 */
void pfold_map_guard_add(const void *map, size_t len, const char *name);

/* pfold_map_guard_remove - forget the mapping at MAP (before it is unmapped). Thread-safe. */
void pfold_map_guard_remove(const void *map);

#endif
