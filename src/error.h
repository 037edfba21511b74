/* SPDX-License-Identifier: MIT */
/* error.h: pfold's error codes and messages, from one X-macro table. */
#ifndef PFOLD_ERROR_H
#define PFOLD_ERROR_H

#include "pfold.h"

/*
 * Library functions return 0 (or a count) on success and -PFOLD_E_<NAME> on
 * failure. The function that fails may also leave a detailed message (with
 * the file name and offset it concerns) through pfold_error(); the tool reads
 * it back with pfold_errmsg().
 */

/*
 * pfold_error - record a detailed message for CODE and return -CODE.
 * FMT is printf-like; the text is kept in thread-local storage until the next
 * call. Returns -code so that callers can write `return pfold_error(...)`.
 */
int pfold_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* pfold_error_clear - forget the detailed message of the last failure. */
void pfold_error_clear(void);

#endif
