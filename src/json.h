/* SPDX-License-Identifier: MIT */
/* json.h: a small JSON writer on struct pfold_buf and a strict JSON parser. */
#ifndef PFOLD_JSON_H
#define PFOLD_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum pfold_json_type {
	PFOLD_JSON_NULL,
	PFOLD_JSON_BOOL,
	PFOLD_JSON_NUMBER,
	PFOLD_JSON_STRING,
	PFOLD_JSON_ARRAY,
	PFOLD_JSON_OBJECT,
};

/*
 * struct pfold_json - one parsed JSON value. Strings are NUL-terminated
 * (a string holding "\u0000" is refused). An object keeps its members in
 * file order in keys[]/items[]; an array uses items[] only.
 */
struct pfold_json {
	enum pfold_json_type type;
	int boolean;
	double number;
	char *string;
	size_t len;			/* of string, or of items[] */
	char **keys;			/* objects: key of items[i] */
	struct pfold_json **items;
	size_t alloc;
};

/* Deepest nesting of arrays and objects the parser accepts. */
#define PFOLD_JSON_MAX_DEPTH 64

/*
 * pfold_json_parse - parse the LEN bytes of TEXT as exactly one JSON value
 * (RFC 8259: no comments, no trailing commas, no NaN; surrounding white space
 * allowed). On success *OUT is a tree the caller owns (pfold_json_free()).
 * Returns 0, -PFOLD_E_JSON with a detail naming the byte offset ("expected
 * ',' or '}' at offset 12", "unexpected end of input at offset 40"),
 * -PFOLD_E_LIMIT past PFOLD_JSON_MAX_DEPTH, or -PFOLD_E_NOMEM.
 */
int pfold_json_parse(struct pfold_json **out, const char *text, size_t len);

/* pfold_json_free - free a tree from pfold_json_parse (NULL is fine). */
void pfold_json_free(struct pfold_json *j);

/*
 * pfold_json_get - the member KEY of object J (the last one if repeated), or
 * NULL when J is not an object or has no such member. Borrowed from J.
 */
const struct pfold_json *pfold_json_get(const struct pfold_json *j, const char *key);

/* pfold_json_str - J's string, or NULL when J is NULL or not a string. Borrowed. */
const char *pfold_json_str(const struct pfold_json *j);

/* pfold_json_num - store J's number in *V. Returns 0, or -1 when J is not a number. */
int pfold_json_num(const struct pfold_json *j, double *v);

/*
 * struct pfold_json_writer - writes pretty-printed JSON into BUF (owned by
 * the caller). Errors are sticky: every call after a failure does nothing
 * and pfold_jw_finish() returns the first error. KEY is the member name
 * inside an object and must be NULL inside an array or at the top.
 */
struct pfold_json_writer {
	struct pfold_buf *buf;
	int depth;
	int err;
	unsigned char first[PFOLD_JSON_MAX_DEPTH + 1];
	unsigned char compact[PFOLD_JSON_MAX_DEPTH + 1];
};

void pfold_jw_init(struct pfold_json_writer *w, struct pfold_buf *buf);
/* COMPACT: write this container's members on one line. */
void pfold_jw_begin_object(struct pfold_json_writer *w, const char *key, int compact);
void pfold_jw_end_object(struct pfold_json_writer *w);
void pfold_jw_begin_array(struct pfold_json_writer *w, const char *key, int compact);
void pfold_jw_end_array(struct pfold_json_writer *w);
/* A string member; S NULL writes null. */
void pfold_jw_string(struct pfold_json_writer *w, const char *key, const char *s);
/* A number; integers print without a fraction, NaN and infinities print null. */
void pfold_jw_number(struct pfold_json_writer *w, const char *key, double v);
void pfold_jw_bool(struct pfold_json_writer *w, const char *key, int v);
void pfold_jw_null(struct pfold_json_writer *w, const char *key);
/* pfold_jw_finish - end the document with a newline. Returns 0 or the first error. */
int pfold_jw_finish(struct pfold_json_writer *w);

#endif
