#!/bin/bash
# SPDX-License-Identifier: MIT
# t1000-record-basic.sh: pfold record exit statuses, the cpu-clock fallback, event errors, pfold list.
test_description='pfold record and pfold list basics'
. "$(dirname "$0")/test-lib.sh"

"$PFOLD" record -e cpu-clock -o .probe.data -- true 2>/dev/null ||
	test_skip_all "pfold record cannot open cpu-clock here (paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null))"
rm -f .probe.data

# does this machine count cycles? (perf is the oracle; without perf, a probe)
cycles_counted() {
	perf stat -x, -e cycles -- true 2>&1 >/dev/null | grep -q "^[0-9]"
}
if command -v perf >/dev/null 2>&1 && ! cycles_counted; then test_set_prereq NO_PMU; fi

test_expect_success 'pfold record -- false exits 1' '
	test_expect_code 1 "$PFOLD" record -e cpu-clock -o f.data -- false
'

test_expect_success 'a command killed by SIGKILL gives 137' '
	test_expect_code 137 "$PFOLD" record -e cpu-clock -o k.data -- sh -c "kill -9 \$\$"
'

test_expect_success 'a command exiting 42 gives 42' '
	test_expect_code 42 "$PFOLD" record -e cpu-clock -o s.data -- sh -c "exit 42"
'

test_expect_success 'a command that cannot be run is pfold error 2, one line' '
	test_must_fail "$PFOLD" record -e cpu-clock -o n.data -- ./no-such-command 2>err &&
	test_line_count = 1 err &&
	grep -q "^pfold: cannot run .\./no-such-command.: No such file or directory" err &&
	! test -e n.data
'

test_expect_success 'the recording is created with mode 0600' '
	"$PFOLD" record -e cpu-clock -o m.data -- true &&
	test "$(stat -c %a m.data)" = 600
'

test_expect_success NO_PMU 'default event: cycles falls back to cpu-clock, said in one line' '
	"$PFOLD" record -o d.data -- true 2>err &&
	test_line_count = 1 err &&
	grep -qx "pfold: cycles: not counted on this machine (no PMU exposed, e.g. a VM); sampling cpu-clock instead" err
'

test_expect_success NO_PMU,PERF 'the fallback recording holds cpu-clock samples (perf reads it)' '
	"$PFOLD" record -o d2.data -- "$WORKLOADS/hotcold" 100 2>/dev/null &&
	perf evlist -i d2.data >events &&
	grep -qx "cpu-clock" events
'

test_expect_success NO_PMU 'explicit -e cycles without a PMU is error 2 naming --fallback' '
	test_must_fail "$PFOLD" record -e cycles -o c.data -- true 2>err &&
	test_line_count = 1 err &&
	grep -q "^pfold: cycles: not counted on this machine (no PMU exposed, e.g. a VM); use --fallback" err
'

test_expect_success NO_PMU 'explicit -e cycles --fallback samples cpu-clock and says so' '
	"$PFOLD" record -e cycles --fallback -o c.data -- true 2>err &&
	grep -q "cycles: not counted on this machine.*sampling cpu-clock instead" err
'

test_expect_success 'an unknown event is error 2 naming it' '
	test_must_fail "$PFOLD" record -e no-such-event -o u.data -- true 2>err &&
	grep -q "^pfold: no-such-event: unknown event" err
'

test_expect_success 'an unclosed group is error 2' '
	test_must_fail "$PFOLD" record -e "{cpu-clock,page-faults" -o u.data -- true 2>err &&
	grep -q "without .}." err
'

test_expect_success 'a tracepoint without tracefs gives the mount command' '
	PFOLD_TRACEFS= test_must_fail "$PFOLD" record -e sched:sched_switch -o t.data -- true 2>err &&
	grep -q "mount -t tracefs nodev /sys/kernel/tracing" err
'

test_expect_success 'no command, -p or -a is a usage error' '
	test_must_fail "$PFOLD" record -e cpu-clock 2>err &&
	grep -q "^usage: pfold record" err
'

test_expect_success '-F and -c exclude each other; -m must be a power of two' '
	test_must_fail "$PFOLD" record -F 99 -c 1000 -e cpu-clock -- true &&
	test_must_fail "$PFOLD" record -m 3 -e cpu-clock -o m3.data -- true 2>err &&
	grep -q "power of two" err
'

test_expect_success 'pfold record -- true takes well under a second (perf: ~1.1 s)' '
	start=$(date +%s%N) &&
	"$PFOLD" record -e cpu-clock -o t.data -- true &&
	end=$(date +%s%N) &&
	ms=$(( (end - start) / 1000000 )) &&
	echo "pfold record -- true: $ms ms" &&
	test "$ms" -lt 300
'

test_expect_success 'pfold list: software events are ok, each line has a status' '
	"$PFOLD" list >list &&
	grep -q "^cpu-clock  *software  *ok$" list &&
	grep -q "^page-faults  *software  *ok$" list &&
	! grep -v "^#" list | grep -v " ok" | grep -v " no: " | grep -v "^pmu::EVENT"
'

test_expect_success NO_PMU 'pfold list says why cycles cannot be counted' '
	"$PFOLD" list >list &&
	grep -q "^cycles  *hardware  *no: not counted on this machine (no PMU exposed, e.g. a VM)$" list
'

test_expect_success PERF 'pfold list agrees with perf stat on which common events count' '
	"$PFOLD" list >list &&
	for ev in cycles instructions cpu-clock task-clock page-faults context-switches; do
		if perf stat -x, -e $ev -- true 2>&1 >/dev/null | grep -q "^[0-9]"; then
			grep -q "^$ev  *[a-z]*  *ok$" list || { echo "$ev counts for perf"; exit 1; }
		else
			grep -q "^$ev  *[a-z]*  *no: " list || { echo "$ev does not count for perf"; exit 1; }
		fi
	done
'

test_expect_success 'pfold list without tracefs gives the mount command' '
	PFOLD_TRACEFS= "$PFOLD" list >list &&
	grep -q "tracepoint no: tracefs is not mounted; run .mount -t tracefs nodev /sys/kernel/tracing." list
'

test_expect_success TRACEFS 'pfold list --all probes tracepoints and perf pseudo-PMU events' '
	"$PFOLD" list --all >all &&
	grep -q "^sched:sched_switch  *tracepoint  *ok$" all &&
	grep -q "^perf::PERF_COUNT_SW_CPU_CLOCK  *software  *ok$" all
'

# as an unprivileged user (root can drop to nobody with setpriv), at paranoid >= 2
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 0)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && [ "$paranoid" -ge 2 ] &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$PFOLD"; then
	test_set_prereq UNPRIV
fi
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

test_expect_success UNPRIV 'no permission (-a as nobody): error 2 names perf_event_paranoid and CAP_PERFMON' '
	mkdir -p open && chmod 777 open &&
	test_must_fail as_nobody "$PFOLD" record -a -e cpu-clock -o open/a.data -- true 2>err &&
	test_line_count = 1 err &&
	grep -q "^pfold: cpu-clock: Permission denied: kernel.perf_event_paranoid is $paranoid.*CAP_PERFMON" err
'

test_expect_success UNPRIV 'unprivileged per-process recording samples user space only, and says so' '
	mkdir -p open && chmod 777 open &&
	as_nobody "$PFOLD" record -e cpu-clock -o open/u.data -- true 2>err &&
	grep -q "kernel.perf_event_paranoid is $paranoid and no CAP_PERFMON: sampling user space only" err &&
	if test_have_prereq PERF; then
		perf evlist -f -v -i open/u.data | grep -q "exclude_kernel: 1"
	fi
'

test_expect_success 'libpfm4 is loaded only for hardware names: without it, software events record, -e cycles is error 2, the default falls back' '
	! ldd "$PFOLD" | grep -q libpfm &&
	PFOLD_LIBPFM=/nonexistent/libpfm.so.4 "$PFOLD" record -e cpu-clock -o nopfm-sw.data -- true &&
	test "$(head -c 8 nopfm-sw.data)" = PERFILE2 &&
	test_must_fail env PFOLD_LIBPFM=/nonexistent/libpfm.so.4 "$PFOLD" record -e cycles -o nopfm-hw.data -- true 2>err &&
	test_line_count = 1 err &&
	grep -q "cannot load /nonexistent/libpfm.so.4" err &&
	PFOLD_LIBPFM=/nonexistent/libpfm.so.4 "$PFOLD" record -o nopfm-def.data -- true 2>err &&
	grep -q "libpfm4: cannot load.*; sampling cpu-clock instead" err &&
	test "$(head -c 8 nopfm-def.data)" = PERFILE2
'

test_done
