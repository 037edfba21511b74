/* SPDX-License-Identifier: MIT */
/* python-view.h: the --python view: py:: frames as "func (file.py)", CPython interpreter frames hidden. */
#ifndef PFOLD_PYTHON_VIEW_H
#define PFOLD_PYTHON_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/*
 * The Python view of a stack (root first) that holds py:: frames (the names
 * Python 3.12+ gives its functions in perf maps and jitdumps with -X perf /
 * -X perf_jit: "py::QUALNAME:/path/file.py"):
 *   - the root (comm) frame stays; the native frames before the first py::
 *     frame (_start ... Py_RunMain ... PyEval_EvalCode) go, except
 *     "[truncated]";
 *   - each py:: frame becomes "QUALNAME (file.py)" (the file's base name;
 *     a "_[j]" annotation is kept at the end);
 *   - after the first py:: frame, every frame whose name matches one of the
 *     drop rules (PCRE2, unanchored unless the pattern anchors itself) goes:
 *     by default the CPython interpreter's own call machinery (the eval loop,
 *     vectorcall and slot dispatch, the perf trampolines);
 *   - every other frame stays where it is: C extensions, builtins, libc and
 *     kernel frames called from Python code, so the leaf reads like
 *     py-spy --native.
 * Stacks without py:: frames are left as they are.
 */

/* The default drop rules, NULL-terminated (doc/pfold-fold.1 lists them). */
extern const char *const pfold_python_default_drop[];

struct pfold_python_view;

/*
 * pfold_python_view_open - a view in *OUT (set only on success), owned by
 * the caller (pfold_python_view_close()). DROP[0..NR) are the drop rules
 * (copied); NR 0: the defaults; an entry "default" stands for the defaults
 * among others. Returns 0, -PFOLD_E_REGEX (a pattern that does not compile:
 * the detail names it, PCRE2's reason and the offset) or -PFOLD_E_NOMEM.
 */
int pfold_python_view_open(struct pfold_python_view **out, const char *const *drop,
			   size_t nr);

/* pfold_python_view_close - free V; NULL is ignored. */
void pfold_python_view_close(struct pfold_python_view *v);

/*
 * pfold_python_view_stack - apply V to the stack FRAMES[0..*NFRAMES) of
 * frame ids of P in place (*NFRAMES may shrink; new names are interned into
 * P with the kind of the frame they come from). V caches per frame of P
 * (one profile at a time; another P resets the cache). Returns 1 when the
 * stack held py:: frames (rewritten), 0 when not (unchanged), or
 * -PFOLD_E_NOMEM.
 */
int pfold_python_view_stack(struct pfold_python_view *v, struct pfold_profile *p,
			    uint32_t *frames, size_t *nframes);

/*
 * pfold_python_view_profile - add every stack of IN, in V's view, to OUT
 * (events matched by name). IN is not changed. *NR_PY (may be NULL) gets
 * the number of stacks that held py:: frames. Returns 0 or a negative code.
 */
int pfold_python_view_profile(struct pfold_python_view *v, const struct pfold_profile *in,
			      struct pfold_profile *out, size_t *nr_py);

#endif
