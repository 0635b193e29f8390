/* fuzz_sigma_condition.c - libFuzzer harness for the Sigma condition
 * compiler: any text either compiles into a well-formed program (every op
 * has its operands; exactly one result) or is diagnosed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t ops[4][1] = { { CS__OP(CS__OP_TEST, 0) }, { CS__OP(CS__OP_TEST, 1) },
				      { CS__OP(CS__OP_TEST, 2) }, { CS__OP(CS__OP_TEST, 3) } };
	const cs__sel sels[4] = {
		{ "selection", { ops[0], 1, 1 } },
		{ "filter_main", { ops[1], 1, 1 } },
		{ "filter_optional_x", { ops[2], 1, 1 } },
		{ "_helper", { ops[3], 1, 1 } },
	};
	cs_diag_sink sink = { 0 };
	cs__prog p = { 0 };
	cs_err rc = cs__cond_compile(&sink, "fuzz", 1, 1, NULL, (const char *)data, size, sels, 4,
				     &p);
	if (rc == CS_OK) {
		size_t sp = 0;
		for (size_t i = 0; i < p.n; i++) {
			uint32_t op = p.ops[i], a = CS__OP_ARG(op);
			switch (CS__OP_CODE(op)) {
			case CS__OP_TEST:
				if (a > 3)
					abort();
				sp++;
				break;
			case CS__OP_NOT:
				if (sp < 1)
					abort();
				break;
			case CS__OP_AND:
			case CS__OP_OR:
				if (a < 2 || sp < a)
					abort();
				sp -= a - 1;
				break;
			default:
				abort();
			}
		}
		if (sp != 1)
			abort();
	} else if (sink.errors + sink.warnings == 0 && rc != CS_ENOMEM) {
		abort();
	}
	cs_free(p.ops);
	return 0;
}
