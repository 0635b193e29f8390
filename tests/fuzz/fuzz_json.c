/* fuzz_json.c - libFuzzer harness for the JSON reader: any bytes must give a
 * value or a located diagnostic, never a crash; a parsed value must survive
 * being written back and re-read; and parsing with members skipped
 * (cs_json_opts.skip) must accept and reject exactly the same inputs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena *a = cs_arena_new(64u << 20);
	cs_diag_sink sink = { 0 };
	const cs_value *v = NULL;
	if (!a)
		return 0;
	cs_json_opts o = { .max_depth = 64 };
	static const char *const skip[] = { "a", "b[].c", "d.e", NULL };
	cs_json_opts so = { .max_depth = 64, .skip = skip };
	cs_diag_sink ssink = { 0 };
	const cs_value *sv = NULL;
	cs_err src = cs_json_parse(a, "fuzz.json", (const char *)data, size, &so, &ssink, &sv, NULL);
	cs_err prc = cs_json_parse(a, "fuzz.json", (const char *)data, size, &o, &sink, &v, NULL);
	if ((src == CS_OK) != (prc == CS_OK) || (prc != CS_OK && src != prc))
		abort(); /* skipping must not change what is valid */
	sink.errors = 0;
	if (cs_json_parse(a, "fuzz.json", (const char *)data, size, &o, &sink, &v, NULL) == CS_OK) {
		cs_buf b;
		cs_buf_init(&b, 0);
		if (cs_json_write_value(&b, v) == CS_OK) {
			const cs_value *v2 = NULL;
			cs_diag_sink s2 = { 0 };
			if (cs_json_parse(a, "again", b.data, b.len, &o, &s2, &v2, NULL) != CS_OK)
				abort(); /* what we write must read back */
		}
		cs_buf_release(&b);
	} else if (sink.errors == 0) {
		abort(); /* a failure must be explained */
	}
	cs_arena_free(a);
	return 0;
}
