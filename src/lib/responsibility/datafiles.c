/*
 * responsibility/datafiles.c - the loaders of the model's data files
 * (docs/data-files.md): domains, sources, services, ownership, attestations
 * and the framework registry.  Every field is checked (vocabularies, dates,
 * identifiers, references to loaded sources, services and domains,
 * duplicates, identifier pattern clashes); a bad record is diagnosed at the
 * field's line and column and skipped, and the rest of the file is loaded.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/tsv.h"
#include "model_int.h"

static const char *const PROVIDERS[] = { "aws", "azure", "gcp", NULL };
static const char *const MODELS[] = { "iaas", "paas", "saas", NULL };
static const char *const CLASSES[] = { "phi",          "chd",    "pii", "credentials",
				       "confidential", "public", NULL };

/* One loading pass over a file. */
typedef struct ld {
	cs_model *m;
	cs_tsv t;
	const char *file; /* arena copy, used in every cs__loc */
	bool ok;          /* the current record is still good */
	cs_err rc;        /* CS_ENOMEM once memory ran out */
} ld;

static cs_str fld(ld *l, size_t i)
{
	return cs__tsv_field(&l->t, i);
}

static void bad(ld *l, size_t i, const char *fmt, ...) CS_PRINTF(3, 4);

static void bad(ld *l, size_t i, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs__tsv_error(&l->t, i, CS_ECHECK, "%s", msg);
	l->ok = false;
}

/* Copies field i into the arena (NUL-terminated); "" for `-`. */
static const char *dup(ld *l, size_t i)
{
	cs_str f = fld(l, i);
	char *s = cs_arena_strndup(l->m->a, f.ptr, f.len);
	if (!s)
		l->rc = CS_ENOMEM;
	return s ? s : "";
}

static cs__loc here(const ld *l)
{
	return (cs__loc){ l->file, l->t.line, 1 };
}

/* Field i must be present. */
static void need(ld *l, size_t i, const char *what)
{
	if (fld(l, i).len == 0)
		bad(l, i, "%s must not be empty", what);
}

/* Field i must be an identifier ([a-z0-9._:-]). */
static void ident(ld *l, size_t i, const char *what)
{
	cs_str f = fld(l, i);
	if (f.len == 0)
		bad(l, i, "%s must not be empty", what);
	else if (!cs__is_ident(f))
		bad(l, i, "%s '%.*s' is not an identifier (lower case letters, digits, '.', '_', ':', '-')",
		    what, (int)f.len, f.ptr);
}

/* Field i from a vocabulary; its index or -1 (diagnosed). */
static int vocab(ld *l, size_t i, const char *const *allowed)
{
	int k = cs__tsv_enum(&l->t, i, allowed);
	if (k < 0)
		l->ok = false;
	return k;
}

static void date(ld *l, size_t i)
{
	if (!cs__tsv_date(&l->t, i))
		l->ok = false;
}

/* The source named by field i, or NULL (diagnosed). */
static const cs__source *source_ref(ld *l, size_t i)
{
	cs_str f = fld(l, i);
	const cs__source *s = f.len ? cs__strmap_get(&l->m->src_by_id, f.ptr, f.len, NULL) : NULL;
	if (!f.len)
		bad(l, i, "every fact must name its source");
	else if (!s)
		bad(l, i, "unknown source '%.*s' (not in any sources*.tsv)", (int)f.len, f.ptr);
	return s;
}

/* The service named by field i of `provider`, or NULL (diagnosed). */
static const cs__service *service_ref(ld *l, size_t i, cs_str provider)
{
	cs_str f = fld(l, i);
	char key[256];
	int n = snprintf(key, sizeof key, "%.*s:%.*s", (int)provider.len, provider.ptr, (int)f.len,
			 f.ptr);
	const cs__service *s = NULL;
	if (n > 0 && (size_t)n < sizeof key)
		s = cs__strmap_get(&l->m->svc_by_id, key, (size_t)n, NULL);
	if (!s)
		bad(l, i, "unknown service '%.*s' of provider '%.*s' (not in services.tsv)", (int)f.len,
		    f.ptr, (int)provider.len, provider.ptr);
	return s;
}

static void put(ld *l, cs_strmap *map, const char *key, void *v, cs_ptrvec *vec)
{
	if (cs__strmap_put(map, key, strlen(key), v) || (vec && cs__ptrvec_push(vec, v)))
		l->rc = CS_ENOMEM;
}

/* ---- the files ----------------------------------------------------------- */

static void rec_domain(ld *l)
{
	ident(l, 0, "domain_id");
	need(l, 1, "title");
	cs_str id = fld(l, 0);
	const cs__domain *old = cs__strmap_get(&l->m->dom_by_id, id.ptr, id.len, NULL);
	if (old)
		bad(l, 0, "duplicate domain '%.*s'", (int)id.len, id.ptr);
	if (!l->ok)
		return;
	cs__domain *d = cs_arena_alloc(l->m->a, sizeof(*d));
	if (!d) {
		l->rc = CS_ENOMEM;
		return;
	}
	d->id = dup(l, 0);
	d->title = dup(l, 1);
	put(l, &l->m->dom_by_id, d->id, d, &l->m->domains);
}

static void rec_source(ld *l)
{
	static const char *const kinds[] = { "doc", "dataset", "derived", "standard", NULL };
	static const char *const status[] = { "current", "stale", NULL };
	ident(l, 0, "source_id");
	vocab(l, 1, kinds);
	int st = vocab(l, 2, status);
	date(l, 3);
	need(l, 4, "licence");
	need(l, 5, "reference");
	need(l, 6, "title");
	cs_str id = fld(l, 0);
	const cs__source *old = cs__strmap_get(&l->m->src_by_id, id.ptr, id.len, NULL);
	if (old)
		bad(l, 0, "duplicate source '%.*s' (first in %s:%u)", (int)id.len, id.ptr, old->at.file,
		    (unsigned)old->at.line);
	if (!l->ok)
		return;
	cs__source *s = cs_arena_alloc(l->m->a, sizeof(*s));
	if (!s) {
		l->rc = CS_ENOMEM;
		return;
	}
	s->id = dup(l, 0);
	s->kind = dup(l, 1);
	s->stale = st == 1;
	s->retrieved = dup(l, 3);
	s->licence = dup(l, 4);
	s->reference = dup(l, 5);
	s->title = dup(l, 6);
	s->at = here(l);
	put(l, &l->m->src_by_id, s->id, s, &l->m->sources);
}

/* Parses the identifiers column: `prefix:pattern` items separated by ','. */
static void idents_of(ld *l, cs__service *svc, bool commit)
{
	static const char *const prefixes[] = { "cfn", "tf", "config", "iam", "kind", "arm", "gcp" };
	cs_str f = fld(l, 5);
	size_t n = 0, i = 0;
	const char **list = NULL;
	if (commit) {
		size_t items = 1;
		for (size_t k = 0; k < f.len; k++)
			items += f.ptr[k] == ',';
		list = cs_arena_alloc(l->m->a, (items + 1) * sizeof(*list));
		if (!list) {
			l->rc = CS_ENOMEM;
			return;
		}
	}
	while (f.len && i <= f.len) {
		const char *item = f.ptr + i;
		const char *comma = memchr(item, ',', f.len - i);
		size_t il = comma ? (size_t)(comma - item) : f.len - i;
		const char *colon = memchr(item, ':', il);
		const char *pfx = NULL;
		for (size_t k = 0; colon && k < CS_ARRAY_SIZE(prefixes); k++)
			if ((size_t)(colon - item) == strlen(prefixes[k]) &&
			    memcmp(item, prefixes[k], strlen(prefixes[k])) == 0)
				pfx = prefixes[k];
		const char *pat = colon ? colon + 1 : item;
		size_t pl = colon ? il - (size_t)(colon - item) - 1 : 0;
		bool star = pl && pat[pl - 1] == '*';
		if (star)
			pl--;
		bool ws = false, inner_star = memchr(pat, '*', pl) != NULL;
		for (size_t k = 0; k < pl; k++)
			ws |= pat[k] == ' ' || (unsigned char)pat[k] < 0x20;
		if (!commit) {
			if (!pfx)
				bad(l, 5, "identifier '%.*s' must be prefix:pattern with a prefix of cfn, tf, config, iam, kind, arm, gcp",
				    (int)il, item);
			else if (!pl && !star)
				bad(l, 5, "identifier '%.*s' has an empty pattern", (int)il, item);
			else if (inner_star || ws)
				bad(l, 5, "identifier '%.*s': '*' may only end a pattern, and no spaces",
				    (int)il, item);
		} else {
			const cs__service *clash = NULL;
			if (cs__ident_add(l->m, pfx, pat, pl, star, svc, &clash)) {
				l->rc = CS_ENOMEM;
				return;
			}
			if (clash && clash != svc)
				cs__tsv_error(&l->t, 5, CS_ECHECK,
					      "identifier '%.*s' is also claimed by %s (equal patterns on two services)",
					      (int)il, item, clash->id);
			else if (clash)
				cs__tsv_error(&l->t, 5, CS_ECHECK, "identifier '%.*s' is listed twice",
					      (int)il, item);
			else if (!(list[n++] = cs_arena_strndup(l->m->a, item, il)))
				l->rc = CS_ENOMEM;
		}
		i += il + 1;
	}
	if (commit) {
		list[n] = NULL;
		svc->idents = list;
	}
}

static void rec_service(ld *l)
{
	static const char *const cats[] = {
		"compute",  "container", "serverless", "storage",    "database", "network",
		"cdn",      "identity",  "security",   "keys",       "logging",  "monitoring",
		"messaging", "analytics", "ml",        "management", "devtools", "integration",
		NULL
	};
	vocab(l, 0, PROVIDERS);
	ident(l, 1, "service_id");
	vocab(l, 2, MODELS);
	vocab(l, 3, cats);
	need(l, 4, "display_name");
	idents_of(l, NULL, false);
	cs_str p = fld(l, 0), s = fld(l, 1);
	char *id = cs_arena_printf(l->m->a, "%.*s:%.*s", (int)p.len, p.ptr, (int)s.len, s.ptr);
	if (!id) {
		l->rc = CS_ENOMEM;
		return;
	}
	const cs__service *old = cs__strmap_get(&l->m->svc_by_id, id, strlen(id), NULL);
	if (old)
		bad(l, 1, "duplicate service '%s' (first at line %u)", id, (unsigned)old->at.line);
	if (!l->ok)
		return;
	cs__service *svc = cs_arena_alloc(l->m->a, sizeof(*svc));
	if (!svc) {
		l->rc = CS_ENOMEM;
		return;
	}
	svc->provider = dup(l, 0);
	svc->sid = dup(l, 1);
	svc->id = id;
	svc->model = dup(l, 2);
	svc->category = dup(l, 3);
	svc->name = dup(l, 4);
	svc->at = here(l);
	put(l, &l->m->svc_by_id, svc->id, svc, &l->m->services);
	if (l->rc == CS_OK)
		idents_of(l, svc, true);
}

static void rec_ownership(ld *l)
{
	static const char *const owners[] = { "provider", "customer", "shared", "na", "unknown", NULL };
	static const char *const modes[] = { "always_on", "configurable", "inherited", "none",
					     "na",        "unknown",      NULL };
	static const char *const states[] = { "on", "off", "varies", "na", "unknown", NULL };
	cs_model *m = l->m;
	int pv = vocab(l, 0, PROVIDERS);
	cs_str svc_f = fld(l, 1), model_f = fld(l, 2), dom = fld(l, 3);
	const cs__service *svc = NULL;
	bool star = cs_str_eqc(svc_f, "*");
	if (pv >= 0 && !star)
		svc = service_ref(l, 1, fld(l, 0));
	if (star) {
		if (!cs_str_eqc(model_f, "*"))
			vocab(l, 2, (const char *const[]){ "iaas", "paas", "saas", "*", NULL });
	} else if (!cs_str_eqc(model_f, "*")) {
		bad(l, 2, "a service row has model '*' (the service's model comes from services.tsv), not '%.*s'",
		    (int)model_f.len, model_f.ptr);
	}
	if (!cs__strmap_get(&m->dom_by_id, dom.ptr, dom.len, NULL))
		bad(l, 3, "unknown domain '%.*s' (not in domains.tsv)", (int)dom.len, dom.ptr);
	int ow = vocab(l, 4, owners);
	int md = vocab(l, 5, modes);
	int st = vocab(l, 6, states);
	if (md >= 0 && st >= 0) {
		bool cfg = md == CS_MODE_CONFIGURABLE;
		if (cfg && st == CS_STATE_NA)
			bad(l, 6, "mode configurable needs a default state: on, off, varies or unknown");
		else if (!cfg && (st == CS_STATE_ON || st == CS_STATE_OFF || st == CS_STATE_VARIES))
			bad(l, 6, "a default state is for mode configurable; use na with mode %s",
			    cs_mode_name((cs_mode)md));
	}
	const cs__source *src = source_ref(l, 8);
	date(l, 9);
	if (!l->ok)
		return;
	char *key = cs_arena_printf(m->a, "%.*s\x1f%.*s\x1f%.*s\x1f%.*s", (int)fld(l, 0).len,
				    fld(l, 0).ptr, (int)svc_f.len, svc_f.ptr, (int)model_f.len,
				    model_f.ptr, (int)dom.len, dom.ptr);
	if (!key) {
		l->rc = CS_ENOMEM;
		return;
	}
	const cs__ownership *old = cs__strmap_get(&m->own_by_key, key, strlen(key), NULL);
	if (old) {
		bad(l, 3, "duplicate fact for (%.*s, %.*s, %.*s, %.*s) (first at line %u)",
		    (int)fld(l, 0).len, fld(l, 0).ptr, (int)svc_f.len, svc_f.ptr, (int)model_f.len,
		    model_f.ptr, (int)dom.len, dom.ptr, (unsigned)old->at.line);
		return;
	}
	cs__ownership *o = cs_arena_alloc(m->a, sizeof(*o));
	if (!o) {
		l->rc = CS_ENOMEM;
		return;
	}
	o->provider = dup(l, 0);
	o->service = svc;
	o->model = star && !cs_str_eqc(model_f, "*") ? dup(l, 2) : NULL;
	o->domain = ((const cs__domain *)cs__strmap_get(&m->dom_by_id, dom.ptr, dom.len, NULL))->id;
	o->owner = (cs_owner)ow;
	o->mode = (cs_mode)md;
	o->state = (cs_state)st;
	o->duty = dup(l, 7);
	o->source = src;
	o->as_of = dup(l, 9);
	o->at = here(l);
	put(l, &m->own_by_key, key, o, &m->owns);
}

/* region_scope: all | commercial | govcloud | china, or a list of regions. */
static void region_scope(ld *l, size_t i)
{
	cs_str f = fld(l, i);
	static const char *const words[] = { "all", "commercial", "govcloud", "china" };
	for (size_t k = 0; k < CS_ARRAY_SIZE(words); k++)
		if (cs_str_eqc(f, words[k]))
			return;
	size_t s = 0;
	if (!f.len) {
		bad(l, i, "region_scope must not be empty (all, commercial, govcloud, china or regions)");
		return;
	}
	for (size_t k = 0; k <= f.len; k++) {
		if (k < f.len && f.ptr[k] != ',')
			continue;
		cs_str r = { f.ptr + s, k - s };
		bool word = false;
		for (size_t w = 0; w < CS_ARRAY_SIZE(words); w++)
			word |= cs_str_eqc(r, words[w]);
		if (!cs__is_ident(r) || word) {
			bad(l, i, "region_scope '%.*s': expected all, commercial, govcloud, china or a comma-separated list of regions",
			    (int)f.len, f.ptr);
			return;
		}
		s = k + 1;
	}
}

static void rec_attestation(ld *l)
{
	static const char *const status[] = { "in_scope", "eligible", "not_in_scope", "unknown", NULL };
	cs_model *m = l->m;
	int pv = vocab(l, 0, PROVIDERS);
	cs_str svc_f = fld(l, 1);
	bool star = cs_str_eqc(svc_f, "*");
	const cs__service *svc = NULL;
	if (pv >= 0 && !star)
		svc = service_ref(l, 1, fld(l, 0));
	ident(l, 2, "programme");
	int st = vocab(l, 3, status);
	region_scope(l, 5);
	date(l, 6);
	const cs__source *src = source_ref(l, 7);
	if (!l->ok)
		return;
	char *key = cs_arena_printf(m->a, "%.*s\x1f%.*s\x1f%.*s\x1f%s\x1f%.*s", (int)fld(l, 0).len,
				    fld(l, 0).ptr, (int)svc_f.len, svc_f.ptr, (int)fld(l, 2).len,
				    fld(l, 2).ptr, src->id, (int)fld(l, 5).len, fld(l, 5).ptr);
	if (!key) {
		l->rc = CS_ENOMEM;
		return;
	}
	const cs__attestation *old = cs__strmap_get(&m->att_keys, key, strlen(key), NULL);
	if (old) {
		bad(l, 1, "duplicate attestation of '%.*s' for %.*s from source %s (first at line %u)",
		    (int)svc_f.len, svc_f.ptr, (int)fld(l, 2).len, fld(l, 2).ptr, src->id,
		    (unsigned)old->at.line);
		return;
	}
	cs__attestation *a = cs_arena_alloc(m->a, sizeof(*a));
	if (!a) {
		l->rc = CS_ENOMEM;
		return;
	}
	memset(a, 0, sizeof *a);
	a->service = svc;
	a->programme = dup(l, 2);
	a->status = (cs__att_status)st;
	a->qualifier = dup(l, 4);
	a->region_scope = dup(l, 5);
	a->as_of = dup(l, 6);
	a->source = src;
	a->at = here(l);
	put(l, &m->att_keys, key, a, &m->atts);
	if (svc && l->rc == CS_OK) {
		put(l, &m->att_by_svc, svc->id, a, NULL);
	} else if (l->rc == CS_OK) {
		/* a `*` row: its provider is needed to imply the unlisted services */
		cs__star *s = cs_arena_alloc(m->a, sizeof(*s));
		if (!s) {
			l->rc = CS_ENOMEM;
			return;
		}
		s->provider = dup(l, 0);
		s->a = a;
		if (cs__ptrvec_push(&m->stars, s))
			l->rc = CS_ENOMEM;
	}
}

static bool safe_relpath(cs_str p)
{
	if (!p.len || p.ptr[0] == '/')
		return false;
	for (size_t i = 0; i + 1 < p.len; i++)
		if (p.ptr[i] == '.' && p.ptr[i + 1] == '.' && (i == 0 || p.ptr[i - 1] == '/'))
			return false;
	return true;
}

/* A catalogue or profile path (field i); "" for `-` if optional. */
static const char *fw_path(ld *l, size_t i, bool optional)
{
	cs_str f = fld(l, i);
	if (!f.len) {
		if (!optional)
			bad(l, i, "catalogue must not be empty");
		return "";
	}
	if (!safe_relpath(f)) {
		bad(l, i, "'%.*s' must be a path relative to data/frameworks/ (no '..')", (int)f.len,
		    f.ptr);
		return "";
	}
	const char *dd = l->m->datadir;
	char *p = *dd ? cs_arena_printf(l->m->a, "%s/frameworks/%.*s", dd, (int)f.len, f.ptr)
		      : cs_arena_printf(l->m->a, "frameworks/%.*s", (int)f.len, f.ptr);
	if (!p) {
		l->rc = CS_ENOMEM;
		return "";
	}
	struct stat st;
	if (*dd && (stat(p, &st) != 0 || !S_ISREG(st.st_mode)))
		bad(l, i, "no such file: %s", p);
	return p;
}

static void rec_framework(ld *l)
{
	cs_model *m = l->m;
	ident(l, 0, "framework");
	ident(l, 1, "family");
	need(l, 2, "title");
	const char *cat = fw_path(l, 4, false);
	const char *prof = fw_path(l, 5, true);
	cs_str prog = fld(l, 6), dc = fld(l, 7);
	if (prog.len && !cs__is_ident(prog))
		bad(l, 6, "programme '%.*s' is not an identifier", (int)prog.len, prog.ptr);
	size_t ncls = 0;
	for (size_t s = 0, k = 0; dc.len && k <= dc.len; k++) {
		if (k < dc.len && dc.ptr[k] != ',')
			continue;
		cs_str c = { dc.ptr + s, k - s };
		bool known = false;
		for (size_t w = 0; CLASSES[w]; w++)
			known |= cs_str_eqc(c, CLASSES[w]);
		if (!known) {
			bad(l, 7, "unknown data class '%.*s' (phi, chd, pii, credentials, confidential, public)",
			    (int)c.len, c.ptr);
			break;
		}
		ncls++;
		s = k + 1;
	}
	const cs__source *src = source_ref(l, 8);
	cs_str id = fld(l, 0);
	const cs__fwdef *old = cs__strmap_get(&m->fw_by_id, id.ptr, id.len, NULL);
	if (old)
		bad(l, 0, "duplicate framework '%.*s' (first at line %u)", (int)id.len, id.ptr,
		    (unsigned)old->at.line);
	if (!l->ok)
		return;
	cs__fwdef *fw = cs_arena_alloc(m->a, sizeof(*fw));
	const char **cls = cs_arena_alloc(m->a, (ncls + 1) * sizeof(*cls));
	if (!fw || !cls) {
		l->rc = CS_ENOMEM;
		return;
	}
	for (size_t s = 0, k = 0, n = 0; dc.len && k <= dc.len; k++) {
		if (k < dc.len && dc.ptr[k] != ',')
			continue;
		if (!(cls[n++] = cs_arena_strndup(m->a, dc.ptr + s, k - s)))
			l->rc = CS_ENOMEM;
		s = k + 1;
	}
	cls[ncls] = NULL;
	fw->id = dup(l, 0);
	fw->family = dup(l, 1);
	fw->title = dup(l, 2);
	fw->version = dup(l, 3);
	fw->catalogue = cat;
	fw->profile = prof;
	fw->programme = dup(l, 6);
	fw->data_classes = cls;
	fw->source = src;
	fw->at = here(l);
	put(l, &m->fw_by_id, fw->id, fw, &m->fwdefs);
}

/* ---- the entry points ------------------------------------------------------ */

static const char *const COLS_DOMAINS[] = { "domain_id", "title" };
static const char *const COLS_SOURCES[] = { "source_id", "kind",      "status", "retrieved",
					    "licence",   "reference", "title" };
static const char *const COLS_SERVICES[] = { "provider", "service_id",   "model",
					     "category", "display_name", "identifiers" };
static const char *const COLS_OWNERSHIP[] = { "provider", "service",       "model",
					      "domain",   "owner",         "mode",
					      "default_state", "customer_duty", "source",
					      "as_of" };
static const char *const COLS_ATTEST[] = { "provider",  "service",      "programme", "status",
					   "qualifier", "region_scope", "as_of",     "source" };
static const char *const COLS_FW[] = { "framework", "family",    "title",
				       "version",   "catalogue", "profile",
				       "programme", "data_classes", "source" };

cs_err cs__model_load_file(cs_model *m, cs__datafile kind, const char *path, const char *text,
			   size_t len)
{
	static const struct {
		const char *const *cols;
		size_t n;
		void (*rec)(ld *);
	} kinds[] = {
		[CS_DF_DOMAINS] = { COLS_DOMAINS, CS_ARRAY_SIZE(COLS_DOMAINS), rec_domain },
		[CS_DF_SOURCES] = { COLS_SOURCES, CS_ARRAY_SIZE(COLS_SOURCES), rec_source },
		[CS_DF_SERVICES] = { COLS_SERVICES, CS_ARRAY_SIZE(COLS_SERVICES), rec_service },
		[CS_DF_OWNERSHIP] = { COLS_OWNERSHIP, CS_ARRAY_SIZE(COLS_OWNERSHIP), rec_ownership },
		[CS_DF_ATTESTATIONS] = { COLS_ATTEST, CS_ARRAY_SIZE(COLS_ATTEST), rec_attestation },
		[CS_DF_FRAMEWORKS] = { COLS_FW, CS_ARRAY_SIZE(COLS_FW), rec_framework },
	};
	ld l = { .m = m, .rc = CS_OK };
	cs_err rc;
	if ((unsigned)kind >= CS_ARRAY_SIZE(kinds))
		return CS_EINVAL;
	l.file = cs_arena_strdup(m->a, path);
	if (!l.file)
		return CS_ENOMEM;
	rc = text ? cs__tsv_open_buffer(&l.t, l.file, text, len, kinds[kind].cols, kinds[kind].n,
					m->diag)
		  : cs__tsv_open(&l.t, l.file, kinds[kind].cols, kinds[kind].n, m->diag);
	if (rc)
		return rc == CS_ESYNTAX || rc == CS_EUTF8 ? CS_ECHECK : rc;
	while (l.rc == CS_OK && cs__tsv_next(&l.t)) {
		l.ok = true;
		kinds[kind].rec(&l);
	}
	rc = l.rc ? l.rc : l.t.errors ? CS_ECHECK : CS_OK;
	cs__tsv_close(&l.t);
	m->finished = false;
	return rc;
}

/* Whether svc has a listed row of its own for (programme, source). */
static bool listed(const cs_model *m, const cs__service *svc, const cs__attestation *star)
{
	size_t it = 0;
	size_t kl = strlen(svc->id);
	for (const cs__attestation *a = cs__strmap_get(&m->att_by_svc, svc->id, kl, &it); a;
	     a = cs__strmap_next(&m->att_by_svc, svc->id, kl, &it))
		if (!a->implied && a->source == star->source && strcmp(a->programme, star->programme) == 0)
			return true;
	return false;
}

cs_err cs__model_finish(cs_model *m)
{
	cs_err rc = CS_OK;
	if (m->finished)
		return CS_OK;
	/* each `*` row once, even if files are loaded after an earlier finish */
	for (size_t i = m->stars_done; i < m->stars.n && !rc; i++) {
		const cs__star *st = m->stars.v[i];
		for (size_t k = 0; k < m->services.n && !rc; k++) {
			const cs__service *svc = m->services.v[k];
			if (strcmp(svc->provider, st->provider) != 0 || listed(m, svc, st->a))
				continue;
			cs__attestation *a = cs_arena_alloc(m->a, sizeof(*a));
			if (!a) {
				rc = CS_ENOMEM;
				break;
			}
			*a = *st->a;
			a->service = svc;
			a->implied = true;
			if (cs__strmap_put(&m->att_by_svc, svc->id, strlen(svc->id), a) ||
			    cs__ptrvec_push(&m->atts, a))
				rc = CS_ENOMEM;
		}
	}
	if (rc == CS_OK)
		m->stars_done = m->stars.n;
	m->finished = rc == CS_OK;
	return rc;
}
