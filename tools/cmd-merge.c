// SPDX-License-Identifier: MIT
/* cmd-merge.c: pfold merge: add folded files (single or multi-column) into one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "error.h"
#include "folded.h"
#include "parse-options.h"
#include "profile.h"
#include "usage.h"

static const char *const merge_usage[] = {
	"pfold merge IN... [-o OUT]",
	NULL
};

static void read_one(struct pfold_profile *into, const char *path)
{
	struct pfold_folded_stats st = { 0 };
	struct pfold_profile *p;
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "standard input" : path;
	FILE *f;
	int ret;

	f = is_stdin ? stdin : fopen(path, "r");
	if (!f)
		die("cannot open '%s': %s", path, strerror(errno));
	ret = pfold_profile_open(&p);
	if (!ret)
		ret = pfold_folded_read(p, f, name, &st);
	if (!ret)
		ret = pfold_profile_merge(into, p);
	if (ret < 0)
		die_error(ret, NULL);
	if (st.skipped)
		warning("%s: skipped %lu line%s that %s not folded stacks (the first: line %lu)",
			name, st.skipped, st.skipped == 1 ? "" : "s", st.skipped == 1 ? "is" : "are",
			st.first_skipped);
	pfold_profile_close(p);
	if (!is_stdin)
		fclose(f);
}

int cmd_merge(int argc, const char **argv)
{
	const char *out = NULL;
	struct pfold_profile *prof;
	FILE *o;
	int i, ret;
	const struct option_def options[] = {
		OPT_STRING('o', "output", &out, "OUT", "write the merged stacks to OUT (default: stdout)"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, merge_usage, 0);
	if (argc < 1)
		usage_with_options(merge_usage, options, 1);
	ret = pfold_profile_open(&prof);
	if (ret)
		die_error(ret, NULL);
	for (i = 0; i < argc; i++)
		read_one(prof, argv[i]);

	o = open_output(out, 0644);
	if (pfold_profile_nr_events(prof)) {
		/* one event: FlameGraph's form; several: one column each, with the header */
		ret = pfold_folded_write_file(prof, pfold_profile_nr_events(prof) == 1 ? 0 : -1, o);
		if (ret < 0)
			die_error(ret, out ? out : "standard output");
	}
	close_output(o, out);
	pfold_profile_close(prof);
	return 0;
}
