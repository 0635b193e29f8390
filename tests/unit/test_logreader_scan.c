/* test_logreader_scan.c - the log reader's structural scanner
 * (detect/logreader_fmt.c): every implementation (byte at a time, and the
 * 64-byte block scanners with SWAR, SSE2 and AVX2 masks) gives the
 * results worked out from the JSON grammar for escapes, quotes, brackets
 * and control characters placed across 16-, 32- and 64-byte block
 * boundaries, also when the input arrives in two pieces; and all of them
 * agree with the byte scanner on many generated inputs.  The skip that
 * steps over member values ends where the byte scanner ends them, or gives
 * up (0) exactly when the value holds what the scanner must judge.  The
 * classifier's shortcut for CloudTrail's compact start gives the worked-out
 * format, time and diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "detect/logreader_int.h"

static const int impls[] = { CS_LR_BYTES, CS_LR_SWAR, CS_LR_SSE2, CS_LR_AVX2 };
#define NIMPL (sizeof impls / sizeof impls[0])

typedef struct outcome {
	cs_lr_res res;
	size_t pos;
	const char *why;
	cs_lr_scan s;
} outcome;

/* Scans p[0..n) from a fresh state with `impl`, first up to `split` (when
 * not 0), then on to n, as the framing does when more bytes arrive. */
static void run(int impl, const char *p, size_t n, size_t split, outcome *o)
{
	memset(o, 0, sizeof *o);
	o->res = CS_LR_MORE;
	if (split)
		o->res = cs__lr_scan_with(impl, &o->s, p, split, &o->pos, &o->why);
	if (o->res == CS_LR_MORE)
		o->res = cs__lr_scan_with(impl, &o->s, p, n, &o->pos, &o->why);
}

static void same(const outcome *a, const outcome *b)
{
	assert_int_equal(a->res, b->res);
	assert_int_equal(a->pos, b->pos);
	if (a->res == CS_LR_ERR) {
		assert_string_equal(a->why, b->why);
		return;
	}
	assert_int_equal(a->s.depth, b->s.depth);
	assert_int_equal(a->s.in_str, b->s.in_str);
	assert_int_equal(a->s.esc, b->s.esc);
	assert_int_equal(a->s.newlines, b->s.newlines);
	assert_int_equal(a->s.nends, b->s.nends);
	for (uint32_t k = 0; k < a->s.nends; k++) {
		assert_int_equal(a->s.starts[k], b->s.starts[k]);
		assert_int_equal(a->s.ends[k], b->s.ends[k]);
	}
	for (uint32_t d = 0; d < a->s.depth; d++)
		assert_int_equal((a->s.stack[d / 8] >> (d % 8)) & 1, (b->s.stack[d / 8] >> (d % 8)) & 1);
}

/* Checks every implementation, whole and split at every byte, against
 * the expected result; returns nothing, fails the test on a mismatch. */
static void expect(const char *p, size_t n, cs_lr_res res, size_t pos, const char *why)
{
	for (size_t k = 0; k < NIMPL; k++) {
		for (size_t split = 0; split < n; split += (n > 200 ? 7 : 1)) {
			outcome o;
			run(impls[k], p, n, split, &o);
			if (o.res != res || o.pos != pos)
				fail_msg("impl %d split %zu: res %d pos %zu, want %d %zu (%.*s)", impls[k], split,
					 (int)o.res, o.pos, (int)res, pos, (int)(n < 80 ? n : 80), p);
			if (why)
				assert_string_equal(o.why, why);
		}
	}
}

/* buf = head + k filler bytes + tail; the filler moves the tail across
 * block boundaries.  Returns the length. */
static size_t build(char *buf, size_t cap, const char *head, size_t k, char fill, const char *tail,
		    size_t tail_len)
{
	size_t h = strlen(head);
	assert_true(h + k + tail_len <= cap);
	memcpy(buf, head, h);
	memset(buf + h, fill, k);
	memcpy(buf + h + k, tail, tail_len);
	return h + k + tail_len;
}

static void test_strings_across_blocks(void **state)
{
	(void)state;
	char buf[512];
	for (size_t k = 0; k <= 140; k++) {
		/* an escaped quote, an escaped backslash, brackets in a string:
		 * the record ends at its last byte */
		static const char t1[] = "\\\"]}[{\\\\\"}";
		size_t n = build(buf, sizeof buf, "{\"a\":\"", k, 'x', t1, sizeof t1 - 1);
		expect(buf, n, CS_LR_DONE, n, NULL);
		/* the same with trailing bytes: they are not looked at */
		memcpy(buf + n, "]]]\x01", 4);
		expect(buf, n + 4, CS_LR_DONE, n, NULL);
		/* runs of backslashes: an odd run escapes the quote after it */
		static const char t2[] = "\\\\\\\"\\\\\\\\\"}";
		n = build(buf, sizeof buf, "{\"a\":\"", k, 'y', t2, sizeof t2 - 1);
		expect(buf, n, CS_LR_DONE, n, NULL);
		/* a string left open: everything consumed, more needed */
		static const char t3[] = "\\\"}";
		n = build(buf, sizeof buf, "{\"a\":\"", k, 'z', t3, sizeof t3 - 1);
		expect(buf, n, CS_LR_MORE, n, NULL);
		/* an escaped raw control character is taken as it is */
		static const char t4[] = "\\\x01\"}";
		n = build(buf, sizeof buf, "{\"a\":\"", k, 'x', t4, sizeof t4 - 1);
		expect(buf, n, CS_LR_DONE, n, NULL);
	}
}

static void test_errors_across_blocks(void **state)
{
	(void)state;
	char buf[512];
	for (size_t k = 0; k <= 140; k++) {
		/* a raw control character in a string */
		size_t n = build(buf, sizeof buf, "{\"a\":\"", k, 'x', "\x1f\"}", 3);
		expect(buf, n, CS_LR_ERR, 6 + k, "control character in a string");
		/* a tab in a string is a control character too (RFC 8259 7) */
		n = build(buf, sizeof buf, "{\"a\":\"", k, 'x', "\t\"}", 3);
		expect(buf, n, CS_LR_ERR, 6 + k, "control character in a string");
		/* outside strings, blanks are fine and others are not */
		n = build(buf, sizeof buf, "{\"a\":", k, ' ', "\t\r\n\x01}", 5);
		expect(buf, n, CS_LR_ERR, 5 + k + 3, "control character outside a string");
		/* brackets that do not match */
		n = build(buf, sizeof buf, "{\"a\":[", k, ' ', "1}]}", 4);
		expect(buf, n, CS_LR_ERR, 6 + k + 1, "unexpected '}'");
		n = build(buf, sizeof buf, "[{", k, ' ', "]}]", 3);
		expect(buf, n, CS_LR_ERR, 2 + k, "unexpected ']'");
		/* a backslash outside a string is just a byte: the quote after
		 * it opens a string, which swallows the brace */
		n = build(buf, sizeof buf, "{", k, ' ', "\\\"}", 3);
		expect(buf, n, CS_LR_MORE, n, NULL);
		n = build(buf, sizeof buf, "{", k, ' ', "\\\"}\"}", 5);
		expect(buf, n, CS_LR_DONE, n, NULL);
	}
	/* the first byte must open an object or an array */
	expect(" {}", 3, CS_LR_ERR, 0, "a JSON object or array expected");
	expect("\"a\"", 3, CS_LR_ERR, 0, "a JSON object or array expected");
}

static void test_nesting(void **state)
{
	(void)state;
	char buf[2048];
	/* 512 levels in all (an object, then arrays): the 513th opening
	 * bracket is refused where it stands */
	size_t n = 0;
	memcpy(buf, "{\"a\":", 5);
	n = 5;
	for (size_t d = 1; d < CS_LR_MAX_DEPTH; d++)
		buf[n++] = '[';
	size_t at = n;
	buf[n++] = '[';
	buf[n++] = ']';
	expect(buf, n, CS_LR_ERR, at, "nesting too deep");
	/* 512 levels are allowed: close them all */
	n = at;
	for (size_t d = 1; d < CS_LR_MAX_DEPTH; d++)
		buf[n++] = ']';
	buf[n++] = '}';
	expect(buf, n, CS_LR_DONE, n, NULL);
	/* nesting around 64 levels, where the block scanner keeps its stack
	 * in a register: mixed objects and arrays, closed in order */
	for (size_t depth = 60; depth <= 70; depth++) {
		n = 0;
		for (size_t d = 0; d < depth; d++) {
			if (d % 3 == 0) {
				buf[n++] = '{';
				memcpy(buf + n, "\"k\":", 4);
				n += 4;
			} else {
				buf[n++] = '[';
			}
		}
		for (size_t d = depth; d-- > 0;)
			buf[n++] = d % 3 == 0 ? '}' : ']';
		expect(buf, n, CS_LR_DONE, n, NULL);
		/* the innermost bracket closed with the wrong kind */
		buf[depth * 1 + (depth + 2) / 3 * 4] = (depth - 1) % 3 == 0 ? ']' : '}';
		expect(buf, n, CS_LR_ERR, depth + (depth + 2) / 3 * 4,
		       (depth - 1) % 3 == 0 ? "unexpected ']'" : "unexpected '}'");
	}
}

static void test_lines_and_ends(void **state)
{
	(void)state;
	char buf[512];
	for (size_t k = 0; k <= 140; k++) {
		/* pretty-printed: the newlines passed are counted, and where
		 * each member's object or array ends is noted */
		static const char t[] = "\",\n  \"b\": [1,\n 2],\n  \"c\": {\"d\": {}},\n  \"e\": \"\\\n\"\n}";
		size_t n = build(buf, sizeof buf, "{\n  \"a\": \"", k, 'x', t, sizeof t - 1);
		for (size_t j = 0; j < NIMPL; j++) {
			outcome o;
			run(impls[j], buf, n, 0, &o);
			assert_int_equal(o.res, CS_LR_DONE);
			assert_int_equal(o.pos, n);
			assert_int_equal(o.s.newlines, 7); /* the escaped one too */
			assert_int_equal(o.s.nends, 2);
			const char *b = strstr(buf, "2]"), *c = strstr(buf, "{}}");
			assert_int_equal(o.s.ends[0], (size_t)(b - buf) + 2);
			assert_int_equal(o.s.ends[1], (size_t)(c - buf) + 3);
			assert_int_equal(o.s.starts[0], (size_t)(strchr(buf, '[') - buf));
			assert_int_equal(o.s.starts[1], (size_t)(strstr(buf, "{\"d\"") - buf));
			/* split at every byte: the same counts */
			for (size_t split = 1; split < n; split++) {
				outcome q;
				run(impls[j], buf, n, split, &q);
				same(&o, &q);
			}
		}
	}
	/* more member values than are noted: the first CS_LR_ENDS only */
	char big[256];
	size_t n = 0;
	big[n++] = '{';
	for (unsigned m = 0; m < CS_LR_ENDS + 3; m++) {
		n += (size_t)snprintf(big + n, sizeof big - n, "%s\"m%u\":[%u]", m ? "," : "", m, m);
	}
	big[n++] = '}';
	for (size_t j = 0; j < NIMPL; j++) {
		outcome o;
		run(impls[j], big, n, 0, &o);
		assert_int_equal(o.res, CS_LR_DONE);
		assert_int_equal(o.s.nends, CS_LR_ENDS);
		assert_int_equal(o.s.ends[0], (size_t)(strstr(big, "[0]") - big) + 3);
		assert_int_equal(o.s.ends[CS_LR_ENDS - 1], (size_t)(strstr(big, "[7]") - big) + 3);
		assert_int_equal(o.s.starts[0], (size_t)(strstr(big, "[0]") - big));
		assert_int_equal(o.s.starts[CS_LR_ENDS - 1], (size_t)(strstr(big, "[7]") - big));
	}
}

/* What cs__lr_skip_with must give for the value at p[i]: where the byte
 * scanner from a fresh state ends it, when that value holds no backslash
 * and no byte below 0x20 and nests at most 63 levels; 0 otherwise. */
static size_t skip_expected(const char *p, size_t n, size_t i)
{
	outcome o;
	memset(&o, 0, sizeof o);
	o.pos = i;
	o.res = cs__lr_scan_with(CS_LR_BYTES, &o.s, p, n, &o.pos, &o.why);
	if (o.res != CS_LR_DONE)
		return 0;
	unsigned depth = 0, max = 0;
	bool in_str = false;
	for (size_t k = i; k < o.pos; k++) {
		unsigned char c = (unsigned char)p[k];
		if (c < 0x20 || c == '\\')
			return 0;
		if (c == '"')
			in_str = !in_str;
		else if (!in_str && (c == '{' || c == '['))
			max = ++depth > max ? depth : max;
		else if (!in_str && (c == '}' || c == ']'))
			depth--;
	}
	return max <= 63 ? o.pos : 0;
}

/* Stepping over a member value: worked-out ends, across block boundaries,
 * and 0 wherever the scanner must judge the bytes. */
static void test_skip(void **state)
{
	(void)state;
	char buf[400];
	const char *v = "{\"a\":{\"b\":[1,{\"c\":\"}]\"}]},\"d\":1}";
	for (size_t k = 0; k < NIMPL; k++) {
		/* the value of "a" ends just past the "]}" */
		assert_int_equal(cs__lr_skip_with(impls[k], v, strlen(v), 5),
				 (size_t)(strstr(v, "]},") - v) + 2);
		assert_int_equal(cs__lr_skip_with(impls[k], v, strlen(v), 0), strlen(v));
		assert_int_equal(cs__lr_skip_with(impls[k], v, strlen(v), 1), 0); /* a quote */
		assert_int_equal(cs__lr_skip_with(impls[k], v, strlen(v) - 1, 0), 0); /* cut */
		/* the closing brace at every offset around the block edges,
		 * and a string with a bracket across them */
		for (size_t len = 2; len < 200; len++) {
			size_t n = 0, quotes = 0;
			buf[n++] = '[';
			while (n + 1 < len) {
				buf[n] = n % 8 == 2 || n % 8 == 6 ? '"' : n % 8 == 4 ? ']' : 'x';
				quotes += buf[n++] == '"';
			}
			if (quotes % 2)
				buf[n - 1] = buf[n - 1] == '"' ? 'x' : '"'; /* no string left open */
			buf[n++] = ']';
			memcpy(buf + n, ",\"z\":\"\\\x01\"}", 10);
			size_t want = skip_expected(buf, n + 10, 0);
			assert_int_equal(want, n);
			assert_int_equal(cs__lr_skip_with(impls[k], buf, n + 10, 0), want);
			assert_int_equal(cs__lr_skip_with(impls[k], buf, n, 0), want);
		}
		/* what makes it give up: a backslash, a control character in a
		 * string or outside, brackets that do not match, 64 levels */
		static const char *const give_up[] = {
			"{\"a\":\"\\\"\"}", "{\"a\":\"\t\"}", "{\"a\":\n1}", "{\"a\":[}", "[}]", "{]",
		};
		for (size_t j = 0; j < sizeof give_up / sizeof give_up[0]; j++)
			assert_int_equal(cs__lr_skip_with(impls[k], give_up[j], strlen(give_up[j]), 0), 0);
		memset(buf, '[', 63);
		memset(buf + 63, ']', 63);
		assert_int_equal(cs__lr_skip_with(impls[k], buf, 126, 0), 126);
		memset(buf, '[', 64);
		memset(buf + 64, ']', 64);
		assert_int_equal(cs__lr_skip_with(impls[k], buf, 128, 0), 0);
		/* a backslash after the value does not matter */
		const char *after = "{\"u\":{\"x\":1},\"e\":\"\\n\"}";
		assert_int_equal(cs__lr_skip_with(impls[k], after, strlen(after), 5),
				 (size_t)(strstr(after, "},") - after) + 1);
	}
}

/* The skip's kinds of brackets, each tested for itself: braces and square
 * brackets mixed and mismatched in every order, the 63-level limit with
 * braces and with both kinds, and the end reached in the middle of a
 * block after blocks of nested objects. */
static void test_skip_kinds(void **state)
{
	(void)state;
	char buf[400];
	static const char *const mismatched[] = {
		"{[}]", "[{]}", "{\"a\":[1}", "[{\"a\":1]", "{{}]", "[[]}", "{\"a\":{\"b\":1]}",
	};
	static const char *const matched[] = {
		"{\"a\":[{\"b\":[]},{}],\"c\":{}}", "[{},[],[{}],{\"a\":[]}]", "{}", "[]",
	};
	for (size_t k = 0; k < NIMPL; k++) {
		for (size_t j = 0; j < sizeof mismatched / sizeof mismatched[0]; j++)
			assert_int_equal(cs__lr_skip_with(impls[k], mismatched[j],
							  strlen(mismatched[j]), 0),
					 0);
		for (size_t j = 0; j < sizeof matched / sizeof matched[0]; j++)
			assert_int_equal(cs__lr_skip_with(impls[k], matched[j], strlen(matched[j]), 0),
					 strlen(matched[j]));
		/* 63 levels of objects, "{{...{}...}}": taken; 64: given up */
		memset(buf, '{', 63);
		memset(buf + 63, '}', 63);
		memcpy(buf + 126, ",1]", 3);
		assert_int_equal(cs__lr_skip_with(impls[k], buf, 129, 0), 126);
		memset(buf, '{', 64);
		memset(buf + 64, '}', 64);
		assert_int_equal(cs__lr_skip_with(impls[k], buf, 128, 0), 0);
		/* 63 levels alternating objects and arrays; the innermost
		 * closed by the wrong kind: given up */
		for (size_t d = 0; d < 63; d++) {
			buf[d] = d % 2 ? '[' : '{';
			buf[125 - d] = d % 2 ? ']' : '}';
		}
		assert_int_equal(cs__lr_skip_with(impls[k], buf, 126, 0), 126);
		buf[63] = buf[63] == '}' ? ']' : '}';
		assert_int_equal(cs__lr_skip_with(impls[k], buf, 126, 0), 0);
		/* objects three deep for a few blocks, then the end at every
		 * offset of a block: {"a":{"b":{"c":"xx..."}},"d":{}} */
		for (size_t pad = 0; pad < 200; pad++) {
			size_t n = 0;
			memcpy(buf, "{\"a\":{\"b\":{\"c\":\"", 16);
			n = 16;
			memset(buf + n, 'x', pad);
			n += pad;
			memcpy(buf + n, "\"}},\"d\":{}}", 11);
			assert_int_equal(cs__lr_skip_with(impls[k], buf, n + 11, 0), n + 11);
			assert_int_equal(cs__lr_skip_with(impls[k], buf, n + 11, 5), n + 3);
			assert_int_equal(cs__lr_skip_with(impls[k], buf, n + 3, 5), n + 3);
			assert_int_equal(cs__lr_skip_with(impls[k], buf, n + 2, 5), 0); /* cut */
			assert_int_equal(skip_expected(buf, n + 11, 5), n + 3);
		}
	}
}

static uint32_t rng = 12345u;

static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* Generated inputs: mostly plausible JSON with strings, escapes and
 * brackets, sometimes broken; every implementation, whole and split, must
 * give what the byte scanner gives. */
static void test_generated_agree(void **state)
{
	(void)state;
	static const char alpha[] = "{}[]\"\\\\\"\"aaaaaaaa::,,  \n\t\x01\x7f\xc3\xa9";
	char buf[700];
	for (unsigned iter = 0; iter < 6000; iter++) {
		size_t n = 1 + next_rand() % 600;
		buf[0] = next_rand() % 2 ? '{' : '[';
		for (size_t i = 1; i < n; i++) {
			unsigned r = next_rand() % 100;
			if (r < 60)
				buf[i] = 'a' + (char)(r % 26);
			else
				buf[i] = alpha[next_rand() % (sizeof alpha - 1)];
		}
		outcome ref;
		run(CS_LR_BYTES, buf, n, 0, &ref);
		size_t at = next_rand() % n;
		size_t want = skip_expected(buf, n, at);
		for (size_t k = 0; k < NIMPL; k++)
			assert_int_equal(cs__lr_skip_with(impls[k], buf, n, at), want);
		for (size_t k = 1; k < NIMPL; k++) {
			outcome o;
			run(impls[k], buf, n, 0, &o);
			same(&ref, &o);
			size_t split = 1 + next_rand() % n;
			run(impls[k], buf, n, split, &o);
			outcome r2;
			run(CS_LR_BYTES, buf, n, split, &r2);
			same(&r2, &o);
		}
	}
}

/* CloudTrail's compact start is read at once; what the shortcut cannot
 * take (escapes, a malformed userIdentity, another time form, a quote in
 * the time) gives what the member-by-member reading gives. */
static void test_cloudtrail_head(void **state)
{
	(void)state;
	static const struct {
		const char *rec;
		cs_err rc;
		int64_t ms;
		const char *why;
	} tab[] = {
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\",\"s\":{\"a\":[1,{}]}},"
		  "\"eventTime\":\"2024-01-02T03:04:05Z\",\"x\":1}",
		  CS_OK, 1704164645000LL, NULL },
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
		  "\"eventTime\":\"2024-01-02T03:04:05.123Z\"}",
		  CS_OK, 1704164645123LL, NULL },
		{ "{\"eventVersion\":\"1\\\".08\",\"userIdentity\":{\"t\":\"a\\\"}b\"},"
		  "\"eventTime\":\"2024-01-02T03:04:05Z\"}",
		  CS_OK, 1704164645000LL, NULL },
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":[}},"
		  "\"eventTime\":\"2024-01-02T03:04:05Z\"}",
		  CS_ESYNTAX, INT64_MIN, "unexpected '}'" },
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
		  "\"eventTime\":\"2024-01-02T03:\"4:05Z\",\"x\":1}",
		  CS_OK, INT64_MIN, NULL },
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
		  "\"eventTime\":\"2024-13-02T03:04:05Z\"}",
		  CS_OK, INT64_MIN, NULL },
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
		  "\"eventTime\":\"2024-01-02T03:04:05Z\"",
		  CS_ESYNTAX, INT64_MIN, "incomplete record (it does not end with '}')" },
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
		  "\"eventTime\":\"2024-01-02T03:04:05Z}",
		  CS_ESYNTAX, INT64_MIN, "unterminated string" },
		{ "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"}, "
		  "\"eventTime\":\"2024-01-02T03:04:05Z\"}",
		  CS_OK, 1704164645000LL, NULL },
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		for (int cached = 0; cached < 2; cached++) {
			cs_lr_tcache tc;
			cs_lr_class c;
			const char *why = NULL;
			memset(&tc, 0, sizeof tc);
			cs_err rc = cs__lr_classify(tab[i].rec, strlen(tab[i].rec), NULL,
						    cached ? &tc : NULL, &c, &why);
			if (rc != tab[i].rc)
				fail_msg("%zu: rc %d", i, (int)rc);
			if (rc == CS_OK) {
				assert_string_equal(c.product, "aws");
				assert_string_equal(c.service, "cloudtrail");
				assert_true(c.time_ms == tab[i].ms);
				assert_true(c.json == tab[i].rec);
			} else {
				assert_string_equal(why, tab[i].why);
			}
		}
	}
}

/* Records of one reader share its time cache: a time of the minute read
 * last is served from it, and every other form, bad seconds and another
 * minute still give what the full parse gives (2024-01-02T03:04:05Z is
 * 1704164645000 ms; a 60th second is allowed, as a leap second). */
static void test_time_cache(void **state)
{
	(void)state;
	static const struct {
		const char *t;
		int64_t ms;
	} tab[] = {
		{ "2024-01-02T03:04:05Z", 1704164645000LL }, { "2024-01-02T03:04:59Z", 1704164699000LL },
		{ "2024-01-02T03:04:60Z", 1704164700000LL }, { "2024-01-02T03:04:61Z", INT64_MIN },
		{ "2024-01-02T03:04:5xZ", INT64_MIN },       { "2024-01-02T03:04;06Z", INT64_MIN },
		{ "2024-01-02T03:04:07z", 1704164647000LL }, { "2024-01-02T03:04:08+", INT64_MIN },
		{ "2024-01-02T03:05:00Z", 1704164700000LL }, { "2024-01-02T03:04:06Z", 1704164646000LL },
		{ "2024-01-03T03:04:06Z", 1704251046000LL }, { "2024-01-02T03:04:06Z", 1704164646000LL },
	};
	cs_lr_tcache tc;
	memset(&tc, 0, sizeof tc);
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		char rec[160];
		cs_lr_class c;
		const char *why = NULL;
		snprintf(rec, sizeof rec,
			 "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
			 "\"eventTime\":\"%s\",\"x\":1}",
			 tab[i].t);
		assert_int_equal(cs__lr_classify(rec, strlen(rec), NULL, &tc, &c, &why), CS_OK);
		if (c.time_ms != tab[i].ms)
			fail_msg("%s: %lld", tab[i].t, (long long)c.time_ms);
		assert_true(c.time_ms == cs__lr_parse_time(tab[i].t, strlen(tab[i].t)));
	}
}

/* The implementation picked for this machine is one of those tested. */
static void test_best(void **state)
{
	(void)state;
	int b = cs__lr_scan_best();
	assert_true(b == CS_LR_SWAR || b == CS_LR_SSE2 || b == CS_LR_AVX2);
	outcome a, o;
	const char *rec = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"}}";
	run(b, rec, strlen(rec), 0, &a);
	memset(&o, 0, sizeof o);
	o.res = cs__lr_scan(&o.s, rec, strlen(rec), &o.pos, &o.why);
	same(&a, &o);
	assert_int_equal(o.pos, strlen(rec));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_across_blocks),
		cmocka_unit_test(test_errors_across_blocks),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_lines_and_ends),
		cmocka_unit_test(test_generated_agree),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_skip_kinds),
		cmocka_unit_test(test_best),
		cmocka_unit_test(test_cloudtrail_head),
		cmocka_unit_test(test_time_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
