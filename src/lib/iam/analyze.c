/*
 * iam/analyze.c - questions about an account: `can` (one request with the
 * policy set AWS would use), `who-can` (every user and role of the
 * account), and `analyze` findings: admin-equivalent principals, console
 * passwords without MFA, stale or unused access keys, resource policies
 * open to everyone or to unknown accounts, role trust any principal
 * satisfies, wildcard permissions on sensitive services, and (escalate.c)
 * privilege-escalation methods and chains.
 */
#include <stdio.h>
#include <string.h>

#include "account_int.h"
#include "policy_int.h"

#define DAY (24 * 3600)
#define STALE_DAYS 90

/* ---- the policy set of a request ---------------------------------------- */

static cs_err add_doc(cs_iam_policyset *ps, const cs__iam_doc *d, unsigned level)
{
	return d->pol ? cs_iam_policyset_add(ps, d->pol, level) : CS_OK;
}

/* A principal's identity policies: inline, attached, and its groups'. */
static cs_err add_identity(cs_iam_policyset *ps, const cs__iam_principal *p)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; !rc && i < p->ninl; i++)
		rc = add_doc(ps, &p->inl[i], 0);
	for (size_t i = 0; !rc && i < p->nattached; i++)
		if (p->managed[i])
			rc = add_doc(ps, &p->managed[i]->doc, 0);
	for (size_t g = 0; !rc && g < p->ngroups; g++)
		if (p->groups[g])
			rc = add_identity(ps, p->groups[g]);
	return rc;
}

/* A boundary is the same managed policy compiled as an identity policy:
 * it needs its own compiled copy of kind BOUNDARY.  The account keeps it
 * in the managed record's doc; the evaluator's kind decides its role, so
 * a boundary is compiled separately once (lazily, cached in `bpol`). */
static cs_err add_boundary(const cs_iam_account *a, cs_iam_policyset *ps,
			   const cs__iam_principal *p)
{
	(void)a;
	if (!p->boundary_arn)
		return CS_OK;
	if (p->boundary && p->boundary->bpol)
		return cs_iam_policyset_add(ps, p->boundary->bpol, 0);
	/* a boundary whose policy is unknown: AWS would apply it; we cannot,
	 * so the principal's allows are not limited (said in docs/iam.md) */
	return CS_OK;
}

/* SCPs (principal side) or RCPs (resource side) from the root down to an
 * account; returns through *member whether the account is a member. */
static cs_err add_org(const cs_iam_account *a, cs_iam_policyset *ps, const char *account,
		      bool rcp, bool *member)
{
	cs_err rc = CS_OK;
	const cs__iam_orgnode *path[16];
	*member = false;
	if (!a->have_org || !account || (a->org_master && strcmp(account, a->org_master) == 0))
		return CS_OK;
	size_t n = cs__iam_org_path(a, account, path, CS_ARRAY_SIZE(path));
	if (!n)
		return CS_OK;
	*member = true;
	for (size_t lvl = 0; !rc && lvl < n; lvl++)
		for (size_t i = 0; !rc && i < a->orgpolicies.n; i++) {
			const cs__iam_orgpolicy *o = a->orgpolicies.v[i];
			if (o->rcp != rcp || !o->doc.pol)
				continue;
			for (size_t t = 0; t < o->ntargets; t++)
				if (strcmp(o->targets[t], path[lvl]->id) == 0) {
					rc = cs_iam_policyset_add(ps, o->doc.pol, (unsigned)lvl);
					break;
				}
		}
	return rc;
}

/* The resource policy for an ARN: exact, or the bucket's for an object. */
static const cs__iam_respolicy *respolicy_for(const cs_iam_account *a, const char *arn)
{
	for (size_t i = 0; i < a->respolicies.n; i++) {
		const cs__iam_respolicy *r = a->respolicies.v[i];
		if (!r->arn || !r->doc.pol)
			continue;
		size_t n = strlen(r->arn);
		if (strcmp(r->arn, arn) == 0)
			return r;
		if (strcmp(r->service, "s3") == 0 && strncmp(arn, r->arn, n) == 0 && arn[n] == '/')
			return r;
	}
	return NULL;
}

cs_err cs__iam_account_policyset(const cs_iam_account *a, const cs_iam_request *rq,
				 cs_iam_policyset *ps)
{
	cs_err rc = CS_OK;
	const char *who = rq->role_arn ? rq->role_arn : rq->principal;
	const cs__iam_principal *p = who ? cs__iam_account_principal(a, who) : NULL;
	if (p && p->kind == CS__IAM_GROUP)
		p = NULL; /* groups are not principals */
	if (p) {
		rc = add_identity(ps, p);
		if (!rc)
			rc = add_boundary(a, ps, p);
	}
	bool pm = false, rm = false;
	if (!rc && !rq->slr)
		rc = add_org(a, ps, rq->account, false, &pm);
	const char *racct = cs__iam_resource_account(rq);
	const char *colon = rq->action ? strchr(rq->action, ':') : NULL;
	char svc[64] = "";
	if (colon && (size_t)(colon - rq->action) < sizeof svc) {
		memcpy(svc, rq->action, (size_t)(colon - rq->action));
		svc[colon - rq->action] = '\0';
	}
	if (!rc && a->cat && cs__iam_catalog_rcp_supported(a->cat, svc))
		rc = add_org(a, ps, racct, true, &rm);
	else if (!rc && !a->cat)
		rc = add_org(a, ps, racct, true, &rm);
	if (!rc && a->have_org)
		cs_iam_policyset_org(ps, pm, rm);
	if (!rc && rq->resource) {
		const cs__iam_principal *role = cs__iam_account_principal(a, rq->resource);
		bool assume = rq->action && strncmp(rq->action, "sts:assumerole", 14) == 0;
		if (role && role->kind == CS__IAM_ROLE && assume) {
			rc = add_doc(ps, &role->trust, 0);
		} else {
			const cs__iam_respolicy *r = respolicy_for(a, rq->resource);
			if (r)
				rc = add_doc(ps, &r->doc, 0);
		}
	}
	return rc;
}

cs_err cs_iam_account_can(const cs_iam_account *a, const cs_iam_request *rq,
			  cs_iam_decision *out, cs_iam_trace *trace)
{
	cs_iam_policyset *ps = NULL;
	*out = CS_IAM_IMPLICIT_DENY;
	cs_err rc = cs_iam_policyset_new(&ps);
	if (!rc)
		rc = cs__iam_account_policyset(a, rq, ps);
	if (!rc)
		*out = cs_iam_eval(ps, rq, trace);
	cs_iam_policyset_free(ps);
	return rc;
}

cs_iam_decision cs__iam_decide(const cs_iam_account *a, const char *principal,
			       const char *action, const char *resource, cs_err *rc)
{
	cs_iam_request *rq = NULL;
	cs_iam_decision d = CS_IAM_IMPLICIT_DENY;
	cs_err e = cs_iam_request_new(&rq);
	if (!e)
		e = cs_iam_request_principal(rq, principal);
	if (!e)
		e = cs_iam_request_action(rq, action);
	if (!e)
		e = cs_iam_request_resource(rq, resource);
	if (!e)
		e = cs_iam_account_can(a, rq, &d, NULL);
	cs_iam_request_free(rq);
	if (e == CS_ENOMEM)
		*rc = e;
	return e ? CS_IAM_IMPLICIT_DENY : d;
}

cs_err cs_iam_account_who_can(const cs_iam_account *a, const char *action,
			      const char *resource, const char *const *ctx, size_t nctx,
			      void (*fn)(void *ud, const char *principal, cs_iam_decision d),
			      void *ud, size_t *nallowed)
{
	cs_err rc = CS_OK;
	size_t allowed = 0;
	const cs_ptrvec *pvs[] = { &a->users, &a->roles };
	for (size_t k = 0; !rc && k < 2; k++)
		for (size_t i = 0; !rc && i < pvs[k]->n; i++) {
			const cs__iam_principal *p = pvs[k]->v[i];
			cs_iam_request *rq = NULL;
			cs_iam_decision d = CS_IAM_IMPLICIT_DENY;
			rc = cs_iam_request_new(&rq);
			if (!rc)
				rc = cs_iam_request_principal(rq, p->arn);
			if (!rc)
				rc = cs_iam_request_action(rq, action);
			if (!rc)
				rc = cs_iam_request_resource(rq, resource);
			for (size_t c = 0; !rc && c < nctx; c++) {
				const char *eq = strchr(ctx[c], '=');
				char key[256];
				if (!eq || (size_t)(eq - ctx[c]) >= sizeof key) {
					rc = CS_EINVAL;
					break;
				}
				memcpy(key, ctx[c], (size_t)(eq - ctx[c]));
				key[eq - ctx[c]] = '\0';
				rc = cs_iam_request_context(rq, key, eq + 1);
			}
			if (!rc)
				rc = cs_iam_account_can(a, rq, &d, NULL);
			cs_iam_request_free(rq);
			if (rc == CS_EINVAL && nctx == 0)
				rc = CS_OK; /* a principal the evaluator cannot name: skip it */
			if (rc)
				break;
			allowed += d == CS_IAM_ALLOW;
			if (fn)
				fn(ud, p->arn, d);
		}
	if (nallowed)
		*nallowed = allowed;
	return rc;
}

/* ---- findings ------------------------------------------------------------ */

void cs__iam_emit(cs__iam_report *r, const char *id, const char *domain, const char *sev,
		  const char *subject, const char *file, uint32_t line, uint32_t col,
		  const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs_iam_finding f = { id, domain, sev, subject, msg, file, line, col };
	r->count++;
	if (r->fn)
		r->fn(r->ud, &f);
}

/* Admin-equivalent: allowed every one of these on "*": full control of
 * IAM (policies, users, keys, roles) and of the main data and compute
 * services.  A principal with all of them can grant itself anything. */
static const char *const admin_probe[] = {
	"iam:AttachRolePolicy", "iam:PutUserPolicy",   "iam:CreateRole",
	"iam:PassRole",         "iam:CreatePolicyVersion", "sts:AssumeRole",
	"ec2:RunInstances",     "s3:PutBucketPolicy",  "kms:PutKeyPolicy",
	"lambda:CreateFunction",
};

bool cs__iam_is_admin(const cs_iam_account *a, const cs__iam_principal *p, cs_err *rc)
{
	for (size_t i = 0; i < CS_ARRAY_SIZE(admin_probe); i++)
		if (cs__iam_decide(a, p->arn, admin_probe[i], "*", rc) != CS_IAM_ALLOW)
			return false;
	return true;
}

static void days_text(char *buf, size_t n, int64_t now, int64_t t)
{
	if (t >= 0)
		snprintf(buf, n, "%lld days ago", (long long)((now - t) / DAY));
	else
		snprintf(buf, n, "never");
}

static void creds_findings(const cs_iam_account *a, int64_t now, cs__iam_report *r)
{
	for (size_t i = 0; i < a->creds.n; i++) {
		const cs__iam_creds *c = a->creds.v[i];
		/* the root user's password cannot be disabled: not_supported */
		bool console = c->password_enabled == CS__TRI_TRUE || c->root;
		if (console && c->mfa_active == CS__TRI_FALSE)
			cs__iam_emit(r, c->root ? "iam.root-no-mfa" : "iam.console-no-mfa",
				     "identity.mfa", "high", c->arn, c->file, c->line, 1,
				     "%s can sign in to the console with a password and has no MFA device",
				     c->root ? "the root user" : c->user);
		for (int k = 0; k < 2; k++) {
			const cs__iam_key *key = &c->key[k];
			if (key->active != CS__TRI_TRUE)
				continue;
			char used[64], rot[64];
			days_text(used, sizeof used, now, key->last_used);
			days_text(rot, sizeof rot, now, key->last_rotated);
			if (c->root) {
				cs__iam_emit(r, "iam.root-access-key", "identity.credentials", "high",
					     c->arn, c->file, c->line, 1,
					     "the root user has an active access key %d (last used %s)", k + 1,
					     used);
				continue;
			}
			bool never = key->last_used == CS__TIME_NA || key->last_used == CS__TIME_NOINFO;
			int64_t since = never ? key->last_rotated : key->last_used;
			if (since >= 0 && now - since > (int64_t)STALE_DAYS * DAY)
				cs__iam_emit(r, never ? "iam.unused-access-key" : "iam.stale-access-key",
					     "identity.credentials", "medium", c->arn, c->file, c->line, 1,
					     "%s: active access key %d %s (created or rotated %s, last used %s; more than %d days)",
					     c->user, k + 1, never ? "was never used" : "is not used any more",
					     rot, used, STALE_DAYS);
			else if (key->last_rotated >= 0 && now - key->last_rotated > (int64_t)STALE_DAYS * DAY)
				cs__iam_emit(r, "iam.access-key-not-rotated", "identity.credentials", "low",
					     c->arn, c->file, c->line, 1,
					     "%s: active access key %d was last rotated %s (more than %d days)",
					     c->user, k + 1, rot, STALE_DAYS);
		}
	}
}

/* Whether an account id belongs to the account or its organization. */
static bool known_account(const cs_iam_account *a, const char *id, size_t n)
{
	if (a->account_id && strlen(a->account_id) == n && memcmp(a->account_id, id, n) == 0)
		return true;
	for (size_t i = 0; i < a->orgnodes.n; i++) {
		const cs__iam_orgnode *o = a->orgnodes.v[i];
		if (o->type == 'a' && strlen(o->id) == n && memcmp(o->id, id, n) == 0)
			return true;
	}
	return false;
}

/* The account id a Principal entry names (12 digits or an IAM/STS ARN). */
static bool principal_account(const cs_princ *pr, const char **id, size_t *n)
{
	if (pr->kind == CS_PR_ACCOUNT || pr->kind == CS_PR_ARN) {
		const char *s = pr->s;
		if (pr->len == 12) {
			*id = s;
			*n = 12;
			return true;
		}
		/* arn:P:iam::ACCOUNT:... */
		const char *p = s;
		for (int f = 0; f < 4 && p; f++) {
			p = strchr(p, ':');
			if (p)
				p++;
		}
		if (p && strlen(p) > 12 && p[12] == ':') {
			*id = p;
			*n = 12;
			return true;
		}
	}
	return false;
}

/* Findings on one resource or trust policy: open to everyone, or to
 * accounts outside the account and its organization. */
static void open_policy(const cs_iam_account *a, const cs_policy *pol, const char *subject,
			bool trust, cs__iam_report *r)
{
	for (size_t s = 0; s < pol->nst; s++) {
		const cs_stmt *st = &pol->st[s];
		if (!st->allow)
			continue;
		bool any = st->not_principal; /* NotPrincipal with Allow: everyone else */
		for (size_t i = 0; i < st->npr && !any; i++)
			any = st->pr[i].kind == CS_PR_ANY;
		if (any) {
			bool cond = st->ncond > 0;
			if (trust)
				cs__iam_emit(r, cond ? "iam.trust-any-principal-conditional" : "iam.trust-any-principal",
					     "identity.least_privilege", cond ? "medium" : "high", subject,
					     pol->file, st->line, st->col,
					     "%s statement %u lets any principal assume the role%s",
					     subject, st->index, cond ? " when its conditions hold (check them)" : "");
			else
				cs__iam_emit(r, cond ? "iam.resource-public-conditional" : "iam.resource-public",
					     "network.public_exposure", cond ? "medium" : "high", subject,
					     pol->file, st->line, st->col,
					     "%s statement %u allows everyone (Principal \"*\")%s",
					     subject, st->index, cond ? " when its conditions hold (check them)" : "");
			continue;
		}
		for (size_t i = 0; i < st->npr; i++) {
			const char *id;
			size_t n;
			if (principal_account(&st->pr[i], &id, &n) && !known_account(a, id, n))
				cs__iam_emit(r, "iam.unknown-account", "identity.least_privilege", "medium",
					     subject, pol->file, st->pr[i].line, st->pr[i].col,
					     "%s statement %u grants access to account %.*s, which is not this account or a member of its organization",
					     subject, st->index, (int)n, id);
		}
	}
}

/* Services whose wildcard grants amount to control of identities, keys,
 * secrets or data. */
static const char *const sensitive[] = { "iam", "sts", "kms", "secretsmanager", "s3",
					 "organizations", "ssm", "lambda", "ec2", "dynamodb" };

static void wildcard_policy(const cs_iam_account *a, const cs_policy *pol, const char *subject,
			    cs__iam_report *r)
{
	for (size_t s = 0; s < pol->nst; s++) {
		const cs_stmt *st = &pol->st[s];
		if (!st->allow)
			continue;
		bool res_any = !st->not_resource;
		if (res_any) {
			res_any = false;
			for (size_t i = 0; i < st->nres; i++)
				res_any |= st->res[i].kind == CS_PAT_ANY;
		}
		if (st->not_action) {
			cs__iam_emit(r, "iam.allow-not-action", "identity.least_privilege",
				     res_any ? "high" : "medium", subject, pol->file, st->line, st->col,
				     "%s statement %u allows every action except those listed (Allow with NotAction)",
				     subject, st->index);
			for (size_t i = 0; a->cat && i < st->nact; i++)
				if (cs_iam_catalog_expand(a->cat, st->act[i].s, NULL, NULL) == 0)
					cs__iam_emit(r, "iam.unknown-action", "identity.least_privilege", "high",
						     subject, pol->file, st->act[i].line, st->act[i].col,
						     "%s statement %u: NotAction '%s' matches no known action, so nothing is excluded",
						     subject, st->index, st->act[i].s);
			continue;
		}
		if (!res_any)
			continue;
		for (size_t i = 0; i < st->nact; i++) {
			const cs_pat *ap = &st->act[i];
			if (ap->kind == CS_PAT_ANY) {
				cs__iam_emit(r, "iam.full-wildcard", "identity.least_privilege", "high",
					     subject, pol->file, ap->line, ap->col,
					     "%s statement %u allows every action (\"*\") on every resource",
					     subject, st->index);
				continue;
			}
			for (size_t k = 0; k < CS_ARRAY_SIZE(sensitive); k++) {
				size_t n = strlen(sensitive[k]);
				if (strncmp(ap->s, sensitive[k], n) == 0 && ap->s[n] == ':' &&
				    strcmp(ap->s + n + 1, "*") == 0)
					cs__iam_emit(r, "iam.sensitive-wildcard", "identity.least_privilege",
						     "medium", subject, pol->file, ap->line, ap->col,
						     "%s statement %u allows %s:* on every resource",
						     subject, st->index, sensitive[k]);
			}
		}
	}
}

static void policy_findings(const cs_iam_account *a, cs__iam_report *r)
{
	/* managed policies that are used (attached), inline ones, trust, resource */
	for (size_t i = 0; i < a->managed.n; i++) {
		const cs__iam_managed *m = a->managed.v[i];
		if (m->doc.pol && m->attachments && !m->aws_managed)
			wildcard_policy(a, m->doc.pol, m->arn, r);
	}
	const cs_ptrvec *pvs[] = { &a->users, &a->groups, &a->roles };
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < pvs[k]->n; i++) {
			const cs__iam_principal *p = pvs[k]->v[i];
			for (size_t j = 0; j < p->ninl; j++)
				if (p->inl[j].pol)
					wildcard_policy(a, p->inl[j].pol, p->inl[j].name, r);
			if (p->kind == CS__IAM_ROLE && p->trust.pol)
				open_policy(a, p->trust.pol, p->arn, true, r);
		}
	for (size_t i = 0; i < a->respolicies.n; i++) {
		const cs__iam_respolicy *rp = a->respolicies.v[i];
		if (rp->doc.pol)
			open_policy(a, rp->doc.pol, rp->arn ? rp->arn : rp->name, false, r);
	}
}

cs_err cs_iam_account_analyze(const cs_iam_account *a, int64_t now,
			      void (*fn)(void *ud, const cs_iam_finding *f), void *ud,
			      size_t *count)
{
	cs_err rc = CS_OK;
	cs__iam_report r = { fn, ud, 0 };
	bool *adm_u = cs_calloc(a->users.n + 1, sizeof(bool));
	bool *adm_r = cs_calloc(a->roles.n + 1, sizeof(bool));
	if (!adm_u || !adm_r) {
		rc = CS_ENOMEM;
		goto out;
	}
	const cs_ptrvec *pvs[] = { &a->users, &a->roles };
	bool *adm[] = { adm_u, adm_r };
	for (size_t k = 0; !rc && k < 2; k++)
		for (size_t i = 0; !rc && i < pvs[k]->n; i++) {
			const cs__iam_principal *p = pvs[k]->v[i];
			adm[k][i] = cs__iam_is_admin(a, p, &rc);
			if (adm[k][i] && !p->service_linked)
				cs__iam_emit(&r, "iam.admin-equivalent", "identity.least_privilege", "high",
					     p->arn, p->file, p->line, p->col,
					     "%s is admin-equivalent: it is allowed to change IAM policies, create keys, pass roles and control the main services on every resource",
					     p->arn);
		}
	if (!rc)
		rc = cs__iam_escalations(a, adm_u, adm_r, &r);
	if (!rc) {
		creds_findings(a, now, &r);
		policy_findings(a, &r);
	}
out:
	cs_free(adm_u);
	cs_free(adm_r);
	if (count)
		*count = r.count;
	return rc;
}
