/*
 * responsibility/matrix.c - the responsibility matrix (services used x
 * control domains, each cell the ownership fact found by the documented
 * lookup order, or unknown) and `--explain`: the fact behind one cell, how
 * it was found, its source, and the service's attestations.
 */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "matrix_int.h"

int cs_matrix_format_parse(const char *s)
{
	static const struct {
		const char *name;
		cs_matrix_format f;
	} names[] = { { "text", CS_MX_TEXT }, { "markdown", CS_MX_MARKDOWN }, { "md", CS_MX_MARKDOWN },
		      { "csv", CS_MX_CSV },   { "json", CS_MX_JSON },         { "html", CS_MX_HTML } };
	for (size_t i = 0; s && i < CS_ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return (int)names[i].f;
	return -1;
}

const char *cs__lookup_level_name(cs__lookup_level lv)
{
	static const char *const n[] = { "service", "model", "provider", "none" };
	return (unsigned)lv < CS_ARRAY_SIZE(n) ? n[lv] : "none";
}

cs_err cs_matrix_build(const cs_model *m, const cs_deployment *d, cs_matrix **out)
{
	cs_err rc = CS_OK;
	const struct cs__deployment_view *v = cs__deployment_view(d);
	cs_matrix *mx = cs_calloc(1, sizeof(*mx));
	*out = NULL;
	if (!mx)
		return CS_ENOMEM;
	mx->m = m;
	mx->d = d;
	mx->v = v;
	mx->nrows = v->nservices;
	mx->ndomains = cs__model_domain_count(m);
	size_t ncells = mx->nrows * mx->ndomains;
	mx->cells = ncells ? cs_calloc(ncells, sizeof(*mx->cells)) : NULL;
	if (ncells && !mx->cells) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t r = 0; r < mx->nrows; r++) {
		const cs__service *svc = v->services[r].service;
		for (size_t c = 0; c < mx->ndomains; c++) {
			cs__mx_cell *cell = &mx->cells[r * mx->ndomains + c];
			cell->domain = cs__model_domain_at(m, c);
			cell->fact = cs__model_lookup(m, svc, cell->domain->id, &cell->level);
			cell->owner = cell->fact ? cell->fact->owner : CS_OWNER_UNKNOWN;
			mx->tally[cell->owner]++;
			cell->nassume = cs__deployment_assumptions(d, svc, cell->domain->id,
								   cell->assume, CS__MX_MAXASSUME);
			if (cell->nassume > CS__MX_MAXASSUME)
				cell->nassume = CS__MX_MAXASSUME;
		}
	}
out:
	if (rc) {
		cs_matrix_free(mx);
		return rc;
	}
	*out = mx;
	return CS_OK;
}

void cs_matrix_free(cs_matrix *mx)
{
	if (!mx)
		return;
	cs_free(mx->cells);
	cs_free(mx);
}

/* The key columns of the row tried at each lookup level. */
static void tried_row(cs__out *b, const cs__service *svc, const char *domain, cs__lookup_level lv)
{
	static const char *const why[] = { "the service's own row", "the default row for its model",
					   "the provider's catch-all row" };
	const char *s = lv == CS_LOOKUP_SERVICE ? svc->sid : "*";
	const char *mo = lv == CS_LOOKUP_MODEL ? svc->model : "*";
	cs__out_printf(b, "  %s\t%s\t%s\t%s  (%s)\n", svc->provider, s, mo, domain, why[lv]);
}

static void explain_source(cs__out *b, const cs__source *s, const char *indent)
{
	cs__out_printf(b, "%ssource: %s - %s\n", indent, s->id, s->title);
	cs__out_printf(b, "%s  reference: %s\n", indent, s->reference);
	cs__out_printf(b, "%s  retrieved: %s, %s, licence %s (%s:%u)\n", indent, s->retrieved,
		      s->stale ? "STALE" : "current", s->licence, s->at.file, (unsigned)s->at.line);
}

static const char *att_status_name(cs__att_status s)
{
	static const char *const n[] = { "in_scope", "eligible", "not_in_scope", "unknown" };
	return (unsigned)s < CS_ARRAY_SIZE(n) ? n[s] : "unknown";
}

cs_err cs_model_explain(cs_buf *out, const cs_model *m, const char *service, const char *domain,
			cs_diag_sink *diag)
{
	const cs__service *svc = cs__model_service(m, service);
	const cs__domain *dom = cs__model_domain(m, domain);
	cs_err rc = CS_OK;
	if (!svc) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ENOENT, NULL, 0, 0, NULL,
			     "unknown service '%s' (provider:service as in services.tsv, e.g. aws:s3)",
			     service ? service : "");
		rc = CS_ENOENT;
	}
	if (!dom) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ENOENT, NULL, 0, 0, NULL,
			     "unknown domain '%s' (an id of data/domains.tsv)", domain ? domain : "");
		rc = CS_ENOENT;
	}
	if (rc)
		return rc;
	cs__lookup_level lv;
	cs__out o = { out, CS_OK };
	const cs__ownership *f = cs__model_lookup(m, svc, dom->id, &lv);
	cs__out_printf(&o, "%s (%s, %s, %s) x %s (%s)\n", svc->id, svc->name, svc->model,
		      svc->category, dom->id, dom->title);
	if (!f) {
		cs__out_printf(&o, "owner: unknown\n");
		cs__out_printf(&o, "No fact in ownership.tsv applies; the rows tried, in order:\n");
		for (int i = CS_LOOKUP_SERVICE; i <= CS_LOOKUP_PROVIDER; i++)
			tried_row(&o, svc, dom->id, (cs__lookup_level)i);
		cs__out_printf(&o, "Unknown stays unknown: it is not the provider's.\n");
	} else {
		cs__out_printf(&o, "owner: %s\nmode: %s\ndefault state: %s\ncustomer duty: %s\n",
			      cs_owner_name(f->owner), cs_mode_name(f->mode), cs_state_name(f->state),
			      *f->duty ? f->duty : "-");
		cs__out_printf(&o, "found by: ");
		switch (lv) {
		case CS_LOOKUP_SERVICE:
			cs__out_printf(&o, "the service's own row");
			break;
		case CS_LOOKUP_MODEL:
			cs__out_printf(&o, "the default row for %s services (no row of its own)", svc->model);
			break;
		default:
			cs__out_printf(&o, "the provider's catch-all row (no row of its own, none for %s)",
				      svc->model);
			break;
		}
		cs__out_printf(&o, ", %s:%u\n", f->at.file, (unsigned)f->at.line);
		explain_source(&o, f->source, "");
		cs__out_printf(&o, "fact as of: %s\n", f->as_of);
	}
	cs__out_printf(&o, "report date (as of): %s\n", cs__model_as_of(m));
	/* every attestation fact about the service, listed or implied */
	size_t n = 0;
	for (size_t i = 0; i < m->atts.n; i++) {
		const cs__attestation *a = m->atts.v[i];
		if (a->service != svc)
			continue;
		if (n++ == 0)
			cs__out_printf(&o, "attestations of %s:\n", svc->id);
		cs__out_printf(&o, "  %s: %s%s%s%s, as of %s, region scope %s%s\n", a->programme,
			      att_status_name(a->status), *a->qualifier ? " (" : "", a->qualifier,
			      *a->qualifier ? ")" : "", a->as_of, a->region_scope,
			      cs__attestation_stale(m, a) ? ", STALE" : "");
		if (a->implied)
			cs__out_printf(&o,
				      "    implied: the service is not named on this complete list (the '*' row at %s:%u)\n",
				      a->at.file, (unsigned)a->at.line);
		else
			cs__out_printf(&o, "    %s:%u\n", a->at.file, (unsigned)a->at.line);
		explain_source(&o, a->source, "    ");
	}
	if (!n)
		cs__out_printf(&o, "attestations of %s: none (unknown for every programme)\n", svc->id);
	return o.rc;
}
