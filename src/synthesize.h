/* SPDX-License-Identifier: MIT */
/* synthesize.h: COMM/MMAP2 records for what already runs, the kernel map, and TRACING_DATA bytes. */
#ifndef PFOLD_SYNTHESIZE_H
#define PFOLD_SYNTHESIZE_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "events.h"

/*
 * Every synthesized record ends with ID_HDR_SIZE zero bytes: the sample_id
 * trailer of attr.sample_id_all, which perf leaves zeroed in the records it
 * synthesizes (id 0 means "the first event" to readers).
 */

/*
 * pfold_synth_kernel_mmap - append the MMAP record perf writes for the
 * kernel ("[kernel.kallsyms]_text", pid -1, start and pgoff at _text, read
 * from the first lines of /proc/kallsyms). Appends nothing when addresses
 * are hidden (kptr_restrict). Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_synth_kernel_mmap(struct pfold_buf *out, size_t id_hdr_size);

/*
 * pfold_synth_process - append a COMM record for each thread of PID and an
 * MMAP2 record for each executable mapping in /proc/PID/maps (every mapping
 * when ALL_MAPS: the DWARF unwinder reads .eh_frame_hdr in read-only
 * segments). A process that vanished meanwhile appends nothing. Returns 0 or
 * -PFOLD_E_NOMEM.
 */
int pfold_synth_process(struct pfold_buf *out, pid_t pid, size_t id_hdr_size, int all_maps);

/* pfold_synth_all - pfold_synth_process() for every process in /proc. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_synth_all(struct pfold_buf *out, size_t id_hdr_size, int all_maps);

/*
 * pfold_proc_threads - the thread ids of PID from /proc/PID/task into *TIDS
 * (malloc'd, caller frees) and *NR. Returns 0, -PFOLD_E_NOT_FOUND (no such
 * process) or -PFOLD_E_NOMEM.
 */
int pfold_proc_threads(pid_t pid, pid_t **tids, size_t *nr);

/*
 * pfold_tracing_data - append the TRACING_DATA bytes (perf's layout, version
 * 0.6: header_page, header_event, the format of each tracepoint of EVENTS,
 * empty kallsyms/printk/cmdlines) for the tracepoints of EVENTS, from
 * tracefs. Appends nothing when EVENTS has none. Returns 0, -PFOLD_E_TRACEFS,
 * -PFOLD_E_IO or -PFOLD_E_NOMEM.
 */
int pfold_tracing_data(struct pfold_buf *out, const struct pfold_event_list *events);

#endif
