/* SPDX-License-Identifier: MIT */
/* perf-records.h: on-disk layouts of perf.data records (kernel and perf's own), host order. */
#ifndef PFOLD_PERF_RECORDS_H
#define PFOLD_PERF_RECORDS_H

#include <stdint.h>
#include <linux/perf_event.h>

/*
 * The kernel record types (PERF_RECORD_MMAP = 1 ... PERF_RECORD_AUX_OUTPUT_HW_ID
 * = 21) come from <linux/perf_event.h>. Types from 64 on are perf's own
 * (tools/perf/util/event.h); they never come from the kernel.
 */
enum {
	PERF_RECORD_USER_TYPE_START = 64,
	PERF_RECORD_HEADER_ATTR = 64,
	PERF_RECORD_HEADER_EVENT_TYPE = 65,	/* deprecated */
	PERF_RECORD_HEADER_TRACING_DATA = 66,
	PERF_RECORD_HEADER_BUILD_ID = 67,
	PERF_RECORD_FINISHED_ROUND = 68,
	PERF_RECORD_ID_INDEX = 69,
	PERF_RECORD_AUXTRACE_INFO = 70,
	PERF_RECORD_AUXTRACE = 71,
	PERF_RECORD_AUXTRACE_ERROR = 72,
	PERF_RECORD_THREAD_MAP = 73,
	PERF_RECORD_CPU_MAP = 74,
	PERF_RECORD_STAT_CONFIG = 75,
	PERF_RECORD_STAT = 76,
	PERF_RECORD_STAT_ROUND = 77,
	PERF_RECORD_EVENT_UPDATE = 78,
	PERF_RECORD_TIME_CONV = 79,
	PERF_RECORD_HEADER_FEATURE = 80,
	PERF_RECORD_COMPRESSED = 81,
	PERF_RECORD_FINISHED_INIT = 82,
	PERF_RECORD_COMPRESSED2 = 83,
	PFOLD_RECORD_TYPE_MAX = 128,	/* types at or above count as unknown */
};

/* Kernel record types newer than some system headers. */
#define PFOLD_RECORD_KERNEL_MAX 22	/* one past PERF_RECORD_AUX_OUTPUT_HW_ID */

/* misc bits perf uses on top of the kernel's */
#define PFOLD_MISC_BUILD_ID_SIZE	(1 << 15)	/* HEADER_BUILD_ID: size field valid */
#ifndef PERF_RECORD_MISC_MMAP_BUILD_ID
#define PERF_RECORD_MISC_MMAP_BUILD_ID	(1 << 14)
#endif
#ifndef PERF_RECORD_MISC_SWITCH_OUT_PREEMPT
#define PERF_RECORD_MISC_SWITCH_OUT_PREEMPT (1 << 14)
#endif

/* Sample bits and read_format bits newer than some system headers. */
#ifndef PERF_SAMPLE_WEIGHT_STRUCT
#define PERF_SAMPLE_WEIGHT_STRUCT	(1ULL << 24)
#endif
#define PFOLD_SAMPLE_DATA_PAGE_SIZE	(1ULL << 22)
#define PFOLD_SAMPLE_CODE_PAGE_SIZE	(1ULL << 23)
#define PFOLD_SAMPLE_CGROUP		(1ULL << 21)
#define PFOLD_SAMPLE_AUX		(1ULL << 20)
#define PFOLD_FORMAT_LOST		(1ULL << 4)
#define PFOLD_BRANCH_HW_INDEX		(1ULL << 17)

/* the header every record starts with (struct perf_event_header) */
struct pfold_record_header {
	uint32_t type;
	uint16_t misc;
	uint16_t size;
};

/*
 * Kernel records. Each is the fixed part of the record; the sample_id
 * trailer (when attr.sample_id_all) follows the variable part and is decoded
 * by the reader into struct pfold_sample.
 */
struct pfold_rec_mmap {			/* PERF_RECORD_MMAP */
	struct pfold_record_header header;
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
	char filename[];
};

struct pfold_rec_mmap2 {		/* PERF_RECORD_MMAP2 */
	struct pfold_record_header header;
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
	union {
		struct {
			uint32_t maj, min;
			uint64_t ino, ino_generation;
		};
		struct {			/* misc & PERF_RECORD_MISC_MMAP_BUILD_ID */
			uint8_t build_id_size;
			uint8_t reserved1;
			uint16_t reserved2;
			uint8_t build_id[20];
		};
	};
	uint32_t prot, flags;
	char filename[];
};

struct pfold_rec_comm {			/* PERF_RECORD_COMM (misc & PERF_RECORD_MISC_COMM_EXEC) */
	struct pfold_record_header header;
	uint32_t pid, tid;
	char comm[];
};

struct pfold_rec_fork {			/* PERF_RECORD_FORK, PERF_RECORD_EXIT */
	struct pfold_record_header header;
	uint32_t pid, ppid, tid, ptid;
	uint64_t time;
};

struct pfold_rec_lost {			/* PERF_RECORD_LOST */
	struct pfold_record_header header;
	uint64_t id, lost;
};

struct pfold_rec_throttle {		/* PERF_RECORD_THROTTLE, PERF_RECORD_UNTHROTTLE */
	struct pfold_record_header header;
	uint64_t time, id, stream_id;
};

struct pfold_rec_read {			/* PERF_RECORD_READ: read_format values follow */
	struct pfold_record_header header;
	uint32_t pid, tid;
	uint64_t values[];
};

struct pfold_rec_aux {			/* PERF_RECORD_AUX */
	struct pfold_record_header header;
	uint64_t aux_offset, aux_size, flags;
};

struct pfold_rec_itrace_start {		/* PERF_RECORD_ITRACE_START */
	struct pfold_record_header header;
	uint32_t pid, tid;
};

struct pfold_rec_lost_samples {		/* PERF_RECORD_LOST_SAMPLES */
	struct pfold_record_header header;
	uint64_t lost;
};

struct pfold_rec_switch {		/* PERF_RECORD_SWITCH(_CPU_WIDE) (misc & PERF_RECORD_MISC_SWITCH_OUT) */
	struct pfold_record_header header;
	uint32_t next_prev_pid, next_prev_tid;	/* SWITCH_CPU_WIDE only */
};

struct pfold_rec_namespaces {		/* PERF_RECORD_NAMESPACES */
	struct pfold_record_header header;
	uint32_t pid, tid;
	uint64_t nr_namespaces;
	struct { uint64_t dev, ino; } link_info[];
};

struct pfold_rec_ksymbol {		/* PERF_RECORD_KSYMBOL */
	struct pfold_record_header header;
	uint64_t addr;
	uint32_t len;
	uint16_t ksym_type, flags;
	char name[];
};

struct pfold_rec_bpf_event {		/* PERF_RECORD_BPF_EVENT */
	struct pfold_record_header header;
	uint16_t type, flags;
	uint32_t id;
	uint8_t tag[8];
};

struct pfold_rec_cgroup {		/* PERF_RECORD_CGROUP */
	struct pfold_record_header header;
	uint64_t id;
	char path[];
};

struct pfold_rec_text_poke {		/* PERF_RECORD_TEXT_POKE */
	struct pfold_record_header header;
	uint64_t addr;
	uint16_t old_len, new_len;
	uint8_t bytes[];
};

struct pfold_rec_aux_output_hw_id {	/* PERF_RECORD_AUX_OUTPUT_HW_ID */
	struct pfold_record_header header;
	uint64_t hw_id;
};

/* perf's own records */

struct pfold_rec_header_attr {		/* PERF_RECORD_HEADER_ATTR: attr (attr.size bytes), then u64 ids to the end */
	struct pfold_record_header header;
	uint8_t attr[];
};

struct pfold_rec_event_type {		/* PERF_RECORD_HEADER_EVENT_TYPE */
	struct pfold_record_header header;
	uint64_t event_id;
	char name[64];
};

struct pfold_rec_tracing_data {		/* PERF_RECORD_HEADER_TRACING_DATA: size bytes of data follow the record */
	struct pfold_record_header header;
	uint32_t size;
	uint32_t pad;
};

struct pfold_rec_build_id {		/* PERF_RECORD_HEADER_BUILD_ID (also the BUILD_ID feature's entries) */
	struct pfold_record_header header;
	int32_t pid;
	union {
		uint8_t build_id[24];
		struct {
			uint8_t data[20];
			uint8_t size;		/* valid when misc & PFOLD_MISC_BUILD_ID_SIZE */
			uint8_t reserved1;
			uint16_t reserved2;
		};
	};
	char filename[];
};

struct pfold_id_index_entry {
	uint64_t id, idx, cpu, tid;
};

struct pfold_rec_id_index {		/* PERF_RECORD_ID_INDEX */
	struct pfold_record_header header;
	uint64_t nr;
	struct pfold_id_index_entry entries[];
};

struct pfold_rec_auxtrace_info {	/* PERF_RECORD_AUXTRACE_INFO */
	struct pfold_record_header header;
	uint32_t type, reserved;
	uint64_t priv[];
};

struct pfold_rec_auxtrace {		/* PERF_RECORD_AUXTRACE: size bytes of payload follow the record */
	struct pfold_record_header header;
	uint64_t size, offset, reference;
	uint32_t idx, tid, cpu, reserved;
};

struct pfold_rec_auxtrace_error {	/* PERF_RECORD_AUXTRACE_ERROR */
	struct pfold_record_header header;
	uint32_t type, code, cpu, pid, tid, fmt;
	uint64_t ip;
	char msg[64];	/* then (fmt >= 2) u64 time, u32 machine_pid, u32 vcpu */
};

struct pfold_rec_thread_map {		/* PERF_RECORD_THREAD_MAP */
	struct pfold_record_header header;
	uint64_t nr;
	struct { uint64_t pid; char comm[16]; } entries[];
};

struct pfold_rec_cpu_map {		/* PERF_RECORD_CPU_MAP: u16 type, then a type-specific payload */
	struct pfold_record_header header;
	uint16_t type;
	uint8_t data[];
};

struct pfold_rec_stat_config {		/* PERF_RECORD_STAT_CONFIG */
	struct pfold_record_header header;
	uint64_t nr;
	struct { uint64_t tag, val; } data[];
};

struct pfold_rec_stat {			/* PERF_RECORD_STAT */
	struct pfold_record_header header;
	uint64_t id;
	uint32_t cpu, thread;
	uint64_t val, ena, run;
};

struct pfold_rec_stat_round {		/* PERF_RECORD_STAT_ROUND */
	struct pfold_record_header header;
	uint64_t type, time;
};

struct pfold_rec_event_update {		/* PERF_RECORD_EVENT_UPDATE */
	struct pfold_record_header header;
	uint64_t type, id;
	uint8_t data[];
};

struct pfold_rec_time_conv {		/* PERF_RECORD_TIME_CONV (the last three fields only when size allows) */
	struct pfold_record_header header;
	uint64_t time_shift, time_mult, time_zero;
	uint64_t time_cycles, time_mask;
	uint8_t cap_user_time_zero, cap_user_time_short, reserved[6];
};

struct pfold_rec_feature {		/* PERF_RECORD_HEADER_FEATURE: the feature's section follows */
	struct pfold_record_header header;
	uint64_t feat_id;
	uint8_t data[];
};

struct pfold_rec_compressed {		/* PERF_RECORD_COMPRESSED: zstd frame data to the end of the record */
	struct pfold_record_header header;
	uint8_t data[];
};

struct pfold_rec_compressed2 {		/* PERF_RECORD_COMPRESSED2: data_size bytes of zstd data, padded to 8 */
	struct pfold_record_header header;
	uint64_t data_size;
	uint8_t data[];
};

/* byte-order helpers */
static inline uint16_t pfold_bswap16(uint16_t v) { return __builtin_bswap16(v); }
static inline uint32_t pfold_bswap32(uint32_t v) { return __builtin_bswap32(v); }
static inline uint64_t pfold_bswap64(uint64_t v) { return __builtin_bswap64(v); }

/* A branch-stack entry (struct perf_branch_entry); flags as one u64. */
struct pfold_branch_entry {
	uint64_t from, to, flags;
};

/* fields of pfold_branch_entry.flags (little-endian bitfield order) */
#define PFOLD_BRANCH_MISPRED(f)	((f) & 1)
#define PFOLD_BRANCH_PREDICTED(f)	(((f) >> 1) & 1)
#define PFOLD_BRANCH_IN_TX(f)	(((f) >> 2) & 1)
#define PFOLD_BRANCH_ABORT(f)	(((f) >> 3) & 1)
#define PFOLD_BRANCH_CYCLES(f)	(((f) >> 4) & 0xffff)
#define PFOLD_BRANCH_TYPE(f)	(((f) >> 20) & 0xf)

#endif
