// SPDX-License-Identifier: MIT
/* counting.c: counting mode: runs a command N times under counters, per-run values into a report. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "counting.h"
#include "error.h"
#include "events.h"

struct counter {
	const char *name;
	struct perf_event_attr attr;
	int fd;
	double scale;		/* raw value -> stored unit */
	size_t ev_index;	/* the report's event (by index: the array may move) */
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int is_clock(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE &&
	       (a->config == PERF_COUNT_SW_TASK_CLOCK || a->config == PERF_COUNT_SW_CPU_CLOCK);
}

static int open_counter(struct counter *c, pid_t pid)
{
	struct perf_event_attr a = c->attr;

	a.size = sizeof(a);
	a.disabled = 1;
	a.enable_on_exec = 1;
	a.inherit = 1;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	c->fd = (int)syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (c->fd < 0)
		return pfold_perf_open_error(c->name, errno);
	return 0;
}

/*
 * Decide for each event once, before the runs, whether it can be counted:
 * open it on ourselves. A kernel-mode refusal is retried in user space only.
 * Returns the fallback text (static or in BUF) or NULL when countable as is;
 * *COUNTED tells whether it is counted at all.
 */
static const char *probe(struct counter *c, int *counted, char *buf, size_t size)
{
	int ret = pfold_event_probe(c->name, &c->attr, 0);
	const char *msg;
	size_t n;

	*counted = 1;
	if (!ret)
		return NULL;
	if (ret == -PFOLD_E_PERM && (!c->attr.exclude_kernel || !c->attr.exclude_hv)) {
		c->attr.exclude_kernel = 1;
		c->attr.exclude_hv = 1;
		if (!pfold_event_probe(c->name, &c->attr, 0)) {
			snprintf(buf, size, "user space only: kernel.perf_event_paranoid is %d",
				 pfold_perf_paranoid());
			return buf;
		}
		ret = pfold_event_probe(c->name, &c->attr, 0);
	}
	*counted = 0;
	msg = pfold_errmsg(ret);
	n = strlen(c->name);
	if (!strncmp(msg, c->name, n) && msg[n] == ':' && msg[n + 1] == ' ')
		msg += n + 2;	/* the event is named already */
	snprintf(buf, size, "dropped: %s", msg);
	return buf;
}

/* one run of ARGV with the counters; values appended to the report's events */
static int run_once(struct pfold_report *r, const char *const *argv, struct counter *cs,
		    size_t nr, size_t wall_idx, size_t cpu_idx, unsigned run)
{
	int go[2], errp[2], status, child_errno, ret = 0;
	struct rusage ru;
	double t0, t1;
	size_t i;
	pid_t pid;
	ssize_t n;
	char one = 1;

	if (pipe2(go, O_CLOEXEC))
		return pfold_error(PFOLD_E_CHILD, "pipe: %s", strerror(errno));
	if (pipe2(errp, O_CLOEXEC)) {
		ret = pfold_error(PFOLD_E_CHILD, "pipe: %s", strerror(errno));
		goto out_close_go;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = pfold_error(PFOLD_E_CHILD, "fork: %s", strerror(errno));
		goto out_close_err;
	}
	if (pid == 0) {
		/* the child waits for the counters, then becomes the command */
		close(go[1]);
		close(errp[0]);
		signal(SIGPIPE, SIG_DFL);
		if (read(go[0], &one, 1) != 1)
			_exit(127);
		execvp(argv[0], (char *const *)argv);
		child_errno = errno;
		if (write(errp[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	go[0] = -1;
	close(errp[1]);
	errp[1] = -1;
	for (i = 0; i < nr; i++)
		cs[i].fd = -1;
	for (i = 0; i < nr; i++) {
		if (!r->events[cs[i].ev_index].counted)
			continue;
		if ((ret = open_counter(&cs[i], pid)))
			break;
	}
	if (ret) {
		/* the child sees EOF on go and exits 127 */
		close(go[1]);
		go[1] = -1;
		waitpid(pid, &status, 0);
		goto out_close_fds;
	}
	t0 = now_ns();
	if (write(go[1], &one, 1) != 1)
		ret = pfold_error(PFOLD_E_CHILD, "cannot start the command: %s", strerror(errno));
	close(go[1]);
	go[1] = -1;
	n = ret ? 0 : read(errp[0], &child_errno, sizeof(child_errno));
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			ret = pfold_error(PFOLD_E_CHILD, "wait: %s", strerror(errno));
			goto out_close_fds;
		}
	}
	t1 = now_ns();
	if (ret)
		goto out_close_fds;
	if (n == (ssize_t)sizeof(child_errno)) {
		ret = pfold_error(PFOLD_E_CHILD, "cannot run '%s': %s", argv[0], strerror(child_errno));
		goto out_close_fds;
	}
	if (WIFSIGNALED(status)) {
		ret = pfold_error(PFOLD_E_CHILD, "'%s' was killed by signal %d (%s) in run %u",
				  argv[0], WTERMSIG(status), strsignal(WTERMSIG(status)), run + 1);
		goto out_close_fds;
	}
	if (WEXITSTATUS(status)) {
		ret = pfold_error(PFOLD_E_CHILD, "'%s' exited with status %d in run %u",
				  argv[0], WEXITSTATUS(status), run + 1);
		goto out_close_fds;
	}
	for (i = 0; i < nr && !ret; i++) {
		struct pfold_report_event *e = &r->events[cs[i].ev_index];
		uint64_t v[3];
		double value;

		if (cs[i].fd < 0)
			continue;
		if (read(cs[i].fd, v, sizeof(v)) != (ssize_t)sizeof(v)) {
			ret = pfold_error(PFOLD_E_IO, "%s: cannot read the counter", cs[i].name);
			break;
		}
		/* v[0] value, v[1] time enabled, v[2] time running */
		value = (double)v[0];
		if (v[2] && v[2] < v[1]) {
			value *= (double)v[1] / (double)v[2];
			e->scaled = 1;
		}
		ret = pfold_report_event_add_value(e, value * cs[i].scale);
	}
	if (!ret)
		ret = pfold_report_event_add_value(&r->events[wall_idx], (t1 - t0) / 1e6);
	if (!ret)
		ret = pfold_report_event_add_value(&r->events[cpu_idx],
			(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
			(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
out_close_fds:
	for (i = 0; i < nr; i++)
		if (cs[i].fd >= 0)
			close(cs[i].fd);
out_close_err:
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
out_close_go:
	if (go[0] >= 0)
		close(go[0]);
	if (go[1] >= 0)
		close(go[1]);
	return ret;
}

int pfold_count_run(struct pfold_report **out, const char *const *argv,
		    const char *const *events, size_t nr, unsigned runs)
{
	struct pfold_report *r = NULL;
	struct counter *cs;
	size_t i, wall_idx, cpu_idx;
	char why[512];
	unsigned run;
	int ret;

	if (!argv || !argv[0] || !runs)
		return pfold_error(PFOLD_E_USAGE, "no command to run");
	cs = calloc(nr ? nr : 1, sizeof(*cs));
	if (!cs)
		return -PFOLD_E_NOMEM;
	ret = pfold_report_new(&r);
	if (ret)
		goto out_free;
	if ((ret = pfold_host_fill(r)) || (ret = pfold_report_set_command(r, argv)))
		goto out_free;
	for (i = 0; i < nr; i++) {
		const char *fb;
		int counted;

		cs[i].name = events[i];
		cs[i].fd = -1;
		ret = pfold_event_encode(events[i], &cs[i].attr, NULL, NULL);
		if (ret)
			goto out_free;
		cs[i].scale = is_clock(&cs[i].attr) ? 1e-6 : 1;
		fb = probe(&cs[i], &counted, why, sizeof(why));
		cs[i].ev_index = r->nr_events;
		ret = pfold_report_add_event(r, events[i], is_clock(&cs[i].attr) ? "msec" : "",
					     counted, fb, NULL);
		if (ret)
			goto out_free;
	}
	/*
	 * With no counter at all (perf_event_open refused, as on locked-down CI
	 * runners) the runs still give wall-time and cpu-time: carry on.
	 */
	wall_idx = r->nr_events;
	if ((ret = pfold_report_add_event(r, "wall-time", "msec", 1, NULL, NULL)))
		goto out_free;
	cpu_idx = r->nr_events;
	if ((ret = pfold_report_add_event(r, "cpu-time", "msec", 1, NULL, NULL)))
		goto out_free;
	for (run = 0; run < runs; run++)
		if ((ret = run_once(r, argv, cs, nr, wall_idx, cpu_idx, run)))
			goto out_free;
	if ((ret = pfold_report_finish(r)))
		goto out_free;
	*out = r;
	r = NULL;
out_free:
	pfold_report_free(r);
	free(cs);
	return ret;
}
