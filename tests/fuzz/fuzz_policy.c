/* fuzz_policy.c - libFuzzer harness for the AWS policy parser: any bytes
 * give a compiled policy or located diagnostics, never a crash; a policy
 * that compiles is evaluated against a few fixed requests (matchers,
 * conditions and variables on arbitrary patterns).  The first byte picks
 * the policy kind; the rest is the JSON document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/iam.h"

static void eval_one(const cs_policy *p, const char *principal, const char *action,
		     const char *resource)
{
	cs_iam_policyset *ps = NULL;
	cs_iam_request *rq = NULL;
	cs_iam_trace *tr = NULL;
	if (cs_iam_policyset_new(&ps) || cs_iam_request_new(&rq) || cs_iam_trace_new(&tr))
		goto out;
	if (cs_iam_policyset_add(ps, p, 0) || cs_iam_request_principal(rq, principal) ||
	    cs_iam_request_action(rq, action) || cs_iam_request_resource(rq, resource))
		goto out;
	cs_iam_request_context(rq, "aws:SourceIp", "203.0.113.9");
	cs_iam_request_context(rq, "aws:CurrentTime", "2026-05-01T10:00:00Z");
	cs_iam_request_context(rq, "aws:TagKeys", "a");
	cs_iam_request_context(rq, "aws:TagKeys", "b");
	cs_iam_request_context(rq, "aws:PrincipalTag/team", "x*y");
	cs_iam_decision d1 = cs_iam_eval(ps, rq, tr);
	cs_iam_decision d2 = cs_iam_eval(ps, rq, NULL);
	if (d1 != d2)
		abort(); /* the trace must not change the decision */
	cs_buf b;
	cs_buf_init(&b, 1u << 24);
	cs_iam_trace_write(&b, tr, true);
	cs_iam_trace_write(&b, tr, false);
	cs_buf_release(&b);
out:
	cs_iam_trace_free(tr);
	cs_iam_request_free(rq);
	cs_iam_policyset_free(ps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	cs_policy_kind kind = (cs_policy_kind)(data[0] % 7);
	cs_diag_sink sink = { 0 };
	cs_policy *p = NULL;
	cs_err rc = cs_policy_parse(&p, kind, "fuzz.json", (const char *)data + 1, size - 1, 1, 1,
				    &sink);
	if (rc == CS_OK) {
		if (!p)
			abort();
		eval_one(p, "arn:aws:iam::111122223333:user/alice", "s3:GetObject",
			 "arn:aws:s3:::bucket/home/alice/x");
		eval_one(p, "arn:aws:sts::111122223333:assumed-role/Dev/s", "sts:AssumeRole",
			 "arn:aws:iam::444455556666:role/a/b");
		eval_one(p, "*", "kms:Decrypt", "arn:aws:kms:us-east-1:444455556666:key/k");
		cs_policy_free(p);
	} else if (rc != CS_ENOMEM && sink.errors == 0) {
		abort(); /* a refused policy must be explained */
	}
	return 0;
}
