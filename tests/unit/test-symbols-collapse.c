// SPDX-License-Identifier: MIT
/* test-symbols-collapse.c: frame naming of the perf.data path, by stackcollapse-perf.pl's rules (worked out by hand). */
#include <string.h>

#include "stacks.h"
#include "tap.h"

static struct pfold_fold_options opts;

/* the frames of one perf script line, joined with ';' */
static const char *collapse(const char *func, const char *mod, uint64_t pc, int java)
{
	static char out[1024];
	struct pfold_buf b = PFOLD_BUF_INIT;
	enum pfold_frame_kind kinds[8];
	size_t i, pos = 0;
	int n = pfold_collapse_frame(&b, kinds, 8, func, mod, pc, &opts, java);

	out[0] = '\0';
	for (i = 0; n > 0 && i < (size_t)n; i++) {
		const char *f = b.data + pos;

		if (i)
			strcat(out, ";");
		strncat(out, f, sizeof(out) - strlen(out) - 2);
		pos += strlen(f) + 1;
	}
	if (n == 0)
		strcpy(out, "(skipped)");
	pfold_buf_release(&b);
	return out;
}

int main(void)
{
	is_str(collapse("main", "/usr/bin/app", 0x1139, 0), "main", "plain name");
	is_str(collapse("[unknown]", "/usr/lib/libfoo.so.1", 0x10, 0), "[libfoo.so.1]",
	       "unknown symbol: [basename of the object]");
	is_str(collapse("[unknown]", "[unknown]", 0x10, 0), "[unknown]", "unknown everything");
	is_str(collapse("[unknown]", "[kernel.kallsyms]", 0x10, 0), "[[kernel.kallsyms]]",
	       "unknown kernel symbol keeps the brackets of its object");
	is_str(collapse("foo(int, char)", "/bin/x", 0, 0), "foo", "C++ parameters dropped");
	is_str(collapse("ns::(anonymous namespace)::bar(int)", "/bin/x", 0, 0),
	       "ns::(anonymous namespace)::bar", "(anonymous namespace) kept");
	is_str(collapse("(anonymous namespace)::bar(int)", "/bin/x", 0, 0), "(skipped)",
	       "a name starting with '(' is skipped, even (anonymous namespace)");
	is_str(collapse("net/http.(*Client).Do", "/bin/x", 0, 0), "net/http.(*Client).Do",
	       "Go method kept whole");
	is_str(collapse("RegExp:[&<>\"']", "/tmp/perf-7539.map", 0, 0), "RegExp:[&<>]",
	       "quotes removed");
	is_str(collapse("a;b", "/bin/x", 0, 0), "a:b", "';' becomes ':'");
	is_str(collapse("(process)", "/bin/x", 0, 0), "(skipped)", "a name in parentheses is skipped");
	is_str(collapse("outer->inner", "/bin/x", 0, 0), "outer;inner_[i]", "'->' splits inlined frames");
	is_str(collapse("Lorg/x/Y;.call(Lz;)V", "/tmp/perf-1.map", 0, 1), "org/x/Y:.call",
	       "java: leading L dropped, signature cut");
	is_str(collapse("schedule", "[kernel.kallsyms]", 0, 0), "schedule", "kernel unannotated");
	opts.annotate_kernel = 1;
	opts.annotate_jit = 1;
	is_str(collapse("schedule", "[kernel.kallsyms]", 0, 0), "schedule_[k]", "--kernel");
	is_str(collapse("tcp_sendmsg", "/lib/modules/6.1/build/vmlinux", 0, 0), "tcp_sendmsg_[k]",
	       "--kernel: vmlinux objects");
	is_str(collapse("main", "/usr/bin/app", 0, 0), "main", "--kernel leaves user frames");
	is_str(collapse("py::f:/x.py", "/tmp/perf-42.map", 0, 0), "py::f:/x.py_[j]", "--jit");
	is_str(collapse("[unknown]", "/tmp/perf-42.map", 0, 0), "[perf-42.map]_[j]",
	       "--jit on an unknown JIT frame");
	is_str(collapse("x_[j]", "/tmp/perf-42.map", 0, 0), "x_[j]", "no double _[j]");
	opts.include_addrs = 1;
	is_str(collapse("[unknown]", "/usr/lib/libfoo.so.1", 0x1a2b, 0), "[libfoo.so.1 <1a2b>]",
	       "--addrs");
	return done_testing();
}
