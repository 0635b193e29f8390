/*
 * ingest/normalize.c - the mapping step: raw resources (as each input format
 * names them) become normalized resources of kinds such as aws.s3.bucket.
 *
 * Three passes: (1) every raw resource with a primary source makes a
 * resource and its flat attribute list; (2) split resources (Terraform's
 * aws_s3_bucket_versioning, CloudFormation's AWS::EC2::SecurityGroupIngress)
 * add their attributes to the resource they configure, found by value or by
 * reference; (3) provider defaults fill what is still absent, values are
 * coerced to the schema's types and dotted names become nested objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"
#include "model.h"

typedef struct flat {
	const char *name;
	const cs_value *val;
} flat;

typedef struct flatvec {
	flat *v;
	size_t n, cap;
} flatvec;

/* A remembered cs__kind_attr answer: names are mostly the mapping's own
 * strings, so (kind, name pointer) finds them again. */
typedef struct attr_memo {
	const cs_map_kind *kind;
	const char *name;
	const cs_schema_attr *sa;
} attr_memo;

#define ATTR_MEMO 512

typedef struct nctx {
	cs_inventory *inv;
	cs_arena *a;
	cs_diag_sink *diag;
	flatvec *flats; /* one per resource */
	cs_strmap join_ix;
	cs_err err;
	attr_memo memo[ATTR_MEMO];
} nctx;

/* cs__kind_attr(k, name), remembered by pointer. */
static const cs_schema_attr *kind_attr(nctx *c, const cs_map_kind *k, const char *name)
{
	uintptr_t h = ((uintptr_t)name >> 3) ^ ((uintptr_t)k >> 4);
	h ^= h >> 9;
	attr_memo *m = &c->memo[h & (ATTR_MEMO - 1)];
	if (m->kind == k && m->name == name)
		return m->sa;
	const cs_schema_attr *sa = cs__kind_attr(k, name, strlen(name));
	*m = (attr_memo){ k, name, sa };
	return sa;
}

/* Whether two attribute names are equal: most often the same spec string,
 * else usually different from the first byte. */
static bool same_name(const char *a, const char *b)
{
	return a == b || (a[0] == b[0] && strcmp(a, b) == 0);
}

static void flat_set(nctx *c, flatvec *fv, const char *name, const cs_value *val)
{
	for (size_t i = 0; i < fv->n; i++) {
		if (same_name(fv->v[i].name, name)) {
			fv->v[i].val = val;
			return;
		}
	}
	if (fv->n == fv->cap) {
		size_t cap = fv->cap ? fv->cap * 2 : 16;
		flat *nv = cs_realloc(fv->v, cap * sizeof(flat));
		if (!nv) {
			c->err = CS_ENOMEM;
			return;
		}
		fv->v = nv;
		fv->cap = cap;
	}
	fv->v[fv->n++] = (flat){ name, val };
}

static const cs_value *flat_get(const flatvec *fv, const char *name)
{
	for (size_t i = fv->n; i-- > 0;)
		if (same_name(fv->v[i].name, name))
			return fv->v[i].val;
	return NULL;
}

static cs_value *unknown_at(nctx *c, const char *reason, uint32_t line, uint32_t col)
{
	cs_value *u = cs__v_unknown(c->a, reason, line, col);
	if (!u)
		c->err = CS_ENOMEM;
	return u;
}

/* The text of a scalar for map lookups and comparisons ({NULL, 0} when v
 * is not a scalar). */
static cs_str scalar_text(const cs_value *v)
{
	cs_str t = { NULL, 0 };
	if (!cs__scalar_text(v, &t))
		t.ptr = NULL;
	return t;
}

static bool ieq(cs_str a, cs_str b)
{
	if (a.len != b.len || !a.ptr || !b.ptr)
		return false;
	for (size_t i = 0; i < a.len; i++) {
		int x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
	}
	return true;
}

static const cs_value *apply_map(nctx *c, const cs_value *map, const cs_value *v)
{
	if (!map || !v || v->type == CS_VUNKNOWN)
		return v;
	cs_str t = scalar_text(v);
	if (!t.ptr)
		return v;
	for (size_t i = 0; i < map->u.obj.n; i++) {
		if (ieq(map->u.obj.m[i].key, t)) {
			cs_value *o = cs__v_clone(c->a, map->u.obj.m[i].val);
			if (!o) {
				c->err = CS_ENOMEM;
				return v;
			}
			o->line = v->line;
			o->col = v->col;
			o->flags = (uint8_t)((o->flags & ~CS_VF_DEFAULT) | CS_VF_SYNTH);
			return o;
		}
	}
	return v;
}

/* A JSON document held in a string (IAM policies in Terraform plans and
 * AWS Config): parsed, with every value located at the string; NULL when
 * it does not parse to the wanted type. */
static const cs_value *json_string(nctx *c, const cs_value *v, cs_vtype want)
{
	const cs_value *doc = NULL;
	cs_diag_sink quiet = { 0 };
	cs_json_opts o = { 0 };
	o.pin_line = v->line ? v->line : 1;
	o.pin_col = v->col ? v->col : 1;
	if (cs_json_parse(c->a, "policy", v->u.s.ptr, v->u.s.len, &o, &quiet, &doc, NULL) != CS_OK)
		return NULL;
	return doc && doc->type == (uint8_t)want ? doc : NULL;
}

/* Coerces v to type t; NULL if it cannot be done losslessly. */
static const cs_value *coerce(nctx *c, const cs_value *v, cs_attr_type t)
{
	if (!v || t == CS_T_ANY || v->type == CS_VUNKNOWN)
		return v;
	cs_value *o = NULL;
	switch (t) {
	case CS_T_STRING:
		if (v->type == CS_VSTRING)
			return v;
		if (v->type == CS_VNUMBER || v->type == CS_VBOOL) {
			cs_str s = scalar_text(v);
			o = cs__v_str(c->a, s, v->line, v->col);
		}
		break;
	case CS_T_NUMBER:
		if (v->type == CS_VNUMBER)
			return v;
		if (v->type == CS_VSTRING && v->u.s.len && v->u.s.len < 64) {
			char buf[64], *end;
			memcpy(buf, v->u.s.ptr, v->u.s.len);
			buf[v->u.s.len] = 0;
			double d = strtod(buf, &end);
			if (*end == 0 && buf[0] != ' ')
				o = cs__v_num(c->a, d, v->u.s, v->line, v->col);
		}
		break;
	case CS_T_BOOL:
		if (v->type == CS_VBOOL)
			return v;
		if (v->type == CS_VSTRING) {
			if (ieq(v->u.s, CS_STR_LIT("true")))
				o = cs__v_bool(c->a, true, v->line, v->col);
			else if (ieq(v->u.s, CS_STR_LIT("false")))
				o = cs__v_bool(c->a, false, v->line, v->col);
		}
		break;
	case CS_T_LIST:
		if (v->type == CS_VARRAY)
			return v;
		if (v->type == CS_VSTRING && v->u.s.len && v->u.s.ptr[0] == '[')
			return json_string(c, v, CS_VARRAY);
		o = cs__v_array(c->a, (cs_value *const *)&v, 1, v->line, v->col);
		break;
	case CS_T_OBJECT:
		if (v->type == CS_VOBJECT)
			return v;
		if (v->type == CS_VSTRING)
			return json_string(c, v, CS_VOBJECT);
		break;
	case CS_T_ANY:
		return v;
	}
	if (o) {
		o->flags |= (uint8_t)(v->flags & CS_VF_DEFAULT);
		return o;
	}
	return NULL;
}

static const cs_value *eval_spec(nctx *c, const cs_attr_spec *sp, const cs_value *props,
				 bool src_absent_unknown, const cs_raw *raw);

/* Builds a nested object from flat (dotted) names. */
static const cs_value *nest(nctx *c, flat *items, size_t n, uint32_t line, uint32_t col)
{
	/* no dotted name: the flat list is the object */
	bool dotted = false;
	for (size_t i = 0; i < n && !dotted; i++)
		dotted = strchr(items[i].name, '.') != NULL;
	if (!dotted) {
		cs_member small[32] = { 0 }; /* zeroed: gcc 12 -O2 ASan warns maybe-uninitialized */
		cs_member *mm = n <= 32 ? small : cs_calloc(n, sizeof(cs_member));
		if (!mm) {
			c->err = CS_ENOMEM;
			return NULL;
		}
		for (size_t i = 0; i < n; i++) {
			const cs_value *v = items[i].val;
			mm[i].key = cs_str_c(items[i].name);
			mm[i].val = (cs_value *)v;
			mm[i].line = v ? v->line : line;
			mm[i].col = v ? v->col : col;
		}
		const cs_value *o = cs__v_object(c->a, mm, n, line, col);
		if (mm != small)
			cs_free(mm);
		if (!o)
			c->err = CS_ENOMEM;
		return o;
	}
	/* scratch on the stack for the usual sizes */
	enum { SMALL = 48 };
	cs_member m_small[SMALL];
	flat sub_small[SMALL];
	bool done_small[SMALL];
	size_t heads_small[SMALL];
	bool big = n > SMALL;
	cs_member *m = big ? cs_calloc(n, sizeof(cs_member)) : m_small;
	flat *sub = big ? cs_calloc(n, sizeof(flat)) : sub_small;
	bool *done = big ? cs_calloc(n, sizeof(bool)) : done_small;
	/* each name's head length (up to its first dot), so that names with
	 * another head are passed over without comparing text */
	size_t *heads = big ? cs_calloc(n, sizeof(size_t)) : heads_small;
	if (!big)
		memset(done_small, 0, sizeof done_small);
	size_t nm = 0;
	const cs_value *out = NULL;
	if (n && (!m || !sub || !done || !heads)) {
		c->err = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *dot = strchr(items[i].name, '.');
		heads[i] = dot ? (size_t)(dot - items[i].name) : strlen(items[i].name);
	}
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		const char *name = items[i].name;
		size_t hl = heads[i];
		const cs_value *leaf = NULL;
		size_t ns = 0;
		for (size_t j = i; j < n; j++) {
			const char *o = items[j].name;
			if (done[j] || heads[j] != hl || memcmp(o, name, hl) != 0)
				continue;
			done[j] = true;
			if (o[hl] == 0)
				leaf = items[j].val;
			else
				sub[ns++] = (flat){ o + hl + 1, items[j].val };
		}
		const cs_value *val = leaf;
		if (ns) {
			/* nested names win over a scalar of the same head; sub is
			 * this call's scratch, reused for the next head: copy */
			flat copy_small[SMALL];
			flat *copy = ns > SMALL ? cs_calloc(ns, sizeof(flat)) : copy_small;
			if (!copy) {
				c->err = CS_ENOMEM;
				goto out;
			}
			memcpy(copy, sub, ns * sizeof(flat));
			val = nest(c, copy, ns, line, col);
			if (copy != copy_small)
				cs_free(copy);
			if (!val)
				goto out;
		}
		char *key = cs_arena_strndup(c->a, name, hl);
		if (!key) {
			c->err = CS_ENOMEM;
			goto out;
		}
		m[nm].key = (cs_str){ key, hl };
		m[nm].val = (cs_value *)val;
		m[nm].line = val ? val->line : line;
		m[nm].col = val ? val->col : col;
		nm++;
	}
	out = cs__v_object(c->a, m, nm, line, col);
	if (!out)
		c->err = CS_ENOMEM;
out:
	if (big) {
		cs_free(m);
		cs_free(sub);
		cs_free(done);
		cs_free(heads);
	}
	return out;
}

static const cs_value *eval_each(nctx *c, const cs_attr_spec *sp, const cs_value *list,
				 bool absent_unknown, const cs_raw *raw)
{
	size_t n = cs_value_len(list);
	cs_value **items = n ? cs_calloc(n, sizeof(cs_value *)) : NULL;
	flat *fl = sp->nsub ? cs_calloc(sp->nsub, sizeof(flat)) : NULL;
	const cs_value *out = NULL;
	size_t k = 0;
	if ((n && !items) || (sp->nsub && !fl)) {
		c->err = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const cs_value *el = cs_value_at(list, i);
		if (el->type == CS_VUNKNOWN) {
			items[k++] = (cs_value *)el;
			continue;
		}
		size_t nf = 0;
		for (size_t j = 0; j < sp->nsub; j++) {
			const cs_value *v = eval_spec(c, &sp->sub[j], el, absent_unknown, raw);
			if (v)
				fl[nf++] = (flat){ sp->sub[j].name, v };
		}
		const cs_value *o = nest(c, fl, nf, el->line, el->col);
		if (!o)
			goto out;
		items[k++] = (cs_value *)o;
	}
	out = cs__v_array(c->a, items, k, list->line, list->col);
	if (!out)
		c->err = CS_ENOMEM;
out:
	cs_free(items);
	cs_free(fl);
	return out;
}

/* Returns the attribute's value from one source, or NULL when absent. */
static const cs_value *eval_spec(nctx *c, const cs_attr_spec *sp, const cs_value *props,
				 bool src_absent_unknown, const cs_raw *raw)
{
	const cs_value *v = NULL;
	cs_path_status st = CS_PATH_ABSENT;
	bool absent_unknown = sp->absent >= 0 ? sp->absent == 1 : src_absent_unknown;

	switch (sp->form) {
	case AS_VALUE:
		v = sp->value;
		st = CS_PATH_FOUND;
		break;
	case AS_UNKNOWN:
		return unknown_at(c, cs_value_str(sp->value).ptr, raw->line, raw->col);
	case AS_PATH:
		st = cs__path_eval(sp->path, props, c->a, &v);
		break;
	case AS_FIRST:
		for (size_t i = 0; i < sp->nalts && st == CS_PATH_ABSENT; i++)
			st = cs__path_eval(sp->alts[i], props, c->a, &v);
		break;
	case AS_EXISTS: {
		st = cs__path_eval(sp->path, props, c->a, &v);
		if (st == CS_PATH_UNKNOWN && !cs__unknown_but_set(v))
			break;
		bool has = st == CS_PATH_FOUND &&
			   !(cs__path_has_wildcard(sp->path) && cs_value_len(v) == 0);
		cs_value *b = cs__v_bool(c->a, has, v ? v->line : raw->line, v ? v->col : raw->col);
		if (!b) {
			c->err = CS_ENOMEM;
			return NULL;
		}
		b->flags |= CS_VF_SYNTH;
		return b;
	}
	case AS_COUNT: {
		st = cs__path_eval(sp->path, props, c->a, &v);
		if (st == CS_PATH_UNKNOWN)
			break;
		/* an unknown element makes the count unknown, not one */
		if (st == CS_PATH_FOUND && v->type == CS_VARRAY && cs__path_has_wildcard(sp->path)) {
			for (size_t k = 0; k < v->u.arr.n; k++)
				if (v->u.arr.v[k]->type == CS_VUNKNOWN)
					return v->u.arr.v[k];
		}
		size_t n = st == CS_PATH_FOUND ? (v->type == CS_VARRAY || v->type == CS_VOBJECT
							  ? cs_value_len(v)
							  : 1)
					       : 0;
		cs_value *num = cs__v_num(c->a, (double)n, (cs_str){ NULL, 0 },
					  v ? v->line : raw->line, v ? v->col : raw->col);
		if (!num) {
			c->err = CS_ENOMEM;
			return NULL;
		}
		num->flags |= CS_VF_SYNTH | CS_VF_INT;
		return num;
	}
	case AS_EACH:
		st = cs__path_eval(sp->path, props, c->a, &v);
		if (st == CS_PATH_FOUND) {
			if (v->type != CS_VARRAY) {
				/* a single block where a list is usual */
				v = cs__v_array(c->a, (cs_value *const *)&v, 1, v->line, v->col);
				if (!v) {
					c->err = CS_ENOMEM;
					return NULL;
				}
			}
			return eval_each(c, sp, v, absent_unknown, raw);
		}
		break;
	}
	if (st == CS_PATH_UNKNOWN)
		return v;
	if (st == CS_PATH_ABSENT) {
		/* an explicit null is "recorded as not set", never unknown */
		bool recorded_null = v && v->type == CS_VNULL;
		if (sp->value && sp->form != AS_VALUE) {
			v = sp->value;
		} else if (absent_unknown && !recorded_null) {
			char *why = cs_arena_printf(c->a, "not recorded in the %s input", raw->format);
			return unknown_at(c, why ? why : "not recorded", raw->line, raw->col);
		} else {
			return NULL;
		}
	}
	v = apply_map(c, sp->map, v);
	if (sp->type != CS_T_ANY) {
		const cs_value *cv = coerce(c, v, sp->type);
		if (!cv) {
			cs_diag_emit(c->diag, CS_SEV_WARNING, CS_ETYPE, raw->file, v->line, v->col,
				     NULL, "%s %s: '%s' should be a %s, not %s; treated as unknown",
				     raw->type, raw->name, sp->name, cs__attr_type_name(sp->type),
				     cs_vtype_name((cs_vtype)v->type));
			return unknown_at(c, "value of the wrong type", v->line, v->col);
		}
		v = cv;
	}
	return v;
}

/* Concatenates two lists (for list attributes contributed by several
 * split resources, such as security group rules). */
static const cs_value *concat(nctx *c, const cs_value *a, const cs_value *b)
{
	size_t n = a->u.arr.n + b->u.arr.n;
	cs_value **items = cs_calloc(n ? n : 1, sizeof(cs_value *));
	if (!items) {
		c->err = CS_ENOMEM;
		return a;
	}
	if (a->u.arr.n)
		memcpy(items, a->u.arr.v, a->u.arr.n * sizeof(cs_value *));
	if (b->u.arr.n)
		memcpy(items + a->u.arr.n, b->u.arr.v, b->u.arr.n * sizeof(cs_value *));
	cs_value *out = cs__v_array(c->a, items, n, a->line, a->col);
	cs_free(items);
	if (!out) {
		c->err = CS_ENOMEM;
		return a;
	}
	out->flags |= CS_VF_SYNTH;
	return out;
}

/* Adds one source's attributes to a flat list.  From a joined source, a
 * list attribute is appended to what the target already has (every
 * aws_security_group_rule adds a rule); any other attribute overrides. */
static void apply_source(nctx *c, const cs_map_source *src, const cs_raw *raw, flatvec *fv,
			 bool joined)
{
	for (size_t i = 0; i < src->nattrs && !c->err; i++) {
		const cs_attr_spec *sp = &src->attrs[i];
		const cs_value *v = eval_spec(c, sp, raw->props, src->absent_unknown, raw);
		if (!v)
			continue;
		if (joined && v->type == CS_VARRAY) {
			const cs_schema_attr *sa = kind_attr(c, src->kind, sp->name);
			const cs_value *old = flat_get(fv, sp->name);
			if (sa && sa->type == CS_T_LIST && old && old->type == CS_VARRAY)
				v = concat(c, old, v);
		}
		flat_set(c, fv, sp->name, v);
	}
}

/* "kind\x1ffile\x1fval" in the arena, `val` cut at a NUL as "%.*s" would
 * cut it (built by hand: one key per resource and per join, so printf's
 * two formatting passes showed in profiles of big plans). */
/* Resources join within one scope: their file, or the scope the adapter
 * set (a Terraform configuration directory spans several files). */
static const char *join_scope(const cs_raw *r)
{
	return r->scope ? r->scope : r->file;
}

static char *join_key(nctx *c, const char *kind, const char *file, const char *val, size_t vlen)
{
	const char *nul = vlen ? memchr(val, 0, vlen) : NULL;
	size_t kl = strlen(kind), fl = strlen(file);
	if (nul)
		vlen = (size_t)(nul - val);
	char *k = cs_arena_alloc(c->a, kl + fl + vlen + 3);
	if (!k) {
		c->err = CS_ENOMEM;
		return NULL;
	}
	memcpy(k, kind, kl);
	k[kl] = '\x1f';
	memcpy(k + kl + 1, file, fl);
	k[kl + 1 + fl] = '\x1f';
	if (vlen)
		memcpy(k + kl + fl + 2, val, vlen);
	k[kl + fl + 2 + vlen] = 0;
	return k;
}

/* The by_src key "format\x1ftype" in buf (truncated to fit, as snprintf
 * would); returns its length. */
static size_t src_key(char *buf, size_t size, const char *format, const char *type)
{
	/* Terraform HCL gives the same raw resources as a plan: same mappings */
	if (strcmp(format, "terraform-hcl") == 0)
		format = "terraform-plan";
	size_t fl = strlen(format), tl = strlen(type), n = 0;
	if (size == 0)
		return 0;
	if (fl > size - 1)
		fl = size - 1;
	memcpy(buf, format, fl);
	n = fl;
	if (n < size - 1)
		buf[n++] = '\x1f';
	if (tl > size - 1 - n)
		tl = size - 1 - n;
	memcpy(buf + n, type, tl);
	n += tl;
	buf[n] = 0;
	return n;
}

static cs_err grow_resources(cs_inventory *inv, size_t *cap)
{
	if (inv->nres < *cap)
		return CS_OK;
	size_t nc = *cap ? *cap * 2 : 256;
	cs_resource *nr = cs_realloc(inv->res, nc * sizeof(cs_resource));
	if (!nr)
		return CS_ENOMEM;
	inv->res = nr;
	*cap = nc;
	return CS_OK;
}

static const cs_srcfile *find_src(cs_inventory *inv, const char *file)
{
	for (size_t i = inv->files.n; i-- > 0;) {
		const cs_srcfile *f = inv->files.v[i];
		if (f->path == file || strcmp(f->path, file) == 0)
			return f;
	}
	return NULL;
}

/* Index a resource for joins: by name, and by every join-target attribute. */
static void index_resource(nctx *c, size_t idx)
{
	cs_resource *r = &c->inv->res[idx];
	void *val = (void *)(uintptr_t)(idx + 1);
	char *k = join_key(c, r->kind, join_scope(r->raw), r->name, strlen(r->name));
	if (k && cs__strmap_put(&c->join_ix, k, strlen(k), val))
		c->err = CS_ENOMEM;
}

static void index_join_values(nctx *c, size_t idx, const char *const *names, size_t n)
{
	cs_resource *r = &c->inv->res[idx];
	for (size_t i = 0; i < n; i++) {
		const cs_value *v = flat_get(&c->flats[idx], names[i]);
		if (!v || (v->type != CS_VSTRING && v->type != CS_VNUMBER))
			continue;
		cs_str t = scalar_text(v);
		char *k = join_key(c, r->kind, join_scope(r->raw), t.ptr, t.len);
		if (k && cs__strmap_put(&c->join_ix, k, strlen(k), (void *)(uintptr_t)(idx + 1)))
			c->err = CS_ENOMEM;
	}
}

static void do_join(nctx *c, const cs_map_source *src, const cs_raw *raw)
{
	const cs_value *on = NULL;
	cs_path_status st = cs__path_eval(src->join_on, raw->props, c->a, &on);
	char *key = NULL;
	const char *kind = src->kind->kind;
	if (st == CS_PATH_FOUND && (on->type == CS_VSTRING || on->type == CS_VNUMBER)) {
		cs_str t = scalar_text(on);
		/* a value may also be an ARN or an id; index holds join_to values */
		key = join_key(c, kind, join_scope(raw), t.ptr, t.len);
	} else if (st == CS_PATH_UNKNOWN && on->u.s.len > 4 && memcmp(on->u.s.ptr, "ref:", 4) == 0) {
		const char *ref = on->u.s.ptr + 4;
		size_t rl = on->u.s.len - 4;
		if (strcmp(raw->format, "cloudformation") == 0) {
			const char *dot = memchr(ref, '.', rl);
			if (dot)
				rl = (size_t)(dot - ref);
		}
		key = join_key(c, kind, join_scope(raw), ref, rl);
	}
	size_t iter = 0, hits = 0;
	if (key) {
		for (void *p = cs__strmap_get(&c->join_ix, key, strlen(key), &iter); p;
		     p = cs__strmap_next(&c->join_ix, key, strlen(key), &iter)) {
			size_t idx = (size_t)(uintptr_t)p - 1;
			cs_resource *r = &c->inv->res[idx];
			bool seen = false;
			for (size_t j = 0; j < r->njoined; j++)
				seen |= r->joined[j] == raw;
			if (seen)
				continue;
			apply_source(c, src, raw, &c->flats[idx], true);
			const cs_raw **nj = cs_arena_alloc(c->a, (r->njoined + 1) * sizeof(cs_raw *));
			if (!nj) {
				c->err = CS_ENOMEM;
				return;
			}
			if (r->njoined)
				memcpy(nj, r->joined, r->njoined * sizeof(cs_raw *));
			nj[r->njoined++] = raw;
			r->joined = nj;
			hits++;
		}
	}
	if (!hits)
		cs_diag_emit(c->diag, CS_SEV_NOTE, CS_OK, raw->file, raw->line, raw->col, NULL,
			     "%s %s configures a %s that is not among the inputs; its settings are not "
			     "applied",
			     raw->type, raw->name, kind);
}

static const cs_value *finish(nctx *c, cs_resource *r, flatvec *fv)
{
	const cs_map_kind *k = r->mk;
	/* provider defaults for what is absent (never for unknown) */
	for (size_t i = 0; i < k->ndefs && !c->err; i++) {
		const cs_map_default *d = &k->defs[i];
		if (flat_get(fv, d->name))
			continue;
		cs_value *v = cs__v_clone(c->a, d->value);
		if (!v) {
			c->err = CS_ENOMEM;
			break;
		}
		v->flags |= CS_VF_DEFAULT;
		v->line = r->line;
		v->col = r->col;
		flat_set(c, fv, d->name, v);
	}
	for (size_t i = 0; i < fv->n && !c->err; i++) {
		const cs_schema_attr *sa = kind_attr(c, k, fv->v[i].name);
		if (!sa || !fv->v[i].val)
			continue;
		/* "" where a document is expected: Terraform's way of saying none
		 * (aws_s3_bucket.policy of a bucket without a policy) */
		if ((sa->type == CS_T_OBJECT || sa->type == CS_T_LIST) &&
		    fv->v[i].val->type == CS_VSTRING && fv->v[i].val->u.s.len == 0) {
			fv->v[i] = fv->v[--fv->n];
			i--;
			continue;
		}
		const cs_value *cv = coerce(c, fv->v[i].val, sa->type);
		if (!cv) {
			const cs_value *v = fv->v[i].val;
			cs_diag_emit(c->diag, CS_SEV_WARNING, CS_ETYPE, r->raw->file, v->line, v->col,
				     NULL, "%s %s: '%s' should be a %s, not %s; treated as unknown",
				     r->raw->type, r->name, sa->name, cs__attr_type_name(sa->type),
				     cs_vtype_name((cs_vtype)v->type));
			cv = unknown_at(c, "value of the wrong type", v->line, v->col);
		}
		fv->v[i].val = cv;
	}
	if (c->err)
		return NULL;
	return nest(c, fv->v, fv->n, r->line, r->col);
}

cs_err cs__normalize(cs_inventory *inv)
{
	nctx c;
	size_t nraw = cs__ingest_count(inv->in), cap = 0, flats_cap = 0;
	memset(&c, 0, sizeof c);
	c.inv = inv;
	c.a = cs__ingest_arena(inv->in);
	c.diag = inv->diag;
	inv->nres = 0;

	/* pass 1: primary sources */
	for (size_t i = 0; i < nraw && !c.err; i++) {
		const cs_raw *raw = cs__ingest_at(inv->in, i);
		char key[512];
		size_t klen = src_key(key, sizeof key, raw->format, raw->type);
		size_t iter;
		for (cs_map_source *src = cs__strmap_get(&inv->ms.by_src, key, klen, &iter);
		     src && !c.err; src = cs__strmap_next(&inv->ms.by_src, key, klen, &iter)) {
			if (src->join_on)
				continue;
			if ((c.err = grow_resources(inv, &cap)))
				break;
			if (flats_cap < cap) {
				flatvec *nf = cs_realloc(c.flats, cap * sizeof(flatvec));
				if (!nf) {
					c.err = CS_ENOMEM;
					break;
				}
				c.flats = nf;
				flats_cap = cap;
			}
			size_t idx = inv->nres++;
			memset(&c.flats[idx], 0, sizeof(flatvec));
			cs_resource *r = &inv->res[idx];
			memset(r, 0, sizeof *r);
			r->mk = src->kind;
			r->kind = src->kind->kind;
			r->provider = src->kind->provider;
			r->service = src->kind->service;
			r->name = raw->name;
			r->raw = raw;
			r->src = find_src(inv, raw->file);
			r->line = raw->line;
			r->col = raw->col;
			r->end_line = raw->end_line;
			apply_source(&c, src, raw, &c.flats[idx], false);
			if (src->kind->has_joins)
				index_resource(&c, idx);
		}
	}
	/* join targets are also found by their attribute values (join.to) */
	for (size_t r = 0; r < inv->nres && !c.err; r++) {
		const cs_map_kind *k = inv->res[r].mk;
		if (!k->has_joins)
			continue;
		const char *names[32];
		size_t nn = 0;
		for (size_t j = 0; j < inv->ms.joins.n; j++) {
			const cs_map_source *js = inv->ms.joins.v[j];
			if (js->kind != k)
				continue;
			for (size_t t = 0; t < js->njoin_to; t++) {
				bool dup = false;
				for (size_t u = 0; u < nn; u++)
					dup |= strcmp(names[u], js->join_to[t]) == 0;
				if (!dup && nn < CS_ARRAY_SIZE(names))
					names[nn++] = js->join_to[t];
			}
		}
		index_join_values(&c, r, names, nn);
	}
	/* pass 2: split resources join their targets */
	for (size_t i = 0; i < nraw && !c.err; i++) {
		const cs_raw *raw = cs__ingest_at(inv->in, i);
		char key[512];
		size_t klen = src_key(key, sizeof key, raw->format, raw->type);
		size_t iter;
		for (cs_map_source *src = cs__strmap_get(&inv->ms.by_join, key, klen, &iter);
		     src && !c.err; src = cs__strmap_next(&inv->ms.by_join, key, klen, &iter)) {
			if (!src->join_on)
				continue;
			do_join(&c, src, raw);
		}
	}
	/* pass 3: defaults, types, nesting */
	for (size_t i = 0; i < inv->nres && !c.err; i++) {
		const cs_value *attrs = finish(&c, &inv->res[i], &c.flats[i]);
		inv->res[i].attrs = attrs;
	}
	for (size_t i = 0; i < inv->nres; i++)
		cs_free(c.flats ? c.flats[i].v : NULL);
	cs_free(c.flats);
	cs__strmap_release(&c.join_ix);
	return c.err;
}
