/*
 * ingest/cfn_intrinsics.c - CloudFormation intrinsic functions and
 * conditions, evaluated statically.
 *
 * Both spellings are read: the JSON/long form (a one-member mapping
 * {"Fn::Sub": ...}) and the YAML short form (a tag on the value: !Sub ...).
 * What the template alone decides (parameter defaults, mappings, literal
 * strings, conditions over those) is computed; everything else becomes an
 * unknown value whose reason says why, "ref:<LogicalId>[.Attr]" for the
 * value of another resource (see raw.h).  Results carry the location of
 * the expression they replace.  Recursion is bounded by CFN_MAX_DEPTH and
 * total work by CFN_MAX_WORK.
 *
 * Reference: AWS CloudFormation User Guide, "Intrinsic function reference"
 * and "Pseudo parameters reference".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_internal.h"
#include "cshare/json.h"

/* Short-form tags and the functions they stand for. */
static const struct {
	const char *tag, *fn;
} short_forms[] = {
	{ "!Ref", "Ref" },
	{ "!Condition", "Condition" },
	{ "!Base64", "Fn::Base64" },
	{ "!Cidr", "Fn::Cidr" },
	{ "!FindInMap", "Fn::FindInMap" },
	{ "!GetAtt", "Fn::GetAtt" },
	{ "!GetAZs", "Fn::GetAZs" },
	{ "!ImportValue", "Fn::ImportValue" },
	{ "!Join", "Fn::Join" },
	{ "!Select", "Fn::Select" },
	{ "!Split", "Fn::Split" },
	{ "!Sub", "Fn::Sub" },
	{ "!Transform", "Fn::Transform" },
	{ "!If", "Fn::If" },
	{ "!Equals", "Fn::Equals" },
	{ "!And", "Fn::And" },
	{ "!Or", "Fn::Or" },
	{ "!Not", "Fn::Not" },
	{ "!Length", "Fn::Length" },
	{ "!ToJsonString", "Fn::ToJsonString" },
};

/* Pseudo parameters whose values only exist at deployment. */
static const char *const pseudo_unknown[] = {
	"AWS::AccountId", "AWS::NotificationARNs", "AWS::Partition", "AWS::Region",
	"AWS::StackId",	  "AWS::StackName",	   "AWS::URLSuffix",
};

static const cs_value *resolve(cfn *cx, const cs_value *v);
static cfn_tri cond_eval(cfn *cx, const cs_value *v);

/* ---- small helpers ---------------------------------------------------------- */

#define SHOW(s) (int)((s).len > 100 ? 100 : (s).len), (s).ptr

/* The result r relocated to the expression `at` it replaces. */
static const cs_value *locate(cfn *cx, const cs_value *r, const cs_value *at)
{
	if (!r || r == CFN_NOVALUE || (r->line == at->line && r->col == at->col))
		return r;
	cs_value *c = cs__v_clone(cx->a, r);
	if (!c)
		return cs__cfn_oom(cx, at);
	c->line = at->line;
	c->col = at->col;
	return c;
}

static bool is_unknown(const cs_value *v)
{
	return v && v != CFN_NOVALUE && v->type == CS_VUNKNOWN;
}

/* Whether a resolved value contains an unknown anywhere. */
static bool has_unknown(const cs_value *v)
{
	if (v->type == CS_VUNKNOWN)
		return true;
	size_t n = cs_value_len(v);
	for (size_t i = 0; i < n; i++)
		if (has_unknown(cs_value_at(v, i)))
			return true;
	return false;
}

static const cs_value *new_str(cfn *cx, const char *s, size_t n, const cs_value *at)
{
	cs_value *v = cs__v_strdup(cx->a, s, n, at->line, at->col);
	return v ? v : cs__cfn_oom(cx, at);
}

/* An expression over an unknown value is unknown for the same reason,
 * except that "ref:" is only ever the whole value of a resource. */
static const cs_value *propagate(cfn *cx, const cs_value *u, const cs_value *at, const char *fn)
{
	if (u->u.s.len >= 4 && memcmp(u->u.s.ptr, "ref:", 4) == 0)
		return cs__cfn_unknown(cx, at, "%s over unknown %.*s", fn, SHOW(u->u.s));
	return locate(cx, u, at);
}

/* Gives a fresh unknown (made for this expression) the partly known text
 * in `b`, with holes; such a string is certainly set. */
static const cs_value *shaped(cfn *cx, const cs_value *u, const cs_buf *b)
{
	if (!u || u->type != CS_VUNKNOWN || !b->data)
		return u;
	cs_value *c = cs__v_clone(cx->a, u);
	char *shape = cs_arena_strndup(cx->a, b->data, b->len);
	if (!c || !shape)
		return cs__cfn_oom(cx, u);
	c->u.unk.shape = shape;
	c->flags |= CS_VF_SET;
	return c;
}

/* Argument-shape problems: a warning, and the expression is unknown. */
static const cs_value *bad_arg(cfn *cx, const cs_value *at, const char *fn, const char *what)
{
	cs__cfn_diag(cx, CS_SEV_WARNING, at, "%s: %s", fn, what);
	return cs__cfn_unknown(cx, at, "%s with malformed arguments", fn);
}

/* If v is a function call, returns the function's name and sets *arg.
 * `cond` also accepts {"Condition": name} (inside condition functions). */
static const char *call_of(cfn *cx, const cs_value *v, const cs_value **arg, bool cond)
{
	if (v->tag && v->tag[0] == '!') {
		for (size_t i = 0; i < CS_ARRAY_SIZE(short_forms); i++) {
			if (strcmp(v->tag, short_forms[i].tag) == 0) {
				cs_value *c = cs__v_clone(cx->a, v);
				if (!c) {
					cs__cfn_oom(cx, v);
					return NULL;
				}
				c->tag = NULL;
				*arg = c;
				return short_forms[i].fn;
			}
		}
		cs__cfn_diag(cx, CS_SEV_WARNING, v,
			     "unknown YAML tag %.60s (not a CloudFormation function); read as "
			     "plain data",
			     v->tag);
		return NULL;
	}
	if (v->type != CS_VOBJECT || v->u.obj.n != 1)
		return NULL;
	cs_str k = v->u.obj.m[0].key;
	*arg = v->u.obj.m[0].val;
	if (cs_str_eqc(k, "Ref"))
		return "Ref";
	if (cond && cs_str_eqc(k, "Condition"))
		return "Condition";
	if (k.len > 4 && memcmp(k.ptr, "Fn::", 4) == 0) {
		for (size_t i = 0; i < CS_ARRAY_SIZE(short_forms); i++)
			if (cs_str_eqc(k, short_forms[i].fn))
				return short_forms[i].fn;
		return "Fn::?";
	}
	return NULL;
}

/* Element i of a resolved argument list, or NULL. */
static const cs_value *arg_at(const cs_value *args, size_t i)
{
	return args->type == CS_VARRAY && i < args->u.arr.n ? args->u.arr.v[i] : NULL;
}

/* ---- references ---------------------------------------------------------- */

/* Marks an unknown as certainly set (a resource's Ref or attribute, a
 * pseudo parameter): its content is unknown, but it is never empty. */
static const cs_value *set_unknown(const cs_value *u)
{
	if (u && u->type == CS_VUNKNOWN)
		((cs_value *)u)->flags |= CS_VF_SET;
	return u;
}

static bool is_resource(cfn *cx, cs_str name)
{
	return cs__cfn_index_find(&cx->res, name.ptr, name.len) != SIZE_MAX;
}

/* The value of Ref <name> (also ${name} in Fn::Sub), located at `at`. */
static const cs_value *ref_name(cfn *cx, cs_str name, const cs_value *at)
{
	if (cs_str_eqc(name, "AWS::NoValue"))
		return CFN_NOVALUE;
	for (size_t i = 0; i < CS_ARRAY_SIZE(pseudo_unknown); i++)
		if (cs_str_eqc(name, pseudo_unknown[i]))
			return set_unknown(cs__cfn_unknown(
				cx, at, "pseudo parameter %s is only known at deployment",
				pseudo_unknown[i]));
	size_t p = cs__cfn_index_find(&cx->params, name.ptr, name.len);
	if (p != SIZE_MAX)
		return locate(cx, cs__cfn_param_value(cx, p), at);
	if (is_resource(cx, name))
		return set_unknown(cs__cfn_unknown(cx, at, "ref:%.*s", (int)name.len, name.ptr));
	cs__cfn_diag(cx, cx->has_transform ? CS_SEV_NOTE : CS_SEV_ERROR, at,
		     "Ref to '%.*s', which is not a parameter, pseudo parameter or resource%s",
		     SHOW(name), cx->has_transform ? " (it may come from the Transform)" : "");
	return cs__cfn_unknown(cx, at, "Ref to undefined %.*s", SHOW(name));
}

static const cs_value *getatt(cfn *cx, cs_str res, cs_str attr, const cs_value *at)
{
	if (!res.len || !attr.len)
		return bad_arg(cx, at, "Fn::GetAtt", "needs a logical id and an attribute name");
	if (!is_resource(cx, res))
		cs__cfn_diag(cx, cx->has_transform ? CS_SEV_NOTE : CS_SEV_ERROR, at,
			     "Fn::GetAtt on '%.*s', which is not a resource%s", SHOW(res),
			     cx->has_transform ? " (it may come from the Transform)" : "");
	if (!is_resource(cx, res)) /* maybe made by a Transform: not certainly set */
		return cs__cfn_unknown(cx, at, "ref:%.*s.%.*s", (int)res.len, res.ptr,
				       (int)attr.len, attr.ptr);
	return set_unknown(cs__cfn_unknown(cx, at, "ref:%.*s.%.*s", (int)res.len, res.ptr,
					   (int)attr.len, attr.ptr));
}

/* ---- functions ------------------------------------------------------------- */

static const cs_value *fn_ref(cfn *cx, const cs_value *arg, const cs_value *at)
{
	if (arg->type != CS_VSTRING) {
		const cs_value *r = resolve(cx, arg);
		if (!r || is_unknown(r))
			return r ? cs__cfn_unknown(cx, at, "Ref to an unknown name") : NULL;
		if (r == CFN_NOVALUE || r->type != CS_VSTRING)
			return bad_arg(cx, at, "Ref", "needs a name");
		arg = r;
	}
	return ref_name(cx, arg->u.s, at);
}

static const cs_value *fn_getatt(cfn *cx, const cs_value *arg, const cs_value *at)
{
	if (arg->type == CS_VSTRING) {
		const char *dot = memchr(arg->u.s.ptr, '.', arg->u.s.len);
		if (!dot)
			return bad_arg(cx, at, "Fn::GetAtt", "needs LogicalId.Attribute");
		size_t n = (size_t)(dot - arg->u.s.ptr);
		return getatt(cx, (cs_str){ arg->u.s.ptr, n },
			      (cs_str){ dot + 1, arg->u.s.len - n - 1 }, at);
	}
	const cs_value *a0 = arg_at(arg, 0), *a1 = arg_at(arg, 1);
	if (!a0 || !a1 || arg->u.arr.n != 2 || a0->type != CS_VSTRING)
		return bad_arg(cx, at, "Fn::GetAtt", "needs [LogicalId, Attribute]");
	const cs_value *attr = resolve(cx, a1);
	if (!attr)
		return NULL;
	if (is_unknown(attr))
		return set_unknown(cs__cfn_unknown(cx, at, "ref:%.*s", (int)a0->u.s.len, a0->u.s.ptr));
	if (attr == CFN_NOVALUE || attr->type != CS_VSTRING)
		return bad_arg(cx, at, "Fn::GetAtt", "attribute name must be a string");
	return getatt(cx, a0->u.s, attr->u.s, at);
}

/* Appends text to b; past CFN_MAX_STRING is a limit error. */
static bool put(cfn *cx, cs_buf *b, const char *s, size_t n, const cs_value *at)
{
	cs_err e = cs_buf_append(b, s, n);
	if (e == CS_ELIMIT && !cx->err) {
		cs__cfn_diag(cx, CS_SEV_ERROR, at, "string built by an intrinsic exceeds %zu bytes",
			     CFN_MAX_STRING);
		cx->err = CS_ELIMIT;
	} else if (e && !cx->err) {
		cx->err = e;
	}
	cx->work += n / 64;
	return e == CS_OK;
}

/* The value of ${name} inside Fn::Sub. */
static const cs_value *sub_var(cfn *cx, cs_str name, const cs_value *vars, const cs_value *at)
{
	const cs_value *v = vars ? cs_value_getn(vars, name.ptr, name.len) : NULL;
	cx->work += cs_value_len(vars) / 8; /* linear lookups count as work */
	if (v)
		return locate(cx, v, at);
	const char *dot = memchr(name.ptr, '.', name.len);
	if (dot && !(name.len > 5 && memcmp(name.ptr, "AWS::", 5) == 0)) {
		size_t n = (size_t)(dot - name.ptr);
		return getatt(cx, (cs_str){ name.ptr, n }, (cs_str){ dot + 1, name.len - n - 1 }, at);
	}
	return ref_name(cx, name, at);
}

static const cs_value *fn_sub(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *tmpl = arg, *vars = NULL, *res = NULL, *first_unknown = NULL;
	cs_str first_name = { 0 };
	size_t nvars = 0;
	cs_buf b;
	cs_buf_init(&b, CFN_MAX_STRING);
	if (arg->type == CS_VARRAY) {
		tmpl = arg_at(arg, 0);
		const cs_value *m = arg_at(arg, 1);
		if (!tmpl || !m || arg->u.arr.n != 2 || m->type != CS_VOBJECT) {
			res = bad_arg(cx, at, "Fn::Sub", "needs a string or [string, {variables}]");
			goto out;
		}
		if (!(vars = resolve(cx, m)))
			goto out;
		if (vars == CFN_NOVALUE || vars->type != CS_VOBJECT)
			vars = NULL;
	}
	if (tmpl->type != CS_VSTRING) {
		res = bad_arg(cx, at, "Fn::Sub", "the template must be a string");
		goto out;
	}
	cs_str s = tmpl->u.s;
	size_t i = 0;
	while (i < s.len) {
		const char *d = NULL;
		for (size_t j = i; j + 1 < s.len; j++) {
			if (s.ptr[j] == '$' && s.ptr[j + 1] == '{') {
				d = s.ptr + j;
				break;
			}
		}
		size_t lit = d ? (size_t)(d - s.ptr) - i : s.len - i;
		if (!put(cx, &b, s.ptr + i, lit, at))
			goto out;
		i += lit;
		if (!d)
			break;
		if (i + 2 < s.len && s.ptr[i + 2] == '!') {
			/* ${!Literal} is written as ${Literal} */
			if (!put(cx, &b, "${", 2, at))
				goto out;
			i += 3;
			continue;
		}
		const char *close = memchr(s.ptr + i + 2, '}', s.len - i - 2);
		if (!close) {
			if (!put(cx, &b, s.ptr + i, s.len - i, at))
				goto out;
			break;
		}
		cs_str name = { s.ptr + i + 2, (size_t)(close - s.ptr) - i - 2 };
		i = (size_t)(close - s.ptr) + 1;
		nvars++;
		const cs_value *v = sub_var(cx, name, vars, at);
		cs_str text;
		if (!v)
			goto out;
		if (v == CFN_NOVALUE)
			continue;
		if (v->type == CS_VUNKNOWN) {
			if (!first_unknown) {
				first_unknown = v;
				first_name = name;
			}
			char hole = (v->flags & CS_VF_SET) ? CS_HOLE_TOKEN : CS_HOLE_ANY;
			if (!put(cx, &b, &hole, 1, at))
				goto out;
		} else if (!cs__scalar_text(v, &text)) {
			cs__cfn_diag(cx, CS_SEV_WARNING, at,
				     "Fn::Sub: ${%.*s} is not a string (%s)", SHOW(name),
				     cs_vtype_name((cs_vtype)v->type));
			if (!first_unknown &&
			    !(first_unknown = cs__cfn_unknown(cx, at, "not a string")))
				goto out;
			first_name = name;
		} else if (!put(cx, &b, text.ptr, text.len, at)) {
			goto out;
		}
	}
	if (first_unknown) {
		/* "${Bucket}" alone is the value of Bucket itself */
		if (nvars == 1 && s.len == first_name.len + 3)
			res = first_unknown;
		else
			res = shaped(cx, cs__cfn_unknown(cx, at, "Fn::Sub over unknown ${%.*s} (%.*s)",
							 SHOW(first_name), SHOW(first_unknown->u.s)),
				     &b);
		goto out;
	}
	res = new_str(cx, b.data ? b.data : "", b.len, at);
out:
	cs_buf_release(&b);
	return res;
}

static const cs_value *fn_join(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *res = NULL;
	cs_buf b;
	cs_buf_init(&b, CFN_MAX_STRING);
	const cs_value *args = resolve(cx, arg);
	if (!args)
		goto out;
	const cs_value *delim = arg_at(args, 0), *list = arg_at(args, 1);
	if (is_unknown(delim) || is_unknown(list)) {
		res = propagate(cx, is_unknown(delim) ? delim : list, at, "Fn::Join");
		goto out;
	}
	if (!delim || !list || args->u.arr.n != 2 || delim->type != CS_VSTRING ||
	    list->type != CS_VARRAY) {
		res = bad_arg(cx, at, "Fn::Join", "needs [delimiter, [values]]");
		goto out;
	}
	const cs_value *first_unknown = NULL;
	for (size_t i = 0; i < list->u.arr.n; i++) {
		const cs_value *e = list->u.arr.v[i];
		cs_str text;
		if (i && !put(cx, &b, delim->u.s.ptr, delim->u.s.len, at))
			goto out;
		if (e->type == CS_VUNKNOWN) {
			char hole = (e->flags & CS_VF_SET) ? CS_HOLE_TOKEN : CS_HOLE_ANY;
			if (!first_unknown)
				first_unknown = e;
			if (!put(cx, &b, &hole, 1, at))
				goto out;
			continue;
		}
		if (!cs__scalar_text(e, &text)) {
			res = bad_arg(cx, e, "Fn::Join", "list elements must be strings");
			goto out;
		}
		if (!put(cx, &b, text.ptr, text.len, at))
			goto out;
	}
	if (first_unknown) {
		res = list->u.arr.n == 1 ? propagate(cx, first_unknown, at, "Fn::Join")
					 : shaped(cx, propagate(cx, first_unknown, at, "Fn::Join"), &b);
		goto out;
	}
	res = new_str(cx, b.data ? b.data : "", b.len, at);
out:
	cs_buf_release(&b);
	return res;
}

static const cs_value *fn_select(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *args = resolve(cx, arg);
	if (!args)
		return NULL;
	const cs_value *idx = arg_at(args, 0), *list = arg_at(args, 1);
	if (!idx || !list || args->u.arr.n != 2)
		return bad_arg(cx, at, "Fn::Select", "needs [index, [values]]");
	if (is_unknown(idx) || is_unknown(list))
		return propagate(cx, is_unknown(idx) ? idx : list, at, "Fn::Select");
	double d = -1;
	cs_str t;
	if (idx->type == CS_VNUMBER) {
		d = idx->u.num.d;
	} else if (idx->type == CS_VSTRING && idx->u.s.len && idx->u.s.len < 12) {
		t = idx->u.s;
		d = 0;
		for (size_t i = 0; i < t.len; i++)
			d = (t.ptr[i] >= '0' && t.ptr[i] <= '9') && d >= 0 ? d * 10 + (t.ptr[i] - '0')
									    : -1;
	}
	if (list->type != CS_VARRAY || !(d >= 0) || d != (double)(size_t)d)
		return bad_arg(cx, at, "Fn::Select", "needs a whole-number index and a list");
	if (d >= (double)list->u.arr.n) {
		cs__cfn_diag(cx, CS_SEV_WARNING, at,
			     "Fn::Select: index %.0f is out of range (the list has %zu elements)",
			     d, list->u.arr.n);
		return cs__cfn_unknown(cx, at, "Fn::Select index out of range");
	}
	return locate(cx, list->u.arr.v[(size_t)d], at);
}

static const cs_value *fn_split(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *res = NULL;
	cs_ptrvec items = { 0 };
	const cs_value *args = resolve(cx, arg);
	if (!args)
		goto out;
	const cs_value *delim = arg_at(args, 0), *src = arg_at(args, 1);
	if (is_unknown(delim) || is_unknown(src)) {
		res = propagate(cx, is_unknown(delim) ? delim : src, at, "Fn::Split");
		goto out;
	}
	if (!delim || !src || args->u.arr.n != 2 || delim->type != CS_VSTRING ||
	    !delim->u.s.len || src->type != CS_VSTRING) {
		res = bad_arg(cx, at, "Fn::Split", "needs [delimiter, string]");
		goto out;
	}
	cs_str s = src->u.s, dl = delim->u.s;
	size_t i = 0, start = 0;
	for (;;) {
		bool end = i + dl.len > s.len;
		if (end || memcmp(s.ptr + i, dl.ptr, dl.len) == 0) {
			const cs_value *e = new_str(cx, s.ptr + start, (end ? s.len : i) - start, at);
			if (!e)
				goto out;
			if (cs__ptrvec_push(&items, (void *)e)) {
				cx->err = CS_ENOMEM;
				goto out;
			}
			cx->work++;
			if (end)
				break;
			i += dl.len;
			start = i;
		} else {
			i++;
		}
	}
	res = cs__v_array(cx->a, (cs_value *const *)items.v, items.n, at->line, at->col);
	if (!res)
		cs__cfn_oom(cx, at);
out:
	cs__ptrvec_release(&items);
	return res;
}

static const cs_value *fn_findinmap(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *args = resolve(cx, arg);
	if (!args)
		return NULL;
	if (args->type != CS_VARRAY || args->u.arr.n < 3 || args->u.arr.n > 4)
		return bad_arg(cx, at, "Fn::FindInMap", "needs [MapName, TopLevelKey, SecondLevelKey]");
	cs_str key[3];
	const cs_value *defv = NULL;
	if (args->u.arr.n == 4) {
		/* AWS::LanguageExtensions: {DefaultValue: x} */
		defv = cs_value_get(args->u.arr.v[3], "DefaultValue");
	}
	for (size_t i = 0; i < 3; i++) {
		const cs_value *k = args->u.arr.v[i];
		if (k->type == CS_VUNKNOWN)
			return propagate(cx, k, at, "Fn::FindInMap");
		if (!cs__scalar_text(k, &key[i]))
			return bad_arg(cx, at, "Fn::FindInMap", "keys must be strings");
	}
	const cs_value *map = cx->mappings ? cs_value_getn(cx->mappings, key[0].ptr, key[0].len)
					   : NULL;
	const cs_value *top = map ? cs_value_getn(map, key[1].ptr, key[1].len) : NULL;
	const cs_value *v = top ? cs_value_getn(top, key[2].ptr, key[2].len) : NULL;
	cx->work += (cs_value_len(cx->mappings) + cs_value_len(map) + cs_value_len(top)) / 8;
	if (v)
		return locate(cx, v, at);
	if (defv)
		return locate(cx, defv, at);
	if (!map)
		cs__cfn_diag(cx, CS_SEV_ERROR, at, "Fn::FindInMap: no mapping '%.*s' in Mappings",
			     SHOW(key[0]));
	else
		cs__cfn_diag(cx, CS_SEV_WARNING, at,
			     "Fn::FindInMap: mapping %.*s has no entry %.*s/%.*s", SHOW(key[0]),
			     SHOW(key[1]), SHOW(key[2]));
	return cs__cfn_unknown(cx, at, "Fn::FindInMap entry not found");
}

static const cs_value *fn_if(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *c = arg_at(arg, 0);
	if (!c || arg->u.arr.n != 3 || c->type != CS_VSTRING)
		return bad_arg(cx, at, "Fn::If", "needs [ConditionName, ValueIfTrue, ValueIfFalse]");
	cfn_tri t = cs__cfn_cond_named(cx, c->u.s, c);
	if (cx->err)
		return NULL;
	if (t == CFN_TRUE)
		return locate(cx, resolve(cx, arg->u.arr.v[1]), at);
	if (t == CFN_FALSE)
		return locate(cx, resolve(cx, arg->u.arr.v[2]), at);
	const cs_value *a = resolve(cx, arg->u.arr.v[1]);
	const cs_value *b = a ? resolve(cx, arg->u.arr.v[2]) : NULL;
	if (!b)
		return NULL;
	if (a == CFN_NOVALUE && b == CFN_NOVALUE)
		return CFN_NOVALUE;
	if (a != CFN_NOVALUE && b != CFN_NOVALUE && cs__value_equal(a, b))
		return locate(cx, a, at);
	return cs__cfn_unknown(cx, at, "Fn::If on condition %.*s, which is not known",
			       SHOW(c->u.s));
}

static const cs_value *fn_base64(cfn *cx, const cs_value *arg, const cs_value *at)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const cs_value *v = resolve(cx, arg);
	cs_str s;
	if (!v)
		return NULL;
	if (is_unknown(v))
		return propagate(cx, v, at, "Fn::Base64");
	if (v == CFN_NOVALUE || !cs__scalar_text(v, &s))
		return bad_arg(cx, at, "Fn::Base64", "needs a string");
	if (s.len > CFN_MAX_STRING / 2)
		return bad_arg(cx, at, "Fn::Base64", "string too long");
	size_t n = (s.len + 2) / 3 * 4;
	char *out = cs_arena_alloc(cx->a, n + 1);
	if (!out)
		return cs__cfn_oom(cx, at);
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t o = 0;
	for (size_t i = 0; i < s.len; i += 3) {
		unsigned x = (unsigned)p[i] << 16;
		if (i + 1 < s.len)
			x |= (unsigned)p[i + 1] << 8;
		if (i + 2 < s.len)
			x |= p[i + 2];
		out[o++] = tab[(x >> 18) & 63];
		out[o++] = tab[(x >> 12) & 63];
		out[o++] = i + 1 < s.len ? tab[(x >> 6) & 63] : '=';
		out[o++] = i + 2 < s.len ? tab[x & 63] : '=';
	}
	out[o] = 0;
	cx->work += n / 64;
	const cs_value *r = cs__v_str(cx->a, (cs_str){ out, n }, at->line, at->col);
	return r ? r : cs__cfn_oom(cx, at);
}

static bool whole_number(const cs_value *v, unsigned max, unsigned *out)
{
	cs_str t;
	double d = -1;
	if (v->type == CS_VNUMBER) {
		d = v->u.num.d;
	} else if (v->type == CS_VSTRING && cs__scalar_text(v, &t) && t.len && t.len < 5) {
		d = 0;
		for (size_t i = 0; i < t.len; i++)
			d = t.ptr[i] >= '0' && t.ptr[i] <= '9' && d >= 0 ? d * 10 + (t.ptr[i] - '0')
									 : -1;
	}
	if (!(d >= 0 && d <= max) || d != (double)(unsigned)d)
		return false;
	*out = (unsigned)d;
	return true;
}

/* Fn::Cidr [ipBlock, count, cidrBits]: `count` consecutive blocks of
 * cidrBits host bits (mask /(32 - cidrBits) or /(128 - cidrBits)) from the
 * start of ipBlock. */
static const cs_value *fn_cidr(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *res = NULL;
	cs_ptrvec items = { 0 };
	const cs_value *args = resolve(cx, arg);
	if (!args)
		goto out;
	const cs_value *blk = arg_at(args, 0), *cnt = arg_at(args, 1), *bits = arg_at(args, 2);
	if (is_unknown(blk) || is_unknown(cnt) || is_unknown(bits)) {
		const cs_value *u = is_unknown(blk) ? blk : is_unknown(cnt) ? cnt : bits;
		res = propagate(cx, u, at, "Fn::Cidr");
		goto out;
	}
	unsigned char ip[16];
	unsigned prefix, count, hbits;
	bool v6;
	if (!blk || !cnt || !bits || args->u.arr.n != 3 || blk->type != CS_VSTRING ||
	    !cs__cfn_parse_cidr(blk->u.s, ip, &prefix, &v6) || !whole_number(cnt, 256, &count) ||
	    !count || !whole_number(bits, v6 ? 128 : 32, &hbits)) {
		res = bad_arg(cx, at, "Fn::Cidr",
			      "needs [\"a.b.c.d/n\" or IPv6 block, count 1-256, cidrBits]");
		goto out;
	}
	unsigned total = v6 ? 128 : 32, newp = total - hbits;
	if (newp < prefix || (newp - prefix < 9 && count > (1u << (newp - prefix)))) {
		res = bad_arg(cx, at, "Fn::Cidr", "the block is too small for that many subnets");
		goto out;
	}
	/* network address of the block */
	for (unsigned bit = (v6 ? 0 : 96) + prefix; bit < 128; bit++)
		ip[bit / 8] &= (unsigned char)~(0x80u >> (bit % 8));
	for (unsigned k = 0; k < count; k++) {
		char text[64];
		if (v6) {
			cs__cfn_ipv6_text(ip, text, sizeof text);
			size_t o = strlen(text);
			snprintf(text + o, sizeof text - o, "/%u", newp);
		} else {
			snprintf(text, sizeof text, "%u.%u.%u.%u/%u", ip[12], ip[13], ip[14], ip[15],
				 newp);
		}
		const cs_value *e = new_str(cx, text, strlen(text), at);
		if (!e)
			goto out;
		if (cs__ptrvec_push(&items, (void *)e)) {
			cx->err = CS_ENOMEM;
			goto out;
		}
		/* next block: add 1 at bit position (newp - 1), counted from the top */
		unsigned bit = (v6 ? 0 : 96) + newp - 1;
		for (int byte = (int)(bit / 8), carry = 0x80 >> (bit % 8); byte >= 0 && carry;
		     byte--) {
			unsigned sum = ip[byte] + (unsigned)carry;
			ip[byte] = (unsigned char)sum;
			carry = (int)(sum >> 8);
		}
	}
	res = cs__v_array(cx->a, (cs_value *const *)items.v, items.n, at->line, at->col);
	if (!res)
		cs__cfn_oom(cx, at);
out:
	cs__ptrvec_release(&items);
	return res;
}

static const cs_value *fn_length(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *v = resolve(cx, arg);
	if (!v)
		return NULL;
	if (is_unknown(v))
		return propagate(cx, v, at, "Fn::Length");
	if (v == CFN_NOVALUE || v->type != CS_VARRAY)
		return bad_arg(cx, at, "Fn::Length", "needs a list");
	char *raw = cs_arena_printf(cx->a, "%zu", v->u.arr.n);
	cs_value *r = raw ? cs__v_num(cx->a, (double)v->u.arr.n, cs_str_c(raw), at->line, at->col)
			  : NULL;
	if (r)
		r->flags |= CS_VF_INT;
	return r ? r : cs__cfn_oom(cx, at);
}

static const cs_value *fn_tojson(cfn *cx, const cs_value *arg, const cs_value *at)
{
	const cs_value *v = resolve(cx, arg), *res = NULL;
	cs_buf b;
	cs_buf_init(&b, CFN_MAX_STRING);
	if (!v)
		goto out;
	if (v == CFN_NOVALUE || (v->type != CS_VOBJECT && v->type != CS_VARRAY)) {
		res = bad_arg(cx, at, "Fn::ToJsonString", "needs a mapping or a list");
		goto out;
	}
	if (has_unknown(v)) {
		res = cs__cfn_unknown(cx, at, "Fn::ToJsonString of a value with unknown parts");
		goto out;
	}
	cs_err e = cs_json_write_value(&b, v);
	if (e) {
		res = e == CS_ELIMIT ? bad_arg(cx, at, "Fn::ToJsonString", "result too long") : NULL;
		if (e != CS_ELIMIT)
			cx->err = e;
		goto out;
	}
	res = new_str(cx, b.data, b.len, at);
out:
	cs_buf_release(&b);
	return res;
}

/* ---- conditions -------------------------------------------------------------- */

static bool text_equal(const cs_value *a, const cs_value *b)
{
	cs_str x, y;
	if (cs__scalar_text(a, &x) && cs__scalar_text(b, &y))
		return cs_str_eq(x, y);
	return cs__value_equal(a, b);
}

static cfn_tri cond_list(cfn *cx, const char *fn, const cs_value *arg, const cs_value *at)
{
	bool is_and = strcmp(fn, "Fn::And") == 0;
	if (arg->type != CS_VARRAY || arg->u.arr.n < 1) {
		cs__cfn_diag(cx, CS_SEV_WARNING, at, "%s needs a list of conditions", fn);
		return CFN_UNKNOWN;
	}
	cfn_tri r = is_and ? CFN_TRUE : CFN_FALSE;
	for (size_t i = 0; i < arg->u.arr.n && !cx->err; i++) {
		cfn_tri t = cond_eval(cx, arg->u.arr.v[i]);
		if (is_and && t == CFN_FALSE)
			r = CFN_FALSE;
		else if (!is_and && t == CFN_TRUE)
			r = CFN_TRUE;
		else if (t == CFN_UNKNOWN && r != (is_and ? CFN_FALSE : CFN_TRUE))
			r = CFN_UNKNOWN;
	}
	return r;
}

static cfn_tri cond_call(cfn *cx, const char *fn, const cs_value *arg, const cs_value *at)
{
	if (strcmp(fn, "Condition") == 0) {
		if (arg->type != CS_VSTRING) {
			cs__cfn_diag(cx, CS_SEV_WARNING, at, "Condition needs a condition name");
			return CFN_UNKNOWN;
		}
		return cs__cfn_cond_named(cx, arg->u.s, at);
	}
	if (strcmp(fn, "Fn::Equals") == 0) {
		if (arg->type != CS_VARRAY || arg->u.arr.n != 2) {
			cs__cfn_diag(cx, CS_SEV_WARNING, at, "Fn::Equals needs [value, value]");
			return CFN_UNKNOWN;
		}
		const cs_value *a = resolve(cx, arg->u.arr.v[0]);
		const cs_value *b = a ? resolve(cx, arg->u.arr.v[1]) : NULL;
		if (!b || a == CFN_NOVALUE || b == CFN_NOVALUE || has_unknown(a) || has_unknown(b))
			return CFN_UNKNOWN;
		return text_equal(a, b) ? CFN_TRUE : CFN_FALSE;
	}
	if (strcmp(fn, "Fn::And") == 0 || strcmp(fn, "Fn::Or") == 0)
		return cond_list(cx, fn, arg, at);
	if (strcmp(fn, "Fn::Not") == 0) {
		if (arg->type != CS_VARRAY || arg->u.arr.n != 1) {
			cs__cfn_diag(cx, CS_SEV_WARNING, at, "Fn::Not needs [condition]");
			return CFN_UNKNOWN;
		}
		cfn_tri t = cond_eval(cx, arg->u.arr.v[0]);
		return t == CFN_UNKNOWN ? t : t == CFN_TRUE ? CFN_FALSE : CFN_TRUE;
	}
	cs__cfn_diag(cx, CS_SEV_WARNING, at, "%s is not a condition function",
		     strcmp(fn, "Fn::?") ? fn : "this");
	return CFN_UNKNOWN;
}

static cfn_tri cond_eval(cfn *cx, const cs_value *v)
{
	const cs_value *arg = NULL;
	cfn_tri r = CFN_UNKNOWN;
	if (cx->err)
		return CFN_UNKNOWN;
	if (cx->depth >= CFN_MAX_DEPTH) {
		cs__cfn_diag(cx, CS_SEV_WARNING, v, "conditions nested too deeply to evaluate");
		return CFN_UNKNOWN;
	}
	cx->depth++;
	const char *fn = call_of(cx, v, &arg, true);
	if (fn)
		r = cond_call(cx, fn, arg, v);
	else if (v->type == CS_VBOOL)
		r = v->u.b ? CFN_TRUE : CFN_FALSE;
	else if (!cx->err)
		cs__cfn_diag(cx, CS_SEV_WARNING, v, "a condition must be a condition function");
	cx->depth--;
	return r;
}

cfn_tri cs__cfn_cond_named(cfn *cx, cs_str name, const cs_value *at)
{
	size_t i = cs__cfn_index_find(&cx->conds, name.ptr, name.len);
	if (i == SIZE_MAX) {
		cs__cfn_diag(cx, CS_SEV_ERROR, at, "condition '%.*s' is not defined in Conditions",
			     SHOW(name));
		return CFN_UNKNOWN;
	}
	if (cx->cstate[i] == 1) {
		cs__cfn_diag(cx, CS_SEV_ERROR, at, "condition '%.*s' depends on itself", SHOW(name));
		return CFN_UNKNOWN;
	}
	if (cx->cstate[i] == 0) {
		cx->cstate[i] = 1;
		cx->cval[i] = (uint8_t)cond_eval(cx, cx->conds.obj->u.obj.m[i].val);
		cx->cstate[i] = 2;
	}
	return (cfn_tri)cx->cval[i];
}

/* ---- the resolver ----------------------------------------------------------- */

static const cs_value *call(cfn *cx, const char *fn, const cs_value *arg, const cs_value *at)
{
	static const struct {
		const char *name;
		const cs_value *(*f)(cfn *, const cs_value *, const cs_value *);
	} fns[] = {
		{ "Ref", fn_ref },
		{ "Fn::GetAtt", fn_getatt },
		{ "Fn::Sub", fn_sub },
		{ "Fn::Join", fn_join },
		{ "Fn::Select", fn_select },
		{ "Fn::Split", fn_split },
		{ "Fn::FindInMap", fn_findinmap },
		{ "Fn::If", fn_if },
		{ "Fn::Base64", fn_base64 },
		{ "Fn::Cidr", fn_cidr },
		{ "Fn::Length", fn_length },
		{ "Fn::ToJsonString", fn_tojson },
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(fns); i++)
		if (strcmp(fn, fns[i].name) == 0)
			return fns[i].f(cx, arg, at);
	if (strcmp(fn, "Fn::GetAZs") == 0)
		return cs__cfn_unknown(cx, at,
				       "Fn::GetAZs: the Region's Availability Zones are only known "
				       "at deployment");
	if (strcmp(fn, "Fn::ImportValue") == 0) {
		const cs_value *n = resolve(cx, arg);
		if (!n)
			return NULL;
		cs_str s = n != CFN_NOVALUE && n->type == CS_VSTRING ? n->u.s : CS_STR_LIT("?");
		return cs__cfn_unknown(cx, at, "Fn::ImportValue %.*s: exported by another stack",
				       SHOW(s));
	}
	if (strcmp(fn, "Fn::Transform") == 0)
		return cs__cfn_unknown(cx, at, "Fn::Transform: macro not expanded");
	if (strcmp(fn, "Fn::?") == 0) {
		cs_str k = at->type == CS_VOBJECT ? at->u.obj.m[0].key : CS_STR_LIT("?");
		cs__cfn_diag(cx, CS_SEV_WARNING, at, "unsupported intrinsic function %.*s",
			     SHOW(k));
		return cs__cfn_unknown(cx, at, "unsupported intrinsic function %.*s", SHOW(k));
	}
	/* condition functions used as values */
	cfn_tri t = cond_call(cx, fn, arg, at);
	if (cx->err)
		return NULL;
	if (t == CFN_UNKNOWN)
		return cs__cfn_unknown(cx, at, "%s over unknown values", fn);
	const cs_value *b = cs__v_bool(cx->a, t == CFN_TRUE, at->line, at->col);
	return b ? b : cs__cfn_oom(cx, at);
}

static const cs_value *resolve_array(cfn *cx, const cs_value *v)
{
	const cs_value *res = NULL;
	cs_ptrvec out = { 0 };
	bool changed = false;
	for (size_t i = 0; i < v->u.arr.n; i++) {
		const cs_value *e = resolve(cx, v->u.arr.v[i]);
		if (!e)
			goto out;
		if (e != v->u.arr.v[i])
			changed = true;
		if (e != CFN_NOVALUE && cs__ptrvec_push(&out, (void *)e)) {
			cx->err = CS_ENOMEM;
			goto out;
		}
	}
	if (!changed) {
		res = v;
		goto out;
	}
	cs_value *r = cs__v_array(cx->a, (cs_value *const *)out.v, out.n, v->line, v->col);
	if (!r) {
		cs__cfn_oom(cx, v);
		goto out;
	}
	r->tag = v->tag;
	res = r;
out:
	cs__ptrvec_release(&out);
	return res;
}

static const cs_value *resolve_object(cfn *cx, const cs_value *v)
{
	const cs_value *res = NULL;
	bool changed = false;
	size_t n = 0;
	cs_member *out = v->u.obj.n ? cs_malloc(v->u.obj.n * sizeof(*out)) : NULL;
	if (v->u.obj.n && !out) {
		cx->err = CS_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < v->u.obj.n; i++) {
		const cs_value *e = resolve(cx, v->u.obj.m[i].val);
		if (!e)
			goto done;
		if (e != v->u.obj.m[i].val)
			changed = true;
		if (e != CFN_NOVALUE) {
			out[n] = v->u.obj.m[i];
			out[n++].val = (cs_value *)e;
		}
	}
	if (!changed) {
		res = v;
		goto done;
	}
	cs_value *r = cs__v_object(cx->a, out, n, v->line, v->col);
	if (!r) {
		cs__cfn_oom(cx, v);
		goto done;
	}
	r->tag = v->tag;
	res = r;
done:
	cs_free(out);
	return res;
}

static const cs_value *resolve(cfn *cx, const cs_value *v)
{
	const cs_value *r = NULL, *arg = NULL;
	if (cx->err)
		return NULL;
	if (++cx->work > CFN_MAX_WORK) {
		cs__cfn_diag(cx, CS_SEV_ERROR, v,
			     "CloudFormation template needs more than %zu evaluation steps",
			     CFN_MAX_WORK);
		cx->err = CS_ELIMIT;
		return NULL;
	}
	if (cx->depth >= CFN_MAX_DEPTH) {
		cs__cfn_diag(cx, CS_SEV_WARNING, v, "value nested too deeply to resolve");
		return cs__cfn_unknown(cx, v, "nested too deeply to resolve");
	}
	cx->depth++;
	const char *fn = call_of(cx, v, &arg, false);
	if (cx->err)
		r = NULL;
	else if (fn)
		r = call(cx, fn, arg, v);
	else if (v->type == CS_VARRAY)
		r = resolve_array(cx, v);
	else if (v->type == CS_VOBJECT)
		r = resolve_object(cx, v);
	else
		r = v;
	cx->depth--;
	return cx->err ? NULL : r;
}

const cs_value *cs__cfn_resolve(cfn *cx, const cs_value *v)
{
	return resolve(cx, v);
}
