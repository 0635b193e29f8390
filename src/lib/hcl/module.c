/*
 * hcl/module.c - module instances of a Terraform configuration and the
 * evaluation of what they name (Terraform docs: "References to Named
 * Values", "count", "for_each", "dynamic Blocks", "Modules").
 *
 * Everything is evaluated on demand and cached per module instance: a
 * variable, a local value, an output, a resource (all its instances at
 * once) or a module call (its instances).  A value being evaluated is
 * marked busy; meeting it again is a cycle: for locals and outputs that is
 * diagnosed ("Cycle: local.a, local.b") and the value is unknown; for
 * resources (which may legitimately refer to each other's computed
 * attributes through other paths) the value is unknown "ref:<address>".
 *
 * Names resolve as in Terraform:
 *   var.N              the module's input variable (root: vars.c; child:
 *                      the call's argument), converted to its type
 *   local.N            the local value
 *   each.key/value, count.index   bound by the evaluator while a counted
 *                      or for_each resource/module instance is evaluated
 *   path.module/root/cwd, terraform.workspace ("default")
 *   module.C[.K].O     an output of a module call instance
 *   data.T.N...        unknown: "data.T.N.attr is known only after apply"
 *   T.N[K].A           a managed resource: its configured attributes; any
 *                      attribute the configuration does not set is
 *                      unknown "ref:<address>", like a plan's
 *                      after_unknown (computed: id, arn, ...)
 *
 * count or for_each whose value is unknown: the instances are not known
 * (a plan would not know them either).  The resource gets one instance
 * whose key is written [*] (Terraform's notation for not yet expanded
 * instances) and whose body is evaluated once with each.key, each.value
 * and count.index unknown, so its known settings are still audited; a
 * note says so.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hcl/funcs.h"
#include "hcl/tf_int.h"

typedef struct rud {
	tf_minst *mi;
} rud;

static cs_err resolve(void *ud, cs__hcl_ectx *cx, const cs_hcl_expr *root, const cs__hcl_step *steps,
		      size_t n, size_t *used, const cs_value **out);

static cs_err nomem(tf_ctx *t)
{
	cs_err e = cs_arena_error(t->a);
	return e ? e : CS_ENOMEM;
}

cs_err cs__tf_minst_new(tf_ctx *t, const tf_module *m, tf_minst *parent, const tf_call *call,
			const char *addr, const char *keypath, tf_minst **out)
{
	tf_minst *mi = cs_arena_alloc(t->a, sizeof *mi);
	*out = NULL;
	if (!mi)
		return nomem(t);
	memset(mi, 0, sizeof *mi);
	mi->t = t;
	mi->mod = m;
	mi->addr = addr;
	mi->keypath = keypath;
	mi->parent = parent;
	mi->call = call;
	mi->depth = parent ? parent->depth + 1 : 0;
	size_t nv = m->nvars ? m->nvars : 1, nl = m->nlocals ? m->nlocals : 1;
	size_t no = m->nouts ? m->nouts : 1, nr = m->nres ? m->nres : 1;
	size_t nc = m->ncalls ? m->ncalls : 1;
	mi->var_val = cs_arena_alloc(t->a, nv * sizeof *mi->var_val);
	mi->var_st = cs_arena_alloc(t->a, nv);
	mi->loc_val = cs_arena_alloc(t->a, nl * sizeof *mi->loc_val);
	mi->loc_st = cs_arena_alloc(t->a, nl);
	mi->out_val = cs_arena_alloc(t->a, no * sizeof *mi->out_val);
	mi->out_st = cs_arena_alloc(t->a, no);
	mi->rs = cs_arena_alloc(t->a, nr * sizeof *mi->rs);
	mi->cs = cs_arena_alloc(t->a, nc * sizeof *mi->cs);
	if (!mi->var_val || !mi->var_st || !mi->loc_val || !mi->loc_st || !mi->out_val ||
	    !mi->out_st || !mi->rs || !mi->cs)
		return nomem(t);
	memset(mi->var_st, 0, nv);
	memset(mi->loc_st, 0, nl);
	memset(mi->out_st, 0, no);
	memset(mi->rs, 0, nr * sizeof *mi->rs);
	memset(mi->cs, 0, nc * sizeof *mi->cs);
	*out = mi;
	return CS_OK;
}

cs_err cs__tf_eval(tf_minst *mi, const tf_file *f, cs__hcl_bind *binds, const cs_hcl_expr *e,
		   const cs_value **out)
{
	tf_ctx *t = mi->t;
	cs__hcl_ectx cx;
	rud u = { mi };
	cs__hcl_ectx_init(&cx, t->a, t->diag, f->path, mi->mod->dir, resolve, &u);
	cx.binds = binds;
	cx.open = &t->open;
	cx.budget_on = true;
	cx.budget = t->budget;
	cs_err rc = cs__hcl_eval(&cx, e, out);
	t->budget = cx.budget;
	if (rc == CS_EINVAL) {
		t->errors++;
		const char *why = cx.last_error ? cx.last_error : "evaluation error";
		*out = cs__hcl_unknownf(t->a, e->range.line, e->range.col, "error: %s", why);
		rc = *out ? CS_OK : nomem(t);
	}
	return rc;
}

/* ---- variables, locals, outputs ------------------------------------------ */

static cs_err var_value(tf_minst *mi, size_t i, const cs_value **out)
{
	tf_ctx *t = mi->t;
	cs_err rc = CS_OK;
	const tf_var *v = &mi->mod->vars[i];
	if (mi->var_st[i] == TF_ST_DONE) {
		*out = mi->var_val[i];
		return CS_OK;
	}
	if (mi->var_st[i] == TF_ST_BUSY) {
		*out = cs__hcl_unknownf(t->a, v->it->range.line, v->it->range.col,
					"cycle: var.%.*s depends on itself", (int)v->name.len,
					v->name.ptr);
		return *out ? CS_OK : nomem(t);
	}
	mi->var_st[i] = TF_ST_BUSY;
	const cs_value *val = NULL;
	const char *src_file = v->f->path;
	const cs_hcl_item *arg = NULL;
	if (mi->call) {
		const char *nm = cs_arena_strndup(t->a, v->name.ptr, v->name.len);
		if (!nm) {
			rc = nomem(t);
			goto out;
		}
		arg = cs__hcl_body_attr(mi->call->body, nm);
	}
	if (arg) {
		/* the call's argument, evaluated in the calling module */
		cs__hcl_bind be, bc;
		cs__hcl_bind *b = NULL;
		if (mi->each) {
			be = (cs__hcl_bind){ CS_STR_LIT("each"), mi->each, b };
			b = &be;
		}
		if (mi->count) {
			bc = (cs__hcl_bind){ CS_STR_LIT("count"), mi->count, b };
			b = &bc;
		}
		rc = cs__tf_eval(mi->parent, mi->call->f, b, arg->expr, &val);
		src_file = mi->call->f->path;
	} else if (!mi->call && mi->given && mi->given[i]) {
		val = mi->given[i];
	} else if (v->def) {
		rc = cs__tf_eval(mi, v->f, NULL, v->def, &val);
	} else {
		if (mi->call)
			cs__tf_diag(t, CS_SEV_ERROR, mi->call->f->path, mi->call->it->range.line,
				    mi->call->it->range.col,
				    "Missing required argument: The argument \"%.*s\" is required, "
				    "but no definition was found.",
				    (int)v->name.len, v->name.ptr);
		val = cs__hcl_unknownf(t->a, v->it->range.line, v->it->range.col,
				       "var.%.*s has no value", (int)v->name.len, v->name.ptr);
		if (!val)
			rc = nomem(t);
	}
	if (rc)
		goto out;
	if (val->type == CS_VNULL && v->def && !v->nullable) {
		/* nullable = false: null means "use the default" */
		if ((rc = cs__tf_eval(mi, v->f, NULL, v->def, &val)))
			goto out;
	}
	if (v->type) {
		cs__hcl_ectx cx;
		const char *why = NULL;
		const cs_value *cv = NULL;
		cs__hcl_ectx_init(&cx, t->a, t->diag, v->f->path, mi->mod->dir, NULL, NULL);
		rc = cs__hcl_convert(&cx, v->type, val, &cv, &why);
		if (rc == CS_EINVAL) {
			cs__tf_diag(t, CS_SEV_ERROR, src_file, val->line ? val->line : v->it->range.line,
				    val->line ? val->col : v->it->range.col,
				    "Invalid value for input variable: The given value is not suitable "
				    "for var.%.*s declared at %s:%u,%u: %s.",
				    (int)v->name.len, v->name.ptr, v->f->path, v->it->range.line,
				    v->it->range.col, why);
			cv = cs__hcl_unknownf(t->a, v->it->range.line, v->it->range.col,
					      "var.%.*s has an invalid value", (int)v->name.len,
					      v->name.ptr);
			rc = cv ? CS_OK : nomem(t);
		}
		val = cv;
	}
out:
	mi->var_val[i] = val;
	mi->var_st[i] = TF_ST_DONE;
	*out = val;
	return rc;
}

static cs_err named_value(tf_minst *mi, const tf_named *arr, const cs_value **vals, uint8_t *st,
			  size_t i, const char *what, const cs_value **out)
{
	tf_ctx *t = mi->t;
	cs_err rc = CS_OK;
	const tf_named *l = &arr[i];
	if (st[i] == TF_ST_DONE) {
		*out = vals[i];
		return CS_OK;
	}
	if (st[i] == TF_ST_BUSY) {
		cs__tf_diag(t, CS_SEV_ERROR, l->f->path, l->it->range.line, l->it->range.col,
			    "Cycle: %s.%.*s refers to itself (directly or through other values)",
			    what, (int)l->name.len, l->name.ptr);
		*out = cs__hcl_unknownf(t->a, l->it->range.line, l->it->range.col,
					"cycle: %s.%.*s depends on itself", what, (int)l->name.len,
					l->name.ptr);
		return *out ? CS_OK : nomem(t);
	}
	st[i] = TF_ST_BUSY;
	const cs_value *v = NULL;
	if (l->expr) {
		rc = cs__tf_eval(mi, l->f, NULL, l->expr, &v);
	} else {
		v = cs__v_null(t->a, l->it->range.line, l->it->range.col);
		if (!v)
			rc = nomem(t);
	}
	vals[i] = v;
	st[i] = TF_ST_DONE;
	*out = v;
	return rc;
}

/* ---- expansion (count / for_each) ----------------------------------------- */

typedef struct expansion {
	bool keyed, counted, unknown;
	const cs_value *unk;
	size_t n;
	const cs_value **keys; /* for_each: key strings; count: numbers */
	const cs_value **vals; /* for_each: each.value */
} expansion;

static cs_err expand(tf_minst *mi, const tf_file *f, const cs_hcl_expr *count,
		     const cs_hcl_expr *for_each, expansion *x)
{
	tf_ctx *t = mi->t;
	cs_err rc = CS_OK;
	memset(x, 0, sizeof *x);
	x->n = 1;
	if (!count && !for_each)
		return CS_OK;
	const cs_hcl_expr *e = count ? count : for_each;
	const cs_value *v;
	if ((rc = cs__tf_eval(mi, f, NULL, e, &v)))
		return rc;
	x->counted = count != NULL;
	x->keyed = !count;
	const cs_value *u = NULL;
	if (v->type == CS_VUNKNOWN || (for_each && v->type == CS_VARRAY && cs__hcl_val_unknown(v, &u))) {
		x->unknown = true;
		x->unk = v->type == CS_VUNKNOWN ? v : u;
		return CS_OK;
	}
	if (count) {
		double d = 0;
		if (v->type == CS_VNUMBER)
			d = v->u.num.d;
		else if (!(v->type == CS_VSTRING && cs__hcl_parse_num(v->u.s, &d))) {
			cs__tf_diag(t, CS_SEV_ERROR, f->path, e->range.line, e->range.col,
				    "Invalid count argument: The given \"count\" argument value is "
				    "unsuitable: %s.",
				    v->type == CS_VNULL ? "must not be null" : "a number is required");
			x->n = 0;
			return CS_OK;
		}
		if (d < 0 || d != floor(d) || d > TF_MAX_INSTANCES) {
			cs__tf_diag(t, CS_SEV_ERROR, f->path, e->range.line, e->range.col,
				    "Invalid count argument: The given \"count\" argument value is "
				    "unsuitable: %s.",
				    d < 0 ? "must be greater than or equal to zero"
					  : d != floor(d) ? "must be a whole number"
							  : "too many instances for cshare (over 1,000,000)");
			x->n = 0;
			return CS_OK;
		}
		x->n = (size_t)d;
		x->keys = cs_arena_alloc(t->a, (x->n ? x->n : 1) * sizeof *x->keys);
		if (!x->keys)
			return nomem(t);
		for (size_t i = 0; i < x->n; i++)
			if (!(x->keys[i] = cs__hcl_mknum(t->a, (double)i, e->range.line, e->range.col)))
				return nomem(t);
		return CS_OK;
	}
	if (v->type == CS_VOBJECT) {
		x->n = v->u.obj.n;
		x->keys = cs_arena_alloc(t->a, (x->n ? x->n : 1) * sizeof *x->keys);
		x->vals = cs_arena_alloc(t->a, (x->n ? x->n : 1) * sizeof *x->vals);
		if (!x->keys || !x->vals)
			return nomem(t);
		for (size_t i = 0; i < x->n; i++) {
			const cs_member *m = &v->u.obj.m[i];
			x->vals[i] = m->val;
			if (!(x->keys[i] = cs__v_str(t->a, m->key, m->line, m->col)))
				return nomem(t);
		}
		return CS_OK;
	}
	if (v->type == CS_VARRAY) {
		bool strings = true;
		for (size_t i = 0; i < v->u.arr.n; i++)
			if (v->u.arr.v[i]->type != CS_VSTRING)
				strings = false;
		if (!(v->flags & CS_VF_HCLSET) || !strings) {
			cs__tf_diag(t, CS_SEV_ERROR, f->path, e->range.line, e->range.col,
				    "Invalid for_each argument: The given \"for_each\" argument value "
				    "is unsuitable: the \"for_each\" argument must be a map, or set of "
				    "strings, and you have provided a value of type %s.",
				    (v->flags & CS_VF_HCLSET) ? "set of non-strings" : "tuple");
			x->n = 0;
			return CS_OK;
		}
		x->n = v->u.arr.n;
		x->keys = (const cs_value **)v->u.arr.v;
		x->vals = (const cs_value **)v->u.arr.v;
		return CS_OK;
	}
	cs__tf_diag(t, CS_SEV_ERROR, f->path, e->range.line, e->range.col,
		    "Invalid for_each argument: The given \"for_each\" argument value is "
		    "unsuitable: %s.",
		    v->type == CS_VNULL ? "the given \"for_each\" argument value is null"
					: "the \"for_each\" argument must be a map, or set of strings");
	x->n = 0;
	return CS_OK;
}

/* "[0]", "[\"eu\"]" (quotes and backslashes escaped) or "[*]". */
static const char *key_suffix(tf_ctx *t, const expansion *x, size_t i)
{
	if (x->unknown)
		return "[*]";
	if (!x->keyed && !x->counted)
		return "";
	const cs_value *k = x->keys[i];
	if (k->type == CS_VNUMBER)
		return cs_arena_printf(t->a, "[%.0f]", k->u.num.d);
	cs_buf b;
	cs_buf_init(&b, (size_t)1 << 20);
	cs_err rc = cs_buf_puts(&b, "[\"");
	for (size_t j = 0; j < k->u.s.len && !rc; j++) {
		char c = k->u.s.ptr[j];
		if (c == '"' || c == '\\')
			rc = cs_buf_putc(&b, '\\');
		if (!rc)
			rc = cs_buf_putc(&b, c);
	}
	if (!rc)
		rc = cs_buf_puts(&b, "\"]");
	const char *s = rc ? NULL : cs_arena_strndup(t->a, b.data, b.len);
	cs_buf_release(&b);
	return s;
}

/* The each / count binding objects for instance i. */
static cs_err bindings(tf_ctx *t, const expansion *x, size_t i, const cs_hcl_expr *at,
		       const cs_value **each, const cs_value **count)
{
	uint32_t l = at ? at->range.line : 0, c = at ? at->range.col : 0;
	*each = *count = NULL;
	if (x->unknown) {
		const char *why = x->unk->u.unk.reason.ptr;
		cs_value *ku = cs__v_unknown(t->a, why, l, c), *vu = cs__v_unknown(t->a, why, l, c);
		if (!ku || !vu)
			return nomem(t);
		ku->u.unk.reason = vu->u.unk.reason = x->unk->u.unk.reason;
		cs_member m[2] = { { CS_STR_LIT("key"), ku, l, c }, { CS_STR_LIT("value"), vu, l, c } };
		cs_member mc[1] = { { CS_STR_LIT("index"), ku, l, c } };
		if (x->counted)
			*count = cs__v_object(t->a, mc, 1, l, c);
		else
			*each = cs__v_object(t->a, m, 2, l, c);
		return (*each || *count) ? CS_OK : nomem(t);
	}
	if (x->counted) {
		cs_member mc[1] = { { CS_STR_LIT("index"), (cs_value *)x->keys[i], l, c } };
		*count = cs__v_object(t->a, mc, 1, l, c);
		return *count ? CS_OK : nomem(t);
	}
	if (x->keyed) {
		cs_member m[2] = { { CS_STR_LIT("key"), (cs_value *)x->keys[i], l, c },
				   { CS_STR_LIT("value"), (cs_value *)x->vals[i], l, c } };
		*each = cs__v_object(t->a, m, 2, l, c);
		return *each ? CS_OK : nomem(t);
	}
	return CS_OK;
}

/* ---- resource bodies ------------------------------------------------------ */

typedef struct group {
	cs_str name;
	uint32_t line, col;
	cs_ptrvec items;
	const cs_value *unk; /* a dynamic block over an unknown collection */
} group;

typedef struct bodyb {
	cs_member *m;
	size_t n, cap;
	group *g;
	size_t ng, gcap;
} bodyb;

static cs_err body_props(tf_minst *mi, const tf_file *f, cs__hcl_bind *binds,
			 const cs_hcl_body *body, bool top, unsigned depth, const char *open,
			 const cs_value **out);

static cs_err add_member(bodyb *bb, cs_str key, const cs_value *v, uint32_t l, uint32_t c)
{
	if (bb->n == bb->cap) {
		size_t nc = bb->cap ? bb->cap * 2 : 8;
		cs_member *nm = cs_realloc(bb->m, nc * sizeof *nm);
		if (!nm)
			return CS_ENOMEM;
		bb->m = nm;
		bb->cap = nc;
	}
	bb->m[bb->n++] = (cs_member){ key, (cs_value *)v, l, c };
	return CS_OK;
}

static group *get_group(bodyb *bb, cs_str name, uint32_t l, uint32_t c)
{
	for (size_t i = 0; i < bb->ng; i++)
		if (cs_str_eq(bb->g[i].name, name))
			return &bb->g[i];
	if (bb->ng == bb->gcap) {
		size_t nc = bb->gcap ? bb->gcap * 2 : 4;
		group *ng = cs_realloc(bb->g, nc * sizeof *ng);
		if (!ng)
			return NULL;
		bb->g = ng;
		bb->gcap = nc;
	}
	group *g = &bb->g[bb->ng++];
	memset(g, 0, sizeof *g);
	g->name = name;
	g->line = l;
	g->col = c;
	return g;
}

static bool is_meta_attr(cs_str n, bool top)
{
	return top && (cs_str_eqc(n, "count") || cs_str_eqc(n, "for_each") ||
		       cs_str_eqc(n, "provider") || cs_str_eqc(n, "depends_on"));
}

static bool is_meta_block(cs_str n, bool top)
{
	return top && (cs_str_eqc(n, "lifecycle") || cs_str_eqc(n, "provisioner") ||
		       cs_str_eqc(n, "connection"));
}

typedef struct dyn_ud {
	tf_minst *mi;
	const tf_file *f;
	cs__hcl_bind *binds;
	const cs_hcl_body *content;
	cs_str iter;
	group *g;
	unsigned depth;
	const char *open;
} dyn_ud;

static cs_err dyn_one(dyn_ud *d, const cs_value *k, const cs_value *v, uint32_t l, uint32_t c)
{
	tf_ctx *t = d->mi->t;
	cs_member m[2] = { { CS_STR_LIT("key"), (cs_value *)k, l, c },
			   { CS_STR_LIT("value"), (cs_value *)v, l, c } };
	const cs_value *it = cs__v_object(t->a, m, 2, l, c);
	if (!it)
		return nomem(t);
	cs__hcl_bind b = { d->iter, it, d->binds };
	const cs_value *props;
	cs_err rc = body_props(d->mi, d->f, &b, d->content, false, d->depth + 1, d->open, &props);
	if (!rc && cs__ptrvec_push(&d->g->items, (void *)props))
		rc = CS_ENOMEM;
	return rc;
}

static cs_err do_dynamic(tf_minst *mi, const tf_file *f, cs__hcl_bind *binds, bodyb *bb,
			 const cs_hcl_item *it, unsigned depth, const char *open)
{
	tf_ctx *t = mi->t;
	cs_err rc = CS_OK;
	static const cs_hcl_blockspec dspec[] = { { "content", 0 } };
	if (it->nlabels != 1) {
		cs__tf_diag(t, CS_SEV_ERROR, f->path, it->range.line, it->range.col,
			    "Missing dynamic block label: a dynamic block needs the name of the "
			    "block type to generate.");
		return CS_OK;
	}
	const cs_hcl_body *b = it->body;
	if (b->json && (rc = cs__hcl_body_resolve(t->a, b, dspec, 1, t->diag, &b)) == CS_ENOMEM)
		return rc;
	rc = CS_OK;
	const cs_hcl_item *fe = cs__hcl_body_attr(b, "for_each");
	const cs_hcl_item *iter = cs__hcl_body_attr(b, "iterator");
	const cs_hcl_body *content = NULL;
	for (size_t i = 0; i < b->n; i++)
		if (b->items[i]->kind == CS_HCL_BLOCK && cs_str_eqc(b->items[i]->name, "content"))
			content = b->items[i]->body;
	if (!fe || !content) {
		cs__tf_diag(t, CS_SEV_ERROR, f->path, it->range.line, it->range.col,
			    "Missing required argument: a dynamic block needs \"for_each\" and a "
			    "\"content\" block.");
		return CS_OK;
	}
	group *g = get_group(bb, it->labels[0].text, it->range.line, it->range.col);
	if (!g)
		return CS_ENOMEM;
	dyn_ud d = { mi, f, binds, content, it->labels[0].text, g, depth, open };
	if (iter && iter->expr->kind == CS_HCL_E_VAR)
		d.iter = iter->expr->u.var.name;
	const cs_value *coll;
	if ((rc = cs__tf_eval(mi, f, binds, fe->expr, &coll)))
		return rc;
	if (coll->type == CS_VUNKNOWN) {
		if (!g->unk)
			g->unk = coll;
		return CS_OK;
	}
	uint32_t l = fe->range.line, c = fe->range.col;
	if (coll->type == CS_VARRAY) {
		for (size_t i = 0; i < coll->u.arr.n && !rc; i++) {
			const cs_value *k = (coll->flags & CS_VF_HCLSET)
						    ? coll->u.arr.v[i]
						    : cs__hcl_mknum(t->a, (double)i, l, c);
			rc = k ? dyn_one(&d, k, coll->u.arr.v[i], l, c) : nomem(t);
		}
	} else if (coll->type == CS_VOBJECT) {
		for (size_t i = 0; i < coll->u.obj.n && !rc; i++) {
			const cs_member *m = &coll->u.obj.m[i];
			const cs_value *k = cs__v_str(t->a, m->key, m->line, m->col);
			rc = k ? dyn_one(&d, k, m->val, l, c) : nomem(t);
		}
	} else {
		cs__tf_diag(t, CS_SEV_ERROR, f->path, l, c,
			    "Invalid dynamic for_each value: Cannot use a %s value in for_each. An "
			    "iterable collection is required.",
			    cs_vtype_name((cs_vtype)coll->type));
	}
	return rc;
}

/* The attributes and blocks of a resource body (top: the resource's own
 * body, whose meta-arguments are skipped) as an object.  Nested block
 * objects are registered as open with reason `open` (their attributes the
 * configuration does not set are computed: identity[0].principal_id). */
static cs_err body_props(tf_minst *mi, const tf_file *f, cs__hcl_bind *binds,
			 const cs_hcl_body *body, bool top, unsigned depth, const char *open,
			 const cs_value **out)
{
	tf_ctx *t = mi->t;
	cs_err rc = CS_OK;
	bodyb bb;
	memset(&bb, 0, sizeof bb);
	static const cs_hcl_blockspec spec[] = { { "dynamic", 1 } };
	if (depth > CS_HCL_MAX_DEPTH) {
		cs__tf_diag(t, CS_SEV_ERROR, f->path, body->range.line, body->range.col,
			    "blocks nested too deeply");
		*out = cs__hcl_unknownf(t->a, body->range.line, body->range.col, "nested too deeply");
		return *out ? CS_OK : nomem(t);
	}
	if (body->json && cs__hcl_body_resolve(t->a, body, spec, 1, t->diag, &body) == CS_ENOMEM)
		return CS_ENOMEM;
	for (size_t i = 0; i < body->n && !rc; i++) {
		const cs_hcl_item *it = body->items[i];
		if (it->kind == CS_HCL_ATTR) {
			if (is_meta_attr(it->name, top))
				continue;
			const cs_value *v;
			if ((rc = cs__tf_eval(mi, f, binds, it->expr, &v)))
				break;
			rc = add_member(&bb, it->name, v, it->range.line, it->range.col);
		} else if (cs_str_eqc(it->name, "dynamic")) {
			rc = do_dynamic(mi, f, binds, &bb, it, depth, open);
		} else if (!is_meta_block(it->name, top)) {
			group *g = get_group(&bb, it->name, it->range.line, it->range.col);
			const cs_value *v = NULL;
			if (!g) {
				rc = CS_ENOMEM;
				break;
			}
			if ((rc = body_props(mi, f, binds, it->body, false, depth + 1, open, &v)))
				break;
			rc = cs__ptrvec_push(&g->items, (void *)v);
		}
	}
	for (size_t i = 0; i < bb.ng && !rc; i++) {
		group *g = &bb.g[i];
		const cs_value *v;
		if (g->unk && !g->items.n)
			v = g->unk;
		else
			v = cs__v_array(t->a, (cs_value *const *)g->items.v, g->items.n, g->line, g->col);
		if (!v)
			rc = nomem(t);
		else
			rc = add_member(&bb, g->name, v, g->line, g->col);
	}
	if (!rc) {
		*out = cs__hcl_mkobj(t->a, bb.m, bb.n, body->range.line, body->range.col);
		if (!*out)
			rc = nomem(t);
		else if (!top && open)
			rc = cs__hcl_open_add(&t->open, t->a, *out, open);
	}
	for (size_t i = 0; i < bb.ng; i++)
		cs__ptrvec_release(&bb.g[i].items);
	cs_free(bb.g);
	cs_free(bb.m);
	return rc;
}

/* ---- resources ------------------------------------------------------------ */

cs_err cs__tf_add_computed(tf_ctx *t, const tf_res *r, const cs_value **props)
{
	const cs_strmap *cm = t->o ? t->o->computed : NULL;
	const char *list = cm ? cs__strmap_get(cm, r->type.ptr, r->type.len, NULL) : NULL;
	if (!list)
		return CS_OK;
	const cs_value *p = *props;
	size_t n = p->u.obj.n, extra = 0;
	for (const char *s = list; *s;) {
		const char *e = strchr(s, ' ');
		extra++;
		s = e ? e + 1 : s + strlen(s);
	}
	cs_member *m = cs_arena_alloc(t->a, (n + extra) * sizeof *m);
	if (!m)
		return nomem(t);
	memcpy(m, p->u.obj.m, n * sizeof *m);
	size_t k = n;
	for (const char *s = list; *s;) {
		const char *e = strchr(s, ' ');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len && !cs_value_getn(p, s, len)) {
			cs_value *u = cs__v_unknown(t->a, "known after apply", r->it->range.line,
						    r->it->range.col);
			if (!u)
				return nomem(t);
			m[k++] = (cs_member){ { s, len }, u, r->it->range.line, r->it->range.col };
		}
		s = e ? e + 1 : s + len;
	}
	if (k == n)
		return CS_OK;
	*props = cs__hcl_mkobj(t->a, m, k, p->line, p->col);
	return *props ? CS_OK : nomem(t);
}

cs_err cs__tf_computed_parse(cs_arena *a, const char *data, size_t len, cs_strmap *m)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *q = p;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q != '#') {
			const char *te = q;
			while (te < eol && *te != ' ' && *te != '\t')
				te++;
			const char *rest = te;
			while (rest < eol && (*rest == ' ' || *rest == '\t'))
				rest++;
			const char *re = eol;
			while (re > rest && (re[-1] == ' ' || re[-1] == '\t' || re[-1] == '\r'))
				re--;
			char *type = cs_arena_strndup(a, q, (size_t)(te - q));
			char *attrs = cs_arena_strndup(a, rest, (size_t)(re - rest));
			if (!type || !attrs)
				return CS_ENOMEM;
			for (char *c = attrs; *c; c++)
				if (*c == '\t')
					*c = ' ';
			if (*attrs && cs__strmap_put(m, type, strlen(type), attrs))
				return CS_ENOMEM;
		}
		p = eol + 1;
	}
	return CS_OK;
}

static const char *join_addr(tf_ctx *t, const char *modaddr, const char *rest)
{
	return *modaddr ? cs_arena_printf(t->a, "%s.%s", modaddr, rest) : cs_arena_strdup(t->a, rest);
}

cs_err cs__tf_resource(tf_minst *mi, size_t ri, const tf_rstate **out)
{
	tf_ctx *t = mi->t;
	cs_err rc = CS_OK;
	tf_rstate *rs = &mi->rs[ri];
	const tf_res *r = &mi->mod->res[ri];
	*out = rs;
	if (rs->st != TF_ST_NONE)
		return CS_OK;
	rs->st = TF_ST_BUSY;
	char *tn = cs_arena_printf(t->a, "%.*s.%.*s", (int)r->type.len, r->type.ptr, (int)r->name.len,
				   r->name.ptr);
	const char *base = tn ? join_addr(t, mi->addr, tn) : NULL;
	if (!base)
		return nomem(t);
	expansion x;
	if ((rc = expand(mi, r->f, r->count, r->for_each, &x)))
		goto out;
	if (x.unknown) {
		const cs_hcl_expr *e = r->count ? r->count : r->for_each;
		cs__tf_diag(t, CS_SEV_NOTE, r->f->path, e->range.line, e->range.col,
			    "instances of %s are known only after apply (%s: %.*s); its settings "
			    "are audited once, as %s[*], with %s unknown",
			    base, r->count ? "count" : "for_each", (int)x.unk->u.unk.reason.len,
			    x.unk->u.unk.reason.ptr, base, r->count ? "count.index" : "each.key and each.value");
	}
	size_t n = x.unknown ? 1 : x.n;
	rs->inst = cs_arena_alloc(t->a, (n ? n : 1) * sizeof *rs->inst);
	cs_member *wm = x.keyed && !x.unknown ? cs_arena_alloc(t->a, (n ? n : 1) * sizeof *wm) : NULL;
	cs_value **wa = x.counted && !x.unknown ? cs_arena_alloc(t->a, (n ? n : 1) * sizeof *wa) : NULL;
	if (!rs->inst || (x.keyed && !x.unknown && !wm) || (x.counted && !x.unknown && !wa)) {
		rc = nomem(t);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const cs_value *each, *count;
		const char *suf = key_suffix(t, &x, i);
		const char *addr = suf ? cs_arena_printf(t->a, "%s%s", base, suf) : NULL;
		if (!addr) {
			rc = nomem(t);
			goto out;
		}
		if ((rc = bindings(t, &x, i, r->count ? r->count : r->for_each, &each, &count)))
			goto out;
		cs__hcl_bind be, bc, *b = NULL;
		if (each) {
			be = (cs__hcl_bind){ CS_STR_LIT("each"), each, b };
			b = &be;
		}
		if (count) {
			bc = (cs__hcl_bind){ CS_STR_LIT("count"), count, b };
			b = &bc;
		}
		const cs_value *props = NULL;
		const char *reason = cs_arena_printf(t->a, "ref:%s", addr);
		if (!reason) {
			rc = nomem(t);
			goto out;
		}
		if ((rc = body_props(mi, r->f, b, r->body, true, 0, reason, &props)) ||
		    (rc = cs__hcl_open_add(&t->open, t->a, props, reason)))
			goto out;
		rs->inst[i] = (tf_rinst){ addr, props };
		if (wm)
			wm[i] = (cs_member){ x.keys[i]->u.s, (cs_value *)props, props->line, props->col };
		if (wa)
			wa[i] = (cs_value *)props;
	}
	rs->ninst = n;
	rs->unknown_keys = x.unknown;
	uint32_t l = r->it->range.line, c = r->it->range.col;
	if (x.unknown)
		rs->whole = cs__hcl_unknownf(t->a, l, c, "ref:%s", base);
	else if (wm)
		rs->whole = cs__v_object(t->a, wm, n, l, c);
	else if (wa)
		rs->whole = cs__v_array(t->a, wa, n, l, c);
	else
		rs->whole = n ? rs->inst[0].props : cs__v_null(t->a, l, c);
	if (!rs->whole)
		rc = nomem(t);
out:
	rs->st = TF_ST_DONE;
	return rc;
}

/* ---- module calls --------------------------------------------------------- */

/* Joins a module directory and a local source path ("./x", "../x"),
 * folding "." and ".." segments. */
const char *cs__tf_join_source(tf_ctx *t, const char *dir, cs_str src)
{
	cs_buf b;
	cs_buf_init(&b, 4096);
	char *s = NULL;
	if (cs_buf_puts(&b, dir) || cs_buf_putc(&b, '/') || cs_buf_append(&b, src.ptr, src.len))
		goto out;
	/* normalize */
	char *p = b.data;
	size_t n = b.len, o = 0;
	bool abs = n && p[0] == '/';
	size_t segs[256], ns = 0, lead = 0; /* lead: leading ".." kept */
	char *res = cs_arena_alloc(t->a, n + 2);
	if (!res)
		goto out;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t len = j - i;
		if (len == 0 || (len == 1 && p[i] == '.')) {
			/* skip */
		} else if (len == 2 && p[i] == '.' && p[i + 1] == '.' && ns > lead) {
			o = segs[--ns];
		} else if (ns < 256) {
			bool dotdot = len == 2 && p[i] == '.' && p[i + 1] == '.';
			segs[ns++] = o;
			if (dotdot)
				lead = ns;
			if (o || abs)
				res[o++] = '/';
			memcpy(res + o, p + i, len);
			o += len;
		}
		i = j + 1;
	}
	if (!o)
		res[o++] = abs ? '/' : '.';
	res[o] = 0;
	s = res;
out:
	cs_buf_release(&b);
	return s;
}

/* The directory of a non-local module from .terraform/modules/modules.json
 * (by its key: call names joined with "."), or NULL. */
static const char *downloaded_dir(tf_ctx *t, const char *key)
{
	for (size_t i = 0; i < cs_value_len(t->modjson); i++) {
		const cs_value *e = cs_value_at(t->modjson, i);
		if (!cs_str_eqc(cs_value_str(cs_value_get(e, "Key")), key))
			continue;
		cs_str d = cs_value_str(cs_value_get(e, "Dir"));
		if (!d.len)
			return NULL;
		if (d.ptr[0] == '/')
			return cs_arena_strndup(t->a, d.ptr, d.len);
		return cs__tf_join_source(t, t->root_dir, d);
	}
	return NULL;
}

bool cs__tf_is_local_source(cs_str s)
{
	return (s.len >= 2 && memcmp(s.ptr, "./", 2) == 0) || (s.len >= 3 && memcmp(s.ptr, "../", 3) == 0);
}

cs_err cs__tf_calls(tf_minst *mi, size_t ci, const tf_cstate **out)
{
	tf_ctx *t = mi->t;
	cs_err rc = CS_OK;
	tf_cstate *cs = &mi->cs[ci];
	const tf_call *call = &mi->mod->calls[ci];
	*out = cs;
	if (cs->st != TF_ST_NONE)
		return CS_OK;
	cs->st = TF_ST_BUSY;
	const tf_module *m = NULL;
	const char *key = *mi->keypath ? cs_arena_printf(t->a, "%s.%.*s", mi->keypath, (int)call->name.len,
							 call->name.ptr)
				       : cs_arena_strndup(t->a, call->name.ptr, call->name.len);
	if (!key) {
		rc = nomem(t);
		goto out;
	}
	if (mi->depth + 1 >= TF_MAX_MODULE_DEPTH) {
		cs__tf_diag(t, CS_SEV_ERROR, call->f->path, call->it->range.line, call->it->range.col,
			    "module \"%.*s\": modules nested deeper than %u levels (a module that "
			    "calls itself?); not read",
			    (int)call->name.len, call->name.ptr, TF_MAX_MODULE_DEPTH);
		cs->absent = true;
		goto out;
	}
	const char *dir = NULL;
	if (!call->source.len) {
		cs->absent = true;
		goto out;
	}
	if (cs__tf_is_local_source(call->source))
		dir = cs__tf_join_source(t, mi->mod->dir, call->source);
	else
		dir = downloaded_dir(t, key);
	if (dir && (rc = cs__tf_module_load(t, dir, false, &m)))
		goto out;
	if (!m) {
		cs__tf_diag(t, CS_SEV_NOTE, call->f->path, call->it->range.line, call->it->range.col,
			    "module \"%.*s\": source \"%.*s\" is not available locally%s; its "
			    "resources are not audited",
			    (int)call->name.len, call->name.ptr, (int)call->source.len, call->source.ptr,
			    cs__tf_is_local_source(call->source) ? " (no .tf files there)"
							  : " (run terraform init to download it)");
		cs->absent = true;
		goto out;
	}
	expansion x;
	if ((rc = expand(mi, call->f, call->count, call->for_each, &x)))
		goto out;
	cs->keyed = x.keyed;
	cs->counted = x.counted;
	cs->unknown_keys = x.unknown;
	cs->unk = x.unk;
	size_t n = x.unknown ? 1 : x.n;
	cs->inst = cs_arena_alloc(t->a, (n ? n : 1) * sizeof *cs->inst);
	cs->keys = cs_arena_alloc(t->a, (n ? n : 1) * sizeof *cs->keys);
	if (!cs->inst || !cs->keys) {
		rc = nomem(t);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *suf = key_suffix(t, &x, i);
		const char *a = suf ? cs_arena_printf(t->a, "%s%smodule.%.*s%s", mi->addr,
						      *mi->addr ? "." : "", (int)call->name.len,
						      call->name.ptr, suf)
				    : NULL;
		if (!a) {
			rc = nomem(t);
			goto out;
		}
		tf_minst *child;
		if ((rc = cs__tf_minst_new(t, m, mi, call, a, key, &child)))
			goto out;
		if ((rc = bindings(t, &x, i, call->count ? call->count : call->for_each, &child->each,
				   &child->count)))
			goto out;
		cs->inst[i] = child;
		cs->keys[i] = (x.keyed || x.counted) && !x.unknown ? x.keys[i] : NULL;
	}
	cs->ninst = n;
out:
	cs->st = TF_ST_DONE;
	return rc;
}

/* An object of every output of a module instance. */
static cs_err outputs_object(tf_minst *mi, uint32_t l, uint32_t c, const cs_value **out)
{
	tf_ctx *t = mi->t;
	size_t n = mi->mod->nouts;
	cs_member *m = cs_arena_alloc(t->a, (n ? n : 1) * sizeof *m);
	if (!m)
		return nomem(t);
	for (size_t i = 0; i < n; i++) {
		const cs_value *v;
		cs_err rc = named_value(mi, mi->mod->outs, mi->out_val, mi->out_st, i, "output", &v);
		if (rc)
			return rc;
		m[i] = (cs_member){ mi->mod->outs[i].name, (cs_value *)v, l, c };
	}
	*out = cs__hcl_mkobj(t->a, m, n, l, c);
	return *out ? CS_OK : nomem(t);
}

static cs_err module_ref(tf_minst *mi, cs__hcl_ectx *cx, const cs_hcl_expr *root,
			 const cs__hcl_step *steps, size_t n, size_t *used, const cs_value **out)
{
	tf_ctx *t = mi->t;
	cs_err rc;
	uint32_t l = root->range.line, c = root->range.col;
	if (n < 1 || steps[0].index)
		return cs__hcl_eval_err(cx, root,
					"Invalid reference: The \"module\" object cannot be accessed "
					"directly. Instead, access one of its attributes.");
	void *p = cs__strmap_get(&mi->mod->call_ix, steps[0].name.ptr, steps[0].name.len, NULL);
	if (!p)
		return cs__hcl_eval_err(cx, steps[0].at,
					"Reference to undeclared module: No module call named \"%.*s\" "
					"is declared in this module.",
					(int)steps[0].name.len, steps[0].name.ptr);
	const tf_cstate *cs;
	if ((rc = cs__tf_calls(mi, (size_t)(uintptr_t)p - 1, &cs)))
		return rc;
	*used = 1;
	if (cs->absent || cs->unknown_keys || cs->st != TF_ST_DONE) {
		*out = cs__hcl_unknownf(t->a, l, c, "module.%.*s%s", (int)steps[0].name.len,
					steps[0].name.ptr,
					cs->absent ? " is not available locally"
						   : " has instances known only after apply");
		return *out ? CS_OK : nomem(t);
	}
	size_t k = 1;
	tf_minst *one = NULL;
	if (!cs->keyed && !cs->counted) {
		one = cs->ninst ? cs->inst[0] : NULL;
	} else if (n > 1 && steps[1].index && steps[1].key->type != CS_VUNKNOWN) {
		char buf[400];
		cs_str ks;
		if (cs__hcl_tostr(steps[1].key, buf, &ks))
			for (size_t i = 0; i < cs->ninst; i++) {
				char kb[400];
				cs_str ik;
				if (cs__hcl_tostr(cs->keys[i], kb, &ik) && cs_str_eq(ik, ks)) {
					one = cs->inst[i];
					break;
				}
			}
		if (!one)
			return cs__hcl_eval_err(cx, steps[1].at,
						"Invalid index: The given key does not identify an "
						"element in this collection value.");
		k = 2;
	}
	if (one) {
		if (n > k && !steps[k].index) {
			void *o = cs__strmap_get(&one->mod->out_ix, steps[k].name.ptr, steps[k].name.len,
						 NULL);
			if (!o)
				return cs__hcl_eval_err(cx, steps[k].at,
							"Unsupported attribute: This object does not "
							"have an attribute named \"%.*s\".",
							(int)steps[k].name.len, steps[k].name.ptr);
			*used = k + 1;
			return named_value(one, one->mod->outs, one->out_val, one->out_st,
					   (size_t)(uintptr_t)o - 1, "output", out);
		}
		*used = k;
		return outputs_object(one, l, c, out);
	}
	/* the whole collection of instances */
	size_t ni = cs->ninst;
	cs_value **items = cs_arena_alloc(t->a, (ni ? ni : 1) * sizeof *items);
	cs_member *m = cs_arena_alloc(t->a, (ni ? ni : 1) * sizeof *m);
	if (!items || !m)
		return nomem(t);
	for (size_t i = 0; i < ni; i++) {
		const cs_value *o;
		if ((rc = outputs_object(cs->inst[i], l, c, &o)))
			return rc;
		items[i] = (cs_value *)o;
		if (cs->keyed)
			m[i] = (cs_member){ cs->keys[i]->u.s, (cs_value *)o, l, c };
	}
	*out = cs->keyed ? cs__v_object(t->a, m, ni, l, c) : cs__v_array(t->a, items, ni, l, c);
	return *out ? CS_OK : nomem(t);
}

/* data.T.N[K].A... : unknown, named after what was referenced. */
static cs_err data_ref(tf_minst *mi, cs__hcl_ectx *cx, const cs_hcl_expr *root,
		       const cs__hcl_step *steps, size_t n, size_t *used, const cs_value **out)
{
	tf_ctx *t = mi->t;
	if (n < 2 || steps[0].index || steps[1].index)
		return cs__hcl_eval_err(cx, root,
					"Invalid reference: A reference to a data source must be "
					"followed by at least one attribute access, specifying the "
					"resource type and name.");
	char key[512];
	snprintf(key, sizeof key, "data.%.*s.%.*s", (int)steps[0].name.len, steps[0].name.ptr,
		 (int)steps[1].name.len, steps[1].name.ptr);
	if (!cs__strmap_get(&mi->mod->res_ix, key, strlen(key), NULL))
		return cs__hcl_eval_err(cx, steps[0].at,
					"Reference to undeclared resource: A data resource \"%.*s\" "
					"\"%.*s\" has not been declared in %s.",
					(int)steps[0].name.len, steps[0].name.ptr, (int)steps[1].name.len,
					steps[1].name.ptr, *mi->addr ? mi->addr : "the root module");
	cs_buf b;
	cs_buf_init(&b, 4096);
	cs_err rc = cs_buf_puts(&b, key);
	size_t k = 2;
	if (k < n && steps[k].index) {
		char kb[400];
		cs_str ks;
		if (steps[k].key->type == CS_VNUMBER && cs__hcl_tostr(steps[k].key, kb, &ks))
			rc = rc ? rc : cs_buf_printf(&b, "[%.*s]", (int)ks.len, ks.ptr);
		else if (steps[k].key->type == CS_VSTRING)
			rc = rc ? rc : cs_buf_printf(&b, "[\"%.*s\"]", (int)steps[k].key->u.s.len,
						     steps[k].key->u.s.ptr);
		k++;
	}
	if (k < n && !steps[k].index) {
		rc = rc ? rc : cs_buf_printf(&b, ".%.*s", (int)steps[k].name.len, steps[k].name.ptr);
		k++;
	}
	if (!rc)
		*out = cs__hcl_unknownf(t->a, root->range.line, root->range.col,
					"%.*s is known only after apply", (int)b.len, b.data);
	cs_buf_release(&b);
	if (rc)
		return rc == CS_ELIMIT ? cs__hcl_eval_err(cx, root, "reference too long") : rc;
	*used = k;
	return *out ? CS_OK : nomem(t);
}

static cs_err resolve(void *ud, cs__hcl_ectx *cx, const cs_hcl_expr *root, const cs__hcl_step *steps,
		      size_t n, size_t *used, const cs_value **out)
{
	tf_minst *mi = ((rud *)ud)->mi;
	tf_ctx *t = mi->t;
	cs_str name = root->u.var.name;
	uint32_t l = root->range.line, c = root->range.col;
	*used = 0;
	bool named = n >= 1 && !steps[0].index;
	if (cs_str_eqc(name, "var") || cs_str_eqc(name, "local")) {
		bool var = cs_str_eqc(name, "var");
		if (!named)
			return cs__hcl_eval_err(cx, root,
						"Invalid reference: The \"%s\" object cannot be "
						"accessed directly. Instead, access one of its "
						"attributes.",
						var ? "var" : "local");
		cs_str k = steps[0].name;
		void *p = cs__strmap_get(var ? &mi->mod->var_ix : &mi->mod->local_ix, k.ptr, k.len, NULL);
		if (!p)
			return cs__hcl_eval_err(cx, steps[0].at,
						var ? "Reference to undeclared input variable: An input "
						      "variable with the name \"%.*s\" has not been "
						      "declared."
						    : "Reference to undeclared local value: A local value "
						      "with the name \"%.*s\" has not been declared.",
						(int)k.len, k.ptr);
		*used = 1;
		size_t i = (size_t)(uintptr_t)p - 1;
		return var ? var_value(mi, i, out)
			   : named_value(mi, mi->mod->locals, mi->loc_val, mi->loc_st, i, "local", out);
	}
	if (cs_str_eqc(name, "each") || cs_str_eqc(name, "count"))
		return cs__hcl_eval_err(cx, root,
					"Reference to \"%.*s\" in context without %s: The \"%.*s\" "
					"object can be used only in \"module\" or \"resource\" blocks, "
					"and only if the \"%s\" argument is set.",
					(int)name.len, name.ptr,
					cs_str_eqc(name, "each") ? "for_each" : "count", (int)name.len,
					name.ptr, cs_str_eqc(name, "each") ? "for_each" : "count");
	if (cs_str_eqc(name, "path") || cs_str_eqc(name, "terraform")) {
		const char *s = NULL;
		if (named && cs_str_eqc(name, "path")) {
			if (cs_str_eqc(steps[0].name, "module"))
				s = mi->mod->dir;
			else if (cs_str_eqc(steps[0].name, "root"))
				s = t->root_dir;
			else if (cs_str_eqc(steps[0].name, "cwd"))
				s = t->root_dir;
		} else if (named && cs_str_eqc(steps[0].name, "workspace")) {
			s = "default";
		}
		if (!s)
			return cs__hcl_eval_err(cx, root,
						"Invalid \"%.*s\" attribute: this object has no such "
						"attribute.",
						(int)name.len, name.ptr);
		*used = 1;
		*out = cs__v_str(t->a, cs_str_c(s), l, c);
		return *out ? CS_OK : nomem(t);
	}
	if (cs_str_eqc(name, "self")) {
		*out = cs__v_unknown(t->a, "self is known only after apply", l, c);
		return *out ? CS_OK : nomem(t);
	}
	if (cs_str_eqc(name, "module"))
		return module_ref(mi, cx, root, steps, n, used, out);
	if (cs_str_eqc(name, "data"))
		return data_ref(mi, cx, root, steps, n, used, out);
	if (!named)
		return cs__hcl_eval_err(cx, root,
					"Invalid reference: A reference to a resource type must be "
					"followed by at least one attribute access, specifying the "
					"resource name.");
	char key[512];
	snprintf(key, sizeof key, "%.*s.%.*s", (int)name.len, name.ptr, (int)steps[0].name.len,
		 steps[0].name.ptr);
	void *p = cs__strmap_get(&mi->mod->res_ix, key, strlen(key), NULL);
	if (!p)
		return cs__hcl_eval_err(cx, root,
					"Reference to undeclared resource: A managed resource \"%.*s\" "
					"\"%.*s\" has not been declared in %s.",
					(int)name.len, name.ptr, (int)steps[0].name.len, steps[0].name.ptr,
					*mi->addr ? mi->addr : "the root module");
	size_t ri = (size_t)(uintptr_t)p - 1;
	*used = 1;
	if (mi->rs[ri].st == TF_ST_BUSY) {
		/* evaluating this resource needs itself: its values are the
		 * ones apply will produce */
		*out = cs__hcl_unknownf(t->a, l, c, "ref:%s%s%s", mi->addr, *mi->addr ? "." : "", key);
		return *out ? CS_OK : nomem(t);
	}
	const tf_rstate *rs;
	cs_err rc = cs__tf_resource(mi, ri, &rs);
	if (!rc)
		*out = rs->whole;
	return rc;
}
