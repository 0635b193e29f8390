/*
 * hcl/funcs_collection.c - Terraform's collection functions: alltrue,
 * anytrue, chunklist, coalesce, coalescelist, compact, concat, contains,
 * distinct, element, flatten, index, keys, length, lookup, matchkeys,
 * merge, one, range, reverse, setintersection, setproduct, setsubtract,
 * setunion, slice, sort, sum, transpose, values, zipmap.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"

#define MAX_ELEMS (1u << 22) /* results with more elements are refused */

/* For CS__HCL_F_PARTIAL functions: an argument that is wholly unknown makes
 * the result unknown.  True when *out was set (or allocation failed). */
static bool top_unknown(cs__hcl_call *c, const cs_value **out, cs_err *rc)
{
	for (size_t i = 0; i < c->nargs; i++)
		if (c->args[i]->type == CS_VUNKNOWN) {
			*out = cs__hcl_unknown_from(c, c->args[i]);
			*rc = *out ? CS_OK : cs__hcl_oom(c);
			return true;
		}
	return false;
}

static cs_value **vec(cs__hcl_call *c, size_t n)
{
	return cs_arena_alloc(c->arena, (n ? n : 1) * sizeof(cs_value *));
}

static cs_err all_any(cs__hcl_call *c, const cs_value **out, bool all)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, 0, &l);
	if (rc)
		return rc;
	bool r = all;
	for (size_t i = 0; i < l->u.arr.n; i++) {
		const cs_value *e = l->u.arr.v[i];
		bool b = false;
		if (e->type == CS_VBOOL)
			b = e->u.b;
		else if (e->type == CS_VSTRING && (cs_str_eqc(e->u.s, "true") || cs_str_eqc(e->u.s, "false")))
			b = cs_str_eqc(e->u.s, "true");
		else if (e->type != CS_VNULL)
			return cs__hcl_arg_err(c, 0, "element %zu: bool required", i);
		if (all && !b)
			r = false;
		if (!all && b)
			r = true;
	}
	*out = cs__hcl_bool(c, r);
	return CS_OK;
}

static cs_err f_alltrue(cs__hcl_call *c, const cs_value **out)
{
	return all_any(c, out, true);
}

static cs_err f_anytrue(cs__hcl_call *c, const cs_value **out)
{
	return all_any(c, out, false);
}

static cs_err f_chunklist(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	int64_t size;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	rc = cs__hcl_want_list(c, 0, &l);
	if (!rc)
		rc = cs__hcl_want_int(c, 1, &size);
	if (rc)
		return rc;
	if (size < 0)
		return cs__hcl_arg_err(c, 1, "the size argument must be positive");
	size_t n = l->u.arr.n;
	if (size == 0) { /* Terraform: the whole list as one chunk */
		cs_value *whole = cs__hcl_list(c, l->u.arr.v, n);
		*out = whole ? cs__hcl_list(c, &whole, 1) : NULL;
		return CS_OK;
	}
	size_t chunks = (n + (size_t)size - 1) / (size_t)size;
	cs_value **v = vec(c, chunks);
	if (!v)
		return cs__hcl_oom(c);
	for (size_t k = 0; k < chunks; k++) {
		size_t from = k * (size_t)size, m = n - from < (size_t)size ? n - from : (size_t)size;
		if (!(v[k] = cs__hcl_list(c, l->u.arr.v + from, m)))
			return cs__hcl_oom(c);
	}
	*out = cs__hcl_list(c, v, chunks);
	return CS_OK;
}

static cs_err f_coalesce(cs__hcl_call *c, const cs_value **out)
{
	cs_value **v = vec(c, c->nargs);
	if (!v)
		return cs__hcl_oom(c);
	cs__hcl_copy(v, c->args, c->nargs * sizeof *v);
	cs_err rc = cs__hcl_unify(c, 0, &v, c->nargs);
	if (rc)
		return rc;
	for (size_t i = 0; i < c->nargs; i++) {
		if (v[i]->type == CS_VUNKNOWN) { /* could be the first non-empty one */
			*out = cs__hcl_unknown_from(c, v[i]);
			return *out ? CS_OK : cs__hcl_oom(c);
		}
		if (v[i]->type == CS_VNULL || (v[i]->type == CS_VSTRING && v[i]->u.s.len == 0))
			continue;
		*out = v[i];
		return CS_OK;
	}
	return cs__hcl_call_err(c, "no non-null, non-empty-string arguments");
}

static cs_err f_coalescelist(cs__hcl_call *c, const cs_value **out)
{
	if (c->nargs == 0)
		return cs__hcl_call_err(c, "at least one argument is required");
	for (size_t i = 0; i < c->nargs; i++) {
		const cs_value *a = c->args[i];
		if (a->type == CS_VUNKNOWN) {
			*out = cs__hcl_unknown_from(c, a);
			return *out ? CS_OK : cs__hcl_oom(c);
		}
		if (a->type == CS_VNULL)
			continue;
		if (a->type != CS_VARRAY)
			return cs__hcl_arg_err(c, i, "coalescelist arguments must be lists or tuples, got %s",
					       cs__hcl_type_name(a));
		if (a->u.arr.n) {
			*out = a;
			return CS_OK;
		}
	}
	return cs__hcl_call_err(c, "no non-null arguments");
}

static cs_err f_compact(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, 0, &l);
	if (rc)
		return rc;
	cs_value **v = vec(c, l->u.arr.n);
	if (!v)
		return cs__hcl_oom(c);
	size_t k = 0;
	for (size_t i = 0; i < l->u.arr.n; i++) {
		cs_value *e = l->u.arr.v[i];
		char nb[400];
		cs_str s;
		if (e->type == CS_VNULL)
			continue;
		if (!cs__hcl_as_str(e, nb, &s))
			return cs__hcl_arg_err(c, 0, "element %zu: string required", i);
		if (!s.len)
			continue;
		if (e->type != CS_VSTRING && !(e = cs__hcl_str(c, s.ptr, s.len)))
			return cs__hcl_oom(c);
		v[k++] = e;
	}
	*out = cs__hcl_list(c, v, k);
	return CS_OK;
}

static cs_err f_concat(cs__hcl_call *c, const cs_value **out)
{
	cs_err rc;
	size_t n = 0;
	if (top_unknown(c, out, &rc))
		return rc;
	for (size_t i = 0; i < c->nargs; i++) {
		const cs_value *l;
		if ((rc = cs__hcl_want_list(c, i, &l)))
			return rc;
		n += l->u.arr.n;
	}
	if (n > MAX_ELEMS)
		return cs__hcl_call_err(c, "the result would have more than %u elements", MAX_ELEMS);
	cs_value **v = vec(c, n);
	if (!v)
		return cs__hcl_oom(c);
	n = 0;
	for (size_t i = 0; i < c->nargs; i++) {
		cs__hcl_copy(v + n, c->args[i]->u.arr.v, c->args[i]->u.arr.n * sizeof *v);
		n += c->args[i]->u.arr.n;
	}
	*out = cs__hcl_list(c, v, n);
	return CS_OK;
}

/* Equality after Terraform's conversion of the needle to the element type
 * (a number 1 equals a string "1" in a list of strings). */
static bool loose_equal(const cs_value *a, const cs_value *b)
{
	if (cs__value_equal(a, b))
		return true;
	char b1[400], b2[400];
	cs_str s1, s2;
	if ((a->type == CS_VSTRING) != (b->type == CS_VSTRING) && cs__hcl_as_str(a, b1, &s1) &&
	    cs__hcl_as_str(b, b2, &s2))
		return cs_str_eq(s1, s2);
	return false;
}

static cs_err f_contains(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, 0, &l);
	if (rc)
		return rc;
	bool found = false;
	for (size_t i = 0; i < l->u.arr.n && !found; i++)
		found = loose_equal(l->u.arr.v[i], c->args[1]);
	*out = cs__hcl_bool(c, found);
	return CS_OK;
}

static cs_err f_distinct(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, 0, &l);
	if (rc)
		return rc;
	cs_value **v = vec(c, l->u.arr.n);
	if (!v)
		return cs__hcl_oom(c);
	cs__hcl_copy(v, l->u.arr.v, l->u.arr.n * sizeof *v);
	if ((rc = cs__hcl_unify(c, 0, &v, l->u.arr.n)))
		return rc;
	size_t k = 0;
	for (size_t i = 0; i < l->u.arr.n; i++) {
		bool dup = false;
		for (size_t j = 0; j < k && !dup; j++)
			dup = cs__value_equal(v[j], v[i]);
		if (!dup)
			v[k++] = v[i];
	}
	*out = cs__hcl_list(c, v, k);
	return CS_OK;
}

static cs_err f_element(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	int64_t i;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	rc = cs__hcl_want_list(c, 0, &l);
	if (!rc)
		rc = cs__hcl_want_int(c, 1, &i);
	if (rc)
		return rc;
	if (l->flags & CS_VF_HCLSET)
		return cs__hcl_arg_err(c, 0, "cannot read elements from set of %s; convert it to a list first",
				       "values");
	if (l->u.arr.n == 0)
		return cs__hcl_call_err(c, "cannot use element function with an empty list");
	if (i < 0)
		return cs__hcl_arg_err(c, 1, "cannot use element function with a negative index");
	*out = l->u.arr.v[(size_t)i % l->u.arr.n];
	return CS_OK;
}

static cs_err flatten_into(cs__hcl_call *c, const cs_value *l, cs_ptrvec *pv, unsigned depth,
			   const cs_value **unk)
{
	cs_err rc = CS_OK;
	if (depth > 256)
		return cs__hcl_call_err(c, "lists are nested too deeply");
	for (size_t i = 0; i < l->u.arr.n && !rc && !*unk; i++) {
		cs_value *e = l->u.arr.v[i];
		if (e->type == CS_VUNKNOWN)
			*unk = e; /* could be a list: the shape of the result is unknown */
		else if (e->type == CS_VARRAY)
			rc = flatten_into(c, e, pv, depth + 1, unk);
		else if (pv->n >= MAX_ELEMS)
			rc = cs__hcl_call_err(c, "the result would have more than %u elements", MAX_ELEMS);
		else if (cs__ptrvec_push(pv, e))
			rc = cs__hcl_oom(c);
	}
	return rc;
}

static cs_err f_flatten(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l, *unk = NULL;
	cs_ptrvec pv = { 0 };
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	rc = cs__hcl_want_list(c, 0, &l);
	if (!rc)
		rc = flatten_into(c, l, &pv, 0, &unk);
	if (!rc) {
		*out = unk ? cs__hcl_unknown_from(c, unk) : cs__hcl_list(c, (cs_value **)pv.v, pv.n);
		if (!*out)
			rc = cs__hcl_oom(c);
	}
	cs__ptrvec_release(&pv);
	return rc;
}

static cs_err f_index(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, 0, &l);
	if (rc)
		return rc;
	for (size_t i = 0; i < l->u.arr.n; i++)
		if (loose_equal(l->u.arr.v[i], c->args[1])) {
			*out = cs__hcl_num(c, (double)i);
			return CS_OK;
		}
	return cs__hcl_call_err(c, "item not found");
}

/* A copy of object m with its members sorted by key, duplicates removed. */
static cs_value *sorted_object(cs__hcl_call *c, const cs_value *m)
{
	cs_member *s = cs_arena_alloc(c->arena, (m->u.obj.n ? m->u.obj.n : 1) * sizeof *s);
	if (!s)
		return NULL;
	cs__hcl_copy(s, m->u.obj.m, m->u.obj.n * sizeof *s);
	return cs__hcl_object(c, s, m->u.obj.n);
}

static cs_err keys_values(cs__hcl_call *c, const cs_value **out, bool keys)
{
	const cs_value *m;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	rc = cs__hcl_want_map(c, 0, &m);
	if (rc)
		return rc;
	cs_value *so = sorted_object(c, m);
	cs_value **v = vec(c, m->u.obj.n);
	if (!so || !v)
		return cs__hcl_oom(c);
	for (size_t i = 0; i < so->u.obj.n; i++) {
		const cs_member *e = &so->u.obj.m[i];
		v[i] = keys ? cs__hcl_str(c, e->key.ptr, e->key.len) : e->val;
		if (!v[i])
			return cs__hcl_oom(c);
	}
	*out = cs__hcl_list(c, v, so->u.obj.n);
	return CS_OK;
}

static cs_err f_keys(cs__hcl_call *c, const cs_value **out)
{
	return keys_values(c, out, true);
}

static cs_err f_values(cs__hcl_call *c, const cs_value **out)
{
	return keys_values(c, out, false);
}

static cs_err f_length(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *v = c->args[0];
	size_t n = 0;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	if (v->type == CS_VSTRING) {
		for (size_t i = 0; i < v->u.s.len; n++)
			i += cs__hcl_grapheme_len(v->u.s.ptr + i, v->u.s.len - i);
	} else if (v->type == CS_VARRAY) {
		n = v->u.arr.n;
		if ((v->flags & CS_VF_HCLSET)) /* unknown elements may turn out equal */
			for (size_t i = 0; i < n; i++)
				if (cs__hcl_has_unknown(v->u.arr.v[i], NULL)) {
					*out = cs__hcl_unknown_from(c, v->u.arr.v[i]);
					return *out ? CS_OK : cs__hcl_oom(c);
				}
	} else if (v->type == CS_VOBJECT) {
		n = v->u.obj.n;
	} else {
		return cs__hcl_arg_err(c, 0, "argument must be a string, a collection type, or a structural type");
	}
	*out = cs__hcl_num(c, (double)n);
	return CS_OK;
}

static cs_err f_lookup(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *m;
	cs_str key;
	cs_err rc;
	if (c->args[0]->type == CS_VUNKNOWN || c->args[1]->type == CS_VUNKNOWN) {
		top_unknown(c, out, &rc);
		return rc;
	}
	rc = cs__hcl_want_map(c, 0, &m);
	if (!rc)
		rc = cs__hcl_want_str(c, 1, &key);
	if (rc)
		return rc;
	const cs_value *v = cs_value_getn(m, key.ptr, key.len);
	if (v) {
		*out = v;
		return CS_OK;
	}
	if (c->nargs > 2) {
		*out = c->args[2];
		return CS_OK;
	}
	return cs__hcl_call_err(c, "lookup failed to find key \"%.*s\"", (int)(key.len > 200 ? 200 : key.len),
				key.ptr);
}

static cs_err f_matchkeys(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *vals, *keys, *search;
	cs_err rc = cs__hcl_want_list(c, 0, &vals);
	if (!rc)
		rc = cs__hcl_want_list(c, 1, &keys);
	if (!rc)
		rc = cs__hcl_want_list(c, 2, &search);
	if (rc)
		return rc;
	if (vals->u.arr.n != keys->u.arr.n)
		return cs__hcl_call_err(c, "length of keys and values should be equal");
	cs_value **v = vec(c, vals->u.arr.n);
	if (!v)
		return cs__hcl_oom(c);
	size_t k = 0;
	for (size_t i = 0; i < keys->u.arr.n; i++) {
		bool hit = false;
		for (size_t j = 0; j < search->u.arr.n && !hit; j++)
			hit = loose_equal(keys->u.arr.v[i], search->u.arr.v[j]);
		if (hit)
			v[k++] = vals->u.arr.v[i];
	}
	*out = cs__hcl_list(c, v, k);
	return CS_OK;
}

static cs_err f_merge(cs__hcl_call *c, const cs_value **out)
{
	cs_err rc;
	size_t n = 0;
	if (top_unknown(c, out, &rc))
		return rc;
	for (size_t i = 0; i < c->nargs; i++) {
		const cs_value *a = c->args[i];
		if (a->type == CS_VNULL)
			continue;
		if (a->type != CS_VOBJECT)
			return cs__hcl_arg_err(c, i, "arguments must be maps or objects, got \"%s\"",
					       cs__hcl_type_name(a));
		n += a->u.obj.n;
	}
	cs_member *m = cs_arena_alloc(c->arena, (n ? n : 1) * sizeof *m);
	if (!m)
		return cs__hcl_oom(c);
	n = 0;
	for (size_t i = 0; i < c->nargs; i++)
		if (c->args[i]->type == CS_VOBJECT) {
			cs__hcl_copy(m + n, c->args[i]->u.obj.m, c->args[i]->u.obj.n * sizeof *m);
			n += c->args[i]->u.obj.n;
		}
	*out = cs__hcl_object(c, m, n);
	return CS_OK;
}

static cs_err f_one(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	if ((rc = cs__hcl_want_list(c, 0, &l)))
		return rc;
	if (l->u.arr.n > 1)
		return cs__hcl_arg_err(c, 0, "must be a list, set, or tuple value with either zero or one elements");
	*out = l->u.arr.n ? l->u.arr.v[0] : cs__hcl_null(c);
	return CS_OK;
}

static cs_err f_range(cs__hcl_call *c, const cs_value **out)
{
	double start = 0, limit, step;
	cs_err rc;
	if (c->nargs == 1) {
		rc = cs__hcl_want_num(c, 0, &limit);
	} else {
		rc = cs__hcl_want_num(c, 0, &start);
		if (!rc)
			rc = cs__hcl_want_num(c, 1, &limit);
	}
	if (rc)
		return rc;
	step = limit < start ? -1 : 1;
	if (c->nargs == 3 && (rc = cs__hcl_want_num(c, 2, &step)))
		return rc;
	if (step == 0)
		return cs__hcl_arg_err(c, 2, "step must not be zero");
	cs_value *v[1024];
	size_t n = 0;
	for (double x = start; step > 0 ? x < limit : x > limit; x += step) {
		if (n == 1024)
			return cs__hcl_call_err(c, "more than 1024 values were generated; either decrease the "
						   "difference between start and end or use a smaller step");
		if (!(v[n++] = cs__hcl_num(c, x)))
			return cs__hcl_oom(c);
	}
	*out = cs__hcl_list(c, v, n);
	return CS_OK;
}

static cs_err f_reverse(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	if ((rc = cs__hcl_want_list(c, 0, &l)))
		return rc;
	if (l->flags & CS_VF_HCLSET)
		return cs__hcl_arg_err(c, 0, "can only reverse list or tuple values, not set");
	cs_value **v = vec(c, l->u.arr.n);
	if (!v)
		return cs__hcl_oom(c);
	for (size_t i = 0; i < l->u.arr.n; i++)
		v[i] = l->u.arr.v[l->u.arr.n - 1 - i];
	*out = cs__hcl_list(c, v, l->u.arr.n);
	return CS_OK;
}

/* Elements of argument i unified, in a fresh arena vector. */
static cs_err set_items(cs__hcl_call *c, size_t i, cs_value ***v, size_t *n)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, i, &l);
	if (rc)
		return rc;
	*v = vec(c, l->u.arr.n);
	if (!*v)
		return cs__hcl_oom(c);
	cs__hcl_copy(*v, l->u.arr.v, l->u.arr.n * sizeof **v);
	*n = l->u.arr.n;
	return cs__hcl_unify(c, i, v, *n);
}

static bool set_has(cs_value *const *v, size_t n, const cs_value *x)
{
	for (size_t i = 0; i < n; i++)
		if (loose_equal(v[i], x))
			return true;
	return false;
}

/* op 0: union, 1: intersection, 2: subtract */
static cs_err set_op(cs__hcl_call *c, const cs_value **out, int op)
{
	cs_value **acc;
	size_t n;
	cs_err rc = set_items(c, 0, &acc, &n);
	if (rc)
		return rc;
	for (size_t i = 1; i < c->nargs; i++) {
		cs_value **o;
		size_t m;
		if ((rc = set_items(c, i, &o, &m)))
			return rc;
		if (op == 0) {
			cs_value **u = vec(c, n + m);
			if (!u)
				return cs__hcl_oom(c);
			cs__hcl_copy(u, acc, n * sizeof *u);
			cs__hcl_copy(u + n, o, m * sizeof *u);
			acc = u;
			n += m;
			if (n > MAX_ELEMS)
				return cs__hcl_call_err(c, "the result would have more than %u elements", MAX_ELEMS);
		} else {
			size_t k = 0;
			for (size_t j = 0; j < n; j++)
				if (set_has(o, m, acc[j]) == (op == 1))
					acc[k++] = acc[j];
			n = k;
		}
	}
	/* mixed primitives across arguments: unify the result too */
	if ((rc = cs__hcl_unify(c, 0, &acc, n)))
		return rc;
	*out = cs__hcl_set(c, acc, n);
	return CS_OK;
}

static cs_err f_setunion(cs__hcl_call *c, const cs_value **out)
{
	return set_op(c, out, 0);
}

static cs_err f_setintersection(cs__hcl_call *c, const cs_value **out)
{
	return set_op(c, out, 1);
}

static cs_err f_setsubtract(cs__hcl_call *c, const cs_value **out)
{
	return set_op(c, out, 2);
}

static cs_err f_setproduct(cs__hcl_call *c, const cs_value **out)
{
	size_t total = 1;
	bool all_sets = true;
	if (c->nargs < 2)
		return cs__hcl_call_err(c, "at least two arguments are required");
	for (size_t i = 0; i < c->nargs; i++) {
		const cs_value *l;
		cs_err rc = cs__hcl_want_list(c, i, &l);
		if (rc)
			return rc;
		all_sets = all_sets && (l->flags & CS_VF_HCLSET);
		total = l->u.arr.n == 0 ? 0 : total;
		if (total && total > MAX_ELEMS / l->u.arr.n)
			return cs__hcl_call_err(c, "the result would have more than %u elements", MAX_ELEMS);
		total *= l->u.arr.n;
	}
	cs_value **res = vec(c, total), **row = vec(c, c->nargs);
	if (!res || !row)
		return cs__hcl_oom(c);
	for (size_t k = 0; k < total; k++) {
		size_t rem = k;
		for (size_t i = c->nargs; i-- > 0;) {
			size_t n = c->args[i]->u.arr.n;
			row[i] = c->args[i]->u.arr.v[rem % n];
			rem /= n;
		}
		if (!(res[k] = cs__hcl_list(c, row, c->nargs)))
			return cs__hcl_oom(c);
	}
	*out = all_sets ? cs__hcl_set(c, res, total) : cs__hcl_list(c, res, total);
	return CS_OK;
}

static cs_err f_slice(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	int64_t from, to;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	rc = cs__hcl_want_list(c, 0, &l);
	if (!rc)
		rc = cs__hcl_want_int(c, 1, &from);
	if (!rc)
		rc = cs__hcl_want_int(c, 2, &to);
	if (rc)
		return rc;
	if (l->flags & CS_VF_HCLSET)
		return cs__hcl_arg_err(c, 0, "cannot slice a set, because its elements do not have indices; "
					     "explicitly convert to a list if the ordering of the result is not "
					     "important");
	if (from < 0)
		return cs__hcl_arg_err(c, 1, "the starting index must not be negative");
	if (to > (int64_t)l->u.arr.n)
		return cs__hcl_arg_err(c, 2, "end index must not be greater than the length of the list");
	if (from > to)
		return cs__hcl_arg_err(c, 1, "the start index must be less than or equal to the end index");
	*out = cs__hcl_list(c, l->u.arr.v + from, (size_t)(to - from));
	return CS_OK;
}

static int cmp_str_vp(const void *x, const void *y)
{
	const cs_value *a = *(cs_value *const *)x, *b = *(cs_value *const *)y;
	return cs__hcl_value_cmp(a, b);
}

static cs_err f_sort(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, 0, &l);
	if (rc)
		return rc;
	cs_value **v = vec(c, l->u.arr.n);
	if (!v)
		return cs__hcl_oom(c);
	for (size_t i = 0; i < l->u.arr.n; i++) {
		cs_value *e = l->u.arr.v[i];
		char nb[400];
		cs_str s;
		if (e->type == CS_VNULL)
			return cs__hcl_arg_err(c, 0, "given list element %zu is null; a null string cannot be sorted", i);
		if (!cs__hcl_as_str(e, nb, &s))
			return cs__hcl_arg_err(c, 0, "list of string required");
		if (e->type != CS_VSTRING && !(e = cs__hcl_str(c, s.ptr, s.len)))
			return cs__hcl_oom(c);
		v[i] = e;
	}
	if (l->u.arr.n > 1)
		qsort(v, l->u.arr.n, sizeof *v, cmp_str_vp);
	*out = cs__hcl_list(c, v, l->u.arr.n);
	return CS_OK;
}

static cs_err f_sum(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *l;
	cs_err rc = cs__hcl_want_list(c, 0, &l);
	if (rc)
		return rc;
	if (l->u.arr.n == 0)
		return cs__hcl_call_err(c, "cannot sum an empty list");
	double s = 0;
	for (size_t i = 0; i < l->u.arr.n; i++) {
		const cs_value *e = l->u.arr.v[i];
		double d;
		if (e->type == CS_VNUMBER)
			d = e->u.num.d;
		else if (e->type == CS_VSTRING && cs__hcl_parse_num(e->u.s, &d))
			;
		else if (e->type == CS_VNULL)
			return cs__hcl_arg_err(c, 0, "argument must be list, set, or tuple of number values");
		else
			return cs__hcl_arg_err(c, 0, "argument must be list, set, or tuple of number values");
		s += d;
	}
	if (isinf(s))
		return cs__hcl_call_err(c, "the sum is not a finite number");
	*out = cs__hcl_num(c, s);
	return CS_OK;
}

static cs_err f_transpose(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *m;
	cs_err rc = cs__hcl_want_map(c, 0, &m);
	if (rc)
		return rc;
	/* collect (value, key) pairs, then group by value */
	size_t n = 0;
	for (size_t i = 0; i < m->u.obj.n; i++) {
		const cs_value *l = m->u.obj.m[i].val;
		if (l->type != CS_VARRAY)
			return cs__hcl_arg_err(c, 0, "map of list of string required");
		n += l->u.arr.n;
	}
	cs_member *pairs = cs_arena_alloc(c->arena, (n ? n : 1) * sizeof *pairs);
	if (!pairs)
		return cs__hcl_oom(c);
	n = 0;
	cs_value *so = sorted_object(c, m);
	if (!so)
		return cs__hcl_oom(c);
	const cs_member *sm = so->u.obj.m;
	for (size_t i = 0; i < so->u.obj.n; i++) {
		const cs_value *l = sm[i].val;
		cs_value *k = cs__hcl_str(c, sm[i].key.ptr, sm[i].key.len);
		if (!k)
			return cs__hcl_oom(c);
		for (size_t j = 0; j < l->u.arr.n; j++) {
			char nb[400];
			cs_str s;
			if (!cs__hcl_as_str(l->u.arr.v[j], nb, &s))
				return cs__hcl_arg_err(c, 0, "map of list of string required");
			char *p = cs_arena_strndup(c->arena, s.ptr, s.len);
			if (!p)
				return cs__hcl_oom(c);
			pairs[n].key = (cs_str){ p, s.len };
			pairs[n++].val = k;
		}
	}
	/* group by value; keys stay in sorted order */
	cs_member *res = cs_arena_alloc(c->arena, (n ? n : 1) * sizeof *res);
	if (!res)
		return cs__hcl_oom(c);
	size_t r = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < r && !seen; j++)
			seen = cs_str_eq(res[j].key, pairs[i].key);
		if (seen)
			continue;
		size_t cnt = 0;
		for (size_t j = i; j < n; j++)
			cnt += cs_str_eq(pairs[j].key, pairs[i].key);
		cs_value **ks = vec(c, cnt);
		if (!ks)
			return cs__hcl_oom(c);
		cnt = 0;
		for (size_t j = i; j < n; j++)
			if (cs_str_eq(pairs[j].key, pairs[i].key))
				ks[cnt++] = pairs[j].val;
		res[r].key = pairs[i].key;
		if (!(res[r++].val = cs__hcl_list(c, ks, cnt)))
			return cs__hcl_oom(c);
	}
	*out = cs__hcl_object(c, res, r);
	return CS_OK;
}

static cs_err f_zipmap(cs__hcl_call *c, const cs_value **out)
{
	const cs_value *k, *v, *u = NULL;
	cs_err rc;
	if (top_unknown(c, out, &rc))
		return rc;
	rc = cs__hcl_want_list(c, 0, &k);
	if (!rc)
		rc = cs__hcl_want_list(c, 1, &v);
	if (rc)
		return rc;
	if (cs__hcl_has_unknown(k, &u)) { /* unknown keys: unknown attributes */
		*out = cs__hcl_unknown_from(c, u);
		return *out ? CS_OK : cs__hcl_oom(c);
	}
	if (k->u.arr.n != v->u.arr.n)
		return cs__hcl_call_err(c, "number of keys (%zu) does not match number of values (%zu)",
					k->u.arr.n, v->u.arr.n);
	cs_member *m = cs_arena_alloc(c->arena, (k->u.arr.n ? k->u.arr.n : 1) * sizeof *m);
	if (!m)
		return cs__hcl_oom(c);
	for (size_t i = 0; i < k->u.arr.n; i++) {
		char nb[400];
		cs_str s;
		if (k->u.arr.v[i]->type == CS_VNULL)
			return cs__hcl_arg_err(c, 0, "keys list has null value at index %zu", i);
		if (!cs__hcl_as_str(k->u.arr.v[i], nb, &s))
			return cs__hcl_arg_err(c, 0, "list of string required");
		char *p = cs_arena_strndup(c->arena, s.ptr, s.len);
		if (!p)
			return cs__hcl_oom(c);
		m[i].key = (cs_str){ p, s.len };
		m[i].val = v->u.arr.v[i];
	}
	*out = cs__hcl_object(c, m, k->u.arr.n);
	return CS_OK;
}

#define P CS__HCL_F_PARTIAL
#define N CS__HCL_F_NULLOK
const cs__hcl_func cs__hcl_funcs_collection[] = {
	{ "alltrue", 1, 1, 0, "list", f_alltrue },
	{ "anytrue", 1, 1, 0, "list", f_anytrue },
	{ "chunklist", 2, 2, P, "list,size", f_chunklist },
	{ "coalesce", 0, CS__HCL_VARIADIC, P | N, "vals", f_coalesce },
	{ "coalescelist", 0, CS__HCL_VARIADIC, P | N, "vals", f_coalescelist },
	{ "compact", 1, 1, 0, "list", f_compact },
	{ "concat", 0, CS__HCL_VARIADIC, P, "seqs", f_concat },
	{ "contains", 2, 2, 0, "list,value", f_contains },
	{ "distinct", 1, 1, 0, "list", f_distinct },
	{ "element", 2, 2, P, "list,index", f_element },
	{ "flatten", 1, 1, P, "list", f_flatten },
	{ "index", 2, 2, 0, "list,value", f_index },
	{ "keys", 1, 1, P, "inputMap", f_keys },
	{ "length", 1, 1, P, "value", f_length },
	{ "lookup", 2, 3, P | N, "inputMap,key,default", f_lookup },
	{ "matchkeys", 3, 3, 0, "values,keys,searchset", f_matchkeys },
	{ "merge", 0, CS__HCL_VARIADIC, P | N, "maps", f_merge },
	{ "one", 1, 1, P, "list", f_one },
	{ "range", 1, 3, 0, "start,limit,step", f_range },
	{ "reverse", 1, 1, P, "list", f_reverse },
	{ "setintersection", 1, CS__HCL_VARIADIC, 0, "first_set,other_sets", f_setintersection },
	{ "setproduct", 0, CS__HCL_VARIADIC, 0, "sets", f_setproduct },
	{ "setsubtract", 2, 2, 0, "a,b", f_setsubtract },
	{ "setunion", 1, CS__HCL_VARIADIC, 0, "first_set,other_sets", f_setunion },
	{ "slice", 3, 3, P, "list,start_index,end_index", f_slice },
	{ "sort", 1, 1, 0, "list", f_sort },
	{ "sum", 1, 1, 0, "list", f_sum },
	{ "transpose", 1, 1, 0, "values", f_transpose },
	{ "values", 1, 1, P, "mapping", f_values },
	{ "zipmap", 2, 2, P, "keys,values", f_zipmap },
};
const size_t cs__hcl_funcs_collection_n = CS_ARRAY_SIZE(cs__hcl_funcs_collection);
