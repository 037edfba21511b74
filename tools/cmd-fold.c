// SPDX-License-Identifier: MIT
/* cmd-fold.c: pfold fold: perf.data or `perf script` text to folded stacks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "builtin.h"
#include "error.h"
#include "filter.h"
#include "fold-options.h"
#include "folded.h"
#include "parse-options.h"
#include "perf-script.h"
#include "profile.h"
#include "stacks.h"
#include "usage.h"

static const char *const fold_usage[] = {
	"pfold fold [-i FILE|-] [-o OUT] [--input perf-data|perf-script] [-e EV | --all-events] [OPTIONS]",
	NULL
};

/* an input with its first bytes already read (to tell perf.data from text) */
struct peeked {
	FILE *f;
	char head[8];
	size_t nhead, pos;
};

static ssize_t peeked_read(void *cookie, char *buf, size_t size)
{
	struct peeked *p = cookie;
	size_t n = 0;

	if (p->pos < p->nhead) {
		n = p->nhead - p->pos < size ? p->nhead - p->pos : size;
		memcpy(buf, p->head + p->pos, n);
		p->pos += n;
		return (ssize_t)n;
	}
	n = fread(buf, 1, size, p->f);
	if (!n && ferror(p->f))
		return -1;
	return (ssize_t)n;
}

static void fold_warn(void *arg, const char *msg)
{
	warning("%s", msg);
}

/* The perf.data path: H5's pipeline (src/stacks.h). */
static int fold_perf_data(const char *path, const struct pfold_fold_options *opts,
			  struct pfold_profile *prof, struct pfold_fold_stats *st)
{
	return pfold_fold_perf_data(path, opts, prof, st, fold_warn, NULL);
}

static int add_rules(struct pfold_filter *f, enum pfold_filter_rule rule,
		     const struct string_list *l)
{
	size_t i;
	int ret;

	for (i = 0; i < l->nr; i++) {
		ret = pfold_filter_add(f, rule, l->items[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void report(const char *path, const struct pfold_fold_stats *st, int defaulted)
{
	if (st->bad_lines)
		warning("%s: skipped %lu line%s that %s not perf script output (the first: line %lu)",
			path, st->bad_lines, st->bad_lines == 1 ? "" : "s",
			st->bad_lines == 1 ? "is" : "are", st->first_bad_line);
	if (defaulted && st->other_events)
		warning("%s: folded only the first event, '%s'; %lu sample%s of other events left out "
			"(-e EVENT picks one, --all-events keeps all)",
			path, st->first_event, st->other_events, st->other_events == 1 ? "" : "s");
}

int cmd_fold(int argc, const char **argv)
{
	const char *in = NULL, *out = NULL, *input = NULL, *weight = NULL;
	struct string_list include = { 0 }, exclude = { 0 }, collapse = { 0 }, rename = { 0 };
	struct string_list pydrop = { 0 };
	struct pfold_fold_options opts = { 0 };
	struct pfold_fold_stats st = { 0 };
	struct pfold_profile *prof;
	struct pfold_filter *filter = NULL;
	int all = 0, ret, is_stdin;
	FILE *f, *o;
	const struct option_def options[] = {
		OPT_GROUP("Input and output"),
		OPT_STRING('i', "input-file", &in, "FILE",
			   "perf.data or perf script text ('-': stdin; default: perf.data, or stdin when it is not a terminal)"),
		OPT_STRING('o', "output", &out, "OUT", "write the folded stacks to OUT (default: stdout)"),
		OPT_STRING(0, "input", &input, "KIND",
			   "perf-data or perf-script (default: detected from the first bytes)"),
		OPT_GROUP("Events and weights"),
		OPT_STRING('e', "event", &opts.event, "EV", "fold only samples of EV (default: the first event seen)"),
		OPT_BOOL(0, "all-events", &opts.all_events,
			 "one column per event, with a '# pfold-folded events=' header"),
		OPT_STRING(0, "weight", &weight, "HOW",
			   "samples (1 per sample) or period (default: period, 1 when absent)"),
		OPT_GROUP("Naming (as stackcollapse-perf.pl)"),
		OPT_BOOL(0, "pid", &opts.include_pid, "root frame comm-PID"),
		OPT_BOOL(0, "tid", &opts.include_tid, "root frame comm-PID/TID"),
		/* not OPT_BOOL: its --no-kernel would shadow the option below */
		OPT_SET_INT(0, "kernel", &opts.annotate_kernel, "kernel frames end in _[k]", 1),
		OPT_BOOL(0, "jit", &opts.annotate_jit, "JIT frames (perf maps) end in _[j]"),
		OPT_BOOL(0, "all", &all, "both --kernel and --jit"),
		OPT_BOOL(0, "addrs", &opts.include_addrs, "unknown frames show their address"),
		OPT_BOOL(0, "inline", &opts.show_inline, "inlined functions as frames (perf.data: DWARF)"),
		OPT_BOOL(0, "no-kernel", &opts.no_kernel, "leave kernel frames out"),
		OPT_BOOL(0, "python", &opts.python,
			 "the Python view: py:: frames as func (file.py), interpreter frames hidden"),
		OPT_STRING_LIST(0, "python-drop", &pydrop, "RE",
				"with --python: hide frames matching RE instead of the defaults ('default': them too)"),
		OPT_GROUP("Frame rules (PCRE2)"),
		OPT_STRING_LIST(0, "include", &include, "RE", "keep only stacks with a frame matching RE"),
		OPT_STRING_LIST(0, "exclude", &exclude, "RE", "drop stacks with a frame matching RE"),
		OPT_STRING_LIST(0, "collapse", &collapse, "RE",
				"end the stack at the first frame matching RE"),
		OPT_STRING_LIST(0, "rename", &rename, "s/RE/REPL/", "rewrite frame names"),
		OPT_GROUP("Symbols (perf.data)"),
		OPT_STRING(0, "symfs", &opts.symfs, "DIR", "look for objects under DIR"),
		OPT_STRING(0, "kallsyms", &opts.kallsyms, "FILE", "kernel symbols from FILE"),
		OPT_BOOL(0, "force", &opts.force, "use perf maps owned by another user"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, fold_usage, 0);
	if (argc > 0)
		die("fold takes no arguments ('%s'); the input is -i FILE", argv[0]);
	if (all)
		opts.annotate_kernel = opts.annotate_jit = 1;
	if (opts.all_events && opts.event)
		die("-e and --all-events cannot be used together");
	if (!weight)
		opts.weight = PFOLD_WEIGHT_DEFAULT;
	else if (!strcmp(weight, "samples"))
		opts.weight = PFOLD_WEIGHT_SAMPLES;
	else if (!strcmp(weight, "period"))
		opts.weight = PFOLD_WEIGHT_PERIOD;
	else
		die("--weight wants samples or period, not '%s'", weight);
	if (pydrop.nr) {
		if (!opts.python)
			die("--python-drop needs --python");
		opts.python_drop = (const char *const *)pydrop.items;
		opts.nr_python_drop = pydrop.nr;
	}
	if (!input)
		opts.input = PFOLD_INPUT_DETECT;
	else if (!strcmp(input, "perf-data"))
		opts.input = PFOLD_INPUT_PERF_DATA;
	else if (!strcmp(input, "perf-script"))
		opts.input = PFOLD_INPUT_PERF_SCRIPT;
	else
		die("--input wants perf-data or perf-script, not '%s'", input);
	if (include.nr + exclude.nr + collapse.nr + rename.nr) {
		ret = pfold_filter_open(&filter);
		if (!ret)
			ret = add_rules(filter, PFOLD_FILTER_INCLUDE, &include);
		if (!ret)
			ret = add_rules(filter, PFOLD_FILTER_EXCLUDE, &exclude);
		if (!ret)
			ret = add_rules(filter, PFOLD_FILTER_COLLAPSE, &collapse);
		if (!ret)
			ret = add_rules(filter, PFOLD_FILTER_RENAME, &rename);
		if (ret)
			die_error(ret, NULL);
		opts.filter = filter;
	}

	if (!in)
		in = (opts.input == PFOLD_INPUT_PERF_SCRIPT || !isatty(0)) ? "-" : "perf.data";
	is_stdin = !strcmp(in, "-");

	ret = pfold_profile_open(&prof);
	if (ret)
		die_error(ret, NULL);

	if (opts.input == PFOLD_INPUT_PERF_DATA) {
		ret = fold_perf_data(in, &opts, prof, &st);
	} else {
		struct peeked pk = { 0 };
		cookie_io_functions_t io = { peeked_read, NULL, NULL, NULL };
		const char *name = is_stdin ? "standard input" : in;

		pk.f = is_stdin ? stdin : fopen(in, "r");
		if (!pk.f)
			die("cannot open '%s': %s", in, strerror(errno));
		if (opts.input == PFOLD_INPUT_DETECT) {
			pk.nhead = fread(pk.head, 1, sizeof(pk.head), pk.f);
			if (pk.nhead == 8 && (!memcmp(pk.head, "PERFILE2", 8) ||
					      !memcmp(pk.head, "2ELIFREP", 8))) {
				if (!is_stdin) {
					fclose(pk.f);
					ret = fold_perf_data(in, &opts, prof, &st);
					goto folded;
				}
				die("%s: a perf.data stream on standard input needs --input perf-data",
				    name);
			}
		}
		f = fopencookie(&pk, "r", io);
		if (!f)
			die("cannot read '%s': %s", in, strerror(errno));
		if (opts.show_inline)
			warning("--inline: perf script input is folded without addr2line "
				"(frames stay as perf script names them)");
		if (opts.symfs || opts.kallsyms || opts.force)
			warning("--symfs, --kallsyms and --force apply to perf.data input only");
		ret = pfold_perf_script_fold(f, name, &opts, prof, &st);
		fclose(f);
		if (!is_stdin)
			fclose(pk.f);
		in = name;
	}
folded:
	if (ret < 0)
		die_error(ret, NULL);
	report(in, &st, !opts.event && !opts.all_events);
	if (opts.python && !st.python_stacks)
		warning("%s: --python: no py:: frames (Python 3.12 or later names them with -X perf or -X perf_jit)",
			in);

	o = open_output(out, 0644);
	ret = pfold_folded_write_file(prof, opts.all_events ? -1 : 0, o);
	if (ret == -PFOLD_E_INVAL && !pfold_profile_nr_events(prof))
		ret = 0;	/* nothing was folded: empty output */
	if (ret < 0)
		die_error(ret, out ? out : "standard output");
	close_output(o, out);

	pfold_profile_close(prof);
	pfold_filter_close(filter);
	string_list_release(&include);
	string_list_release(&exclude);
	string_list_release(&collapse);
	string_list_release(&rename);
	string_list_release(&pydrop);
	return 0;
}
