// SPDX-License-Identifier: MIT
/* fuzz-events.c: fuzz harness of the event-spec (-e) parser. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "events.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfold_event_list list = PFOLD_EVENT_LIST_INIT;
	char *spec;

	/* an -e argument is a C string: at most 4 KiB, cut at the first NUL */
	if (size > 4096)
		size = 4096;
	spec = malloc(size + 1);
	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = 0;
	if (pfold_events_parse(&list, spec) == 0) {
		if (size & 1)
			pfold_event_list_ungroup(&list);
	}
	pfold_event_list_release(&list);
	free(spec);
	pfold_error_clear();
	return 0;
}
