/* test_report.c - report helpers: the fast JSON string writer used by the
 * report writers (cs__json_str) against RFC 8259 escapes and against the
 * general writer cs_json_write_str, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "report/report.h"

static void check_str(const char *in, size_t len, const char *want)
{
	cs_buf b;
	cs_buf_init(&b, 0);
	assert_int_equal(cs__json_str(&b, in, len), CS_OK);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	assert_int_equal(b.data[b.len], 0);
	cs_buf_release(&b);
}

static void test_escapes(void **state)
{
	(void)state;
	check_str("", 0, "\"\"");
	check_str("plain", 5, "\"plain\"");
	/* RFC 8259 section 7: quotation mark, reverse solidus and control
	 * characters must be escaped; the short forms where they exist */
	check_str("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	check_str("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
	check_str("\x01\x1f", 2, "\"\\u0001\\u001f\"");
	check_str("a\0b", 3, "\"a\\u0000b\"");
	/* DEL and other bytes are not escaped */
	check_str("\x7f~", 2, "\"\x7f~\"");
	/* "</" as "<\/" (safe inside an HTML script element); other '/' as is */
	check_str("</script> a/b", 13, "\"<\\/script> a/b\"");
	/* U+2028 and U+2029 (E2 80 A8 / A9) escaped; other E2 sequences kept */
	check_str("x\xe2\x80\xa8y\xe2\x80\xa9", 8, "\"x\\u2028y\\u2029\"");
	check_str("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");
	check_str("\xe2\x80", 2, "\"\xe2\x80\"");
	/* long runs cross the 16-byte blocks with specials at every offset */
	check_str("0123456789abcdef\"0123456789abcde\\", 33,
		  "\"0123456789abcdef\\\"0123456789abcde\\\\\"");
	check_str("aws_kms_key.app_106[\"alpha\"] and more text here", 47,
		  "\"aws_kms_key.app_106[\\\"alpha\\\"] and more text here\"");
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* The same bytes as the general writer for many strings built mostly of
 * the bytes that need care. */
static void test_same_as_writer(void **state)
{
	(void)state;
	static const unsigned char pick[] = { '"', '\\', '/', '<', 0xE2, 0x80, 0xA8, 0xA9,
					      '\n', 0x01, 0x1F, 'a', 'b', ' ', 0x7F, 0xC3 };
	uint32_t seed = 42;
	char in[300];
	for (int round = 0; round < 20000; round++) {
		size_t len = rnd(&seed) % sizeof in;
		for (size_t i = 0; i < len; i++)
			in[i] = (char)(rnd(&seed) % 3 ? 'a' + rnd(&seed) % 26 : pick[rnd(&seed) % sizeof pick]);
		cs_buf want, got;
		cs_buf_init(&want, 0);
		cs_buf_init(&got, 0);
		/* something before it, as in a report */
		cs_buf_puts(&got, "k:");
		cs_buf_puts(&want, "k:");
		assert_int_equal(cs_json_write_str(&want, in, len), CS_OK);
		assert_int_equal(cs__json_str(&got, in, len), CS_OK);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		cs_buf_release(&want);
		cs_buf_release(&got);
	}
}

/* Strings longer than 64 KiB take the general writer: same output. */
static void test_long(void **state)
{
	(void)state;
	size_t len = 70000;
	char *in = cs_malloc(len);
	assert_non_null(in);
	for (size_t i = 0; i < len; i++)
		in[i] = i % 97 == 0 ? '"' : 'x';
	cs_buf want, got;
	cs_buf_init(&want, 0);
	cs_buf_init(&got, 0);
	assert_int_equal(cs_json_write_str(&want, in, len), CS_OK);
	assert_int_equal(cs__json_str(&got, in, len), CS_OK);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	cs_buf_release(&want);
	cs_buf_release(&got);
	cs_free(in);
}

/* A buffer with a maximum: the worst-case room is not needed when the
 * escaped string fits (then the writer's own result: CS_ELIMIT when it does
 * not fit). */
static void test_limit(void **state)
{
	(void)state;
	cs_buf b, w;
	cs_buf_init(&b, 8);
	cs_buf_init(&w, 8);
	assert_int_equal(cs__json_str(&b, "ab", 2), CS_OK);
	assert_string_equal(b.data, "\"ab\"");
	assert_int_equal(cs__json_str(&b, "c", 1), CS_OK);
	assert_string_equal(b.data, "\"ab\"\"c\"");
	assert_int_equal(cs__json_str(&b, "a long string", 13), CS_ELIMIT);
	assert_int_equal(cs_json_write_str(&w, "ab", 2), CS_OK);
	assert_int_equal(cs_json_write_str(&w, "c", 1), CS_OK);
	assert_int_equal(cs_json_write_str(&w, "a long string", 13), CS_ELIMIT);
	assert_int_equal(b.len, w.len);
	assert_memory_equal(b.data, w.data, w.len);
	cs_buf_release(&b);
	cs_buf_release(&w);
}

typedef struct {
	char out[4096];
	size_t n;
} sink;

static cs_err collect(void *ud, const char *data, size_t len)
{
	sink *s = ud;
	if (s->n + len > sizeof s->out)
		return CS_ELIMIT;
	memcpy(s->out + s->n, data, len);
	s->n += len;
	return CS_OK;
}

/* A streaming buffer: what is flushed plus what is left is the string. */
static void test_streaming(void **state)
{
	(void)state;
	static sink s;
	cs_buf b;
	cs_buf_init(&b, 0);
	b.flush = collect;
	b.flush_ud = &s;
	assert_int_equal(cs__json_str(&b, "x\"y", 3), CS_OK);
	assert_int_equal(cs_buf_flush(&b), CS_OK);
	assert_int_equal(cs__json_str(&b, "z", 1), CS_OK);
	assert_int_equal(cs_buf_flush(&b), CS_OK);
	assert_int_equal(s.n, 9);
	assert_memory_equal(s.out, "\"x\\\"y\"\"z\"", 9);
	cs_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes), cmocka_unit_test(test_same_as_writer),
		cmocka_unit_test(test_long),    cmocka_unit_test(test_limit),
		cmocka_unit_test(test_streaming),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
