// SPDX-License-Identifier: MIT
/* json.c: strict JSON parser (bounded nesting, offsets in errors) and a pretty writer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"

struct parser {
	const char *s;
	size_t len, pos;
};

static int perr(struct parser *p, const char *what)
{
	if (p->pos >= p->len)
		return pfold_error(PFOLD_E_JSON, "invalid JSON: unexpected end of input at offset %zu (%s)",
				   p->pos, what);
	return pfold_error(PFOLD_E_JSON, "invalid JSON: %s at offset %zu", what, p->pos);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return perr(p, "invalid literal");
	p->pos += n;
	return 0;
}

static int hex4(struct parser *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (p->len - p->pos < 4)
		return perr(p, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		char c = p->s[p->pos + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return perr(p, "bad hex digit in \\u escape");
	}
	p->pos += 4;
	*out = v;
	return 0;
}

static int add_utf8(struct pfold_buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return pfold_buf_add(b, u, n);
}

/* length of the valid UTF-8 sequence at S (at most AVAIL bytes), 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* parse a string at p->pos (on the opening quote) into B */
static int parse_string(struct parser *p, struct pfold_buf *b)
{
	int ret;

	p->pos++;	/* opening quote */
	for (;;) {
		unsigned char c;
		size_t n;

		if (p->pos >= p->len)
			return perr(p, "unterminated string");
		c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20)
			return perr(p, "control character in string");
		if (c != '\\') {
			n = utf8_len((const unsigned char *)p->s + p->pos, p->len - p->pos);
			if (!n)
				return perr(p, "invalid UTF-8 in string");
			if (pfold_buf_add(b, p->s + p->pos, n))
				return -PFOLD_E_NOMEM;
			p->pos += n;
			continue;
		}
		p->pos++;
		if (p->pos >= p->len)
			return perr(p, "unterminated escape");
		c = (unsigned char)p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			ret = pfold_buf_addch(b, c);
			break;
		case 'b': ret = pfold_buf_addch(b, '\b'); break;
		case 'f': ret = pfold_buf_addch(b, '\f'); break;
		case 'n': ret = pfold_buf_addch(b, '\n'); break;
		case 'r': ret = pfold_buf_addch(b, '\r'); break;
		case 't': ret = pfold_buf_addch(b, '\t'); break;
		case 'u': {
			unsigned cp, lo;

			if ((ret = hex4(p, &cp)))
				return ret;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				p->pos -= 6;
				return perr(p, "unpaired low surrogate");
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
					return perr(p, "unpaired high surrogate");
				p->pos += 2;
				if ((ret = hex4(p, &lo)))
					return ret;
				if (lo < 0xdc00 || lo > 0xdfff) {
					p->pos -= 6;
					return perr(p, "bad low surrogate");
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0) {
				p->pos -= 6;
				return perr(p, "\\u0000 in string");
			}
			ret = add_utf8(b, cp);
			break;
		}
		default:
			p->pos--;
			return perr(p, "bad escape in string");
		}
		if (ret)
			return -PFOLD_E_NOMEM;
	}
	return 0;
}

static int parse_number(struct parser *p, double *out)
{
	size_t start = p->pos;
	char tmp[64], *end;

#define DIGIT(i) ((i) < p->len && p->s[i] >= '0' && p->s[i] <= '9')
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (!DIGIT(p->pos))
		return perr(p, "bad number");
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (DIGIT(p->pos))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!DIGIT(p->pos))
			return perr(p, "bad number: digit expected after '.'");
		while (DIGIT(p->pos))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!DIGIT(p->pos))
			return perr(p, "bad number: digit expected in exponent");
		while (DIGIT(p->pos))
			p->pos++;
	}
#undef DIGIT
	if (p->pos - start >= sizeof(tmp)) {
		p->pos = start;
		return perr(p, "number too long");
	}
	memcpy(tmp, p->s + start, p->pos - start);
	tmp[p->pos - start] = '\0';
	*out = strtod(tmp, &end);
	if (!isfinite(*out)) {
		p->pos = start;
		return perr(p, "number out of range");
	}
	return 0;
}

static int add_item(struct pfold_json *j, char *key, struct pfold_json *item)
{
	size_t alloc = j->alloc;

	if (PFOLD_GROW(j->items, j->alloc, j->len + 1))
		return -PFOLD_E_NOMEM;
	if (j->type == PFOLD_JSON_OBJECT) {
		size_t ka = alloc;

		if (PFOLD_GROW(j->keys, ka, j->alloc))
			return -PFOLD_E_NOMEM;
		j->keys[j->len] = key;
	}
	j->items[j->len++] = item;
	return 0;
}

static int parse_value(struct parser *p, struct pfold_json **out, int depth)
{
	struct pfold_json *j;
	struct pfold_buf b = PFOLD_BUF_INIT;
	int ret = 0;
	char c;

	skip_ws(p);
	if (p->pos >= p->len)
		return perr(p, "value expected");
	j = calloc(1, sizeof(*j));
	if (!j)
		return -PFOLD_E_NOMEM;
	c = p->s[p->pos];
	switch (c) {
	case 'n':
		ret = literal(p, "null");
		j->type = PFOLD_JSON_NULL;
		break;
	case 't':
		ret = literal(p, "true");
		j->type = PFOLD_JSON_BOOL;
		j->boolean = 1;
		break;
	case 'f':
		ret = literal(p, "false");
		j->type = PFOLD_JSON_BOOL;
		break;
	case '"':
		j->type = PFOLD_JSON_STRING;
		ret = parse_string(p, &b);
		if (!ret) {
			j->string = pfold_buf_detach(&b, &j->len);
			if (!j->string)
				ret = -PFOLD_E_NOMEM;
		}
		break;
	case '[':
	case '{':
		j->type = c == '[' ? PFOLD_JSON_ARRAY : PFOLD_JSON_OBJECT;
		if (depth >= PFOLD_JSON_MAX_DEPTH) {
			ret = pfold_error(PFOLD_E_LIMIT, "JSON nested deeper than %d levels at offset %zu",
					  PFOLD_JSON_MAX_DEPTH, p->pos);
			break;
		}
		p->pos++;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == (c == '[' ? ']' : '}')) {
			p->pos++;
			break;
		}
		for (;;) {
			struct pfold_json *item = NULL;
			char *key = NULL;

			if (c == '{') {
				skip_ws(p);
				if (p->pos >= p->len || p->s[p->pos] != '"') {
					ret = perr(p, "member name expected");
					break;
				}
				pfold_buf_reset(&b);
				if ((ret = parse_string(p, &b)))
					break;
				key = pfold_buf_detach(&b, NULL);
				if (!key) {
					ret = -PFOLD_E_NOMEM;
					break;
				}
				skip_ws(p);
				if (p->pos >= p->len || p->s[p->pos] != ':') {
					free(key);
					ret = perr(p, "expected ':'");
					break;
				}
				p->pos++;
			}
			ret = parse_value(p, &item, depth + 1);
			if (!ret && (ret = add_item(j, key, item)))
				pfold_json_free(item);
			if (ret) {
				free(key);
				break;
			}
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
				continue;
			}
			if (p->pos < p->len && p->s[p->pos] == (c == '[' ? ']' : '}')) {
				p->pos++;
				break;
			}
			ret = perr(p, c == '[' ? "expected ',' or ']'" : "expected ',' or '}'");
			break;
		}
		break;
	default:
		if (c == '-' || (c >= '0' && c <= '9')) {
			j->type = PFOLD_JSON_NUMBER;
			ret = parse_number(p, &j->number);
		} else {
			ret = perr(p, "unexpected character");
		}
	}
	pfold_buf_release(&b);
	if (ret) {
		pfold_json_free(j);
		return ret;
	}
	*out = j;
	return 0;
}

int pfold_json_parse(struct pfold_json **out, const char *text, size_t len)
{
	struct parser p = { text, len, 0 };
	struct pfold_json *j = NULL;
	int ret;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p.pos = 3;	/* a UTF-8 byte order mark */
	ret = parse_value(&p, &j, 0);
	if (ret)
		return ret;
	skip_ws(&p);
	if (p.pos != p.len) {
		pfold_json_free(j);
		return perr(&p, "trailing characters after the value");
	}
	*out = j;
	return 0;
}

void pfold_json_free(struct pfold_json *j)
{
	size_t i;

	if (!j)
		return;
	if (j->type == PFOLD_JSON_ARRAY || j->type == PFOLD_JSON_OBJECT) {
		for (i = 0; i < j->len; i++) {
			pfold_json_free(j->items[i]);
			if (j->keys)
				free(j->keys[i]);
		}
	}
	free(j->items);
	free(j->keys);
	free(j->string);
	free(j);
}

const struct pfold_json *pfold_json_get(const struct pfold_json *j, const char *key)
{
	size_t i;

	if (!j || j->type != PFOLD_JSON_OBJECT)
		return NULL;
	for (i = j->len; i-- > 0;)
		if (!strcmp(j->keys[i], key))
			return j->items[i];
	return NULL;
}

const char *pfold_json_str(const struct pfold_json *j)
{
	return j && j->type == PFOLD_JSON_STRING ? j->string : NULL;
}

int pfold_json_num(const struct pfold_json *j, double *v)
{
	if (!j || j->type != PFOLD_JSON_NUMBER)
		return -1;
	*v = j->number;
	return 0;
}

/* ---- writer ---- */

void pfold_jw_init(struct pfold_json_writer *w, struct pfold_buf *buf)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->first[0] = 1;
}

static void jw_check(struct pfold_json_writer *w, int ret)
{
	if (ret && !w->err)
		w->err = ret;
}

/* separator, indentation and "key": before a value */
static void jw_prefix(struct pfold_json_writer *w, const char *key)
{
	struct pfold_buf *b = w->buf;
	int i;

	if (w->err)
		return;
	if (w->depth > 0) {
		if (!w->first[w->depth])
			jw_check(w, pfold_buf_addch(b, ','));
		if (w->compact[w->depth]) {
			if (!w->first[w->depth])
				jw_check(w, pfold_buf_addch(b, ' '));
		} else {
			jw_check(w, pfold_buf_addch(b, '\n'));
			for (i = 0; i < w->depth; i++)
				jw_check(w, pfold_buf_adds(b, "  "));
		}
	}
	w->first[w->depth] = 0;
	if (key) {
		jw_check(w, pfold_buf_addch(b, '"'));
		jw_check(w, pfold_buf_add_json(b, key, strlen(key)));
		jw_check(w, pfold_buf_adds(b, "\": "));
	}
}

static void jw_begin(struct pfold_json_writer *w, const char *key, int compact, char open)
{
	jw_prefix(w, key);
	if (w->err)
		return;
	if (w->depth >= PFOLD_JSON_MAX_DEPTH) {
		w->err = pfold_error(PFOLD_E_LIMIT, "JSON writer nested too deep");
		return;
	}
	jw_check(w, pfold_buf_addch(w->buf, open));
	w->depth++;
	w->first[w->depth] = 1;
	w->compact[w->depth] = compact || w->compact[w->depth - 1];
}

static void jw_end(struct pfold_json_writer *w, char close)
{
	int i;

	if (w->err)
		return;
	if (w->depth <= 0) {
		w->err = pfold_error(PFOLD_E_INVAL, "JSON writer: unbalanced end");
		return;
	}
	if (!w->first[w->depth] && !w->compact[w->depth]) {
		jw_check(w, pfold_buf_addch(w->buf, '\n'));
		for (i = 0; i < w->depth - 1; i++)
			jw_check(w, pfold_buf_adds(w->buf, "  "));
	}
	w->depth--;
	jw_check(w, pfold_buf_addch(w->buf, close));
}

void pfold_jw_begin_object(struct pfold_json_writer *w, const char *key, int compact)
{
	jw_begin(w, key, compact, '{');
}

void pfold_jw_end_object(struct pfold_json_writer *w)
{
	jw_end(w, '}');
}

void pfold_jw_begin_array(struct pfold_json_writer *w, const char *key, int compact)
{
	jw_begin(w, key, compact, '[');
}

void pfold_jw_end_array(struct pfold_json_writer *w)
{
	jw_end(w, ']');
}

void pfold_jw_string(struct pfold_json_writer *w, const char *key, const char *s)
{
	if (!s) {
		pfold_jw_null(w, key);
		return;
	}
	jw_prefix(w, key);
	if (w->err)
		return;
	jw_check(w, pfold_buf_addch(w->buf, '"'));
	jw_check(w, pfold_buf_add_json(w->buf, s, strlen(s)));
	jw_check(w, pfold_buf_addch(w->buf, '"'));
}

void pfold_jw_number(struct pfold_json_writer *w, const char *key, double v)
{
	if (!isfinite(v)) {
		pfold_jw_null(w, key);
		return;
	}
	jw_prefix(w, key);
	if (w->err)
		return;
	if (v == floor(v) && fabs(v) < 1e15) {
		jw_check(w, pfold_buf_addf(w->buf, "%.0f", v));
	} else {
		char tmp[40];

		/* the shortest of 15 or 17 digits that reads back as the same double */
		snprintf(tmp, sizeof(tmp), "%.15g", v);
		if (strtod(tmp, NULL) != v)
			snprintf(tmp, sizeof(tmp), "%.17g", v);
		jw_check(w, pfold_buf_adds(w->buf, tmp));
	}
}

void pfold_jw_bool(struct pfold_json_writer *w, const char *key, int v)
{
	jw_prefix(w, key);
	if (!w->err)
		jw_check(w, pfold_buf_adds(w->buf, v ? "true" : "false"));
}

void pfold_jw_null(struct pfold_json_writer *w, const char *key)
{
	jw_prefix(w, key);
	if (!w->err)
		jw_check(w, pfold_buf_adds(w->buf, "null"));
}

int pfold_jw_finish(struct pfold_json_writer *w)
{
	if (!w->err && w->depth)
		w->err = pfold_error(PFOLD_E_INVAL, "JSON writer: %d containers left open", w->depth);
	if (!w->err)
		jw_check(w, pfold_buf_addch(w->buf, '\n'));
	return w->err;
}
