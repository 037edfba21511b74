/* SPDX-License-Identifier: MIT */
/* usage.h: how the pfold tool reports errors and warnings (the library never does). */
#ifndef PFOLD_USAGE_H
#define PFOLD_USAGE_H

#include <stdio.h>

/* die - print "pfold: MSG" on stderr and exit 2. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* die_error - print "pfold: SUBJECT: <detail of CODE>" and exit 2; SUBJECT may be NULL. */
void die_error(int code, const char *subject) __attribute__((noreturn));
/* warning - print "pfold: warning: MSG" on stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* error_msg - print "pfold: MSG" on stderr (no exit); returns 2. */
int error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * open_output - PATH opened for writing ("-" or NULL: stdout). MODE is the
 * file mode for a new file (0644, or 0600 for recordings). Dies on failure.
 * The caller closes it with close_output().
 */
FILE *open_output(const char *path, int mode);
/* close_output - flush and close F (stdout is flushed only); dies naming PATH on a write error. */
void close_output(FILE *f, const char *path);

/* xmalloc-style helpers: die on out of memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

#endif
