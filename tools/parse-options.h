/* SPDX-License-Identifier: MIT */
/* parse-options.h: declared option tables for pfold's commands (git-style). */
#ifndef PFOLD_PARSE_OPTIONS_H
#define PFOLD_PARSE_OPTIONS_H

#include <stddef.h>

enum opt_kind {
	OPT_KIND_END,
	OPT_KIND_GROUP,		/* a heading in the help text */
	OPT_KIND_BOOL,		/* int *value set to 1 (0 with --no-NAME) */
	OPT_KIND_SET_INT,	/* int *value set to defval */
	OPT_KIND_STRING,	/* const char **value points into argv */
	OPT_KIND_INTEGER,	/* long *value, decimal, checked */
	OPT_KIND_STRING_LIST,	/* struct string_list *value, appended in order */
	OPT_KIND_CALLBACK,	/* callback(opt, arg, value); arg NULL without argh */
};

/* string_list - the values of a repeatable option; the strings belong to argv. */
struct string_list {
	const char **items;
	size_t nr, alloc;
};

struct option_def;
typedef int (*option_cb)(const struct option_def *opt, const char *arg);

struct option_def {
	enum opt_kind kind;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;	/* name of the argument in help, NULL for none */
	const char *help;
	long defval;
	option_cb callback;
};

#define OPT_END() { OPT_KIND_END, 0, NULL, NULL, NULL, NULL, 0, NULL }
#define OPT_GROUP(h) { OPT_KIND_GROUP, 0, NULL, NULL, NULL, (h), 0, NULL }
#define OPT_BOOL(s, l, v, h) { OPT_KIND_BOOL, (s), (l), (v), NULL, (h), 0, NULL }
#define OPT_SET_INT(s, l, v, h, i) { OPT_KIND_SET_INT, (s), (l), (v), NULL, (h), (i), NULL }
#define OPT_STRING(s, l, v, a, h) { OPT_KIND_STRING, (s), (l), (v), (a), (h), 0, NULL }
#define OPT_INTEGER(s, l, v, a, h) { OPT_KIND_INTEGER, (s), (l), (v), (a), (h), 0, NULL }
#define OPT_STRING_LIST(s, l, v, a, h) { OPT_KIND_STRING_LIST, (s), (l), (v), (a), (h), 0, NULL }
#define OPT_CALLBACK(s, l, v, a, h, cb) { OPT_KIND_CALLBACK, (s), (l), (v), (a), (h), 0, (cb) }

enum parse_opt_flags {
	/* stop at the first non-option (the command of `record -- CMD`) */
	PARSE_OPT_STOP_AT_NON_OPTION = 1,
};

/*
 * parse_options - parse ARGV (ARGV[0] is the command name) against OPTS.
 * USAGE is a NULL-terminated list of synopsis lines. `-h` and `--help` print
 * the help to stdout and exit 0; a bad option prints the error and the help
 * to stderr and exits 2. Returns the number of arguments left; they are moved
 * to ARGV[0..n). Strings stored through the table point into ARGV.
 */
int parse_options(int argc, const char **argv, const struct option_def *opts,
		  const char *const *usage, int flags);

/* usage_with_options - print the help of a command to stdout (err=0) or stderr and exit 2 when err. */
void usage_with_options(const char *const *usage, const struct option_def *opts, int err);

/* string_list_append - append S (not copied) to L. Exits on out of memory. */
void string_list_append(struct string_list *l, const char *s);
/* string_list_release - free L's array (not the strings). */
void string_list_release(struct string_list *l);

#endif
