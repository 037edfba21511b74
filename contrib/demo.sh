#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh: the main job on the bundled example: pfold profile on a Python program.
# Usage: demo.sh [SRCDIR] (run from the build directory, where ./pfold is).
set -e
srcdir=${1:-.}
example="$srcdir/tests/workloads/example.py"

# Python 3.12+ writes perf maps, so the flamegraph names Python functions;
# an older python3 still profiles, with interpreter frames instead.
py=
for p in "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.1[2-9]*/bin/python3.1[2-9] \
	 "$(command -v python3.13 || true)" "$(command -v python3.12 || true)"; do
	[ -x "$p" ] && { py=$p; break; }
done
if [ -n "$py" ]; then
	./pfold profile --name example --python -- "$py" "$example"
else
	./pfold profile --name example -- python3 "$example"
fi
echo
echo "Open the flamegraph in a browser: $(ls -t artifacts/profiling/example_*.svg | head -n 1)"
