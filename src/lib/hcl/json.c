/*
 * hcl/json.c - the JSON variant of HCL (hcl's json/spec.md) as used by
 * Terraform's `.tf.json` and `.tfvars.json` files, read into the AST of
 * hcl/ast.h.
 *
 * A JSON body cannot be read without a schema: `"tags": {"a": "b"}` is an
 * attribute holding an object, but `"lifecycle": {...}` is a block.  So
 * cs__hcl_parse_json keeps the root body undecided (cs_hcl_body.json is
 * the JSON object, `items` empty) and cs__hcl_body_resolve reads it when
 * the evaluator says which property names are blocks and how many labels
 * each has:
 *
 *  - a block property's value is an object whose property names are the
 *    first label, its values objects keyed by the second label, and so on;
 *    after the labels comes the block body, an object, or an array of
 *    objects for several blocks with the same labels (arrays of objects are
 *    also accepted at label levels);
 *  - every other property is an attribute; in expression context a JSON
 *    string is a template ("${var.x}" interpolates), numbers keep their
 *    text, true/false/null are literals, arrays are tuples and objects are
 *    objects whose keys are templates too;
 *  - a property named "//" in a body is a comment and skipped;
 *  - block bodies of the result are undecided again, resolved with the
 *    nested block's own schema.
 * Positions: a string's template parts are located from the string's
 * opening quote; inside a string with escapes the columns are approximate.
 */
#include <string.h>

#include "core/internal.h"
#include "cshare/json.h"
#include "hcl/hcl.h"

cs_err cs__hcl_parse_json(cs_arena *a, const char *file, const char *src, size_t len,
			  cs_diag_sink *diags, cs_hcl_file **out)
{
	cs_err rc = CS_OK;
	const cs_value *root = NULL;
	*out = NULL;
	cs_diag_sink local = { NULL, NULL, 0, 0 };
	cs_diag_sink *ds = diags ? diags : &local;
	unsigned before = ds->errors;
	cs_hcl_file *f = cs_arena_alloc(a, sizeof(*f));
	cs_hcl_body *body = cs_arena_alloc(a, sizeof(*body));
	if (!f || !body) {
		rc = cs_arena_error(a);
		goto out;
	}
	memset(f, 0, sizeof(*f));
	memset(body, 0, sizeof(*body));
	f->file = file;
	f->src = src;
	f->len = len;
	f->json = true;
	f->body = body;
	body->file = file;
	body->range.line = 1;
	body->range.col = 1;
	rc = cs_json_parse(a, file, src, len, NULL, ds, &root, NULL);
	if (rc == CS_ESYNTAX || rc == CS_EUTF8) {
		f->errors = ds->errors - before ? ds->errors - before : 1;
		*out = f;
		rc = CS_ESYNTAX;
		goto out;
	}
	if (rc)
		goto out;
	if (cs_value_type(root) != CS_VOBJECT) {
		cs_diag_emit(ds, CS_SEV_ERROR, CS_ESYNTAX, file, root->line, root->col, NULL,
			     "Root value must be object: The root value in a JSON-based "
			     "configuration must be a JSON object.");
		f->errors = 1;
		*out = f;
		rc = CS_ESYNTAX;
		goto out;
	}
	body->json = root;
	body->range.end_line = cs__value_last_line(root);
	body->range.end = (uint32_t)(len < UINT32_MAX ? len : UINT32_MAX);
	*out = f;
out:
	return rc;
}

typedef struct resolver {
	cs_arena *a;
	const char *file;
	cs_diag_sink *diags;
	unsigned errors;
	cs_err rc; /* ENOMEM/ELIMIT */
	unsigned depth;
} resolver;

static void *ralloc(resolver *r, size_t n)
{
	void *p = cs_arena_alloc(r->a, n ? n : 1);
	if (!p) {
		if (!r->rc)
			r->rc = cs_arena_error(r->a);
		return NULL;
	}
	memset(p, 0, n ? n : 1);
	return p;
}

static void rerror(resolver *r, const cs_value *v, const char *msg)
{
	r->errors++;
	if (r->diags)
		cs_diag_emit(r->diags, CS_SEV_ERROR, CS_ESYNTAX, r->file, v->line, v->col, NULL,
			     "%s", msg);
}

static cs_hcl_expr *json_expr(resolver *r, const cs_value *v);

/* A JSON string as a template, located at its opening quote. */
static cs_hcl_expr *json_template(resolver *r, cs_str s, uint32_t line, uint32_t col)
{
	cs_hcl_expr *e = NULL;
	cs_diag_sink local = { NULL, NULL, 0, 0 };
	cs_err rc = cs__hcl_parse_template(r->a, r->file, line, col + 1, s.ptr, s.len,
					   r->diags ? r->diags : &local, &e);
	if (rc == CS_ESYNTAX) {
		r->errors++;
		return NULL;
	}
	if (rc) {
		if (!r->rc)
			r->rc = rc;
		return NULL;
	}
	return e;
}

static cs_hcl_expr *json_expr(resolver *r, const cs_value *v)
{
	cs_hcl_expr *e = NULL;
	if (r->rc)
		return NULL;
	if (r->depth >= CS_HCL_MAX_DEPTH) {
		rerror(r, v, "Nesting too deep: JSON values may be nested at most 128 levels "
			     "deep.");
		return NULL;
	}
	r->depth++;
	cs_hcl_range rg = { v->line, v->col, v->line, 0, 0 };
	switch (cs_value_type(v)) {
	case CS_VSTRING:
		e = json_template(r, v->u.s, v->line, v->col);
		break;
	case CS_VNUMBER:
	case CS_VBOOL:
	case CS_VNULL:
		e = ralloc(r, sizeof(*e));
		if (!e)
			break;
		e->kind = CS_HCL_E_LITERAL;
		e->range = rg;
		if (cs_value_type(v) == CS_VNUMBER) {
			e->u.lit.kind = CS_HCL_LIT_NUMBER;
			e->u.lit.d = v->u.num.d;
			e->u.lit.s = v->u.num.raw;
		} else if (cs_value_type(v) == CS_VBOOL) {
			e->u.lit.kind = CS_HCL_LIT_BOOL;
			e->u.lit.b = v->u.b;
		} else {
			e->u.lit.kind = CS_HCL_LIT_NULL;
		}
		break;
	case CS_VARRAY: {
		e = ralloc(r, sizeof(*e));
		cs_hcl_expr **items = ralloc(r, v->u.arr.n * sizeof(*items));
		if (!e || !items) {
			e = NULL;
			break;
		}
		e->kind = CS_HCL_E_TUPLE;
		e->range = rg;
		for (size_t i = 0; i < v->u.arr.n; i++) {
			if (!(items[i] = json_expr(r, v->u.arr.v[i]))) {
				e = NULL;
				break;
			}
		}
		if (e) {
			e->u.tuple.v = items;
			e->u.tuple.n = v->u.arr.n;
		}
		break;
	}
	case CS_VOBJECT: {
		e = ralloc(r, sizeof(*e));
		cs_hcl_objitem *items = ralloc(r, v->u.obj.n * sizeof(*items));
		if (!e || !items) {
			e = NULL;
			break;
		}
		e->kind = CS_HCL_E_OBJECT;
		e->range = rg;
		for (size_t i = 0; i < v->u.obj.n && e; i++) {
			const cs_member *m = &v->u.obj.m[i];
			items[i].key = json_template(r, m->key, m->line, m->col);
			items[i].val = json_expr(r, m->val);
			items[i].range = (cs_hcl_range){ m->line, m->col, m->line, 0, 0 };
			items[i].colon = true;
			if (!items[i].key || !items[i].val)
				e = NULL;
		}
		if (e) {
			e->u.object.v = items;
			e->u.object.n = v->u.obj.n;
		}
		break;
	}
	default:
		rerror(r, v, "Invalid JSON value: This value cannot be used here.");
		break;
	}
	if (e)
		e->flags |= CS_HCL_F_JSON;
	r->depth--;
	return e;
}

/* Growable list of items (heap), copied to the arena at the end. */
typedef struct itemlist {
	cs_hcl_item **v;
	size_t n, cap;
} itemlist;

static bool push_item(resolver *r, itemlist *l, cs_hcl_item *it)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		cs_hcl_item **nv = cs_realloc(l->v, nc * sizeof(*nv));
		if (!nv) {
			if (!r->rc)
				r->rc = CS_ENOMEM;
			return false;
		}
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = it;
	return true;
}

/* Adds one block per body found under `v`, `got` labels already read. */
static void add_blocks(resolver *r, itemlist *l, const cs_member *prop, unsigned nlabels,
		       const cs_value *v, cs_str *labels, const cs_member **lmem, unsigned got)
{
	if (r->rc)
		return;
	if (cs_value_type(v) == CS_VARRAY) {
		for (size_t i = 0; i < v->u.arr.n; i++) {
			if (cs_value_type(v->u.arr.v[i]) != CS_VOBJECT) {
				rerror(r, v->u.arr.v[i],
				       "Incorrect JSON value type: A JSON object is required here, "
				       "for a block body or its labels.");
				continue;
			}
			add_blocks(r, l, prop, nlabels, v->u.arr.v[i], labels, lmem, got);
		}
		return;
	}
	if (cs_value_type(v) != CS_VOBJECT) {
		rerror(r, v, "Incorrect JSON value type: A JSON object is required here, for a "
			     "block body or its labels.");
		return;
	}
	if (got < nlabels) {
		if (v->u.obj.n == 0 && got == 0) {
			rerror(r, v, "Missing block label: At least one object property is "
				     "required, whose name represents the block's label.");
			return;
		}
		for (size_t i = 0; i < v->u.obj.n; i++) {
			labels[got] = v->u.obj.m[i].key;
			lmem[got] = &v->u.obj.m[i];
			add_blocks(r, l, prop, nlabels, v->u.obj.m[i].val, labels, lmem, got + 1);
		}
		return;
	}
	cs_hcl_item *it = ralloc(r, sizeof(*it));
	cs_hcl_body *b = ralloc(r, sizeof(*b));
	cs_hcl_label *ls = ralloc(r, nlabels * sizeof(*ls));
	if (!it || !b || !ls)
		return;
	it->kind = CS_HCL_BLOCK;
	it->range = (cs_hcl_range){ prop->line, prop->col, cs__value_last_line(v), 0, 0 };
	it->name = prop->key;
	for (unsigned i = 0; i < nlabels; i++) {
		ls[i].text = labels[i];
		ls[i].quoted = true;
		ls[i].range = (cs_hcl_range){ lmem[i]->line, lmem[i]->col, lmem[i]->line, 0, 0 };
	}
	it->labels = nlabels ? ls : NULL;
	it->nlabels = nlabels;
	b->file = r->file;
	b->json = v;
	b->range = (cs_hcl_range){ v->line, v->col, cs__value_last_line(v), 0, 0 };
	it->body = b;
	(void)push_item(r, l, it);
}

cs_err cs__hcl_body_resolve(cs_arena *a, const cs_hcl_body *body, const cs_hcl_blockspec *blocks,
			    size_t nblocks, cs_diag_sink *diags, const cs_hcl_body **out)
{
	resolver r = { a, body ? body->file : NULL, diags, 0, CS_OK, 0 };
	itemlist l = { NULL, 0, 0 };
	cs_strmap seen = { 0 };
	cs_err rc = CS_OK;
	*out = body;
	if (!body || !body->json)
		goto out;
	const cs_value *obj = body->json;
	for (size_t i = 0; i < obj->u.obj.n && !r.rc; i++) {
		const cs_member *m = &obj->u.obj.m[i];
		if (cs_str_eqc(m->key, "//"))
			continue;
		const cs_hcl_blockspec *bs = NULL;
		for (size_t k = 0; k < nblocks && !bs; k++) {
			if (cs_str_eqc(m->key, blocks[k].type))
				bs = &blocks[k];
		}
		if (bs) {
			cs_str labels[16];
			const cs_member *lmem[16];
			unsigned nl = bs->nlabels > 16 ? 16 : bs->nlabels;
			add_blocks(&r, &l, m, nl, m->val, labels, lmem, 0);
			continue;
		}
		const cs_member *prev = cs__strmap_get(&seen, m->key.ptr, m->key.len, NULL);
		if (prev) {
			r.errors++;
			if (diags)
				cs_diag_emit(diags, CS_SEV_ERROR, CS_ESYNTAX, r.file, m->line, m->col,
					     NULL,
					     "Duplicate argument: Argument \"%.*s\" was already set at "
					     "%s:%u,%u.",
					     (int)(m->key.len > 64 ? 64 : m->key.len), m->key.ptr,
					     r.file ? r.file : "<input>", prev->line, prev->col);
			continue;
		}
		if (cs__strmap_put(&seen, m->key.ptr, m->key.len, (void *)m)) {
			r.rc = CS_ENOMEM;
			break;
		}
		cs_hcl_expr *x = json_expr(&r, m->val);
		if (!x)
			continue;
		cs_hcl_item *it = ralloc(&r, sizeof(*it));
		if (!it)
			break;
		it->kind = CS_HCL_ATTR;
		it->range = (cs_hcl_range){ m->line, m->col, cs__value_last_line(m->val), 0, 0 };
		it->name = m->key;
		it->expr = x;
		(void)push_item(&r, &l, it);
	}
	if (r.rc) {
		rc = r.rc;
		goto out;
	}
	cs_hcl_body *nb = ralloc(&r, sizeof(*nb));
	cs_hcl_item **items = ralloc(&r, l.n * sizeof(*items));
	if (!nb || !items) {
		rc = r.rc;
		goto out;
	}
	if (l.n)
		memcpy(items, l.v, l.n * sizeof(*items));
	nb->file = body->file;
	nb->range = body->range;
	nb->items = l.n ? items : NULL;
	nb->n = l.n;
	*out = nb;
	if (r.errors)
		rc = CS_ESYNTAX;
out:
	cs_free(l.v);
	cs__strmap_release(&seen);
	return rc;
}
