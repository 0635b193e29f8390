/* test_detect_acmatch.c - the multi-literal automaton (detect/acmatch.c):
 * every occurrence of every literal is reported, ASCII case folded, bytes
 * outside the literals' alphabet and non-ASCII bytes handled, checked
 * against a naive search; and the literal a glob pattern requires. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "detect/detect_int.h"
#include "detect/acmatch.h"

typedef struct hits {
	unsigned n[64];
} hits;

static void on_hit(void *ud, uint32_t id)
{
	hits *h = ud;
	if (id < 64)
		h->n[id]++;
}

static unsigned char low(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* occurrences of lit in s, ASCII case folded, overlaps counted */
static unsigned naive(const char *s, size_t n, const char *lit, size_t ln)
{
	unsigned k = 0;
	for (size_t i = 0; i + ln <= n; i++) {
		size_t j = 0;
		while (j < ln && low((unsigned char)s[i + j]) == low((unsigned char)lit[j]))
			j++;
		k += j == ln;
	}
	return k;
}

/* One xorshift64 step of the tests' pseudo-random state. */
static void step(uint64_t *r)
{
	*r ^= *r << 13;
	*r ^= *r >> 7;
	*r ^= *r << 17;
}

/* Copies lit[0..len) into text at `at` (upper-cased when `upper`), as far
 * as text[0..n) reaches. */
static void plant(char *text, size_t n, size_t at, const char *lit, size_t len, bool upper)
{
	for (size_t j = 0; j < len && at + j < n; j++) {
		char c = lit[j];
		text[at + j] = (upper && c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
	}
}

/* Scans text[0..n) with ac: every literal i must be reported as often as
 * the naive count finds it. */
static void check_naive(const cs__ac *ac, const char *text, size_t n, char lits[][40],
			const size_t *lens, int nl)
{
	hits h = { { 0 } };
	cs__ac_scan(ac, text, n, on_hit, &h);
	for (int i = 0; i < nl; i++)
		assert_int_equal(h.n[i], naive(text, n, lits[i], lens[i]));
}

static void test_known(void **state)
{
	(void)state;
	cs__ac *ac = cs__ac_new();
	assert_non_null(ac);
	assert_int_equal(cs__ac_add(ac, "he", 2, 0), CS_OK);
	assert_int_equal(cs__ac_add(ac, "she", 3, 1), CS_OK);
	assert_int_equal(cs__ac_add(ac, "his", 3, 2), CS_OK);
	assert_int_equal(cs__ac_add(ac, "HERS", 4, 3), CS_OK); /* folded on add */
	assert_int_equal(cs__ac_add(ac, "aws-cli", 7, 4), CS_OK);
	assert_int_equal(cs__ac_add(ac, "he", 2, 5), CS_OK);     /* two ids, one literal */
	assert_int_equal(cs__ac_add(ac, "x", 0, 6), CS_ELIMIT);  /* empty literal refused */
	assert_int_equal(cs__ac_build(ac), CS_OK);
	hits h = { { 0 } };
	const char *s = "uSHErs \xc3\xa9 his AWS-CLI/2.13 aws-cl";
	cs__ac_scan(ac, s, strlen(s), on_hit, &h);
	assert_int_equal(h.n[0], 1); /* he (in sHErs) */
	assert_int_equal(h.n[1], 1); /* she */
	assert_int_equal(h.n[2], 1); /* his */
	assert_int_equal(h.n[3], 1); /* hers */
	assert_int_equal(h.n[4], 1); /* aws-cli, not the cut one at the end */
	assert_int_equal(h.n[5], 1);
	/* adding after build is refused */
	assert_int_equal(cs__ac_add(ac, "zz", 2, 7), CS_ELIMIT);
	cs__ac_free(ac);
}

static void test_random(void **state)
{
	(void)state;
	uint64_t r = 88172645463325252ull;
	for (int round = 0; round < 200; round++) {
		char lits[40][8];
		size_t lens[40];
		cs__ac *ac = cs__ac_new();
		assert_non_null(ac);
		for (int i = 0; i < 40; i++) {
			step(&r);
			lens[i] = 1 + (size_t)(r % 5);
			for (size_t j = 0; j < lens[i]; j++) {
				step(&r);
				lits[i][j] = "abAB-\xc3"[r % 6];
			}
			assert_int_equal(cs__ac_add(ac, lits[i], lens[i], (uint32_t)i), CS_OK);
		}
		assert_int_equal(cs__ac_build(ac), CS_OK);
		char text[200];
		for (size_t j = 0; j < sizeof text; j++) {
			step(&r);
			text[j] = "abABc-\xc3\xa9"[r % 8];
		}
		hits h = { { 0 } };
		cs__ac_scan(ac, text, sizeof text, on_hit, &h);
		for (int i = 0; i < 40; i++)
			assert_int_equal(h.n[i], naive(text, sizeof text, lits[i], lens[i]));
		cs__ac_free(ac);
	}
}

/* Few long literals over a larger alphabet: the scan skips ahead at the
 * root (the window's last byte decides how far), and must still find
 * every occurrence, at the start and end of the text, in either case. */
static void test_random_skips(void **state)
{
	(void)state;
	uint64_t r = 0x9e3779b97f4a7c15ull;
	static const char alpha[] = "abcdefghABCDEFGH/:.-0123\xc3\xa9";
	for (int round = 0; round < 400; round++) {
		char lits[4][40];
		size_t lens[4];
		int nl = 1 + round % 4;
		cs__ac *ac = cs__ac_new();
		assert_non_null(ac);
		for (int i = 0; i < nl; i++) {
			step(&r);
			lens[i] = 3 + (size_t)(r % 12);
			for (size_t j = 0; j < lens[i]; j++) {
				step(&r);
				lits[i][j] = alpha[r % 12]; /* a..h, A..D */
			}
			assert_int_equal(cs__ac_add(ac, lits[i], lens[i], (uint32_t)i), CS_OK);
		}
		assert_int_equal(cs__ac_build(ac), CS_OK);
		char text[300];
		size_t n = (size_t)round % sizeof text;
		for (size_t j = 0; j < n; j++) {
			step(&r);
			text[j] = alpha[r % (sizeof alpha - 1)];
		}
		/* plant literals (upper-cased at times), one at each end */
		for (int k = 0; k < 3 && n; k++) {
			step(&r);
			int i = (int)(r % (uint64_t)nl);
			size_t at = k == 0 ? 0 : k == 1 ? (n > lens[i] ? n - lens[i] : 0) : r % n;
			plant(text, n, at, lits[i], lens[i], k == 2);
		}
		check_naive(ac, text, n, lits, lens, nl);
		cs__ac_free(ac);
	}
}

/* The skip reads the window's last two bytes: windows of two bytes (the
 * shortest literal), values exactly a window long, literals at the very
 * end, bytes in no literal (class 0) before a literal's first byte. */
static void test_pair_skip(void **state)
{
	(void)state;
	static const char *const lits[] = { "ab", "xyz", "Bq" };
	static const char *const texts[] = { "ab", "b", "xab", "zab", "abxyz", "xyzab",
					     "..ab", ".bq", "a.b", "AB", "qqqqqqqqbQ", "xy",
					     "yz", "\xc3\xa9" "ab", "xyxyzq" };
	cs__ac *ac = cs__ac_new();
	assert_non_null(ac);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(cs__ac_add(ac, lits[i], strlen(lits[i]), (uint32_t)i), CS_OK);
	assert_int_equal(cs__ac_build(ac), CS_OK);
	assert_int_equal(cs__ac_minlen(ac), 2);
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		hits h = { { 0 } };
		size_t n = strlen(texts[t]);
		cs__ac_scan(ac, texts[t], n, on_hit, &h);
		for (size_t i = 0; i < 3; i++)
			assert_int_equal(h.n[i], naive(texts[t], n, lits[i], strlen(lits[i])));
	}
	hits h = { { 0 } };
	cs__ac_scan(ac, "xyzab", 5, on_hit, &h);
	assert_int_equal(h.n[0], 1);
	assert_int_equal(h.n[1], 1);
	cs__ac_free(ac);
}

/* Automata of few literals (up to eight: the AVX2 prefilter, when the
 * host has it, looks at each literal's first, middle and last byte before
 * the exact scan) and of nine (no prefilter), values of 0 to 160 bytes in
 * a heap block of exactly their size (cs_malloc, not cmocka's padded
 * test_malloc: ASan sees a read past the value),
 * literals planted in either case at the start, the end and in between,
 * and bytes equal to a literal's under OR 0x20 but not folded equal ('@'
 * and '`', '[' and '{', 0xc3 and 0xe3, NUL and space). */
static void test_few_literals(void **state)
{
	(void)state;
	uint64_t r = 0x2545f4914f6cdd1dull;
	static const char alpha[] = "abcAB@`[{ \x00\xc3\xe3/.-";
	size_t na = sizeof alpha - 1;
	for (int round = 0; round < 3000; round++) {
		char lits[9][40];
		size_t lens[9];
		int nl = 1 + round % 9;
		cs__ac *ac = cs__ac_new();
		assert_non_null(ac);
		for (int i = 0; i < nl; i++) {
			step(&r);
			lens[i] = 1 + (size_t)(r % (round % 3 ? 12 : 40));
			for (size_t j = 0; j < lens[i]; j++) {
				step(&r);
				lits[i][j] = alpha[r % na];
			}
			if (i == 2) { /* the same literal again, another id */
				lens[i] = lens[0];
				memcpy(lits[i], lits[0], lens[0]);
			}
			assert_int_equal(cs__ac_add(ac, lits[i], lens[i], (uint32_t)i), CS_OK);
		}
		assert_int_equal(cs__ac_build(ac), CS_OK);
		step(&r);
		size_t n = (size_t)(r % 161);
		char *text = cs_malloc(n ? n : 1);
		assert_non_null(text);
		for (size_t j = 0; j < n; j++) {
			step(&r);
			text[j] = alpha[r % na];
		}
		for (int k = 0; k < 3 && n; k++) {
			step(&r);
			int i = (int)(r % (uint64_t)nl);
			if (lens[i] > n)
				continue;
			size_t at = k == 0 ? 0 : k == 1 ? n - lens[i] : r % (n - lens[i] + 1);
			plant(text, n, at, lits[i], lens[i], k == 2);
		}
		check_naive(ac, text, n, lits, lens, nl);
		cs_free(text);
		cs__ac_free(ac);
	}
}

/* One literal at known places around the prefilter's 32-byte steps: a
 * value of exactly 32 bytes, 33, 64 + a few (the overlapping last step),
 * the literal's start in the last step only, and one letter off. */
static void test_few_literals_known(void **state)
{
	(void)state;
	static const char lit[] = "S3 Browser";
	cs__ac *ac = cs__ac_new();
	assert_non_null(ac);
	assert_int_equal(cs__ac_add(ac, lit, 10, 0), CS_OK);
	assert_int_equal(cs__ac_add(ac, "jersey/${project.version}", 25, 1), CS_OK);
	assert_int_equal(cs__ac_build(ac), CS_OK);
	static const struct {
		size_t n, at;
		unsigned hits;
	} cases[] = { { 32, 0, 1 }, { 32, 22, 1 }, { 33, 23, 1 }, { 33, 11, 1 },
		      { 70, 60, 1 }, { 70, 33, 1 }, { 70, 59, 1 }, { 96, 86, 1 },
		      { 100, 64, 1 }, { 41, 31, 1 } };
	for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
		for (int off = 0; off < 2; off++) {
			char *text = cs_malloc(cases[t].n);
			assert_non_null(text);
			memset(text, '.', cases[t].n);
			memcpy(text + cases[t].at, "s3 BROWSER", 10);
			if (off)
				text[cases[t].at + 5] = 'q'; /* "s3 BRqWSER" */
			hits h = { { 0 } };
			cs__ac_scan(ac, text, cases[t].n, on_hit, &h);
			assert_int_equal(h.n[0], off ? 0 : cases[t].hits);
			assert_int_equal(h.n[1], 0);
			cs_free(text);
		}
	}
	cs__ac_free(ac);
}

/* Every start position of every literal, in values of 32 to 120 bytes
 * (a heap block of exactly that size: ASan sees a read past the value),
 * for literal sets like the CloudTrail rules' (lengths 10 and 25, 35
 * alone: fewer than 32 start positions in most values) and of lengths
 * far apart (5, 20 and 35; 3 and 40): the prefilter's 32-byte steps,
 * its overlapping last step and its start at the first candidate. */
static void test_few_literals_every_start(void **state)
{
	(void)state;
	static const char *const sets[][3] = {
		{ "S3 Browser", "Jersey/${project.version}", NULL },
		{ "ab@cd", "0123456789abcdefghij", "responseElements.accessKey.username" },
		{ "a[c", "0123456789012345678901234567890123456789", NULL },
		{ "responseElements.accessKey.userName", NULL, NULL },
	};
	for (size_t t = 0; t < sizeof sets / sizeof sets[0]; t++) {
		cs__ac *ac = cs__ac_new();
		assert_non_null(ac);
		size_t nl = 0;
		for (; nl < 3 && sets[t][nl]; nl++)
			assert_int_equal(cs__ac_add(ac, sets[t][nl], strlen(sets[t][nl]),
						    (uint32_t)nl), CS_OK);
		assert_int_equal(cs__ac_build(ac), CS_OK);
		for (size_t n = 32; n <= 120; n++) {
			for (size_t i = 0; i < nl; i++) {
				size_t len = strlen(sets[t][i]);
				for (size_t at = 0; at + len <= n; at++) {
					char *text = cs_malloc(n);
					assert_non_null(text);
					memset(text, '.', n);
					memcpy(text + at, sets[t][i], len);
					hits h = { { 0 } };
					cs__ac_scan(ac, text, n, on_hit, &h);
					for (size_t j = 0; j < nl; j++)
						assert_int_equal(h.n[j], naive(text, n, sets[t][j],
									       strlen(sets[t][j])));
					assert_int_equal(h.n[i], 1);
					cs_free(text);
				}
			}
		}
		cs__ac_free(ac);
	}
}

static void test_glob_literal(void **state)
{
	(void)state;
	char out[64];
	/* "ab*cde?f": the longest run between wildcards */
	const char p1[] = "ab\xfe*cde\xfe?f";
	assert_int_equal(cs__glob_literal(p1, sizeof p1 - 1, out), 3);
	assert_memory_equal(out, "cde", 3);
	/* an escaped escape byte is a literal byte */
	const char p2[] = "\xfe*x\xfe\xfey\xfe*";
	assert_int_equal(cs__glob_literal(p2, sizeof p2 - 1, out), 3);
	assert_memory_equal(out, "x\xfey", 3);
	/* only wildcards: no literal */
	const char p3[] = "\xfe*\xfe?\xfe*";
	assert_int_equal(cs__glob_literal(p3, sizeof p3 - 1, out), 0);
	/* the first of equally long runs */
	const char p4[] = "ab\xfe*cd";
	assert_int_equal(cs__glob_literal(p4, sizeof p4 - 1, out), 2);
	assert_memory_equal(out, "ab", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_random_skips),
		cmocka_unit_test(test_pair_skip),
		cmocka_unit_test(test_few_literals),
		cmocka_unit_test(test_few_literals_known),
		cmocka_unit_test(test_few_literals_every_start),
		cmocka_unit_test(test_glob_literal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
