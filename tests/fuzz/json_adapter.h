/* json_adapter.h - the body shared by the harnesses of adapters that read
 * JSON documents (Terraform plan, AWS Config): any bytes are read as JSON
 * and, when that succeeds, extracted; the adapter must never crash, every
 * failure must be explained by a diagnostic, and every raw resource it adds
 * must be complete. */
#ifndef CS_FUZZ_JSON_ADAPTER_H
#define CS_FUZZ_JSON_ADAPTER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"
#include "ingest/raw.h"

static int fuzz_json_adapter(const uint8_t *data, size_t size, bool (*detect)(const cs_value *),
			     cs_err (*extract)(cs_ingest *, const char *, const cs_value *))
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
	(void)detect(root);
	cs_err rc = extract(in, "fuzz.json", root);
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

#endif
