/*
 * bench_iam.c - decisions per second of the AWS policy evaluator on one
 * core (`make bench`, issue 5: goal >= 1,000,000 per second).
 *
 * Two policy sets, built from policy text in this file:
 *  - simple: 5 identity policies of 5 statements (exact, prefix and glob
 *    actions; exact and wildcard ARNs), no conditions;
 *  - conditions: identity policies with StringLike over a policy variable,
 *    IpAddress, DateLessThan, ForAnyValue and Bool conditions, a
 *    permissions boundary, a bucket policy naming the account with a
 *    NotPrincipal deny, and SCPs at two levels.
 * Each set is evaluated for a rotating set of requests (allowed, implicitly
 * and explicitly denied) for about a second; the best of 3 rounds counts.
 *
 * Prints "iam_simple_per_s=N iam_conditions_per_s=M ..." on one line: the
 * rates per CPU second of the measuring thread (one core), then the same
 * per wall-clock second (lower when the machine is busy).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cshare/iam.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *simple_pols[] = {
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Effect\":\"Allow\",\"Action\":[\"ec2:Describe*\",\"ec2:StartInstances\"],\"Resource\":\"*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:111122223333:orders\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"arn:aws:dynamodb:*:111122223333:table/Books\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:us-east-1:111122223333:function:f-*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:111122223333:alerts\"}]}",
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::reports\",\"arn:aws:s3:::reports/*\"]},"
	"{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::uploads/*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"arn:aws:logs:*:111122223333:log-group:app*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"cloudwatch:PutMetricData\",\"Resource\":\"*\"}]}",
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Effect\":\"Allow\",\"Action\":\"iam:Get*\",\"Resource\":\"arn:aws:iam::111122223333:user/${aws:username}\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"iam:*AccessKey*\",\"Resource\":\"arn:aws:iam::111122223333:user/${aws:username}\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"arn:aws:secretsmanager:*:*:secret:app/*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameter?\",\"Resource\":\"arn:aws:ssm:*:*:parameter/app/*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\"}]}",
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"},"
	"{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"arn:aws:iam::111122223333:role/admin*\"},"
	"{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\"],\"NotResource\":\"arn:aws:s3:::secret/*\"},"
	"{\"Effect\":\"Deny\",\"Action\":\"ec2:TerminateInstances\",\"Resource\":\"*\"},"
	"{\"Effect\":\"Deny\",\"Action\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\"}]}",
	"{\"Version\":\"2012-10-17\",\"Statement\":["
	"{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::*:role/audit\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"athena:*\",\"Resource\":\"*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"glue:Get*\",\"Resource\":\"*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"s3:GetBucketLocation\",\"Resource\":\"arn:aws:s3:::*\"},"
	"{\"Effect\":\"Allow\",\"Action\":\"sqs:Receive*\",\"Resource\":\"arn:aws:sqs:*:111122223333:*\"}]}",
};

static const char *cond_pols[][2] = {
	{ "0", "{\"Version\":\"2012-10-17\",\"Statement\":["
	       "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::home\",\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"home/${aws:username}/*\",\"shared/*\"]}}},"
	       "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::home/home/${aws:username}/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"203.0.113.0/24\",\"2001:db8::/32\"]},\"DateLessThan\":{\"aws:CurrentTime\":\"2027-01-01T00:00:00Z\"}}},"
	       "{\"Effect\":\"Allow\",\"Action\":\"ec2:CreateTags\",\"Resource\":\"*\",\"Condition\":{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"team\",\"env\"]},\"StringEquals\":{\"aws:RequestTag/team\":\"${aws:PrincipalTag/team}\"}}},"
	       "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}},"
	       "{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:*\"],\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":[\"eu-west-1\",\"us-east-1\"]}}}]}" },
	{ "3", "{\"Version\":\"2012-10-17\",\"Statement\":["
	       "{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"ec2:*\",\"sqs:*\"],\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"86400\"}}},"
	       "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::secret*\"}]}" },
	{ "1", "{\"Version\":\"2012-10-17\",\"Statement\":["
	       "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::home\",\"arn:aws:s3:::home/*\"]},"
	       "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::home/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},"
	       "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"111122223333\",\"arn:aws:iam::111122223333:user/alice\"]},\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::home/*\"}]}" },
	{ "5", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}" },
	{ "5", "{\"Version\":\"2012-10-17\",\"Statement\":["
	       "{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"ec2:*\",\"iam:*\",\"sqs:*\"],\"Resource\":\"*\"},"
	       "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEqualsIfExists\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}]}" },
};

typedef struct rqdef {
	const char *principal, *action, *resource;
	const char *ctx[12][2];
} rqdef;

static const rqdef simple_rq[] = {
	{ "arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::reports/2026/q1.csv", { { 0 } } },
	{ "arn:aws:iam::111122223333:user/alice", "s3:DeleteBucket", "arn:aws:s3:::reports", { { 0 } } },
	{ "arn:aws:iam::111122223333:user/alice", "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/alice", { { 0 } } },
	{ "arn:aws:iam::111122223333:user/alice", "organizations:ListAccounts", "*", { { 0 } } },
	{ "arn:aws:iam::111122223333:user/alice", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:f-billing", { { 0 } } },
	{ "arn:aws:iam::111122223333:user/alice", "sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:111122223333:jobs", { { 0 } } },
};

static const rqdef cond_rq[] = {
	{ "arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::home/home/alice/a.txt",
	  { { "aws:SourceIp", "203.0.113.7" }, { "aws:CurrentTime", "2026-05-01T12:00:00Z" }, { "aws:MultiFactorAuthPresent", "true" },
	    { "aws:MultiFactorAuthAge", "300" }, { "aws:RequestedRegion", "eu-west-1" }, { "aws:SecureTransport", "true" },
	    { "aws:PrincipalOrgID", "o-a1b2c3d4e5" } } },
	{ "arn:aws:iam::111122223333:user/alice", "s3:ListBucket", "arn:aws:s3:::home",
	  { { "s3:prefix", "home/alice/photos/" }, { "aws:MultiFactorAuthPresent", "true" }, { "aws:MultiFactorAuthAge", "300" },
	    { "aws:RequestedRegion", "us-east-1" }, { "aws:PrincipalOrgID", "o-a1b2c3d4e5" } } },
	{ "arn:aws:iam::111122223333:user/alice", "ec2:CreateTags", "arn:aws:ec2:eu-west-1:111122223333:instance/i-1",
	  { { "aws:TagKeys", "team" }, { "aws:TagKeys", "env" }, { "aws:RequestTag/team", "blue" }, { "aws:PrincipalTag/team", "blue" },
	    { "aws:MultiFactorAuthPresent", "true" }, { "aws:MultiFactorAuthAge", "300" }, { "aws:RequestedRegion", "eu-west-1" },
	    { "aws:PrincipalOrgID", "o-a1b2c3d4e5" } } },
	{ "arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::home/home/bob/a.txt",
	  { { "aws:SourceIp", "198.51.100.1" }, { "aws:MultiFactorAuthPresent", "true" }, { "aws:RequestedRegion", "ap-south-1" } } },
	{ "arn:aws:iam::111122223333:user/alice", "s3:DeleteObject", "arn:aws:s3:::home/x",
	  { { "aws:MultiFactorAuthAge", "300" }, { "aws:SecureTransport", "false" } } },
};

static int build_requests(const rqdef *defs, size_t n, cs_iam_request **out)
{
	for (size_t i = 0; i < n; i++) {
		if (cs_iam_request_new(&out[i]) || cs_iam_request_principal(out[i], defs[i].principal) ||
		    cs_iam_request_action(out[i], defs[i].action) ||
		    cs_iam_request_resource(out[i], defs[i].resource))
			return 1;
		for (size_t k = 0; k < 12 && defs[i].ctx[k][0]; k++)
			if (cs_iam_request_context(out[i], defs[i].ctx[k][0], defs[i].ctx[k][1]))
				return 1;
	}
	return 0;
}

/* Best decisions per CPU second of this thread (one core, whatever else
 * the machine runs) over 3 rounds of about a CPU second each; *wall gets
 * the same round's rate per wall-clock second. */
static double measure(const cs_iam_policyset *ps, cs_iam_request **rq, size_t nrq,
		      unsigned long *allowed, double *wall)
{
	double best = 0;
	for (int round = 0; round < 3; round++) {
		unsigned long n = 0, ok = 0;
		double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), w0 = clock_s(CLOCK_MONOTONIC), t;
		do {
			for (int k = 0; k < 10000; k++) {
				ok += cs_iam_eval(ps, rq[n % nrq], NULL) == CS_IAM_ALLOW;
				n++;
			}
			t = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
		} while (t < 1.0);
		if ((double)n / t > best) {
			best = (double)n / t;
			*wall = (double)n / (clock_s(CLOCK_MONOTONIC) - w0);
		}
		*allowed = ok;
	}
	return best;
}

int main(void)
{
	cs_diag_sink sink = { 0 };
	cs_policy *sp[8] = { 0 }, *cp[8] = { 0 };
	cs_iam_policyset *sset = NULL, *cset = NULL;
	cs_iam_request *srq[8] = { 0 }, *crq[8] = { 0 };
	int rc = 1;
	if (cs_iam_policyset_new(&sset) || cs_iam_policyset_new(&cset))
		goto out;
	for (size_t i = 0; i < sizeof simple_pols / sizeof simple_pols[0]; i++) {
		if (cs_policy_parse(&sp[i], CS_POLICY_IDENTITY, "simple", simple_pols[i],
				    strlen(simple_pols[i]), 1, 1, &sink) ||
		    cs_iam_policyset_add(sset, sp[i], 0)) {
			fprintf(stderr, "bench_iam: simple policy %zu does not parse\n", i);
			goto out;
		}
	}
	unsigned scp_level = 0;
	for (size_t i = 0; i < sizeof cond_pols / sizeof cond_pols[0]; i++) {
		cs_policy_kind k = (cs_policy_kind)(cond_pols[i][0][0] - '0');
		if (cs_policy_parse(&cp[i], k, "cond", cond_pols[i][1], strlen(cond_pols[i][1]), 1,
				    1, &sink) ||
		    cs_iam_policyset_add(cset, cp[i], k == CS_POLICY_SCP ? scp_level++ : 0)) {
			fprintf(stderr, "bench_iam: condition policy %zu does not parse\n", i);
			goto out;
		}
	}
	size_t ns = sizeof simple_rq / sizeof simple_rq[0], nc = sizeof cond_rq / sizeof cond_rq[0];
	if (build_requests(simple_rq, ns, srq) || build_requests(cond_rq, nc, crq)) {
		fprintf(stderr, "bench_iam: bad request\n");
		goto out;
	}
	/* what each request decides (a: allow, i: implicit deny, e: explicit
	 * deny): the rotation mixes all three */
	char sd[9] = { 0 }, cd[9] = { 0 };
	for (size_t i = 0; i < ns; i++)
		sd[i] = cs_iam_decision_name(cs_iam_eval(sset, srq[i], NULL))[0];
	for (size_t i = 0; i < nc; i++)
		cd[i] = cs_iam_decision_name(cs_iam_eval(cset, crq[i], NULL))[0];
	unsigned long sa = 0, ca = 0;
	double sw = 0, cw = 0;
	double s = measure(sset, srq, ns, &sa, &sw);
	double c = measure(cset, crq, nc, &ca, &cw);
	printf("iam_simple_per_s=%.0f iam_conditions_per_s=%.0f iam_simple_wall_per_s=%.0f iam_conditions_wall_per_s=%.0f simple_decisions=%s condition_decisions=%s\n",
	       s, c, sw, cw, sd, cd);
	rc = 0;
out:
	for (size_t i = 0; i < 8; i++) {
		cs_iam_request_free(srq[i]);
		cs_iam_request_free(crq[i]);
		cs_policy_free(sp[i]);
		cs_policy_free(cp[i]);
	}
	cs_iam_policyset_free(sset);
	cs_iam_policyset_free(cset);
	return rc;
}
