/*
 * bench_phases.c - where `cshare audit` spends its time: runs the same steps
 * as cmd_audit.c through the public API (load mappings and checks; read,
 * parse and extract the inputs; normalize; run the checks; write the JSON
 * report into memory) and times each one.
 *
 * Usage: bench_phases HOME PATH...
 *   HOME holds data/mappings and checks (the source tree or CSHARE_HOME).
 * Prints one line: "catalogue_s=.. ingest_s=.. normalize_s=.. checks_s=..
 * report_s=.. free_s=.. total_s=.. resources=N results=M report_mb=R";
 * ingest is reading + parsing + the format adapter.  Diagnostics are
 * counted, not printed.  Exit status 1 if a step fails outright.
 */
#include <stdio.h>
#include <time.h>

#include "cshare/audit.h"
#include "cshare/inventory.h"
#include "cshare/report.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	cs_diag_sink sink = { NULL, NULL, 0, 0 };
	cs_inventory *inv = NULL;
	cs_checkset *cs = NULL;
	cs_results *res = NULL;
	cs_audit_opts ao = { CS_LEVEL_INFO, NULL, NULL, NULL };
	cs_report_opts ro = { CS_FMT_JSON, false, false, false, "bench" };
	cs_buf out;
	char path[4096];
	int ret = 0;
	double t[8];

	if (argc < 3) {
		fprintf(stderr, "usage: bench_phases HOME PATH...\n");
		return 2;
	}
	cs_buf_init(&out, 0);
	t[0] = now();
	if (cs_inventory_new(&inv, &sink) || cs_checkset_new(&cs, &sink)) {
		ret = 1;
		goto out;
	}
	cs_inventory_set_max_file(inv, (size_t)1 << 30);
	snprintf(path, sizeof path, "%s/data/mappings", argv[1]);
	cs_inventory_load_mappings(inv, path);
	snprintf(path, sizeof path, "%s/checks", argv[1]);
	cs_checkset_load_dir(cs, path);
	cs_checkset_validate(cs, inv);
	t[1] = now();
	for (int i = 2; i < argc; i++)
		if (cs_inventory_add_path(inv, argv[i]) == CS_ENOMEM) {
			ret = 1;
			goto out;
		}
	t[2] = now();
	if (cs_inventory_build(inv)) {
		ret = 1;
		goto out;
	}
	t[3] = now();
	if (cs_audit_run(cs, inv, &ao, &sink, &res) == CS_ENOMEM || !res) {
		ret = 1;
		goto out;
	}
	t[4] = now();
	if (cs_report_write(&out, res, &ro)) {
		ret = 1;
		goto out;
	}
	t[5] = now();
	size_t nres = cs_inventory_count(inv), nresults = cs_results_count(res), rlen = out.len;
	cs_buf_release(&out);
	cs_results_free(res);
	cs_checkset_free(cs);
	cs_inventory_free(inv);
	res = NULL;
	cs = NULL;
	inv = NULL;
	t[6] = now();
	printf("catalogue_s=%.4f ingest_s=%.4f normalize_s=%.4f checks_s=%.4f report_s=%.4f "
	       "free_s=%.4f total_s=%.4f resources=%zu results=%zu report_mb=%.1f diag_errors=%u "
	       "diag_warnings=%u\n",
	       t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4], t[6] - t[5],
	       t[6] - t[0], nres, nresults, (double)rlen / 1e6, sink.errors, sink.warnings);
out:
	cs_buf_release(&out);
	cs_results_free(res);
	cs_checkset_free(cs);
	cs_inventory_free(inv);
	return ret;
}
