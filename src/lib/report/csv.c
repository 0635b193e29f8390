/* report/csv.c - CSV (RFC 4180), one row per result.  Cells that a
 * spreadsheet would run as a formula (= + @ TAB CR) get a leading
 * apostrophe. */
#include <stdio.h>
#include <string.h>

#include "report.h"

static void cell(cs_buf *b, const char *s, bool last)
{
	if (!s)
		s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool guard = s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
	if (quote || guard)
		cs_buf_putc(b, '"');
	if (guard)
		cs_buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			cs_buf_putc(b, '"');
		cs_buf_putc(b, *p);
	}
	if (quote || guard)
		cs_buf_putc(b, '"');
	cs_buf_puts(b, last ? "\r\n" : ",");
}

cs_err cs__report_csv(cs_buf *b, cs_results *r, const cs_report_opts *o)
{
	cs_buf_puts(b, "verdict,check_id,severity,domain,owner,kind,resource,file,line,column,"
		       "message,evidence,fingerprint,suppressed\r\n");
	for (size_t i = 0; i < r->n; i++) {
		cs_result *x = &r->v[i];
		if (!cs__report_listed(r, x, o))
			continue;
		char num[32];
		cell(b, cs_verdict_name(x->verdict), false);
		cell(b, x->check->id, false);
		cell(b, cs_level_name(x->check->level), false);
		cell(b, x->check->domain, false);
		cell(b, x->check->owner, false);
		cell(b, x->res->kind, false);
		cell(b, x->res->name, false);
		cell(b, x->file, false);
		snprintf(num, sizeof num, "%u", (unsigned)x->line);
		cell(b, num, false);
		snprintf(num, sizeof num, "%u", (unsigned)x->col);
		cell(b, num, false);
		cell(b, x->message, false);
		cell(b, x->evidence, false);
		cell(b, x->fp, false);
		cell(b, x->suppressed ? x->suppressed : "", true);
	}
	return CS_OK;
}
