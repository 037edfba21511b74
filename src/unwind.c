// SPDX-License-Identifier: MIT
/* unwind.c: DWARF unwinding of one sample from its user registers and stack copy (libdw CFI + a rule for JIT code). */
#include <dwarf.h>
#include <elf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "jitdump.h"
#include "session.h"
#include "symbols.h"
#include "fileutil.h"
#include "unwind.h"

/*
 * Why not libdwfl's dwfl_getthread_frames() (perf's unwind-libdw.c)? It
 * needs every module reported into a Dwfl per process and per sample, has
 * no way to add CFI that lives outside an ELF file (jitdump), and cannot
 * take a rule of ours for JIT frames without CFI. So this file asks libdw
 * for the CFI row (dwarf_cfi_addrframe) and evaluates the row itself:
 * CFA and register rules are short DWARF expressions over the registers
 * and the copied stack, and every read is bounds-checked against the copy.
 * A profile hits few pcs: each object pc's row is decoded once (struct
 * unwind_row) and kept in a small direct-mapped cache.
 */

#define MAX_LOADS 16		/* PT_LOAD segments remembered per object */
#define EXPR_STACK 16		/* DWARF expression stack depth */
#define ROW_OPS 64		/* DWARF operations a decoded CFI row keeps */
#define ROW_CACHE 1024		/* decoded CFI rows cached per unwinder (direct-mapped) */
#define LOC_CACHE 4096		/* (space, pc) -> object locations cached (direct-mapped) */

struct unwind_load {
	uint64_t offset, filesz, vaddr;
};

/* struct unwind_obj - one object file's CFI, opened once per key. */
struct unwind_obj {
	char *key;			/* path, NUL, build id bytes */
	size_t key_len;
	uint64_t hash;
	int fd, dbg_fd;
	Elf *elf, *dbg_elf;
	Dwarf *dwarf;			/* for .debug_frame */
	Dwarf_CFI *eh_cfi;		/* .eh_frame (dwarf_cfi_end) */
	Dwarf_CFI *dbg_cfi;		/* .debug_frame (owned by dwarf) */
	struct unwind_load load[MAX_LOADS];
	unsigned int nload;
};

struct unwind_jit {
	uint32_t pid;
	struct pfold_jitdump *jd;	/* NULL: looked for, none */
	int owned;			/* loaded by the unwinder itself */
};

/*
 * A CFI row decoded once: the CFA (register + offset, or an expression) and
 * where each register lives relative to it. Profiles hit few pcs, so the
 * rows of objects' pcs are cached by (object, object address).
 */
enum unwind_rule_kind {
	RULE_UNDEF,		/* no value (the return address: outermost) */
	RULE_SAME,		/* same value as in the callee */
	RULE_AT_CFA,		/* saved at CFA + off */
	RULE_VAL_CFA,		/* the value CFA + off */
	RULE_REG,		/* the value of register off */
	RULE_EXPR,		/* a DWARF expression (ops) */
};

struct unwind_rule {
	const Dwarf_Op *ops;		/* RULE_EXPR */
	uint64_t off;
	uint32_t nops;
	uint8_t kind;
};

struct unwind_row {
	const struct unwind_obj *obj;	/* cache key; NULL: an empty slot */
	uint64_t vaddr;
	bool none;			/* no CFI row covers vaddr */
	bool signal;
	bool ra_undef;			/* the return address is undefined: outermost */
	int ra_reg;
	unsigned int nact;		/* registers whose rule is not RULE_UNDEF */
	unsigned char act[PFOLD_UNWIND_MAX_REGS];
	bool cfa_simple;		/* CFA = cfa_reg + cfa_off, else cfa_ops */
	unsigned int cfa_reg;
	uint64_t cfa_off;
	const Dwarf_Op *cfa_ops;
	uint32_t cfa_nops;
	struct unwind_rule rule[PFOLD_UNWIND_MAX_REGS];
	Dwarf_Op pool[ROW_OPS];		/* copies of the expressions' operations */
	unsigned int npool;
};

/*
 * Where a pc lies, as the find_map callback and the object table say: the
 * same for the whole run once the caller names the address space (SPACE).
 */
enum unwind_loc_kind {
	LOC_NO_MAP,		/* in no mapping */
	LOC_JIT,		/* perf-map, anonymous or [vdso] code: no CFI */
	LOC_OBJ,		/* in OBJ at VADDR */
	LOC_OBJ_OUTSIDE,	/* in OBJ's mapping, in none of its PT_LOAD segments */
};

struct unwind_loc {
	uint64_t space, pc;		/* cache key; space 0: an empty slot */
	struct unwind_obj *obj;
	uint64_t vaddr;
	enum unwind_loc_kind kind;
};

struct pfold_unwinder {
	const struct pfold_unwind_arch *arch;
	struct unwind_obj **tab;	/* open addressing, power-of-two size */
	size_t tab_size, tab_used;
	struct unwind_obj *recent[4];	/* the objects obj_get found last, newest first */
	struct unwind_row *rows;	/* ROW_CACHE decoded rows, or NULL */
	struct unwind_loc *locs;	/* LOC_CACHE locations, or NULL */
	struct unwind_jit *jit;
	size_t nr_jit, jit_alloc;
};

/* the register state of one frame while unwinding */
struct unwind_state {
	const struct pfold_unwind_arch *arch;
	uint64_t reg[PFOLD_UNWIND_MAX_REGS];
	uint64_t valid;			/* bit per DWARF register */
	const unsigned char *stack;
	uint64_t stack_lo, stack_len;	/* the copy covers [lo, lo + len) */
};

static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ull;

	while (n--)
		h = (h ^ *s++) * 1099511628211ull;
	return h;
}

static void obj_free(struct unwind_obj *o)
{
	if (!o)
		return;
	if (o->eh_cfi)
		dwarf_cfi_end(o->eh_cfi);
	if (o->dwarf)
		dwarf_end(o->dwarf);
	if (o->dbg_elf)
		elf_end(o->dbg_elf);
	if (o->elf)
		elf_end(o->elf);
	if (o->dbg_fd >= 0)
		close(o->dbg_fd);
	if (o->fd >= 0)
		close(o->fd);
	free(o->key);
	free(o);
}

/* elf_build_id - the GNU build id note of ELF in *ID (pointer into ELF's data). */
static size_t elf_build_id(Elf *elf, const unsigned char **id)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		GElf_Nhdr nhdr;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nhdr, &name_off, &desc_off)) > 0) {
			if (nhdr.n_type == NT_GNU_BUILD_ID && nhdr.n_namesz == 4 &&
			    !memcmp((const char *)data->d_buf + name_off, "GNU", 4)) {
				*id = (const unsigned char *)data->d_buf + desc_off;
				return nhdr.n_descsz;
			}
		}
	}
	return 0;
}

/* obj_open_debug - the separate debug file of build id ID, for .debug_frame. */
static void obj_open_debug(struct unwind_obj *o, const unsigned char *id, size_t n)
{
	struct pfold_buf path = PFOLD_BUF_INIT;
	size_t i;

	if (n < 2 || pfold_buf_adds(&path, "/usr/lib/debug/.build-id/"))
		goto out_release;
	for (i = 0; i < n; i++)
		if (pfold_buf_addf(&path, i == 1 ? "/%02x" : "%02x", id[i]))
			goto out_release;
	if (pfold_buf_adds(&path, ".debug"))
		goto out_release;
	o->dbg_fd = open(path.data, O_RDONLY | O_CLOEXEC);
	if (o->dbg_fd < 0)
		goto out_release;
	o->dbg_elf = elf_begin(o->dbg_fd, ELF_C_READ_MMAP, NULL);
	if (!o->dbg_elf)
		goto out_release;
	if (!elf_cntl(o->dbg_elf, ELF_C_FDDONE)) {
		close(o->dbg_fd);
		o->dbg_fd = -1;
	}
	o->dwarf = dwarf_begin_elf(o->dbg_elf, DWARF_C_READ, NULL);
	if (o->dwarf)
		o->dbg_cfi = dwarf_getcfi(o->dwarf);
out_release:
	pfold_buf_release(&path);
}

/*
 * obj_load - open PATH and find its CFI. An object we cannot open, or whose
 * build id differs from the recorded one, keeps no CFI: its frames go
 * through the frame-pointer fallback.
 */
static void obj_load(struct unwind_obj *o, const char *path,
		     const unsigned char *want_id, size_t want_len)
{
	const unsigned char *id = NULL;
	size_t id_len, phnum, i;
	GElf_Phdr phdr;

	o->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (o->fd < 0)
		goto try_debug;
	o->elf = elf_begin(o->fd, ELF_C_READ_MMAP, NULL);
	if (!o->elf || elf_kind(o->elf) != ELF_K_ELF)
		goto try_debug;
	/* the image is mapped: no descriptor kept per object (-a sees hundreds) */
	if (!elf_cntl(o->elf, ELF_C_FDDONE)) {
		close(o->fd);
		o->fd = -1;
	}
	id_len = elf_build_id(o->elf, &id);
	if (want_len && (id_len != want_len || memcmp(id, want_id, want_len)))
		goto try_debug;		/* not the object that ran */
	if (elf_getphdrnum(o->elf, &phnum))
		goto try_debug;
	for (i = 0; i < phnum && o->nload < MAX_LOADS; i++) {
		if (!gelf_getphdr(o->elf, (int)i, &phdr) || phdr.p_type != PT_LOAD)
			continue;
		o->load[o->nload].offset = phdr.p_offset;
		o->load[o->nload].filesz = phdr.p_filesz;
		o->load[o->nload].vaddr = phdr.p_vaddr;
		o->nload++;
	}
	o->eh_cfi = dwarf_getcfi_elf(o->elf);
	o->dwarf = dwarf_begin_elf(o->elf, DWARF_C_READ, NULL);
	if (o->dwarf)
		o->dbg_cfi = dwarf_getcfi(o->dwarf);
	if (!o->dbg_cfi && !o->eh_cfi && id_len) {
		if (o->dwarf) {
			dwarf_end(o->dwarf);
			o->dwarf = NULL;
		}
		obj_open_debug(o, id, id_len);
	}
	return;

try_debug:
	/* the on-disk file is missing or different: only a debug file can help,
	 * and its .debug_frame is usable only with the file's load segments */
	if (o->eh_cfi) {
		dwarf_cfi_end(o->eh_cfi);
		o->eh_cfi = NULL;
	}
	o->nload = 0;
}

static int tab_grow(struct pfold_unwinder *u)
{
	size_t n = u->tab_size ? u->tab_size * 2 : 64, i, j;
	struct unwind_obj **t = calloc(n, sizeof(*t));

	if (!t)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < u->tab_size; i++) {
		struct unwind_obj *o = u->tab[i];

		if (!o)
			continue;
		for (j = o->hash & (n - 1); t[j]; j = (j + 1) & (n - 1))
			;
		t[j] = o;
	}
	free(u->tab);
	u->tab = t;
	u->tab_size = n;
	return 0;
}

/* obj_get - the cached object for MAP (opened on first use), or NULL on ENOMEM. */
static struct unwind_obj *obj_get(struct pfold_unwinder *u, const struct pfold_unwind_map *m)
{
	size_t plen = strlen(m->path), klen = plen + 1 + m->build_id_size, i;
	struct unwind_obj *o;
	char stack_key[512], *key = stack_key;
	uint64_t h;

	for (i = 0; i < 4 && (o = u->recent[i]); i++)
		if (o->key_len == klen && !memcmp(o->key, m->path, plen + 1) &&
		    (!m->build_id_size || !memcmp(o->key + plen + 1, m->build_id, m->build_id_size)))
			goto found;
	if (klen > sizeof(stack_key)) {
		key = malloc(klen);
		if (!key)
			return NULL;
	}
	memcpy(key, m->path, plen + 1);
	if (m->build_id_size)
		memcpy(key + plen + 1, m->build_id, m->build_id_size);
	h = hash_bytes(key, klen);
	if (u->tab_size) {
		for (i = h & (u->tab_size - 1); (o = u->tab[i]); i = (i + 1) & (u->tab_size - 1))
			if (o->hash == h && o->key_len == klen && !memcmp(o->key, key, klen))
				goto out;
	}
	if ((u->tab_used + 1) * 2 > u->tab_size && tab_grow(u)) {
		o = NULL;
		goto out;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		goto out;
	o->fd = o->dbg_fd = -1;
	o->key = malloc(klen);
	if (!o->key) {
		free(o);
		o = NULL;
		goto out;
	}
	memcpy(o->key, key, klen);
	o->key_len = klen;
	o->hash = h;
	obj_load(o, m->path, m->build_id, m->build_id_size);
	for (i = h & (u->tab_size - 1); u->tab[i]; i = (i + 1) & (u->tab_size - 1))
		;
	u->tab[i] = o;
	u->tab_used++;
out:
	if (key != stack_key)
		free(key);
	if (!o)
		return NULL;
	for (i = 0; i < 3 && u->recent[i] != o; i++)
		;
found:
	/* move (or insert) O to the front; the oldest falls off */
	memmove(&u->recent[1], &u->recent[0], i * sizeof(u->recent[0]));
	u->recent[0] = o;
	return o;
}

int pfold_unwinder_open(struct pfold_unwinder **out, const struct pfold_unwind_arch *arch)
{
	struct pfold_unwinder *u = calloc(1, sizeof(*u));

	if (!u)
		return pfold_error(PFOLD_E_NOMEM, "out of memory for the unwinder");
	u->arch = arch ? arch : &pfold_unwind_arch_x86_64;
	elf_version(EV_CURRENT);
	*out = u;
	return 0;
}

void pfold_unwinder_close(struct pfold_unwinder *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->tab_size; i++)
		obj_free(u->tab[i]);
	free(u->tab);
	free(u->rows);
	free(u->locs);
	for (i = 0; i < u->nr_jit; i++)
		if (u->jit[i].owned)
			pfold_jitdump_close(u->jit[i].jd);
	free(u->jit);
	free(u);
}

int pfold_unwinder_add_jitdump(struct pfold_unwinder *u, uint32_t pid,
			       struct pfold_jitdump *jd)
{
	size_t i;

	for (i = 0; i < u->nr_jit; i++) {
		if (u->jit[i].pid == pid) {
			if (u->jit[i].owned)
				pfold_jitdump_close(u->jit[i].jd);
			u->jit[i].jd = jd;
			u->jit[i].owned = 0;
			return 0;
		}
	}
	if (PFOLD_GROW(u->jit, u->jit_alloc, u->nr_jit + 1))
		return pfold_error(PFOLD_E_NOMEM, "out of memory for jitdump %u", pid);
	u->jit[u->nr_jit].pid = pid;
	u->jit[u->nr_jit].jd = jd;
	u->jit[u->nr_jit].owned = 0;
	u->nr_jit++;
	return 0;
}

/* jit_seen - whether a jitdump for PID was attached or looked for already. */
static bool jit_seen(const struct pfold_unwinder *u, uint32_t pid)
{
	size_t i;

	for (i = 0; i < u->nr_jit; i++)
		if (u->jit[i].pid == pid)
			return true;
	return false;
}

int pfold_unwinder_load_jitdump(struct pfold_unwinder *u, uint32_t pid, const char *path)
{
	struct pfold_jitdump *jd = NULL;
	int n = pfold_jitdump_open(&jd, path), rc;
	size_t i;

	if (n < 0 && n != -PFOLD_E_NOT_FOUND)
		return n;
	rc = pfold_unwinder_add_jitdump(u, pid, jd);	/* NULL: none, do not look again */
	if (rc) {
		pfold_jitdump_close(jd);
		return rc;
	}
	for (i = 0; i < u->nr_jit; i++)
		if (u->jit[i].pid == pid)
			u->jit[i].owned = 1;
	return jd ? n : 0;
}

static struct pfold_jitdump *jit_for(const struct pfold_unwinder *u, uint32_t pid)
{
	size_t i;

	for (i = 0; i < u->nr_jit; i++)
		if (u->jit[i].pid == pid)
			return u->jit[i].jd;
	return NULL;
}

const char *pfold_unwind_end_name(enum pfold_unwind_end end)
{
	switch (end) {
	case PFOLD_UNWIND_OUTERMOST: return "outermost frame";
	case PFOLD_UNWIND_DEPTH: return "depth limit";
	case PFOLD_UNWIND_STACK: return "stack copy ends";
	case PFOLD_UNWIND_NO_MAP: return "address in no mapping";
	case PFOLD_UNWIND_NO_RULE: return "no CFI and no frame pointer";
	case PFOLD_UNWIND_LOOP: return "stack pointer did not move";
	case PFOLD_UNWIND_BAD_REGS: return "registers missing or absurd";
	case PFOLD_UNWIND_BAD_CFI: return "CFI cannot be evaluated";
	}
	return "unknown";
}

/* read_mem - SIZE bytes at ADDR from the stack copy, or -PFOLD_UNWIND_STACK. */
static int read_mem(const struct unwind_state *w, uint64_t addr, unsigned int size,
		    uint64_t *val)
{
	uint64_t off = addr - w->stack_lo, v = 0;

	if (addr < w->stack_lo || off > w->stack_len || w->stack_len - off < size || size > 8)
		return -PFOLD_UNWIND_STACK;
	memcpy(&v, w->stack + off, size);	/* the copy is in the sampled (= host) order */
	*val = v;
	return 0;
}

static int reg_get(const struct unwind_state *w, uint64_t r, uint64_t *val)
{
	if (r >= w->arch->nregs || !(w->valid & (1ull << r)))
		return -PFOLD_UNWIND_BAD_REGS;
	*val = w->reg[r];
	return 0;
}

/*
 * eval_expr - evaluate the DWARF expression OPS over W (CFA given when
 * HAVE_CFA). *IS_VALUE tells whether the result is a value (DW_OP_stack_value,
 * or a register named by DW_OP_regN) or the address where the value is.
 * Returns 0 or -PFOLD_UNWIND_<END>.
 */
static int eval_expr(const struct unwind_state *w, const Dwarf_Op *ops, size_t nops,
		     uint64_t cfa, int have_cfa, uint64_t *out, int *is_value)
{
	uint64_t st[EXPR_STACK], a, b;
	size_t i, n = 0;
	int rc;

	*is_value = 0;
	if (nops == 0 || nops > PFOLD_UNWIND_MAX_OPS)
		return -PFOLD_UNWIND_BAD_CFI;
	for (i = 0; i < nops; i++) {
		unsigned int atom = ops[i].atom;

#define PUSH(v) do { if (n >= EXPR_STACK) return -PFOLD_UNWIND_BAD_CFI; st[n++] = (v); } while (0)
#define POP(v) do { if (!n) return -PFOLD_UNWIND_BAD_CFI; (v) = st[--n]; } while (0)
		if (atom >= DW_OP_lit0 && atom <= DW_OP_lit31) {
			PUSH(atom - DW_OP_lit0);
		} else if (atom >= DW_OP_breg0 && atom <= DW_OP_breg31) {
			if ((rc = reg_get(w, atom - DW_OP_breg0, &a)))
				return rc;
			PUSH(a + ops[i].number);
		} else if ((atom >= DW_OP_reg0 && atom <= DW_OP_reg31) || atom == DW_OP_regx) {
			/* a register location: only alone */
			if (nops != 1)
				return -PFOLD_UNWIND_BAD_CFI;
			if ((rc = reg_get(w, atom == DW_OP_regx ? ops[i].number :
					   atom - DW_OP_reg0, out)))
				return rc;
			*is_value = 1;
			return 0;
		} else {
			switch (atom) {
			case DW_OP_const1u: case DW_OP_const1s: case DW_OP_const2u:
			case DW_OP_const2s: case DW_OP_const4u: case DW_OP_const4s:
			case DW_OP_const8u: case DW_OP_const8s: case DW_OP_constu:
			case DW_OP_consts:
				PUSH(ops[i].number);
				break;
			case DW_OP_bregx:
				if ((rc = reg_get(w, ops[i].number, &a)))
					return rc;
				PUSH(a + ops[i].number2);
				break;
			case DW_OP_call_frame_cfa:
				if (!have_cfa)
					return -PFOLD_UNWIND_BAD_CFI;
				PUSH(cfa);
				break;
			case DW_OP_dup:
				POP(a); PUSH(a); PUSH(a);
				break;
			case DW_OP_drop:
				POP(a);
				break;
			case DW_OP_over:
				if (n < 2)
					return -PFOLD_UNWIND_BAD_CFI;
				a = st[n - 2];
				PUSH(a);
				break;
			case DW_OP_swap:
				POP(a); POP(b); PUSH(a); PUSH(b);
				break;
			case DW_OP_deref:
				POP(a);
				if ((rc = read_mem(w, a, 8, &b)))
					return rc;
				PUSH(b);
				break;
			case DW_OP_deref_size:
				POP(a);
				if (ops[i].number < 1 || ops[i].number > 8)
					return -PFOLD_UNWIND_BAD_CFI;
				if ((rc = read_mem(w, a, (unsigned int)ops[i].number, &b)))
					return rc;
				PUSH(b);
				break;
			case DW_OP_plus_uconst:
				POP(a); PUSH(a + ops[i].number);
				break;
			case DW_OP_neg:
				POP(a); PUSH(-a);
				break;
			case DW_OP_not:
				POP(a); PUSH(~a);
				break;
			case DW_OP_abs:
				POP(a); PUSH((int64_t)a < 0 ? -a : a);
				break;
			case DW_OP_plus: POP(b); POP(a); PUSH(a + b); break;
			case DW_OP_minus: POP(b); POP(a); PUSH(a - b); break;
			case DW_OP_mul: POP(b); POP(a); PUSH(a * b); break;
			case DW_OP_and: POP(b); POP(a); PUSH(a & b); break;
			case DW_OP_or: POP(b); POP(a); PUSH(a | b); break;
			case DW_OP_xor: POP(b); POP(a); PUSH(a ^ b); break;
			case DW_OP_shl: POP(b); POP(a); PUSH(b < 64 ? a << b : 0); break;
			case DW_OP_shr: POP(b); POP(a); PUSH(b < 64 ? a >> b : 0); break;
			case DW_OP_shra:
				POP(b); POP(a);
				PUSH(b < 64 ? (uint64_t)((int64_t)a >> b) : ((int64_t)a < 0 ? ~0ull : 0));
				break;
			case DW_OP_lt: POP(b); POP(a); PUSH((int64_t)a < (int64_t)b); break;
			case DW_OP_le: POP(b); POP(a); PUSH((int64_t)a <= (int64_t)b); break;
			case DW_OP_gt: POP(b); POP(a); PUSH((int64_t)a > (int64_t)b); break;
			case DW_OP_ge: POP(b); POP(a); PUSH((int64_t)a >= (int64_t)b); break;
			case DW_OP_eq: POP(b); POP(a); PUSH(a == b); break;
			case DW_OP_ne: POP(b); POP(a); PUSH(a != b); break;
			case DW_OP_nop:
				break;
			case DW_OP_stack_value:
				if (i + 1 != nops)
					return -PFOLD_UNWIND_BAD_CFI;
				*is_value = 1;
				break;
			default:
				/* DW_OP_addr (unrelocatable), branches, calls, TLS... */
				return -PFOLD_UNWIND_BAD_CFI;
			}
		}
#undef PUSH
#undef POP
	}
	if (!n)
		return -PFOLD_UNWIND_BAD_CFI;
	*out = st[n - 1];
	return 0;
}

/* row_ops - OPS as the row keeps them: copied into its pool when they fit. */
static const Dwarf_Op *row_ops(struct unwind_row *row, const Dwarf_Op *ops, size_t nops,
			       const Dwarf_Op *scratch, bool *cacheable)
{
	const Dwarf_Op *p;

	if (nops <= ROW_OPS - row->npool) {
		p = memcpy(&row->pool[row->npool], ops, nops * sizeof(*ops));
		row->npool += (unsigned int)nops;
		return p;
	}
	/* too long to keep: usable only while FRAME lives, and only if
	 * libdw keeps it (not in the caller's scratch ops) */
	*cacheable = false;
	return ops == scratch ? NULL : ops;
}

/*
 * row_fill - decode the CFI row FRAME into ROW (arch ARCH). *CACHEABLE is
 * cleared when ROW points into FRAME or its CFI (then use it before
 * freeing FRAME, and do not keep it). Returns 0 or -PFOLD_UNWIND_BAD_CFI.
 */
static int row_fill(struct unwind_row *row, Dwarf_Frame *frame,
		    const struct pfold_unwind_arch *arch, bool *cacheable)
{
	Dwarf_Op ops_mem[3], *ops;
	size_t nops;
	unsigned int r;

	row->npool = 0;
	row->nact = 0;
	row->ra_undef = false;
	row->none = false;
	row->signal = false;
	row->ra_reg = dwarf_frame_info(frame, NULL, NULL, &row->signal);
	if (row->ra_reg < 0 || (unsigned int)row->ra_reg >= arch->nregs)
		return -PFOLD_UNWIND_BAD_CFI;
	if (dwarf_frame_cfa(frame, &ops, &nops) || nops == 0 || nops > PFOLD_UNWIND_MAX_OPS)
		return -PFOLD_UNWIND_BAD_CFI;
	row->cfa_simple = false;
	if (nops == 1 && ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31) {
		row->cfa_simple = true;
		row->cfa_reg = ops[0].atom - DW_OP_breg0;
		row->cfa_off = ops[0].number;
	} else if (nops == 1 && ops[0].atom == DW_OP_bregx && ops[0].number < arch->nregs) {
		row->cfa_simple = true;
		row->cfa_reg = (unsigned int)ops[0].number;
		row->cfa_off = ops[0].number2;
	}
	if (!row->cfa_simple) {
		row->cfa_ops = row_ops(row, ops, nops, NULL, cacheable);
		row->cfa_nops = (uint32_t)nops;
	}
	for (r = 0; r < arch->nregs; r++) {
		struct unwind_rule *rule = &row->rule[r];
		size_t k;

		if (dwarf_frame_register(frame, (int)r, ops_mem, &ops, &nops))
			return -PFOLD_UNWIND_BAD_CFI;
		rule->ops = NULL;
		rule->nops = 0;
		rule->off = 0;
		if (nops == 0) {
			rule->kind = ops == NULL ? RULE_SAME : RULE_UNDEF;
			if (rule->kind == RULE_UNDEF && r == (unsigned int)row->ra_reg)
				row->ra_undef = true;
			if (rule->kind == RULE_SAME)
				row->act[row->nact++] = (unsigned char)r;
			continue;
		}
		row->act[row->nact++] = (unsigned char)r;
		/* libdw's offset(N), val_offset(N), register(R) forms */
		k = nops;
		if (nops >= 2 && ops[nops - 1].atom == DW_OP_stack_value)
			k--;
		if (ops[0].atom == DW_OP_call_frame_cfa &&
		    (k == 1 || (k == 2 && ops[1].atom == DW_OP_plus_uconst))) {
			rule->kind = k == nops ? RULE_AT_CFA : RULE_VAL_CFA;
			rule->off = k == 2 ? ops[1].number : 0;
			continue;
		}
		if (nops == 1 && ops[0].atom == DW_OP_regx) {
			rule->kind = RULE_REG;
			rule->off = ops[0].number;
			continue;
		}
		if (nops > PFOLD_UNWIND_MAX_OPS) {
			/* eval_expr's refusal, decided now */
			rule->kind = RULE_EXPR;
			rule->nops = (uint32_t)nops;
			continue;
		}
		rule->kind = RULE_EXPR;
		rule->ops = row_ops(row, ops, nops, ops_mem, cacheable);
		rule->nops = (uint32_t)nops;
		if (!rule->ops)
			return -PFOLD_UNWIND_BAD_CFI;	/* a libdw we do not know */
	}
	return 0;
}

/*
 * step_row - compute the caller's registers in *NEXT from the decoded CFI
 * row ROW. *RA gets the return address. Returns 0, 1 when the row says
 * this is the outermost frame, or -PFOLD_UNWIND_<END>.
 */
static int step_row(const struct unwind_state *w, const struct unwind_row *row,
		    struct unwind_state *next, uint64_t *ra, bool *signal)
{
	const struct pfold_unwind_arch *arch = w->arch;
	unsigned int i, r, ra_reg = (unsigned int)row->ra_reg;
	uint64_t cfa, v;
	int rc, is_value;

	*signal = row->signal;
	if (row->cfa_simple) {
		if ((rc = reg_get(w, row->cfa_reg, &cfa)))
			return rc;
		cfa += row->cfa_off;
	} else if ((rc = eval_expr(w, row->cfa_ops, row->cfa_nops, 0, 0, &cfa, &is_value))) {
		return rc;
	}
	if (row->ra_undef)
		return 1;	/* return address undefined: outermost */
	/* only the registers the row recovers are valid: copy no others */
	next->arch = w->arch;
	next->stack = w->stack;
	next->stack_lo = w->stack_lo;
	next->stack_len = w->stack_len;
	next->valid = 0;
	for (i = 0; i < row->nact; i++) {
		const struct unwind_rule *rule = &row->rule[r = row->act[i]];

		switch (rule->kind) {
		case RULE_SAME:
			if (w->valid & (1ull << r)) {
				next->reg[r] = w->reg[r];
				next->valid |= 1ull << r;
			}
			continue;
		case RULE_AT_CFA:
			rc = read_mem(w, cfa + rule->off, 8, &v);
			break;
		case RULE_VAL_CFA:
			v = cfa + rule->off;
			rc = 0;
			break;
		case RULE_REG:
			rc = reg_get(w, rule->off, &v);
			break;
		default:
			rc = eval_expr(w, rule->ops, rule->nops, cfa, 1, &v, &is_value);
			if (!rc && !is_value)
				rc = read_mem(w, v, 8, &v);
			break;
		}
		if (rc) {
			if (r == ra_reg)
				return rc;
			continue;	/* a register we cannot recover: unknown */
		}
		next->reg[r] = v;
		next->valid |= 1ull << r;
	}
	if (!(next->valid & (1ull << ra_reg)))
		return -PFOLD_UNWIND_BAD_CFI;
	*ra = next->reg[ra_reg];
	next->reg[arch->sp_reg] = cfa;	/* the caller's stack pointer is the CFA */
	next->valid |= 1ull << arch->sp_reg;
	return 0;
}

/* step_cfi - step_row for the CFI row FRAME, decoded for this step alone. */
static int step_cfi(const struct unwind_state *w, Dwarf_Frame *frame,
		    struct unwind_state *next, uint64_t *ra, bool *signal)
{
	struct unwind_row row;
	bool cacheable = true;
	int rc;

	*signal = false;
	if ((rc = row_fill(&row, frame, w->arch, &cacheable)))
		return rc;
	return step_row(w, &row, next, ra, signal);
}

/*
 * step_fp - the frame-pointer rule: the frame record at fp holds the
 * caller's fp and the return address; the caller's sp is fp + fp_off_cfa.
 * Callee-saved registers other than fp are assumed untouched (see
 * doc/unwinding.md). Returns 0, 1 when fp is 0 (the outermost frame), or
 * -PFOLD_UNWIND_<END>.
 */
static int step_fp(const struct unwind_state *w, struct unwind_state *next, uint64_t *ra)
{
	const struct pfold_unwind_arch *arch = w->arch;
	uint64_t fp, sp, cfp;
	int rc;

	if (reg_get(w, arch->fp_reg, &fp) || reg_get(w, arch->sp_reg, &sp))
		return -PFOLD_UNWIND_NO_RULE;
	if (fp == 0)
		return 1;	/* the psABI's mark of the deepest frame (ld.so's _start) */
	if (fp < sp || (fp & 7))
		return -PFOLD_UNWIND_NO_RULE;	/* not a frame pointer into this stack */
	if ((rc = read_mem(w, fp + arch->fp_off_ra, 8, ra)) ||
	    (rc = read_mem(w, fp + arch->fp_off_fp, 8, &cfp)))
		return rc;
	*next = *w;
	next->valid &= arch->callee_saved;
	next->reg[arch->fp_reg] = cfp;
	next->reg[arch->sp_reg] = fp + arch->fp_off_cfa;
	next->valid |= (1ull << arch->fp_reg) | (1ull << arch->sp_reg);
	return 0;
}

static bool map_is_jit(const struct pfold_unwind_map *m)
{
	return m->is_jit || !m->path || !m->path[0] || m->path[0] == '[' ||
	       !strncmp(m->path, "//anon", 6) || !strncmp(m->path, "/memfd:", 7);
}

/* obj_vaddr - the object's address for PC (process address) in *VADDR; 0 or -1. */
static int obj_vaddr(const struct unwind_obj *o, const struct pfold_unwind_map *m,
		     uint64_t pc, uint64_t *vaddr)
{
	uint64_t off = pc - m->start + m->pgoff;
	unsigned int i;

	for (i = 0; i < o->nload; i++)
		if (off >= o->load[i].offset && off - o->load[i].offset < o->load[i].filesz)
			break;
	if (i == o->nload)
		return -1;
	*vaddr = off - o->load[i].offset + o->load[i].vaddr;
	return 0;
}

/* obj_addrframe - the CFI row at the object's address VADDR in *FRAME; 0 or -1. */
static int obj_addrframe(const struct unwind_obj *o, uint64_t vaddr, Dwarf_Frame **frame)
{
	if (o->eh_cfi && !dwarf_cfi_addrframe(o->eh_cfi, vaddr, frame))
		return 0;
	if (o->dbg_cfi && !dwarf_cfi_addrframe(o->dbg_cfi, vaddr, frame))
		return 0;
	return -1;
}

/* obj_frame - the CFI row of the object for PC (process address) in *FRAME. */
static int obj_frame(const struct unwind_obj *o, const struct pfold_unwind_map *m,
		     uint64_t pc, Dwarf_Frame **frame)
{
	uint64_t vaddr;

	if (obj_vaddr(o, m, pc, &vaddr))
		return -1;
	return obj_addrframe(o, vaddr, frame);
}

/*
 * step_obj - step_row with the object O's CFI row for its address VADDR,
 * decoded once and cached by (O, VADDR). *FOUND tells whether a row covers
 * it (when not, nothing else is done). Returns as step_row.
 */
static int step_obj(struct pfold_unwinder *u, const struct unwind_obj *o, uint64_t vaddr,
		    const struct unwind_state *w, struct unwind_state *next, uint64_t *ra,
		    bool *signal, bool *found)
{
	struct unwind_row *row;
	Dwarf_Frame *frame;
	uint64_t h;
	bool cacheable = true;
	int rc;

	*found = false;
	if (!u->rows)
		u->rows = calloc(ROW_CACHE, sizeof(*u->rows));
	if (!u->rows) {
		/* no memory for the cache: decode for this step alone */
		if (obj_addrframe(o, vaddr, &frame))
			return 0;
		*found = true;
		rc = step_cfi(w, frame, next, ra, signal);
		free(frame);
		return rc;
	}
	h = ((uintptr_t)o >> 4) * 0x9e3779b97f4a7c15ull ^ vaddr * 0xff51afd7ed558ccdull;
	row = &u->rows[(h ^ (h >> 29)) & (ROW_CACHE - 1)];
	if (row->obj == o && row->vaddr == vaddr) {
		if (row->none)
			return 0;
		*found = true;
		return step_row(w, row, next, ra, signal);
	}
	row->obj = NULL;
	if (obj_addrframe(o, vaddr, &frame)) {
		row->obj = o;
		row->vaddr = vaddr;
		row->none = true;
		return 0;
	}
	*found = true;
	*signal = false;
	rc = row_fill(row, frame, u->arch, &cacheable);
	if (!rc) {
		rc = step_row(w, row, next, ra, signal);
		if (cacheable) {
			row->obj = o;
			row->vaddr = vaddr;
		}
	}
	free(frame);
	return rc;
}

/*
 * locate - where PC of process PID lies, in *LOC: from the cache when SPACE
 * (not 0) names the address space, else (and on a miss) from FIND_MAP and
 * the object table. Returns 0, or -PFOLD_E_NOMEM (opening the object).
 */
static int locate(struct pfold_unwinder *u, uint64_t space, uint32_t pid, uint64_t pc,
		  pfold_unwind_find_map_fn find_map, void *arg, struct unwind_loc *loc)
{
	struct unwind_loc *slot = NULL;
	struct pfold_unwind_map m;
	uint64_t h;

	if (space) {
		if (!u->locs)
			u->locs = calloc(LOC_CACHE, sizeof(*u->locs));
		if (u->locs) {
			h = space * 0x9e3779b97f4a7c15ull ^ pc * 0xff51afd7ed558ccdull;
			slot = &u->locs[(h ^ (h >> 31)) & (LOC_CACHE - 1)];
			if (slot->space == space && slot->pc == pc) {
				*loc = *slot;
				return 0;
			}
		}
	}
	memset(&m, 0, sizeof(m));
	memset(loc, 0, sizeof(*loc));
	if (find_map(arg, pid, pc, &m)) {
		loc->kind = LOC_NO_MAP;
	} else if (map_is_jit(&m)) {
		loc->kind = LOC_JIT;
	} else {
		loc->obj = obj_get(u, &m);
		if (!loc->obj)
			return pfold_error(PFOLD_E_NOMEM, "out of memory unwinding %s", m.path);
		loc->kind = obj_vaddr(loc->obj, &m, pc, &loc->vaddr) ? LOC_OBJ_OUTSIDE : LOC_OBJ;
	}
	if (slot) {
		loc->space = space;
		loc->pc = pc;
		*slot = *loc;
	}
	return 0;
}

/*
 * after_call - whether the LEN bytes of code at P end with an x86-64 call
 * instruction: call rel32 (e8), or call through a register or memory
 * (ff /2, with or without a REX prefix, SIB byte and displacement).
 */
static bool after_call(const unsigned char *p, size_t len)
{
	size_t n;

	if (len >= 5 && p[len - 5] == 0xe8)
		return true;
	/* ff /2: modrm reg field 2; total length 2..7 bytes (+ REX) */
	for (n = 2; n <= 8 && n <= len; n++) {
		const unsigned char *q = p + len - n;
		unsigned int modrm, mod, rm, need;

		if (q[0] != 0xff)
			continue;
		modrm = q[1];
		if (((modrm >> 3) & 7) != 2)
			continue;
		mod = modrm >> 6;
		rm = modrm & 7;
		need = 2;
		if (mod != 3 && rm == 4)
			need++;				/* SIB */
		if (mod == 1)
			need += 1;
		else if (mod == 2 || (mod == 0 && rm == 5))
			need += 4;			/* disp32, rip-relative */
		else if (mod == 0 && rm == 4 && n >= 3 && (q[2] & 7) == 5)
			need += 4;			/* SIB with no base */
		if (need == n)
			return true;
	}
	return false;
}

/*
 * ra_plausible - whether RA returns into code the unwinder can go on from.
 * STRICT: only into an object's code with a CFI row, right after a call
 * instruction (for return addresses guessed from stack slots); else also
 * into any mapped object or JIT code (for frame records).
 */
static bool ra_plausible(struct pfold_unwinder *u, uint32_t pid, uint64_t ra,
			 pfold_unwind_find_map_fn find_map, void *arg, bool strict)
{
	struct pfold_jitdump *jd = jit_for(u, pid);
	struct pfold_unwind_map m;
	struct unwind_obj *o;
	Dwarf_Frame *frame;
	const unsigned char *img;
	uint64_t off;
	size_t size;

	if (ra < 4096)
		return false;
	if (!strict && jd && pfold_jitdump_find(jd, ra - 1, 0))
		return true;
	memset(&m, 0, sizeof(m));
	if (find_map(arg, pid, ra - 1, &m))
		return false;
	if (map_is_jit(&m))
		return !strict;
	if (!strict)
		return true;
	o = obj_get(u, &m);
	if (!o || !o->elf || obj_frame(o, &m, ra - 1, &frame))
		return false;
	free(frame);
	if (u->arch->e_machine != EM_X86_64)
		return true;
	off = ra - 1 - m.start + m.pgoff + 1;	/* file offset of RA */
	img = (const unsigned char *)elf_rawfile(o->elf, &size);
	if (!img || off > size || off < 8)
		return false;
	return after_call(img + off - 8, 8);
}

/*
 * step_nocfi - a frame of code without CFI (JIT code, or an object without
 * a row for pc). In order, the first whose return address is plausible:
 * the frame record at fp; a 16-byte frame (return address at [sp + 8]:
 * CPython's perf trampolines, `sub $8,%rsp; call *%rcx` or `push %rbp;
 * call`); a return address at [sp]. See doc/unwinding.md. *HOW says which.
 * Returns 0, 1 (outermost) or -PFOLD_UNWIND_<END>.
 */
/* step_sp - the return address guessed at [sp + OFF]: caller's sp = sp + OFF + 8. */
static int step_sp(struct pfold_unwinder *u, uint32_t pid, const struct unwind_state *w,
		   struct unwind_state *next, uint64_t *ra, pfold_unwind_find_map_fn find_map,
		   void *arg, int off)
{
	const struct pfold_unwind_arch *arch = w->arch;
	uint64_t sp, fp = 0, cand, saved;

	if (reg_get(w, arch->sp_reg, &sp) || read_mem(w, sp + off, 8, &cand) ||
	    !ra_plausible(u, pid, cand, find_map, arg, true))
		return -PFOLD_UNWIND_NO_RULE;
	reg_get(w, arch->fp_reg, &fp);
	*next = *w;
	next->valid &= arch->callee_saved | (1ull << arch->sp_reg);
	next->reg[arch->sp_reg] = sp + off + 8;
	if (off == 8 && fp == sp && !read_mem(w, sp, 8, &saved))
		next->reg[arch->fp_reg] = saved;	/* push %rbp; mov %rsp,%rbp; call */
	*ra = cand;
	return 0;
}

static int step_nocfi(struct pfold_unwinder *u, uint32_t pid, bool jit,
		      const struct unwind_state *w, struct unwind_state *next, uint64_t *ra,
		      pfold_unwind_find_map_fn find_map, void *arg, int *how)
{
	const struct pfold_unwind_arch *arch = w->arch;
	uint64_t fp = 1;
	int rc;

	/* 1: a 16-byte trampoline frame returning into native code */
	if (!step_sp(u, pid, w, next, ra, find_map, arg, 8)) {
		*how = PFOLD_UNWIND_HOW_JIT_SP;
		return 0;
	}
	/* 2: the frame record */
	rc = step_fp(w, next, ra);
	if (rc == 1 && !jit)
		return 1;	/* fp 0 in code without CFI: ld.so's _start */
	if (rc == 0 && (*ra < 4096 || ra_plausible(u, pid, *ra, find_map, arg, false))) {
		*how = jit ? PFOLD_UNWIND_HOW_JIT_FP : PFOLD_UNWIND_HOW_FP;
		return 0;
	}
	/* 3: a frameless thunk */
	if (!step_sp(u, pid, w, next, ra, find_map, arg, 0)) {
		*how = PFOLD_UNWIND_HOW_JIT_SP;
		return 0;
	}
	reg_get(w, arch->fp_reg, &fp);
	return fp == 0 ? 1 : -PFOLD_UNWIND_NO_RULE;
}

int pfold_unwind_sample(struct pfold_unwinder *u, uint32_t pid, uint64_t space,
			const struct pfold_sample_regs *regs,
			const void *stack, uint64_t size, uint64_t dyn_size,
			pfold_unwind_find_map_fn find_map, void *arg,
			uint64_t *ips, size_t max, struct pfold_unwind_result *res)
{
	const struct pfold_unwind_arch *arch = u->arch;
	struct pfold_jitdump *jd = jit_for(u, pid);
	struct unwind_state st[2], *w = &st[0], *next = &st[1], *t;
	uint64_t pc, ra, sp, bit;
	size_t n = 0, idx = 0;
	bool signal = false, prev_signal = false;
	int rc;

	res->nr = 0;
	res->end = PFOLD_UNWIND_BAD_REGS;
	if (max > PFOLD_UNWIND_MAX_DEPTH)
		max = PFOLD_UNWIND_MAX_DEPTH;
	/* 64-bit registers only: a 32-bit process's (ABI_32) are another set */
	if (!regs || regs->abi != PERF_SAMPLE_REGS_ABI_64 || !regs->regs || !max)
		return 0;
	/* registers are read only where their valid bit is set: no memset of 2 x 360 bytes per sample */
	w->valid = next->valid = 0;
	w->arch = next->arch = arch;
	for (bit = 0; bit < 64 && idx < regs->nr; bit++) {
		int d;

		if (!(regs->mask & (1ull << bit)))
			continue;
		d = bit < arch->nperf ? arch->perf_to_dwarf[bit] : -1;
		if (d >= 0 && (unsigned int)d < arch->nregs) {
			w->reg[d] = regs->regs[idx];
			w->valid |= 1ull << d;
		}
		idx++;
	}
	if (reg_get(w, arch->pc_reg, &pc) || reg_get(w, arch->sp_reg, &sp))
		return 0;
	w->stack = stack;
	w->stack_lo = sp;
	w->stack_len = stack ? (dyn_size < size ? dyn_size : size) : 0;
	if (w->stack_len > UINT64_MAX - sp)
		w->stack_len = UINT64_MAX - sp;	/* absurd sp: no wrap-around */

	ips[n++] = pc;
	res->end = PFOLD_UNWIND_DEPTH;
	while (n < max) {
		uint64_t lookup = (n == 1 || prev_signal) ? pc : pc - 1;
		const struct pfold_jit_code *code = NULL;
		struct unwind_loc loc;
		Dwarf_Frame *frame = NULL;
		Dwarf_CFI *cfi;
		int how = 0;

		signal = false;
		if (jd)
			code = pfold_jitdump_find(jd, lookup, 0);
		if (code) {
			cfi = pfold_jitdump_cfi(jd, code);
			if (cfi && !dwarf_cfi_addrframe(cfi, lookup, &frame)) {
				how = PFOLD_UNWIND_HOW_JIT_CFI;
				rc = step_cfi(w, frame, next, &ra, &signal);
			} else {
				rc = step_nocfi(u, pid, true, w, next, &ra, find_map, arg, &how);
			}
		} else if ((rc = locate(u, space, pid, lookup, find_map, arg, &loc)) < 0) {
			return rc;
		} else if (loc.kind == LOC_NO_MAP) {
			res->end = pc ? PFOLD_UNWIND_NO_MAP : PFOLD_UNWIND_OUTERMOST;
			break;
		} else if (loc.kind == LOC_JIT) {
			rc = step_nocfi(u, pid, true, w, next, &ra, find_map, arg, &how);
		} else {
			bool found = false;

			if (loc.kind == LOC_OBJ)
				rc = step_obj(u, loc.obj, loc.vaddr, w, next, &ra, &signal, &found);
			if (found) {
				how = PFOLD_UNWIND_HOW_CFI;
			} else if (loc.obj->elf) {
				rc = step_nocfi(u, pid, false, w, next, &ra, find_map, arg, &how);
			} else {
				/* the object is not here: nothing says where the stack ends */
				rc = step_nocfi(u, pid, true, w, next, &ra, find_map, arg, &how);
				if (rc == 1)
					rc = -PFOLD_UNWIND_NO_RULE;
				how = how == PFOLD_UNWIND_HOW_JIT_FP ? PFOLD_UNWIND_HOW_FP : how;
			}
		}
		free(frame);
		if (rc == 1) {
			res->end = PFOLD_UNWIND_OUTERMOST;
			break;
		}
		if (rc < 0) {
			res->end = (enum pfold_unwind_end)-rc;
			break;
		}
		if (next->reg[arch->sp_reg] <= w->reg[arch->sp_reg]) {
			res->end = PFOLD_UNWIND_LOOP;
			break;
		}
		if (res->how)
			res->how[n - 1] = (unsigned char)how;
		if (ra < 4096) {
			/* 0, or a value from the never-mapped first page: argc
			 * above ld.so's _start, which has no undefined-RA rule */
			res->end = PFOLD_UNWIND_OUTERMOST;
			break;
		}
		ips[n++] = ra;
		t = w;		/* the caller's state becomes the current one */
		w = next;
		next = t;
		w->reg[arch->pc_reg] = ra;
		w->valid |= 1ull << arch->pc_reg;
		pc = ra;
		prev_signal = signal;
	}
	if (res->how)
		res->how[n - 1] = 0;
	res->nr = n;
	return (int)n;
}

/* ---- the read pipeline's side: mappings from the session ---- */

struct session_maps {
	struct pfold_session *session;
	uint32_t gen;
	const char *symfs;
	char path[4096];
};

static int session_find_map(void *arg, uint32_t pid, uint64_t addr, struct pfold_unwind_map *m)
{
	struct session_maps *a = arg;
	struct pfold_location loc;
	const char *name;

	if (pfold_session_resolve(a->session, a->gen, PFOLD_CPU_USER, addr, &loc) <= 0 || !loc.dso)
		return -1;
	/* a one-byte mapping at ADDR whose page offset is ADDR's file offset */
	m->start = addr;
	m->end = addr + 1;
	if (pfold_dso_kind(loc.dso) != PFOLD_DSO_ELF) {
		m->is_jit = 1;		/* perf map, anonymous memory, [vdso]... */
		return 0;
	}
	name = pfold_dso_name(loc.dso);
	m->pgoff = loc.addr;
	if (!a->symfs || !a->symfs[0])
		m->path = name;
	else if (name[0] == '/' && !pfold_path_escapes(name) &&
		 (size_t)snprintf(a->path, sizeof(a->path), "%s%s", a->symfs, name) < sizeof(a->path))
		m->path = a->path;
	else
		m->path = NULL;	/* nothing outside --symfs is opened */
	return 0;
}

int pfold_unwind_sample_chain(struct pfold_unwinder **up, struct pfold_session *session,
			      uint32_t gen, const char *symfs,
			      const struct pfold_sample *smp, uint64_t *out, size_t max)
{
	struct session_maps maps;
	struct pfold_unwind_result res;
	size_t n = 0, i;
	int rc;

	if (max < 4)
		return 0;
	if (smp->type & PERF_SAMPLE_CALLCHAIN)
		for (i = 0; i < smp->callchain_nr && n + 4 < max; i++) {
			if (smp->callchain[i] == (uint64_t)PERF_CONTEXT_USER)
				break;
			out[n++] = smp->callchain[i];
		}
	if (!*up && (rc = pfold_unwinder_open(up, NULL)))
		return rc;
	if (!jit_seen(*up, smp->pid)) {
		/* the JIT's unwinding info, where the JIT wrote it (as perf maps are read) */
		char jbuf[64];
		const char *jpath = pfold_session_jitdump(session, smp->pid);
		struct stat st;

		/* H5: the file its MMAP named (node writes it in its cwd), else /tmp */
		if (!jpath) {
			snprintf(jbuf, sizeof(jbuf), "/tmp/jit-%u.dump", smp->pid);
			jpath = jbuf;
		}
		if (stat(jpath, &st) || (st.st_uid != geteuid() && st.st_uid != 0))
			rc = -PFOLD_E_PERM;	/* absent, or another user's (perf's rule for perf maps) */
		else
			rc = pfold_unwinder_load_jitdump(*up, smp->pid, jpath);
		if (rc == -PFOLD_E_NOMEM)
			return rc;
		if (rc < 0)	/* unreadable or corrupt: unwind without it */
			pfold_unwinder_add_jitdump(*up, smp->pid, NULL);
	}
	maps.session = session;
	maps.gen = gen;
	maps.symfs = symfs;
	memset(&res, 0, sizeof(res));
	out[n++] = (uint64_t)PERF_CONTEXT_USER;
	/* the generation + 1: (generation, address) names one location for the run */
	rc = pfold_unwind_sample(*up, smp->pid, (uint64_t)gen + 1, &smp->user_regs, smp->user_stack,
				 smp->user_stack_size, smp->user_stack_dyn_size,
				 session_find_map, &maps, out + n, max - n - 1, &res);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		/* no usable user registers: a kernel thread (the kernel part
		 * alone), or a user pc we cannot unwind from (pc, [truncated]) */
		if ((smp->type & PERF_SAMPLE_IP) && smp->ip && (int64_t)smp->ip > 0 &&
		    !(n > 1 && smp->callchain_nr && smp->callchain[0] == (uint64_t)PERF_CONTEXT_KERNEL)) {
			out[n++] = smp->ip;
			out[n++] = PFOLD_UNWIND_TRUNCATED;
		} else {
			n--;
		}
		return (int)n;
	}
	for (i = 1; i < (size_t)rc; i++)
		out[n + i]--;
	n += (size_t)rc;
	if (res.end != PFOLD_UNWIND_OUTERMOST)
		out[n++] = PFOLD_UNWIND_TRUNCATED;
	return (int)n;
}
