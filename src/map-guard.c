// SPDX-License-Identifier: MIT
/* map-guard.c: a SIGBUS in a mapped input file becomes "pfold: FILE: the file shrank ... offset N" and exit 2. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "map-guard.h"

#define SLOTS 16

struct guarded {
	_Atomic uintptr_t start;	/* 0: a free slot; set last, cleared first */
	size_t len;
	char name[256];
};

static struct guarded slots[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

/* append S to BUF (LEN so far, CAP in all); async-signal-safe */
static size_t put_str(char *buf, size_t len, size_t cap, const char *s)
{
	while (*s && len + 1 < cap)
		buf[len++] = *s++;
	return len;
}

/* append V in BASE (10 or 16); async-signal-safe */
static size_t put_num(char *buf, size_t len, size_t cap, uint64_t v, unsigned base)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n && len + 1 < cap)
		buf[len++] = digits[--n];
	return len;
}

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	char msg[512];
	size_t n = 0, i;

	(void)sig;
	(void)ctx;
	for (i = 0; i < SLOTS; i++) {
		uintptr_t start = atomic_load_explicit(&slots[i].start, memory_order_acquire);

		if (start && addr >= start && addr - start < slots[i].len) {
			n = put_str(msg, n, sizeof(msg), "pfold: ");
			n = put_str(msg, n, sizeof(msg), slots[i].name);
			n = put_str(msg, n, sizeof(msg),
				    ": the file shrank while being read (no data at offset ");
			n = put_num(msg, n, sizeof(msg), addr - start, 10);
			n = put_str(msg, n, sizeof(msg), ")\n");
			break;
		}
	}
	if (!n) {
		n = put_str(msg, n, sizeof(msg),
			    "pfold: a mapped file shrank while being read (bus error at 0x");
		n = put_num(msg, n, sizeof(msg), addr, 16);
		n = put_str(msg, n, sizeof(msg), ")\n");
	}
	if (write(STDERR_FILENO, msg, n) < 0)
		n = 0;	/* nowhere to say it: the exit status still does */
	_exit(2);
}

int pfold_map_guard_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL);
}

void pfold_map_guard_add(const void *map, size_t len, const char *name)
{
	size_t i;

	pthread_mutex_lock(&slots_lock);
	for (i = 0; i < SLOTS; i++) {
		if (atomic_load_explicit(&slots[i].start, memory_order_relaxed))
			continue;
		slots[i].len = len;
		strncpy(slots[i].name, name ? name : "(input)", sizeof(slots[i].name) - 1);
		slots[i].name[sizeof(slots[i].name) - 1] = '\0';
		atomic_store_explicit(&slots[i].start, (uintptr_t)map, memory_order_release);
		break;
	}
	pthread_mutex_unlock(&slots_lock);
}

void pfold_map_guard_remove(const void *map)
{
	size_t i;

	pthread_mutex_lock(&slots_lock);
	for (i = 0; i < SLOTS; i++)
		if (atomic_load_explicit(&slots[i].start, memory_order_relaxed) == (uintptr_t)map)
			atomic_store_explicit(&slots[i].start, 0, memory_order_release);
	pthread_mutex_unlock(&slots_lock);
}
