/*
 * responsibility/model.c - the responsibility model: its lifecycle, the
 * vocabulary names, loading a data directory (docs/data-files.md), and the
 * lookups every consumer uses (ownership by the documented order,
 * attestations with staleness, services by id or by input type).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/internal.h"
#include "model_int.h"

const char *cs_owner_name(cs_owner o)
{
	static const char *const n[] = { "provider", "customer", "shared", "na", "unknown" };
	return (unsigned)o < CS_ARRAY_SIZE(n) ? n[o] : "unknown";
}

const char *cs_mode_name(cs_mode m)
{
	static const char *const n[] = { "always_on", "configurable", "inherited",
					 "none",      "na",           "unknown" };
	return (unsigned)m < CS_ARRAY_SIZE(n) ? n[m] : "unknown";
}

const char *cs_state_name(cs_state s)
{
	static const char *const n[] = { "on", "off", "varies", "na", "unknown" };
	return (unsigned)s < CS_ARRAY_SIZE(n) ? n[s] : "unknown";
}

/* Today's date in UTC, YYYY-MM-DD. */
static void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;
	if (now == (time_t)-1 || !gmtime_r(&now, &tm)) {
		snprintf(out, 11, "1970-01-01");
		return;
	}
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

cs_err cs_model_new(cs_model **out, cs_diag_sink *diag)
{
	cs_model *m = cs_calloc(1, sizeof(*m));
	*out = NULL;
	if (!m)
		return CS_ENOMEM;
	m->diag = diag;
	m->a = cs_arena_new(0);
	m->datadir = "";
	if (!m->a) {
		cs_free(m);
		return CS_ENOMEM;
	}
	today(m->as_of);
	*out = m;
	return CS_OK;
}

void cs_model_free(cs_model *m)
{
	if (!m)
		return;
	cs_ptrvec *vecs[] = { &m->domains, &m->sources, &m->services, &m->owns,
			      &m->atts,    &m->fwdefs,  &m->idents, &m->stars };
	for (size_t i = 0; i < CS_ARRAY_SIZE(vecs); i++)
		cs__ptrvec_release(vecs[i]);
	cs_strmap *maps[] = { &m->dom_by_id,  &m->src_by_id, &m->svc_by_id,    &m->own_by_key,
			      &m->att_by_svc, &m->fw_by_id,  &m->ident_by_text, &m->att_keys };
	for (size_t i = 0; i < CS_ARRAY_SIZE(maps); i++)
		cs__strmap_release(maps[i]);
	cs_arena_free(m->a);
	cs_free(m);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Keeps the worst of two load outcomes: out of memory, then unreadable,
 * then bad records. */
static cs_err worse(cs_err a, cs_err b)
{
	if (a == CS_ENOMEM || b == CS_ENOMEM)
		return CS_ENOMEM;
	if (a == CS_ENOENT || a == CS_EIO || a == CS_ELIMIT)
		return a;
	if (b == CS_ENOENT || b == CS_EIO || b == CS_ELIMIT)
		return b;
	return a ? a : b;
}

/* Loads data/responsibility/sources*.tsv (every one, in name order). */
static cs_err load_sources(cs_model *m, const char *dir)
{
	cs_ptrvec names = { 0 };
	cs_err rc = cs__dir_sorted(m->a, dir, &names), r;
	size_t found = 0;
	if (rc == CS_EIO) {
		cs_diag_emit(m->diag, CS_SEV_ERROR, CS_ENOENT, dir, 0, 0, NULL,
			     "cannot open the responsibility data directory");
		rc = CS_ENOENT;
		goto out;
	}
	for (size_t i = 0; i < names.n && rc != CS_ENOMEM; i++) {
		const char *p = names.v[i];
		const char *base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
		size_t bl = strlen(base);
		if (strncmp(base, "sources", 7) != 0 || bl < 11 || strcmp(base + bl - 4, ".tsv") != 0 ||
		    !is_file(p))
			continue;
		found++;
		r = cs__model_load_file(m, CS_DF_SOURCES, p, NULL, 0);
		rc = worse(rc, r);
	}
	if (!found && rc != CS_ENOMEM) {
		char *want = cs_arena_printf(m->a, "%s/sources.tsv", dir);
		cs_diag_emit(m->diag, CS_SEV_ERROR, CS_ENOENT, want ? want : dir, 0, 0, NULL,
			     "no sources*.tsv file: every fact must name its source");
		rc = worse(rc, CS_ENOENT);
	}
out:
	cs__ptrvec_release(&names);
	return rc;
}

cs_err cs_model_load_dir(cs_model *m, const char *datadir)
{
	cs_err rc = CS_OK, r;
	char *dd = cs_arena_strdup(m->a, datadir);
	char *resp = cs_arena_printf(m->a, "%s/responsibility", datadir);
	char *p;
	if (!dd || !resp)
		return CS_ENOMEM;
	m->datadir = dd;
	p = cs_arena_printf(m->a, "%s/domains.tsv", datadir);
	if (!p)
		return CS_ENOMEM;
	rc = worse(rc, cs__model_load_file(m, CS_DF_DOMAINS, p, NULL, 0));
	rc = worse(rc, load_sources(m, resp));
	static const struct {
		cs__datafile kind;
		const char *name;
		bool optional;
	} rest[] = {
		{ CS_DF_SERVICES, "responsibility/services.tsv", false },
		{ CS_DF_OWNERSHIP, "responsibility/ownership.tsv", false },
		{ CS_DF_ATTESTATIONS, "responsibility/attestations.tsv", true },
		{ CS_DF_FRAMEWORKS, "frameworks/frameworks.tsv", true },
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(rest) && rc != CS_ENOMEM; i++) {
		p = cs_arena_printf(m->a, "%s/%s", datadir, rest[i].name);
		if (!p)
			return CS_ENOMEM;
		if (rest[i].optional && !is_file(p))
			continue; /* a missing optional file is not an error */
		r = cs__model_load_file(m, rest[i].kind, p, NULL, 0);
		rc = worse(rc, r);
	}
	if (rc != CS_ENOMEM)
		rc = worse(rc, cs__model_finish(m));
	return rc;
}

static bool valid_date(const char *d)
{
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return false;
	int mo = (d[5] - '0') * 10 + (d[6] - '0');
	int da = (d[8] - '0') * 10 + (d[9] - '0');
	return mo >= 1 && mo <= 12 && da >= 1 && da <= 31;
}

cs_err cs_model_set_as_of(cs_model *m, const char *date)
{
	if (!date || !valid_date(date))
		return CS_EINVAL;
	memcpy(m->as_of, date, 11);
	return CS_OK;
}

const char *cs__model_as_of(const cs_model *m)
{
	return m->as_of;
}

const char *cs__model_datadir(const cs_model *m)
{
	return m->datadir;
}

cs_diag_sink *cs__model_diag(const cs_model *m)
{
	return m->diag;
}

const cs__service *cs__model_service(const cs_model *m, const char *id)
{
	return id ? cs__strmap_get(&m->svc_by_id, id, strlen(id), NULL) : NULL;
}

const cs__domain *cs__model_domain(const cs_model *m, const char *id)
{
	return id ? cs__strmap_get(&m->dom_by_id, id, strlen(id), NULL) : NULL;
}

size_t cs__model_domain_count(const cs_model *m)
{
	return m->domains.n;
}

const cs__domain *cs__model_domain_at(const cs_model *m, size_t i)
{
	return i < m->domains.n ? m->domains.v[i] : NULL;
}

const cs__fwdef *cs__model_fwdef(const cs_model *m, const char *id)
{
	return id ? cs__strmap_get(&m->fw_by_id, id, strlen(id), NULL) : NULL;
}

const cs__source *cs__model_source(const cs_model *m, const char *id)
{
	return id ? cs__strmap_get(&m->src_by_id, id, strlen(id), NULL) : NULL;
}

size_t cs_framework_count(const cs_model *m)
{
	return m->fwdefs.n;
}

const char *cs_framework_id(const cs_model *m, size_t i)
{
	return i < m->fwdefs.n ? ((const cs__fwdef *)m->fwdefs.v[i])->id : NULL;
}

const char *cs_framework_title(const cs_model *m, size_t i)
{
	return i < m->fwdefs.n ? ((const cs__fwdef *)m->fwdefs.v[i])->title : NULL;
}

const cs__ownership *cs__model_lookup(const cs_model *m, const cs__service *svc,
				      const char *domain, cs__lookup_level *level)
{
	char key[512];
	const cs__ownership *o = NULL;
	cs__lookup_level lv = CS_LOOKUP_NONE;
	if (svc && domain) {
		/* the order of docs/data-files.md: service, model default, catch-all */
		const char *forms[3][2] = { { svc->sid, "*" }, { "*", svc->model }, { "*", "*" } };
		for (int i = 0; i < 3 && !o; i++) {
			int n = snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", svc->provider,
					 forms[i][0], forms[i][1], domain);
			if (n <= 0 || (size_t)n >= sizeof key)
				break;
			o = cs__strmap_get(&m->own_by_key, key, (size_t)n, NULL);
			if (o)
				lv = (cs__lookup_level)i;
		}
	}
	if (level)
		*level = lv;
	return o;
}

/* Whether attestation a should be preferred over b for one programme:
 * a listed row over an implied one, a current source over a stale one,
 * then the later as_of. */
static bool better(const cs__attestation *a, const cs__attestation *b)
{
	if (a->implied != b->implied)
		return !a->implied;
	if (a->source->stale != b->source->stale)
		return !a->source->stale;
	return strcmp(a->as_of, b->as_of) > 0;
}

const cs__attestation *cs__model_attestation(const cs_model *m, const cs__service *svc,
					     const char *programme)
{
	const cs__attestation *best = NULL;
	if (!svc || !programme)
		return NULL;
	size_t it = 0;
	for (const cs__attestation *a = cs__strmap_get(&m->att_by_svc, svc->id, strlen(svc->id), &it);
	     a; a = cs__strmap_next(&m->att_by_svc, svc->id, strlen(svc->id), &it)) {
		if (strcmp(a->programme, programme) != 0)
			continue;
		if (!best || better(a, best))
			best = a;
	}
	return best;
}

bool cs__attestation_stale(const cs_model *m, const cs__attestation *a)
{
	if (a->source && a->source->stale)
		return true;
	const char *d = a->as_of;
	if (!valid_date(d))
		return true;
	int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int mo = (d[5] - '0') * 10 + (d[6] - '0');
	int months = y * 12 + (mo - 1) + 18;
	/* the date 18 months after as_of; a day past the month's end (Feb 31)
	 * still compares correctly as text */
	char limit[16];
	snprintf(limit, sizeof limit, "%04d-%02d-%c%c", (months / 12) % 10000, months % 12 + 1, d[8],
		 d[9]);
	return strcmp(m->as_of, limit) > 0;
}
