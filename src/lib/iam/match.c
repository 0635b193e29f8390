/*
 * iam/match.c - matching of the statement elements that name things:
 * Action/NotAction (case-insensitive, * and ?), Resource/NotResource (ARNs
 * segment by segment, policy variables), Principal/NotPrincipal (accounts,
 * users, roles, sessions, services, "*"), as the IAM User Guide describes
 * them ("IAM JSON policy elements", "Amazon Resource Names").
 */
#include <string.h>

#include "iam/policy_int.h"

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* The glob core: linear-time with one backtrack point (the last '*'). */
static bool glob(const char *p, const unsigned char *lit, size_t plen, const char *s,
		 size_t slen, bool icase)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
	while (si < slen) {
		if (pi < plen && p[pi] == '*' && !(lit && lit[pi])) {
			star = pi++;
			mark = si;
			continue;
		}
		if (pi < plen) {
			unsigned char a = (unsigned char)p[pi], b = (unsigned char)s[si];
			bool q = a == '?' && !(lit && lit[pi]);
			if (q || a == b || (icase && lower(a) == lower(b))) {
				pi++;
				si++;
				continue;
			}
		}
		if (star == (size_t)-1)
			return false;
		pi = star + 1;
		si = ++mark;
	}
	while (pi < plen && p[pi] == '*' && !(lit && lit[pi]))
		pi++;
	return pi == plen;
}

bool cs__iam_glob(const char *p, size_t plen, const char *s, size_t slen, bool icase)
{
	return glob(p, NULL, plen, s, slen, icase);
}

bool cs__iam_glob_lit(const char *p, const unsigned char *lit, size_t plen, const char *s,
		      size_t slen, bool icase)
{
	return glob(p, lit, plen, s, slen, icase);
}

/* Splits an ARN-like string at its first five colons: off[i]/len[i] of up
 * to 6 segments; returns the number of segments. */
static int split6(const char *s, size_t n, size_t off[6], size_t len[6])
{
	int k = 0;
	size_t start = 0;
	for (size_t i = 0; i < n && k < 5; i++) {
		if (s[i] == ':') {
			off[k] = start;
			len[k] = i - start;
			k++;
			start = i + 1;
		}
	}
	off[k] = start;
	len[k] = n - start;
	return k + 1;
}

bool cs__iam_arn_match_lit(const char *p, const unsigned char *lit, size_t plen, const char *s,
			  size_t slen)
{
	if (plen == 1 && p[0] == '*' && !(lit && lit[0]))
		return true;
	if (plen < 4 || memcmp(p, "arn:", 4) != 0 || slen < 4 || memcmp(s, "arn:", 4) != 0)
		return glob(p, lit, plen, s, slen, false);
	size_t po[6], pl[6], so[6], sl[6];
	int pk = split6(p, plen, po, pl);
	int sk = split6(s, slen, so, sl);
	for (int i = 0; i < pk; i++) {
		bool last = i == pk - 1;
		const unsigned char *li = lit ? lit + po[i] : NULL;
		if (last && pk < 6 && pl[i] > 0 && p[po[i] + pl[i] - 1] == '*' &&
		    !(li && li[pl[i] - 1])) {
			/* a trailing '*' of the last segment reaches past colons */
			if (i >= sk)
				return false;
			return glob(p + po[i], li, pl[i], s + so[i], slen - so[i], false);
		}
		if (i >= sk)
			return false;
		if (last && sk != pk)
			return false;
		if (!glob(p + po[i], li, pl[i], s + so[i], sl[i], false))
			return false;
	}
	return true;
}

bool cs__iam_arn_match(const char *p, size_t plen, const char *s, size_t slen)
{
	return cs__iam_arn_match_lit(p, NULL, plen, s, slen);
}

/* ---- policy variables -------------------------------------------------- */

static bool put(char *buf, unsigned char *lit, size_t cap, size_t *o, const char *s, size_t n,
		bool literal)
{
	if (*o + n > cap)
		return false;
	memcpy(buf + *o, s, n);
	memset(lit + *o, literal ? 1 : 0, n);
	*o += n;
	return true;
}

long cs__iam_subst(const cs_pat *p, const cs_iam_request *rq, char *buf, size_t cap,
		   unsigned char *lit)
{
	size_t o = 0;
	const char *s = p->s;
	size_t n = p->len;
	for (size_t i = 0; i < n;) {
		if (s[i] != '$' || i + 1 >= n || s[i + 1] != '{') {
			if (!put(buf, lit, cap, &o, s + i, 1, false))
				return -1;
			i++;
			continue;
		}
		const char *close = memchr(s + i + 2, '}', n - i - 2);
		if (!close) { /* no closing brace: the rest is text */
			if (!put(buf, lit, cap, &o, s + i, n - i, false))
				return -1;
			break;
		}
		const char *b = s + i + 2;
		size_t blen = (size_t)(close - b);
		/* ${key, 'default'}: the key ends at a comma */
		const char *comma = memchr(b, ',', blen);
		size_t klen = comma ? (size_t)(comma - b) : blen;
		while (klen > 0 && b[klen - 1] == ' ')
			klen--;
		while (klen > 0 && b[0] == ' ') {
			b++;
			klen--;
		}
		if (klen == 1 && (b[0] == '*' || b[0] == '?' || b[0] == '$')) {
			if (!put(buf, lit, cap, &o, b, 1, true))
				return -1;
		} else {
			size_t nv = 0;
			char *const *v = cs__iam_ctx_get(rq, b, klen, &nv);
			if (nv == 1) {
				if (!put(buf, lit, cap, &o, v[0], strlen(v[0]), true))
					return -1;
			} else if (comma) {
				/* the default: a quoted string after the comma */
				const char *d = comma + 1, *e = close;
				while (d < e && *d == ' ')
					d++;
				while (e > d && e[-1] == ' ')
					e--;
				if (e - d >= 2 && *d == '\'' && e[-1] == '\'') {
					d++;
					e--;
				}
				if (!put(buf, lit, cap, &o, d, (size_t)(e - d), true))
					return -1;
			} else {
				return -1;
			}
		}
		i = (size_t)(close - s) + 1;
	}
	return (long)o;
}

/* ---- Action ------------------------------------------------------------ */

static bool pat_match(const cs_pat *p, const char *s, size_t n)
{
	switch (p->kind) {
	case CS_PAT_ANY:
		return true;
	case CS_PAT_EXACT:
		return p->len == n && memcmp(p->s, s, n) == 0;
	case CS_PAT_PREFIX:
		return n >= p->len - 1 && memcmp(p->s, s, p->len - 1) == 0;
	default:
		return glob(p->s, NULL, p->len, s, n, false);
	}
}

bool cs__iam_action_match(const cs_stmt *st, const cs_iam_request *rq)
{
	if (!st->svc_any && !(st->svc_bloom & rq->svc_bit))
		return false; /* no pattern names the request's service */
	bool any = false;
	for (size_t i = 0; i < st->nact && !any; i++)
		any = pat_match(&st->act[i], rq->action, rq->action_len);
	return st->not_action ? !any : any;
}

/* ---- Resource ---------------------------------------------------------- */

#define CS_SUBST_MAX 2048

static bool res_one(const cs_pat *p, const cs_policy *pol, const cs_iam_request *rq,
		    const char *r, size_t rlen)
{
	if (p->kind == CS_PAT_ANY)
		return true;
	if (!(p->has_var && pol->v2012)) {
		if (p->kind == CS_PAT_EXACT)
			return p->len == rlen && memcmp(p->s, r, rlen) == 0;
		/* one final '*': it ends the last segment written, and either is
		 * the resource part or reaches past colons: a prefix test */
		if (p->kind == CS_PAT_PREFIX)
			return rlen >= p->len - 1 && memcmp(p->s, r, p->len - 1) == 0;
		return cs__iam_arn_match_lit(p->s, NULL, p->len, r, rlen);
	}
	char buf[CS_SUBST_MAX];
	unsigned char lit[CS_SUBST_MAX];
	long n = cs__iam_subst(p, rq, buf, sizeof buf, lit);
	if (n < 0)
		return false;
	return cs__iam_arn_match_lit(buf, lit, (size_t)n, r, rlen);
}

bool cs__iam_resource_match(const cs_stmt *st, const cs_policy *p, const cs_iam_request *rq)
{
	if (!st->has_resource)
		return true; /* a trust policy: the resource is the role itself */
	const char *r = rq->resource ? rq->resource : "*";
	size_t rlen = rq->resource ? rq->resource_len : 1;
	bool any = false;
	for (size_t i = 0; i < st->nres && !any; i++)
		any = res_one(&st->res[i], p, rq, r, rlen);
	return st->not_resource ? !any : any;
}

/* ---- Principal --------------------------------------------------------- */

static bool eqc(const cs_princ *e, const char *s)
{
	return s && strlen(s) == e->len && memcmp(e->s, s, e->len) == 0;
}

/* A role ARN in a policy names the role whatever its path: a session ARN
 * carries only the role's name (arn:aws:sts::A:assumed-role/NAME/S). */
static bool role_eq(const cs_princ *e, const cs_iam_request *rq)
{
	if (!rq->role_arn)
		return false;
	if (eqc(e, rq->role_arn))
		return true;
	/* compare arn:P:iam::A:role/ + last path element of e with role_arn */
	const char *rs = strstr(e->s, ":role/");
	const char *qs = strstr(rq->role_arn, ":role/");
	if (!rs || !qs)
		return false;
	size_t pre = (size_t)(rs - e->s);
	if (pre != (size_t)(qs - rq->role_arn) || memcmp(e->s, rq->role_arn, pre) != 0)
		return false;
	const char *en = strrchr(rs, '/') + 1;
	const char *qn = qs + 6;
	return strcmp(en, qn) == 0;
}

static int entry_match(const cs_princ *e, const cs_iam_request *rq)
{
	switch (e->kind) {
	case CS_PR_ANY:
		return CS_PM_ANY;
	case CS_PR_ACCOUNT:
		if (rq->pkind == CS_RQP_SERVICE || rq->pkind == CS_RQP_ANONYMOUS)
			return CS_PM_NONE;
		if (rq->account && eqc(e, rq->account))
			return rq->pkind == CS_RQP_ROOT ? CS_PM_EXACT : CS_PM_ACCOUNT;
		return CS_PM_NONE;
	case CS_PR_ARN:
		if (rq->pkind == CS_RQP_ROLE && eqc(e, rq->principal))
			return CS_PM_ROLE; /* the caller is some session of this role */
		if (eqc(e, rq->principal))
			return CS_PM_EXACT;
		if ((rq->pkind == CS_RQP_SESSION || rq->pkind == CS_RQP_ROLE) && role_eq(e, rq))
			return CS_PM_ROLE;
		return CS_PM_NONE;
	case CS_PR_SERVICE:
		return rq->pkind == CS_RQP_SERVICE && eqc(e, rq->principal) ? CS_PM_EXACT
									     : CS_PM_NONE;
	case CS_PR_FEDERATED:
	case CS_PR_CANONICAL: {
		/* web identity / SAML providers and canonical users are named by
		 * the request as the same string */
		return eqc(e, rq->principal) ? CS_PM_EXACT : CS_PM_NONE;
	}
	default:
		return CS_PM_NONE;
	}
}

int cs__iam_principal_match(const cs_stmt *st, const cs_iam_request *rq)
{
	int best = CS_PM_NONE;
	for (size_t i = 0; i < st->npr; i++) {
		int m = entry_match(&st->pr[i], rq);
		/* EXACT is the strongest; ANY beats ACCOUNT and ROLE */
		int rank_m = m == CS_PM_EXACT ? 4 : m == CS_PM_ANY ? 3 : m == CS_PM_ROLE ? 2 : m;
		int rank_b = best == CS_PM_EXACT ? 4 : best == CS_PM_ANY ? 3 : best == CS_PM_ROLE ? 2 : best;
		if (rank_m > rank_b)
			best = m;
	}
	return best;
}

/* NotPrincipal (IAM User Guide, "AWS JSON policy elements: NotPrincipal"):
 * AWS verifies the account, then the role, then the session, so a principal
 * escapes a Deny only when its account is listed and so is the principal
 * itself (user, session or its role); a "*" excludes everyone.  A principal
 * with a permissions boundary is always denied (ibid., key points). */
bool cs__iam_notprincipal_applies(const cs_stmt *st, const cs_iam_request *rq,
				  bool has_boundary)
{
	if (has_boundary && (rq->pkind == CS_RQP_USER || rq->pkind == CS_RQP_SESSION ||
			     rq->pkind == CS_RQP_ROLE))
		return true;
	bool acct = false, self = false;
	for (size_t i = 0; i < st->npr; i++) {
		int m = entry_match(&st->pr[i], rq);
		if (m == CS_PM_ANY)
			return false;
		if (m == CS_PM_ACCOUNT)
			acct = true;
		else if (m == CS_PM_EXACT || m == CS_PM_ROLE)
			self = true;
	}
	switch (rq->pkind) {
	case CS_RQP_ROOT:
		return !self;
	case CS_RQP_SERVICE:
	case CS_RQP_ANONYMOUS:
		return !self;
	default:
		return !(acct && self);
	}
}
