/* SPDX-License-Identifier: MIT */
/* profile.h: the profile: one stack table with a counter vector per stack. */
#ifndef PFOLD_PROFILE_H
#define PFOLD_PROFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A profile holds:
 *   - a list of event names (the counter slots, in order: slot i of every
 *     stack's counter vector counts event i);
 *   - a frame table: each frame is a string (the exact text written in a
 *     folded line, annotation suffix such as "_[k]" included) plus a kind;
 *     frames are interned on (name, kind) and named by a uint32_t id;
 *   - a stack table: each stack is a root-first array of frame ids, unique
 *     in the profile, with one uint64_t counter per event.
 *
 * Stack indices (0 .. nr_stacks-1) are stable: they follow insertion order
 * and never change when stacks or events are added. The sorted order of
 * stackcollapse-perf.pl (plain byte-wise `sort` of the folded line, i.e. of
 * the frame names joined by ';') is obtained with pfold_profile_sorted().
 *
 * A profile is not thread-safe; one writer at a time.
 */

/* The kind of a frame; used for colouring and annotation. */
enum pfold_frame_kind {
	PFOLD_FRAME_USER = 0,	/* native user-space code (also: unknown) */
	PFOLD_FRAME_KERNEL = 1,	/* kernel code ("_[k]" in folded text) */
	PFOLD_FRAME_JIT = 2,	/* JIT code: perf map, jitdump, py::, JS ("_[j]") */
	PFOLD_FRAME_INLINED = 3,	/* an inlined function ("_[i]") */
	PFOLD_FRAME_OTHER = 4,	/* synthetic: comm/pid/tid root, "-" separator */
};

struct pfold_profile;

/* pfold_stack - a read-only view of one stack; valid until the profile changes. */
struct pfold_stack {
	const uint32_t *frames;	/* root first */
	size_t nframes;
	const uint64_t *counts;	/* pfold_profile_nr_events() slots */
};

/*
 * pfold_profile_open - a new empty profile (no events, frames or stacks) in
 * *OUT, which the caller owns and frees with pfold_profile_close(). *OUT is
 * set only on success. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_profile_open(struct pfold_profile **out);

/* pfold_profile_close - free P and everything it holds; NULL is ignored. */
void pfold_profile_close(struct pfold_profile *p);

/* pfold_profile_clear - forget all stacks, frames and events of P; keeps the storage. */
void pfold_profile_clear(struct pfold_profile *p);

/* ---- events (the counter slots) ---- */

/*
 * pfold_profile_add_event - the slot of event NAME (copied), added at the end
 * when P has no event of that name. Existing stacks get 0 in a new slot.
 * Returns the slot index (>= 0) or -PFOLD_E_NOMEM / -PFOLD_E_INVAL (empty name
 * or a name with whitespace or ',').
 */
int pfold_profile_add_event(struct pfold_profile *p, const char *name);

/* pfold_profile_find_event - the slot of NAME, or -PFOLD_E_NOT_FOUND. */
int pfold_profile_find_event(const struct pfold_profile *p, const char *name);

/* pfold_profile_nr_events - the number of counter slots. */
size_t pfold_profile_nr_events(const struct pfold_profile *p);

/* pfold_profile_event_name - the name of slot I (owned by P), NULL when out of range. */
const char *pfold_profile_event_name(const struct pfold_profile *p, size_t i);

/* ---- frames ---- */

/*
 * pfold_profile_intern - the id of the frame (NAME[0..LEN), KIND) in *ID,
 * adding it (the text is copied) if new. NAME may contain any byte but NUL
 * and '\n'; callers that write folded text keep ';' out of names (the folded
 * readers and writers do not escape). Returns 0 or -PFOLD_E_NOMEM /
 * -PFOLD_E_INVAL (NUL or newline in the name) / -PFOLD_E_LIMIT.
 */
int pfold_profile_intern(struct pfold_profile *p, const char *name, size_t len,
			 enum pfold_frame_kind kind, uint32_t *id);

/* pfold_profile_nr_frames - the number of distinct frames. */
size_t pfold_profile_nr_frames(const struct pfold_profile *p);

/* pfold_profile_frame_name - the NUL-terminated text of frame ID (owned by P), NULL if out of range. */
const char *pfold_profile_frame_name(const struct pfold_profile *p, uint32_t id);

/* pfold_profile_frame_len - the length of frame ID's text (0 if out of range). */
size_t pfold_profile_frame_len(const struct pfold_profile *p, uint32_t id);

/* pfold_profile_frame_kind - the kind of frame ID (PFOLD_FRAME_USER if out of range). */
enum pfold_frame_kind pfold_profile_frame_kind(const struct pfold_profile *p, uint32_t id);

/*
 * struct pfold_frame_origin - optional metadata of a frame: where its code
 * comes from. It is not part of the frame's identity (name, kind): folded
 * output, merging and flame graphs ignore it; exporters (pprof) use it.
 * Any string may be NULL and line 0 (unknown).
 */
struct pfold_frame_origin {
	const char *object;	/* the object's path as the recording names it */
	const char *build_id;	/* the object's build id, lower-case hex */
	uint64_t address;	/* within the object (file offset for ELF files) */
	const char *file;	/* source file */
	unsigned line;		/* source line, 0 if unknown */
};

/*
 * pfold_profile_set_frame_origin - attach O (its strings are copied) to
 * frame ID, unless the frame has an origin already (the first one wins).
 * Returns 1 when stored, 0 when the frame had one, or -PFOLD_E_NOMEM /
 * -PFOLD_E_INVAL (unknown frame id).
 */
int pfold_profile_set_frame_origin(struct pfold_profile *p, uint32_t id,
				   const struct pfold_frame_origin *o);

/* pfold_profile_frame_origin - the origin of frame ID (owned by P), or NULL when it has none. */
const struct pfold_frame_origin *pfold_profile_frame_origin(const struct pfold_profile *p,
							    uint32_t id);

/* ---- stacks ---- */

/*
 * pfold_profile_add - add COUNTS (pfold_profile_nr_events() values, taken in
 * slot order) to the stack FRAMES[0..NFRAMES) (root first; ids from
 * pfold_profile_intern), creating it with zero counters if new. Nothing is
 * kept from the arguments. NFRAMES may be 0 (an empty stack). This is the hot
 * path: one hash of the id sequence, no allocation for an existing stack.
 * Returns the stack index (>= 0) or -PFOLD_E_NOMEM / -PFOLD_E_INVAL (an
 * unknown frame id) / -PFOLD_E_LIMIT.
 */
long pfold_profile_add(struct pfold_profile *p, const uint32_t *frames,
		       size_t nframes, const uint64_t *counts);

/*
 * pfold_profile_add1 - like pfold_profile_add() but adds VALUE to slot EVENT
 * only. Returns the stack index or a negative code (-PFOLD_E_INVAL for a bad
 * slot).
 */
long pfold_profile_add1(struct pfold_profile *p, const uint32_t *frames,
			size_t nframes, size_t event, uint64_t value);

/* pfold_profile_nr_stacks - the number of distinct stacks. */
size_t pfold_profile_nr_stacks(const struct pfold_profile *p);

/*
 * pfold_profile_stack - a view of stack I in *OUT (pointers owned by P, valid
 * until P is next modified). Returns 0 or -PFOLD_E_INVAL (I out of range).
 */
int pfold_profile_stack(const struct pfold_profile *p, size_t i,
			struct pfold_stack *out);

/*
 * pfold_profile_sorted - the stack indices of P in stackcollapse-perf.pl's
 * order (byte-wise comparison of the ';'-joined frame names; ties, which only
 * equal-text stacks of different kinds can make, keep insertion order), in a
 * new array *ORDER of pfold_profile_nr_stacks() elements that the caller
 * frees with free(). *ORDER is set only on success (NULL for an empty
 * profile). Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_profile_sorted(const struct pfold_profile *p, size_t **order);

/* pfold_profile_total - the sum of slot EVENT over all stacks (0 if out of range). */
uint64_t pfold_profile_total(const struct pfold_profile *p, size_t event);

/*
 * pfold_profile_merge - add every stack of SRC into DST. Events are matched
 * by name; events of SRC that DST lacks are added to DST (as new slots,
 * after DST's). Frames are matched on (name, kind); their origins are
 * copied where DST's frame has none. SRC is not changed.
 * Merging is associative and commutative up to slot and stack order.
 * Returns 0 or a negative code (DST may then hold part of SRC).
 */
int pfold_profile_merge(struct pfold_profile *dst, const struct pfold_profile *src);

/*
 * pfold_stack_rewrite_fn - rewrite one stack in place: FRAMES[0..*NFRAMES)
 * are frame ids of NAMES (room for one more); new names are interned into
 * NAMES. Returns 1 to keep the stack, 0 to drop it, or a negative code.
 */
typedef int (*pfold_stack_rewrite_fn)(void *arg, struct pfold_profile *names,
				      uint32_t *frames, size_t *nframes);

/*
 * pfold_profile_rewrite - add to OUT every stack of IN (not changed) passed
 * through FN (with ARG), with its counters. Returns 0 or a negative code
 * (FN's, or -PFOLD_E_NOMEM); OUT may then hold part of the result.
 */
int pfold_profile_rewrite(const struct pfold_profile *in, pfold_stack_rewrite_fn fn,
			  void *arg, struct pfold_profile *out);

/*
 * Folded text (reading and writing both forms, FlameGraph's single-event
 * lines and pfold's multi-column form with its header) is in folded.h.
 */

#endif
