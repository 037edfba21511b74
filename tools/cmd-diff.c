// SPDX-License-Identifier: MIT
/* cmd-diff.c: pfold diff: a differential flamegraph and the functions whose self cost changed most. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "profile-input.h"
#include "flame-svg.h"
#include "flame.h"
#include "parse-options.h"
#include "usage.h"

static const char *const diff_usage[] = {
	"pfold diff BASE CUR [-o OUT.svg] [--metric EV] [--top N] [--normalize]",
	NULL
};

static void print_table(FILE *f, const struct pfold_self_change *ch, size_t nr, long top,
			const char *metric, int normalize)
{
	size_t i;

	fprintf(f, "%14s %14s %14s %9s  function (self %s%s)\n", "change", "base", "current",
		"change%", metric, normalize ? ", base normalized" : "");
	for (i = 0; i < nr && (long)i < top; i++) {
		if (ch[i].base > 0)
			fprintf(f, "%+14.0f %14.0f %14.0f %+8.1f%%  %s\n", ch[i].delta, ch[i].base,
				ch[i].cur, 100.0 * ch[i].delta / ch[i].base, ch[i].name);
		else
			fprintf(f, "%+14.0f %14.0f %14.0f %9s  %s\n", ch[i].delta, ch[i].base,
				ch[i].cur, "new", ch[i].name);
	}
}

int cmd_diff(int argc, const char **argv)
{
	const char *output = NULL, *metric = NULL, *title = NULL;
	long top = 10;
	int normalize = 0;
	struct profile_input_rules rules = PROFILE_INPUT_RULES_INIT;
	const struct option_def opts[] = {
		OPT_STRING('o', "output", &output, "OUT.svg", "write the SVG here (default: stdout; the table then goes to stderr)"),
		OPT_STRING(0, "metric", &metric, "EV", "the event to compare (default: the first)"),
		OPT_INTEGER(0, "top", &top, "N", "rows of the table of self-cost changes (default 10)"),
		OPT_BOOL(0, "normalize", &normalize, "scale BASE to CUR's total (compare shapes)"),
		OPT_STRING(0, "title", &title, "T", "the title of the SVG"),
		PROFILE_INPUT_RULE_OPTIONS(&rules),
		OPT_END()
	};
	struct pfold_profile *base, *cur, *d;
	struct pfold_flame_options lo = { 0 };
	struct pfold_flame_svg_options so = { 0 };
	struct pfold_flame *layout;
	struct pfold_self_change *ch;
	struct pfold_buf svg = PFOLD_BUF_INIT;
	size_t nch;
	double scale;
	FILE *out;
	int ret, mb, mc;

	argc = parse_options(argc, argv, opts, diff_usage, 0);
	if (argc != 2)
		usage_with_options(diff_usage, opts, 1);
	if (top < 0)
		die("--top wants a number >= 0");
	base = read_profile_input(argv[0], &rules);
	cur = read_profile_input(argv[1], &rules);
	mb = find_metric(base, argv[0], metric);
	mc = metric ? find_metric(cur, argv[1], metric) :
		find_metric(cur, argv[1], pfold_profile_event_name(base, (size_t)mb));
	ret = diff_profiles(&d, cur, mc, base, mb, normalize, &scale);
	if (ret)
		die_error(ret, NULL);
	lo.metric = 0;
	lo.diff_base = 1;
	lo.base_scale = scale;
	lo.minwidth = -1;
	so.title = title;
	so.color_num = so.color_den = -1;
	so.normalized = normalize;
	so.diff_event = pfold_profile_event_name(cur, (size_t)mc);
	ret = pfold_flame_layout(&layout, d, &lo);
	if (ret)
		die_error(ret, argv[1]);
	if (!layout->total)
		die("%s: no samples to draw", argv[1]);
	ret = pfold_flame_svg(layout, &so, &svg);
	if (!ret)
		ret = pfold_flame_self_changes(d, scale, &ch, &nch);
	if (ret)
		die_error(ret, argv[1]);
	out = open_output(output, 0644);
	fwrite(svg.data, 1, svg.len, out);
	close_output(out, output);
	print_table(output && strcmp(output, "-") ? stdout : stderr, ch, nch, top,
		    pfold_profile_event_name(cur, (size_t)mc), normalize);
	free(ch);
	pfold_buf_release(&svg);
	pfold_flame_free(layout);
	pfold_profile_close(d);
	pfold_profile_close(cur);
	pfold_profile_close(base);
	profile_input_rules_release(&rules);
	return 0;
}
