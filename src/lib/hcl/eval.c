/*
 * hcl/eval.c - evaluation of HCL expressions (hclsyntax/spec.md, Terraform's
 * "Expressions" pages) over cs_value, for what can be known before apply.
 *
 * Semantics followed here (and where they come from):
 *  - Arithmetic (+ - * / %) converts both operands to numbers (a string
 *    "5" is the number 5); division or remainder by zero is an error
 *    (cty: "can't divide by zero"); % keeps the dividend's sign.
 *  - Comparisons < <= > >= need numbers; == and != compare any two values
 *    without conversion (1 == "1" is false; cty Equals).
 *  - && and || need bools.  Since HCL 2.23 (Terraform 1.10, hashicorp/hcl
 *    pull request 713) they short-circuit: `false && x` is false and
 *    `true || x` is true whatever x is (errors in x included).  With an
 *    unknown left operand the result is unknown unless the right operand
 *    decides it (`x && false` is false), as cty's refined bools do.
 *  - `c ? a : b`: the condition converts to bool; an unknown condition
 *    gives an unknown, unless both results are known and equal.
 *  - Templates convert interpolated numbers and bools to strings; null
 *    and collections are errors.  A template with an unknown interpolation
 *    is an unknown whose shape is the known text with a hole
 *    (CS_HOLE_ANY) for each unknown part, so checks can still read
 *    "arn:aws:s3:::${?}-logs" prefixes.
 *  - Splats: a list/tuple/set maps `each` over its elements; null gives
 *    an empty tuple; any other value is a one-element tuple.
 *  - for: lists and tuples iterate by index, maps and objects by key in
 *    lexical order (objects are kept sorted by key, as cty does);
 *    object-form duplicate keys need the grouping `...`.
 *  - try/can are evaluated here (they need the arguments' errors): try
 *    returns the first argument that evaluates without error, can
 *    whether its argument does; an unknown result makes both unknown.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hcl/eval.h"
#include "hcl/funcs.h"

#define EV_MAX_STEPS 256u

static cs_err ev(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out);

void cs__hcl_ectx_init(cs__hcl_ectx *cx, cs_arena *a, cs_diag_sink *diags, const char *file,
		       const char *dir, cs__hcl_resolve_fn resolve, void *ud)
{
	memset(cx, 0, sizeof *cx);
	cx->a = a;
	cx->diags = diags;
	cx->file = file;
	cx->dir = dir;
	cx->resolve = resolve;
	cx->ud = ud;
}

void cs__hcl_bind_push(cs__hcl_ectx *cx, cs__hcl_bind *b, const char *name, const cs_value *val)
{
	b->name = cs_str_c(name);
	b->val = val;
	b->next = cx->binds;
	cx->binds = b;
}

void cs__hcl_bind_pop(cs__hcl_ectx *cx, cs__hcl_bind *b)
{
	if (cx->binds == b)
		cx->binds = b->next;
}

static cs_err oom(cs__hcl_ectx *cx)
{
	cs_err e = cs_arena_error(cx->a);
	return e ? e : CS_ENOMEM;
}

cs_err cs__hcl_eval_err(cs__hcl_ectx *cx, const cs_hcl_expr *at, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cx->errors++;
	if (!cx->quiet) {
		cs_diag_emit(cx->diags, CS_SEV_ERROR, CS_EINVAL, cx->file, at ? at->range.line : 0,
			     at ? at->range.col : 0, NULL, "%s", msg);
		const char *keep = cs_arena_strdup(cx->a, msg);
		cx->last_error = keep ? keep : "evaluation error";
	} else {
		cx->last_error = "evaluation error";
	}
	return CS_EINVAL;
}

cs_value *cs__hcl_unknownf(cs_arena *a, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *r = cs_arena_strdup(a, msg);
	return r ? cs__v_unknown(a, r, line, col) : NULL;
}

/* ---- open objects --------------------------------------------------------- */

typedef struct open_ent {
	const cs_value *obj;
	const char *reason;
} open_ent;

cs_err cs__hcl_open_add(cs__hcl_openset *s, cs_arena *a, const cs_value *obj, const char *reason)
{
	open_ent *e = cs_arena_alloc(a, sizeof *e);
	if (!e)
		return CS_ENOMEM;
	e->obj = obj;
	e->reason = reason;
	return cs__strmap_put(&s->map, (const char *)&e->obj, sizeof e->obj, e);
}

const char *cs__hcl_open_reason(const cs__hcl_openset *s, const cs_value *obj)
{
	if (!s || !s->map.n)
		return NULL;
	const open_ent *e = cs__strmap_get(&s->map, (const char *)&obj, sizeof obj, NULL);
	return e ? e->reason : NULL;
}

void cs__hcl_open_release(cs__hcl_openset *s)
{
	cs__strmap_release(&s->map);
}

/* ---- value helpers -------------------------------------------------------- */

static size_t num_text(double d, char *buf, size_t cap)
{
	int n;
	if (d != d)
		n = snprintf(buf, cap, "NaN");
	else if (isinf(d))
		n = snprintf(buf, cap, d < 0 ? "-Infinity" : "Infinity");
	else if (d == floor(d) && fabs(d) < 1e21)
		n = snprintf(buf, cap, "%.0f", d);
	else {
		n = 0;
		for (int p = 1; p <= 17; p++) {
			n = snprintf(buf, cap, "%.*g", p, d);
			if (strtod(buf, NULL) == d)
				break;
		}
	}
	return n > 0 ? (size_t)n : 0;
}

cs_value *cs__hcl_mknum(cs_arena *a, double d, uint32_t line, uint32_t col)
{
	char buf[64];
	size_t n = num_text(d, buf, sizeof buf);
	char *raw = cs_arena_strndup(a, buf, n);
	cs_value *v = raw ? cs__v_num(a, d, (cs_str){ raw, n }, line, col) : NULL;
	if (v && d == floor(d) && fabs(d) < 9007199254740992.0)
		v->flags |= CS_VF_INT;
	return v;
}

bool cs__hcl_tostr(const cs_value *v, char *buf, cs_str *out)
{
	switch (cs_value_type(v)) {
	case CS_VSTRING:
		*out = v->u.s;
		return true;
	case CS_VNUMBER:
		out->ptr = buf;
		out->len = num_text(v->u.num.d, buf, 400);
		return true;
	case CS_VBOOL:
		*out = v->u.b ? CS_STR_LIT("true") : CS_STR_LIT("false");
		return true;
	default:
		return false;
	}
}

static bool val_unknown_d(const cs_value *v, const cs_value **first, unsigned depth)
{
	if (!v)
		return false;
	if (v->type == CS_VUNKNOWN) {
		if (first)
			*first = v;
		return true;
	}
	if (depth > CS_HCL_EVAL_MAX_DEPTH)
		return true;
	if (v->type == CS_VARRAY) {
		for (size_t i = 0; i < v->u.arr.n; i++)
			if (val_unknown_d(v->u.arr.v[i], first, depth + 1))
				return true;
	} else if (v->type == CS_VOBJECT) {
		for (size_t i = 0; i < v->u.obj.n; i++)
			if (val_unknown_d(v->u.obj.m[i].val, first, depth + 1))
				return true;
	}
	return false;
}

bool cs__hcl_val_unknown(const cs_value *v, const cs_value **first)
{
	return val_unknown_d(v, first, 0);
}

static bool val_equal_d(const cs_value *a, const cs_value *b, unsigned depth)
{
	if (!a || !b || a->type != b->type || depth > CS_HCL_EVAL_MAX_DEPTH)
		return false;
	switch (a->type) {
	case CS_VNULL:
		return true;
	case CS_VBOOL:
		return a->u.b == b->u.b;
	case CS_VNUMBER:
		return a->u.num.d == b->u.num.d;
	case CS_VSTRING:
		return cs_str_eq(a->u.s, b->u.s);
	case CS_VARRAY:
		if (a->u.arr.n != b->u.arr.n)
			return false;
		for (size_t i = 0; i < a->u.arr.n; i++)
			if (!val_equal_d(a->u.arr.v[i], b->u.arr.v[i], depth + 1))
				return false;
		return true;
	case CS_VOBJECT:
		if (a->u.obj.n != b->u.obj.n)
			return false;
		for (size_t i = 0; i < a->u.obj.n; i++) {
			const cs_member *m = &a->u.obj.m[i];
			if (!val_equal_d(m->val, cs_value_getn(b, m->key.ptr, m->key.len), depth + 1))
				return false;
		}
		return true;
	default:
		return false;
	}
}

bool cs__hcl_val_equal(const cs_value *a, const cs_value *b)
{
	return val_equal_d(a, b, 0);
}

static const cs_value *relocate_d(cs_arena *a, const cs_value *v, uint32_t line, uint32_t col,
				  unsigned depth)
{
	if (!v || depth > CS_HCL_EVAL_MAX_DEPTH || (v->line == line && v->col == col &&
						    v->type != CS_VARRAY && v->type != CS_VOBJECT))
		return v;
	cs_value *c = cs__v_clone(a, v);
	if (!c)
		return NULL;
	c->line = line;
	c->col = col;
	if (v->type == CS_VARRAY && v->u.arr.n) {
		cs_value **items = cs_arena_alloc(a, v->u.arr.n * sizeof *items);
		if (!items)
			return NULL;
		for (size_t i = 0; i < v->u.arr.n; i++) {
			items[i] = (cs_value *)relocate_d(a, v->u.arr.v[i], line, col, depth + 1);
			if (!items[i])
				return NULL;
		}
		c->u.arr.v = items;
	} else if (v->type == CS_VOBJECT && v->u.obj.n) {
		cs_member *m = cs_arena_alloc(a, v->u.obj.n * sizeof *m);
		if (!m)
			return NULL;
		for (size_t i = 0; i < v->u.obj.n; i++) {
			m[i] = v->u.obj.m[i];
			m[i].line = line;
			m[i].col = col;
			m[i].val = (cs_value *)relocate_d(a, v->u.obj.m[i].val, line, col, depth + 1);
			if (!m[i].val)
				return NULL;
		}
		c->u.obj.m = m;
	}
	return c;
}

const cs_value *cs__hcl_relocate(cs_arena *a, const cs_value *v, uint32_t line, uint32_t col)
{
	return relocate_d(a, v, line, col, 0);
}

static int key_cmp(cs_str x, cs_str y)
{
	size_t n = x.len < y.len ? x.len : y.len;
	int c = n ? memcmp(x.ptr, y.ptr, n) : 0;
	if (c)
		return c;
	return x.len < y.len ? -1 : x.len > y.len ? 1 : 0;
}

/* Sorts members by key (insertion sort for short runs, merge otherwise)
 * and drops earlier duplicates (the last one written wins).  Returns the
 * new count. */
static size_t sort_members(cs_member *m, size_t n, cs_member *tmp)
{
	if (n < 2)
		return n;
	if (n <= 12) {
		for (size_t i = 1; i < n; i++) {
			cs_member x = m[i];
			size_t j = i;
			while (j > 0 && key_cmp(m[j - 1].key, x.key) > 0) {
				m[j] = m[j - 1];
				j--;
			}
			m[j] = x;
		}
	} else {
		size_t h = n / 2;
		sort_members(m, h, tmp);
		sort_members(m + h, n - h, tmp);
		memcpy(tmp, m, h * sizeof *m);
		size_t i = 0, j = h, o = 0;
		while (i < h && j < n)
			m[o++] = key_cmp(m[j].key, tmp[i].key) < 0 ? m[j++] : tmp[i++];
		while (i < h)
			m[o++] = tmp[i++];
	}
	return n;
}

/* An object from members (copied; reordered by key; for equal keys the
 * later one wins).  NULL on allocation failure. */
cs_value *cs__hcl_mkobj(cs_arena *a, cs_member *m, size_t n, uint32_t line, uint32_t col)
{
	cs_member *tmp = NULL;
	cs_value *v = NULL;
	if (n > 12 && !(tmp = cs_malloc(n * sizeof *tmp)))
		return NULL;
	/* stable sort: members with equal keys keep their source order */
	for (size_t i = 0; i < n; i++)
		m[i].line = m[i].line ? m[i].line : line;
	sort_members(m, n, tmp);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (o && key_cmp(m[o - 1].key, m[i].key) == 0)
			m[o - 1] = m[i];
		else
			m[o++] = m[i];
	}
	v = cs__v_object(a, m, o, line, col);
	cs_free(tmp);
	return v;
}

/* ---- budget and depth ----------------------------------------------------- */

static cs_err enter(cs__hcl_ectx *cx, const cs_hcl_expr *e)
{
	if (cx->depth >= CS_HCL_EVAL_MAX_DEPTH)
		return cs__hcl_eval_err(cx, e, "Expression too deep: nesting exceeds %u levels",
					CS_HCL_EVAL_MAX_DEPTH);
	if (cx->budget_on) {
		if (!cx->budget)
			return cs__hcl_eval_err(cx, e,
						"Evaluation limit reached: the configuration needs "
						"more work than the limit allows; value unknown");
		cx->budget--;
	}
	cx->depth++;
	return CS_OK;
}

/* ---- literals, templates -------------------------------------------------- */

static cs_err ev_literal(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	uint32_t l = e->range.line, c = e->range.col;
	cs_value *v = NULL;
	switch (e->u.lit.kind) {
	case CS_HCL_LIT_NULL:
		v = cs__v_null(cx->a, l, c);
		break;
	case CS_HCL_LIT_BOOL:
		v = cs__v_bool(cx->a, e->u.lit.b, l, c);
		break;
	case CS_HCL_LIT_NUMBER:
		v = cs__v_num(cx->a, e->u.lit.d, e->u.lit.s, l, c);
		if (v && e->u.lit.d == floor(e->u.lit.d) && fabs(e->u.lit.d) < 9007199254740992.0)
			v->flags |= CS_VF_INT;
		break;
	default:
		v = cs__v_str(cx->a, e->u.lit.s, l, c);
		break;
	}
	*out = v;
	return v ? CS_OK : oom(cx);
}

typedef struct tstate {
	cs_buf text;
	cs_buf shape; /* the same text with holes */
	const cs_value *unk; /* first unknown met */
	bool shapeless;      /* an unknown decided a directive: no shape */
} tstate;

static cs_err tparts(cs__hcl_ectx *cx, const cs_hcl_tparts *p, tstate *t);

static cs_err tput(tstate *t, const char *s, size_t n)
{
	cs_err rc = cs_buf_append(&t->text, s, n);
	if (!rc && !t->shapeless)
		rc = cs_buf_append(&t->shape, s, n);
	return rc;
}

static cs_err t_interp(cs__hcl_ectx *cx, const cs_hcl_expr *e, tstate *t)
{
	const cs_value *v;
	cs_err rc = ev(cx, e, &v);
	if (rc)
		return rc;
	if (v->type == CS_VUNKNOWN) {
		if (!t->unk)
			t->unk = v;
		/* keep the known text of a partly known string */
		const char *sh = v->u.unk.shape;
		if (!t->shapeless)
			rc = sh ? cs_buf_puts(&t->shape, sh) : cs_buf_putc(&t->shape, CS_HOLE_ANY);
		return rc;
	}
	if (v->type == CS_VNULL)
		return cs__hcl_eval_err(cx, e,
					"Invalid template interpolation value: The expression result is "
					"null. Cannot include a null value in a string template.");
	char buf[400];
	cs_str s;
	if (!cs__hcl_tostr(v, buf, &s)) {
		if (cs__hcl_val_unknown(v, NULL)) { /* a collection: an error anyway */
		}
		return cs__hcl_eval_err(cx, e,
					"Invalid template interpolation value: Cannot include the "
					"given value in a string template: string required.");
	}
	return tput(t, s.ptr, s.len);
}

static cs_err want_bool(cs__hcl_ectx *cx, const cs_hcl_expr *at, const cs_value *v, const char *what,
			bool *out)
{
	if (v->type == CS_VBOOL) {
		*out = v->u.b;
		return CS_OK;
	}
	if (v->type == CS_VSTRING && (cs_str_eqc(v->u.s, "true") || cs_str_eqc(v->u.s, "false"))) {
		*out = cs_str_eqc(v->u.s, "true");
		return CS_OK;
	}
	if (v->type == CS_VNULL)
		return cs__hcl_eval_err(cx, at, "Invalid %s: The %s value is null.", what, what);
	return cs__hcl_eval_err(cx, at, "Invalid %s: a bool is required, not %s.", what,
				cs_vtype_name((cs_vtype)v->type));
}

static cs_err t_if(cs__hcl_ectx *cx, const cs_hcl_tpart *p, tstate *t)
{
	const cs_value *c;
	cs_err rc = ev(cx, p->u.ifd.cond, &c);
	bool yes;
	if (rc)
		return rc;
	if (c->type == CS_VUNKNOWN) {
		if (!t->unk)
			t->unk = c;
		t->shapeless = true;
		return CS_OK;
	}
	if ((rc = want_bool(cx, p->u.ifd.cond, c, "template if condition", &yes)))
		return rc;
	return tparts(cx, yes ? &p->u.ifd.then_parts : &p->u.ifd.else_parts, t);
}

/* Calls fn for each (key, value) of a collection, as `for` iterates:
 * tuples/lists by index, objects by key.  Returns CS_EINVAL after a
 * diagnostic for a value that cannot be iterated. */
typedef cs_err (*iter_fn)(cs__hcl_ectx *cx, void *ud, const cs_value *k, const cs_value *v);

static cs_err iterate(cs__hcl_ectx *cx, const cs_hcl_expr *at, const cs_value *coll, iter_fn fn,
		      void *ud)
{
	cs_err rc = CS_OK;
	if (coll->type == CS_VNULL)
		return cs__hcl_eval_err(cx, at,
					"Iteration over null value: A null value cannot be used as the "
					"collection in a 'for' expression.");
	if (coll->type == CS_VARRAY) {
		for (size_t i = 0; i < coll->u.arr.n && !rc; i++) {
			const cs_value *k = cs__hcl_mknum(cx->a, (double)i, at->range.line, at->range.col);
			rc = k ? fn(cx, ud, k, coll->u.arr.v[i]) : oom(cx);
		}
	} else if (coll->type == CS_VOBJECT) {
		for (size_t i = 0; i < coll->u.obj.n && !rc; i++) {
			const cs_member *m = &coll->u.obj.m[i];
			const cs_value *k = cs__v_str(cx->a, m->key, m->line, m->col);
			rc = k ? fn(cx, ud, k, m->val) : oom(cx);
		}
	} else {
		rc = cs__hcl_eval_err(cx, at,
				      "Iteration over non-iterable value: A value of type %s cannot "
				      "be used as the collection in a 'for' expression.",
				      cs_vtype_name((cs_vtype)coll->type));
	}
	return rc;
}

typedef struct tfor_ud {
	const cs_hcl_tpart *p;
	tstate *t;
	size_t n;
} tfor_ud;

static cs_err tfor_one(cs__hcl_ectx *cx, void *ud, const cs_value *k, const cs_value *v)
{
	tfor_ud *u = ud;
	cs__hcl_bind bk, bv;
	cs_err rc;
	if (++u->n > CS_HCL_EVAL_MAX_ELEMS)
		return cs__hcl_eval_err(cx, NULL, "Template for directive produces too many items");
	bool has_k = u->p->u.ford.key_var.len > 0;
	if (has_k) {
		bk = (cs__hcl_bind){ u->p->u.ford.key_var, k, cx->binds };
		cx->binds = &bk;
	}
	bv = (cs__hcl_bind){ u->p->u.ford.val_var, v, cx->binds };
	cx->binds = &bv;
	rc = tparts(cx, &u->p->u.ford.body, u->t);
	cx->binds = has_k ? bk.next : bv.next;
	return rc;
}

static cs_err t_for(cs__hcl_ectx *cx, const cs_hcl_tpart *p, tstate *t)
{
	const cs_value *c;
	cs_err rc = ev(cx, p->u.ford.coll, &c);
	if (rc)
		return rc;
	if (c->type == CS_VUNKNOWN) {
		if (!t->unk)
			t->unk = c;
		t->shapeless = true;
		return CS_OK;
	}
	tfor_ud u = { p, t, 0 };
	return iterate(cx, p->u.ford.coll, c, tfor_one, &u);
}

static cs_err tparts(cs__hcl_ectx *cx, const cs_hcl_tparts *p, tstate *t)
{
	cs_err rc = CS_OK;
	if (cx->depth >= CS_HCL_EVAL_MAX_DEPTH)
		return cs__hcl_eval_err(cx, NULL, "Template too deep");
	cx->depth++;
	for (size_t i = 0; i < p->n && !rc; i++) {
		const cs_hcl_tpart *tp = &p->v[i];
		switch (tp->kind) {
		case CS_HCL_T_TEXT:
			rc = tput(t, tp->u.text.ptr, tp->u.text.len);
			break;
		case CS_HCL_T_INTERP:
			rc = t_interp(cx, tp->u.expr, t);
			break;
		case CS_HCL_T_IF:
			rc = t_if(cx, tp, t);
			break;
		case CS_HCL_T_FOR:
			rc = t_for(cx, tp, t);
			break;
		}
	}
	cx->depth--;
	return rc;
}

static cs_err ev_template(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc = CS_OK;
	tstate t;
	uint32_t l = e->range.line, c = e->range.col;
	const cs_hcl_tparts *p = &e->u.tmpl.parts;
	if ((e->flags & CS_HCL_F_WRAP) && p->n == 1 && p->v[0].kind == CS_HCL_T_INTERP)
		return ev(cx, p->v[0].u.expr, out);
	memset(&t, 0, sizeof t);
	cs_buf_init(&t.text, (size_t)64 << 20);
	cs_buf_init(&t.shape, (size_t)64 << 20);
	if ((rc = tparts(cx, p, &t)))
		goto out;
	if (t.unk) {
		cs_value *u = cs__v_unknown(cx->a, t.unk->u.unk.reason.ptr, l, c);
		if (!u) {
			rc = oom(cx);
			goto out;
		}
		u->u.unk.reason = t.unk->u.unk.reason;
		if (!t.shapeless && t.shape.len && cs__utf8_check(t.shape.data, t.shape.len) == t.shape.len &&
		    !memchr(t.shape.data, 0, t.shape.len)) {
			u->u.unk.shape = cs_arena_strndup(cx->a, t.shape.data, t.shape.len);
			if (!u->u.unk.shape) {
				rc = oom(cx);
				goto out;
			}
		}
		*out = u;
	} else {
		*out = cs__v_strdup(cx->a, t.text.data ? t.text.data : "", t.text.len, l, c);
		if (!*out)
			rc = oom(cx);
	}
out:
	cs_buf_release(&t.text);
	cs_buf_release(&t.shape);
	if (rc == CS_ELIMIT)
		rc = cs__hcl_eval_err(cx, e, "Template result too long");
	return rc;
}

/* ---- collections ---------------------------------------------------------- */

static cs_err ev_tuple(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc = CS_OK;
	size_t n = e->u.tuple.n;
	cs_value **items = cs_arena_alloc(cx->a, (n ? n : 1) * sizeof *items);
	if (!items)
		return oom(cx);
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_value *v;
		rc = ev(cx, e->u.tuple.v[i], &v);
		items[i] = (cs_value *)v;
	}
	if (rc)
		return rc;
	cs_value *v = cs__v_array(cx->a, NULL, 0, e->range.line, e->range.col);
	if (!v)
		return oom(cx);
	v->u.arr.v = items;
	v->u.arr.n = n;
	*out = v;
	return CS_OK;
}

/* The text of an object key: a string, or a number/bool converted. */
static cs_err key_text(cs__hcl_ectx *cx, const cs_hcl_expr *at, const cs_value *k, cs_str *out)
{
	char buf[400];
	cs_str s;
	if (k->type == CS_VNULL)
		return cs__hcl_eval_err(cx, at, "Invalid object key: Key expression must not be null.");
	if (!cs__hcl_tostr(k, buf, &s))
		return cs__hcl_eval_err(cx, at,
					"Incorrect key type: Can't use this value as a key: string "
					"required.");
	if (s.ptr == buf) {
		char *c = cs_arena_strndup(cx->a, s.ptr, s.len);
		if (!c)
			return oom(cx);
		s.ptr = c;
	}
	*out = s;
	return CS_OK;
}

static cs_err ev_object(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc = CS_OK;
	size_t n = e->u.object.n;
	const cs_value *unk = NULL;
	cs_member *m = cs_arena_alloc(cx->a, (n ? n : 1) * sizeof *m);
	if (!m)
		return oom(cx);
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_hcl_objitem *it = &e->u.object.v[i];
		m[i].line = it->range.line;
		m[i].col = it->range.col;
		if (it->key_ident) {
			m[i].key = it->key_name;
		} else {
			const cs_value *k;
			const cs_hcl_expr *ke = it->key;
			/* `(x) = v` and a bare traversal both evaluate the key */
			if ((rc = ev(cx, ke, &k)))
				break;
			if (k->type == CS_VUNKNOWN) {
				if (!unk)
					unk = k;
				m[i].key = CS_STR_LIT("");
			} else if ((rc = key_text(cx, ke, k, &m[i].key))) {
				break;
			}
		}
		const cs_value *v;
		if ((rc = ev(cx, it->val, &v)))
			break;
		m[i].val = (cs_value *)v;
	}
	if (rc)
		return rc;
	if (unk) {
		/* an unknown key: the object's attributes are not known */
		*out = cs__v_unknown(cx->a, unk->u.unk.reason.ptr, e->range.line, e->range.col);
		if (*out)
			((cs_value *)*out)->u.unk.reason = unk->u.unk.reason;
		return *out ? CS_OK : oom(cx);
	}
	*out = cs__hcl_mkobj(cx->a, m, n, e->range.line, e->range.col);
	return *out ? CS_OK : oom(cx);
}

/* ---- traversals ----------------------------------------------------------- */

static cs_value *unknown_like(cs__hcl_ectx *cx, const cs_value *u, const cs_hcl_expr *at)
{
	cs_value *v = cs__v_unknown(cx->a, u->u.unk.reason.ptr, at->range.line, at->range.col);
	if (v)
		v->u.unk.reason = u->u.unk.reason;
	return v;
}

static const char *tname(const cs_value *v)
{
	switch (cs_value_type(v)) {
	case CS_VNULL:
		return "null";
	case CS_VBOOL:
		return "bool";
	case CS_VNUMBER:
		return "number";
	case CS_VSTRING:
		return "string";
	case CS_VARRAY:
		return "tuple";
	case CS_VOBJECT:
		return "object";
	default:
		return "unknown";
	}
}

/* Applies one step to v. */
/* Member `key` of object v: the member, or unknown when v is an object whose
 * other attributes are known only after apply (cs__hcl_open_reason), or
 * NULL in *out when it has no such member (the caller says why). */
static cs_err member_or_open(cs__hcl_ectx *cx, const cs_value *v, cs_str key,
			     const cs_hcl_expr *at, const cs_value **out)
{
	*out = cs_value_getn(v, key.ptr, key.len);
	if (*out)
		return CS_OK;
	const char *why = cs__hcl_open_reason(cx->open, v);
	if (!why)
		return CS_OK;
	*out = cs__v_unknown(cx->a, why, at->range.line, at->range.col);
	return *out ? CS_OK : oom(cx);
}

static cs_err apply_step(cs__hcl_ectx *cx, const cs_value *v, const cs__hcl_step *s,
			 const cs_value **out)
{
	const cs_hcl_expr *at = s->at;
	if (v->type == CS_VUNKNOWN) {
		*out = v;
		return CS_OK;
	}
	if (!s->index) {
		if (v->type == CS_VOBJECT) {
			cs_err rc = member_or_open(cx, v, s->name, at, out);
			if (rc || *out)
				return rc;
			return cs__hcl_eval_err(cx, at,
						"Unsupported attribute: This object does not have an "
						"attribute named \"%.*s\".",
						(int)s->name.len, s->name.ptr);
		}
		if (v->type == CS_VNULL)
			return cs__hcl_eval_err(cx, at,
						"Attempt to get attribute from null value: This value "
						"is null, so it does not have any attributes.");
		if (v->type == CS_VARRAY)
			return cs__hcl_eval_err(cx, at,
						"Unsupported attribute: Can't access attributes on a "
						"list of objects. Did you mean to access attribute "
						"\"%.*s\" for a specific element of the list, or across "
						"all elements of the list?",
						(int)s->name.len, s->name.ptr);
		return cs__hcl_eval_err(cx, at,
					"Unsupported attribute: Can't access attributes on a "
					"primitive-typed value (%s).",
					tname(v));
	}
	const cs_value *k = s->key;
	if (k->type == CS_VUNKNOWN) {
		*out = unknown_like(cx, k, at);
		return *out ? CS_OK : oom(cx);
	}
	if (v->type == CS_VNULL)
		return cs__hcl_eval_err(cx, at,
					"Attempt to index null value: This value is null, so it does "
					"not have any indices.");
	if (k->type == CS_VNULL)
		return cs__hcl_eval_err(cx, at, "Invalid index: Can't use a null value as an indexing key.");
	if (v->type == CS_VARRAY) {
		double d;
		char *end = NULL;
		if (k->type == CS_VNUMBER) {
			d = k->u.num.d;
		} else if (k->type == CS_VSTRING && k->u.s.len && k->u.s.len < 64) {
			char tmp[64];
			memcpy(tmp, k->u.s.ptr, k->u.s.len);
			tmp[k->u.s.len] = 0;
			d = strtod(tmp, &end);
			if (*end)
				return cs__hcl_eval_err(cx, at,
							"Invalid index: The given key does not identify an "
							"element in this collection value: a number is "
							"required.");
		} else {
			return cs__hcl_eval_err(cx, at,
						"Invalid index: The given key does not identify an "
						"element in this collection value: a number is required.");
		}
		if (d != floor(d) || d < 0 || d >= (double)v->u.arr.n)
			return cs__hcl_eval_err(cx, at,
						"Invalid index: The given key does not identify an "
						"element in this collection value%s.",
						d != floor(d) ? ": the given index is not a whole number" : "");
		*out = v->u.arr.v[(size_t)d];
		return CS_OK;
	}
	if (v->type == CS_VOBJECT) {
		char buf[400];
		cs_str ks;
		if (!cs__hcl_tostr(k, buf, &ks))
			return cs__hcl_eval_err(cx, at,
						"Invalid index: The given key does not identify an "
						"element in this collection value: string required.");
		cs_err rc = member_or_open(cx, v, ks, at, out);
		if (rc || *out)
			return rc;
		return cs__hcl_eval_err(cx, at,
					"Invalid index: The given key does not identify an element in "
					"this collection value.");
	}
	return cs__hcl_eval_err(cx, at,
				"Invalid index: This value does not have any indices (it is a %s).",
				tname(v));
}

/* Evaluates a GETATTR/INDEX chain: the root through bindings or the
 * resolver, then the remaining steps. */
static cs_err ev_traversal(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc = CS_OK;
	const cs_hcl_expr *chain[EV_MAX_STEPS];
	cs__hcl_step steps[EV_MAX_STEPS];
	size_t n = 0;
	const cs_hcl_expr *r = e;
	while ((r->kind == CS_HCL_E_GETATTR || r->kind == CS_HCL_E_INDEX) && n < EV_MAX_STEPS) {
		chain[n++] = r;
		r = r->kind == CS_HCL_E_GETATTR ? r->u.getattr.obj : r->u.index.obj;
	}
	if (r->kind == CS_HCL_E_GETATTR || r->kind == CS_HCL_E_INDEX)
		return cs__hcl_eval_err(cx, e, "Traversal too long: more than %u steps", EV_MAX_STEPS);
	/* steps root-first */
	for (size_t i = 0; i < n; i++) {
		const cs_hcl_expr *x = chain[n - 1 - i];
		cs__hcl_step *s = &steps[i];
		memset(s, 0, sizeof *s);
		s->at = x;
		if (x->kind == CS_HCL_E_GETATTR) {
			s->name = x->u.getattr.name;
		} else {
			s->index = true;
			if ((rc = ev(cx, x->u.index.key, &s->key)))
				return rc;
		}
	}
	const cs_value *v = NULL;
	size_t used = 0;
	bool bound = false;
	if (r->kind == CS_HCL_E_VAR) {
		for (cs__hcl_bind *b = cx->binds; b; b = b->next)
			if (cs_str_eq(b->name, r->u.var.name)) {
				v = b->val;
				bound = true;
				break;
			}
		if (!bound) {
			if (!cx->resolve)
				return cs__hcl_eval_err(cx, r,
							"Unknown variable: There is no variable named "
							"\"%.*s\".",
							(int)r->u.var.name.len, r->u.var.name.ptr);
			if ((rc = cx->resolve(cx->ud, cx, r, steps, n, &used, &v)))
				return rc;
		}
	} else if ((rc = ev(cx, r, &v))) {
		return rc;
	}
	for (size_t i = used; i < n && !rc; i++)
		rc = apply_step(cx, v, &steps[i], &v);
	if (!rc)
		*out = v;
	return rc;
}

/* ---- splat ---------------------------------------------------------------- */

static cs_err ev_splat(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc;
	const cs_value *src;
	if ((rc = ev(cx, e->u.splat.source, &src)))
		return rc;
	if (src->type == CS_VUNKNOWN) {
		*out = src;
		return CS_OK;
	}
	cs_value *one[1];
	cs_value *const *items;
	size_t n;
	if (src->type == CS_VARRAY) {
		items = src->u.arr.v;
		n = src->u.arr.n;
	} else if (src->type == CS_VNULL) {
		items = NULL;
		n = 0;
	} else {
		one[0] = (cs_value *)src;
		items = one;
		n = 1;
	}
	cs_value **res = cs_arena_alloc(cx->a, (n ? n : 1) * sizeof *res);
	if (!res)
		return oom(cx);
	const cs_value *save = cx->splat_item;
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_value *v;
		cx->splat_item = items[i];
		rc = ev(cx, e->u.splat.each, &v);
		res[i] = (cs_value *)v;
	}
	cx->splat_item = save;
	if (rc)
		return rc;
	cs_value *v = cs__v_array(cx->a, NULL, 0, e->range.line, e->range.col);
	if (!v)
		return oom(cx);
	v->u.arr.v = res;
	v->u.arr.n = n;
	*out = v;
	return CS_OK;
}

/* ---- calls ---------------------------------------------------------------- */

static cs_err ev_trycan(cs__hcl_ectx *cx, const cs_hcl_expr *e, bool is_try, const cs_value **out)
{
	cs_err rc = CS_OK;
	size_t n = e->u.call.nargs;
	if (n == 0 || (!is_try && n != 1))
		return cs__hcl_eval_err(cx, e,
					"%s function arguments: Function \"%s\" expects %s.",
					n ? "Too many" : "Not enough", is_try ? "try" : "can",
					is_try ? "at least one argument" : "exactly one argument");
	for (size_t i = 0; i < n; i++) {
		const cs_value *v;
		cx->quiet++;
		unsigned depth = cx->depth;
		rc = ev(cx, e->u.call.args[i], &v);
		cx->quiet--;
		cx->depth = depth;
		if (rc == CS_ENOMEM || rc == CS_ELIMIT)
			return rc;
		if (rc == CS_OK) {
			const cs_value *u = NULL;
			if (cs__hcl_val_unknown(v, &u)) {
				/* a later step could still fail: unknown */
				*out = unknown_like(cx, u, e);
				return *out ? CS_OK : oom(cx);
			}
			if (is_try)
				*out = v;
			else
				*out = cs__v_bool(cx->a, true, e->range.line, e->range.col);
			return *out ? CS_OK : oom(cx);
		}
	}
	if (!is_try) {
		*out = cs__v_bool(cx->a, false, e->range.line, e->range.col);
		return *out ? CS_OK : oom(cx);
	}
	return cs__hcl_eval_err(cx, e,
				"Error in function call: Call to function \"try\" failed: no "
				"expression succeeded.");
}

static cs_err ev_call(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc = CS_OK;
	cs_str name = e->u.call.name;
	if (cs_str_eqc(name, "try") || cs_str_eqc(name, "can"))
		return ev_trycan(cx, e, cs_str_eqc(name, "try"), out);
	if (name.len > 10 && memcmp(name.ptr, "provider::", 10) == 0) {
		/* provider-defined functions are run by the provider at plan time */
		*out = cs__hcl_unknownf(cx->a, e->range.line, e->range.col,
					"%.*s() is evaluated by its provider", (int)name.len, name.ptr);
		return *out ? CS_OK : oom(cx);
	}
	const cs__hcl_func *f = cs__hcl_func_lookup(name.ptr, name.len);
	if (!f)
		return cs__hcl_eval_err(cx, e,
					"Call to unknown function: There is no function named "
					"\"%.*s\".",
					(int)name.len, name.ptr);
	size_t n = e->u.call.nargs, total = n;
	const cs_value **args = cs_arena_alloc(cx->a, (n ? n : 1) * sizeof *args);
	if (!args)
		return oom(cx);
	for (size_t i = 0; i < n; i++)
		if ((rc = ev(cx, e->u.call.args[i], &args[i])))
			return rc;
	cs_value **all = (cs_value **)args;
	if (e->u.call.expand && n) {
		const cs_value *last = args[n - 1];
		if (last->type == CS_VUNKNOWN) {
			*out = unknown_like(cx, last, e);
			return *out ? CS_OK : oom(cx);
		}
		if (last->type != CS_VARRAY)
			return cs__hcl_eval_err(cx, e->u.call.args[n - 1],
						"Invalid expanding argument value: The expanding "
						"argument (indicated by ...) must be of a tuple, list, "
						"or set type.");
		total = n - 1 + last->u.arr.n;
		all = cs_arena_alloc(cx->a, (total ? total : 1) * sizeof *all);
		if (!all)
			return oom(cx);
		for (size_t i = 0; i + 1 < n; i++)
			all[i] = (cs_value *)args[i];
		for (size_t i = 0; i < last->u.arr.n; i++)
			all[n - 1 + i] = last->u.arr.v[i];
	}
	cs__hcl_call c;
	memset(&c, 0, sizeof c);
	c.arena = cx->a;
	c.args = all;
	c.nargs = total;
	c.dir = cx->dir;
	c.line = e->range.line;
	c.col = e->range.col;
	c.bad_arg = SIZE_MAX;
	rc = cs__hcl_func_call(f, &c, out);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	if (rc) {
		const cs_hcl_expr *at = e;
		if (c.bad_arg < n)
			at = e->u.call.args[c.bad_arg];
		return cs__hcl_eval_err(cx, at, "%s: %s", c.summary ? c.summary : "Error in function call",
					c.detail ? c.detail : "the call failed");
	}
	return CS_OK;
}

/* ---- operators ------------------------------------------------------------ */

/* Terraform's conversion of an operand to a number. */
static bool to_num(const cs_value *v, double *d)
{
	if (v->type == CS_VNUMBER) {
		*d = v->u.num.d;
		return true;
	}
	if (v->type == CS_VSTRING && v->u.s.len && v->u.s.len < 128) {
		char tmp[128];
		memcpy(tmp, v->u.s.ptr, v->u.s.len);
		tmp[v->u.s.len] = 0;
		const char *p = tmp;
		if (*p == '-' || *p == '+')
			p++;
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return false;
		for (const char *q = p; *q; q++)
			if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
			      *q == '+' || *q == '-'))
				return false;
		char *end;
		*d = strtod(tmp, &end);
		return *end == 0;
	}
	return false;
}

static cs_err ev_unary(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	const cs_value *x;
	cs_err rc = ev(cx, e->u.unary.x, &x);
	if (rc)
		return rc;
	if (x->type == CS_VUNKNOWN) {
		*out = unknown_like(cx, x, e);
		return *out ? CS_OK : oom(cx);
	}
	if (e->u.unary.op == CS_HCL_OP_NOT) {
		bool b;
		if ((rc = want_bool(cx, e->u.unary.x, x, "operand", &b)))
			return rc;
		*out = cs__v_bool(cx->a, !b, e->range.line, e->range.col);
	} else {
		double d;
		if (!to_num(x, &d))
			return cs__hcl_eval_err(cx, e->u.unary.x,
						"Invalid operand: Unsuitable value for unary operand: "
						"a number is required.");
		*out = cs__hcl_mknum(cx->a, -d, e->range.line, e->range.col);
	}
	return *out ? CS_OK : oom(cx);
}

static cs_err ev_logic(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	bool is_and = e->u.binary.op == CS_HCL_OP_AND;
	const cs_value *l, *r;
	bool lb = false, rb = false;
	cs_err rc = ev(cx, e->u.binary.l, &l);
	if (rc)
		return rc;
	if (l->type != CS_VUNKNOWN) {
		if ((rc = want_bool(cx, e->u.binary.l, l, "operand", &lb)))
			return rc;
		if (lb != is_and) { /* false && x, true || x: decided */
			*out = cs__v_bool(cx->a, lb, e->range.line, e->range.col);
			return *out ? CS_OK : oom(cx);
		}
	}
	if ((rc = ev(cx, e->u.binary.r, &r)))
		return rc;
	if (r->type != CS_VUNKNOWN) {
		if ((rc = want_bool(cx, e->u.binary.r, r, "operand", &rb)))
			return rc;
		if (rb != is_and || l->type != CS_VUNKNOWN) {
			/* x && false, x || true: decided whatever x is */
			*out = cs__v_bool(cx->a, rb != is_and ? rb : (is_and ? lb && rb : lb || rb),
					  e->range.line, e->range.col);
			return *out ? CS_OK : oom(cx);
		}
	}
	*out = unknown_like(cx, l->type == CS_VUNKNOWN ? l : r, e);
	return *out ? CS_OK : oom(cx);
}

static cs_err ev_binary(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_hcl_op op = e->u.binary.op;
	if (op == CS_HCL_OP_AND || op == CS_HCL_OP_OR)
		return ev_logic(cx, e, out);
	const cs_value *l, *r;
	cs_err rc = ev(cx, e->u.binary.l, &l);
	if (rc || (rc = ev(cx, e->u.binary.r, &r)))
		return rc;
	uint32_t ln = e->range.line, co = e->range.col;
	if (op == CS_HCL_OP_EQ || op == CS_HCL_OP_NE) {
		const cs_value *u = NULL;
		if (cs__hcl_val_unknown(l, &u) || cs__hcl_val_unknown(r, &u)) {
			/* a known null is never equal to an unknown non-null
			 * resource value, but Terraform still says unknown */
			*out = unknown_like(cx, u, e);
			return *out ? CS_OK : oom(cx);
		}
		bool eq = cs__hcl_val_equal(l, r);
		*out = cs__v_bool(cx->a, op == CS_HCL_OP_EQ ? eq : !eq, ln, co);
		return *out ? CS_OK : oom(cx);
	}
	if (l->type == CS_VUNKNOWN || r->type == CS_VUNKNOWN) {
		*out = unknown_like(cx, l->type == CS_VUNKNOWN ? l : r, e);
		return *out ? CS_OK : oom(cx);
	}
	double a, b;
	if (!to_num(l, &a))
		return cs__hcl_eval_err(cx, e->u.binary.l,
					"Invalid operand: Unsuitable value for left operand: a number "
					"is required.");
	if (!to_num(r, &b))
		return cs__hcl_eval_err(cx, e->u.binary.r,
					"Invalid operand: Unsuitable value for right operand: a number "
					"is required.");
	double res = 0;
	bool cmp = false, bres = false;
	switch (op) {
	case CS_HCL_OP_ADD:
		res = a + b;
		break;
	case CS_HCL_OP_SUB:
		res = a - b;
		break;
	case CS_HCL_OP_MUL:
		res = a * b;
		break;
	case CS_HCL_OP_DIV:
		if (b == 0)
			return cs__hcl_eval_err(cx, e, "Error in operation: Can't divide by zero.");
		res = a / b;
		break;
	case CS_HCL_OP_MOD:
		if (b == 0)
			return cs__hcl_eval_err(cx, e, "Error in operation: Can't use modulo by zero.");
		res = fmod(a, b);
		break;
	case CS_HCL_OP_GT:
		cmp = true;
		bres = a > b;
		break;
	case CS_HCL_OP_GE:
		cmp = true;
		bres = a >= b;
		break;
	case CS_HCL_OP_LT:
		cmp = true;
		bres = a < b;
		break;
	case CS_HCL_OP_LE:
		cmp = true;
		bres = a <= b;
		break;
	default:
		return cs__hcl_eval_err(cx, e, "Invalid operator");
	}
	if (!cmp && (isinf(res) || res != res))
		return cs__hcl_eval_err(cx, e, "Error in operation: the result is not a finite number.");
	*out = cmp ? cs__v_bool(cx->a, bres, ln, co) : cs__hcl_mknum(cx->a, res, ln, co);
	return *out ? CS_OK : oom(cx);
}

static cs_err ev_cond(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	const cs_value *c, *y, *n;
	bool b;
	cs_err rc = ev(cx, e->u.cond.cond, &c);
	if (rc)
		return rc;
	if (c->type != CS_VUNKNOWN) {
		if ((rc = want_bool(cx, e->u.cond.cond, c, "condition", &b)))
			return rc;
		return ev(cx, b ? e->u.cond.yes : e->u.cond.no, out);
	}
	if ((rc = ev(cx, e->u.cond.yes, &y)) || (rc = ev(cx, e->u.cond.no, &n)))
		return rc;
	if (!cs__hcl_val_unknown(y, NULL) && cs__hcl_val_equal(y, n)) {
		*out = y;
		return CS_OK;
	}
	*out = unknown_like(cx, c, e);
	return *out ? CS_OK : oom(cx);
}

/* ---- for expressions ------------------------------------------------------ */

typedef struct for_ud {
	const cs_hcl_expr *e;
	cs_ptrvec keys; /* object form: cs_value* keys */
	cs_ptrvec vals;
	const cs_value *unk; /* an unknown condition or key: the result is unknown */
} for_ud;

static cs_err for_one(cs__hcl_ectx *cx, void *ud, const cs_value *k, const cs_value *v)
{
	for_ud *u = ud;
	const cs_hcl_expr *e = u->e;
	cs_err rc = CS_OK;
	cs__hcl_bind bk, bv;
	if (u->unk)
		return CS_OK;
	if (u->vals.n >= CS_HCL_EVAL_MAX_ELEMS)
		return cs__hcl_eval_err(cx, e, "For expression produces too many elements (over %u)",
					CS_HCL_EVAL_MAX_ELEMS);
	bool has_k = e->u.forx.key_var.len > 0;
	cs__hcl_bind *saved = cx->binds;
	if (has_k) {
		bk = (cs__hcl_bind){ e->u.forx.key_var, k, cx->binds };
		cx->binds = &bk;
	}
	bv = (cs__hcl_bind){ e->u.forx.val_var, v, cx->binds };
	cx->binds = &bv;
	if (e->u.forx.cond) {
		const cs_value *c;
		bool b;
		if ((rc = ev(cx, e->u.forx.cond, &c)))
			goto out;
		if (c->type == CS_VUNKNOWN) {
			u->unk = c;
			goto out;
		}
		if ((rc = want_bool(cx, e->u.forx.cond, c, "'for' condition", &b)))
			goto out;
		if (!b)
			goto out;
	}
	if (e->u.forx.object) {
		const cs_value *kv;
		if ((rc = ev(cx, e->u.forx.key_expr, &kv)))
			goto out;
		if (kv->type == CS_VUNKNOWN) {
			u->unk = kv;
			goto out;
		}
		cs_str ks;
		if ((rc = key_text(cx, e->u.forx.key_expr, kv, &ks)))
			goto out;
		const cs_value *kk = cs__v_str(cx->a, ks, kv->line, kv->col);
		if (!kk || cs__ptrvec_push(&u->keys, (void *)kk)) {
			rc = oom(cx);
			goto out;
		}
	}
	const cs_value *val;
	if ((rc = ev(cx, e->u.forx.val_expr, &val)))
		goto out;
	if (cs__ptrvec_push(&u->vals, (void *)val))
		rc = CS_ENOMEM;
out:
	cx->binds = saved;
	return rc;
}

static cs_err for_object(cs__hcl_ectx *cx, for_ud *u, const cs_value **out)
{
	const cs_hcl_expr *e = u->e;
	cs_err rc = CS_OK;
	size_t n = u->vals.n;
	cs_member *m = cs_arena_alloc(cx->a, (n ? n : 1) * sizeof *m);
	if (!m)
		return oom(cx);
	for (size_t i = 0; i < n; i++) {
		const cs_value *k = u->keys.v[i];
		m[i] = (cs_member){ k->u.s, u->vals.v[i], k->line ? k->line : e->range.line, (uint32_t)i };
	}
	/* stable sort by key: equal keys keep their production order */
	cs_member *tmp = n > 12 ? cs_malloc(n * sizeof *tmp) : NULL;
	if (n > 12 && !tmp)
		return CS_ENOMEM;
	sort_members(m, n, tmp);
	cs_free(tmp);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && key_cmp(m[j].key, m[i].key) == 0)
			j++;
		if (!e->u.forx.group && j - i > 1)
			return cs__hcl_eval_err(cx, e,
						"Duplicate object key: Two different items produced "
						"the key \"%.*s\" in this 'for' expression. If "
						"duplicates are expected, use the ellipsis (...) after "
						"the value expression to enable grouping by key.",
						(int)m[i].key.len, m[i].key.ptr);
		cs_member nm = m[i];
		if (e->u.forx.group) {
			cs_value **items = cs_arena_alloc(cx->a, (j - i) * sizeof *items);
			cs_value *g = items ? cs__v_array(cx->a, NULL, 0, e->range.line, e->range.col) : NULL;
			if (!g)
				return oom(cx);
			for (size_t q = i; q < j; q++)
				items[q - i] = m[q].val;
			g->u.arr.v = items;
			g->u.arr.n = j - i;
			nm.val = g;
		}
		nm.col = e->range.col;
		m[o++] = nm;
		i = j;
	}
	*out = cs__v_object(cx->a, m, o, e->range.line, e->range.col);
	return *out ? rc : oom(cx);
}

static cs_err ev_for(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc;
	const cs_value *coll;
	for_ud u;
	memset(&u, 0, sizeof u);
	u.e = e;
	if ((rc = ev(cx, e->u.forx.coll, &coll)))
		return rc;
	if (coll->type == CS_VUNKNOWN) {
		*out = unknown_like(cx, coll, e);
		return *out ? CS_OK : oom(cx);
	}
	if ((rc = iterate(cx, e->u.forx.coll, coll, for_one, &u)))
		goto out;
	if (u.unk) {
		*out = unknown_like(cx, u.unk, e);
		rc = *out ? CS_OK : oom(cx);
		goto out;
	}
	if (e->u.forx.object) {
		rc = for_object(cx, &u, out);
	} else {
		cs_value *v = cs__v_array(cx->a, (cs_value *const *)u.vals.v, u.vals.n, e->range.line,
					  e->range.col);
		*out = v;
		if (!v)
			rc = oom(cx);
	}
out:
	cs__ptrvec_release(&u.keys);
	cs__ptrvec_release(&u.vals);
	return rc;
}

/* ---- dispatch ------------------------------------------------------------- */

static cs_err ev(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	cs_err rc;
	*out = NULL;
	if (!e)
		return cs__hcl_eval_err(cx, NULL, "Missing expression");
	if ((rc = enter(cx, e)))
		return rc;
	switch (e->kind) {
	case CS_HCL_E_LITERAL:
		rc = ev_literal(cx, e, out);
		break;
	case CS_HCL_E_TEMPLATE:
		rc = ev_template(cx, e, out);
		break;
	case CS_HCL_E_TUPLE:
		rc = ev_tuple(cx, e, out);
		break;
	case CS_HCL_E_OBJECT:
		rc = ev_object(cx, e, out);
		break;
	case CS_HCL_E_VAR:
	case CS_HCL_E_GETATTR:
	case CS_HCL_E_INDEX:
		rc = ev_traversal(cx, e, out);
		break;
	case CS_HCL_E_SPLAT:
		rc = ev_splat(cx, e, out);
		break;
	case CS_HCL_E_SPLAT_ITEM:
		*out = cx->splat_item;
		if (!*out)
			rc = cs__hcl_eval_err(cx, e, "Splat item outside a splat");
		break;
	case CS_HCL_E_CALL:
		rc = ev_call(cx, e, out);
		break;
	case CS_HCL_E_UNARY:
		rc = ev_unary(cx, e, out);
		break;
	case CS_HCL_E_BINARY:
		rc = ev_binary(cx, e, out);
		break;
	case CS_HCL_E_COND:
		rc = ev_cond(cx, e, out);
		break;
	case CS_HCL_E_FOR:
		rc = ev_for(cx, e, out);
		break;
	case CS_HCL_E_PAREN:
		rc = ev(cx, e->u.paren.x, out);
		break;
	default:
		rc = cs__hcl_eval_err(cx, e, "Unsupported expression");
		break;
	}
	cx->depth--;
	if (!rc && !*out)
		rc = oom(cx);
	return rc;
}

cs_err cs__hcl_eval(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out)
{
	unsigned depth = cx->depth;
	cs_err rc = ev(cx, e, out);
	cx->depth = depth;
	if (rc)
		*out = NULL;
	return rc;
}
