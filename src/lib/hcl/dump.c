/*
 * hcl/dump.c - prints a parsed native-syntax file in the JSON shape of
 * hcl2json (@cdktf/hcl2json, built on tmccombs/hcl2json), so the
 * differential test can compare our parser with HashiCorp's structure by
 * structure.  The shape, as observed on hcl2json's own output:
 *
 *  - a body is an object; an attribute is a member; blocks of one type are
 *    grouped under their type, then one object level per label, and the
 *    innermost level is an array of bodies in source order;
 *  - literal values, tuples and objects become JSON values (object keys:
 *    bare names and traversals as written, string keys as their value,
 *    other keys as "${source}"); `-` on a number literal and `!` on a
 *    bool literal are folded, as HCL's parser does;
 *  - a template that is one interpolation is that interpolation's value;
 *    other templates are re-rendered: literal text with ${ and %{ escaped
 *    as $${ and %%{, interpolations of literals as their text, other
 *    interpolations as ${source}, directives as %{if c}...%{else}...%{endif}
 *    and %{for k, v in c}...%{endfor} (white space normalised, strip
 *    markers already applied);
 *  - every other expression is the string "${source}" with its source text
 *    exactly as written.
 */
#include <stdio.h>
#include <string.h>

#include "hcl/hcl.h"
#include "core/internal.h"
#include "cshare/json.h"

typedef struct dumper {
	cs_buf *b;
	const char *src;
	cs_err rc;
} dumper;

static void put(dumper *d, const char *s)
{
	if (!d->rc)
		d->rc = cs_buf_puts(d->b, s);
}

static void put_str(dumper *d, const char *s, size_t n)
{
	if (!d->rc)
		d->rc = cs_json_write_str(d->b, s, n);
}

/* Appends text with ${ and %{ escaped (as a template literal). */
static void tmp_escaped(dumper *d, cs_buf *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n && !d->rc; i++) {
		if ((s[i] == '$' || s[i] == '%') && i + 1 < n && s[i + 1] == '{')
			d->rc = cs_buf_putc(t, s[i]);
		if (!d->rc)
			d->rc = cs_buf_putc(t, s[i]);
	}
}

static void tmp_source(dumper *d, cs_buf *t, const cs_hcl_range *r)
{
	if (!d->rc)
		d->rc = cs_buf_append(t, d->src + r->off, r->end - r->off);
}

static void put_number(dumper *d, double v)
{
	char num[64];
	if (v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308)
		(void)snprintf(num, sizeof(num), "null");
	else
		(void)snprintf(num, sizeof(num), "%.17g", v);
	put(d, num);
}

static void render_parts(dumper *d, cs_buf *t, const cs_hcl_tparts *parts);

/* The text a literal gives inside a template. */
static void tmp_literal(dumper *d, cs_buf *t, const cs_hcl_expr *e)
{
	switch (e->u.lit.kind) {
	case CS_HCL_LIT_STRING: tmp_escaped(d, t, e->u.lit.s.ptr, e->u.lit.s.len); break;
	case CS_HCL_LIT_NUMBER: tmp_escaped(d, t, e->u.lit.s.ptr, e->u.lit.s.len); break;
	case CS_HCL_LIT_BOOL:
		if (!d->rc)
			d->rc = cs_buf_puts(t, e->u.lit.b ? "true" : "false");
		break;
	default: break;
	}
}

static void render_parts(dumper *d, cs_buf *t, const cs_hcl_tparts *parts)
{
	for (size_t i = 0; i < parts->n && !d->rc; i++) {
		const cs_hcl_tpart *tp = &parts->v[i];
		switch (tp->kind) {
		case CS_HCL_T_TEXT: tmp_escaped(d, t, tp->u.text.ptr, tp->u.text.len); break;
		case CS_HCL_T_INTERP: {
			const cs_hcl_expr *x = tp->u.expr;
			if (x->kind == CS_HCL_E_LITERAL) {
				tmp_literal(d, t, x);
			} else if (x->kind == CS_HCL_E_TEMPLATE) {
				render_parts(d, t, &x->u.tmpl.parts);
			} else {
				d->rc = d->rc ? d->rc : cs_buf_puts(t, "${");
				tmp_source(d, t, &x->range);
				d->rc = d->rc ? d->rc : cs_buf_puts(t, "}");
			}
			break;
		}
		case CS_HCL_T_IF:
			d->rc = d->rc ? d->rc : cs_buf_puts(t, "%{if ");
			tmp_source(d, t, &tp->u.ifd.cond->range);
			d->rc = d->rc ? d->rc : cs_buf_puts(t, "}");
			render_parts(d, t, &tp->u.ifd.then_parts);
			if (tp->u.ifd.has_else) {
				d->rc = d->rc ? d->rc : cs_buf_puts(t, "%{else}");
				render_parts(d, t, &tp->u.ifd.else_parts);
			}
			d->rc = d->rc ? d->rc : cs_buf_puts(t, "%{endif}");
			break;
		case CS_HCL_T_FOR:
			d->rc = d->rc ? d->rc : cs_buf_puts(t, "%{for ");
			if (tp->u.ford.key_var.len && !d->rc)
				d->rc = cs_buf_printf(t, "%.*s, ", (int)tp->u.ford.key_var.len,
						      tp->u.ford.key_var.ptr);
			if (!d->rc)
				d->rc = cs_buf_printf(t, "%.*s in ", (int)tp->u.ford.val_var.len,
						      tp->u.ford.val_var.ptr);
			tmp_source(d, t, &tp->u.ford.coll->range);
			d->rc = d->rc ? d->rc : cs_buf_puts(t, "}");
			render_parts(d, t, &tp->u.ford.body);
			d->rc = d->rc ? d->rc : cs_buf_puts(t, "%{endfor}");
			break;
		}
	}
}

static void put_buf_str(dumper *d, cs_buf *t)
{
	put_str(d, t->data ? t->data : "", t->len);
}

static void dump_expr(dumper *d, const cs_hcl_expr *e);

/* An expression hcl2json shows as its source text, "${...}". */
static void dump_source(dumper *d, cs_buf *t, const cs_hcl_expr *e)
{
	d->rc = d->rc ? d->rc : cs_buf_puts(t, "${");
	tmp_source(d, t, &e->range);
	d->rc = d->rc ? d->rc : cs_buf_puts(t, "}");
	put_buf_str(d, t);
}

/* A traversal from a root name with attribute and index steps only. */
static bool is_scope_traversal(const cs_hcl_expr *e)
{
	while (e->kind == CS_HCL_E_GETATTR || e->kind == CS_HCL_E_INDEX) {
		if (e->kind == CS_HCL_E_INDEX && e->u.index.key->kind != CS_HCL_E_LITERAL)
			return false;
		e = e->kind == CS_HCL_E_GETATTR ? e->u.getattr.obj : e->u.index.obj;
	}
	return e->kind == CS_HCL_E_VAR;
}

static void dump_key(dumper *d, const cs_hcl_objitem *it)
{
	cs_buf t;
	cs_buf_init(&t, (size_t)-1);
	const cs_hcl_expr *k = it->key;
	if (it->key_ident) {
		d->rc = d->rc ? d->rc : cs_buf_append(&t, it->key_name.ptr, it->key_name.len);
	} else if (is_scope_traversal(k)) {
		tmp_source(d, &t, &k->range);
	} else if (k->kind == CS_HCL_E_LITERAL) {
		if (k->u.lit.kind == CS_HCL_LIT_STRING)
			d->rc = d->rc ? d->rc : cs_buf_append(&t, k->u.lit.s.ptr, k->u.lit.s.len);
		else
			tmp_literal(d, &t, k);
	} else if (k->kind == CS_HCL_E_TEMPLATE) {
		if (k->flags & CS_HCL_F_WRAP) {
			const cs_hcl_expr *x = k->u.tmpl.parts.v[0].u.expr;
			d->rc = d->rc ? d->rc : cs_buf_puts(&t, "${");
			tmp_source(d, &t, &x->range);
			d->rc = d->rc ? d->rc : cs_buf_puts(&t, "}");
		} else {
			render_parts(d, &t, &k->u.tmpl.parts);
		}
	} else {
		d->rc = d->rc ? d->rc : cs_buf_puts(&t, "${");
		tmp_source(d, &t, &k->range);
		d->rc = d->rc ? d->rc : cs_buf_puts(&t, "}");
	}
	put_buf_str(d, &t);
	cs_buf_release(&t);
}

static void dump_expr(dumper *d, const cs_hcl_expr *e)
{
	cs_buf t;
	cs_buf_init(&t, (size_t)-1);
	switch (e->kind) {
	case CS_HCL_E_LITERAL:
		switch (e->u.lit.kind) {
		case CS_HCL_LIT_NULL: put(d, "null"); break;
		case CS_HCL_LIT_BOOL: put(d, e->u.lit.b ? "true" : "false"); break;
		case CS_HCL_LIT_NUMBER: put_number(d, e->u.lit.d); break;
		case CS_HCL_LIT_STRING:
			tmp_escaped(d, &t, e->u.lit.s.ptr, e->u.lit.s.len);
			put_buf_str(d, &t);
			break;
		}
		break;
	case CS_HCL_E_TEMPLATE:
		if (e->flags & CS_HCL_F_WRAP) {
			dump_expr(d, e->u.tmpl.parts.v[0].u.expr);
			break;
		}
		render_parts(d, &t, &e->u.tmpl.parts);
		put_buf_str(d, &t);
		break;
	case CS_HCL_E_TUPLE:
		put(d, "[");
		for (size_t i = 0; i < e->u.tuple.n; i++) {
			if (i)
				put(d, ",");
			dump_expr(d, e->u.tuple.v[i]);
		}
		put(d, "]");
		break;
	case CS_HCL_E_OBJECT:
		put(d, "{");
		for (size_t i = 0; i < e->u.object.n; i++) {
			if (i)
				put(d, ",");
			dump_key(d, &e->u.object.v[i]);
			put(d, ":");
			dump_expr(d, e->u.object.v[i].val);
		}
		put(d, "}");
		break;
	case CS_HCL_E_UNARY: {
		const cs_hcl_expr *x = e->u.unary.x;
		if (x->kind == CS_HCL_E_LITERAL && e->u.unary.op == CS_HCL_OP_NEG &&
		    x->u.lit.kind == CS_HCL_LIT_NUMBER) {
			put_number(d, -x->u.lit.d);
			break;
		}
		if (x->kind == CS_HCL_E_LITERAL && e->u.unary.op == CS_HCL_OP_NOT &&
		    x->u.lit.kind == CS_HCL_LIT_BOOL) {
			put(d, x->u.lit.b ? "false" : "true");
			break;
		}
		dump_source(d, &t, e);
		break;
	}
	default:
		dump_source(d, &t, e);
		break;
	}
	cs_buf_release(&t);
}

static void dump_body(dumper *d, const cs_hcl_body *b);

static bool labels_match(const cs_hcl_item *a, const cs_hcl_item *b, size_t upto)
{
	for (size_t i = 0; i < upto; i++) {
		if (!cs_str_eq(a->labels[i].text, b->labels[i].text))
			return false;
	}
	return true;
}

/* Blocks of type items[first]->name whose first `level` labels equal
 * those of items[first]: an array of bodies when they have no more
 * labels, else one object level keyed by the next label. */
static void dump_group(dumper *d, const cs_hcl_body *b, size_t first, size_t level)
{
	const cs_hcl_item *f = b->items[first];
	if (f->nlabels <= level) {
		put(d, "[");
		bool any = false;
		for (size_t i = first; i < b->n; i++) {
			const cs_hcl_item *it = b->items[i];
			if (it->kind != CS_HCL_BLOCK || !cs_str_eq(it->name, f->name) ||
			    it->nlabels != level || !labels_match(it, f, level))
				continue;
			if (any)
				put(d, ",");
			any = true;
			dump_body(d, it->body);
		}
		put(d, "]");
		return;
	}
	put(d, "{");
	bool any = false;
	for (size_t i = first; i < b->n; i++) {
		const cs_hcl_item *it = b->items[i];
		if (it->kind != CS_HCL_BLOCK || !cs_str_eq(it->name, f->name) ||
		    it->nlabels <= level || !labels_match(it, f, level))
			continue;
		/* first block with this label at this level? */
		bool seen = false;
		for (size_t j = first; j < i && !seen; j++) {
			const cs_hcl_item *o = b->items[j];
			seen = o->kind == CS_HCL_BLOCK && cs_str_eq(o->name, f->name) &&
			       o->nlabels > level && labels_match(o, f, level) &&
			       cs_str_eq(o->labels[level].text, it->labels[level].text);
		}
		if (seen)
			continue;
		if (any)
			put(d, ",");
		any = true;
		put_str(d, it->labels[level].text.ptr, it->labels[level].text.len);
		put(d, ":");
		dump_group(d, b, i, level + 1);
	}
	put(d, "}");
}

static void dump_body(dumper *d, const cs_hcl_body *b)
{
	put(d, "{");
	bool any = false;
	for (size_t i = 0; i < b->n && !d->rc; i++) {
		const cs_hcl_item *it = b->items[i];
		if (it->kind == CS_HCL_BLOCK) {
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = b->items[j]->kind == CS_HCL_BLOCK &&
				       cs_str_eq(b->items[j]->name, it->name);
			if (seen)
				continue;
		}
		if (any)
			put(d, ",");
		any = true;
		put_str(d, it->name.ptr, it->name.len);
		put(d, ":");
		if (it->kind == CS_HCL_ATTR)
			dump_expr(d, it->expr);
		else
			dump_group(d, b, i, 0);
	}
	put(d, "}");
}

cs_err cs__hcl_dump_json(cs_buf *b, const cs_hcl_file *f)
{
	if (!f || f->json || !f->body)
		return CS_EINVAL;
	dumper d = { b, f->src, CS_OK };
	dump_body(&d, f->body);
	return d.rc;
}
