/*
 * compliance/write_html.c - the report as ONE self-contained HTML file:
 * inline CSS, inline SVG charts (owner split; status per control family),
 * no scripts, and nothing loaded from anywhere (no src= or href= at all).
 */
#include <string.h>

#include "compliance.h"
#include "core/internal.h"

static const char *const status_fill[4] = { "#2e7d32", "#c62828", "#1565c0", "#ef6c00" };
static const char *const owner_fill[4] = { "#6a1b9a", "#00838f", "#9e9d24", "#757575" };

cs_err cs__html_escape(cs_buf *b, const char *s)
{
	cs_err rc = CS_OK;
	for (; s && *s && !rc; s++) {
		switch (*s) {
		case '&':
			rc = cs_buf_puts(b, "&amp;");
			break;
		case '<':
			rc = cs_buf_puts(b, "&lt;");
			break;
		case '>':
			rc = cs_buf_puts(b, "&gt;");
			break;
		case '"':
			rc = cs_buf_puts(b, "&quot;");
			break;
		case '\'':
			rc = cs_buf_puts(b, "&#39;");
			break;
		default:
			rc = cs_buf_putc(b, *s);
		}
	}
	return rc;
}

static void h(cs_buf *b, const char *s)
{
	cs__html_escape(b, s);
}

static const char css[] =
	"*{box-sizing:border-box}"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
	"color:#1d2430;background:#f4f6f9}"
	"header{background:#1d2b3a;color:#fff;padding:20px 32px}"
	"header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#c8d3df}"
	"header code{background:#2c3e50;color:#fff}"
	"main{max-width:1200px;margin:0 auto;padding:20px 32px 48px}"
	"section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);"
	"padding:16px 20px;margin:16px 0}"
	"h2{font-size:18px;margin:0 0 12px}"
	".cards{display:flex;gap:12px;flex-wrap:wrap}"
	".card{flex:1;min-width:130px;border-radius:8px;padding:12px 16px;color:#fff}"
	".card b{display:block;font-size:28px}"
	".charts{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}"
	".charts>div{flex:1;min-width:340px}"
	"table{border-collapse:collapse;width:100%;font-size:14px}"
	"th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e7ed;vertical-align:top}"
	"th{background:#eef1f5;font-weight:600}"
	".badge{display:inline-block;border-radius:10px;padding:1px 9px;color:#fff;font-size:12px;"
	"font-weight:600}"
	".met{background:#2e7d32}.gap{background:#c62828}.manual{background:#1565c0}"
	".unknown{background:#ef6c00}"
	"code{font:13px ui-monospace,Menlo,Consolas,monospace;background:#eef1f5;padding:0 3px;"
	"border-radius:3px}"
	".fix{color:#2e4a62}.muted{color:#667}"
	"details summary{cursor:pointer}ul{margin:4px 0;padding-left:18px}"
	"footer{color:#667;font-size:12px;text-align:center;margin-top:24px}";

static void counts(const cs_compliance *c, size_t *n, size_t own[4])
{
	*n = 0;
	for (int k = 0; k < 4; k++)
		own[k] = 0;
	for (size_t i = 0; i < c->nreqs; i++) {
		if (c->reqs[i].section)
			continue;
		(*n)++;
		own[cs__owner_class(c->reqs[i].owners)]++;
	}
}

/* Owner split: a donut of the four owner classes with a legend. */
static void owner_chart(cs_buf *b, const size_t own[4], size_t n)
{
	const double r = 70.0, circ = 2.0 * 3.14159265358979 * r;
	double off = 0.0;
	cs_buf_puts(b, "<h3>Owner split</h3><svg role=\"img\" aria-label=\"Owner split\" "
		       "viewBox=\"0 0 420 200\" width=\"100%\" style=\"max-width:420px\">");
	cs_buf_printf(b, "<circle cx=\"100\" cy=\"100\" r=\"%.0f\" fill=\"none\" stroke=\"#e3e7ed\" "
			 "stroke-width=\"36\"/>",
		      r);
	for (int k = 0; k < 4 && n; k++) {
		if (!own[k])
			continue;
		double len = circ * (double)own[k] / (double)n;
		cs_buf_printf(b, "<circle cx=\"100\" cy=\"100\" r=\"%.0f\" fill=\"none\" stroke=\"%s\" "
				 "stroke-width=\"36\" stroke-dasharray=\"%.2f %.2f\" "
				 "stroke-dashoffset=\"%.2f\" transform=\"rotate(-90 100 100)\">"
				 "<title>%s: %zu</title></circle>",
			      r, owner_fill[k], len, circ - len, -off, cs__owner_class_name(k), own[k]);
		off += len;
	}
	cs_buf_printf(b, "<text x=\"100\" y=\"97\" text-anchor=\"middle\" font-size=\"26\" "
			 "font-weight=\"700\">%zu</text><text x=\"100\" y=\"118\" "
			 "text-anchor=\"middle\" font-size=\"12\" fill=\"#667\">requirements</text>",
		      n);
	for (int k = 0; k < 4; k++) {
		int y = 40 + k * 34;
		static const char *const label[] = { "provider only", "customer only", "shared or split",
						     "owner unknown" };
		cs_buf_printf(b, "<rect x=\"215\" y=\"%d\" width=\"18\" height=\"18\" rx=\"3\" fill=\"%s\"/>"
				 "<text x=\"242\" y=\"%d\" font-size=\"14\">%s: %zu</text>",
			      y, owner_fill[k], y + 14, label[k], own[k]);
	}
	cs_buf_puts(b, "</svg>");
}

/* Status per control family: one stacked bar per group. */
static void family_chart(cs_buf *b, const cs_compliance *c)
{
	const cs_framework *fw = c->fw;
	size_t ng = fw->ngroups, max = 1;
	size_t(*t)[4] = cs_calloc(ng ? ng : 1, sizeof(*t));
	if (!t)
		return;
	for (size_t i = 0; i < c->nreqs; i++) {
		const cs__reqrep *rr = &c->reqs[i];
		if (rr->section || rr->req->group == CS_NOIDX)
			continue;
		t[rr->req->group][rr->status]++;
	}
	size_t shown = 0;
	for (size_t g = 0; g < ng; g++) {
		size_t s = t[g][0] + t[g][1] + t[g][2] + t[g][3];
		if (s > max)
			max = s;
		shown += s > 0;
	}
	const int rowh = 24, left = 250, width = 400;
	cs_buf_printf(b, "<h3>Status per control family</h3><svg role=\"img\" "
			 "aria-label=\"Status per control family\" viewBox=\"0 0 %d %zu\" "
			 "width=\"100%%\" style=\"max-width:%dpx\">",
		      left + width + 40, (size_t)rowh * shown + 40, left + width + 40);
	size_t row = 0;
	for (size_t g = 0; g < ng; g++) {
		size_t s = t[g][0] + t[g][1] + t[g][2] + t[g][3];
		if (!s)
			continue;
		size_t y = row++ * (size_t)rowh + 4;
		cs_buf_printf(b, "<text x=\"%d\" y=\"%zu\" font-size=\"12\" text-anchor=\"end\">",
			      left - 8, y + 15);
		h(b, fw->groups[g].id);
		if (strcmp(fw->groups[g].id, fw->groups[g].title) != 0) {
			char tt[32];
			size_t n = strlen(fw->groups[g].title), k = n < 26 ? n : 26;
			while (k < n && k > 0 && ((unsigned char)fw->groups[g].title[k] & 0xC0) == 0x80)
				k--; /* not inside a UTF-8 sequence */
			memcpy(tt, fw->groups[g].title, k);
			tt[k] = 0;
			cs_buf_puts(b, " ");
			h(b, tt);
			if (n > k)
				cs_buf_puts(b, "\xe2\x80\xa6");
		}
		cs_buf_puts(b, "<title>");
		h(b, fw->groups[g].title);
		cs_buf_puts(b, "</title></text>");
		double x = left;
		for (int k = 0; k < 4; k++) {
			if (!t[g][k])
				continue;
			double w = (double)width * (double)t[g][k] / (double)max;
			cs_buf_printf(b, "<rect x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"%d\" "
					 "fill=\"%s\"><title>%s: %zu</title></rect>",
				      x, y, w, rowh - 6, status_fill[k], cs_req_status_name((cs_req_status)k),
				      t[g][k]);
			x += w;
		}
		cs_buf_printf(b, "<text x=\"%.1f\" y=\"%zu\" font-size=\"12\" fill=\"#667\">%zu</text>",
			      x + 6, y + 15, s);
	}
	size_t ly = row * (size_t)rowh + 14;
	for (int k = 0; k < 4; k++) {
		cs_buf_printf(b, "<rect x=\"%d\" y=\"%zu\" width=\"12\" height=\"12\" fill=\"%s\"/>"
				 "<text x=\"%d\" y=\"%zu\" font-size=\"12\">%s</text>",
			      left + k * 90, ly, status_fill[k], left + k * 90 + 16, ly + 11,
			      cs_req_status_name((cs_req_status)k));
	}
	cs_buf_puts(b, "</svg>");
	cs_free(t);
}

static void gaps_table(cs_buf *b, const cs_compliance *c)
{
	cs_buf_printf(b, "<section><h2>Gaps (%zu)</h2>", c->ngaps);
	if (!c->ngaps) {
		cs_buf_puts(b, "<p>None.</p></section>");
		return;
	}
	cs_buf_puts(b, "<table><tr><th>type</th><th>what</th><th>fix</th><th>requirements</th></tr>");
	size_t noev = 0;
	for (size_t g = 0; g < c->ngaps; g++) {
		const cs__gap *gp = &c->gaps[g];
		if (gp->type == CS_GAP_NO_EVIDENCE) {
			noev++;
			continue;
		}
		cs_buf_puts(b, "<tr><td><code>");
		h(b, cs__gap_name(gp->type));
		cs_buf_puts(b, "</code></td><td>");
		h(b, gp->what);
		cs_buf_puts(b, "</td><td class=\"fix\">");
		h(b, gp->fix);
		cs_buf_puts(b, "</td><td>");
		for (size_t k = 0; k < gp->nreqs; k++) {
			cs_buf_puts(b, k ? ", " : "");
			h(b, c->reqs[gp->reqs[k]].req->id);
		}
		if (!gp->nreqs)
			cs_buf_puts(b, "<span class=\"muted\">none mapped</span>");
		cs_buf_puts(b, "</td></tr>");
	}
	if (noev) {
		cs_buf_printf(b, "<tr><td><code>no-automated-evidence</code></td><td>%zu requirements "
				 "have a customer part and no automated evidence</td><td class=\"fix\">"
				 "supply the evidence by hand (policy, procedure, record), or write a "
				 "check for it</td><td>",
			      noev);
		size_t k = 0;
		for (size_t g = 0; g < c->ngaps; g++)
			if (c->gaps[g].type == CS_GAP_NO_EVIDENCE && c->gaps[g].nreqs) {
				cs_buf_puts(b, k++ ? ", " : "");
				h(b, c->reqs[c->gaps[g].reqs[0]].req->id);
			}
		cs_buf_puts(b, "</td></tr>");
	}
	cs_buf_puts(b, "</table></section>");
}

static void req_row(cs_buf *b, const cs_compliance *c, const cs__reqrep *rr)
{
	static const char *const an[] = { "in scope", "eligible", "not in scope", "unknown" };
	const char *st = cs_req_status_name(rr->status);
	cs_buf_puts(b, "<tr><td><code>");
	h(b, rr->req->id);
	cs_buf_puts(b, "</code></td><td>");
	h(b, rr->req->title);
	if (rr->req->obligation && *rr->req->obligation) {
		cs_buf_puts(b, " <span class=\"muted\">(");
		h(b, rr->req->obligation);
		cs_buf_puts(b, ")</span>");
	}
	cs_buf_printf(b, "</td><td><span class=\"badge %s\">%s</span></td><td>%s</td><td>", st, st,
		      cs__owners_text(rr->owners));
	for (size_t k = 0; rr->domains && rr->domains[k]; k++) {
		cs_buf_puts(b, k ? "<br>" : "");
		h(b, rr->domains[k]);
	}
	cs_buf_puts(b, "</td><td>");
	for (size_t k = 0; k < rr->npev; k++) {
		const cs__pevidence *p = &rr->pev[k];
		cs_buf_puts(b, k ? "<br>" : "");
		h(b, p->service->id);
		cs_buf_printf(b, ": %s", p->att ? an[p->att->status & 3] : "no attestation");
		if (p->att && p->att->as_of) {
			cs_buf_puts(b, " <span class=\"muted\">");
			h(b, p->att->as_of);
			cs_buf_puts(b, "</span>");
		}
		if (p->stale)
			cs_buf_puts(b, " <b>stale</b>");
	}
	cs_buf_puts(b, "</td><td>");
	for (size_t k = 0; k < rr->ncev; k++) {
		const cs__cevidence *e = &rr->cev[k];
		cs_buf_puts(b, k ? "<br>" : "");
		h(b, e->check->id);
		cs_buf_printf(b, ": %zu&#10007; %zu? %zu&#10003;", e->fail, e->unknown, e->pass);
		if (e->nfailing) {
			cs_buf_puts(b, "<ul>");
			for (size_t f = 0; f < e->nfailing && f < 5; f++) {
				cs_buf_puts(b, "<li>");
				h(b, e->failing[f]->res->name);
				cs_buf_puts(b, " <span class=\"muted\">");
				h(b, e->failing[f]->file);
				cs_buf_printf(b, ":%u</span></li>", (unsigned)e->failing[f]->line);
			}
			if (e->nfailing > 5)
				cs_buf_printf(b, "<li>%zu more</li>", e->nfailing - 5);
			cs_buf_puts(b, "</ul>");
		}
	}
	if (!rr->ncev)
		cs_buf_puts(b, rr->nserving ? "<span class=\"muted\">no resource to judge</span>"
					    : "<span class=\"muted\">none</span>");
	cs_buf_puts(b, "</td><td>");
	for (size_t k = 0; k < rr->ngaps; k++) {
		cs_buf_puts(b, k ? "<br>" : "");
		h(b, cs__gap_name(c->gaps[rr->gaps[k]].type));
	}
	cs_buf_puts(b, "</td></tr>");
}

cs_err cs__cf_html(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o)
{
	const struct cs__deployment_view *v = cs__deployment_view(c->d);
	const cs_framework *fw = c->fw;
	size_t n, own[4];
	counts(c, &n, own);
	cs_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		       "<title>");
	h(b, v->name && *v->name ? v->name : "Deployment");
	cs_buf_puts(b, " \xe2\x80\x94 ");
	h(b, fw->title);
	cs_buf_printf(b, "</title><style>%s</style></head><body><header><h1>", css);
	h(b, v->name && *v->name ? v->name : "Deployment");
	cs_buf_puts(b, "</h1><p>");
	h(b, fw->title);
	cs_buf_puts(b, " (<code>");
	h(b, fw->id);
	cs_buf_puts(b, "</code>) \xc2\xb7 as of ");
	h(b, c->as_of);
	cs_buf_printf(b, " \xc2\xb7 %zu services used \xc2\xb7 %zu requirements</p></header><main>",
		      v->nservices, n);
	/* status cards */
	cs_buf_puts(b, "<section><div class=\"cards\">");
	for (int s = 0; s < 4; s++)
		cs_buf_printf(b, "<div class=\"card\" style=\"background:%s\"><b>%zu</b>%s</div>",
			      status_fill[s], c->tally[s], cs_req_status_name((cs_req_status)s));
	cs_buf_printf(b, "<div class=\"card\" style=\"background:#37474f\"><b>%zu</b>named gaps</div>",
		      c->ngaps);
	cs_buf_puts(b, "</div></section><section><h2>Charts</h2><div class=\"charts\"><div>");
	owner_chart(b, own, n);
	cs_buf_puts(b, "</div><div>");
	family_chart(b, c);
	cs_buf_puts(b, "</div></div></section>");
	gaps_table(b, c);
	/* services */
	cs_buf_puts(b, "<section><h2>Services used</h2><table><tr><th>service</th><th>model</th>"
		       "<th>resources</th><th>data classes</th></tr>");
	for (size_t i = 0; i < v->nservices; i++) {
		const cs__used_service *u = &v->services[i];
		cs_buf_puts(b, "<tr><td><code>");
		h(b, u->service->id);
		cs_buf_puts(b, "</code> ");
		h(b, u->service->name);
		cs_buf_puts(b, "</td><td>");
		h(b, u->service->model);
		cs_buf_printf(b, "</td><td>%zu%s</td><td>", u->nres, u->declared ? " (declared)" : "");
		for (size_t k = 0; u->classes && u->classes[k]; k++) {
			cs_buf_puts(b, k ? ", " : "");
			h(b, u->classes[k]);
		}
		cs_buf_puts(b, "</td></tr>");
	}
	cs_buf_puts(b, "</table></section>");
	/* requirements */
	cs_buf_puts(b, "<section><h2>Requirements</h2><table><tr><th>id</th><th>requirement</th>"
		       "<th>status</th><th>owners</th><th>domains</th><th>provider evidence</th>"
		       "<th>checks</th><th>gaps</th></tr>");
	for (size_t i = 0; i < c->nreqs; i++)
		if (!c->reqs[i].section)
			req_row(b, c, &c->reqs[i]);
	cs_buf_puts(b, "</table></section></main><footer>cshare ");
	h(b, o->version ? o->version : "");
	cs_buf_puts(b, " \xc2\xb7 the responsibility model and attestations are data with their "
		       "sources: <code>cshare matrix --explain SERVICE DOMAIN</code></footer>");
	return cs_buf_puts(b, "</body></html>\n");
}
