/*
 * compliance/write_text.c - the report for people: the text summary (counts
 * per status, owner split, the gaps with their fix line, then the
 * requirements with a gap or unknown status) and the same in Markdown.
 * cs_compliance_write dispatches to every writer.
 */
#include <string.h>

#include "compliance.h"
#include "core/internal.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

cs_err cs_compliance_write(cs_buf *out, const cs_compliance *c, const cs_compliance_opts *o)
{
	switch (o->format) {
	case CS_CF_TEXT:
		return cs__cf_text(out, c, o, false);
	case CS_CF_MARKDOWN:
		return cs__cf_text(out, c, o, true);
	case CS_CF_JSON:
		return cs__cf_json(out, c, o);
	case CS_CF_HTML:
		return cs__cf_html(out, c, o);
	case CS_CF_OSCAL:
		return cs__cf_oscal(out, c, o);
	default:
		return CS_EINVAL;
	}
}

static const char *col(const cs_compliance_opts *o, const char *c)
{
	return o->color ? c : "";
}

static const char *status_color(cs_req_status s)
{
	switch (s) {
	case CS_REQ_GAP:
		return C_RED;
	case CS_REQ_UNKNOWN:
		return C_YELLOW;
	case CS_REQ_MANUAL:
		return C_CYAN;
	default:
		return C_GREEN;
	}
}

/* Markdown: escapes the characters that would start markup in a table cell. */
static void md(cs_buf *b, const char *s, bool on)
{
	if (!on) {
		cs_buf_puts(b, s);
		return;
	}
	for (; *s; s++) {
		if (strchr("|*_`[]<>\\#", *s))
			cs_buf_putc(b, '\\');
		cs_buf_putc(b, *s);
	}
}

static void req_list(cs_buf *b, const cs_compliance *c, const cs__gap *g, size_t max, bool mdown)
{
	for (size_t k = 0; k < g->nreqs && k < max; k++) {
		cs_buf_puts(b, k ? ", " : "");
		md(b, c->reqs[g->reqs[k]].req->id, mdown);
	}
	if (g->nreqs > max)
		cs_buf_printf(b, " and %zu more", g->nreqs - max);
	if (!g->nreqs)
		cs_buf_puts(b, "(none in this framework's mapped domains)");
}

static void summary(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o, bool mdown)
{
	const cs_framework *fw = c->fw;
	const struct cs__deployment_view *v = cs__deployment_view(c->d);
	size_t n = 0, own[4] = { 0 };
	for (size_t i = 0; i < c->nreqs; i++) {
		if (c->reqs[i].section)
			continue;
		n++;
		own[cs__owner_class(c->reqs[i].owners)]++;
	}
	if (mdown) {
		cs_buf_puts(b, "# ");
		md(b, v->name && *v->name ? v->name : "Deployment", true);
		cs_buf_puts(b, ": ");
		md(b, fw->title, true);
		cs_buf_printf(b, "\n\nFramework `%s`, as of %s, %zu services used, %zu requirements "
				 "(cshare %s).\n\n",
			      fw->id, c->as_of, v->nservices, n, o->version ? o->version : "");
		cs_buf_puts(b, "| status | requirements |\n|---|---:|\n");
		for (int s = 0; s < 4; s++)
			cs_buf_printf(b, "| %s | %zu |\n", cs_req_status_name((cs_req_status)s), c->tally[s]);
		cs_buf_puts(b, "\n| owner | requirements |\n|---|---:|\n");
		for (int k = 0; k < 4; k++)
			cs_buf_printf(b, "| %s | %zu |\n", cs__owner_class_name(k), own[k]);
		return;
	}
	cs_buf_printf(b, "%s%s: %s (%s)%s, as of %s\n", col(o, C_BOLD),
		      v->name && *v->name ? v->name : "deployment", fw->title, fw->id, col(o, C_RESET),
		      c->as_of);
	cs_buf_printf(b, "%zu services used, %zu requirements: ", v->nservices, n);
	for (int s = 0; s < 4; s++) {
		cs_req_status st = (cs_req_status)s;
		cs_buf_printf(b, "%s%s%zu %s%s", s ? ", " : "", col(o, c->tally[s] ? status_color(st) : ""),
			      c->tally[s], cs_req_status_name(st), col(o, C_RESET));
	}
	cs_buf_printf(b, "\nowners: %zu provider, %zu customer, %zu shared, %zu unknown\n", own[0],
		      own[1], own[2], own[3]);
}

static void gaps(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o, bool mdown)
{
	if (!c->ngaps) {
		cs_buf_puts(b, mdown ? "\n## Gaps\n\nNone.\n" : "\nno gaps\n");
		return;
	}
	if (mdown)
		cs_buf_printf(b, "\n## Gaps (%zu)\n", c->ngaps);
	else
		cs_buf_printf(b, "\n%sGaps (%zu)%s\n", col(o, C_BOLD), c->ngaps, col(o, C_RESET));
	for (int t = 0; t < CS_GAP__COUNT; t++) {
		size_t cnt = 0;
		for (size_t g = 0; g < c->ngaps; g++)
			cnt += c->gaps[g].type == (cs__gap_type)t;
		if (!cnt)
			continue;
		if (mdown)
			cs_buf_printf(b, "\n### %s (%zu)\n\n", cs__gap_name((cs__gap_type)t), cnt);
		else
			cs_buf_printf(b, "  %s%s%s (%zu)\n", col(o, C_BOLD), cs__gap_name((cs__gap_type)t),
				      col(o, C_RESET), cnt);
		if (t == CS_GAP_NO_EVIDENCE) {
			/* one line for all: they share the fix */
			cs_buf_puts(b, mdown ? "Requirements: " : "    requirements: ");
			size_t k = 0;
			for (size_t g = 0; g < c->ngaps; g++) {
				const cs__gap *gp = &c->gaps[g];
				if (gp->type != CS_GAP_NO_EVIDENCE)
					continue;
				for (size_t r = 0; r < gp->nreqs; r++) {
					cs_buf_puts(b, k++ ? ", " : "");
					md(b, c->reqs[gp->reqs[r]].req->id, mdown);
				}
			}
			if (mdown)
				cs_buf_puts(b, "\n\n**Fix:** supply the evidence by hand (policy, "
					       "procedure, record), or write a check for it.\n");
			else
				cs_buf_printf(b, "\n    %sfix:%s supply the evidence by hand (policy, "
						 "procedure, record), or write a check for it\n",
					      col(o, C_DIM), col(o, C_RESET));

			continue;
		}
		for (size_t g = 0; g < c->ngaps; g++) {
			const cs__gap *gp = &c->gaps[g];
			if (gp->type != (cs__gap_type)t)
				continue;
			if (mdown) {
				cs_buf_puts(b, "- ");
				md(b, gp->what, true);
				cs_buf_puts(b, "  \n  **Fix:** ");
				md(b, gp->fix, true);
				cs_buf_puts(b, "  \n  Requirements: ");
				req_list(b, c, gp, 40, true);
				cs_buf_puts(b, "\n");
			} else {
				cs_buf_printf(b, "    %s\n      %sfix:%s %s\n      requirements: ", gp->what,
					      col(o, C_DIM), col(o, C_RESET), gp->fix);
				req_list(b, c, gp, 12, false);
				cs_buf_puts(b, "\n");
			}
		}
	}
}

/* Whether two pieces of provider evidence read the same but for the service. */
static bool same_att(const cs__pevidence *a, const cs__pevidence *b)
{
	if (!a->att || !b->att)
		return !a->att && !b->att;
	return a->att->status == b->att->status && a->stale == b->stale &&
	       a->att->implied == b->att->implied && a->att->source == b->att->source &&
	       strcmp(a->att->as_of ? a->att->as_of : "", b->att->as_of ? b->att->as_of : "") == 0;
}

/* Provider evidence, one line per distinct attestation: "hipaa eligible, as
 * of ... (source): aws:s3, aws:rds". */
static void provider_lines(cs_buf *b, const cs__reqrep *rr, const char *programme, const char *ind,
			   bool mdown)
{
	static const char *const n[] = { "in_scope", "eligible", "not_in_scope", "unknown" };
	for (size_t k = 0; k < rr->npev; k++) {
		const cs__pevidence *p = &rr->pev[k];
		bool done = false;
		for (size_t j = 0; j < k && !done; j++)
			done = same_att(&rr->pev[j], p);
		if (done)
			continue;
		if (!p->att)
			cs_buf_printf(b, "%sprovider: no %s attestation (unknown): ", ind, programme);
		else
			cs_buf_printf(b, "%sprovider: %s %s, as of %s (%s)%s%s: ", ind, programme,
				      n[p->att->status & 3], p->att->as_of ? p->att->as_of : "?",
				      p->att->source ? p->att->source->id : "no source",
				      p->stale ? ", STALE" : "",
				      p->att->implied ? ", not on the provider's list" : "");
		for (size_t j = k, c = 0; j < rr->npev; j++)
			if (same_att(&rr->pev[j], p)) {
				cs_buf_puts(b, c++ ? ", " : "");
				md(b, rr->pev[j].service->id, mdown);
			}
		cs_buf_puts(b, "\n");
	}
}

static void requirement(cs_buf *b, const cs_compliance *c, const cs__reqrep *rr,
			const cs_compliance_opts *o, bool mdown)
{
	const char *ind = mdown ? "  - " : "           ";
	if (mdown) {
		cs_buf_printf(b, "\n- **%s** `", cs_req_status_name(rr->status));
		cs_buf_puts(b, rr->req->id);
		cs_buf_puts(b, "` ");
		md(b, rr->req->title, true);
		cs_buf_puts(b, "\n");
	} else {
		cs_buf_printf(b, "\n  %s%-7s%s  %s%s%s  %s\n", col(o, status_color(rr->status)),
			      cs_req_status_name(rr->status), col(o, C_RESET), col(o, C_BOLD), rr->req->id,
			      col(o, C_RESET), rr->req->title);
	}
	cs_buf_printf(b, "%sowners: %s; domains: ", ind, cs__owners_text(rr->owners));
	if (!rr->domains || !rr->domains[0])
		cs_buf_puts(b, "none mapped");
	for (size_t k = 0; rr->domains && rr->domains[k]; k++)
		cs_buf_printf(b, "%s%s", k ? ", " : "", rr->domains[k]);
	cs_buf_printf(b, "\n%swhy: %s\n", ind, rr->why ? rr->why : "");
	provider_lines(b, rr, c->fw->programme, ind, mdown);
	for (size_t k = 0; k < rr->ncev; k++) {
		const cs__cevidence *e = &rr->cev[k];
		cs_buf_printf(b, "%scheck %s: %zu fail, %zu unknown, %zu pass\n", ind, e->check->id,
			      e->fail, e->unknown, e->pass);
		for (size_t f = 0; f < e->nfailing && f < 5; f++) {
			const cs_result *x = e->failing[f];
			cs_buf_printf(b, "%s  failing: %s (%s:%u)\n", ind, x->res->name, x->file,
				      (unsigned)x->line);
		}
		if (e->nfailing > 5)
			cs_buf_printf(b, "%s  and %zu more failing\n", ind, e->nfailing - 5);
	}
	if (rr->ncev == 0 && rr->nserving)
		cs_buf_printf(b, "%s%zu checks serve it; none had a resource to judge\n", ind, rr->nserving);
	for (size_t k = 0; k < rr->ngaps; k++)
		cs_buf_printf(b, "%sgap: %s\n", ind, cs__gap_name(c->gaps[rr->gaps[k]].type));
}

cs_err cs__cf_text(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o, bool mdown)
{
	summary(b, c, o, mdown);
	gaps(b, c, o, mdown);
	bool any = false;
	for (size_t i = 0; i < c->nreqs; i++) {
		const cs__reqrep *rr = &c->reqs[i];
		if (rr->section)
			continue;
		if (!o->all && rr->status != CS_REQ_GAP && rr->status != CS_REQ_UNKNOWN)
			continue;
		if (!any)
			cs_buf_puts(b, mdown ? (o->all ? "\n## Requirements\n"
						       : "\n## Requirements with a gap or unknown status\n")
					     : (o->all ? "\nRequirements\n"
						       : "\nRequirements with a gap or unknown status\n"));
		any = true;
		requirement(b, c, rr, o, mdown);
	}
	return cs_buf_puts(b, mdown ? "\n" : "");
}
