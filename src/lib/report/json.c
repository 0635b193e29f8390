/* report/json.c - the JSON report (docs/formats.md): a summary and one
 * object per result with check, resource, location, evidence and
 * fingerprint. */
#include <string.h>

#include "report.h"

cs_err cs__frameworks_json(cs_buf *b, const cs_check *c);

cs_err cs__frameworks_json(cs_buf *b, const cs_check *c)
{
	cs_buf_putc(b, '{');
	for (size_t i = 0; i < c->nfw; i++) {
		if (i)
			cs_buf_putc(b, ',');
		cs__json_str_or_null(b, c->fw[i].name);
		cs_buf_puts(b, ":[");
		for (size_t j = 0; j < c->fw[i].n; j++) {
			if (j)
				cs_buf_putc(b, ',');
			cs__json_str_or_null(b, c->fw[i].ids[j]);
		}
		cs_buf_putc(b, ']');
	}
	return cs_buf_putc(b, '}');
}

cs_err cs__report_json(cs_buf *b, cs_results *r, const cs_report_opts *o)
{
	cs_buf_puts(b, "{\"tool\":\"cshare\",\"version\":");
	cs__json_str_or_null(b, o->version);
	cs_buf_printf(b,
		      ",\"summary\":{\"resources\":%zu,\"checks\":%zu,\"fail\":%zu,\"unknown\":%zu,"
		      "\"pass\":%zu,\"suppressed\":%zu},\"results\":[",
		      r->nresources, r->nchecks, r->tally[CS_FAIL], r->tally[CS_UNKNOWN],
		      r->tally[CS_PASS], r->nsupp);
	bool first = true;
	for (size_t i = 0; i < r->n; i++) {
		const cs_result *x = &r->v[i];
		const cs_check *c = x->check;
		const cs_resource *res = x->res;
		if (!cs__report_listed(x, o))
			continue;
		cs_buf_puts(b, first ? "\n{" : ",\n{");
		first = false;
		cs_buf_puts(b, "\"check_id\":");
		cs__json_str_or_null(b, c->id);
		cs_buf_puts(b, ",\"title\":");
		cs__json_str_or_null(b, c->title);
		cs_buf_printf(b, ",\"severity\":\"%s\",\"verdict\":\"%s\",\"domain\":",
			      cs_level_name(c->level), cs_verdict_name(x->verdict));
		cs__json_str_or_null(b, c->domain);
		cs_buf_puts(b, ",\"owner\":");
		cs__json_str_or_null(b, c->owner);
		cs_buf_puts(b, ",\"frameworks\":");
		cs__frameworks_json(b, c);
		cs_buf_puts(b, ",\"resource\":{\"kind\":");
		cs__json_str_or_null(b, res->kind);
		cs_buf_puts(b, ",\"name\":");
		cs__json_str_or_null(b, res->name);
		cs_buf_puts(b, ",\"provider\":");
		cs__json_str_or_null(b, res->provider);
		cs_buf_puts(b, ",\"service\":");
		cs__json_str_or_null(b, res->service);
		cs_buf_puts(b, ",\"format\":");
		cs__json_str_or_null(b, res->raw->format);
		cs_buf_puts(b, ",\"source_type\":");
		cs__json_str_or_null(b, res->raw->type);
		cs_buf_puts(b, ",\"arn\":");
		cs__json_str_or_null(b, res->raw->arn);
		cs_buf_puts(b, "},\"location\":{\"file\":");
		cs__json_str_or_null(b, x->file);
		cs_buf_printf(b, ",\"line\":%u,\"column\":%u},\"message\":", (unsigned)x->line,
			      (unsigned)x->col);
		cs__json_str_or_null(b, x->message);
		cs_buf_puts(b, ",\"attribute\":");
		cs__json_str_or_null(b, x->attr);
		cs_buf_puts(b, ",\"evidence\":");
		cs__json_str_or_null(b, x->evidence);
		cs_buf_puts(b, ",\"remediation\":");
		cs__json_str_or_null(b, c->remediation);
		cs_buf_printf(b, ",\"fingerprint\":\"%s\",\"suppressed\":", x->fp);
		if (x->suppressed) {
			cs_buf_puts(b, "{\"by\":");
			cs__json_str_or_null(b, x->suppressed_by);
			cs_buf_puts(b, ",\"reason\":");
			cs__json_str_or_null(b, x->suppressed);
			cs_buf_putc(b, '}');
		} else {
			cs_buf_puts(b, "null");
		}
		cs_buf_putc(b, '}');
	}
	return cs_buf_puts(b, "\n]}\n");
}
