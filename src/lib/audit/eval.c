/*
 * audit/eval.c - three-valued evaluation of check conditions (true, false,
 * unknown; Kleene logic) over normalized attributes, recording the evidence
 * that decided the result.  Semantics are specified in docs/checks.md.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int lc(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static bool str_ieq(cs_str a, cs_str b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (lc((unsigned char)a.ptr[i]) != lc((unsigned char)b.ptr[i]))
			return false;
	return true;
}

static bool str_icontains(cs_str h, cs_str n)
{
	if (n.len == 0)
		return true;
	for (size_t i = 0; i + n.len <= h.len; i++) {
		size_t k = 0;
		while (k < n.len && lc((unsigned char)h.ptr[i + k]) == lc((unsigned char)n.ptr[k]))
			k++;
		if (k == n.len)
			return true;
	}
	return false;
}

/* Numeric value of a number or a numeric string. */
static bool as_number(const cs_value *v, double *d)
{
	if (v->type == CS_VNUMBER) {
		*d = v->u.num.d;
		return true;
	}
	if (v->type == CS_VSTRING && v->u.s.len && v->u.s.len < 64) {
		char buf[64], *end;
		memcpy(buf, v->u.s.ptr, v->u.s.len);
		buf[v->u.s.len] = 0;
		*d = strtod(buf, &end);
		return *end == 0 && buf[0] != ' ';
	}
	return false;
}

/* Loose equality of an attribute value and an operand (docs/checks.md). */
static cs_tri loose_eq(const cs_value *v, const cs_value *arg, bool cased)
{
	if (v->type == CS_VUNKNOWN)
		return T_UNK;
	if (arg->type == CS_VNULL)
		return v->type == CS_VNULL ? T_TRUE : T_FALSE;
	if (v->type == CS_VSTRING && arg->type == CS_VSTRING)
		return (cased ? cs_str_eq(v->u.s, arg->u.s) : str_ieq(v->u.s, arg->u.s)) ? T_TRUE
											  : T_FALSE;
	if (arg->type == CS_VNUMBER || v->type == CS_VNUMBER) {
		double a, b;
		if (as_number(v, &a) && as_number(arg, &b))
			return a == b ? T_TRUE : T_FALSE;
		return T_FALSE;
	}
	if (arg->type == CS_VBOOL || v->type == CS_VBOOL) {
		bool a, b;
		if (v->type == CS_VBOOL)
			a = v->u.b;
		else if (v->type == CS_VSTRING && str_ieq(v->u.s, CS_STR_LIT("true")))
			a = true;
		else if (v->type == CS_VSTRING && str_ieq(v->u.s, CS_STR_LIT("false")))
			a = false;
		else
			return T_FALSE;
		if (arg->type == CS_VBOOL)
			b = arg->u.b;
		else if (arg->type == CS_VSTRING && str_ieq(arg->u.s, CS_STR_LIT("true")))
			b = true;
		else if (arg->type == CS_VSTRING && str_ieq(arg->u.s, CS_STR_LIT("false")))
			b = false;
		else
			return T_FALSE;
		return a == b ? T_TRUE : T_FALSE;
	}
	return cs__value_equal(v, arg) ? T_TRUE : T_FALSE;
}

static cs_tri tri_not(cs_tri t)
{
	return t == T_UNK ? T_UNK : (t == T_TRUE ? T_FALSE : T_TRUE);
}

static bool cidr_is_open(const cs_value *v)
{
	static const char *const open[] = { "0.0.0.0/0", "::/0", "*", "internet", "any",
					    "0.0.0.0" };
	if (v->type != CS_VSTRING)
		return false;
	for (size_t i = 0; i < CS_ARRAY_SIZE(open); i++)
		if (str_ieq(v->u.s, cs_str_c(open[i])))
			return true;
	return false;
}

static cs_tri test_value(const cs_cond *c, const cs_value *v)
{
	/* v is present and not null here, and not unknown */
	switch (c->op) {
	case OP_EQ:
	case OP_EQ_CASED:
		return loose_eq(v, c->arg, c->op == OP_EQ_CASED);
	case OP_NE:
		return tri_not(loose_eq(v, c->arg, false));
	case OP_IN:
	case OP_NOT_IN: {
		cs_tri r = T_FALSE;
		for (size_t i = 0; i < c->arg->u.arr.n && r != T_TRUE; i++) {
			cs_tri e = loose_eq(v, c->arg->u.arr.v[i], false);
			if (e == T_TRUE || (e == T_UNK && r == T_FALSE))
				r = e;
		}
		return c->op == OP_IN ? r : tri_not(r);
	}
	case OP_EXISTS:
		return c->flag ? T_TRUE : T_FALSE;
	case OP_GT:
	case OP_GTE:
	case OP_LT:
	case OP_LTE: {
		double a;
		if (!as_number(v, &a))
			return T_FALSE;
		double b = c->arg->u.num.d;
		bool r = c->op == OP_GT ? a > b : c->op == OP_GTE ? a >= b : c->op == OP_LT ? a < b : a <= b;
		return r ? T_TRUE : T_FALSE;
	}
	case OP_CONTAINS:
		if (v->type == CS_VSTRING) {
			cs_str n = cs_value_str(c->arg);
			if (c->arg->type == CS_VBOOL)
				n = c->arg->u.b ? CS_STR_LIT("true") : CS_STR_LIT("false");
			return str_icontains(v->u.s, n) ? T_TRUE : T_FALSE;
		}
		if (v->type == CS_VARRAY) {
			cs_tri r = T_FALSE;
			for (size_t i = 0; i < v->u.arr.n && r != T_TRUE; i++) {
				cs_tri e = loose_eq(v->u.arr.v[i], c->arg, false);
				if (e == T_TRUE || (e == T_UNK && r == T_FALSE))
					r = e;
			}
			return r;
		}
		return T_FALSE;
	case OP_MATCHES: {
		cs_str s;
		if (v->type == CS_VSTRING || v->type == CS_VNUMBER)
			s = cs_value_str(v);
		else if (v->type == CS_VBOOL)
			s = v->u.b ? CS_STR_LIT("true") : CS_STR_LIT("false");
		else
			return T_FALSE;
		char small[256];
		char *buf = s.len < sizeof small ? small : cs_malloc(s.len + 1);
		if (!buf)
			return T_UNK;
		memcpy(buf, s.ptr, s.len);
		buf[s.len] = 0;
		bool m = regexec(c->re, buf, 0, NULL, 0) == 0;
		if (buf != small)
			cs_free(buf);
		return m ? T_TRUE : T_FALSE;
	}
	case OP_EMPTY: {
		bool empty = (v->type == CS_VARRAY || v->type == CS_VOBJECT) ? cs_value_len(v) == 0
			     : v->type == CS_VSTRING			    ? v->u.s.len == 0
									    : false;
		return empty == c->flag ? T_TRUE : T_FALSE;
	}
	case OP_CIDR_OPEN: {
		bool open = false;
		bool unk = false;
		if (v->type == CS_VARRAY) {
			for (size_t i = 0; i < v->u.arr.n; i++) {
				if (v->u.arr.v[i]->type == CS_VUNKNOWN)
					unk = true;
				else if (cidr_is_open(v->u.arr.v[i]))
					open = true;
			}
		} else {
			open = cidr_is_open(v);
		}
		if (!open && unk)
			return T_UNK;
		return open == c->flag ? T_TRUE : T_FALSE;
	}
	}
	return T_UNK;
}

/* The outcome of a test on an absent (or null) attribute. */
static cs_tri test_absent(const cs_cond *c)
{
	switch (c->op) {
	case OP_EXISTS:
		return c->flag ? T_FALSE : T_TRUE;
	case OP_NE:
	case OP_NOT_IN:
		return T_TRUE;
	case OP_EMPTY:
		return c->flag ? T_TRUE : T_FALSE;
	case OP_CIDR_OPEN:
		return c->flag ? T_FALSE : T_TRUE;
	default:
		return T_FALSE;
	}
}

/* Tests on a partly known string (docs/checks.md): decided where its known
 * text decides them, unknown otherwise. */
static cs_tri can_be(const char *shape, const cs_value *arg, bool icase)
{
	if (arg->type != CS_VSTRING)
		return T_UNK;
	return cs__shape_can_equal(shape, arg->u.s, icase) ? T_UNK : T_FALSE;
}

static cs_tri test_shape(const cs_cond *c, const char *shape)
{
	switch (c->op) {
	case OP_EQ:
	case OP_EQ_CASED:
		return can_be(shape, c->arg, c->op == OP_EQ);
	case OP_NE:
		return tri_not(can_be(shape, c->arg, true));
	case OP_IN:
	case OP_NOT_IN: {
		cs_tri r = T_FALSE;
		for (size_t i = 0; i < c->arg->u.arr.n && r == T_FALSE; i++)
			r = can_be(shape, c->arg->u.arr.v[i], true);
		return c->op == OP_IN ? r : tri_not(r);
	}
	case OP_EXISTS:
		return c->flag ? T_TRUE : T_FALSE; /* a built string is always set */
	case OP_CONTAINS: {
		if (c->arg->type != CS_VSTRING)
			return T_UNK;
		if (cs__shape_must_contain(shape, c->arg->u.s))
			return T_TRUE;
		return cs__shape_can_contain(shape, c->arg->u.s) ? T_UNK : T_FALSE;
	}
	case OP_CIDR_OPEN: {
		static const char *const open[] = { "0.0.0.0/0", "::/0", "*", "internet", "any",
						    "0.0.0.0" };
		for (size_t i = 0; i < CS_ARRAY_SIZE(open); i++)
			if (cs__shape_can_equal(shape, cs_str_c(open[i]), true))
				return T_UNK;
		return c->flag ? T_FALSE : T_TRUE;
	}
	case OP_EMPTY:
		return T_UNK;
	default:
		return T_UNK;
	}
}

static void set_ev(cs_evidence *ev, const cs_cond *c, const cs_value *v)
{
	if (!ev)
		return;
	ev->cond = c;
	ev->val = v;
	ev->each_path = NULL;
	ev->each_index = 0;
}

cs_tri cs__cond_eval(const cs_cond *c, const cs_value *root, cs_arena *scratch, cs_evidence *ev)
{
	switch (c->kind) {
	case C_TEST: {
		const cs_value *v = NULL;
		cs_path_status st = cs__path_eval(c->attr, root, scratch, &v);
		set_ev(ev, c, st == CS_PATH_ABSENT ? NULL : v);
		/* a reference to another resource is unknown but certainly set */
		if (c->op == OP_EXISTS && st == CS_PATH_UNKNOWN && cs__unknown_but_set(v))
			return c->flag ? T_TRUE : T_FALSE;
		if (st == CS_PATH_UNKNOWN || (v && v->type == CS_VUNKNOWN))
			return v && v->u.unk.shape ? test_shape(c, v->u.unk.shape) : T_UNK;
		if (st == CS_PATH_ABSENT || !v || v->type == CS_VNULL)
			return test_absent(c);
		return test_value(c, v);
	}
	case C_NOT:
		return tri_not(cs__cond_eval(c->body, root, scratch, ev));
	case C_ALL:
	case C_ANY: {
		/* all: first false decides; else first unknown; else last true.
		 * any: first true decides; else first unknown; else first false. */
		cs_tri decided = c->kind == C_ALL ? T_FALSE : T_TRUE;
		cs_tri result = c->kind == C_ALL ? T_TRUE : T_FALSE;
		cs_evidence first = { 0 }, unk = { 0 }, tmp;
		bool have_unk = false;
		for (size_t i = 0; i < c->n; i++) {
			cs_tri t = cs__cond_eval(c->kids[i], root, scratch, &tmp);
			if (i == 0)
				first = tmp;
			if (t == decided) {
				if (ev)
					*ev = tmp;
				return decided;
			}
			if (t == T_UNK && !have_unk) {
				have_unk = true;
				unk = tmp;
			}
		}
		if (ev)
			*ev = have_unk ? unk : first;
		return have_unk ? T_UNK : result;
	}
	case C_EACH: {
		const cs_value *list = NULL;
		cs_path_status st = cs__path_eval(c->attr, root, scratch, &list);
		if (st == CS_PATH_UNKNOWN || (list && list->type == CS_VUNKNOWN)) {
			set_ev(ev, c, list);
			return T_UNK;
		}
		size_t n = st == CS_PATH_FOUND && list ? (list->type == CS_VARRAY ? list->u.arr.n : 1) : 0;
		/* all: any false -> false; any: any true -> true; none = not any */
		cs_tri want = c->q == Q_ALL ? T_FALSE : T_TRUE;
		bool have_unk = false;
		cs_evidence unk = { 0 }, tmp;
		for (size_t i = 0; i < n; i++) {
			const cs_value *el = list->type == CS_VARRAY ? list->u.arr.v[i] : list;
			cs_tri t = cs__cond_eval(c->body, el, scratch, &tmp);
			tmp.each_path = cs__path_text(c->attr);
			tmp.each_index = i;
			if (t == want) {
				/* the deciding element itself is the evidence */
				if (ev) {
					ev->cond = c;
					ev->val = el;
					ev->each_path = cs__path_text(c->attr);
					ev->each_index = i;
				}
				return c->q == Q_NONE ? T_FALSE : want;
			}
			if (t == T_UNK && !have_unk) {
				have_unk = true;
				unk = tmp;
			}
		}
		if (have_unk) {
			if (ev)
				*ev = unk;
			return T_UNK;
		}
		set_ev(ev, c, list);
		if (c->q == Q_ALL)
			return T_TRUE;
		return c->q == Q_ANY ? T_FALSE : T_TRUE;
	}
	}
	return T_UNK;
}
