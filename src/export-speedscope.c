// SPDX-License-Identifier: MIT
/* export-speedscope.c: a profile in speedscope's file format: one sampled profile per thread and event. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "export.h"
#include "flame-svg.h"
#include "json.h"
#include "pfold.h"

/* "comm-PID" or "comm-PID/TID", as stackcollapse-perf.pl --pid/--tid write roots. */
static int looks_like_task(const char *s)
{
	const char *dash = strrchr(s, '-'), *q;
	int slash = 0;

	if (!dash || dash == s || !dash[1])
		return 0;
	for (q = dash + 1; *q; q++) {
		if (*q == '/' && !slash && q > dash + 1 && q[1]) {
			slash = 1;
			continue;
		}
		if (!isdigit((unsigned char)*q))
			return 0;
	}
	return 1;
}

static const char *unit_of(const char *event)
{
	if (!strncmp(event, "cpu-clock", 9) || !strncmp(event, "task-clock", 10))
		return "nanoseconds";
	return "none";
}

int pfold_export_speedscope(const struct pfold_profile *p, const char *name,
			    struct pfold_buf *out)
{
	size_t ne = pfold_profile_nr_events(p), nf = pfold_profile_nr_frames(p);
	size_t ns = pfold_profile_nr_stacks(p), i, j, k, g, ngroups = 0;
	uint32_t *group_root = NULL;	/* frame id of each group's root, or UINT32_MAX */
	size_t *order = NULL;
	struct pfold_json_writer w;
	struct pfold_buf clean = PFOLD_BUF_INIT;
	int by_task = ns > 0, by_root = ns > 0, ret;

	ret = pfold_profile_sorted(p, &order);
	if (ret)
		return ret;
	for (i = 0; i < ns && by_task; i++) {
		struct pfold_stack s;

		if (pfold_profile_stack(p, i, &s) || !s.nframes) {
			by_task = by_root = 0;
			break;
		}
		if (!looks_like_task(pfold_profile_frame_name(p, s.frames[0])))
			by_task = 0;
		if (pfold_profile_frame_kind(p, s.frames[0]) != PFOLD_FRAME_OTHER)
			by_root = 0;	/* not a comm/pid/tid root made by the fold pipeline */
	}
	by_task |= by_root;
	group_root = malloc((nf + 1) * sizeof(*group_root));
	if (!group_root) {
		ret = -PFOLD_E_NOMEM;
		goto out;
	}
	if (by_task) {
		/* groups in sorted order of their root */
		for (i = 0; i < ns; i++) {
			struct pfold_stack s;

			pfold_profile_stack(p, order[i], &s);
			if (!ngroups || group_root[ngroups - 1] != s.frames[0])
				group_root[ngroups++] = s.frames[0];
		}
	} else {
		group_root[ngroups++] = UINT32_MAX;
	}

	pfold_jw_init(&w, out);
	pfold_jw_begin_object(&w, NULL, 0);
	pfold_jw_string(&w, "$schema", "https://www.speedscope.app/file-format-schema.json");
	pfold_jw_string(&w, "name", name);
	pfold_jw_string(&w, "exporter", "pfold");
	pfold_jw_number(&w, "activeProfileIndex", 0);
	pfold_jw_begin_object(&w, "shared", 0);
	pfold_jw_begin_array(&w, "frames", 0);
	for (i = 0; i < nf; i++) {
		pfold_jw_begin_object(&w, NULL, 1);
		pfold_buf_reset(&clean);
		if (pfold_utf8_clean(&clean, pfold_profile_frame_name(p, (uint32_t)i),
				     pfold_profile_frame_len(p, (uint32_t)i))) {
			ret = -PFOLD_E_NOMEM;
			goto out;
		}
		pfold_jw_string(&w, "name", clean.data);
		pfold_jw_end_object(&w);
	}
	pfold_jw_end_array(&w);
	pfold_jw_end_object(&w);
	pfold_jw_begin_array(&w, "profiles", 0);
	for (g = 0; g < ngroups; g++) {
		for (k = 0; k < ne; k++) {
			const char *ev = pfold_profile_event_name(p, k);
			struct pfold_buf pname = PFOLD_BUF_INIT;
			uint64_t total = 0;
			size_t skip = by_task ? 1 : 0;

			if (pfold_buf_addf(&pname, "%s %s",
					   by_task ? pfold_profile_frame_name(p, group_root[g]) : name, ev)) {
				ret = -PFOLD_E_NOMEM;
				goto out;
			}
			pfold_jw_begin_object(&w, NULL, 0);
			pfold_jw_string(&w, "type", "sampled");
			pfold_jw_string(&w, "name", pname.data);
			pfold_buf_release(&pname);
			pfold_jw_string(&w, "unit", unit_of(ev));
			pfold_jw_number(&w, "startValue", 0);
			pfold_jw_begin_array(&w, "samples", 0);
			for (i = 0; i < ns; i++) {
				struct pfold_stack s;

				pfold_profile_stack(p, order[i], &s);
				if (!s.counts[k] || (by_task && s.frames[0] != group_root[g]))
					continue;
				pfold_jw_begin_array(&w, NULL, 1);
				for (j = skip; j < s.nframes; j++)
					pfold_jw_number(&w, NULL, s.frames[j]);
				pfold_jw_end_array(&w);
			}
			pfold_jw_end_array(&w);
			pfold_jw_begin_array(&w, "weights", 1);
			for (i = 0; i < ns; i++) {
				struct pfold_stack s;

				pfold_profile_stack(p, order[i], &s);
				if (!s.counts[k] || (by_task && s.frames[0] != group_root[g]))
					continue;
				pfold_jw_number(&w, NULL, (double)s.counts[k]);
				total += s.counts[k];
			}
			pfold_jw_end_array(&w);
			pfold_jw_number(&w, "endValue", (double)total);
			pfold_jw_end_object(&w);
		}
	}
	pfold_jw_end_array(&w);
	pfold_jw_end_object(&w);
	ret = pfold_jw_finish(&w);
out:
	pfold_buf_release(&clean);
	free(group_root);
	free(order);
	return ret;
}
