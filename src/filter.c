// SPDX-License-Identifier: MIT
/* filter.c: PCRE2 frame rules (include, exclude, collapse, rename), cached per frame. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "filter.h"

struct rule {
	enum pfold_filter_rule kind;
	pcre2_code *re;
	char *repl;		/* RENAME: the replacement */
	size_t repl_len;
	int global;		/* RENAME: 'g' */
};

/* per-frame cache bits */
#define C_DONE 1u
#define C_INCLUDE 2u
#define C_EXCLUDE 4u
#define C_COLLAPSE 8u

struct pfold_filter {
	struct rule *rules;
	size_t nr, alloc;
	int has_include, has_exclude, has_collapse, has_rename;
	pcre2_match_data *md;

	const struct pfold_profile *cache_for;
	uint8_t *flags;		/* per frame id */
	uint32_t *renamed;	/* per frame id: new id + 1, 0 = not yet */
	size_t cache_alloc_flags, cache_alloc_renamed;
	struct pfold_buf sub;	/* substitution output */
};

int pfold_filter_open(struct pfold_filter **out)
{
	struct pfold_filter *f = calloc(1, sizeof(*f));

	if (!f)
		return pfold_error(PFOLD_E_NOMEM, "out of memory allocating frame rules");
	*out = f;
	return 0;
}

void pfold_filter_close(struct pfold_filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nr; i++) {
		pcre2_code_free(f->rules[i].re);
		free(f->rules[i].repl);
	}
	free(f->rules);
	pcre2_match_data_free(f->md);
	free(f->flags);
	free(f->renamed);
	pfold_buf_release(&f->sub);
	free(f);
}

int pfold_filter_empty(const struct pfold_filter *f)
{
	return !f || !f->nr;
}

/* compile RE[0..LEN); SHOWN is the option's text, RE starts at byte BASE of it */
static int compile(const char *shown, size_t base, const char *re, size_t len,
		   uint32_t options, pcre2_code **out)
{
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];
	pcre2_code *code;

	code = pcre2_compile((PCRE2_SPTR)re, len, options, &errcode, &erroff, NULL);
	if (!code) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return pfold_error(PFOLD_E_REGEX, "bad pattern '%s': %s at offset %zu",
				   shown, (const char *)msg, base + (size_t)erroff);
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);	/* optional: ignore failure */
	*out = code;
	return 0;
}

/* parse "s/RE/REPL/flags" into R; the delimiter is the character after 's' */
static int parse_rename(const char *pattern, struct rule *r)
{
	const char *s = pattern, *re, *re_end, *rp;
	struct pfold_buf repl = PFOLD_BUF_INIT;
	uint32_t options = 0;
	char delim;
	int ret;

	if (s[0] != 's' || !s[1] || s[1] == '\\' || (s[1] >= 'a' && s[1] <= 'z') ||
	    (s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9'))
		return pfold_error(PFOLD_E_REGEX,
				   "bad pattern '%s': a rename is s/REGEX/REPLACEMENT/ at offset 0",
				   pattern);
	delim = s[1];
	re = s + 2;
	for (re_end = re; *re_end && *re_end != delim; re_end++)
		if (*re_end == '\\' && re_end[1])
			re_end++;
	if (!*re_end)
		return pfold_error(PFOLD_E_REGEX, "bad pattern '%s': missing '%c' after the regex at offset %zu",
				   pattern, delim, (size_t)(re_end - pattern));
	for (rp = re_end + 1; *rp && *rp != delim; rp++) {
		if (*rp == '\\' && rp[1] == delim)
			rp++;
		if (pfold_buf_addch(&repl, *rp))
			goto err_nomem;
	}
	if (!*rp) {
		pfold_buf_release(&repl);
		return pfold_error(PFOLD_E_REGEX, "bad pattern '%s': missing '%c' after the replacement at offset %zu",
				   pattern, delim, (size_t)(rp - pattern));
	}
	for (rp++; *rp; rp++) {
		if (*rp == 'g') {
			r->global = 1;
		} else if (*rp == 'i') {
			options |= PCRE2_CASELESS;
		} else {
			pfold_buf_release(&repl);
			return pfold_error(PFOLD_E_REGEX, "bad pattern '%s': unknown flag '%c' at offset %zu",
					   pattern, *rp, (size_t)(rp - pattern));
		}
	}
	ret = compile(pattern, (size_t)(re - pattern), re, (size_t)(re_end - re), options,
		      &r->re);
	if (ret < 0) {
		pfold_buf_release(&repl);
		return ret;
	}
	if (pfold_buf_addch(&repl, '\0'))	/* an empty replacement still has storage */
		goto err_nomem;
	r->repl = pfold_buf_detach(&repl, &r->repl_len);
	r->repl_len--;
	return 0;

err_nomem:
	pfold_buf_release(&repl);
	return pfold_error(PFOLD_E_NOMEM, "out of memory compiling '%s'", pattern);
}

int pfold_filter_add(struct pfold_filter *f, enum pfold_filter_rule kind, const char *pattern)
{
	struct rule r = { kind, NULL, NULL, 0, 0 };
	int ret;

	if (!f->md) {
		f->md = pcre2_match_data_create(32, NULL);
		if (!f->md)
			return pfold_error(PFOLD_E_NOMEM, "out of memory compiling '%s'", pattern);
	}
	if (kind == PFOLD_FILTER_RENAME)
		ret = parse_rename(pattern, &r);
	else
		ret = compile(pattern, 0, pattern, PCRE2_ZERO_TERMINATED, 0, &r.re);
	if (ret < 0)
		return ret;
	if (PFOLD_GROW(f->rules, f->alloc, f->nr + 1)) {
		pcre2_code_free(r.re);
		free(r.repl);
		return pfold_error(PFOLD_E_NOMEM, "out of memory compiling '%s'", pattern);
	}
	f->rules[f->nr++] = r;
	switch (kind) {
	case PFOLD_FILTER_INCLUDE:
		f->has_include = 1;
		break;
	case PFOLD_FILTER_EXCLUDE:
		f->has_exclude = 1;
		break;
	case PFOLD_FILTER_COLLAPSE:
		f->has_collapse = 1;
		break;
	case PFOLD_FILTER_RENAME:
		f->has_rename = 1;
		break;
	}
	/* a new rule invalidates what was cached */
	f->cache_for = NULL;
	return 0;
}

static int matches(struct pfold_filter *f, const struct rule *r, const char *s, size_t len)
{
	return pcre2_match(r->re, (PCRE2_SPTR)s, len, 0, 0, f->md, NULL) >= 0;
}

static int ensure_cache(struct pfold_filter *f, const struct pfold_profile *p)
{
	size_t n = pfold_profile_nr_frames(p), old_f = f->cache_alloc_flags,
	       old_r = f->cache_alloc_renamed;

	if (f->cache_for != p) {
		if (f->flags)
			memset(f->flags, 0, old_f * sizeof(*f->flags));
		if (f->renamed)
			memset(f->renamed, 0, old_r * sizeof(*f->renamed));
		f->cache_for = p;
	}
	if (n > old_f) {
		if (PFOLD_GROW(f->flags, f->cache_alloc_flags, n))
			return -PFOLD_E_NOMEM;
		memset(f->flags + old_f, 0, (f->cache_alloc_flags - old_f) * sizeof(*f->flags));
	}
	if (n > old_r) {
		if (PFOLD_GROW(f->renamed, f->cache_alloc_renamed, n))
			return -PFOLD_E_NOMEM;
		memset(f->renamed + old_r, 0,
		       (f->cache_alloc_renamed - old_r) * sizeof(*f->renamed));
	}
	return 0;
}

/* the id of frame ID after every rename rule */
static int rename_frame(struct pfold_filter *f, struct pfold_profile *p, uint32_t id,
			uint32_t *out)
{
	const char *name = pfold_profile_frame_name(p, id);
	size_t len = pfold_profile_frame_len(p, id), i;
	struct pfold_buf cur = PFOLD_BUF_INIT;
	int ret = 0, changed = 0;

	if (f->renamed[id]) {
		*out = f->renamed[id] - 1;
		return 0;
	}
	if (pfold_buf_add(&cur, name, len))
		goto err_nomem;
	for (i = 0; i < f->nr; i++) {
		const struct rule *r = &f->rules[i];
		PCRE2_SIZE outlen;
		int rc;

		if (r->kind != PFOLD_FILTER_RENAME)
			continue;
		if (pfold_buf_grow(&f->sub, cur.len * 2 + r->repl_len + 64))
			goto err_nomem;
		for (;;) {
			outlen = f->sub.alloc;
			rc = pcre2_substitute(r->re, (PCRE2_SPTR)cur.data, cur.len, 0,
					      PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
					      (r->global ? PCRE2_SUBSTITUTE_GLOBAL : 0),
					      f->md, NULL, (PCRE2_SPTR)r->repl, r->repl_len,
					      (PCRE2_UCHAR *)f->sub.data, &outlen);
			if (rc != PCRE2_ERROR_NOMEMORY)
				break;
			if (pfold_buf_grow(&f->sub, outlen + 1))
				goto err_nomem;
		}
		if (rc < 0) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(rc, msg, sizeof(msg));
			ret = pfold_error(PFOLD_E_REGEX, "rename failed on '%s': %s",
					  cur.data, (const char *)msg);
			goto out_release;
		}
		if (rc == 0)
			continue;
		changed = 1;
		pfold_buf_reset(&cur);
		if (pfold_buf_add(&cur, f->sub.data, outlen))
			goto err_nomem;
	}
	if (!changed) {
		*out = id;
	} else {
		/* names never hold newlines or NULs: a rename that makes one gives '_' */
		for (i = 0; i < cur.len; i++)
			if (cur.data[i] == '\n' || cur.data[i] == '\0')
				cur.data[i] = '_';
		ret = pfold_profile_intern(p, cur.data, cur.len,
					   pfold_profile_frame_kind(p, id), out);
		if (ret < 0)
			goto out_release;
		ret = ensure_cache(f, p);
		if (ret < 0)
			goto err_nomem;
	}
	f->renamed[id] = *out + 1;
	goto out_release;

err_nomem:
	ret = pfold_error(PFOLD_E_NOMEM, "out of memory renaming frames");
out_release:
	pfold_buf_release(&cur);
	return ret;
}

static unsigned frame_flags(struct pfold_filter *f, const struct pfold_profile *p, uint32_t id)
{
	const char *name;
	size_t len, i;
	unsigned fl;

	if (f->flags[id] & C_DONE)
		return f->flags[id];
	name = pfold_profile_frame_name(p, id);
	len = pfold_profile_frame_len(p, id);
	fl = C_DONE;
	for (i = 0; i < f->nr; i++) {
		const struct rule *r = &f->rules[i];
		unsigned bit;

		switch (r->kind) {
		case PFOLD_FILTER_INCLUDE:
			bit = C_INCLUDE;
			break;
		case PFOLD_FILTER_EXCLUDE:
			bit = C_EXCLUDE;
			break;
		case PFOLD_FILTER_COLLAPSE:
			bit = C_COLLAPSE;
			break;
		default:
			continue;
		}
		if (!(fl & bit) && matches(f, r, name, len))
			fl |= bit;
	}
	f->flags[id] = (uint8_t)fl;
	return fl;
}

int pfold_filter_stack(struct pfold_filter *f, struct pfold_profile *p,
		       uint32_t *frames, size_t *nframes)
{
	size_t n = *nframes, i;
	int any_include = 0, ret;

	if (pfold_filter_empty(f))
		return 1;
	if (ensure_cache(f, p) < 0)
		return pfold_error(PFOLD_E_NOMEM, "out of memory applying frame rules");
	if (f->has_rename) {
		for (i = 0; i < n; i++) {
			ret = rename_frame(f, p, frames[i], &frames[i]);
			if (ret < 0)
				return ret;
		}
	}
	for (i = 0; i < n; i++) {
		unsigned fl = frame_flags(f, p, frames[i]);

		if (fl & C_COLLAPSE && f->has_collapse) {
			n = i + 1;
			*nframes = n;
		}
		if (fl & C_EXCLUDE)
			return 0;
		if (fl & C_INCLUDE)
			any_include = 1;
	}
	if (f->has_include && !any_include)
		return 0;
	return 1;
}

static int filter_one(void *arg, struct pfold_profile *names, uint32_t *frames, size_t *n)
{
	return pfold_filter_stack(arg, names, frames, n);
}

int pfold_filter_profile(struct pfold_filter *f, const struct pfold_profile *in,
			 struct pfold_profile *out)
{
	int ret = pfold_profile_rewrite(in, filter_one, f, out);

	if (ret == -PFOLD_E_NOMEM)
		ret = pfold_error(PFOLD_E_NOMEM, "out of memory applying frame rules");
	return ret;
}
