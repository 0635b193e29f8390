/* test_hcl_eval.c - the HCL evaluator and the Terraform configuration
 * reader (src/lib/hcl/eval*.c, config.c, vars.c, module.c, adapter.c):
 * every expression form with Terraform's operator semantics and
 * conversions, unknown propagation, errors with locations; variable
 * precedence (Terraform docs, "Variable Definition Precedence"); type
 * constraints with optional() defaults; count/for_each addresses
 * ("Resource Addressing"); dynamic blocks; modules (local, nested,
 * counted, remote and absent); local cycles; references to computed
 * attributes as "ref:" unknowns; a for_each over 100,000 keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/internal.h"
#include "hcl/eval.h"
#include "hcl/tf.h"
#include "ingest/raw.h"

typedef struct {
	unsigned n;
	char all[8192];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	size_t l = strlen(c->all);
	snprintf(c->all + l, sizeof c->all - l, "%s:%u:%u %s\n", d->file ? d->file : "-", d->line,
		 d->col, d->msg);
	c->n++;
}

/* ---- expressions ------------------------------------------------------ */

/* var.known = "x", var.unk unknown, var.list = [1, 2, 3], var.nul = null,
 * var.obj = {a = 1} */
static cs_err test_resolve(void *ud, cs__hcl_ectx *cx, const cs_hcl_expr *root,
			   const cs__hcl_step *steps, size_t n, size_t *used, const cs_value **out)
{
	(void)ud;
	if (!cs_str_eqc(root->u.var.name, "var") || n < 1 || steps[0].index)
		return cs__hcl_eval_err(cx, root, "Unknown variable");
	cs_str k = steps[0].name;
	cs_arena *a = cx->a;
	*used = 1;
	if (cs_str_eqc(k, "known"))
		*out = cs__v_str(a, CS_STR_LIT("x"), 1, 1);
	else if (cs_str_eqc(k, "unk"))
		*out = cs__v_unknown(a, "var.unk has no value", 1, 1);
	else if (cs_str_eqc(k, "nul"))
		*out = cs__v_null(a, 1, 1);
	else if (cs_str_eqc(k, "list")) {
		cs_value *it[3] = { cs__hcl_mknum(a, 1, 1, 1), cs__hcl_mknum(a, 2, 1, 1),
				    cs__hcl_mknum(a, 3, 1, 1) };
		*out = cs__v_array(a, it, 3, 1, 1);
	} else if (cs_str_eqc(k, "obj")) {
		cs_member m[1] = { { CS_STR_LIT("a"), cs__hcl_mknum(a, 1, 1, 1), 1, 1 } };
		*out = cs__v_object(a, m, 1, 1, 1);
	} else
		return cs__hcl_eval_err(cx, steps[0].at, "Reference to undeclared input variable");
	return CS_OK;
}

typedef struct ev_res {
	cs_err rc;
	const cs_value *v;
	capture c;
} ev_res;

static ev_res *eval_str(cs_arena *a, const char *src)
{
	ev_res *r = cs_arena_alloc(a, sizeof *r);
	memset(r, 0, sizeof *r);
	cs_diag_sink sink = { cap, &r->c, 0, 0 };
	cs_hcl_expr *e = NULL;
	r->rc = cs__hcl_parse_expr(a, "t.tf", 1, 1, src, strlen(src), &sink, &e);
	if (r->rc)
		return r;
	cs__hcl_ectx cx;
	cs__hcl_ectx_init(&cx, a, &sink, "t.tf", ".", test_resolve, NULL);
	r->rc = cs__hcl_eval(&cx, e, &r->v);
	return r;
}

/* The value as compact JSON (unknowns as "<unknown: reason>"). */
static void show(const cs_value *v, char *buf, size_t cap);

static void show_into(const cs_value *v, cs_buf *b)
{
	switch (cs_value_type(v)) {
	case CS_VNULL:
		cs_buf_puts(b, "null");
		break;
	case CS_VBOOL:
		cs_buf_puts(b, cs_value_bool(v) ? "true" : "false");
		break;
	case CS_VNUMBER: {
		char t[400];
		cs_str s;
		cs__hcl_tostr(v, t, &s);
		cs_buf_append(b, s.ptr, s.len);
		break;
	}
	case CS_VSTRING:
		cs_buf_printf(b, "\"%.*s\"", (int)cs_value_str(v).len, cs_value_str(v).ptr);
		break;
	case CS_VARRAY:
		cs_buf_putc(b, '[');
		for (size_t i = 0; i < cs_value_len(v); i++) {
			if (i)
				cs_buf_putc(b, ',');
			show_into(cs_value_at(v, i), b);
		}
		cs_buf_putc(b, ']');
		break;
	case CS_VOBJECT:
		cs_buf_putc(b, '{');
		for (size_t i = 0; i < cs_value_len(v); i++) {
			if (i)
				cs_buf_putc(b, ',');
			cs_str k = cs_value_key_at(v, i);
			cs_buf_printf(b, "\"%.*s\":", (int)k.len, k.ptr);
			show_into(cs_value_at(v, i), b);
		}
		cs_buf_putc(b, '}');
		break;
	default:
		cs_buf_printf(b, "<unknown: %.*s>", (int)cs_value_str(v).len, cs_value_str(v).ptr);
		break;
	}
}

static void show(const cs_value *v, char *buf, size_t cap)
{
	cs_buf b;
	cs_buf_init(&b, 0);
	show_into(v, &b);
	snprintf(buf, cap, "%.*s", (int)b.len, b.data ? b.data : "");
	cs_buf_release(&b);
}

static void expect(const char *src, const char *want)
{
	cs_arena *a = cs_arena_new(0);
	ev_res *r = eval_str(a, src);
	char got[2048];
	if (r->rc) {
		fprintf(stderr, "%s: rc %d: %s\n", src, r->rc, r->c.all);
		fail();
	}
	show(r->v, got, sizeof got);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s\n  got:  %s\n  want: %s\n", src, got, want);
		fail();
	}
	cs_arena_free(a);
}

static void expect_error(const char *src, const char *msg, unsigned col)
{
	cs_arena *a = cs_arena_new(0);
	ev_res *r = eval_str(a, src);
	if (r->rc != CS_EINVAL)
		fprintf(stderr, "%s: rc %d\n", src, r->rc);
	assert_int_equal(r->rc, CS_EINVAL);
	if (!strstr(r->c.all, msg)) {
		fprintf(stderr, "%s: wanted \"%s\" in:\n%s\n", src, msg, r->c.all);
		fail();
	}
	if (col) {
		char at[32];
		snprintf(at, sizeof at, "t.tf:1:%u ", col);
		if (!strstr(r->c.all, at)) {
			fprintf(stderr, "%s: wanted the error at column %u:\n%s\n", src, col, r->c.all);
			fail();
		}
	}
	cs_arena_free(a);
}

static void test_literals_and_collections(void **state)
{
	(void)state;
	expect("null", "null");
	expect("true", "true");
	expect("1.5", "1.5");
	expect("\"a\"", "\"a\"");
	expect("[1, \"a\", [true]]", "[1,\"a\",[true]]");
	/* object keys sorted as cty keeps attributes; the later duplicate wins */
	expect("{ b = 1, a = 2, \"c\" = 3 }", "{\"a\":2,\"b\":1,\"c\":3}");
	expect("{ (var.known) = 1 }", "{\"x\":1}");
	expect("var.obj.a", "1");
	expect("var.list[1]", "2");
	expect("var.list.0", "1");
	expect("var.obj[\"a\"]", "1");
	/* a number key converts: "1" indexes a list */
	expect("var.list[\"1\"]", "2");
}

static void test_operators(void **state)
{
	(void)state;
	expect("1 + 2 * 3", "7");
	expect("(1 + 2) * 3", "9");
	expect("7 / 2", "3.5");
	expect("7 % 3", "1");
	expect("-(3)", "-3");
	/* strings convert to numbers for arithmetic (Terraform: "5" + 1 is 6) */
	expect("\"5\" + 1", "6");
	expect("2 > 1", "true");
	expect("2 <= 1", "false");
	/* equality does not convert: 1 and "1" differ */
	expect("1 == \"1\"", "false");
	expect("[1, 2] == [1, 2]", "true");
	expect("{a = 1} != {a = 1}", "false");
	expect("null == null", "true");
	expect("!true", "false");
	expect("true && false || true", "true");
	expect("1 == 1 ? \"y\" : \"n\"", "\"y\"");
	/* a string "true" converts to a bool condition */
	expect("\"true\" ? 1 : 2", "1");
}

static void test_operator_errors(void **state)
{
	(void)state;
	expect_error("1 + \"a\"", "Invalid operand: Unsuitable value for right operand", 5);
	expect_error("true + 1", "Unsuitable value for left operand: a number is required", 1);
	expect_error("1 / 0", "divide by zero", 1);
	expect_error("1 && true", "Invalid operand", 1);
	expect_error("var.list[5]", "Invalid index", 1);
	expect_error("var.obj.b", "Unsupported attribute", 1);
	expect_error("var.nul.a", "Attempt to get attribute from null value", 1);
	expect_error("\"a${var.nul}\"", "Invalid template interpolation value", 5);
	expect("\"${var.nul}\"", "null"); /* one interpolation: the value itself */
	expect_error("\"a${[1]}\"", "string required", 5);
	expect_error("nosuch(1)", "Call to unknown function", 1);
	expect_error("var.nope", "undeclared input variable", 1);
	expect_error("{for x in [1, 1] : x => x}", "Duplicate object key", 1);
	expect_error("[for x in 5 : x]", "Iteration over non-iterable value", 11);
	expect_error("upper(1, 2)", "upper", 0);
}

static void test_templates(void **state)
{
	(void)state;
	expect("\"a${1 + 1}b\"", "\"a2b\"");
	expect("\"${true}\"", "true"); /* a single interpolation keeps its type */
	expect("\"x${true}\"", "\"xtrue\"");
	/* Terraform docs, "Strings and Templates": directives */
	expect("\"Hello, %{ if var.known != \"\" }${var.known}%{ else }unnamed%{ endif }!\"",
	       "\"Hello, x!\"");
	expect("\"%{ for ip in [\"a\", \"b\"] }server ${ip};%{ endfor }\"",
	       "\"server a;server b;\"");
	expect("\"%{ for i, v in [\"a\", \"b\"] }${i}=${v} %{~ endfor }\"", "\"0=a1=b\"");
	expect("<<-EOT\n    hello\n      world\n    EOT\n", "\"hello\n  world\n\"");
}

static void test_for_and_splat(void **state)
{
	(void)state;
	/* Terraform docs, "for Expressions" */
	expect("[for s in [\"a\", \"b\"] : upper(s)]", "[\"A\",\"B\"]");
	expect("{for s in [\"a\", \"b\"] : s => upper(s)}", "{\"a\":\"A\",\"b\":\"B\"}");
	expect("[for i, v in [\"a\", \"b\"] : \"${i}:${v}\"]", "[\"0:a\",\"1:b\"]");
	expect("[for k, v in {b = 2, a = 1} : k]", "[\"a\",\"b\"]"); /* lexical key order */
	expect("[for x in [1, 2, 3, 4] : x if x % 2 == 0]", "[2,4]");
	expect("{for s in [\"a\", \"b\", \"a\"] : s => s...}", "{\"a\":[\"a\",\"a\"],\"b\":[\"b\"]}");
	/* Terraform docs, "Splat Expressions" */
	expect("[{a = 1}, {a = 2}][*].a", "[1,2]");
	expect("[{a = {b = 1}}][*].a.b", "[1]");
	expect("{a = 1}[*].a", "[1]"); /* a single value becomes a one-element tuple */
	expect("var.nul[*]", "[]");     /* null becomes an empty tuple */
	/* Terraform docs, "Legacy (Attribute-only) Splat Expressions": an index
	 * after .* applies to the result, after [*] to each element */
	expect("[{i = [1]}, {i = [2]}].*.i[0]", "[1]");
	expect("[{i = [1]}, {i = [2]}][*].i[0]", "[1,2]");
}

static void test_calls_try_can(void **state)
{
	(void)state;
	expect("upper(\"a\")", "\"A\"");
	expect("max([1, 5, 3]...)", "5");
	expect("length(var.list)", "3");
	/* Terraform docs, "try" and "can" */
	expect("try(var.list[10], \"fallback\")", "\"fallback\"");
	expect("try(var.obj.a, 0)", "1");
	expect("can(var.list[10])", "false");
	expect("can(var.list[0])", "true");
	expect("try(var.unk, \"d\")", "<unknown: var.unk has no value>");
	expect_error("try(var.list[10])", "no expression succeeded", 1);
	expect("provider::aws::arn_parse(\"x\")",
	       "<unknown: provider::aws::arn_parse() is evaluated by its provider>");
}

static void test_unknowns(void **state)
{
	(void)state;
	const char *u = "<unknown: var.unk has no value>";
	expect("var.unk", u);
	expect("var.unk + 1", u);
	expect("var.unk.a.b", u);
	expect("[var.unk, 1]", "[<unknown: var.unk has no value>,1]");
	expect("var.unk == 1", u);
	expect("upper(var.unk)", "<unknown: var.unk has no value>");
	/* LESSONS (checkov#7269): a conditional on an unknown is unknown */
	expect("var.unk == \"\" ? \"AES256\" : \"aws:kms\"", u);
	/* ... unless both results are the same */
	expect("var.unk ? \"AES256\" : \"AES256\"", "\"AES256\"");
	/* short-circuit (HCL 2.23): the known operand decides */
	expect("false && var.unk", "false");
	expect("true || var.unk", "true");
	expect("var.unk && false", "false");
	expect("var.unk || true", "true");
	expect("var.unk && true", u);
	expect("[for x in var.unk : x]", u);
	expect("{ (var.unk) = 1 }", u);
	expect("var.list[var.unk]", u);
	/* a template keeps its known text around the unknown part */
	cs_arena *a = cs_arena_new(0);
	ev_res *r = eval_str(a, "\"arn:aws:s3:::${var.unk}-logs\"");
	assert_int_equal(r->rc, CS_OK);
	assert_int_equal(cs_value_type(r->v), CS_VUNKNOWN);
	assert_string_equal(r->v->u.unk.shape, "arn:aws:s3:::\x01-logs");
	assert_true(cs_str_eqc(cs_value_str(r->v), "var.unk has no value"));
	cs_arena_free(a);
}

static void test_depth_limit(void **state)
{
	(void)state;
	/* 120 nested parentheses parse; evaluation stays bounded */
	char src[1024];
	size_t n = 0;
	for (int i = 0; i < 120; i++)
		src[n++] = '(';
	src[n++] = '1';
	for (int i = 0; i < 120; i++)
		src[n++] = ')';
	src[n] = 0;
	expect(src, "1");
}

/* ---- configurations --------------------------------------------------- */

typedef struct run {
	cs_ingest *in;
	capture c;
	cs_diag_sink sink;
	cs_err rc;
} run;

static run *run_files(const cs__tf_memfile *f, size_t n, const cs__tf_opts *o)
{
	run *r = cs_calloc(1, sizeof *r);
	r->sink = (cs_diag_sink){ cap, &r->c, 0, 0 };
	r->in = cs__ingest_new(0, &r->sink);
	r->rc = cs__tf_extract_files(r->in, "/nonexistent-cshare-test", f, n, o);
	return r;
}

static void run_free(run *r)
{
	cs__ingest_free(r->in);
	cs_free(r);
}

static const cs_raw *raw_named(run *r, const char *name)
{
	for (size_t i = 0; i < cs__ingest_count(r->in); i++) {
		const cs_raw *x = cs__ingest_at(r->in, i);
		if (strcmp(x->name, name) == 0)
			return x;
	}
	fprintf(stderr, "no resource %s; have:", name);
	for (size_t i = 0; i < cs__ingest_count(r->in); i++)
		fprintf(stderr, " %s", cs__ingest_at(r->in, i)->name);
	fprintf(stderr, "\n%s", r->c.all);
	fail();
	return NULL;
}

static void expect_prop(const cs_raw *x, const char *attr, const char *want)
{
	char got[2048];
	show(cs_value_get(x->props, attr), got, sizeof got);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s.%s\n  got:  %s\n  want: %s\n", x->name, attr, got, want);
		fail();
	}
}

#define MF(name, text) { name, text, sizeof(text) - 1 }

static void test_variable_precedence(void **state)
{
	(void)state;
	static const cs__tf_memfile f[] = {
		MF("variables.tf", "variable \"a\" { default = \"default\" }\n"
				   "variable \"b\" { default = \"default\" }\n"
				   "variable \"c\" { default = \"default\" }\n"
				   "variable \"d\" { default = \"default\" }\n"
				   "variable \"e\" { default = \"default\" }\n"
				   "variable \"f\" { default = \"default\" }\n"
				   "variable \"g\" { type = string }\n"
				   "variable \"n\" { type = number }\n"
				   "variable \"l\" { type = list(string) }\n"),
		MF("main.tf", "resource \"aws_s3_bucket\" \"v\" {\n"
			      "  tags = { a = var.a, b = var.b, c = var.c, d = var.d, e = var.e,\n"
			      "           f = var.f, g = var.g, n = var.n, l = var.l }\n"
			      "}\n"),
		MF("terraform.tfvars", "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\nzz = 1\n"),
		MF("terraform.tfvars.json", "{\"c\": \"tfvars.json\", \"d\": \"tfvars.json\"}"),
		MF("b.auto.tfvars", "d = \"b.auto\"\n"),
		MF("a.auto.tfvars", "d = \"a.auto\"\ne = \"a.auto\"\n"),
		MF("other.tfvars", "f = \"never read without --var-file\"\n"),
	};
	char *env[] = { "TF_VAR_a=env", "TF_VAR_b=env", "TF_VAR_c=env", "TF_VAR_d=env",
			"TF_VAR_e=env", "TF_VAR_n=5", "PATH=/bin", NULL };
	cs__tf_varopt vars[] = { { false, "e=cli1" }, { false, "e=cli2" },
				 { false, "l=[\"x\", \"y\"]" } };
	cs__tf_opts o;
	memset(&o, 0, sizeof o);
	o.env = env;
	o.vars = vars;
	o.nvars = 3;
	run *r = run_files(f, CS_ARRAY_SIZE(f), &o);
	const cs_raw *x = raw_named(r, "aws_s3_bucket.v");
	/* later sources win: env < terraform.tfvars < terraform.tfvars.json <
	 * *.auto.tfvars in lexical order < -var in order */
	expect_prop(x, "tags",
		    "{\"a\":\"env\",\"b\":\"tfvars\",\"c\":\"tfvars.json\",\"d\":\"b.auto\","
		    "\"e\":\"cli2\",\"f\":\"default\",\"g\":<unknown: var.g has no value>,"
		    "\"l\":[\"x\",\"y\"],\"n\":5}");
	/* zz is not declared: a warning, not an error */
	assert_non_null(strstr(r->c.all, "Value for undeclared variable"));
	assert_int_equal(r->rc, CS_OK);
	run_free(r);
}

static void test_types_optional(void **state)
{
	(void)state;
	static const cs__tf_memfile f[] = {
		MF("main.tf",
		   "variable \"o\" {\n"
		   "  type = object({ a = string, b = optional(number, 7), c = optional(list(string)),\n"
		   "                  d = optional(object({ e = optional(bool, true) }), {}) })\n"
		   "  default = { a = 1 }\n"
		   "}\n"
		   "variable \"bad\" {\n"
		   "  type = number\n"
		   "  default = \"x\"\n"
		   "}\n"
		   "variable \"s\" {\n"
		   "  type = set(string)\n"
		   "  default = [\"b\", \"a\", \"b\"]\n"
		   "}\n"
		   "resource \"aws_s3_bucket\" \"t\" {\n"
		   "  tags = var.o\n"
		   "  x    = var.bad\n"
		   "  s    = var.s\n"
		   "}\n"),
	};
	run *r = run_files(f, 1, NULL);
	const cs_raw *x = raw_named(r, "aws_s3_bucket.t");
	/* Terraform docs, "Optional Object Type Attributes": defaults apply,
	 * a = 1 converts to "1" */
	expect_prop(x, "tags", "{\"a\":\"1\",\"b\":7,\"c\":null,\"d\":{\"e\":true}}");
	expect_prop(x, "x", "<unknown: var.bad has an invalid value>");
	expect_prop(x, "s", "[\"a\",\"b\"]");
	assert_non_null(strstr(r->c.all, "Invalid value for input variable"));
	assert_non_null(strstr(r->c.all, "a number is required"));
	run_free(r);
}

static void test_count_for_each_addresses(void **state)
{
	(void)state;
	static const cs__tf_memfile f[] = {
		MF("main.tf",
		   "resource \"aws_s3_bucket\" \"c\" {\n"
		   "  count  = 2\n"
		   "  bucket = \"c-${count.index}\"\n"
		   "}\n"
		   "resource \"aws_s3_bucket\" \"s\" {\n"
		   "  for_each = toset([\"b\", \"a\"])\n"
		   "  bucket   = \"s-${each.key}-${each.value}\"\n"
		   "}\n"
		   "resource \"aws_s3_bucket\" \"m\" {\n"
		   "  for_each = { eu = \"eu-west-1\", \"q\\\"x\" = \"us\" }\n"
		   "  bucket   = each.value\n"
		   "}\n"
		   "resource \"aws_s3_bucket\" \"zero\" {\n"
		   "  count = 0\n"
		   "}\n"
		   "resource \"aws_s3_bucket\" \"bad\" {\n"
		   "  for_each = [\"a\"]\n"
		   "}\n"
		   "data \"aws_caller_identity\" \"me\" {}\n"
		   "resource \"aws_s3_bucket\" \"u\" {\n"
		   "  for_each = toset(data.aws_caller_identity.me.names)\n"
		   "  bucket   = \"u-${each.key}\"\n"
		   "  acl      = \"private\"\n"
		   "}\n"
		   "resource \"aws_s3_bucket\" \"refs\" {\n"
		   "  bucket = aws_s3_bucket.c[1].bucket\n"
		   "  other  = aws_s3_bucket.s[\"a\"].id\n"
		   "  all    = aws_s3_bucket.c[*].bucket\n"
		   "  keys   = keys(aws_s3_bucket.m)\n"
		   "}\n"),
	};
	run *r = run_files(f, 1, NULL);
	/* Terraform docs, "Resource Addressing": [N] for count, ["key"] for
	 * for_each */
	expect_prop(raw_named(r, "aws_s3_bucket.c[0]"), "bucket", "\"c-0\"");
	expect_prop(raw_named(r, "aws_s3_bucket.c[1]"), "bucket", "\"c-1\"");
	expect_prop(raw_named(r, "aws_s3_bucket.s[\"a\"]"), "bucket", "\"s-a-a\"");
	expect_prop(raw_named(r, "aws_s3_bucket.s[\"b\"]"), "bucket", "\"s-b-b\"");
	expect_prop(raw_named(r, "aws_s3_bucket.m[\"eu\"]"), "bucket", "\"eu-west-1\"");
	expect_prop(raw_named(r, "aws_s3_bucket.m[\"q\\\"x\"]"), "bucket", "\"us\"");
	/* instances known only after apply: one, [*], with each.key unknown */
	const cs_raw *u = raw_named(r, "aws_s3_bucket.u[*]");
	expect_prop(u, "acl", "\"private\"");
	expect_prop(u, "bucket",
		    "<unknown: data.aws_caller_identity.me.names is known only after apply>");
	assert_non_null(strstr(r->c.all, "instances of aws_s3_bucket.u are known only after apply"));
	/* references: configured values resolve, computed ones are ref: */
	const cs_raw *x = raw_named(r, "aws_s3_bucket.refs");
	expect_prop(x, "bucket", "\"c-1\"");
	expect_prop(x, "other", "<unknown: ref:aws_s3_bucket.s[\"a\"]>");
	expect_prop(x, "all", "[\"c-0\",\"c-1\"]");
	expect_prop(x, "keys", "[\"eu\",\"q\"x\"]"); /* shown unescaped */
	/* a tuple is not a valid for_each (Terraform: map or set of strings) */
	assert_non_null(strstr(r->c.all, "Invalid for_each argument"));
	size_t total = cs__ingest_count(r->in);
	assert_int_equal(total, 2 + 2 + 2 + 1 + 1); /* c, s, m, u[*], refs */
	assert_string_equal(x->format, "terraform-hcl");
	assert_string_equal(x->provider, "aws");
	assert_int_equal(x->line, 25);
	assert_int_equal(x->end_line, 30);
	run_free(r);
}

static void test_dynamic_and_blocks(void **state)
{
	(void)state;
	static const cs__tf_memfile f[] = {
		MF("main.tf",
		   "locals {\n"
		   "  rules = [{ id = \"a\", days = 30 }, { id = \"b\", days = 60 }]\n"
		   "}\n"
		   "resource \"aws_s3_bucket_lifecycle_configuration\" \"l\" {\n"
		   "  bucket = \"x\"\n"
		   "  rule {\n"
		   "    id = \"static\"\n"
		   "  }\n"
		   "  dynamic \"rule\" {\n"
		   "    for_each = local.rules\n"
		   "    iterator = r\n"
		   "    content {\n"
		   "      id = r.value.id\n"
		   "      expiration { days = r.value.days }\n"
		   "    }\n"
		   "  }\n"
		   "  lifecycle { prevent_destroy = true }\n"
		   "}\n"
		   "resource \"azurerm_storage_account\" \"s\" {\n"
		   "  identity { type = \"SystemAssigned\" }\n"
		   "}\n"
		   "resource \"azurerm_role_assignment\" \"r\" {\n"
		   "  principal_id = azurerm_storage_account.s.identity[0].principal_id\n"
		   "  kind         = azurerm_storage_account.s.identity[0].type\n"
		   "}\n"),
	};
	run *r = run_files(f, 1, NULL);
	const cs_raw *x = raw_named(r, "aws_s3_bucket_lifecycle_configuration.l");
	/* nested blocks as arrays of objects, as plan JSON shows them; the
	 * lifecycle meta-block is not an attribute */
	expect_prop(x, "rule",
		    "[{\"id\":\"static\"},{\"expiration\":[{\"days\":30}],\"id\":\"a\"},"
		    "{\"expiration\":[{\"days\":60}],\"id\":\"b\"}]");
	assert_null(cs_value_get(x->props, "lifecycle"));
	/* attributes of nested blocks that the configuration does not set are
	 * computed by the provider: unknown, not an error */
	const cs_raw *ra = raw_named(r, "azurerm_role_assignment.r");
	expect_prop(ra, "principal_id", "<unknown: ref:azurerm_storage_account.s>");
	expect_prop(ra, "kind", "\"SystemAssigned\"");
	assert_int_equal(r->rc, CS_OK);
	run_free(r);
}

static void test_local_cycle(void **state)
{
	(void)state;
	static const cs__tf_memfile f[] = {
		MF("main.tf", "locals {\n  a = local.b\n  b = \"${local.a}x\"\n  c = 1\n}\n"
			      "resource \"aws_s3_bucket\" \"x\" {\n  bucket = local.a\n  n = local.c\n}\n"),
	};
	run *r = run_files(f, 1, NULL);
	const cs_raw *x = raw_named(r, "aws_s3_bucket.x");
	assert_non_null(strstr(r->c.all, "Cycle: local."));
	assert_int_equal(cs_value_type(cs_value_get(x->props, "bucket")), CS_VUNKNOWN);
	expect_prop(x, "n", "1");
	assert_int_equal(r->rc, CS_EINVAL);
	run_free(r);
}

static void test_modules(void **state)
{
	(void)state;
	const char *dirs[] = { CS_SOURCE_DIR "/tests/cases/hcl/eval/modules" };
	capture c;
	memset(&c, 0, sizeof c);
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_ingest *in = cs__ingest_new(0, &sink);
	run r = { in, { 0, "" }, sink, CS_OK };
	cs_err rc = cs__tf_extract_dirs(in, dirs, 1, NULL);
	r.c = c;
	assert_int_equal(rc, CS_OK);
	/* Terraform docs, "Resource Addressing": module.<name>[key]. prefixes */
	const cs_raw *v0 = raw_named(&r, "module.net[0].aws_vpc.main");
	const cs_raw *v1 = raw_named(&r, "module.net[1].aws_vpc.main");
	expect_prop(v0, "cidr_block", "\"10.0.0.0/16\"");
	expect_prop(v1, "cidr_block", "\"10.1.0.0/16\"");
	expect_prop(v0, "tags", "{\"Name\":\"shop-0\"}");
	const cs_raw *s = raw_named(&r, "module.net[1].module.sub[\"a\"].aws_subnet.s");
	expect_prop(s, "vpc_id", "<unknown: ref:module.net[1].aws_vpc.main>");
	expect_prop(s, "cidr_block", "\"10.1.1.0/24\"");
	/* an output of a module instance flows back to the root */
	const cs_raw *root = raw_named(&r, "aws_security_group.sg");
	expect_prop(root, "vpc_id", "<unknown: ref:module.net[0].aws_vpc.main>");
	expect_prop(root, "description", "\"10.0.0.0/16\"");
	/* the module's files are the module directory's */
	assert_non_null(strstr(v0->file, "modules/net/main.tf"));
	/* remote and missing modules: reported, their resources absent */
	assert_non_null(strstr(r.c.all, "module \"remote\": source \"hashicorp/consul/aws\" is not "
					 "available locally"));
	for (size_t i = 0; i < cs__ingest_count(in); i++)
		assert_null(strstr(cs__ingest_at(in, i)->name, "module.remote"));
	/* the local module directory under the root is not audited again */
	size_t n = cs__ingest_count(in);
	const char *both[] = { dirs[0], CS_SOURCE_DIR "/tests/cases/hcl/eval/modules/net" };
	cs_ingest *in2 = cs__ingest_new(0, &sink);
	assert_int_equal(cs__tf_extract_dirs(in2, both, 2, NULL), CS_OK);
	assert_int_equal(cs__ingest_count(in2), n);
	cs__ingest_free(in2);
	cs__ingest_free(in);
}

static void test_many_instances(void **state)
{
	(void)state;
	/* the acceptance's "for_each over 100,000 keys" with bounded memory */
	static const cs__tf_memfile f[] = {
		MF("main.tf", "resource \"aws_s3_bucket\" \"b\" {\n"
			      "  for_each = toset(flatten([for a in range(100) :\n"
			      "    [for b in range(1000) : \"b${a}-${b}\"]]))\n"
			      "  bucket   = each.key\n"
			      "}\n"),
	};
	run *r = run_files(f, 1, NULL);
	assert_int_equal(r->rc, CS_OK);
	assert_int_equal(cs__ingest_count(r->in), 100000);
	expect_prop(raw_named(r, "aws_s3_bucket.b[\"b99-999\"]"), "bucket", "\"b99-999\"");
	/* about 1.5 KB per instance, everything included */
	assert_true(cs_arena_used(cs__ingest_arena(r->in)) < (size_t)400 << 20);
	run_free(r);
}

static void test_budget(void **state)
{
	(void)state;
	/* 1000 x 1000 x 1000 nested loops stop at the budget, diagnosed */
	static const cs__tf_memfile f[] = {
		MF("main.tf", "locals {\n"
			      "  r = range(1000)\n"
			      "  x = [for a in local.r : [for b in local.r : [for c in local.r : c]]]\n"
			      "}\n"
			      "resource \"aws_s3_bucket\" \"b\" {\n  n = length(local.x)\n}\n"),
	};
	cs__tf_opts o;
	memset(&o, 0, sizeof o);
	o.budget = 2000000;
	run *r = run_files(f, 1, &o);
	const cs_raw *x = raw_named(r, "aws_s3_bucket.b");
	assert_int_equal(cs_value_type(cs_value_get(x->props, "n")), CS_VUNKNOWN);
	assert_non_null(strstr(r->c.all, "Evaluation limit reached"));
	run_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals_and_collections),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_operator_errors),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_for_and_splat),
		cmocka_unit_test(test_calls_try_can),
		cmocka_unit_test(test_unknowns),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_variable_precedence),
		cmocka_unit_test(test_types_optional),
		cmocka_unit_test(test_count_for_each_addresses),
		cmocka_unit_test(test_dynamic_and_blocks),
		cmocka_unit_test(test_local_cycle),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_many_instances),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
