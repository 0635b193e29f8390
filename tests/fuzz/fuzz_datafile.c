/* fuzz_datafile.c - libFuzzer harness for the data file loaders
 * (docs/data-files.md): the first byte picks the file (ownership.tsv,
 * attestations.tsv, services.tsv or frameworks.tsv), the rest is its text,
 * loaded over fixed domains, sources and services.  Any bytes must load or
 * give located diagnostics; every lookup and explanation must then work. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "responsibility/model_int.h"

#define FIX CS_SOURCE_DIR "/tests/data/responsibility/good"

/* Checks every diagnostic has a file and (except unreadable files) a line. */
static void located(void *ud, const cs_diag *d)
{
	(void)ud;
	if (!d->file || (d->sev == CS_SEV_ERROR && d->line == 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cs__datafile kinds[] = { CS_DF_OWNERSHIP, CS_DF_ATTESTATIONS, CS_DF_SERVICES,
					      CS_DF_FRAMEWORKS };
	static const char *const names[] = { "ownership.tsv", "attestations.tsv", "services.tsv",
					     "frameworks.tsv" };
	cs_diag_sink sink = { located, NULL, 0, 0 };
	cs_model *m = NULL;
	if (size == 0)
		return 0;
	size_t k = data[0] % 4;
	if (cs_model_new(&m, &sink))
		return 0;
	if (cs__model_load_file(m, CS_DF_DOMAINS, FIX "/domains.tsv", NULL, 0) ||
	    cs__model_load_file(m, CS_DF_SOURCES, FIX "/responsibility/sources.tsv", NULL, 0) ||
	    (kinds[k] != CS_DF_SERVICES &&
	     cs__model_load_file(m, CS_DF_SERVICES, FIX "/responsibility/services.tsv", NULL, 0)))
		abort();
	cs_err rc = cs__model_load_file(m, kinds[k], names[k], (const char *)data + 1, size - 1);
	if (rc != CS_OK && rc != CS_ENOMEM && sink.errors == 0)
		abort();
	if (rc == CS_OK && sink.errors != 0)
		abort();
	if (cs__model_finish(m) == CS_OK) {
		cs_buf b;
		cs_buf_init(&b, 1u << 24);
		for (size_t i = 0; i < m->services.n; i++) {
			const cs__service *s = m->services.v[i];
			for (size_t j = 0; j < cs__model_domain_count(m); j++) {
				const char *dom = cs__model_domain_at(m, j)->id;
				cs__lookup_level lv;
				const cs__ownership *o = cs__model_lookup(m, s, dom, &lv);
				if ((o == NULL) != (lv == CS_LOOKUP_NONE))
					abort();
				if (cs_model_explain(&b, m, s->id, dom, &sink) != CS_OK)
					abort();
				b.len = 0;
			}
			const cs__attestation *a = cs__model_attestation(m, s, "hipaa");
			if (a && (a->service != s || !a->source))
				abort();
			for (size_t t = 0; s->idents && s->idents[t]; t++) {
				const char *colon = strchr(s->idents[t], ':');
				char pfx[16] = "";
				size_t pl = (size_t)(colon - s->idents[t]);
				if (!colon || pl >= sizeof pfx)
					abort();
				memcpy(pfx, s->idents[t], pl);
				pfx[pl] = '\0';
				if (!cs__model_service_for(m, pfx, colon + 1))
					abort(); /* a pattern claims at least its own text */
			}
		}
		cs_buf_release(&b);
	}
	cs_model_free(m);
	return 0;
}
