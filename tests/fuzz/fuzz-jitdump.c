// SPDX-License-Identifier: MIT
/* fuzz-jitdump.c: fuzz harness of the jitdump parser and its look-ups. */
#include <string.h>
#include <stdint.h>

#include "error.h"
#include "fuzz.h"
#include "jitdump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfold_jitdump *jd;
	size_t i, n, skipped;
	uint64_t addr;

	if (pfold_jitdump_parse(&jd, data, size, "jit-fuzz.dump") < 0) {
		pfold_error_clear();
		return 0;
	}
	(void)pfold_jitdump_pid(jd);
	(void)pfold_jitdump_elf_machine(jd);
	n = pfold_jitdump_count(jd, &skipped, NULL);
	for (i = 0; i < n; i++) {
		const struct pfold_jit_code *c = pfold_jitdump_code(jd, i);

		size_t k;

		if (!c)
			continue;
		(void)strlen(c->name);
		for (k = 0; k < c->nr_lines; k++)
			(void)strlen(c->lines[k].file);
		if (c->eh_frame && c->eh_frame_size)
			(void)((const volatile unsigned char *)c->eh_frame)[c->eh_frame_size +
									 c->eh_frame_hdr_size - 1];
		(void)pfold_jitdump_cfi(jd, c);
		(void)pfold_jitdump_find(jd, c->addr, c->timestamp);
	}
	for (i = 0; i + 8 <= size && i < 128; i += 8) {
		memcpy(&addr, data + i, 8);
		(void)pfold_jitdump_find(jd, addr, UINT64_MAX);
		(void)pfold_jitdump_find(jd, addr, 0);
	}
	pfold_jitdump_close(jd);
	pfold_error_clear();
	return 0;
}
