/* test_core.c - buffers (limits, streaming flush), arenas, the string map
 * and UTF-8 validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/internal.h"

static void test_buf_limit(void **state)
{
	(void)state;
	cs_buf b;
	cs_buf_init(&b, 10);
	assert_int_equal(cs_buf_puts(&b, "0123456789"), CS_OK);
	assert_int_equal(cs_buf_putc(&b, 'x'), CS_ELIMIT);
	assert_int_equal(cs_buf_printf(&b, "%d", 1), CS_ELIMIT);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789"); /* nothing half-appended */
	cs_buf_release(&b);
}

typedef struct {
	size_t total, calls;
	char last;
} sink_t;

static cs_err sink(void *ud, const char *data, size_t len)
{
	sink_t *s = ud;
	s->total += len;
	s->calls++;
	s->last = data[len - 1];
	return CS_OK;
}

static void test_buf_flush(void **state)
{
	(void)state;
	cs_buf b;
	sink_t s = { 0, 0, 0 };
	cs_buf_init(&b, 0);
	b.flush = sink;
	b.flush_ud = &s;
	char chunk[1000];
	memset(chunk, 'a', sizeof chunk);
	for (int i = 0; i < 5000; i++) /* 5 MB through a buffer that stays small */
		assert_int_equal(cs_buf_append(&b, chunk, sizeof chunk), CS_OK);
	assert_int_equal(cs_buf_printf(&b, "%s", "end!"), CS_OK);
	assert_true(b.cap <= (2u << 20));
	assert_true(s.calls >= 4);
	assert_int_equal(cs_buf_flush(&b), CS_OK);
	assert_int_equal(s.total, 5000 * 1000 + 4);
	assert_int_equal(s.last, '!');
	assert_int_equal(b.len, 0);
	cs_buf_release(&b);
}

static void test_arena(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(1000);
	assert_non_null(cs_arena_alloc(a, 500));
	assert_null(cs_arena_alloc(a, 600));
	assert_int_equal(cs_arena_error(a), CS_ELIMIT);
	char *p = cs_arena_printf(a, "%s-%d", "x", 42);
	assert_string_equal(p, "x-42");
	cs_arena_free(a);
	a = cs_arena_new(0);
	for (int i = 0; i < 1000; i++) { /* many chunks, big and small */
		char *q = cs_arena_alloc(a, (size_t)(i % 7 == 0 ? 100000 : 16));
		assert_non_null(q);
		memset(q, 1, 16);
	}
	cs_arena_free(a);
	cs_arena_free(NULL);
}

static void test_strmap(void **state)
{
	(void)state;
	cs_strmap m = { 0 };
	static char keys[2000][8];
	for (int i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i % 1000);
		assert_int_equal(cs__strmap_put(&m, keys[i], strlen(keys[i]), keys[i]), CS_OK);
	}
	for (int i = 0; i < 1000; i++) {
		char k[8];
		snprintf(k, sizeof k, "k%d", i);
		size_t it, n = 0;
		for (void *v = cs__strmap_get(&m, k, strlen(k), &it); v;
		     v = cs__strmap_next(&m, k, strlen(k), &it)) {
			assert_string_equal((char *)v, k);
			n++;
		}
		assert_int_equal(n, 2); /* both values under the key */
	}
	assert_null(cs__strmap_get(&m, "nope", 4, NULL));
	cs__strmap_release(&m);
}

static void test_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t bad;
	} cases[] = {
		{ "plain", 5 },
		{ "caf\xc3\xa9", 5 },
		{ "\xf0\x9f\x98\x80!", 5 },
		{ "a\xc0\xaf", 1 },         /* overlong */
		{ "a\xed\xa0\x80", 1 },     /* surrogate */
		{ "a\xf4\x90\x80\x80", 1 }, /* above U+10FFFF */
		{ "a\xe2\x82", 1 },         /* truncated */
		{ "\xff", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(cs__utf8_check(cases[i].s, strlen(cases[i].s)), cases[i].bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_limit), cmocka_unit_test(test_buf_flush),
		cmocka_unit_test(test_arena),     cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
