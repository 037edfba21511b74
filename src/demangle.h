/* SPDX-License-Identifier: MIT */
/* demangle.h: C++ (Itanium) and Rust (legacy and v0) symbol demangling. */
#ifndef PFOLD_DEMANGLE_H
#define PFOLD_DEMANGLE_H

/*
 * pfold_demangle - the demangled form of the symbol NAME, or NULL when NAME
 * is not a mangled C++ or Rust name (or cannot be demangled). PARAMS
 * non-zero keeps C++ parameter lists, as perf script prints them. Rust
 * legacy names lose their ::h<hash> suffix, as perf prints them. The
 * returned string is newly allocated: the caller owns it and free()s it.
 * Returns the string or NULL.
 */
char *pfold_demangle(const char *name, int params);

#endif
