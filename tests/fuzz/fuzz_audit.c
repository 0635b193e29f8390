/*
 * fuzz_audit.c - libFuzzer harness for the whole audit path on untrusted
 * input: format detection, every adapter, the mapping step (joins,
 * defaults, coercion), every shipped check, and every report writer.  The
 * first byte picks the name the input is given (so YAML and JSON paths are
 * both reached).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/audit.h"
#include "cshare/inventory.h"
#include "cshare/report.h"

/* The check set is compiled once (validated against a catalogue-only
 * inventory that lives as long as the process); each input gets a fresh
 * inventory with the mappings.  Loading all checks per input made the
 * harness run a few inputs a second. */
static cs_checkset *shared_checks;
static cs_inventory *catalogue;

static void init_once(void)
{
	static cs_diag_sink quiet = { 0 };
	if (shared_checks)
		return;
	if (cs_inventory_new(&catalogue, &quiet) || cs_checkset_new(&shared_checks, &quiet))
		abort();
	cs_inventory_load_mappings(catalogue, CS_SOURCE_DIR "/data/mappings");
	cs_checkset_load_dir(shared_checks, CS_SOURCE_DIR "/checks");
	cs_checkset_validate(shared_checks, catalogue);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "in.yaml", "in.json", "in.template", "-" };
	cs_diag_sink sink = { 0 };
	cs_inventory *inv = NULL;
	cs_results *res = NULL;
	if (size < 1)
		return 0;
	init_once();
	if (cs_inventory_new(&inv, &sink))
		goto out;
	cs_inventory_load_mappings(inv, CS_SOURCE_DIR "/data/mappings");
	cs_inventory_add_buffer(inv, names[data[0] & 3], (const char *)data + 1, size - 1);
	if (cs_inventory_build(inv))
		goto out;
	cs_audit_opts ao = { CS_LEVEL_INFO, NULL, NULL, NULL };
	if (cs_audit_run(shared_checks, inv, &ao, &sink, &res) || !res)
		goto out;
	for (int f = CS_FMT_TEXT; f <= CS_FMT_CSV; f++) {
		cs_report_opts ro = { (cs_format)f, true, true, true, "fuzz" };
		cs_buf b;
		cs_buf_init(&b, 0);
		cs_report_write(&b, res, &ro);
		cs_buf_release(&b);
	}
out:
	cs_results_free(res);
	cs_inventory_free(inv);
	return 0;
}
