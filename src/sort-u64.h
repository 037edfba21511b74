/* SPDX-License-Identifier: MIT */
/* sort-u64.h: a stable sort of records by a 64-bit key (symbol tables by address). */
#ifndef PFOLD_SORT_U64_H
#define PFOLD_SORT_U64_H

#include <stddef.h>

/*
 * pfold_sort_by_u64 - sort the NR records of SIZE bytes at BASE (caller's)
 * by the uint64_t at byte OFFSET of each, in ascending order, keeping equal
 * keys in their order. A radix sort: no comparison callback, and the passes
 * over bytes that all keys share are skipped. Returns 0, or -PFOLD_E_NOMEM
 * (BASE is then unchanged).
 */
int pfold_sort_by_u64(void *base, size_t nr, size_t size, size_t offset);

#endif
