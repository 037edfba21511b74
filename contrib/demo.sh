#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh: the main job on the bundled example: record the hot/cold workload and read it back.
set -e
mkdir -p demo
perf record -q -g -o demo/hotcold.perf.data -- ./tests/workloads/hotcold
./pfold dump --header -i demo/hotcold.perf.data
./pfold dump --stats -i demo/hotcold.perf.data
