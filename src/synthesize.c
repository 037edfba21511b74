// SPDX-License-Identifier: MIT
/* synthesize.c: COMM/MMAP2 records for what already runs, the kernel map, and TRACING_DATA bytes. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "fileutil.h"
#include "perf-records.h"
#include "synthesize.h"
#include "writer.h"

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static int put(struct pfold_buf *out, const void *p, size_t n)
{
	return pfold_buf_add(out, p, n);
}

/* the filename/comm string padded with NULs to 8 bytes (at least one NUL) */
static int put_padded(struct pfold_buf *out, const char *s)
{
	size_t len = strlen(s) + 1;

	if (put(out, s, len - 1))
		return -PFOLD_E_NOMEM;
	return pfold_buf_add_zeros(out, ALIGN8(len) - (len - 1));
}

int pfold_synth_kernel_mmap(struct pfold_buf *out, size_t id_hdr_size)
{
	static const char name[] = "[kernel.kallsyms]_text";
	struct pfold_record_header h;
	unsigned long long addr = 0;
	char line[256], sym[128], type;
	uint32_t pid = (uint32_t)-1, tid = 0;
	uint64_t start, len, pgoff;
	int n = 0;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return 0;
	/* _text is among the first symbols; give up after a few hundred lines */
	while (n++ < 512 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %127s", &addr, &type, sym) == 3 &&
		    !strcmp(sym, "_text"))
			break;
		addr = 0;
	}
	fclose(f);
	if (!addr)
		return 0;
	start = addr;
	len = ~0ULL - start;
	pgoff = start;
	h.type = PERF_RECORD_MMAP;
	h.misc = PERF_RECORD_MISC_KERNEL;
	h.size = (uint16_t)(sizeof(h) + 8 + 24 + ALIGN8(sizeof(name)) + id_hdr_size);
	if (put(out, &h, sizeof(h)) || put(out, &pid, 4) || put(out, &tid, 4) ||
	    put(out, &start, 8) || put(out, &len, 8) || put(out, &pgoff, 8) ||
	    put_padded(out, name) || pfold_buf_add_zeros(out, id_hdr_size))
		return -PFOLD_E_NOMEM;
	return 0;
}


int pfold_proc_threads(pid_t pid, pid_t **tids, size_t *nr)
{
	char path[64];
	struct dirent *d;
	pid_t *v = NULL;
	size_t n = 0, alloc = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return pfold_error(PFOLD_E_NOT_FOUND, "no process %d", (int)pid);
	while ((d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		if (PFOLD_GROW(v, alloc, n + 1)) {
			closedir(dir);
			free(v);
			return -PFOLD_E_NOMEM;
		}
		v[n++] = (pid_t)atoi(d->d_name);
	}
	closedir(dir);
	if (!n) {
		free(v);
		return pfold_error(PFOLD_E_NOT_FOUND, "no process %d", (int)pid);
	}
	*tids = v;
	*nr = n;
	return 0;
}

static int synth_comm(struct pfold_buf *out, pid_t pid, pid_t tid, const char *comm,
		      size_t id_hdr_size)
{
	struct pfold_record_header h;
	uint32_t p = (uint32_t)pid, t = (uint32_t)tid;

	h.type = PERF_RECORD_COMM;
	h.misc = 0;
	h.size = (uint16_t)(sizeof(h) + 8 + ALIGN8(strlen(comm) + 1) + id_hdr_size);
	if (put(out, &h, sizeof(h)) || put(out, &p, 4) || put(out, &t, 4) ||
	    put_padded(out, comm) || pfold_buf_add_zeros(out, id_hdr_size))
		return -PFOLD_E_NOMEM;
	return 0;
}

static int synth_maps(struct pfold_buf *out, pid_t pid, size_t id_hdr_size, int all_maps)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		unsigned long long start, end, pgoff, ino;
		unsigned maj, min;
		char perms[8], *name;
		int off = 0;
		struct pfold_record_header h;
		uint32_t p = (uint32_t)pid, prot = 0, flags;
		uint64_t a, l, o, i, gen = 0;
		size_t nl;

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end,
			   perms, &pgoff, &maj, &min, &ino, &off) < 7 || !off)
			continue;
		if (perms[2] != 'x' && !all_maps)
			continue;
		name = line + off;
		nl = strlen(name);
		while (nl && (name[nl - 1] == '\n' || name[nl - 1] == ' '))
			name[--nl] = 0;
		if (!*name)
			name = "//anon";
		else if (name[0] == '[' && strcmp(name, "[vdso]"))
			continue;	/* [vsyscall], [vvar]: perf skips them too */
		if (perms[0] == 'r')
			prot |= PROT_READ;
		if (perms[1] == 'w')
			prot |= PROT_WRITE;
		if (perms[2] == 'x')
			prot |= PROT_EXEC;
		flags = perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
		a = start;
		l = end - start;
		o = pgoff;
		i = ino;
		h.type = PERF_RECORD_MMAP2;
		h.misc = PERF_RECORD_MISC_USER;
		h.size = (uint16_t)(sizeof(h) + 8 + 24 + 24 + 8 +
				    ALIGN8(strlen(name) + 1) + id_hdr_size);
		if (put(out, &h, sizeof(h)) || put(out, &p, 4) || put(out, &p, 4) ||
		    put(out, &a, 8) || put(out, &l, 8) || put(out, &o, 8) ||
		    put(out, &maj, 4) || put(out, &min, 4) || put(out, &i, 8) ||
		    put(out, &gen, 8) || put(out, &prot, 4) || put(out, &flags, 4) ||
		    put_padded(out, name) || pfold_buf_add_zeros(out, id_hdr_size)) {
			ret = -PFOLD_E_NOMEM;
			break;
		}
	}
	free(line);
	fclose(f);
	return ret;
}

int pfold_synth_process(struct pfold_buf *out, pid_t pid, size_t id_hdr_size, int all_maps)
{
	pid_t *tids = NULL;
	size_t nr = 0, i;
	char path[96], comm[64];
	int ret;

	if (pfold_proc_threads(pid, &tids, &nr))
		return 0;	/* gone meanwhile */
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tids[i]);
		if (pfold_read_small(path, comm, sizeof(comm)))
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		ret = synth_comm(out, pid, tids[i], comm, id_hdr_size);
		if (ret)
			goto out_free;
	}
	ret = synth_maps(out, pid, id_hdr_size, all_maps);
out_free:
	free(tids);
	return ret;
}

int pfold_synth_all(struct pfold_buf *out, size_t id_hdr_size, int all_maps)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int ret = 0;

	if (!dir)
		return 0;
	while (!ret && (d = readdir(dir)))
		if (isdigit((unsigned char)d->d_name[0]))
			ret = pfold_synth_process(out, (pid_t)atoi(d->d_name), id_hdr_size, all_maps);
	closedir(dir);
	return ret;
}

int pfold_tracing_data(struct pfold_buf *out, const struct pfold_event_list *events)
{
	const char *dir = pfold_tracefs_dir();
	const char **names;
	size_t i, n = 0;
	int ret;

	names = calloc(events->nr ? events->nr : 1, sizeof(*names));
	if (!names)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < events->nr; i++)
		if (events->ev[i].kind == PFOLD_EVENT_TRACEPOINT)
			names[n++] = events->ev[i].name;
	if (!n)
		ret = 0;
	else if (!dir)
		ret = pfold_error(PFOLD_E_TRACEFS,
				  "tracefs is not mounted; run 'mount -t tracefs nodev /sys/kernel/tracing'");
	else
		ret = pfold_tracing_data_build(out, dir, names, n);
	free(names);
	return ret;
}
