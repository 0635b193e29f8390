/*
 * audit/iam_checks.c - checks with `source: iam-analysis` (docs/checks.md):
 * the inventory's IAM account (authorization details, credential reports,
 * organization file, and the inventory's resource policies) is analysed
 * once, and each check judges the subjects of its class: fail for a
 * subject with one of the check's findings, unknown for a subject the
 * analysis could not decide, pass for the others.  Results carry the
 * subject as their resource (kind, name, input file and format), so every
 * report format, suppression and baseline treats them like the others.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "cshare/iam.h"
#include "../iam/account_int.h"

/* One finding of the analysis, copied into the results' arena. */
typedef struct iam_hit {
	const char *id, *subject, *message, *file;
	uint32_t line, col;
	size_t seq; /* the analysis' order */
} iam_hit;

typedef struct iam_run {
	cs_results *r;
	const cs_inventory *inv;
	const cs_strmap *base;
	cs_ptrvec hits;     /* iam_hit*, in the analysis' order */
	cs_strmap by_subj;  /* subject -> iam_hit* (several) */
	cs_strmap res;      /* "kind\x1fsubject" -> cs_resource* made for it */
	const cs_check *check;
	cs_err rc;
} iam_run;

static void collect(void *ud, const cs_iam_finding *f)
{
	iam_run *x = ud;
	cs_arena *a = x->r->a;
	if (x->rc)
		return;
	iam_hit *h = cs_arena_alloc(a, sizeof(*h));
	if (!h) {
		x->rc = CS_ENOMEM;
		return;
	}
	h->id = cs_arena_strdup(a, f->id);
	h->subject = cs_arena_strdup(a, f->subject ? f->subject : "");
	h->message = cs_arena_strdup(a, f->message ? f->message : f->id);
	h->file = f->file ? cs_arena_strdup(a, f->file) : NULL;
	h->line = f->line;
	h->col = f->col;
	h->seq = x->hits.n;
	if (!h->id || !h->subject || !h->message || (f->file && !h->file))
		x->rc = CS_ENOMEM;
	else if ((x->rc = cs__ptrvec_push(&x->hits, h)) == CS_OK)
		x->rc = cs__strmap_put(&x->by_subj, h->subject, strlen(h->subject), h);
}

static bool finding_matches(const cs_check *c, const char *id)
{
	for (size_t i = 0; i < c->niam_findings; i++) {
		const char *p = c->iam_findings[i];
		size_t n = strlen(p);
		if (n && p[n - 1] == '*' ? strncmp(id, p, n - 1) == 0 : strcmp(id, p) == 0)
			return true;
	}
	return false;
}

/* The inventory's record of an input file, by the path it was read as. */
static const cs_srcfile *srcfile(const cs_inventory *inv, const char *path)
{
	for (size_t i = 0; path && i < inv->files.n; i++) {
		const cs_srcfile *f = inv->files.v[i];
		if (strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

/* The resource standing for a subject (one per kind, subject and file). */
static const cs_resource *subject_resource(iam_run *x, const cs__iam_subject *s)
{
	cs_arena *a = x->r->a;
	char *key = cs_arena_printf(a, "%s\x1f%s\x1f%s", s->kind, s->subject, s->file ? s->file : "");
	if (!key)
		return NULL;
	const cs_resource *old = cs__strmap_get(&x->res, key, strlen(key), NULL);
	if (old)
		return old;
	cs_raw *raw = cs_arena_alloc(a, sizeof(*raw));
	cs_resource *res = cs_arena_alloc(a, sizeof(*res));
	if (!raw || !res)
		return NULL;
	memset(raw, 0, sizeof *raw);
	memset(res, 0, sizeof *res);
	raw->format = s->format;
	raw->type = s->type;
	raw->name = cs_arena_strdup(a, s->name);
	raw->provider = "aws";
	raw->file = s->file ? s->file : "-";
	raw->line = s->line;
	raw->col = s->col;
	raw->end_line = s->line;
	raw->arn = s->arn;
	res->kind = s->kind;
	res->provider = "aws";
	res->service = strncmp(s->kind, "aws.", 4) == 0 && strchr(s->kind + 4, '.')
			       ? cs_arena_strndup(a, s->kind + 4,
						  (size_t)(strchr(s->kind + 4, '.') - (s->kind + 4)))
			       : "iam";
	res->name = raw->name;
	res->raw = raw;
	res->src = srcfile(x->inv, raw->file);
	res->line = s->line;
	res->col = s->col;
	res->end_line = s->line;
	if (!res->service || !raw->name || cs__strmap_put(&x->res, key, strlen(key), res))
		return NULL;
	x->r->nresources++;
	return res;
}

/* One result per subject of the running check. */
static cs_err judge(void *ud, const cs__iam_subject *s)
{
	iam_run *x = ud;
	const cs_check *c = x->check;
	cs_arena *a = x->r->a;
	const iam_hit *first = NULL;
	size_t nhits = 0, iter;
	for (const iam_hit *h = cs__strmap_get(&x->by_subj, s->subject, strlen(s->subject), &iter);
	     h; h = cs__strmap_next(&x->by_subj, s->subject, strlen(s->subject), &iter)) {
		if (!finding_matches(c, h->id))
			continue;
		/* the analysis' first (stable order) is the one shown */
		if (!first || h->seq < first->seq)
			first = h;
		nhits++;
	}
	const cs_resource *res = subject_resource(x, s);
	if (!res)
		return CS_ENOMEM;
	cs_result r;
	memset(&r, 0, sizeof r);
	r.check = c;
	r.res = res;
	r.file = res->raw->file;
	r.line = s->line;
	r.col = s->col;
	if (first) {
		r.verdict = CS_FAIL;
		if (first->file)
			r.file = first->file;
		if (first->line) {
			r.line = first->line;
			r.col = first->col;
		}
		r.attr = first->id;
		r.message = first->message;
		r.evidence = nhits > 1 ? cs_arena_printf(a, "%s: %s (and %zu more)", first->id,
							 first->message, nhits - 1)
				       : cs_arena_printf(a, "%s: %s", first->id, first->message);
	} else if (s->undecided) {
		r.verdict = CS_UNKNOWN;
		r.message = cs_arena_printf(a, "%s: the IAM analysis cannot decide (%s)", res->name,
					    s->undecided);
		r.evidence = s->undecided;
	} else {
		r.verdict = CS_PASS;
		r.message = cs_arena_printf(a, "%s: no %s finding", res->name, c->iam_findings[0]);
		r.evidence = "the IAM analysis examined it and found nothing";
	}
	if (!r.message || !r.evidence)
		return CS_ENOMEM;
	cs__result_settle(x->r, &r, x->base);
	return cs__results_push(x->r, &r);
}

cs_err cs__audit_iam(const cs_checkset *cs, const cs_inventory *inv, const cs_ptrvec *run,
		     const cs_strmap *base, cs_diag_sink *diag, cs_results *r)
{
	cs_iam_account *acct = inv->iam;
	cs_iam_catalog *cat = NULL;
	iam_run x;
	memset(&x, 0, sizeof x);
	x.r = r;
	x.inv = inv;
	x.base = base;
	if (!acct)
		return CS_OK; /* no IAM export: nothing to judge */
	if (cs->iam_catalog) {
		/* a catalogue with bad records is still usable (diagnosed) */
		cs_err crc = cs_iam_catalog_load(&cat, cs->iam_catalog, diag);
		if (crc == CS_ENOMEM) {
			x.rc = crc;
			goto out;
		}
	}
	cs__iam_account_set_catalog(acct, cat);
	int64_t now = cs->iam_now ? cs->iam_now : (int64_t)time(NULL);
	cs_err rc = cs_iam_account_analyze(acct, now, collect, &x, NULL);
	if (!x.rc)
		x.rc = rc;
	for (size_t i = 0; !x.rc && i < run->n; i++) {
		x.check = run->v[i];
		x.rc = cs__iam_subjects(acct, (cs__iam_sclass)x.check->iam_class, now, judge, &x);
	}
out:
	cs__iam_account_set_catalog(acct, NULL);
	cs_iam_catalog_free(cat);
	cs__ptrvec_release(&x.hits);
	cs__strmap_release(&x.by_subj);
	cs__strmap_release(&x.res);
	return x.rc;
}

void cs_checkset_set_iam(cs_checkset *cs, const char *catalog_dir, int64_t now)
{
	cs->iam_catalog = catalog_dir ? cs_arena_strdup(cs->a, catalog_dir) : NULL;
	cs->iam_now = now;
}
