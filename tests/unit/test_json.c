/* test_json.c - the JSON reader against RFC 8259: values, locations, escapes,
 * and every class of malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/json.h"

typedef struct {
	unsigned n;
	cs_diag last;
	char msg[512];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	c->n++;
	c->last = *d;
	snprintf(c->msg, sizeof c->msg, "%s", d->msg);
}

static cs_err parse(cs_arena *a, const char *s, const cs_value **v, capture *c)
{
	cs_diag_sink sink = { cap, c, 0, 0 };
	memset(c, 0, sizeof *c);
	return cs_json_parse(a, "t.json", s, strlen(s), NULL, &sink, v, NULL);
}

static void test_values(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	const cs_value *v;
	capture c;
	assert_int_equal(parse(a, "{\"a\": [1, -2.5e2, true, false, null, \"x\"], \"b\": {}}", &v, &c), CS_OK);
	assert_int_equal(cs_value_type(v), CS_VOBJECT);
	const cs_value *arr = cs_value_get(v, "a");
	assert_int_equal(cs_value_len(arr), 6);
	assert_true(cs_value_num(cs_value_at(arr, 0)) == 1.0);
	assert_true(cs_value_num(cs_value_at(arr, 1)) == -250.0);
	assert_true(cs_value_bool(cs_value_at(arr, 2)));
	assert_int_equal(cs_value_type(cs_value_at(arr, 3)), CS_VBOOL);
	assert_false(cs_value_bool(cs_value_at(arr, 3)));
	assert_int_equal(cs_value_type(cs_value_at(arr, 4)), CS_VNULL);
	assert_true(cs_str_eqc(cs_value_str(cs_value_at(arr, 5)), "x"));
	assert_int_equal(cs_value_type(cs_value_get(v, "b")), CS_VOBJECT);
	assert_null(cs_value_get(v, "c"));
	cs_arena_free(a);
}

static void test_locations(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	const cs_value *v;
	capture c;
	assert_int_equal(parse(a, "{\n  \"k\": [\n    10,\n\t\"s\"\n  ]\n}", &v, &c), CS_OK);
	assert_int_equal(cs_value_line(v), 1);
	assert_int_equal(cs_value_col(v), 1);
	const cs_value *k = cs_value_get(v, "k");
	assert_int_equal(cs_value_line(k), 2);
	assert_int_equal(cs_value_col(k), 8);
	assert_int_equal(cs_value_line(cs_value_at(k, 0)), 3);
	assert_int_equal(cs_value_col(cs_value_at(k, 0)), 5);
	assert_int_equal(cs_value_line(cs_value_at(k, 1)), 4);
	assert_int_equal(cs_value_col(cs_value_at(k, 1)), 2);
	cs_arena_free(a);
}

static void test_escapes(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	const cs_value *v;
	capture c;
	assert_int_equal(parse(a, "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"", &v, &c), CS_OK);
	cs_str s = cs_value_str(v);
	assert_int_equal(s.len, 8 + 2 + 4 + 1);
	assert_memory_equal(s.ptr, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80", s.len);
	cs_arena_free(a);
}

static void test_duplicate_last_wins(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	const cs_value *v;
	capture c;
	assert_int_equal(parse(a, "{\"x\":1,\"x\":2}", &v, &c), CS_OK);
	assert_true(cs_value_num(cs_value_get(v, "x")) == 2.0);
	cs_arena_free(a);
}

struct bad {
	const char *text;
	cs_err code;
	unsigned line, col;
	const char *needle;
};

static void test_errors(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{ "", CS_ESYNTAX, 1, 1, "empty document" },
		{ "   \n  ", CS_ESYNTAX, 2, 3, "empty document" },
		{ "{", CS_ESYNTAX, 1, 2, "string key expected" },
		{ "[1,]", CS_ESYNTAX, 1, 4, "value expected" },
		{ "[1 2]", CS_ESYNTAX, 1, 4, "',' or ']'" },
		{ "{\"a\" 1}", CS_ESYNTAX, 1, 6, "':' expected" },
		{ "{'a':1}", CS_ESYNTAX, 1, 2, "string key expected" },
		{ "\"abc", CS_ESYNTAX, 1, 1, "unterminated string" },
		{ "\"a\nb\"", CS_ESYNTAX, 1, 3, "control character" },
		{ "\"\\x\"", CS_ESYNTAX, 1, 2, "invalid escape" },
		{ "\"\\ud800\"", CS_EUTF8, 1, 2, "surrogate" },
		{ "\"\\udc00\"", CS_EUTF8, 1, 2, "surrogate" },
		{ "\"\xff\"", CS_EUTF8, 1, 2, "UTF-8" },
		{ "\"\xc0\xaf\"", CS_EUTF8, 1, 2, "UTF-8" },
		{ "\"\xed\xa0\x80\"", CS_EUTF8, 1, 2, "UTF-8" },
		{ "01", CS_ESYNTAX, 1, 2, "after the JSON value" },
		{ "1.", CS_ESYNTAX, 1, 3, "digit expected" },
		{ "-", CS_ESYNTAX, 1, 1, "invalid number" },
		{ "1e", CS_ESYNTAX, 1, 3, "exponent" },
		{ "tru", CS_ESYNTAX, 1, 1, "value expected" },
		{ "NaN", CS_ESYNTAX, 1, 1, "value expected" },
		{ "{} x", CS_ESYNTAX, 1, 4, "after the JSON value" },
		{ "\n\n  [1,\n   }", CS_ESYNTAX, 4, 4, "value expected" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cs_arena *a = cs_arena_new(0);
		const cs_value *v = NULL;
		capture c;
		cs_err rc = parse(a, cases[i].text, &v, &c);
		if (rc != cases[i].code || c.last.line != cases[i].line || c.last.col != cases[i].col ||
		    !strstr(c.msg, cases[i].needle))
			fail_msg("case %zu (%s): rc=%d line=%u col=%u msg=%s", i, cases[i].text, rc,
				 c.last.line, c.last.col, c.msg);
		assert_null(v);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.last.file, "t.json");
		cs_arena_free(a);
	}
}

static void test_depth_limit(void **state)
{
	(void)state;
	char buf[2100];
	memset(buf, '[', 1000);
	memset(buf + 1000, ']', 1000);
	buf[2000] = 0;
	cs_arena *a = cs_arena_new(0);
	const cs_value *v;
	capture c;
	assert_int_equal(parse(a, buf, &v, &c), CS_ELIMIT);
	assert_non_null(strstr(c.msg, "nesting too deep"));
	assert_int_equal(c.last.col, 513);
	cs_arena_free(a);
}

static void test_arena_limit(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(4096);
	const cs_value *v;
	capture c;
	char buf[20000];
	size_t n = 0;
	buf[n++] = '[';
	for (int i = 0; i < 3000; i++) {
		buf[n++] = '1';
		buf[n++] = ',';
	}
	buf[n++] = '1';
	buf[n++] = ']';
	buf[n] = 0;
	assert_int_equal(parse(a, buf, &v, &c), CS_ELIMIT);
	cs_arena_free(a);
}

static void test_oom(void **state)
{
	(void)state;
	/* every allocation failure gives CS_ENOMEM, never a crash */
	for (unsigned long k = 1; k < 40; k++) {
		cs_arena *a = cs_arena_new(0);
		if (!a)
			continue;
		const cs_value *v = NULL;
		capture c;
		cs_alloc_fail_after(k);
		cs_err rc = parse(a, "{\"a\":[1,2,{\"b\":\"c\\n\"}]}", &v, &c);
		cs_alloc_fail_after(0);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		cs_arena_free(a);
	}
}

static void test_roundtrip_writer(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	const cs_value *v;
	capture c;
	const char *in = "{\"a\":[1,2.50,\"x\\\"\\n</\"],\"b\":null,\"c\":true}";
	assert_int_equal(parse(a, in, &v, &c), CS_OK);
	cs_buf b;
	cs_buf_init(&b, 0);
	assert_int_equal(cs_json_write_value(&b, v), CS_OK);
	assert_string_equal(b.data, "{\"a\":[1,2.50,\"x\\\"\\n<\\/\"],\"b\":null,\"c\":true}");
	cs_buf_release(&b);
	cs_arena_free(a);
}

static void test_trailing(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	const cs_value *v;
	cs_diag_sink sink = { 0 };
	cs_json_opts o = { .allow_trailing = true };
	size_t used = 0;
	const char *s = "{\"a\":1}\n{\"a\":2}\n";
	assert_int_equal(cs_json_parse(a, "l", s, strlen(s), &o, &sink, &v, &used), CS_OK);
	assert_int_equal(used, 8);
	cs_arena_free(a);
}

static void test_compact(void **state)
{
	(void)state;
	cs_buf b;
	cs_buf_init(&b, 0);
	const char *in = "{\n  \"a b\": [1, 2],\n\t\"s\": \"x \\\" \\n y\"\r\n}\n";
	assert_int_equal(cs_json_write_compact(&b, in, strlen(in)), CS_OK);
	assert_string_equal(b.data, "{\"a b\":[1,2],\"s\":\"x \\\" \\n y\"}");
	cs_buf_release(&b);
}

/* Skipped members are checked exactly like parsed ones but not built. */
static void test_skip(void **state)
{
	(void)state;
	static const char *const rules[] = { "planned_values", "rc[].change.before", NULL };
	const char *doc = "{\"a\":1,\"planned_values\":{\"x\":[1,2,{\"y\":\"\\u00e9\"}]},"
			  "\"rc\":[{\"change\":{\"before\":{\"b\":\"q\\\"\"},\"after\":2}},"
			  "{\"change\":{\"after\":3},\"before\":4}],\"z\":true,"
			  "\"n\":{\"planned_values\":5}}";
	cs_arena *a = cs_arena_new(0);
	const cs_value *v = NULL;
	capture c;
	cs_diag_sink sink = { cap, &c, 0, 0 };
	memset(&c, 0, sizeof c);
	size_t skipped = 99;
	cs_json_opts o = { .skip = rules, .skipped = &skipped };
	assert_int_equal(cs_json_parse(a, "t.json", doc, strlen(doc), &o, &sink, &v, NULL), CS_OK);
	assert_int_equal(skipped, 2);
	cs_buf b;
	cs_buf_init(&b, 0);
	assert_int_equal(cs_json_write_value(&b, v), CS_OK);
	/* only the root's planned_values and rc[*].change.before go; a "before"
	 * elsewhere and a nested "planned_values" stay */
	assert_string_equal(b.data, "{\"a\":1,\"rc\":[{\"change\":{\"after\":2}},"
				    "{\"change\":{\"after\":3},\"before\":4}],\"z\":true,"
				    "\"n\":{\"planned_values\":5}}");
	cs_buf_release(&b);
	/* locations after a skipped member are unchanged */
	const cs_value *z = cs_value_get(v, "z");
	assert_int_equal(cs_value_col(z), (uint32_t)(strstr(doc, "true") - doc) + 1);

	/* every syntax error inside a skipped member: same code, place, message */
	static const char *const bad[] = {
		"{", "[1,]", "[1 2]", "{\"a\" 1}", "{'a':1}", "\"abc", "\"a\nb\"", "\"\\x\"",
		"\"\\ud800\"", "\"\\udc00\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "01",
		"1.", "-", "1e", "tru", "NaN", "\n\n  [1,\n   }", "{\"k\":[1,{\"m\":\"\\u12\"}]}",
		"[[[[[[[[[[[[1]]]]]]]]]]]]",
	};
	static const char *const srules[] = { "s", NULL };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "{\"s\":%s}", bad[i]);
		capture c1, c2;
		cs_diag_sink s1 = { cap, &c1, 0, 0 }, s2 = { cap, &c2, 0, 0 };
		memset(&c1, 0, sizeof c1);
		memset(&c2, 0, sizeof c2);
		cs_json_opts plain = { .max_depth = 8 }, sk = { .max_depth = 8, .skip = srules };
		const cs_value *v1 = NULL, *v2 = NULL;
		cs_err r1 = cs_json_parse(a, "t.json", text, strlen(text), &plain, &s1, &v1, NULL);
		cs_err r2 = cs_json_parse(a, "t.json", text, strlen(text), &sk, &s2, &v2, NULL);
		if (r1 != r2 || c1.n != c2.n || c1.last.line != c2.last.line ||
		    c1.last.col != c2.last.col || strcmp(c1.msg, c2.msg) != 0)
			fail_msg("case %zu: parsed rc=%d %u:%u %s / skipped rc=%d %u:%u %s", i, r1,
				 c1.last.line, c1.last.col, c1.msg, r2, c2.last.line, c2.last.col,
				 c2.msg);
		assert_int_not_equal(r1, CS_OK);
	}
	/* bad rules */
	static const char *const r_elem[] = { "a[]", NULL }, *const r_empty[] = { "a..b", NULL };
	cs_json_opts bo = { .skip = r_elem };
	assert_int_equal(cs_json_parse(a, "t.json", "{}", 2, &bo, &sink, &v, NULL), CS_EINVAL);
	bo.skip = r_empty;
	assert_int_equal(cs_json_parse(a, "t.json", "{}", 2, &bo, &sink, &v, NULL), CS_EINVAL);
	cs_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),       cmocka_unit_test(test_locations),
		cmocka_unit_test(test_escapes),      cmocka_unit_test(test_duplicate_last_wins),
		cmocka_unit_test(test_errors),       cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_arena_limit),  cmocka_unit_test(test_oom),
		cmocka_unit_test(test_roundtrip_writer), cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_compact),      cmocka_unit_test(test_skip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
