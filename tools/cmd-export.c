// SPDX-License-Identifier: MIT
/* cmd-export.c: pfold export: a profile as pprof, speedscope or pfold JSON. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "profile-input.h"
#include "export.h"
#include "parse-options.h"
#include "usage.h"

static const char *const export_usage[] = {
	"pfold export --to pprof|speedscope|json [-i IN] -o OUT",
	NULL
};

int cmd_export(int argc, const char **argv)
{
	const char *to = NULL, *input = NULL, *output = NULL, *metric = NULL;
	struct profile_input_rules rules = PROFILE_INPUT_RULES_INIT;
	const struct option_def opts[] = {
		OPT_STRING(0, "to", &to, "FORMAT", "pprof (gzip'd profile.proto), speedscope or json"),
		OPT_STRING('i', "input", &input, "IN", "perf.data or folded stacks ('-': stdin; default perf.data)"),
		OPT_STRING('o', "output", &output, "OUT", "the file to write ('-': stdout)"),
		OPT_STRING(0, "metric", &metric, "EV", "pprof: the default sample type (default: the first event)"),
		PROFILE_INPUT_RULE_OPTIONS(&rules),
		OPT_END()
	};
	struct pfold_fold_options fo;
	struct pfold_profile *prof;
	struct pfold_buf buf = PFOLD_BUF_INIT;
	FILE *out;
	int ret;

	argc = parse_options(argc, argv, opts, export_usage, 0);
	if (argc > 0 || !to)
		usage_with_options(export_usage, opts, 1);
	if (!output)
		die("export needs -o OUT ('-' for standard output)");
	if (!input)
		input = "perf.data";
	if (strcmp(to, "pprof") && strcmp(to, "speedscope") && strcmp(to, "json"))
		die("--to wants pprof, speedscope or json, not '%s'", to);
	/* speedscope: one profile per thread, as `pfold fold --tid` roots its stacks */
	memset(&fo, 0, sizeof(fo));
	fo.include_tid = !strcmp(to, "speedscope");
	/* pprof: locations carry source lines where the objects have DWARF */
	fo.want_lines = !strcmp(to, "pprof");
	prof = read_profile_input_opts(input, &rules, &fo);
	if (!strcmp(to, "pprof"))
		ret = pfold_export_pprof(prof, find_metric(prof, input, metric), &buf);
	else if (!strcmp(to, "speedscope"))
		ret = pfold_export_speedscope(prof, strcmp(input, "-") ? input : "stdin", &buf);
	else
		ret = pfold_export_json(prof, &buf);
	if (ret)
		die_error(ret, input);
	out = open_output(output, 0644);
	fwrite(buf.data, 1, buf.len, out);
	close_output(out, output);
	pfold_buf_release(&buf);
	pfold_profile_close(prof);
	profile_input_rules_release(&rules);
	return 0;
}
