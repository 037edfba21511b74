#!/bin/sh
# SPDX-License-Identifier: MIT
# corpus-seed.sh: builds the fuzz seed corpora: recordings made here with system perf and pfold, ../shared/peer-fixtures, synthetic files (mkperf, jitdump) and the small hand-written seeds.
#
# usage: corpus-seed.sh SRCDIR BUILDDIR OUTDIR
# OUTDIR/<harness>/ gets the seeds of each harness (reader, fold,
# perf-script, folded, perfmap, jitdump, json, events). Missing tools (perf,
# the peer fixtures) only mean fewer seeds; the hand-written ones are always there.
set -e
[ $# -eq 3 ] || { echo "usage: corpus-seed.sh SRCDIR BUILDDIR OUTDIR" >&2; exit 2; }
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd) out=$3
peer=${PEER_FIXTURES:-$src/../shared/peer-fixtures}
pfold=$build/pfold
hotcold=$build/tests/workloads/hotcold
mkperf=$build/tests/helpers/mkperf
MAX_SEED=${MAX_SEED:-700000}	# bytes: bigger files slow the fuzzer down

for h in reader fold perf-script folded perfmap jitdump json events; do
	mkdir -p "$out/$h"
	[ -d "$src/tests/fuzz/seeds/$h" ] && cp "$src/tests/fuzz/seeds/$h"/* "$out/$h/" 2>/dev/null || :
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfold-seed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

add_data() {	# add_data FILE NAME: a perf.data seed for the reader and fold harnesses
	[ -s "$1" ] || return 0
	[ "$(wc -c <"$1")" -le "$MAX_SEED" ] || return 0
	cp "$1" "$out/reader/$2"
	cp "$1" "$out/fold/$2"
	# the text views of it, when perf or pfold can give them
	if command -v perf >/dev/null 2>&1; then
		perf script -i "$1" >"$tmp/s.txt" 2>/dev/null && [ -s "$tmp/s.txt" ] &&
			head -c "$MAX_SEED" "$tmp/s.txt" >"$out/perf-script/$2.txt" || :
	fi
	if [ -x "$pfold" ]; then
		"$pfold" fold -i "$1" -o "$tmp/f" 2>/dev/null && [ -s "$tmp/f" ] &&
			head -c "$MAX_SEED" "$tmp/f" >"$out/folded/$2.folded" || :
		"$pfold" fold --all-events -i "$1" -o "$tmp/f" 2>/dev/null && [ -s "$tmp/f" ] &&
			head -c "$MAX_SEED" "$tmp/f" >"$out/folded/$2.all.folded" || :
	fi
	return 0
}

# 1. recordings made here with system perf
if command -v perf >/dev/null 2>&1 && [ -x "$hotcold" ]; then
	perf record -q -F 2000 -e cpu-clock -g -o "$tmp/fp.data" -- "$hotcold" >/dev/null 2>&1 &&
		add_data "$tmp/fp.data" perf-fp.data || :
	perf record -q -F 500 -e cpu-clock --call-graph dwarf,1024 -o "$tmp/dw.data" -- "$hotcold" >/dev/null 2>&1 &&
		add_data "$tmp/dw.data" perf-dwarf.data || :
	perf record -q -F 1000 -e '{cpu-clock,page-faults}:S' -g -o "$tmp/grp.data" -- "$hotcold" >/dev/null 2>&1 &&
		add_data "$tmp/grp.data" perf-group.data || :
	perf record -q -F 1000 -e cpu-clock -g -o - -- "$hotcold" 2>/dev/null >"$tmp/pipe.data" &&
		add_data "$tmp/pipe.data" perf-pipe.data || :
	perf record -q -F 1000 -e cpu-clock -z -g -o "$tmp/z.data" -- "$hotcold" >/dev/null 2>&1 &&
		add_data "$tmp/z.data" perf-zstd.data || :
fi
# 2. recordings made by pfold itself
if [ -x "$pfold" ] && [ -x "$hotcold" ]; then
	"$pfold" record -e cpu-clock -g -o "$tmp/pf.data" -- "$hotcold" >/dev/null 2>&1 &&
		add_data "$tmp/pf.data" pfold-fp.data || :
fi
# 3. synthetic files of what this machine cannot record
if [ -x "$mkperf" ]; then
	for k in hw-group branch branch-hwidx all-bits tracepoint; do
		"$mkperf" --kind $k --samples 20 --seed 1 -o "$tmp/m.data" >/dev/null 2>&1 &&
			add_data "$tmp/m.data" mkperf-$k.data || :
		"$mkperf" --kind $k --samples 20 --seed 2 --pipe -o "$tmp/m.data" >/dev/null 2>&1 &&
			add_data "$tmp/m.data" mkperf-$k-pipe.data || :
		"$mkperf" --kind $k --samples 20 --seed 3 --swap -o "$tmp/m.data" >/dev/null 2>&1 &&
			add_data "$tmp/m.data" mkperf-$k-swap.data || :
	done
fi
# 4. the peer fixtures (other machines, old and new perf, the corrupt one)
if [ -d "$peer" ]; then
	for f in "$peer"/*/perf.data* "$peer"/*/*.data; do
		case $f in *.xz|*LICENSE*) continue ;; esac
		[ -f "$f" ] && add_data "$f" "peer-$(basename "$f")"
	done
fi
# 5. report.json from pfold stat, and pfold's JSON export
if [ -x "$pfold" ]; then
	"$pfold" stat -r 2 -e task-clock -o "$out/json/stat.json" -- true >/dev/null 2>&1 || rm -f "$out/json/stat.json"
	f=$(ls "$out"/folded/*.folded 2>/dev/null | head -n 1)
	[ -n "$f" ] && "$pfold" export --to json -i "$f" -o "$tmp/e.json" >/dev/null 2>&1 &&
		head -c "$MAX_SEED" "$tmp/e.json" >"$out/json/export.json" || :
fi
# 6. jitdump files: header, loads, debug info, unwinding info, move, close (both byte orders)
python3 - "$out/jitdump" <<'PY' || :
import struct, sys
def jd(endian, path):
    e = endian
    recs = []
    def rec(rid, body, ts):
        recs.append(struct.pack(e + 'IIQ', rid, 16 + len(body), ts) + body)
    code = b'\x55\x48\x89\xe5\xc3'
    for i, name in enumerate([b'Interpreter', b'LFoo;::bar', b'<script>alert(1)</script>']):
        addr = 0x7f0000001000 + 0x100 * i
        rec(2, struct.pack(e + 'QQ', addr, 1) + struct.pack(e + 'QiI', addr, 10 + i, 0) + b'foo.js\0', 1000 + i)
        if i == 1:
            eh = bytes(24)
            rec(4, struct.pack(e + 'QQQ', len(eh), 0, len(eh)) + eh, 1000 + i)
        rec(0, struct.pack(e + 'IIQQQQ', 42, 43, addr, addr, len(code), i) + name + b'\0' + code, 1000 + i)
    rec(1, struct.pack(e + 'IIQQQQQ', 42, 43, 0x7f0000001000, 0x7f0000001000, 0x7f0000009000, len(code), 0), 2000)
    rec(3, b'', 3000)
    hdr = struct.pack(e + 'IIIIIIQQ', 0x4A695444, 1, 40, 62, 0, 42, 999, 0)
    open(path, 'wb').write(hdr + b''.join(recs))
jd('<', sys.argv[1] + '/jit-le.dump')
jd('>', sys.argv[1] + '/jit-be.dump')
PY
# 7. the perf map of a JIT-like workload (it prints its pid)
if [ -x "$build/tests/workloads/jitnames" ]; then
	pid=$("$build/tests/workloads/jitnames" 1000 2>/dev/null | tail -n 1) || :
	case $pid in
	''|*[!0-9]*) ;;
	*) cp "/tmp/perf-$pid.map" "$out/perfmap/jitnames.map" 2>/dev/null || :
	   rm -f "/tmp/perf-$pid.map" ;;
	esac
fi
for h in reader fold perf-script folded perfmap jitdump json events; do
	printf '%s: %s seeds\n' "$h" "$(ls "$out/$h" | wc -l)"
done
