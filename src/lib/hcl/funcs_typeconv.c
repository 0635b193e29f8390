/*
 * hcl/funcs_typeconv.c - Terraform's type conversion functions (tobool,
 * tolist, tomap, tonumber, toset, tostring), the language-level can and
 * try (evaluated by the evaluator; see funcs.h) and sensitive /
 * nonsensitive, which only mark values in Terraform and pass them through
 * here.
 */
#include <string.h>

#include "funcs.h"

static cs_err f_tobool(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *v = c->args[0];
	if (v->type == CS_VNULL || v->type == CS_VBOOL) {
		*out = v;
		return CS_OK;
	}
	if (v->type == CS_VSTRING) {
		if (cs_str_eqc(v->u.s, "true") || cs_str_eqc(v->u.s, "false")) {
			*out = cs__hcl_bool(c, cs_str_eqc(v->u.s, "true"));
			return CS_OK;
		}
		return cs__hcl_arg_err(c, 0, "cannot convert \"%.*s\" to bool; only the strings \"true\" or "
					     "\"false\" are allowed",
				       (int)(v->u.s.len > 200 ? 200 : v->u.s.len), v->u.s.ptr);
	}
	return cs__hcl_arg_err(c, 0, "cannot convert %s to bool", cs__hcl_type_name(v));
}

static cs_err f_tonumber(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *v = c->args[0];
	double d;
	if (v->type == CS_VNULL || v->type == CS_VNUMBER) {
		*out = v;
		return CS_OK;
	}
	if (v->type == CS_VSTRING) {
		if (cs__hcl_parse_num(v->u.s, &d)) {
			*out = cs__hcl_num(c, d);
			return CS_OK;
		}
		return cs__hcl_arg_err(c, 0, "cannot convert \"%.*s\" to number; given string must be a "
					     "decimal representation of a number",
				       (int)(v->u.s.len > 200 ? 200 : v->u.s.len), v->u.s.ptr);
	}
	return cs__hcl_arg_err(c, 0, "cannot convert %s to number", cs__hcl_type_name(v));
}

static cs_err f_tostring(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *v = c->args[0];
	char nb[400];
	cs_str s;
	if (v->type == CS_VNULL || v->type == CS_VSTRING) {
		*out = v;
		return CS_OK;
	}
	if (!cs__hcl_as_str(v, nb, &s))
		return cs__hcl_arg_err(c, 0, "cannot convert %s to string", cs__hcl_type_name(v));
	*out = cs__hcl_str(c, s.ptr, s.len);
	return CS_OK;
}

/* The elements of argument 0 converted to one type, or an error. */
static cs_err unified(cs__hcl_call *c, const char *to, cs_value ***v, size_t *n)
{
	const cs_value *l = c->args[0];
	if (l->type != CS_VARRAY)
		return cs__hcl_arg_err(c, 0, "cannot convert %s to %s", cs__hcl_type_name(l), to);
	*n = l->u.arr.n;
	*v = cs_arena_alloc(c->arena, (*n ? *n : 1) * sizeof **v);
	if (!*v)
		return cs__hcl_oom(c);
	cs__hcl_copy(*v, l->u.arr.v, *n * sizeof **v);
	cs_err rc = cs__hcl_unify(c, 0, v, *n);
	if (rc)
		c->detail = cs_arena_printf(c->arena, "Invalid value for \"v\" parameter: cannot convert "
						      "%s to %s: all elements must have the same type.",
					    cs__hcl_type_name(l), to);
	return rc;
}

static cs_err f_tolist(cs__hcl_call *c, const cs_value **out)
{
	if (c->args[0]->type == CS_VUNKNOWN) {
		*out = cs__hcl_unknown_from(c, c->args[0]);
		return CS_OK;
	}
	cs_value **v;
	size_t n;
	if (c->args[0]->type == CS_VNULL) {
		*out = c->args[0];
		return CS_OK;
	}
	cs_err rc = unified(c, "list", &v, &n);
	if (!rc)
		*out = cs__hcl_list(c, v, n);
	return rc;
}

static cs_err f_toset(cs__hcl_call *c, const cs_value **out)
{
	cs_value **v;
	size_t n;
	if (c->args[0]->type == CS_VNULL) {
		*out = c->args[0];
		return CS_OK;
	}
	cs_err rc = unified(c, "set", &v, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (v[i]->type == CS_VNULL)
			return cs__hcl_arg_err(c, 0, "cannot convert tuple to set: sets must not contain null values");
	*out = cs__hcl_set(c, v, n);
	return CS_OK;
}

static cs_err f_tomap(cs__hcl_call *c, const cs_value **out)
{
	if (c->args[0]->type == CS_VUNKNOWN) {
		*out = cs__hcl_unknown_from(c, c->args[0]);
		return CS_OK;
	}
	const cs_value *m = c->args[0];
	if (m->type == CS_VNULL) {
		*out = m;
		return CS_OK;
	}
	if (m->type != CS_VOBJECT)
		return cs__hcl_arg_err(c, 0, "cannot convert %s to map", cs__hcl_type_name(m));
	size_t n = m->u.obj.n;
	cs_value **v = cs_arena_alloc(c->arena, (n ? n : 1) * sizeof *v);
	cs_member *mm = cs_arena_alloc(c->arena, (n ? n : 1) * sizeof *mm);
	if (!v || !mm)
		return cs__hcl_oom(c);
	for (size_t i = 0; i < n; i++)
		v[i] = m->u.obj.m[i].val;
	cs_err rc = cs__hcl_unify(c, 0, &v, n);
	if (rc) {
		c->detail = "Invalid value for \"v\" parameter: cannot convert object to map of any single "
			    "type.";
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		mm[i] = m->u.obj.m[i];
		mm[i].val = v[i];
	}
	*out = cs__hcl_object(c, mm, n);
	return CS_OK;
}

static cs_err f_identity(cs__hcl_call *c, const cs_value **out)
{
	*out = c->args[0];
	return CS_OK;
}

static cs_err f_try(cs__hcl_call *c, const cs_value **out)
{
	if (c->nargs == 0)
		return cs__hcl_call_err(c, "no expression succeeded");
	*out = c->args[0];
	return CS_OK;
}

static cs_err f_can(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *u = NULL;
	if (cs__hcl_has_unknown(c->args[0], &u)) {
		*out = cs__hcl_unknown_from(c, u);
		return CS_OK;
	}
	*out = cs__hcl_bool(c, true);
	return CS_OK;
}

#define N CS__HCL_F_NULLOK
#define L (CS__HCL_F_LANG | CS__HCL_F_NULLOK | CS__HCL_F_PARTIAL)
const cs__hcl_func cs__hcl_funcs_typeconv[] = {
	{ "can", 1, 1, L, "expression", f_can },
	{ "nonsensitive", 1, 1, N | CS__HCL_F_PARTIAL, "value", f_identity },
	{ "sensitive", 1, 1, N | CS__HCL_F_PARTIAL, "value", f_identity },
	{ "tobool", 1, 1, N, "v", f_tobool },
	{ "tolist", 1, 1, N | CS__HCL_F_PARTIAL, "v", f_tolist },
	{ "tomap", 1, 1, N | CS__HCL_F_PARTIAL, "v", f_tomap },
	{ "tonumber", 1, 1, N, "v", f_tonumber },
	{ "toset", 1, 1, N, "v", f_toset },
	{ "tostring", 1, 1, N, "v", f_tostring },
	{ "try", 0, CS__HCL_VARIADIC, L, "expressions", f_try },
};
const size_t cs__hcl_funcs_typeconv_n = CS_ARRAY_SIZE(cs__hcl_funcs_typeconv);
