#!/bin/sh
# SPDX-License-Identifier: MIT
# build.sh: builds the libFuzzer harnesses (make fuzz): the core sources and each tests/fuzz/fuzz-*.c with clang -fsanitize=fuzzer,address,undefined.
#
# usage: build.sh SRCDIR OUTDIR "CORE SOURCES" "CPPFLAGS" "LIBS"
#   SRCDIR       the source tree (the tree is configured in place, so OUTDIR is
#                a plain directory of objects, not a VPATH build)
#   OUTDIR       where objects and the fuzz-* programs go (e.g. fuzz-build)
#   CORE SOURCES libpfold_core_la_SOURCES, relative to SRCDIR (headers ignored)
#   CPPFLAGS     preprocessor flags (DEFS, include dirs, pkg-config cflags)
#   LIBS         what the core links with (DEPS_LIBS and the core's LIBADD)
# CLANG (default clang) and JOBS (default 2) may be set in the environment.
set -e
[ $# -eq 5 ] || { echo "usage: build.sh SRCDIR OUTDIR SOURCES CPPFLAGS LIBS" >&2; exit 2; }
srcdir=$1 out=$2 sources=$3 cppflags=$4 libs=$5
CLANG=${CLANG:-clang}
JOBS=${JOBS:-2}
command -v "$CLANG" >/dev/null 2>&1 || {
	echo "build.sh: $CLANG not found (Debian: clang, libclang-rt-14-dev)" >&2; exit 2; }

# UBSan reports are recoverable so that run.sh can suppress the known, still
# open ones (known-issues.supp); run.sh sets halt_on_error=1, so every other
# report ends the run as a finding.
SAN="-fsanitize=address,undefined -fsanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 $SAN -fsanitize=fuzzer-no-link -D_GNU_SOURCE -DPFOLD_FUZZING=1 -w"
mkdir -p "$out/obj"

# newest header of the tree: an object older than it is rebuilt
newest=$(ls -t "$srcdir"/src/*.h "$srcdir"/tests/fuzz/*.h "$out"/.flags 2>/dev/null | head -n 1)
echo "$CLANG $CFLAGS $cppflags" > "$out/.flags.new"
if ! cmp -s "$out/.flags.new" "$out/.flags" 2>/dev/null; then
	mv "$out/.flags.new" "$out/.flags"
	newest="$out/.flags"
else
	rm -f "$out/.flags.new"
fi

objs=
todo=
for s in $sources tests/fuzz/fuzz-util.c; do
	case $s in *.c) ;; *) continue ;; esac
	o="$out/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
	objs="$objs $o"
	if [ ! -f "$o" ] || [ "$srcdir/$s" -nt "$o" ] || [ "$newest" -nt "$o" ]; then
		todo="$todo $s"
	fi
done
# compile JOBS at a time; a failed compile leaves OBJ.failed
n=0
for s in $todo; do
	o="$out/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
	rm -f "$o" "$o.failed"
	echo "  CC(fuzz) $s"
	# shellcheck disable=SC2086
	{ $CLANG $CFLAGS -I"$srcdir/src" -I"$srcdir/tools" -I"$srcdir/tests/fuzz" $cppflags \
		-c "$srcdir/$s" -o "$o" || : >"$o.failed"; } &
	n=$((n + 1))
	if [ $n -ge "$JOBS" ]; then
		wait
		n=0
	fi
done
wait
for s in $todo; do
	o="$out/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
	[ -f "$o" ] && [ ! -f "$o.failed" ] || { echo "build.sh: $s did not compile" >&2; exit 1; }
done

rm -f "$out/libcore.a"
# shellcheck disable=SC2086
ar rcs "$out/libcore.a" $objs
for h in "$srcdir"/tests/fuzz/fuzz-*.c; do
	case $h in */fuzz-util.c) continue ;; esac
	name=$(basename "$h" .c)
	echo "  LD(fuzz) $name"
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -fsanitize=fuzzer -I"$srcdir/src" -I"$srcdir/tools" -I"$srcdir/tests/fuzz" \
		$cppflags "$h" "$out/libcore.a" $libs -o "$out/$name"
done
echo "build.sh: harnesses in $out"
