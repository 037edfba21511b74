// SPDX-License-Identifier: MIT
/* fuzz-perf-script.c: fuzz harness of the `perf script` text parser (stackcollapse-perf rules), writing the folded result back out. */
#include "buf.h"
#include "error.h"
#include "fold-options.h"
#include "folded.h"
#include "fuzz.h"
#include "perf-script.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfold_fold_options opts = { 0 };
	struct pfold_fold_stats stats = { 0 };
	struct pfold_profile *p;
	struct pfold_buf out = PFOLD_BUF_INIT;

	/* the last byte picks the naming options, so each rule gets fuzzed */
	if (size) {
		uint8_t o = data[size - 1];

		opts.include_pid = o & 1;
		opts.include_tid = o & 2;
		opts.annotate_kernel = o & 4;
		opts.annotate_jit = o & 8;
		opts.include_addrs = o & 16;
		opts.show_inline = o & 32;
		opts.all_events = o & 64;
		opts.weight = o & 128 ? PFOLD_WEIGHT_PERIOD : PFOLD_WEIGHT_DEFAULT;
	}
	if (pfold_profile_open(&p))
		return 0;
	if (pfold_perf_script_fold_mem((const char *)data, size, "fuzz.txt", &opts, p, &stats) == 0)
		(void)pfold_folded_write(p, 0, &out);
	pfold_buf_release(&out);
	pfold_profile_close(p);
	pfold_error_clear();
	return 0;
}
