/*
 * responsibility/deployment.c - the deployment file cshare.yaml
 * (docs/deployment.md): reading and checking it against the model (unknown
 * keys, vocabularies, references to providers, services, domains and
 * frameworks, each error located), and resolving it against an inventory:
 * the services the inputs use (by the identifiers of services.tsv, every
 * resource read, also the types no mapping normalizes), the data classes
 * placed on resources by name patterns, and the types no service claims.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/yaml.h"
#include "model.h"
#include "model_int.h"

#define MAX_DEPLOYMENT_FILE (4u << 20)

static const char *const CLASSES[] = { "phi",          "chd",    "pii", "credentials",
				       "confidential", "public", NULL };

typedef struct cs__pattern_use {
	const char *pattern;
	size_t cls;  /* index into classes */
	cs__loc at;
	bool used;
} cs__pattern_use;

struct cs_deployment {
	cs_arena *a;
	cs_model *m; /* borrowed */
	cs_diag_sink *diag;
	const char *file, *dir; /* dir: where relative inputs are found */
	unsigned errors;
	bool oom; /* an allocation failed where no error code could say so */
	cs_ptrvec inputs, providers, frameworks, declared, assumptions, classes, contacts;
	cs_ptrvec held, unclassified, patterns;
	cs__used_service *used;
	size_t nused;
	struct cs__deployment_view v;
	bool resolved;
};

/* ---- diagnostics and small helpers ------------------------------------ */

static void err(cs_deployment *d, const cs_value *at, const char *fmt, ...) CS_PRINTF(3, 4);

static void err(cs_deployment *d, const cs_value *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->errors++;
	cs_diag_emit(d->diag, CS_SEV_ERROR, CS_ECHECK, d->file, at ? cs_value_line(at) : 1,
		     at ? cs_value_col(at) : 1, NULL, "%s", msg);
}

static cs__loc loc_of(const cs_deployment *d, const cs_value *v)
{
	return (cs__loc){ d->file, cs_value_line(v), cs_value_col(v) };
}

/* Checks that every key of mapping `v` is in `allowed`; unknown keys are
 * errors at the key's position (a typo must not drop a setting). */
static void keys_known(cs_deployment *d, const cs_value *v, const char *const *allowed,
		       const char *where)
{
	for (size_t i = 0; i < v->u.obj.n; i++) {
		const cs_member *mb = &v->u.obj.m[i];
		bool ok = false;
		for (size_t k = 0; allowed[k] && !ok; k++)
			ok = cs_str_eqc(mb->key, allowed[k]);
		if (!ok) {
			char list[256] = "";
			size_t used = 0;
			for (size_t k = 0; allowed[k]; k++) {
				int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
						 allowed[k]);
				if (w > 0 && (size_t)w < sizeof list - used)
					used += (size_t)w;
			}
			d->errors++;
			cs_diag_emit(d->diag, CS_SEV_ERROR, CS_ECHECK, d->file, mb->line, mb->col, NULL,
				     "unknown key '%.*s' in %s (expected: %s)", (int)mb->key.len,
				     mb->key.ptr, where, list);
		}
	}
}

/* The string of a scalar value (numbers as written), copied, or NULL after
 * an error. */
static const char *text_of(cs_deployment *d, const cs_value *v, const char *what)
{
	cs_str s;
	if (!v || cs_value_type(v) == CS_VNULL || !cs__scalar_text(v, &s) ||
	    cs_value_type(v) == CS_VBOOL) {
		err(d, v, "%s must be a string", what);
		return NULL;
	}
	if (s.len == 0) {
		err(d, v, "%s must not be empty", what);
		return NULL;
	}
	char *copy = cs_arena_strndup(d->a, s.ptr, s.len);
	if (!copy)
		d->oom = true;
	return copy;
}

/* The string value of key `k` in mapping `v`: NULL if absent (an error when
 * `required`), "" if not a string (after an error). */
static const char *str_key(cs_deployment *d, const cs_value *v, const char *k, bool required,
			   const char *where)
{
	const cs_value *x = cs_value_get(v, k);
	if (!x) {
		if (required)
			err(d, v, "%s needs '%s'", where, k);
		return NULL;
	}
	char what[96];
	snprintf(what, sizeof what, "%s: '%s'", where, k);
	const char *s = text_of(d, x, what);
	return s ? s : "";
}

/* The value of key k if it is a list (NULL if absent, after an error if it
 * is something else). */
static const cs_value *list_key(cs_deployment *d, const cs_value *v, const char *k)
{
	const cs_value *x = cs_value_get(v, k);
	if (x && cs_value_type(x) != CS_VARRAY) {
		err(d, x, "'%s' must be a list", k);
		return NULL;
	}
	return x;
}

static int vocab_index(const char *s, const char *const *allowed)
{
	for (int i = 0; allowed[i]; i++)
		if (strcmp(s, allowed[i]) == 0)
			return i;
	return -1;
}

static cs_err push(cs_ptrvec *v, const void *p)
{
	return p ? cs__ptrvec_push(v, (void *)(uintptr_t)p) : CS_ENOMEM;
}

/* Whether the model has a service of this provider. */
static bool provider_known(const cs_model *m, const char *p)
{
	for (size_t i = 0; i < m->services.n; i++)
		if (strcmp(((const cs__service *)m->services.v[i])->provider, p) == 0)
			return true;
	return false;
}

/* A "provider:service" reference; NULL after an error. */
static const cs__service *service_ref(cs_deployment *d, const cs_value *v, const char *what)
{
	const char *id = text_of(d, v, what);
	if (!id)
		return NULL;
	const cs__service *s = cs__model_service(d->m, id);
	if (!s)
		err(d, v, "%s: unknown service '%s' (provider:service from services.tsv, e.g. aws:s3)",
		    what, id);
	return s;
}

static bool domain_matches(const char *pattern, const char *domain)
{
	size_t pl = strlen(pattern);
	if (pl && pattern[pl - 1] == '*')
		return strncmp(pattern, domain, pl - 1) == 0;
	return strcmp(pattern, domain) == 0;
}

/* ---- sections ------------------------------------------------------------ */

static cs_err sec_providers(cs_deployment *d, const cs_value *list)
{
	static const char *const keys[] = { "provider", "accounts", "regions", NULL };
	for (size_t i = 0; i < cs_value_len(list); i++) {
		const cs_value *p = cs_value_at(list, i);
		if (cs_value_type(p) != CS_VOBJECT) {
			err(d, p, "providers: each entry is a mapping with 'provider'");
			continue;
		}
		keys_known(d, p, keys, "a providers entry");
		const char *id = str_key(d, p, "provider", true, "a providers entry");
		if (id && *id) {
			if (vocab_index(id, (const char *const[]){ "aws", "azure", "gcp", NULL }) < 0 ||
			    !provider_known(d->m, id))
				err(d, cs_value_get(p, "provider"),
				    "unknown provider '%s' (aws, azure or gcp, with services in services.tsv)",
				    id);
			else if (push(&d->providers, id))
				return CS_ENOMEM;
		}
		const char *lists[] = { "accounts", "regions" };
		for (size_t k = 0; k < 2; k++) {
			const cs_value *l = list_key(d, p, lists[k]);
			for (size_t j = 0; j < cs_value_len(l); j++) {
				const cs_value *x = cs_value_at(l, j);
				if (cs_value_type(x) != CS_VSTRING && cs_value_type(x) != CS_VNUMBER)
					err(d, x, "%s: each entry must be a string", lists[k]);
			}
		}
	}
	return CS_OK;
}

static cs_err sec_inputs(cs_deployment *d, const cs_value *list)
{
	for (size_t i = 0; i < cs_value_len(list); i++) {
		const cs_value *x = cs_value_at(list, i);
		const char *p = text_of(d, x, "inputs: an entry");
		if (!p)
			continue;
		const char *full = p[0] == '/' || strcmp(d->dir, ".") == 0
					   ? p
					   : cs_arena_printf(d->a, "%s/%s", d->dir, p);
		if (push(&d->inputs, full))
			return CS_ENOMEM;
	}
	return CS_OK;
}

static cs_err sec_services(cs_deployment *d, const cs_value *list)
{
	for (size_t i = 0; i < cs_value_len(list); i++) {
		const cs__service *s = service_ref(d, cs_value_at(list, i), "services");
		if (s && push(&d->declared, s))
			return CS_ENOMEM;
	}
	return CS_OK;
}

static cs_err sec_data(cs_deployment *d, const cs_value *list)
{
	static const char *const keys[] = { "class", "description", "resources", "services", NULL };
	for (size_t i = 0; i < cs_value_len(list); i++) {
		const cs_value *e = cs_value_at(list, i);
		if (cs_value_type(e) != CS_VOBJECT) {
			err(d, e, "data: each entry is a mapping with 'class'");
			continue;
		}
		keys_known(d, e, keys, "a data entry");
		const char *cls = str_key(d, e, "class", true, "a data entry");
		if (cls && *cls && vocab_index(cls, CLASSES) < 0) {
			err(d, cs_value_get(e, "class"),
			    "unknown data class '%s' (phi, chd, pii, credentials, confidential, public)",
			    cls);
			cls = NULL;
		}
		const char *desc = str_key(d, e, "description", false, "a data entry");
		const cs_value *res = list_key(d, e, "resources");
		const cs_value *svcs = list_key(d, e, "services");
		size_t nr = cs_value_len(res), ns = cs_value_len(svcs);
		const char **pats = cs_arena_alloc(d->a, (nr + 1) * sizeof(*pats));
		const cs__service **sv = cs_arena_alloc(d->a, (ns + 1) * sizeof(*sv));
		cs__dataclass *dc = cs_arena_alloc(d->a, sizeof(*dc));
		if (!pats || !sv || !dc)
			return CS_ENOMEM;
		size_t np = 0, nsv = 0;
		for (size_t k = 0; k < nr; k++) {
			const cs_value *x = cs_value_at(res, k);
			const char *p = text_of(d, x, "data: resources: an entry");
			if (!p)
				continue;
			const char *star = strchr(p, '*');
			if (star && star[1]) {
				err(d, x, "data: resources: '*' may only end a pattern ('%s')", p);
				continue;
			}
			cs__pattern_use *pu = cs_arena_alloc(d->a, sizeof(*pu));
			if (!pu)
				return CS_ENOMEM;
			*pu = (cs__pattern_use){ p, d->classes.n, loc_of(d, x), false };
			pats[np++] = p;
			if (cls && *cls && push(&d->patterns, pu))
				return CS_ENOMEM;
		}
		for (size_t k = 0; k < ns; k++) {
			const cs__service *s = service_ref(d, cs_value_at(svcs, k), "data: services");
			if (s)
				sv[nsv++] = s;
		}
		pats[np] = NULL;
		sv[nsv] = NULL;
		if (!cls || !*cls)
			continue;
		*dc = (cs__dataclass){ cls, desc ? desc : "", pats, sv, loc_of(d, e) };
		if (push(&d->classes, dc))
			return CS_ENOMEM;
	}
	return CS_OK;
}

static cs_err sec_frameworks(cs_deployment *d, const cs_value *list)
{
	for (size_t i = 0; i < cs_value_len(list); i++) {
		const cs_value *x = cs_value_at(list, i);
		const char *id = text_of(d, x, "frameworks: an entry");
		if (!id)
			continue;
		if (!cs__model_fwdef(d->m, id)) {
			err(d, x, "unknown framework '%s' (not in data/frameworks/frameworks.tsv)", id);
			continue;
		}
		if (push(&d->frameworks, id))
			return CS_ENOMEM;
	}
	return CS_OK;
}

static cs_err sec_assumptions(cs_deployment *d, const cs_value *list)
{
	static const char *const keys[] = { "service", "domain", "owner", "state", "note", NULL };
	for (size_t i = 0; i < cs_value_len(list); i++) {
		const cs_value *e = cs_value_at(list, i);
		if (cs_value_type(e) != CS_VOBJECT) {
			err(d, e, "assumptions: each entry is a mapping with service, domain and owner");
			continue;
		}
		unsigned before = d->errors;
		keys_known(d, e, keys, "an assumption");
		const char *svc = str_key(d, e, "service", true, "an assumption");
		const char *dom = str_key(d, e, "domain", true, "an assumption");
		const char *own = str_key(d, e, "owner", true, "an assumption");
		const char *st = str_key(d, e, "state", false, "an assumption");
		const char *note = str_key(d, e, "note", false, "an assumption");
		cs__assumption *a = cs_arena_alloc(d->a, sizeof(*a));
		if (!a)
			return CS_ENOMEM;
		memset(a, 0, sizeof *a);
		if (svc && *svc) {
			const char *colon = strchr(svc, ':');
			if (colon && strcmp(colon, ":*") == 0) {
				a->provider = cs_arena_strndup(d->a, svc, (size_t)(colon - svc));
				if (!a->provider)
					return CS_ENOMEM;
				if (!provider_known(d->m, a->provider))
					err(d, cs_value_get(e, "service"), "unknown provider in '%s'", svc);
			} else {
				a->service = service_ref(d, cs_value_get(e, "service"), "an assumption");
				a->provider = a->service ? a->service->provider : NULL;
			}
		}
		if (dom && *dom) {
			bool any = false;
			for (size_t k = 0; k < cs__model_domain_count(d->m) && !any; k++)
				any = domain_matches(dom, cs__model_domain_at(d->m, k)->id);
			if (!any)
				err(d, cs_value_get(e, "domain"),
				    "unknown domain '%s' (a domain id of data/domains.tsv, or a prefix ending in *)",
				    dom);
			a->domain = dom;
		}
		if (own && *own) {
			int o = vocab_index(own, (const char *const[]){ "provider", "customer", "shared", NULL });
			if (o < 0)
				err(d, cs_value_get(e, "owner"),
				    "owner '%s' is not one of: provider, customer, shared", own);
			a->owner = (cs_owner)(o < 0 ? CS_OWNER_UNKNOWN : o);
		}
		a->state = CS_STATE_UNKNOWN;
		if (st && *st) {
			int s = vocab_index(st, (const char *const[]){ "on", "off", NULL });
			if (s < 0)
				err(d, cs_value_get(e, "state"), "state '%s' is not one of: on, off", st);
			else
				a->state = (cs_state)s;
		}
		a->note = note ? note : "";
		a->at = loc_of(d, e);
		if (d->errors == before && push(&d->assumptions, a))
			return CS_ENOMEM;
	}
	return CS_OK;
}

static cs_err sec_contacts(cs_deployment *d, const cs_value *v)
{
	static const char *const sides[] = { "customer", "provider", NULL };
	static const char *const keys[] = { "name", "role", "email", "url", NULL };
	if (cs_value_type(v) != CS_VOBJECT) {
		err(d, v, "contacts must be a mapping with 'customer' and 'provider' lists");
		return CS_OK;
	}
	keys_known(d, v, sides, "contacts");
	for (size_t s = 0; sides[s]; s++) {
		const cs_value *l = list_key(d, v, sides[s]);
		for (size_t i = 0; i < cs_value_len(l); i++) {
			const cs_value *e = cs_value_at(l, i);
			if (cs_value_type(e) != CS_VOBJECT) {
				err(d, e, "contacts: each entry is a mapping with name, role, email, url");
				continue;
			}
			keys_known(d, e, keys, "a contact");
			cs__contact *c = cs_arena_alloc(d->a, sizeof(*c));
			if (!c)
				return CS_ENOMEM;
			const char *f[4];
			for (size_t k = 0; k < 4; k++) {
				f[k] = str_key(d, e, keys[k], k == 0, "a contact");
				if (!f[k])
					f[k] = "";
			}
			*c = (cs__contact){ sides[s], f[0], f[1], f[2], f[3] };
			if (push(&d->contacts, c))
				return CS_ENOMEM;
		}
	}
	return CS_OK;
}

/* ---- lifecycle ----------------------------------------------------------- */

static cs_err dep_new(cs_deployment **out, cs_model *m, cs_diag_sink *diag)
{
	cs_deployment *d = cs_calloc(1, sizeof(*d));
	*out = NULL;
	if (!d)
		return CS_ENOMEM;
	d->a = cs_arena_new(0);
	if (!d->a) {
		cs_free(d);
		return CS_ENOMEM;
	}
	d->m = m;
	d->diag = diag;
	d->file = "";
	d->dir = ".";
	*out = d;
	return CS_OK;
}

void cs_deployment_free(cs_deployment *d)
{
	if (!d)
		return;
	cs_ptrvec *v[] = { &d->inputs,   &d->providers, &d->frameworks, &d->declared,
			   &d->assumptions, &d->classes, &d->contacts,  &d->held,
			   &d->unclassified, &d->patterns };
	for (size_t i = 0; i < CS_ARRAY_SIZE(v); i++)
		cs__ptrvec_release(v[i]);
	cs_free(d->used);
	cs_arena_free(d->a);
	cs_free(d);
}

/* Reads the top level of a parsed deployment file. */
static cs_err read_root(cs_deployment *d, const cs_value *root)
{
	static const char *const keys[] = { "version",  "name",        "description", "providers",
					    "inputs",   "services",    "data",        "frameworks",
					    "assumptions", "contacts", NULL };
	cs_err rc = CS_OK;
	keys_known(d, root, keys, "the deployment file");
	const cs_value *ver = cs_value_get(root, "version");
	if (!ver)
		err(d, root, "the deployment file needs 'version: 1'");
	else if (cs_value_type(ver) != CS_VNUMBER || cs_value_num(ver) != 1.0)
		err(d, ver, "unsupported version (this cshare reads version 1)");
	const char *name = str_key(d, root, "name", true, "the deployment file");
	const char *desc = str_key(d, root, "description", false, "the deployment file");
	d->v.name = name ? name : "";
	d->v.description = desc ? desc : "";
	const cs_value *l;
	if ((l = list_key(d, root, "providers")) && (rc = sec_providers(d, l)))
		return rc;
	if ((l = list_key(d, root, "inputs"))) {
		if ((rc = sec_inputs(d, l)))
			return rc;
	} else if (!cs_value_get(root, "inputs") && (rc = push(&d->inputs, d->dir))) {
		return rc;
	}
	if ((l = list_key(d, root, "services")) && (rc = sec_services(d, l)))
		return rc;
	if ((l = list_key(d, root, "data")) && (rc = sec_data(d, l)))
		return rc;
	if ((l = list_key(d, root, "frameworks")) && (rc = sec_frameworks(d, l)))
		return rc;
	if ((l = list_key(d, root, "assumptions")) && (rc = sec_assumptions(d, l)))
		return rc;
	if ((l = cs_value_get(root, "contacts")) && (rc = sec_contacts(d, l)))
		return rc;
	return CS_OK;
}

/* NULL-terminated array copy of a pointer vector, in the arena. */
static const void **nt(cs_arena *a, const cs_ptrvec *v)
{
	const void **out = cs_arena_alloc(a, (v->n + 1) * sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		out[i] = v->v[i];
	out[v->n] = NULL;
	return out;
}

/* Fills the view from the vectors (after load, again after resolve). */
static cs_err make_view(cs_deployment *d)
{
	struct cs__deployment_view *v = &d->v;
	v->file = d->file;
	v->providers = (const char *const *)nt(d->a, &d->providers);
	v->frameworks = (const char *const *)nt(d->a, &d->frameworks);
	v->unclassified = (const char *const *)nt(d->a, &d->unclassified);
	if (!v->providers || !v->frameworks || !v->unclassified)
		return CS_ENOMEM;
	cs__assumption *as = cs_arena_alloc(d->a, (d->assumptions.n + 1) * sizeof(*as));
	cs__dataclass *cl = cs_arena_alloc(d->a, (d->classes.n + 1) * sizeof(*cl));
	cs__contact *co = cs_arena_alloc(d->a, (d->contacts.n + 1) * sizeof(*co));
	cs__held *he = cs_arena_alloc(d->a, (d->held.n + 1) * sizeof(*he));
	if (!as || !cl || !co || !he)
		return CS_ENOMEM;
	for (size_t i = 0; i < d->assumptions.n; i++)
		as[i] = *(const cs__assumption *)d->assumptions.v[i];
	for (size_t i = 0; i < d->classes.n; i++)
		cl[i] = *(const cs__dataclass *)d->classes.v[i];
	for (size_t i = 0; i < d->contacts.n; i++)
		co[i] = *(const cs__contact *)d->contacts.v[i];
	for (size_t i = 0; i < d->held.n; i++)
		he[i] = *(const cs__held *)d->held.v[i];
	v->assumptions = as;
	v->nassumptions = d->assumptions.n;
	v->classes = cl;
	v->nclasses = d->classes.n;
	v->contacts = co;
	v->ncontacts = d->contacts.n;
	v->held = he;
	v->nheld = d->held.n;
	v->services = d->used;
	v->nservices = d->nused;
	return CS_OK;
}

static int used_cmp(const void *a, const void *b)
{
	return strcmp(((const cs__used_service *)a)->service->id,
		      ((const cs__used_service *)b)->service->id);
}

/* Adds (or finds) a used service; NULL when out of memory. */
static cs__used_service *use(cs_deployment *d, const cs__service *s, size_t *cap)
{
	for (size_t i = 0; i < d->nused; i++)
		if (d->used[i].service == s)
			return &d->used[i];
	if (d->nused == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		cs__used_service *nu = cs_realloc(d->used, nc * sizeof(*nu));
		if (!nu)
			return NULL;
		d->used = nu;
		*cap = nc;
	}
	d->used[d->nused] = (cs__used_service){ s, false, 0, NULL };
	return &d->used[d->nused++];
}

/* Adds a class to a used service's NULL-terminated list (once). */
static cs_err add_class(cs_deployment *d, cs__used_service *u, const char *cls)
{
	size_t n = 0;
	for (; u->classes && u->classes[n]; n++)
		if (strcmp(u->classes[n], cls) == 0)
			return CS_OK;
	const char **nl = cs_arena_alloc(d->a, (n + 2) * sizeof(*nl));
	if (!nl)
		return CS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		nl[i] = u->classes[i];
	nl[n] = cls;
	nl[n + 1] = NULL;
	u->classes = nl;
	return CS_OK;
}

/* The services declared in the file (services: and data[].services). */
static cs_err use_declared(cs_deployment *d, size_t *cap)
{
	for (size_t i = 0; i < d->declared.n; i++) {
		cs__used_service *u = use(d, d->declared.v[i], cap);
		if (!u)
			return CS_ENOMEM;
		u->declared = true;
	}
	for (size_t i = 0; i < d->classes.n; i++) {
		const cs__dataclass *dc = d->classes.v[i];
		for (size_t k = 0; dc->services[k]; k++) {
			cs__used_service *u = use(d, dc->services[k], cap);
			if (!u || add_class(d, u, dc->cls))
				return CS_ENOMEM;
			u->declared = true;
		}
	}
	return CS_OK;
}

static cs_err finish_load(cs_deployment *d)
{
	size_t cap = 0;
	cs_err rc = use_declared(d, &cap);
	if (!rc && d->nused > 1)
		qsort(d->used, d->nused, sizeof(*d->used), used_cmp);
	return rc ? rc : make_view(d);
}

cs_err cs__deployment_load_buffer(cs_deployment **out, cs_model *m, const char *path,
				  const char *data, size_t len, cs_diag_sink *diag)
{
	cs_deployment *d = NULL;
	const cs_value *docs = NULL;
	cs_err rc = dep_new(&d, m, diag);
	*out = NULL;
	if (rc)
		return rc;
	d->file = cs_arena_strdup(d->a, path);
	const char *slash = strrchr(path, '/');
	d->dir = slash ? cs_arena_strndup(d->a, path, slash == path ? 1 : (size_t)(slash - path))
		       : ".";
	if (!d->file || !d->dir) {
		rc = CS_ENOMEM;
		goto out;
	}
	rc = cs_yaml_parse(d->a, d->file, data, len, NULL, diag, &docs);
	if (rc)
		goto out;
	const cs_value *root = cs_value_at(docs, 0);
	if (!root || cs_value_type(root) != CS_VOBJECT) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ESYNTAX, d->file, root ? cs_value_line(root) : 1,
			     root ? cs_value_col(root) : 1, NULL,
			     "a deployment file is a YAML mapping (version, name, inputs, ...)");
		rc = CS_ESYNTAX;
		goto out;
	}
	if (cs_value_len(docs) > 1)
		err(d, cs_value_at(docs, 1), "a deployment file holds one YAML document");
	rc = read_root(d, root);
	if (!rc && d->oom)
		rc = CS_ENOMEM;
	if (!rc)
		rc = finish_load(d);
	if (!rc && d->errors)
		rc = CS_ECHECK;
out:
	if (rc && rc != CS_ECHECK) {
		cs_deployment_free(d);
		return rc;
	}
	*out = d;
	return rc;
}

cs_err cs_deployment_load(cs_deployment **out, cs_model *m, const char *path, cs_diag_sink *diag)
{
	char *data = NULL;
	size_t len = 0;
	cs_err rc = cs_file_read(path, MAX_DEPLOYMENT_FILE, &data, &len);
	*out = NULL;
	if (rc) {
		cs_diag_emit(diag, CS_SEV_ERROR, rc, path, 0, 0, NULL,
			     "cannot read the deployment file: %s",
			     rc == CS_ELIMIT ? "larger than 4 MiB" : cs_strerror(rc));
		return rc;
	}
	rc = cs__deployment_load_buffer(out, m, path, data, len, diag);
	cs_free(data);
	return rc;
}

cs_err cs_deployment_new_dir(cs_deployment **out, cs_model *m, const char *dir,
			     cs_diag_sink *diag)
{
	cs_deployment *d = NULL;
	cs_err rc = dep_new(&d, m, diag);
	*out = NULL;
	if (rc)
		return rc;
	d->dir = cs_arena_strdup(d->a, dir);
	d->v.name = d->dir;
	d->v.description = "";
	if (!d->dir || push(&d->inputs, d->dir) || finish_load(d)) {
		cs_deployment_free(d);
		return CS_ENOMEM;
	}
	*out = d;
	return CS_OK;
}

const char *cs_deployment_name(const cs_deployment *d)
{
	return d->v.name;
}

size_t cs_deployment_input_count(const cs_deployment *d)
{
	return d->inputs.n;
}

const char *cs_deployment_input(const cs_deployment *d, size_t i)
{
	return i < d->inputs.n ? d->inputs.v[i] : NULL;
}

size_t cs_deployment_framework_count(const cs_deployment *d)
{
	return d->frameworks.n;
}

const char *cs_deployment_framework(const cs_deployment *d, size_t i)
{
	return i < d->frameworks.n ? d->frameworks.v[i] : NULL;
}

/* ---- resolving against the inputs ---------------------------------------- */

static bool name_matches(const char *pattern, const char *name)
{
	return domain_matches(pattern, name); /* same rule: a trailing * matches any rest */
}

static const char *format_prefix(const char *format)
{
	if (strcmp(format, "cloudformation") == 0)
		return "cfn";
	if (strcmp(format, "terraform-plan") == 0 || strcmp(format, "terraform-hcl") == 0)
		return "tf";
	if (strcmp(format, "aws-config") == 0)
		return "config";
	return format;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The service claiming a type of an input format, remembered per type in
 * `cache` (inputs repeat a few types many times). */
static cs_err by_type(cs_deployment *d, cs_strmap *cache, const char *format, const char *type,
		      const cs__service **out)
{
	static const char none = 0; /* cached: no service claims the type */
	char key[512];
	int kl = snprintf(key, sizeof key, "%s\x1f%s", format, type);
	if (kl <= 0 || (size_t)kl >= sizeof key) {
		*out = cs__model_service_for(d->m, format_prefix(format), type);
		return CS_OK;
	}
	const void *hit = cs__strmap_get(cache, key, (size_t)kl, NULL);
	if (hit) {
		*out = hit == &none ? NULL : hit;
		return CS_OK;
	}
	*out = cs__model_service_for(d->m, format_prefix(format), type);
	char *k = cs_arena_strndup(d->a, key, (size_t)kl);
	if (!k)
		return CS_ENOMEM;
	return cs__strmap_put(cache, k, (size_t)kl,
			      (void *)(uintptr_t)(*out ? (const void *)*out : (const void *)&none));
}

cs_err cs_deployment_resolve(cs_deployment *d, const cs_inventory *inv)
{
	cs_err rc = CS_OK;
	cs_strmap norm = { 0 }, seen = { 0 }, types = { 0 };
	size_t cap = d->nused;
	if (d->resolved)
		return CS_OK;
	/* normalized resources by "file\x1fname", for their kinds */
	for (size_t i = 0; i < cs_inventory_count(inv) && !rc; i++) {
		const cs_resource *r = cs_inventory_at(inv, i);
		char *k = cs_arena_printf(d->a, "%s\x1f%s", cs_resource_file(r), cs_resource_name(r));
		rc = k ? cs__strmap_put(&norm, k, strlen(k), (void *)(uintptr_t)r) : CS_ENOMEM;
	}
	for (size_t i = 0; i < cs_inventory_input_count(inv) && !rc; i++) {
		cs_input_resource ir;
		if (!cs_inventory_input_at(inv, i, &ir) || !ir.type || !ir.format)
			continue;
		char key[1024];
		int kl = snprintf(key, sizeof key, "%s\x1f%s", ir.file ? ir.file : "",
				  ir.name ? ir.name : "");
		const cs_resource *r = kl > 0 && (size_t)kl < sizeof key
					       ? cs__strmap_get(&norm, key, (size_t)kl, NULL)
					       : NULL;
		if (r && strcmp(cs_resource_source_type(r), ir.type) != 0)
			r = NULL; /* a split resource shares no name with its target, but be sure */
		const cs__service *s = NULL;
		if ((rc = by_type(d, &types, ir.format, ir.type, &s)))
			break;
		if (!s && r)
			s = cs__model_service_for(d->m, "kind", cs_resource_kind(r));
		if (!s && r && *cs_resource_provider(r) && *cs_resource_service(r)) {
			char id[256];
			snprintf(id, sizeof id, "%s:%s", cs_resource_provider(r), cs_resource_service(r));
			s = cs__model_service(d->m, id);
		}
		cs__used_service *u = NULL;
		if (s) {
			if (!(u = use(d, s, &cap))) {
				rc = CS_ENOMEM;
				break;
			}
			u->nres++;
		} else {
			char *t = cs_arena_printf(d->a, "%s:%s", ir.format, ir.type);
			if (!t) {
				rc = CS_ENOMEM;
				break;
			}
			if (!cs__strmap_get(&seen, t, strlen(t), NULL) &&
			    (cs__strmap_put(&seen, t, strlen(t), t) || cs__ptrvec_push(&d->unclassified, t)))
				rc = CS_ENOMEM;
		}
		/* data classes placed on resources by name */
		for (size_t p = 0; p < d->patterns.n && !rc && ir.name; p++) {
			cs__pattern_use *pu = d->patterns.v[p];
			if (!name_matches(pu->pattern, ir.name))
				continue;
			pu->used = true;
			const cs__dataclass *dc = d->classes.v[pu->cls];
			cs__held *h = cs_arena_alloc(d->a, sizeof(*h));
			if (!h) {
				rc = CS_ENOMEM;
				break;
			}
			*h = (cs__held){ r, ir.name, ir.type, s, dc->cls };
			if (cs__ptrvec_push(&d->held, h) || (u && add_class(d, u, dc->cls)))
				rc = CS_ENOMEM;
		}
	}
	for (size_t p = 0; p < d->patterns.n && !rc; p++) {
		const cs__pattern_use *pu = d->patterns.v[p];
		if (!pu->used)
			cs_diag_emit(d->diag, CS_SEV_WARNING, CS_OK, pu->at.file, pu->at.line, pu->at.col,
				     NULL,
				     "data: resource pattern '%s' matches no resource in the inputs",
				     pu->pattern);
	}
	if (!rc) {
		if (d->nused > 1)
			qsort(d->used, d->nused, sizeof(*d->used), used_cmp);
		if (d->unclassified.n > 1)
			qsort(d->unclassified.v, d->unclassified.n, sizeof(void *), str_cmp);
		rc = make_view(d);
		d->resolved = rc == CS_OK;
	}
	/* the used array may have moved: the view never points at freed memory */
	d->v.services = d->used;
	d->v.nservices = d->nused;
	cs__strmap_release(&norm);
	cs__strmap_release(&seen);
	cs__strmap_release(&types);
	return rc;
}

const struct cs__deployment_view *cs__deployment_view(const cs_deployment *d)
{
	return &d->v;
}

size_t cs__deployment_assumptions(const cs_deployment *d, const cs__service *svc,
				  const char *domain, const cs__assumption **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < d->assumptions.n; i++) {
		const cs__assumption *a = d->assumptions.v[i];
		bool svc_ok = a->service ? a->service == svc
					 : svc && a->provider && strcmp(a->provider, svc->provider) == 0;
		if (!svc_ok || !a->domain || !domain_matches(a->domain, domain))
			continue;
		if (n < max && out)
			out[n] = a;
		n++;
	}
	return n;
}
