#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# example.py: pfold's bundled Python example: main -> hot (3 units) | cold (1 unit).
#
#   pfold profile -- python3 tests/workloads/example.py
#
# hot() does three times the work of cold(), so a profile splits hot:cold
# 3:1. Arguments: ROUNDS (default 40, about 0.5 s of CPU),
# and --fast, the faster variant (hot does 1 unit: the whole run costs half),
# to make a baseline that the default variant regresses against. The
# environment variable PFOLD_EXAMPLE_FAST=1 selects the fast variant too.
# On Python 3.12 and later the perf trampoline is switched on (as
# `python3 -X perf` does), so perf maps name the Python functions
# (py::hot:.../example.py); record with --call-graph dwarf to see them.
import os
import sys

UNIT = 25000


# hot() and cold() loop in their own frames (no shared helper), so that the
# self cost of each is its own: the functions a profile blames are these two.
def hot(units):
    x = 0
    for i in range(units * UNIT):
        x = (x * 31 + i) & 0xFFFFFFFF
    return x


def cold(units):
    x = 0
    for i in range(units * UNIT):
        x = (x * 31 + i) & 0xFFFFFFFF
    return x


def main(argv):
    fast = "--fast" in argv or os.environ.get("PFOLD_EXAMPLE_FAST") == "1"
    args = [a for a in argv if a != "--fast"]
    rounds = int(args[0]) if args else 40
    hot_units = 1 if fast else 3
    for _ in range(rounds):
        hot(hot_units)
        cold(1)
    return 0


if __name__ == "__main__":
    if hasattr(sys, "activate_stack_trampoline"):
        sys.activate_stack_trampoline("perf")
    sys.exit(main(sys.argv[1:]))
