/*
 * compliance/framework.c - a framework's requirements (docs/data-files.md):
 * the TSV requirement catalogues, controls_map.tsv, lookup by id, and
 * cs_framework_load, which finds the framework in the model's
 * frameworks.tsv and reads its catalogue (TSV, or OSCAL with oscal.c).
 */
#include <stdio.h>
#include <string.h>

#include "compliance.h"
#include "core/internal.h"
#include "core/tsv.h"

#define FW_MAX_FILE (64u * 1024u * 1024u)

cs_err cs__framework_new(cs_framework **out, const char *id, const char *family,
			 const char *title, const char *programme, cs_diag_sink *diag)
{
	cs_err rc = CS_OK;
	cs_framework *fw = cs_calloc(1, sizeof(*fw));
	*out = NULL;
	if (!fw || !(fw->a = cs_arena_new(0))) {
		rc = CS_ENOMEM;
		goto out;
	}
	fw->diag = diag;
	fw->id = cs_arena_strdup(fw->a, id ? id : "");
	fw->family = cs_arena_strdup(fw->a, family ? family : "");
	fw->title = cs_arena_strdup(fw->a, title ? title : "");
	fw->version = "";
	fw->programme = cs_arena_strdup(fw->a, programme ? programme : "");
	static const char *const none[] = { NULL };
	fw->data_classes = none;
	if (!fw->id || !fw->family || !fw->title || !fw->programme)
		rc = CS_ENOMEM;
out:
	if (rc) {
		cs_framework_free(fw);
		return rc;
	}
	*out = fw;
	return rc;
}

void cs_framework_free(cs_framework *fw)
{
	if (!fw)
		return;
	cs_free(fw->reqs);
	cs_free(fw->groups);
	cs_free(fw->map);
	cs_arena_free(fw->a);
	cs_free(fw);
}

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

size_t cs__framework_find(const cs_framework *fw, const char *id)
{
	for (size_t i = 0; i < fw->nreqs; i++)
		if (ieq(fw->reqs[i].id, id) || ieq(fw->reqs[i].oid, id))
			return i;
	return CS_NOIDX;
}

size_t cs__framework_push(cs_framework *fw, const cs__req *r)
{
	if (fw->nreqs == fw->capreqs) {
		size_t cap = fw->capreqs ? fw->capreqs * 2 : 64;
		cs__req *nv = cs_realloc(fw->reqs, cap * sizeof(*nv));
		if (!nv)
			return CS_NOIDX;
		fw->reqs = nv;
		fw->capreqs = cap;
	}
	fw->reqs[fw->nreqs] = *r;
	return fw->nreqs++;
}

size_t cs__framework_group(cs_framework *fw, const char *id, const char *title)
{
	for (size_t i = 0; i < fw->ngroups; i++)
		if (strcmp(fw->groups[i].id, id) == 0)
			return i;
	if (fw->ngroups == fw->capgroups) {
		size_t cap = fw->capgroups ? fw->capgroups * 2 : 16;
		cs__group *nv = cs_realloc(fw->groups, cap * sizeof(*nv));
		if (!nv)
			return CS_NOIDX;
		fw->groups = nv;
		fw->capgroups = cap;
	}
	fw->groups[fw->ngroups] = (cs__group){ id, title };
	return fw->ngroups++;
}

static char *dup(cs_framework *fw, cs_str s)
{
	return cs_arena_strndup(fw->a, s.ptr, s.len);
}

/* Whether a control id is printable text without tabs or control bytes. */
static bool good_id(cs_str s)
{
	if (s.len == 0 || s.len > 64)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.ptr[i] <= ' ')
			return false;
	return true;
}

cs_err cs__catalogue_tsv(cs_framework *fw, const char *name, const char *text, size_t len)
{
	static const char *const cols[] = { "control_id", "parent", "kind", "obligation", "title" };
	static const char *const kinds[] = { "section",   "standard",       "requirement",
					     "specification", "recommendation", "criterion",
					     "control",   NULL };
	static const char *const obligations[] = { "required", "addressable", "automated",
						   "manual",   "",            NULL };
	cs_tsv t;
	cs_err rc = cs__tsv_open_buffer(&t, name, text, len, cols, 5, fw->diag);
	const char **parents = NULL;
	uint32_t *pcol = NULL;
	size_t first = fw->nreqs, cap = 0;
	if (rc) {
		fw->errors++;
		return rc;
	}
	const char *fname = cs_arena_strdup(fw->a, name);
	if (!fname) {
		rc = CS_ENOMEM;
		goto out;
	}
	while (cs__tsv_next(&t)) {
		cs_str id = cs__tsv_field(&t, 0), title = cs__tsv_field(&t, 4);
		if (!good_id(id)) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "a control id is 1 to 64 characters without spaces");
			continue;
		}
		int k = cs__tsv_enum(&t, 2, kinds), ob = cs__tsv_enum(&t, 3, obligations);
		if (k < 0 || ob < 0)
			continue;
		if (title.len == 0) {
			cs__tsv_error(&t, 4, CS_ESYNTAX, "a requirement needs a title");
			continue;
		}
		cs__req r = { 0 };
		r.id = dup(fw, id);
		r.oid = r.id;
		r.title = dup(fw, title);
		r.kind = kinds[k];
		r.obligation = obligations[ob];
		r.parent = CS_NOIDX;
		r.group = CS_NOIDX;
		r.at = (cs__loc){ fname, t.line, t.col[0] };
		if (!r.id || !r.title) {
			rc = CS_ENOMEM;
			goto out;
		}
		if (cs__framework_find(fw, r.id) != CS_NOIDX) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "duplicate control id '%s'", r.id);
			continue;
		}
		cs_str p = cs__tsv_field(&t, 1);
		size_t at = fw->nreqs - first;
		if (at == cap) {
			cap = cap ? cap * 2 : 64;
			const char **np = cs_realloc(parents, cap * sizeof(*np));
			uint32_t *nc = np ? cs_realloc(pcol, cap * sizeof(*nc)) : NULL;
			if (np)
				parents = np;
			if (!nc) {
				rc = CS_ENOMEM;
				goto out;
			}
			pcol = nc;
		}
		parents[at] = p.len ? dup(fw, p) : NULL;
		pcol[at] = t.col[1];
		if ((p.len && !parents[at]) || cs__framework_push(fw, &r) == CS_NOIDX) {
			rc = CS_ENOMEM;
			goto out;
		}
	}
	/* parents: must name a requirement of the catalogue */
	for (size_t i = first; i < fw->nreqs; i++) {
		const char *p = parents[i - first];
		if (!p)
			continue;
		size_t pi = cs__framework_find(fw, p);
		if (pi == CS_NOIDX || pi == i) {
			cs_diag_emit(fw->diag, CS_SEV_ERROR, CS_ESYNTAX, fname, fw->reqs[i].at.line,
				     pcol[i - first], NULL, "parent '%s' is not a control id of this catalogue",
				     p);
			t.errors++;
			continue;
		}
		fw->reqs[i].parent = pi;
	}
	/* groups: the top-level ancestor; a cycle of parents is broken */
	for (size_t i = first; i < fw->nreqs; i++) {
		size_t top = i, steps = 0;
		while (fw->reqs[top].parent != CS_NOIDX && steps++ < fw->nreqs)
			top = fw->reqs[top].parent;
		if (steps > fw->nreqs) {
			cs_diag_emit(fw->diag, CS_SEV_ERROR, CS_ESYNTAX, fname, fw->reqs[i].at.line,
				     pcol[i - first], NULL, "parents of '%s' form a cycle", fw->reqs[i].id);
			t.errors++;
			fw->reqs[i].parent = CS_NOIDX;
			top = i;
		}
		size_t g = cs__framework_group(fw, fw->reqs[top].id, fw->reqs[top].title);
		if (g == CS_NOIDX) {
			rc = CS_ENOMEM;
			goto out;
		}
		fw->reqs[i].group = g;
	}
out:
	fw->errors += t.errors;
	if (!rc && t.errors)
		rc = CS_ECHECK;
	cs_free(parents);
	cs_free(pcol);
	cs__tsv_close(&t);
	return rc;
}

cs_err cs__controls_map(cs_framework *fw, const char *name, const char *text, size_t len)
{
	static const char *const cols[] = { "domain", "family", "control_id", "relation" };
	static const char *const relations[] = { "equal", "subset", "intersects", NULL };
	cs_tsv t;
	cs_err rc = cs__tsv_open_buffer(&t, name, text, len, cols, 4, fw->diag);
	if (rc) {
		fw->errors++;
		return rc;
	}
	while (cs__tsv_next(&t)) {
		cs_str dom = cs__tsv_field(&t, 0), fam = cs__tsv_field(&t, 1);
		cs_str ctl = cs__tsv_field(&t, 2);
		int rel = cs__tsv_enum(&t, 3, relations);
		if (rel < 0)
			continue;
		if (!dom.len || !fam.len || !good_id(ctl)) {
			cs__tsv_error(&t, !dom.len ? 0 : !fam.len ? 1 : 2, CS_ESYNTAX,
				      "domain, family and control_id are required");
			continue;
		}
		if (!cs_str_eqc(fam, fw->family))
			continue;
		if (fw->nmap == fw->capmap) {
			size_t cap = fw->capmap ? fw->capmap * 2 : 64;
			cs__cmap *nv = cs_realloc(fw->map, cap * sizeof(*nv));
			if (!nv) {
				rc = CS_ENOMEM;
				break;
			}
			fw->map = nv;
			fw->capmap = cap;
		}
		cs__cmap *c = &fw->map[fw->nmap];
		c->domain = dup(fw, dom);
		c->control = dup(fw, ctl);
		c->relation = relations[rel];
		if (!c->domain || !c->control) {
			rc = CS_ENOMEM;
			break;
		}
		/* a control outside the loaded baseline (LOW vs HIGH) is kept, unused */
		fw->nmap++;
	}
	fw->errors += t.errors;
	if (!rc && t.errors)
		rc = CS_ECHECK;
	cs__tsv_close(&t);
	return rc;
}

/* Reads `rel` from the data directory's frameworks/ folder (m given), or the
 * path as it is (m NULL: a path the model has already joined). */
static cs_err read_data(const cs_model *m, const char *rel, char **path, char **data, size_t *len,
			cs_diag_sink *diag)
{
	cs_buf b;
	cs_buf_init(&b, 8192);
	*data = NULL;
	*path = NULL;
	if (m)
		cs_buf_printf(&b, "%s/frameworks/%s", cs__model_datadir(m), rel);
	else
		cs_buf_puts(&b, rel); /* a path the model has joined to the data directory */
	if (!b.data)
		return CS_ENOMEM;
	cs_err rc = cs_file_read(b.data, FW_MAX_FILE, data, len);
	if (rc)
		cs_diag_emit(diag, CS_SEV_ERROR, rc, b.data, 0, 0, NULL, "cannot read framework file: %s",
			     cs_strerror(rc));
	*path = cs_buf_steal(&b, NULL);
	return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

cs_err cs_framework_load(const cs_model *m, const char *id, cs_framework **out)
{
	cs_err rc = CS_OK;
	cs_diag_sink *diag = cs__model_diag(m);
	const cs__fwdef *def = cs__model_fwdef(m, id);
	cs_framework *fw = NULL;
	char *cpath = NULL, *cdata = NULL, *ppath = NULL, *pdata = NULL, *mpath = NULL, *mdata = NULL;
	size_t clen = 0, plen = 0, mlen = 0;
	*out = NULL;
	if (!def) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ENOENT, NULL, 0, 0, NULL,
			     "no framework '%s' in frameworks.tsv", id);
		return CS_ENOENT;
	}
	if ((rc = cs__framework_new(&fw, def->id, def->family, def->title, def->programme, diag)))
		goto out;
	fw->version = def->version ? def->version : "";
	fw->data_classes = def->data_classes;
	if (!def->catalogue || !*def->catalogue) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ENOENT, def->at.file, def->at.line, def->at.col, NULL,
			     "framework '%s' names no catalogue", id);
		rc = CS_ENOENT;
		goto out;
	}
	if ((rc = read_data(NULL, def->catalogue, &cpath, &cdata, &clen, diag)))
		goto out;
	if (ends_with(def->catalogue, ".json")) {
		if (def->profile && *def->profile &&
		    (rc = read_data(NULL, def->profile, &ppath, &pdata, &plen, diag)))
			goto out;
		rc = cs__catalogue_oscal(fw, cpath, cdata, clen, ppath, pdata, plen);
	} else {
		rc = cs__catalogue_tsv(fw, cpath, cdata, clen);
	}
	if (rc && rc != CS_ECHECK)
		goto out;
	cs_err mrc = read_data(m, "controls_map.tsv", &mpath, &mdata, &mlen, diag);
	if (mrc == CS_OK)
		mrc = cs__controls_map(fw, mpath, mdata, mlen);
	if (mrc == CS_ENOMEM || (!rc && mrc))
		rc = mrc;
out:
	cs_free(cpath);
	cs_free(cdata);
	cs_free(ppath);
	cs_free(pdata);
	cs_free(mpath);
	cs_free(mdata);
	if (rc && rc != CS_ECHECK) {
		cs_framework_free(fw);
		return rc;
	}
	*out = fw;
	return rc;
}
