// SPDX-License-Identifier: MIT
/* test-json.c: the strict JSON parser (errors with offsets, nesting limit) and the writer. */
#include <math.h>

#include "error.h"
#include "json.h"
#include "tap.h"

/* parse S; return the code, and the detail message in *MSG */
static int parse(const char *s, size_t len, struct pfold_json **j, const char **msg)
{
	int ret;

	pfold_error_clear();
	*j = NULL;
	ret = pfold_json_parse(j, s, len);
	*msg = pfold_errmsg(ret);
	return ret;
}

static void bad(const char *s, int code, const char *want_msg)
{
	struct pfold_json *j;
	const char *msg;
	int ret = parse(s, strlen(s), &j, &msg);

	if (!is_int(ret, -code, want_msg))
		return;
	if (!tap_ok(strstr(msg, want_msg) != NULL, __FILE__, __LINE__, "message for %s", s))
		printf("#   got '%s'\n", msg);
	ok(j == NULL, "no tree on failure");
}

int main(void)
{
	struct pfold_json *j;
	const char *msg;
	const struct pfold_json *v;
	struct pfold_buf b = PFOLD_BUF_INIT;
	struct pfold_json_writer w;
	char deep[200];
	double num;
	int i;

	const char *doc = " {\"a\": [1, -2.5e2, true, false, null], \"s\": \"x\\u00e9\\ud83d\\ude00\\n\","
			  " \"o\": {}, \"e\": [], \"a\": 7} ";
	ok(!parse(doc, strlen(doc), &j, &msg), "a valid document parses");
	is_int(j->type, PFOLD_JSON_OBJECT, "top is an object");
	v = pfold_json_get(j, "a");
	ok(v && v->type == PFOLD_JSON_NUMBER && v->number == 7, "a repeated key gives the last value");
	v = j->items[0];
	ok(v->type == PFOLD_JSON_ARRAY && v->len == 5, "array of 5");
	ok(!pfold_json_num(v->items[1], &num) && num == -250, "-2.5e2 is -250");
	ok(v->items[2]->boolean == 1 && v->items[3]->type == PFOLD_JSON_BOOL && !v->items[3]->boolean,
	   "true and false");
	is_int(v->items[4]->type, PFOLD_JSON_NULL, "null");
	/* e-acute is C3 A9, U+1F600 (the surrogate pair D83D DE00) is F0 9F 98 80 */
	is_str(pfold_json_str(pfold_json_get(j, "s")), "x\xc3\xa9\xf0\x9f\x98\x80\n",
	       "escapes and a surrogate pair decode to UTF-8");
	ok(pfold_json_get(j, "o")->len == 0 && pfold_json_get(j, "e")->len == 0, "empty containers");
	ok(pfold_json_get(j, "missing") == NULL, "missing key");
	pfold_json_free(j);

	/* offsets count bytes from 0 */
	bad("[1,2", PFOLD_E_JSON, "unexpected end of input at offset 4");
	bad("{\"a\":1,}", PFOLD_E_JSON, "member name expected at offset 7");
	bad("[01]", PFOLD_E_JSON, "expected ',' or ']' at offset 2");
	bad("[1,]", PFOLD_E_JSON, "unexpected character at offset 3");
	bad("1 2", PFOLD_E_JSON, "trailing characters after the value at offset 2");
	bad("\"a\001\"", PFOLD_E_JSON, "control character in string at offset 2");
	bad("nul", PFOLD_E_JSON, "invalid literal at offset 0");
	bad("1e999", PFOLD_E_JSON, "number out of range at offset 0");
	bad("[1.]", PFOLD_E_JSON, "digit expected after '.' at offset 3");
	bad("\"\\ud800x\"", PFOLD_E_JSON, "unpaired high surrogate at offset 7");
	bad("\"\\udc00\"", PFOLD_E_JSON, "unpaired low surrogate at offset 1");
	bad("\"\\u0000\"", PFOLD_E_JSON, "\\u0000 in string at offset 1");
	bad("\"\xff\"", PFOLD_E_JSON, "invalid UTF-8 in string at offset 1");
	bad("\"\xc0\xaf\"", PFOLD_E_JSON, "invalid UTF-8 in string at offset 1");
	bad("{\"a\" 1}", PFOLD_E_JSON, "expected ':' at offset 5");
	bad("", PFOLD_E_JSON, "unexpected end of input at offset 0");
	bad("NaN", PFOLD_E_JSON, "unexpected character at offset 0");
	bad("// x\n1", PFOLD_E_JSON, "unexpected character at offset 0");

	/* nesting: 64 levels are fine, 65 are refused */
	for (i = 0; i < 64; i++)
		deep[i] = '[';
	for (i = 0; i < 64; i++)
		deep[64 + i] = ']';
	ok(!parse(deep, 128, &j, &msg), "64 levels of nesting parse");
	pfold_json_free(j);
	for (i = 0; i < 65; i++)
		deep[i] = '[';
	for (i = 0; i < 65; i++)
		deep[65 + i] = ']';
	is_int(parse(deep, 130, &j, &msg), -PFOLD_E_LIMIT, "65 levels are refused");
	ok(strstr(msg, "offset 64") != NULL, "the limit names the offset");
	/* a NUL inside the input is not the end */
	is_int(parse("[1]\0x", 5, &j, &msg), -PFOLD_E_JSON, "bytes after a NUL are still checked");

	/* the writer's output reads back */
	pfold_jw_init(&w, &b);
	pfold_jw_begin_object(&w, NULL, 0);
	pfold_jw_string(&w, "name", "a \"quoted\" </script> name\n");
	pfold_jw_number(&w, "int", 123456789012.0);
	pfold_jw_number(&w, "frac", 0.1);
	pfold_jw_number(&w, "nan", NAN);
	pfold_jw_begin_array(&w, "list", 1);
	pfold_jw_bool(&w, NULL, 1);
	pfold_jw_null(&w, NULL);
	pfold_jw_string(&w, NULL, NULL);
	pfold_jw_end_array(&w);
	pfold_jw_end_object(&w);
	ok(!pfold_jw_finish(&w), "writer finishes");
	ok(strstr(b.data, "\"int\": 123456789012,") != NULL, "integers print without a fraction");
	ok(!parse(b.data, b.len, &j, &msg), "writer output parses");
	is_str(pfold_json_str(pfold_json_get(j, "name")), "a \"quoted\" </script> name\n",
	       "a string survives the round trip");
	ok(!pfold_json_num(pfold_json_get(j, "frac"), &num) && num == 0.1, "0.1 survives exactly");
	is_int(pfold_json_get(j, "nan")->type, PFOLD_JSON_NULL, "NaN is written as null");
	is_int(pfold_json_get(j, "list")->len, 3, "compact array of 3");
	pfold_json_free(j);
	pfold_buf_reset(&b);
	pfold_jw_init(&w, &b);
	pfold_jw_begin_array(&w, NULL, 0);
	is_int(pfold_jw_finish(&w), -PFOLD_E_INVAL, "an unclosed array is an error");
	pfold_buf_release(&b);
	return done_testing();
}
