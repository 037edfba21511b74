/* SPDX-License-Identifier: MIT */
/* flame-svg.h: a laid-out flamegraph as a self-contained interactive SVG. */
#ifndef PFOLD_FLAME_SVG_H
#define PFOLD_FLAME_SVG_H

#include "buf.h"
#include "flame.h"

/* struct pfold_flame_svg_options - how to draw; zero-initialise, then set. */
struct pfold_flame_svg_options {
	const char *title;	/* NULL: "Flame Graph", "Icicle Graph" or "Differential Flame Graph" */
	const char *note;	/* extra subtitle text (fallbacks that happened); may be NULL */
	int icicle;		/* root at the top */
	int color_num;		/* --color-by NUM/DEN: event slots; -1 for the palette by kind */
	int color_den;
	int normalized;		/* diff: base was scaled to the current total */
	const char *diff_event;	/* diff: the name of the event compared (may be NULL) */
};

/*
 * pfold_flame_svg - append the SVG of layout F to OUT. Every name (frames,
 * events, title, note) goes through the XML escaper after invalid UTF-8 and
 * control bytes are replaced; names never enter the script, which reads them
 * from the DOM. Nothing is taken over. Returns 0 or -PFOLD_E_NOMEM /
 * -PFOLD_E_INVAL (a colour slot out of range).
 */
int pfold_flame_svg(const struct pfold_flame *f, const struct pfold_flame_svg_options *o,
		    struct pfold_buf *out);

/*
 * pfold_svg_add_text - append S[0..LEN) escaped for XML text or
 * attributes, with invalid UTF-8 sequences and control bytes (but tab and
 * newline) replaced by '?', so that the result is always well-formed.
 * Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_svg_add_text(struct pfold_buf *b, const char *s, size_t len);

/*
 * pfold_utf8_clean - append S[0..LEN) to B with each byte of an invalid
 * UTF-8 sequence (and U+FFFE, U+FFFF, surrogates) replaced by '?', for the
 * formats that require UTF-8 (JSON, protobuf strings). Returns 0 or
 * -PFOLD_E_NOMEM.
 */
int pfold_utf8_clean(struct pfold_buf *b, const char *s, size_t len);

#endif
