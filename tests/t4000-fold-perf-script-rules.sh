#!/bin/bash
# SPDX-License-Identifier: MIT
# t4000-fold-perf-script-rules.sh: pfold fold --input perf-script follows stackcollapse-perf.pl's rules.
#
# Each expected output below was worked out by hand from the rules of
# FlameGraph's stackcollapse-perf.pl (master: period weights, event filter),
# read at https://github.com/brendangregg/FlameGraph/blob/master/stackcollapse-perf.pl;
# the rule each case checks is named in its description and comment.
test_description='perf script text folds as stackcollapse-perf.pl folds it'
. "$(dirname "$0")/test-lib.sh"

T=$(printf '\t')

# fold FLAGS...: fold the file "in" with FLAGS into "out"
fold() { "$PFOLD" fold --input perf-script -i in "$@" >out; }

# Rules: '#' lines skipped; an empty line ends a sample; root frame = comm;
# callchain lines come leaf first and are prepended (root first out);
# "+0x.." offsets dropped; weight = the period before the event name;
# output sorted by the stack text (Perl's sort, byte order).
test_expect_success 'header comments, root-first stacks, offsets, periods, sorting' '
	cat >in <<-EOF &&
	# ========
	# cmdline : /usr/bin/perf record -g ./app
	# ========
	#
	app 100 [000] 1.000001:     250000 cpu-clock: 
	$T    11c3 leaf+0x33 (/tmp/app)
	$T    1088 main+0x38 (/tmp/app)

	app 100 [000] 1.000002:     250000 cpu-clock: 
	$T    11c3 leaf+0x3a (/tmp/app)
	$T    1088 main+0x38 (/tmp/app)

	app 100 [001] 1.000003:     500000 cpu-clock: 
	$T    2000 zeta+0x1 (/tmp/app)

	EOF
	fold &&
	printf "%s\n" "app;main;leaf 500000" "app;zeta 500000" >expect &&
	test_cmp expect out
'

# Rules: the sample header pattern ^(\S.+?)\s+(\d+)\/*(\d+)*\s+ : a comm with
# spaces stays whole and its spaces become "_"; --pid gives comm-PID, --tid
# comm-PID/TID; with a single number that number is the TID and the PID is "?";
# a TID of "0" is false in Perl, so PID/0 also gives PID "?" and TID = PID.
test_expect_success 'comm with spaces, --pid, --tid, missing pid, tid 0' '
	cat >in <<-EOF &&
	V8 WorkerThread 24636/25607 [000] 2.0: 1 cycles:
	$T aa f (/x)

	java 25607 3.0: 2 cycles:
	$T aa g (/x)

	swapper 0/0 [000] 4.0: 4 cycles:
	$T aa h (/x)

	EOF
	fold &&
	printf "%s\n" "V8_WorkerThread;f 1" "java;g 2" "swapper;h 4" >expect &&
	test_cmp expect out &&
	fold --pid &&
	printf "%s\n" "V8_WorkerThread-24636;f 1" "java-?;g 2" "swapper-?;h 4" >expect &&
	test_cmp expect out &&
	fold --tid &&
	printf "%s\n" "V8_WorkerThread-24636/25607;f 1" "java-?/25607;g 2" "swapper-?/0;h 4" >expect &&
	test_cmp expect out
'

# Rule: (\S.+?) is lazy and needs two characters, so with a one-character comm
# the first "blanks, number, blank" after the second character ends it: in
# "a 1 2.0: 1 cpu-clock:" the comm is "a 1 2.0:" and the number is the period.
test_expect_success 'a one-character comm swallows up to the first number that fits' '
	cat >in <<-EOF &&
	a 1 2.0: 1 cpu-clock:
	$T 10 f (/x)

	EOF
	fold &&
	echo "a_1_2.0:;f 1" >expect &&
	test_cmp expect out
'

# Rules: event = the last word ending in ":" (the .pl's --event-filter);
# default: the first event seen, other events left out (pfold warns once);
# -e picks one; --all-events (pfold) keeps one column each.
test_expect_success 'event selection: first event by default, -e, --all-events' '
	cat >in <<-EOF &&
	app 1 1.0: 10 cpu-clock:
	$T 1 a (/x)

	app 1 1.1: 1 page-faults:
	$T 1 b (/x)

	app 1 1.2: 10 cpu-clock:
	$T 1 a (/x)

	EOF
	fold 2>err &&
	echo "app;a 20" >expect &&
	test_cmp expect out &&
	test_line_count = 1 err &&
	grep "first event, .cpu-clock.; 1 sample of other events" err &&
	fold -e page-faults 2>err &&
	echo "app;b 1" >expect &&
	test_cmp expect out &&
	test_line_count = 0 err &&
	fold --all-events &&
	printf "%s\n" "# pfold-folded events=cpu-clock,page-faults" "app;a 20 0" "app;b 0 1" >expect &&
	test_cmp expect out
'

# Rules: "if (not $period) { $period = 1 }": no period or a period of 0
# weighs 1; --weight samples (pfold) counts samples.
test_expect_success 'missing or zero period weighs 1; --weight samples' '
	cat >in <<-EOF &&
	app 1 1.0: cpu-clock:
	$T 1 a (/x)

	app 1 1.1: 0 cpu-clock:
	$T 1 a (/x)

	app 1 1.2: 5 cpu-clock:
	$T 1 a (/x)

	EOF
	fold &&
	echo "app;a 7" >expect &&
	test_cmp expect out &&
	fold --weight samples &&
	echo "app;a 3" >expect &&
	test_cmp expect out
'

# Rules: "[unknown]" becomes "[" + the object base name + "]", or "[unknown]"
# when the object is unknown too; --addrs adds " <ADDR>" inside the brackets;
# --kernel: "_[k]" when the object starts with "[" or ends in "vmlinux" and is
# not "[unknown]"; --jit: "_[j]" for /tmp/perf-PID.map; --all = both;
# --no-kernel (pfold) leaves kernel frames out.
test_expect_success '[unknown] frames, --addrs, --kernel, --jit, --all, --no-kernel' '
	cat >in <<-EOF &&
	app 7 1.0: 1 cpu-clock:
	${T}ffffffff81000c82 asm_exc_page_fault+0x22 ([kernel.kallsyms])
	$T    7f0012345678 [unknown] (/tmp/perf-7.map)
	$T    7f00aaaa Interp::run (/tmp/perf-7.map)
	$T    55550000 [unknown] (/usr/lib/libfoo.so.1)
	$T    0 [unknown] ([unknown])
	$T    1234 ksym (/lib/modules/6.1/build/vmlinux)

	EOF
	fold &&
	echo "app;ksym;[unknown];[libfoo.so.1];Interp::run;[perf-7.map];asm_exc_page_fault 1" >expect &&
	test_cmp expect out &&
	fold --kernel &&
	echo "app;ksym_[k];[unknown];[libfoo.so.1];Interp::run;[perf-7.map];asm_exc_page_fault_[k] 1" >expect &&
	test_cmp expect out &&
	fold --jit &&
	echo "app;ksym;[unknown];[libfoo.so.1];Interp::run_[j];[perf-7.map]_[j];asm_exc_page_fault 1" >expect &&
	test_cmp expect out &&
	fold --all --addrs &&
	echo "app;ksym_[k];[unknown <0>];[libfoo.so.1 <55550000>];Interp::run_[j];[perf-7.map <7f0012345678>]_[j];asm_exc_page_fault_[k] 1" >expect &&
	test_cmp expect out &&
	fold --no-kernel &&
	echo "app;[unknown];[libfoo.so.1];Interp::run;[perf-7.map] 1" >expect &&
	test_cmp expect out
'

# Rules (tidy_generic): ";" becomes ":"; everything from the first "(" is cut
# unless the name looks like a Go method (".(" ... ").") or the "(" opens
# "(anonymous namespace)"; quotes are deleted; a symbol starting with "(" is
# skipped; "a->b->c" (perf inline chains) gives a;b_[i];c_[i] in place.
test_expect_success 'name tidying: C++, Go, anonymous namespace, ";", quotes, inline chains' '
	cat >in <<-EOF &&
	app 1 1.0: 1 cpu-clock:
	$T 1 foo(int, char*) (/x)
	$T 2 net/http.(*Client).Do (/x)
	$T 3 (anonymous namespace)::bar(long) (/x)
	$T 4 ns::(anonymous namespace)::baz(long) (/x)
	$T 5 a;b (/x)
	$T 6 it'"'"'s "quoted" (/x)
	$T 7 (skipped) (/x)
	$T 8 outer->inl1->inl2 (/x)
	$T 9 std::vector<int>::push_back+0x1f (/x)

	EOF
	fold &&
	echo "app;std::vector<int>::push_back;outer;inl1_[i];inl2_[i];its quoted;a:b;ns::(anonymous namespace)::baz;net/http.(*Client).Do;foo 1" >expect &&
	test_cmp expect out
'

# Rules (tidy_java): for a process name starting with "java", a leading "L"
# is dropped from names holding "/" (after ";" -> ":" and the cut at "(");
# other processes keep it.
test_expect_success 'Java names are tidied only in java processes' '
	cat >in <<-EOF &&
	java 12 1.0: 1 cpu-clock:
	$T 1 Lorg/mozilla/javascript/ContextFactory;.call(Lorg/mozilla/javascript/ContextAction;)Ljava/lang/Object; (/tmp/perf-12.map)
	$T 2 Interpreter::run (/usr/lib/jvm/libjvm.so)

	app 12 1.0: 1 cpu-clock:
	$T 1 Lorg/x/Y;.call(I)V (/tmp/perf-12.map)

	EOF
	fold --jit &&
	printf "%s\n" "app;Lorg/x/Y:.call_[j] 1" "java;Interpreter::run;org/mozilla/javascript/ContextFactory:.call_[j] 1" >expect &&
	test_cmp expect out
'

# Rules: a sample without callchain lines is the comm alone; a line that is
# neither a header, a callchain line, a comment nor empty is skipped (pfold:
# counted in ONE warning); input that ends without an empty line loses its
# last sample (it is only remembered at an empty line).
test_expect_success 'no callchain, unparsable lines in one warning, no final empty line' '
	{
		printf "app 1 1.0: 1 cpu-clock:\n\n" &&
		printf "app 1 1.1: 1 cpu-clock:\nthis is not perf script\n\t 1 a (/x)\n" &&
		printf "neither is this\n\n" &&
		printf "app 1 1.2: 1 cpu-clock:\n\t 1 lost (/x)"
	} >in &&
	fold 2>err &&
	printf "%s\n" "app 1" "app;a 1" >expect &&
	test_cmp expect out &&
	test_line_count = 1 err &&
	grep "skipped 2 lines that are not perf script output (the first: line 4)" err
'

# Rule: the output order is Perl's sort of the stack strings: byte order
# ("-" < ";" < "B" < "_" < "a"), a prefix before its extensions.
test_expect_success 'byte-order sorting of the stack text' '
	cat >in <<-EOF &&
	app 1 1.0: 1 cpu-clock:
	$T 1 a (/x)

	app 1 1.0: 1 cpu-clock:
	$T 1 _x (/x)

	app 1 1.0: 1 cpu-clock:

	app 1 1.0: 1 cpu-clock:
	$T 1 B (/x)

	app-x 1 1.0: 1 cpu-clock:
	$T 1 a (/x)

	EOF
	fold &&
	printf "%s\n" "app 1" "app-x;a 1" "app;B 1" "app;_x 1" "app;a 1" >expect &&
	test_cmp expect out
'

# Rule: the object is what lies between the LAST " (" followed by a ")" and
# the last ")": spaces in a path are fine, but in "[unknown] (/tmp/my dir/lib
# (copy).so)" the object is "copy).so" and the symbol "[unknown] (/tmp/my
# dir/lib", which the cut at "(" turns into "[unknown] " (trailing blank).
test_expect_success 'objects with spaces and parentheses' '
	cat >in <<-EOF &&
	app 1 1.0: 1 cpu-clock:
	$T 1 [unknown] (/tmp/my dir/lib (copy).so)
	$T 2 f (/tmp/my dir/app)

	EOF
	fold &&
	echo "app;f;[unknown]  1" >expect &&
	test_cmp expect out
'

test_expect_success 'stdin works, and a perf.data stream on stdin is refused with a hint' '
	printf "app 1 1.0: 1 cpu-clock:\n\t 1 a (/x)\n\n" | "$PFOLD" fold -i - >out &&
	echo "app;a 1" >expect &&
	test_cmp expect out &&
	printf "PERFILE2xxxxxxxx" | test_must_fail "$PFOLD" fold -i - 2>err &&
	grep "needs --input perf-data" err
'

test_done
