/*
 * responsibility/matrix_write.c - the matrix writers: text (an aligned table
 * per service, optionally coloured), Markdown, CSV (RFC 4180), JSON
 * (docs/formats.md) and HTML (one self-contained file: inline style, no
 * scripts, fonts or images; a table per service coloured by owner).
 */
#include <stdio.h>
#include <string.h>

#include "cshare/json.h"
#include "matrix_int.h"

void cs__out_printf(cs__out *o, const char *fmt, ...)
{
	va_list ap;
	if (o->rc)
		return;
	va_start(ap, fmt);
	o->rc = cs_buf_vprintf(o->b, fmt, ap);
	va_end(ap);
}

void cs__out_puts(cs__out *o, const char *s)
{
	if (!o->rc)
		o->rc = cs_buf_puts(o->b, s);
}

static const cs__mx_cell *cell(const cs_matrix *mx, size_t r, size_t c)
{
	return &mx->cells[r * mx->ndomains + c];
}

static const char *cell_mode(const cs__mx_cell *c)
{
	return c->fact ? cs_mode_name(c->fact->mode) : "unknown";
}

static const char *cell_state(const cs__mx_cell *c)
{
	return c->fact ? cs_state_name(c->fact->state) : "unknown";
}

static const char *cell_duty(const cs__mx_cell *c)
{
	return c->fact ? c->fact->duty : "";
}

/* The classes of a used service as "phi, pii", in `buf`. */
static const char *classes(const cs__used_service *u, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; u->classes && u->classes[i]; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", u->classes[i]);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* An assumption whose owner differs from the model's known owner. */
static bool contradicts(const cs__mx_cell *c, const cs__assumption *a)
{
	return c->fact && c->owner != CS_OWNER_UNKNOWN && c->owner != CS_OWNER_NA &&
	       a->owner != c->owner;
}

/* ---- text --------------------------------------------------------------- */

static const char *owner_color(cs_owner o)
{
	static const char *const col[] = { "\033[34m", "\033[33m", "\033[35m", "\033[2m",
					   "\033[1;31m" };
	return (unsigned)o < CS_ARRAY_SIZE(col) ? col[o] : "";
}

static void w_text(cs__out *o, const cs_matrix *mx, bool color)
{
	const struct cs__deployment_view *v = mx->v;
	size_t dw = 6;
	char buf[256];
	for (size_t c = 0; c < mx->ndomains; c++) {
		size_t l = strlen(cs__model_domain_at(mx->m, c)->id);
		dw = l > dw ? l : dw;
	}
	cs__out_printf(o, "Responsibility matrix: %s (as of %s)\n", v->name, cs__model_as_of(mx->m));
	cs__out_printf(o, "%zu service%s used, %zu control domains\n", mx->nrows,
		       mx->nrows == 1 ? "" : "s", mx->ndomains);
	for (size_t r = 0; r < mx->nrows; r++) {
		const cs__used_service *u = &v->services[r];
		const cs__service *s = u->service;
		cs__out_printf(o, "\n%s%s%s  %s (%s, %s", color ? "\033[1m" : "", s->id,
			       color ? "\033[0m" : "", s->name, s->model, s->category);
		if (u->nres)
			cs__out_printf(o, "; %zu resource%s", u->nres, u->nres == 1 ? "" : "s");
		if (u->declared)
			cs__out_puts(o, "; declared");
		if (u->classes && u->classes[0])
			cs__out_printf(o, "; data: %s", classes(u, buf, sizeof buf));
		cs__out_puts(o, ")\n");
		cs__out_printf(o, "  %-*s  %-8s  %-12s  %-7s  %s\n", (int)dw, "DOMAIN", "OWNER", "MODE",
			       "DEFAULT", "CUSTOMER DUTY");
		for (size_t c = 0; c < mx->ndomains; c++) {
			const cs__mx_cell *x = cell(mx, r, c);
			const char *duty = cell_duty(x);
			cs__out_printf(o, "  %-*s  %s%-8s%s  %-12s  %-7s  %s\n", (int)dw, x->domain->id,
				       color ? owner_color(x->owner) : "", cs_owner_name(x->owner),
				       color ? "\033[0m" : "", cell_mode(x), cell_state(x),
				       *duty ? duty : "-");
			for (size_t k = 0; k < x->nassume; k++) {
				const cs__assumption *a = x->assume[k];
				cs__out_printf(o, "  %-*s  %s assumed %s%s%s (%s:%u)%s%s\n", (int)dw, "",
					       contradicts(x, a) ? "!" : " ", cs_owner_name(a->owner),
					       a->state == CS_STATE_UNKNOWN ? "" : ", state ",
					       a->state == CS_STATE_UNKNOWN ? "" : cs_state_name(a->state),
					       a->at.file, (unsigned)a->at.line, *a->note ? ": " : "",
					       a->note);
			}
		}
	}
	if (v->unclassified[0]) {
		cs__out_puts(o, "\nResource types no service in services.tsv claims (unclassified):\n");
		for (size_t i = 0; v->unclassified[i]; i++)
			cs__out_printf(o, "  %s\n", v->unclassified[i]);
	}
	cs__out_printf(o, "\n%zu cells: %zu provider, %zu customer, %zu shared, %zu na, %zu unknown\n",
		       mx->nrows * mx->ndomains, mx->tally[CS_OWNER_PROVIDER],
		       mx->tally[CS_OWNER_CUSTOMER], mx->tally[CS_OWNER_SHARED], mx->tally[CS_OWNER_NA],
		       mx->tally[CS_OWNER_UNKNOWN]);
}

/* ---- markdown ----------------------------------------------------------- */

/* A table cell: '|' escaped, line breaks as spaces. */
static void md_cell(cs__out *o, const char *s)
{
	for (const char *p = s; *p && !o->rc; p++) {
		if (*p == '|')
			cs__out_puts(o, "\\|");
		else if (*p == '\n' || *p == '\r')
			cs__out_puts(o, " ");
		else
			o->rc = cs_buf_putc(o->b, *p);
	}
}

static void w_markdown(cs__out *o, const cs_matrix *mx)
{
	const struct cs__deployment_view *v = mx->v;
	char buf[256];
	cs__out_puts(o, "# Responsibility matrix: ");
	md_cell(o, v->name);
	cs__out_printf(o, "\n\nAs of %s. Owners: provider, customer, shared, na (does not apply), "
			  "unknown (no fact in the data: never assumed to be the provider's).\n",
		       cs__model_as_of(mx->m));
	for (size_t r = 0; r < mx->nrows; r++) {
		const cs__used_service *u = &v->services[r];
		cs__out_printf(o, "\n## %s: ", u->service->id);
		md_cell(o, u->service->name);
		cs__out_printf(o, " (%s, %s)\n\n", u->service->model, u->service->category);
		if (u->classes && u->classes[0])
			cs__out_printf(o, "Holds: %s\n\n", classes(u, buf, sizeof buf));
		cs__out_puts(o, "| Domain | Owner | Mode | Default | Customer duty | Source |\n"
				"|---|---|---|---|---|---|\n");
		for (size_t c = 0; c < mx->ndomains; c++) {
			const cs__mx_cell *x = cell(mx, r, c);
			cs__out_printf(o, "| %s | %s%s%s | %s | %s | ", x->domain->id,
				       x->owner == CS_OWNER_UNKNOWN ? "**" : "", cs_owner_name(x->owner),
				       x->owner == CS_OWNER_UNKNOWN ? "**" : "", cell_mode(x),
				       cell_state(x));
			md_cell(o, *cell_duty(x) ? cell_duty(x) : "-");
			cs__out_printf(o, " | %s |\n", x->fact ? x->fact->source->id : "-");
		}
	}
	if (v->unclassified[0]) {
		cs__out_puts(o, "\n## Unclassified resource types\n\n");
		for (size_t i = 0; v->unclassified[i]; i++) {
			cs__out_puts(o, "- `");
			md_cell(o, v->unclassified[i]);
			cs__out_puts(o, "`\n");
		}
	}
}

/* ---- csv ----------------------------------------------------------------- */

/* One RFC 4180 cell; a leading =, +, -, @, TAB or CR is neutralized with '
 * so that spreadsheets do not run it as a formula. */
static void csv_cell(cs__out *o, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool guard = *s == '=' || *s == '+' || *s == '@' || *s == '\t' || *s == '\r' ||
		     (*s == '-' && s[1]);
	if (quote)
		cs__out_puts(o, "\"");
	if (guard)
		cs__out_puts(o, "'");
	for (const char *p = s; *p && !o->rc; p++) {
		if (*p == '"')
			cs__out_puts(o, "\"\"");
		else
			o->rc = cs_buf_putc(o->b, *p);
	}
	if (quote)
		cs__out_puts(o, "\"");
	cs__out_puts(o, last ? "\r\n" : ",");
}

static void w_csv(cs__out *o, const cs_matrix *mx)
{
	cs__out_puts(o, "service,provider,model,domain,owner,mode,default_state,customer_duty,"
			"lookup,source,as_of\r\n");
	for (size_t r = 0; r < mx->nrows; r++) {
		const cs__service *s = mx->v->services[r].service;
		for (size_t c = 0; c < mx->ndomains; c++) {
			const cs__mx_cell *x = cell(mx, r, c);
			csv_cell(o, s->id, false);
			csv_cell(o, s->provider, false);
			csv_cell(o, s->model, false);
			csv_cell(o, x->domain->id, false);
			csv_cell(o, cs_owner_name(x->owner), false);
			csv_cell(o, cell_mode(x), false);
			csv_cell(o, cell_state(x), false);
			csv_cell(o, cell_duty(x), false);
			csv_cell(o, cs__lookup_level_name(x->level), false);
			csv_cell(o, x->fact ? x->fact->source->id : "", false);
			csv_cell(o, x->fact ? x->fact->as_of : "", true);
		}
	}
}

/* ---- json ----------------------------------------------------------------- */

static void js(cs__out *o, const char *s)
{
	if (!o->rc)
		o->rc = s ? cs_json_write_str(o->b, s, strlen(s)) : cs_buf_puts(o->b, "null");
}

/* A string, or null when empty. */
static void js_opt(cs__out *o, const char *s)
{
	js(o, s && *s ? s : NULL);
}

static void w_json(cs__out *o, const cs_matrix *mx, const char *version)
{
	const struct cs__deployment_view *v = mx->v;
	cs__out_puts(o, "{\"tool\":\"cshare\",\"version\":");
	js(o, version ? version : "");
	cs__out_puts(o, ",\"deployment\":");
	js(o, v->name);
	cs__out_puts(o, ",\"deployment_file\":");
	js_opt(o, v->file);
	cs__out_puts(o, ",\"as_of\":");
	js(o, cs__model_as_of(mx->m));
	cs__out_printf(o, ",\n \"summary\":{\"services\":%zu,\"domains\":%zu,\"cells\":%zu", mx->nrows,
		       mx->ndomains, mx->nrows * mx->ndomains);
	for (int k = CS_OWNER_PROVIDER; k <= CS_OWNER_UNKNOWN; k++)
		cs__out_printf(o, ",\"%s\":%zu", cs_owner_name((cs_owner)k), mx->tally[k]);
	cs__out_puts(o, "},\n \"services\":[");
	for (size_t r = 0; r < mx->nrows; r++) {
		const cs__used_service *u = &v->services[r];
		const cs__service *s = u->service;
		cs__out_puts(o, r ? ",\n  {\"id\":" : "\n  {\"id\":");
		js(o, s->id);
		cs__out_puts(o, ",\"name\":");
		js(o, s->name);
		cs__out_puts(o, ",\"provider\":");
		js(o, s->provider);
		cs__out_puts(o, ",\"model\":");
		js(o, s->model);
		cs__out_puts(o, ",\"category\":");
		js(o, s->category);
		cs__out_printf(o, ",\"declared\":%s,\"resources\":%zu,\"data_classes\":[",
			       u->declared ? "true" : "false", u->nres);
		for (size_t i = 0; u->classes && u->classes[i]; i++) {
			if (i)
				cs__out_puts(o, ",");
			js(o, u->classes[i]);
		}
		cs__out_puts(o, "],\"cells\":[");
		for (size_t c = 0; c < mx->ndomains; c++) {
			const cs__mx_cell *x = cell(mx, r, c);
			const cs__ownership *f = x->fact;
			cs__out_puts(o, c ? ",\n   {\"domain\":" : "\n   {\"domain\":");
			js(o, x->domain->id);
			cs__out_printf(o, ",\"owner\":\"%s\",\"mode\":\"%s\",\"default_state\":\"%s\"",
				       cs_owner_name(x->owner), cell_mode(x), cell_state(x));
			cs__out_puts(o, ",\"customer_duty\":");
			js_opt(o, cell_duty(x));
			cs__out_printf(o, ",\"lookup\":\"%s\",\"source\":", cs__lookup_level_name(x->level));
			if (f) {
				cs__out_puts(o, "{\"id\":");
				js(o, f->source->id);
				cs__out_puts(o, ",\"reference\":");
				js(o, f->source->reference);
				cs__out_puts(o, ",\"retrieved\":");
				js(o, f->source->retrieved);
				cs__out_printf(o, ",\"stale\":%s}", f->source->stale ? "true" : "false");
				cs__out_puts(o, ",\"as_of\":");
				js(o, f->as_of);
				cs__out_puts(o, ",\"location\":{\"file\":");
				js(o, f->at.file);
				cs__out_printf(o, ",\"line\":%u}", (unsigned)f->at.line);
			} else {
				cs__out_puts(o, "null,\"as_of\":null,\"location\":null");
			}
			cs__out_puts(o, ",\"assumptions\":[");
			for (size_t k = 0; k < x->nassume; k++) {
				const cs__assumption *a = x->assume[k];
				cs__out_printf(o, "%s{\"owner\":\"%s\",\"state\":", k ? "," : "",
					       cs_owner_name(a->owner));
				js(o, a->state == CS_STATE_UNKNOWN ? NULL : cs_state_name(a->state));
				cs__out_printf(o, ",\"contradicts_model\":%s,\"note\":",
					       contradicts(x, a) ? "true" : "false");
				js_opt(o, a->note);
				cs__out_puts(o, ",\"location\":{\"file\":");
				js(o, a->at.file);
				cs__out_printf(o, ",\"line\":%u,\"column\":%u}}", (unsigned)a->at.line,
					       (unsigned)a->at.col);
			}
			cs__out_puts(o, "]}");
		}
		cs__out_puts(o, "]}");
	}
	cs__out_puts(o, "],\n \"unclassified\":[");
	for (size_t i = 0; v->unclassified[i]; i++) {
		if (i)
			cs__out_puts(o, ",");
		js(o, v->unclassified[i]);
	}
	cs__out_puts(o, "]}\n");
}

/* ---- html ----------------------------------------------------------------- */

static void h(cs__out *o, const char *s)
{
	for (const char *p = s; *p && !o->rc; p++) {
		switch (*p) {
		case '<':
			cs__out_puts(o, "&lt;");
			break;
		case '>':
			cs__out_puts(o, "&gt;");
			break;
		case '&':
			cs__out_puts(o, "&amp;");
			break;
		case '"':
			cs__out_puts(o, "&quot;");
			break;
		case '\'':
			cs__out_puts(o, "&#39;");
			break;
		default:
			o->rc = cs_buf_putc(o->b, *p);
		}
	}
}

static const char CSS[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;"
	"max-width:76em;padding:0 1em;color:#1d1d1f;background:#fff}"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.15em;margin:1.8em 0 .3em}"
	".meta{color:#555}.svcmeta{color:#555;margin:0 0 .5em}"
	"table{border-collapse:collapse;width:100%;margin-bottom:1em}"
	"th,td{border:1px solid #d0d0d7;padding:.3em .5em;text-align:left;vertical-align:top}"
	"th{background:#f2f2f5}td.o{font-weight:600;white-space:nowrap}"
	"tr.provider td.o{background:#dbe9ff}tr.customer td.o{background:#fff1c2}"
	"tr.shared td.o{background:#eadcff}tr.na td{color:#888}tr.na td.o{background:#f4f4f4}"
	"tr.unknown td.o{background:#ffd6d6;color:#8a0000}"
	".legend span{display:inline-block;padding:.1em .6em;margin-right:.4em;border-radius:3px}"
	".provider{background:#dbe9ff}.customer{background:#fff1c2}.shared{background:#eadcff}"
	".na{background:#f4f4f4}.unknown{background:#ffd6d6}"
	".assume{font-size:.9em;color:#444}.contra{color:#8a0000;font-weight:600}"
	"code{font-size:.92em}.nav a{margin-right:.3em}";

static void w_html(cs__out *o, const cs_matrix *mx, const char *version)
{
	const struct cs__deployment_view *v = mx->v;
	char buf[256];
	cs__out_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			"<title>Responsibility matrix: ");
	h(o, v->name);
	cs__out_printf(o, "</title><style>%s</style></head>\n<body>\n<h1>Responsibility matrix: ", CSS);
	h(o, v->name);
	cs__out_puts(o, "</h1>\n<p class=\"meta\">As of ");
	h(o, cs__model_as_of(mx->m));
	cs__out_printf(o, "; %zu services used, %zu control domains. cshare ", mx->nrows, mx->ndomains);
	h(o, version ? version : "");
	cs__out_puts(o, ".</p>\n<p class=\"legend\">");
	for (int k = CS_OWNER_PROVIDER; k <= CS_OWNER_UNKNOWN; k++)
		cs__out_printf(o, "<span class=\"%s\">%s: %zu</span>", cs_owner_name((cs_owner)k),
			       cs_owner_name((cs_owner)k), mx->tally[k]);
	cs__out_puts(o, "</p>\n<p class=\"meta\">Unknown means no fact in the data applies; it is "
			"never taken to be the provider's.</p>\n");
	cs__out_puts(o, "<p class=\"nav\">Services:");
	for (size_t r = 0; r < mx->nrows; r++) {
		cs__out_puts(o, " <a href=\"#");
		h(o, v->services[r].service->id);
		cs__out_puts(o, "\">");
		h(o, v->services[r].service->id);
		cs__out_puts(o, "</a>");
	}
	if (v->unclassified[0])
		cs__out_puts(o, " <a href=\"#unclassified\">unclassified types</a>");
	cs__out_puts(o, "</p>\n");
	for (size_t r = 0; r < mx->nrows; r++) {
		const cs__used_service *u = &v->services[r];
		const cs__service *s = u->service;
		cs__out_puts(o, "<h2 id=\"");
		h(o, s->id);
		cs__out_puts(o, "\"><code>");
		h(o, s->id);
		cs__out_puts(o, "</code> ");
		h(o, s->name);
		cs__out_puts(o, "</h2>\n<p class=\"svcmeta\">");
		h(o, s->model);
		cs__out_puts(o, ", ");
		h(o, s->category);
		if (u->nres)
			cs__out_printf(o, "; %zu resource%s in the inputs", u->nres,
				       u->nres == 1 ? "" : "s");
		if (u->declared)
			cs__out_puts(o, "; declared in the deployment file");
		if (u->classes && u->classes[0]) {
			cs__out_puts(o, "; holds ");
			h(o, classes(u, buf, sizeof buf));
		}
		cs__out_puts(o, "</p>\n<table><thead><tr><th>Domain</th><th>Owner</th><th>Mode</th>"
				"<th>Default</th><th>Customer duty</th><th>Source</th></tr></thead><tbody>\n");
		for (size_t c = 0; c < mx->ndomains; c++) {
			const cs__mx_cell *x = cell(mx, r, c);
			cs__out_printf(o, "<tr class=\"%s\"><td title=\"", cs_owner_name(x->owner));
			h(o, x->domain->title);
			cs__out_puts(o, "\">");
			h(o, x->domain->id);
			cs__out_printf(o, "</td><td class=\"o\">%s</td><td>%s</td><td>%s</td><td>",
				       cs_owner_name(x->owner), cell_mode(x), cell_state(x));
			h(o, *cell_duty(x) ? cell_duty(x) : "-");
			for (size_t k = 0; k < x->nassume; k++) {
				const cs__assumption *a = x->assume[k];
				cs__out_printf(o, "<div class=\"assume%s\">Assumed: %s", 
					       contradicts(x, a) ? " contra" : "", cs_owner_name(a->owner));
				if (*a->note) {
					cs__out_puts(o, " - ");
					h(o, a->note);
				}
				cs__out_puts(o, "</div>");
			}
			cs__out_puts(o, "</td><td>");
			if (x->fact) {
				cs__out_puts(o, "<span title=\"");
				h(o, x->fact->source->title);
				cs__out_puts(o, " (");
				h(o, x->fact->source->reference);
				cs__out_puts(o, ")\">");
				h(o, x->fact->source->id);
				cs__out_puts(o, "</span>, ");
				h(o, x->fact->as_of);
			} else {
				cs__out_puts(o, "-");
			}
			cs__out_puts(o, "</td></tr>\n");
		}
		cs__out_puts(o, "</tbody></table>\n");
	}
	if (v->unclassified[0]) {
		cs__out_puts(o, "<h2 id=\"unclassified\">Unclassified resource types</h2>\n<p class=\"meta\">No service in "
				"services.tsv claims these types.</p>\n<ul>");
		for (size_t i = 0; v->unclassified[i]; i++) {
			cs__out_puts(o, "<li><code>");
			h(o, v->unclassified[i]);
			cs__out_puts(o, "</code></li>");
		}
		cs__out_puts(o, "</ul>\n");
	}
	cs__out_puts(o, "</body></html>\n");
}

cs_err cs_matrix_write(cs_buf *out, const cs_matrix *mx, const cs_matrix_opts *opts)
{
	cs__out o = { out, CS_OK };
	switch (opts->format) {
	case CS_MX_TEXT:
		w_text(&o, mx, opts->color);
		break;
	case CS_MX_MARKDOWN:
		w_markdown(&o, mx);
		break;
	case CS_MX_CSV:
		w_csv(&o, mx);
		break;
	case CS_MX_JSON:
		w_json(&o, mx, opts->version);
		break;
	case CS_MX_HTML:
		w_html(&o, mx, opts->version);
		break;
	default:
		return CS_EINVAL;
	}
	return o.rc;
}
