/*
 * compliance/oscal.c - requirements from an OSCAL catalogue (NIST SP 800-53
 * rev5) narrowed by an OSCAL profile (a baseline): groups are the control
 * families, controls and their enhancements the requirements, shown by
 * their `label` prop (SC-28(1) for sc-28.1); withdrawn controls are left
 * out.  Only the JSON form of OSCAL is read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compliance.h"
#include "core/internal.h"
#include "cshare/json.h"

#define OSCAL_MAX_DEPTH 16 /* nesting of groups and controls */

typedef struct oscal_ctx {
	cs_framework *fw;
	const char *file; /* arena copy */
	cs_strmap sel;    /* selected ids (profile), or empty: all */
	bool filter;
	unsigned errors;
	cs_err rc; /* CS_ENOMEM stops the walk */
} oscal_ctx;

static void bad(oscal_ctx *x, const char *file, const cs_value *v, const char *fmt, ...)
	CS_PRINTF(4, 5);
static void bad(oscal_ctx *x, const char *file, const cs_value *v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->errors++;
	cs_diag_emit(x->fw->diag, CS_SEV_ERROR, CS_ESYNTAX, file, v ? cs_value_line(v) : 1,
		     v ? cs_value_col(v) : 1, NULL, "%s", msg);
}

/* v[key] if it has the type, else NULL (a wrong type is diagnosed). */
static const cs_value *member(oscal_ctx *x, const char *file, const cs_value *v, const char *key,
			      cs_vtype type)
{
	const cs_value *m = v ? cs_value_get(v, key) : NULL;
	if (m && cs_value_type(m) != type) {
		bad(x, file, m, "'%s' has the wrong type", key);
		return NULL;
	}
	return m;
}

/* A prop's value by name ("label", "status"), or NULL. */
static const cs_value *prop(oscal_ctx *x, const cs_value *c, const char *name)
{
	const cs_value *props = member(x, x->file, c, "props", CS_VARRAY);
	for (size_t i = 0; props && i < cs_value_len(props); i++) {
		const cs_value *p = cs_value_at(props, i);
		const cs_value *n = cs_value_get(p, "name"), *val = cs_value_get(p, "value");
		if (n && val && cs_value_type(n) == CS_VSTRING && cs_value_type(val) == CS_VSTRING &&
		    cs_str_eqc(cs_value_str(n), name))
			return val;
	}
	return NULL;
}

static char *copy(oscal_ctx *x, cs_str s)
{
	char *p = cs_arena_strndup(x->fw->a, s.ptr, s.len);
	if (!p)
		x->rc = CS_ENOMEM;
	return p;
}

static void walk_controls(oscal_ctx *x, const cs_value *list, size_t parent, size_t group,
			  unsigned depth);

static void one_control(oscal_ctx *x, const cs_value *c, size_t parent, size_t group,
			unsigned depth)
{
	if (cs_value_type(c) != CS_VOBJECT) {
		bad(x, x->file, c, "a %s must be an object", "control");
		return;
	}
	const cs_value *id = member(x, x->file, c, "id", CS_VSTRING);
	const cs_value *title = member(x, x->file, c, "title", CS_VSTRING);
	if (!id || !title || cs_value_str(id).len == 0 || cs_value_str(id).len > 64) {
		bad(x, x->file, c, "a control needs an %s and a title", "id (1 to 64 characters)");
		return;
	}
	const cs_value *status = prop(x, c, "status");
	if (status && (cs_str_eqc(cs_value_str(status), "withdrawn") ||
		       cs_str_eqc(cs_value_str(status), "Withdrawn")))
		return; /* and its enhancements with it */
	cs_str sid = cs_value_str(id);
	bool keep = !x->filter || cs__strmap_get(&x->sel, sid.ptr, sid.len, NULL);
	size_t me = parent;
	if (keep) {
		const cs_value *label = prop(x, c, "label");
		cs__req r = { 0 };
		r.oid = copy(x, sid);
		r.id = label && cs_value_str(label).len ? copy(x, cs_value_str(label)) : r.oid;
		r.title = copy(x, cs_value_str(title));
		r.kind = "control";
		r.obligation = "";
		r.parent = parent;
		r.group = group;
		r.at = (cs__loc){ x->file, cs_value_line(c), cs_value_col(c) };
		if (x->rc)
			return;
		if (cs__framework_find(x->fw, r.oid) != CS_NOIDX) {
			bad(x, x->file, id, "duplicate control id '%s'", r.oid);
			return;
		}
		if ((me = cs__framework_push(x->fw, &r)) == CS_NOIDX) {
			x->rc = CS_ENOMEM;
			return;
		}
	}
	const cs_value *sub = member(x, x->file, c, "controls", CS_VARRAY);
	if (sub)
		walk_controls(x, sub, me, group, depth + 1);
}

static void walk_controls(oscal_ctx *x, const cs_value *list, size_t parent, size_t group,
			  unsigned depth)
{
	if (depth > OSCAL_MAX_DEPTH) {
		bad(x, x->file, list, "controls nested deeper than %d levels", OSCAL_MAX_DEPTH);
		return;
	}
	for (size_t i = 0; i < cs_value_len(list) && !x->rc; i++)
		one_control(x, cs_value_at(list, i), parent, group, depth);
}

static void walk_groups(oscal_ctx *x, const cs_value *list, unsigned depth)
{
	if (depth > OSCAL_MAX_DEPTH) {
		bad(x, x->file, list, "groups nested deeper than %d levels", OSCAL_MAX_DEPTH);
		return;
	}
	for (size_t i = 0; i < cs_value_len(list) && !x->rc; i++) {
		const cs_value *g = cs_value_at(list, i);
		if (cs_value_type(g) != CS_VOBJECT) {
			bad(x, x->file, g, "a %s must be an object", "group");
			continue;
		}
		const cs_value *id = member(x, x->file, g, "id", CS_VSTRING);
		const cs_value *title = member(x, x->file, g, "title", CS_VSTRING);
		if (!title) {
			bad(x, x->file, g, "a group needs a %s", "title");
			continue;
		}
		char *gid = copy(x, id ? cs_value_str(id) : cs_value_str(title));
		char *gt = copy(x, cs_value_str(title));
		if (x->rc)
			return;
		for (char *p = gid; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		size_t gi = cs__framework_group(x->fw, gid, gt);
		if (gi == CS_NOIDX) {
			x->rc = CS_ENOMEM;
			return;
		}
		const cs_value *ctl = member(x, x->file, g, "controls", CS_VARRAY);
		if (ctl)
			walk_controls(x, ctl, CS_NOIDX, gi, 0);
		const cs_value *sub = member(x, x->file, g, "groups", CS_VARRAY);
		if (sub)
			walk_groups(x, sub, depth + 1);
	}
}

/* Adds (or with `remove`, takes away) the with-ids of an include/exclude list. */
static void select_ids(oscal_ctx *x, const char *pfile, const cs_value *list, cs_strmap *out)
{
	for (size_t i = 0; i < cs_value_len(list) && !x->rc; i++) {
		const cs_value *sel = cs_value_at(list, i);
		const cs_value *ids = member(x, pfile, sel, "with-ids", CS_VARRAY);
		if (!ids) {
			if (member(x, pfile, sel, "matching", CS_VARRAY))
				cs_diag_emit(x->fw->diag, CS_SEV_WARNING, CS_EUNSUPPORTED, pfile,
					     cs_value_line(sel), cs_value_col(sel), NULL,
					     "'matching' selections are not supported; only with-ids");
			continue;
		}
		for (size_t j = 0; j < cs_value_len(ids); j++) {
			const cs_value *v = cs_value_at(ids, j);
			if (cs_value_type(v) != CS_VSTRING) {
				bad(x, pfile, v, "a %s must be a string", "with-ids entry");
				continue;
			}
			cs_str s = cs_value_str(v);
			if (cs__strmap_put(out, s.ptr, s.len, (void *)v)) {
				x->rc = CS_ENOMEM;
				return;
			}
		}
	}
}

/* Reads the profile's selection into x->sel. */
static void read_profile(oscal_ctx *x, const char *pfile, const cs_value *root)
{
	const cs_value *p = member(x, pfile, root, "profile", CS_VOBJECT);
	const cs_value *imports = p ? member(x, pfile, p, "imports", CS_VARRAY) : NULL;
	cs_strmap excl = { 0 };
	if (!imports) {
		bad(x, pfile, root, "an OSCAL profile needs %s", "profile.imports");
		return;
	}
	x->filter = true;
	for (size_t i = 0; i < cs_value_len(imports) && !x->rc; i++) {
		const cs_value *imp = cs_value_at(imports, i);
		if (cs_value_type(imp) != CS_VOBJECT) {
			bad(x, pfile, imp, "an %s must be an object", "import");
			continue;
		}
		if (cs_value_get(imp, "include-all"))
			x->filter = false;
		const cs_value *inc = member(x, pfile, imp, "include-controls", CS_VARRAY);
		const cs_value *exc = member(x, pfile, imp, "exclude-controls", CS_VARRAY);
		if (inc)
			select_ids(x, pfile, inc, &x->sel);
		if (exc)
			select_ids(x, pfile, exc, &excl);
	}
	if (excl.n && !x->rc) {
		/* exclusions win: rebuild the selection without them */
		cs_strmap keep = { 0 };
		for (size_t i = 0; i < cs_value_len(imports) && !x->rc; i++) {
			const cs_value *inc = cs_value_get(cs_value_at(imports, i), "include-controls");
			for (size_t j = 0; inc && j < cs_value_len(inc); j++) {
				const cs_value *ids = cs_value_get(cs_value_at(inc, j), "with-ids");
				for (size_t k = 0; ids && k < cs_value_len(ids); k++) {
					cs_str s = cs_value_str(cs_value_at(ids, k));
					if (cs_value_type(cs_value_at(ids, k)) == CS_VSTRING &&
					    !cs__strmap_get(&excl, s.ptr, s.len, NULL) &&
					    cs__strmap_put(&keep, s.ptr, s.len, (void *)s.ptr))
						x->rc = CS_ENOMEM;
				}
			}
		}
		cs__strmap_release(&x->sel);
		x->sel = keep;
		if (!x->filter)
			cs_diag_emit(x->fw->diag, CS_SEV_WARNING, CS_EUNSUPPORTED, pfile, 1, 1, NULL,
				     "exclude-controls with include-all: the exclusions are applied "
				     "to the included ids only");
	}
	cs__strmap_release(&excl);
}

cs_err cs__catalogue_oscal(cs_framework *fw, const char *name, const char *text, size_t len,
			   const char *pname, const char *ptext, size_t plen)
{
	cs_err rc = CS_OK;
	oscal_ctx x = { 0 };
	cs_arena *tmp = cs_arena_new(0);
	const cs_value *root = NULL, *proot = NULL;
	x.fw = fw;
	if (!tmp)
		return CS_ENOMEM;
	x.file = cs_arena_strdup(fw->a, name);
	if (!x.file) {
		rc = CS_ENOMEM;
		goto out;
	}
	if ((rc = cs_json_parse(tmp, name, text, len, NULL, fw->diag, &root, NULL)))
		goto out;
	if (ptext) {
		const char *pf = pname ? pname : "profile";
		if ((rc = cs_json_parse(tmp, pf, ptext, plen, NULL, fw->diag, &proot, NULL)))
			goto out;
		read_profile(&x, pf, proot);
		if (x.rc)
			goto out;
	}
	const cs_value *cat = member(&x, x.file, root, "catalog", CS_VOBJECT);
	if (!cat) {
		bad(&x, x.file, root, "an OSCAL catalogue needs a '%s' object", "catalog");
		goto out;
	}
	const cs_value *md = cs_value_get(cat, "metadata");
	const cs_value *ver = md ? cs_value_get(md, "version") : NULL;
	if (ver && cs_value_type(ver) == CS_VSTRING && !*fw->version)
		fw->version = copy(&x, cs_value_str(ver));
	const cs_value *groups = member(&x, x.file, cat, "groups", CS_VARRAY);
	const cs_value *ctl = member(&x, x.file, cat, "controls", CS_VARRAY);
	if (groups)
		walk_groups(&x, groups, 0);
	if (ctl && !x.rc) {
		size_t g = cs__framework_group(fw, "-", "Ungrouped");
		if (g == CS_NOIDX)
			x.rc = CS_ENOMEM;
		else
			walk_controls(&x, ctl, CS_NOIDX, g, 0);
	}
	/* ids the profile selects that the catalogue lacks */
	if (x.filter && proot && !x.rc) {
		const char *pf = pname ? pname : "profile";
		const cs_value *imports = cs_value_get(cs_value_get(proot, "profile"), "imports");
		for (size_t i = 0; imports && i < cs_value_len(imports); i++) {
			const cs_value *inc = cs_value_get(cs_value_at(imports, i), "include-controls");
			for (size_t j = 0; inc && j < cs_value_len(inc); j++) {
				const cs_value *ids = cs_value_get(cs_value_at(inc, j), "with-ids");
				for (size_t k = 0; ids && k < cs_value_len(ids); k++) {
					const cs_value *v = cs_value_at(ids, k);
					char idbuf[80];
					cs_str s = cs_value_str(v);
					if (cs_value_type(v) != CS_VSTRING || s.len >= sizeof idbuf ||
					    !cs__strmap_get(&x.sel, s.ptr, s.len, NULL))
						continue; /* excluded again */
					memcpy(idbuf, s.ptr, s.len);
					idbuf[s.len] = 0;
					if (cs__framework_find(fw, idbuf) == CS_NOIDX)
						cs_diag_emit(fw->diag, CS_SEV_WARNING, CS_ECHECK, pf,
							     cs_value_line(v), cs_value_col(v), NULL,
							     "the profile selects '%s', which the catalogue "
							     "does not have (or has withdrawn)",
							     idbuf);
				}
			}
		}
	}
out:
	cs__strmap_release(&x.sel);
	cs_arena_free(tmp);
	if (x.rc)
		rc = x.rc;
	fw->errors += x.errors;
	if (rc)
		fw->errors++;
	if (!rc && x.errors)
		rc = CS_ECHECK;
	return rc;
}
