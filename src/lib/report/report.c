/* report/report.c - choosing a writer, ordering results, shared helpers. */
#include <stdlib.h>
#include <string.h>

#include "json/json_int.h"
#include "report.h"

int cs_format_parse(const char *s)
{
	static const char *const names[] = { "text", "json", "sarif", "junit", "csv" };
	for (size_t i = 0; i < CS_ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static bool wanted(const cs_result *x, const cs_report_opts *o)
{
	return !(x->suppressed && !o->show_suppressed) && !(x->verdict == CS_PASS && !o->include_pass);
}

bool cs__report_listed(cs_results *r, cs_result *x, const cs_report_opts *o)
{
	if (!wanted(x, o))
		return false;
	cs__result_describe(r, x);
	return true;
}

cs_err cs__json_str(cs_buf *b, const char *str, size_t len)
{
	cs_err rc = CS_OK;
	/* long strings (rare in reports) go through the general writer */
	if (len > ((size_t)1 << 16))
		return cs_json_write_str(b, str, len);
	char *start = cs__buf_reserve(b, CS__JSON_STR_ROOM(len), &rc);
	if (rc == CS_ELIMIT) /* near the buffer's maximum: exactly as the writer does */
		return cs_json_write_str(b, str, len);
	if (!start)
		return rc;
	cs__buf_commit(b, (size_t)(cs__json_put_str(start, str, len) - start));
	return CS_OK;
}

cs_err cs__json_str_or_null(cs_buf *b, const char *s)
{
	return s ? cs__json_str(b, s, strlen(s)) : cs__buf_add(b, "null", 4);
}

cs_err cs__xml_escape(cs_buf *b, const char *s)
{
	cs_err rc = CS_OK;
	for (const char *p = s; *p && !rc; p++) {
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '<': rc = cs_buf_puts(b, "&lt;"); break;
		case '>': rc = cs_buf_puts(b, "&gt;"); break;
		case '&': rc = cs_buf_puts(b, "&amp;"); break;
		case '"': rc = cs_buf_puts(b, "&quot;"); break;
		case '\'': rc = cs_buf_puts(b, "&apos;"); break;
		default:
			/* XML 1.0 forbids most control characters even escaped */
			if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
				rc = cs_buf_putc(b, '?');
			else
				rc = cs_buf_putc(b, (char)c);
		}
	}
	return rc;
}

/* Output order: severity (high first), check id, verdict (fail, unknown,
 * pass), file, line, resource name. */
static int result_cmp(const void *pa, const void *pb)
{
	const cs_result *a = pa, *b = pb;
	static const int vrank[] = { 2, 0, 1 };
	if (a->check->level != b->check->level)
		return (int)b->check->level - (int)a->check->level;
	if (a->check->rank != b->check->rank) /* rank is the id order */
		return a->check->rank < b->check->rank ? -1 : 1;
	int c;
	if (vrank[a->verdict] != vrank[b->verdict])
		return vrank[a->verdict] - vrank[b->verdict];
	/* results of one input share its file name string */
	if (a->file != b->file && (c = strcmp(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return strcmp(a->res->name, b->res->name);
}

cs_err cs_report_write(cs_buf *out, cs_results *r, const cs_report_opts *o)
{
	/* only what is listed needs an order: move it to the front, sort that
	 * (JUnit lists every result) */
	size_t n = r->n;
	if (o->format != CS_FMT_JUNIT) {
		n = 0;
		for (size_t i = 0; i < r->n; i++) {
			if (!wanted(&r->v[i], o))
				continue;
			if (i != n) {
				cs_result t = r->v[n];
				r->v[n] = r->v[i];
				r->v[i] = t;
			}
			n++;
		}
	}
	if (n)
		qsort(r->v, n, sizeof(cs_result), result_cmp);
	switch (o->format) {
	case CS_FMT_TEXT:
		return cs__report_text(out, r, o);
	case CS_FMT_JSON:
		return cs__report_json(out, r, o);
	case CS_FMT_SARIF:
		return cs__report_sarif(out, r, o);
	case CS_FMT_JUNIT:
		return cs__report_junit(out, r, o);
	case CS_FMT_CSV:
		return cs__report_csv(out, r, o);
	}
	return CS_EINVAL;
}
