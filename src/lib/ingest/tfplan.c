/*
 * ingest/tfplan.c - the Terraform plan adapter: `terraform show -json
 * <planfile>` (format_version 0.1 to 1.2) to raw resources of format
 * "terraform-plan".
 *
 * Source: HashiCorp, "JSON Output Format"
 * (developer.hashicorp.com/terraform/internals/json-format).  Each entry of
 * resource_changes has the resource's address, mode, type, name,
 * provider_name and a change whose "after" is the value after apply and
 * whose "after_unknown" mirrors it with `true` where a value is only known
 * after apply.  We overlay the two, so such positions become unknown values
 * (reason "known after apply", or "ref:<address>" when the configuration
 * shows that the value comes from another managed resource of the plan, for
 * the joins of split resources).  Without resource_changes we fall back to
 * planned_values.root_module (and, for a state file, values.root_module),
 * whose values are the same shape without unknown markers.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tfplan_int.h"

#define TF_FORMAT "terraform-plan"
#define TF_MAX_DEPTH 1024u

/* The reason of unknowns from after_unknown; compared by address. */
static const char tf_unknown[] = "known after apply";

typedef struct tf {
	cs_ingest *in;
	cs_arena *a;
	cs_diag_sink *diag;
	const char *file; /* arena copy */
	tf_cand *c;
	size_t n, cap;
	cs_member *stack; /* overlay scratch (scratch_take) */
	size_t stop, scap;
} tf;

static void diag(tf *t, cs_severity sev, const cs_value *at, const char *fmt, ...) CS_PRINTF(4, 5);

static void diag(tf *t, cs_severity sev, const cs_value *at, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs_diag_emit(t->diag, sev, sev == CS_SEV_ERROR ? CS_ETYPE : CS_OK, t->file, cs_value_line(at),
		     cs_value_col(at), NULL, "terraform plan: %s", msg);
}

static cs_err nomem(tf *t)
{
	cs_err e = cs_arena_error(t->a);
	return e ? e : CS_ENOMEM;
}

bool cs__tfplan_detect(const cs_value *root)
{
	static const char *const keys[] = { "planned_values", "resource_changes",
					    "terraform_version", "prior_state", "configuration" };
	if (cs_value_type(root) != CS_VOBJECT || !cs_value_get(root, "format_version"))
		return false;
	for (size_t i = 0; i < CS_ARRAY_SIZE(keys); i++)
		if (cs_value_get(root, keys[i]))
			return true;
	return false;
}

/* A string member as an arena string, or NULL if absent or not a string. */
static const char *str_member(tf *t, const cs_value *obj, const char *key, cs_err *err)
{
	const cs_value *v = cs_value_get(obj, key);
	if (cs_value_type(v) != CS_VSTRING)
		return NULL;
	cs_str s = cs_value_str(v);
	char *p = cs_arena_strndup(t->a, s.ptr, s.len);
	if (!p)
		*err = nomem(t);
	return p;
}

/* "registry.terraform.io/hashicorp/aws" (format >= 0.2), "aws",
 * "null.aliased" (0.12 with an alias) -> the provider's short name, then
 * cshare's provider ("aws", "azure", "gcp") or the short name itself. */
static const char *provider_of(tf *t, const cs_value *pn, cs_err *err)
{
	static const struct {
		const char *name, *provider;
	} map[] = { { "aws", "aws" },	    { "azurerm", "azure" }, { "azuread", "azure" },
		    { "azapi", "azure" },   { "google", "gcp" },    { "google-beta", "gcp" } };
	const char *res = NULL;
	if (cs_value_type(pn) != CS_VSTRING)
		goto out;
	cs_str s = cs_value_str(pn);
	const char *p = s.ptr, *e = s.ptr + s.len;
	for (const char *q = p; q < e; q++)
		if (*q == '/')
			p = q + 1;
	if ((size_t)(e - p) > 9 && memcmp(p, "provider.", 9) == 0)
		p += 9;
	const char *q = p;
	while (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			 (*q >= '0' && *q <= '9') || *q == '_' || *q == '-'))
		q++;
	cs_str shortname = { p, (size_t)(q - p) };
	if (!shortname.len)
		goto out;
	for (size_t i = 0; i < CS_ARRAY_SIZE(map); i++)
		if (cs_str_eqc(shortname, map[i].name)) {
			res = map[i].provider;
			goto out;
		}
	res = cs_arena_strndup(t->a, shortname.ptr, shortname.len);
	if (!res)
		*err = nomem(t);
out:
	return res;
}

static cs_err push_cand(tf *t, const tf_cand *c)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		tf_cand *nc = cs_realloc(t->c, cap * sizeof *nc);
		if (!nc)
			return CS_ENOMEM;
		t->c = nc;
		t->cap = cap;
	}
	t->c[t->n++] = *c;
	return CS_OK;
}

/* Fills and queues a candidate from a resource object that has been
 * checked to be managed, with `after` an object.  `modaddr` is the module
 * instance address of its module ("" at the root). */
static cs_err add_cand(tf *t, const cs_value *obj, const cs_value *after, const cs_value *unk,
		       cs_str modaddr)
{
	cs_err rc = CS_OK;
	tf_cand c;
	memset(&c, 0, sizeof c);
	c.obj = obj;
	c.after = after;
	c.unk = unk;
	c.type = str_member(t, obj, "type", &rc);
	if (rc)
		goto out;
	const cs_value *namev = cs_value_get(obj, "name");
	cs_str name = cs_value_type(namev) == CS_VSTRING ? cs_value_str(namev) : (cs_str){ "", 0 };
	c.address = str_member(t, obj, "address", &rc);
	if (rc)
		goto out;
	if (!c.type || !*c.type) {
		diag(t, CS_SEV_ERROR, obj, "resource %s has no \"type\"; skipped",
		     c.address ? c.address : "without an address");
		goto out;
	}
	if (!c.address) {
		if (!name.len) {
			diag(t, CS_SEV_ERROR, obj,
			     "%s resource has neither \"address\" nor \"name\"; skipped", c.type);
			goto out;
		}
		c.address = cs_arena_printf(t->a, "%.*s%s%s.%.*s", (int)modaddr.len, modaddr.ptr,
					    modaddr.len ? "." : "", c.type, (int)name.len, name.ptr);
		if (!c.address) {
			rc = nomem(t);
			goto out;
		}
	}
	c.provider = provider_of(t, cs_value_get(obj, "provider_name"), &rc);
	if (rc)
		goto out;
	cs__tf_split_address(&c, cs_str_c(c.type), name, modaddr);
	rc = push_cand(t, &c);
out:
	return rc;
}

/* True when every action of a non-empty list removes the object from
 * management ("delete", or "forget" since Terraform 1.7). */
static bool removes_only(const cs_value *actions)
{
	size_t n = cs_value_len(actions);
	for (size_t i = 0; i < n; i++) {
		cs_str a = cs_value_str(cs_value_at(actions, i));
		if (!cs_str_eqc(a, "delete") && !cs_str_eqc(a, "forget"))
			return false;
	}
	return n > 0;
}

/* True if `s` contains "data." at its start or after a '.'. */
static bool has_data_segment(cs_str s)
{
	for (size_t i = 0; i + 5 <= s.len; i++)
		if ((i == 0 || s.ptr[i - 1] == '.') && memcmp(s.ptr + i, "data.", 5) == 0)
			return true;
	return false;
}

static bool is_managed(const cs_value *obj)
{
	const cs_value *mode = cs_value_get(obj, "mode");
	if (mode)
		return cs_str_eqc(cs_value_str(mode), "managed") &&
		       cs_value_type(mode) == CS_VSTRING;
	/* no mode: data sources are still recognizable by their address */
	cs_str addr = cs_value_str(cs_value_get(obj, "address"));
	return !has_data_segment(addr);
}

static cs_err collect_change(tf *t, const cs_value *rc_obj)
{
	cs_err rc = CS_OK;
	if (cs_value_type(rc_obj) != CS_VOBJECT) {
		diag(t, CS_SEV_ERROR, rc_obj, "resource change is a %s, not an object; skipped",
		     cs_vtype_name(cs_value_type(rc_obj)));
		goto out;
	}
	if (!is_managed(rc_obj))
		goto out;
	cs_str addr = cs_value_str(cs_value_get(rc_obj, "address"));
	const cs_value *change = cs_value_get(rc_obj, "change");
	if (cs_value_type(change) != CS_VOBJECT) {
		diag(t, CS_SEV_ERROR, change ? change : rc_obj,
		     "resource change %.*s has no \"change\" object; skipped", (int)addr.len, addr.ptr);
		goto out;
	}
	const cs_value *actions = cs_value_get(change, "actions");
	if (cs_value_type(actions) != CS_VARRAY) {
		diag(t, CS_SEV_ERROR, actions ? actions : change,
		     "resource change %.*s has no \"actions\" list; skipped", (int)addr.len, addr.ptr);
		goto out;
	}
	if (removes_only(actions))
		goto out;
	const cs_value *after = cs_value_get(change, "after");
	if (cs_value_type(after) != CS_VOBJECT) {
		diag(t, CS_SEV_ERROR, after ? after : change,
		     "resource change %.*s: \"after\" is %s, not an object; skipped", (int)addr.len,
		     addr.ptr, after ? cs_vtype_name(cs_value_type(after)) : "missing");
		goto out;
	}
	const cs_value *unk = cs_value_get(change, "after_unknown");
	if (unk && cs_value_type(unk) != CS_VOBJECT && cs_value_type(unk) != CS_VNULL) {
		diag(t, CS_SEV_WARNING, unk,
		     "resource change %.*s: \"after_unknown\" is %s, not an object; ignored",
		     (int)addr.len, addr.ptr, cs_vtype_name(cs_value_type(unk)));
		unk = NULL;
	}
	const cs_value *mav = cs_value_get(rc_obj, "module_address");
	cs_str modaddr = cs_value_type(mav) == CS_VSTRING ? cs_value_str(mav) : (cs_str){ "", 0 };
	rc = add_cand(t, rc_obj, after, unk, modaddr);
out:
	return rc;
}

/* planned_values.root_module and its child_modules, recursively. */
static cs_err collect_module(tf *t, const cs_value *mod, unsigned depth)
{
	cs_err rc = CS_OK;
	if (cs_value_type(mod) != CS_VOBJECT) {
		if (mod)
			diag(t, CS_SEV_ERROR, mod, "module is a %s, not an object; skipped",
			     cs_vtype_name(cs_value_type(mod)));
		goto out;
	}
	if (depth > TF_MAX_DEPTH) {
		diag(t, CS_SEV_ERROR, mod, "modules nested too deeply; skipped");
		goto out;
	}
	const cs_value *mav = cs_value_get(mod, "address");
	cs_str modaddr = cs_value_type(mav) == CS_VSTRING ? cs_value_str(mav) : (cs_str){ "", 0 };
	const cs_value *res = cs_value_get(mod, "resources");
	if (res && cs_value_type(res) != CS_VARRAY)
		diag(t, CS_SEV_ERROR, res, "module \"resources\" is a %s, not an array; skipped",
		     cs_vtype_name(cs_value_type(res)));
	for (size_t i = 0; cs_value_type(res) == CS_VARRAY && i < cs_value_len(res); i++) {
		const cs_value *r = cs_value_at(res, i);
		if (cs_value_type(r) != CS_VOBJECT) {
			diag(t, CS_SEV_ERROR, r, "resource is a %s, not an object; skipped",
			     cs_vtype_name(cs_value_type(r)));
			continue;
		}
		if (!is_managed(r))
			continue;
		const cs_value *values = cs_value_get(r, "values");
		if (cs_value_type(values) != CS_VOBJECT) {
			cs_str addr = cs_value_str(cs_value_get(r, "address"));
			diag(t, CS_SEV_ERROR, values ? values : r,
			     "resource %.*s: \"values\" is %s, not an object; skipped", (int)addr.len,
			     addr.ptr, values ? cs_vtype_name(cs_value_type(values)) : "missing");
			continue;
		}
		if ((rc = add_cand(t, r, values, NULL, modaddr)))
			goto out;
	}
	const cs_value *kids = cs_value_get(mod, "child_modules");
	if (kids && cs_value_type(kids) != CS_VARRAY)
		diag(t, CS_SEV_ERROR, kids, "\"child_modules\" is a %s, not an array; skipped",
		     cs_vtype_name(cs_value_type(kids)));
	for (size_t i = 0; cs_value_type(kids) == CS_VARRAY && i < cs_value_len(kids); i++)
		if ((rc = collect_module(t, cs_value_at(kids, i), depth + 1)))
			goto out;
out:
	return rc;
}

/* ---- after_unknown overlay ------------------------------------------------ */

static cs_err overlay(tf *t, const cs_value *a, const cs_value *u, unsigned depth,
		      const cs_value **out);

static void shape_warning(tf *t, const cs_value *u, const cs_value *a)
{
	diag(t, CS_SEV_WARNING, u, "after_unknown has %s where after has %s; ignored there",
	     cs_vtype_name(cs_value_type(u)), a ? cs_vtype_name(cs_value_type(a)) : "nothing");
}

static int key_cmp(cs_str x, cs_str y)
{
	size_t n = x.len < y.len ? x.len : y.len;
	int c = n ? memcmp(x.ptr, y.ptr, n) : 0;
	if (c)
		return c;
	return x.len < y.len ? -1 : x.len > y.len ? 1 : 0;
}

/* Scratch space for the overlay: a stack of member / item slots shared by
 * the nested calls (each takes its slots on entry and gives them back on
 * return), so an object costs no heap allocation.  Slots are addressed by
 * index because the stack may move when it grows. */
static cs_err scratch_take(tf *t, size_t n, size_t *base)
{
	if (n > SIZE_MAX / sizeof(cs_member) - t->stop) /* cannot happen: bounded by the input */
		return CS_ENOMEM;
	if (t->stop + n > t->scap) {
		size_t cap = t->scap ? t->scap : 256;
		while (cap < t->stop + n)
			cap *= 2;
		cs_member *ns = cs_realloc(t->stack, cap * sizeof *ns);
		if (!ns)
			return CS_ENOMEM;
		t->stack = ns;
		t->scap = cap;
	}
	*base = t->stop;
	t->stop += n;
	return CS_OK;
}

/* Fills the scratch slots at `base`: slot i (i < na) gets the
 * after_unknown marker of member i of `a` (or NULL), slot na + j gets a
 * non-NULL value when member j of `u` is also in `a`.  Terraform writes
 * object keys sorted, so this is a merge walk; false (slots unreliable)
 * when either object's keys are not strictly increasing. */
static bool merge_marks(tf *t, size_t base, const cs_value *a, const cs_value *u)
{
	size_t na = a ? a->u.obj.n : 0, nu = u->u.obj.n, j = 0;
	const cs_member *um = u->u.obj.m;
	cs_member *slot = t->stack + base;
	for (size_t i = 1; i < nu; i++)
		if (key_cmp(um[i - 1].key, um[i].key) >= 0)
			return false;
	for (size_t i = 0; i < nu; i++)
		slot[na + i].val = NULL;
	for (size_t i = 0; i < na; i++) {
		cs_str k = a->u.obj.m[i].key;
		if (i && key_cmp(a->u.obj.m[i - 1].key, k) >= 0)
			return false;
		slot[i].val = NULL;
		int c = -1;
		while (j < nu && (c = key_cmp(um[j].key, k)) < 0)
			j++;
		if (j < nu && c == 0) {
			slot[i].val = um[j].val;
			slot[na + j].val = (cs_value *)u;
			j++;
		}
	}
	return true;
}

static cs_err overlay_object(tf *t, const cs_value *a, const cs_value *u, unsigned depth,
			     const cs_value **out)
{
	cs_err rc = CS_OK;
	bool a_obj = cs_value_type(a) == CS_VOBJECT;
	size_t na = a_obj ? a->u.obj.n : 0, nu = u->u.obj.n, k = 0, top = t->stop;
	bool changed = false;
	size_t base;
	if ((rc = scratch_take(t, na + nu, &base)))
		goto out;
	if (!merge_marks(t, base, a_obj ? a : NULL, u)) {
		/* unsorted keys: look each one up (same result, slower) */
		for (size_t i = 0; i < na; i++)
			t->stack[base + i].val = (cs_value *)cs_value_getn(
				u, a->u.obj.m[i].key.ptr, a->u.obj.m[i].key.len);
		for (size_t j = 0; j < nu; j++)
			t->stack[base + na + j].val =
				a_obj && cs_value_getn(a, u->u.obj.m[j].key.ptr, u->u.obj.m[j].key.len)
					? (cs_value *)u
					: NULL;
	}
	/* the output overwrites slot k <= the slot being read */
	for (size_t i = 0; i < na; i++) {
		const cs_member *am = &a->u.obj.m[i];
		const cs_value *nv;
		if ((rc = overlay(t, am->val, t->stack[base + i].val, depth + 1, &nv)))
			goto out;
		if (nv != am->val)
			changed = true;
		t->stack[base + k++] = (cs_member){ am->key, (cs_value *)nv, am->line, am->col };
	}
	for (size_t j = 0; j < nu; j++) {
		const cs_member *um = &u->u.obj.m[j];
		const cs_value *nv;
		if (t->stack[base + na + j].val)
			continue; /* also in after: done above */
		if ((rc = overlay(t, NULL, um->val, depth + 1, &nv)))
			goto out;
		if (!nv)
			continue;
		changed = true;
		t->stack[base + k++] = (cs_member){ um->key, (cs_value *)nv, um->line, um->col };
	}
	if (changed) {
		const cs_value *at = a_obj ? a : u;
		*out = cs__v_object(t->a, t->stack + base, k, cs_value_line(at), cs_value_col(at));
		if (!*out)
			rc = nomem(t);
	}
out:
	t->stop = top;
	return rc;
}

static cs_err overlay_array(tf *t, const cs_value *a, const cs_value *u, unsigned depth,
			    const cs_value **out)
{
	cs_err rc = CS_OK;
	bool a_arr = cs_value_type(a) == CS_VARRAY;
	size_t na = a_arr ? cs_value_len(a) : 0, nu = cs_value_len(u);
	size_t n = na > nu ? na : nu, top = t->stop;
	bool changed = false;
	size_t base;
	if ((rc = scratch_take(t, n, &base)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const cs_value *ai = i < na ? cs_value_at(a, i) : NULL;
		const cs_value *ui = i < nu ? cs_value_at(u, i) : NULL;
		const cs_value *nv;
		if ((rc = overlay(t, ai, ui, depth + 1, &nv)))
			goto out;
		if (nv && nv != ai)
			changed = true;
		if (!nv) { /* a position after lacks and after_unknown leaves known */
			nv = cs__v_null(t->a, cs_value_line(ui), cs_value_col(ui));
			if (!nv) {
				rc = nomem(t);
				goto out;
			}
		}
		t->stack[base + i].val = (cs_value *)nv;
	}
	if (changed) {
		const cs_value *at = a_arr ? a : u;
		cs_value **items = cs_arena_alloc(t->a, (n ? n : 1) * sizeof *items);
		if (!items) {
			rc = nomem(t);
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			items[i] = t->stack[base + i].val;
		/* the items are in the arena already: no second copy */
		cs_value *v = cs__v_array(t->a, NULL, 0, cs_value_line(at), cs_value_col(at));
		if (!v) {
			rc = nomem(t);
			goto out;
		}
		v->u.arr.v = items;
		v->u.arr.n = n;
		*out = v;
	}
out:
	t->stop = top;
	return rc;
}

/* *out = `a` (after; may be NULL when after lacks the position) with the
 * unknown markers of `u` (its after_unknown counterpart) applied.  Shares
 * every subtree that has no marker. */
/* Whether an after_unknown tree marks anything unknown (depth-bounded:
 * too deep counts as "yes", so overlay reports it). */
static bool has_true(const cs_value *u, unsigned depth)
{
	if (depth > TF_MAX_DEPTH)
		return true;
	switch (cs_value_type(u)) {
	case CS_VBOOL:
		return cs_value_bool(u);
	case CS_VOBJECT:
	case CS_VARRAY:
		for (size_t i = 0; i < cs_value_len(u); i++)
			if (has_true(cs_value_at(u, i), depth + 1))
				return true;
		return false;
	default:
		return false;
	}
}

static cs_err overlay(tf *t, const cs_value *a, const cs_value *u, unsigned depth,
		      const cs_value **out)
{
	cs_err rc = CS_OK;
	cs_vtype ut = u ? cs_value_type(u) : CS_VNULL;
	cs_vtype at = a ? cs_value_type(a) : CS_VNULL;
	*out = a;
	if (ut == CS_VNULL || (ut == CS_VBOOL && !cs_value_bool(u)))
		goto out;
	if (depth > TF_MAX_DEPTH) {
		diag(t, CS_SEV_ERROR, u, "after_unknown nested too deeply; ignored there");
		goto out;
	}
	/* a marker tree without any true leaves the value as it is */
	if ((ut == CS_VOBJECT || ut == CS_VARRAY) && !has_true(u, depth))
		goto out;
	switch (ut) {
	case CS_VBOOL: {
		const cs_value *loc = a ? a : u;
		*out = cs__v_unknown(t->a, tf_unknown, cs_value_line(loc), cs_value_col(loc));
		if (!*out)
			rc = nomem(t);
		break;
	}
	case CS_VOBJECT:
		if (at != CS_VOBJECT && at != CS_VNULL)
			shape_warning(t, u, a);
		else
			rc = overlay_object(t, a, u, depth, out);
		break;
	case CS_VARRAY:
		if (at != CS_VARRAY && at != CS_VNULL)
			shape_warning(t, u, a);
		else
			rc = overlay_array(t, a, u, depth, out);
		break;
	default:
		shape_warning(t, u, a);
		break;
	}
out:
	return rc;
}

/* ---- emitting ------------------------------------------------------------- */

/* Replaces the reason of unknown top-level attributes of `props` (built by
 * overlay, so not shared with the document) by "ref:<address>" where the
 * configuration says which managed resource the value comes from. */
static cs_err add_refs(tf *t, tf_refs *refs, const tf_cand *c, cs_value *props)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; i < props->u.obj.n; i++) {
		cs_member *m = &props->u.obj.m[i];
		if (m->val->type != CS_VUNKNOWN || m->val->u.s.ptr != tf_unknown)
			continue;
		const char *target = cs__tf_ref_target(refs, c, m->key, &rc);
		if (rc)
			goto out;
		if (!target)
			continue;
		size_t tl = strlen(target);
		char *reason = cs_arena_alloc(t->a, tl + 5);
		if (reason) {
			memcpy(reason, "ref:", 4);
			memcpy(reason + 4, target, tl + 1);
		}
		cs_value *nv = reason ? cs__v_unknown(t->a, reason, m->val->line, m->val->col) : NULL;
		if (!nv) {
			rc = nomem(t);
			goto out;
		}
		m->val = nv;
	}
out:
	return rc;
}

static cs_err emit(tf *t, tf_refs *refs, const tf_cand *c)
{
	cs_err rc = CS_OK;
	const cs_value *props = c->after;
	if (c->unk) {
		if ((rc = overlay(t, c->after, c->unk, 0, &props)))
			goto out;
		if (props != c->after && cs_value_type(props) == CS_VOBJECT &&
		    (rc = add_refs(t, refs, c, (cs_value *)props)))
			goto out;
	}
	cs_raw r;
	memset(&r, 0, sizeof r);
	r.format = TF_FORMAT;
	r.type = c->type;
	r.name = c->address;
	r.provider = c->provider;
	r.file = t->file;
	r.line = cs_value_line(c->obj);
	r.col = cs_value_col(c->obj);
	r.end_line = 0; /* JSON has no comments, so no inline suppressions need it */
	r.props = props;
	const cs_value *arn = cs_value_get(props, "arn");
	if (cs_value_type(arn) == CS_VSTRING && cs_value_str(arn).len) {
		r.arn = cs_arena_strndup(t->a, cs_value_str(arn).ptr, cs_value_str(arn).len);
		if (!r.arn) {
			rc = nomem(t);
			goto out;
		}
	}
	rc = cs__ingest_add(t->in, &r);
out:
	return rc;
}

/* Accepts format_version "0.x" and "1.x"; the document says to reject
 * other major versions. */
static bool version_ok(tf *t, const cs_value *fv)
{
	cs_str s = cs_value_str(fv);
	size_t i = 0;
	unsigned major = 0;
	if (cs_value_type(fv) != CS_VSTRING) {
		diag(t, CS_SEV_ERROR, fv, "\"format_version\" is a %s, not a string",
		     cs_vtype_name(cs_value_type(fv)));
		return false;
	}
	while (i < s.len && i < 4 && s.ptr[i] >= '0' && s.ptr[i] <= '9')
		major = major * 10 + (unsigned)(s.ptr[i++] - '0');
	if (i == 0 || (i < s.len && s.ptr[i] != '.') || major > 1) {
		diag(t, CS_SEV_ERROR, fv, "unsupported format_version \"%.*s\" (0.x and 1.x are)",
		     (int)(s.len > 32 ? 32 : s.len), s.ptr);
		return false;
	}
	return true;
}

cs_err cs__tfplan_extract(cs_ingest *in, const char *file, const cs_value *root)
{
	cs_err rc = CS_OK;
	tf t;
	tf_refs refs;
	bool refs_ready = false;
	memset(&t, 0, sizeof t);
	t.in = in;
	t.a = cs__ingest_arena(in);
	t.diag = cs__ingest_diag(in);
	t.file = file ? cs_arena_strdup(t.a, file) : NULL;
	if (file && !t.file) {
		rc = nomem(&t);
		goto out;
	}
	if (cs_value_type(root) != CS_VOBJECT) {
		diag(&t, CS_SEV_ERROR, root, "the document is a %s, not an object",
		     cs_vtype_name(cs_value_type(root)));
		rc = CS_ETYPE;
		goto out;
	}
	if (!version_ok(&t, cs_value_get(root, "format_version"))) {
		rc = CS_ETYPE;
		goto out;
	}
	const cs_value *changes = cs_value_get(root, "resource_changes");
	if (changes && cs_value_type(changes) != CS_VARRAY && cs_value_type(changes) != CS_VNULL)
		diag(&t, CS_SEV_ERROR, changes,
		     "\"resource_changes\" is a %s, not an array; using planned_values",
		     cs_vtype_name(cs_value_type(changes)));
	if (cs_value_type(changes) == CS_VARRAY && cs_value_len(changes)) {
		for (size_t i = 0; i < cs_value_len(changes); i++)
			if ((rc = collect_change(&t, cs_value_at(changes, i))))
				goto out;
	} else {
		const cs_value *pv = cs_value_get(root, "planned_values");
		if (!pv)
			pv = cs_value_get(root, "values"); /* a state file: same shape */
		if (pv && cs_value_type(pv) != CS_VOBJECT)
			diag(&t, CS_SEV_ERROR, pv, "\"planned_values\" is a %s, not an object",
			     cs_vtype_name(cs_value_type(pv)));
		if ((rc = collect_module(&t, cs_value_get(pv, "root_module"), 0)))
			goto out;
	}
	const cs_value *cfg = cs_value_get(cs_value_get(root, "configuration"), "root_module");
	if ((rc = cs__tf_refs_init(&refs, t.a, t.c, t.n, cfg)))
		goto out;
	refs_ready = true;
	for (size_t i = 0; i < t.n; i++)
		if ((rc = emit(&t, &refs, &t.c[i])))
			goto out;
out:
	if (refs_ready)
		cs__tf_refs_release(&refs);
	cs_free(t.c);
	cs_free(t.stack);
	return rc;
}
