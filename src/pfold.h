/* SPDX-License-Identifier: MIT */
/* pfold.h: the installed public API of libpfold. */
#ifndef PFOLD_H
#define PFOLD_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PFOLD_API __attribute__((visibility("default")))
#else
#define PFOLD_API
#endif

/*
 * PFOLD_ERRORS: every error code of the library with its message. The
 * message says what went wrong, in lower case, without a trailing period.
 */
#define PFOLD_ERRORS                                                          \
	E(OK, "success")                                                      \
	E(NOMEM, "out of memory")                                             \
	E(IO, "input/output error")                                           \
	E(INVAL, "invalid argument")                                          \
	E(USAGE, "usage error")                                               \
	E(TRUNCATED, "file is truncated")                                     \
	E(BAD_MAGIC, "not a perf.data file")                                  \
	E(OLD_FORMAT, "perf.data version 1 (PERFFILE) is not supported")      \
	E(BAD_HEADER, "corrupt perf.data header")                             \
	E(BAD_ATTR, "corrupt event attribute")                                \
	E(BAD_RECORD, "corrupt record")                                       \
	E(BAD_SAMPLE, "corrupt sample")                                       \
	E(BAD_FEATURE, "corrupt feature section")                             \
	E(UNKNOWN_ID, "sample id matches no event")                           \
	E(LIMIT, "a limit was exceeded")                                      \
	E(ZSTD, "zstd decompression failed")                                  \
	E(ZLIB, "zlib compression failed")                                    \
	E(NOT_FOUND, "not found")                                             \
	E(UNSUPPORTED, "not supported")                                       \
	E(PERM, "permission denied")                                          \
	E(EVENT, "unknown or invalid event")                                  \
	E(NO_PMU, "event not counted on this machine")                        \
	E(TRACEFS, "tracefs is not mounted")                                  \
	E(PFM, "libpfm4 error")                                               \
	E(DWARF, "libdw error")                                               \
	E(ELF, "libelf error")                                                \
	E(REGEX, "invalid regular expression")                                \
	E(PARSE, "cannot parse input")                                        \
	E(JSON, "invalid JSON")                                               \
	E(FORMAT, "unknown or unsupported format version")                    \
	E(SQLITE, "sqlite error")                                             \
	E(CHILD, "cannot run the command")                                    \
	E(INTERRUPTED, "interrupted")

#define E(name, msg) PFOLD_E_##name,
enum pfold_error_code { PFOLD_ERRORS PFOLD_E_MAX };
#undef E

/* pfold_strerror - the fixed message of CODE (either sign); never NULL. */
PFOLD_API const char *pfold_strerror(int code);

/*
 * pfold_errmsg - the detailed message of the last failure in this thread, or
 * the fixed message of CODE when the failing function left none. The string
 * belongs to the library and is valid until the next failing call.
 */
PFOLD_API const char *pfold_errmsg(int code);

/* pfold_version - the library version, e.g. "0.1.0"; static storage. */
PFOLD_API const char *pfold_version(void);

#ifdef __cplusplus
}
#endif
#endif
