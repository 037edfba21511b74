// SPDX-License-Identifier: MIT
/* cmd-flame.c: pfold flame: a flamegraph SVG from perf.data or folded stacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "profile-input.h"
#include "flame-svg.h"
#include "flame.h"
#include "parse-options.h"
#include "usage.h"

static const char *const flame_usage[] = {
	"pfold flame [-i IN] [-o OUT.svg] [--metric EV] [--color-by EV/EV] [--diff BASE] "
	"[--title T] [--width PX] [--minwidth PX] [--icicle] [--python]",
	NULL
};

int cmd_flame(int argc, const char **argv)
{
	const char *input = NULL, *output = NULL, *metric = NULL, *color_by = NULL;
	const char *diff = NULL, *title = NULL, *width = NULL, *minwidth = NULL;
	int icicle = 0, normalize = 0;
	struct profile_input_rules rules = PROFILE_INPUT_RULES_INIT;
	struct pfold_fold_options fo = { 0 };
	struct string_list pydrop = { 0 };
	const struct option_def opts[] = {
		OPT_STRING('i', "input", &input, "IN", "perf.data or folded stacks ('-': stdin; default perf.data)"),
		OPT_STRING('o', "output", &output, "OUT.svg", "write the SVG here (default: stdout)"),
		OPT_STRING(0, "metric", &metric, "EV", "the event that sets the width (default: the first)"),
		OPT_STRING(0, "color-by", &color_by, "EV/EV", "colour frames by the ratio of two events"),
		OPT_STRING(0, "diff", &diff, "BASE", "differential graph against BASE (as pfold diff)"),
		OPT_BOOL(0, "normalize", &normalize, "with --diff: scale BASE to the same total"),
		OPT_STRING(0, "title", &title, "T", "the title (default \"Flame Graph\")"),
		OPT_STRING(0, "width", &width, "PX", "image width in pixels (default 1200)"),
		OPT_STRING(0, "minwidth", &minwidth, "PX", "merge frames narrower than PX (default 0.1)"),
		OPT_BOOL(0, "icicle", &icicle, "draw the root at the top"),
		OPT_BOOL(0, "python", &fo.python,
			 "the Python view: py:: frames as func (file.py), interpreter frames hidden"),
		OPT_STRING_LIST(0, "python-drop", &pydrop, "RE",
				"with --python: hide frames matching RE instead of the defaults ('default': them too)"),
		PROFILE_INPUT_RULE_OPTIONS(&rules),
		OPT_END()
	};
	struct pfold_profile *prof, *base = NULL, *dprof = NULL;
	struct pfold_flame_options lo = { 0 };
	struct pfold_flame_svg_options so = { 0 };
	struct pfold_flame *layout;
	struct pfold_buf svg = PFOLD_BUF_INIT;
	char note[400];
	FILE *out;
	int ret, m;

	argc = parse_options(argc, argv, opts, flame_usage, 0);
	if (argc > 0)
		usage_with_options(flame_usage, opts, 1);
	if (!input)
		input = "perf.data";
	lo.width = width ? parse_pixels("--width", width, 0) : 0;
	lo.minwidth = minwidth ? parse_pixels("--minwidth", minwidth, 1) : -1;
	lo.diff_base = -1;
	so.icicle = icicle;
	so.title = title;
	so.color_num = so.color_den = -1;

	if (pydrop.nr && !fo.python)
		die("--python-drop needs --python");
	fo.python_drop = (const char *const *)pydrop.items;
	fo.nr_python_drop = pydrop.nr;
	prof = read_profile_input_opts(input, &rules, &fo);
	m = find_metric(prof, input, metric);
	if (diff) {
		double scale;

		base = read_profile_input_opts(diff, &rules, &fo);
		ret = diff_profiles(&dprof, prof, m, base, find_metric(base, diff, metric),
				    normalize, &scale);
		if (ret)
			die_error(ret, NULL);
		lo.metric = 0;
		lo.diff_base = 1;
		lo.base_scale = scale;
		so.normalized = normalize;
		so.diff_event = pfold_profile_event_name(prof, (size_t)m);
		if (color_by)
			warning("--color-by is ignored in a differential graph");
		ret = pfold_flame_layout(&layout, dprof, &lo);
	} else {
		lo.metric = m;
		if (color_by)
			parse_color_by(prof, input, color_by, &so.color_num, &so.color_den);
		ret = pfold_flame_layout(&layout, prof, &lo);
	}
	if (ret)
		die_error(ret, input);
	if (!layout->total)
		die("%s: no samples of '%s' to draw", input,
		    pfold_profile_event_name(prof, (size_t)m));
	so.note = profile_input_note(note, sizeof(note));
	ret = pfold_flame_svg(layout, &so, &svg);
	if (ret)
		die_error(ret, input);
	out = open_output(output, 0644);
	fwrite(svg.data, 1, svg.len, out);
	close_output(out, output);
	pfold_buf_release(&svg);
	pfold_flame_free(layout);
	pfold_profile_close(dprof);
	pfold_profile_close(base);
	pfold_profile_close(prof);
	profile_input_rules_release(&rules);
	string_list_release(&pydrop);
	return 0;
}
