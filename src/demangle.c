// SPDX-License-Identifier: MIT
/*
 * demangle.c: C++ and Rust demangling through libiberty's cplus_demangle_v3
 * and rust_demangle (called directly: libiberty's cplus_demangle front end
 * pulls in its xmalloc, which clashes with the tool's).
 */
#include <stdlib.h>
#include <string.h>

#include <libiberty/demangle.h>

#include "demangle.h"

/* A Rust legacy name is an Itanium-looking _ZN...E whose last element is h + 16 hex digits. */
static int is_rust_legacy(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 21 || strncmp(name, "_ZN", 3) || name[n - 1] != 'E')
		return 0;
	/* ...17h<16 hex>E */
	if (strncmp(name + n - 20, "17h", 3))
		return 0;
	for (i = n - 17; i < n - 1; i++)
		if (!strchr("0123456789abcdef", name[i]))
			return 0;
	return 1;
}

char *pfold_demangle(const char *name, int params)
{
	int opts = DMGL_ANSI | (params ? DMGL_PARAMS : 0);
	char *out, *h;
	size_t n;

	if (!name || name[0] != '_')
		return NULL;
	if (!strncmp(name, "_R", 2)) {
		/* Rust v0 */
		return rust_demangle(name, opts);
	}
	if (strncmp(name, "_Z", 2))
		return NULL;
	if (is_rust_legacy(name)) {
		out = rust_demangle(name, opts);
		if (out) {
			/* drop the ::h<hash> suffix, as perf and rustfilt do */
			n = strlen(out);
			h = n > 19 ? out + n - 19 : NULL;
			if (h && !strncmp(h, "::h", 3))
				*h = '\0';
			return out;
		}
	}
	return cplus_demangle_v3(name, opts);
}
