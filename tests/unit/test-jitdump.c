// SPDX-License-Identifier: MIT
/* test-jitdump.c: jitdump files written by the test itself (both byte orders, cut, corrupted) and their CFI used for unwinding. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "jitdump.h"
#include "unwind.h"
#include "tap.h"

#define CODE_A 0x700000001000ull	/* trampoline-like: push rbp; mov rsp,rbp */
#define CODE_B 0x700000002000ull	/* CFA = rsp + 32 all along */
#define CODE_C 0x700000003000ull	/* CFA = rsp, RA at [CFA]: no progress */
#define CODE_D 0x700000004000ull	/* CFA far above the stack copy */
#define CODE_MOVED 0x700000005000ull
#define FAKE_SP 0x7ffd00000000ull

static int swap;

static void put32(struct pfold_buf *b, uint32_t v)
{
	if (swap)
		v = __builtin_bswap32(v);
	pfold_buf_add(b, &v, 4);
}

static void put64(struct pfold_buf *b, uint64_t v)
{
	if (swap)
		v = __builtin_bswap64(v);
	pfold_buf_add(b, &v, 8);
}

static void le32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/*
 * eh_frame - a CIE (zR, pcrel sdata4, data align -8, RA column 16, initial
 * CFA rsp+8 and RA at CFA-8) and one FDE for [code, code + size) running
 * INSNS, as if the section sat at EH_ADDR; then a terminator.
 */
static size_t eh_frame(unsigned char *out, uint64_t eh_addr, uint64_t code, uint32_t size,
		       const unsigned char *insns, size_t ninsns)
{
	static const unsigned char cie[] = {
		0, 0, 0, 0,		/* CIE id */
		1,			/* version */
		'z', 'R', 0,
		1,			/* code alignment */
		0x78,			/* data alignment -8 */
		16,			/* return address column */
		1, 0x1b,		/* augmentation data: FDE encoding pcrel|sdata4 */
		0x0c, 7, 8,		/* DW_CFA_def_cfa rsp, 8 */
		0x90, 1,		/* DW_CFA_offset r16, cfa-8 */
		0, 0,			/* nops */
	};
	size_t p = 0, fde, body;

	le32(out, sizeof(cie));
	memcpy(out + 4, cie, sizeof(cie));
	p = 4 + sizeof(cie);
	fde = p;
	p += 4;
	le32(out + p, (uint32_t)p);			/* CIE pointer: back to offset 0 */
	p += 4;
	le32(out + p, (uint32_t)(code - (eh_addr + p)));	/* pc_begin, pc-relative */
	p += 4;
	le32(out + p, size);				/* pc_range */
	p += 4;
	out[p++] = 0;					/* augmentation data length */
	memcpy(out + p, insns, ninsns);
	p += ninsns;
	while ((p - fde) % 8)
		out[p++] = 0;				/* DW_CFA_nop */
	body = p - fde - 4;
	le32(out + fde, (uint32_t)body);
	le32(out + p, 0);				/* terminator */
	return p + 4;
}

static void rec_unwind(struct pfold_buf *b, uint64_t code, uint32_t size,
		       const unsigned char *insns, size_t ninsns)
{
	unsigned char eh[256], hdr[20] = { 1 };
	size_t n = eh_frame(eh, code + ((size + 7) & ~7u), code, size, insns, ninsns);
	size_t total = 16 + 24 + n + sizeof(hdr), pad = (8 - total % 8) % 8;

	put32(b, 4);				/* JIT_CODE_UNWINDING_INFO */
	put32(b, (uint32_t)(total + pad));
	put64(b, 100);
	put64(b, n + sizeof(hdr));		/* unwinding_size */
	put64(b, sizeof(hdr));			/* eh_frame_hdr_size */
	put64(b, (n + sizeof(hdr) + 15) & ~15u);	/* mapped_size */
	pfold_buf_add(b, eh, n);
	pfold_buf_add(b, hdr, sizeof(hdr));
	pfold_buf_add(b, "\0\0\0\0\0\0\0", pad);
}

static void rec_load(struct pfold_buf *b, uint64_t ts, uint64_t code, uint32_t size,
		     uint64_t index, const char *name)
{
	size_t len = strlen(name) + 1;

	put32(b, 0);				/* JIT_CODE_LOAD */
	put32(b, (uint32_t)(16 + 40 + len + size));
	put64(b, ts);
	put32(b, 4242);
	put32(b, 4243);
	put64(b, code);
	put64(b, code);
	put64(b, size);
	put64(b, index);
	pfold_buf_add(b, name, len);
	while (size--)
		pfold_buf_addch(b, 0xcc);	/* the code bytes */
}

static void write_dump(struct pfold_buf *b)
{
	static const unsigned char insns_a[] = {
		0x41, 0x0e, 0x10, 0x86, 0x02,	/* +1: cfa rsp+16, rbp at cfa-16 */
		0x43, 0x0d, 0x06,		/* +3: cfa register rbp */
	};
	static const unsigned char insns_b[] = { 0x0e, 0x20 };	/* cfa rsp+32 */
	static const unsigned char insns_c[] = { 0x0e, 0x00, 0x11, 0x10, 0x00 };
	static const unsigned char insns_d[] = { 0x0e, 0x80, 0x80, 0x40 };	/* rsp+1M */
	size_t start;

	put32(b, 0x4A695444);			/* "JiTD" */
	put32(b, 1);
	put32(b, 40);
	put32(b, EM_X86_64);
	put32(b, 0);
	put32(b, 4242);
	put64(b, 1);
	put64(b, 0);

	rec_unwind(b, CODE_A, 16, insns_a, sizeof(insns_a));
	rec_load(b, 200, CODE_A, 16, 1, "py::hot:/x/work.py");

	/* debug info for B: two lines, the second file "as before" */
	start = b->len;
	put32(b, 2);
	put32(b, 0);			/* size patched below */
	put64(b, 250);
	put64(b, CODE_B);
	put64(b, 2);
	put64(b, CODE_B);
	put32(b, 10);
	put32(b, 0);
	pfold_buf_add(b, "b.js", 5);
	put64(b, CODE_B + 8);
	put32(b, 11);
	put32(b, 0);
	pfold_buf_add(b, "\xff", 2);
	{
		uint32_t sz = (uint32_t)(b->len - start);

		if (swap)
			sz = __builtin_bswap32(sz);
		memcpy(b->data + start + 4, &sz, 4);
	}
	rec_unwind(b, CODE_B, 20, insns_b, sizeof(insns_b));
	rec_load(b, 300, CODE_B, 20, 2, "jit_b");

	/* an unknown record type is skipped */
	put32(b, 99);
	put32(b, 24);
	put64(b, 350);
	put64(b, 0);

	rec_unwind(b, CODE_C, 16, insns_c, sizeof(insns_c));
	rec_load(b, 400, CODE_C, 16, 3, "jit_loop");
	rec_unwind(b, CODE_D, 16, insns_d, sizeof(insns_d));
	rec_load(b, 450, CODE_D, 16, 4, "jit_far");

	/* code A moves; then new code reuses A's old address */
	put32(b, 1);			/* JIT_CODE_MOVE */
	put32(b, 16 + 48);
	put64(b, 500);
	put32(b, 4242);
	put32(b, 4243);
	put64(b, CODE_MOVED);
	put64(b, CODE_A);
	put64(b, CODE_MOVED);
	put64(b, 16);
	put64(b, 1);
	rec_load(b, 600, CODE_A, 16, 5, "py::newer:/x/work.py");
	put32(b, 3);			/* JIT_CODE_CLOSE */
	put32(b, 16);
	put64(b, 700);
}

static int no_map(void *arg, uint32_t pid, uint64_t addr, struct pfold_unwind_map *m)
{
	return -1;
}

static int unwind_at(struct pfold_unwinder *u, uint64_t ip, uint64_t bp,
		     const uint64_t *stk, size_t len, uint64_t *ips,
		     struct pfold_unwind_result *res, unsigned char *how)
{
	uint64_t vals[3] = { bp, FAKE_SP, ip };	/* BP SP IP */
	struct pfold_sample_regs r = { 2, (1ull << 6) | (1ull << 7) | (1ull << 8), 3, vals };

	memset(res, 0, sizeof(*res));
	res->how = how;
	return pfold_unwind_sample(u, 4242, 0, &r, stk, len, len, no_map, NULL, ips, 16, res);
}

static void test_unwind(struct pfold_jitdump *jd)
{
	static uint64_t stk[1024];
	struct pfold_unwinder *u;
	struct pfold_unwind_result res;
	unsigned char how[16];
	uint64_t ips[16];
	int n;

	if (pfold_unwinder_open(&u, NULL)) {
		ok(0, "unwinder opens");
		return;
	}
	ok(!pfold_unwinder_add_jitdump(u, 4242, jd), "jitdump attached to pid 4242");
	memset(stk, 0, sizeof(stk));
	stk[2] = FAKE_SP + 200;		/* [rbp] in A: caller's rbp (useless to B's CFI) */
	stk[3] = CODE_B + 5;		/* [rbp+8]: return into B */
	stk[25] = 0;
	stk[26] = CODE_A + 9;		/* what a frame-pointer guess in B would find */
	stk[7] = 0;			/* B's return address at CFA-8 = FAKE_SP+56: 0 */
	/* A moved: its unwinding info moves with it */
	n = unwind_at(u, CODE_MOVED + 9, FAKE_SP + 16, stk, sizeof(stk), ips, &res, how);
	printf("# n=%d end=%s how=%d,%d\n", n, pfold_unwind_end_name(res.end), how[0], how[1]);
	ok(n == 2 && ips[0] == CODE_MOVED + 9 && ips[1] == CODE_B + 5,
	   "jitdump CFI: moved A (rbp-based CFA) then B (rsp+32)");
	ok(how[0] == PFOLD_UNWIND_HOW_JIT_CFI && how[1] == 0, "both by jitdump CFI");
	is_int(res.end, PFOLD_UNWIND_OUTERMOST, "return address 0 ends the stack cleanly");

	stk[0] = CODE_C + 4;
	n = unwind_at(u, CODE_C + 4, 0, stk, sizeof(stk), ips, &res, how);
	ok(n == 1 && res.end == PFOLD_UNWIND_LOOP, "CFI that does not move the stack: loop, no hang");

	n = unwind_at(u, CODE_D + 4, 0, stk, sizeof(stk), ips, &res, how);
	ok(n == 1 && res.end == PFOLD_UNWIND_STACK, "CFI pointing past the copy: stack ends");

	/* code without unwinding info (the moved copy keeps A's info; use a gap) */
	n = unwind_at(u, CODE_A + 0x800, 0, stk, sizeof(stk), ips, &res, how);
	ok(n == 1 && res.end == PFOLD_UNWIND_NO_MAP, "address in no code entry and no mapping");
	pfold_unwinder_close(u);
}

static void test_parse(const struct pfold_buf *b, int swapped)
{
	struct pfold_jitdump *jd = NULL;
	const struct pfold_jit_code *c;
	size_t skipped = 0;
	int truncated = -1, n;

	n = pfold_jitdump_parse(&jd, b->data, b->len, "mem");
	is_int(n, 6, swapped ? "swapped: 6 code entries (5 loads + 1 move)" : "6 code entries (5 loads + 1 move)");
	if (n < 0)
		return;
	pfold_jitdump_count(jd, &skipped, &truncated);
	ok(skipped == 1 && truncated == 0, "one unknown record skipped, not truncated");
	is_int(pfold_jitdump_pid(jd), 4242, "header pid");
	is_int(pfold_jitdump_elf_machine(jd), EM_X86_64, "header elf_mach");
	c = pfold_jitdump_find(jd, CODE_B + 19, 0);
	ok(c && !strcmp(c->name, "jit_b") && c->size == 20 && c->pid == 4242 && c->tid == 4243,
	   "find B by its last byte");
	ok(!pfold_jitdump_find(jd, CODE_B + 20, 0), "one past B is not B");
	ok(c && c->nr_lines == 2 && c->lines[0].line == 10 && !strcmp(c->lines[0].file, "b.js") &&
	   c->lines[1].addr == CODE_B + 8 && !strcmp(c->lines[1].file, "b.js"),
	   "B's line table, with the repeated-file marker");
	c = pfold_jitdump_find(jd, CODE_A + 3, 0);
	ok(c && !strcmp(c->name, "py::newer:/x/work.py"), "reused address: the newest code");
	c = pfold_jitdump_find(jd, CODE_A + 3, 550);
	ok(c && !strcmp(c->name, "py::hot:/x/work.py"), "reused address at an earlier time: the older code");
	c = pfold_jitdump_find(jd, CODE_MOVED + 1, 0);
	ok(c && !strcmp(c->name, "py::hot:/x/work.py") && c->timestamp == 500, "moved code keeps its name");
	c = pfold_jitdump_code(jd, 0);
	ok(c && c->addr == CODE_A && pfold_jitdump_code(jd, 5) && !pfold_jitdump_code(jd, 6),
	   "entries sorted by address");
	c = pfold_jitdump_find(jd, CODE_B, 0);
	if (!swapped) {
		ok(c && c->eh_frame && pfold_jitdump_cfi(jd, c), "B has usable CFI");
		test_unwind(jd);
	} else {
		ok(c && !pfold_jitdump_cfi(jd, c), "foreign byte order: names yes, CFI no");
	}
	pfold_jitdump_close(jd);
}

int main(void)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	struct pfold_jitdump *jd;
	char path[] = "/tmp/pfold-test-jitdump-XXXXXX";
	size_t len, bad = 0;
	uint64_t seed = 42;
	int fd, n, i;

	write_dump(&b);
	test_parse(&b, 0);

	/* the same file through the file reader */
	fd = mkstemp(path);
	if (fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len) {
		n = pfold_jitdump_open(&jd, path);
		is_int(n, 6, "pfold_jitdump_open reads the file");
		if (n >= 0)
			pfold_jitdump_close(jd);
	} else {
		ok(0, "temporary file written");
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	is_int(pfold_jitdump_open(&jd, "/nonexistent/jit-1.dump"), -PFOLD_E_NOT_FOUND, "missing file");

	/* every prefix of the file: no crash; short ones are not jitdumps */
	for (len = 0; len <= b.len; len++) {
		n = pfold_jitdump_parse(&jd, b.data, len, "cut");
		if (len < 40 ? n != -PFOLD_E_BAD_MAGIC : n < 0) {
			printf("# prefix %zu: %d\n", len, n);
			bad++;
		}
		if (n >= 0) {
			int truncated;

			pfold_jitdump_count(jd, NULL, &truncated);
			pfold_jitdump_find(jd, CODE_B + 1, 0);
			pfold_jitdump_cfi(jd, pfold_jitdump_find(jd, CODE_B + 1, 0));
			if (len == b.len - 8 && !truncated) {
				printf("# prefix %zu: not flagged truncated\n", len);
				bad++;
			}
			pfold_jitdump_close(jd);
		}
	}
	ok(!bad, "all %zu prefixes parse or fail cleanly; a cut record is flagged", b.len + 1);

	/* random corruption: never a crash (run under the sanitizers in CI) */
	for (i = 0; i < 2000; i++) {
		char *copy = malloc(b.len);
		int k;

		memcpy(copy, b.data, b.len);
		for (k = 0; k < 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			copy[(seed >> 33) % b.len] ^= (char)(1u << ((seed >> 20) & 7));
		}
		if (i & 1)
			memcpy(copy + 4 + (seed >> 40) % 8, "\xff\xff\xff\x7f", 4);
		if (pfold_jitdump_parse(&jd, copy, b.len, "fuzz") >= 0) {
			size_t j, cnt = pfold_jitdump_count(jd, NULL, NULL);

			for (j = 0; j < cnt; j++)
				pfold_jitdump_cfi(jd, pfold_jitdump_code(jd, j));
			pfold_jitdump_close(jd);
		}
		free(copy);
	}
	ok(1, "2000 corrupted copies parsed without a crash");
	memcpy(b.data, "ELF!", 4);
	is_int(pfold_jitdump_parse(&jd, b.data, b.len, "x"), -PFOLD_E_BAD_MAGIC, "bad magic refused");

	pfold_buf_reset(&b);
	swap = 1;
	write_dump(&b);
	test_parse(&b, 1);
	pfold_buf_release(&b);
	return done_testing();
}
