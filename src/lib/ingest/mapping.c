/*
 * ingest/mapping.c - loading the mapping files (every .yaml under data/mappings) that
 * say how each input format's resources become normalized kinds.  The
 * language is documented in docs/mappings.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cshare/yaml.h"
#include "../core/spec.h"
#include "model.h"

static const char *const type_names[] = { "any", "string", "number", "bool", "list", "object" };

int cs__attr_type_parse(const char *s)
{
	for (size_t i = 0; i < CS_ARRAY_SIZE(type_names); i++)
		if (strcmp(s, type_names[i]) == 0)
			return (int)i;
	if (strcmp(s, "boolean") == 0)
		return CS_T_BOOL;
	return -1;
}

const char *cs__attr_type_name(cs_attr_type t)
{
	return (unsigned)t < CS_ARRAY_SIZE(type_names) ? type_names[t] : "?";
}

static const char *const formats[] = { "cloudformation", "terraform-plan", "aws-config", NULL };

static cs_path *parse_path(cs_spec *s, const cs_value *v)
{
	const char *t = cs__spec_text(s, v);
	cs_path *p = NULL;
	const char *why = NULL;
	if (!t || v->type != CS_VSTRING) {
		cs__spec_error(s, v, "a path (string) is expected");
		return NULL;
	}
	if (cs__path_parse(s->a, t, &p, &why)) {
		cs__spec_error(s, v, "invalid path '%s': %s", t, why ? why : "out of memory");
		return NULL;
	}
	return p;
}

static bool parse_attr_spec(cs_spec *s, cs_attr_spec *sp, const char *name, const cs_value *v);

static bool parse_attr_specs(cs_spec *s, const cs_value *obj, cs_attr_spec **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!obj || obj->type != CS_VOBJECT) {
		cs__spec_error(s, obj, "'attributes' must be a mapping");
		return false;
	}
	cs_attr_spec *arr = cs_arena_alloc(s->a, (obj->u.obj.n + 1) * sizeof(*arr));
	if (!arr)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < obj->u.obj.n; i++) {
		const cs_member *m = &obj->u.obj.m[i];
		const char *name = cs_arena_strndup(s->a, m->key.ptr, m->key.len);
		if (!name)
			return false;
		memset(&arr[k], 0, sizeof arr[k]);
		if (parse_attr_spec(s, &arr[k], name, m->val))
			k++;
	}
	*out = arr;
	*n = k;
	return true;
}

static bool parse_attr_spec(cs_spec *s, cs_attr_spec *sp, const char *name, const cs_value *v)
{
	static const char *const keys[] = { "path",	   "map",   "default", "absent",
					    "type",	   "first", "value",   "exists",
					    "each",	   "attributes", "count", "unknown",
					    NULL };
	sp->name = name;
	sp->absent = -1;
	sp->line = v ? v->line : 0;
	sp->col = v ? v->col : 0;
	if (v && v->type == CS_VSTRING) {
		sp->form = AS_PATH;
		sp->path = parse_path(s, v);
		return sp->path != NULL;
	}
	if (!v || v->type != CS_VOBJECT) {
		cs__spec_error(s, v, "attribute '%s': a path or a mapping is expected", name);
		return false;
	}
	cs__spec_only_keys(s, v, keys);
	const cs_value *x;
	int forms = 0;
	if ((x = cs_value_get(v, "path"))) {
		sp->form = AS_PATH;
		sp->path = parse_path(s, x);
		forms++;
	}
	if ((x = cs_value_get(v, "first"))) {
		sp->form = AS_FIRST;
		forms++;
		if (x->type != CS_VARRAY || x->u.arr.n == 0) {
			cs__spec_error(s, x, "'first' needs a non-empty list of paths");
			return false;
		}
		sp->alts = cs_arena_alloc(s->a, x->u.arr.n * sizeof(cs_path *));
		if (!sp->alts)
			return false;
		for (size_t i = 0; i < x->u.arr.n; i++)
			if (!(sp->alts[sp->nalts++] = parse_path(s, x->u.arr.v[i])))
				return false;
	}
	if ((x = cs_value_get(v, "exists"))) {
		sp->form = AS_EXISTS;
		sp->path = parse_path(s, x);
		forms++;
	}
	if ((x = cs_value_get(v, "count"))) {
		sp->form = AS_COUNT;
		sp->path = parse_path(s, x);
		forms++;
	}
	if ((x = cs_value_get(v, "each"))) {
		sp->form = AS_EACH;
		sp->path = parse_path(s, x);
		forms++;
		if (!parse_attr_specs(s, cs_value_get(v, "attributes"), &sp->sub, &sp->nsub))
			return false;
	} else if (cs_value_get(v, "attributes")) {
		cs__spec_error(s, v, "attribute '%s': 'attributes' goes with 'each'", name);
	}
	if ((x = cs_value_get(v, "unknown"))) {
		sp->form = AS_UNKNOWN;
		forms++;
		if (x->type != CS_VSTRING) {
			cs__spec_error(s, x, "'unknown' takes the reason (a string)");
			return false;
		}
		sp->value = x;
	}
	if ((x = cs_value_get(v, "value"))) {
		if (forms == 0) {
			sp->form = AS_VALUE;
			forms++;
		}
		sp->value = x;
	}
	if ((x = cs_value_get(v, "default")))
		sp->value = x;
	if (forms != 1) {
		cs__spec_error(s, v,
			       "attribute '%s': exactly one of path, first, value, exists, count, each or unknown is needed",
			       name);
		return false;
	}
	if ((sp->form == AS_PATH || sp->form == AS_EXISTS || sp->form == AS_COUNT ||
	     sp->form == AS_EACH) &&
	    !sp->path)
		return false;
	if ((x = cs_value_get(v, "map"))) {
		if (x->type != CS_VOBJECT)
			cs__spec_error(s, x, "'map' must be a mapping of input values to values");
		else
			sp->map = x;
	}
	const char *absent = cs__spec_str(s, v, "absent", false);
	if (absent) {
		if (strcmp(absent, "unknown") == 0)
			sp->absent = 1;
		else if (strcmp(absent, "absent") == 0)
			sp->absent = 0;
		else
			cs__spec_error(s, cs_value_get(v, "absent"), "'absent' is 'absent' or 'unknown'");
	}
	const char *type = cs__spec_str(s, v, "type", false);
	if (type) {
		int t = cs__attr_type_parse(type);
		if (t < 0)
			cs__spec_error(s, cs_value_get(v, "type"), "unknown type '%s'", type);
		else
			sp->type = (cs_attr_type)t;
	}
	return true;
}

const cs_schema_attr *cs__kind_attr(const cs_map_kind *k, const char *name, size_t len)
{
	for (size_t i = 0; i < k->nattrs; i++)
		if (k->attrs[i].len == len && memcmp(k->attrs[i].name, name, len) == 0)
			return &k->attrs[i];
	return NULL;
}

const cs_map_default *cs__kind_default(const cs_map_kind *k, const char *name)
{
	for (size_t i = 0; i < k->ndefs; i++)
		if (strcmp(k->defs[i].name, name) == 0)
			return &k->defs[i];
	return NULL;
}

/* Checks that every mapped attribute name is declared in the schema. */
static void check_names(cs_spec *s, const cs_map_kind *k, const cs_attr_spec *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!cs__kind_attr(k, a[i].name, strlen(a[i].name))) {
			cs_value at = { 0 };
			at.line = a[i].line;
			at.col = a[i].col;
			cs__spec_error(s, &at, "attribute '%s' is not declared in 'attributes' of kind %s",
				       a[i].name, k->kind);
		}
	}
}

static void add_source(cs_spec *s, cs_mapset *ms, cs_map_kind *k, const cs_value *v)
{
	static const char *const keys[] = { "format", "type", "attributes", "join", "absent", NULL };
	if (!v || v->type != CS_VOBJECT) {
		cs__spec_error(s, v, "a source must be a mapping");
		return;
	}
	cs__spec_only_keys(s, v, keys);
	cs_map_source *src = cs_arena_alloc(s->a, sizeof(*src));
	if (!src)
		return;
	memset(src, 0, sizeof *src);
	src->kind = k;
	src->format = cs__spec_str(s, v, "format", true);
	src->type = cs__spec_str(s, v, "type", true);
	if (!src->format || !src->type)
		return;
	bool fmt_ok = false;
	for (const char *const *f = formats; *f; f++)
		fmt_ok |= strcmp(*f, src->format) == 0;
	if (!fmt_ok) {
		cs__spec_error(s, cs_value_get(v, "format"),
			       "unknown format '%s' (cloudformation, terraform-plan or aws-config)",
			       src->format);
		return;
	}
	const char *absent = cs__spec_str(s, v, "absent", false);
	if (absent && strcmp(absent, "unknown") == 0)
		src->absent_unknown = true;
	else if (absent && strcmp(absent, "absent") != 0)
		cs__spec_error(s, cs_value_get(v, "absent"), "'absent' is 'absent' or 'unknown'");
	const cs_value *join = cs_value_get(v, "join");
	if (join) {
		static const char *const jkeys[] = { "on", "to", NULL };
		cs__spec_only_keys(s, join, jkeys);
		const cs_value *on = cs_value_get(join, "on"), *to = cs_value_get(join, "to");
		if (!on || !to) {
			cs__spec_error(s, join, "'join' needs 'on' (a path) and 'to' (attribute names)");
			return;
		}
		if (!(src->join_on = parse_path(s, on)))
			return;
		size_t n = to->type == CS_VARRAY ? to->u.arr.n : 1;
		src->join_to = cs_arena_alloc(s->a, n * sizeof(char *));
		if (!src->join_to)
			return;
		for (size_t i = 0; i < n; i++) {
			const cs_value *t = to->type == CS_VARRAY ? to->u.arr.v[i] : to;
			const char *name = cs__spec_text(s, t);
			if (!name) {
				cs__spec_error(s, t, "'join.to' lists attribute names");
				return;
			}
			src->join_to[src->njoin_to++] = name;
		}
		k->has_joins = true;
	}
	if (!parse_attr_specs(s, cs_value_get(v, "attributes"), &src->attrs, &src->nattrs))
		return;
	check_names(s, k, src->attrs, src->nattrs);
	if (!src->join_on) {
		bool seen = false;
		for (size_t i = 0; i < k->nformats; i++)
			seen |= strcmp(k->formats[i], src->format) == 0;
		if (!seen && k->nformats < CS_ARRAY_SIZE(k->formats))
			k->formats[k->nformats++] = src->format;
	}
	const char *key = cs_arena_printf(s->a, "%s\x1f%s", src->format, src->type);
	if (!key || cs__strmap_put(src->join_on ? &ms->by_join : &ms->by_src, key, strlen(key), src) ||
	    (src->join_on && cs__ptrvec_push(&ms->joins, src)))
		s->errors++;
}

static void load_kind(cs_mapset *ms, cs_spec *s, const cs_value *doc)
{
	static const char *const keys[] = { "kind",	"provider", "service", "title",
					    "attributes", "defaults", "sources", "description",
					    NULL };
	if (!doc || doc->type != CS_VOBJECT) {
		cs__spec_error(s, doc, "a mapping file is a YAML mapping with kind, attributes and sources");
		return;
	}
	cs__spec_only_keys(s, doc, keys);
	cs_map_kind *k = cs_arena_alloc(s->a, sizeof(*k));
	if (!k)
		return;
	memset(k, 0, sizeof *k);
	k->file = s->file;
	k->kind = cs__spec_str(s, doc, "kind", true);
	k->provider = cs__spec_str(s, doc, "provider", true);
	k->service = cs__spec_str(s, doc, "service", false);
	k->title = cs__spec_str(s, doc, "title", false);
	if (!k->kind || !k->provider)
		return;
	s->id = k->kind;
	if (cs__mapset_kind(ms, k->kind)) {
		cs__spec_error(s, cs_value_get(doc, "kind"), "kind %s is defined twice", k->kind);
		return;
	}
	const cs_value *attrs = cs_value_get(doc, "attributes");
	if (!attrs || attrs->type != CS_VOBJECT) {
		cs__spec_error(s, doc, "'attributes' (the kind's schema) must be a mapping");
		return;
	}
	k->attrs = cs_arena_alloc(s->a, (attrs->u.obj.n + 1) * sizeof(cs_schema_attr));
	if (!k->attrs)
		return;
	for (size_t i = 0; i < attrs->u.obj.n; i++) {
		const cs_member *m = &attrs->u.obj.m[i];
		cs_schema_attr *sa = &k->attrs[k->nattrs];
		sa->name = cs_arena_strndup(s->a, m->key.ptr, m->key.len);
		sa->len = m->key.len;
		sa->type = CS_T_ANY;
		sa->doc = NULL;
		if (m->val && m->val->type == CS_VOBJECT) {
			static const char *const akeys[] = { "type", "doc", "items", NULL };
			cs__spec_only_keys(s, m->val, akeys);
			const char *t = cs__spec_str(s, m->val, "type", false);
			sa->doc = cs__spec_str(s, m->val, "doc", false);
			if (t) {
				int ti = cs__attr_type_parse(t);
				if (ti < 0)
					cs__spec_error(s, cs_value_get(m->val, "type"), "unknown type '%s'", t);
				else
					sa->type = (cs_attr_type)ti;
			}
		} else if (m->val && m->val->type == CS_VSTRING) {
			int ti = cs__attr_type_parse(cs__spec_text(s, m->val));
			if (ti < 0)
				cs__spec_error(s, m->val, "unknown type");
			else
				sa->type = (cs_attr_type)ti;
		}
		if (sa->name)
			k->nattrs++;
	}
	const cs_value *defs = cs_value_get(doc, "defaults");
	if (defs && defs->type == CS_VOBJECT) {
		k->defs = cs_arena_alloc(s->a, (defs->u.obj.n + 1) * sizeof(cs_map_default));
		for (size_t i = 0; k->defs && i < defs->u.obj.n; i++) {
			static const char *const dkeys[] = { "value", "source", "note", NULL };
			const cs_member *m = &defs->u.obj.m[i];
			cs_map_default *d = &k->defs[k->ndefs];
			d->name = cs_arena_strndup(s->a, m->key.ptr, m->key.len);
			if (!m->val || m->val->type != CS_VOBJECT || !cs_value_get(m->val, "value")) {
				cs__spec_error(s, m->val, "default '%s' needs 'value' and 'source'", d->name);
				continue;
			}
			cs__spec_only_keys(s, m->val, dkeys);
			d->value = cs_value_get(m->val, "value");
			d->source = cs__spec_str(s, m->val, "source", true);
			d->note = cs__spec_str(s, m->val, "note", false);
			if (!cs__kind_attr(k, d->name, strlen(d->name)))
				cs__spec_error(s, m->val, "default for undeclared attribute '%s'", d->name);
			k->ndefs++;
		}
	} else if (defs) {
		cs__spec_error(s, defs, "'defaults' must be a mapping");
	}
	if (cs__strmap_put(&ms->by_kind, k->kind, strlen(k->kind), k) ||
	    cs__ptrvec_push(&ms->kinds, k)) {
		s->errors++;
		return;
	}
	const cs_value *srcs = cs_value_get(doc, "sources");
	if (!srcs || srcs->type != CS_VARRAY) {
		cs__spec_error(s, doc, "'sources' must be a list");
		return;
	}
	for (size_t i = 0; i < srcs->u.arr.n; i++)
		add_source(s, ms, k, srcs->u.arr.v[i]);
}

static cs_err load_file(cs_mapset *ms, const char *path, cs_diag_sink *diag)
{
	char *data = NULL;
	size_t len = 0;
	cs_err rc = cs_file_read(path, 16u << 20, &data, &len);
	if (rc) {
		cs_diag_emit(diag, CS_SEV_ERROR, rc, path, 0, 0, NULL, "cannot read mapping file: %s",
			     cs_strerror(rc));
		return CS_ECHECK;
	}
	const char *file = cs_arena_strdup(ms->a, path);
	cs_spec s = { ms->a, diag, file, NULL, 0 };
	const cs_value *docs = NULL;
	rc = cs_yaml_parse(ms->a, file, data, len, NULL, diag, &docs);
	cs_free(data);
	if (rc)
		return rc == CS_ENOMEM ? rc : CS_ECHECK;
	if (cs_value_len(docs) != 1) {
		cs__spec_error(&s, docs, "a mapping file holds exactly one YAML document");
		return CS_ECHECK;
	}
	load_kind(ms, &s, cs_value_at(docs, 0));
	return s.errors ? CS_ECHECK : CS_OK;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Walks a directory in name order (deterministic load order). */
static cs_err walk(cs_mapset *ms, const char *dir, cs_diag_sink *diag, unsigned depth)
{
	cs_err worst = CS_OK;
	cs_ptrvec names = { 0 };
	cs_err rc = cs__dir_sorted(ms->a, dir, &names);
	if (rc == CS_EIO) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_EIO, dir, 0, 0, NULL, "cannot open directory");
		return CS_ECHECK;
	}
	if (rc)
		worst = rc;
	for (size_t i = 0; i < names.n && worst != CS_ENOMEM; i++) {
		const char *p = names.v[i];
		struct stat st;
		if (stat(p, &st) != 0)
			continue;
		rc = CS_OK;
		if (S_ISDIR(st.st_mode) && depth < 16)
			rc = walk(ms, p, diag, depth + 1);
		else if (S_ISREG(st.st_mode) && (has_suffix(p, ".yaml") || has_suffix(p, ".yml")))
			rc = load_file(ms, p, diag);
		if (rc)
			worst = rc;
	}
	cs__ptrvec_release(&names);
	return worst;
}

cs_err cs__mapset_load_dir(cs_mapset *ms, const char *dir, cs_diag_sink *diag)
{
	if (!ms->a && !(ms->a = cs_arena_new(0)))
		return CS_ENOMEM;
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ENOENT, dir, 0, 0, NULL,
			     "mapping directory not found");
		return CS_ECHECK;
	}
	return walk(ms, dir, diag, 0);
}

void cs__mapset_release(cs_mapset *ms)
{
	cs__ptrvec_release(&ms->kinds);
	cs__strmap_release(&ms->by_kind);
	cs__strmap_release(&ms->by_src);
	cs__strmap_release(&ms->by_join);
	cs__ptrvec_release(&ms->joins);
	cs_arena_free(ms->a);
	ms->a = NULL;
}

const cs_map_kind *cs__mapset_kind(const cs_mapset *ms, const char *kind)
{
	return cs__strmap_get(&ms->by_kind, kind, strlen(kind), NULL);
}
