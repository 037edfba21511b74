/* SPDX-License-Identifier: MIT */
/* pfm-load.h: libpfm4 loaded at its first use, so that commands naming no hardware event skip its start-up. */
#ifndef PFOLD_PFM_LOAD_H
#define PFOLD_PFM_LOAD_H

#include <linux/perf_event.h>
/* after linux/perf_event.h: libpfm4 then skips its own copy */
#include <perfmon/pfmlib_perf_event.h>

/*
 * libpfm4 relocates some 41,000 pointers of its event tables when it is
 * loaded, about a millisecond on every pfold command. pfold links it not
 * and opens it (dlopen) the first time an event name needs it.
 */
struct pfold_pfm {
	__typeof__(pfm_get_os_event_encoding) *get_os_event_encoding;
	__typeof__(pfm_strerror) *strerror;
	__typeof__(pfm_get_pmu_info) *get_pmu_info;
	__typeof__(pfm_get_event_next) *get_event_next;
	__typeof__(pfm_get_event_info) *get_event_info;
};

/*
 * The loaded and initialized libpfm4; NULL (with pfold_error() reported and
 * its code in *ERR) when it cannot be opened or initialized. The table is
 * static: callers keep the pointer, nobody frees it. Not thread-safe on the
 * first call.
 */
const struct pfold_pfm *pfold_pfm(int *err);

#endif
