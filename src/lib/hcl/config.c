/*
 * hcl/config.c - a Terraform module as written: the .tf and .tf.json files
 * of one directory (Terraform docs, "Modules": "a module is a collection of
 * .tf and/or .tf.json files kept together in a directory"), indexed by
 * what they declare: variables, locals, outputs, managed resources, data
 * sources and module calls.  Root modules also collect their variable
 * definition files (terraform.tfvars, terraform.tfvars.json,
 * *.auto.tfvars, *.auto.tfvars.json).
 *
 * Override files (override.tf, *_override.tf) merge into other blocks in
 * Terraform; they are not merged here: they are skipped with a warning.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hcl/tf_int.h"

void cs__tf_diag(tf_ctx *t, cs_severity sev, const char *file, uint32_t line, uint32_t col,
		 const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sev == CS_SEV_ERROR)
		t->errors++;
	cs_diag_emit(t->diag, sev, sev == CS_SEV_ERROR ? CS_EINVAL : CS_OK, file, line, col, NULL,
		     "%s", msg);
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

bool cs__tf_is_config_name(const char *name)
{
	name = base_name(name);
	return *name != '.' && (has_suffix(name, ".tf") || has_suffix(name, ".tf.json"));
}

bool cs__tf_is_tfvars_name(const char *name)
{
	name = base_name(name);
	return *name != '.' && (has_suffix(name, ".tfvars") || has_suffix(name, ".tfvars.json"));
}

static bool is_override(const char *name)
{
	name = base_name(name);
	return strcmp(name, "override.tf") == 0 || strcmp(name, "override.tf.json") == 0 ||
	       has_suffix(name, "_override.tf") || has_suffix(name, "_override.tf.json");
}

/* The tfvars files Terraform reads by itself, and their rank: 0 for
 * terraform.tfvars, 1 for terraform.tfvars.json, 2 for *.auto.tfvars(.json)
 * (in lexical order among themselves); -1 for others (read only when named
 * with -var-file). */
static int tfvars_rank(const char *name)
{
	name = base_name(name);
	if (strcmp(name, "terraform.tfvars") == 0)
		return 0;
	if (strcmp(name, "terraform.tfvars.json") == 0)
		return 1;
	if (has_suffix(name, ".auto.tfvars") || has_suffix(name, ".auto.tfvars.json"))
		return 2;
	return -1;
}

cs_err cs__tf_read(tf_ctx *t, const char *path, const char **data, size_t *len)
{
	if (t->o && t->o->load)
		return t->o->load(t->o->load_ud, path, data, len);
	char *buf = NULL;
	size_t n = 0;
	cs_err rc = cs_file_read(path, (size_t)64 << 20, &buf, &n);
	if (rc)
		return rc;
	char *c = cs_arena_strndup(t->a, buf, n);
	cs_free(buf);
	if (!c)
		return CS_ENOMEM;
	*data = c;
	*len = n;
	return CS_OK;
}

static const cs_hcl_blockspec top_spec[] = {
	{ "variable", 1 }, { "locals", 0 },   { "output", 1 },    { "resource", 2 },
	{ "data", 2 },     { "module", 1 },   { "provider", 1 },  { "terraform", 0 },
	{ "moved", 0 },    { "import", 0 },   { "check", 1 },     { "removed", 0 },
	{ "ephemeral", 2 },
};

typedef struct mbuild {
	tf_module *m;
	cs_ptrvec files, vars, locals, outs, res, calls, tfvars;
} mbuild;

static cs_err push_copy(cs_arena *a, cs_ptrvec *v, const void *item, size_t size)
{
	void *p = cs_arena_alloc(a, size);
	if (!p)
		return CS_ENOMEM;
	memcpy(p, item, size);
	return cs__ptrvec_push(v, p);
}

/* A block's body, resolved when it is a JSON body. */
static const cs_hcl_body *resolved(tf_ctx *t, const cs_hcl_body *b, const cs_hcl_blockspec *spec,
				   size_t n)
{
	const cs_hcl_body *out = b;
	if (b && b->json && cs__hcl_body_resolve(t->a, b, spec, n, t->diag, &out) == CS_ENOMEM)
		return NULL;
	return out ? out : b;
}

/* A JSON-variant `type = "list(string)"`: the string is an expression. */
static const cs_hcl_expr *type_expr(tf_ctx *t, const tf_file *f, const cs_hcl_expr *e)
{
	if (e && (e->flags & CS_HCL_F_JSON) && e->kind == CS_HCL_E_LITERAL &&
	    e->u.lit.kind == CS_HCL_LIT_STRING) {
		cs_hcl_expr *p = NULL;
		if (cs__hcl_parse_expr(t->a, f->path, e->range.line, e->range.col, e->u.lit.s.ptr,
				       e->u.lit.s.len, t->diag, &p) == CS_OK)
			return p;
	}
	return e;
}

static cs_err add_block(tf_ctx *t, mbuild *mb, const tf_file *f, const cs_hcl_item *it)
{
	cs_err rc = CS_OK;
	cs_str kind = it->name;
	static const cs_hcl_blockspec var_spec[] = { { "validation", 0 } };
	static const cs_hcl_blockspec res_spec[] = {
		{ "lifecycle", 0 }, { "provisioner", 1 }, { "connection", 0 }, { "dynamic", 1 }
	};
	if (cs_str_eqc(kind, "variable") && it->nlabels == 1) {
		tf_var v;
		memset(&v, 0, sizeof v);
		v.name = it->labels[0].text;
		v.f = f;
		v.it = it;
		v.nullable = true;
		const cs_hcl_body *b = resolved(t, it->body, var_spec, CS_ARRAY_SIZE(var_spec));
		if (!b)
			return CS_ENOMEM;
		const cs_hcl_item *ty = cs__hcl_body_attr(b, "type");
		const cs_hcl_item *df = cs__hcl_body_attr(b, "default");
		const cs_hcl_item *nl = cs__hcl_body_attr(b, "nullable");
		v.type = ty ? type_expr(t, f, ty->expr) : NULL;
		v.def = df ? df->expr : NULL;
		if (nl && nl->expr->kind == CS_HCL_E_LITERAL && nl->expr->u.lit.kind == CS_HCL_LIT_BOOL)
			v.nullable = nl->expr->u.lit.b;
		rc = push_copy(t->a, &mb->vars, &v, sizeof v);
	} else if (cs_str_eqc(kind, "locals") && it->nlabels == 0) {
		const cs_hcl_body *b = resolved(t, it->body, NULL, 0);
		if (!b)
			return CS_ENOMEM;
		for (size_t i = 0; i < b->n && !rc; i++) {
			const cs_hcl_item *a = b->items[i];
			if (a->kind != CS_HCL_ATTR) {
				cs__tf_diag(t, CS_SEV_ERROR, f->path, a->range.line, a->range.col,
					    "Unexpected \"%.*s\" block: Blocks are not allowed here.",
					    (int)a->name.len, a->name.ptr);
				continue;
			}
			tf_named l = { a->name, f, a, a->expr };
			rc = push_copy(t->a, &mb->locals, &l, sizeof l);
		}
	} else if (cs_str_eqc(kind, "output") && it->nlabels == 1) {
		const cs_hcl_body *b = resolved(t, it->body, NULL, 0);
		if (!b)
			return CS_ENOMEM;
		const cs_hcl_item *v = cs__hcl_body_attr(b, "value");
		tf_named o = { it->labels[0].text, f, it, v ? v->expr : NULL };
		rc = push_copy(t->a, &mb->outs, &o, sizeof o);
	} else if ((cs_str_eqc(kind, "resource") || cs_str_eqc(kind, "data")) && it->nlabels == 2) {
		tf_res r;
		memset(&r, 0, sizeof r);
		r.data = cs_str_eqc(kind, "data");
		r.type = it->labels[0].text;
		r.name = it->labels[1].text;
		r.f = f;
		r.it = it;
		r.body = resolved(t, it->body, res_spec, CS_ARRAY_SIZE(res_spec));
		if (!r.body)
			return CS_ENOMEM;
		const cs_hcl_item *c = cs__hcl_body_attr(r.body, "count");
		const cs_hcl_item *fe = cs__hcl_body_attr(r.body, "for_each");
		r.count = c ? c->expr : NULL;
		r.for_each = fe ? fe->expr : NULL;
		if (r.count && r.for_each)
			cs__tf_diag(t, CS_SEV_ERROR, f->path, c->range.line, c->range.col,
				    "Invalid combination of \"count\" and \"for_each\": The \"count\" "
				    "and \"for_each\" meta-arguments are mutually-exclusive, only one "
				    "should be used to be explicit about the number of resources to "
				    "be created.");
		rc = push_copy(t->a, &mb->res, &r, sizeof r);
	} else if (cs_str_eqc(kind, "module") && it->nlabels == 1) {
		tf_call c;
		memset(&c, 0, sizeof c);
		c.name = it->labels[0].text;
		c.f = f;
		c.it = it;
		c.body = resolved(t, it->body, NULL, 0);
		if (!c.body)
			return CS_ENOMEM;
		const cs_hcl_item *s = cs__hcl_body_attr(c.body, "source");
		const cs_hcl_item *n = cs__hcl_body_attr(c.body, "count");
		const cs_hcl_item *fe = cs__hcl_body_attr(c.body, "for_each");
		c.count = n ? n->expr : NULL;
		c.for_each = fe ? fe->expr : NULL;
		if (s && s->expr->kind == CS_HCL_E_LITERAL && s->expr->u.lit.kind == CS_HCL_LIT_STRING)
			c.source = s->expr->u.lit.s;
		else
			cs__tf_diag(t, CS_SEV_ERROR, f->path, it->range.line, it->range.col,
				    "Missing required argument: The argument \"source\" is required, "
				    "and must be a literal string (module \"%.*s\").",
				    (int)c.name.len, c.name.ptr);
		rc = push_copy(t->a, &mb->calls, &c, sizeof c);
	}
	return rc;
}

static cs_err load_file(tf_ctx *t, mbuild *mb, const char *path, const char *data, size_t len,
			bool tfvars)
{
	cs_err rc;
	cs_hcl_file *ast = NULL;
	rc = cs__hcl_parse_any(t->a, path, data, len, t->diag, &ast);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	if (rc)
		t->errors++;
	if (!ast)
		return CS_OK;
	tf_file f = { path, ast, NULL };
	f.body = tfvars ? resolved(t, ast->body, NULL, 0)
			: resolved(t, ast->body, top_spec, CS_ARRAY_SIZE(top_spec));
	if (!f.body)
		return CS_ENOMEM;
	tf_file *fp = cs_arena_alloc(t->a, sizeof *fp);
	if (!fp)
		return CS_ENOMEM;
	*fp = f;
	if (tfvars)
		return cs__ptrvec_push(&mb->tfvars, fp);
	if ((rc = cs__ptrvec_push(&mb->files, fp)))
		return rc;
	for (size_t i = 0; i < f.body->n && !rc; i++)
		if (f.body->items[i]->kind == CS_HCL_BLOCK)
			rc = add_block(t, mb, fp, f.body->items[i]);
	return rc;
}

/* Copies a vector of item pointers into an array of items and indexes it
 * by name (duplicates are diagnosed, the first kept). */
static cs_err finish(tf_ctx *t, const cs_ptrvec *v, size_t size, void **arr, size_t *n,
		     cs_strmap *ix, const char *what)
{
	cs_err rc = CS_OK;
	char *a = cs_arena_alloc(t->a, (v->n ? v->n : 1) * size);
	if (!a)
		return CS_ENOMEM;
	for (size_t i = 0; i < v->n; i++)
		memcpy(a + i * size, v->v[i], size);
	*arr = a;
	*n = v->n;
	for (size_t i = 0; i < v->n && ix && !rc; i++) {
		const char *item = a + i * size;
		cs_str name;
		const tf_file *f;
		const cs_hcl_item *it;
		const char *key;
		size_t klen;
		if (strcmp(what, "resource") == 0) {
			const tf_res *r = (const tf_res *)(const void *)item;
			char *k = cs_arena_printf(t->a, "%s%.*s.%.*s", r->data ? "data." : "",
						  (int)r->type.len, r->type.ptr, (int)r->name.len,
						  r->name.ptr);
			if (!k)
				return CS_ENOMEM;
			key = k;
			klen = strlen(k);
			f = r->f;
			it = r->it;
			name = cs_str_c(k);
		} else {
			/* tf_var, tf_named and tf_call all start with name, f, it */
			const tf_named *x = (const tf_named *)(const void *)item;
			name = x->name;
			f = x->f;
			it = x->it;
			key = name.ptr;
			klen = name.len;
		}
		if (cs__strmap_get(ix, key, klen, NULL)) {
			cs__tf_diag(t, CS_SEV_ERROR, f->path, it->range.line, it->range.col,
				    "Duplicate %s: %s \"%.*s\" was already declared in this module.",
				    what, what, (int)name.len, name.ptr);
			continue;
		}
		rc = cs__strmap_put(ix, key, klen, (void *)(uintptr_t)(i + 1));
	}
	return rc;
}

void cs__tf_module_release(tf_module *m)
{
	cs__strmap_release(&m->var_ix);
	cs__strmap_release(&m->local_ix);
	cs__strmap_release(&m->out_ix);
	cs__strmap_release(&m->res_ix);
	cs__strmap_release(&m->call_ix);
}

static int tfvars_cmp(const void *x, const void *y)
{
	const tf_file *a = *(const tf_file *const *)x, *b = *(const tf_file *const *)y;
	int ra = tfvars_rank(a->path), rb = tfvars_rank(b->path);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(base_name(a->path), base_name(b->path));
}

cs_err cs__tf_module_load(tf_ctx *t, const char *dir, bool root, const tf_module **out)
{
	cs_err rc = CS_OK;
	mbuild mb;
	cs_ptrvec names = { 0 };
	memset(&mb, 0, sizeof mb);
	*out = cs__strmap_get(&t->modcache, dir, strlen(dir), NULL);
	if (*out)
		return CS_OK;
	tf_module *m = cs_arena_alloc(t->a, sizeof *m);
	if (!m)
		return CS_ENOMEM;
	memset(m, 0, sizeof *m);
	m->dir = cs_arena_strdup(t->a, dir);
	if (!m->dir) {
		rc = CS_ENOMEM;
		goto out;
	}
	mb.m = m;
	size_t nconf = 0;
	if (root && t->mem) {
		for (size_t i = 0; i < t->nmem && !rc; i++) {
			const cs__tf_memfile *mf = &t->mem[i];
			bool conf = cs__tf_is_config_name(mf->name);
			if (!conf && tfvars_rank(mf->name) < 0)
				continue;
			char *p = strcmp(dir, ".") == 0 ? cs_arena_strdup(t->a, mf->name)
							 : cs_arena_printf(t->a, "%s/%s", dir, mf->name);
			if (!p) {
				rc = CS_ENOMEM;
				goto out;
			}
			nconf += conf;
			rc = load_file(t, &mb, p, mf->data, mf->len, !conf);
		}
	} else {
		rc = cs__dir_sorted(t->a, dir, &names);
		if (rc == CS_EIO) {
			cs__tf_diag(t, CS_SEV_ERROR, dir, 0, 0, "cannot read module directory");
			rc = CS_OK;
			m = NULL;
			goto out;
		}
		for (size_t i = 0; i < names.n && !rc; i++) {
			const char *p = names.v[i];
			bool conf = cs__tf_is_config_name(p);
			struct stat st;
			if ((!conf && !(root && tfvars_rank(p) >= 0)) || stat(p, &st) != 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			if (conf && is_override(p)) {
				cs__tf_diag(t, CS_SEV_WARNING, p, 0, 0,
					    "override files are not merged by cshare; skipped");
				continue;
			}
			const char *data = NULL;
			size_t len = 0;
			cs_err lr = cs__tf_read(t, p, &data, &len);
			if (lr == CS_ENOMEM) {
				rc = lr;
				goto out;
			}
			if (lr) {
				cs__tf_diag(t, CS_SEV_ERROR, p, 0, 0, "cannot read: %s", cs_strerror(lr));
				continue;
			}
			nconf += conf;
			rc = load_file(t, &mb, p, data, len, !conf);
		}
	}
	if (rc)
		goto out;
	if (!nconf) {
		m = NULL;
		goto out;
	}
	if ((rc = finish(t, &mb.files, sizeof(tf_file), (void **)&m->files, &m->nfiles, NULL, "file")) ||
	    (rc = finish(t, &mb.vars, sizeof(tf_var), (void **)&m->vars, &m->nvars, &m->var_ix,
			 "variable")) ||
	    (rc = finish(t, &mb.locals, sizeof(tf_named), (void **)&m->locals, &m->nlocals,
			 &m->local_ix, "local value")) ||
	    (rc = finish(t, &mb.outs, sizeof(tf_named), (void **)&m->outs, &m->nouts, &m->out_ix,
			 "output")) ||
	    (rc = finish(t, &mb.res, sizeof(tf_res), (void **)&m->res, &m->nres, &m->res_ix,
			 "resource")) ||
	    (rc = finish(t, &mb.calls, sizeof(tf_call), (void **)&m->calls, &m->ncalls, &m->call_ix,
			 "module call")))
		goto out;
	if (mb.tfvars.n > 1)
		qsort(mb.tfvars.v, mb.tfvars.n, sizeof(void *), tfvars_cmp);
	if ((rc = finish(t, &mb.tfvars, sizeof(tf_file), (void **)&m->tfvars, &m->ntfvars, NULL,
			 "file")))
		goto out;
	if (!(rc = cs__ptrvec_push(&t->mods, m)))
		rc = cs__strmap_put(&t->modcache, m->dir, strlen(m->dir), m);
out:
	cs__ptrvec_release(&names);
	cs__ptrvec_release(&mb.files);
	cs__ptrvec_release(&mb.vars);
	cs__ptrvec_release(&mb.locals);
	cs__ptrvec_release(&mb.outs);
	cs__ptrvec_release(&mb.res);
	cs__ptrvec_release(&mb.calls);
	cs__ptrvec_release(&mb.tfvars);
	if (rc && m && (!t->mods.n || t->mods.v[t->mods.n - 1] != m))
		cs__tf_module_release(m);
	*out = rc ? NULL : m;
	return rc;
}
