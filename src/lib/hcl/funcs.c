/*
 * hcl/funcs.c - the table of Terraform's built-in functions, the call
 * (arity, unknown and null rules) and the helpers every family shares:
 * errors in Terraform's words, value constructors, conversions, number
 * text, the order of sets, UTF-8 and grapheme clusters.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"

typedef struct family {
	const cs__hcl_func *f;
	const size_t *n;
} family;

static const family families[] = {
	{ cs__hcl_funcs_string, &cs__hcl_funcs_string_n },
	{ cs__hcl_funcs_collection, &cs__hcl_funcs_collection_n },
	{ cs__hcl_funcs_encoding, &cs__hcl_funcs_encoding_n },
	{ cs__hcl_funcs_numeric, &cs__hcl_funcs_numeric_n },
	{ cs__hcl_funcs_ipnet, &cs__hcl_funcs_ipnet_n },
	{ cs__hcl_funcs_typeconv, &cs__hcl_funcs_typeconv_n },
	{ cs__hcl_funcs_datetime, &cs__hcl_funcs_datetime_n },
	{ cs__hcl_funcs_hash, &cs__hcl_funcs_hash_n },
	{ cs__hcl_funcs_file, &cs__hcl_funcs_file_n },
};

size_t cs__hcl_func_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < CS_ARRAY_SIZE(families); i++)
		n += *families[i].n;
	return n;
}

const cs__hcl_func *cs__hcl_func_at(size_t i)
{
	for (size_t k = 0; k < CS_ARRAY_SIZE(families); k++) {
		if (i < *families[k].n)
			return &families[k].f[i];
		i -= *families[k].n;
	}
	return NULL;
}

const cs__hcl_func *cs__hcl_func_lookup(const char *name, size_t len)
{
	for (size_t k = 0; k < CS_ARRAY_SIZE(families); k++)
		for (size_t i = 0; i < *families[k].n; i++) {
			const char *fn = families[k].f[i].name;
			if (strlen(fn) == len && memcmp(fn, name, len) == 0)
				return &families[k].f[i];
		}
	return NULL;
}

/* ---- errors ---------------------------------------------------------------- */

/* The name of parameter i of c's function, into buf. */
static const char *param_name(const cs__hcl_call *c, size_t i, char *buf, size_t cap)
{
	const char *p = c->func ? c->func->params : "";
	size_t k = 0;
	const char *start = p, *last = p;
	for (;;) {
		const char *comma = strchr(start, ',');
		size_t n = comma ? (size_t)(comma - start) : strlen(start);
		last = start;
		if (k == i || !comma) {
			if (n >= cap)
				n = cap - 1;
			memcpy(buf, last, n);
			buf[n] = 0;
			return buf;
		}
		start = comma + 1;
		k++;
	}
}

cs_err cs__hcl_oom(cs__hcl_call *c)
{
	cs_err e = cs_arena_error(c->arena);
	c->summary = "Error in function call";
	c->detail = "out of memory";
	c->bad_arg = SIZE_MAX;
	return e ? e : CS_ENOMEM;
}

cs_err cs__hcl_arg_err(cs__hcl_call *c, size_t i, const char *fmt, ...)
{
	char msg[512], pn[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->summary = "Invalid function argument";
	c->detail = cs_arena_printf(c->arena, "Invalid value for \"%s\" parameter: %s.",
				    param_name(c, i, pn, sizeof pn), msg);
	if (!c->detail)
		c->detail = "Invalid value for a parameter.";
	c->bad_arg = i;
	return CS_EINVAL;
}

cs_err cs__hcl_call_err(cs__hcl_call *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->summary = "Error in function call";
	c->detail = cs_arena_printf(c->arena, "Call to function \"%s\" failed: %s.",
				    c->func ? c->func->name : "?", msg);
	if (!c->detail)
		c->detail = "Call to function failed.";
	c->bad_arg = SIZE_MAX;
	return CS_EINVAL;
}

/* ---- the call ------------------------------------------------------------------ */

const char *cs__hcl_type_name(const cs_value *v)
{
	switch ((cs_vtype)v->type) {
	case CS_VNULL:
		return "null";
	case CS_VBOOL:
		return "bool";
	case CS_VNUMBER:
		return "number";
	case CS_VSTRING:
		return "string";
	case CS_VARRAY:
		return (v->flags & CS_VF_HCLSET) ? "set" : "tuple";
	case CS_VOBJECT:
		return "object";
	case CS_VUNKNOWN:
		return "unknown";
	}
	return "value";
}

bool cs__hcl_has_unknown(const cs_value *v, const cs_value **first)
{
	if (v->type == CS_VUNKNOWN) {
		if (first)
			*first = v;
		return true;
	}
	if (v->type == CS_VARRAY) {
		for (size_t i = 0; i < v->u.arr.n; i++)
			if (cs__hcl_has_unknown(v->u.arr.v[i], first))
				return true;
	} else if (v->type == CS_VOBJECT) {
		for (size_t i = 0; i < v->u.obj.n; i++)
			if (cs__hcl_has_unknown(v->u.obj.m[i].val, first))
				return true;
	}
	return false;
}

cs_value *cs__hcl_unknown_from(cs__hcl_call *c, const cs_value *from)
{
	const char *reason = "known after apply";
	if (from && from->type == CS_VUNKNOWN && from->u.unk.reason.len) {
		cs_str r = from->u.unk.reason;
		if (r.len >= 4 && memcmp(r.ptr, "ref:", 4) == 0)
			reason = cs_arena_printf(c->arena, "derived from %.*s", (int)r.len, r.ptr);
		else
			reason = cs_arena_strndup(c->arena, r.ptr, r.len);
		if (!reason)
			return NULL;
	}
	return cs__v_unknown(c->arena, reason, c->line, c->col);
}

cs_err cs__hcl_func_call(const cs__hcl_func *f, cs__hcl_call *c, const cs_value **out)
{
	cs_err rc = CS_OK;
	c->func = f;
	c->summary = c->detail = NULL;
	c->bad_arg = SIZE_MAX;
	*out = NULL;
	if (c->nargs < f->min_args) {
		char pn[64];
		c->summary = "Not enough function arguments";
		c->detail = cs_arena_printf(c->arena,
					    "Function \"%s\" expects %s%u argument(s). Missing value for \"%s\".",
					    f->name, f->max_args == CS__HCL_VARIADIC ? "at least " : "",
					    (unsigned)f->min_args, param_name(c, c->nargs, pn, sizeof pn));
		rc = CS_EINVAL;
		goto out;
	}
	if (f->max_args != CS__HCL_VARIADIC && c->nargs > f->max_args) {
		c->summary = "Too many function arguments";
		c->detail = cs_arena_printf(c->arena, "Function \"%s\" expects only %u argument(s).",
					    f->name, (unsigned)f->max_args);
		c->bad_arg = f->max_args;
		rc = CS_EINVAL;
		goto out;
	}
	if (f->flags & CS__HCL_F_IMPURE) {
		const char *why = cs_arena_printf(c->arena, "%s() is known only after apply", f->name);
		*out = why ? cs__v_unknown(c->arena, why, c->line, c->col) : NULL;
		if (!*out)
			rc = cs__hcl_oom(c);
		goto out;
	}
	for (size_t i = 0; i < c->nargs; i++) {
		const cs_value *a = c->args[i], *u = NULL;
		bool unk = (f->flags & CS__HCL_F_PARTIAL) ? false : cs__hcl_has_unknown(a, &u);
		if (unk) {
			*out = cs__hcl_unknown_from(c, u);
			if (!*out)
				rc = cs__hcl_oom(c);
			goto out;
		}
	}
	if (!(f->flags & CS__HCL_F_NULLOK)) {
		for (size_t i = 0; i < c->nargs; i++)
			if (c->args[i]->type == CS_VNULL) {
				rc = cs__hcl_arg_err(c, i, "argument must not be null");
				goto out;
			}
	}
	rc = f->fn(c, out);
	if (!rc && !*out)
		rc = cs__hcl_oom(c);
out:
	if (rc && !c->detail) {
		c->summary = "Error in function call";
		c->detail = "out of memory";
	}
	return rc;
}

/* ---- values ---------------------------------------------------------------- */

cs_value *cs__hcl_num(cs__hcl_call *c, double d)
{
	char buf[400];
	if (d == 0)
		d = 0; /* no negative zero */
	size_t n = cs__hcl_num_text(d, buf, sizeof buf);
	char *raw = cs_arena_strndup(c->arena, buf, n);
	if (!raw)
		return NULL;
	cs_value *v = cs__v_num(c->arena, d, (cs_str){ raw, n }, c->line, c->col);
	if (v && d == floor(d) && fabs(d) < 9007199254740992.0)
		v->flags |= CS_VF_INT;
	return v;
}

cs_value *cs__hcl_str(cs__hcl_call *c, const char *s, size_t len)
{
	return cs__v_strdup(c->arena, s ? s : "", len, c->line, c->col);
}

cs_value *cs__hcl_bool(cs__hcl_call *c, bool b)
{
	return cs__v_bool(c->arena, b, c->line, c->col);
}

cs_value *cs__hcl_null(cs__hcl_call *c)
{
	return cs__v_null(c->arena, c->line, c->col);
}

cs_value *cs__hcl_list(cs__hcl_call *c, cs_value *const *items, size_t n)
{
	return cs__v_array(c->arena, items, n, c->line, c->col);
}

/* Rank of a type in the order of sets. */
static int type_rank(const cs_value *v)
{
	switch ((cs_vtype)v->type) {
	case CS_VNULL:
		return 0;
	case CS_VBOOL:
		return 1;
	case CS_VNUMBER:
		return 2;
	case CS_VSTRING:
		return 3;
	case CS_VARRAY:
		return 4;
	case CS_VOBJECT:
		return 5;
	case CS_VUNKNOWN:
		return 6;
	}
	return 7;
}

static int str_cmp(cs_str a, cs_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
	if (r)
		return r;
	return a.len < b.len ? -1 : a.len > b.len;
}

int cs__hcl_value_cmp(const cs_value *a, const cs_value *b)
{
	int ra = type_rank(a), rb = type_rank(b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch ((cs_vtype)a->type) {
	case CS_VNULL:
	case CS_VUNKNOWN:
		return 0;
	case CS_VBOOL:
		return (int)a->u.b - (int)b->u.b;
	case CS_VNUMBER:
		return a->u.num.d < b->u.num.d ? -1 : a->u.num.d > b->u.num.d;
	case CS_VSTRING:
		return str_cmp(a->u.s, b->u.s);
	case CS_VARRAY:
		for (size_t i = 0; i < a->u.arr.n && i < b->u.arr.n; i++) {
			int r = cs__hcl_value_cmp(a->u.arr.v[i], b->u.arr.v[i]);
			if (r)
				return r;
		}
		return a->u.arr.n < b->u.arr.n ? -1 : a->u.arr.n > b->u.arr.n;
	case CS_VOBJECT:
		for (size_t i = 0; i < a->u.obj.n && i < b->u.obj.n; i++) {
			int r = str_cmp(a->u.obj.m[i].key, b->u.obj.m[i].key);
			if (!r)
				r = cs__hcl_value_cmp(a->u.obj.m[i].val, b->u.obj.m[i].val);
			if (r)
				return r;
		}
		return a->u.obj.n < b->u.obj.n ? -1 : a->u.obj.n > b->u.obj.n;
	}
	return 0;
}

static int cmp_vp(const void *x, const void *y)
{
	return cs__hcl_value_cmp(*(cs_value *const *)x, *(cs_value *const *)y);
}

cs_value *cs__hcl_set(cs__hcl_call *c, cs_value **items, size_t n)
{
	size_t k = 0;
	if (n > 1)
		qsort(items, n, sizeof *items, cmp_vp);
	for (size_t i = 0; i < n; i++) {
		/* unknowns are kept: they may or may not equal another element */
		if (k && items[i]->type != CS_VUNKNOWN && cs__value_equal(items[k - 1], items[i]))
			continue;
		items[k++] = items[i];
	}
	cs_value *v = cs__v_array(c->arena, items, k, c->line, c->col);
	if (v)
		v->flags |= CS_VF_HCLSET;
	return v;
}

static int cmp_member(const void *x, const void *y)
{
	const cs_member *a = x, *b = y;
	int r = str_cmp(a->key, b->key);
	if (r)
		return r;
	/* duplicates keep their order (line holds the original position) */
	return a->line < b->line ? -1 : a->line > b->line;
}

cs_value *cs__hcl_object(cs__hcl_call *c, cs_member *m, size_t n)
{
	size_t k = 0;
	/* qsort is not stable: duplicates are ordered by their original
	 * position, kept in `line` meanwhile */
	for (size_t i = 0; i < n; i++)
		m[i].line = (uint32_t)i;
	if (n > 1)
		qsort(m, n, sizeof *m, cmp_member);
	for (size_t i = 0; i < n; i++) {
		if (k && str_cmp(m[k - 1].key, m[i].key) == 0 && m[k - 1].line < m[i].line) {
			m[k - 1] = m[i];
			continue;
		}
		m[k++] = m[i];
	}
	for (size_t i = 0; i < k; i++) {
		m[i].line = c->line;
		m[i].col = c->col;
	}
	return cs__v_object(c->arena, m, k, c->line, c->col);
}

/* ---- numbers --------------------------------------------------------------- */

size_t cs__hcl_num_text(double d, char *buf, size_t cap)
{
	char tmp[64];
	int n = 0;
	if (isnan(d))
		return (size_t)snprintf(buf, cap, "NaN");
	if (isinf(d))
		return (size_t)snprintf(buf, cap, d < 0 ? "-Inf" : "+Inf");
	for (int p = 1; p <= 17; p++) {
		n = snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	/* tmp is [-]D[.DDD]e[+-]XX: expand into plain decimal */
	const char *s = tmp;
	bool neg = *s == '-';
	if (neg)
		s++;
	char digits[32];
	size_t nd = 0;
	const char *e = strchr(s, 'e');
	for (const char *q = s; q < e; q++)
		if (*q != '.')
			digits[nd++] = *q;
	long exp = strtol(e + 1, NULL, 10);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	size_t o = 0;
	(void)n;
	if (neg && cap > 1)
		buf[o++] = '-';
	long point = exp + 1; /* digits before the decimal point */
	if (point <= 0) {
		buf[o++] = '0';
		buf[o++] = '.';
		for (long i = 0; i < -point && o + 2 < cap; i++)
			buf[o++] = '0';
		for (size_t i = 0; i < nd && o + 1 < cap; i++)
			buf[o++] = digits[i];
	} else {
		for (long i = 0; i < point && o + 1 < cap; i++)
			buf[o++] = (size_t)i < nd ? digits[i] : '0';
		if ((size_t)point < nd) {
			buf[o++] = '.';
			for (size_t i = (size_t)point; i < nd && o + 1 < cap; i++)
				buf[o++] = digits[i];
		}
	}
	buf[o] = 0;
	return o;
}

bool cs__hcl_parse_num(cs_str s, double *out)
{
	char buf[128];
	size_t i = 0;
	if (!s.len || s.len >= sizeof buf)
		return false;
	if (s.ptr[i] == '-' || s.ptr[i] == '+')
		i++;
	size_t digits = 0;
	while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9')
		i++, digits++;
	if (i < s.len && s.ptr[i] == '.') {
		i++;
		while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return false;
	if (i < s.len && (s.ptr[i] == 'e' || s.ptr[i] == 'E')) {
		i++;
		if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
			i++;
		size_t ed = 0;
		while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9')
			i++, ed++;
		if (!ed)
			return false;
	}
	if (i != s.len)
		return false;
	memcpy(buf, s.ptr, s.len);
	buf[s.len] = 0;
	errno = 0;
	double d = strtod(buf, NULL);
	if (isinf(d))
		return false;
	*out = d;
	return true;
}

/* ---- conversions -------------------------------------------------------------- */

bool cs__hcl_as_str(const cs_value *v, char *buf, cs_str *out)
{
	switch ((cs_vtype)v->type) {
	case CS_VSTRING:
		*out = v->u.s;
		return true;
	case CS_VNUMBER:
		out->len = cs__hcl_num_text(v->u.num.d, buf, 400);
		out->ptr = buf;
		return true;
	case CS_VBOOL:
		*out = v->u.b ? CS_STR_LIT("true") : CS_STR_LIT("false");
		return true;
	default:
		return false;
	}
}

cs_err cs__hcl_want_str(cs__hcl_call *c, size_t i, cs_str *out)
{
	char buf[400];
	const cs_value *v = c->args[i];
	if (!cs__hcl_as_str(v, buf, out))
		return cs__hcl_arg_err(c, i, "string required");
	if (out->ptr == buf) {
		char *p = cs_arena_strndup(c->arena, buf, out->len);
		if (!p)
			return cs__hcl_oom(c);
		out->ptr = p;
	}
	return CS_OK;
}

cs_err cs__hcl_want_num(cs__hcl_call *c, size_t i, double *out)
{
	const cs_value *v = c->args[i];
	if (v->type == CS_VNUMBER) {
		*out = v->u.num.d;
		return CS_OK;
	}
	if (v->type == CS_VSTRING) {
		if (cs__hcl_parse_num(v->u.s, out))
			return CS_OK;
		return cs__hcl_arg_err(c, i, "a number is required");
	}
	return cs__hcl_arg_err(c, i, "number required");
}

cs_err cs__hcl_want_int(cs__hcl_call *c, size_t i, int64_t *out)
{
	double d;
	cs_err rc = cs__hcl_want_num(c, i, &d);
	if (rc)
		return rc;
	if (d != floor(d))
		return cs__hcl_arg_err(c, i, "value must be a whole number");
	if (d < -9.2e18 || d > 9.2e18)
		return cs__hcl_arg_err(c, i, "value must fit in a 64-bit integer");
	*out = (int64_t)d;
	return CS_OK;
}

cs_err cs__hcl_want_bool(cs__hcl_call *c, size_t i, bool *out)
{
	const cs_value *v = c->args[i];
	if (v->type == CS_VBOOL) {
		*out = v->u.b;
		return CS_OK;
	}
	if (v->type == CS_VSTRING && (cs_str_eqc(v->u.s, "true") || cs_str_eqc(v->u.s, "false"))) {
		*out = cs_str_eqc(v->u.s, "true");
		return CS_OK;
	}
	return cs__hcl_arg_err(c, i, "bool required");
}

cs_err cs__hcl_want_list(cs__hcl_call *c, size_t i, const cs_value **out)
{
	const cs_value *v = c->args[i];
	if (v->type != CS_VARRAY)
		return cs__hcl_arg_err(c, i, "list of any single type required");
	*out = v;
	return CS_OK;
}

cs_err cs__hcl_want_map(cs__hcl_call *c, size_t i, const cs_value **out)
{
	const cs_value *v = c->args[i];
	if (v->type != CS_VOBJECT)
		return cs__hcl_arg_err(c, i, "map of any single type required");
	*out = v;
	return CS_OK;
}

cs_err cs__hcl_unify(cs__hcl_call *c, size_t i, cs_value ***items, size_t n)
{
	unsigned kinds = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned t = (*items)[k]->type;
		if (t != CS_VNULL && t != CS_VUNKNOWN)
			kinds |= 1u << t;
	}
	unsigned prim = (1u << CS_VSTRING) | (1u << CS_VNUMBER) | (1u << CS_VBOOL);
	if ((kinds & prim) && (kinds & ~prim))
		return cs__hcl_arg_err(c, i, "all arguments must have the same type");
	if (!(kinds & prim) || (kinds & (kinds - 1)) == 0)
		return CS_OK; /* one type, or only collections */
	cs_value **copy = cs_arena_alloc(c->arena, (n ? n : 1) * sizeof *copy);
	if (!copy)
		return cs__hcl_oom(c);
	for (size_t k = 0; k < n; k++) {
		cs_value *v = (*items)[k];
		char buf[400];
		cs_str s;
		if (v->type != CS_VSTRING && cs__hcl_as_str(v, buf, &s)) {
			v = cs__v_strdup(c->arena, s.ptr, s.len, v->line, v->col);
			if (!v)
				return cs__hcl_oom(c);
		}
		copy[k] = v;
	}
	*items = copy;
	return CS_OK;
}

/* ---- UTF-8 and grapheme clusters -------------------------------------------- */

uint32_t cs__hcl_utf8_next(const char *s, size_t len, size_t *adv)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp = u[0];
	size_t n = 1;
	if (cp >= 0xC0 && cp < 0xE0 && len >= 2 && (u[1] & 0xC0) == 0x80) {
		cp = ((cp & 0x1Fu) << 6) | (u[1] & 0x3Fu);
		n = 2;
	} else if (cp >= 0xE0 && cp < 0xF0 && len >= 3 && (u[1] & 0xC0) == 0x80 &&
		   (u[2] & 0xC0) == 0x80) {
		cp = ((cp & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
		n = 3;
	} else if (cp >= 0xF0 && cp < 0xF8 && len >= 4 && (u[1] & 0xC0) == 0x80 &&
		   (u[2] & 0xC0) == 0x80 && (u[3] & 0xC0) == 0x80) {
		cp = ((cp & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
		     (u[3] & 0x3Fu);
		n = 4;
	}
	*adv = n;
	return cp;
}

cs_err cs__hcl_utf8_put(cs_buf *b, uint32_t cp)
{
	char o[4];
	size_t n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return cs_buf_append(b, o, n);
}

/* Code points that extend the cluster before them. */
static bool extends(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
	       (cp >= 0x0591 && cp <= 0x05BD) || (cp >= 0x0610 && cp <= 0x061A) ||
	       (cp >= 0x064B && cp <= 0x065F) || (cp >= 0x0900 && cp <= 0x0903) ||
	       (cp >= 0x093A && cp <= 0x094F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || cp == 0x200C || cp == 0x200D ||
	       (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
	       (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

size_t cs__hcl_grapheme_len(const char *s, size_t len)
{
	size_t adv, o;
	if (!len)
		return 0;
	uint32_t first = cs__hcl_utf8_next(s, len, &adv);
	o = adv;
	if (first == '\r' && o < len && s[o] == '\n')
		return o + 1;
	if (first < 0x20 || first == 0x7F)
		return o;
	bool ri = first >= 0x1F1E6 && first <= 0x1F1FF, ri_done = false;
	uint32_t prev = first;
	while (o < len) {
		uint32_t cp = cs__hcl_utf8_next(s + o, len - o, &adv);
		if (extends(cp) || prev == 0x200D) {
			prev = cp;
			o += adv;
			continue;
		}
		if (ri && !ri_done && cp >= 0x1F1E6 && cp <= 0x1F1FF) {
			ri_done = true;
			prev = cp;
			o += adv;
			continue;
		}
		break;
	}
	return o;
}
