/* SPDX-License-Identifier: MIT */
/* tap.h: a tiny TAP assertion header for pfold's C unit tests. */
#ifndef PFOLD_TAP_H
#define PFOLD_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

static inline int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return pass;
}

static inline int tap_is_int(long long got, long long want, const char *file,
			     int line, const char *what, ...)
{
	int pass = got == want;

	if (!tap_ok(pass, file, line, "%s", what))
		printf("#   got %lld, want %lld\n", got, want);
	return pass;
}

static inline int tap_is_str(const char *got, const char *want, const char *file,
			     int line, const char *what, ...)
{
	int pass = got && want && !strcmp(got, want);

	if (!tap_ok(pass, file, line, "%s", what))
		printf("#   got '%s'\n#  want '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return pass;
}

/* done_testing - print the plan and return the exit status for main(). */
static inline int done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
