/*
 * hcl/adapter.c - the Terraform HCL adapter: root module directories to
 * raw resources of format "terraform-hcl", one per managed resource
 * instance, shaped as the plan adapter shapes a plan of the same
 * configuration (ingest/tfplan.c), so that the same mappings and checks
 * apply unchanged:
 *
 *   type      the resource type (aws_s3_bucket)
 *   name      the instance address with its module path and key
 *             (module.net.aws_vpc.main[0], aws_s3_bucket.logs["eu"])
 *   provider  aws / azure / gcp (by the type's prefix, as the plan's
 *             provider_name gives it), else the prefix itself
 *   props     the attributes set in the configuration, evaluated; nested
 *             blocks as arrays of objects (plan JSON's list and set
 *             nesting); what is known only after apply is unknown, and a
 *             value taken from another managed resource's computed
 *             attribute is unknown "ref:<address>" (the plan adapter
 *             gives its top-level unknowns the same reason), so split
 *             resources (aws_s3_bucket_versioning.bucket =
 *             aws_s3_bucket.b.id) join their bucket
 *   location  the resource block: file, line, column, last line (for
 *             inline `# cshare:ignore` comments); every value carries the
 *             line and column of the expression that produced it, and a
 *             value that comes from elsewhere (a variable's default in
 *             another file) is placed at the attribute that uses it
 *
 * Attributes the configuration leaves unset are absent here, where a plan
 * shows the provider's computed value as unknown or its default; checks
 * treat absent attributes by their mapping's defaults, as for a plan
 * without them.
 */
#include <string.h>

#include "cshare/json.h"
#include "hcl/tf_int.h"

static cs_err nomem(tf_ctx *t)
{
	cs_err e = cs_arena_error(t->a);
	return e ? e : CS_ENOMEM;
}

static const char *provider_of(tf_ctx *t, cs_str type)
{
	static const struct {
		const char *prefix, *provider;
	} map[] = { { "aws", "aws" },	      { "azurerm", "azure" }, { "azuread", "azure" },
		    { "azapi", "azure" },     { "google", "gcp" } };
	size_t n = 0;
	while (n < type.len && type.ptr[n] != '_')
		n++;
	cs_str p = { type.ptr, n };
	for (size_t i = 0; i < CS_ARRAY_SIZE(map); i++)
		if (cs_str_eqc(p, map[i].prefix))
			return map[i].provider;
	return n ? cs_arena_strndup(t->a, p.ptr, p.len) : NULL;
}

/* A copy of v where every node whose line lies outside [lo, hi] (it was
 * produced elsewhere) takes the location of its nearest ancestor inside
 * (line, col); shares what needs no change. */
static const cs_value *fix_loc(tf_ctx *t, const cs_value *v, uint32_t lo, uint32_t hi,
			       uint32_t line, uint32_t col, unsigned depth, cs_err *err)
{
	if (!v || *err || depth > CS_HCL_EVAL_MAX_DEPTH)
		return v;
	bool inside = v->line >= lo && v->line <= hi;
	uint32_t l = inside ? v->line : line, c = inside ? v->col : col;
	cs_value *copy = NULL;
	if (!inside) {
		if (!(copy = cs__v_clone(t->a, v))) {
			*err = nomem(t);
			return v;
		}
		copy->line = line;
		copy->col = col;
	}
	if (v->type == CS_VARRAY) {
		cs_value **items = NULL;
		for (size_t i = 0; i < v->u.arr.n; i++) {
			const cs_value *nv = fix_loc(t, v->u.arr.v[i], lo, hi, l, c, depth + 1, err);
			if (*err)
				return v;
			if (nv != v->u.arr.v[i] && !items) {
				if (!(items = cs_arena_alloc(t->a, v->u.arr.n * sizeof *items))) {
					*err = nomem(t);
					return v;
				}
				memcpy(items, v->u.arr.v, v->u.arr.n * sizeof *items);
			}
			if (items)
				items[i] = (cs_value *)nv;
		}
		if (items) {
			if (!copy && !(copy = cs__v_clone(t->a, v))) {
				*err = nomem(t);
				return v;
			}
			copy->u.arr.v = items;
		}
	} else if (v->type == CS_VOBJECT) {
		cs_member *m = NULL;
		for (size_t i = 0; i < v->u.obj.n; i++) {
			const cs_member *om = &v->u.obj.m[i];
			bool kin = om->line >= lo && om->line <= hi;
			/* a value from elsewhere is placed at its attribute's name */
			const cs_value *nv = fix_loc(t, om->val, lo, hi, kin ? om->line : l,
						     kin ? om->col : c, depth + 1, err);
			if (*err)
				return v;
			if ((nv != om->val || !kin) && !m) {
				if (!(m = cs_arena_alloc(t->a, v->u.obj.n * sizeof *m))) {
					*err = nomem(t);
					return v;
				}
				memcpy(m, v->u.obj.m, v->u.obj.n * sizeof *m);
			}
			if (m) {
				m[i].val = (cs_value *)nv;
				if (!kin) {
					m[i].line = l;
					m[i].col = c;
				}
			}
		}
		if (m) {
			if (!copy && !(copy = cs__v_clone(t->a, v))) {
				*err = nomem(t);
				return v;
			}
			copy->u.obj.m = m;
		}
	}
	return copy ? copy : v;
}

static cs_err emit_instance(tf_ctx *t, const tf_res *r, const tf_rinst *ri)
{
	cs_err rc = CS_OK;
	cs_raw raw;
	memset(&raw, 0, sizeof raw);
	raw.format = TF_FORMAT_HCL;
	raw.type = cs_arena_strndup(t->a, r->type.ptr, r->type.len);
	if (!raw.type)
		return nomem(t);
	raw.name = ri->addr;
	raw.provider = provider_of(t, r->type);
	raw.file = r->f->path;
	raw.line = r->it->range.line;
	raw.col = r->it->range.col;
	raw.end_line = r->it->range.end_line;
	raw.scope = t->root_dir;
	/* top-level attributes are in the block: their values are fixed
	 * relative to the attribute's own position */
	raw.props = fix_loc(t, ri->props, raw.line, raw.end_line ? raw.end_line : raw.line, raw.line,
			    raw.col, 0, &rc);
	if (rc || (rc = cs__tf_add_computed(t, r, &raw.props)))
		return rc;
	const cs_value *arn = cs_value_get(raw.props, "arn");
	if (cs_value_type(arn) == CS_VSTRING && cs_value_str(arn).len) {
		raw.arn = cs_arena_strndup(t->a, cs_value_str(arn).ptr, cs_value_str(arn).len);
		if (!raw.arn)
			return nomem(t);
	}
	return cs__ingest_add(t->in, &raw);
}

static cs_err emit_module(tf_ctx *t, tf_minst *mi)
{
	cs_err rc = CS_OK;
	const tf_module *m = mi->mod;
	for (size_t i = 0; i < m->nres && !rc; i++) {
		const tf_res *r = &m->res[i];
		const tf_rstate *rs;
		if (r->data)
			continue;
		if ((rc = cs__tf_resource(mi, i, &rs)))
			break;
		for (size_t k = 0; k < rs->ninst && !rc; k++)
			rc = emit_instance(t, r, &rs->inst[k]);
	}
	for (size_t i = 0; i < m->ncalls && !rc; i++) {
		const tf_cstate *cs;
		if ((rc = cs__tf_calls(mi, i, &cs)))
			break;
		for (size_t k = 0; !cs->absent && k < cs->ninst && !rc; k++)
			rc = emit_module(t, cs->inst[k]);
	}
	return rc;
}

/* .terraform/modules/modules.json of the root: its "Modules" array. */
static cs_err read_modules_json(tf_ctx *t)
{
	t->modjson = NULL;
	if (t->mem)
		return CS_OK;
	char *path = cs_arena_printf(t->a, "%s/.terraform/modules/modules.json", t->root_dir);
	if (!path)
		return nomem(t);
	char *data = NULL;
	size_t len = 0;
	if (cs_file_read(path, (size_t)64 << 20, &data, &len))
		return CS_OK; /* not initialized: remote modules are reported absent */
	const cs_value *root = NULL;
	char *copy = cs_arena_strndup(t->a, data, len);
	cs_free(data);
	if (!copy)
		return nomem(t);
	cs_err rc = cs_json_parse(t->a, path, copy, len, NULL, t->diag, &root, NULL);
	if (rc == CS_ENOMEM)
		return rc;
	const cs_value *mods = cs_value_get(root, "Modules");
	t->modjson = cs_value_type(mods) == CS_VARRAY ? mods : NULL;
	return CS_OK;
}

static cs_err run_root(tf_ctx *t, const tf_module *m)
{
	cs_err rc;
	tf_minst *mi;
	t->root_dir = m->dir;
	t->budget = t->o && t->o->budget ? t->o->budget : TF_DEFAULT_BUDGET;
	if ((rc = read_modules_json(t)))
		return rc;
	if ((rc = cs__tf_minst_new(t, m, NULL, NULL, "", "", &mi)))
		return rc;
	mi->given = cs_arena_alloc(t->a, (m->nvars ? m->nvars : 1) * sizeof *mi->given);
	if (!mi->given)
		return nomem(t);
	memset(mi->given, 0, (m->nvars ? m->nvars : 1) * sizeof *mi->given);
	if ((rc = cs__tf_root_vars(t, m, mi->given)))
		return rc;
	return emit_module(t, mi);
}

static void ctx_init(tf_ctx *t, cs_ingest *in, const cs__tf_opts *o)
{
	memset(t, 0, sizeof *t);
	t->in = in;
	t->a = cs__ingest_arena(in);
	t->diag = cs__ingest_diag(in);
	t->o = o;
}

static void ctx_release(tf_ctx *t)
{
	cs__hcl_open_release(&t->open);
	cs__strmap_release(&t->modcache);
	for (size_t i = 0; i < t->mods.n; i++)
		cs__tf_module_release(t->mods.v[i]);
	cs__ptrvec_release(&t->mods);
}

static cs_err result(tf_ctx *t, cs_err rc)
{
	if (rc == CS_OK && t->errors)
		rc = CS_EINVAL;
	return rc;
}

/* Marks every directory a module of `m` uses as a local source, down the
 * tree (depth-bounded). */
static cs_err mark_used(tf_ctx *t, const tf_module *m, cs_strmap *used, unsigned depth)
{
	cs_err rc = CS_OK;
	if (depth > TF_MAX_MODULE_DEPTH)
		return CS_OK;
	for (size_t i = 0; i < m->ncalls && !rc; i++) {
		if (!cs__tf_is_local_source(m->calls[i].source))
			continue;
		const char *d = cs__tf_join_source(t, m->dir, m->calls[i].source);
		if (!d)
			return nomem(t);
		if (cs__strmap_get(used, d, strlen(d), NULL))
			continue;
		if ((rc = cs__strmap_put(used, d, strlen(d), (void *)d)))
			break;
		const tf_module *sub = cs__strmap_get(&t->modcache, d, strlen(d), NULL);
		if (sub)
			rc = mark_used(t, sub, used, depth + 1);
	}
	return rc;
}

cs_err cs__tf_extract_dirs(cs_ingest *in, const char *const *dirs, size_t ndirs,
			   const cs__tf_opts *o)
{
	cs_err rc = CS_OK;
	tf_ctx t;
	cs_strmap used = { 0 };
	const tf_module **mods = NULL;
	ctx_init(&t, in, o);
	mods = cs_calloc(ndirs ? ndirs : 1, sizeof *mods);
	if (!mods) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < ndirs && !rc; i++) {
		const char *d = cs__tf_join_source(&t, dirs[i], CS_STR_LIT("."));
		if (!d) {
			rc = nomem(&t);
			break;
		}
		rc = cs__tf_module_load(&t, d, true, &mods[i]);
	}
	for (size_t i = 0; i < ndirs && !rc; i++)
		if (mods[i])
			rc = mark_used(&t, mods[i], &used, 0);
	for (size_t i = 0; i < ndirs && !rc; i++) {
		if (!mods[i] || cs__strmap_get(&used, mods[i]->dir, strlen(mods[i]->dir), NULL))
			continue;
		rc = run_root(&t, mods[i]);
	}
out:
	rc = result(&t, rc);
	cs__strmap_release(&used);
	cs_free(mods);
	ctx_release(&t);
	return rc;
}

cs_err cs__tf_extract_files(cs_ingest *in, const char *dir, const cs__tf_memfile *files,
			    size_t nfiles, const cs__tf_opts *o)
{
	cs_err rc;
	tf_ctx t;
	const tf_module *m = NULL;
	ctx_init(&t, in, o);
	t.mem = files;
	t.nmem = nfiles;
	const char *d = cs__tf_join_source(&t, dir, CS_STR_LIT("."));
	rc = d ? cs__tf_module_load(&t, d, true, &m) : nomem(&t);
	t.mem = NULL; /* child modules come from disk */
	if (!rc && m)
		rc = run_root(&t, m);
	rc = result(&t, rc);
	ctx_release(&t);
	return rc;
}
