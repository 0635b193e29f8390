/* fuzz_credreport.c - libFuzzer harness for the IAM credential report
 * reader (CSV): any bytes must be read or diagnosed, never crash, and the
 * rows read must survive analysis (MFA and access-key findings). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/iam.h"

static void check(void *ud, const cs_iam_finding *f)
{
	(void)ud;
	if (!f->id || !f->domain || !f->subject || !f->message)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_diag_sink sink = { 0 };
	cs_iam_account *a = NULL;
	if (cs_iam_account_new(&a, NULL, &sink) != CS_OK)
		return 0;
	/* always take the CSV path: the report starts with its header */
	char *buf = cs_malloc(size + 9);
	if (!buf) {
		cs_iam_account_free(a);
		return 0;
	}
	memcpy(buf, "user,arn,", 9);
	if (size)
		memcpy(buf + 9, data, size);
	cs_err rc = cs_iam_account_add_buffer(a, "fuzz.csv", buf, size + 9);
	cs_free(buf);
	if (rc && rc != CS_ENOMEM && sink.errors == 0)
		abort();
	if (cs_iam_account_build(a) == CS_OK)
		cs_iam_account_analyze(a, 1795824000, check, NULL, NULL);
	cs_iam_account_free(a);
	return 0;
}
