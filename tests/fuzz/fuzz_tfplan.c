/* fuzz_tfplan.c - libFuzzer harness for the Terraform plan adapter (the
 * checks are in json_adapter.h). */
#include "json_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_json_adapter(data, size, cs__tfplan_detect, cs__tfplan_extract);
}
