// SPDX-License-Identifier: MIT
/* test-unwind.c: the unwinder on the test's own stack (captured in a no-frame-pointer chain), a JIT trampoline, and hostile input. */
#include <dlfcn.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "error.h"
#include "unwind.h"
#include "tap.h"

/*
 * Built -O2 -fomit-frame-pointer -fno-inline (mk/fold.am) and linked with
 * -rdynamic so that dladdr() names the functions. pfold_test_snap() stores
 * the registers in perf's PERF_REG_X86_* order as they are at its return
 * (ip = its return address, sp = the caller's sp) and copies the stack from
 * there, exactly what a sample with REGS_USER + STACK_USER taken at that
 * instruction would hold.
 */
#define COPY_MAX 8192
#define NPERF 24

struct snap {
	uint64_t regs[NPERF];
	unsigned char stack[COPY_MAX];
	uint64_t len;
};

void pfold_test_snap(uint64_t *regs, void *buf, uint64_t len);
__asm__(".text\n"
	".globl pfold_test_snap\n"
	".type pfold_test_snap,@function\n"
	"pfold_test_snap:\n"
	".cfi_startproc\n"
	"movq %rax, 0(%rdi)\n"
	"movq %rbx, 8(%rdi)\n"
	"movq %rcx, 16(%rdi)\n"
	"movq %rdx, 24(%rdi)\n"
	"movq %rsi, 32(%rdi)\n"
	"movq %rdi, 40(%rdi)\n"
	"movq %rbp, 48(%rdi)\n"
	"leaq 8(%rsp), %rax\n"
	"movq %rax, 56(%rdi)\n"
	"movq (%rsp), %rax\n"
	"movq %rax, 64(%rdi)\n"
	"movq $0, 72(%rdi)\n"
	"movq $0, 80(%rdi)\n"
	"movq $0, 88(%rdi)\n"
	"movq $0, 96(%rdi)\n"
	"movq $0, 104(%rdi)\n"
	"movq $0, 112(%rdi)\n"
	"movq $0, 120(%rdi)\n"
	"movq %r8, 128(%rdi)\n"
	"movq %r9, 136(%rdi)\n"
	"movq %r10, 144(%rdi)\n"
	"movq %r11, 152(%rdi)\n"
	"movq %r12, 160(%rdi)\n"
	"movq %r13, 168(%rdi)\n"
	"movq %r14, 176(%rdi)\n"
	"movq %r15, 184(%rdi)\n"
	"movq %rsi, %rdi\n"
	"leaq 8(%rsp), %rsi\n"
	"movq %rdx, %rcx\n"
	"rep movsb\n"
	"ret\n"
	".cfi_endproc\n"
	".size pfold_test_snap, .-pfold_test_snap\n");

/* the process's mappings, from /proc/self/maps */
struct map {
	uint64_t start, end, pgoff;
	char path[256];
	int jit;
};
static struct map maps[512];
static size_t nr_maps;
static uint64_t stack_end;
static int lookups;

static void read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	nr_maps = 0;
	while (f && fgets(line, sizeof(line), f) && nr_maps < 512) {
		struct map *m = &maps[nr_maps];
		char perms[8];
		int n = 0;

		m->path[0] = 0;
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %n",
			   &m->start, &m->end, perms, &m->pgoff, &n) < 4)
			continue;
		sscanf(line + n, "%255[^\n]", m->path);
		m->jit = 0;
		nr_maps++;
	}
	if (f)
		fclose(f);
}

static int find_map(void *arg, uint32_t pid, uint64_t addr, struct pfold_unwind_map *out)
{
	size_t i;

	lookups++;
	for (i = 0; i < nr_maps; i++) {
		if (addr >= maps[i].start && addr < maps[i].end) {
			out->path = maps[i].path[0] ? maps[i].path : NULL;
			out->start = maps[i].start;
			out->end = maps[i].end;
			out->pgoff = maps[i].pgoff;
			out->is_jit = maps[i].jit;
			return 0;
		}
	}
	return -1;
}

static struct snap snap;

void test_unwind_a(void);
void test_unwind_b(void);
void test_unwind_c(void);
void test_unwind_a2(void);
void test_unwind_b2(void);
void test_unwind_c2(void *arg);
void test_native(struct pfold_unwinder *u);
void test_jit(struct pfold_unwinder *u, int python_shape);

static inline __attribute__((always_inline)) void take_snap(void)
{
	uint64_t sp, len;

	__asm__ volatile("movq %%rsp, %0" : "=r"(sp));
	/* the end of the mapping holding sp (not always [stack]: valgrind) */
	stack_end = 0;
	for (len = 0; len < nr_maps; len++)
		if (sp >= maps[len].start && sp < maps[len].end)
			stack_end = maps[len].end;
	len = stack_end > sp + 64 ? stack_end - sp - 64 : 0;
	snap.len = len < COPY_MAX ? len : COPY_MAX;
	pfold_test_snap(snap.regs, snap.stack, snap.len);
}

__attribute__((noinline, visibility("default"))) void test_unwind_c(void)
{
	take_snap();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline, visibility("default"))) void test_unwind_b(void)
{
	test_unwind_c();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline, visibility("default"))) void test_unwind_a(void)
{
	test_unwind_b();
	__asm__ volatile("" ::: "memory");
}

/* the JIT chain: a2 -> b2 -> trampoline (push rbp; mov rsp,rbp; call *rsi) -> c2 */
typedef void (*tramp_fn)(void *arg, void (*fn)(void *));
static tramp_fn tramp;

__attribute__((noinline, visibility("default"))) void test_unwind_c2(void *arg)
{
	take_snap();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline, visibility("default"))) void test_unwind_b2(void)
{
	tramp(NULL, test_unwind_c2);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline, visibility("default"))) void test_unwind_a2(void)
{
	test_unwind_b2();
	__asm__ volatile("" ::: "memory");
}

static const char *name_of(uint64_t ip)
{
	Dl_info info;

	if (dladdr((void *)(uintptr_t)ip, &info) && info.dli_sname)
		return info.dli_sname;
	if (tramp && ip - (uint64_t)(uintptr_t)tramp < 16)
		return "[trampoline]";
	return "?";
}

static struct pfold_sample_regs sample_regs(uint64_t *regs)
{
	struct pfold_sample_regs r;

	r.abi = 2;	/* PERF_SAMPLE_REGS_ABI_64 */
	r.mask = 0xff0fffull;	/* perf's x86-64 user mask: AX..SS, R8..R15 */
	r.nr = 0;
	/* compact REGS (24 slots, perf order) to the mask's order */
	static uint64_t packed[NPERF];
	for (int bit = 0; bit < NPERF; bit++)
		if (r.mask & (1ull << bit))
			packed[r.nr++] = regs[bit];
	r.regs = packed;
	return r;
}

static int unwind(struct pfold_unwinder *u, uint64_t *regs, const void *stack,
		  uint64_t size, uint64_t dyn, uint64_t *ips, unsigned char *how,
		  size_t max, struct pfold_unwind_result *res)
{
	struct pfold_sample_regs r = sample_regs(regs);

	memset(res, 0, sizeof(*res));
	res->how = how;
	return pfold_unwind_sample(u, 1, 0, &r, stack, size, dyn, find_map, NULL, ips, max, res);
}

static void show(const uint64_t *ips, int n, const struct pfold_unwind_result *res)
{
	for (int i = 0; i < n; i++)
		printf("#   %2d %#" PRIx64 " %s how=%d\n", i, ips[i],
		       name_of(i ? ips[i] - 1 : ips[i]), res->how ? res->how[i] : -1);
	printf("#   end: %s\n", pfold_unwind_end_name(res->end));
}

__attribute__((noinline, visibility("default"))) void test_native(struct pfold_unwinder *u)
{
	static const char *const want[] = { "test_unwind_c", "test_unwind_b",
					    "test_unwind_a", "test_native", "main" };
	uint64_t ips[64];
	unsigned char how[64];
	struct pfold_unwind_result res;
	int n, i, match = 1;

	test_unwind_a();
	read_maps();
	n = unwind(u, snap.regs, snap.stack, snap.len, snap.len, ips, how, 64, &res);
	show(ips, n, &res);
	ok(n >= 5, "no-frame-pointer chain unwinds at least 5 frames (got %d)", n);
	for (i = 0; i < 5 && i < n; i++)
		match &= !strcmp(name_of(i ? ips[i] - 1 : ips[i]), want[i]);
	ok(match, "frames are c, b, a, test_native, main in order");
	is_int(res.end, PFOLD_UNWIND_OUTERMOST, "unwinding reaches the outermost frame (_start)");
	ok(how[0] == PFOLD_UNWIND_HOW_CFI && how[1] == PFOLD_UNWIND_HOW_CFI,
	   "frames were unwound with CFI");
	is_int(res.nr, n, "result count matches the return value");

	/* twice: the cached objects give the same answer */
	{
		uint64_t ips2[64];
		struct pfold_unwind_result res2;
		int n2 = unwind(u, snap.regs, snap.stack, snap.len, snap.len, ips2, NULL, 64, &res2);

		ok(n2 == n && !memcmp(ips, ips2, n * sizeof(*ips)), "second unwind (cached CFI) agrees");
	}

	/* an address space named: find_map is asked once per pc, for that space only */
	{
		struct pfold_sample_regs r = sample_regs(snap.regs);
		struct pfold_unwind_result rs = { 0 };	/* no how[] array */
		uint64_t ips2[64];
		int n2, before, first, again, other;

		before = lookups;
		n2 = pfold_unwind_sample(u, 1, 77, &r, snap.stack, snap.len, snap.len, find_map, NULL,
					 ips2, 64, &rs);
		first = lookups - before;
		ok(n2 == n && !memcmp(ips, ips2, n * sizeof(*ips)) && rs.end == PFOLD_UNWIND_OUTERMOST,
		   "space 77: the same chain");
		before = lookups;
		n2 = pfold_unwind_sample(u, 1, 77, &r, snap.stack, snap.len, snap.len, find_map, NULL,
					 ips2, 64, &rs);
		again = lookups - before;
		ok(first >= n - 1 && again == 0 && n2 == n && !memcmp(ips, ips2, n * sizeof(*ips)),
		   "space 77 again: the same chain, no mapping asked for (%d, then %d)", first, again);
		before = lookups;
		n2 = pfold_unwind_sample(u, 1, 78, &r, snap.stack, snap.len, snap.len, find_map, NULL,
					 ips2, 64, &rs);
		other = lookups - before;
		ok(other == first && n2 == n, "space 78: its own look-ups (%d)", other);
		before = lookups;
		pfold_unwind_sample(u, 1, 0, &r, snap.stack, snap.len, snap.len, find_map, NULL,
				    ips2, 64, &rs);
		ok(lookups - before == first, "space 0: nothing cached");
	}

	/* the caller's array bounds the depth */
	n = unwind(u, snap.regs, snap.stack, snap.len, snap.len, ips, how, 2, &res);
	ok(n == 2 && res.end == PFOLD_UNWIND_DEPTH, "MAX 2 stops at 2 frames, marked depth");

	/* a copy shorter than the frames: stops, marked truncated */
	n = unwind(u, snap.regs, snap.stack, snap.len, 40, ips, how, 64, &res);
	show(ips, n, &res);
	ok(n >= 1 && n < 4 && res.end == PFOLD_UNWIND_STACK,
	   "dyn_size 40: stops inside the copy, marked stack (n=%d)", n);
	n = unwind(u, snap.regs, snap.stack, 16, snap.len, ips, how, 64, &res);
	ok(n >= 1 && n < 4 && res.end != PFOLD_UNWIND_OUTERMOST,
	   "size smaller than dyn_size: the smaller one counts");
	n = unwind(u, snap.regs, NULL, 0, 0, ips, how, 64, &res);
	ok(n >= 1 && res.end != PFOLD_UNWIND_OUTERMOST, "no stack at all: just the pc");
}

/*
 * test_jit - a2 -> b2 -> a trampoline in anonymous executable memory ->
 * c2, for two trampoline shapes: with a frame record (push %rbp; mov
 * %rsp,%rbp; call *%rsi) and CPython 3.12's (sub $8,%rsp; call *%rsi).
 */
__attribute__((noinline, visibility("default"))) void test_jit(struct pfold_unwinder *u,
							     int python_shape)
{
	static const unsigned char fp_code[] = {
		0x55,			/* push %rbp */
		0x48, 0x89, 0xe5,	/* mov %rsp,%rbp */
		0xff, 0xd6,		/* call *%rsi */
		0x5d,			/* pop %rbp */
		0xc3,			/* ret */
	};
	static const unsigned char py_code[] = {
		0x48, 0x83, 0xec, 0x08,	/* sub $8,%rsp */
		0xff, 0xd6,		/* call *%rsi */
		0x48, 0x83, 0xc4, 0x08,	/* add $8,%rsp */
		0xc3,			/* ret */
	};
	const unsigned char *code = python_shape ? py_code : fp_code;
	size_t code_len = python_shape ? sizeof(py_code) : sizeof(fp_code);
	static const char *const want[] = { "test_unwind_c2", "[trampoline]",
					    "test_unwind_b2", "test_unwind_a2", "test_jit", "main" };
	uint64_t ips[64];
	unsigned char how[64];
	struct pfold_unwind_result res;
	void *page;
	int n, i, match = 1;
	size_t k;

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || (memcpy(page, code, code_len),
				   mprotect(page, 4096, PROT_READ | PROT_EXEC))) {
		ok(1, "# SKIP no executable anonymous memory");
		return;
	}
	tramp = (tramp_fn)page;
	test_unwind_a2();
	read_maps();
	for (k = 0; k < nr_maps; k++)
		if (maps[k].start == (uint64_t)(uintptr_t)page)
			maps[k].jit = 1;
	n = unwind(u, snap.regs, snap.stack, snap.len, snap.len, ips, how, 64, &res);
	show(ips, n, &res);
	ok(n >= 6, "%s trampoline: at least 6 frames (got %d)", python_shape ? "python" : "fp", n);
	for (i = 0; i < 6 && i < n; i++)
		match &= !strcmp(name_of(i ? ips[i] - 1 : ips[i]), want[i]);
	ok(match, "frames are c2, trampoline, b2, a2, test_jit, main in order");
	ok(n > 1 && (how[1] == PFOLD_UNWIND_HOW_JIT_SP || how[1] == PFOLD_UNWIND_HOW_JIT_FP),
	   "the trampoline frame went by the JIT rule (how %d)", n > 1 ? how[1] : -1);
	is_int(res.end, PFOLD_UNWIND_OUTERMOST, "and unwinding still reaches _start");

	/* the same region not marked JIT (no path): the rule still applies */
	for (k = 0; k < nr_maps; k++)
		if (maps[k].start == (uint64_t)(uintptr_t)page)
			maps[k].jit = 0;
	n = unwind(u, snap.regs, snap.stack, snap.len, snap.len, ips, how, 64, &res);
	ok(n >= 6 && res.end == PFOLD_UNWIND_OUTERMOST, "anonymous code counts as JIT code");
	munmap(page, 4096);
	tramp = NULL;
}

/* synthetic stacks: frame records laid out by hand in a fake JIT region */
#define FAKE_JIT 0x100000000ull
#define FAKE_SP 0x7f0000000000ull

static int fake_map(void *arg, uint32_t pid, uint64_t addr, struct pfold_unwind_map *m)
{
	if (addr < FAKE_JIT || addr >= FAKE_JIT + 0x100000)
		return -1;
	m->path = NULL;
	m->start = FAKE_JIT;
	m->end = FAKE_JIT + 0x100000;
	m->is_jit = 1;
	return 0;
}

static int fake_unwind(struct pfold_unwinder *u, uint64_t ip, uint64_t sp, uint64_t bp,
		       const void *stack, uint64_t len, uint64_t *ips, size_t max,
		       struct pfold_unwind_result *res)
{
	uint64_t regs[NPERF] = { 0 };
	struct pfold_sample_regs r;

	regs[6] = bp;
	regs[7] = sp;
	regs[8] = ip;
	r = sample_regs(regs);
	memset(res, 0, sizeof(*res));
	return pfold_unwind_sample(u, 1, 0, &r, stack, len, len, fake_map, NULL, ips, max, res);
}

static void test_hostile(struct pfold_unwinder *u)
{
	static uint64_t stk[8192];
	static uint64_t ips[PFOLD_UNWIND_MAX_DEPTH + 10];
	struct pfold_unwind_result res;
	uint64_t regs[NPERF] = { 0 };
	struct pfold_sample_regs r;
	int n, i;

	/* a chain of 3 frame records, then return address 0 */
	memset(stk, 0, sizeof(stk));
	stk[2] = FAKE_SP + 8 * 8;	/* [bp] = caller's bp */
	stk[3] = FAKE_JIT + 0x20;	/* [bp+8] = return address */
	stk[8] = FAKE_SP + 16 * 8;
	stk[9] = FAKE_JIT + 0x30;
	stk[16] = 0;
	stk[17] = 0;
	n = fake_unwind(u, FAKE_JIT + 0x10, FAKE_SP, FAKE_SP + 16, stk, sizeof(stk), ips, 64, &res);
	ok(n == 3 && ips[1] == FAKE_JIT + 0x20 && ips[2] == FAKE_JIT + 0x30 &&
	   res.end == PFOLD_UNWIND_OUTERMOST, "frame records in JIT code: 3 frames, then return address 0");

	/* a frame record pointing at itself: the stack pointer stops moving */
	stk[2] = FAKE_SP + 16;
	n = fake_unwind(u, FAKE_JIT + 0x10, FAKE_SP, FAKE_SP + 16, stk, sizeof(stk), ips, 64, &res);
	ok(n <= 3 && (res.end == PFOLD_UNWIND_LOOP || res.end == PFOLD_UNWIND_NO_RULE),
	   "self-referencing frame pointer ends the stack (n=%d, %s)", n, pfold_unwind_end_name(res.end));

	/* a frame pointer below sp, or misaligned: no rule */
	n = fake_unwind(u, FAKE_JIT + 0x10, FAKE_SP, FAKE_SP - 64, stk, sizeof(stk), ips, 64, &res);
	ok(n == 1 && res.end == PFOLD_UNWIND_NO_RULE, "frame pointer below sp: no rule");
	n = fake_unwind(u, FAKE_JIT + 0x10, FAKE_SP, FAKE_SP + 17, stk, sizeof(stk), ips, 64, &res);
	ok(n == 1 && res.end == PFOLD_UNWIND_NO_RULE, "misaligned frame pointer: no rule");

	/* a frame pointer past the copy */
	n = fake_unwind(u, FAKE_JIT + 0x10, FAKE_SP, FAKE_SP + sizeof(stk) - 8, stk, sizeof(stk), ips, 64, &res);
	ok(n == 1 && (res.end == PFOLD_UNWIND_STACK || res.end == PFOLD_UNWIND_NO_RULE),
	   "frame record past the copy: the stack ends there (%s)", pfold_unwind_end_name(res.end));

	/* a very long chain: the depth cap holds */
	for (i = 0; i + 3 < 8192; i += 2) {
		stk[i] = FAKE_SP + (uint64_t)(i + 2) * 8;
		stk[i + 1] = FAKE_JIT + 0x40;
	}
	n = fake_unwind(u, FAKE_JIT + 0x10, FAKE_SP, FAKE_SP, stk, sizeof(stk), ips,
			sizeof(ips) / sizeof(ips[0]), &res);
	ok(n == PFOLD_UNWIND_MAX_DEPTH && res.end == PFOLD_UNWIND_DEPTH,
	   "4096 frame records: capped at %d frames", PFOLD_UNWIND_MAX_DEPTH);

	/* absurd registers */
	n = fake_unwind(u, 0xdeadbeefull, 16, 0, stk, sizeof(stk), ips, 64, &res);
	ok(n == 1 && res.end == PFOLD_UNWIND_NO_MAP, "pc in no mapping: one frame, marked");
	n = fake_unwind(u, FAKE_JIT + 0x10, UINT64_MAX - 8, UINT64_MAX - 8, stk, sizeof(stk), ips, 64, &res);
	ok(n == 1 && res.end != PFOLD_UNWIND_OUTERMOST, "sp near the top of the address space: no wrap-around");
	n = fake_unwind(u, FAKE_JIT + 0x10, FAKE_SP, FAKE_SP, NULL, 1u << 20, ips, 64, &res);
	ok(n == 1 && (res.end == PFOLD_UNWIND_STACK || res.end == PFOLD_UNWIND_NO_RULE),
	   "NULL stack with a size: nothing read");

	/* registers missing from the mask, or fewer values than the mask says */
	regs[8] = FAKE_JIT;
	r = sample_regs(regs);
	r.mask &= ~(1ull << 7);	/* no SP */
	r.nr = 0;
	for (i = 0; i < NPERF; i++)
		if (r.mask & (1ull << i))
			r.nr++;
	memset(&res, 0, sizeof(res));
	n = pfold_unwind_sample(u, 1, 0, &r, stk, sizeof(stk), sizeof(stk), fake_map, NULL, ips, 64, &res);
	ok(n == 0 && res.end == PFOLD_UNWIND_BAD_REGS, "no stack pointer: nothing, marked bad registers");
	r = sample_regs(regs);
	r.nr = 3;	/* AX BX CX only: no SP/IP values */
	n = pfold_unwind_sample(u, 1, 0, &r, stk, sizeof(stk), sizeof(stk), fake_map, NULL, ips, 64, &res);
	ok(n == 0 && res.end == PFOLD_UNWIND_BAD_REGS, "fewer values than the mask: no over-read");
	r.abi = 0;
	n = pfold_unwind_sample(u, 1, 0, &r, stk, sizeof(stk), sizeof(stk), fake_map, NULL, ips, 64, &res);
	ok(n == 0, "abi 0 (no registers): nothing");
	r = sample_regs(regs);
	r.abi = 1;	/* PERF_SAMPLE_REGS_ABI_32: a 32-bit process */
	n = pfold_unwind_sample(u, 1, 0, &r, stk, sizeof(stk), sizeof(stk), fake_map, NULL, ips, 64, &res);
	ok(n == 0 && res.end == PFOLD_UNWIND_BAD_REGS, "32-bit registers are not read as 64-bit ones");

	/* random stacks under a real pc with CFI: always ends, never past MAX */
	{
		uint64_t seed = 12345;
		int bad = 0, k;

		read_maps();
		for (k = 0; k < 200; k++) {
			struct pfold_unwind_result rr;
			uint64_t sregs[NPERF];

			for (i = 0; i < 512; i++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				stk[i] = (k & 1) ? seed : (FAKE_SP + ((seed >> 33) & 0xff8));
			}
			memcpy(sregs, snap.regs, sizeof(sregs));
			sregs[7] = FAKE_SP;
			sregs[6] = FAKE_SP + ((seed >> 20) & 0xff8);
			n = unwind(u, sregs, stk, 4096, 4096, ips, NULL, 64, &rr);
			if (n < 1 || n > 64)
				bad++;
		}
		ok(!bad, "200 random stacks under a real pc: every unwind ends within MAX");
	}
}

__attribute__((visibility("default"))) int main(void)
{
	struct pfold_unwinder *u;

	ok(pfold_unwind_arch_find(62) == &pfold_unwind_arch_x86_64, "x86_64 table by e_machine");
	ok(pfold_unwind_arch_find(0xffff) == NULL, "unknown machine: no table");
	if (pfold_unwinder_open(&u, NULL)) {
		ok(0, "unwinder opens");
		return done_testing();
	}
	read_maps();
	test_native(u);
	test_jit(u, 0);
	test_jit(u, 1);
	test_hostile(u);
	pfold_unwinder_close(u);
	return done_testing();
}
