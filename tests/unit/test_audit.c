/* test_audit.c - the check language's three-valued semantics (docs/checks.md)
 * and attribute paths, evaluated on hand-built attribute trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/json.h"
#include "cshare/yaml.h"
#include "audit/check.h"

/* The attributes used below: an unknown is written as the string "?U". */
static const char *attrs_json =
	"{\"versioning\":\"Enabled\",\"retention\":7,\"flag\":\"true\",\"empty\":[],"
	"\"cidrs\":[\"10.0.0.0/8\",\"0.0.0.0/0\"],\"u\":\"?U\",\"nul\":null,"
	"\"rules\":[{\"port\":22,\"cidr\":\"0.0.0.0/0\"},{\"port\":443,\"cidr\":\"10.0.0.0/8\"}],"
	"\"urules\":[{\"port\":22,\"cidr\":\"?U\"},{\"port\":80,\"cidr\":\"10.1.0.0/16\"}],"
	"\"nested\":{\"a\":{\"b\":\"x\"}},\"ulist\":\"?U\"}";

/* Rebuilds the tree with "?U" strings turned into unknown values. */
static cs_value *unknownify(cs_arena *a, const cs_value *v)
{
	if (v->type == CS_VSTRING && cs_str_eqc(v->u.s, "?U"))
		return cs__v_unknown(a, "test unknown", v->line, v->col);
	if (v->type == CS_VARRAY) {
		cs_value *items[16];
		for (size_t i = 0; i < v->u.arr.n; i++)
			items[i] = unknownify(a, v->u.arr.v[i]);
		return cs__v_array(a, items, v->u.arr.n, v->line, v->col);
	}
	if (v->type == CS_VOBJECT) {
		cs_member m[16];
		for (size_t i = 0; i < v->u.obj.n; i++) {
			m[i] = v->u.obj.m[i];
			m[i].val = unknownify(a, v->u.obj.m[i].val);
		}
		return cs__v_object(a, m, v->u.obj.n, v->line, v->col);
	}
	return (cs_value *)v;
}

typedef struct {
	cs_arena *a;
	cs_checkset *cs;
	const cs_value *attrs;
} fixture;

static int setup(void **state)
{
	static fixture f;
	cs_diag_sink sink = { 0 };
	const cs_value *v;
	f.a = cs_arena_new(0);
	assert_int_equal(cs_json_parse(f.a, "t", attrs_json, strlen(attrs_json), NULL, &sink, &v, NULL), CS_OK);
	f.attrs = unknownify(f.a, v);
	assert_int_equal(cs_checkset_new(&f.cs, NULL), CS_OK);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	cs_checkset_free(f->cs);
	cs_arena_free(f->a);
	return 0;
}

/* Evaluates a condition written in YAML flow style. */
static cs_tri ev(fixture *f, const char *yaml)
{
	char doc[2048];
	snprintf(doc, sizeof doc,
		 "id: T\ntitle: t\nkind: k\nseverity: low\ndomain: d\nframeworks: {nist-800-53-r5: [X]}\n"
		 "rationale: r\nremediation: r\nassert: %s\n",
		 yaml);
	FILE *fp = fopen("/tmp/cshare-test-audit.yaml", "w");
	assert_non_null(fp);
	fputs(doc, fp);
	fclose(fp);
	cs_checkset *cs;
	cs_diag_sink sink = { 0 };
	assert_int_equal(cs_checkset_new(&cs, &sink), CS_OK);
	assert_int_equal(cs_checkset_load_dir(cs, "/tmp/cshare-test-audit.yaml"), CS_OK);
	const cs_check *c = cs_checkset_find(cs, "T");
	assert_non_null(c);
	cs_evidence e;
	cs_tri t = cs__cond_eval(c->assert_, f->attrs, f->a, &e);
	cs_checkset_free(cs);
	return t;
}

#define T(y) assert_int_equal(ev(f, y), T_TRUE)
#define F(y) assert_int_equal(ev(f, y), T_FALSE)
#define U(y) assert_int_equal(ev(f, y), T_UNK)

static void test_tests(void **state)
{
	fixture *f = *state;
	T("{attr: versioning, eq: Enabled}");
	T("{attr: versioning, eq: enabled}");          /* case-insensitive */
	F("{attr: versioning, eq_cased: enabled}");
	T("{attr: retention, eq: \"7\"}");              /* number vs numeric string */
	T("{attr: flag, eq: true}");                    /* "true" vs true */
	T("{attr: retention, gte: 7}");
	F("{attr: retention, gt: 7}");
	T("{attr: versioning, in: [Suspended, Enabled]}");
	T("{attr: versioning, not_in: [Suspended]}");
	T("{attr: cidrs, contains: 0.0.0.0/0}");
	T("{attr: cidrs, cidr_open: true}");
	T("{attr: versioning, matches: \"^En\"}");
	T("{attr: empty, empty: true}");
	T("{attr: nested.a.b, eq: x}");
	T("{attr: \"rules[0].port\", eq: 22}");
	T("{attr: \"rules[*].port\", contains: 443}");
}

static void test_absent(void **state)
{
	fixture *f = *state;
	/* absent (and null): exists false, ne/not_in true, others false */
	F("{attr: missing, exists: true}");
	T("{attr: missing, exists: false}");
	T("{attr: nul, exists: false}");
	F("{attr: missing, eq: Enabled}");
	T("{attr: missing, ne: Enabled}");
	T("{attr: missing, not_in: [a]}");
	F("{attr: missing, gte: 1}");
	T("{attr: missing, empty: true}");
	F("{attr: missing, cidr_open: true}");
}

static void test_unknown(void **state)
{
	fixture *f = *state;
	/* every test on an unknown is unknown, even exists and ne */
	U("{attr: u, eq: x}");
	U("{attr: u, ne: x}");
	U("{attr: u, exists: true}");
	U("{attr: u, exists: false}");
	U("{attr: u.deeper, eq: x}");
	U("{not: {attr: u, eq: x}}");
}

static void test_kleene(void **state)
{
	fixture *f = *state;
	/* all: false wins over unknown; any: true wins over unknown */
	F("{all: [{attr: u, eq: x}, {attr: versioning, eq: Suspended}]}");
	U("{all: [{attr: u, eq: x}, {attr: versioning, eq: Enabled}]}");
	T("{all: [{attr: versioning, eq: Enabled}, {attr: retention, eq: 7}]}");
	T("{any: [{attr: u, eq: x}, {attr: versioning, eq: Enabled}]}");
	U("{any: [{attr: u, eq: x}, {attr: versioning, eq: Suspended}]}");
	F("{any: [{attr: versioning, eq: Suspended}, {attr: retention, eq: 8}]}");
}

static void test_each(void **state)
{
	fixture *f = *state;
	F("{each: rules, none: {all: [{attr: port, eq: 22}, {attr: cidr, cidr_open: true}]}}");
	T("{each: rules, any: {attr: port, eq: 443}}");
	F("{each: rules, all: {attr: port, eq: 443}}");
	/* an unknown element decides nothing unless another element decides */
	U("{each: urules, none: {all: [{attr: port, eq: 22}, {attr: cidr, cidr_open: true}]}}");
	F("{each: urules, all: {attr: port, eq: 22}}");
	/* absent list: no elements */
	T("{each: missing, all: {attr: port, eq: 1}}");
	F("{each: missing, any: {attr: port, eq: 1}}");
	T("{each: missing, none: {attr: port, eq: 1}}");
	/* unknown list */
	U("{each: ulist, none: {attr: port, eq: 1}}");
	/* $ is the element itself */
	T("{each: cidrs, any: {attr: $, eq: 10.0.0.0/8}}");
}

static void test_paths(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	cs_path *p;
	const char *why;
	assert_int_equal(cs__path_parse(a, "A.B[0].C", &p, &why), CS_OK);
	assert_int_equal(cs__path_len(p), 4);
	assert_int_equal(cs__path_parse(a, "'a.b'.c", &p, &why), CS_OK);
	assert_int_equal(cs__path_len(p), 2);
	assert_int_equal(cs__path_parse(a, "a..b", &p, &why), CS_ESYNTAX);
	assert_int_equal(cs__path_parse(a, "a[", &p, &why), CS_ESYNTAX);
	assert_int_equal(cs__path_parse(a, "a[x]", &p, &why), CS_ESYNTAX);
	assert_int_equal(cs__path_parse(a, "a.", &p, &why), CS_ESYNTAX);
	assert_int_equal(cs__path_parse(a, "", &p, &why), CS_ESYNTAX);
	/* wildcards flatten one level each */
	const char *j = "{\"l\":[{\"c\":[\"a\",\"b\"]},{\"c\":[\"d\"]},{\"x\":1}]}";
	const cs_value *root, *out;
	cs_diag_sink sink = { 0 };
	assert_int_equal(cs_json_parse(a, "t", j, strlen(j), NULL, &sink, &root, NULL), CS_OK);
	assert_int_equal(cs__path_parse(a, "l[*].c[*]", &p, &why), CS_OK);
	assert_int_equal(cs__path_eval(p, root, a, &out), CS_PATH_FOUND);
	assert_int_equal(cs_value_len(out), 3);
	assert_int_equal(cs__path_parse(a, "l[*].c", &p, &why), CS_OK);
	assert_int_equal(cs__path_eval(p, root, a, &out), CS_PATH_FOUND);
	assert_int_equal(cs_value_len(out), 2);
	assert_int_equal(cs__path_parse(a, "l[5]", &p, &why), CS_OK);
	assert_int_equal(cs__path_eval(p, root, a, &out), CS_PATH_ABSENT);
	assert_int_equal(cs__path_parse(a, "l.c", &p, &why), CS_OK);
	assert_int_equal(cs__path_eval(p, root, a, &out), CS_PATH_ABSENT);
	cs_arena_free(a);
}

/* Partly known strings: holes match what they may hold, the known text
 * decides the rest. */
static void test_shapes(void **state)
{
	(void)state;
	const char sub[] = "arn:\x02:iam::\x02:root"; /* Sub of two pseudo parameters */
	assert_false(cs__shape_can_equal(sub, CS_STR_LIT("*"), false));
	assert_true(cs__shape_can_equal(sub, CS_STR_LIT("arn:aws:iam::111122223333:root"), false));
	assert_true(cs__shape_can_equal(sub, CS_STR_LIT("ARN:aws:IAM::1:ROOT"), true));
	assert_false(cs__shape_can_equal(sub, CS_STR_LIT("ARN:aws:IAM::1:ROOT"), false));
	assert_false(cs__shape_can_equal(sub, CS_STR_LIT("arn::iam::1:root"), false)); /* token non-empty */
	assert_false(cs__shape_can_equal(sub, CS_STR_LIT("arn:a*b:iam::1:root"), false));
	assert_true(cs__shape_must_contain(sub, CS_STR_LIT(":iam::")));
	assert_false(cs__shape_can_contain(sub, CS_STR_LIT("*")));
	assert_true(cs__shape_can_contain(sub, CS_STR_LIT("aws")));
	const char any[] = "\x01"; /* a parameter without default */
	assert_true(cs__shape_can_equal(any, CS_STR_LIT("*"), false));
	assert_true(cs__shape_can_equal(any, CS_STR_LIT(""), false));
	assert_true(cs__shape_can_contain(any, CS_STR_LIT("*")));
	const char mixed[] = "10.\x01/16";
	assert_false(cs__shape_can_equal(mixed, CS_STR_LIT("0.0.0.0/0"), false));
	assert_true(cs__shape_can_equal(mixed, CS_STR_LIT("10.1.0.0/16"), false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tests), cmocka_unit_test(test_absent),
		cmocka_unit_test(test_unknown), cmocka_unit_test(test_kleene),
		cmocka_unit_test(test_each), cmocka_unit_test(test_paths),
		cmocka_unit_test(test_shapes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
