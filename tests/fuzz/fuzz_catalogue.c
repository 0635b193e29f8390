/* fuzz_catalogue.c - libFuzzer harness for the framework catalogue loaders
 * (compliance/framework.c, compliance/oscal.c).  The first byte picks the
 * reader: 'T' a TSV requirement catalogue, 'M' controls_map.tsv, anything
 * else an OSCAL catalogue, with an optional OSCAL profile after a line
 * "%%".  Every input must load or be explained by a diagnostic, never crash,
 * and every requirement kept must have a valid parent and group. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compliance/compliance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_diag_sink sink = { 0 };
	cs_framework *fw = NULL;
	if (size < 1 || cs__framework_new(&fw, "f", "nist-800-53-r5", "F", "p", &sink))
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	cs_err rc;
	if (data[0] == 'T') {
		rc = cs__catalogue_tsv(fw, "f.tsv", text, len);
	} else if (data[0] == 'M') {
		rc = cs__controls_map(fw, "m.tsv", text, len);
	} else {
		const char *sep = NULL;
		for (size_t i = 0; i + 4 <= len && !sep; i++)
			if (memcmp(text + i, "\n%%\n", 4) == 0)
				sep = text + i;
		if (sep)
			rc = cs__catalogue_oscal(fw, "c.json", text, (size_t)(sep - text), "p.json",
						 sep + 4, len - (size_t)(sep - text) - 4);
		else
			rc = cs__catalogue_oscal(fw, "c.json", text, len, NULL, NULL, 0);
	}
	if (rc != CS_OK && rc != CS_ENOMEM && sink.errors == 0)
		abort(); /* a failure must be explained */
	for (size_t i = 0; i < fw->nreqs; i++) {
		const cs__req *r = &fw->reqs[i];
		if ((r->parent != CS_NOIDX && r->parent >= fw->nreqs) || !r->id || !r->oid ||
		    !r->title || (r->group != CS_NOIDX && r->group >= fw->ngroups))
			abort();
		if (cs__framework_find(fw, r->id) == CS_NOIDX)
			abort();
	}
	cs_framework_free(fw);
	return 0;
}
