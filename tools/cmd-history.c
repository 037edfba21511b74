// SPDX-License-Identifier: MIT
/* cmd-history.c: pfold history: keep reports in SQLite; list them, chart a trend, fetch a baseline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "error.h"
#include "history.h"
#include "parse-options.h"
#include "report.h"
#include "usage.h"

static const char *const history_usage[] = {
	"pfold history add REPORT.json [--db FILE] [--name NAME] [--commit SHA] [--branch B]",
	"pfold history list [--db FILE] [--name NAME] [--branch B] [--metric EV]",
	"pfold history trend [--db FILE] [--name NAME] [--branch B] [--metric EV] [-o trend.svg]",
	"pfold history baseline [--db FILE] [--name NAME] [--branch B] [-o baseline.json]",
	NULL
};

static char *read_file(const char *path, size_t *len)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	char chunk[65536];
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t n;

	if (!f)
		die("cannot open '%s': %m", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (pfold_buf_add(&b, chunk, n))
			die("out of memory");
	if (ferror(f))
		die("cannot read '%s'", path);
	if (f != stdin)
		fclose(f);
	return pfold_buf_detach(&b, len);
}

int cmd_history(int argc, const char **argv)
{
	const char *db = "pfold-history.db", *name = NULL, *commit = NULL, *branch = NULL;
	const char *metric = NULL, *output = NULL, *verb;
	struct pfold_history *h = NULL;
	struct pfold_history_entry *e = NULL;
	struct pfold_buf out = PFOLD_BUF_INIT;
	size_t nr = 0, i;
	int n, ret;
	FILE *f;
	const struct option_def opts[] = {
		OPT_STRING(0, "db", &db, "FILE", "the history database (default pfold-history.db)"),
		OPT_STRING(0, "name", &name, "NAME", "the benchmark's name (add: default its command line)"),
		OPT_STRING(0, "commit", &commit, "SHA", "add: the commit (default the report's)"),
		OPT_STRING(0, "branch", &branch, "B", "the branch to store or select"),
		OPT_STRING(0, "metric", &metric, "EV", "list, trend: the metric (default each report's own)"),
		OPT_STRING('o', "output", &output, "FILE", "trend, baseline: write to FILE"),
		OPT_END(),
	};

	n = parse_options(argc, argv, opts, history_usage, 0);
	if (n < 1) {
		error_msg("no history command (add, list, trend, baseline)");
		usage_with_options(history_usage, opts, 1);
	}
	verb = argv[0];
	if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "trend") &&
	    strcmp(verb, "baseline")) {
		error_msg("unknown history command '%s'", verb);
		usage_with_options(history_usage, opts, 1);
	}
	if (n != (strcmp(verb, "add") ? 1 : 2)) {
		error_msg(strcmp(verb, "add") ? "'%s' takes no argument" : "'%s' takes one REPORT.json", verb);
		usage_with_options(history_usage, opts, 1);
	}
	ret = pfold_history_open(&h, db, !strcmp(verb, "add"));
	if (ret)
		die_error(ret, db);

	if (!strcmp(verb, "add")) {
		struct pfold_report *r = NULL;
		size_t len;
		char *text = read_file(argv[1], &len);
		long long id;

		ret = pfold_report_parse(&r, text, len);
		if (ret)
			die_error(ret, argv[1]);
		ret = pfold_history_add(h, r, text, name, commit, branch, &id);
		if (ret)
			die_error(ret, db);
		printf("added %s as #%lld\n", argv[1], id);
		pfold_report_free(r);
		free(text);
	} else if (!strcmp(verb, "baseline")) {
		char *json = NULL;

		ret = pfold_history_baseline(h, name, branch, &json);
		if (ret)
			die_error(ret, db);
		f = open_output(output, 0644);
		fputs(json, f);
		close_output(f, output);
		free(json);
	} else {
		ret = pfold_history_list(h, name, branch, metric, &e, &nr);
		if (ret)
			die_error(ret, db);
		if (!strcmp(verb, "list")) {
			printf("%-6s %-20s %-12s %-10s %-14s %14s  %s\n", "id", "created", "commit",
			       "branch", "metric", "median", "name");
			for (i = 0; i < nr; i++)
				printf("%-6lld %-20s %-12.12s %-10s %-14s %14.6g %s  %s\n", e[i].id,
				       e[i].created ? e[i].created : "-", e[i].commit ? e[i].commit : "-",
				       e[i].branch ? e[i].branch : "-", e[i].metric ? e[i].metric : "-",
				       e[i].median, e[i].unit ? e[i].unit : "", e[i].name ? e[i].name : "");
		} else {
			struct pfold_buf title = PFOLD_BUF_INIT;

			if (pfold_buf_addf(&title, "%s: %s%s%s", nr ? e[0].metric : "",
					   name ? name : (nr ? e[nr - 1].name : ""),
					   branch ? " on " : "", branch ? branch : ""))
				die("out of memory");
			ret = pfold_history_trend_svg(e, nr, title.data, &out);
			if (ret)
				die_error(ret, db);
			f = open_output(output, 0644);
			fwrite(out.data, 1, out.len, f);
			close_output(f, output);
			pfold_buf_release(&title);
		}
		pfold_history_entries_free(e, nr);
	}
	pfold_buf_release(&out);
	pfold_history_close(h);
	return 0;
}
