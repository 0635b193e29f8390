/*
 * iam/escalate.c - privilege escalation: the known single-step methods
 * (Rhino Security Labs' list of IAM escalation methods, as tools such as
 * Pacu and PMapper implement them) and chains through sts:AssumeRole.
 * Each is decided with the account's full policy sets (identity policies,
 * groups, boundaries, SCPs, trust policies), not per policy, so an
 * escalation split across policies is found and one an SCP blocks is not.
 *
 * A finding means: a principal that is not admin-equivalent can become
 * admin-equivalent (or gain a role's or user's permissions) by the
 * method named.  Methods:
 *   self-put-policy / self-attach-policy: iam:Put*Policy / iam:Attach*Policy
 *     on itself or one of its groups;
 *   create-policy-version / set-default-policy-version: on a customer
 *     managed policy attached to it or its groups;
 *   create-access-key / create-login-profile / update-login-profile: on an
 *     admin-equivalent user;
 *   update-assume-role-policy: on an admin-equivalent role;
 *   passrole-ec2 / -lambda / -cloudformation / -glue / -datapipeline:
 *     iam:PassRole of an admin-equivalent role that trusts the service,
 *     with the actions that make the service run code as the role;
 *   assume-role: a chain of sts:AssumeRole ending at an admin-equivalent
 *     role (both the caller's policies and the role's trust must allow).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "account_int.h"

#define ESC_MAX_CHAIN 8

typedef struct esc {
	const cs_iam_account *a;
	const bool *adm_u, *adm_r;
	cs__iam_report *r;
	cs_err rc;
} esc;

static bool can(esc *e, const char *who, const char *action, const char *res)
{
	return cs__iam_decide(e->a, who, action, res, &e->rc) == CS_IAM_ALLOW;
}

static void report(esc *e, const cs__iam_principal *p, const char *method, const char *fmt, ...)
	CS_PRINTF(4, 5);
static void report(esc *e, const cs__iam_principal *p, const char *method, const char *fmt, ...)
{
	char id[96], msg[768];
	va_list ap;
	snprintf(id, sizeof id, "iam.escalation.%s", method);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs__iam_emit(e->r, id, "identity.least_privilege", "high", p->arn, p->file, p->line,
		     p->col, "%s can escalate: %s", p->arn, msg);
}

/* Self-modification through its own policies or its groups'. */
static void self_methods(esc *e, const cs__iam_principal *p)
{
	bool user = p->kind == CS__IAM_USER;
	const char *put = user ? "iam:PutUserPolicy" : "iam:PutRolePolicy";
	const char *att = user ? "iam:AttachUserPolicy" : "iam:AttachRolePolicy";
	if (can(e, p->arn, put, p->arn))
		report(e, p, "self-put-policy", "%s on itself writes any inline policy%s", put, "");
	if (can(e, p->arn, att, p->arn))
		report(e, p, "self-attach-policy", "%s on itself attaches any managed policy (AdministratorAccess)%s",
		       att, "");
	for (size_t g = 0; g < p->ngroups; g++) {
		const cs__iam_principal *gr = p->groups[g];
		if (!gr)
			continue;
		if (can(e, p->arn, "iam:PutGroupPolicy", gr->arn))
			report(e, p, "self-put-policy", "iam:PutGroupPolicy on its group %s%s", gr->arn, "");
		if (can(e, p->arn, "iam:AttachGroupPolicy", gr->arn))
			report(e, p, "self-attach-policy", "iam:AttachGroupPolicy on its group %s%s",
			       gr->arn, "");
	}
}

/* Policy versions of the customer managed policies that apply to p. */
static void version_methods(esc *e, const cs__iam_principal *p, const cs__iam_principal *via)
{
	const cs__iam_principal *src = via ? via : p;
	for (size_t i = 0; i < src->nattached; i++) {
		const cs__iam_managed *m = src->managed[i];
		if (!m || m->aws_managed)
			continue;
		if (can(e, p->arn, "iam:CreatePolicyVersion", m->arn))
			report(e, p, "create-policy-version",
			       "iam:CreatePolicyVersion on %s (attached to it%s) writes a new default version",
			       m->arn, via ? " through its group" : "");
		if (can(e, p->arn, "iam:SetDefaultPolicyVersion", m->arn))
			report(e, p, "set-default-policy-version",
			       "iam:SetDefaultPolicyVersion on %s (attached to it%s) makes an older, possibly broader, version the default",
			       m->arn, via ? " through its group" : "");
	}
	if (!via)
		for (size_t g = 0; g < p->ngroups; g++)
			if (p->groups[g])
				version_methods(e, p, p->groups[g]);
}

/* Credentials of admin-equivalent users. */
static void user_methods(esc *e, const cs__iam_principal *p)
{
	static const char *const acts[][2] = {
		{ "iam:CreateAccessKey", "create-access-key" },
		{ "iam:CreateLoginProfile", "create-login-profile" },
		{ "iam:UpdateLoginProfile", "update-login-profile" },
	};
	for (size_t u = 0; u < e->a->users.n; u++) {
		const cs__iam_principal *t = e->a->users.v[u];
		if (t == p || !e->adm_u[u])
			continue;
		for (size_t k = 0; k < CS_ARRAY_SIZE(acts); k++)
			if (can(e, p->arn, acts[k][0], t->arn))
				report(e, p, acts[k][1], "%s on the admin-equivalent user %s", acts[k][0],
				       t->arn);
	}
}

/* Services that run code as a passed role, and what starts them. */
static const struct {
	const char *method, *service;
	const char *actions[2];
	bool needs_profile;
} pass[] = {
	{ "passrole-ec2", "ec2.amazonaws.com", { "ec2:RunInstances", NULL }, true },
	{ "passrole-lambda", "lambda.amazonaws.com", { "lambda:CreateFunction", "lambda:InvokeFunction" }, false },
	{ "passrole-cloudformation", "cloudformation.amazonaws.com", { "cloudformation:CreateStack", NULL }, false },
	{ "passrole-glue", "glue.amazonaws.com", { "glue:CreateDevEndpoint", NULL }, false },
	{ "passrole-datapipeline", "datapipeline.amazonaws.com", { "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition" }, false },
};

static void role_methods(esc *e, const cs__iam_principal *p, const bool *trusts)
{
	for (size_t r = 0; r < e->a->roles.n; r++) {
		const cs__iam_principal *t = e->a->roles.v[r];
		if (t == p || !e->adm_r[r])
			continue;
		if (can(e, p->arn, "iam:UpdateAssumeRolePolicy", t->arn))
			report(e, p, "update-assume-role-policy",
			       "iam:UpdateAssumeRolePolicy on the admin-equivalent role %s lets it trust itself%s",
			       t->arn, "");
		bool passable = false, passchecked = false;
		for (size_t k = 0; k < CS_ARRAY_SIZE(pass); k++) {
			if (!trusts[r * CS_ARRAY_SIZE(pass) + k])
				continue;
			if (pass[k].needs_profile && t->nprofiles == 0)
				continue;
			if (!passchecked) {
				passable = can(e, p->arn, "iam:PassRole", t->arn);
				passchecked = true;
			}
			if (!passable)
				break;
			bool ok = true;
			for (size_t j = 0; j < 2 && pass[k].actions[j] && ok; j++)
				ok = can(e, p->arn, pass[k].actions[j], "*");
			if (ok) {
				char how[256];
				snprintf(how, sizeof how, "%s%s%s", pass[k].actions[0],
					 pass[k].actions[1] ? " and " : "",
					 pass[k].actions[1] ? pass[k].actions[1] : "");
				report(e, p, pass[k].method,
				       "iam:PassRole of the admin-equivalent role %s with %s", t->arn, how);
			}
		}
	}
}

/* sts:AssumeRole chains: breadth-first over roles from p; reports the
 * shortest chain to each admin-equivalent role. */
static void assume_chains(esc *e, const cs__iam_principal *p, const unsigned char *edge,
			  size_t nsrc_index)
{
	size_t nr = e->a->roles.n;
	int *prev = cs_malloc((nr + 1) * sizeof(int));
	int *queue = cs_malloc((nr + 1) * sizeof(int));
	unsigned char *seen = cs_calloc(nr + 1, 1);
	if (!prev || !queue || !seen) {
		e->rc = CS_ENOMEM;
		goto out;
	}
	size_t head = 0, tail = 0;
	/* edges: row nsrc_index for p; roles are sources users.n + r */
	size_t nu = e->a->users.n;
	for (size_t r = 0; r < nr; r++)
		if (edge[nsrc_index * nr + r] == 2 && e->a->roles.v[r] != p) {
			seen[r] = 1;
			prev[r] = -1;
			queue[tail++] = (int)r;
		}
	while (head < tail) {
		int r = queue[head++];
		const cs__iam_principal *t = e->a->roles.v[r];
		if (e->adm_r[r]) {
			/* the path, first hop first */
			int hops[ESC_MAX_CHAIN];
			size_t nh = 0;
			for (int x = r; x >= 0 && nh < ESC_MAX_CHAIN; x = prev[x])
				hops[nh++] = x;
			char path[640];
			size_t used = 0;
			for (size_t i = nh; i-- > 0;) {
				const cs__iam_principal *h = e->a->roles.v[hops[i]];
				int w = snprintf(path + used, sizeof path - used, " -> %s", h->arn);
				if (w < 0 || (size_t)w >= sizeof path - used)
					break;
				used += (size_t)w;
			}
			report(e, p, "assume-role", "sts:AssumeRole%s (admin-equivalent)%s", path, "");
			(void)t;
			continue; /* no need to go beyond an admin */
		}
		for (size_t n2 = 0; n2 < nr; n2++)
			if (!seen[n2] && edge[(nu + (size_t)r) * nr + n2] == 2 && e->a->roles.v[n2] != p) {
				seen[n2] = 1;
				prev[n2] = r;
				queue[tail++] = (int)n2;
			}
	}
out:
	cs_free(prev);
	cs_free(queue);
	cs_free(seen);
}

cs_err cs__iam_escalations(const cs_iam_account *a, const bool *admin_users,
			   const bool *admin_roles, cs__iam_report *r)
{
	esc e = { a, admin_users, admin_roles, r, CS_OK };
	size_t nu = a->users.n, nr = a->roles.n, np = CS_ARRAY_SIZE(pass);
	bool any_admin_role = false;
	for (size_t i = 0; i < nr; i++)
		any_admin_role |= admin_roles[i];
	/* which admin-equivalent roles trust which services */
	bool *trusts = cs_calloc(nr * np + 1, sizeof(bool));
	/* assume-role edges: sources are users then roles, targets roles */
	unsigned char *edge = cs_calloc((nu + nr) * nr + 1, 1);
	if (!trusts || !edge) {
		e.rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nr && !e.rc; i++) {
		const cs__iam_principal *t = a->roles.v[i];
		if (!admin_roles[i])
			continue;
		for (size_t k = 0; k < np; k++)
			trusts[i * np + k] = can(&e, pass[k].service, "sts:AssumeRole", t->arn);
	}
	if (any_admin_role) {
		/* Only roles from which an admin-equivalent role can be reached can be
		 * on a chain, so edges are decided only towards them: first the set of
		 * such roles (a fixpoint from the admin roles backwards), then the
		 * edges of every user and role into it.  A role outside the set has no
		 * edge into it (else it would be in it), so the breadth-first search
		 * of assume_chains finds the same shortest chains as over all edges.
		 * Edge bytes: 0 not decided, 1 no, 2 yes. */
		unsigned char *on = cs_calloc(nr + 1, 1);
		size_t *front = cs_malloc((nr + 1) * sizeof(size_t));
		size_t *next = cs_malloc((nr + 1) * sizeof(size_t));
		if (!on || !front || !next) {
			e.rc = CS_ENOMEM;
		} else {
			size_t nf = 0;
			for (size_t t = 0; t < nr; t++)
				if (admin_roles[t]) {
					on[t] = 1;
					front[nf++] = t;
				}
			while (nf && !e.rc) {
				size_t nn = 0;
				for (size_t ri = 0; ri < nr && !e.rc; ri++) {
					const cs__iam_principal *src = a->roles.v[ri];
					for (size_t k = 0; k < nf && !e.rc; k++) {
						size_t t = front[k];
						const cs__iam_principal *role = a->roles.v[t];
						unsigned char *ed = &edge[(nu + ri) * nr + t];
						if (role == src || role->service_linked || *ed)
							continue;
						*ed = can(&e, src->arn, "sts:AssumeRole", role->arn) ? 2 : 1;
						if (*ed == 2 && !on[ri]) {
							on[ri] = 1;
							next[nn++] = ri;
						}
					}
				}
				size_t *sw = front;
				front = next;
				next = sw;
				nf = nn;
			}
			for (size_t s = 0; s < nu + nr && !e.rc; s++) {
				const cs__iam_principal *p = s < nu ? a->users.v[s] : a->roles.v[s - nu];
				for (size_t t = 0; t < nr && !e.rc; t++) {
					const cs__iam_principal *role = a->roles.v[t];
					unsigned char *ed = &edge[s * nr + t];
					if (on[t] && !*ed && role != p && !role->service_linked)
						*ed = can(&e, p->arn, "sts:AssumeRole", role->arn) ? 2 : 1;
				}
			}
		}
		cs_free(on);
		cs_free(front);
		cs_free(next);
	}
	for (size_t s = 0; s < nu + nr && !e.rc; s++) {
		const cs__iam_principal *p = s < nu ? a->users.v[s] : a->roles.v[s - nu];
		bool adm = s < nu ? admin_users[s] : admin_roles[s - nu];
		if (adm || p->service_linked)
			continue;
		self_methods(&e, p);
		version_methods(&e, p, NULL);
		user_methods(&e, p);
		if (any_admin_role) {
			role_methods(&e, p, trusts);
			assume_chains(&e, p, edge, s);
		}
	}
out:
	cs_free(trusts);
	cs_free(edge);
	return e.rc;
}
