// SPDX-License-Identifier: MIT
/* export-json.c: a profile as pfold's JSON: events, frames with kinds, stacks with counter vectors. */
#include <stdlib.h>

#include "error.h"
#include "export.h"
#include "flame-svg.h"
#include "json.h"

static const char *const kind_names[] = { "user", "kernel", "jit", "inlined", "other" };

int pfold_export_json(const struct pfold_profile *p, struct pfold_buf *out)
{
	size_t ne = pfold_profile_nr_events(p), nf = pfold_profile_nr_frames(p);
	size_t ns = pfold_profile_nr_stacks(p), i, k, *order = NULL;
	struct pfold_json_writer w;
	struct pfold_buf clean = PFOLD_BUF_INIT;
	int ret;

	ret = pfold_profile_sorted(p, &order);
	if (ret)
		return ret;
	pfold_jw_init(&w, out);
	pfold_jw_begin_object(&w, NULL, 0);
	pfold_jw_string(&w, "format", "pfold-profile/1");
	pfold_jw_begin_array(&w, "events", 0);
	for (k = 0; k < ne; k++) {
		pfold_jw_begin_object(&w, NULL, 1);
		pfold_jw_string(&w, "name", pfold_profile_event_name(p, k));
		pfold_jw_number(&w, "total", (double)pfold_profile_total(p, k));
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_array(&w);
	pfold_jw_begin_array(&w, "frames", 0);
	for (i = 0; i < nf; i++) {
		enum pfold_frame_kind kind = pfold_profile_frame_kind(p, (uint32_t)i);

		pfold_jw_begin_object(&w, NULL, 1);
		pfold_buf_reset(&clean);
		if (pfold_utf8_clean(&clean, pfold_profile_frame_name(p, (uint32_t)i),
				     pfold_profile_frame_len(p, (uint32_t)i))) {
			ret = -PFOLD_E_NOMEM;
			goto out;
		}
		pfold_jw_string(&w, "name", clean.data);
		pfold_jw_string(&w, "kind", (unsigned)kind < 5 ? kind_names[kind] : "user");
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_array(&w);
	pfold_jw_begin_array(&w, "stacks", 0);
	for (i = 0; i < ns; i++) {
		struct pfold_stack s;

		if (pfold_profile_stack(p, order[i], &s))
			continue;
		pfold_jw_begin_object(&w, NULL, 1);
		pfold_jw_begin_array(&w, "frames", 1);
		for (k = 0; k < s.nframes; k++)
			pfold_jw_number(&w, NULL, s.frames[k]);
		pfold_jw_end_array(&w);
		pfold_jw_begin_array(&w, "counts", 1);
		for (k = 0; k < ne; k++)
			pfold_jw_number(&w, NULL, (double)s.counts[k]);
		pfold_jw_end_array(&w);
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_array(&w);
	pfold_jw_end_object(&w);
	ret = pfold_jw_finish(&w);
out:
	pfold_buf_release(&clean);
	free(order);
	return ret;
}
