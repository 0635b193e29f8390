/* fuzz_hcl.c - libFuzzer harness for the HCL reader (src/lib/hcl): any
 * bytes, read as a native-syntax file, a lone expression, a template and a
 * JSON-variant file, must give an AST or located diagnostics, never a
 * crash, a hang or unbounded memory; a file that parses must dump to valid
 * JSON (hcl2json's shape), with every range inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "cshare/json.h"
#include "hcl/hcl.h"

static void check_range(const cs_hcl_range *r, size_t size)
{
	if (r->off > r->end || r->end > size || r->line == 0 || r->end_line < r->line)
		abort();
}

static void walk_expr(const cs_hcl_expr *e, size_t size);

static void walk_parts(const cs_hcl_tparts *ps, size_t size)
{
	for (size_t i = 0; i < ps->n; i++) {
		const cs_hcl_tpart *t = &ps->v[i];
		switch (t->kind) {
		case CS_HCL_T_TEXT: break;
		case CS_HCL_T_INTERP: walk_expr(t->u.expr, size); break;
		case CS_HCL_T_IF:
			walk_expr(t->u.ifd.cond, size);
			walk_parts(&t->u.ifd.then_parts, size);
			walk_parts(&t->u.ifd.else_parts, size);
			break;
		case CS_HCL_T_FOR:
			walk_expr(t->u.ford.coll, size);
			walk_parts(&t->u.ford.body, size);
			break;
		default: abort();
		}
	}
}

static void walk_expr(const cs_hcl_expr *e, size_t size)
{
	if (!e)
		abort();
	check_range(&e->range, size);
	switch (e->kind) {
	case CS_HCL_E_TEMPLATE: walk_parts(&e->u.tmpl.parts, size); break;
	case CS_HCL_E_TUPLE:
		for (size_t i = 0; i < e->u.tuple.n; i++)
			walk_expr(e->u.tuple.v[i], size);
		break;
	case CS_HCL_E_OBJECT:
		for (size_t i = 0; i < e->u.object.n; i++) {
			walk_expr(e->u.object.v[i].key, size);
			walk_expr(e->u.object.v[i].val, size);
		}
		break;
	case CS_HCL_E_GETATTR: walk_expr(e->u.getattr.obj, size); break;
	case CS_HCL_E_INDEX:
		walk_expr(e->u.index.obj, size);
		walk_expr(e->u.index.key, size);
		break;
	case CS_HCL_E_SPLAT:
		walk_expr(e->u.splat.source, size);
		walk_expr(e->u.splat.each, size);
		break;
	case CS_HCL_E_CALL:
		for (size_t i = 0; i < e->u.call.nargs; i++)
			walk_expr(e->u.call.args[i], size);
		break;
	case CS_HCL_E_UNARY: walk_expr(e->u.unary.x, size); break;
	case CS_HCL_E_BINARY:
		walk_expr(e->u.binary.l, size);
		walk_expr(e->u.binary.r, size);
		break;
	case CS_HCL_E_COND:
		walk_expr(e->u.cond.cond, size);
		walk_expr(e->u.cond.yes, size);
		walk_expr(e->u.cond.no, size);
		break;
	case CS_HCL_E_FOR:
		walk_expr(e->u.forx.coll, size);
		if (e->u.forx.key_expr)
			walk_expr(e->u.forx.key_expr, size);
		walk_expr(e->u.forx.val_expr, size);
		if (e->u.forx.cond)
			walk_expr(e->u.forx.cond, size);
		break;
	case CS_HCL_E_PAREN: walk_expr(e->u.paren.x, size); break;
	default: break;
	}
}

static void walk_body(const cs_hcl_body *b, size_t size)
{
	for (size_t i = 0; i < b->n; i++) {
		const cs_hcl_item *it = b->items[i];
		check_range(&it->range, size);
		if (it->kind == CS_HCL_ATTR)
			walk_expr(it->expr, size);
		else
			walk_body(it->body, size);
	}
}

static const cs_hcl_blockspec schema[] = {
	{ "resource", 2 }, { "variable", 1 }, { "locals", 0 }, { "module", 1 },
};

/* Resolves a JSON body and its blocks' bodies, a few levels down. */
static void resolve_json(cs_arena *a, const cs_hcl_body *b, int depth)
{
	cs_diag_sink sink = { 0 };
	const cs_hcl_body *r = NULL;
	cs_err rc = cs__hcl_body_resolve(a, b, schema, CS_ARRAY_SIZE(schema), &sink, &r);
	if (rc == CS_ESYNTAX && sink.errors == 0)
		abort();
	if ((rc == CS_OK || rc == CS_ESYNTAX) && r && depth < 3) {
		for (size_t i = 0; i < r->n; i++) {
			if (r->items[i]->kind == CS_HCL_BLOCK)
				resolve_json(a, r->items[i]->body, depth + 1);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena *a = cs_arena_new(256u << 20);
	if (!a)
		return 0;
	const char *src = (const char *)data;
	cs_diag_sink sink = { 0 };
	cs_hcl_file *f = NULL;
	cs_err rc = cs__hcl_parse(a, "fuzz.tf", src, size, &sink, &f);
	if (rc == CS_OK || rc == CS_ESYNTAX) {
		if (!f || (rc == CS_ESYNTAX && (sink.errors == 0 || f->errors == 0)))
			abort(); /* a failure must be explained */
		walk_body(f->body, size);
	}
	if (rc == CS_OK) {
		cs_buf b;
		cs_buf_init(&b, 0);
		if (cs__hcl_dump_json(&b, f) == CS_OK) {
			const cs_value *v = NULL;
			cs_diag_sink s2 = { 0 };
			cs_json_opts o = { .max_depth = 1000 };
			if (cs_json_parse(a, "dump", b.data ? b.data : "{}", b.data ? b.len : 2, &o,
					  &s2, &v, NULL) != CS_OK)
				abort(); /* the dump must be JSON */
		}
		cs_buf_release(&b);
	}
	cs_hcl_expr *e = NULL;
	cs_diag_sink s3 = { 0 };
	rc = cs__hcl_parse_expr(a, "fuzz", 1, 1, src, size, &s3, &e);
	if (rc == CS_ESYNTAX && s3.errors == 0)
		abort();
	if (rc == CS_OK)
		walk_expr(e, size);
	cs_diag_sink s4 = { 0 };
	rc = cs__hcl_parse_template(a, "fuzz", 1, 1, src, size, &s4, &e);
	if (rc == CS_ESYNTAX && s4.errors == 0)
		abort();
	if (size && data[0] == '{') {
		cs_diag_sink s5 = { 0 };
		rc = cs__hcl_parse_json(a, "fuzz.tf.json", src, size, &s5, &f);
		if (rc == CS_OK)
			resolve_json(a, f->body, 0);
	}
	cs_arena_free(a);
	return 0;
}
