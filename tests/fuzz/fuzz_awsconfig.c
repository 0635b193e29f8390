/* fuzz_awsconfig.c - libFuzzer harness for the AWS Config adapter: any bytes are read
 * as JSON and, when that succeeds, extracted; the adapter must never crash,
 * every failure must be explained by a diagnostic, and every raw resource
 * it adds must be complete. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"
#include "ingest/raw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_diag_sink sink = { 0 };
	cs_ingest *in = cs__ingest_new(64u << 20, &sink);
	const cs_value *root = NULL;
	cs_json_opts o = { .max_depth = 128 };
	if (!in)
		return 0;
	if (cs_json_parse(cs__ingest_arena(in), "fuzz.json", (const char *)data, size, &o, &sink,
			  &root, NULL) != CS_OK)
		goto out;
	(void)cs__awsconfig_detect(root);
	cs_err rc = cs__awsconfig_extract(in, "fuzz.json", root);
	if (rc != CS_OK && rc != CS_ENOMEM && rc != CS_ELIMIT && rc != CS_ETYPE)
		abort(); /* outside the adapter contract */
	if (rc == CS_ETYPE && sink.errors == 0)
		abort(); /* a rejected document must be explained */
	for (size_t i = 0; i < cs__ingest_count(in); i++) {
		const cs_raw *r = cs__ingest_at(in, i);
		if (!r->type || !r->name || !r->format || !r->line ||
		    cs_value_type(r->props) != CS_VOBJECT)
			abort();
	}
out:
	cs__ingest_free(in);
	return 0;
}
