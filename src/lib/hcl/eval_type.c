/*
 * hcl/eval_type.c - Terraform type constraints (the `type` of a variable
 * block: string, number, bool, any, list(T), set(T), map(T), tuple([...]),
 * object({...}) with optional(T[, default]) attributes) and the conversion
 * of a value to one, as Terraform converts input variable values
 * (Terraform docs, "Type Constraints" and "Input Variables": optional
 * object type attributes).
 *
 * Rules applied: primitives convert between each other where Terraform
 * does (number and bool to string; "5" to number; "true"/"false" to bool);
 * a list, set or tuple of the right length converts element-wise; a map
 * or object converts value-wise (map) or attribute-wise (object: missing
 * optional attributes get their default, or null; a missing required one
 * is an error; extra attributes are dropped); null and unknown convert to
 * themselves.  The type expression is read from the AST directly, so the
 * type need not be evaluated first.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hcl/eval.h"
#include "hcl/funcs.h"

typedef struct conv {
	cs__hcl_ectx *cx;
	const char *why;
	char msg[256];
} conv;

static cs_err conv_val(conv *k, const cs_hcl_expr *t, const cs_value *v, unsigned depth,
		       const cs_value **out);

static bool is_name(const cs_hcl_expr *t, const char *name)
{
	if (!t)
		return false;
	if (t->kind == CS_HCL_E_VAR)
		return cs_str_eqc(t->u.var.name, name);
	/* Terraform 0.11 quoted types: "string", "list", "map" */
	if (t->kind == CS_HCL_E_LITERAL && t->u.lit.kind == CS_HCL_LIT_STRING)
		return cs_str_eqc(t->u.lit.s, name);
	return false;
}

static bool is_call(const cs_hcl_expr *t, const char *name, size_t nargs)
{
	return t && t->kind == CS_HCL_E_CALL && cs_str_eqc(t->u.call.name, name) &&
	       t->u.call.nargs == nargs;
}

bool cs__hcl_type_literal(const cs_hcl_expr *type)
{
	return !type || is_name(type, "string") || is_name(type, "number") ||
	       is_name(type, "bool") || is_name(type, "any");
}

static cs_err fail(conv *k, const char *fmt, ...) CS_PRINTF(2, 3);

static cs_err fail(conv *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->msg, sizeof k->msg, fmt, ap);
	va_end(ap);
	k->why = k->msg;
	return CS_EINVAL;
}

static const char *type_word(const cs_hcl_expr *t)
{
	if (is_name(t, "string"))
		return "string";
	if (is_name(t, "number"))
		return "number";
	if (is_name(t, "bool"))
		return "bool";
	if (t && t->kind == CS_HCL_E_CALL) {
		cs_str n = t->u.call.name;
		if (cs_str_eqc(n, "list"))
			return "list";
		if (cs_str_eqc(n, "set"))
			return "set";
		if (cs_str_eqc(n, "map"))
			return "map";
		if (cs_str_eqc(n, "tuple"))
			return "tuple";
		if (cs_str_eqc(n, "object"))
			return "object";
	}
	return "value";
}

static cs_err conv_prim(conv *k, const cs_hcl_expr *t, const cs_value *v, const cs_value **out)
{
	cs_arena *a = k->cx->a;
	if (is_name(t, "string")) {
		char buf[400];
		cs_str s;
		if (v->type == CS_VSTRING) {
			*out = v;
			return CS_OK;
		}
		if (v->type != CS_VNUMBER && v->type != CS_VBOOL)
			return fail(k, "string required%s", "");
		cs__hcl_tostr(v, buf, &s);
		*out = cs__v_strdup(a, s.ptr, s.len, v->line, v->col);
		return *out ? CS_OK : CS_ENOMEM;
	}
	if (is_name(t, "number")) {
		double d;
		if (v->type == CS_VNUMBER) {
			*out = v;
			return CS_OK;
		}
		if (v->type == CS_VSTRING && cs__hcl_parse_num(v->u.s, &d)) {
			*out = cs__hcl_mknum(a, d, v->line, v->col);
			return *out ? CS_OK : CS_ENOMEM;
		}
		return fail(k, "a number is required%s", "");
	}
	/* bool */
	if (v->type == CS_VBOOL) {
		*out = v;
		return CS_OK;
	}
	if (v->type == CS_VSTRING && (cs_str_eqc(v->u.s, "true") || cs_str_eqc(v->u.s, "false"))) {
		*out = cs__v_bool(a, cs_str_eqc(v->u.s, "true"), v->line, v->col);
		return *out ? CS_OK : CS_ENOMEM;
	}
	return fail(k, "a bool is required%s", "");
}

static cs_err conv_seq(conv *k, const cs_hcl_expr *t, const cs_value *v, unsigned depth,
		       const cs_value **out)
{
	cs_err rc = CS_OK;
	bool is_tuple = cs_str_eqc(t->u.call.name, "tuple");
	bool is_set = cs_str_eqc(t->u.call.name, "set");
	const cs_hcl_expr *elt = t->u.call.args[0];
	if (v->type != CS_VARRAY)
		return fail(k, "%s required", is_tuple ? "tuple" : is_set ? "set" : "list");
	size_t n = v->u.arr.n;
	if (is_tuple) {
		if (elt->kind != CS_HCL_E_TUPLE)
			return fail(k, "invalid tuple type%s", "");
		if (elt->u.tuple.n != n)
			return fail(k, "tuple required with %s", "the number of elements of its type");
	}
	cs_value **items = cs_arena_alloc(k->cx->a, (n ? n : 1) * sizeof *items);
	if (!items)
		return CS_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_value *e;
		rc = conv_val(k, is_tuple ? elt->u.tuple.v[i] : elt, v->u.arr.v[i], depth + 1, &e);
		items[i] = (cs_value *)e;
	}
	if (rc)
		return rc;
	if (is_set) {
		cs__hcl_call c;
		memset(&c, 0, sizeof c);
		c.arena = k->cx->a;
		c.line = v->line;
		c.col = v->col;
		*out = cs__hcl_set(&c, items, n);
	} else {
		cs_value *r = cs__v_array(k->cx->a, NULL, 0, v->line, v->col);
		if (r) {
			r->u.arr.v = items;
			r->u.arr.n = n;
		}
		*out = r;
	}
	return *out ? CS_OK : CS_ENOMEM;
}

static cs_err conv_map(conv *k, const cs_hcl_expr *t, const cs_value *v, unsigned depth,
		       const cs_value **out)
{
	cs_err rc = CS_OK;
	if (v->type != CS_VOBJECT)
		return fail(k, "map required%s", "");
	size_t n = v->u.obj.n;
	cs_member *m = cs_arena_alloc(k->cx->a, (n ? n : 1) * sizeof *m);
	if (!m)
		return CS_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_value *e;
		m[i] = v->u.obj.m[i];
		rc = conv_val(k, t->u.call.args[0], v->u.obj.m[i].val, depth + 1, &e);
		m[i].val = (cs_value *)e;
	}
	if (rc)
		return rc;
	*out = cs__v_object(k->cx->a, m, n, v->line, v->col);
	return *out ? CS_OK : CS_ENOMEM;
}

/* The key of an object type's attribute item. */
static bool attr_name(const cs_hcl_objitem *it, cs_str *out)
{
	if (it->key_ident) {
		*out = it->key_name;
		return true;
	}
	const cs_hcl_expr *e = it->key;
	while (e && e->kind == CS_HCL_E_PAREN)
		e = e->u.paren.x;
	if (e && e->kind == CS_HCL_E_LITERAL && e->u.lit.kind == CS_HCL_LIT_STRING) {
		*out = e->u.lit.s;
		return true;
	}
	if (e && e->kind == CS_HCL_E_VAR) {
		*out = e->u.var.name;
		return true;
	}
	return false;
}

static cs_err conv_object(conv *k, const cs_hcl_expr *t, const cs_value *v, unsigned depth,
			  const cs_value **out)
{
	cs_err rc = CS_OK;
	const cs_hcl_expr *spec = t->u.call.args[0];
	if (spec->kind != CS_HCL_E_OBJECT)
		return fail(k, "invalid object type%s", "");
	if (v->type != CS_VOBJECT)
		return fail(k, "object required%s", "");
	size_t n = spec->u.object.n, o = 0;
	cs_member *m = cs_arena_alloc(k->cx->a, (n ? n : 1) * sizeof *m);
	if (!m)
		return CS_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_hcl_objitem *it = &spec->u.object.v[i];
		cs_str name;
		if (!attr_name(it, &name))
			return fail(k, "invalid object type attribute%s", "");
		const cs_hcl_expr *at = it->val;
		bool optional = false;
		const cs_hcl_expr *def = NULL;
		if (at && at->kind == CS_HCL_E_CALL && cs_str_eqc(at->u.call.name, "optional") &&
		    (at->u.call.nargs == 1 || at->u.call.nargs == 2)) {
			optional = true;
			def = at->u.call.nargs == 2 ? at->u.call.args[1] : NULL;
			at = at->u.call.args[0];
		}
		const cs_value *av = cs_value_getn(v, name.ptr, name.len);
		if (!av || (optional && av->type == CS_VNULL)) {
			if (!optional) {
				char nm[128];
				snprintf(nm, sizeof nm, "%.*s", (int)(name.len > 100 ? 100 : name.len),
					 name.ptr);
				return fail(k, "attribute \"%s\" is required", nm);
			}
			if (def) {
				cs__hcl_ectx sub = *k->cx;
				sub.binds = NULL;
				sub.resolve = NULL;
				rc = cs__hcl_eval(&sub, def, &av);
				k->cx->errors = sub.errors;
				if (rc)
					return rc == CS_EINVAL ? fail(k, "invalid default value%s", "") : rc;
			} else if (!av) {
				av = cs__v_null(k->cx->a, v->line, v->col);
				if (!av)
					return CS_ENOMEM;
			}
		}
		const cs_value *cv;
		if ((rc = conv_val(k, at, av, depth + 1, &cv)))
			return rc;
		m[o++] = (cs_member){ name, (cs_value *)cv, av->line, av->col };
	}
	*out = cs__v_object(k->cx->a, m, o, v->line, v->col);
	return *out ? CS_OK : CS_ENOMEM;
}

static cs_err conv_val(conv *k, const cs_hcl_expr *t, const cs_value *v, unsigned depth,
		       const cs_value **out)
{
	*out = v;
	if (!t || is_name(t, "any") || v->type == CS_VUNKNOWN || v->type == CS_VNULL)
		return CS_OK;
	if (depth > CS_HCL_EVAL_MAX_DEPTH)
		return fail(k, "type constraint nested too deeply%s", "");
	if (is_name(t, "string") || is_name(t, "number") || is_name(t, "bool"))
		return conv_prim(k, t, v, out);
	/* bare legacy `list` and `map` mean list(any) and map(any) */
	if (is_name(t, "list"))
		return v->type == CS_VARRAY ? CS_OK : fail(k, "list required%s", "");
	if (is_name(t, "map"))
		return v->type == CS_VOBJECT ? CS_OK : fail(k, "map required%s", "");
	if (is_call(t, "list", 1) || is_call(t, "set", 1) || is_call(t, "tuple", 1))
		return conv_seq(k, t, v, depth, out);
	if (is_call(t, "map", 1))
		return conv_map(k, t, v, depth, out);
	if (is_call(t, "object", 1))
		return conv_object(k, t, v, depth, out);
	return fail(k, "unsupported type constraint (%s)", type_word(t));
}

cs_err cs__hcl_convert(cs__hcl_ectx *cx, const cs_hcl_expr *type, const cs_value *v,
		       const cs_value **out, const char **why)
{
	conv k;
	memset(&k, 0, sizeof k);
	k.cx = cx;
	cs_err rc = conv_val(&k, type, v, 0, out);
	if (rc == CS_EINVAL) {
		*why = k.why ? cs_arena_strdup(cx->a, k.why) : "invalid value";
		if (!*why)
			rc = CS_ENOMEM;
		*out = NULL;
	}
	return rc;
}
