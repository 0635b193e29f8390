/*
 * iam/respolicy.c - resource-based policies from an inventory's inputs:
 * S3 bucket policies, KMS key policies, SQS queue and SNS topic policies,
 * Secrets Manager resource policies, ECR repository policies and Lambda
 * permissions, from CloudFormation templates, Terraform plans and AWS
 * Config snapshots.  The inventory's raw resources are read (not only the
 * normalized ones) because the policy-only types (AWS::SQS::QueuePolicy,
 * aws_lambda_permission, ...) are not normalized kinds; this uses the
 * ingest part's internal view (ingest/model.h), which is inside libcshare.
 *
 * A policy is a JSON object (CloudFormation) or a JSON string (Terraform,
 * AWS Config).  A Lambda permission is not a policy document: it is turned
 * into the one statement AWS adds to the function's policy (Lambda
 * Developer Guide, "Viewing resource-based IAM policies in Lambda").
 */
#include <string.h>

#include "account_int.h"
#include "../ingest/model.h"

/* Where the policy and its target are, per input type. */
typedef struct rp_map {
	const char *format; /* NULL: any */
	const char *type;
	const char *policy;  /* member holding the policy; NULL: the Lambda synthesis */
	const char *target;  /* member naming the resource (string or list); NULL: the resource itself */
	const char *supp;    /* AWS Config: member of supplementaryConfiguration holding it */
	const char *kind;
	const char *service;
} rp_map;

static const rp_map maps[] = {
	{ "cloudformation", "AWS::S3::BucketPolicy", "PolicyDocument", "Bucket", NULL, "aws.s3.bucket", "s3" },
	{ "cloudformation", "AWS::SQS::QueuePolicy", "PolicyDocument", "Queues", NULL, "aws.sqs.queue", "sqs" },
	{ "cloudformation", "AWS::SNS::TopicPolicy", "PolicyDocument", "Topics", NULL, "aws.sns.topic", "sns" },
	{ "cloudformation", "AWS::KMS::Key", "KeyPolicy", NULL, NULL, "aws.kms.key", "kms" },
	{ "cloudformation", "AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", "SecretId", NULL, "aws.secretsmanager.secret", "secretsmanager" },
	{ "cloudformation", "AWS::ECR::Repository", "RepositoryPolicyText", NULL, NULL, "aws.ecr.repository", "ecr" },
	{ "cloudformation", "AWS::Lambda::Permission", NULL, "FunctionName", NULL, "aws.lambda.function", "lambda" },
	{ "terraform-plan", "aws_s3_bucket_policy", "policy", "bucket", NULL, "aws.s3.bucket", "s3" },
	{ "terraform-plan", "aws_s3_bucket", "policy", NULL, NULL, "aws.s3.bucket", "s3" },
	{ "terraform-plan", "aws_sqs_queue", "policy", NULL, NULL, "aws.sqs.queue", "sqs" },
	{ "terraform-plan", "aws_sqs_queue_policy", "policy", "queue_url", NULL, "aws.sqs.queue", "sqs" },
	{ "terraform-plan", "aws_sns_topic", "policy", NULL, NULL, "aws.sns.topic", "sns" },
	{ "terraform-plan", "aws_sns_topic_policy", "policy", "arn", NULL, "aws.sns.topic", "sns" },
	{ "terraform-plan", "aws_kms_key", "policy", NULL, NULL, "aws.kms.key", "kms" },
	{ "terraform-plan", "aws_secretsmanager_secret", "policy", NULL, NULL, "aws.secretsmanager.secret", "secretsmanager" },
	{ "terraform-plan", "aws_secretsmanager_secret_policy", "policy", "secret_arn", NULL, "aws.secretsmanager.secret", "secretsmanager" },
	{ "terraform-plan", "aws_ecr_repository_policy", "policy", "repository", NULL, "aws.ecr.repository", "ecr" },
	{ "terraform-plan", "aws_lambda_permission", NULL, "function_name", NULL, "aws.lambda.function", "lambda" },
	{ "aws-config", "AWS::S3::Bucket", "policyText", NULL, "BucketPolicy", "aws.s3.bucket", "s3" },
	{ "aws-config", "AWS::SQS::Queue", "Policy", NULL, NULL, "aws.sqs.queue", "sqs" },
	{ "aws-config", "AWS::SNS::Topic", "Policy", NULL, NULL, "aws.sns.topic", "sns" },
};

/* The text of a string value, or the resource name an unknown refers to
 * ("ref:MyQueue" -> "MyQueue"), or NULL. */
static const char *text_of(cs_iam_account *a, const cs_value *v)
{
	if (!v)
		return NULL;
	if (cs_value_type(v) == CS_VARRAY)
		v = cs_value_len(v) ? cs_value_at(v, 0) : NULL;
	if (!v)
		return NULL;
	cs_str s = cs_value_str(v);
	if (cs_value_type(v) == CS_VUNKNOWN) {
		if (s.len > 4 && memcmp(s.ptr, "ref:", 4) == 0)
			return cs_arena_strndup(a->arena, s.ptr + 4, s.len - 4);
		return NULL;
	}
	if (cs_value_type(v) != CS_VSTRING || s.len == 0)
		return NULL;
	return cs_arena_strndup(a->arena, s.ptr, s.len);
}

/* An ARN for the resource when the input determines it. */
static const char *arn_for(cs_iam_account *a, const rp_map *m, const cs_raw *r, const char *t)
{
	if (r->arn && !m->target)
		return r->arn;
	if (!t)
		return NULL;
	if (strncmp(t, "arn:", 4) == 0)
		return t;
	if (strcmp(m->service, "s3") == 0)
		return cs_arena_printf(a->arena, "arn:aws:s3:::%s", t);
	if (strcmp(m->service, "sqs") == 0 && strncmp(t, "https://sqs.", 12) == 0) {
		/* https://sqs.REGION.amazonaws.com/ACCOUNT/NAME */
		const char *reg = t + 12, *dot = strchr(reg, '.');
		const char *slash = dot ? strchr(dot, '/') : NULL;
		const char *slash2 = slash ? strchr(slash + 1, '/') : NULL;
		if (dot && slash && slash2 && slash2[1])
			return cs_arena_printf(a->arena, "arn:aws:sqs:%.*s:%.*s:%s", (int)(dot - reg),
					       reg, (int)(slash2 - slash - 1), slash + 1, slash2 + 1);
	}
	if (r->region && r->account && strcmp(m->service, "lambda") == 0)
		return cs_arena_printf(a->arena, "arn:aws:lambda:%s:%s:function:%s", r->region,
				       r->account, t);
	return NULL;
}

/* A member by name with a fixed set of cs_member entries. */
static cs_value *obj(cs_arena *ar, cs_member *m, size_t n, uint32_t line, uint32_t col)
{
	return cs__v_object(ar, m, n, line, col);
}

/* The statement AWS adds for a Lambda permission (AddPermission):
 * Principal (an account, ARN, service or "*"), Action, Resource (the
 * function), and SourceArn / SourceAccount / PrincipalOrgID conditions. */
static const cs_value *lambda_statement(cs_iam_account *a, const cs_raw *r, const char *farn,
					bool tf)
{
	cs_arena *ar = a->arena;
	uint32_t l = r->line, c = r->col;
	const cs_value *pr = cs_value_get(r->props, tf ? "principal" : "Principal");
	const cs_value *act = cs_value_get(r->props, tf ? "action" : "Action");
	const cs_value *sarn = cs_value_get(r->props, tf ? "source_arn" : "SourceArn");
	const cs_value *sacc = cs_value_get(r->props, tf ? "source_account" : "SourceAccount");
	const cs_value *org = cs_value_get(r->props, tf ? "principal_org_id" : "PrincipalOrgID");
	if (!pr || cs_value_type(pr) != CS_VSTRING || !act || cs_value_type(act) != CS_VSTRING)
		return NULL;
	cs_str ps = cs_value_str(pr);
	const char *pkey = "AWS";
	for (size_t i = 0; i + 14 <= ps.len; i++)
		if (memcmp(ps.ptr + i, ".amazonaws.com", 14) == 0)
			pkey = "Service";
	cs_value *principal = (cs_value *)pr;
	if (!(ps.len == 1 && ps.ptr[0] == '*')) {
		cs_member pm = { cs_str_c(pkey), (cs_value *)pr, l, c };
		principal = obj(ar, &pm, 1, l, c);
	}
	cs_member conds[3];
	size_t nc = 0;
	cs_member arnlike[1], streq[2];
	size_t neq = 0;
	if (sarn && cs_value_type(sarn) != CS_VNULL)
		arnlike[0] = (cs_member){ CS_STR_LIT("AWS:SourceArn"), (cs_value *)sarn, l, c };
	if (sacc && cs_value_type(sacc) != CS_VNULL)
		streq[neq++] = (cs_member){ CS_STR_LIT("AWS:SourceAccount"), (cs_value *)sacc, l, c };
	if (org && cs_value_type(org) != CS_VNULL)
		streq[neq++] = (cs_member){ CS_STR_LIT("aws:PrincipalOrgID"), (cs_value *)org, l, c };
	if (sarn && cs_value_type(sarn) != CS_VNULL)
		conds[nc++] = (cs_member){ CS_STR_LIT("ArnLike"), obj(ar, arnlike, 1, l, c), l, c };
	if (neq)
		conds[nc++] = (cs_member){ CS_STR_LIT("StringEquals"), obj(ar, streq, neq, l, c), l, c };
	cs_member st[6];
	size_t ns = 0;
	st[ns++] = (cs_member){ CS_STR_LIT("Effect"), cs__v_str(ar, CS_STR_LIT("Allow"), l, c), l, c };
	st[ns++] = (cs_member){ CS_STR_LIT("Principal"), principal, l, c };
	st[ns++] = (cs_member){ CS_STR_LIT("Action"), (cs_value *)act, l, c };
	st[ns++] = (cs_member){ CS_STR_LIT("Resource"),
				cs__v_strdup(ar, farn ? farn : "*", strlen(farn ? farn : "*"), l, c), l, c };
	if (nc)
		st[ns++] = (cs_member){ CS_STR_LIT("Condition"), obj(ar, conds, nc, l, c), l, c };
	for (size_t i = 0; i < ns; i++)
		if (!st[i].val)
			return NULL;
	cs_value *stmt = obj(ar, st, ns, l, c);
	cs_value *list = stmt ? cs__v_array(ar, &stmt, 1, l, c) : NULL;
	cs_member doc[2] = {
		{ CS_STR_LIT("Version"), cs__v_str(ar, CS_STR_LIT("2012-10-17"), l, c), l, c },
		{ CS_STR_LIT("Statement"), list, l, c },
	};
	if (!doc[0].val || !list)
		return NULL;
	return obj(ar, doc, 2, l, c);
}

/* Whether a policy value holds a value known only at deployment (a
 * CloudFormation !Sub, !GetAtt or parameter, a Terraform value known
 * after apply) anywhere inside. */
static bool has_unknown(const cs_value *v, unsigned depth)
{
	if (!v || depth > 64)
		return false;
	switch (cs_value_type(v)) {
	case CS_VUNKNOWN:
		return true;
	case CS_VARRAY:
	case CS_VOBJECT:
		for (size_t i = 0; i < cs_value_len(v); i++)
			if (has_unknown(cs_value_type(v) == CS_VARRAY ? cs_value_at(v, i)
								      : v->u.obj.m[i].val,
					depth + 1))
				return true;
		return false;
	default:
		return false;
	}
}

static cs_err add_one(cs_iam_account *a, const rp_map *m, const cs_raw *r)
{
	const cs_value *props = r->props;
	if (m->supp) {
		const cs_value *s = cs_value_get(props, "supplementaryConfiguration");
		props = s ? cs_value_get(s, m->supp) : NULL;
	} else if (strcmp(r->format, "aws-config") == 0) {
		props = cs_value_get(props, "configuration");
	}
	if (!props)
		return CS_OK;
	const char *target = m->target ? text_of(a, cs_value_get(props, m->target)) : NULL;
	const char *arn = arn_for(a, m, r, target);
	const cs_value *pv = m->policy ? cs_value_get(props, m->policy) : NULL;
	if (m->policy && (!pv || cs_value_type(pv) == CS_VNULL))
		return CS_OK; /* no policy on this resource */
	cs__iam_respolicy *rp = cs_arena_alloc(a->arena, sizeof(*rp));
	if (!rp)
		return cs_arena_error(a->arena);
	memset(rp, 0, sizeof(*rp));
	rp->kind = m->kind;
	rp->service = m->service;
	rp->name = target ? target : r->name;
	rp->arn = arn;
	rp->account = r->account;
	rp->raw = r;
	if (pv && has_unknown(pv, 0)) {
		/* a document with values known only at deployment cannot be
		 * compiled exactly: its verdicts are unknown, not input errors */
		cs_diag_emit(a->diag, CS_SEV_NOTE, CS_OK, r->file, cs_value_line(pv), cs_value_col(pv),
			     NULL, "%s %s: its policy is not known from this input; not analysed",
			     r->type, r->name);
		/* kept without a document: the audit reports it as undecided */
		rp->doc.file = r->file;
		rp->doc.line = cs_value_line(pv);
		rp->doc.col = cs_value_col(pv);
		return cs__ptrvec_push(&a->respolicies, rp);
	}
	const char *name = cs_arena_printf(a->arena, "%s %s policy", r->type, r->name);
	if (!name)
		return cs_arena_error(a->arena);
	if (!m->policy) {
		bool tf = strcmp(r->format, "terraform-plan") == 0;
		const cs_value *doc = lambda_statement(a, r, arn, tf);
		if (!doc) {
			cs_diag_emit(a->diag, CS_SEV_NOTE, CS_OK, r->file, r->line, r->col, NULL,
				     "%s %s: Principal or Action not known from this input; not analysed",
				     r->type, r->name);
			return cs_arena_error(a->arena);
		}
		pv = doc;
		if (has_unknown(pv, 0)) {
			cs_diag_emit(a->diag, CS_SEV_NOTE, CS_OK, r->file, r->line, r->col, NULL,
				     "%s %s: its statement depends on values known at deployment; not analysed",
				     r->type, r->name);
			rp->doc.file = r->file;
			rp->doc.line = r->line;
			rp->doc.col = r->col;
			return cs__ptrvec_push(&a->respolicies, rp);
		}
	}
	cs_err rc = cs__iam_doc_read(a, &rp->doc, r->file, pv, name);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	/* an unreadable policy (diagnosed) is kept without a document */
	return cs__ptrvec_push(&a->respolicies, rp);
}

cs_err cs_iam_account_add_inventory(cs_iam_account *a, const cs_inventory *inv)
{
	cs_err rc = CS_OK;
	if (a->built) {
		cs_diag_emit(a->diag, CS_SEV_ERROR, CS_EINVAL, NULL, 0, 0, NULL,
			     "inventory added after the account model was built");
		return CS_EINVAL;
	}
	size_t n = cs__ingest_count(inv->in);
	for (size_t i = 0; !rc && i < n; i++) {
		const cs_raw *r = cs__ingest_at(inv->in, i);
		for (size_t k = 0; !rc && k < CS_ARRAY_SIZE(maps); k++)
			if (strcmp(maps[k].type, r->type) == 0 &&
			    (!maps[k].format || strcmp(maps[k].format, r->format) == 0))
				rc = add_one(a, &maps[k], r);
	}
	return rc;
}
