/* SPDX-License-Identifier: MIT */
/* writer.h: the perf.data writer: file mode (header rewritten at the end) and pipe mode. */
#ifndef PFOLD_WRITER_H
#define PFOLD_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

#include "perf-file.h"

/*
 * Use:
 *   pfold_writer_open(&w, "perf.data", NULL);      ("-" or a pipe: pipe mode)
 *   pfold_writer_add_attr(w, &attr, ids, nr, "cycles");   (each event)
 *   pfold_writer_set_header_info(w, &info);        (features, via perf-file's table)
 *   pfold_writer_write(w, records, len);            (raw ring-buffer bytes)
 *   pfold_writer_finished_init(w); pfold_writer_finished_round(w);
 *   pfold_writer_add_build_id(w, ...);              (objects that have samples)
 *   pfold_writer_close(w);                          (finishes the file, frees w)
 *
 * File mode layout (as perf record writes it): the 104-byte header, the ids
 * of each attr, the attrs (perf_file_attr: attr + ids section), the data
 * section, then the feature index and the feature sections. Until
 * pfold_writer_close() succeeds, the header on disk has a zero magic, so a
 * recording that was killed or failed (full disk) is rejected by every reader
 * as "not a perf.data file" instead of claiming to be complete.
 *
 * Pipe mode (as perf 6.x writes it): the 16-byte PERFILE2 pipe header,
 * HEADER_ATTR records, an EVENT_UPDATE (PERF_EVENT_UPDATE__NAME) record for
 * each attr that has a name and ids, HEADER_FEATURE records (every feature but BUILD_ID and
 * TRACING_DATA, each padded to 8 bytes, which perf 6.1 does not do but its
 * reader accepts; then the HEADER_LAST_FEATURE mark), HEADER_TRACING_DATA when
 * tracing data was given, then the records; HEADER_BUILD_ID records are
 * written at close. Attrs and the features known before the first record are
 * written when the first record (or pfold_writer_begin()) comes.
 *
 * Byte order: records and feature bytes given to the writer are copied as
 * they are; they must already be in the file's byte order. The writer
 * converts what it builds itself (header, attrs, ids, record headers of its
 * own records, build-id entries) when opened with PFOLD_WRITER_SWAP, which
 * writes a file of the other byte order (for tests of readers).
 *
 * Signals: every write retries on EINTR; a recorder that catches SIGINT sets
 * a flag, leaves its loop, drains its buffers with pfold_writer_write() and
 * calls pfold_writer_close() from normal context (never from the handler).
 */

/* Sizes of what the writer lays out (perf's on-disk structures). */
#define PFOLD_FILE_HEADER_SIZE	104	/* struct perf_file_header */
#define PFOLD_PIPE_HEADER_SIZE	16	/* struct perf_pipe_file_header */
#define PFOLD_WRITER_ATTR_SIZE	128	/* attr.size written (PERF_ATTR_SIZE_VER7, perf 6.1) */
#define PFOLD_FILE_ATTR_SIZE	(PFOLD_WRITER_ATTR_SIZE + 16)	/* attr + ids section */

/* flags of struct pfold_writer_opts */
#define PFOLD_WRITER_PIPE	(1u << 0)	/* pipe mode even on a seekable fd */
#define PFOLD_WRITER_SWAP	(1u << 1)	/* the other byte order than the host's */

struct pfold_writer_opts {
	unsigned flags;		/* PFOLD_WRITER_* */
	size_t buf_size;	/* output buffer, written at multiples of it; 0: 1 MiB */
};

struct pfold_writer;

/*
 * pfold_writer_open - create PATH (mode 0600, truncated) and start a
 * perf.data file in file mode; PATH "-" writes to standard output in pipe
 * mode. OPTS may be NULL. *OUT is set only on success and is released by
 * pfold_writer_close() or pfold_writer_abort().
 * Returns 0 or -PFOLD_E_IO (detail names the file), -PFOLD_E_NOMEM.
 */
int pfold_writer_open(struct pfold_writer **out, const char *path,
		      const struct pfold_writer_opts *opts);

/*
 * pfold_writer_open_fd - start a perf.data file on FD, which stays owned by
 * the caller (the writer never closes it). Pipe mode when FD cannot seek or
 * opts->flags has PFOLD_WRITER_PIPE; file mode writes from FD's current
 * offset being 0 (it is truncated first). NAME names the output in messages.
 * Returns 0 or a negative PFOLD_E_ code; *OUT set only on success.
 */
int pfold_writer_open_fd(struct pfold_writer **out, int fd, const char *name,
			 const struct pfold_writer_opts *opts);

/* pfold_writer_is_pipe - 1 when W writes pipe mode, else 0. */
int pfold_writer_is_pipe(const struct pfold_writer *w);

/* pfold_writer_fd - the descriptor W writes to (W's or the caller's, as opened; W keeps it). */
int pfold_writer_fd(const struct pfold_writer *w);

/* pfold_writer_name - the output's name in messages ("(stdout)" for "-"); owned by W. */
const char *pfold_writer_name(const struct pfold_writer *w);

/*
 * pfold_writer_add_attr - add an event: ATTR (host order; ATTR->size may be
 * anything from 64 bytes up, the writer writes PFOLD_WRITER_ATTR_SIZE bytes),
 * its NR_IDS sample ids IDS, and its NAME (for EVENT_DESC; may be NULL). All
 * are copied. Only before the first record. Returns the attr's index (0, 1,
 * ...) or -PFOLD_E_INVAL (after the first record, or ATTR has non-zero bytes
 * past what the writer writes), -PFOLD_E_NOMEM.
 */
int pfold_writer_add_attr(struct pfold_writer *w, const struct perf_event_attr *attr,
			  const uint64_t *ids, size_t nr_ids, const char *name);

/*
 * pfold_writer_add_feature - the bytes of feature section FEAT (DATA, LEN
 * bytes in the file's byte order, copied), as the feature table's write
 * function produces them. Replaces an earlier one of the same FEAT. In pipe
 * mode, only before the first record. BUILD_ID and TRACING_DATA have their
 * own calls below.
 * Returns 0 or -PFOLD_E_INVAL, -PFOLD_E_NOMEM.
 */
int pfold_writer_add_feature(struct pfold_writer *w, unsigned feat,
			     const void *data, size_t len);

/*
 * pfold_writer_set_header_info - serialize every feature INFO has (its
 * feature bits, or every feature with data) through the feature table of
 * perf-file.h (pfold_feature_write()) and add it as pfold_writer_add_feature()
 * does; INFO's build ids and tracing data go through the calls below. INFO
 * stays the caller's. EVENT_DESC is built from the writer's attrs when INFO
 * has none. Returns 0 or -PFOLD_E_UNSUPPORTED (a PFOLD_WRITER_SWAP writer:
 * the table writes host order; give the bytes with pfold_writer_add_feature()),
 * -PFOLD_E_INVAL, -PFOLD_E_NOMEM.
 */
int pfold_writer_set_header_info(struct pfold_writer *w, const struct pfold_header_info *info);

/*
 * pfold_writer_host_info - fill INFO (initialised by the caller, released with
 * pfold_header_info_release()) with what perf record says about this host:
 * HOSTNAME, OSRELEASE, VERSION (pfold's), ARCH, NRCPUS, CPUDESC, CPUID,
 * TOTAL_MEM and CMDLINE (ARGC/ARGV, copied). Missing /proc files leave their
 * feature out. Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_writer_host_info(struct pfold_header_info *info, int argc, const char *const *argv);

/*
 * pfold_writer_set_tracing_data - the tracing data (the TRACING_DATA
 * feature's bytes, as perf's tracing_data_get() lays them out: "\027\010\104
 * tracing", version, formats...), copied. File mode: the TRACING_DATA
 * section; pipe mode: a HEADER_TRACING_DATA record before the first record.
 * Returns 0 or -PFOLD_E_INVAL (pipe mode after the first record), -PFOLD_E_NOMEM.
 */
int pfold_writer_set_tracing_data(struct pfold_writer *w, const void *data, size_t len);

/*
 * pfold_tracing_data_build - append to OUT the TRACING_DATA bytes for the
 * N tracepoints NAMES ("system:event"), laid out as perf's tracing_data_get()
 * does (version "0.6", host byte order and long size, page size, header_page,
 * header_event, no ftrace formats, each system's event formats; kallsyms,
 * printk formats and saved cmdlines empty, which perf accepts), read from
 * TRACEFS (NULL: /sys/kernel/tracing). Duplicates are written once. NAMES
 * and OUT stay the caller's. Returns 0 or -PFOLD_E_TRACEFS (tracefs not
 * there), -PFOLD_E_EVENT (no such tracepoint; detail names it),
 * -PFOLD_E_NOMEM.
 */
int pfold_tracing_data_build(struct pfold_buf *out, const char *tracefs,
			     const char *const *names, size_t n);

/*
 * pfold_writer_add_build_id - one object that has samples: its BUILD_ID
 * (SIZE bytes, at most 20), PID (-1 for the kernel/host, as perf writes
 * it), MISC (PERF_RECORD_MISC_KERNEL or _USER) and FILENAME (copied). Goes
 * into the BUILD_ID section (file mode) or a HEADER_BUILD_ID record written
 * at close (pipe mode). Returns 0 or -PFOLD_E_INVAL, -PFOLD_E_NOMEM.
 */
int pfold_writer_add_build_id(struct pfold_writer *w, int32_t pid, uint16_t misc,
			      const uint8_t *build_id, size_t size, const char *filename);

/*
 * pfold_writer_begin - write what comes before the records (file mode: the
 * ids and attrs; pipe mode: HEADER_ATTR, HEADER_FEATURE and
 * HEADER_TRACING_DATA records). The first pfold_writer_write() does it when
 * not called. Returns 0 or a negative PFOLD_E_ code (then W is failed).
 */
int pfold_writer_begin(struct pfold_writer *w);

/*
 * pfold_writer_write - append LEN bytes of whole records (kernel format, the
 * file's byte order) to the data section. DATA stays the caller's. No
 * per-record work: a buffered copy. After a failure every call returns the
 * same error. Returns 0 or -PFOLD_E_IO (detail: file, offset and errno
 * text, e.g. "No space left on device"), -PFOLD_E_INVAL (W already failed).
 */
int pfold_writer_write(struct pfold_writer *w, const void *data, size_t len);

/* pfold_writer_finished_init - append a FINISHED_INIT record (after the synthesized
 * COMM/MMAP of what already runs, as perf 6.x does). Returns as pfold_writer_write(). */
int pfold_writer_finished_init(struct pfold_writer *w);
/*
 * pfold_writer_finished_round - append a FINISHED_ROUND record; in pipe mode
 * the buffered round is written out at once. Returns as pfold_writer_write().
 */
int pfold_writer_finished_round(struct pfold_writer *w);

/* pfold_writer_data_size - bytes of records written so far (the data section). */
uint64_t pfold_writer_data_size(const struct pfold_writer *w);

/*
 * pfold_writer_close - finish and free W: flush the records; file mode: write
 * the feature index and sections after the data, then the final header (last,
 * so that the file claims to be complete only when it is); pipe mode:
 * HEADER_BUILD_ID records. Closes the file opened by pfold_writer_open()
 * (never a caller's fd). W is freed even on failure; a failed file keeps its
 * zero magic. Returns 0 or -PFOLD_E_IO (detail names the file and offset).
 */
int pfold_writer_close(struct pfold_writer *w);

/* pfold_writer_abort - free W without finishing the file (left unreadable); W may be NULL. */
void pfold_writer_abort(struct pfold_writer *w);

/*
 * Helpers for building feature bytes and records in either byte order
 * (SWAP non-zero: the other one). Each appends to B and returns 0 or
 * -PFOLD_E_NOMEM.
 */
struct pfold_buf;
int pfold_put_u16(struct pfold_buf *b, uint16_t v, int swap);
int pfold_put_u32(struct pfold_buf *b, uint32_t v, int swap);
int pfold_put_u64(struct pfold_buf *b, uint64_t v, int swap);
/* perf's do_write_string(): u32 length (NUL included, padded to 64), then the padded string. */
int pfold_put_perf_string(struct pfold_buf *b, const char *s, int swap);

/*
 * pfold_attr_to_file - ATTR laid out as PFOLD_WRITER_ATTR_SIZE bytes into OUT,
 * in host order or (SWAP) the other byte order, bitfields included, as a host
 * of the other byte order lays them out. Returns 0 or -PFOLD_E_INVAL (ATTR has
 * non-zero bytes past PFOLD_WRITER_ATTR_SIZE).
 */
int pfold_attr_to_file(uint8_t out[PFOLD_WRITER_ATTR_SIZE],
		       const struct perf_event_attr *attr, int swap);

#endif
