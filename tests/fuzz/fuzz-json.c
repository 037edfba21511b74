// SPDX-License-Identifier: MIT
/* fuzz-json.c: fuzz harness of the JSON parser and the report.json reader; a report that parses must write back as JSON that parses. */
#include <stdlib.h>

#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "json.h"
#include "report.h"

static void walk(const struct pfold_json *j)
{
	size_t i;
	double v;

	if (j->type == PFOLD_JSON_OBJECT)
		for (i = 0; i < j->len; i++)
			(void)pfold_json_get(j, j->keys[i]);
	if (j->type == PFOLD_JSON_ARRAY || j->type == PFOLD_JSON_OBJECT)
		for (i = 0; i < j->len; i++)
			walk(j->items[i]);
	(void)pfold_json_str(j);
	(void)pfold_json_num(j, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfold_json *j;
	struct pfold_report *r;

	if (pfold_json_parse(&j, (const char *)data, size) == 0) {
		walk(j);
		pfold_json_free(j);
	}
	if (pfold_report_parse(&r, (const char *)data, size) == 0) {
		struct pfold_buf out = PFOLD_BUF_INIT;

		if (pfold_report_write(r, &out) == 0) {
			/* what we write must be JSON we read */
			if (pfold_json_parse(&j, out.data, out.len) != 0)
				abort();
			pfold_json_free(j);
		}
		pfold_buf_release(&out);
		pfold_report_free(r);
	}
	pfold_error_clear();
	return 0;
}
