/* SPDX-License-Identifier: MIT */
/* buf.h: the one growable byte buffer and array-grow helper of pfold. */
#ifndef PFOLD_BUF_H
#define PFOLD_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * struct pfold_buf - a growable byte buffer, always NUL-terminated when
 * data is not NULL. Initialise with PFOLD_BUF_INIT; the buffer owns data.
 */
struct pfold_buf {
	char *data;
	size_t len;
	size_t alloc;
};

#define PFOLD_BUF_INIT { NULL, 0, 0 }

/* Make room for EXTRA more bytes. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_grow(struct pfold_buf *b, size_t extra);
/* Append LEN bytes of DATA (copied). Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_add(struct pfold_buf *b, const void *data, size_t len);
/* Append LEN zero bytes (padding). Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_add_zeros(struct pfold_buf *b, size_t len);
/* Append the NUL-terminated string S (copied). Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_adds(struct pfold_buf *b, const char *s);
/* Append one byte. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_addch(struct pfold_buf *b, int c);
/* Append printf-formatted text. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_addf(struct pfold_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int pfold_buf_vaddf(struct pfold_buf *b, const char *fmt, va_list ap);
/* Append S escaped for XML/HTML text and attribute values; control bytes
 * and bytes that are not UTF-8 become '?'. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_add_xml(struct pfold_buf *b, const char *s, size_t len);
/* Append S as the inside of a JSON string (no quotes added); bytes that are
 * not UTF-8 become \ufffd. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_buf_add_json(struct pfold_buf *b, const char *s, size_t len);
/* Keep the storage, forget the contents. */
void pfold_buf_reset(struct pfold_buf *b);
/* Free the storage and reinitialise. */
void pfold_buf_release(struct pfold_buf *b);
/* Hand the storage to the caller, who now owns it (free()); B is reinitialised. */
char *pfold_buf_detach(struct pfold_buf *b, size_t *len);

/*
 * pfold_grow - make *ARRAY hold at least NEED elements of SIZE bytes, with
 * *ALLOC counting the elements allocated (grown geometrically). The array
 * stays owned by the caller. Returns 0 or -PFOLD_E_NOMEM (array unchanged).
 */
int pfold_grow(void *array, size_t *alloc, size_t need, size_t size);

#define PFOLD_GROW(arr, alloc, need) \
	pfold_grow(&(arr), &(alloc), (need), sizeof(*(arr)))

#endif
