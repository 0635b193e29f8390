/*
 * iam/org.c - reads the organization file of docs/iam.md (made by
 * scripts/export-org.sh from AWS CLI outputs): the organization and its
 * management account, roots, OUs and accounts with their parents, and the
 * service control policies and resource control policies with their
 * targets.  Policy types other than SCPs and RCPs (tag, backup, AI opt-out
 * policies) do not take part in authorization and are skipped.
 */
#include <string.h>

#include "account_int.h"

bool cs__iam_is_org(const cs_value *root)
{
	return cs_value_type(root) == CS_VOBJECT &&
	       (cs_value_get(root, "Organization") || cs_value_get(root, "Roots"));
}

static const cs_value *arr(cs_iam_account *a, const char *file, const cs_value *obj,
			   const char *key, bool *bad)
{
	const cs_value *v = cs_value_get(obj, key);
	if (v && cs_value_type(v) != CS_VARRAY) {
		cs__iam_diag(a, file, v, CS_ETYPE, "organization file: %s must be an array", key);
		*bad = true;
		return NULL;
	}
	return v;
}

static cs_err add_node(cs_iam_account *a, const char *file, const cs_value *e, char type,
		       bool *bad)
{
	static const char *const what[] = { "a root", "an organizational unit", "an account" };
	int w = type == 'r' ? 0 : type == 'o' ? 1 : 2;
	const char *id = cs__iam_str(a, e, "Id");
	const char *parent = type == 'r' ? NULL : cs__iam_str(a, e, "ParentId");
	if (!id || (type != 'r' && !parent)) {
		cs__iam_diag(a, file, e, CS_ETYPE, "organization file: %s needs %s", what[w],
			     type == 'r' ? "an Id" : "an Id and a ParentId");
		*bad = true;
		return CS_OK;
	}
	for (size_t i = 0; i < a->orgnodes.n; i++) {
		const cs__iam_orgnode *o = a->orgnodes.v[i];
		if (strcmp(o->id, id) == 0) {
			cs__iam_diag(a, file, cs_value_get(e, "Id"), CS_EINVAL,
				     "organization file: %s is listed twice", id);
			*bad = true;
			return CS_OK;
		}
	}
	cs__iam_orgnode *n = cs_arena_alloc(a->arena, sizeof(*n));
	if (!n)
		return cs_arena_error(a->arena);
	n->id = id;
	n->name = cs__iam_str(a, e, "Name");
	n->parent = parent;
	n->type = type;
	n->file = file;
	n->line = cs_value_line(e);
	n->col = cs_value_col(e);
	return cs__ptrvec_push(&a->orgnodes, n);
}

static cs_err add_policy(cs_iam_account *a, const char *file, const cs_value *e, bool *bad)
{
	const cs_value *sum = cs_value_get(e, "PolicySummary");
	if (!sum || cs_value_type(sum) != CS_VOBJECT) {
		cs__iam_diag(a, file, e, CS_ETYPE, "organization file: a policy needs a PolicySummary object");
		*bad = true;
		return CS_OK;
	}
	const char *type = cs__iam_str(a, sum, "Type");
	const char *id = cs__iam_str(a, sum, "Id");
	if (!type || !id) {
		cs__iam_diag(a, file, sum, CS_ETYPE, "organization file: PolicySummary needs Id and Type");
		*bad = true;
		return CS_OK;
	}
	bool rcp = strcmp(type, "RESOURCE_CONTROL_POLICY") == 0;
	if (!rcp && strcmp(type, "SERVICE_CONTROL_POLICY") != 0)
		return CS_OK; /* tag, backup, AI opt-out, ... policies */
	cs__iam_orgpolicy *p = cs_arena_alloc(a->arena, sizeof(*p));
	if (!p)
		return cs_arena_error(a->arena);
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->name = cs__iam_str(a, sum, "Name");
	p->rcp = rcp;
	const cs_value *am = cs_value_get(sum, "AwsManaged");
	p->aws_managed = am && cs_value_type(am) == CS_VBOOL && cs_value_bool(am);
	const cs_value *t = arr(a, file, e, "Targets", bad);
	size_t nt = cs_value_len(t);
	if (nt) {
		p->targets = cs_arena_alloc(a->arena, nt * sizeof(*p->targets));
		if (!p->targets)
			return cs_arena_error(a->arena);
	}
	for (size_t i = 0; i < nt; i++) {
		const char *tid = cs__iam_str(a, cs_value_at(t, i), "TargetId");
		if (!tid) {
			cs__iam_diag(a, file, cs_value_at(t, i), CS_ETYPE,
				     "organization file: a policy target needs a TargetId");
			*bad = true;
			continue;
		}
		p->targets[p->ntargets++] = tid;
	}
	const char *name = cs_arena_printf(a->arena, "%s %s (%s)", rcp ? "RCP" : "SCP", id,
					   p->name ? p->name : "-");
	if (!name)
		return cs_arena_error(a->arena);
	cs_err rc = cs__iam_doc_read(a, &p->doc, file, cs_value_get(e, "Content"), name);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	if (rc) {
		/* an organization policy we cannot read still applies in AWS:
		 * keep it (doc NULL) so analysis can say the result is unsure */
		*bad = true;
	}
	return cs__ptrvec_push(&a->orgpolicies, p);
}

cs_err cs__iam_read_org(cs_iam_account *a, const char *file, const cs_value *root)
{
	cs_err rc = CS_OK;
	bool bad = false;
	if (a->have_org) {
		cs__iam_diag(a, file, root, CS_EINVAL,
			     "a second organization file (only one organization is read)");
		return CS_EINVAL;
	}
	a->have_org = true;
	const cs_value *org = cs_value_get(root, "Organization");
	if (org && cs_value_type(org) == CS_VOBJECT) {
		a->org_id = cs__iam_str(a, org, "Id");
		a->org_master = cs__iam_str(a, org, "MasterAccountId");
	}
	if (!a->org_master) {
		cs__iam_diag(a, file, org ? org : root, CS_ETYPE,
			     "organization file: Organization.MasterAccountId is missing (the management account is not subject to SCPs)");
		bad = true;
	}
	static const char *const lists[] = { "Roots", "OrganizationalUnits", "Accounts" };
	static const char types[] = { 'r', 'o', 'a' };
	for (size_t k = 0; !rc && k < 3; k++) {
		const cs_value *l = arr(a, file, root, lists[k], &bad);
		for (size_t i = 0; !rc && i < cs_value_len(l); i++)
			rc = add_node(a, file, cs_value_at(l, i), types[k], &bad);
	}
	/* every parent must be a root or an OU of the file */
	for (size_t i = 0; !rc && i < a->orgnodes.n; i++) {
		cs__iam_orgnode *n = a->orgnodes.v[i];
		if (!n->parent)
			continue;
		bool found = false;
		for (size_t j = 0; j < a->orgnodes.n && !found; j++) {
			const cs__iam_orgnode *p = a->orgnodes.v[j];
			found = p->type != 'a' && strcmp(p->id, n->parent) == 0;
		}
		if (!found) {
			a->input_errors++;
			bad = true;
			cs_diag_emit(a->diag, CS_SEV_ERROR, CS_EINVAL, file, n->line, n->col, NULL,
				     "organization file: %s has parent %s, which is not a root or OU of the file",
				     n->id, n->parent);
		}
	}
	const cs_value *pl = arr(a, file, root, "Policies", &bad);
	for (size_t i = 0; !rc && i < cs_value_len(pl); i++)
		rc = add_policy(a, file, cs_value_at(pl, i), &bad);
	if (!rc && bad)
		rc = CS_ESYNTAX;
	return rc;
}

static const cs__iam_orgnode *node(const cs_iam_account *a, const char *id)
{
	for (size_t i = 0; i < a->orgnodes.n; i++) {
		const cs__iam_orgnode *n = a->orgnodes.v[i];
		if (strcmp(n->id, id) == 0)
			return n;
	}
	return NULL;
}

size_t cs__iam_org_path(const cs_iam_account *a, const char *account,
			const cs__iam_orgnode **out, size_t max)
{
	const cs__iam_orgnode *chain[16];
	size_t n = 0;
	const cs__iam_orgnode *cur = account ? node(a, account) : NULL;
	if (!cur || cur->type != 'a')
		return 0;
	/* AWS allows five levels of OUs under the root: 16 is ample, and it
	 * stops a cycle in a hand-made file */
	while (cur && n < CS_ARRAY_SIZE(chain)) {
		chain[n++] = cur;
		cur = cur->parent ? node(a, cur->parent) : NULL;
	}
	if (cur || chain[n - 1]->type != 'r')
		return 0; /* cycle, or no root above the account */
	size_t k = 0;
	for (size_t i = n; i-- > 0 && k < max;)
		out[k++] = chain[i];
	return k;
}
