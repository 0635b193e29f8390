/* fuzz_cfn.c - libFuzzer harness for the CloudFormation adapter: the input
 * is read as JSON when it starts with '{', else as YAML; a template that
 * parses must be extracted without a crash, a hang or a leak, and every raw
 * resource must be complete and located. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"
#include "cshare/yaml.h"
#include "ingest/raw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_diag_sink sink = { 0 };
	cs_ingest *in = cs__ingest_new(64u << 20, &sink);
	const cs_value *root = NULL, *docs = NULL;
	cs_err rc;
	if (!in)
		return 0;
	size_t i = 0;
	while (i < size && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	if (i < size && data[i] == '{') {
		cs_json_opts jo = { .max_depth = 64 };
		rc = cs_json_parse(cs__ingest_arena(in), "fuzz.json", (const char *)data, size, &jo,
				   &sink, &root, NULL);
	} else {
		cs_yaml_opts yo = { .max_depth = 64, .max_nodes = 100000 };
		rc = cs_yaml_parse(cs__ingest_arena(in), "fuzz.yaml", (const char *)data, size, &yo,
				   &sink, &docs);
		root = cs_value_at(docs, 0);
	}
	if (rc == CS_OK && root) {
		(void)cs__cfn_detect(root);
		unsigned before = sink.errors;
		rc = cs__cfn_extract(in, "fuzz", root);
		if (rc != CS_OK && rc != CS_ENOMEM && sink.errors == before)
			abort(); /* a failure must be explained */
		for (size_t k = 0; k < cs__ingest_count(in); k++) {
			const cs_raw *r = cs__ingest_at(in, k);
			if (!r->type || !r->name || !r->line || r->end_line < r->line ||
			    strcmp(r->format, "cloudformation") != 0)
				abort();
		}
	}
	cs__ingest_free(in);
	return 0;
}
