#!/bin/sh
# SPDX-License-Identifier: MIT
# t3003-symbols-python-view.sh: --python (fold, flame, profile share src/python-view.c): func (file.py) frames, interpreter frames hidden, native leaves kept.
test_description='the --python view'
. "${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/test-lib.sh"

PY312=$(python_version 3.12)
[ -n "$PY312" ] && test_set_prereq PY312

# A perf script sample as Python 3.12 -X perf gives it, leaf first; the
# expected view worked out by hand from the rules in doc/pfold-fold.1.
cat >s.txt <<'EOF'
python3.12 100 [000] 1.000001: 7 cpu-clock:
	7f0000000010 deflate+0x10 (/usr/lib/x86_64-linux-gnu/libz.so.1.2.13)
	7f0000000020 zlib_compress+0x20 (/root/lib/zlib.cpython-312-x86_64-linux-gnu.so)
	55000000030 _PyEval_EvalFrameDefault+0x30 (/usr/bin/python3.12)
	7f1000000040 py::leaf:/tmp/t/x.py+0x4 (/tmp/perf-100.map)
	55000000050 py_trampoline_evaluator+0x5 (/usr/bin/python3.12)
	55000000060 PyObject_Vectorcall+0x6 (/usr/bin/python3.12)
	55000000030 _PyEval_EvalFrameDefault+0x30 (/usr/bin/python3.12)
	7f1000000070 py::hot:/tmp/t/x.py+0x4 (/tmp/perf-100.map)
	55000000050 py_trampoline_evaluator+0x5 (/usr/bin/python3.12)
	55000000030 _PyEval_EvalFrameDefault+0x30 (/usr/bin/python3.12)
	7f1000000080 py::main:/tmp/t/x.py+0x4 (/tmp/perf-100.map)
	55000000050 py_trampoline_evaluator+0x5 (/usr/bin/python3.12)
	55000000090 PyEval_EvalCode+0x9 (/usr/bin/python3.12)
	550000000a0 Py_RunMain+0xa (/usr/bin/python3.12)
	7f20000000b0 __libc_start_main+0xb (/usr/lib/x86_64-linux-gnu/libc.so.6)

python3.12 100 [000] 1.000002: 5 cpu-clock:
	55000000100 _PyObject_Free+0x10 (/usr/bin/python3.12)
	55000000110 long_dealloc+0x10 (/usr/bin/python3.12)
	55000000030 _PyEval_EvalFrameDefault+0x30 (/usr/bin/python3.12)
	7f1000000120 py::cold:/tmp/t/x.py+0x4 (/tmp/perf-100.map)
	55000000050 py_trampoline_evaluator+0x5 (/usr/bin/python3.12)
	55000000030 _PyEval_EvalFrameDefault+0x30 (/usr/bin/python3.12)
	7f1000000080 py::main:/tmp/t/x.py+0x4 (/tmp/perf-100.map)
	55000000050 py_trampoline_evaluator+0x5 (/usr/bin/python3.12)

python3.12 100 [000] 1.000003: 3 cpu-clock:
	55000000200 gc_collect_main+0x10 (/usr/bin/python3.12)
	550000000a0 Py_RunMain+0xa (/usr/bin/python3.12)

EOF

test_expect_success 'perf script input: py:: frames renamed, interpreter frames dropped, native leaf kept' '
	"$PFOLD" fold --input perf-script --python -i s.txt >v.folded &&
	cat >v.expect <<-\EOF &&
	python3.12;Py_RunMain;gc_collect_main 3
	python3.12;main (x.py);cold (x.py) 5
	python3.12;main (x.py);hot (x.py);leaf (x.py);zlib_compress;deflate 7
	EOF
	sort v.folded >v.sorted &&
	test_cmp v.expect v.sorted
'

test_expect_success '--jit annotations stay at the end of the renamed frame' '
	"$PFOLD" fold --input perf-script --python --jit -i s.txt >j.folded &&
	grep -q "^python3.12;main (x.py)_\[j\];hot (x.py)_\[j\];leaf (x.py)_\[j\];zlib_compress;deflate 7$" j.folded
'

test_expect_success '--python-drop replaces the rules; "default" keeps them too' '
	"$PFOLD" fold --input perf-script --python --python-drop "^deflate$" -i s.txt >d1.folded &&
	grep -q "leaf (x.py);_PyEval_EvalFrameDefault;zlib_compress 7$" d1.folded &&
	"$PFOLD" fold --input perf-script --python --python-drop default --python-drop "^zlib_" -i s.txt >d2.folded &&
	grep -q ";hot (x.py);leaf (x.py);deflate 7$" d2.folded &&
	test_expect_code 2 "$PFOLD" fold --input perf-script --python --python-drop "(x" -i s.txt 2>err &&
	grep "bad pattern .(x." err &&
	test_expect_code 2 "$PFOLD" fold --input perf-script --python-drop x -i s.txt
'

test_expect_success 'flame --python on folded input: the same view' '
	"$PFOLD" fold --input perf-script -i s.txt >raw.folded &&
	grep -q "py::leaf:/tmp/t/x.py" raw.folded &&
	"$PFOLD" flame --python -i raw.folded -o v.svg &&
	grep -q "leaf (x.py)" v.svg &&
	! grep -q "py::\|_PyEval_EvalFrameDefault" v.svg &&
	grep -q "zlib_compress" v.svg
'

cp "$TEST_DIRECTORY/workloads/pyleaf.py" x.py

test_expect_success PERF,PY312 'record python3.12 -X perf with --call-graph dwarf' '
	perf record -q -F 999 -g --call-graph dwarf -o x.data -- "$PY312" -X perf x.py 150 2>err &&
	"$PFOLD" fold -i x.data >all.folded &&
	"$PFOLD" fold -i x.data --python >py.folded &&
	grep -q "zlib_compress" all.folded
'

# of the weight under "leaf (x.py)": share with main;hot|cold;leaf, no interpreter frame
test_expect_success PERF,PY312 'main (x.py);hot|cold (x.py);leaf (x.py);<native frames>, interpreter frames gone' '
	awk "{ w = \$NF; s = \$0; sub(/ [0-9]+$/, \"\", s) }
	     s ~ /leaf \(x.py\)/ { L += w
		if (s ~ /(^|;)main \(x.py\);(hot|cold) \(x.py\);leaf \(x.py\)(;|$)/) F += w
		if (s ~ /leaf \(x.py\);zlib_compress(;|$)/) Z += w
		if (s ~ /_PyEval|py_trampoline|PyObject_Vectorcall|cfunction_vectorcall/) I += w }
	     END { printf \"%d %d %d %d\n\", L, F, Z, I; exit !(L > 0 && F >= 0.9 * L && Z >= 0.5 * L && I == 0) }" \
		py.folded >share &&
	cat share &&
	grep -q "zlib_compress;\(deflate\|\[libz\)" py.folded
'

test_expect_success PERF,PY312 'the view keeps the weight; hot:cold stays 3:1' '
	a=$(awk "{ s += \$NF } END { print s }" all.folded) &&
	b=$(awk "{ s += \$NF } END { print s }" py.folded) &&
	test "$a" = "$b" &&
	awk "/;hot \(x.py\);/ { h += \$NF } /;cold \(x.py\);/ { c += \$NF }
	     END { print h / c; exit !(c > 0 && h / c > 2.4 && h / c < 3.6) }" py.folded
'

test_expect_success PERF,PY312 'flame --python on the perf.data: the same frames as fold --python' '
	"$PFOLD" flame --python -i x.data -o x.svg &&
	grep -q "leaf (x.py)" x.svg && grep -q "zlib_compress" x.svg && ! grep -q "py::" x.svg
'

# Python 3.12 leaves its perf maps in /tmp: remove the ones of this test's runs
rm -f $(grep -l "x.py" /tmp/perf-*.map 2>/dev/null | while read -r m; do
	pid=${m#/tmp/perf-}; pid=${pid%.map}; kill -0 "$pid" 2>/dev/null || echo "$m"; done)

test_done
