// SPDX-License-Identifier: MIT
/* fuzz-folded.c: fuzz harness of the folded parser, then the flamegraph layout and SVG of what it read (the SVG must stay valid UTF-8 without control bytes). */
#include <stdlib.h>

#include "buf.h"
#include "error.h"
#include "flame-svg.h"
#include "flame.h"
#include "folded.h"
#include "fuzz.h"
#include "profile.h"

/*
 * abort() unless S[0..LEN) is valid UTF-8 without C0 control bytes other
 * than tab/newline/CR: what XML 1.0 allows (DEL and C1 controls are legal XML).
 */
static void check_text(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				abort();
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			abort();
		if (n >= len - i)
			abort();
		for (k = 1; k <= n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
		i += n + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfold_profile *p;
	struct pfold_folded_stats st = { 0 };
	struct pfold_buf out = PFOLD_BUF_INIT;
	struct pfold_flame_options fo = { 0 };
	struct pfold_flame_svg_options so = { 0 };
	struct pfold_flame *f;
	size_t nev;

	if (pfold_profile_open(&p))
		return 0;
	if (pfold_folded_read_mem(p, (const char *)data, size, "fuzz.folded", &st) < 0)
		goto close_profile;
	nev = pfold_profile_nr_events(p);
	if (nev)
		(void)pfold_folded_write(p, nev > 1 ? -1 : 0, &out);
	pfold_buf_reset(&out);
	if (!nev)
		goto close_profile;
	fo.metric = 0;
	fo.minwidth = size & 1 ? 0 : -1;
	fo.diff_base = -1;
	fo.base_scale = 1;
	so.color_num = nev > 1 ? 1 : -1;
	so.color_den = 0;
	so.icicle = size & 2;
	if (pfold_flame_layout(&f, p, &fo) == 0) {
		if (pfold_flame_svg(f, &so, &out) == 0)
			check_text((const unsigned char *)out.data, out.len);
		pfold_flame_free(f);
	}
close_profile:
	pfold_buf_release(&out);
	pfold_profile_close(p);
	pfold_error_clear();
	return 0;
}
