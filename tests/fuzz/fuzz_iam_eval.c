/* fuzz_iam_eval.c - libFuzzer harness for the evaluator over a whole
 * policy set.  Input: the first line is the request, "PRINCIPAL ACTION
 * RESOURCE [KEY=VALUE]..."; every further line is one policy, "K[L] JSON",
 * K the kind (0 identity, 1 resource, 2 trust, 3 boundary, 4 session,
 * 5 SCP, 6 RCP) and L an optional level digit.  Bad lines are skipped; the
 * decision must be the same with and without a trace. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/iam.h"

#define MAXP 32

static void request_line(cs_iam_request *rq, char *s)
{
	int field = 0;
	for (char *tok = s; tok && *tok; field++) {
		char *sp = strchr(tok, ' ');
		if (sp)
			*sp = 0;
		if (field == 0)
			cs_iam_request_principal(rq, tok);
		else if (field == 1)
			cs_iam_request_action(rq, tok);
		else if (field == 2)
			cs_iam_request_resource(rq, tok);
		else {
			char *eq = strchr(tok, '=');
			if (eq) {
				*eq = 0;
				if (strcmp(tok, "account") == 0)
					cs_iam_request_resource_account(rq, eq + 1);
				else
					cs_iam_request_context(rq, tok, eq + 1);
			}
		}
		tok = sp ? sp + 1 : NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	cs_policy *pols[MAXP] = { 0 };
	size_t np = 0;
	cs_iam_policyset *ps = NULL;
	cs_iam_request *rq = NULL;
	cs_iam_trace *tr = NULL;
	if (cs_iam_policyset_new(&ps) || cs_iam_request_new(&rq) || cs_iam_trace_new(&tr))
		goto out;
	char *line = text;
	bool first = true;
	while (line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (first) {
			request_line(rq, line);
			first = false;
		} else if (line[0] >= '0' && line[0] <= '6' && np < MAXP) {
			cs_policy_kind k = (cs_policy_kind)(line[0] - '0');
			unsigned level = 0;
			const char *json = line + 1;
			if (*json >= '0' && *json <= '9')
				level = (unsigned)(*json++ - '0');
			cs_diag_sink sink = { 0 };
			if (cs_policy_parse(&pols[np], k, "p", json, strlen(json), 1, 1, &sink) == CS_OK) {
				cs_iam_policyset_add(ps, pols[np], level);
				np++;
			}
		} else if (strcmp(line, "not-member") == 0) {
			cs_iam_policyset_org(ps, false, false);
		}
		line = nl ? nl + 1 : NULL;
	}
	cs_iam_decision d1 = cs_iam_eval(ps, rq, tr);
	if (d1 != cs_iam_eval(ps, rq, NULL))
		abort();
	cs_buf b;
	cs_buf_init(&b, 1u << 24);
	cs_iam_trace_write(&b, tr, false);
	cs_iam_trace_write(&b, tr, true);
	cs_buf_release(&b);
out:
	for (size_t i = 0; i < np; i++)
		cs_policy_free(pols[i]);
	cs_iam_trace_free(tr);
	cs_iam_request_free(rq);
	cs_iam_policyset_free(ps);
	free(text);
	return 0;
}
