/* SPDX-License-Identifier: MIT */
/* sample.h: decoding PERF_RECORD_SAMPLE by sample_type, and the sample_id trailer of other records. */
#ifndef PFOLD_SAMPLE_H
#define PFOLD_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

#include "perf-records.h"

/* one counter of a PERF_SAMPLE_READ (or PERF_RECORD_READ) value set */
struct pfold_read_value {
	uint64_t value;
	uint64_t id;		/* when read_format & PERF_FORMAT_ID */
	uint64_t lost;		/* when read_format & PERF_FORMAT_LOST */
};

struct pfold_sample_read {
	uint64_t time_enabled;	/* when PERF_FORMAT_TOTAL_TIME_ENABLED */
	uint64_t time_running;	/* when PERF_FORMAT_TOTAL_TIME_RUNNING */
	uint64_t nr;		/* 1 without PERF_FORMAT_GROUP */
	const struct pfold_read_value *values;	/* nr entries */
	int group;		/* read_format & PERF_FORMAT_GROUP */
};

struct pfold_sample_regs {
	uint64_t abi;		/* PERF_SAMPLE_REGS_ABI_*; 0: none, regs absent */
	uint64_t mask;		/* attr.sample_regs_user / _intr */
	uint32_t nr;		/* popcount(mask) when abi != 0 */
	const uint64_t *regs;	/* nr values, lowest mask bit first */
};

/*
 * struct pfold_sample - a decoded sample (or the sample_id trailer of another
 * record: then only IDENTIFIER/TID/TIME/ID/STREAM_ID/CPU can be set).
 * `type` holds the sample_type bits actually decoded; a field is valid only
 * when its bit is in type. Pointers point into the record (host order) and
 * are valid as long as the record is (for the reader: until the next call).
 */
struct pfold_sample {
	uint64_t type;
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint64_t addr;
	uint64_t id;
	uint64_t stream_id;
	uint32_t cpu, cpu_res;
	uint64_t period;
	struct pfold_sample_read read;

	uint64_t callchain_nr;		/* entries incl. PERF_CONTEXT_* markers */
	const uint64_t *callchain;

	uint32_t raw_size;
	const void *raw;		/* raw_size bytes, not byte-swapped */

	uint64_t branch_nr;
	uint64_t branch_hw_idx;		/* when attr.branch_sample_type & HW_INDEX */
	int branch_has_hw_idx;
	const struct pfold_branch_entry *branches;

	struct pfold_sample_regs user_regs, intr_regs;

	uint64_t user_stack_size;	/* bytes copied (the size field) */
	const void *user_stack;		/* user_stack_size bytes (not swapped) */
	uint64_t user_stack_dyn_size;	/* bytes valid; 0 when size is 0 */

	uint64_t weight;		/* PERF_SAMPLE_WEIGHT, or the whole WEIGHT_STRUCT u64 */
	uint32_t weight_var1;		/* WEIGHT_STRUCT parts */
	uint16_t weight_var2, weight_var3;
	uint64_t data_src;
	uint64_t transaction;
	uint64_t phys_addr;
	uint64_t cgroup;
	uint64_t data_page_size;
	uint64_t code_page_size;

	uint64_t aux_size;
	const void *aux;		/* aux_size bytes (not swapped) */
};

/* Per-attr decoding parameters, computed once by pfold_sample_layout_init(). */
struct pfold_sample_layout {
	uint64_t sample_type;
	uint64_t read_format;
	uint64_t branch_sample_type;
	uint64_t regs_user_mask, regs_intr_mask;
	int sample_id_all;
	int id_pos;		/* u64 index of the id in a SAMPLE, from the start; -1 none */
	int is_pos;		/* u64 index of the id in a trailer, from the end; -1 none */
	int trailer_size;	/* bytes of the sample_id trailer */
};

/* pfold_sample_layout_init - derive LAYOUT from ATTR (host order). */
void pfold_sample_layout_init(struct pfold_sample_layout *layout,
			      const struct perf_event_attr *attr);

/*
 * pfold_sample_parse - decode the PERF_RECORD_SAMPLE body DATA (the record
 * after its 8-byte header, SIZE bytes) by LAYOUT into *S. When SWAP, the
 * u64/u32 fields of DATA are byte-swapped IN PLACE first (arrays included;
 * raw, user stack and aux payloads are left as they are), so DATA must be
 * writable then, and must not be swapped twice. READ_BUF/READ_ALLOC: a
 * caller-owned array of read values, grown with pfold_grow() as needed
 * (no allocation in the common case). Returns 0, -PFOLD_E_BAD_SAMPLE (field
 * past the end; detail left for the caller to add the offset) or
 * -PFOLD_E_NOMEM.
 */
int pfold_sample_parse(struct pfold_sample *s, const struct pfold_sample_layout *layout,
		       void *data, size_t size, int swap,
		       struct pfold_read_value **read_buf, size_t *read_alloc);

/*
 * pfold_sample_id_parse - decode the sample_id trailer at the end of a
 * non-sample record body (DATA, SIZE bytes: everything after the header)
 * into *S (s->type: the bits found). Swapping as for pfold_sample_parse
 * (only the trailer is swapped). Returns 0 or -PFOLD_E_BAD_SAMPLE.
 */
int pfold_sample_id_parse(struct pfold_sample *s, const struct pfold_sample_layout *layout,
			  void *data, size_t size, int swap);

/*
 * pfold_sample_peek_id - the sample id of a SAMPLE (KIND 0) or the trailer
 * of another record (KIND 1) without decoding the rest; DATA in file byte
 * order. Returns 1 and sets *ID, or 0 when the layout has no id or the record
 * is too short.
 */
int pfold_sample_peek_id(const struct pfold_sample_layout *layout, int kind,
			 const void *data, size_t size, int swap, uint64_t *id);

/*
 * pfold_sample_peek_time - the time of a SAMPLE body (KIND 0) or of another
 * record's trailer (KIND 1), DATA in file byte order and left unchanged.
 * Returns 1 and sets *TIME, or 0 when the layout has none.
 */
int pfold_sample_peek_time(const struct pfold_sample_layout *layout, int kind,
			   const void *data, size_t size, int swap, uint64_t *time);

/*
 * pfold_read_values_parse - decode a read_format value set at DATA (SIZE
 * bytes, already host order) into *R. Returns bytes consumed or
 * -PFOLD_E_BAD_SAMPLE / -PFOLD_E_NOMEM.
 */
int pfold_read_values_parse(struct pfold_sample_read *r, uint64_t read_format,
			    const uint64_t *data, size_t size,
			    struct pfold_read_value **read_buf, size_t *read_alloc);

#endif
