// SPDX-License-Identifier: MIT
/* sample-floor.c: the kernel's own cost of sampling: opens pfold record's event for a command and throws every sample away. */
/*
 * Usage: sample-floor [-g] [-F HZ] -- COMMAND [ARGS...]
 *
 * A recorder reduced to nothing: cpu-clock at HZ (default 999) with the
 * sample layout pfold record asks for (ip, tid, time, period, callchain
 * with -g, the side-band records), per CPU, inherited, enabled at exec,
 * 128-page rings woken at half full; the consumer only advances data_tail.
 * The workload's slowdown under it is what the kernel charges per sample
 * (on a VM: timer exits), which no recorder can avoid; record-overhead.sh
 * subtracts it to show pfold's own share. Exits with the command's status.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define RING_PAGES 128
#define MAX_CPUS 1024

static int perf_open(struct perf_event_attr *a, pid_t pid, int cpu)
{
	return (int)syscall(SYS_perf_event_open, a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* discard what the kernel wrote */
static void drain(void *base)
{
	struct perf_event_mmap_page *pc = base;
	uint64_t head = __atomic_load_n(&pc->data_head, __ATOMIC_ACQUIRE);

	__atomic_store_n(&pc->data_tail, head, __ATOMIC_RELEASE);
}

int main(int argc, char **argv)
{
	struct perf_event_attr a;
	struct pollfd pfd[MAX_CPUS + 1];
	void *ring[MAX_CPUS];
	long page = sysconf(_SC_PAGESIZE);
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), go[2], i, opt, status, callchain = 0;
	unsigned long hz = 999;
	pid_t child;

	while ((opt = getopt(argc, argv, "+gF:")) != -1) {
		if (opt == 'g')
			callchain = 1;
		else if (opt == 'F')
			hz = strtoul(optarg, NULL, 10);
		else
			return fprintf(stderr, "usage: sample-floor [-g] [-F HZ] -- COMMAND...\n"), 2;
	}
	if (optind >= argc || ncpu < 1 || ncpu > MAX_CPUS || !hz)
		return fprintf(stderr, "usage: sample-floor [-g] [-F HZ] -- COMMAND...\n"), 2;
	if (pipe(go))
		return perror("sample-floor: pipe"), 2;
	child = fork();
	if (child < 0)
		return perror("sample-floor: fork"), 2;
	if (child == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 0)
			_exit(127);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	close(go[0]);

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.sample_freq = hz;
	a.freq = 1;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD |
			(callchain ? PERF_SAMPLE_CALLCHAIN : 0);
	a.disabled = 1;
	a.enable_on_exec = 1;
	a.inherit = 1;
	a.mmap = a.mmap2 = a.comm = a.comm_exec = a.task = a.sample_id_all = 1;
	a.watermark = 1;
	a.wakeup_watermark = (uint32_t)(RING_PAGES * page / 2);
	for (i = 0; i < ncpu; i++) {
		int fd = perf_open(&a, child, i);

		if (fd < 0) {
			fprintf(stderr, "sample-floor: perf_event_open: %s\n", strerror(errno));
			kill(child, SIGKILL);
			return 2;
		}
		ring[i] = mmap(NULL, (size_t)(RING_PAGES + 1) * page, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 0);
		if (ring[i] == MAP_FAILED) {
			perror("sample-floor: mmap");
			kill(child, SIGKILL);
			return 2;
		}
		pfd[i].fd = fd;
		pfd[i].events = POLLIN;
	}
	/* the child's end wakes the poll (a pidfd), else a look every 100 ms */
	pfd[ncpu].fd = (int)syscall(SYS_pidfd_open, child, 0);
	pfd[ncpu].events = POLLIN;
	close(go[1]);	/* the child execs: the events start */
	for (;;) {
		if (waitpid(child, &status, WNOHANG) == child)
			break;
		if (poll(pfd, (nfds_t)ncpu + 1, 100) < 0 && errno != EINTR)
			break;
		for (i = 0; i < ncpu; i++)
			drain(ring[i]);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
