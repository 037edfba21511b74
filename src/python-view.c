// SPDX-License-Identifier: MIT
/* python-view.c: the --python view of a stack: py:: frames renamed, interpreter frames dropped by PCRE2 rules. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "python-view.h"

/*
 * Worked out from CPython 3.12 and 3.13 stacks recorded with -X perf and
 * --call-graph dwarf (calls of functions, methods, classes, properties,
 * generators, functools.partial, decorators, sorted(key=...), map(),
 * integer arithmetic): the frames of the interpreter itself. First the
 * call machinery CPython puts between two Python functions, or between a
 * Python function and the C function it calls; then the runtime the eval
 * loop runs on its own (the C API and its internals, allocation, integer
 * arithmetic, dicts, signals, GC), whose cost is the self cost of the Python
 * function that runs the bytecode. Builtins and C extensions (builtin_sorted,
 * zlib_compress, _json...), libc and the kernel stay.
 */
const char *const pfold_python_default_drop[] = {
	"^_?PyEval",			/* _PyEval_EvalFrameDefault, PyEval_EvalCode, _PyEval_Vector, _PyEvalFramePushAndInit */
	"^_?py_trampoline",		/* py_trampoline_evaluator (the -X perf trampoline's caller) */
	"^_?Py[A-Z]",			/* the C API: PyObject_Vectorcall, _PyObject_Call_Prepend, _PyObject_Malloc, PyNumber_And ... */
	"^_Py_",			/* _Py_NewReference, _Py_HandlePending, _Py_Specialize_BinaryOp ... */
	"^cfunction_(vectorcall|call)",	/* cfunction_vectorcall_FASTCALL_KEYWORDS, cfunction_call */
	"^method_vectorcall",		/* method_vectorcall, method_vectorcall_NOARGS ... */
	"^slot_(tp|nb|sq|mp)_",		/* slot_tp_call, slot_tp_init, slot_nb_or: dunder dispatch */
	"^vectorcall_(maybe|unbound|method)",
	"^(object_vacall|type_call|partial_vectorcall|partial_call)$",
	"^gen_(iternext|send_ex2?)$",	/* resuming a generator */
	"^(long|float|list|tuple|dict|set|unicode|bytes|range|object|type|frame|func|method|cell|code|subtype)_",
	"^[klx]_[a-z_]+$",		/* long arithmetic: k_mul, x_add, x_sub, l_mod ... */
	"^(insertdict|dictresize|new_keys_object|free_keys_object|unicodekeys_lookup_unicode|"
	"find_name_in_mro|build_indices_unicode|visit_decref|visit_reachable|gc_collect_main|"
	"call_trampoline)$",
	"^__tls_get_addr",		/* the thread state */
	"^[^;]*@plt$",			/* PLT stubs between them */
	NULL
};

struct rule {
	pcre2_code *re;
};

/* per frame of the cached profile: 0 unknown, DROP, KEEP, or PY + its new id */
enum {
	STATE_UNKNOWN = 0,
	STATE_DROP,
	STATE_KEEP,
	STATE_PY,
};

struct pfold_python_view {
	struct rule *rules;
	size_t nr_rules, alloc_rules;
	pcre2_match_data *md;
	const struct pfold_profile *cached;
	uint64_t *state;		/* per frame id: state | new id << 8 */
	size_t alloc_state;
	struct pfold_buf name;
};

static int add_rule(struct pfold_python_view *v, const char *pattern)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	pcre2_code *re;
	int errcode;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);
	if (!re) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return pfold_error(PFOLD_E_REGEX, "bad pattern '%s': %s at offset %zu",
				   pattern, (const char *)msg, (size_t)erroff);
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* optional: ignore failure */
	if (PFOLD_GROW(v->rules, v->alloc_rules, v->nr_rules + 1)) {
		pcre2_code_free(re);
		return -PFOLD_E_NOMEM;
	}
	v->rules[v->nr_rules++].re = re;
	return 0;
}

static int add_defaults(struct pfold_python_view *v)
{
	size_t i;
	int ret;

	for (i = 0; pfold_python_default_drop[i]; i++)
		if ((ret = add_rule(v, pfold_python_default_drop[i])))
			return ret;
	return 0;
}

int pfold_python_view_open(struct pfold_python_view **out, const char *const *drop,
			   size_t nr)
{
	struct pfold_python_view *v = calloc(1, sizeof(*v));
	size_t i;
	int ret = 0;

	if (!v)
		return -PFOLD_E_NOMEM;
	if (!nr)
		ret = add_defaults(v);
	for (i = 0; !ret && i < nr; i++)
		ret = !strcmp(drop[i], "default") ? add_defaults(v) : add_rule(v, drop[i]);
	if (!ret) {
		v->md = pcre2_match_data_create(4, NULL);
		if (!v->md)
			ret = -PFOLD_E_NOMEM;
	}
	if (ret) {
		pfold_python_view_close(v);
		return ret;
	}
	*out = v;
	return 0;
}

void pfold_python_view_close(struct pfold_python_view *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->nr_rules; i++)
		pcre2_code_free(v->rules[i].re);
	free(v->rules);
	pcre2_match_data_free(v->md);
	free(v->state);
	pfold_buf_release(&v->name);
	free(v);
}

static int is_py(const char *name)
{
	return !strncmp(name, "py::", 4);
}

/* "py::QUALNAME:/dir/file.py[_[j]]" as "QUALNAME (file.py)[_[j]]" into V->name */
static int py_name(struct pfold_python_view *v, const char *name, size_t len)
{
	const char *s = name + 4, *end = name + len, *colon, *file, *slash;
	const char *suffix = "";

	if (len >= 8 && !memcmp(end - 4, "_[j]", 4)) {
		end -= 4;
		suffix = "_[j]";
	}
	pfold_buf_reset(&v->name);
	colon = memchr(s, ':', (size_t)(end - s));
	if (!colon || colon == s)
		return pfold_buf_add(&v->name, s, (size_t)(end - s)) ||
		       pfold_buf_adds(&v->name, suffix) ? -PFOLD_E_NOMEM : 0;
	file = colon + 1;
	for (slash = file; (slash = memchr(slash, '/', (size_t)(end - slash))); slash++)
		file = slash + 1;
	if (pfold_buf_add(&v->name, s, (size_t)(colon - s)) ||
	    (file < end && (pfold_buf_adds(&v->name, " (") ||
			    pfold_buf_add(&v->name, file, (size_t)(end - file)) ||
			    pfold_buf_addch(&v->name, ')'))) ||
	    pfold_buf_adds(&v->name, suffix))
		return -PFOLD_E_NOMEM;
	return 0;
}

/* the state of frame ID of P, worked out once */
static int classify(struct pfold_python_view *v, struct pfold_profile *p, uint32_t id,
		    uint64_t *state)
{
	const char *name;
	size_t len, i, need = (size_t)id + 1;
	uint32_t nid;
	int ret;

	if (need > v->alloc_state) {
		size_t old = v->alloc_state;

		if (PFOLD_GROW(v->state, v->alloc_state, need))
			return -PFOLD_E_NOMEM;
		memset(v->state + old, 0, (v->alloc_state - old) * sizeof(*v->state));
	}
	if (v->state[id]) {
		*state = v->state[id];
		return 0;
	}
	name = pfold_profile_frame_name(p, id);
	len = pfold_profile_frame_len(p, id);
	if (!name)
		return -PFOLD_E_INVAL;
	if (is_py(name) && len > 4) {
		ret = py_name(v, name, len);
		if (!ret)
			ret = pfold_profile_intern(p, v->name.data, v->name.len,
						   pfold_profile_frame_kind(p, id), &nid);
		if (ret)
			return ret;
		/* interning may have moved P's names: NAME is not used again */
		v->state[id] = STATE_PY | (uint64_t)nid << 8;
		*state = v->state[id];
		return 0;
	}
	v->state[id] = STATE_KEEP;
	for (i = 0; i < v->nr_rules; i++) {
		if (pcre2_match(v->rules[i].re, (PCRE2_SPTR)name, len, 0, 0, v->md, NULL) >= 0) {
			v->state[id] = STATE_DROP;
			break;
		}
	}
	*state = v->state[id];
	return 0;
}

int pfold_python_view_stack(struct pfold_python_view *v, struct pfold_profile *p,
			    uint32_t *frames, size_t *nframes)
{
	size_t n = *nframes, first, i, w;
	uint64_t st;
	int ret;

	if (v->cached != p) {
		if (v->alloc_state)
			memset(v->state, 0, v->alloc_state * sizeof(*v->state));
		v->cached = p;
	}
	for (first = 1; first < n; first++)
		if (is_py(pfold_profile_frame_name(p, frames[first])))
			break;
	if (first >= n)
		return 0;
	w = 1;
	for (i = 1; i < first; i++)
		if (!strcmp(pfold_profile_frame_name(p, frames[i]), "[truncated]"))
			frames[w++] = frames[i];
	for (i = first; i < n; i++) {
		ret = classify(v, p, frames[i], &st);
		if (ret)
			return ret;
		switch (st & 0xff) {
		case STATE_PY:
			frames[w++] = (uint32_t)(st >> 8);
			break;
		case STATE_KEEP:
			frames[w++] = frames[i];
			break;
		default:
			break;
		}
	}
	*nframes = w;
	return 1;
}

struct view_run {
	struct pfold_python_view *v;
	size_t nr_py;		/* stacks that held py:: frames */
};

static int view_one(void *arg, struct pfold_profile *names, uint32_t *frames, size_t *n)
{
	struct view_run *run = arg;
	int ret = pfold_python_view_stack(run->v, names, frames, n);

	if (ret < 0)
		return ret;
	run->nr_py += (size_t)ret;
	return 1;		/* the view keeps every stack */
}

int pfold_python_view_profile(struct pfold_python_view *v, const struct pfold_profile *in,
			      struct pfold_profile *out, size_t *nr_py)
{
	struct view_run run = { v, 0 };
	int ret = pfold_profile_rewrite(in, view_one, &run, out);

	if (!ret && nr_py)
		*nr_py = run.nr_py;
	return ret;
}
