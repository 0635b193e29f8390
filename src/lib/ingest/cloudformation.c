/*
 * ingest/cloudformation.c - the CloudFormation adapter: recognizes a
 * template (JSON or YAML, already parsed), reads its Parameters, Mappings
 * and Conditions, and adds one raw resource per entry of Resources with its
 * Properties resolved as far as the template alone determines them.  The
 * intrinsic functions themselves are in cfn_intrinsics.c.
 *
 * Everything is best effort and located: a bad resource is diagnosed and
 * skipped, a bad expression becomes an unknown value, and only a template
 * whose Resources is not a mapping fails as a whole (CS_ETYPE).
 *
 * Resolution is copy on write: the props of a raw resource share every
 * subtree that has no intrinsic with the parsed document, so the document
 * must live in cs__ingest_arena(in) (or outlive the collector).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_internal.h"

const cs_value cs__cfn_novalue = { .type = CS_VNULL };

/* ---- helpers shared with cfn_intrinsics.c ------------------------------- */

void cs__cfn_diag(cfn *cx, cs_severity sev, const cs_value *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs_diag_emit(cx->diag, sev, sev == CS_SEV_ERROR ? CS_ETYPE : CS_OK, cx->file,
		     at ? at->line : 0, at ? at->col : 0, NULL, "%s", msg);
}

const cs_value *cs__cfn_oom(cfn *cx, const cs_value *at)
{
	if (cx->err)
		return NULL;
	cx->err = cs_arena_error(cx->a) == CS_ELIMIT ? CS_ELIMIT : CS_ENOMEM;
	if (cx->err == CS_ELIMIT)
		cs_diag_emit(cx->diag, CS_SEV_ERROR, CS_ELIMIT, cx->file, at ? at->line : 0,
			     at ? at->col : 0, NULL,
			     "CloudFormation template too large for the memory limit");
	return NULL;
}

const cs_value *cs__cfn_unknown(cfn *cx, const cs_value *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char *reason = cs_arena_strdup(cx->a, msg);
	const cs_value *v = reason ? cs__v_unknown(cx->a, reason, at->line, at->col) : NULL;
	return v ? v : cs__cfn_oom(cx, at);
}

/* ---- name index ----------------------------------------------------------- */

static cs_err index_build(cfn_index *ix, const cs_value *obj)
{
	memset(ix, 0, sizeof *ix);
	if (!obj || obj->type != CS_VOBJECT)
		return CS_OK;
	ix->obj = obj;
	size_t cap = 16;
	while (cap < obj->u.obj.n * 2)
		cap *= 2;
	ix->h = cs_calloc(cap, sizeof(size_t));
	if (!ix->h)
		return CS_ENOMEM;
	ix->cap = cap;
	for (size_t i = 0; i < obj->u.obj.n; i++) {
		cs_str k = obj->u.obj.m[i].key;
		size_t s = (size_t)cs__hash64(k.ptr, k.len, 0) & (cap - 1);
		while (ix->h[s] && !cs_str_eq(obj->u.obj.m[ix->h[s] - 1].key, k))
			s = (s + 1) & (cap - 1);
		ix->h[s] = i + 1; /* a later duplicate replaces the earlier one */
	}
	return CS_OK;
}

size_t cs__cfn_index_find(const cfn_index *ix, const char *key, size_t klen)
{
	if (!ix->cap)
		return SIZE_MAX;
	cs_str k = { key, klen };
	size_t s = (size_t)cs__hash64(key, klen, 0) & (ix->cap - 1);
	while (ix->h[s]) {
		if (cs_str_eq(ix->obj->u.obj.m[ix->h[s] - 1].key, k))
			return ix->h[s] - 1;
		s = (s + 1) & (ix->cap - 1);
	}
	return SIZE_MAX;
}

/* ---- parameters --------------------------------------------------------- */

/* Parses a whole string as a number (for Number parameters). */
static bool parse_number(cs_str s, double *d)
{
	char buf[64];
	if (!s.len || s.len >= sizeof buf)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		/* decimal only: no hex, inf, nan or spaces, which strtod takes */
		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
		      c == 'E'))
			return false;
		buf[i] = c;
	}
	buf[s.len] = 0;
	char *end = NULL;
	*d = strtod(buf, &end);
	return end == buf + s.len;
}

/* A list parameter's default split on commas; "each member string is
 * space-trimmed" (CloudFormation User Guide, Parameters, CommaDelimitedList).
 * Numbers for List<Number>. */
static const cs_value *split_list(cfn *cx, const cs_value *def, cs_str text, bool numbers,
				  const char *pname)
{
	cs_ptrvec items = { 0 };
	const cs_value *res = NULL;
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < text.len && text.ptr[j] != ',')
			j++;
		size_t b = i, e = j;
		while (b < e && text.ptr[b] == ' ')
			b++;
		while (e > b && text.ptr[e - 1] == ' ')
			e--;
		cs_value *item = cs__v_strdup(cx->a, text.ptr + b, e - b, def->line, def->col);
		double d;
		if (item && numbers) {
			if (parse_number(item->u.s, &d)) {
				item = cs__v_num(cx->a, d, item->u.s, def->line, def->col);
			} else {
				cs__cfn_diag(cx, CS_SEV_WARNING, def,
					     "parameter %s: default list element '%.*s' is not a "
					     "number",
					     pname, (int)(e - b), text.ptr + b);
			}
		}
		if (!item) {
			cs__cfn_oom(cx, def);
			goto out;
		}
		if (cs__ptrvec_push(&items, item)) {
			cx->err = CS_ENOMEM;
			goto out;
		}
		if (j >= text.len)
			break;
		i = j + 1;
	}
	res = cs__v_array(cx->a, (cs_value *const *)items.v, items.n, def->line, def->col);
	if (!res)
		cs__cfn_oom(cx, def);
out:
	cs__ptrvec_release(&items);
	return res;
}

static const cs_value *param_compute(cfn *cx, size_t idx)
{
	const cs_member *m = &cx->params.obj->u.obj.m[idx];
	const cs_value *p = m->val;
	char name[160];
	snprintf(name, sizeof name, "%.*s", (int)(m->key.len > 150 ? 150 : m->key.len),
		 m->key.ptr);
	if (p->type != CS_VOBJECT) {
		cs__cfn_diag(cx, CS_SEV_WARNING, p, "parameter %s is not a mapping", name);
		return cs__cfn_unknown(cx, p, "parameter %s is malformed", name);
	}
	const cs_value *type = cs_value_get(p, "Type");
	const cs_value *def = cs_value_get(p, "Default");
	cs_str t = type && type->type == CS_VSTRING ? type->u.s : CS_STR_LIT("String");
	if (!def)
		return cs__cfn_unknown(cx, p, "parameter %s has no default", name);
	if (t.len > 26 && memcmp(t.ptr, "AWS::SSM::Parameter::Value<", 27) == 0)
		return cs__cfn_unknown(cx, def,
				       "parameter %s is read from SSM Parameter Store at deployment",
				       name);
	bool is_list = cs_str_eqc(t, "CommaDelimitedList") ||
		       (t.len > 5 && memcmp(t.ptr, "List<", 5) == 0);
	cs_str text;
	if (is_list) {
		if (def->type == CS_VARRAY)
			return def;
		if (!cs__scalar_text(def, &text)) {
			cs__cfn_diag(cx, CS_SEV_WARNING, def,
				     "parameter %s: Default of a list parameter must be a string",
				     name);
			return cs__cfn_unknown(cx, def, "parameter %s has a malformed default",
					       name);
		}
		return split_list(cx, def, text, cs_str_eqc(t, "List<Number>"), name);
	}
	if (!cs__scalar_text(def, &text)) {
		cs__cfn_diag(cx, CS_SEV_WARNING, def, "parameter %s: Default must be a scalar",
			     name);
		return cs__cfn_unknown(cx, def, "parameter %s has a malformed default", name);
	}
	if (cs_str_eqc(t, "Number")) {
		double d;
		if (def->type == CS_VNUMBER)
			return def;
		if (parse_number(text, &d)) {
			const cs_value *v = cs__v_num(cx->a, d, text, def->line, def->col);
			return v ? v : cs__cfn_oom(cx, def);
		}
		cs__cfn_diag(cx, CS_SEV_WARNING, def,
			     "parameter %s: Default '%.*s' of a Number parameter is not a number",
			     name, (int)(text.len > 60 ? 60 : text.len), text.ptr);
		return cs__cfn_unknown(cx, def, "parameter %s has a malformed default", name);
	}
	if (def->type == CS_VSTRING)
		return def;
	const cs_value *v = cs__v_str(cx->a, text, def->line, def->col);
	return v ? v : cs__cfn_oom(cx, def);
}

const cs_value *cs__cfn_param_value(cfn *cx, size_t idx)
{
	if (!cx->pval[idx])
		cx->pval[idx] = param_compute(cx, idx);
	return cx->pval[idx];
}

/* ---- resources -------------------------------------------------------------- */

static bool type_like(cs_str t)
{
	/* Vendor::Service::Thing, or Custom::Name */
	size_t parts = 1, run = 0;
	if (t.len > 8 && memcmp(t.ptr, "Custom::", 8) == 0)
		return true;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (c == ':' && i + 1 < t.len && t.ptr[i + 1] == ':') {
			if (!run)
				return false;
			parts++;
			run = 0;
			i++;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-' || c == '_') {
			run++;
		} else {
			return false;
		}
	}
	return run && parts >= 3;
}

bool cs__cfn_detect(const cs_value *root)
{
	if (!root || root->type != CS_VOBJECT)
		return false;
	const cs_value *res = cs_value_get(root, "Resources");
	if (!res)
		return false;
	if (cs_value_get(root, "AWSTemplateFormatVersion"))
		return true;
	if (res->type != CS_VOBJECT)
		return false;
	for (size_t i = 0; i < res->u.obj.n; i++) {
		const cs_value *t = cs_value_get(res->u.obj.m[i].val, "Type");
		if (t && t->type == CS_VSTRING && type_like(t->u.s))
			return true;
	}
	return false;
}

static char *key_copy(cfn *cx, cs_str k)
{
	return cs_arena_strndup(cx->a, k.ptr, k.len);
}

/* Adds the resource of member m of Resources, or diagnoses why not. */
static cs_err one_resource(cfn *cx, const cs_member *m)
{
	const cs_value *def = m->val;
	int klen = (int)(m->key.len > 120 ? 120 : m->key.len);
	cs_value keyat = { .line = m->line, .col = m->col };
	if (m->key.len > 13 && memcmp(m->key.ptr, "Fn::ForEach::", 13) == 0) {
		cs__cfn_diag(cx, CS_SEV_NOTE, &keyat,
			     "%.*s: Fn::ForEach (AWS::LanguageExtensions) is not expanded; its "
			     "resources are not read",
			     klen, m->key.ptr);
		return CS_OK;
	}
	if (def->type != CS_VOBJECT) {
		cs__cfn_diag(cx, CS_SEV_ERROR, def, "resource %.*s is not a mapping (%s); skipped",
			     klen, m->key.ptr, cs_vtype_name((cs_vtype)def->type));
		return CS_OK;
	}
	const cs_value *type = cs_value_get(def, "Type");
	if (!type || type->type != CS_VSTRING || !type->u.s.len) {
		cs__cfn_diag(cx, CS_SEV_ERROR, type ? type : &keyat,
			     "resource %.*s has no Type string; skipped", klen, m->key.ptr);
		return CS_OK;
	}
	const cs_value *cond = cs_value_get(def, "Condition");
	if (cond) {
		if (cond->type != CS_VSTRING) {
			cs__cfn_diag(cx, CS_SEV_WARNING, cond,
				     "resource %.*s: Condition must be a condition name; ignored",
				     klen, m->key.ptr);
		} else if (cs__cfn_cond_named(cx, cond->u.s, cond) == CFN_FALSE) {
			return cx->err;
		}
	}
	if (cx->err)
		return cx->err;
	const cs_value *props = cs_value_get(def, "Properties");
	if (props) {
		props = cs__cfn_resolve(cx, props);
		if (!props)
			return cx->err;
		if (props == CFN_NOVALUE) {
			props = NULL;
		} else if (props->type != CS_VOBJECT && props->type != CS_VUNKNOWN) {
			cs__cfn_diag(cx, CS_SEV_ERROR, props,
				     "resource %.*s: Properties is not a mapping (%s)", klen,
				     m->key.ptr, cs_vtype_name((cs_vtype)props->type));
			props = cs__cfn_unknown(cx, props, "Properties is not a mapping");
			if (!props)
				return cx->err;
		}
	}
	cs_raw r;
	memset(&r, 0, sizeof r);
	r.format = "cloudformation";
	r.provider = "aws";
	r.file = cx->file;
	r.type = key_copy(cx, type->u.s);
	r.name = key_copy(cx, m->key);
	if (!r.type || !r.name) {
		cs__cfn_oom(cx, def);
		return cx->err;
	}
	r.line = m->line;
	r.col = m->col;
	r.end_line = cs__value_last_line(def);
	if (r.end_line < r.line)
		r.end_line = r.line;
	r.props = props;
	return cs__ingest_add(cx->in, &r);
}

/* Section `name` of the template if it is a mapping; otherwise a warning
 * and NULL. */
static const cs_value *section(cfn *cx, const cs_value *root, const char *name)
{
	const cs_value *s = cs_value_get(root, name);
	if (s && s->type != CS_VOBJECT) {
		if (s->type != CS_VNULL)
			cs__cfn_diag(cx, CS_SEV_WARNING, s, "%s is not a mapping (%s); ignored",
				     name, cs_vtype_name((cs_vtype)s->type));
		return NULL;
	}
	return s;
}

static void transform_note(cfn *cx, const cs_value *tr)
{
	cs_buf b;
	cs_buf_init(&b, 4096);
	size_t n = tr->type == CS_VARRAY ? tr->u.arr.n : 1;
	for (size_t i = 0; i < n; i++) {
		const cs_value *t = tr->type == CS_VARRAY ? tr->u.arr.v[i] : tr;
		const cs_value *nm = t->type == CS_VOBJECT ? cs_value_get(t, "Name") : t;
		cs_str s = nm && nm->type == CS_VSTRING ? nm->u.s : CS_STR_LIT("?");
		if ((i && cs_buf_puts(&b, ", ")) || cs_buf_append(&b, s.ptr, s.len))
			break;
	}
	cs__cfn_diag(cx, CS_SEV_NOTE, tr,
		     "template uses Transform %s: macros are not expanded; resources are read "
		     "as written",
		     b.data ? b.data : "?");
	cs_buf_release(&b);
}

cs_err cs__cfn_extract(cs_ingest *in, const char *file, const cs_value *root)
{
	cs_err rc = CS_OK;
	cfn cx;
	memset(&cx, 0, sizeof cx);
	cx.in = in;
	cx.a = cs__ingest_arena(in);
	cx.diag = cs__ingest_diag(in);
	cx.file = file ? cs_arena_strdup(cx.a, file) : NULL;
	if (file && !cx.file) {
		rc = cs_arena_error(cx.a) == CS_ELIMIT ? CS_ELIMIT : CS_ENOMEM;
		goto out;
	}
	if (!root || root->type != CS_VOBJECT) {
		cs__cfn_diag(&cx, CS_SEV_ERROR, root,
			     "CloudFormation template must be a mapping, not a %s",
			     cs_vtype_name(cs_value_type(root)));
		rc = CS_ETYPE;
		goto out;
	}
	const cs_value *res = cs_value_get(root, "Resources");
	if (!res || res->type != CS_VOBJECT) {
		cs__cfn_diag(&cx, CS_SEV_ERROR, res ? res : root,
			     res ? "CloudFormation Resources is not a mapping (%s)"
				 : "CloudFormation template has no Resources%s",
			     res ? cs_vtype_name((cs_vtype)res->type) : "");
		rc = CS_ETYPE;
		goto out;
	}
	const cs_value *tr = cs_value_get(root, "Transform");
	if (tr && tr->type != CS_VNULL) {
		cx.has_transform = true;
		transform_note(&cx, tr);
	}
	cx.mappings = section(&cx, root, "Mappings");
	if ((rc = index_build(&cx.params, section(&cx, root, "Parameters"))) ||
	    (rc = index_build(&cx.conds, section(&cx, root, "Conditions"))) ||
	    (rc = index_build(&cx.res, res)))
		goto out;
	size_t np = cs_value_len(cx.params.obj), nc = cs_value_len(cx.conds.obj);
	cx.pval = cs_calloc(np ? np : 1, sizeof(*cx.pval));
	cx.cstate = cs_calloc(nc ? nc : 1, 1);
	cx.cval = cs_calloc(nc ? nc : 1, 1);
	if (!cx.pval || !cx.cstate || !cx.cval) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < res->u.obj.n; i++) {
		/* a duplicate logical id: the last definition is the one CloudFormation
		 * would see (the parsers already warned) */
		if (cs__cfn_index_find(&cx.res, res->u.obj.m[i].key.ptr, res->u.obj.m[i].key.len) !=
		    i)
			continue;
		if ((rc = one_resource(&cx, &res->u.obj.m[i])))
			goto out;
	}
out:
	if (!rc && cx.err)
		rc = cx.err;
	cs_free(cx.params.h);
	cs_free(cx.conds.h);
	cs_free(cx.res.h);
	cs_free(cx.pval);
	cs_free(cx.cstate);
	cs_free(cx.cval);
	return rc;
}
