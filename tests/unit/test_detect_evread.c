/* test_detect_evread.c - the on-demand event reader (detect/evread.c):
 * values at referenced paths (nested objects, arrays on the way and at the
 * end, escapes, numbers, literals), the cases it leaves to the tree walk
 * (duplicate and dotted keys, root not an object), malformed records with
 * the byte offset of the problem, each on every stage-1 path (portable,
 * SSE2, AVX2); records whose quotes, backslash runs, UTF-8 sequences and
 * control bytes sit on 16/32/64-byte boundaries; and a differential test
 * against cs_json_parse + the matcher's tree walk and against the reader
 * before its two-stage rewrite on generated valid and broken records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../fuzz/evread_diff.h"

typedef struct fx {
	cs__evpaths *P;
	cs__evread er;
	cs_arena *a;
	bool have; /* the stage-1 path is in this build and on this CPU */
} fx;

static const char *const FIELDS[] = {
	"eventName",                          /* 0 */
	"userIdentity.type",                  /* 1 */
	"requestParameters.items.name",       /* 2 */
	"resources",                          /* 3 */
	"n",                                  /* 4 */
	"userIdentity.sessionContext.mfa",    /* 5 */
	"requestParameters",                  /* 6 */
};

static int setup_path(void **state, int path)
{
	static fx f;
	memset(&f, 0, sizeof f);
	f.have = cs__evread_force_path(path);
	assert_int_equal(cs__evpaths_build(FIELDS, sizeof FIELDS / sizeof FIELDS[0], &f.P), CS_OK);
	assert_int_equal(cs__evread_init(&f.er, f.P), CS_OK);
	f.a = cs_arena_new(0);
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	return setup_path(state, CS__EV_PATH_AUTO);
}

static int setup_scalar(void **state)
{
	return setup_path(state, CS__EV_PATH_SCALAR);
}

static int setup_sse2(void **state)
{
	return setup_path(state, CS__EV_PATH_SSE2);
}

static int setup_avx2(void **state)
{
	return setup_path(state, CS__EV_PATH_AVX2);
}

static int teardown(void **state)
{
	fx *f = *state;
	(void)cs__evread_force_path(CS__EV_PATH_AUTO);
	cs__evread_release(&f->er);
	cs__evpaths_free(f->P);
	cs_arena_free(f->a);
	return 0;
}

static cs_err rd(fx *f, const char *s, bool *fb, size_t *off)
{
	return cs__evread_record(&f->er, f->a, s, strlen(s), fb, off);
}

/* The values of field i joined as "type:text|..." for easy comparison. */
static const char *vals(fx *f, uint32_t i)
{
	static char out[512];
	size_t n = 0;
	out[0] = 0;
	for (uint32_t k = cs__evread_first(&f->er, i); k != CS__EV_NONE; k = f->er.vals[k].next) {
		const cs__evval *v = &f->er.vals[k];
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%.*s", n ? "|" : "",
				      cs_vtype_name((cs_vtype)v->type), (int)v->len, v->ptr);
	}
	return out;
}

static void test_values(void **state)
{
	fx *f = *state;
	if (!f->have)
		skip();
	bool fb;
	size_t off;
	const char *rec =
		"{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
		"\"sessionContext\":{\"mfa\":true,\"x\":[1,{\"y\":\"z\"}]}},"
		"\"eventName\":\"Put\\u0042ucket\\\"Policy\",\"ignored\":{\"eventName\":\"no\"},"
		"\"requestParameters\":{\"items\":[{\"name\":\"a\"},{\"name\":[\"b\",\"c\"]},"
		"[{\"name\":7}],{\"other\":1}]},\"resources\":[{\"ARN\":\"arn:1\"},\"s\",null],"
		"\"n\":-12.50e1}";
	assert_int_equal(rd(f, rec, &fb, &off), CS_OK);
	assert_false(fb);
	/* escapes decoded */
	assert_string_equal(vals(f, 0), "string:PutBucket\"Policy");
	assert_string_equal(vals(f, 1), "string:AssumedRole");
	/* arrays on the way are walked at any depth; an array at the end gives
	 * its elements (one level) */
	assert_string_equal(vals(f, 2), "string:a|string:b|string:c|number:7");
	assert_string_equal(vals(f, 3), "object:|string:s|null:");
	/* numbers keep their text and get their value */
	assert_string_equal(vals(f, 4), "number:-12.50e1");
	assert_true(f->er.vals[cs__evread_first(&f->er, 4)].num == -125.0);
	assert_string_equal(vals(f, 5), "boolean:true");
	/* an object at the end is present, without text */
	assert_string_equal(vals(f, 6), "object:");
	/* a second record forgets the first's values */
	assert_int_equal(rd(f, "{\"n\":1}", &fb, &off), CS_OK);
	assert_string_equal(vals(f, 0), "");
	assert_string_equal(vals(f, 4), "number:1");
	/* literals after a referenced key, and after one nobody references */
	assert_int_equal(rd(f, "{\"n\":false,\"x\":true,\"eventName\":null,\"y\":null}", &fb, &off),
			 CS_OK);
	assert_false(fb);
	assert_string_equal(vals(f, 4), "boolean:false");
	assert_string_equal(vals(f, 0), "null:");
	assert_int_equal(rd(f, "{\"x\":{\"y\":[false,null]},\"n\":true}", &fb, &off), CS_OK);
	assert_string_equal(vals(f, 4), "boolean:true");
}

static void test_fallback(void **state)
{
	fx *f = *state;
	if (!f->have)
		skip();
	bool fb;
	size_t off;
	/* duplicate key on a referenced path: the last one counts in the tree */
	assert_int_equal(rd(f, "{\"eventName\":\"a\",\"eventName\":\"b\"}", &fb, &off), CS_OK);
	assert_true(fb);
	/* a duplicate key nobody references is fine */
	assert_int_equal(rd(f, "{\"q\":1,\"q\":2,\"eventName\":\"a\"}", &fb, &off), CS_OK);
	assert_false(fb);
	assert_string_equal(vals(f, 0), "string:a");
	/* a dotted key that may stand for a referenced path */
	assert_int_equal(rd(f, "{\"userIdentity.type\":\"Root\"}", &fb, &off), CS_OK);
	assert_true(fb);
	assert_int_equal(rd(f, "{\"other.type\":\"Root\"}", &fb, &off), CS_OK);
	assert_false(fb);
	/* a root that is not an object is left to the full parser */
	assert_int_equal(rd(f, "[1,2]", &fb, &off), CS_OK);
	assert_true(fb);
	assert_int_equal(rd(f, "", &fb, &off), CS_OK);
	assert_true(fb);
}

static void test_malformed(void **state)
{
	fx *f = *state;
	if (!f->have)
		skip();
	bool fb;
	size_t off;
	static const struct {
		const char *in;
		cs_err rc;
		size_t off;
	} cases[] = {
		{ "{\"a\":tru}", CS_ESYNTAX, 5 },             /* bad literal, skipped value */
		{ "{\"n\":nul}", CS_ESYNTAX, 5 },             /* bad literal, referenced value */
		{ "{\"n\":truex}", CS_ESYNTAX, 9 },           /* a literal, then garbage */
		{ "{\"a\":nullx}", CS_ESYNTAX, 9 },
		{ "{\"a\":{\"b\":fals}}", CS_ESYNTAX, 10 },  /* bad literal, skipped object */
		{ "{\"a\":[falsey]}", CS_ESYNTAX, 11 },
		{ "{\"a\" 1}", CS_ESYNTAX, 5 },               /* missing colon */
		{ "{\"a\":1 \"b\":2}", CS_ESYNTAX, 7 },       /* missing comma */
		{ "{\"a\":[1,]}", CS_ESYNTAX, 8 },            /* value expected */
		{ "{\"a\":01}", CS_ESYNTAX, 6 },              /* leading zero: 0 then garbage */
		{ "{\"a\":1.}", CS_ESYNTAX, 7 },              /* digit after '.' */
		{ "{\"a\":\"x\\q\"}", CS_ESYNTAX, 7 },        /* bad escape in a skipped string */
		{ "{\"a\":\"\\ud800\"}", CS_EUTF8, 6 },       /* unpaired surrogate */
		{ "{\"a\":\"\xff\"}", CS_EUTF8, 6 },          /* invalid UTF-8 */
		{ "{\"a\":\"x\ty\"}", CS_ESYNTAX, 7 },        /* raw control character */
		{ "{\"eventName\":\"x", CS_ESYNTAX, 13 },     /* unterminated string */
		{ "{\"n\":1} x", CS_ESYNTAX, 8 },             /* data after the object */
		{ "{\"n\":{\"a\":[}]}", CS_ESYNTAX, 11 },     /* mismatched bracket */
		/* skipped containers: a string key right after a comma without
		 * its colon, a string after a comma in an array followed by a
		 * colon, garbage after a string value, a bad escape in a string
		 * right after a colon */
		{ "{\"a\":{\"b\":\"c\",\"d\"}}", CS_ESYNTAX, 17 },
		{ "{\"a\":[\"b\",\"c\":1]}", CS_ESYNTAX, 13 },
		{ "{\"a\":{\"b\":\"c\".\"d\":1}}", CS_ESYNTAX, 13 },
		{ "{\"a\":{\"b\":\"c\\q\"}}", CS_ESYNTAX, 12 },
		{ "{\"a\":{\"b\":\"c\",\"d\":\"e\",}}", CS_ESYNTAX, 22 },
		{ "{\"a\":{\"b\"}}", CS_ESYNTAX, 9 },      /* a key right after the brace */
		{ "{\"a\":[\"b\",\"c\"}}", CS_ESYNTAX, 13 },  /* an array closed by '}' */
		{ "{\"a\":[{\"b\":[\"c\",{\"d\":1}]}}", CS_ESYNTAX, 25 }, /* levels' kinds */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cs_err rc = rd(f, cases[i].in, &fb, &off);
		if (rc != cases[i].rc || off != cases[i].off || fb)
			fail_msg("case %zu (%s): rc %d off %zu fb %d", i, cases[i].in, rc, off, fb);
		assert_string_equal(vals(f, 4), ""); /* nothing half-read is kept */
	}
	/* nesting over 512 is refused, as by cs_json_parse */
	char deep[2100];
	size_t n = 0;
	n += (size_t)snprintf(deep, sizeof deep, "{\"z\":");
	for (int i = 0; i < 520; i++)
		deep[n++] = '[';
	for (int i = 0; i < 520; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = 0;
	assert_int_equal(rd(f, deep, &fb, &off), CS_ELIMIT);
	/* the root is level 1, so the 512th '[' (at byte 5 + 511) is level 513 */
	assert_int_equal(off, 516);
	/* 511 arrays in an unreferenced member: 512 levels, accepted */
	n = (size_t)snprintf(deep, sizeof deep, "{\"z\":");
	for (int i = 0; i < 511; i++)
		deep[n++] = '[';
	for (int i = 0; i < 511; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = 0;
	assert_int_equal(rd(f, deep, &fb, &off), CS_OK);
	assert_false(fb);
	/* skipped containers with and without white space around colons and
	 * commas, strings in arrays after commas */
	assert_int_equal(rd(f, "{\"a\":{\"b\":\"c\",\"d\":\"e\", \"f\" : \"g\" ,\"h\":[\"i\",\"j\", \"k\"],"
			       "\"l\":{\"m\":\"o\"},\"p\":\"q\"},\"n\":2}",
			    &fb, &off),
			 CS_OK);
	assert_false(fb);
	assert_string_equal(vals(f, 4), "number:2");
}

/* ---- block boundaries ------------------------------------------------------ */

/* rec = `{"eventName":"` (14 bytes) + body + tail, into buf; its length. */
static size_t mk(char *buf, const char *body, size_t nx, const char *tail)
{
	size_t n = 0;
	memcpy(buf, "{\"eventName\":\"", 14);
	n = 14;
	memset(buf + n, 'x', nx);
	n += nx;
	memcpy(buf + n, body, strlen(body));
	n += strlen(body);
	memcpy(buf + n, tail, strlen(tail));
	n += strlen(tail);
	buf[n] = 0;
	return n;
}

/* String values full of dots (crossed through the marks without dots),
 * next to non-ASCII bytes and escapes; keys that differ from a referenced
 * one only in their second word (bytes 8..15) or past it; dotted keys whose
 * first component is referenced, plain and non-ASCII. */
static void test_dots_keys(void **state)
{
	fx *f = *state;
	if (!f->have)
		skip();
	bool fb;
	size_t off;
	const char *rec = "{\"x.y\":\"1.2.3.4\",\"eventName\":\"a.b.c\xC3\xA9.d..\","
			  "\"userIdentitY\":{\"type\":\"no\"},\"requestParameterz\":{\"a\":1},"
			  "\"userIdentity\":{\"type\":\"r.x\\\"y.\"},\"z\":\"..\\n.\"}";
	assert_int_equal(rd(f, rec, &fb, &off), CS_OK);
	assert_false(fb);
	assert_string_equal(vals(f, 0), "string:a.b.c\xC3\xA9.d..");
	assert_string_equal(vals(f, 1), "string:r.x\"y.");
	assert_string_equal(vals(f, 6), "");
	/* "userIdentity.type" as one key could be userIdentity then type */
	assert_int_equal(rd(f, "{\"eventName\":\"1.2\",\"userIdentity.type\":\"x\"}", &fb, &off),
			 CS_OK);
	assert_true(fb);
	assert_int_equal(rd(f, "{\"eventName\":\"1.2\",\"userIdentity.t\xC3\xA9\":\"x\"}", &fb, &off),
			 CS_OK);
	assert_true(fb);
	/* a dot in a value is no key: a malformed value after it still fails
	 * where a byte scan fails */
	assert_int_equal(rd(f, "{\"eventName\":\"a.b\x01.\"}", &fb, &off), CS_ESYNTAX);
	assert_int_equal(off, 17);
}

static void test_blocks(void **state)
{
	fx *f = *state;
	bool fb;
	size_t off, n;
	char buf[512], want[512];
	if (!f->have)
		skip();
	/* a control byte inside a string at the last byte of the first block,
	 * and at the first byte of the second (RFC 8259 section 7: U+0000 to
	 * U+001F must be escaped) */
	n = mk(buf, "\x01", 63 - 14, "\"}");
	assert_int_equal(buf[63], 1);
	assert_int_equal(cs__evread_record(&f->er, f->a, buf, n, &fb, &off), CS_ESYNTAX);
	assert_int_equal(off, 63);
	n = mk(buf, "\x1f", 64 - 14, "\"}");
	assert_int_equal(cs__evread_record(&f->er, f->a, buf, n, &fb, &off), CS_ESYNTAX);
	assert_int_equal(off, 64);
	/* records of exactly 64 and 128 bytes */
	n = mk(buf, "", 48, "\"}");
	assert_int_equal(n, 64);
	assert_int_equal(rd(f, buf, &fb, &off), CS_OK);
	memset(want, 'x', 48);
	snprintf(want, sizeof want, "string:%.*s", 48, buf + 14);
	assert_string_equal(vals(f, 0), want);
	n = mk(buf, "", 112, "\"}");
	assert_int_equal(n, 128);
	assert_int_equal(rd(f, buf, &fb, &off), CS_OK);
	snprintf(want, sizeof want, "string:%.*s", 112, buf + 14);
	assert_string_equal(vals(f, 0), want);
	/* an escaped quote whose backslash ends block 1: the string goes on */
	n = mk(buf, "\\\"z", 63 - 14, "\"}");
	assert_int_equal(buf[63], '\\');
	assert_int_equal(rd(f, buf, &fb, &off), CS_OK);
	snprintf(want, sizeof want, "string:%.*s\"z", 49, buf + 14);
	assert_string_equal(vals(f, 0), want);
	/* an even run (an escaped backslash) at 62..63: the quote at 64 ends it */
	n = mk(buf, "\\\\", 62 - 14, "\"}");
	assert_int_equal(buf[64], '"');
	assert_int_equal(rd(f, buf, &fb, &off), CS_OK);
	snprintf(want, sizeof want, "string:%.*s\\", 48, buf + 14);
	assert_string_equal(vals(f, 0), want);
	/* an odd run of three at 61..63: the quote at 64 is escaped */
	n = mk(buf, "\\\\\\\"a", 61 - 14, "\"}");
	assert_int_equal(rd(f, buf, &fb, &off), CS_OK);
	snprintf(want, sizeof want, "string:%.*s\\\"a", 47, buf + 14);
	assert_string_equal(vals(f, 0), want);
	/* U+00E9 (C3 A9) across the block boundary; then its lead byte alone */
	n = mk(buf, "\xc3\xa9", 63 - 14, "\"}");
	assert_int_equal(rd(f, buf, &fb, &off), CS_OK);
	snprintf(want, sizeof want, "string:%.*s\xc3\xa9", 49, buf + 14);
	assert_string_equal(vals(f, 0), want);
	n = mk(buf, "\xc3", 63 - 14, "\"}");
	assert_int_equal(rd(f, buf, &fb, &off), CS_EUTF8);
	assert_int_equal(off, 63);
	/* one byte; records ending inside a string, after a backslash */
	assert_int_equal(rd(f, "{", &fb, &off), CS_ESYNTAX);
	assert_int_equal(off, 1);
	assert_int_equal(rd(f, "{\"eventName\":\"ab", &fb, &off), CS_ESYNTAX);
	assert_int_equal(off, 13);
	assert_int_equal(rd(f, "{\"eventName\":\"ab\\", &fb, &off), CS_ESYNTAX);
	assert_int_equal(off, 16);
	n = mk(buf, "", 64 - 14, "");
	assert_int_equal(cs__evread_record(&f->er, f->a, buf, n, &fb, &off), CS_ESYNTAX);
	assert_int_equal(off, 13);
	/* a dotted key whose dot is the first byte of block 2: `{"q":"` (6
	 * bytes) + 43 x + `","userIdentity` puts the dot at 6 + 43 + 3 + 12 */
	n = (size_t)snprintf(buf, sizeof buf, "{\"q\":\"%.*s\",\"userIdentity.type\":1}", 43,
			     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_int_equal(buf[64], '.');
	assert_int_equal(cs__evread_record(&f->er, f->a, buf, n, &fb, &off), CS_OK);
	assert_true(fb);
}

/* Every pattern at every offset around the 16/32/64-byte boundaries, whole
 * and cut at every length: each stage-1 path against the old reader and
 * cs_json_parse (evread_diff.h). */
static void test_blocks_diff(void **state)
{
	(void)state;
	static const char *const pats[] = {
		"\"a\\\"b\"", "\"\\\\\"", "\"\\\\\\\"\"", "\"\xc3\xa9\"", "\"\xe2\x82\xac\"",
		"\"\xf0\x9f\x98\x80\"", "\"\xc3\"", "\"\x01\"", "\"\x1f\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"",
		"\"\\q\"", "\"a.b\"", "\"\"", "\"\\\"\"", "\"\x7f\"", "\"\xff\"",
	};
	cs__evpaths *P = NULL;
	assert_int_equal(cs__evpaths_build(evdiff_fields, EVDIFF_NFIELDS, &P), CS_OK);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
		for (size_t pad = 0; pad < 72; pad++) {
			char buf[256];
			size_t n = 0;
			/* {"s":"<pad>","a":<pat>,"a.b":{"c":<pat>},"k":[<pat>]} */
			n += (size_t)snprintf(buf, sizeof buf, "{\"s\":\"%.*s\",\"a\":%s,\"x\":{\"y\":{\"z\":%s}},"
					      "\"e\":[%s],\"%s\":1}",
					      (int)pad,
					      "                                                                        ",
					      pats[i], pats[i], pats[i], "b.c");
			for (size_t cut = n; cut + 40 >= n && cut > 0; cut--) {
				int d = evdiff_check(P, evdiff_fields, EVDIFF_NFIELDS, buf, cut, NULL);
				if (d)
					fail_msg("disagreement %d on pattern %zu pad %zu cut %zu: %.*s", d, i,
						 pad, cut, (int)cut, buf);
			}
			/* the pattern as a key, too */
			n = (size_t)snprintf(buf, sizeof buf, "{\"s\":\"%.*s\",%s:{\"b\":2},\"a\":{%s:3}}",
					     (int)pad,
					     "                                                                        ",
					     pats[i], pats[i]);
			int d = evdiff_check(P, evdiff_fields, EVDIFF_NFIELDS, buf, n, NULL);
			if (d)
				fail_msg("disagreement %d on key pattern %zu pad %zu: %s", d, i, pad, buf);
		}
	}
	cs__evpaths_free(P);
}

/* ---- differential --------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static void gen_value(char *o, size_t *n, size_t cap, int depth);

static void put(char *o, size_t *n, size_t cap, const char *s)
{
	size_t l = strlen(s);
	if (*n + l < cap) {
		memcpy(o + *n, s, l);
		*n += l;
	}
}

static void gen_key(char *o, size_t *n, size_t cap)
{
	static const char *const keys[] = { "\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"x\"", "\"y\"",
					    "\"z\"", "\"n\"", "\"s\"", "\"e\"", "\"\"", "\"a.b\"",
					    "\"b.\"", "\"\\u0061\"", "\"k\"", "\"l\"" };
	put(o, n, cap, keys[rnd(sizeof keys / sizeof keys[0])]);
}

static void gen_value(char *o, size_t *n, size_t cap, int depth)
{
	static const char *const scalars[] = {
		"1", "-0", "2.5e3", "1E-2", "123456789012345678901234", "true", "false", "null",
		"\"v\"", "\"Va\\nl\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\xc3\xa9t\xc3\xa9\"", "\"\"",
		"\"a/b\\/c\"", "0.5",
	};
	unsigned k = depth > 4 ? rnd(3) + 3 : rnd(6);
	if (k == 0 || k == 1) {
		unsigned m = rnd(4);
		put(o, n, cap, "{");
		for (unsigned i = 0; i < m; i++) {
			if (i)
				put(o, n, cap, rnd(4) ? "," : " ,\n ");
			gen_key(o, n, cap);
			put(o, n, cap, rnd(3) ? ":" : " : ");
			gen_value(o, n, cap, depth + 1);
		}
		put(o, n, cap, "}");
	} else if (k == 2) {
		unsigned m = rnd(4);
		put(o, n, cap, "[");
		for (unsigned i = 0; i < m; i++) {
			if (i)
				put(o, n, cap, ",");
			gen_value(o, n, cap, depth + 1);
		}
		put(o, n, cap, "]");
	} else {
		put(o, n, cap, scalars[rnd(sizeof scalars / sizeof scalars[0])]);
	}
}

static void test_differential(void **state)
{
	(void)state;
	cs__evpaths *P = NULL;
	assert_int_equal(cs__evpaths_build(evdiff_fields, EVDIFF_NFIELDS, &P), CS_OK);
	unsigned direct = 0, fellback = 0, rejected = 0;
	for (int iter = 0; iter < 20000; iter++) {
		char buf[4096];
		size_t n = 0;
		put(buf, &n, sizeof buf, "{");
		unsigned m = rnd(6);
		for (unsigned i = 0; i < m; i++) {
			if (i)
				put(buf, &n, sizeof buf, ",");
			gen_key(buf, &n, sizeof buf);
			put(buf, &n, sizeof buf, ":");
			gen_value(buf, &n, sizeof buf, 1);
		}
		put(buf, &n, sizeof buf, "}");
		/* a third of the records get one byte changed, removed or cut */
		if (iter % 3 == 0 && n > 2) {
			size_t at = rnd((unsigned)n);
			static const char junk[] = "{}[]\",:\\ 0-eE.tnu\x01\xff";
			switch (rnd(3)) {
			case 0: buf[at] = junk[rnd(sizeof junk - 1)]; break;
			case 1: memmove(buf + at, buf + at + 1, n - at - 1); n--; break;
			default: n = at; break;
			}
		}
		bool fb = false;
		int d = evdiff_check(P, evdiff_fields, EVDIFF_NFIELDS, buf, n, &fb);
		if (d)
			fail_msg("disagreement %d on: %.*s", d, (int)n, buf);
		cs_arena *a = cs_arena_new(0);
		cs_diag_sink q = { 0 };
		const cs_value *v;
		if (cs_json_parse(a, "t", buf, n, NULL, &q, &v, NULL) != CS_OK)
			rejected++;
		else if (fb)
			fellback++;
		else
			direct++;
		cs_arena_free(a);
	}
	/* the generator exercises all three outcomes */
	assert_true(direct > 5000);
	assert_true(rejected > 1000);
	assert_true(fellback > 100);
	cs__evpaths_free(P);
}

/* ---- known keys ------------------------------------------------------------ */

/* Keys of many lengths (0 to 40 bytes), several the prefix of another,
 * some on the paths below, some with a dot or an escape; pairs that differ
 * only in their last byte at the lengths where the known-key comparison
 * changes form (a pattern of key, quote and colon: 16 bytes at 14, 24 at
 * 22). */
static const char *const KK_KEYS[] = {
	"eventName", "eventNam", "eventNameX", "userIdentity", "type", "", "a",
	"sessionContext", "sessionIssuer", "userName", "requestParameters",
	"bucketName", "exactly16bytes__", "exactly16bytes_", "exactly16bytes__x",
	"a_key_longer_than_sixteen_bytes", "a_key_longer_than_sixteen_bytez",
	"a_key_longer_than_sixteen_bytes_and_more", "k.l", "ev\\u0065ntName", "x",
	"key_of_14_byte", "key_of_14_bytf", "key_of_22_bytes_long_a", "key_of_22_bytes_long_b",
	"key_of_23_bytes_long_ab", "key_of_23_bytes_long_ac", "key_of_13_byt", "key_of_13_byu",
	"key_of_21_bytes_long_", "key_of_21_bytes_longz",
};
#define KK_NKEYS (sizeof KK_KEYS / sizeof KK_KEYS[0])

static const char *const KK_FIELDS[] = {
	"eventName", "userIdentity.type", "userIdentity.sessionContext.sessionIssuer.userName",
	"requestParameters.bucketName", "exactly16bytes__", "exactly16bytes__x.a",
	"a_key_longer_than_sixteen_bytes.x", "", "k", "userIdentity.a_key_longer_than_sixteen_bytes",
	"key_of_14_byte", "key_of_22_bytes_long_a", "key_of_23_bytes_long_ab.key_of_14_bytf",
	"key_of_13_byt", "key_of_21_bytes_long_",
};
#define KK_NFIELDS (sizeof KK_FIELDS / sizeof KK_FIELDS[0])

static void kk_object(char *o, size_t *n, size_t cap, const unsigned *order, unsigned m, int depth)
{
	put(o, n, cap, "{");
	for (unsigned i = 0; i < m; i++) {
		if (rnd(8) == 0)
			continue; /* an optional key left out */
		if (*n > 1 && o[*n - 1] != '{')
			put(o, n, cap, ",");
		put(o, n, cap, "\"");
		put(o, n, cap, KK_KEYS[order[i] % KK_NKEYS]);
		put(o, n, cap, "\":");
		if (depth < 3 && rnd(3) == 0)
			kk_object(o, n, cap, order + 1, m > 1 ? m - 1 : 1, depth + 1);
		else
			gen_value(o, n, cap, 4);
	}
	put(o, n, cap, "}");
}

/* One reader kept over many records, so that it predicts keys from earlier
 * records (mostly in one of a few orders, with keys left out, swapped,
 * changed or cut): on every stage-1 path it gives what the old reader
 * gives, and it keeps doing so after forgetting its known keys (many
 * distinct keys, and long ones). */
/* Several fields ending at one trie node (the same path twice, "k" and
 * "k."): each gets every value found there, on the inline paths (plain
 * string, literal) and the general ones (escaped string, number, object,
 * array elements). */
static void test_shared_node(void **state)
{
	(void)state;
	static const char *const fields[] = { "k", "o.k", "k.", "o.k", "k" };
	fx f;
	bool fb;
	size_t off;
	memset(&f, 0, sizeof f);
	assert_int_equal(cs__evpaths_build(fields, 5, &f.P), CS_OK);
	assert_int_equal(cs__evread_init(&f.er, f.P), CS_OK);
	f.a = cs_arena_new(0);
	assert_non_null(f.a);
	const char *recs[] = {
		"{\"k\":\"v\",\"o\":{\"k\":true}}",
		"{\"k\":\"a\\u0062\",\"o\":{\"k\":-2}}",
		"{\"o\":{\"k\":{\"x\":1}},\"k\":[null,\"s\"]}",
	};
	const char *want_k[] = { "string:v", "string:ab", "null:|string:s" };
	const char *want_ok[] = { "boolean:true", "number:-2", "object:" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rd(&f, recs[i], &fb, &off), CS_OK);
		assert_false(fb);
		assert_string_equal(vals(&f, 0), want_k[i]);
		assert_string_equal(vals(&f, 2), want_k[i]);
		assert_string_equal(vals(&f, 4), want_k[i]);
		assert_string_equal(vals(&f, 1), want_ok[i]);
		assert_string_equal(vals(&f, 3), want_ok[i]);
	}
	cs__evread_release(&f.er);
	cs__evpaths_free(f.P);
	cs_arena_free(f.a);
}

static void test_known_keys(void **state)
{
	(void)state;
	cs__evpaths *P = NULL;
	cs__evread er;
	unsigned orders[4][12];
	assert_int_equal(cs__evpaths_build(KK_FIELDS, KK_NFIELDS, &P), CS_OK);
	assert_int_equal(cs__evread_init(&er, P), CS_OK);
	for (unsigned k = 0; k < 4; k++)
		for (unsigned i = 0; i < 12; i++)
			orders[k][i] = rnd(KK_NKEYS);
	for (int iter = 0; iter < 6000; iter++) {
		char buf[8192];
		size_t n = 0;
		unsigned order[12];
		memcpy(order, orders[rnd(4)], sizeof order);
		if (rnd(4) == 0) {
			unsigned i = rnd(12), j = rnd(12), t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		if (iter >= 4000 && iter < 5000) {
			/* 2,000 distinct keys, a quarter of them long, more than
			 * the reader can know at once: it forgets them all and
			 * learns again */
			char key[320];
			size_t kl = (size_t)snprintf(key, sizeof key, "{\"k%u\":1,\"", (unsigned)iter);
			size_t want = rnd(4) ? 12 : 200 + rnd(100);
			while (kl < want && kl + 4 < sizeof key)
				key[kl++] = (char)('a' + rnd(26));
			memcpy(key + kl, "\":", 3);
			put(buf, &n, sizeof buf, key);
			kk_object(buf, &n, sizeof buf, order, 12, 1);
			put(buf, &n, sizeof buf, "}");
		} else {
			kk_object(buf, &n, sizeof buf, order, 12, 0);
		}
		if (iter % 5 == 0 && n > 2) {
			size_t at = rnd((unsigned)n);
			static const char junk[] = "{}[]\",:\\ 0.\x01\xff" "a";
			switch (rnd(3)) {
			case 0: buf[at] = junk[rnd(sizeof junk - 1)]; break;
			case 1: memmove(buf + at, buf + at + 1, n - at - 1); n--; break;
			default: n = at; break;
			}
		}
		int d = evdiff_warm(&er, KK_FIELDS, KK_NFIELDS, buf, n);
		if (d)
			fail_msg("disagreement %d at record %d: %.*s", d, iter, (int)n, buf);
	}
	assert_true(er.nkeys > 1);
	/* a known key at each length where its pattern ('"', the key, '"', ':')
	 * takes one more word, then the same key without its colon right
	 * after it: every pattern byte counts */
	for (size_t i = 0; i < KK_NKEYS; i++) {
		char rec[3][128];
		const char *k = KK_KEYS[i];
		(void)snprintf(rec[0], sizeof rec[0], "{\"%s\":true,\"eventName\":\"e\"}", k);
		(void)snprintf(rec[1], sizeof rec[1], "{\"%s\" :true,\"eventName\":\"e\"}", k);
		(void)snprintf(rec[2], sizeof rec[2], "{\"%s\"x:true,\"eventName\":\"e\"}", k);
		for (unsigned r = 0; r < 5; r++) {
			const char *in = rec[r < 3 ? 0 : r - 2];
			int d = evdiff_warm(&er, KK_FIELDS, KK_NFIELDS, in, strlen(in));
			if (d)
				fail_msg("disagreement %d: %s", d, in);
		}
	}
	cs__evread_release(&er);
	cs__evpaths_free(P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dots_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup_scalar, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup_scalar, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup_scalar, teardown),
		cmocka_unit_test_setup_teardown(test_blocks, setup_scalar, teardown),
		cmocka_unit_test_setup_teardown(test_dots_keys, setup_scalar, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup_sse2, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup_sse2, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup_sse2, teardown),
		cmocka_unit_test_setup_teardown(test_blocks, setup_sse2, teardown),
		cmocka_unit_test_setup_teardown(test_dots_keys, setup_sse2, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup_avx2, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup_avx2, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup_avx2, teardown),
		cmocka_unit_test_setup_teardown(test_blocks, setup_avx2, teardown),
		cmocka_unit_test_setup_teardown(test_dots_keys, setup_avx2, teardown),
		cmocka_unit_test(test_blocks_diff),
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_known_keys),
		cmocka_unit_test(test_shared_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
