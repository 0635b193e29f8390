/* fuzz_awsconfig.c - libFuzzer harness for the AWS Config adapter (the
 * checks are in json_adapter.h). */
#include "json_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_json_adapter(data, size, cs__awsconfig_detect, cs__awsconfig_extract);
}
