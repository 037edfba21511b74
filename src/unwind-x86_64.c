// SPDX-License-Identifier: MIT
/* unwind-x86_64.c: x86-64 register conventions for the unwinder (perf sample order -> DWARF numbers). */
#include <elf.h>
#include <stddef.h>

#include "unwind.h"

/*
 * perf's PERF_REG_X86_* order (arch/x86/include/uapi/asm/perf_regs.h):
 * AX BX CX DX SI DI BP SP IP FLAGS CS SS DS ES FS GS R8..R15.
 * DWARF numbers (x86-64 psABI, figure 3.36): rax 0, rdx 1, rcx 2, rbx 3,
 * rsi 4, rdi 5, rbp 6, rsp 7, r8..r15 8..15, return address (rip) 16.
 */
static const signed char x86_64_perf_to_dwarf[24] = {
	0, 3, 2, 1, 4, 5, 6, 7,		/* AX BX CX DX SI DI BP SP */
	16,				/* IP */
	-1, -1, -1, -1, -1, -1, -1,	/* FLAGS CS SS DS ES FS GS */
	8, 9, 10, 11, 12, 13, 14, 15,	/* R8..R15 */
};

const struct pfold_unwind_arch pfold_unwind_arch_x86_64 = {
	.name = "x86_64",
	.e_machine = EM_X86_64,
	.nregs = 17,
	.pc_reg = 16,
	.ra_reg = 16,
	.sp_reg = 7,
	.fp_reg = 6,
	/* rbx, rbp, r12..r15 survive a call (psABI 3.2.1) */
	.callee_saved = (1ull << 3) | (1ull << 6) | (1ull << 12) | (1ull << 13) |
			(1ull << 14) | (1ull << 15),
	.nperf = sizeof(x86_64_perf_to_dwarf),
	.perf_to_dwarf = x86_64_perf_to_dwarf,
	/* push %rbp; mov %rsp,%rbp: [rbp] = caller's rbp, [rbp+8] = return address */
	.fp_off_fp = 0,
	.fp_off_ra = 8,
	.fp_off_cfa = 16,
};

const struct pfold_unwind_arch *pfold_unwind_arch_find(unsigned int e_machine)
{
	static const struct pfold_unwind_arch *const all[] = {
		&pfold_unwind_arch_x86_64,
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->e_machine == e_machine)
			return all[i];
	return NULL;
}
