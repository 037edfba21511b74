/* SPDX-License-Identifier: MIT */
/* reader.h: the perf.data record stream: file/pipe mode, byte order, zstd, attrs by id, time order. */
#ifndef PFOLD_READER_H
#define PFOLD_READER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

#include "perf-file.h"
#include "perf-records.h"
#include "sample.h"

struct pfold_reader;

struct pfold_reader_options {
	int unordered;			/* 1: deliver in file order (default: time order as perf does) */
	uint64_t max_decompressed;	/* cap on bytes one COMPRESSED record may inflate to; 0: 64 MiB */
	uint64_t max_queue_bytes;	/* ordering queue memory before a forced half flush; 0: 64 MiB */
};

/*
 * struct pfold_attr - one event of the file: its attr, ids and name. Owned
 * by the reader, valid until pfold_reader_close().
 */
struct pfold_attr {
	unsigned idx;			/* position in the file (0-based) */
	struct perf_event_attr attr;	/* host order; zero past file_attr_size */
	uint32_t file_attr_size;	/* attr.size as the file has it */
	size_t nr_ids;
	uint64_t *ids;
	const char *name;		/* EVENT_DESC name, else derived ("cycles", "sched:sched_switch", "raw 0x...") */
	struct pfold_sample_layout layout;
};

/*
 * struct pfold_event - one record. Everything it points to belongs to the
 * reader and is valid until the next pfold_reader_next() or _close().
 */
struct pfold_event {
	uint32_t type;			/* PERF_RECORD_* */
	uint16_t misc;
	uint16_t size;			/* of the record, header included */
	uint64_t offset;		/* file (or stream) offset of the record; for a record
					   that came out of COMPRESSED(2): the offset of the
					   compressed record that completed it */
	int compressed;			/* 1: came out of a COMPRESSED(2) record */
	const void *data;		/* the record, header included, size bytes, host order
					   (payloads such as raw data and stacks are not swapped) */
	const struct pfold_attr *attr;	/* the event it belongs to; NULL for perf's own records
					   or a sample whose id matches no attr */
	struct pfold_sample sample;	/* SAMPLE: decoded; other kernel records: the
					   sample_id trailer (sample.type says which fields) */
	const void *payload;		/* AUXTRACE/TRACING_DATA: data that follows the record */
	uint64_t payload_size;
};

/* Statistics of everything read so far. */
struct pfold_reader_stats {
	uint64_t nr[PFOLD_RECORD_TYPE_MAX];	/* records per type (incl. those from COMPRESSED) */
	uint64_t nr_unknown;			/* records of unknown type, skipped */
	uint64_t nr_unknown_id;			/* samples whose id matches no attr */
	uint64_t total_lost;			/* sum of PERF_RECORD_LOST.lost */
	uint64_t total_lost_samples;		/* sum of PERF_RECORD_LOST_SAMPLES.lost */
	uint64_t nr_unordered;			/* records that came after their round was flushed */
	int in_file_order;			/* at the end: the timed records came in time order
						   (the order queue changed nothing) */
	uint64_t decompressed_bytes;
};

/*
 * pfold_reader_open - open PATH ("-": stdin) as a perf.data file or pipe
 * stream (auto-detected from the magic, either byte order). File mode reads
 * the header, attrs and feature sections now; pipe mode gets them from the
 * stream as it goes. OPTS may be NULL (defaults). On success *OUT is a reader
 * the caller owns (pfold_reader_close()). Returns 0 or a negative
 * PFOLD_E_* code with a pfold_error() detail "PATH: what at offset N".
 */
int pfold_reader_open(struct pfold_reader **out, const char *path,
		      const struct pfold_reader_options *opts);

/*
 * pfold_reader_open_fd - as pfold_reader_open() on FD (not closed by the
 * reader); NAME is used in messages.
 */
int pfold_reader_open_fd(struct pfold_reader **out, int fd, const char *name,
			 const struct pfold_reader_options *opts);

/*
 * pfold_reader_next - the next record, in time order unless opts.unordered.
 * *EV points to reader-owned storage valid until the next call. Returns 1 (a
 * record), 0 (end of data) or a negative PFOLD_E_* code with a pfold_error()
 * detail "PATH: what at offset N"; after an error the reader only closes.
 */
int pfold_reader_next(struct pfold_reader *r, const struct pfold_event **ev);

/* pfold_reader_close - free R and everything it handed out. R may be NULL. */
void pfold_reader_close(struct pfold_reader *r);

/* Read-only views; all reader-owned. */
const char *pfold_reader_path(const struct pfold_reader *r);
int pfold_reader_is_pipe(const struct pfold_reader *r);
int pfold_reader_needs_swap(const struct pfold_reader *r);
/* the file header (file mode; zeroed in pipe mode), host order */
const struct pfold_file_header *pfold_reader_file_header(const struct pfold_reader *r);
/* decoded features; in pipe mode it fills as HEADER_FEATURE records pass */
const struct pfold_header_info *pfold_reader_header(const struct pfold_reader *r);
size_t pfold_reader_nr_attrs(const struct pfold_reader *r);
const struct pfold_attr *pfold_reader_attr(const struct pfold_reader *r, size_t idx);
/* the attr that sample id ID belongs to, or NULL */
const struct pfold_attr *pfold_reader_attr_by_id(const struct pfold_reader *r, uint64_t id);
const struct pfold_reader_stats *pfold_reader_stats(const struct pfold_reader *r);

/* pfold_record_name - "MMAP", "SAMPLE", "FINISHED_ROUND" (perf's names); "UNKNOWN" otherwise. */
const char *pfold_record_name(uint32_t type);

/*
 * pfold_attr_default_name - the name perf gives ATTR without EVENT_DESC
 * ("cycles", "cpu-clock", "raw 0x1234", ...), written into BUF (LEN bytes).
 * INFO may be NULL; with TRACING_DATA it names tracepoints "sys:name".
 * Returns BUF.
 */
const char *pfold_attr_default_name(char *buf, size_t len, const struct perf_event_attr *attr,
				    const struct pfold_header_info *info);

#endif
