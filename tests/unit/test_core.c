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
#include "core/tsv.h"

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
	cs_arena_reset(a);
	assert_int_equal(cs_arena_used(a), 0);
	char *r = cs_arena_alloc(a, 100);
	assert_non_null(r);
	memset(r, 2, 100);
	cs_arena_free(a);
	cs_arena_free(NULL);
	/* a limited arena can be filled again after a reset */
	a = cs_arena_new(1000);
	assert_non_null(cs_arena_alloc(a, 900));
	assert_null(cs_arena_alloc(a, 200));
	cs_arena_reset(a);
	assert_int_equal(cs_arena_error(a), CS_OK);
	assert_non_null(cs_arena_alloc(a, 900));
	cs_arena_free(a);
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

/* Records one diagnostic per call: the last line/column/message seen. */
typedef struct {
	unsigned n;
	uint32_t line, col;
	char msg[256];
} diag_rec;

static void rec_diag(void *ud, const cs_diag *d)
{
	diag_rec *r = ud;
	r->n++;
	r->line = d->line;
	r->col = d->col;
	snprintf(r->msg, sizeof r->msg, "%s", d->msg);
}

static const char *const tsv_cols[] = { "id", "owner", "as_of" };
static const char *const tsv_owners[] = { "provider", "customer", "shared", NULL };

static void test_tsv(void **state)
{
	(void)state;
	diag_rec r = { 0 };
	cs_diag_sink sink = { rec_diag, &r, 0, 0 };
	cs_tsv t;
	const char *text = "# comment\n"
			   "\n"
			   "id\towner\tas_of\n"
			   "a\tprovider\t2026-05-22\r\n"
			   "b\tnobody\t2026-13-01\n"         /* line 5: bad enum, bad date */
			   "c\tcustomer\n"                   /* line 6: too few fields */
			   "  # indented text is a record, not a comment\tx\t-\n"
			   "d\tshared\t-";                   /* no final newline */
	assert_int_equal(cs__tsv_open_buffer(&t, "t.tsv", text, strlen(text), tsv_cols, 3, &sink),
			 CS_OK);
	assert_true(cs__tsv_next(&t));
	assert_int_equal(t.line, 4);
	assert_true(cs_str_eqc(cs__tsv_field(&t, 0), "a"));
	assert_int_equal(cs__tsv_enum(&t, 1, tsv_owners), 0);
	assert_true(cs__tsv_date(&t, 2));
	assert_true(cs_str_eqc(cs__tsv_field(&t, 2), "2026-05-22")); /* CR stripped */

	assert_true(cs__tsv_next(&t));
	assert_int_equal(cs__tsv_enum(&t, 1, tsv_owners), -1);
	assert_int_equal(r.line, 5);
	assert_int_equal(r.col, 3);
	assert_string_equal(r.msg, "'nobody' is not one of: provider, customer, shared");
	assert_false(cs__tsv_date(&t, 2));
	assert_int_equal(r.col, 10);

	assert_true(cs__tsv_next(&t)); /* line 6 skipped with a diagnostic */
	assert_int_equal(r.n, 3);
	assert_int_equal(r.line, 6);
	assert_string_equal(r.msg, "record has 2 fields; expected 3 (tab-separated)");
	assert_int_equal(t.line, 7);
	assert_int_equal(cs__tsv_field(&t, 2).len, 0); /* "-" is empty */
	assert_true(cs__tsv_next(&t));
	assert_true(cs_str_eqc(cs__tsv_field(&t, 0), "d"));
	assert_false(cs__tsv_next(&t));
	assert_int_equal(t.errors, 3);
	cs__tsv_close(&t);

	/* a wrong header names the column */
	r.n = 0;
	const char *bad = "# x\nid\tprovider\tas_of\n";
	assert_int_equal(cs__tsv_open_buffer(&t, "h.tsv", bad, strlen(bad), tsv_cols, 3, &sink),
			 CS_ESYNTAX);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.col, 4);
	assert_string_equal(r.msg, "header column 2 must be 'owner', not 'provider'");
	/* empty file, invalid UTF-8 */
	assert_int_equal(cs__tsv_open_buffer(&t, "e.tsv", "", 0, tsv_cols, 3, &sink), CS_ESYNTAX);
	const char *u = "id\towner\tas_of\nx\t\xff\t-\n";
	assert_int_equal(cs__tsv_open_buffer(&t, "u.tsv", u, strlen(u), tsv_cols, 3, &sink),
			 CS_EUTF8);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.col, 3);
	assert_int_equal(cs__tsv_open(&t, "/nonexistent/x.tsv", tsv_cols, 3, &sink), CS_ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_limit), cmocka_unit_test(test_buf_flush),
		cmocka_unit_test(test_arena),     cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_utf8),      cmocka_unit_test(test_tsv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
