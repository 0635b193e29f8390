/* test_yaml.c - the YAML loader against the YAML 1.2.2 specification
 * (core schema, tags, anchors, merge keys, streams) and every class of
 * malformed input, with the located diagnostics each must give. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/json.h"
#include "cshare/yaml.h"
#include "core/internal.h"

typedef struct {
	unsigned n, warnings;
	cs_diag last;
	char msg[512];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	c->n++;
	if (d->sev == CS_SEV_WARNING)
		c->warnings++;
	c->last = *d;
	snprintf(c->msg, sizeof c->msg, "%s", d->msg);
	c->last.msg = c->msg;
}

static cs_err parse_opts(cs_arena *a, const char *s, const cs_yaml_opts *o, const cs_value **v,
			 capture *c)
{
	cs_diag_sink sink = { cap, c, 0, 0 };
	memset(c, 0, sizeof *c);
	return cs_yaml_parse(a, "t.yaml", s, strlen(s), o, &sink, v);
}

/* Parses a one-document stream and returns its root. */
static const cs_value *doc1(cs_arena *a, const char *s, capture *c)
{
	const cs_value *docs = NULL;
	assert_int_equal(parse_opts(a, s, NULL, &docs, c), CS_OK);
	assert_int_equal(cs_value_len(docs), 1);
	return cs_value_at(docs, 0);
}

/* YAML 1.2.2 section 10.3.2 (core schema tag resolution): the regular
 * expressions for null, bool, int (decimal, 0o, 0x) and float (.inf, .nan);
 * everything else is a string. */
static void test_core_schema(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a,
				 "[null, Null, NULL, ~, true, True, TRUE, false, FALSE,"
				 " 0, -19, +12, 0o14, 0xC, 0x1f, 1.5, -2E+3, .5, 5., .inf, -.Inf,"
				 " .NaN, yes, no, on, 0b101, 1_000, 2010-09-09, 0o8, 0x, ., 1e,"
				 " tRue, -.nan]",
				 &c);
	assert_int_equal(cs_value_len(v), 34);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(cs_value_type(cs_value_at(v, i)), CS_VNULL);
	for (size_t i = 4; i < 9; i++) {
		assert_int_equal(cs_value_type(cs_value_at(v, i)), CS_VBOOL);
		assert_int_equal(cs_value_bool(cs_value_at(v, i)), i < 7);
	}
	static const double nums[] = { 0, -19, 12, 12, 12, 31, 1.5, -2000, 0.5, 5 };
	for (size_t i = 0; i < CS_ARRAY_SIZE(nums); i++) {
		const cs_value *n = cs_value_at(v, 9 + i);
		assert_int_equal(cs_value_type(n), CS_VNUMBER);
		assert_true(cs_value_num(n) == nums[i]);
		assert_int_equal(!!(n->flags & CS_VF_INT), i < 6);
	}
	/* raw text is kept for numbers */
	assert_true(cs_str_eqc(cs_value_str(cs_value_at(v, 12)), "0o14"));
	assert_true(isinf(cs_value_num(cs_value_at(v, 19))) && cs_value_num(cs_value_at(v, 19)) > 0);
	assert_true(isinf(cs_value_num(cs_value_at(v, 20))) && cs_value_num(cs_value_at(v, 20)) < 0);
	assert_true(isnan(cs_value_num(cs_value_at(v, 21))));
	/* YAML 1.1 booleans, binary, underscores, dates and near misses are
	 * strings in 1.2 */
	static const char *const strs[] = { "yes", "no",  "on", "0b101", "1_000", "2010-09-09",
					    "0o8", "0x",  ".",  "1e",    "tRue",  "-.nan" };
	for (size_t i = 0; i < CS_ARRAY_SIZE(strs); i++) {
		const cs_value *s = cs_value_at(v, 22 + i);
		assert_int_equal(cs_value_type(s), CS_VSTRING);
		assert_true(cs_str_eqc(cs_value_str(s), strs[i]));
		assert_false(s->flags & CS_VF_QUOTED);
	}
	assert_int_equal(c.n, 0);
	/* an empty plain scalar is null too */
	v = doc1(a, "k:\n", &c);
	assert_int_equal(cs_value_type(cs_value_get(v, "k")), CS_VNULL);
	cs_arena_free(a);
}

/* Quoted and block scalars are never resolved (spec 6.9/7.3, "non-plain
 * scalars are strings"); escapes of double-quoted scalars (5.7). */
static void test_quoted_and_block(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a,
				 "a: \"123\"\nb: 'true'\nc: \"x\\ty\\u00e9\"\nd: |\n  line1\n  line2\n"
				 "e: >\n  folded\n  text\nf: ''\n",
				 &c);
	const cs_value *x = cs_value_get(v, "a");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_true(cs_str_eqc(cs_value_str(x), "123"));
	assert_true(x->flags & CS_VF_QUOTED);
	x = cs_value_get(v, "b");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_true(x->flags & CS_VF_QUOTED);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(v, "c")), "x\ty\xc3\xa9"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(v, "d")), "line1\nline2\n"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(v, "e")), "folded text\n"));
	x = cs_value_get(v, "f");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_int_equal(cs_value_str(x).len, 0);
	cs_arena_free(a);
}

/* Local tags (spec 6.8.2) are kept and do not change the type; the
 * standard !!str/!!int/!!float/!!bool/!!null tags are honoured. */
static void test_tags(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a,
				 "r: !Ref MyBucket\n"
				 "n: !Ref 123\n"
				 "g: !GetAtt [Role, Arn]\n"
				 "s: !Sub\n  - '${A}'\n  - {A: b}\n"
				 "i: !!int \"42\"\n"
				 "t: !!str 42\n"
				 "f: !!float 1\n"
				 "b: !!bool 'true'\n"
				 "z: !!null ''\n"
				 "ts: !!timestamp 2001-12-14\n"
				 "bad: !!int abc\n",
				 &c);
	const cs_value *x = cs_value_get(v, "r");
	assert_string_equal(cs_value_tag(x), "!Ref");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_true(cs_str_eqc(cs_value_str(x), "MyBucket"));
	x = cs_value_get(v, "n");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_true(cs_str_eqc(cs_value_str(x), "123"));
	x = cs_value_get(v, "g");
	assert_string_equal(cs_value_tag(x), "!GetAtt");
	assert_int_equal(cs_value_type(x), CS_VARRAY);
	assert_int_equal(cs_value_len(x), 2);
	x = cs_value_get(v, "s");
	assert_string_equal(cs_value_tag(x), "!Sub");
	assert_int_equal(cs_value_type(cs_value_at(x, 1)), CS_VOBJECT);
	x = cs_value_get(v, "i");
	assert_int_equal(cs_value_type(x), CS_VNUMBER);
	assert_true(cs_value_num(x) == 42);
	assert_null(cs_value_tag(x));
	x = cs_value_get(v, "t");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_true(cs_str_eqc(cs_value_str(x), "42"));
	x = cs_value_get(v, "f");
	assert_int_equal(cs_value_type(x), CS_VNUMBER);
	assert_true(cs_value_num(x) == 1.0);
	assert_true(cs_value_bool(cs_value_get(v, "b")));
	assert_int_equal(cs_value_type(cs_value_get(v, "z")), CS_VNULL);
	x = cs_value_get(v, "ts");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_string_equal(cs_value_tag(x), "tag:yaml.org,2002:timestamp");
	/* !!int on a non-integer: a warning at the scalar, kept as a string */
	x = cs_value_get(v, "bad");
	assert_int_equal(cs_value_type(x), CS_VSTRING);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.last.sev, CS_SEV_WARNING);
	assert_int_equal(c.last.line, 13);
	assert_int_equal(c.last.col, 6);
	assert_non_null(strstr(c.msg, "not a valid int"));
	cs_arena_free(a);
}

/* Every value is located: 1-based line and column of its first character
 * (or of its tag/anchor when it has one). */
static void test_locations(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a, "# comment\nkey:\n  - 10\n  - {x: \"s\", y: [1, 2]}\nother: !Ref Z\n",
				 &c);
	assert_int_equal(cs_value_line(v), 2);
	assert_int_equal(cs_value_col(v), 1);
	assert_int_equal(v->u.obj.m[0].line, 2);
	assert_int_equal(v->u.obj.m[0].col, 1);
	const cs_value *k = cs_value_get(v, "key");
	assert_int_equal(cs_value_line(k), 3);
	assert_int_equal(cs_value_col(k), 3);
	assert_int_equal(cs_value_line(cs_value_at(k, 0)), 3);
	assert_int_equal(cs_value_col(cs_value_at(k, 0)), 5);
	const cs_value *m = cs_value_at(k, 1);
	assert_int_equal(cs_value_line(m), 4);
	assert_int_equal(cs_value_col(m), 5);
	assert_int_equal(m->u.obj.m[1].col, 14); /* key y */
	const cs_value *y = cs_value_get(m, "y");
	assert_int_equal(cs_value_col(y), 17);
	assert_int_equal(cs_value_col(cs_value_at(y, 1)), 21);
	const cs_value *o = cs_value_get(v, "other");
	assert_int_equal(cs_value_line(o), 5);
	assert_int_equal(cs_value_col(o), 8);
	assert_int_equal(cs__value_last_line(v), 5);
	cs_arena_free(a);
}

/* Streams (spec 9.2): several documents give an array, an empty stream an
 * empty array, an explicitly empty document a null. */
static void test_streams(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *d;
	assert_int_equal(parse_opts(a, "", NULL, &d, &c), CS_OK);
	assert_int_equal(cs_value_type(d), CS_VARRAY);
	assert_int_equal(cs_value_len(d), 0);
	assert_int_equal(parse_opts(a, "# only a comment\n", NULL, &d, &c), CS_OK);
	assert_int_equal(cs_value_len(d), 0);
	assert_int_equal(parse_opts(a, "a: 1\n---\n- b\n--- 3\n...\n---\n", NULL, &d, &c), CS_OK);
	assert_int_equal(cs_value_len(d), 4);
	assert_true(cs_value_num(cs_value_get(cs_value_at(d, 0), "a")) == 1);
	assert_int_equal(cs_value_type(cs_value_at(d, 1)), CS_VARRAY);
	assert_int_equal(cs_value_line(cs_value_at(d, 1)), 3);
	assert_true(cs_value_num(cs_value_at(d, 2)) == 3);
	assert_int_equal(cs_value_type(cs_value_at(d, 3)), CS_VNULL);
	/* anchors do not cross documents */
	assert_int_equal(parse_opts(a, "a: &x 1\n---\nb: *x\n", NULL, &d, &c), CS_ESYNTAX);
	assert_int_equal(c.last.line, 3);
	assert_int_equal(c.last.col, 4);
	cs_arena_free(a);
}

/* Anchors and aliases (spec 3.2.2.2, example 2.10) and merge keys
 * (yaml.org/type/merge.html: explicit keys win, earlier sources win). */
static void test_anchors_merge(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a,
				 "- &CENTER {x: 1, y: 2}\n"
				 "- &LEFT {x: 0, y: 2}\n"
				 "- &BIG {r: 10}\n"
				 "- &SMALL {r: 1}\n"
				 "- x: 1\n  y: 2\n  r: 10\n"
				 "- <<: *CENTER\n  r: 10\n"
				 "- <<: [*CENTER, *BIG]\n"
				 "- <<: [*BIG, *LEFT, *SMALL]\n  x: 1\n"
				 "- *CENTER\n"
				 "- {'<<': 5}\n",
				 &c);
	assert_int_equal(c.n, 0);
	const cs_value *want = cs_value_at(v, 4);
	for (size_t i = 5; i < 8; i++) {
		const cs_value *m = cs_value_at(v, i);
		assert_int_equal(cs_value_len(m), 3);
		assert_true(cs__value_equal(m, want));
	}
	/* an alias shares the anchored node */
	assert_ptr_equal(cs_value_at(v, 8), cs_value_at(v, 0));
	/* the most recent anchor wins, also one declared inside the first
	 * (spec 3.2.2.2), and many anchors rehash the table safely */
	v = doc1(a, "- &a [&a 1, *a]\n- *a\n", &c);
	assert_true(cs_value_num(cs_value_at(cs_value_at(v, 0), 1)) == 1);
	assert_true(cs_value_num(cs_value_at(v, 1)) == 1);
	char many[8192];
	size_t o = (size_t)snprintf(many, sizeof many, "- &top\n");
	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(many + o, sizeof many - o, "  - &n%d %d\n", i, i);
	o += (size_t)snprintf(many + o, sizeof many - o, "- *top\n- *n150\n");
	v = doc1(a, many, &c);
	assert_int_equal(cs_value_len(cs_value_at(v, 1)), 200);
	assert_true(cs_value_num(cs_value_at(v, 2)) == 150);
	v = doc1(a, "- &CENTER {x: 1, y: 2}\n- &LEFT {x: 0, y: 2}\n- &BIG {r: 10}\n"
		    "- &SMALL {r: 1}\n- x: 1\n  y: 2\n  r: 10\n- <<: *CENTER\n  r: 10\n"
		    "- <<: [*CENTER, *BIG]\n- <<: [*BIG, *LEFT, *SMALL]\n  x: 1\n- *CENTER\n"
		    "- {'<<': 5}\n",
		 &c);
	/* a quoted << is an ordinary key */
	assert_true(cs_value_num(cs_value_get(cs_value_at(v, 9), "<<")) == 5);
	/* merging a scalar is diagnosed and ignored */
	v = doc1(a, "a: &s 1\nb:\n  <<: *s\n  k: v\n", &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.last.sev, CS_SEV_WARNING);
	assert_int_equal(c.last.line, 1);
	assert_int_equal(cs_value_len(cs_value_get(v, "b")), 1);
	cs_arena_free(a);
}

/* Duplicate keys: a warning at the later key, the last value wins. */
static void test_duplicates(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a, "Key: a\nValue: 1\nKey: b\n", &c);
	assert_int_equal(cs_value_len(v), 2);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(v, "Key")), "b"));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.last.sev, CS_SEV_WARNING);
	assert_int_equal(c.last.line, 3);
	assert_int_equal(c.last.col, 1);
	assert_non_null(strstr(c.msg, "duplicate YAML mapping key 'Key' (first at line 1)"));
	/* many keys go through the hash path */
	char big[8192];
	size_t o = 0;
	for (int i = 0; i < 500; i++)
		o += (size_t)snprintf(big + o, sizeof big - o, "k%d: %d\n", i % 400, i);
	v = doc1(a, big, &c);
	assert_int_equal(cs_value_len(v), 400);
	assert_int_equal(c.n, 100);
	assert_true(cs_value_num(cs_value_get(v, "k7")) == 407);
	cs_arena_free(a);
}

/* A "billion laughs" document: 9 aliases per level, 9 levels. */
static void test_alias_bomb(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	char doc[4096];
	size_t o = (size_t)snprintf(doc, sizeof doc, "a0: &a0 [lol, lol, lol]\n");
	for (int i = 1; i < 10; i++) {
		o += (size_t)snprintf(doc + o, sizeof doc - o, "a%d: &a%d [", i, i);
		for (int j = 0; j < 9; j++)
			o += (size_t)snprintf(doc + o, sizeof doc - o, "%s*a%d", j ? ", " : "", i - 1);
		o += (size_t)snprintf(doc + o, sizeof doc - o, "]\n");
	}
	const cs_value *d;
	assert_int_equal(parse_opts(a, doc, NULL, &d, &c), CS_ELIMIT);
	assert_int_equal(c.last.sev, CS_SEV_ERROR);
	assert_int_equal(c.last.code, CS_ELIMIT);
	assert_string_equal(c.last.file, "t.yaml");
	assert_true(c.last.line >= 7 && c.last.line <= 10);
	assert_true(c.last.col > 1);
	assert_non_null(strstr(c.msg, "more than 10000000 nodes"));
	/* a small limit counts expanded nodes: [x, x] with x = [1, 2] is 1+2*3 */
	cs_yaml_opts o2 = { 0, 6 };
	assert_int_equal(parse_opts(a, "- &x [1, 2]\n- *x\n", &o2, &d, &c), CS_ELIMIT);
	o2.max_nodes = 7;
	assert_int_equal(parse_opts(a, "- &x [1, 2]\n- *x\n", &o2, &d, &c), CS_OK);
	cs_arena_free(a);
}

static void test_depth_limit(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *d;
	char deep[1024];
	memset(deep, '[', 300);
	deep[300] = 0;
	assert_int_equal(parse_opts(a, deep, NULL, &d, &c), CS_ELIMIT);
	assert_int_equal(c.last.line, 1);
	assert_int_equal(c.last.col, 257);
	assert_non_null(strstr(c.msg, "deeper than 256"));
	cs_yaml_opts o = { 2, 0 };
	assert_int_equal(parse_opts(a, "a:\n  b: [1]\n", &o, &d, &c), CS_ELIMIT);
	assert_int_equal(c.last.line, 2);
	assert_int_equal(c.last.col, 6);
	assert_int_equal(parse_opts(a, "a:\n  b: 1\n", &o, &d, &c), CS_OK);
	cs_arena_free(a);
}

struct bad {
	const char *text;
	cs_err code;
	unsigned line, col;
	const char *needle;
};

/* libyaml's errors come back as one located diagnostic. */
static void test_errors(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{ "a:\n\tb: 1\n", CS_ESYNTAX, 2, 1, "found character that cannot start any token" },
		{ "a: [1, 2\n", CS_ESYNTAX, 2, 1, "did not find expected ',' or ']'" },
		{ "a: b: c\n", CS_ESYNTAX, 1, 5, "mapping values are not allowed" },
		{ "a: \"\xff\"\n", CS_EUTF8, 1, 5, "invalid leading UTF-8 octet" },
		{ "x: 1\ny: \xc3\n", CS_EUTF8, 2, 5, "invalid trailing UTF-8 octet" },
		{ "a: 1\n\x01\n", CS_ESYNTAX, 2, 1, "control characters are not allowed" },
		{ "k: *nope\n", CS_ESYNTAX, 1, 4, "alias *nope names no anchor" },
		{ "a: &x [1, *x]\n", CS_ESYNTAX, 1, 11, "refers to a node that contains it" },
		{ "a: 'open\n", CS_ESYNTAX, 2, 1, "unexpected end of stream" },
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(cases); i++) {
		cs_arena *a = cs_arena_new(0);
		capture c;
		const cs_value *d = (const cs_value *)1;
		cs_err rc = parse_opts(a, cases[i].text, NULL, &d, &c);
		if (rc != cases[i].code || c.last.line != cases[i].line ||
		    c.last.col != cases[i].col || !strstr(c.msg, cases[i].needle))
			fail_msg("case %zu: got %s at %u:%u '%s'", i, cs_errname(rc), c.last.line,
				 c.last.col, c.msg);
		assert_null(d);
		assert_int_equal(c.n, 1);
		assert_int_equal(c.last.sev, CS_SEV_ERROR);
		assert_string_equal(c.last.file, "t.yaml");
		assert_non_null(strstr(c.msg, "invalid YAML"));
		cs_arena_free(a);
	}
}

/* Complex keys are not representable: warned and skipped. */
static void test_complex_key(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a, "? [a, b]\n: 1\nc: 2\n", &c);
	assert_int_equal(cs_value_len(v), 1);
	assert_true(cs_value_num(cs_value_get(v, "c")) == 2);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.last.line, 1);
	assert_int_equal(c.last.col, 3);
	cs_arena_free(a);
}

static void test_arena_limit(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(4096);
	capture c;
	const cs_value *d;
	char doc[16384];
	size_t o = 0;
	for (int i = 0; i < 1000; i++)
		o += (size_t)snprintf(doc + o, sizeof doc - o, "- item%d\n", i);
	assert_int_equal(parse_opts(a, doc, NULL, &d, &c), CS_ELIMIT);
	assert_int_equal(c.last.code, CS_ELIMIT);
	assert_true(c.last.line > 1);
	cs_arena_free(a);
}

/* Every allocation failure gives CS_ENOMEM and leaks nothing (ASan). */
/* YAML numbers that are not JSON numbers are written as valid JSON (the
 * value, or a string for infinities), so reports stay parseable. */
static void test_json_output(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	capture c;
	const cs_value *v = doc1(a, "[0x1f, 0o14, +12, 1.5, -0, .inf, 7]", &c);
	cs_buf b;
	cs_buf_init(&b, 0);
	assert_int_equal(cs_json_write_value(&b, v), CS_OK);
	assert_string_equal(b.data, "[31,12,12,1.5,-0,\".inf\",7]");
	cs_buf_release(&b);
	cs_arena_free(a);
}

static void test_oom(void **state)
{
	(void)state;
	const char *doc = "a: &x {k: [1, 2, !Ref y]}\nb: {<<: *x, z: 'q'}\nk: 1\nk: 2\n---\n- x\n";
	bool finished = false;
	for (unsigned long n = 1; n < 400 && !finished; n++) {
		cs_arena *a = cs_arena_new(0);
		if (!a)
			continue;
		capture c;
		const cs_value *d;
		cs_alloc_fail_after(n);
		cs_err rc = parse_opts(a, doc, NULL, &d, &c);
		cs_alloc_fail_after(0);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		finished = rc == CS_OK;
		cs_arena_free(a);
	}
	assert_true(finished);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_schema),   cmocka_unit_test(test_quoted_and_block),
		cmocka_unit_test(test_tags),          cmocka_unit_test(test_locations),
		cmocka_unit_test(test_streams),       cmocka_unit_test(test_anchors_merge),
		cmocka_unit_test(test_duplicates),    cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_depth_limit),   cmocka_unit_test(test_errors),
		cmocka_unit_test(test_complex_key),   cmocka_unit_test(test_arena_limit),
		cmocka_unit_test(test_oom),           cmocka_unit_test(test_json_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
