/* report/text.c - the human-readable report: findings grouped by check,
 * most severe first, coloured on a terminal. */
#include <string.h>

#include "report.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_MAGENTA "\033[35m"

static const char *col(const cs_report_opts *o, const char *c)
{
	return o->color ? c : "";
}

static const char *level_color(cs_level l)
{
	switch (l) {
	case CS_LEVEL_CRITICAL:
		return C_MAGENTA;
	case CS_LEVEL_HIGH:
		return C_RED;
	case CS_LEVEL_MEDIUM:
		return C_YELLOW;
	default:
		return "";
	}
}

static void nist_list(cs_buf *b, const cs_check *c)
{
	for (size_t i = 0; i < c->nfw; i++) {
		if (strcmp(c->fw[i].name, "nist-800-53-r5") != 0)
			continue;
		cs_buf_puts(b, " · NIST 800-53 ");
		for (size_t j = 0; j < c->fw[i].n; j++)
			cs_buf_printf(b, "%s%s", j ? ", " : "", c->fw[i].ids[j]);
	}
}

cs_err cs__report_text(cs_buf *b, cs_results *r, const cs_report_opts *o)
{
	const cs_check *cur = NULL;
	for (size_t i = 0; i < r->n; i++) {
		cs_result *x = &r->v[i];
		if (!cs__report_listed(r, x, o))
			continue;
		if (x->check != cur) {
			const cs_check *c = x->check;
			cur = c;
			cs_buf_printf(b, "\n%s%s%-8s%s %s%s%s  %s\n", col(o, C_BOLD),
				      col(o, level_color(c->level)), cs_level_name(c->level),
				      col(o, C_RESET), col(o, C_BOLD), c->id, col(o, C_RESET), c->title);
			cs_buf_printf(b, "%s         %s · owner: %s", col(o, C_DIM), c->domain, c->owner);
			nist_list(b, c);
			cs_buf_printf(b, "%s\n", col(o, C_RESET));
		}
		const char *vc = x->verdict == CS_FAIL ? C_RED : x->verdict == CS_UNKNOWN ? C_YELLOW : C_GREEN;
		cs_buf_printf(b, "  %s%-7s%s  %s:%u:%u  %s%s%s\n", col(o, vc), cs_verdict_name(x->verdict),
			      col(o, C_RESET), x->file, (unsigned)x->line, (unsigned)x->col, col(o, C_BOLD),
			      x->res->name, col(o, C_RESET));
		if (x->evidence && *x->evidence)
			cs_buf_printf(b, "           %s\n", x->evidence);
		if (x->suppressed)
			cs_buf_printf(b, "           %ssuppressed (%s): %s%s\n", col(o, C_DIM), x->suppressed_by,
				      x->suppressed, col(o, C_RESET));
	}
	size_t nf = r->tally[CS_FAIL], nu = r->tally[CS_UNKNOWN], np = r->tally[CS_PASS];
	cs_buf_printf(b, "\n%s%zu resources, %zu checks:%s %s%zu failed%s, %s%zu unknown%s, %zu passed",
		      col(o, C_BOLD), r->nresources, r->nchecks, col(o, C_RESET),
		      col(o, nf ? C_RED : ""), nf, col(o, C_RESET), col(o, nu ? C_YELLOW : ""), nu,
		      col(o, C_RESET), np);
	if (r->nsupp)
		cs_buf_printf(b, ", %zu suppressed", r->nsupp);
	return cs_buf_puts(b, "\n");
}
