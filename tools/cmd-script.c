// SPDX-License-Identifier: MIT
/* cmd-script.c: pfold script: a perf.data file as perf script's default text. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "error.h"
#include "fold-options.h"
#include "parse-options.h"
#include "stacks.h"
#include "usage.h"

static const char *const script_usage[] = {
	"pfold script [-i FILE|-] [-e EV] [--symfs DIR] [--kallsyms FILE] [--force]",
	NULL
};

static void script_warn(void *arg, const char *msg)
{
	warning("%s", msg);
}

static int script_emit(void *arg, const char *text, size_t len)
{
	return fwrite(text, 1, len, stdout) == len ? 0 : -PFOLD_E_IO;
}

int cmd_script(int argc, const char **argv)
{
	const char *in = "perf.data";
	struct pfold_fold_options opts = { 0 };
	const struct option_def options[] = {
		OPT_STRING('i', "input", &in, "FILE", "the perf.data file or stream ('-': stdin; default: perf.data)"),
		OPT_STRING('e', "event", &opts.event, "EV", "print only samples of EV"),
		OPT_STRING(0, "symfs", &opts.symfs, "DIR", "look for objects under DIR"),
		OPT_STRING(0, "kallsyms", &opts.kallsyms, "FILE", "kernel symbols from FILE"),
		OPT_BOOL(0, "force", &opts.force, "use perf maps owned by another user"),
		OPT_END(),
	};
	int ret;

	argc = parse_options(argc, argv, options, script_usage, 0);
	if (argc > 0)
		die("script takes no arguments ('%s'); the input is -i FILE", argv[0]);
	ret = pfold_script_perf_data(in, &opts, script_emit, NULL, script_warn, NULL);
	if (ret == -PFOLD_E_IO && ferror(stdout))
		return 0;	/* the hub reports the write error */
	if (ret < 0)
		die_error(ret, NULL);
	return 0;
}
