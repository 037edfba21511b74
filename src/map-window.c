// SPDX-License-Identifier: MIT
/* map-window.c: a helper thread faults a file mapping in ahead of its reader and gives it back behind. */
#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "map-window.h"

#define AHEAD ((uint64_t)16 << 20)	/* fault in up to 16 MB past the reader */
#define TOUCH_STEP ((uint64_t)1 << 20)	/* then look for new orders */
/* a touch faults in the 64 KB around it (the kernel's fault-around): one per 64 KB */
#define TOUCH_STRIDE ((uint64_t)64 << 10)
#define GIVE_STEP ((uint64_t)4 << 20)	/* give pages back 4 MB at a time */
#define TELL_STEP ((uint64_t)1 << 20)	/* the reader reports every 1 MB */
#define SYNC_GIVE_STEP ((uint64_t)32 << 20)	/* without a thread: fewer, bigger calls */
/* a helper this far behind in giving back (starved of CPU): the reader does it */
#define MAX_LAG ((uint64_t)32 << 20)

struct pfold_map_window {
	uint8_t *map;
	uint64_t size, page, first;
	int threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, idle;

	/* the reader's orders, under lock */
	uint64_t pos, keep;
	int stop, busy, paused;

	/* the reader's side only */
	uint64_t told;
	uint64_t forced;	/* given back by the reader itself up to here */

	_Atomic uint64_t given;	/* the helper's lo, for the reader to see how far behind it is */

	/* the helper's side (the caller's without a thread) */
	uint64_t lo, hi;	/* pages in [lo, hi) may be mapped; below lo were given back */
};

static uint64_t page_down(const struct pfold_map_window *w, uint64_t v)
{
	return v / w->page * w->page;
}

static void give_back(struct pfold_map_window *w, uint64_t from, uint64_t to)
{
	from = page_down(w, from + w->page - 1);
	to = to >= w->size ? w->size : page_down(w, to);
	if (to > from)
		madvise(w->map + from, to - from, MADV_DONTNEED);
}

/* fault in [from, to): a read of each page maps it (and its cached neighbours) */
static void touch(struct pfold_map_window *w, uint64_t from, uint64_t to)
{
	volatile const uint8_t *m = w->map;
	uint8_t sink = 0;

	for (from = page_down(w, from); from < to; from += TOUCH_STRIDE)
		sink ^= m[from];
	(void)sink;
}

static uint64_t target_of(const struct pfold_map_window *w, uint64_t pos)
{
	return pos + AHEAD < w->size ? pos + AHEAD : w->size;
}

static int has_work(const struct pfold_map_window *w)
{
	return !w->paused && (w->keep >= w->lo + GIVE_STEP ||
			      (w->hi < target_of(w, w->pos) && w->pos < w->size));
}

/* one slice of work for the orders POS, KEEP; the helper's side */
static void work(struct pfold_map_window *w, uint64_t pos, uint64_t keep)
{
	uint64_t target = target_of(w, pos), stop;

	if (keep >= w->lo + GIVE_STEP) {
		give_back(w, w->lo, keep);
		w->lo = keep;
	}
	atomic_store_explicit(&w->given, w->lo, memory_order_relaxed);
	if (w->hi < pos)
		w->hi = pos;	/* the reader got there first */
	if (w->hi < target) {
		stop = w->hi + TOUCH_STEP < target ? w->hi + TOUCH_STEP : target;
		touch(w, w->hi, stop);
		w->hi = stop;
	}
}

static void *helper_main(void *arg)
{
	struct pfold_map_window *w = arg;
	uint64_t pos, keep;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stop && !has_work(w)) {
			w->busy = 0;
			pthread_cond_broadcast(&w->idle);
			pthread_cond_wait(&w->wake, &w->lock);
		}
		if (w->stop)
			break;
		w->busy = 1;
		pos = w->pos;
		keep = w->keep;
		pthread_mutex_unlock(&w->lock);
		work(w, pos, keep);
		pthread_mutex_lock(&w->lock);
	}
	w->busy = 0;
	pthread_cond_broadcast(&w->idle);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct pfold_map_window *pfold_map_window_start(uint8_t *map, size_t size, uint64_t first)
{
	struct pfold_map_window *w = calloc(1, sizeof(*w));
	long page = sysconf(_SC_PAGESIZE);

	if (!w)
		return NULL;
	w->map = map;
	w->size = size;
	w->page = page > 0 ? (uint64_t)page : 4096;
	w->first = first < size ? page_down(w, first) : page_down(w, size);
	w->lo = w->hi = w->pos = w->keep = w->told = w->forced = w->first;
	atomic_init(&w->given, w->first);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->idle, NULL);
	w->threaded = pthread_create(&w->thread, NULL, helper_main, w) == 0;
	return w;
}

int pfold_map_window_due(const struct pfold_map_window *w, uint64_t pos)
{
	return pos >= w->told + TELL_STEP;
}

void pfold_map_window_advance(struct pfold_map_window *w, uint64_t pos, uint64_t keep_from)
{
	if (!w || pos < w->told)
		return;
	w->told = pos;
	if (keep_from > pos)
		keep_from = pos;
	if (!w->threaded) {
		/* the caller's time: give back in big steps, fault in on demand */
		if (keep_from >= w->lo + SYNC_GIVE_STEP) {
			give_back(w, w->lo, keep_from);
			w->lo = keep_from;
		}
		return;
	}
	if (keep_from >= w->forced + MAX_LAG) {
		uint64_t given = atomic_load_explicit(&w->given, memory_order_relaxed);

		/*
		 * The helper is far behind (another process has the CPU):
		 * memory must not grow with the file. Giving back twice is
		 * harmless, and the helper touches only ahead of POS.
		 */
		if (given + MAX_LAG <= keep_from)
			give_back(w, given > w->forced ? given : w->forced, keep_from);
		w->forced = keep_from;
	}
	pthread_mutex_lock(&w->lock);
	w->pos = pos;
	if (keep_from > w->keep)
		w->keep = keep_from;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void pfold_map_window_settle(struct pfold_map_window *w)
{
	if (!w || !w->threaded)
		return;
	pthread_mutex_lock(&w->lock);
	while (w->busy || has_work(w))
		pthread_cond_wait(&w->idle, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void pfold_map_window_pause(struct pfold_map_window *w, int paused)
{
	if (!w || !w->threaded)
		return;
	pthread_mutex_lock(&w->lock);
	w->paused = paused;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void pfold_map_window_stop(struct pfold_map_window *w)
{
	if (!w)
		return;
	if (w->threaded) {
		pthread_mutex_lock(&w->lock);
		w->stop = 1;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
	}
	pthread_cond_destroy(&w->idle);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
