// SPDX-License-Identifier: MIT
/* parse-options.c: turns a command's option table into getopt_long calls and help text. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-options.h"
#include "usage.h"

#define MAX_OPTS 128
#define NO_PREFIX_BASE 0x10000	/* getopt value of --no-NAME for option i */
#define LONG_BASE 0x1000	/* getopt value of a long-only option i */

void string_list_append(struct string_list *l, const char *s)
{
	if (l->nr == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->items = realloc(l->items, l->alloc * sizeof(*l->items));
		if (!l->items)
			die("out of memory");
	}
	l->items[l->nr++] = s;
}

void string_list_release(struct string_list *l)
{
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

static void print_help(FILE *f, const char *const *usage, const struct option_def *opts)
{
	const struct option_def *o;

	fprintf(f, "usage: %s\n", usage[0]);
	for (usage++; *usage; usage++)
		fprintf(f, "   or: %s\n", *usage);
	for (o = opts; o->kind != OPT_KIND_END; o++) {
		char left[96];
		int n = 0;

		if (o->kind == OPT_KIND_GROUP) {
			fprintf(f, "\n%s\n", o->help);
			continue;
		}
		if (o == opts)
			fputc('\n', f);
		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->long_name);
		else if (o->short_name)
			n = snprintf(left, sizeof(left), "-%c", o->short_name);
		else
			n = snprintf(left, sizeof(left), "    --%s", o->long_name);
		if (o->argh && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - n, " %s", o->argh);
		if (strlen(left) > 24)
			fprintf(f, "    %s\n%30s%s\n", left, "", o->help);
		else
			fprintf(f, "    %-26s%s\n", left, o->help);
	}
}

void usage_with_options(const char *const *usage, const struct option_def *opts, int err)
{
	print_help(err ? stderr : stdout, usage, opts);
	exit(err ? 2 : 0);
}

static long parse_integer(const struct option_def *o, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || end == arg || *end)
		die("option '--%s' expects a number, not '%s'",
		    o->long_name ? o->long_name : "?", arg);
	return v;
}

static void apply(const struct option_def *o, const char *arg, int negated)
{
	switch (o->kind) {
	case OPT_KIND_BOOL:
		*(int *)o->value = !negated;
		break;
	case OPT_KIND_SET_INT:
		*(int *)o->value = (int)o->defval;
		break;
	case OPT_KIND_STRING:
		*(const char **)o->value = arg;
		break;
	case OPT_KIND_INTEGER:
		*(long *)o->value = parse_integer(o, arg);
		break;
	case OPT_KIND_STRING_LIST:
		string_list_append(o->value, arg);
		break;
	case OPT_KIND_CALLBACK:
		if (o->callback(o, arg))
			exit(2);
		break;
	default:
		break;
	}
}

int parse_options(int argc, const char **argv, const struct option_def *opts,
		  const char *const *usage, int flags)
{
	struct option longs[2 * MAX_OPTS + 2];
	char shorts[3 * MAX_OPTS + 4];
	size_t nl = 0, ns = 0, i, nopts = 0;
	int c, rest;

	shorts[ns++] = (flags & PARSE_OPT_STOP_AT_NON_OPTION) ? '+' : '-';
	shorts[ns++] = ':';
	shorts[ns++] = 'h';
	for (i = 0; opts[i].kind != OPT_KIND_END; i++, nopts++) {
		const struct option_def *o = &opts[i];
		int has_arg = o->argh ? required_argument : no_argument;

		if (i >= MAX_OPTS)
			die("too many options");
		if (o->kind == OPT_KIND_GROUP)
			continue;
		if (o->short_name) {
			shorts[ns++] = (char)o->short_name;
			if (o->argh)
				shorts[ns++] = ':';
		}
		if (o->long_name) {
			longs[nl++] = (struct option){ o->long_name, has_arg, NULL,
				o->short_name ? o->short_name : (int)(LONG_BASE + i) };
			if (o->kind == OPT_KIND_BOOL) {
				static char names[MAX_OPTS][64];

				snprintf(names[i], sizeof(names[i]), "no-%s", o->long_name);
				longs[nl++] = (struct option){ names[i], no_argument, NULL,
					(int)(NO_PREFIX_BASE + i) };
			}
		}
	}
	longs[nl++] = (struct option){ "help", no_argument, NULL, 'h' };
	longs[nl] = (struct option){ NULL, 0, NULL, 0 };
	shorts[ns] = '\0';

	/* non-options are kept in order at the front when not stopping at them */
	rest = 0;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, (char *const *)argv, shorts, longs, NULL)) != -1) {
		if (c == 'h')
			usage_with_options(usage, opts, 0);
		if (c == 1) {	/* a non-option, with the '-' mode */
			argv[rest++] = optarg;
			continue;
		}
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];

			if (c == ':')
				error_msg("option '%s' requires a value", bad);
			else if (optopt && optopt < 256)
				error_msg("unknown option '-%c'", optopt);
			else
				error_msg("unknown option '%s'", bad);
			usage_with_options(usage, opts, 1);
		}
		if (c >= NO_PREFIX_BASE) {
			apply(&opts[c - NO_PREFIX_BASE], NULL, 1);
			continue;
		}
		if (c >= LONG_BASE) {
			apply(&opts[c - LONG_BASE], optarg, 0);
			continue;
		}
		for (i = 0; i < nopts; i++)
			if (opts[i].short_name == c && opts[i].kind != OPT_KIND_GROUP)
				break;
		if (i < nopts)
			apply(&opts[i], optarg, 0);
	}
	while (optind < argc)
		argv[rest++] = argv[optind++];
	argv[rest] = NULL;
	return rest;
}
