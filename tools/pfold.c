// SPDX-License-Identifier: MIT
/* pfold.c: the pfold hub: finds the subcommand in commands[] and checks stdout after it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "map-guard.h"
#include "pfold.h"
#include "usage.h"

struct command {
	const char *name;
	int (*fn)(int argc, const char **argv);
	const char *summary;
};

static int cmd_help(int argc, const char **argv);
static int cmd_version(int argc, const char **argv);

/* Sorted by name. */
static const struct command commands[] = {
	{ "check", cmd_check, "compare a report or fresh runs with a baseline: exit 1 on regression" },
	{ "diff", cmd_diff, "differential flamegraph and top changes of self cost" },
	{ "dump", cmd_dump, "print every record of a perf.data file, its header or its counts" },
	{ "export", cmd_export, "write a profile as pprof, speedscope or JSON" },
	{ "flame", cmd_flame, "draw an interactive flamegraph SVG with every counter" },
	{ "fold", cmd_fold, "fold perf.data or perf script text into folded stacks" },
	{ "help", cmd_help, "show the help of pfold or of one command" },
	{ "history", cmd_history, "keep reports in a SQLite history: add, list, trend, baseline" },
	{ "list", cmd_list, "list the events this machine can count, and why the others cannot" },
	{ "merge", cmd_merge, "add folded stack files into one (associative)" },
	{ "profile", cmd_profile, "one-shot job: record, flamegraph, counting runs, report.json, verdict" },
	{ "record", cmd_record, "sample a command, processes or the system into perf.data" },
	{ "script", cmd_script, "print a perf.data file as perf script's default text" },
	{ "stat", cmd_stat, "count events over N runs of a command and write report.json" },
	{ "version", cmd_version, "print pfold's version" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_main_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: pfold [--version] [--help] <command> [<args>]\n\n"
		   "Folded stacks, counter-aware flamegraphs and regression checks from perf_event.\n\n"
		   "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "   %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'pfold help <command>' or 'pfold <command> --help' shows the options of a command;\n"
		   "'man pfold-<command>' has the whole page.\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_version(int argc, const char **argv)
{
	printf("pfold version %s\n", pfold_version());
	return 0;
}

static int cmd_help(int argc, const char **argv)
{
	const struct command *c;
	const char *args[3];

	if (argc < 2) {
		print_main_help(stdout);
		return 0;
	}
	c = find_command(argv[1]);
	if (!c)
		die("'%s' is not a pfold command; see 'pfold --help'", argv[1]);
	args[0] = c->name;
	args[1] = "--help";
	args[2] = NULL;
	return c->fn(2, args);
}

static int run_command(const struct command *c, int argc, const char **argv)
{
	int status = c->fn(argc, argv);

	/* a result written to a full disk or a closed pipe is not a success */
	if (fflush(stdout) || ferror(stdout))
		die("write error on standard output: %s", strerror(errno ? errno : EIO));
	if (fclose(stdout) && errno != EBADF)
		die("write error on standard output: %s", strerror(errno));
	return status;
}

int main(int argc, const char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_main_help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return run_command(find_command("help"), 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v"))
		return run_command(find_command("version"), argc - 1, argv + 1);
	c = find_command(argv[1]);
	if (!c)
		die("'%s' is not a pfold command; see 'pfold --help'", argv[1]);
	/* an input file cut short under its mapping: one line and exit 2, not a bus error */
	pfold_map_guard_install();
	return run_command(c, argc - 1, argv + 1);
}
