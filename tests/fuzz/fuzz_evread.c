/* fuzz_evread.c - libFuzzer harness for the on-demand event reader
 * (detect/evread.c): any bytes as a record must be accepted or rejected
 * exactly as cs_json_parse does, with the same field values as the
 * matcher's tree walk whenever the reader does not leave the record to it,
 * and exactly as the reader before its two-stage rewrite did (result,
 * error offset, fallback, values) on every stage-1 path (evread_diff.h),
 * both with a fresh reader and with one kept over every input (which
 * predicts keys from what earlier inputs taught it); never a crash. */
#include <stdint.h>
#include <stdlib.h>

#include "evread_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cs__evpaths *P;
	static cs__evread warm;
	static bool have_warm;
	if (!P && cs__evpaths_build(evdiff_fields, EVDIFF_NFIELDS, &P) != CS_OK)
		return 0;
	if (!have_warm)
		have_warm = cs__evread_init(&warm, P) == CS_OK;
	int d = evdiff_check(P, evdiff_fields, EVDIFF_NFIELDS, (const char *)data, size, NULL);
	if (d == 1 || d == 2 || d == 4)
		abort();
	if (have_warm &&
	    evdiff_warm(&warm, evdiff_fields, EVDIFF_NFIELDS, (const char *)data, size) == 4)
		abort();
	return 0;
}
