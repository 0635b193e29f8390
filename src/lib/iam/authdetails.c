/*
 * iam/authdetails.c - reads `aws iam get-account-authorization-details`
 * output (IAM API reference, GetAccountAuthorizationDetails): users with
 * their inline policies, groups, attached policies and permissions
 * boundary; groups; roles with their trust policy and instance profiles;
 * managed policies with their versions (the default one is kept).  Policy
 * documents are JSON objects (CLI output) or URL-encoded strings (the raw
 * API).  Pages of a paginated output may come as several documents or
 * files; a record seen twice (by ARN) is read once.
 */
#include <string.h>

#include "account_int.h"

bool cs__iam_is_authdetails(const cs_value *root)
{
	if (cs_value_type(root) != CS_VOBJECT)
		return false;
	if (cs_value_get(root, "UserDetailList") || cs_value_get(root, "GroupDetailList") ||
	    cs_value_get(root, "RoleDetailList"))
		return true;
	/* a page holding only managed policies */
	const cs_value *p = cs_value_get(root, "Policies");
	return p && !cs_value_get(root, "Organization") && !cs_value_get(root, "Roots") &&
	       cs_value_type(p) == CS_VARRAY &&
	       (cs_value_len(p) == 0 || cs_value_get(cs_value_at(p, 0), "PolicyVersionList"));
}

/* An array member, or NULL after a diagnostic if present but not an array. */
static const cs_value *array_of(cs_iam_account *a, const char *file, const cs_value *obj,
				const char *key, bool *bad)
{
	const cs_value *v = cs_value_get(obj, key);
	if (!v || cs_value_type(v) == CS_VNULL)
		return NULL;
	if (cs_value_type(v) != CS_VARRAY) {
		cs__iam_diag(a, file, v, CS_ETYPE, "%s must be an array, not %s", key,
			     cs_vtype_name(cs_value_type(v)));
		*bad = true;
		return NULL;
	}
	return v;
}

/* A required string member; diagnosed when missing. */
static const char *need_str(cs_iam_account *a, const char *file, const cs_value *obj,
			    const char *key, const char *what, bool *bad)
{
	const char *s = cs__iam_str(a, obj, key);
	if (!s) {
		const cs_value *v = cs_value_get(obj, key);
		cs__iam_diag(a, file, v ? v : obj, CS_ETYPE, "%s: %s %s", what, key,
			     v ? "must be a string" : "is missing");
		*bad = true;
	}
	return s;
}

/* Inline policies: [{"PolicyName", "PolicyDocument"}]. */
static cs_err read_inline(cs_iam_account *a, const char *file, cs__iam_principal *p,
			  const cs_value *list, bool *bad)
{
	size_t n = cs_value_len(list);
	if (!n)
		return CS_OK;
	p->inl = cs_arena_alloc(a->arena, n * sizeof(*p->inl));
	if (!p->inl)
		return cs_arena_error(a->arena);
	static const char *const kinds[] = { "user", "group", "role" };
	for (size_t i = 0; i < n; i++) {
		const cs_value *e = cs_value_at(list, i);
		if (cs_value_type(e) != CS_VOBJECT) {
			cs__iam_diag(a, file, e, CS_ETYPE, "%s: an inline policy must be an object",
				     p->name);
			*bad = true;
			continue;
		}
		const char *pn = need_str(a, file, e, "PolicyName", p->name, bad);
		if (!pn)
			continue;
		const char *name = cs_arena_printf(a->arena, "%s/%s inline policy %s",
						   kinds[p->kind], p->name, pn);
		if (!name)
			return cs_arena_error(a->arena);
		cs__iam_doc *d = &p->inl[p->ninl];
		cs_err rc = cs__iam_doc_read(a, d, file, cs_value_get(e, "PolicyDocument"), name);
		if (rc == CS_ENOMEM || rc == CS_ELIMIT)
			return rc;
		if (rc) {
			*bad = true;
			continue;
		}
		p->ninl++;
	}
	return CS_OK;
}

/* AttachedManagedPolicies: [{"PolicyName", "PolicyArn"}]. */
static cs_err read_attached(cs_iam_account *a, const char *file, cs__iam_principal *p,
			    const cs_value *list, bool *bad)
{
	size_t n = cs_value_len(list);
	if (!n)
		return CS_OK;
	p->attached = cs_arena_alloc(a->arena, n * sizeof(*p->attached));
	if (!p->attached)
		return cs_arena_error(a->arena);
	for (size_t i = 0; i < n; i++) {
		const cs_value *e = cs_value_at(list, i);
		const char *arn = cs_value_type(e) == CS_VOBJECT
					  ? need_str(a, file, e, "PolicyArn", p->name, bad)
					  : NULL;
		if (cs_value_type(e) != CS_VOBJECT) {
			cs__iam_diag(a, file, e, CS_ETYPE, "%s: an attached policy must be an object",
				     p->name);
			*bad = true;
		}
		if (arn)
			p->attached[p->nattached++] = arn;
	}
	return CS_OK;
}

/* An array of strings (GroupList) or of objects with "Arn" (InstanceProfileList). */
static cs_err read_names(cs_iam_account *a, const char *file, const cs_value *list,
			 const char *key, const char ***out, size_t *nout, const char *who,
			 bool *bad)
{
	size_t n = cs_value_len(list);
	if (!n)
		return CS_OK;
	const char **v = cs_arena_alloc(a->arena, n * sizeof(*v));
	if (!v)
		return cs_arena_error(a->arena);
	for (size_t i = 0; i < n; i++) {
		const cs_value *e = cs_value_at(list, i);
		const char *s = NULL;
		if (!key && cs_value_type(e) == CS_VSTRING) {
			cs_str t = cs_value_str(e);
			s = cs_arena_strndup(a->arena, t.ptr, t.len);
			if (!s)
				return cs_arena_error(a->arena);
		} else if (key && cs_value_type(e) == CS_VOBJECT) {
			s = need_str(a, file, e, key, who, bad);
		} else {
			cs__iam_diag(a, file, e, CS_ETYPE, "%s: %s expected", who,
				     key ? "an object" : "a string");
			*bad = true;
		}
		if (s)
			v[(*nout)++] = s;
	}
	*out = v;
	return CS_OK;
}

/* Whether a record with this ARN was read already (an earlier page); the
 * maps are built as records are read. */
static bool seen_arn(const cs_strmap *m, const char *arn)
{
	return cs__strmap_get(m, arn, strlen(arn), NULL) != NULL;
}

static cs_err read_principal(cs_iam_account *a, const char *file, const cs_value *e,
			     cs__iam_pkind kind, bool *bad)
{
	static const char *const name_key[] = { "UserName", "GroupName", "RoleName" };
	static const char *const id_key[] = { "UserId", "GroupId", "RoleId" };
	static const char *const inline_key[] = { "UserPolicyList", "GroupPolicyList",
						  "RolePolicyList" };
	static const char *const what[] = { "a user", "a group", "a role" };
	cs_err rc = CS_OK;
	if (cs_value_type(e) != CS_VOBJECT) {
		cs__iam_diag(a, file, e, CS_ETYPE, "%s must be an object", what[kind]);
		*bad = true;
		return CS_OK;
	}
	const char *name = need_str(a, file, e, name_key[kind], what[kind], bad);
	const char *arn = name ? need_str(a, file, e, "Arn", name, bad) : NULL;
	if (!name || !arn)
		return CS_OK;
	if (strncmp(arn, "arn:", 4) != 0 || !strstr(arn, ":iam::")) {
		cs__iam_diag(a, file, cs_value_get(e, "Arn"), CS_ESYNTAX,
			     "Invalid ARN '%s' for %s", arn, name);
		*bad = true;
		return CS_OK;
	}
	cs_ptrvec *pv = kind == CS__IAM_USER ? &a->users : kind == CS__IAM_GROUP ? &a->groups
										  : &a->roles;
	if (seen_arn(&a->by_arn, arn))
		return CS_OK; /* the same record on two pages */
	cs__iam_principal *p = cs_arena_alloc(a->arena, sizeof(*p));
	if (!p)
		return cs_arena_error(a->arena);
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->name = name;
	p->arn = arn;
	p->id = cs__iam_str(a, e, id_key[kind]);
	p->path = cs__iam_str(a, e, "Path");
	p->file = file;
	p->line = cs_value_line(e);
	p->col = cs_value_col(e);
	const cs_value *l = array_of(a, file, e, inline_key[kind], bad);
	if (l)
		rc = read_inline(a, file, p, l, bad);
	l = array_of(a, file, e, "AttachedManagedPolicies", bad);
	if (!rc && l)
		rc = read_attached(a, file, p, l, bad);
	l = kind == CS__IAM_USER ? array_of(a, file, e, "GroupList", bad) : NULL;
	if (!rc && l)
		rc = read_names(a, file, l, NULL, &p->group_names, &p->ngroups, name, bad);
	l = kind == CS__IAM_ROLE ? array_of(a, file, e, "InstanceProfileList", bad) : NULL;
	if (!rc && l)
		rc = read_names(a, file, l, "Arn", &p->instance_profiles, &p->nprofiles, name, bad);
	const cs_value *pb = cs_value_get(e, "PermissionsBoundary");
	if (!rc && pb && cs_value_type(pb) == CS_VOBJECT) {
		p->boundary_arn = need_str(a, file, pb, "PermissionsBoundaryArn", name, bad);
	} else if (!rc && pb && cs_value_type(pb) != CS_VNULL) {
		cs__iam_diag(a, file, pb, CS_ETYPE, "%s: PermissionsBoundary must be an object",
			     name);
		*bad = true;
	}
	if (!rc && kind == CS__IAM_ROLE) {
		p->service_linked = p->path && strncmp(p->path, "/aws-service-role/", 18) == 0;
		const char *tn = cs_arena_printf(a->arena, "role/%s trust policy", name);
		if (!tn)
			return cs_arena_error(a->arena);
		rc = cs__iam_doc_read(a, &p->trust, file, cs_value_get(e, "AssumeRolePolicyDocument"),
				      tn);
		if (rc == CS_ESYNTAX || rc == CS_ETYPE) {
			*bad = true;
			rc = CS_OK;
		}
	}
	if (!rc)
		rc = cs__ptrvec_push(pv, p);
	if (!rc)
		rc = cs__strmap_put(&a->by_arn, p->arn, strlen(p->arn), p);
	return rc;
}

static cs_err read_managed(cs_iam_account *a, const char *file, const cs_value *e, bool *bad)
{
	if (cs_value_type(e) != CS_VOBJECT) {
		cs__iam_diag(a, file, e, CS_ETYPE, "a managed policy must be an object");
		*bad = true;
		return CS_OK;
	}
	const char *name = need_str(a, file, e, "PolicyName", "a managed policy", bad);
	const char *arn = name ? need_str(a, file, e, "Arn", name, bad) : NULL;
	if (!arn)
		return CS_OK;
	if (strncmp(arn, "arn:", 4) != 0 || !strstr(arn, ":policy/")) {
		cs__iam_diag(a, file, cs_value_get(e, "Arn"), CS_ESYNTAX,
			     "Invalid ARN '%s' for managed policy %s", arn, name);
		*bad = true;
		return CS_OK;
	}
	if (seen_arn(&a->by_policy, arn))
		return CS_OK;
	/* the default version: IsDefaultVersion true, else DefaultVersionId */
	const cs_value *versions = array_of(a, file, e, "PolicyVersionList", bad);
	const char *defid = cs__iam_str(a, e, "DefaultVersionId");
	const cs_value *def = NULL;
	for (size_t i = 0; i < cs_value_len(versions) && !def; i++) {
		const cs_value *v = cs_value_at(versions, i);
		const cs_value *isdef = cs_value_get(v, "IsDefaultVersion");
		if (isdef && cs_value_type(isdef) == CS_VBOOL && cs_value_bool(isdef))
			def = v;
	}
	for (size_t i = 0; i < cs_value_len(versions) && !def && defid; i++) {
		const cs_value *v = cs_value_at(versions, i);
		const cs_value *id = cs_value_get(v, "VersionId");
		if (id && cs_value_type(id) == CS_VSTRING && cs_str_eqc(cs_value_str(id), defid))
			def = v;
	}
	if (!def) {
		cs__iam_diag(a, file, versions ? versions : e, CS_EINVAL,
			     "managed policy %s: no default version in PolicyVersionList (its permissions are not known)",
			     arn);
		*bad = true;
		return CS_OK;
	}
	cs__iam_managed *m = cs_arena_alloc(a->arena, sizeof(*m));
	if (!m)
		return cs_arena_error(a->arena);
	memset(m, 0, sizeof(*m));
	m->arn = arn;
	m->name = name;
	m->id = cs__iam_str(a, e, "PolicyId");
	m->path = cs__iam_str(a, e, "Path");
	m->aws_managed = strstr(arn, ":iam::aws:policy/") != NULL;
	cs_err rc = cs__iam_doc_read(a, &m->doc, file, cs_value_get(def, "Document"), arn);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	if (rc) {
		*bad = true;
		return CS_OK;
	}
	rc = cs__ptrvec_push(&a->managed, m);
	if (!rc)
		rc = cs__strmap_put(&a->by_policy, m->arn, strlen(m->arn), m);
	return rc;
}

/* The 12-digit account id of an IAM ARN, kept as the account's id. */
static void note_account(cs_iam_account *a, const char *arn)
{
	const char *p = strstr(arn, ":iam::");
	if (!p || a->account_id)
		return;
	p += 6;
	size_t n = strcspn(p, ":");
	if (n == 12)
		a->account_id = cs_arena_strndup(a->arena, p, n);
}

cs_err cs__iam_read_authdetails(cs_iam_account *a, const char *file, const cs_value *root)
{
	cs_err rc = CS_OK;
	bool bad = false;
	static const char *const lists[] = { "UserDetailList", "GroupDetailList", "RoleDetailList" };
	for (size_t k = 0; !rc && k < CS_ARRAY_SIZE(lists); k++) {
		const cs_value *l = array_of(a, file, root, lists[k], &bad);
		for (size_t i = 0; !rc && i < cs_value_len(l); i++)
			rc = read_principal(a, file, cs_value_at(l, i), (cs__iam_pkind)k, &bad);
	}
	const cs_value *l = array_of(a, file, root, "Policies", &bad);
	for (size_t i = 0; !rc && i < cs_value_len(l); i++)
		rc = read_managed(a, file, cs_value_at(l, i), &bad);
	cs_ptrvec *pvs[] = { &a->users, &a->groups, &a->roles };
	for (size_t k = 0; k < CS_ARRAY_SIZE(pvs) && !a->account_id; k++)
		for (size_t i = 0; i < pvs[k]->n && !a->account_id; i++)
			note_account(a, ((cs__iam_principal *)pvs[k]->v[i])->arn);
	if (!rc && bad)
		rc = CS_ESYNTAX;
	return rc;
}
