/*
 * report/sarif.c - SARIF 2.1.0 (OASIS), as GitHub code scanning reads it:
 * one run, a rule per check (with security-severity), a result per finding
 * with a physical location (file, line, column), the resource as a logical
 * location, a partial fingerprint, and suppressions.  A result cshare cannot
 * decide has kind "review" (level "none", as SARIF 3.27.9 requires).
 */
#include <string.h>

#include "report.h"

cs_err cs__frameworks_json(cs_buf *b, const cs_check *c);

static const char *sarif_level(const cs_result *x)
{
	if (x->verdict != CS_FAIL)
		return "none";
	switch (x->check->level) {
	case CS_LEVEL_CRITICAL:
	case CS_LEVEL_HIGH:
		return "error";
	case CS_LEVEL_MEDIUM:
		return "warning";
	default:
		return "note";
	}
}

static const char *security_severity(cs_level l)
{
	static const char *const s[] = { "1.0", "3.0", "5.5", "8.0", "9.5" };
	return (unsigned)l < 5 ? s[l] : "5.5";
}

/* A relative URI reference (RFC 3986) for a path; absolute paths become
 * file:// URIs. */
static void uri(cs_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	cs_buf u;
	cs_buf_init(&u, 0);
	if (path[0] == '/')
		cs_buf_puts(&u, "file://");
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    strchr("-._~/", c);
		if (safe) {
			cs_buf_putc(&u, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			cs_buf_append(&u, e, 3);
		}
	}
	cs_json_write_str(b, u.data ? u.data : "", u.len);
	cs_buf_release(&u);
}

static void text_obj(cs_buf *b, const char *key, const char *text)
{
	cs_buf_printf(b, ",\"%s\":{\"text\":", key);
	cs__json_str_or_null(b, text ? text : "");
	cs_buf_putc(b, '}');
}

cs_err cs__report_sarif(cs_buf *b, cs_results *r, const cs_report_opts *o)
{
	/* rules: the checks of listed results, in first-seen order */
	cs_ptrvec rules = { 0 };
	cs_err rc = CS_OK;
	for (size_t i = 0; i < r->n; i++) {
		cs_result *x = &r->v[i];
		if (!cs__report_listed(r, x, o))
			continue;
		bool seen = false;
		for (size_t j = 0; j < rules.n && !seen; j++)
			seen = rules.v[j] == x->check;
		if (!seen && (rc = cs__ptrvec_push(&rules, (void *)x->check)))
			goto out;
	}
	cs_buf_puts(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
		       "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"cshare\","
		       "\"informationUri\":\"https://github.com/cshare/cshare\",\"version\":");
	cs__json_str_or_null(b, o->version ? o->version : "0");
	cs_buf_puts(b, ",\"rules\":[");
	for (size_t i = 0; i < rules.n; i++) {
		const cs_check *c = rules.v[i];
		cs_buf_puts(b, i ? ",\n{\"id\":" : "\n{\"id\":");
		cs__json_str_or_null(b, c->id);
		cs_buf_puts(b, ",\"name\":");
		cs__json_str_or_null(b, c->id);
		text_obj(b, "shortDescription", c->title);
		text_obj(b, "fullDescription", c->rationale);
		text_obj(b, "help", c->remediation);
		if (c->nrefs) {
			cs_buf_puts(b, ",\"helpUri\":");
			cs__json_str_or_null(b, c->refs[0]);
		}
		cs_buf_printf(b, ",\"defaultConfiguration\":{\"level\":\"%s\"}",
			      c->level >= CS_LEVEL_HIGH ? "error" : c->level == CS_LEVEL_MEDIUM ? "warning" : "note");
		cs_buf_puts(b, ",\"properties\":{\"tags\":[\"security\",");
		cs__json_str_or_null(b, c->domain);
		cs_buf_printf(b, "],\"security-severity\":\"%s\",\"precision\":\"high\",\"kind\":",
			      security_severity(c->level));
		cs__json_str_or_null(b, c->kind);
		cs_buf_puts(b, ",\"owner\":");
		cs__json_str_or_null(b, c->owner);
		cs_buf_puts(b, ",\"frameworks\":");
		cs__frameworks_json(b, c);
		cs_buf_puts(b, "}}");
	}
	cs_buf_puts(b, "]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[");
	bool first = true;
	for (size_t i = 0; i < r->n; i++) {
		cs_result *x = &r->v[i];
		if (!cs__report_listed(r, x, o))
			continue;
		size_t ri = 0;
		while (ri < rules.n && rules.v[ri] != x->check)
			ri++;
		cs_buf_puts(b, first ? "\n{\"ruleId\":" : ",\n{\"ruleId\":");
		first = false;
		cs__json_str_or_null(b, x->check->id);
		cs_buf_printf(b, ",\"ruleIndex\":%zu,\"kind\":\"%s\",\"level\":\"%s\",\"message\":{\"text\":", ri,
			      x->verdict == CS_FAIL ? "fail" : x->verdict == CS_PASS ? "pass" : "review",
			      sarif_level(x));
		cs_buf t;
		cs_buf_init(&t, 0);
		cs_buf_printf(&t, "%s: %s", x->res->name, x->message);
		if (x->evidence && *x->evidence)
			cs_buf_printf(&t, " (%s)", x->evidence);
		if (x->verdict == CS_UNKNOWN)
			cs_buf_puts(&t, " - cannot be decided from the input");
		cs__json_str_or_null(b, t.data ? t.data : "");
		cs_buf_release(&t);
		cs_buf_puts(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		uri(b, x->file);
		cs_buf_printf(b, "},\"region\":{\"startLine\":%u,\"startColumn\":%u}}",
			      (unsigned)(x->line ? x->line : 1), (unsigned)(x->col ? x->col : 1));
		cs_buf_puts(b, ",\"logicalLocations\":[{\"name\":");
		cs__json_str_or_null(b, x->res->name);
		cs_buf_puts(b, ",\"kind\":\"resource\",\"fullyQualifiedName\":");
		cs_buf t2;
		cs_buf_init(&t2, 0);
		cs_buf_printf(&t2, "%s/%s", x->res->kind, x->res->name);
		cs__json_str_or_null(b, t2.data ? t2.data : "");
		cs_buf_release(&t2);
		cs_buf_printf(b, "}]}],\"partialFingerprints\":{\"cshareFingerprint/v1\":\"%s\"}", x->fp);
		if (x->suppressed) {
			cs_buf_printf(b, ",\"suppressions\":[{\"kind\":\"%s\",\"justification\":",
				      strcmp(x->suppressed_by, "inline") == 0 ? "inSource" : "external");
			cs__json_str_or_null(b, x->suppressed);
			cs_buf_puts(b, "}]");
		}
		cs_buf_puts(b, ",\"properties\":{\"verdict\":");
		cs__json_str_or_null(b, cs_verdict_name(x->verdict));
		cs_buf_puts(b, ",\"domain\":");
		cs__json_str_or_null(b, x->check->domain);
		cs_buf_puts(b, ",\"resourceKind\":");
		cs__json_str_or_null(b, x->res->kind);
		cs_buf_puts(b, ",\"evidence\":");
		cs__json_str_or_null(b, x->evidence);
		cs_buf_puts(b, "}}");
	}
	rc = cs_buf_puts(b, "\n],\"invocations\":[{\"executionSuccessful\":true}]}]}\n");
out:
	cs__ptrvec_release(&rules);
	return rc;
}
