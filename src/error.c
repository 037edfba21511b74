// SPDX-License-Identifier: MIT
/* error.c: error messages for the codes of PFOLD_ERRORS, and failure details. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "error.h"

#define E(name, msg) [PFOLD_E_##name] = msg,
static const char *const messages[PFOLD_E_MAX] = { PFOLD_ERRORS };
#undef E

static __thread char detail[1024];

PFOLD_API const char *pfold_strerror(int code)
{
	code = abs(code);
	if (code >= PFOLD_E_MAX)
		return "unknown error";
	return messages[code];
}

int pfold_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return -abs(code);
}

void pfold_error_clear(void)
{
	detail[0] = '\0';
}

PFOLD_API const char *pfold_errmsg(int code)
{
	return detail[0] ? detail : pfold_strerror(code);
}

PFOLD_API const char *pfold_version(void)
{
	return PACKAGE_VERSION;
}
