/* SPDX-License-Identifier: MIT */
/* map-window.h: keep a sliding window of a read-only file mapping in memory, from a helper thread. */
#ifndef PFOLD_MAP_WINDOW_H
#define PFOLD_MAP_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/*
 * A reader walking a big file mapping pays, on its own time, a page fault
 * for each page it reaches and an madvise(MADV_DONTNEED) for the pages it
 * leaves behind (so that memory follows the window, not the file). A map
 * window moves both to a helper thread: it faults in the pages up to AHEAD
 * bytes past the reader's position and gives back the pages below the
 * position the reader says it no longer needs. Without a thread (creation
 * failed) the same calls give pages back on the caller's time, in big steps,
 * and the reader faults pages in itself.
 *
 * Ownership: the window borrows MAP (SIZE bytes from offset 0), which the
 * caller keeps mapped until pfold_map_window_stop() returns.
 */
struct pfold_map_window;

/* a window over MAP for pages from FIRST on; NULL when out of memory */
struct pfold_map_window *pfold_map_window_start(uint8_t *map, size_t size, uint64_t first);

/* 1 when the reader at POS should report: 1 MB on since it last did */
int pfold_map_window_due(const struct pfold_map_window *w, uint64_t pos);

/*
 * The reader is at POS and needs no page below KEEP_FROM any more (KEEP_FROM
 * <= POS). The reader only moves forward: a POS below an earlier one is
 * ignored.
 */
void pfold_map_window_advance(struct pfold_map_window *w, uint64_t pos, uint64_t keep_from);

/*
 * Hold the helper (PAUSED 1) or let it go on (0), as a CPU-starved helper
 * would be held: the reader then gives pages back itself once the helper
 * is 32 MB behind (tests).
 */
void pfold_map_window_pause(struct pfold_map_window *w, int paused);

/* wait until the helper has carried out every order given so far (tests) */
void pfold_map_window_settle(struct pfold_map_window *w);

/* end the helper and free W (NULL is fine); the mapping stays the caller's */
void pfold_map_window_stop(struct pfold_map_window *w);

#endif
