/* core/value.c - the immutable value tree: constructors (internal) and the
 * public accessors. */
#include <string.h>

#include "internal.h"

static cs_value *mk(cs_arena *a, cs_vtype t, uint32_t line, uint32_t col)
{
	cs_value *v = cs_arena_alloc(a, sizeof(*v));
	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = (uint8_t)t;
	v->line = line;
	v->col = col;
	return v;
}

cs_value *cs__v_null(cs_arena *a, uint32_t line, uint32_t col)
{
	return mk(a, CS_VNULL, line, col);
}

cs_value *cs__v_bool(cs_arena *a, bool b, uint32_t line, uint32_t col)
{
	cs_value *v = mk(a, CS_VBOOL, line, col);
	if (v)
		v->u.b = b;
	return v;
}

cs_value *cs__v_num(cs_arena *a, double d, cs_str raw, uint32_t line, uint32_t col)
{
	cs_value *v = mk(a, CS_VNUMBER, line, col);
	if (v) {
		v->u.num.d = d;
		v->u.num.raw = raw;
	}
	return v;
}

cs_value *cs__v_str(cs_arena *a, cs_str s, uint32_t line, uint32_t col)
{
	cs_value *v = mk(a, CS_VSTRING, line, col);
	if (v)
		v->u.s = s;
	return v;
}

cs_value *cs__v_strdup(cs_arena *a, const char *s, size_t len, uint32_t line, uint32_t col)
{
	char *p = cs_arena_strndup(a, s, len);
	if (!p)
		return NULL;
	return cs__v_str(a, (cs_str){ p, len }, line, col);
}

cs_value *cs__v_unknown(cs_arena *a, const char *reason, uint32_t line, uint32_t col)
{
	cs_value *v = mk(a, CS_VUNKNOWN, line, col);
	if (v)
		v->u.s = cs_str_c(reason);
	return v;
}

cs_value *cs__v_array(cs_arena *a, cs_value *const *items, size_t n, uint32_t line, uint32_t col)
{
	cs_value *v = mk(a, CS_VARRAY, line, col);
	if (!v)
		return NULL;
	if (n) {
		v->u.arr.v = cs_arena_alloc(a, n * sizeof(cs_value *));
		if (!v->u.arr.v)
			return NULL;
		memcpy(v->u.arr.v, items, n * sizeof(cs_value *));
	}
	v->u.arr.n = n;
	return v;
}

cs_value *cs__v_object(cs_arena *a, const cs_member *m, size_t n, uint32_t line, uint32_t col)
{
	cs_value *v = mk(a, CS_VOBJECT, line, col);
	if (!v)
		return NULL;
	if (n) {
		v->u.obj.m = cs_arena_alloc(a, n * sizeof(cs_member));
		if (!v->u.obj.m)
			return NULL;
		memcpy(v->u.obj.m, m, n * sizeof(cs_member));
	}
	v->u.obj.n = n;
	return v;
}

cs_value *cs__v_clone(cs_arena *a, const cs_value *src)
{
	cs_value *v = cs_arena_alloc(a, sizeof(*v));
	if (v)
		*v = *src;
	return v;
}

uint32_t cs__value_last_line(const cs_value *v)
{
	if (!v)
		return 0;
	uint32_t m = v->line;
	if (v->type == CS_VARRAY) {
		for (size_t i = 0; i < v->u.arr.n; i++) {
			uint32_t l = cs__value_last_line(v->u.arr.v[i]);
			if (l > m)
				m = l;
		}
	} else if (v->type == CS_VOBJECT) {
		for (size_t i = 0; i < v->u.obj.n; i++) {
			uint32_t l = cs__value_last_line(v->u.obj.m[i].val);
			if (l > m)
				m = l;
		}
	}
	return m;
}

bool cs__value_equal(const cs_value *a, const cs_value *b)
{
	if (!a || !b || a->type != b->type || a->type == CS_VUNKNOWN)
		return false;
	switch ((cs_vtype)a->type) {
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
			if (!cs__value_equal(a->u.arr.v[i], b->u.arr.v[i]))
				return false;
		return true;
	case CS_VOBJECT:
		if (a->u.obj.n != b->u.obj.n)
			return false;
		for (size_t i = 0; i < a->u.obj.n; i++) {
			const cs_value *o = cs_value_getn(b, a->u.obj.m[i].key.ptr, a->u.obj.m[i].key.len);
			if (!o || !cs__value_equal(a->u.obj.m[i].val, o))
				return false;
		}
		return true;
	case CS_VUNKNOWN:
		return false;
	}
	return false;
}

cs_vtype cs_value_type(const cs_value *v)
{
	return v ? (cs_vtype)v->type : CS_VNULL;
}

const char *cs_vtype_name(cs_vtype t)
{
	static const char *const names[] = { "null",  "boolean", "number", "string",
					     "array", "object",  "unknown" };
	return (unsigned)t < CS_ARRAY_SIZE(names) ? names[t] : "?";
}

uint32_t cs_value_line(const cs_value *v)
{
	return v ? v->line : 0;
}

uint32_t cs_value_col(const cs_value *v)
{
	return v ? v->col : 0;
}

const char *cs_value_tag(const cs_value *v)
{
	return v ? v->tag : NULL;
}

bool cs_value_bool(const cs_value *v)
{
	return v && v->type == CS_VBOOL && v->u.b;
}

double cs_value_num(const cs_value *v)
{
	return v && v->type == CS_VNUMBER ? v->u.num.d : 0.0;
}

cs_str cs_value_str(const cs_value *v)
{
	if (v && (v->type == CS_VSTRING || v->type == CS_VUNKNOWN))
		return v->u.s;
	if (v && v->type == CS_VNUMBER)
		return v->u.num.raw;
	return (cs_str){ "", 0 };
}

size_t cs_value_len(const cs_value *v)
{
	if (!v)
		return 0;
	if (v->type == CS_VARRAY)
		return v->u.arr.n;
	if (v->type == CS_VOBJECT)
		return v->u.obj.n;
	return 0;
}

const cs_value *cs_value_at(const cs_value *v, size_t i)
{
	if (v && v->type == CS_VARRAY && i < v->u.arr.n)
		return v->u.arr.v[i];
	if (v && v->type == CS_VOBJECT && i < v->u.obj.n)
		return v->u.obj.m[i].val;
	return NULL;
}

cs_str cs_value_key_at(const cs_value *v, size_t i)
{
	if (v && v->type == CS_VOBJECT && i < v->u.obj.n)
		return v->u.obj.m[i].key;
	return (cs_str){ "", 0 };
}

const cs_value *cs_value_getn(const cs_value *v, const char *key, size_t klen)
{
	if (!v || v->type != CS_VOBJECT)
		return NULL;
	for (size_t i = v->u.obj.n; i-- > 0;) {
		const cs_member *m = &v->u.obj.m[i];
		if (m->key.len == klen && memcmp(m->key.ptr, key, klen) == 0)
			return m->val;
	}
	return NULL;
}

const cs_value *cs_value_get(const cs_value *v, const char *key)
{
	return cs_value_getn(v, key, strlen(key));
}

bool cs__unknown_but_set(const cs_value *v)
{
	return v && v->type == CS_VUNKNOWN && (v->flags & CS_VF_SET);
}

bool cs__scalar_text(const cs_value *v, cs_str *out)
{
	switch ((cs_vtype)v->type) {
	case CS_VSTRING:
		*out = v->u.s;
		return true;
	case CS_VNUMBER:
		*out = v->u.num.raw;
		return true;
	case CS_VBOOL:
		*out = v->u.b ? CS_STR_LIT("true") : CS_STR_LIT("false");
		return true;
	default:
		return false;
	}
}
