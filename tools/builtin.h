/* SPDX-License-Identifier: MIT */
/* builtin.h: the entry point of each pfold subcommand (one tools/cmd-<name>.c each). */
#ifndef PFOLD_BUILTIN_H
#define PFOLD_BUILTIN_H

/*
 * Each command takes its own argv (argv[0] is the command name), returns the
 * process exit status (0 ok, 1 regression found, 2 error), and may exit 2
 * through die(). The hub checks stdout after it returns.
 */
int cmd_check(int argc, const char **argv);
int cmd_diff(int argc, const char **argv);
int cmd_dump(int argc, const char **argv);
int cmd_export(int argc, const char **argv);
int cmd_flame(int argc, const char **argv);
int cmd_fold(int argc, const char **argv);
int cmd_history(int argc, const char **argv);
int cmd_list(int argc, const char **argv);
int cmd_merge(int argc, const char **argv);
int cmd_profile(int argc, const char **argv);
int cmd_record(int argc, const char **argv);
int cmd_script(int argc, const char **argv);
int cmd_stat(int argc, const char **argv);

#endif
