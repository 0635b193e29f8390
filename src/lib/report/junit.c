/* report/junit.c - JUnit XML: a test suite per check, a test case per
 * resource; fail is a <failure>, unknown is <skipped> with the reason. */
#include <string.h>

#include "report.h"

cs_err cs__report_junit(cs_buf *b, cs_results *r, const cs_report_opts *o)
{
	(void)o;
	size_t total = 0, fails = 0, skips = 0;
	for (size_t i = 0; i < r->n; i++) {
		const cs_result *x = &r->v[i];
		if (x->suppressed)
			continue;
		total++;
		fails += x->verdict == CS_FAIL;
		skips += x->verdict == CS_UNKNOWN;
	}
	cs_buf_printf(b,
		      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<testsuites name=\"cshare audit\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
		      total, fails, skips);
	const cs_check *cur = NULL;
	/* results are ordered by check; each check's first result opens its
	 * suite */
	for (size_t k = 0; k < r->n; k++) {
		const cs_check *c = r->v[k].check;
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = r->v[j].check == c;
		if (seen)
			continue;
		cur = c;
		size_t t = 0, f = 0, s = 0;
		for (size_t i = k; i < r->n; i++) {
			const cs_result *x = &r->v[i];
			if (x->check != cur || x->suppressed)
				continue;
			t++;
			f += x->verdict == CS_FAIL;
			s += x->verdict == CS_UNKNOWN;
		}
		cs_buf_puts(b, "  <testsuite name=\"");
		cs__xml_escape(b, c->id);
		cs_buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", t, f, s);
		for (size_t i = k; i < r->n; i++) {
			cs_result *x = &r->v[i];
			if (x->check != cur || x->suppressed)
				continue;
			cs_buf_puts(b, "    <testcase classname=\"");
			cs__xml_escape(b, x->res->kind);
			cs_buf_puts(b, "\" name=\"");
			cs__xml_escape(b, x->res->name);
			cs_buf_puts(b, "\" file=\"");
			cs__xml_escape(b, x->file);
			cs_buf_printf(b, "\" line=\"%u\"", (unsigned)x->line);
			if (x->verdict == CS_PASS) {
				cs_buf_puts(b, "/>\n");
				continue;
			}
			cs_buf_puts(b, ">\n      <");
			cs__result_describe(r, x);
			cs_buf_puts(b, x->verdict == CS_FAIL ? "failure type=\"" : "skipped type=\"");
			cs_buf_puts(b, cs_level_name(c->level));
			cs_buf_puts(b, "\" message=\"");
			cs__xml_escape(b, c->title);
			cs_buf_puts(b, "\">");
			cs__xml_escape(b, x->file);
			cs_buf_printf(b, ":%u:%u: ", (unsigned)x->line, (unsigned)x->col);
			cs__xml_escape(b, x->evidence ? x->evidence : "");
			cs_buf_puts(b, x->verdict == CS_FAIL ? "</failure>\n" : "</skipped>\n");
			cs_buf_puts(b, "    </testcase>\n");
		}
		cs_buf_puts(b, "  </testsuite>\n");
	}
	return cs_buf_puts(b, "</testsuites>\n");
}
