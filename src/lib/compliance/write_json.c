/*
 * compliance/write_json.c - the report as one JSON document (docs/formats.md,
 * "cshare report --format json").
 */
#include <string.h>

#include "compliance.h"
#include "core/internal.h"
#include "cshare/json.h"

static void str(cs_buf *b, const char *s)
{
	if (s)
		cs_json_write_str(b, s, strlen(s));
	else
		cs_buf_puts(b, "null");
}

/* "" is written as null. */
static void opt(cs_buf *b, const char *s)
{
	str(b, s && *s ? s : NULL);
}

static const char *att_name(cs__att_status s)
{
	static const char *const n[] = { "in_scope", "eligible", "not_in_scope", "unknown" };
	return (unsigned)s < 4 ? n[s] : "unknown";
}

static void deployment(cs_buf *b, const cs_compliance *c)
{
	const struct cs__deployment_view *v = cs__deployment_view(c->d);
	cs_buf_puts(b, "\"deployment\":{\"name\":");
	str(b, v->name ? v->name : "");
	cs_buf_puts(b, ",\"file\":");
	opt(b, v->file);
	cs_buf_puts(b, ",\"services\":[");
	for (size_t i = 0; i < v->nservices; i++) {
		const cs__used_service *u = &v->services[i];
		cs_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
		str(b, u->service->id);
		cs_buf_puts(b, ",\"model\":");
		str(b, u->service->model);
		cs_buf_printf(b, ",\"declared\":%s,\"resources\":%zu,\"classes\":[",
			      u->declared ? "true" : "false", u->nres);
		for (size_t k = 0; u->classes && u->classes[k]; k++) {
			cs_buf_puts(b, k ? "," : "");
			str(b, u->classes[k]);
		}
		cs_buf_puts(b, "]}");
	}
	cs_buf_puts(b, "]}");
}

static void framework(cs_buf *b, const cs_framework *fw)
{
	cs_buf_puts(b, "\"framework\":{\"id\":");
	str(b, fw->id);
	cs_buf_puts(b, ",\"family\":");
	str(b, fw->family);
	cs_buf_puts(b, ",\"title\":");
	str(b, fw->title);
	cs_buf_puts(b, ",\"version\":");
	opt(b, fw->version);
	cs_buf_puts(b, ",\"programme\":");
	opt(b, fw->programme);
	cs_buf_puts(b, ",\"data_classes\":[");
	for (size_t k = 0; fw->data_classes && fw->data_classes[k]; k++) {
		cs_buf_puts(b, k ? "," : "");
		str(b, fw->data_classes[k]);
	}
	cs_buf_puts(b, "]}");
}

static void gap(cs_buf *b, const cs_compliance *c, const cs__gap *g)
{
	cs_buf_puts(b, "{\"type\":");
	str(b, cs__gap_name(g->type));
	cs_buf_puts(b, ",\"service\":");
	str(b, g->service ? g->service->id : NULL);
	cs_buf_puts(b, ",\"domain\":");
	opt(b, g->domain);
	cs_buf_puts(b, ",\"what\":");
	str(b, g->what);
	cs_buf_puts(b, ",\"fix\":");
	str(b, g->fix);
	cs_buf_puts(b, ",\"assumption\":");
	if (g->assumption) {
		const cs__assumption *as = g->assumption;
		cs_buf_puts(b, "{\"owner\":");
		str(b, cs_owner_name(as->owner));
		cs_buf_puts(b, ",\"state\":");
		str(b, as->state == CS_STATE_UNKNOWN ? NULL : cs_state_name(as->state));
		cs_buf_puts(b, ",\"note\":");
		opt(b, as->note);
		cs_buf_puts(b, ",\"file\":");
		str(b, as->at.file);
		cs_buf_printf(b, ",\"line\":%u,\"column\":%u}", (unsigned)as->at.line,
			      (unsigned)as->at.col);
	} else {
		cs_buf_puts(b, "null");
	}
	cs_buf_puts(b, ",\"requirements\":[");
	for (size_t k = 0; k < g->nreqs; k++) {
		cs_buf_puts(b, k ? "," : "");
		str(b, c->reqs[g->reqs[k]].req->id);
	}
	cs_buf_puts(b, "]}");
}

static void requirement(cs_buf *b, const cs_compliance *c, const cs__reqrep *rr)
{
	const cs__req *r = rr->req;
	const cs_framework *fw = c->fw;
	cs_buf_puts(b, "{\"id\":");
	str(b, r->id);
	cs_buf_puts(b, ",\"oscal_id\":");
	str(b, strcmp(r->oid, r->id) != 0 ? r->oid : NULL);
	cs_buf_puts(b, ",\"parent\":");
	str(b, r->parent != CS_NOIDX ? fw->reqs[r->parent].id : NULL);
	cs_buf_puts(b, ",\"group\":");
	str(b, r->group != CS_NOIDX ? fw->groups[r->group].id : NULL);
	cs_buf_puts(b, ",\"kind\":");
	str(b, r->kind);
	cs_buf_puts(b, ",\"obligation\":");
	opt(b, r->obligation);
	cs_buf_puts(b, ",\"title\":");
	str(b, r->title);
	cs_buf_puts(b, ",\"status\":");
	str(b, cs_req_status_name(rr->status));
	cs_buf_puts(b, ",\"why\":");
	str(b, rr->why);
	cs_buf_puts(b, ",\"owner_class\":");
	str(b, cs__owner_class_name(cs__owner_class(rr->owners)));
	cs_buf_puts(b, ",\"owners\":[");
	static const char *const on[] = { "provider", "customer", "shared", "unknown" };
	for (unsigned k = 0, n = 0; k < 4; k++)
		if (rr->owners & (1u << k)) {
			cs_buf_puts(b, n++ ? "," : "");
			str(b, on[k]);
		}
	cs_buf_puts(b, "],\"domains\":[");
	for (size_t k = 0; rr->domains && rr->domains[k]; k++) {
		cs_buf_puts(b, k ? "," : "");
		str(b, rr->domains[k]);
	}
	cs_buf_puts(b, "],\"provider_evidence\":[");
	for (size_t k = 0; k < rr->npev; k++) {
		const cs__pevidence *p = &rr->pev[k];
		cs_buf_puts(b, k ? ",{\"service\":" : "{\"service\":");
		str(b, p->service->id);
		cs_buf_puts(b, ",\"programme\":");
		str(b, fw->programme);
		cs_buf_puts(b, ",\"status\":");
		str(b, p->att ? att_name(p->att->status) : "unknown");
		cs_buf_puts(b, ",\"qualifier\":");
		opt(b, p->att ? p->att->qualifier : NULL);
		cs_buf_puts(b, ",\"as_of\":");
		opt(b, p->att ? p->att->as_of : NULL);
		cs_buf_puts(b, ",\"source\":");
		str(b, p->att && p->att->source ? p->att->source->id : NULL);
		cs_buf_printf(b, ",\"stale\":%s,\"implied\":%s}", p->stale ? "true" : "false",
			      p->att && p->att->implied ? "true" : "false");
	}
	cs_buf_printf(b, "],\"checks_serving\":%zu,\"customer_evidence\":[", rr->nserving);
	for (size_t k = 0; k < rr->ncev; k++) {
		const cs__cevidence *e = &rr->cev[k];
		cs_buf_puts(b, k ? ",{\"check\":" : "{\"check\":");
		str(b, e->check->id);
		cs_buf_puts(b, ",\"title\":");
		str(b, e->check->title);
		cs_buf_puts(b, ",\"domain\":");
		str(b, e->check->domain);
		cs_buf_printf(b, ",\"pass\":%zu,\"fail\":%zu,\"unknown\":%zu,\"failing\":[", e->pass,
			      e->fail, e->unknown);
		for (size_t f = 0; f < e->nfailing; f++) {
			const cs_result *x = e->failing[f];
			cs_buf_puts(b, f ? ",{\"resource\":" : "{\"resource\":");
			str(b, x->res->name);
			cs_buf_puts(b, ",\"kind\":");
			str(b, x->res->kind);
			cs_buf_puts(b, ",\"file\":");
			str(b, x->file);
			cs_buf_printf(b, ",\"line\":%u,\"column\":%u}", (unsigned)x->line, (unsigned)x->col);
		}
		cs_buf_puts(b, "]}");
	}
	cs_buf_puts(b, "],\"gaps\":[");
	for (size_t k = 0; k < rr->ngaps; k++)
		cs_buf_printf(b, "%s%zu", k ? "," : "", rr->gaps[k]);
	cs_buf_puts(b, "]}");
}

cs_err cs__cf_json(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o)
{
	size_t n = 0, own[4] = { 0 };
	for (size_t i = 0; i < c->nreqs; i++) {
		if (c->reqs[i].section)
			continue;
		n++;
		own[cs__owner_class(c->reqs[i].owners)]++;
	}
	cs_buf_puts(b, "{\"tool\":\"cshare\",\"version\":");
	str(b, o->version ? o->version : "");
	cs_buf_puts(b, ",\"as_of\":");
	str(b, c->as_of);
	cs_buf_puts(b, ",\n");
	deployment(b, c);
	cs_buf_puts(b, ",\n");
	framework(b, c->fw);
	cs_buf_printf(b, ",\n\"summary\":{\"requirements\":%zu,\"met\":%zu,\"gap\":%zu,\"manual\":%zu,"
			 "\"unknown\":%zu,\"gaps\":%zu,\"owners\":{\"provider\":%zu,\"customer\":%zu,"
			 "\"shared\":%zu,\"unknown\":%zu}},\n\"gaps\":[",
		      n, c->tally[CS_REQ_MET], c->tally[CS_REQ_GAP], c->tally[CS_REQ_MANUAL],
		      c->tally[CS_REQ_UNKNOWN], c->ngaps, own[0], own[1], own[2], own[3]);
	for (size_t g = 0; g < c->ngaps; g++) {
		cs_buf_puts(b, g ? ",\n" : "\n");
		gap(b, c, &c->gaps[g]);
	}
	cs_buf_puts(b, "],\n\"requirements\":[");
	bool first = true;
	for (size_t i = 0; i < c->nreqs; i++) {
		if (c->reqs[i].section)
			continue;
		cs_buf_puts(b, first ? "\n" : ",\n");
		first = false;
		requirement(b, c, &c->reqs[i]);
	}
	return cs_buf_puts(b, "]}\n");
}
