/* SPDX-License-Identifier: MIT */
/* perf-file.h: the perf.data file header and its feature sections (one table: read, write, print). */
#ifndef PFOLD_PERF_FILE_H
#define PFOLD_PERF_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/perf_event.h>

#include "buf.h"
#include "perf-records.h"

#define PFOLD_PERF_MAGIC2	0x32454c4946524550ULL	/* "PERFILE2" as a little-endian u64 */
#define PFOLD_PERF_MAGIC2_SW	0x50455246494c4532ULL	/* the same, other byte order */
#define PFOLD_PERF_MAGIC1	0x454c494646524550ULL	/* v1 "PERFFILE" as a little-endian u64 */

struct pfold_file_section {
	uint64_t offset, size;
};

/* struct perf_file_header: 104 bytes at offset 0 of a perf.data file */
struct pfold_file_header {
	uint64_t magic;
	uint64_t size;			/* sizeof(struct pfold_file_header) */
	uint64_t attr_size;		/* attr.size + sizeof(struct pfold_file_section) */
	struct pfold_file_section attrs;
	struct pfold_file_section data;
	struct pfold_file_section event_types;	/* unused since perf 3.x */
	uint64_t adds_features[4];	/* bitmap of HEADER_* features */
};

/* struct perf_pipe_file_header: 16 bytes at the start of a pipe-mode stream */
struct pfold_pipe_header {
	uint64_t magic;
	uint64_t size;			/* 16 */
};

/* Feature ids (tools/perf/util/header.h). */
enum pfold_feature {
	HEADER_RESERVED = 0,
	HEADER_TRACING_DATA = 1,
	HEADER_BUILD_ID,
	HEADER_HOSTNAME,
	HEADER_OSRELEASE,
	HEADER_VERSION,
	HEADER_ARCH,
	HEADER_NRCPUS,
	HEADER_CPUDESC,
	HEADER_CPUID,
	HEADER_TOTAL_MEM,
	HEADER_CMDLINE,
	HEADER_EVENT_DESC,
	HEADER_CPU_TOPOLOGY,
	HEADER_NUMA_TOPOLOGY,
	HEADER_BRANCH_STACK,
	HEADER_PMU_MAPPINGS,
	HEADER_GROUP_DESC,
	HEADER_AUXTRACE,
	HEADER_STAT,
	HEADER_CACHE,
	HEADER_SAMPLE_TIME,
	HEADER_MEM_TOPOLOGY,
	HEADER_CLOCKID,
	HEADER_DIR_FORMAT,
	HEADER_BPF_PROG_INFO,
	HEADER_BPF_BTF,
	HEADER_COMPRESSED,
	HEADER_CPU_PMU_CAPS,
	HEADER_CLOCK_DATA,
	HEADER_HYBRID_TOPOLOGY,
	HEADER_PMU_CAPS,
	HEADER_LAST_FEATURE,
	HEADER_FEAT_BITS = 256,
};

/* one entry of the BUILD_ID feature (or a HEADER_BUILD_ID record) */
struct pfold_build_id {
	int32_t pid;
	uint16_t misc;			/* cpumode bits (PERF_RECORD_MISC_KERNEL, ...) */
	uint8_t size;			/* bytes of id used (20 when the file does not say) */
	uint8_t id[20];
	char *filename;			/* owned */
};

/* one event of EVENT_DESC */
struct pfold_event_desc {
	struct perf_event_attr attr;	/* host order, zero past the file's attr.size */
	char *name;			/* owned */
	uint32_t nr_ids;
	uint64_t *ids;			/* owned */
};

struct pfold_numa_node {
	uint32_t node;
	uint64_t mem_total, mem_free;	/* kB */
	char *cpus;			/* owned, e.g. "0-7" */
};

struct pfold_pmu_mapping {
	uint32_t type;
	char *name;			/* owned */
};

struct pfold_group_desc {
	char *name;			/* owned, may be "{anon_group}" */
	uint32_t leader_idx, nr_members;
};

struct pfold_hybrid_node {
	char *pmu_name;			/* owned */
	char *cpus;			/* owned */
};

struct pfold_cpu_topo {
	uint32_t core_id, socket_id, die_id;	/* die_id valid when has_die */
};

/* tracepoint id -> "system:name", from TRACING_DATA */
struct pfold_tracepoint {
	uint64_t id;
	char *name;			/* owned */
};

/*
 * struct pfold_header_info - every decoded feature of a perf.data file.
 * Strings and arrays are owned by the struct (malloc'd) and freed by
 * pfold_header_info_release(). The writer fills one by hand (strdup'd
 * strings) and serializes it with pfold_feature_write().
 */
struct pfold_header_info {
	uint64_t features[HEADER_FEAT_BITS / 64];	/* bit N set: feature N present */

	char *hostname, *osrelease, *version, *arch, *cpudesc, *cpuid;
	uint32_t nr_cpus_avail, nr_cpus_online;		/* NRCPUS */
	uint64_t total_mem;				/* TOTAL_MEM, kB */

	size_t nr_cmdline;
	char **cmdline;

	size_t nr_event_desc;
	struct pfold_event_desc *event_desc;

	size_t nr_build_ids;
	struct pfold_build_id *build_ids;

	/* CPU_TOPOLOGY */
	size_t nr_sibling_cores, nr_sibling_threads, nr_sibling_dies;
	char **sibling_cores, **sibling_threads, **sibling_dies;
	size_t nr_cpu_topo;
	struct pfold_cpu_topo *cpu_topo;
	int topo_has_ids, topo_has_die;

	size_t nr_numa_nodes;
	struct pfold_numa_node *numa_nodes;

	size_t nr_pmu_mappings;
	struct pfold_pmu_mapping *pmu_mappings;

	size_t nr_groups;
	struct pfold_group_desc *groups;

	uint64_t clockid_res_ns;			/* CLOCKID */

	struct {					/* COMPRESSED */
		uint32_t version, type, level, ratio, mmap_len;
	} comp;

	size_t nr_hybrid;
	struct pfold_hybrid_node *hybrid;

	uint64_t sample_time_first, sample_time_last;	/* SAMPLE_TIME */

	/* TRACING_DATA: the raw blob and the tracepoints it names */
	void *tracing_data;
	size_t tracing_data_size;
	size_t nr_tracepoints;
	struct pfold_tracepoint *tracepoints;
};

/* pfold_header_info_init - empty INFO (all zero). */
void pfold_header_info_init(struct pfold_header_info *info);
/* pfold_header_info_release - free everything INFO owns and empty it. */
void pfold_header_info_release(struct pfold_header_info *info);

static inline int pfold_header_has(const struct pfold_header_info *info, unsigned feat)
{
	return feat < HEADER_FEAT_BITS && ((info->features[feat / 64] >> (feat % 64)) & 1);
}

static inline void pfold_header_set(struct pfold_header_info *info, unsigned feat)
{
	if (feat < HEADER_FEAT_BITS)
		info->features[feat / 64] |= 1ULL << (feat % 64);
}

/* pfold_feature_name - "hostname", "build_id", ...; "unknown" for ids outside the table. */
const char *pfold_feature_name(unsigned feat);

/*
 * pfold_feature_read - decode the section of feature FEAT (DATA, SIZE bytes,
 * in the file's byte order: SWAP set when it differs from the host's) into
 * INFO and set its bit. DATA stays the caller's. WHAT and OFFSET name the
 * file and the section's file offset for error messages. Unknown features
 * are ignored (bit set, nothing decoded). Returns 0, or -PFOLD_E_BAD_FEATURE
 * / -PFOLD_E_NOMEM with a pfold_error() detail.
 */
int pfold_feature_read(struct pfold_header_info *info, unsigned feat,
		       const void *data, size_t size, int swap,
		       const char *what, uint64_t offset);

/*
 * pfold_feature_write - append the section of feature FEAT, serialized from
 * INFO in host byte order exactly as perf writes it, to OUT. Returns 1 when
 * something was written, 0 when INFO has nothing for FEAT or pfold cannot
 * write that feature (the caller leaves its bit clear), or -PFOLD_E_NOMEM.
 */
int pfold_feature_write(struct pfold_buf *out, unsigned feat,
			const struct pfold_header_info *info);

/* pfold_feature_can_write - 1 if pfold_feature_write() knows FEAT. */
int pfold_feature_can_write(unsigned feat);

/*
 * pfold_feature_print - append a text form of feature FEAT of INFO to OUT,
 * one "# name: value" line per item (the form of perf report --header-only).
 * Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_feature_print(struct pfold_buf *out, unsigned feat,
			const struct pfold_header_info *info);

/*
 * pfold_tracing_data_parse - find the tracepoints (id, "system:name") in a
 * TRACING_DATA blob and add them to INFO->tracepoints. Returns 0 or
 * -PFOLD_E_BAD_FEATURE / -PFOLD_E_NOMEM.
 */
int pfold_tracing_data_parse(struct pfold_header_info *info, const void *data,
			     size_t size, const char *what, uint64_t offset);

/*
 * pfold_attr_from_file - copy a perf_event_attr of FILE_SIZE bytes at SRC
 * (file byte order; SWAP when other) into *ATTR in host order: zero past
 * FILE_SIZE, trailing fields pfold does not know ignored, attr->size set to
 * FILE_SIZE. Returns 0.
 */
int pfold_attr_from_file(struct perf_event_attr *attr, const void *src,
			 size_t file_size, int swap);

#endif
