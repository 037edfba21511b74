// SPDX-License-Identifier: MIT
/* recorder.c: perf_event_open per CPU, ring buffers, child start/stop and signals, into a writer. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <elfutils/libdwelf.h>
#include <gelf.h>
#include <libelf.h>

#include "buf.h"
#include "error.h"
#include "perf-records.h"
#include "recorder.h"
#include "synthesize.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* user registers for DWARF unwinding: perf's PERF_REGS_MASK */
#if defined(__x86_64__)
#define PFOLD_REGS_USER_MASK 0xff0fffULL	/* ax..r15 without ds, es, fs, gs */
#elif defined(__aarch64__)
#define PFOLD_REGS_USER_MASK ((1ULL << 33) - 1)	/* x0..x30, sp, pc */
#else
#define PFOLD_REGS_USER_MASK 0
#endif

struct ring {
	int fd;			/* the event whose buffer this is */
	void *base;		/* control page + data pages */
	size_t data_size;
};

/* an executable mapping seen in an MMAP2 record (deduplicated by file and build id) */
struct mapping {
	char *filename;
	uint8_t build_id[20];
	uint8_t build_id_size;	/* 0: none in the record, read the file at the end */
};

struct pfold_recorder {
	const struct pfold_record_opts *opts;
	struct perf_event_attr *attrs;	/* one per event of opts->events */
	int *cpus;
	size_t nr_cpus;
	pid_t *tids;			/* targets: -1 (system wide) or threads */
	size_t nr_tids;
	int *fds;			/* [target][cpu][event] */
	size_t nr_fds;
	struct ring *rings;		/* one per CPU */
	size_t nr_rings;
	size_t page_size;
	size_t id_hdr_size;
	pid_t child;
	int go_fd, err_fd;		/* child start pipe, exec error pipe */
	int child_started, child_reaped;
	int pidfd;
	int *pid_fds;			/* -p: one pidfd per process, -1 when gone */
	int wake_rd, wake_wr;		/* self-pipe: a signal arrived */
	volatile sig_atomic_t stop;
	int independent;
	uint64_t lost_samples, lost_records;
	struct mapping *maps;
	size_t nr_maps, alloc_maps, nr_maps_sorted;
	uint8_t *scratch;		/* a wrapped MMAP2 record, made contiguous */
	int walk_failed;		/* -PFOLD_E_NOMEM while collecting */
	long drain_delay_ms;		/* $PFOLD_TEST_DRAIN_DELAY_MS */
};

static int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd,
			    PERF_FLAG_FD_CLOEXEC);
}

int pfold_record_probe(struct pfold_event_list *list, int fallback, int system_wide,
		       char **fallback_msg)
{
	size_t i;
	int ret;

	*fallback_msg = NULL;
	for (i = 0; i < list->nr; i++) {
		struct pfold_event *ev = &list->ev[i];
		struct perf_event_attr attr;
		enum pfold_event_kind kind;
		char *name;

		ret = pfold_event_probe(ev->name, &ev->attr, system_wide);
		if (ret == -PFOLD_E_PERM && !ev->attr.exclude_kernel &&
		    !strchr(ev->name, ':')) {
			/* paranoid >= 2 without CAP_PERFMON: user space only, as perf does */
			struct perf_event_attr u = ev->attr;

			u.exclude_kernel = 1;
			u.exclude_hv = 1;
			if (!pfold_event_probe(ev->name, &u, system_wide)) {
				ev->attr = u;
				list->user_only = 1;
				continue;
			}
			ret = pfold_event_probe(ev->name, &ev->attr, system_wide);
		}
		if (!ret)
			continue;
		if (ret != -PFOLD_E_NO_PMU || !fallback)
			return ret;
		if (!*fallback_msg)
			*fallback_msg = strdup(pfold_errmsg(ret));
		ret = pfold_event_encode("cpu-clock", &attr, NULL, &kind);
		if (ret)
			return ret;
		/* keep the user's :u/:k choice */
		attr.exclude_user = ev->attr.exclude_user;
		attr.exclude_kernel = ev->attr.exclude_kernel;
		name = strdup("cpu-clock");
		if (!name)
			return -PFOLD_E_NOMEM;
		free(ev->name);
		free(ev->fstr);
		ev->name = name;
		ev->fstr = NULL;
		ev->attr = attr;
		ev->kind = kind;
		ret = pfold_event_probe(ev->name, &ev->attr, system_wide);
		if (ret)
			return ret;
	}
	/* cycles,instructions both replaced: two cpu-clocks are one */
	for (i = 1; i < list->nr; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (!strcmp(list->ev[j].name, list->ev[i].name) &&
			    !memcmp(&list->ev[j].attr, &list->ev[i].attr,
				    sizeof(list->ev[i].attr)))
				break;
		if (j < i) {
			free(list->ev[i].name);
			free(list->ev[i].fstr);
			memmove(&list->ev[i], &list->ev[i + 1],
				(list->nr - i - 1) * sizeof(list->ev[0]));
			list->nr--;
			i--;
		}
	}
	/* a software group made by the fallback stays a group only with 2+ members */
	for (i = 0; i < list->nr; i++) {
		size_t j, members = 0;

		if (list->ev[i].group < 0)
			continue;
		for (j = 0; j < list->nr; j++)
			if (list->ev[j].group == list->ev[i].group)
				members++;
		if (members < 2) {
			list->ev[i].group = -1;
			list->ev[i].leader = 0;
		} else if (i == 0 || list->ev[i - 1].group != list->ev[i].group) {
			list->ev[i].leader = 1;
		}
	}
	return 0;
}

static int online_cpus(int **cpus, size_t *nr)
{
	char buf[1024], *p;
	int *v = NULL;
	size_t n = 0, alloc = 0;
	int fd, a, b, k;
	ssize_t len;

	fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);
	len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (len <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		snprintf(buf, sizeof(buf), "0-%ld", c > 0 ? c - 1 : 0);
	} else {
		buf[len] = 0;
	}
	for (p = buf; *p;) {
		if (sscanf(p, "%d-%d", &a, &b) == 2)
			;
		else if (sscanf(p, "%d", &a) == 1)
			b = a;
		else
			break;
		for (k = a; k <= b; k++) {
			if (PFOLD_GROW(v, alloc, n + 1)) {
				free(v);
				return -PFOLD_E_NOMEM;
			}
			v[n++] = k;
		}
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	if (!n) {
		free(v);
		return pfold_error(PFOLD_E_UNSUPPORTED, "no online CPU found");
	}
	*cpus = v;
	*nr = n;
	return 0;
}

/* the attrs of every event: sampling, callchains, group reads, tracking */
static void build_attrs(struct pfold_recorder *r)
{
	const struct pfold_record_opts *o = r->opts;
	const struct pfold_event_list *l = o->events;
	/* the CPU only system wide, as perf: 8 bytes per sample */
	uint64_t st = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
		      PERF_SAMPLE_PERIOD | (o->system_wide ? PERF_SAMPLE_CPU : 0);
	int groups = 0;
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->ev[i].group >= 0 && !r->independent)
			groups = 1;
	if (l->nr > 1)
		st |= PERF_SAMPLE_IDENTIFIER;
	if (o->callchain != PFOLD_CALLCHAIN_NONE)
		st |= PERF_SAMPLE_CALLCHAIN;
	if (o->callchain == PFOLD_CALLCHAIN_DWARF)
		st |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	/* the sample_id trailer: tid, time, cpu, identifier */
	r->id_hdr_size = 8 + 8 + (o->system_wide ? 8 : 0) + (l->nr > 1 ? 8 : 0);

	for (i = 0; i < l->nr; i++) {
		const struct pfold_event *ev = &l->ev[i];
		struct perf_event_attr *a = &r->attrs[i];
		int grouped = ev->group >= 0 && !r->independent;

		*a = ev->attr;
		a->size = sizeof(*a);
		a->sample_type = st;
		if (ev->kind == PFOLD_EVENT_TRACEPOINT)
			a->sample_type |= PERF_SAMPLE_RAW;
		if (grouped) {
			a->sample_type |= PERF_SAMPLE_READ;
			a->read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID;
		} else if (groups) {
			a->read_format = PERF_FORMAT_ID;
		}
		if (grouped && !ev->leader) {
			/* members are read with each of the leader's samples */
			a->sample_period = 0;
			a->freq = 0;
		} else if (ev->kind == PFOLD_EVENT_TRACEPOINT) {
			a->sample_period = 1;	/* every hit, as perf records tracepoints */
			a->freq = 0;
		} else if (o->period) {
			a->sample_period = o->period;
			a->freq = 0;
		} else {
			a->sample_freq = o->freq ? o->freq : 999;
			a->freq = 1;
		}
		if (o->callchain == PFOLD_CALLCHAIN_DWARF) {
			a->sample_regs_user = PFOLD_REGS_USER_MASK;
			a->sample_stack_user = o->stack_size ? o->stack_size : 8192;
			/* the unwinder reads .eh_frame_hdr through the read-only segments */
			if (i == 0)
				a->mmap_data = 1;
			a->exclude_callchain_user = 1;
		}
		a->sample_id_all = 1;
		a->inherit = !o->system_wide;
		if (o->argv && !o->system_wide) {
			int leads = !grouped || ev->leader;

			a->disabled = leads;
			a->enable_on_exec = leads;
		}
		a->watermark = 1;
		a->wakeup_watermark = 0;	/* set per ring size in open_events */
		if (i == 0) {
			a->mmap = 1;
			a->mmap2 = 1;
			a->comm = 1;
			a->comm_exec = 1;
			a->task = 1;
			a->build_id = 1;
		}
	}
}

static void close_events(struct pfold_recorder *r)
{
	size_t i;

	for (i = 0; i < r->nr_rings; i++)
		if (r->rings[i].base)
			munmap(r->rings[i].base, r->page_size + r->rings[i].data_size);
	free(r->rings);
	r->rings = NULL;
	r->nr_rings = 0;
	for (i = 0; i < r->nr_fds; i++)
		if (r->fds[i] >= 0)
			close(r->fds[i]);
	free(r->fds);
	r->fds = NULL;
	r->nr_fds = 0;
}

/* open every event on every target and CPU; ids[e] collects the sample ids */
static int open_events(struct pfold_recorder *r, uint64_t **ids, size_t *nr_ids)
{
	const struct pfold_event_list *l = r->opts->events;
	size_t pages = r->opts->mmap_pages ? r->opts->mmap_pages : 128;
	size_t t, c, e, k = 0;
	int *leader_fd;
	int ret = 0;

	r->nr_fds = r->nr_tids * r->nr_cpus * l->nr;
	r->fds = malloc(r->nr_fds * sizeof(*r->fds));
	r->rings = calloc(r->nr_cpus, sizeof(*r->rings));
	leader_fd = malloc((l->nr_groups + 1) * sizeof(*leader_fd));
	if (!r->fds || !r->rings || !leader_fd) {
		free(leader_fd);
		return -PFOLD_E_NOMEM;
	}
	for (k = 0; k < r->nr_fds; k++)
		r->fds[k] = -1;
	r->nr_rings = r->nr_cpus;
	for (c = 0; c < r->nr_cpus; c++)
		r->rings[c].fd = -1;
	for (e = 0; e < l->nr; e++)
		r->attrs[e].wakeup_watermark = (uint32_t)(pages * r->page_size / 2);

	k = 0;
	for (t = 0; t < r->nr_tids; t++) {
		for (c = 0; c < r->nr_cpus; c++) {
			struct ring *ring = &r->rings[c];

			for (e = 0; e < l->nr; e++) {
				const struct pfold_event *ev = &l->ev[e];
				int grouped = ev->group >= 0 && !r->independent;
				int group_fd = grouped && !ev->leader ? leader_fd[ev->group] : -1;
				uint64_t id;
				int fd;

				fd = perf_open(&r->attrs[e], r->tids[t], r->cpus[c], group_fd);
				if (fd < 0 && errno == EINVAL && r->attrs[e].build_id) {
					/* kernels before 5.12 have no build ids in MMAP2 */
					r->attrs[e].build_id = 0;
					fd = perf_open(&r->attrs[e], r->tids[t], r->cpus[c], group_fd);
				}
				if (fd < 0) {
					int err = errno;

					if (grouped && err == EINVAL) {
						ret = -PFOLD_E_FORMAT;	/* retried ungrouped */
						goto out;
					}
					if (err == ESRCH)
						continue;	/* the thread exited meanwhile */
					ret = pfold_perf_open_error(ev->name, err);
					goto out;
				}
				r->fds[k++] = fd;
				if (grouped && ev->leader)
					leader_fd[ev->group] = fd;
				if (ioctl(fd, PERF_EVENT_IOC_ID, &id) < 0) {
					ret = pfold_error(PFOLD_E_UNSUPPORTED,
							  "%s: cannot read the event id: %s",
							  ev->name, strerror(errno));
					goto out;
				}
				if (PFOLD_GROW(ids[e], nr_ids[e + l->nr], nr_ids[e] + 1)) {
					ret = -PFOLD_E_NOMEM;
					goto out;
				}
				ids[e][nr_ids[e]++] = id;
				if (ring->fd < 0) {
					size_t len = (pages + 1) * r->page_size;
					void *base = mmap(NULL, len, PROT_READ | PROT_WRITE,
							  MAP_SHARED, fd, 0);

					if (base == MAP_FAILED) {
						ret = pfold_error(errno == EPERM ? PFOLD_E_PERM : PFOLD_E_NOMEM,
								  "cannot map a ring buffer of %zu pages (-m): %s%s",
								  pages, strerror(errno),
								  errno == EPERM ? " (see kernel.perf_event_mlock_kb)" : "");
						goto out;
					}
					ring->fd = fd;
					ring->base = base;
					ring->data_size = pages * r->page_size;
				} else if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, ring->fd) < 0) {
					ret = pfold_error(PFOLD_E_UNSUPPORTED,
							  "%s: cannot share the ring buffer: %s",
							  ev->name, strerror(errno));
					goto out;
				}
			}
		}
	}
out:
	free(leader_fd);
	return ret;
}

static void child_exec(const struct pfold_record_opts *o, int go_rd, int err_wr)
{
	char c;
	int err;

	/* wait until the events are armed: EOF or one byte */
	while (read(go_rd, &c, 1) < 0 && errno == EINTR)
		;
	close(go_rd);
	if (o->child_stdout_fd >= 0 && dup2(o->child_stdout_fd, 1) < 0)
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	execvp(o->argv[0], (char *const *)o->argv);
	err = errno;
	if (write(err_wr, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

static int start_child(struct pfold_recorder *r)
{
	int go[2], er[2];

	if (pipe2(go, O_CLOEXEC) < 0)
		return pfold_error(PFOLD_E_CHILD, "pipe: %s", strerror(errno));
	if (pipe2(er, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return pfold_error(PFOLD_E_CHILD, "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	r->child = fork();
	if (r->child < 0) {
		int err = errno;

		close(go[0]);
		close(go[1]);
		close(er[0]);
		close(er[1]);
		return pfold_error(PFOLD_E_CHILD, "cannot fork: %s", strerror(err));
	}
	if (r->child == 0) {
		close(go[1]);
		close(er[0]);
		child_exec(r->opts, go[0], er[1]);
	}
	close(go[0]);
	close(er[1]);
	r->go_fd = go[1];
	r->err_fd = er[0];
	r->pidfd = (int)syscall(SYS_pidfd_open, r->child, 0);
	return 0;
}

int pfold_recorder_open(struct pfold_recorder **out, const struct pfold_record_opts *opts)
{
	struct pfold_recorder *r;
	const struct pfold_event_list *l = opts->events;
	uint64_t **ids = NULL;
	size_t *nr_ids = NULL, e, p;
	struct pfold_buf td = PFOLD_BUF_INIT;
	int wake[2];
	int ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -PFOLD_E_NOMEM;
	r->opts = opts;
	r->child = -1;
	r->go_fd = r->err_fd = r->pidfd = -1;
	r->wake_rd = r->wake_wr = -1;
	r->page_size = (size_t)sysconf(_SC_PAGESIZE);
	if (getenv("PFOLD_TEST_DRAIN_DELAY_MS"))
		r->drain_delay_ms = atol(getenv("PFOLD_TEST_DRAIN_DELAY_MS"));
	if (opts->mmap_pages & (opts->mmap_pages - 1)) {
		ret = pfold_error(PFOLD_E_USAGE, "-m %u: the number of pages must be a power of two",
				  opts->mmap_pages);
		goto err_free;
	}
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		ret = pfold_error(PFOLD_E_IO, "pipe: %s", strerror(errno));
		goto err_free;
	}
	r->wake_rd = wake[0];
	r->wake_wr = wake[1];
	r->attrs = calloc(l->nr, sizeof(*r->attrs));
	if (!r->attrs) {
		ret = -PFOLD_E_NOMEM;
		goto err_free;
	}
	ret = online_cpus(&r->cpus, &r->nr_cpus);
	if (ret)
		goto err_free;

	/* the targets */
	if (opts->system_wide) {
		if (opts->argv) {
			ret = start_child(r);
			if (ret)
				goto err_free;
		}
		r->tids = malloc(sizeof(*r->tids));
		if (!r->tids) {
			ret = -PFOLD_E_NOMEM;
			goto err_free;
		}
		r->tids[0] = -1;
		r->nr_tids = 1;
	} else if (opts->nr_pids) {
		size_t tids_alloc = 0;

		r->pid_fds = malloc(opts->nr_pids * sizeof(*r->pid_fds));
		if (!r->pid_fds) {
			ret = -PFOLD_E_NOMEM;
			goto err_free;
		}
		for (p = 0; p < opts->nr_pids; p++)
			r->pid_fds[p] = -1;
		for (p = 0; p < opts->nr_pids; p++) {
			pid_t *t = NULL;
			size_t n = 0;

			ret = pfold_proc_threads(opts->pids[p], &t, &n);
			if (ret)
				goto err_free;
			if (PFOLD_GROW(r->tids, tids_alloc, r->nr_tids + n)) {
				free(t);
				ret = -PFOLD_E_NOMEM;
				goto err_free;
			}
			memcpy(r->tids + r->nr_tids, t, n * sizeof(*t));
			r->nr_tids += n;
			free(t);
			r->pid_fds[p] = (int)syscall(SYS_pidfd_open, opts->pids[p], 0);
		}
	} else if (opts->argv) {
		ret = start_child(r);
		if (ret)
			goto err_free;
		r->tids = malloc(sizeof(*r->tids));
		if (!r->tids) {
			ret = -PFOLD_E_NOMEM;
			goto err_free;
		}
		r->tids[0] = r->child;
		r->nr_tids = 1;
	} else {
		ret = pfold_error(PFOLD_E_USAGE, "nothing to record: give a command, -p PID or -a");
		goto err_free;
	}

	ids = calloc(l->nr, sizeof(*ids));
	nr_ids = calloc(2 * l->nr, sizeof(*nr_ids));	/* counts, then allocs */
	if (!ids || !nr_ids) {
		ret = -PFOLD_E_NOMEM;
		goto err_free;
	}
	build_attrs(r);
	ret = open_events(r, ids, nr_ids);
	if (ret == -PFOLD_E_FORMAT) {
		/* inherit + PERF_SAMPLE_READ refused: sample the events independently */
		close_events(r);
		for (e = 0; e < l->nr; e++)
			nr_ids[e] = 0;
		r->independent = 1;
		pfold_event_list_ungroup(opts->events);	/* no GROUP_DESC for the file */
		build_attrs(r);
		ret = open_events(r, ids, nr_ids);
	}
	if (ret)
		goto err_free;
	for (e = 0; e < l->nr; e++) {
		ret = pfold_writer_add_attr(opts->writer, &r->attrs[e], ids[e], nr_ids[e],
					    l->ev[e].name);
		if (ret < 0)
			goto err_free;
	}
	ret = pfold_tracing_data(&td, l);
	if (!ret && td.len)
		ret = pfold_writer_set_tracing_data(opts->writer, td.data, td.len);
	pfold_buf_release(&td);
	if (ret)
		goto err_free;
	for (e = 0; e < l->nr; e++)
		free(ids[e]);
	free(ids);
	free(nr_ids);
	*out = r;
	return 0;

err_free:
	if (ids)
		for (e = 0; e < l->nr; e++)
			free(ids[e]);
	free(ids);
	free(nr_ids);
	pfold_recorder_close(r);
	return ret;
}

static int map_cmp(const void *a, const void *b)
{
	const struct mapping *x = a, *y = b;
	int c = strcmp(x->filename, y->filename);

	if (c)
		return c;
	if (x->build_id_size != y->build_id_size)
		return x->build_id_size < y->build_id_size ? -1 : 1;
	return memcmp(x->build_id, y->build_id, x->build_id_size);
}

/* sort the mappings and drop duplicates (keeps the array small over long runs) */
static void maps_compact(struct pfold_recorder *r)
{
	size_t i, n = 0;

	if (r->nr_maps_sorted == r->nr_maps)
		return;
	qsort(r->maps, r->nr_maps, sizeof(*r->maps), map_cmp);
	for (i = 0; i < r->nr_maps; i++) {
		if (n && !map_cmp(&r->maps[n - 1], &r->maps[i])) {
			free(r->maps[i].filename);
			continue;
		}
		r->maps[n++] = r->maps[i];
	}
	r->nr_maps = r->nr_maps_sorted = n;
}

/* an MMAP2 record REC of SIZE bytes (contiguous): keep executable file mappings */
static void collect_mmap2(struct pfold_recorder *r, const uint8_t *rec, size_t size)
{
	const size_t name_off = 72;	/* header, pid, tid, addr, len, pgoff, 24 ids, prot, flags */
	uint16_t misc;
	uint32_t prot;
	struct mapping *m;
	const char *name;
	size_t len;

	if (size <= name_off)
		return;
	memcpy(&misc, rec + 4, sizeof(misc));
	memcpy(&prot, rec + 64, sizeof(prot));
	name = (const char *)rec + name_off;
	len = strnlen(name, size - name_off);
	if (!(prot & PROT_EXEC) || len == size - name_off || name[0] != '/')
		return;
	if (r->nr_maps == r->alloc_maps) {
		maps_compact(r);
		/* less than half were duplicates: double the array */
		if (r->nr_maps >= r->alloc_maps / 2 &&
		    PFOLD_GROW(r->maps, r->alloc_maps, r->alloc_maps + 1)) {
			r->walk_failed = -PFOLD_E_NOMEM;
			return;
		}
	}
	m = &r->maps[r->nr_maps];
	memset(m, 0, sizeof(*m));
	if ((misc & PERF_RECORD_MISC_MMAP_BUILD_ID) && rec[40] && rec[40] <= 20) {
		m->build_id_size = rec[40];
		memcpy(m->build_id, rec + 44, m->build_id_size);
	}
	m->filename = strndup(name, len);
	if (!m->filename) {
		r->walk_failed = -PFOLD_E_NOMEM;
		return;
	}
	r->nr_maps++;
}

/*
 * walk the record headers of LEN bytes at START of the ring DATA (SIZE bytes,
 * a multiple of 8; records are 8-aligned, so a header or a u64 never wraps):
 * count the lost samples, collect the executable MMAP2 mappings
 */
static void walk_headers(struct pfold_recorder *r, const uint8_t *data, size_t size,
			 size_t start, size_t len)
{
	size_t off = 0;

	while (len - off >= sizeof(struct pfold_record_header)) {
		struct pfold_record_header h;
		size_t pos = (start + off) % size;
		uint64_t v;

		memcpy(&h, data + pos, sizeof(h));
		if (h.size < sizeof(h) || h.size > len - off)
			break;	/* not the kernel's layout: stop looking, keep copying */
		switch (h.type) {
		case PERF_RECORD_LOST:		/* header, id, lost */
		case PERF_RECORD_LOST_SAMPLES:	/* header, lost */
			if (h.size < (h.type == PERF_RECORD_LOST ? 24 : 16))
				break;
			memcpy(&v, data + (pos + (h.type == PERF_RECORD_LOST ? 16 : 8)) % size,
			       sizeof(v));
			r->lost_samples += v;
			r->lost_records += h.type == PERF_RECORD_LOST;
			break;
		case PERF_RECORD_MMAP2: {
			const uint8_t *rec = data + pos;

			if (pos + h.size > size) {
				/* wrapped: make it contiguous (MMAP2 records are rare) */
				if (!r->scratch && !(r->scratch = malloc(65536))) {
					r->walk_failed = -PFOLD_E_NOMEM;
					break;
				}
				memcpy(r->scratch, data + pos, size - pos);
				memcpy(r->scratch + (size - pos), data, h.size - (size - pos));
				rec = r->scratch;
			}
			collect_mmap2(r, rec, h.size);
			break;
		}
		default:
			break;
		}
		off += h.size;
	}
}

/* copy what the kernel wrote since the last time; a look at the record headers only */
static int drain_ring(struct pfold_recorder *r, struct ring *ring, int *wrote)
{
	struct perf_event_mmap_page *pc = ring->base;
	unsigned char *data = (unsigned char *)ring->base + r->page_size;
	uint64_t head, tail;
	size_t size = ring->data_size, start, len;
	int ret;

	if (!ring->base)
		return 0;
	head = __atomic_load_n(&pc->data_head, __ATOMIC_ACQUIRE);
	tail = pc->data_tail;
	if (head == tail)
		return 0;
	start = (size_t)(tail % size);
	len = (size_t)(head - tail);
	walk_headers(r, data, size, start, len);
	if (start + len > size) {
		ret = pfold_writer_write(r->opts->writer, data + start, size - start);
		if (!ret)
			ret = pfold_writer_write(r->opts->writer, data, len - (size - start));
	} else {
		ret = pfold_writer_write(r->opts->writer, data + start, len);
	}
	__atomic_store_n(&pc->data_tail, head, __ATOMIC_RELEASE);
	*wrote = 1;
	return ret;
}

/* the GNU build id of the ELF file PATH into ID (20 bytes); its size, or 0 */
static size_t file_build_id(const char *path, uint8_t id[20])
{
	const void *bits;
	ssize_t n = 0;
	Elf *elf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf)
		n = dwelf_elf_gnu_build_id(elf, &bits);
	if (n > 0 && n <= 20)
		memcpy(id, bits, (size_t)n);
	else
		n = 0;
	elf_end(elf);
	close(fd);
	return (size_t)n;
}

/* the running kernel's build id from /sys/kernel/notes (ELF notes); its size, or 0 */
static size_t kernel_build_id(uint8_t id[20])
{
	uint8_t buf[4096];
	size_t off = 0, len;
	ssize_t got;
	int fd;

	fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf));
	close(fd);
	if (got <= 0)
		return 0;
	len = (size_t)got;
	while (len - off >= 12) {
		uint32_t nh[3];	/* namesz, descsz, type */
		size_t name, desc;

		memcpy(nh, buf + off, sizeof(nh));
		name = ((size_t)nh[0] + 3) & ~(size_t)3;
		desc = ((size_t)nh[1] + 3) & ~(size_t)3;
		if (name > len - off - 12 || desc > len - off - 12 - name)
			break;
		if (nh[2] == NT_GNU_BUILD_ID && nh[0] == 4 &&
		    !memcmp(buf + off + 12, "GNU", 4) && nh[1] && nh[1] <= 20) {
			memcpy(id, buf + off + 12 + name, nh[1]);
			return nh[1];
		}
		off += 12 + name + desc;
	}
	return 0;
}

/* give the writer a BUILD_ID entry for the kernel and each executable mapping */
static int add_build_ids(struct pfold_recorder *r, struct pfold_record_stats *stats)
{
	struct pfold_writer *w = r->opts->writer;
	uint8_t id[20];
	size_t i, n;
	int kernel = 0, ret;

	for (i = 0; i < r->opts->events->nr; i++)
		if (!r->attrs[i].exclude_kernel)
			kernel = 1;
	if (kernel && (n = kernel_build_id(id))) {
		ret = pfold_writer_add_build_id(w, -1, PERF_RECORD_MISC_KERNEL, id, n,
						"[kernel.kallsyms]");
		if (ret)
			return ret;
		stats->nr_build_ids++;
	}
	maps_compact(r);
	elf_version(EV_CURRENT);
	for (i = 0; i < r->nr_maps; i++) {
		const struct mapping *m = &r->maps[i];

		n = m->build_id_size;
		if (!n) {
			/* the same file with a build id from the kernel follows (sorted) */
			if (i + 1 < r->nr_maps && !strcmp(m->filename, r->maps[i + 1].filename))
				continue;
			n = file_build_id(m->filename, id);
			if (!n)
				continue;	/* gone, or no build id: perf skips it too */
		} else {
			memcpy(id, m->build_id, n);
		}
		ret = pfold_writer_add_build_id(w, -1, PERF_RECORD_MISC_USER, id, n, m->filename);
		if (ret)
			return ret;
		stats->nr_build_ids++;
	}
	return 0;
}

static int drain_all(struct pfold_recorder *r)
{
	size_t i;
	int wrote = 0, ret;

	if (r->drain_delay_ms > 0) {
		struct timespec ts = { r->drain_delay_ms / 1000, (r->drain_delay_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}

	for (i = 0; i < r->nr_rings; i++) {
		ret = drain_ring(r, &r->rings[i], &wrote);
		if (ret)
			return ret;
	}
	return wrote ? pfold_writer_finished_round(r->opts->writer) : 0;
}

static int synthesize(struct pfold_recorder *r)
{
	const struct pfold_record_opts *o = r->opts;
	struct pfold_buf b = PFOLD_BUF_INIT;
	size_t p;
	int ret, kernel = 0, dwarf = o->callchain == PFOLD_CALLCHAIN_DWARF;

	for (p = 0; p < o->events->nr; p++)
		if (!r->attrs[p].exclude_kernel)
			kernel = 1;
	ret = kernel ? pfold_synth_kernel_mmap(&b, r->id_hdr_size) : 0;
	if (!ret && o->system_wide)
		ret = pfold_synth_all(&b, r->id_hdr_size, dwarf);
	for (p = 0; !ret && !o->system_wide && p < o->nr_pids; p++)
		ret = pfold_synth_process(&b, o->pids[p], r->id_hdr_size, dwarf);
	if (!ret && b.len) {
		walk_headers(r, (const uint8_t *)b.data, b.len, 0, b.len);
		ret = pfold_writer_write(o->writer, b.data, b.len);
	}
	pfold_buf_release(&b);
	if (!ret)
		ret = pfold_writer_finished_init(o->writer);
	return ret;
}

void pfold_recorder_signal(struct pfold_recorder *r, int sig)
{
	int saved = errno;
	char c = 1;

	if (!r)
		return;
	r->stop = sig;
	if (r->child > 0 && r->child_started && !r->child_reaped)
		kill(r->child, sig);
	if (r->wake_wr >= 0 && write(r->wake_wr, &c, 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

/* 1 when every process the recording waits for has ended */
static int targets_done(struct pfold_recorder *r, struct pfold_record_stats *stats)
{
	const struct pfold_record_opts *o = r->opts;
	size_t p;
	int status;

	if (r->child > 0) {
		if (r->child_reaped)
			return 1;
		if (waitpid(r->child, &status, WNOHANG) == r->child) {
			r->child_reaped = 1;
			stats->child_status = status;
			stats->has_child = 1;
			return 1;
		}
		return 0;
	}
	if (o->nr_pids && !o->system_wide) {
		for (p = 0; p < o->nr_pids; p++)
			if (kill(o->pids[p], 0) == 0 || errno != ESRCH)
				return 0;
		return 1;
	}
	return 0;
}

int pfold_recorder_run(struct pfold_recorder *r, struct pfold_record_stats *stats)
{
	const struct pfold_record_opts *o = r->opts;
	struct pollfd *pfd;
	size_t n = 0, i, out_idx = 0, first_target;	/* out_idx 0: no pipe (index 0 is a ring) */
	int ret, err, timeout = -1;
	ssize_t got;

	memset(stats, 0, sizeof(*stats));
	stats->independent_groups = r->independent;
	ret = pfold_writer_begin(o->writer);
	if (ret)
		return ret;
	ret = synthesize(r);
	if (ret)
		return ret;

	pfd = calloc(r->nr_rings + o->nr_pids + 3, sizeof(*pfd));
	if (!pfd)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < r->nr_rings; i++) {
		pfd[n].fd = r->rings[i].fd;
		pfd[n++].events = POLLIN;
	}
	pfd[n].fd = r->wake_rd;
	pfd[n++].events = POLLIN;
	/* pfold record -o - | head: the pipe's reader going away is POLLERR at once */
	if (pfold_writer_is_pipe(o->writer)) {
		out_idx = n;
		pfd[n].fd = pfold_writer_fd(o->writer);
		pfd[n++].events = 0;
	}
	first_target = n;
	if (r->child > 0) {
		if (r->pidfd >= 0) {
			pfd[n].fd = r->pidfd;
			pfd[n++].events = POLLIN;
		} else {
			timeout = 100;	/* no pidfd: look at the child now and then */
		}
		/* arm: the child execs, enable_on_exec starts the events */
		close(r->go_fd);
		r->go_fd = -1;
		r->child_started = 1;
		got = read(r->err_fd, &err, sizeof(err));
		close(r->err_fd);
		r->err_fd = -1;
		if (got == (ssize_t)sizeof(err)) {
			int status;

			waitpid(r->child, &status, 0);
			r->child_reaped = 1;
			free(pfd);
			return pfold_error(PFOLD_E_CHILD, "cannot run '%s': %s", o->argv[0],
					   strerror(err));
		}
	} else if (o->nr_pids && !o->system_wide) {
		for (i = 0; i < o->nr_pids; i++) {
			if (r->pid_fds[i] < 0) {
				timeout = 100;
				continue;
			}
			pfd[n].fd = r->pid_fds[i];
			pfd[n++].events = POLLIN;
		}
	}

	for (;;) {
		int done;

		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			ret = pfold_error(PFOLD_E_IO, "poll: %s", strerror(errno));
			break;
		}
		if (out_idx && (pfd[out_idx].revents & (POLLERR | POLLHUP))) {
			ret = pfold_error(PFOLD_E_IO, "%s: the reader of the pipe is gone; recording stopped",
					  pfold_writer_name(o->writer));
			break;
		}
		ret = drain_all(r);
		if (ret)
			break;
		done = targets_done(r, stats);
		if (r->stop && r->child <= 0)
			done = 1;
		if (done)
			break;
		/* the event fds of exited tasks stay readable (POLLHUP): stop polling them */
		for (i = 0; i < r->nr_rings; i++)
			if (pfd[i].revents & (POLLHUP | POLLERR))
				pfd[i].fd = -1;
		if (pfd[r->nr_rings].revents & POLLIN) {
			char c[16];

			while (read(r->wake_rd, c, sizeof(c)) > 0)
				;
		}
		for (i = first_target; i < n; i++)
			if (pfd[i].revents & (POLLIN | POLLHUP))
				pfd[i].events = 0;	/* a -p process ended */
	}
	free(pfd);
	if (!ret)
		ret = drain_all(r);
	if (!ret)
		ret = r->walk_failed;
	if (!ret)
		ret = add_build_ids(r, stats);
	stats->bytes = pfold_writer_data_size(o->writer);
	stats->stopped_by = r->stop;
	stats->lost_samples = r->lost_samples;
	stats->lost_records = r->lost_records;
	return ret;
}

void pfold_recorder_close(struct pfold_recorder *r)
{
	size_t p;
	int status;

	if (!r)
		return;
	close_events(r);
	if (r->child > 0 && !r->child_reaped) {
		/* never started: it must not exec; started (a failed recording): stop it */
		kill(r->child, r->child_started ? SIGTERM : SIGKILL);
		if (r->go_fd >= 0)
			close(r->go_fd);
		r->go_fd = -1;
		waitpid(r->child, &status, 0);
	}
	if (r->go_fd >= 0)
		close(r->go_fd);
	if (r->err_fd >= 0)
		close(r->err_fd);
	if (r->pidfd >= 0)
		close(r->pidfd);
	if (r->pid_fds)
		for (p = 0; p < r->opts->nr_pids; p++)
			if (r->pid_fds[p] >= 0)
				close(r->pid_fds[p]);
	if (r->wake_rd >= 0)
		close(r->wake_rd);
	if (r->wake_wr >= 0)
		close(r->wake_wr);
	for (p = 0; p < r->nr_maps; p++)
		free(r->maps[p].filename);
	free(r->maps);
	free(r->scratch);
	free(r->pid_fds);
	free(r->tids);
	free(r->cpus);
	free(r->attrs);
	free(r);
}
