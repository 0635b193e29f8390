/*
 * compliance/write_oscal.c - the report as an OSCAL 1.2 system security
 * plan (JSON).  Components: this system, and one per cloud provider.  Each
 * requirement is an implemented-requirement whose by-components say, for
 * the provider's component, what it provides (`export.provided`) and what it
 * leaves to the customer (`export.responsibilities`), and for this system
 * what it `inherited` and how it `satisfied` each responsibility (the checks
 * and their results).  UUIDs are version 5 style, made from a hash of
 * what they name, so the same input gives the same document.
 */
#include <string.h>

#include "compliance.h"
#include "core/internal.h"
#include "cshare/json.h"

#define NS "urn:cshare:oscal" /* namespace of cshare's own props */

/* A deterministic UUID (RFC 4122 layout, version 5, variant 10) from the
 * parts, NULL-terminated. */
static void uuid_of(char out[37], const char *const *parts)
{
	uint64_t h1 = 0x6f7363616c555549ULL, h2 = 0x6373686172652d35ULL;
	for (const char *const *p = parts; *p; p++) {
		h1 = cs__hash64(*p, strlen(*p) + 1, h1);
		h2 = cs__hash64(*p, strlen(*p) + 1, h2 ^ 0x9e3779b97f4a7c15ULL);
	}
	unsigned char b[16];
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h1 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x50);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = 0;
}

#define UUID(out, ...) uuid_of(out, (const char *const[]){ __VA_ARGS__, NULL })

static void str(cs_buf *b, const char *s)
{
	cs_json_write_str(b, s ? s : "", s ? strlen(s) : 0);
}

/* A requirement's OSCAL control-id: the catalogue's own id for OSCAL
 * catalogues; for others a token (letters first; '(' becomes '_', ')' and
 * other characters outside [A-Za-z0-9._-] are dropped) prefixed with the
 * framework family: 164.312(a)(2)(iv) -> hipaa-164.312_a_2_iv. */
static void control_id(cs_buf *b, const cs_framework *fw, const cs__req *r)
{
	cs_buf_putc(b, '"');
	if (strcmp(r->oid, r->id) != 0) {
		cs_buf_puts(b, r->oid); /* OSCAL ids are tokens already */
	} else {
		for (const char *p = fw->family; *p; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')
				cs_buf_putc(b, *p);
		cs_buf_putc(b, '-');
		for (const char *p = r->id; *p; p++) {
			char ch = *p;
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch + 32);
			if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
			    ch == '_')
				cs_buf_putc(b, ch);
			else if (ch == '(')
				cs_buf_putc(b, '_');
		}
	}
	cs_buf_putc(b, '"');
}

static const char *provider_title(const char *p)
{
	if (strcmp(p, "aws") == 0)
		return "Amazon Web Services";
	if (strcmp(p, "azure") == 0)
		return "Microsoft Azure";
	if (strcmp(p, "gcp") == 0)
		return "Google Cloud";
	return p;
}

/* The providers of the services used, in service order, deduplicated. */
static size_t providers(const struct cs__deployment_view *v, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < v->nservices; i++) {
		const char *p = v->services[i].service->provider;
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(out[k], p) == 0;
		if (!seen && n < max)
			out[n++] = p;
	}
	return n;
}

static void prop(cs_buf *b, bool first, const char *name, const char *value)
{
	cs_buf_puts(b, first ? "{\"name\":" : ",{\"name\":");
	str(b, name);
	cs_buf_puts(b, ",\"ns\":\"" NS "\",\"value\":");
	str(b, value);
	cs_buf_puts(b, "}");
}

static const char *att_name(const cs__attestation *a)
{
	static const char *const n[] = { "in scope", "eligible", "not in scope", "unknown" };
	return a ? n[a->status & 3] : "no attestation";
}

/* The by-component of one provider for requirement rr. */
static void provider_part(cs_buf *b, const cs_compliance *c, const cs__reqrep *rr,
			  const char *prov, const char *comp, const char *reqid, bool *first)
{
	bool any = false;
	for (size_t k = 0; k < rr->nparts && !any; k++)
		any = strcmp(rr->parts[k].service->provider, prov) == 0;
	if (!any)
		return;
	char u[37], pu[37];
	cs_buf_puts(b, *first ? "{" : ",{");
	*first = false;
	UUID(u, "by-component", c->fw->id, reqid, prov);
	cs_buf_printf(b, "\"component-uuid\":\"%s\",\"uuid\":\"%s\",\"description\":", comp, u);
	cs_buf buf;
	cs_buf_init(&buf, 0);
	cs_buf_printf(&buf, "%s provides part of %s for the services used:", provider_title(prov),
		      rr->req->id);
	for (size_t k = 0; k < rr->nparts; k++) {
		const cs__ppart *p = &rr->parts[k];
		if (strcmp(p->service->provider, prov) == 0)
			cs_buf_printf(&buf, " %s %s (%s);", p->service->id, p->domain,
				      cs_owner_name(p->fact->owner));
	}
	str(b, buf.data);
	cs_buf_release(&buf);
	cs_buf_puts(b, ",\"export\":{\"provided\":[");
	bool f1 = true;
	for (size_t k = 0; k < rr->nparts; k++) {
		const cs__ppart *p = &rr->parts[k];
		if (strcmp(p->service->provider, prov) != 0)
			continue;
		UUID(pu, "provided", c->fw->id, reqid, p->service->id, p->domain);
		cs_buf_printf(b, "%s{\"uuid\":\"%s\",\"description\":", f1 ? "" : ",", pu);
		f1 = false;
		cs_buf_init(&buf, 0);
		cs_buf_printf(&buf, "%s: %s is %s-owned (%s", p->service->name, p->domain,
			      cs_owner_name(p->fact->owner), cs_mode_name(p->fact->mode));
		if (p->fact->mode == CS_MODE_CONFIGURABLE)
			cs_buf_printf(&buf, ", default %s", cs_state_name(p->fact->state));
		cs_buf_printf(&buf, "; source %s, as of %s).",
			      p->fact->source ? p->fact->source->id : "none",
			      p->fact->as_of ? p->fact->as_of : "?");
		for (size_t e = 0; e < rr->npev; e++)
			if (rr->pev[e].service == p->service)
				cs_buf_printf(&buf, " %s attestation: %s%s.", c->fw->programme,
					      att_name(rr->pev[e].att), rr->pev[e].stale ? " (stale)" : "");
		str(b, buf.data);
		cs_buf_release(&buf);
		cs_buf_puts(b, ",\"props\":[");
		prop(b, true, "service", p->service->id);
		prop(b, false, "domain", p->domain);
		cs_buf_puts(b, "]}");
	}
	cs_buf_puts(b, "]");
	bool any_duty = false;
	for (size_t k = 0; k < rr->nparts; k++) {
		const cs__ppart *p = &rr->parts[k];
		if (strcmp(p->service->provider, prov) != 0 ||
		    (p->fact->owner != CS_OWNER_SHARED && p->fact->mode != CS_MODE_CONFIGURABLE))
			continue;
		UUID(pu, "provided", c->fw->id, reqid, p->service->id, p->domain);
		UUID(u, "responsibility", c->fw->id, reqid, p->service->id, p->domain);
		cs_buf_printf(b, "%s{\"uuid\":\"%s\",\"provided-uuid\":\"%s\",\"description\":",
			      any_duty ? "," : ",\"responsibilities\":[", u, pu);
		any_duty = true;
		cs_buf_init(&buf, 0);
		if (p->fact->duty && *p->fact->duty)
			cs_buf_printf(&buf, "%s (%s): %s", p->service->name, p->domain, p->fact->duty);
		else
			cs_buf_printf(&buf, "%s (%s): the customer must configure and keep the "
					    "provider's capability on",
				      p->service->name, p->domain);
		str(b, buf.data);
		cs_buf_release(&buf);
		cs_buf_puts(b, "}");
	}
	cs_buf_puts(b, any_duty ? "]}}" : "}}");
}

/* This system's by-component for requirement rr. */
static void system_part(cs_buf *b, const cs_compliance *c, const cs__reqrep *rr,
			const char *comp, const char *reqid, bool first)
{
	char u[37], pu[37];
	cs_buf buf;
	cs_buf_puts(b, first ? "{" : ",{");
	UUID(u, "by-component", c->fw->id, reqid, "this-system");
	cs_buf_printf(b, "\"component-uuid\":\"%s\",\"uuid\":\"%s\",\"description\":", comp, u);
	cs_buf_init(&buf, 0);
	cs_buf_printf(&buf, "Status %s: %s. Owners: %s.", cs_req_status_name(rr->status),
		      rr->why ? rr->why : "", cs__owners_text(rr->owners));
	for (size_t k = 0; k < rr->ngaps; k++)
		cs_buf_printf(&buf, " Gap %s: %s.", cs__gap_name(c->gaps[rr->gaps[k]].type),
			      c->gaps[rr->gaps[k]].what);
	str(b, buf.data);
	cs_buf_release(&buf);
	cs_buf_puts(b, ",\"props\":[");
	prop(b, true, "status", cs_req_status_name(rr->status));
	cs_buf_puts(b, "]");
	if (rr->status == CS_REQ_MET)
		cs_buf_puts(b, ",\"implementation-status\":{\"state\":\"implemented\"}");
	else if (rr->status == CS_REQ_GAP)
		cs_buf_puts(b, ",\"implementation-status\":{\"state\":\"partial\"}");
	/* inherited: every provided part */
	for (size_t k = 0; k < rr->nparts; k++) {
		const cs__ppart *p = &rr->parts[k];
		UUID(pu, "provided", c->fw->id, reqid, p->service->id, p->domain);
		UUID(u, "inherited", c->fw->id, reqid, p->service->id, p->domain);
		cs_buf_printf(b, "%s{\"uuid\":\"%s\",\"provided-uuid\":\"%s\",\"description\":",
			      k ? "," : ",\"inherited\":[", u, pu);
		cs_buf_init(&buf, 0);
		cs_buf_printf(&buf, "Inherited from %s: %s %s.", provider_title(p->service->provider),
			      p->service->id, p->domain);
		str(b, buf.data);
		cs_buf_release(&buf);
		cs_buf_puts(b, "}");
	}
	if (rr->nparts)
		cs_buf_puts(b, "]");
	/* satisfied: each responsibility, with the checks as evidence */
	cs_buf ev;
	cs_buf_init(&ev, 0);
	for (size_t k = 0; k < rr->ncev; k++) {
		const cs__cevidence *e = &rr->cev[k];
		cs_buf_printf(&ev, " %s (%s): %zu pass, %zu fail, %zu unknown.", e->check->id,
			      e->check->title, e->pass, e->fail, e->unknown);
	}
	if (!rr->ncev)
		cs_buf_puts(&ev, " No automated evidence: a person must supply it.");
	bool any = false;
	for (size_t k = 0; k < rr->nparts; k++) {
		const cs__ppart *p = &rr->parts[k];
		if (p->fact->owner != CS_OWNER_SHARED && p->fact->mode != CS_MODE_CONFIGURABLE)
			continue;
		UUID(pu, "responsibility", c->fw->id, reqid, p->service->id, p->domain);
		UUID(u, "satisfied", c->fw->id, reqid, p->service->id, p->domain);
		cs_buf_printf(b, "%s{\"uuid\":\"%s\",\"responsibility-uuid\":\"%s\",\"description\":",
			      any ? "," : ",\"satisfied\":[", u, pu);
		any = true;
		cs_buf_init(&buf, 0);
		cs_buf_printf(&buf, "%s %s, customer part. Evidence:%s", p->service->id, p->domain,
			      ev.data ? ev.data : "");
		str(b, buf.data);
		cs_buf_release(&buf);
		cs_buf_puts(b, "}");
	}
	if (any)
		cs_buf_puts(b, "]");
	if (rr->customer_part) {
		cs_buf_puts(b, ",\"remarks\":");
		cs_buf_init(&buf, 0);
		cs_buf_printf(&buf, "Customer evidence:%s", ev.data ? ev.data : "");
		str(b, buf.data);
		cs_buf_release(&buf);
	}
	cs_buf_release(&ev);
	cs_buf_puts(b, "}");
}

cs_err cs__cf_oscal(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o)
{
	const struct cs__deployment_view *v = cs__deployment_view(c->d);
	const cs_framework *fw = c->fw;
	const char *name = v->name && *v->name ? v->name : "Deployment";
	const char *prov[16];
	size_t np = providers(v, prov, 16);
	char ssp[37], sys[37], party[37], pcomp[16][37], u[37];
	UUID(ssp, "ssp", name, fw->id);
	UUID(sys, "component", name, "this-system");
	UUID(party, "party", name);
	for (size_t i = 0; i < np; i++)
		UUID(pcomp[i], "component", prov[i]);
	cs_buf_printf(b, "{\"system-security-plan\":{\"uuid\":\"%s\",\"metadata\":{\"title\":", ssp);
	cs_buf buf;
	cs_buf_init(&buf, 0);
	cs_buf_printf(&buf, "%s: system security plan for %s", name, fw->title);
	str(b, buf.data);
	cs_buf_release(&buf);
	cs_buf_printf(b, ",\"last-modified\":\"%sT00:00:00Z\",\"version\":", c->as_of);
	str(b, o->version && *o->version ? o->version : "0");
	cs_buf_puts(b, ",\"oscal-version\":\"1.2.1\",\"roles\":[{\"id\":\"system-owner\",\"title\":"
		       "\"System Owner\"},{\"id\":\"provider\",\"title\":\"Cloud service provider\"}],"
		       "\"parties\":[");
	cs_buf_printf(b, "{\"uuid\":\"%s\",\"type\":\"organization\",\"name\":", party);
	str(b, name);
	cs_buf_puts(b, "}");
	for (size_t i = 0; i < np; i++) {
		UUID(u, "party", prov[i]);
		cs_buf_printf(b, ",{\"uuid\":\"%s\",\"type\":\"organization\",\"name\":", u);
		str(b, provider_title(prov[i]));
		cs_buf_puts(b, "}");
	}
	cs_buf_puts(b, "],\"props\":[");
	prop(b, true, "framework", fw->id);
	prop(b, false, "as-of", c->as_of);
	cs_buf_puts(b, "]},\"import-profile\":{\"href\":");
	const cs__fwdef *def = cs__model_fwdef(c->m, fw->id);
	const char *href = def && def->profile && *def->profile ? def->profile
			   : def && def->catalogue && *def->catalogue ? def->catalogue
								    : fw->id;
	const char *slash = strrchr(href, '/');
	str(b, slash ? slash + 1 : href);
	cs_buf_puts(b, ",\"remarks\":");
	cs_buf_init(&buf, 0);
	cs_buf_printf(&buf, "cshare framework %s (%s) from data/frameworks/.", fw->id, fw->title);
	str(b, buf.data);
	cs_buf_release(&buf);
	cs_buf_printf(b, "},\"system-characteristics\":{\"system-ids\":[{\"identifier-type\":"
			 "\"https://ietf.org/rfc/rfc4122\",\"id\":\"%s\"}],\"system-name\":",
		      ssp);
	str(b, name);
	cs_buf_puts(b, ",\"description\":");
	str(b, v->description && *v->description ? v->description : name);
	cs_buf_puts(b, ",\"system-information\":{\"information-types\":[");
	for (size_t i = 0; i < v->nclasses; i++) {
		UUID(u, "information-type", name, v->classes[i].cls, v->classes[i].description);
		cs_buf_printf(b, "%s{\"uuid\":\"%s\",\"title\":", i ? "," : "", u);
		str(b, v->classes[i].cls);
		cs_buf_puts(b, ",\"description\":");
		str(b, v->classes[i].description && *v->classes[i].description
			       ? v->classes[i].description
			       : v->classes[i].cls);
		cs_buf_puts(b, "}");
	}
	if (!v->nclasses)
		cs_buf_puts(b, "{\"title\":\"System data\",\"description\":\"The deployment file names "
			       "no data classes.\"}");
	cs_buf_puts(b, "]},\"status\":{\"state\":\"operational\"},\"authorization-boundary\":"
		       "{\"description\":");
	cs_buf_init(&buf, 0);
	cs_buf_printf(&buf, "The cloud resources described by the deployment's inputs: %zu services "
			    "of %zu providers.",
		      v->nservices, np);
	str(b, buf.data);
	cs_buf_release(&buf);
	cs_buf_printf(b, "}},\"system-implementation\":{\"components\":[{\"uuid\":\"%s\",\"type\":"
			 "\"this-system\",\"title\":",
		      sys);
	str(b, name);
	cs_buf_puts(b, ",\"description\":\"The customer's system: its configuration as read by "
		       "cshare.\",\"status\":{\"state\":\"operational\"}}");
	for (size_t i = 0; i < np; i++) {
		cs_buf_printf(b, ",{\"uuid\":\"%s\",\"type\":\"service\",\"title\":", pcomp[i]);
		str(b, provider_title(prov[i]));
		cs_buf_init(&buf, 0);
		cs_buf_printf(&buf, "The cloud services of %s that the system uses:",
			      provider_title(prov[i]));
		for (size_t s = 0; s < v->nservices; s++)
			if (strcmp(v->services[s].service->provider, prov[i]) == 0)
				cs_buf_printf(&buf, " %s (%s);", v->services[s].service->id,
					      v->services[s].service->model);
		cs_buf_puts(b, ",\"description\":");
		str(b, buf.data);
		cs_buf_release(&buf);
		cs_buf_puts(b, ",\"status\":{\"state\":\"operational\"}}");
	}
	cs_buf_puts(b, "]},\"control-implementation\":{\"description\":");
	cs_buf_init(&buf, 0);
	cs_buf_printf(&buf, "How the requirements of %s are met: the provider's parts come from "
			    "cshare's responsibility model and attestations, the customer's from the "
			    "audit of the deployment's configuration.",
		      fw->title);
	str(b, buf.data);
	cs_buf_release(&buf);
	cs_buf_puts(b, ",\"implemented-requirements\":[");
	bool firstreq = true;
	for (size_t i = 0; i < c->nreqs; i++) {
		const cs__reqrep *rr = &c->reqs[i];
		if (rr->section)
			continue;
		UUID(u, "implemented-requirement", fw->id, rr->req->id);
		cs_buf_printf(b, "%s\n{\"uuid\":\"%s\",\"control-id\":", firstreq ? "" : ",", u);
		firstreq = false;
		control_id(b, fw, rr->req);
		cs_buf_puts(b, ",\"props\":[");
		prop(b, true, "label", rr->req->id);
		cs_buf_puts(b, "],\"by-components\":[");
		bool first = true;
		for (size_t p = 0; p < np; p++)
			provider_part(b, c, rr, prov[p], pcomp[p], rr->req->id, &first);
		system_part(b, c, rr, sys, rr->req->id, first);
		cs_buf_puts(b, "]}");
	}
	return cs_buf_puts(b, "]}}}\n");
}
