// SPDX-License-Identifier: MIT
/* cmd-stat.c: pfold stat: run a command N times under counters, print a table, write report.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "check.h"
#include "counting.h"
#include "error.h"
#include "parse-options.h"
#include "stat-common.h"
#include "usage.h"

static const char *const stat_usage[] = {
	"pfold stat [-e EV,...] [-r N] [-o report.json] [--] CMD [ARG...]",
	NULL
};

void stat_split_events(struct string_list *out, const struct string_list *specs,
		       char **storage, int skip_times)
{
	size_t i, len = 0;
	char *p, *tok, *save;

	for (i = 0; i < specs->nr; i++)
		len += strlen(specs->items[i]) + 1;
	p = *storage = xmalloc(len + 1);
	for (i = 0; i < specs->nr; i++) {
		strcpy(p, specs->items[i]);
		if (strpbrk(p, "{}"))
			die("'%s': event groups are not counted as groups by stat; list the events", p);
		for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			size_t k;

			/* always measured; a second counter of the same name would be ambiguous */
			if (skip_times && (!strcmp(tok, "wall-time") || !strcmp(tok, "cpu-time")))
				continue;
			for (k = 0; k < out->nr; k++)
				if (!strcmp(out->items[k], tok))
					break;
			if (k == out->nr)
				string_list_append(out, tok);
		}
		p += strlen(p) + 1;
	}
}

void stat_print_dropped(const struct pfold_report *r)
{
	size_t i;

	for (i = 0; i < r->nr_events; i++)
		if (r->events[i].fallback)
			warning("%s: %s", r->events[i].name, r->events[i].fallback);
}

void stat_write_report(const struct pfold_report *r, const char *path)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	FILE *f;
	int ret = pfold_report_write(r, &b);

	if (ret)
		die_error(ret, path);
	f = open_output(path, 0644);
	fwrite(b.data, 1, b.len, f);
	close_output(f, path);
	pfold_buf_release(&b);
}

int stat_split_dashdash(int argc, const char **argv, const char ***cmd)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			*cmd = argv + i + 1;
			argv[i] = NULL;
			return i;
		}
	*cmd = NULL;
	return argc;
}

static void print_table(FILE *f, const struct pfold_report *r)
{
	struct pfold_buf cmd = PFOLD_BUF_INIT;
	size_t i;

	if (pfold_shell_quote(&cmd, r->command, r->command_len))
		die("out of memory");
	fprintf(f, "\n Performance counter stats for '%s' (%zu run%s):\n\n", cmd.data ? cmd.data : "",
		r->runs, r->runs == 1 ? "" : "s");
	for (i = 0; i < r->nr_events; i++) {
		const struct pfold_report_event *e = &r->events[i];
		const struct pfold_summary *s = &e->summary;
		char val[64];

		if (!e->counted || !s->n) {
			fprintf(f, " %18s      %-24s\n", "<not counted>", e->name);
			continue;
		}
		if (*e->unit)
			snprintf(val, sizeof(val), "%.2f %s", s->mean, e->unit);
		else
			snprintf(val, sizeof(val), "%.0f", s->mean);
		fprintf(f, " %18s      %-24s", val, e->name);
		/* perf stat -r: the standard error of the mean, relative */
		if (s->n > 1 && s->mean != 0)
			fprintf(f, " ( +- %5.2f%% )", 100 * s->stddev / sqrt((double)s->n) / fabs(s->mean));
		fprintf(f, "  median %.6g%s", s->median, e->scaled ? " (scaled)" : "");
		fputc('\n', f);
	}
	if (r->metric)
		fprintf(f, "\n metric: %s (%s)\n", r->metric, r->metric_reason);
	fputc('\n', f);
	pfold_buf_release(&cmd);
}

int cmd_stat(int argc, const char **argv)
{
	struct string_list specs = { 0 }, events = { 0 };
	const char *output = NULL, **cmd;
	struct pfold_report *r = NULL;
	char *storage = NULL;
	long runs = 5;
	int n, ret;
	const struct option_def opts[] = {
		OPT_STRING_LIST('e', "event", &specs, "EV,...",
				"events to count (default " PFOLD_COUNT_DEFAULT_EVENTS "; wall-time and cpu-time are always measured)"),
		OPT_INTEGER('r', "repeat", &runs, "N", "run the command N times (default 5)"),
		OPT_STRING('o', "output", &output, "FILE", "write report.json to FILE ('-': standard output)"),
		OPT_END(),
	};

	n = stat_split_dashdash(argc, argv, &cmd);
	if (cmd) {
		if (parse_options(n, argv, opts, stat_usage, 0) != 0)
			usage_with_options(stat_usage, opts, 1);
	} else {
		n = parse_options(argc, argv, opts, stat_usage, PARSE_OPT_STOP_AT_NON_OPTION);
		cmd = argv;
		if (n == 0)
			cmd = NULL;
	}
	if (!cmd || !cmd[0]) {
		error_msg("no command to run");
		usage_with_options(stat_usage, opts, 1);
	}
	if (runs < 1 || runs > 100000)
		die("option '--repeat' expects a number from 1 to 100000, not %ld", runs);
	if (!specs.nr)
		string_list_append(&specs, PFOLD_COUNT_DEFAULT_EVENTS);
	stat_split_events(&events, &specs, &storage, 1);
	ret = pfold_count_run(&r, cmd, events.items, events.nr, (unsigned)runs);
	if (ret)
		die_error(ret, ret == -PFOLD_E_CHILD ? NULL : "stat");
	stat_print_dropped(r);
	print_table(stderr, r);
	if (output)
		stat_write_report(r, output);
	pfold_report_free(r);
	free(storage);
	string_list_release(&events);
	string_list_release(&specs);
	return 0;
}
