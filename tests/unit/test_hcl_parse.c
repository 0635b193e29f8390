/* test_hcl_parse.c - the HCL reader (src/lib/hcl): every expression form
 * of hclsyntax/spec.md with its precedence and locations, templates with
 * directives, strip markers and heredocs, bodies and blocks, comments, the
 * JSON variant resolved by a schema, every syntax error class with its
 * location and message, recovery, and the nesting limit.
 *
 * Run as `test_hcl_parse --dump FILE...` it prints each file's AST in
 * hcl2json's shape (one JSON document per line, or `ERROR` when the file
 * has a syntax error): the tool side of the differential test
 * tests/cli/t0600-hcl-differential.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/internal.h"
#include "hcl/hcl.h"

typedef struct {
	unsigned n;
	cs_diag first;
	char msg[1024];
	char all[4096];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	if (c->n == 0) {
		c->first = *d;
		snprintf(c->msg, sizeof c->msg, "%s", d->msg);
	}
	size_t l = strlen(c->all);
	snprintf(c->all + l, sizeof c->all - l, "%u:%u %s\n", d->line, d->col, d->msg);
	c->n++;
}

static cs_arena *A;
static capture C;

static cs_hcl_file *parse_rc(const char *s, cs_err *rc)
{
	cs_diag_sink sink = { cap, &C, 0, 0 };
	cs_hcl_file *f = NULL;
	memset(&C, 0, sizeof C);
	*rc = cs__hcl_parse(A, "t.tf", s, strlen(s), &sink, &f);
	return f;
}

/* Parses a file that must be valid. */
static cs_hcl_file *parse_ok(const char *s)
{
	cs_err rc;
	cs_hcl_file *f = parse_rc(s, &rc);
	if (rc != CS_OK)
		fail_msg("unexpected error for %s: %s", s, C.all);
	assert_non_null(f);
	return f;
}

/* The expression of `a = <src>`. */
static const cs_hcl_expr *expr_of(const char *src)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "a = %s\n", src);
	cs_hcl_file *f = parse_ok(buf);
	assert_int_equal(f->body->n, 1);
	assert_int_equal(f->body->items[0]->kind, CS_HCL_ATTR);
	return f->body->items[0]->expr;
}

/* The hcl2json-shaped dump of a file. */
static const char *dump(const char *src)
{
	static char out[8192];
	cs_hcl_file *f = parse_ok(src);
	cs_buf b;
	cs_buf_init(&b, 1 << 20);
	assert_int_equal(cs__hcl_dump_json(&b, f), CS_OK);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	cs_buf_release(&b);
	return out;
}

/* Expects exactly the error `msg` (prefix) at line:col. */
static void expect_error(const char *src, unsigned line, unsigned col, const char *msg)
{
	cs_err rc;
	cs_hcl_file *f = parse_rc(src, &rc);
	if (rc != CS_ESYNTAX)
		fail_msg("no syntax error for: %s", src);
	assert_non_null(f);
	assert_true(C.n >= 1);
	if (strncmp(C.msg, msg, strlen(msg)) != 0)
		fail_msg("for %s: got '%s', want '%s'", src, C.msg, msg);
	if (C.first.line != line || C.first.col != col)
		fail_msg("for %s: got %u:%u, want %u:%u (%s)", src, C.first.line, C.first.col,
			 line, col, C.msg);
	assert_string_equal(C.first.file, "t.tf");
	assert_int_equal(C.first.sev, CS_SEV_ERROR);
}

static bool str_is(cs_str s, const char *c)
{
	return cs_str_eqc(s, c);
}

static int setup(void **state)
{
	(void)state;
	A = cs_arena_new(0);
	return A ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cs_arena_free(A);
	return 0;
}

/* ---- literals ------------------------------------------------------------ */

static void test_literals(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("null");
	assert_int_equal(e->kind, CS_HCL_E_LITERAL);
	assert_int_equal(e->u.lit.kind, CS_HCL_LIT_NULL);
	e = expr_of("true");
	assert_int_equal(e->u.lit.kind, CS_HCL_LIT_BOOL);
	assert_true(e->u.lit.b);
	e = expr_of("false");
	assert_false(e->u.lit.b);
	e = expr_of("1.50");
	assert_int_equal(e->u.lit.kind, CS_HCL_LIT_NUMBER);
	assert_true(str_is(e->u.lit.s, "1.50")); /* source text kept */
	assert_true(e->u.lit.d == 1.5);
	e = expr_of("1e3");
	assert_true(e->u.lit.d == 1000.0);
	e = expr_of("2.5E-1");
	assert_true(e->u.lit.d == 0.25);
	e = expr_of("\"hello\"");
	assert_int_equal(e->kind, CS_HCL_E_LITERAL);
	assert_int_equal(e->u.lit.kind, CS_HCL_LIT_STRING);
	assert_true(e->flags & CS_HCL_F_QUOTED);
	assert_true(str_is(e->u.lit.s, "hello"));
	assert_int_equal(e->range.line, 1);
	assert_int_equal(e->range.col, 5);
}

static void test_escapes(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("\"a\\nb\\t\\\"c\\\\d\\r\"");
	assert_true(str_is(e->u.lit.s, "a\nb\t\"c\\d\r"));
	e = expr_of("\"\\u00e9\\U0001F600\"");
	assert_true(str_is(e->u.lit.s, "\xc3\xa9\xf0\x9f\x98\x80"));
	/* $${ and %%{ are literal ${ and %{; a lone $ or % is itself */
	e = expr_of("\"$${x} %%{y} $ % $$\"");
	assert_int_equal(e->kind, CS_HCL_E_LITERAL);
	assert_true(str_is(e->u.lit.s, "${x} %{y} $ % $$"));
}

/* ---- templates ----------------------------------------------------------- */

static void test_template_interp(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("\"foo-${var.x}-bar\"");
	assert_int_equal(e->kind, CS_HCL_E_TEMPLATE);
	assert_false(e->flags & CS_HCL_F_WRAP);
	assert_int_equal(e->u.tmpl.parts.n, 3);
	assert_int_equal(e->u.tmpl.parts.v[0].kind, CS_HCL_T_TEXT);
	assert_true(str_is(e->u.tmpl.parts.v[0].u.text, "foo-"));
	assert_int_equal(e->u.tmpl.parts.v[1].kind, CS_HCL_T_INTERP);
	const cs_hcl_expr *x = e->u.tmpl.parts.v[1].u.expr;
	assert_int_equal(x->kind, CS_HCL_E_GETATTR);
	assert_true(str_is(x->u.getattr.name, "x"));
	assert_int_equal(x->range.col, 12);
	assert_true(str_is(e->u.tmpl.parts.v[2].u.text, "-bar"));
	/* a lone interpolation keeps its value's type */
	e = expr_of("\"${local.n}\"");
	assert_int_equal(e->kind, CS_HCL_E_TEMPLATE);
	assert_true(e->flags & CS_HCL_F_WRAP);
	assert_int_equal(e->u.tmpl.parts.n, 1);
}

static void test_template_directives(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("\"%{ if a }yes%{ else }no%{ endif }!\"");
	assert_int_equal(e->kind, CS_HCL_E_TEMPLATE);
	assert_int_equal(e->u.tmpl.parts.n, 2);
	const cs_hcl_tpart *ifp = &e->u.tmpl.parts.v[0];
	assert_int_equal(ifp->kind, CS_HCL_T_IF);
	assert_int_equal(ifp->u.ifd.cond->kind, CS_HCL_E_VAR);
	assert_true(ifp->u.ifd.has_else);
	assert_true(str_is(ifp->u.ifd.then_parts.v[0].u.text, "yes"));
	assert_true(str_is(ifp->u.ifd.else_parts.v[0].u.text, "no"));
	assert_true(str_is(e->u.tmpl.parts.v[1].u.text, "!"));

	e = expr_of("\"%{ for k, v in m }${k}=${v},%{ endfor }\"");
	const cs_hcl_tpart *fp = &e->u.tmpl.parts.v[0];
	assert_int_equal(fp->kind, CS_HCL_T_FOR);
	assert_true(str_is(fp->u.ford.key_var, "k"));
	assert_true(str_is(fp->u.ford.val_var, "v"));
	assert_int_equal(fp->u.ford.body.n, 4);
	assert_true(str_is(fp->u.ford.body.v[3].u.text, ","));

	e = expr_of("\"%{for v in l}${v}%{endfor}\"");
	fp = &e->u.tmpl.parts.v[0];
	assert_int_equal(fp->u.ford.key_var.len, 0);
	assert_true(str_is(fp->u.ford.val_var, "v"));

	/* nested: if inside for */
	e = expr_of("\"%{for v in l}%{if v}x%{endif}%{endfor}\"");
	fp = &e->u.tmpl.parts.v[0];
	assert_int_equal(fp->u.ford.body.v[0].kind, CS_HCL_T_IF);
	assert_false(fp->u.ford.body.v[0].u.ifd.has_else);
}

static void test_strip_markers(void **state)
{
	(void)state;
	/* spec: ~ removes the white space (incl. newlines) on that side */
	const cs_hcl_expr *e = expr_of("\"a  ${~ x ~}  b\"");
	assert_int_equal(e->u.tmpl.parts.n, 3);
	assert_true(str_is(e->u.tmpl.parts.v[0].u.text, "a"));
	assert_true(str_is(e->u.tmpl.parts.v[2].u.text, "b"));
	e = expr_of("<<EOT\n%{ for x in l ~}\n  ${x}\n%{~ endfor }\nEOT\n");
	const cs_hcl_tpart *fp = &e->u.tmpl.parts.v[0];
	assert_int_equal(fp->kind, CS_HCL_T_FOR);
	assert_int_equal(fp->u.ford.body.n, 1); /* "\n  " stripped before, "\n" after */
	assert_int_equal(fp->u.ford.body.v[0].kind, CS_HCL_T_INTERP);
	assert_true(str_is(e->u.tmpl.parts.v[1].u.text, "\n"));
	assert_string_equal(dump("a = \" plain ${x} %{~ if a ~} t %{~ endif }\"\n"),
			    "{\"a\":\" plain ${x}%{if a}t%{endif}\"}");
}

static void test_heredoc(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("<<EOT\nhello\n  world\nEOT\n");
	assert_int_equal(e->kind, CS_HCL_E_LITERAL);
	assert_true(e->flags & CS_HCL_F_HEREDOC);
	assert_false(e->flags & CS_HCL_F_INDENT);
	assert_true(str_is(e->u.lit.s, "hello\n  world\n"));
	/* <<-: the least indentation of non-blank lines goes; blank lines stay */
	e = expr_of("<<-EOT\n    x\n\n  y\n      ${z} q\n   \n    EOT\n");
	assert_true(e->flags & CS_HCL_F_INDENT);
	assert_int_equal(e->kind, CS_HCL_E_TEMPLATE);
	assert_true(str_is(e->u.tmpl.parts.v[0].u.text, "  x\n\ny\n    "));
	assert_true(str_is(e->u.tmpl.parts.v[2].u.text, " q\n   \n"));
	/* a line starting with an interpolation has no indentation */
	e = expr_of("<<-EOT\n    x\n${y}\n  EOT\n");
	assert_true(str_is(e->u.tmpl.parts.v[0].u.text, "    x\n"));
	/* lines inside a multi-line interpolation do not count */
	e = expr_of("<<-EOT\n    a\n    ${f({\nx = 1\n})}\n    EOT\n");
	assert_int_equal(e->u.tmpl.parts.n, 3);
	assert_true(str_is(e->u.tmpl.parts.v[0].u.text, "a\n"));
	assert_int_equal(e->u.tmpl.parts.v[1].u.expr->kind, CS_HCL_E_CALL);
	assert_true(str_is(e->u.tmpl.parts.v[2].u.text, "\n"));
	/* a <<- heredoc inside a <<- heredoc's interpolation */
	e = expr_of("<<-A\n  x ${<<-B\n    y\n    B\n}\n  A\n");
	assert_true(str_is(e->u.tmpl.parts.v[0].u.text, "x "));
	assert_true(str_is(e->u.tmpl.parts.v[1].u.expr->u.lit.s, "y\n"));
	/* the closing marker may be indented, even for << */
	e = expr_of("<<EOT\nx\n  EOT\n");
	assert_true(str_is(e->u.lit.s, "x\n"));
	/* escapes are not processed in heredocs, $${ is */
	e = expr_of("<<EOT\na\\nb $${c}\nEOT\n");
	assert_true(str_is(e->u.lit.s, "a\\nb ${c}\n"));
	/* an attribute after a heredoc */
	cs_hcl_file *f = parse_ok("a = <<EOT\nx\nEOT\nb = 2\n");
	assert_int_equal(f->body->n, 2);
	assert_int_equal(f->body->items[1]->range.line, 4);
	/* heredoc as a function argument */
	e = expr_of("upper(<<EOT\nx\nEOT\n)");
	assert_int_equal(e->kind, CS_HCL_E_CALL);
	assert_int_equal(e->u.call.nargs, 1);
}

/* ---- collections --------------------------------------------------------- */

static void test_tuple_object(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("[1, \"a\",\n  true, ]");
	assert_int_equal(e->kind, CS_HCL_E_TUPLE);
	assert_int_equal(e->u.tuple.n, 3);
	assert_int_equal(e->u.tuple.v[2]->range.line, 2);
	e = expr_of("[]");
	assert_int_equal(e->u.tuple.n, 0);
	e = expr_of("{\n  a = 1\n  \"b\" : 2, (var.k) = 3\n  c.d = 4\n}");
	assert_int_equal(e->kind, CS_HCL_E_OBJECT);
	assert_int_equal(e->u.object.n, 4);
	assert_true(e->u.object.v[0].key_ident);
	assert_true(str_is(e->u.object.v[0].key_name, "a"));
	assert_false(e->u.object.v[0].colon);
	assert_false(e->u.object.v[1].key_ident);
	assert_true(e->u.object.v[1].colon);
	assert_int_equal(e->u.object.v[1].key->kind, CS_HCL_E_LITERAL);
	assert_int_equal(e->u.object.v[2].key->kind, CS_HCL_E_PAREN);
	assert_int_equal(e->u.object.v[3].key->kind, CS_HCL_E_GETATTR);
	assert_int_equal(e->u.object.v[3].range.line, 4);
	e = expr_of("{}");
	assert_int_equal(e->u.object.n, 0);
}

static void test_for_exprs(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("[for s in var.list : upper(s) if s != \"\"]");
	assert_int_equal(e->kind, CS_HCL_E_FOR);
	assert_false(e->u.forx.object);
	assert_int_equal(e->u.forx.key_var.len, 0);
	assert_true(str_is(e->u.forx.val_var, "s"));
	assert_int_equal(e->u.forx.coll->kind, CS_HCL_E_GETATTR);
	assert_int_equal(e->u.forx.val_expr->kind, CS_HCL_E_CALL);
	assert_non_null(e->u.forx.cond);
	assert_null(e->u.forx.key_expr);
	e = expr_of("{\n for k, v in var.map :\n k => v...\n }");
	assert_true(e->u.forx.object);
	assert_true(str_is(e->u.forx.key_var, "k"));
	assert_true(str_is(e->u.forx.val_var, "v"));
	assert_non_null(e->u.forx.key_expr);
	assert_true(e->u.forx.group);
	assert_null(e->u.forx.cond);
}

/* ---- traversals, splats, calls ------------------------------------------- */

static void test_traversals(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("var.a.b[0][\"k\"].0");
	assert_int_equal(e->kind, CS_HCL_E_INDEX);
	assert_true(e->flags & CS_HCL_F_LEGACY);
	assert_true(e->u.index.key->u.lit.d == 0.0);
	const cs_hcl_expr *k = e->u.index.obj;
	assert_int_equal(k->kind, CS_HCL_E_INDEX);
	assert_true(str_is(k->u.index.key->u.lit.s, "k"));
	const cs_hcl_expr *i0 = k->u.index.obj;
	assert_int_equal(i0->kind, CS_HCL_E_INDEX);
	assert_false(i0->flags & CS_HCL_F_LEGACY);
	const cs_hcl_expr *b = i0->u.index.obj;
	assert_int_equal(b->kind, CS_HCL_E_GETATTR);
	assert_true(str_is(b->u.getattr.name, "b"));
	assert_int_equal(b->u.getattr.obj->kind, CS_HCL_E_GETATTR);
	const cs_hcl_expr *root = b->u.getattr.obj->u.getattr.obj;
	assert_int_equal(root->kind, CS_HCL_E_VAR);
	assert_true(str_is(root->u.var.name, "var"));
	/* .0.1 scans as a number: two legacy indexes */
	e = expr_of("a.0.1");
	assert_int_equal(e->kind, CS_HCL_E_INDEX);
	assert_true(e->u.index.key->u.lit.d == 1.0);
	assert_int_equal(e->u.index.obj->kind, CS_HCL_E_INDEX);
	/* UTF-8 identifiers and dashes */
	e = expr_of("caf\xc3\xa9.my-attr");
	assert_true(str_is(e->u.getattr.name, "my-attr"));
	assert_true(str_is(e->u.getattr.obj->u.var.name, "caf\xc3\xa9"));
}

static void test_splats(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("aws_instance.web[*].tags[\"Name\"]");
	assert_int_equal(e->kind, CS_HCL_E_SPLAT);
	assert_true(e->u.splat.full);
	assert_int_equal(e->u.splat.source->kind, CS_HCL_E_GETATTR);
	const cs_hcl_expr *each = e->u.splat.each;
	assert_int_equal(each->kind, CS_HCL_E_INDEX);
	assert_int_equal(each->u.index.obj->kind, CS_HCL_E_GETATTR);
	assert_int_equal(each->u.index.obj->u.getattr.obj->kind, CS_HCL_E_SPLAT_ITEM);
	/* attribute-only splat: an index after it applies to the result */
	e = expr_of("x.*.id[0]");
	assert_int_equal(e->kind, CS_HCL_E_INDEX);
	assert_int_equal(e->u.index.obj->kind, CS_HCL_E_SPLAT);
	assert_false(e->u.index.obj->u.splat.full);
	assert_int_equal(e->u.index.obj->u.splat.each->kind, CS_HCL_E_GETATTR);
	e = expr_of("x[*]");
	assert_int_equal(e->u.splat.each->kind, CS_HCL_E_SPLAT_ITEM);
}

static void test_calls(void **state)
{
	(void)state;
	const cs_hcl_expr *e = expr_of("max(1, 2,\n 3)");
	assert_int_equal(e->kind, CS_HCL_E_CALL);
	assert_true(str_is(e->u.call.name, "max"));
	assert_int_equal(e->u.call.nargs, 3);
	assert_false(e->u.call.expand);
	e = expr_of("min(var.list...)");
	assert_true(e->u.call.expand);
	assert_int_equal(e->u.call.nargs, 1);
	e = expr_of("provider::aws::arn_parse(x)");
	assert_true(str_is(e->u.call.name, "provider::aws::arn_parse"));
	e = expr_of("timestamp()");
	assert_int_equal(e->u.call.nargs, 0);
	assert_null(e->u.call.args);
}

/* ---- operators ----------------------------------------------------------- */

static void test_precedence(void **state)
{
	(void)state;
	/* a || b && c == d + e * f  =>  a || (b && (c == (d + (e * f)))) */
	const cs_hcl_expr *e = expr_of("a || b && c == d + e * f");
	assert_int_equal(e->u.binary.op, CS_HCL_OP_OR);
	e = e->u.binary.r;
	assert_int_equal(e->u.binary.op, CS_HCL_OP_AND);
	e = e->u.binary.r;
	assert_int_equal(e->u.binary.op, CS_HCL_OP_EQ);
	e = e->u.binary.r;
	assert_int_equal(e->u.binary.op, CS_HCL_OP_ADD);
	e = e->u.binary.r;
	assert_int_equal(e->u.binary.op, CS_HCL_OP_MUL);
	/* left associativity: 8 - 2 - 1 = (8 - 2) - 1 */
	e = expr_of("8 - 2 - 1");
	assert_int_equal(e->u.binary.op, CS_HCL_OP_SUB);
	assert_int_equal(e->u.binary.l->kind, CS_HCL_E_BINARY);
	assert_int_equal(e->u.binary.r->kind, CS_HCL_E_LITERAL);
	/* comparison binds tighter than equality */
	e = expr_of("a < b == c >= d");
	assert_int_equal(e->u.binary.op, CS_HCL_OP_EQ);
	assert_int_equal(e->u.binary.l->u.binary.op, CS_HCL_OP_LT);
	assert_int_equal(e->u.binary.r->u.binary.op, CS_HCL_OP_GE);
	e = expr_of("a != b % c / d");
	assert_int_equal(e->u.binary.op, CS_HCL_OP_NE);
	assert_int_equal(e->u.binary.r->u.binary.op, CS_HCL_OP_DIV);
	assert_int_equal(e->u.binary.r->u.binary.l->u.binary.op, CS_HCL_OP_MOD);
	/* unary binds tighter than binary */
	e = expr_of("-a + !b");
	assert_int_equal(e->u.binary.op, CS_HCL_OP_ADD);
	assert_int_equal(e->u.binary.l->u.unary.op, CS_HCL_OP_NEG);
	assert_int_equal(e->u.binary.r->u.unary.op, CS_HCL_OP_NOT);
	e = expr_of("a > b ? 1 : c <= d ? 2 : 3");
	assert_int_equal(e->kind, CS_HCL_E_COND);
	assert_int_equal(e->u.cond.cond->u.binary.op, CS_HCL_OP_GT);
	assert_int_equal(e->u.cond.no->kind, CS_HCL_E_COND);
	e = expr_of("(1 + 2) * 3");
	assert_int_equal(e->u.binary.op, CS_HCL_OP_MUL);
	assert_int_equal(e->u.binary.l->kind, CS_HCL_E_PAREN);
	assert_int_equal(e->u.binary.l->u.paren.x->u.binary.op, CS_HCL_OP_ADD);
}

/* ---- bodies -------------------------------------------------------------- */

static void test_bodies(void **state)
{
	(void)state;
	cs_hcl_file *f = parse_ok("# c1\n"
				  "resource \"aws_s3_bucket\" \"b\" {\n"
				  "  bucket = \"x\" // c2\n"
				  "  /* c3\n  */\n"
				  "  lifecycle { prevent_destroy = true }\n"
				  "  dynamic tag {\n"
				  "  }\n"
				  "}\n"
				  "locals {}\n");
	assert_int_equal(f->body->n, 2);
	const cs_hcl_item *r = f->body->items[0];
	assert_int_equal(r->kind, CS_HCL_BLOCK);
	assert_true(str_is(r->name, "resource"));
	assert_int_equal(r->nlabels, 2);
	assert_true(str_is(r->labels[0].text, "aws_s3_bucket"));
	assert_true(r->labels[0].quoted);
	assert_int_equal(r->labels[1].range.col, 26);
	assert_int_equal(r->range.line, 2);
	assert_int_equal(r->range.end_line, 9);
	assert_int_equal(r->body->n, 3);
	assert_int_equal(r->body->items[0]->range.line, 3);
	assert_int_equal(r->body->items[0]->range.col, 3);
	const cs_hcl_item *lc = r->body->items[1];
	assert_int_equal(lc->kind, CS_HCL_BLOCK);
	assert_int_equal(lc->body->n, 1);
	const cs_hcl_item *dyn = r->body->items[2];
	assert_int_equal(dyn->nlabels, 1);
	assert_false(dyn->labels[0].quoted);
	assert_true(str_is(dyn->labels[0].text, "tag"));
	assert_string_equal(f->body->items[1]->body->file, "t.tf");
	/* comments in order, with their markers */
	assert_int_equal(f->ncomments, 3);
	assert_true(str_is(f->comments[0].text, "# c1"));
	assert_true(str_is(f->comments[1].text, "// c2"));
	assert_int_equal(f->comments[1].range.line, 3);
	assert_int_equal(f->comments[2].range.end_line, 5);
	assert_non_null(cs__hcl_body_attr(r->body, "bucket"));
	assert_null(cs__hcl_body_attr(r->body, "lifecycle"));
	/* CRLF line ends */
	f = parse_ok("a = 1\r\nb {\r\n  c = \"d\"\r\n}\r\n");
	assert_int_equal(f->body->n, 2);
}

/* ---- errors -------------------------------------------------------------- */

static void test_errors(void **state)
{
	(void)state;
	expect_error("a = 1\n} \n", 2, 1, "Argument or block definition required");
	expect_error("a b\n", 1, 4, "Invalid block definition");
	expect_error("a : 1\n", 1, 3, "Argument or block definition required");
	expect_error("a = 1 b = 2\n", 1, 7, "Missing newline after argument");
	expect_error("a = +\n", 1, 5, "Invalid expression");
	expect_error("a = ", 1, 5, "Missing expression");
	expect_error("x {\n  a = 1\n", 1, 3, "Unclosed configuration block");
	expect_error("a = 'x'\n", 1, 5, "Invalid character: Single quotes");
	expect_error("a = 1 ^ 2\n", 1, 7, "Unsupported operator");
	expect_error("a = 1 @ 2\n", 1, 7, "Invalid character: This character");
	expect_error("a = 1\na = 2\n", 2, 1, "Attribute redefined");
	expect_error("a = \"abc\n", 1, 9, "Invalid multi-line string");
	expect_error("a = \"abc", 1, 9, "Unterminated template string");
	expect_error("a = \"\\q\"\n", 1, 6, "Invalid escape sequence");
	expect_error("a = \"${x\"\n", 1, 9, "Extra characters after interpolation");
	expect_error("a = <<EOT\nabc\n", 1, 5, "Unterminated template string");
	expect_error("a = [1 2]\n", 1, 8, "Missing item separator");
	expect_error("a = {b = 1 c = 2}\n", 1, 12, "Missing attribute separator");
	expect_error("a = {b 1}\n", 1, 8, "Missing key/value separator");
	expect_error("a = f(1 2)\n", 1, 9, "Missing argument separator");
	expect_error("a = (1\n", 2, 1, "Unbalanced parentheses");
	expect_error("a = x.\n", 1, 7, "Invalid attribute name");
	expect_error("a = [for x y]\n", 1, 12, "Invalid 'for' expression");
	expect_error("a = \"%{if x}\"\n", 1, 6, "Unterminated template directive");
	expect_error("a = \"%{endif}\"\n", 1, 6, "Unexpected template directive");
	expect_error("a = \"%{bogus}\"\n", 1, 8, "Invalid template directive");
	expect_error("x \"${y}\" {}\n", 1, 3, "Invalid block label");
	expect_error("a = x ? 1\n", 1, 10, "Missing false expression in conditional");
	expect_error("b { c {} }\n", 1, 5, "Invalid single-argument block definition");
	expect_error("x { a = 1\n}\n", 1, 10, "Invalid single-argument block definition");
	expect_error("a =\nb = 1\n", 1, 4,
		     "Invalid expression: Expected the start of an expression, but found an "
		     "invalid expression token.");
	expect_error("a = 1 /* open\n", 1, 7, "Unterminated comment");
	expect_error("a = \"\xff\"\n", 1, 6, "Invalid character encoding");
	expect_error("a = ${x}\n", 1, 5, "Invalid character");
	expect_error("a = x[1\n", 2, 1, "Missing close bracket on index");
	expect_error("a = f(x..., y)\n", 1, 13, "Missing closing parenthesis");
	expect_error("a = { for = 1 }\n", 1, 11, "Invalid 'for' expression");
}

static void test_recovery(void **state)
{
	(void)state;
	cs_err rc;
	/* one bad line: the rest of the file is still read and reported */
	cs_hcl_file *f = parse_rc("a = [1 2]\n"
				  "b = 2\n"
				  "c = \n"
				  "blk \"l\" {\n"
				  "  d = )\n"
				  "  e = 5\n"
				  "}\n"
				  "f = 6\n",
				  &rc);
	assert_int_equal(rc, CS_ESYNTAX);
	assert_non_null(f);
	assert_int_equal(C.n, 3);
	assert_int_equal(f->errors, 3);
	assert_non_null(cs__hcl_body_attr(f->body, "b"));
	assert_non_null(cs__hcl_body_attr(f->body, "f"));
	const cs_hcl_item *blk = f->body->items[1];
	assert_int_equal(blk->kind, CS_HCL_BLOCK);
	assert_non_null(cs__hcl_body_attr(blk->body, "e"));
	assert_non_null(strstr(C.all, "1:8 Missing item separator"));
	assert_non_null(strstr(C.all, "5:7 Invalid expression"));
	/* an error inside brackets spanning lines: skipped to their end, once */
	f = parse_rc("a = [\n  1 2\n]\nb = 1\n", &rc);
	assert_int_equal(rc, CS_ESYNTAX);
	assert_int_equal(C.n, 1);
	assert_non_null(cs__hcl_body_attr(f->body, "b"));
}

static void test_depth_limit(void **state)
{
	(void)state;
	/* deeply nested input ends with a diagnostic, not a stack overflow */
	size_t n = 100000;
	char *s = cs_malloc(2 * n + 16);
	assert_non_null(s);
	memcpy(s, "a = ", 4);
	memset(s + 4, '[', n);
	memset(s + 4 + n, ']', n);
	s[4 + 2 * n] = '\0';
	cs_err rc;
	cs_hcl_file *f = parse_rc(s, &rc);
	assert_int_equal(rc, CS_ESYNTAX);
	assert_non_null(f);
	assert_non_null(strstr(C.msg, "Nesting too deep"));
	memset(s + 4, '-', 2 * n);
	s[4 + 2 * n] = 'x';
	s[5 + 2 * n] = '\0';
	f = parse_rc(s, &rc);
	assert_int_equal(rc, CS_ESYNTAX);
	assert_non_null(strstr(C.msg, "Nesting too deep"));
	for (size_t i = 0; i < n; i++)
		memcpy(s + 4 + 2 * i, "\"$", 2);
	s[4 + 2 * n] = '\0';
	f = parse_rc(s, &rc);
	assert_int_equal(rc, CS_ESYNTAX);
	cs_free(s);
	/* a deep but acceptable nesting is fine */
	char ok[200];
	memcpy(ok, "a = ", 4);
	memset(ok + 4, '(', 50);
	ok[54] = '1';
	memset(ok + 55, ')', 50);
	ok[105] = '\0';
	parse_ok(ok);
}

/* ---- dump (hcl2json shape) ----------------------------------------------- */

static void test_dump(void **state)
{
	(void)state;
	/* expected strings are hcl2json 0.21.0's output for the same input */
	assert_string_equal(dump("a = -2\nb = \"${1}\"\nc = !true\nd = 1e3\n"),
			    "{\"a\":-2,\"b\":1,\"c\":false,\"d\":1000}");
	assert_string_equal(dump("e = \"a${1}b\"\nf = \"${\"x\"}y\"\ng = -x\n"),
			    "{\"e\":\"a1b\",\"f\":\"xy\",\"g\":\"${-x}\"}");
	assert_string_equal(dump("h = { a = 1, \"b\" = var.c, (var.k) = 2, foo.bar = 3 }\n"),
			    "{\"h\":{\"a\":1,\"b\":\"${var.c}\",\"${(var.k)}\":2,\"foo.bar\":3}}");
	assert_string_equal(dump("l = \"%{ for k, v in m ~} ${k} %{ endfor }\"\n"),
			    "{\"l\":\"%{for k, v in m}${k} %{endfor}\"}");
	assert_string_equal(dump("q = \"$${x} %%{y}\"\nr = <<-EOT\n  ${x}\nEOT\n"),
			    "{\"q\":\"$${x} %%{y}\",\"r\":\"${x}\\n\"}");
	assert_string_equal(dump("b \"x\" \"y\" { a = 1 }\nb \"x\" \"z\" {}\nb \"x\" \"y\" {\n}\n"
				 "c {}\nc {}\n"),
			    "{\"b\":{\"x\":{\"y\":[{\"a\":1},{}],\"z\":[{}]}},\"c\":[{},{}]}");
	assert_string_equal(dump("z = a ? 1.50 : -2 * (3 + 4)\n"),
			    "{\"z\":\"${a ? 1.50 : -2 * (3 + 4)}\"}");
}

/* ---- JSON variant --------------------------------------------------------- */

static void test_json_variant(void **state)
{
	(void)state;
	const char *src = "{\n"
			  "  \"//\": \"a comment\",\n"
			  "  \"variable\": {\"region\": {\"default\": \"eu-west-1\"}},\n"
			  "  \"resource\": {\"aws_s3_bucket\": {\"b\": [{\"bucket\": \"x-${var.region}\","
			  " \"tags\": {\"a\": 1}}, {\"bucket\": \"y\"}]}},\n"
			  "  \"count\": 3,\n"
			  "  \"list\": [true, null, \"s\"]\n"
			  "}\n";
	cs_diag_sink sink = { cap, &C, 0, 0 };
	memset(&C, 0, sizeof C);
	cs_hcl_file *f = NULL;
	assert_int_equal(cs__hcl_parse_json(A, "t.tf.json", src, strlen(src), &sink, &f), CS_OK);
	assert_true(f->json);
	assert_non_null(f->body->json);
	assert_int_equal(f->body->n, 0); /* undecided until a schema reads it */
	static const cs_hcl_blockspec top[] = { { "variable", 1 }, { "resource", 2 } };
	const cs_hcl_body *b = NULL;
	assert_int_equal(cs__hcl_body_resolve(A, f->body, top, 2, &sink, &b), CS_OK);
	assert_int_equal(b->n, 5); /* variable, 2 resources, count, list */
	assert_int_equal(b->items[0]->kind, CS_HCL_BLOCK);
	assert_true(str_is(b->items[0]->labels[0].text, "region"));
	assert_int_equal(b->items[1]->nlabels, 2);
	assert_true(str_is(b->items[1]->labels[1].text, "b"));
	assert_int_equal(b->items[1]->range.line, 4);
	assert_int_equal(b->items[2]->kind, CS_HCL_BLOCK);
	const cs_hcl_item *cnt = cs__hcl_body_attr(b, "count");
	assert_int_equal(cnt->expr->u.lit.kind, CS_HCL_LIT_NUMBER);
	assert_true(str_is(cnt->expr->u.lit.s, "3"));
	const cs_hcl_item *lst = cs__hcl_body_attr(b, "list");
	assert_int_equal(lst->expr->kind, CS_HCL_E_TUPLE);
	assert_int_equal(lst->expr->u.tuple.v[2]->u.lit.kind, CS_HCL_LIT_STRING);
	/* the resource body: "tags" is an attribute (no schema says block) */
	const cs_hcl_body *rb = NULL;
	assert_int_equal(cs__hcl_body_resolve(A, b->items[1]->body, NULL, 0, &sink, &rb), CS_OK);
	const cs_hcl_item *bucket = cs__hcl_body_attr(rb, "bucket");
	assert_int_equal(bucket->expr->kind, CS_HCL_E_TEMPLATE);
	assert_true(bucket->expr->flags & CS_HCL_F_JSON);
	assert_int_equal(bucket->expr->u.tmpl.parts.n, 2);
	assert_int_equal(bucket->expr->u.tmpl.parts.v[1].u.expr->kind, CS_HCL_E_GETATTR);
	assert_int_equal(cs__hcl_body_attr(rb, "tags")->expr->kind, CS_HCL_E_OBJECT);
	/* ...but a schema may read it as a block */
	static const cs_hcl_blockspec tagsb[] = { { "tags", 0 } };
	assert_int_equal(cs__hcl_body_resolve(A, b->items[1]->body, tagsb, 1, &sink, &rb), CS_OK);
	assert_int_equal(rb->items[1]->kind, CS_HCL_BLOCK);
	assert_non_null(rb->items[1]->body->json);
	/* a native body resolves to itself */
	cs_hcl_file *nf = parse_ok("a = 1\n");
	assert_ptr_equal(cs__hcl_body_resolve(A, nf->body, NULL, 0, &sink, &rb), CS_OK);
	assert_ptr_equal(rb, nf->body);
	/* errors: root not an object, a block that is not an object, bad template */
	memset(&C, 0, sizeof C);
	assert_int_equal(cs__hcl_parse_json(A, "t.tf.json", "[1]", 3, &sink, &f), CS_ESYNTAX);
	assert_non_null(strstr(C.msg, "Root value must be object"));
	const char *bad = "{\"variable\": 3, \"x\": \"${\", \"x\": 1}";
	assert_int_equal(cs__hcl_parse_json(A, "t.tf.json", bad, strlen(bad), &sink, &f), CS_OK);
	memset(&C, 0, sizeof C);
	assert_int_equal(cs__hcl_body_resolve(A, f->body, top, 2, &sink, &b), CS_ESYNTAX);
	assert_non_null(strstr(C.all, "1:14 Incorrect JSON value type"));
	assert_non_null(strstr(C.all, "Duplicate argument"));
	assert_int_equal(C.n, 3);
}

static void test_expr_template_api(void **state)
{
	(void)state;
	cs_diag_sink sink = { cap, &C, 0, 0 };
	cs_hcl_expr *e = NULL;
	memset(&C, 0, sizeof C);
	assert_int_equal(cs__hcl_parse_expr(A, "cli", 1, 1, "{a = [1, 2]}", 12, &sink, &e), CS_OK);
	assert_int_equal(e->kind, CS_HCL_E_OBJECT);
	assert_int_equal(cs__hcl_parse_expr(A, "cli", 1, 1, "1 2", 3, &sink, &e), CS_ESYNTAX);
	assert_non_null(strstr(C.msg, "Extra characters after expression"));
	assert_int_equal(C.first.col, 3);
	assert_int_equal(cs__hcl_parse_template(A, "f", 3, 10, "a${b}", 5, &sink, &e), CS_OK);
	assert_int_equal(e->kind, CS_HCL_E_TEMPLATE);
	assert_int_equal(e->u.tmpl.parts.v[1].u.expr->range.line, 3);
	assert_int_equal(e->u.tmpl.parts.v[1].u.expr->range.col, 13);
	assert_int_equal(cs__hcl_parse_template(A, "f", 1, 1, "plain\n", 6, &sink, &e), CS_OK);
	assert_int_equal(e->kind, CS_HCL_E_LITERAL);
	assert_true(str_is(e->u.lit.s, "plain\n"));
}

/* ---- dump mode ------------------------------------------------------------ */

/* Diagnostics of the dump mode, on stderr as "line:col: message". */
static void print_diag(void *ud, const cs_diag *d)
{
	(void)ud;
	fprintf(stderr, "%u:%u: %s\n", d->line, d->col, d->msg);
}

static int dump_files(int argc, char **argv)
{
	int rc = 0;
	for (int i = 2; i < argc; i++) {
		char *data = NULL;
		size_t len = 0;
		if (cs_file_read(argv[i], (size_t)64 << 20, &data, &len)) {
			printf("ERROR cannot read\n");
			rc = 1;
			continue;
		}
		cs_arena *a = cs_arena_new(0);
		cs_diag_sink sink = { print_diag, NULL, 0, 0 };
		cs_hcl_file *f = NULL;
		cs_err e = a ? cs__hcl_parse(a, argv[i], data, len, &sink, &f) : CS_ENOMEM;
		if (e) {
			printf("ERROR %s\n", cs_errname(e));
		} else {
			cs_buf b;
			cs_buf_init(&b, (size_t)1 << 30);
			if (cs__hcl_dump_json(&b, f) == CS_OK)
				printf("%s\n", b.data ? b.data : "{}");
			else
				printf("ERROR dump\n");
			cs_buf_release(&b);
		}
		cs_arena_free(a);
		cs_free(data);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--dump") == 0)
		return dump_files(argc, argv);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_template_interp),
		cmocka_unit_test(test_template_directives),
		cmocka_unit_test(test_strip_markers),
		cmocka_unit_test(test_heredoc),
		cmocka_unit_test(test_tuple_object),
		cmocka_unit_test(test_for_exprs),
		cmocka_unit_test(test_traversals),
		cmocka_unit_test(test_splats),
		cmocka_unit_test(test_calls),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_json_variant),
		cmocka_unit_test(test_expr_template_api),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
