// SPDX-License-Identifier: MIT
/* test-perfmap.c: /tmp/perf-PID.map parsing: sorting, overlaps, bad and long lines, ownership. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "perfmap.h"
#include "tap.h"

static char path[256];

static void write_map(const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f)) {
		perror(path);
		exit(99);
	}
}

static const char *look(struct pfold_perfmap *m, uint64_t addr, uint64_t *off)
{
	const char *n = pfold_perfmap_lookup(m, addr, off);

	return n ? n : "(none)";
}

int main(void)
{
	struct pfold_perfmap *m = NULL;
	struct pfold_buf big = PFOLD_BUF_INIT;
	uint64_t off = 0;
	int n, i;

	snprintf(path, sizeof(path), "perfmap-test-%d.map", (int)getpid());

	/* unsorted input, Python's and Node's forms, a name with spaces */
	write_map("7f0000002000 100 py::work:/tmp/x.py\n"
		  "7f0000001000 80 py::main:/tmp/x.py\n"
		  "0x7f0000003000 0x40 LazyCompile:~fib /tmp/fib.js:1\n");
	n = pfold_perfmap_open(&m, path, 0);
	is_int(n, 3, "three entries");
	is_str(look(m, 0x7f0000001000, &off), "py::main:/tmp/x.py", "first byte of an entry");
	is_int(off, 0, "offset 0");
	is_str(look(m, 0x7f000000207f, &off), "py::work:/tmp/x.py", "inside an entry");
	is_int(off, 0x7f, "offset inside");
	is_str(look(m, 0x7f0000001080, NULL), "(none)", "one past the end is outside");
	is_str(look(m, 0x7f0000003010, NULL), "LazyCompile:~fib /tmp/fib.js:1", "0x form, spaces in the name");
	is_str(look(m, 0x1000, NULL), "(none)", "below every entry");
	pfold_perfmap_close(m);

	/* overlaps: the entry starting closest below wins; equal starts: the last written */
	write_map("1000 1000 outer\n"
		  "1400 100 inner\n"
		  "2000 10 old\n"
		  "2000 10 new\n");
	n = pfold_perfmap_open(&m, path, 0);
	is_int(n, 4, "four entries");
	is_str(look(m, 0x1450, NULL), "inner", "nested entry wins inside it");
	is_str(look(m, 0x1600, NULL), "outer", "outer entry after the nested one ends");
	is_str(look(m, 0x2004, NULL), "new", "equal starts: the newest");
	pfold_perfmap_close(m);

	/* bad lines and an over-long line are skipped and counted */
	pfold_buf_adds(&big, "3000 10 ");
	for (i = 0; i < PFOLD_PERFMAP_MAX_LINE + 100; i++)
		pfold_buf_addch(&big, 'x');
	pfold_buf_adds(&big, "\nnot a line\n1000 zz name\n2000 10\n4000 10 ok\nffffffffffffffff 10 wraps\n");
	write_map(big.data);
	n = pfold_perfmap_open(&m, path, 0);
	is_int(n, 1, "only the good line is kept");
	is_int(pfold_perfmap_bad_lines(m), 5, "five bad lines counted");
	is_str(look(m, 0x4005, NULL), "ok", "good line after bad ones");
	is_str(look(m, 0x3005, NULL), "(none)", "the long line is not half-parsed");
	pfold_perfmap_close(m);
	pfold_buf_release(&big);

	/* empty file, missing file */
	write_map("");
	n = pfold_perfmap_open(&m, path, 0);
	is_int(n, 0, "empty map");
	is_str(look(m, 0x1000, NULL), "(none)", "nothing in an empty map");
	pfold_perfmap_close(m);
	unlink(path);
	m = NULL;
	n = pfold_perfmap_open(&m, path, 0);
	is_int(n, -PFOLD_E_NOT_FOUND, "missing map");
	ok(m == NULL, "*out untouched on failure");

	/* owned by another user: refused unless forced (needs root to chown) */
	if (geteuid() == 0) {
		write_map("1000 10 x\n");
		if (chown(path, 12345, 12345) == 0) {
			n = pfold_perfmap_open(&m, path, 0);
			is_int(n, -PFOLD_E_PERM, "another user's map is refused");
			ok(strstr(pfold_errmsg(n), "--force") != NULL, "the message names --force");
			n = pfold_perfmap_open(&m, path, 1);
			is_int(n, 1, "--force reads it");
			pfold_perfmap_close(m);
		}
		unlink(path);
	} else {
		printf("# skipping the ownership check: not root\n");
	}
	return done_testing();
}
