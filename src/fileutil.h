/* SPDX-License-Identifier: MIT */
/* fileutil.h: small helpers for reading /proc, /sys and git files. */
#ifndef PFOLD_FILEUTIL_H
#define PFOLD_FILEUTIL_H

#include <stddef.h>

/*
 * pfold_read_small - read at most SIZE-1 bytes of PATH into BUF (the
 * caller's) and NUL-terminate them. Returns 0, or -1 when PATH cannot be
 * opened or read (errno says why).
 */
int pfold_read_small(const char *path, char *buf, size_t size);

/*
 * pfold_path_escapes - whether PATH (a name taken from a recording) has a
 * ".." component, which would lead out of a --symfs directory once prefixed.
 * Returns 1 or 0.
 */
int pfold_path_escapes(const char *path);

#endif
