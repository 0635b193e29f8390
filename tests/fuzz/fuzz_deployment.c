/* fuzz_deployment.c - libFuzzer harness for the deployment file loader
 * (docs/deployment.md): any bytes must give a deployment or a located error,
 * never a crash, a hang or a leak; a loaded deployment is resolved against a
 * fixed inventory and its matrix written in every format. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/inventory.h"
#include "responsibility/model_int.h"

#define FIX CS_SOURCE_DIR "/tests/data/responsibility"

static cs_model *model;
static cs_inventory *inv;
static cs_diag_sink quiet;

/* The model and the inventory are read once: they are not what is fuzzed. */
static void setup(void)
{
	if (model)
		return;
	if (cs_model_new(&model, &quiet) || cs_model_load_dir(model, FIX "/good") ||
	    cs_model_set_as_of(model, "2026-06-01"))
		abort();
	if (cs_inventory_new(&inv, &quiet) ||
	    cs_inventory_load_mappings(inv, CS_SOURCE_DIR "/data/mappings") == CS_ENOMEM ||
	    cs_inventory_add_path(inv, FIX "/deploy/template.yaml") ||
	    cs_inventory_build(inv))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_diag_sink sink = { 0 };
	cs_deployment *d = NULL;
	cs_matrix *mx = NULL;
	setup();
	cs_err rc = cs__deployment_load_buffer(&d, model, "fuzz/cshare.yaml", (const char *)data,
					       size, &sink);
	if (rc != CS_OK && rc != CS_ENOMEM && sink.errors == 0)
		abort(); /* a failure must be explained */
	if (rc == CS_OK && sink.errors != 0)
		abort(); /* errors must be reported as such */
	if (d) {
		if (cs_deployment_resolve(d, inv) == CS_OK && cs_matrix_build(model, d, &mx) == CS_OK) {
			for (int f = CS_MX_TEXT; f <= CS_MX_HTML; f++) {
				cs_buf b;
				cs_buf_init(&b, 1u << 24);
				cs_matrix_opts o = { (cs_matrix_format)f, f == CS_MX_TEXT, "fuzz" };
				if (cs_matrix_write(&b, mx, &o) != CS_OK)
					abort();
				cs_buf_release(&b);
			}
		}
		const struct cs__deployment_view *v = cs__deployment_view(d);
		for (size_t i = 0; i < v->nassumptions; i++)
			if (v->assumptions[i].at.line == 0)
				abort(); /* every assumption is located */
	}
	cs_matrix_free(mx);
	cs_deployment_free(d);
	return 0;
}
