/* fuzz_yaml.c - libFuzzer harness for the YAML loader: any bytes must give
 * documents or a located error diagnostic, never a crash, a hang or a leak;
 * every value must carry a location. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/yaml.h"

/* Every value in the tree is located (line >= 1, col >= 1). */
static void check_located(const cs_value *v, unsigned depth)
{
	if (cs_value_line(v) == 0 || cs_value_col(v) == 0)
		abort();
	if (depth > 64)
		return; /* aliases may share subtrees: bound the walk */
	size_t n = cs_value_len(v);
	for (size_t i = 0; i < n && i < 64; i++)
		check_located(cs_value_at(v, i), depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena *a = cs_arena_new(64u << 20);
	cs_diag_sink sink = { 0 };
	const cs_value *docs = NULL;
	if (!a)
		return 0;
	cs_yaml_opts o = { .max_depth = 64, .max_nodes = 100000 };
	cs_err rc = cs_yaml_parse(a, "fuzz.yaml", (const char *)data, size, &o, &sink, &docs);
	if (rc == CS_OK) {
		if (cs_value_type(docs) != CS_VARRAY)
			abort();
		for (size_t i = 0; i < cs_value_len(docs); i++)
			check_located(cs_value_at(docs, i), 0);
	} else if (sink.errors == 0 && rc != CS_ENOMEM) {
		abort(); /* a failure must be explained */
	}
	cs_arena_free(a);
	return 0;
}
