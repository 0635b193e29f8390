/* fuzz_hcl_eval.c - libFuzzer harness for the HCL evaluator and the
 * Terraform configuration reader: the input is split at lines "--- NAME"
 * into files of one root module (the first part is main.tf when it has no
 * header; a part named *.tfvars is a variable file), read in memory and
 * evaluated with a small work budget.  Anything may be diagnosed; nothing
 * may crash, hang or leak, and every raw resource must be well formed. */
#include <stdint.h>
#include <string.h>

#include "hcl/tf.h"

#define MAX_FILES 8

static void noop(void *ud, const cs_diag *d)
{
	(void)ud;
	(void)d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs__tf_memfile f[MAX_FILES];
	size_t n = 0;
	const char *p = (const char *)data, *end = p + size;
	const char *name = "main.tf";
	char names[MAX_FILES][64];
	while (p <= end && n < MAX_FILES) {
		const char *q = p;
		/* the next "\n--- " header */
		const char *h = NULL;
		for (; q + 5 <= end; q++)
			if (q[0] == '\n' && memcmp(q + 1, "--- ", 4) == 0) {
				h = q;
				break;
			}
		f[n].name = name;
		f[n].data = p;
		f[n].len = (size_t)((h ? h : end) - p);
		n++;
		if (!h || n == MAX_FILES)
			break;
		const char *nm = h + 5, *e = nm;
		while (e < end && *e != '\n' && e - nm < 60)
			e++;
		memcpy(names[n], nm, (size_t)(e - nm));
		names[n][e - nm] = 0;
		name = names[n][0] ? names[n] : "x.tf";
		p = e < end ? e + 1 : end;
	}
	cs_diag_sink sink = { noop, NULL, 0, 0 };
	cs_ingest *in = cs__ingest_new((size_t)256 << 20, &sink);
	if (!in)
		return 0;
	cs__tf_opts o;
	memset(&o, 0, sizeof o);
	o.budget = 200000;
	cs__tf_varopt vars[1] = { { false, "fuzz=1" } };
	o.vars = vars;
	o.nvars = 1;
	(void)cs__tf_extract_files(in, "/nonexistent-cshare-fuzz", f, n, &o);
	for (size_t i = 0; i < cs__ingest_count(in); i++) {
		const cs_raw *r = cs__ingest_at(in, i);
		if (!r->name || !r->type || !r->file || cs_value_type(r->props) != CS_VOBJECT)
			__builtin_trap();
	}
	cs__ingest_free(in);
	return 0;
}
