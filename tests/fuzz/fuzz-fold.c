// SPDX-License-Identifier: MIT
/* fuzz-fold.c: fuzz harness of the whole perf.data read pipeline (session, unwinding, symbols, stacks), with --symfs an empty directory so no host object is opened. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "fold-options.h"
#include "fuzz.h"
#include "profile.h"
#include "stacks.h"

static char symfs[] = "/tmp/pfold-fuzz-symfs.XXXXXX";
static char kallsyms[sizeof(symfs) + 16];

/* an empty --symfs directory and a two-line kallsyms file in it, made once */
static void setup(void)
{
	FILE *f;

	if (!mkdtemp(symfs))
		abort();
	snprintf(kallsyms, sizeof(kallsyms), "%s/kallsyms", symfs);
	f = fopen(kallsyms, "w");
	if (!f)
		abort();
	fputs("ffffffff81000000 T _stext\nffffffff81001000 t fuzz_func\n", f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfold_fold_options opts = { 0 };
	struct pfold_fold_stats stats = { 0 };
	struct pfold_profile *p;
	char path[64];
	int fd;

	if (!kallsyms[0])
		setup();
	fd = fuzz_memfd("fuzz.data", data, size);
	if (fd < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	opts.symfs = symfs;
	opts.kallsyms = kallsyms;
	opts.weight = size && (data[size - 1] & 1) ? PFOLD_WEIGHT_SAMPLES : PFOLD_WEIGHT_DEFAULT;
	opts.all_events = size > 1 && (data[size - 2] & 1);
	opts.include_tid = 1;
	opts.annotate_kernel = 1;
	opts.annotate_jit = 1;
	opts.include_addrs = 1;
	if (pfold_profile_open(&p) == 0) {
		(void)pfold_fold_perf_data(path, &opts, p, &stats, NULL, NULL);
		pfold_profile_close(p);
	}
	close(fd);
	pfold_error_clear();
	return 0;
}
