/*
 * iam/eval.c - policy sets and the decision on one request, following the
 * IAM User Guide: "Policy evaluation logic" (its flow chart), "Policy
 * evaluation for requests within a single account", "Cross-account policy
 * evaluation logic", "Permissions boundaries for IAM entities", "Session
 * policies", "Service control policies", "Resource control policies".
 *
 * The order (docs/iam.md "Evaluation"):
 *  1. an applicable Deny in any policy -> explicit deny;
 *  2. RCPs (resource's account), 3. SCPs (principal's account): every level
 *     present needs an applicable Allow -> else implicit deny;
 *  4. the root user: allowed in its own account; elsewhere the resource
 *     policy must allow; service principals and anonymous callers: only a
 *     resource policy can allow;
 *  5. cross-account: the resource policy must allow AND the identity side
 *     (identity policies, boundary, session policy) must allow;
 *  6. same account: a resource policy naming the user, the session (or "*")
 *     allows alone; naming the role it allows unless the boundary or the
 *     session policy does not; naming the account it delegates to the
 *     identity side; the identity side allows when identity policies,
 *     boundary (if any) and session policy (if any) all allow.  A role's
 *     trust policy and a KMS key policy must allow in any case.
 */
#include <stdio.h>
#include <string.h>

#include "iam/policy_int.h"

cs_err cs_iam_policyset_new(cs_iam_policyset **out)
{
	*out = cs_calloc(1, sizeof **out);
	return *out ? CS_OK : CS_ENOMEM;
}

void cs_iam_policyset_free(cs_iam_policyset *ps)
{
	if (!ps)
		return;
	cs_free(ps->v);
	cs_free(ps);
}

cs_err cs_iam_policyset_add(cs_iam_policyset *ps, const cs_policy *p, unsigned level)
{
	if (!p)
		return CS_EINVAL;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 8;
		cs_psent *nv = cs_realloc(ps->v, cap * sizeof *nv);
		if (!nv)
			return CS_ENOMEM;
		ps->v = nv;
		ps->cap = cap;
	}
	ps->v[ps->n].p = p;
	ps->v[ps->n].level = level > 63 ? 63 : level;
	ps->n++;
	return CS_OK;
}

void cs_iam_policyset_org(cs_iam_policyset *ps, bool principal_member, bool resource_member)
{
	ps->org_given = true;
	ps->principal_member = principal_member;
	ps->resource_member = resource_member;
}

const char *cs_iam_decision_name(cs_iam_decision d)
{
	switch (d) {
	case CS_IAM_ALLOW:
		return "allow";
	case CS_IAM_EXPLICIT_DENY:
		return "explicit-deny";
	default:
		return "implicit-deny";
	}
}

/* ---- one statement ------------------------------------------------------ */

typedef struct evst {
	const cs_iam_request *rq;
	cs_iam_trace *tr;
	bool has_boundary;
} evst;

/* Whether st applies to the request; *pm gets how its Principal matched.
 * With a trace, every element is tested and recorded. */
static bool stmt_applies(const evst *e, const cs_psent *pe, const cs_stmt *st, int *pm)
{
	const cs_policy *p = pe->p;
	const cs_iam_request *rq = e->rq;
	bool full = e->tr != NULL;
	cs_trstmt ts = { p, pe->level, st, -1, false, false, -1, false };
	bool ok = ts.action = cs__iam_action_match(st, rq);
	if (ok || full) {
		ts.resource = cs__iam_resource_match(st, p, rq);
		ok = ok && ts.resource;
	}
	*pm = CS_PM_ANY;
	if ((ok || full) && st->has_principal) {
		bool prok;
		if (st->not_principal) {
			prok = cs__iam_notprincipal_applies(st, rq, e->has_boundary);
			*pm = prok ? CS_PM_ANY : CS_PM_NONE;
		} else {
			*pm = cs__iam_principal_match(st, rq);
			prok = *pm != CS_PM_NONE;
		}
		ts.principal = prok ? 1 : 0;
		ok = ok && prok;
	}
	if (ok || full) {
		for (size_t i = 0; i < st->ncond; i++) {
			if (!cs__iam_cond_eval(&st->cond[i], p, rq)) {
				ts.failed_cond = (int)i;
				ok = false;
				break;
			}
		}
	}
	ts.applies = ok;
	if (e->tr)
		(void)cs__iam_trace_add(e->tr, &ts);
	return ok;
}

static int pm_rank(int pm)
{
	switch (pm) {
	case CS_PM_EXACT:
		return 4;
	case CS_PM_ANY:
		return 3;
	case CS_PM_ROLE:
		return 2;
	case CS_PM_ACCOUNT:
		return 1;
	default:
		return 0;
	}
}

/* ---- the decision ------------------------------------------------------- */

/* What the policies of one kind said (kept small: it is reset per request). */
typedef struct agg {
	bool any; /* a policy of this kind takes part */
	bool allow, deny;
	int8_t pm; /* resource policies: best principal match of an Allow */
} agg;

static void why(cs_iam_trace *t, const char *fmt, ...) CS_PRINTF(2, 3);
static void why(cs_iam_trace *t, const char *fmt, ...)
{
	if (!t)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof t->why, fmt, ap);
	va_end(ap);
}

static const char *kind_words(cs_policy_kind k)
{
	switch (k) {
	case CS_POLICY_IDENTITY:
		return "identity-based policy";
	case CS_POLICY_RESOURCE:
		return "resource-based policy";
	case CS_POLICY_TRUST:
		return "role trust policy";
	case CS_POLICY_BOUNDARY:
		return "permissions boundary";
	case CS_POLICY_SESSION:
		return "session policy";
	case CS_POLICY_SCP:
		return "service control policy";
	case CS_POLICY_RCP:
		return "resource control policy";
	}
	return "policy";
}

static int lowest_missing(uint64_t levels, uint64_t allowed)
{
	uint64_t miss = levels & ~allowed;
	for (int i = 0; i < 64; i++)
		if (miss >> i & 1)
			return i;
	return -1;
}

cs_iam_decision cs_iam_eval(const cs_iam_policyset *ps, const cs_iam_request *rq,
			    cs_iam_trace *tr)
{
	cs_iam_decision d = CS_IAM_IMPLICIT_DENY;
	agg ag[CS_POLICY_RCP + 1] = { { false, false, false, 0 } };
	/* SCPs [0] and RCPs [1]: levels present, levels with an Allow */
	uint64_t levels[2] = { 0, 0 }, allowed[2] = { 0, 0 };
	const cs_policy *deny_p = NULL; /* the first explicit deny */
	const cs_stmt *deny_st = NULL;
	if (tr) {
		tr->n = 0;
		tr->why[0] = 0;
		tr->rq = rq;
	}
	uint8_t pk = rq->pkind;
	bool has_identity = pk == CS_RQP_USER || pk == CS_RQP_ROLE || pk == CS_RQP_SESSION ||
			    pk == CS_RQP_FEDERATED;
	bool boundary_applies = pk == CS_RQP_USER || pk == CS_RQP_ROLE || pk == CS_RQP_SESSION;
	bool session_applies = pk == CS_RQP_ROLE || pk == CS_RQP_SESSION || pk == CS_RQP_FEDERATED;
	bool has_boundary = false;
	for (size_t i = 0; i < ps->n && boundary_applies; i++)
		has_boundary |= ps->v[i].p->kind == CS_POLICY_BOUNDARY;
	bool scp_on = (ps->org_given ? ps->principal_member : true) && pk != CS_RQP_SERVICE &&
		      pk != CS_RQP_ANONYMOUS && !rq->slr;
	/* RCPs also restrict AWS service principals (AWS KMS Developer Guide,
	 * "Resource control policies in AWS KMS": the example RCPs exempt them
	 * with aws:PrincipalIsAWSService) but not service-linked roles */
	bool rcp_on = (ps->org_given ? ps->resource_member : true) && !rq->slr;
	evst e = { rq, tr, has_boundary };

	for (size_t i = 0; i < ps->n; i++) {
		const cs_psent *pe = &ps->v[i];
		const cs_policy *p = pe->p;
		cs_policy_kind k = p->kind;
		if ((k == CS_POLICY_IDENTITY && !has_identity) ||
		    (k == CS_POLICY_BOUNDARY && !boundary_applies) ||
		    (k == CS_POLICY_SESSION && !session_applies) || (k == CS_POLICY_SCP && !scp_on) ||
		    (k == CS_POLICY_RCP && !rcp_on))
			continue; /* does not apply to this caller */
		agg *a = &ag[k];
		a->any = true;
		if (k == CS_POLICY_SCP || k == CS_POLICY_RCP)
			levels[k - CS_POLICY_SCP] |= (uint64_t)1 << pe->level;
		if (!tr && !p->svc_any && !(p->svc_bloom & rq->svc_bit))
			continue; /* no statement names the request's service */
		for (size_t s = 0; s < p->nst; s++) {
			const cs_stmt *st = &p->st[s];
			int pm;
			if (!tr && !st->svc_any && !(st->svc_bloom & rq->svc_bit))
				continue; /* the cheapest test first, without a call */
			if (!stmt_applies(&e, pe, st, &pm))
				continue;
			if (!st->allow) {
				if (!deny_p) {
					deny_p = p;
					deny_st = st;
				}
				a->deny = true;
				if (!tr)
					goto decided_deny; /* nothing overrides an explicit deny */
			} else {
				a->allow = true;
				if (pm_rank(pm) > pm_rank(a->pm))
					a->pm = (int8_t)pm;
				if (k == CS_POLICY_SCP || k == CS_POLICY_RCP)
					allowed[k - CS_POLICY_SCP] |= (uint64_t)1 << pe->level;
			}
		}
	}
	/* the resource policy and the trust policy play the same part */
	agg res = ag[CS_POLICY_RESOURCE];
	if (ag[CS_POLICY_TRUST].any) {
		const agg *t = &ag[CS_POLICY_TRUST];
		res.any = true;
		res.allow |= t->allow;
		if (pm_rank(t->pm) > pm_rank(res.pm))
			res.pm = t->pm;
		res.deny |= t->deny;
	}
	ag[CS_POLICY_RESOURCE] = res;
	if (deny_p) {
		why(tr, "explicit deny: statement %u%s%s%s of %s '%s'", deny_st->index,
		    deny_st->sid ? " (" : "", deny_st->sid ? deny_st->sid : "",
		    deny_st->sid ? ")" : "", kind_words(deny_p->kind), deny_p->name);
		goto decided_deny;
	}
	if (ag[CS_POLICY_RCP].any && levels[1] != allowed[1]) {
		why(tr, "implicit deny: no resource control policy at level %d allows the request",
		    lowest_missing(levels[1], allowed[1]));
		goto out;
	}
	if (ag[CS_POLICY_SCP].any && levels[0] != allowed[0]) {
		why(tr, "implicit deny: no service control policy at level %d allows the request",
		    lowest_missing(levels[0], allowed[0]));
		goto out;
	}
	const char *racct = cs__iam_resource_account(rq);
	bool cross = rq->account && racct && strcmp(rq->account, racct) != 0;
	const agg *id = &ag[CS_POLICY_IDENTITY], *bd = &ag[CS_POLICY_BOUNDARY],
		  *se = &ag[CS_POLICY_SESSION];
	bool res_allows = res.allow && res.pm != CS_PM_NONE;
	if (pk == CS_RQP_ROOT) {
		if (!cross) {
			d = CS_IAM_ALLOW;
			why(tr, "allow: the root user of account %s may do anything in its account that no SCP or RCP denies",
			    rq->account);
		} else if (res_allows) {
			d = CS_IAM_ALLOW;
			why(tr, "allow: cross-account request by a root user, allowed by the resource-based policy");
		} else {
			why(tr, "implicit deny: cross-account request and no resource-based policy allows it");
		}
		goto out;
	}
	if (pk == CS_RQP_SERVICE || pk == CS_RQP_ANONYMOUS) {
		if (res_allows) {
			d = CS_IAM_ALLOW;
			why(tr, "allow: the resource-based policy allows the %s",
			    pk == CS_RQP_SERVICE ? "service principal" : "anonymous caller");
		} else {
			why(tr, "implicit deny: only a resource-based policy can allow a %s, and none does",
			    pk == CS_RQP_SERVICE ? "service principal" : "anonymous caller");
		}
		goto out;
	}
	bool bd_ok = !bd->any || bd->allow;
	bool se_ok = !se->any || se->allow;
	bool identity_side = id->allow && bd_ok && se_ok;
	if (cross) {
		if (identity_side && res_allows) {
			d = CS_IAM_ALLOW;
			why(tr, "allow: cross-account request allowed by both the principal's identity-based policy and the resource-based policy of account %s",
			    racct);
		} else if (!res_allows) {
			why(tr, "implicit deny: cross-account request (principal in %s, resource in %s): no resource-based policy allows it",
			    rq->account, racct);
		} else if (!id->allow) {
			why(tr, "implicit deny: cross-account request: the resource-based policy allows, but no identity-based policy of the principal does");
		} else if (!bd_ok) {
			why(tr, "implicit deny: cross-account request: the permissions boundary does not allow it");
		} else {
			why(tr, "implicit deny: cross-account request: the session policy does not allow it");
		}
		goto out;
	}
	/* same account */
	if (res_allows && res.pm != CS_PM_ACCOUNT) {
		if (res.pm == CS_PM_EXACT || res.pm == CS_PM_ANY) {
			d = CS_IAM_ALLOW;
			why(tr, "allow: the resource-based policy names the %s; within one account that allows without an identity-based policy, and boundaries and session policies do not limit it",
			    pk == CS_RQP_USER ? "IAM user" : pk == CS_RQP_FEDERATED ? "federated user session" : "role session");
			goto out;
		}
		/* names the role: boundary and session policy still limit it */
		if (bd_ok && se_ok) {
			d = CS_IAM_ALLOW;
			why(tr, "allow: the resource-based policy names the role; the permissions boundary and session policy (where present) allow it");
			goto out;
		}
		if (!identity_side) {
			why(tr, "implicit deny: the resource-based policy names the role, but the %s does not allow the request",
			    !bd_ok ? "permissions boundary" : "session policy");
			goto out;
		}
	}
	bool must_res = ag[CS_POLICY_TRUST].any || (res.any && rq->kms_key);
	if (identity_side && (!must_res || res_allows)) {
		d = CS_IAM_ALLOW;
		why(tr, "allow: an identity-based policy allows it%s%s%s", bd->any ? ", within the permissions boundary" : "",
		    se->any ? ", within the session policy" : "",
		    res_allows ? ", and the resource-based policy delegates to the account" : "");
	} else if (!id->allow) {
		why(tr, "implicit deny: no identity-based or resource-based policy allows the request");
	} else if (!bd_ok) {
		why(tr, "implicit deny: an identity-based policy allows it, but the permissions boundary does not");
	} else if (!se_ok) {
		why(tr, "implicit deny: an identity-based policy allows it, but the session policy does not");
	} else {
		why(tr, "implicit deny: the %s must allow the request itself (identity-based policies alone cannot)",
		    ag[CS_POLICY_TRUST].any ? "role trust policy" : "KMS key policy");
	}
	goto out;
decided_deny:
	d = CS_IAM_EXPLICIT_DENY;
	if (tr && !tr->why[0])
		why(tr, "explicit deny");
out:
	if (tr)
		tr->decision = d;
	return d;
}
