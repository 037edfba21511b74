/* SPDX-License-Identifier: MIT */
/* export.h: a profile as pprof (profile.proto, gzip), speedscope or pfold JSON. */
#ifndef PFOLD_EXPORT_H
#define PFOLD_EXPORT_H

#include "buf.h"
#include "profile.h"

/*
 * pfold_export_pprof - append P as a gzip'd profile.proto message to OUT:
 * one sample type per event (DEFAULT_EVENT is the default sample type), one
 * sample per stack with one value per event, one function and one location
 * per frame (leaf first in each sample), one mapping. Counts above INT64_MAX
 * are clamped. P is borrowed. Returns 0 or -PFOLD_E_NOMEM / -PFOLD_E_ZLIB.
 */
int pfold_export_pprof(const struct pfold_profile *p, int default_event,
		       struct pfold_buf *out);

/*
 * pfold_export_speedscope - append P as a speedscope file (its
 * file-format-schema.json) to OUT: shared frames and one sampled profile per
 * process or thread and event. Stacks whose roots all look like
 * stackcollapse-perf.pl's "comm-PID" or "comm-PID/TID" are grouped by that
 * root; otherwise there is one group named NAME. Returns 0 or a negative code.
 */
int pfold_export_speedscope(const struct pfold_profile *p, const char *name,
			    struct pfold_buf *out);

/*
 * pfold_export_json - append P as pfold's JSON ("format": "pfold-profile/1":
 * events with totals, frames with kinds, stacks as root-first frame indices
 * with one count per event) to OUT. Returns 0 or a negative code.
 */
int pfold_export_json(const struct pfold_profile *p, struct pfold_buf *out);

#endif
