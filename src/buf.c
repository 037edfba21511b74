// SPDX-License-Identifier: MIT
/* buf.c: growable byte buffer, escaping appenders, and the array-grow helper. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

int pfold_grow(void *array, size_t *alloc, size_t need, size_t size)
{
	void **p = array;
	size_t n;
	void *q;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return -PFOLD_E_NOMEM;
		n *= 2;
	}
	q = realloc(*p, n * size);
	if (!q)
		return -PFOLD_E_NOMEM;
	*p = q;
	*alloc = n;
	return 0;
}

int pfold_buf_grow(struct pfold_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		return -PFOLD_E_NOMEM;
	return pfold_grow(&b->data, &b->alloc, b->len + extra + 1, 1);
}

int pfold_buf_add(struct pfold_buf *b, const void *data, size_t len)
{
	if (pfold_buf_grow(b, len))
		return -PFOLD_E_NOMEM;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int pfold_buf_add_zeros(struct pfold_buf *b, size_t len)
{
	if (pfold_buf_grow(b, len))
		return -PFOLD_E_NOMEM;
	memset(b->data + b->len, 0, len + 1);
	b->len += len;
	return 0;
}

int pfold_buf_adds(struct pfold_buf *b, const char *s)
{
	return pfold_buf_add(b, s, strlen(s));
}

int pfold_buf_addch(struct pfold_buf *b, int c)
{
	char ch = (char)c;

	return pfold_buf_add(b, &ch, 1);
}

int pfold_buf_vaddf(struct pfold_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (pfold_buf_grow(b, 64))
		return -PFOLD_E_NOMEM;
	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -PFOLD_E_INVAL;
	if ((size_t)n >= b->alloc - b->len) {
		if (pfold_buf_grow(b, (size_t)n))
			return -PFOLD_E_NOMEM;
		vsnprintf(b->data + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int pfold_buf_addf(struct pfold_buf *b, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pfold_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * utf8_len - the length of the valid UTF-8 sequence at S[0..LEN) (S[0] >=
 * 0x80), or 0 when it is not one (bad lead or continuation byte, overlong
 * form, surrogate, past U+10FFFF, cut short): such a byte is replaced by the
 * escapers, so that their output is always valid UTF-8.
 */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	size_t n, k;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int pfold_buf_add_xml(struct pfold_buf *b, const char *s, size_t len)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			/* control characters are not allowed in XML 1.0 */
			rep = (c < 0x20 && c != '\t' && c != '\n') ? "?" : NULL;
			if (c >= 0x80) {
				size_t n = utf8_len((const unsigned char *)s + i, len - i);

				if (n) {
					i += n - 1;
					continue;
				}
				rep = "?";	/* not UTF-8: XML would not be well-formed */
			}
		}
		if (!rep)
			continue;
		if (pfold_buf_add(b, s + start, i - start) || pfold_buf_adds(b, rep))
			return -PFOLD_E_NOMEM;
		start = i + 1;
	}
	return pfold_buf_add(b, s + start, len - start);
}

int pfold_buf_add_json(struct pfold_buf *b, const char *s, size_t len)
{
	size_t i, start = 0;
	char esc[8];

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80) {
			size_t n = utf8_len((const unsigned char *)s + i, len - i);

			if (n) {
				i += n - 1;
				continue;
			}
			/* not UTF-8: JSON text must be (RFC 8259 section 8.1) */
			if (pfold_buf_add(b, s + start, i - start) || pfold_buf_adds(b, "\\ufffd"))
				return -PFOLD_E_NOMEM;
			start = i + 1;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
			continue;
		if (pfold_buf_add(b, s + start, i - start))
			return -PFOLD_E_NOMEM;
		switch (c) {
		case '"': strcpy(esc, "\\\""); break;
		case '\\': strcpy(esc, "\\\\"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\t': strcpy(esc, "\\t"); break;
		default: snprintf(esc, sizeof(esc), "\\u%04x", c);
		}
		if (pfold_buf_adds(b, esc))
			return -PFOLD_E_NOMEM;
		start = i + 1;
	}
	return pfold_buf_add(b, s + start, len - start);
}

void pfold_buf_reset(struct pfold_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void pfold_buf_release(struct pfold_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

char *pfold_buf_detach(struct pfold_buf *b, size_t *len)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}
