/*
 * compliance/compliance.c - the framework report (docs/report.md): for each
 * requirement, its control domains, the owners of those domains for every
 * service the deployment uses, the provider's attestations, the checks that
 * serve it with their results, the named gaps, and a status.
 */
#include <stdio.h>
#include <string.h>

#include "compliance.h"
#include "core/internal.h"

#define MAX_DOMAINS 64 /* domains of one requirement */

/* Per-check result counts over the deployment's resources. */
typedef struct checkstat {
	const cs_check *check;
	size_t pass, fail, unknown;
	cs_ptrvec failv;   /* const cs_result*, while gathering */
	const cs_result **failing; /* in the report's arena */
	size_t nfailing;
} checkstat;

typedef struct run_ctx {
	cs_compliance *c;
	const cs_model *m;
	const struct cs__deployment_view *v;
	const cs_framework *fw;
	checkstat *stats; /* one per valid check */
	size_t nstats;
	cs_strmap by_check; /* check id -> checkstat */
	cs_ptrvec *naming;  /* per requirement: checkstat* that name it */
	cs_err rc;
} run_ctx;

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

static bool domain_matches(const char *pattern, const char *domain)
{
	size_t n = strlen(pattern);
	if (n && pattern[n - 1] == '*')
		return strncmp(pattern, domain, n - 1) == 0;
	return strcmp(pattern, domain) == 0;
}

/* Adds a domain to a small sorted set. */
static void add_domain(const char **set, size_t *n, const char *d)
{
	size_t i = 0;
	while (i < *n && strcmp(set[i], d) < 0)
		i++;
	if ((i < *n && strcmp(set[i], d) == 0) || *n >= MAX_DOMAINS)
		return;
	memmove(set + i + 1, set + i, (*n - i) * sizeof(*set));
	set[i] = d;
	(*n)++;
}

static cs_err gather_results(run_ctx *x, const cs_checkset *checks, const cs_results *res)
{
	size_t n = cs_checkset_count(checks);
	x->stats = cs_calloc(n ? n : 1, sizeof(*x->stats));
	x->naming = cs_calloc(x->fw->nreqs ? x->fw->nreqs : 1, sizeof(*x->naming));
	if (!x->stats || !x->naming)
		return CS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const cs_check *ck = cs_checkset_at(checks, i);
		if (ck->invalid)
			continue;
		checkstat *s = &x->stats[x->nstats++];
		s->check = ck;
		if (cs__strmap_put(&x->by_check, ck->id, strlen(ck->id), s))
			return CS_ENOMEM;
		for (size_t f = 0; f < ck->nfw; f++) {
			if (strcmp(ck->fw[f].name, x->fw->family) != 0)
				continue;
			for (size_t j = 0; j < ck->fw[f].n; j++) {
				size_t r = cs__framework_find(x->fw, ck->fw[f].ids[j]);
				if (r != CS_NOIDX && cs__ptrvec_push(&x->naming[r], s))
					return CS_ENOMEM;
			}
		}
	}
	for (size_t i = 0; res && i < res->n; i++) {
		const cs_result *r = &res->v[i];
		if (r->suppressed)
			continue;
		checkstat *s = cs__strmap_get(&x->by_check, r->check->id, strlen(r->check->id), NULL);
		if (!s)
			continue;
		if (r->verdict == CS_PASS) {
			s->pass++;
		} else if (r->verdict == CS_FAIL) {
			s->fail++;
			if (cs__ptrvec_push(&s->failv, (void *)r))
				return CS_ENOMEM;
		} else {
			s->unknown++;
		}
	}
	for (size_t i = 0; i < x->nstats; i++) {
		checkstat *s = &x->stats[i];
		if (!s->failv.n)
			continue;
		s->failing = cs_arena_alloc(x->c->a, s->failv.n * sizeof(*s->failing));
		if (!s->failing)
			return CS_ENOMEM;
		memcpy(s->failing, s->failv.v, s->failv.n * sizeof(*s->failing));
		s->nfailing = s->failv.n;
	}
	return CS_OK;
}

/* The domains of requirement i: its own controls_map rows, else its
 * nearest ancestor's; plus the domains of the checks that name it. */
static size_t req_domains(run_ctx *x, size_t i, const char **set)
{
	size_t n = 0, steps = 0;
	const cs_framework *fw = x->fw;
	for (size_t r = i; r != CS_NOIDX && n == 0 && steps++ <= fw->nreqs; r = fw->reqs[r].parent) {
		for (size_t k = 0; k < fw->nmap; k++)
			if (ieq(fw->map[k].control, fw->reqs[r].id) ||
			    ieq(fw->map[k].control, fw->reqs[r].oid))
				add_domain(set, &n, fw->map[k].domain);
	}
	for (size_t k = 0; k < x->naming[i].n; k++) {
		const checkstat *s = x->naming[i].v[k];
		add_domain(set, &n, s->check->domain);
	}
	return n;
}

/* A new gap (pointers into c->gaps are invalidated); NULL when out of memory. */
static cs__gap *new_gap(run_ctx *x, cs__gap_type t, const cs__service *svc, const char *domain,
			const cs__assumption *as)
{
	cs_compliance *c = x->c;
	if (c->ngaps == c->capgaps) {
		size_t cap = c->capgaps ? c->capgaps * 2 : 32;
		cs__gap *nv = cs_realloc(c->gaps, cap * sizeof(*nv));
		if (!nv) {
			x->rc = CS_ENOMEM;
			return NULL;
		}
		c->gaps = nv;
		c->capgaps = cap;
	}
	cs__gap *g = &c->gaps[c->ngaps++];
	memset(g, 0, sizeof(*g));
	g->type = t;
	g->service = svc;
	g->domain = domain;
	g->assumption = as;
	g->what = g->fix = "";
	return g;
}

/* The gap of this type, service, domain and assumption, made if new. */
static cs__gap *find_gap(run_ctx *x, cs__gap_type t, const cs__service *svc, const char *domain,
			 const cs__assumption *as)
{
	cs_compliance *c = x->c;
	for (size_t i = 0; i < c->ngaps; i++) {
		cs__gap *g = &c->gaps[i];
		if (g->type == t && g->service == svc && strcmp(g->domain, domain) == 0 &&
		    g->assumption == as)
			return g;
	}
	return new_gap(x, t, svc, domain, as);
}

static void gap_attach(run_ctx *x, cs__gap *g, size_t req)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nreqs; i++)
		if (g->reqs[i] == req)
			return;
	if (g->nreqs == g->capreqs) {
		size_t cap = g->capreqs ? g->capreqs * 2 : 8;
		size_t *nv = cs_realloc(g->reqs, cap * sizeof(*nv));
		if (!nv) {
			x->rc = CS_ENOMEM;
			return;
		}
		g->reqs = nv;
		g->capreqs = cap;
	}
	size_t i = g->nreqs;
	while (i > 0 && g->reqs[i - 1] > req) {
		g->reqs[i] = g->reqs[i - 1];
		i--;
	}
	g->reqs[i] = req;
	g->nreqs++;
}

static const char *att_status_name(cs__att_status s)
{
	static const char *const n[] = { "in_scope", "eligible", "not_in_scope", "unknown" };
	return (unsigned)s < 4 ? n[s] : "unknown";
}

/* Whether the framework regulates a data class the service holds; the
 * first such class in *cls. */
static bool holds_regulated(const cs_framework *fw, const cs__used_service *u, const char **cls)
{
	for (const char *const *h = u->classes; h && *h; h++)
		for (const char *const *r = fw->data_classes; r && *r; r++)
			if (strcmp(*h, *r) == 0) {
				*cls = *h;
				return true;
			}
	return false;
}

/* The regulated-data and unattested-service gaps of one used service. */
static void service_gaps(run_ctx *x, const cs__used_service *u)
{
	const cs_framework *fw = x->fw;
	cs_arena *a = x->c->a;
	const char *cls = NULL;
	if (!*fw->programme || !holds_regulated(fw, u, &cls))
		return;
	const cs__attestation *att = cs__model_attestation(x->m, u->service, fw->programme);
	cs__gap *g = NULL;
	if (att && att->status == CS_ATT_NOT_IN_SCOPE) {
		g = find_gap(x, CS_GAP_REGULATED_OUT_OF_SCOPE, u->service, "", NULL);
		if (!g)
			return;
		g->what = cs_arena_printf(a, "%s holds %s data but is %s for %s (%s%s, as of %s)",
					  u->service->id, cls, att_status_name(att->status),
					  fw->programme, att->source ? att->source->id : "no source",
					  att->implied ? ", not on the provider's list" : "",
					  att->as_of ? att->as_of : "?");
		g->fix = cs_arena_printf(a, "move the %s data to a service in the %s programme's scope, "
					    "or stop using %s for it",
					 cls, fw->programme, u->service->id);
	} else if (!att || att->status == CS_ATT_UNKNOWN) {
		g = find_gap(x, CS_GAP_UNATTESTED, u->service, "", NULL);
		if (!g)
			return;
		g->what = cs_arena_printf(a, "%s holds %s data and has no %s attestation in the data",
					  u->service->id, cls, fw->programme);
		g->fix = cs_arena_printf(a, "find out from the provider whether %s is in the %s "
					    "programme, and record it (status unknown until then)",
					 u->service->id, fw->programme);
	}
	if (g && (!g->what || !g->fix))
		x->rc = CS_ENOMEM;
}

/* The gaps of one assumption for one service and domain. */
static void assumption_gap(run_ctx *x, const cs__assumption *as, const cs__service *svc,
			   const char *domain)
{
	cs_arena *a = x->c->a;
	cs__lookup_level lvl;
	const cs__ownership *f = cs__model_lookup(x->m, svc, domain, &lvl);
	cs_owner mo = f ? f->owner : CS_OWNER_UNKNOWN;
	bool says_provider = as->owner == CS_OWNER_PROVIDER;
	bool says_on = as->state == CS_STATE_ON;
	cs__gap_type t;
	if (f && f->mode == CS_MODE_CONFIGURABLE &&
	    (f->state == CS_STATE_OFF || f->state == CS_STATE_VARIES) && (says_provider || says_on))
		t = CS_GAP_CONFIGURABLE_OFF;
	else if (says_provider && strncmp(domain, "os.", 3) == 0 && strcmp(svc->model, "iaas") == 0 &&
		 mo != CS_OWNER_PROVIDER)
		t = CS_GAP_IAAS_OS;
	else if (says_provider && strncmp(domain, "identity.", 9) == 0 && mo != CS_OWNER_PROVIDER)
		t = CS_GAP_IDENTITY;
	else if (mo != CS_OWNER_UNKNOWN && mo != CS_OWNER_NA && mo != as->owner)
		t = CS_GAP_CONTRADICTS;
	else
		return;
	const char *dom = cs_arena_strdup(a, domain);
	cs__gap *g = dom ? find_gap(x, t, svc, dom, as) : NULL;
	if (!g) {
		x->rc = CS_ENOMEM;
		return;
	}
	const char *duty = f && f->duty && *f->duty ? f->duty : "";
	const char *src = f && f->source ? f->source->id : "no source";
	char said[96];
	snprintf(said, sizeof said, "owner: %s%s", cs_owner_name(as->owner), says_on ? ", state: on" : "");
	switch (t) {
	case CS_GAP_CONFIGURABLE_OFF:
		g->what = cs_arena_printf(a, "assumed %s for %s %s, but the provider's part is "
					     "configurable and %s by default (%s)",
					  said, svc->id, domain, cs_state_name(f->state), src);
		g->fix = cs_arena_printf(a, "turn %s on for every %s resource yourself and keep a "
					    "check on it%s%s",
					 domain, svc->id, *duty ? ": " : "", duty);
		break;
	case CS_GAP_IAAS_OS:
		g->what = cs_arena_printf(a, "assumed the provider owns %s on %s, an IaaS service where "
					     "the guest OS is yours (model: %s, %s)",
					  domain, svc->id, cs_owner_name(mo), src);
		g->fix = cs_arena_printf(a, "patch and harden the guest OS of %s yourself%s%s", svc->id,
					 *duty ? ": " : "", duty);
		break;
	case CS_GAP_IDENTITY:
		g->what = cs_arena_printf(a, "assumed the provider owns %s on %s (model: %s, %s)", domain,
					  svc->id, cs_owner_name(mo), src);
		g->fix = cs_arena_printf(a, "users, MFA, credentials and permissions on %s are yours "
					    "to manage%s%s",
					 svc->id, *duty ? ": " : "", duty);
		break;
	default:
		g->what = cs_arena_printf(a, "assumed %s for %s %s; the model says %s (%s)", said,
					  svc->id, domain, cs_owner_name(mo), src);
		g->fix = cs_arena_printf(a, "correct the assumption in %s:%u, or get the provider's "
					    "commitment in writing",
					 as->at.file ? as->at.file : "cshare.yaml", (unsigned)as->at.line);
		break;
	}
	if (!g->what || !g->fix)
		x->rc = CS_ENOMEM;
}

static void assumption_gaps(run_ctx *x)
{
	const struct cs__deployment_view *v = x->v;
	size_t nd = cs__model_domain_count(x->m);
	for (size_t i = 0; i < v->nassumptions && !x->rc; i++) {
		const cs__assumption *as = &v->assumptions[i];
		for (size_t s = 0; s < v->nservices && !x->rc; s++) {
			const cs__service *svc = v->services[s].service;
			if (as->service ? as->service != svc : strcmp(as->provider, svc->provider) != 0)
				continue;
			for (size_t k = 0; k < nd && !x->rc; k++) {
				const cs__domain *dm = cs__model_domain_at(x->m, k);
				if (domain_matches(as->domain, dm->id))
					assumption_gap(x, as, svc, dm->id);
			}
		}
	}
}

/* Per requirement: domains, owners, provider and customer evidence. */
static void one_requirement(run_ctx *x, size_t i)
{
	cs_compliance *c = x->c;
	cs__reqrep *rr = &c->reqs[i];
	const cs__req *req = &x->fw->reqs[i];
	const struct cs__deployment_view *v = x->v;
	const char *dom[MAX_DOMAINS];
	size_t nd = req_domains(x, i, dom);
	rr->req = req;
	const char **ds = cs_arena_alloc(c->a, (nd + 1) * sizeof(*ds));
	if (!ds) {
		x->rc = CS_ENOMEM;
		return;
	}
	memcpy(ds, dom, nd * sizeof(*ds));
	ds[nd] = NULL;
	rr->domains = ds;
	/* owners and provider evidence */
	rr->pev = cs_arena_alloc(c->a, (v->nservices + 1) * sizeof(*rr->pev));
	if (!rr->pev) {
		x->rc = CS_ENOMEM;
		return;
	}
	rr->parts = cs_arena_alloc(c->a, (v->nservices * nd + 1) * sizeof(*rr->parts));
	if (!rr->parts) {
		x->rc = CS_ENOMEM;
		return;
	}
	if (nd == 0 || v->nservices == 0) {
		/* asked of the organisation, or nothing delegated to a provider */
		rr->owners = CS_OWN_CUSTOMER;
		rr->customer_part = true;
	}
	for (size_t s = 0; s < v->nservices && nd; s++) {
		const cs__service *svc = v->services[s].service;
		bool prov = false;
		for (size_t k = 0; k < nd; k++) {
			cs__lookup_level lvl;
			const cs__ownership *f = cs__model_lookup(x->m, svc, dom[k], &lvl);
			cs_owner o = f ? f->owner : CS_OWNER_UNKNOWN;
			if (o == CS_OWNER_PROVIDER || o == CS_OWNER_SHARED)
				rr->parts[rr->nparts++] = (cs__ppart){ svc, dom[k], f };
			switch (o) {
			case CS_OWNER_PROVIDER:
				rr->owners |= CS_OWN_PROVIDER;
				prov = true;
				break;
			case CS_OWNER_SHARED:
				rr->owners |= CS_OWN_SHARED;
				prov = true;
				rr->customer_part = true;
				break;
			case CS_OWNER_CUSTOMER:
				rr->owners |= CS_OWN_CUSTOMER;
				rr->customer_part = true;
				break;
			case CS_OWNER_NA:
				break;
			default:
				rr->owners |= CS_OWN_UNKNOWN;
				rr->customer_part = true; /* unknown is never the provider's */
				break;
			}
		}
		if (prov) {
			rr->provider_part = true;
			if (*x->fw->programme) {
				cs__pevidence *p = &rr->pev[rr->npev++];
				p->service = svc;
				p->att = cs__model_attestation(x->m, svc, x->fw->programme);
				p->stale = p->att && cs__attestation_stale(x->m, p->att);
			}
		}
	}
	if (rr->owners == 0) {
		/* every fact was `na`: the requirement does not apply to these services */
		rr->owners = CS_OWN_CUSTOMER;
		rr->customer_part = true;
	}
	/* customer evidence: checks naming it, or whose domain is one of its domains */
	rr->cev = cs_arena_alloc(c->a, (x->nstats + 1) * sizeof(*rr->cev));
	if (!rr->cev) {
		x->rc = CS_ENOMEM;
		return;
	}
	for (size_t k = 0; k < x->nstats; k++) {
		checkstat *s = &x->stats[k];
		bool serves = false;
		for (size_t j = 0; j < x->naming[i].n && !serves; j++)
			serves = x->naming[i].v[j] == s;
		for (size_t j = 0; j < nd && !serves; j++)
			serves = strcmp(dom[j], s->check->domain) == 0;
		if (!serves)
			continue;
		rr->nserving++;
		if (s->pass + s->fail + s->unknown == 0)
			continue;
		cs__cevidence *e = &rr->cev[rr->ncev++];
		e->check = s->check;
		e->pass = s->pass;
		e->fail = s->fail;
		e->unknown = s->unknown;
		e->failing = s->failing;
		e->nfailing = s->nfailing;
	}
}

static void decide(run_ctx *x, size_t i)
{
	cs_compliance *c = x->c;
	cs__reqrep *rr = &c->reqs[i];
	cs__status_in in = { 0 };
	for (size_t k = 0; k < rr->ncev; k++) {
		if (rr->cev[k].fail)
			in.hard_gap = true;
		if (rr->cev[k].unknown)
			in.unknown_result = true;
		in.customer_evidence = true;
	}
	for (size_t k = 0; k < rr->npev; k++) {
		const cs__attestation *a = rr->pev[k].att;
		if (!a || a->status == CS_ATT_UNKNOWN)
			in.provider_unknown = true;
		else if (a->status == CS_ATT_NOT_IN_SCOPE)
			in.provider_unproven = true;
	}
	for (size_t g = 0; g < c->ngaps; g++) {
		const cs__gap *gp = &c->gaps[g];
		bool on = false;
		for (size_t k = 0; k < gp->nreqs && !on; k++)
			on = gp->reqs[k] == i;
		if (!on)
			continue;
		if (gp->type == CS_GAP_UNATTESTED)
			in.provider_unknown = true;
		else if (gp->type != CS_GAP_NO_EVIDENCE)
			in.hard_gap = true;
	}
	in.customer_part = rr->customer_part;
	rr->status = cs__status_decide(&in, &rr->why);
	if (rr->status == CS_REQ_MANUAL && rr->customer_part && !in.customer_evidence) {
		cs__gap *g = new_gap(x, CS_GAP_NO_EVIDENCE, NULL, "", NULL);
		if (!g)
			return;
		g->what = cs_arena_printf(c->a, "%s has a customer part and no automated evidence",
					  rr->req->id);
		g->fix = rr->nserving
				 ? "the checks that serve it found no resource to judge: supply "
				   "the evidence by hand (policy, procedure, record)"
				 : "supply the evidence by hand (policy, procedure, record), or write a "
				   "check for it";
		if (!g->what)
			x->rc = CS_ENOMEM;
		gap_attach(x, g, i);
	}
}

/* Attaches the per-requirement gaps once every requirement is known. */
static void attach(run_ctx *x)
{
	cs_compliance *c = x->c;
	size_t nbase = c->ngaps;
	for (size_t i = 0; i < c->nreqs && !x->rc; i++) {
		cs__reqrep *rr = &c->reqs[i];
		if (rr->section)
			continue;
		/* service gaps where the service carries a provider part of R */
		for (size_t k = 0; k < rr->npev; k++) {
			for (size_t g = 0; g < nbase; g++) {
				cs__gap *gp = &c->gaps[g];
				if ((gp->type == CS_GAP_REGULATED_OUT_OF_SCOPE || gp->type == CS_GAP_UNATTESTED) &&
				    gp->service == rr->pev[k].service)
					gap_attach(x, gp, i);
			}
			if (rr->pev[k].stale) {
				const cs__attestation *a = rr->pev[k].att;
				cs__gap *gp = find_gap(x, CS_GAP_STALE, rr->pev[k].service, "", NULL);
				if (gp && !*gp->what) {
					gp->what = cs_arena_printf(c->a, "the %s attestation of %s rests on %s "
									"as of %s, which is stale",
								   x->fw->programme, gp->service->id,
								   a->source ? a->source->id : "no source",
								   a->as_of ? a->as_of : "?");
					gp->fix = cs_arena_printf(c->a, "get the provider's current %s scope "
									"for %s and update attestations.tsv",
								  x->fw->programme, gp->service->id);
					if (!gp->what || !gp->fix)
						x->rc = CS_ENOMEM;
				}
				gap_attach(x, gp, i);
			}
		}
		/* assumption gaps where R's domains include the assumption's domain */
		for (size_t g = 0; g < nbase; g++) {
			cs__gap *gp = &c->gaps[g];
			if (!gp->assumption)
				continue;
			for (const char *const *d = rr->domains; *d; d++)
				if (strcmp(*d, gp->domain) == 0) {
					gap_attach(x, gp, i);
					break;
				}
		}
	}
}

/* Fills each requirement's list of gap indexes. */
static cs_err index_gaps(cs_compliance *c)
{
	for (size_t g = 0; g < c->ngaps; g++)
		for (size_t k = 0; k < c->gaps[g].nreqs; k++)
			c->reqs[c->gaps[g].reqs[k]].ngaps++;
	for (size_t i = 0; i < c->nreqs; i++) {
		cs__reqrep *rr = &c->reqs[i];
		if (!rr->ngaps)
			continue;
		rr->gaps = cs_arena_alloc(c->a, rr->ngaps * sizeof(*rr->gaps));
		if (!rr->gaps)
			return CS_ENOMEM;
		rr->ngaps = 0;
	}
	for (size_t g = 0; g < c->ngaps; g++)
		for (size_t k = 0; k < c->gaps[g].nreqs; k++) {
			cs__reqrep *rr = &c->reqs[c->gaps[g].reqs[k]];
			rr->gaps[rr->ngaps++] = g;
		}
	return CS_OK;
}

cs_err cs_compliance_run(const cs_model *m, const cs_deployment *d, const cs_framework *fw,
			 const cs_checkset *checks, const cs_results *results, cs_compliance **out)
{
	cs_err rc = CS_OK;
	run_ctx x = { 0 };
	cs_compliance *c = cs_calloc(1, sizeof(*c));
	*out = NULL;
	if (!c || !(c->a = cs_arena_new(0))) {
		rc = CS_ENOMEM;
		goto out;
	}
	c->m = m;
	c->d = d;
	c->fw = fw;
	c->results = results;
	c->as_of = cs__model_as_of(m);
	x.c = c;
	x.m = m;
	x.v = cs__deployment_view(d);
	x.fw = fw;
	c->nreqs = fw->nreqs;
	c->reqs = cs_arena_alloc(c->a, (fw->nreqs + 1) * sizeof(*c->reqs));
	if (!c->reqs) {
		rc = CS_ENOMEM;
		goto out;
	}
	memset(c->reqs, 0, (fw->nreqs + 1) * sizeof(*c->reqs));
	if ((rc = gather_results(&x, checks, results)))
		goto out;
	for (size_t i = 0; i < fw->nreqs && !x.rc; i++) {
		c->reqs[i].req = &fw->reqs[i];
		c->reqs[i].section = strcmp(fw->reqs[i].kind, "section") == 0;
		if (!c->reqs[i].section)
			one_requirement(&x, i);
	}
	for (size_t s = 0; s < x.v->nservices && !x.rc; s++)
		service_gaps(&x, &x.v->services[s]);
	if (!x.rc)
		assumption_gaps(&x);
	if (!x.rc)
		attach(&x);
	for (size_t i = 0; i < fw->nreqs && !x.rc; i++) {
		if (c->reqs[i].section)
			continue;
		decide(&x, i);
		c->tally[c->reqs[i].status]++;
	}
	if (!x.rc)
		x.rc = index_gaps(c);
	rc = x.rc;
out:
	for (size_t i = 0; i < x.nstats; i++)
		cs__ptrvec_release(&x.stats[i].failv);
	for (size_t i = 0; x.naming && i < fw->nreqs; i++)
		cs__ptrvec_release(&x.naming[i]);
	cs_free(x.stats);
	cs_free(x.naming);
	cs__strmap_release(&x.by_check);
	if (rc) {
		cs_compliance_free(c);
		return rc;
	}
	*out = c;
	return rc;
}

void cs_compliance_free(cs_compliance *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ngaps; i++)
		cs_free(c->gaps[i].reqs);
	cs_free(c->gaps);
	cs_arena_free(c->a);
	cs_free(c);
}

size_t cs_compliance_tally(const cs_compliance *c, cs_req_status s)
{
	return (unsigned)s < 4 ? c->tally[s] : 0;
}

size_t cs_compliance_gap_count(const cs_compliance *c)
{
	/* no-automated-evidence is a to-do for a person, not a failure */
	size_t n = 0;
	for (size_t i = 0; i < c->ngaps; i++)
		n += c->gaps[i].type != CS_GAP_NO_EVIDENCE;
	return n;
}
