// SPDX-License-Identifier: MIT
/* session.c: threads and address spaces from the side-band records of a recording. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buf.h"
#include "error.h"
#include "session.h"

#define COMM_MAX 32
#define THREAD_HASH 4096
#define MAX_GENERATIONS (1u << 28)

struct map {
	uint64_t start, end, pgoff;
	struct pfold_dso *dso;
	int identity;		/* perf map / no file: addresses are absolute */
};

struct mm {
	uint32_t pid;
	struct map *maps;	/* in order of arrival: later wins */
	size_t nr, alloc;
	long gen;		/* generation of the current layout, -1 when changed */
	unsigned refs;
};

struct pfold_thread {
	uint32_t pid, tid;
	char comm[COMM_MAX];
	uint32_t comm_seq;
	struct mm *mm;
	struct pfold_thread *next;
};

struct generation {
	struct mm *mm;
	size_t nr;		/* maps[0..nr) of mm */
};

struct pfold_session {
	struct pfold_symbols *syms;
	struct pfold_thread *threads[THREAD_HASH];
	struct generation *gens;
	size_t nr_gens, alloc_gens;
	struct mm **mms;	/* every address space, for freeing */
	size_t nr_mms, alloc_mms;
	struct pfold_dso *kernel;
	uint32_t comm_seq;
};

int pfold_session_open(struct pfold_session **out, struct pfold_symbols *syms)
{
	struct pfold_session *s = calloc(1, sizeof(*s));

	if (!s)
		return -PFOLD_E_NOMEM;
	s->syms = syms;
	s->kernel = pfold_symbols_dso(syms, "[kernel.kallsyms]", PFOLD_DSO_KERNEL);
	if (!s->kernel) {
		free(s);
		return -PFOLD_E_NOMEM;
	}
	*out = s;
	return 0;
}

void pfold_session_close(struct pfold_session *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < THREAD_HASH; i++) {
		struct pfold_thread *t = s->threads[i], *n;

		for (; t; t = n) {
			n = t->next;
			free(t);
		}
	}
	for (i = 0; i < s->nr_mms; i++) {
		free(s->mms[i]->maps);
		free(s->mms[i]);
	}
	free(s->mms);
	free(s->gens);
	free(s);
}

struct pfold_dso *pfold_session_kernel_dso(struct pfold_session *s)
{
	return s->kernel;
}

static struct mm *mm_new(struct pfold_session *s, uint32_t pid, const struct mm *from)
{
	struct mm *mm;

	if (PFOLD_GROW(s->mms, s->alloc_mms, s->nr_mms + 1))
		return NULL;
	mm = calloc(1, sizeof(*mm));
	if (!mm)
		return NULL;
	mm->pid = pid;
	mm->gen = -1;
	if (from && from->nr) {
		mm->maps = malloc(from->nr * sizeof(*mm->maps));
		if (!mm->maps) {
			free(mm);
			return NULL;
		}
		memcpy(mm->maps, from->maps, from->nr * sizeof(*mm->maps));
		mm->nr = mm->alloc = from->nr;
	}
	s->mms[s->nr_mms++] = mm;
	return mm;
}

static struct pfold_thread *find_thread(struct pfold_session *s, uint32_t tid)
{
	struct pfold_thread *t = s->threads[tid % THREAD_HASH];

	for (; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

/* The address space of process PID: the one of any of its threads, else a new one. */
static struct mm *find_mm(struct pfold_session *s, uint32_t pid)
{
	struct pfold_thread *t = find_thread(s, pid);
	size_t i;

	if (t && t->pid == pid && t->mm)
		return t->mm;
	for (i = s->nr_mms; i-- > 0;)
		if (s->mms[i]->pid == pid)
			return s->mms[i];
	return mm_new(s, pid, NULL);
}

static void set_comm(struct pfold_session *s, struct pfold_thread *t, const char *comm)
{
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	t->comm_seq = ++s->comm_seq;
}

static struct pfold_thread *new_thread(struct pfold_session *s, uint32_t pid,
				       uint32_t tid, struct mm *mm)
{
	struct pfold_thread *t = find_thread(s, tid);

	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		t->tid = tid;
		t->next = s->threads[tid % THREAD_HASH];
		s->threads[tid % THREAD_HASH] = t;
	}
	t->pid = pid;
	t->mm = mm;
	return t;
}

struct pfold_thread *pfold_session_thread(struct pfold_session *s, uint32_t pid,
					  uint32_t tid)
{
	struct pfold_thread *t = find_thread(s, tid);
	struct mm *mm;
	char name[24];

	if (t && t->mm)
		return t;
	mm = find_mm(s, pid);
	if (!mm)
		return NULL;
	t = new_thread(s, pid, tid, mm);
	if (t && !t->comm[0]) {
		/* the idle task has no COMM record: perf calls it swapper */
		if (tid == 0)
			snprintf(name, sizeof(name), "swapper");
		else
			snprintf(name, sizeof(name), ":%d", (int)tid);
		set_comm(s, t, name);
	}
	return t;
}

const char *pfold_thread_comm(const struct pfold_thread *t)
{
	return t->comm;
}

uint32_t pfold_thread_comm_seq(const struct pfold_thread *t)
{
	return t->comm_seq;
}

long pfold_session_generation(struct pfold_session *s, struct pfold_thread *t)
{
	struct mm *mm = t->mm;

	if (mm->gen >= 0)
		return mm->gen;
	if (s->nr_gens >= MAX_GENERATIONS)
		return pfold_error(PFOLD_E_LIMIT, "more than %u address-space layouts",
				   MAX_GENERATIONS);
	if (PFOLD_GROW(s->gens, s->alloc_gens, s->nr_gens + 1))
		return -PFOLD_E_NOMEM;
	s->gens[s->nr_gens].mm = mm;
	s->gens[s->nr_gens].nr = mm->nr;
	mm->gen = (long)s->nr_gens++;
	return mm->gen;
}

/* perf's is_anon_memory() and is_no_dso_memory() */
static int is_anon(const char *f)
{
	return !strcmp(f, "//anon") || !strncmp(f, "/dev/zero", 9) ||
	       !strncmp(f, "/anon_hugepage", 14) || !strncmp(f, "[anon:", 6);
}

static int is_no_dso(const char *f)
{
	return !strncmp(f, "[stack", 6) || !strncmp(f, "/SYSV", 5) ||
	       !strcmp(f, "[heap]");
}

/* ".../jit-PID.dump" (perf's jitdump naming) for process PID */
static int is_jitdump(const char *f, uint32_t pid)
{
	const char *b = strrchr(f, '/');
	char name[32];

	snprintf(name, sizeof(name), "jit-%u.dump", pid);
	return !strcmp(b ? b + 1 : f, name);
}

const char *pfold_session_jitdump(struct pfold_session *s, uint32_t pid)
{
	return pfold_symbols_jitdump_path(s->syms, pid);
}

static int add_map(struct pfold_session *s, uint32_t pid, uint64_t start,
		   uint64_t len, uint64_t pgoff, const char *filename, int exec)
{
	struct pfold_dso *dso;
	struct mm *mm;
	struct map *m;
	char path[64];
	int identity = 0;

	if (!len || start + len < start)
		return 0;
	if (pid == UINT32_MAX) {
		/* kernel image and modules: kernel addresses go to kallsyms; the
		 * image's map names its reference symbol, at pgoff */
		if (!strncmp(filename, "[kernel.kallsyms]", 17) && filename[17])
			pfold_symbols_set_kernel_ref(s->syms, filename + 17, pgoff);
		return 0;
	}
	if (is_jitdump(filename, pid))
		/* the JIT's dump, mapped so that perf sees it: names its code (src/jitdump.c) */
		return pfold_symbols_set_jitdump(s->syms, pid, filename);
	if (is_anon(filename) || is_no_dso(filename)) {
		identity = 1;
		if (!exec)
			return 0;
		snprintf(path, sizeof(path), "/tmp/perf-%u.map", pid);
		dso = pfold_symbols_dso(s->syms, path, PFOLD_DSO_PERFMAP);
	} else if (!strcmp(filename, "[vdso]")) {
		/* read from memory when the recording's kernel is the running one */
		dso = pfold_symbols_dso(s->syms, filename, PFOLD_DSO_ELF);
	} else if (filename[0] == '[') {
		/* [vsyscall], [uprobes]...: no symbols */
		dso = pfold_symbols_dso(s->syms, filename, PFOLD_DSO_NONE);
	} else {
		if (!exec)
			return 0;
		dso = pfold_symbols_dso(s->syms, filename, PFOLD_DSO_ELF);
	}
	if (!dso)
		return -PFOLD_E_NOMEM;
	mm = find_mm(s, pid);
	if (!mm)
		return -PFOLD_E_NOMEM;
	if (PFOLD_GROW(mm->maps, mm->alloc, mm->nr + 1))
		return -PFOLD_E_NOMEM;
	m = &mm->maps[mm->nr++];
	m->start = start;
	m->end = start + len;
	m->pgoff = pgoff;
	m->dso = dso;
	m->identity = identity;
	mm->gen = -1;
	return 0;
}

/* A NUL-terminated string at P within the record's END, or NULL. */
static const char *record_str(const char *p, const char *end)
{
	return memchr(p, '\0', end - p) ? p : NULL;
}

int pfold_session_event(struct pfold_session *s, const struct pfold_event *ev)
{
	const char *end = (const char *)ev->data + ev->size;
	struct pfold_thread *t, *parent;
	const char *name;
	struct mm *mm;

	switch (ev->type) {
	case PERF_RECORD_COMM: {
		const struct pfold_rec_comm *c = ev->data;

		if (ev->size < sizeof(*c) + 1 || !(name = record_str(c->comm, end)))
			goto bad;
		t = pfold_session_thread(s, c->pid, c->tid);
		if (!t)
			return -PFOLD_E_NOMEM;
		/*
		 * exec (PERF_RECORD_MISC_COMM_EXEC) keeps the old mappings, as
		 * perf keeps them: samples still inside execve() unwind through
		 * the old image, and the new image's mappings cover the old ones.
		 */
		set_comm(s, t, name);
		return 0;
	}
	case PERF_RECORD_FORK: {
		const struct pfold_rec_fork *f = ev->data;

		if (ev->size < sizeof(*f))
			goto bad;
		parent = pfold_session_thread(s, f->ppid, f->ptid);
		if (!parent)
			return -PFOLD_E_NOMEM;
		if (f->pid == f->ppid && f->tid != f->pid) {
			/* a new thread shares its process's address space */
			mm = parent->mm;
		} else {
			mm = mm_new(s, f->pid, parent->mm);
			if (!mm)
				return -PFOLD_E_NOMEM;
		}
		t = new_thread(s, f->pid, f->tid, mm);
		if (!t)
			return -PFOLD_E_NOMEM;
		set_comm(s, t, parent->comm);
		return 0;
	}
	case PERF_RECORD_MMAP: {
		const struct pfold_rec_mmap *m = ev->data;

		if (ev->size < sizeof(*m) + 1 || !(name = record_str(m->filename, end)))
			goto bad;
		return add_map(s, m->pid, m->start, m->len, m->pgoff, name,
			       !(ev->misc & PERF_RECORD_MISC_MMAP_DATA));
	}
	case PERF_RECORD_MMAP2: {
		const struct pfold_rec_mmap2 *m = ev->data;
		int ret;

		if (ev->size < sizeof(*m) + 1 || !(name = record_str(m->filename, end)))
			goto bad;
		if ((ev->misc & PERF_RECORD_MISC_MMAP_BUILD_ID) && m->build_id_size &&
		    m->build_id_size <= 20 && name[0] == '/') {
			ret = pfold_symbols_set_build_id(s->syms, name, m->build_id,
							 m->build_id_size);
			if (ret)
				return ret;
		}
		return add_map(s, m->pid, m->start, m->len, m->pgoff, name,
			       (m->prot & PROT_EXEC) != 0);
	}
	default:
		return 0;
	}
bad:
	return pfold_error(PFOLD_E_BAD_RECORD, "%s record too short at offset %llu",
			   pfold_record_name(ev->type), (unsigned long long)ev->offset);
}

int pfold_session_resolve(struct pfold_session *s, uint32_t gen,
			  enum pfold_cpumode cpumode, uint64_t addr,
			  struct pfold_location *loc)
{
	const struct generation *g;
	size_t i;

	loc->dso = NULL;
	loc->addr = addr;
	if (cpumode == PFOLD_CPU_KERNEL) {
		loc->dso = s->kernel;
		return 1;
	}
	if (gen >= s->nr_gens)
		return -PFOLD_E_INVAL;
	g = &s->gens[gen];
	for (i = g->nr; i-- > 0;) {
		const struct map *m = &g->mm->maps[i];

		if (addr >= m->start && addr < m->end) {
			loc->dso = m->dso;
			loc->addr = m->identity ? addr : addr - m->start + m->pgoff;
			return 1;
		}
	}
	return 0;
}
