/* core/spec.c - typed, located access to cshare's own YAML data files. */
#include <stdio.h>
#include <string.h>

#include "spec.h"

static void vreport(cs_spec *s, cs_severity sev, const cs_value *v, const char *fmt, va_list ap)
	CS_PRINTF(4, 0);

static void vreport(cs_spec *s, cs_severity sev, const cs_value *v, const char *fmt, va_list ap)
{
	char msg[768];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (sev == CS_SEV_ERROR)
		s->errors++;
	cs_diag_emit(s->diag, sev, CS_ECHECK, s->file, v ? v->line : 0, v ? v->col : 0, s->id,
		     "%s", msg);
}

void cs__spec_error(cs_spec *s, const cs_value *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(s, CS_SEV_ERROR, v, fmt, ap);
	va_end(ap);
}

void cs__spec_warn(cs_spec *s, const cs_value *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(s, CS_SEV_WARNING, v, fmt, ap);
	va_end(ap);
}

void cs__spec_only_keys(cs_spec *s, const cs_value *obj, const char *const *keys)
{
	if (!obj || obj->type != CS_VOBJECT)
		return;
	for (size_t i = 0; i < obj->u.obj.n; i++) {
		const cs_member *m = &obj->u.obj.m[i];
		bool ok = false;
		for (const char *const *k = keys; *k && !ok; k++)
			ok = cs_str_eqc(m->key, *k);
		if (!ok) {
			cs_value at = { 0 };
			at.line = m->line;
			at.col = m->col;
			cs__spec_error(s, &at, "unknown key '%.*s'", (int)m->key.len, m->key.ptr);
		}
	}
}

const char *cs__spec_text(cs_spec *s, const cs_value *v)
{
	if (!v)
		return NULL;
	switch ((cs_vtype)v->type) {
	case CS_VSTRING:
		return cs_arena_strndup(s->a, v->u.s.ptr, v->u.s.len);
	case CS_VNUMBER:
		return cs_arena_strndup(s->a, v->u.num.raw.ptr, v->u.num.raw.len);
	case CS_VBOOL:
		return v->u.b ? "true" : "false";
	default:
		return NULL;
	}
}

const char *cs__spec_str(cs_spec *s, const cs_value *obj, const char *key, bool required)
{
	const cs_value *v = cs_value_get(obj, key);
	if (!v || v->type == CS_VNULL) {
		if (required)
			cs__spec_error(s, obj, "missing required key '%s'", key);
		return NULL;
	}
	const char *t = cs__spec_text(s, v);
	if (!t)
		cs__spec_error(s, v, "'%s' must be a string, not %s", key,
			       cs_vtype_name((cs_vtype)v->type));
	return t;
}
