/*
 * iam/subjects.c - what the analysis examined, for `cshare audit`: the
 * principals, policies, trust policies, resource policies and credential
 * facts each kind of finding is about, with where each is defined and
 * whether the input lets the analysis decide about it at all.  An audit
 * check over IAM findings (docs/checks.md, `source: iam-analysis`) fails a
 * subject with the finding, passes one without it, and is unknown for a
 * subject the analysis could not decide.
 */
#include <stdio.h>
#include <string.h>

#include "account_int.h"
#include "policy_int.h"
#include "../ingest/raw.h"

static const struct {
	const char *name, *kind;
} sclasses[CS__IAM_S_N] = {
	[CS__IAM_S_PRINCIPALS] = { "principals", "aws.iam.principal" },
	[CS__IAM_S_TRUST] = { "trust-policies", "aws.iam.role" },
	[CS__IAM_S_POLICIES] = { "policies", "aws.iam.policy" },
	[CS__IAM_S_RESOURCE] = { "resource-policies", "aws.iam.resource_policy" },
	[CS__IAM_S_USER_MFA] = { "user-mfa", "aws.iam.user" },
	[CS__IAM_S_USER_KEYS] = { "user-access-keys", "aws.iam.user" },
	[CS__IAM_S_ROOT_MFA] = { "root-mfa", "aws.iam.root_user" },
	[CS__IAM_S_ROOT_KEYS] = { "root-access-keys", "aws.iam.root_user" },
};

#define AUTHDETAILS "aws-iam-authorization-details"
#define CREDREPORT "aws-iam-credential-report"

int cs__iam_sclass_parse(const char *s)
{
	for (int i = 0; i < CS__IAM_S_N; i++)
		if (strcmp(s, sclasses[i].name) == 0)
			return i;
	return -1;
}

const char *cs__iam_sclass_kind(cs__iam_sclass c)
{
	return (unsigned)c < CS__IAM_S_N ? sclasses[c].kind : NULL;
}

void cs__iam_account_set_catalog(cs_iam_account *a, const cs_iam_catalog *cat)
{
	a->cat = cat;
}

/* Why a principal's identity policies are not all known (its own and its
 * groups'), or NULL.  Missing policies could allow more than the analysis
 * saw, so "not admin, no escalation" cannot be decided. */
static const char *incomplete(const cs__iam_principal *p, unsigned depth)
{
	for (size_t i = 0; i < p->ninl; i++)
		if (!p->inl[i].pol)
			return "an inline policy could not be read";
	for (size_t i = 0; i < p->nattached; i++) {
		if (!p->managed || !p->managed[i])
			return "an attached managed policy is not in the input";
		if (!p->managed[i]->doc.pol)
			return "an attached managed policy could not be read";
	}
	for (size_t g = 0; g < p->ngroups; g++) {
		if (!p->groups || !p->groups[g])
			return "a group it belongs to is not in the input";
		const char *why = depth < 2 ? incomplete(p->groups[g], depth + 1) : NULL;
		if (why)
			return why;
	}
	return NULL;
}

static const char *principal_type(const cs__iam_principal *p)
{
	return p->kind == CS__IAM_USER ? "User" : p->kind == CS__IAM_GROUP ? "Group" : "Role";
}

static cs_err principals(const cs_iam_account *a, bool trust,
			 cs_err (*fn)(void *ud, const cs__iam_subject *s), void *ud)
{
	cs_err rc = CS_OK;
	const cs_ptrvec *pvs[] = { &a->users, &a->roles };
	for (size_t k = trust ? 1 : 0; !rc && k < 2; k++)
		for (size_t i = 0; !rc && i < pvs[k]->n; i++) {
			const cs__iam_principal *p = pvs[k]->v[i];
			if (p->service_linked || !p->arn)
				continue;
			cs__iam_subject s = { p->arn, p->arn, k ? "aws.iam.role" : "aws.iam.user",
					      AUTHDETAILS, principal_type(p), p->arn, p->file, p->line,
					      p->col, NULL };
			if (trust) {
				if (!p->trust.pol)
					s.undecided = "its trust policy is not in the input or could not be read";
				if (p->trust.line) {
					s.line = p->trust.line;
					s.col = p->trust.col;
				}
			} else {
				s.undecided = incomplete(p, 0);
			}
			rc = fn(ud, &s);
		}
	return rc;
}

static cs_err policies(const cs_iam_account *a, cs_err (*fn)(void *ud, const cs__iam_subject *s),
		       void *ud)
{
	cs_err rc = CS_OK;
	/* the same policies analyze.c examines: attached customer managed
	 * policies and every inline policy */
	for (size_t i = 0; !rc && i < a->managed.n; i++) {
		const cs__iam_managed *m = a->managed.v[i];
		if (!m->attachments || m->aws_managed)
			continue;
		cs__iam_subject s = { m->arn, m->arn, "aws.iam.policy", AUTHDETAILS, "ManagedPolicy",
				      m->arn, m->doc.file, m->doc.line, m->doc.col,
				      m->doc.pol ? NULL : "the policy's default version could not be read" };
		rc = fn(ud, &s);
	}
	const cs_ptrvec *pvs[] = { &a->users, &a->groups, &a->roles };
	for (size_t k = 0; !rc && k < 3; k++)
		for (size_t i = 0; !rc && i < pvs[k]->n; i++) {
			const cs__iam_principal *p = pvs[k]->v[i];
			for (size_t j = 0; !rc && j < p->ninl; j++) {
				const cs__iam_doc *d = &p->inl[j];
				/* "<principal ARN>/inline-policy/<name>": IAM names have no
				 * spaces, so reports can name it as one word */
				char nm[1024];
				const char *last = d->name ? strrchr(d->name, ' ') : NULL;
				snprintf(nm, sizeof nm, "%s/inline-policy/%s", p->arn ? p->arn : p->name,
					 last ? last + 1 : (d->name ? d->name : "?"));
				cs__iam_subject s = { d->name, nm, "aws.iam.policy", AUTHDETAILS,
						      "InlinePolicy", NULL, d->file ? d->file : p->file,
						      d->line ? d->line : p->line, d->line ? d->col : p->col,
						      d->pol ? NULL : "the policy could not be read" };
				rc = fn(ud, &s);
			}
		}
	return rc;
}

static cs_err resource_policies(const cs_iam_account *a,
				cs_err (*fn)(void *ud, const cs__iam_subject *s), void *ud)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; !rc && i < a->respolicies.n; i++) {
		const cs__iam_respolicy *rp = a->respolicies.v[i];
		const cs_raw *r = rp->raw;
		const char *subj = rp->arn ? rp->arn : rp->name;
		cs__iam_subject s = { subj, rp->name, rp->kind, r ? r->format : "unknown",
				      r ? r->type : rp->kind, rp->arn, r ? r->file : rp->doc.file,
				      r ? r->line : rp->doc.line, r ? r->col : rp->doc.col, NULL };
		if (!rp->doc.doc)
			s.undecided = "its policy is not known from this input";
		else if (!rp->doc.pol)
			s.undecided = "its policy could not be read";
		rc = fn(ud, &s);
	}
	return rc;
}

/* Whether the keys' findings are decidable from the report's columns.
 * Root: only whether a key is active matters.  Users: an active key's age
 * (created or rotated) must be known, and when it is older than 90 days,
 * when it was last used (the 14-column report of older accounts has no
 * last-used columns): a key rotated within 90 days cannot have gone unused
 * for longer. */
static const char *keys_undecided(const cs__iam_creds *c, int64_t now)
{
	for (int k = 0; k < 2; k++) {
		const cs__iam_key *key = &c->key[k];
		if (key->active == CS__TRI_UNKNOWN)
			return "the credential report does not say whether its access keys are active";
		if (key->active != CS__TRI_TRUE || c->root)
			continue;
		if (key->last_rotated < 0)
			return "the credential report does not give when its active access key was created or rotated";
		if (key->last_used == CS__TIME_UNKNOWN && now - key->last_rotated > 90 * 86400LL)
			return "the credential report does not give when its active access key was last used";
	}
	return NULL;
}

static const char *mfa_undecided(const cs__iam_creds *c)
{
	if (!c->root && c->password_enabled == CS__TRI_UNKNOWN)
		return "the credential report does not say whether it has a console password";
	if ((c->root || c->password_enabled == CS__TRI_TRUE) && c->mfa_active == CS__TRI_UNKNOWN)
		return "the credential report does not say whether it has an MFA device";
	return NULL;
}

static cs_err users(const cs_iam_account *a, bool keys, int64_t now,
		    cs_err (*fn)(void *ud, const cs__iam_subject *s), void *ud)
{
	cs_err rc = CS_OK;
	/* every user of the export (with its report row when there is one),
	 * then the report's rows for users the export does not list */
	for (size_t i = 0; !rc && i < a->users.n; i++) {
		const cs__iam_principal *p = a->users.v[i];
		const cs__iam_creds *c = p->creds;
		if (!p->arn)
			continue;
		cs__iam_subject s = { p->arn, p->arn, "aws.iam.user", AUTHDETAILS, "User", p->arn,
				      p->file, p->line, p->col, NULL };
		if (c) {
			s.format = CREDREPORT;
			s.type = "credential report row";
			s.file = c->file;
			s.line = c->line;
			s.col = 1;
			s.undecided = keys ? keys_undecided(c, now) : mfa_undecided(c);
		} else {
			s.undecided = "it has no row in a credential report";
		}
		rc = fn(ud, &s);
	}
	for (size_t i = 0; !rc && i < a->creds.n; i++) {
		const cs__iam_creds *c = a->creds.v[i];
		const cs__iam_principal *p = cs__iam_account_principal(a, c->arn);
		if (c->root || (p && p->kind == CS__IAM_USER))
			continue;
		cs__iam_subject s = { c->arn, c->arn, "aws.iam.user", CREDREPORT,
				      "credential report row", c->arn, c->file, c->line, 1,
				      keys ? keys_undecided(c, now) : mfa_undecided(c) };
		rc = fn(ud, &s);
	}
	return rc;
}

static cs_err root_user(const cs_iam_account *a, bool keys, int64_t now,
			cs_err (*fn)(void *ud, const cs__iam_subject *s), void *ud)
{
	for (size_t i = 0; i < a->creds.n; i++) {
		const cs__iam_creds *c = a->creds.v[i];
		if (!c->root)
			continue;
		cs__iam_subject s = { c->arn, c->arn, "aws.iam.root_user", CREDREPORT,
				      "credential report row", c->arn, c->file, c->line, 1,
				      keys ? keys_undecided(c, now) : mfa_undecided(c) };
		return fn(ud, &s);
	}
	return CS_OK; /* no report: the analysis says nothing about the root user */
}

cs_err cs__iam_subjects(const cs_iam_account *a, cs__iam_sclass c, int64_t now,
			cs_err (*fn)(void *ud, const cs__iam_subject *s), void *ud)
{
	switch (c) {
	case CS__IAM_S_PRINCIPALS:
		return principals(a, false, fn, ud);
	case CS__IAM_S_TRUST:
		return principals(a, true, fn, ud);
	case CS__IAM_S_POLICIES:
		return policies(a, fn, ud);
	case CS__IAM_S_RESOURCE:
		return resource_policies(a, fn, ud);
	case CS__IAM_S_USER_MFA:
		return users(a, false, now, fn, ud);
	case CS__IAM_S_USER_KEYS:
		return users(a, true, now, fn, ud);
	case CS__IAM_S_ROOT_MFA:
		return root_user(a, false, now, fn, ud);
	case CS__IAM_S_ROOT_KEYS:
		return root_user(a, true, now, fn, ud);
	case CS__IAM_S_N:
		break;
	}
	return CS_EINVAL;
}
