/* SPDX-License-Identifier: MIT */
/* filter.h: frame rules (PCRE2) applied to a stack: include, exclude, collapse, rename. */
#ifndef PFOLD_FILTER_H
#define PFOLD_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/*
 * The rules, applied to each stack in this order whatever the order given:
 *   1. rename  s/RE/REPL/[g]  every frame name is rewritten (PCRE2
 *              substitution: $1, ${name}; 'g' replaces every match, else the
 *              first); the delimiter is the character after 's'.
 *   2. collapse RE   the first frame (root first) matching RE ends the stack:
 *              its callees are cut and their cost goes to it (a recursion or a
 *              whole subtree becomes one frame).
 *   3. exclude RE    a stack with any frame matching RE is dropped.
 *   4. include RE    with include rules, a stack is kept only when some frame
 *              matches one of them.
 * Patterns are PCRE2 (UTF off, no anchoring: "foo" matches "a_foo_b").
 */
enum pfold_filter_rule {
	PFOLD_FILTER_INCLUDE,
	PFOLD_FILTER_EXCLUDE,
	PFOLD_FILTER_COLLAPSE,
	PFOLD_FILTER_RENAME,
};

struct pfold_filter;

/*
 * pfold_filter_open - an empty rule set (keeps every stack unchanged) in
 * *OUT, owned by the caller (pfold_filter_close()). Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_filter_open(struct pfold_filter **out);

/* pfold_filter_close - free F; NULL is ignored. */
void pfold_filter_close(struct pfold_filter *f);

/*
 * pfold_filter_add - compile PATTERN (copied) as a rule of kind RULE (for
 * RENAME: "s/RE/REPL/" or "s/RE/REPL/g"). A pattern that does not compile
 * gives -PFOLD_E_REGEX with a message naming the pattern, PCRE2's reason and
 * offset: "bad pattern '(foo': missing closing parenthesis at offset 4".
 * Returns 0 or -PFOLD_E_REGEX / -PFOLD_E_NOMEM.
 */
int pfold_filter_add(struct pfold_filter *f, enum pfold_filter_rule rule,
		     const char *pattern);

/* pfold_filter_empty - 1 when F is NULL or has no rules. */
int pfold_filter_empty(const struct pfold_filter *f);

/*
 * pfold_filter_stack - apply F's rules to the stack FRAMES[0..*NFRAMES) of
 * frame ids of P, in place: renamed frames are interned into P (kind kept),
 * *NFRAMES may shrink (collapse). F caches per-frame results for P (it may be
 * used with one profile at a time; a different P resets the cache).
 * Returns 1 to keep the stack, 0 to drop it, or a negative code
 * (-PFOLD_E_NOMEM, -PFOLD_E_REGEX for a substitution error).
 */
int pfold_filter_stack(struct pfold_filter *f, struct pfold_profile *p,
		       uint32_t *frames, size_t *nframes);

/*
 * pfold_filter_profile - add to OUT every stack of IN that F keeps, as F
 * rewrites it (events matched by name, as pfold_profile_merge()). IN is not
 * changed. Returns 0 or a negative code.
 */
int pfold_filter_profile(struct pfold_filter *f, const struct pfold_profile *in,
			 struct pfold_profile *out);

#endif
