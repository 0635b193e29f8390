/* fuzz_authdetails.c - libFuzzer harness for the account model's JSON
 * inputs (get-account-authorization-details pages, organization files,
 * get-credential-report JSON): any bytes must be read or diagnosed, never
 * crash; what was read must build (policies compiled, names resolved) and
 * survive can/analyze. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/iam.h"

static cs_iam_catalog *cat;

static void noop(void *ud, const cs_iam_finding *f)
{
	(void)ud;
	if (!f->id || !f->domain || !f->subject || !f->message)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_diag_sink sink = { 0 };
	cs_iam_account *a = NULL;
	if (!cat) {
		cs_diag_sink quiet = { 0 };
		if (cs_iam_catalog_load(&cat, CS_SOURCE_DIR "/data/iam", &quiet) != CS_OK)
			abort();
	}
	if (cs_iam_account_new(&a, cat, &sink) != CS_OK)
		return 0;
	cs_err rc = cs_iam_account_add_buffer(a, "fuzz.json", (const char *)data, size);
	if (rc && rc != CS_ENOMEM && sink.errors == 0)
		abort(); /* a failure must be explained */
	if (cs_iam_account_build(a) == CS_OK) {
		size_t n = 0;
		cs_iam_account_analyze(a, 1795824000, noop, NULL, &n);
		cs_iam_account_who_can(a, "s3:GetObject", "arn:aws:s3:::b/k", NULL, 0, NULL, NULL,
				       &n);
	}
	cs_iam_account_free(a);
	return 0;
}
