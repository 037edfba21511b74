/* SPDX-License-Identifier: MIT */
/* builtin.h: the entry point of each pfold subcommand (one tools/cmd-<name>.c each). */
#ifndef PFOLD_BUILTIN_H
#define PFOLD_BUILTIN_H

/*
 * Each command takes its own argv (argv[0] is the command name), returns the
 * process exit status (0 ok, 1 regression found, 2 error), and may exit 2
 * through die(). The hub checks stdout after it returns.
 */
int cmd_dump(int argc, const char **argv);

#endif
