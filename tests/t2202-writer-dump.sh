#!/bin/bash
# SPDX-License-Identifier: MIT
# t2202-writer-dump.sh: synthetic files from pfold's writer read back by pfold dump, field by field.
test_description='pfold dump reads every synthetic file with the values mkperf wrote'
. "$(dirname "$0")/test-lib.sh"

command -v mkperf >/dev/null 2>&1 || test_skip_all "tests/helpers/mkperf not built"
"$PFOLD" dump --help >/dev/null 2>&1 || test_skip_all "pfold dump not built"

# Both sides become lines "TIME TAG ...", sorted: S pid tid cpu ip, P period,
# R k value (k-th read value, cumulative), C i ip (i-th callchain entry,
# context markers left out), B i from to M|P|- X|- A|- cycles, X name value.

# mkperf --expect: a group read is one S line per member with the member's delta
norm_expect() {
	awk '
	function flush() { if (t != "") for (j = 0; j < n; j++) print lines[j]; n = 0 }
	/^S / {
		if ($5 != t) {
			flush(); t = $5; k = 0; ci = 0; bi = 0
			lines[n++] = t " S " $2 " " $3 " " $4 " " $8
			lines[n++] = t " P " $7
		}
		if (has_read) { cum[k] += $7; lines[n++] = t " R " k " " cum[k] }
		k++
		next
	}
	k > 1 { next }		# C/B/X lines repeat for each group member
	/^C / { lines[n++] = t " C " ci++ " " $2; next }
	/^B / { lines[n++] = t " B " bi++ " " $2 " " $3 " " $4 " " $5 " " $6 " " $7; next }
	/^X / && $2 != "raw_size" { $1 = ""; lines[n++] = t " X" $0; next }
	END { flush() }' has_read="$2" "$1" | sort
}

norm_dump() {
	awk '
	$2 != "type=SAMPLE" { next }
	{
		line = $0; t = ""; ip = ""
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			f[kv[1]] = substr($i, length(kv[1]) + 2)
		}
		t = f["time"]; ip = f["ip"]; sub(/^0x/, "", ip)
		print t " S " f["pid"] " " f["tid"] " " f["cpu"] " " ip
		print t " P " f["period"]
		if (match(line, /read=\{[^}]*\}/)) {
			r = substr(line, RSTART, RLENGTH); k = 0
			while (match(r, /value=[0-9]+/)) { print t " R " k++ " " substr(r, RSTART + 6, RLENGTH - 6); r = substr(r, RSTART + RLENGTH) }
		}
		if (match(line, /callchain=\[[^]]*\]/)) {
			c = substr(line, RSTART + 11, RLENGTH - 12); m = split(c, ips, ","); ci = 0
			for (j = 1; j <= m; j++) {
				if (length(ips[j]) == 18 && ips[j] ~ /^0xfffffffffffff/) continue
				x = ips[j]; sub(/^0x/, "", x); print t " C " ci++ " " x
			}
		}
		if (match(line, /branch_stack=\{.*\]\}/)) {
			b = substr(line, RSTART, RLENGTH); bi = 0
			while (match(b, /\[from=[^]]*\]/)) {
				e = substr(b, RSTART + 1, RLENGTH - 2); b = substr(b, RSTART + RLENGTH)
				split(e, fl, " "); delete g
				for (j in fl) { split(fl[j], kv, "="); g[kv[1]] = kv[2] }
				fr = g["from"]; to = g["to"]; sub(/^0x/, "", fr); sub(/^0x/, "", to)
				print t " B " bi++ " " fr " " to " " (g["mispred"] ? "M" : (g["predicted"] ? "P" : "-")) " " (g["in_tx"] ? "X" : "-") " " (g["abort"] ? "A" : "-") " " g["cycles"]
			}
		}
		if ("addr" in f) { x = f["addr"]; sub(/^0x/, "", x); print t " X addr " x }
		if ("phys_addr" in f) { x = f["phys_addr"]; sub(/^0x/, "", x); print t " X phys_addr " x }
		if ("data_src" in f) { x = f["data_src"]; sub(/^0x/, "", x); print t " X data_src " x }
		if (match(line, /weight=\{var1=[0-9]+ var2=[0-9]+/)) {
			w = substr(line, RSTART, RLENGTH); split(w, wv, /[= ]/); print t " X weight " wv[3] " ins_lat " wv[5]
		}
		if (match(line, /user_regs=\{[^}]*\}/)) {
			u = substr(line, RSTART, RLENGTH); match(u, /\[[^]]*\]/); split(substr(u, RSTART + 1, RLENGTH - 2), rv, ",")
			print t " X uregs ax:" rv[1] " bp:" rv[2] " sp:" rv[3] " ip:" rv[4]
		}
		if ("data_page_size" in f) print t " X data_page_size " f["data_page_size"]
		if ("code_page_size" in f) print t " X code_page_size " f["code_page_size"]
		delete f
	}' | sort
}

check_dump() {
	kind=$1; shift
	has_read=
	case $kind in hw-group|all-bits) has_read=1 ;; esac
	mkperf --kind "$kind" "$@" -o f.data --expect exp &&
	"$PFOLD" dump -i f.data >dump 2>err &&
	norm_dump <dump >got &&
	norm_expect exp "$has_read" >want &&
	test -s want &&
	test_cmp want got
}

for mode in "" "--pipe" "--swap" "--pipe --swap"; do
	for kind in hw-group branch branch-hwidx all-bits; do
		case "$kind $mode" in all-bits*--swap*) continue ;; esac	# WEIGHT_STRUCT has no swapped form perf agrees on
		test_expect_success "pfold dump: $kind ${mode:-file}, every sample field" "
			check_dump $kind $mode
		"
	done
done

for mode in "" "--pipe" "--swap" "--pipe --swap"; do
	test_expect_success "pfold dump --stats counts what mkperf wrote (${mode:-file})" "
		mkperf --kind hw-group --samples 37 $mode -o s.data &&
		\"\$PFOLD\" dump --stats -i s.data >stats 2>err &&
		grep -q 'SAMPLE events: *37\$' stats &&
		grep -q 'COMM events: *2\$' stats &&
		grep -q 'MMAP2 events: *1\$' stats &&
		grep -q 'FORK events: *1\$' stats &&
		grep -q 'EXIT events: *1\$' stats &&
		grep -q 'FINISHED_INIT events: *1\$' stats
	"
done

for mode in "" "--pipe" "--swap"; do
	test_expect_success "pfold dump --header shows the features and attrs (${mode:-file})" "
		mkperf --kind hw-group $mode -o h.data &&
		\"\$PFOLD\" dump --header -i h.data >hdr 2>err &&
		grep -q '^# hostname : mkperf-host\$' hdr &&
		grep -q '^# os release : 6.1.0-mkperf\$' hdr &&
		grep -q '^# cpuid : GenuineIntel,6,85,4\$' hdr &&
		grep -q '^# total memory : 16777216 kB\$' hdr &&
		grep -q '^# nrcpus online : 2\$' hdr &&
		grep -q '^# nrcpus avail : 4\$' hdr &&
		grep -q '^# cmdline : mkperf --kind hw-group\$' hdr &&
		grep -q '^# build id : 0102030405060708090a0b0c0d0e0f1011121314 .*/usr/bin/mkperf-hot' hdr &&
		grep -q 'event = name = cycles\|event : name = cycles' hdr &&
		grep -q 'read_format = 0x1f' hdr
	"
done

test_expect_success 'pfold dump --header: file-mode attr and data layout' '
	mkperf --kind hw-group -o h.data &&
	"$PFOLD" dump --header -i h.data >hdr &&
	grep -q "^# attrs : offset=120 size=288\$" hdr &&
	grep -q "^# data : offset=408 size=" hdr &&
	grep -q "^# attr 0 : event=cycles .*ids=\[101\]" hdr &&
	grep -q "^# attr 1 : event=cache-misses .*config=0x3 .*ids=\[102\]" hdr
'

test_done
