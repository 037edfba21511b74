// SPDX-License-Identifier: MIT
/* test-buf.c: unit tests of the growable buffer, escaping and array growth. */
#include "buf.h"
#include "error.h"
#include "tap.h"

int main(void)
{
	struct pfold_buf b = PFOLD_BUF_INIT;
	int *arr = NULL;
	size_t alloc = 0, i, len;
	char *s;

	ok(!pfold_buf_adds(&b, "ab"), "adds");
	ok(!pfold_buf_addf(&b, "%d-%s", 42, "x"), "addf");
	is_str(b.data, "ab42-x", "contents after adds and addf");
	pfold_buf_reset(&b);
	for (i = 0; i < 1000; i++)
		pfold_buf_addf(&b, "%05zu", i);
	is_int(b.len, 5000, "addf grows past the first allocation");
	ok(!strncmp(b.data + 4995, "00999", 5), "last number in place");

	pfold_buf_reset(&b);
	pfold_buf_adds(&b, "xy");
	ok(!pfold_buf_add_zeros(&b, 6) && !pfold_buf_adds(&b, "z"), "add_zeros");
	ok(b.len == 9 && !memcmp(b.data, "xy\0\0\0\0\0\0z", 9), "six zero bytes between the strings");

	pfold_buf_reset(&b);
	pfold_buf_add_xml(&b, "<script>\"&'x", 12);
	is_str(b.data, "&lt;script&gt;&quot;&amp;&#39;x", "xml escaping");
	pfold_buf_reset(&b);
	pfold_buf_add_xml(&b, "a\001b", 3);
	is_str(b.data, "a?b", "control characters replaced in xml");

	pfold_buf_reset(&b);
	pfold_buf_add_json(&b, "a\"b\\c\n</", 8);
	is_str(b.data, "a\\\"b\\\\c\\n\\u003c/", "json escaping");
	pfold_buf_reset(&b);
	pfold_buf_add_json(&b, "\xc3\xa9\xff\xe2\x82\xac\xc0\xaf\xed\xa0\x80\xf0\x9f\x98", 14);
	is_str(b.data, "\xc3\xa9\\ufffd\xe2\x82\xac\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd",
	       "json: UTF-8 kept, each byte of an invalid sequence is \\ufffd");
	pfold_buf_reset(&b);
	pfold_buf_add_xml(&b, "\xc3\xa9\xff<\xf0\x9f\x98\x80", 8);
	is_str(b.data, "\xc3\xa9?&lt;\xf0\x9f\x98\x80", "xml: invalid UTF-8 byte replaced, valid kept");

	s = pfold_buf_detach(&b, &len);
	ok(s && b.data == NULL && b.len == 0, "detach hands over the storage");
	free(s);

	for (i = 0; i < 100; i++) {
		if (PFOLD_GROW(arr, alloc, i + 1))
			break;
		arr[i] = (int)i;
	}
	ok(i == 100 && alloc >= 100 && arr[99] == 99, "array grows to 100");
	is_int(pfold_grow(&arr, &alloc, SIZE_MAX / 2, 16), -PFOLD_E_NOMEM,
	       "an impossible size is refused, not wrapped");
	free(arr);

	is_str(pfold_strerror(-PFOLD_E_TRUNCATED), "file is truncated", "strerror by code");
	pfold_error(PFOLD_E_BAD_RECORD, "bad record at offset %d", 64);
	is_str(pfold_errmsg(-PFOLD_E_BAD_RECORD), "bad record at offset 64", "detail message kept");
	pfold_error_clear();
	is_str(pfold_errmsg(-PFOLD_E_BAD_RECORD), "corrupt record", "fixed message without detail");
	pfold_buf_release(&b);
	return done_testing();
}
