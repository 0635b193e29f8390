/*
 * iam/request.c - one authorization request: the principal (and the
 * context keys AWS derives from it, "AWS global condition context keys"),
 * the action, the resource and the request context.
 */
#include <string.h>

#include "iam/policy_int.h"

cs_err cs_iam_request_new(cs_iam_request **out)
{
	*out = NULL;
	cs_iam_request *rq = cs_calloc(1, sizeof *rq);
	if (!rq)
		return CS_ENOMEM;
	rq->arena = cs_arena_new(0);
	if (!rq->arena) {
		cs_free(rq);
		return CS_ENOMEM;
	}
	rq->action = "";
	*out = rq;
	return CS_OK;
}

void cs_iam_request_free(cs_iam_request *rq)
{
	if (!rq)
		return;
	for (size_t i = 0; i < rq->nctx; i++) {
		cs_free(rq->ctx[i].v);
		cs_free(rq->ctx[i].meta);
	}
	cs_free(rq->ctx);
	cs_arena_free(rq->arena);
	cs_free(rq);
}

static bool keyeq(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

uint64_t cs__iam_svc_bit(const char *svc, size_t len)
{
	return (uint64_t)1 << (cs__hash64(svc, len, 0) & 63);
}

const cs_ctxkey *cs__iam_ctx_key(const cs_iam_request *rq, const char *key, size_t klen,
				 uint64_t hash)
{
	for (size_t i = 0; i < rq->nctx; i++) {
		const cs_ctxkey *k = &rq->ctx[i];
		if (k->hash == hash && k->klen == klen && memcmp(k->key, key, klen) == 0)
			return k;
	}
	return NULL;
}

char *const *cs__iam_ctx_get_h(const cs_iam_request *rq, const char *key, size_t klen,
			       uint64_t hash, size_t *n)
{
	for (size_t i = 0; i < rq->nctx; i++) {
		const cs_ctxkey *k = &rq->ctx[i];
		if (k->hash == hash && k->klen == klen && memcmp(k->key, key, klen) == 0) {
			*n = k->nv;
			return k->v;
		}
	}
	*n = 0;
	return NULL;
}

char *const *cs__iam_ctx_get(const cs_iam_request *rq, const char *key, size_t klen, size_t *n)
{
	char low[256];
	if (klen < sizeof low) {
		for (size_t i = 0; i < klen; i++)
			low[i] = (key[i] >= 'A' && key[i] <= 'Z') ? (char)(key[i] + 32) : key[i];
		return cs__iam_ctx_get_h(rq, low, klen, cs__hash64(low, klen, 0), n);
	}
	for (size_t i = 0; i < rq->nctx; i++) {
		const cs_ctxkey *k = &rq->ctx[i];
		if (keyeq(k->key, k->klen, key, klen)) {
			*n = k->nv;
			return k->v;
		}
	}
	*n = 0;
	return NULL;
}

/* Adds a value; explicit values replace derived ones of the same key. */
static cs_err ctx_add(cs_iam_request *rq, const char *key, size_t klen, const char *val,
		      bool derived)
{
	cs_ctxkey *k = NULL;
	for (size_t i = 0; i < rq->nctx; i++)
		if (keyeq(rq->ctx[i].key, rq->ctx[i].klen, key, klen))
			k = &rq->ctx[i];
	if (k && k->derived != derived) {
		if (derived)
			return CS_OK; /* an explicit value wins */
		k->nv = 0;
		k->derived = false;
	} else if (k && derived) {
		k->nv = 0; /* a new principal replaces derived values */
	}
	if (!k) {
		if (rq->nctx == rq->capctx) {
			size_t cap = rq->capctx ? rq->capctx * 2 : 16;
			cs_ctxkey *nv = cs_realloc(rq->ctx, cap * sizeof *nv);
			if (!nv)
				return CS_ENOMEM;
			rq->ctx = nv;
			rq->capctx = cap;
		}
		k = &rq->ctx[rq->nctx];
		memset(k, 0, sizeof *k);
		k->key = cs_arena_strndup(rq->arena, key, klen);
		if (!k->key)
			return CS_ENOMEM;
		for (size_t i = 0; i < klen; i++)
			if (k->key[i] >= 'A' && k->key[i] <= 'Z')
				k->key[i] = (char)(k->key[i] + 32);
		k->klen = klen;
		k->hash = cs__hash64(k->key, klen, 0);
		k->derived = derived;
		rq->nctx++;
	}
	if (k->nv == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 2;
		char **nv = cs_realloc(k->v, cap * sizeof *nv);
		if (!nv)
			return CS_ENOMEM;
		k->v = nv;
		cs_ctxmeta *nm = cs_realloc(k->meta, cap * sizeof *nm);
		if (!nm)
			return CS_ENOMEM;
		k->meta = nm;
		k->cap = cap;
	}
	char *d = cs_arena_strdup(rq->arena, val);
	if (!d)
		return CS_ENOMEM;
	cs_ctxmeta *m = &k->meta[k->nv];
	m->len = strlen(d);
	m->num_ok = cs__iam_parse_num(d, m->len, &m->num);
	m->ms_ok = cs__iam_parse_date(d, m->len, &m->ms);
	k->v[k->nv++] = d;
	return CS_OK;
}

static cs_err derive(cs_iam_request *rq, const char *key, const char *val)
{
	return ctx_add(rq, key, strlen(key), val, true);
}

cs_err cs_iam_request_context(cs_iam_request *rq, const char *key, const char *value)
{
	if (!key || !*key || !value)
		return CS_EINVAL;
	return ctx_add(rq, key, strlen(key), value, false);
}

/* Splits arn:P:SVC:REGION:ACCOUNT:RESOURCE; false if fewer segments. */
static bool arn_parts(const char *s, const char *part[6], size_t len[6])
{
	if (strncmp(s, "arn:", 4) != 0)
		return false;
	size_t k = 0;
	const char *start = s;
	for (const char *p = s; *p && k < 5; p++) {
		if (*p == ':') {
			part[k] = start;
			len[k] = (size_t)(p - start);
			k++;
			start = p + 1;
		}
	}
	if (k != 5)
		return false;
	part[5] = start;
	len[5] = strlen(start);
	return true;
}

static bool is_account(const char *s, size_t n)
{
	if (n != 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

cs_err cs_iam_request_principal(cs_iam_request *rq, const char *principal)
{
	cs_err rc = CS_OK;
	if (!principal || !*principal)
		return CS_EINVAL;
	cs_arena *a = rq->arena;
	const char *part[6];
	size_t len[6];
	uint8_t kind = CS_RQP_NONE;
	const char *acct = NULL, *role = NULL, *parn = NULL, *ptype = NULL, *uname = NULL;
	bool slr = false;
	size_t n = strlen(principal);
	if (strcmp(principal, "*") == 0) {
		kind = CS_RQP_ANONYMOUS;
		ptype = "Anonymous";
	} else if (is_account(principal, n)) {
		kind = CS_RQP_ROOT;
		acct = principal;
	} else if (arn_parts(principal, part, len)) {
		if (!is_account(part[4], len[4]))
			return CS_EINVAL;
		acct = cs_arena_strndup(a, part[4], len[4]);
		const char *r = part[5];
		size_t rl = len[5];
		bool iam = len[2] == 3 && memcmp(part[2], "iam", 3) == 0;
		bool sts = len[2] == 3 && memcmp(part[2], "sts", 3) == 0;
		if (iam && rl == 4 && memcmp(r, "root", 4) == 0) {
			kind = CS_RQP_ROOT;
		} else if (iam && rl > 5 && memcmp(r, "user/", 5) == 0) {
			kind = CS_RQP_USER;
			uname = strrchr(r, '/') + 1;
		} else if (iam && rl > 5 && memcmp(r, "role/", 5) == 0) {
			kind = CS_RQP_ROLE;
			role = principal;
			slr = strncmp(r, "role/aws-service-role/", 22) == 0;
		} else if (sts && rl > 13 && memcmp(r, "assumed-role/", 13) == 0) {
			const char *rn = r + 13, *sl = strchr(rn, '/');
			if (!sl || sl == rn || !sl[1])
				return CS_EINVAL;
			kind = CS_RQP_SESSION;
			role = cs_arena_printf(a, "arn:%.*s:iam::%s:role/%.*s", (int)len[1], part[1],
					       acct, (int)(sl - rn), rn);
		} else if (sts && rl > 15 && memcmp(r, "federated-user/", 15) == 0) {
			kind = CS_RQP_FEDERATED;
		} else {
			return CS_EINVAL;
		}
		if (kind == CS_RQP_ROOT)
			parn = cs_arena_printf(a, "arn:%.*s:iam::%s:root", (int)len[1], part[1], acct);
	} else if (n > 14 && (strstr(principal, ".amazonaws.com") || strstr(principal, ".amazon.com"))) {
		kind = CS_RQP_SERVICE;
	} else {
		return CS_EINVAL;
	}
	if (kind == CS_RQP_ROOT && !parn)
		parn = cs_arena_printf(a, "arn:aws:iam::%s:root", acct);
	/* a request object may be reused for another principal: forget what
	 * was derived from the previous one */
	for (size_t i = 0; i < rq->nctx; i++)
		if (rq->ctx[i].derived && strncmp(rq->ctx[i].key, "aws:resourceaccount", 20) != 0)
			rq->ctx[i].nv = 0;
	rq->principal = cs_arena_strdup(a, principal);
	rq->pkind = kind;
	rq->account = acct;
	rq->role_arn = role;
	rq->slr = slr;
	if (!rq->principal || (kind == CS_RQP_ROOT && !parn) ||
	    ((kind == CS_RQP_SESSION || kind == CS_RQP_ROLE) && !role))
		return CS_ENOMEM;
	switch (kind) {
	case CS_RQP_USER:
		ptype = "User";
		parn = rq->principal;
		break;
	case CS_RQP_ROLE:
	case CS_RQP_SESSION:
		ptype = "AssumedRole";
		parn = role;
		break;
	case CS_RQP_FEDERATED:
		ptype = "FederatedUser";
		parn = rq->principal;
		break;
	case CS_RQP_ROOT:
		ptype = "Account";
		break;
	default:
		break;
	}
	if (parn)
		rc = derive(rq, "aws:PrincipalArn", parn);
	if (!rc && acct)
		rc = derive(rq, "aws:PrincipalAccount", acct);
	if (!rc && ptype)
		rc = derive(rq, "aws:PrincipalType", ptype);
	if (!rc && uname)
		rc = derive(rq, "aws:username", uname);
	if (!rc && kind == CS_RQP_ROOT)
		rc = derive(rq, "aws:userid", acct);
	if (!rc)
		rc = derive(rq, "aws:PrincipalIsAWSService", kind == CS_RQP_SERVICE ? "true" : "false");
	if (!rc && kind == CS_RQP_SERVICE)
		rc = derive(rq, "aws:PrincipalServiceName", principal);
	return rc;
}

cs_err cs_iam_request_action(cs_iam_request *rq, const char *action)
{
	if (!action || !strchr(action, ':'))
		return CS_EINVAL;
	size_t n = strlen(action);
	char *d = cs_arena_strndup(rq->arena, action, n);
	if (!d)
		return CS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char)(d[i] + 32);
	rq->action = d;
	rq->action_len = n;
	rq->svc_bit = cs__iam_svc_bit(d, (size_t)(strchr(d, ':') - d));
	return CS_OK;
}

cs_err cs_iam_request_resource(cs_iam_request *rq, const char *arn)
{
	if (!arn || !*arn)
		return CS_EINVAL;
	const char *part[6];
	size_t len[6];
	bool is_arn = arn_parts(arn, part, len);
	if (strcmp(arn, "*") != 0 && !is_arn)
		return CS_EINVAL;
	rq->resource = cs_arena_strdup(rq->arena, arn);
	if (!rq->resource)
		return CS_ENOMEM;
	rq->resource_len = strlen(arn);
	rq->kms_key = is_arn && len[2] == 3 && memcmp(part[2], "kms", 3) == 0 &&
		      strncmp(part[5], "key/", 4) == 0;
	if (rq->res_account_explicit)
		return CS_OK;
	rq->res_account = NULL;
	for (size_t i = 0; i < rq->nctx; i++)
		if (rq->ctx[i].derived && strcmp(rq->ctx[i].key, "aws:resourceaccount") == 0)
			rq->ctx[i].nv = 0;
	if (is_arn && len[4] > 0 && is_account(part[4], len[4])) {
		rq->res_account = cs_arena_strndup(rq->arena, part[4], len[4]);
		if (!rq->res_account)
			return CS_ENOMEM;
		return derive(rq, "aws:ResourceAccount", rq->res_account);
	}
	return CS_OK;
}

cs_err cs_iam_request_resource_account(cs_iam_request *rq, const char *account)
{
	if (!account || !is_account(account, strlen(account)))
		return CS_EINVAL;
	rq->res_account = cs_arena_strdup(rq->arena, account);
	if (!rq->res_account)
		return CS_ENOMEM;
	rq->res_account_explicit = true;
	return derive(rq, "aws:ResourceAccount", rq->res_account);
}

const char *cs__iam_resource_account(const cs_iam_request *rq)
{
	return rq->res_account ? rq->res_account : rq->account;
}
