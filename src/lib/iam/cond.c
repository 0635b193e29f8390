/*
 * iam/cond.c - the Condition element: operator names, typed policy values
 * and evaluation against the request context, as the IAM User Guide
 * describes them ("IAM JSON policy elements: Condition operators",
 * "Single-valued vs. multivalued context keys", "Variables and tags").
 *
 * Rules implemented here:
 *  - several values of one key: any may match (OR);
 *  - a key missing from the request: the condition is false, except that a
 *    negated operator (StringNotEquals, NotIpAddress, ArnNotLike, ...) is
 *    true, ...IfExists is true, ForAllValues is true and Null tests it;
 *  - ForAnyValue: some request value matches; ForAllValues: every request
 *    value matches (an empty or missing key: true);
 *  - without a set operator, a multi-valued key matches when any of its
 *    values does (negated: when none does).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iam/policy_int.h"

static const struct {
	const char *name;
	uint8_t op;
	bool neg;
} ops[] = {
	{ "StringEquals", CS_COP_STR_EQ, false },
	{ "StringNotEquals", CS_COP_STR_EQ, true },
	{ "StringEqualsIgnoreCase", CS_COP_STR_EQ_IC, false },
	{ "StringNotEqualsIgnoreCase", CS_COP_STR_EQ_IC, true },
	{ "StringLike", CS_COP_STR_LIKE, false },
	{ "StringNotLike", CS_COP_STR_LIKE, true },
	{ "NumericEquals", CS_COP_NUM_EQ, false },
	{ "NumericNotEquals", CS_COP_NUM_EQ, true },
	{ "NumericLessThan", CS_COP_NUM_LT, false },
	{ "NumericLessThanEquals", CS_COP_NUM_LE, false },
	{ "NumericGreaterThan", CS_COP_NUM_GT, false },
	{ "NumericGreaterThanEquals", CS_COP_NUM_GE, false },
	{ "DateEquals", CS_COP_DATE_EQ, false },
	{ "DateNotEquals", CS_COP_DATE_EQ, true },
	{ "DateLessThan", CS_COP_DATE_LT, false },
	{ "DateLessThanEquals", CS_COP_DATE_LE, false },
	{ "DateGreaterThan", CS_COP_DATE_GT, false },
	{ "DateGreaterThanEquals", CS_COP_DATE_GE, false },
	{ "Bool", CS_COP_BOOL, false },
	{ "BinaryEquals", CS_COP_BINARY, false },
	{ "IpAddress", CS_COP_IP, false },
	{ "NotIpAddress", CS_COP_IP, true },
	{ "ArnEquals", CS_COP_ARN, false },
	{ "ArnLike", CS_COP_ARN, false },
	{ "ArnNotEquals", CS_COP_ARN, true },
	{ "ArnNotLike", CS_COP_ARN, true },
	{ "Null", CS_COP_NULL, false },
};

static bool ieq(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);
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

bool cs__iam_cop_parse(const char *name, size_t len, cs_cond *out)
{
	out->set = CS_SET_NONE;
	if (len > 12 && ieq(name, 12, "ForAnyValue:")) {
		out->set = CS_SET_ANY;
		name += 12;
		len -= 12;
	} else if (len > 13 && ieq(name, 13, "ForAllValues:")) {
		out->set = CS_SET_ALL;
		name += 13;
		len -= 13;
	}
	out->ifexists = false;
	if (len > 8 && ieq(name + len - 8, 8, "IfExists")) {
		out->ifexists = true;
		len -= 8;
	}
	for (size_t i = 0; i < CS_ARRAY_SIZE(ops); i++) {
		if (ieq(name, len, ops[i].name)) {
			if (ops[i].op == CS_COP_NULL && (out->ifexists || out->set))
				return false; /* NullIfExists is no operator */
			out->op = ops[i].op;
			out->neg = ops[i].neg;
			return true;
		}
	}
	return false;
}

/* ---- typed values ------------------------------------------------------- */

bool cs__iam_parse_num(const char *s, size_t len, double *out)
{
	char tmp[64];
	if (len == 0 || len >= sizeof tmp)
		return false;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	for (size_t i = 0; i < len; i++) {
		char c = tmp[i];
		if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' ||
		      c == 'E'))
			return false;
	}
	char *end = NULL;
	double d = strtod(tmp, &end);
	if (end != tmp + len || !isfinite(d))
		return false;
	*out = d;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, size_t n, size_t at, size_t k, unsigned *out)
{
	if (at + k > n)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < k; i++) {
		char c = s[at + i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*out = v;
	return true;
}

bool cs__iam_parse_date(const char *s, size_t n, int64_t *ms)
{
	/* epoch seconds: digits only */
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == n && n > 0 && n <= 12) {
		int64_t v = 0;
		for (size_t k = 0; k < n; k++)
			v = v * 10 + (s[k] - '0');
		*ms = v * 1000;
		return true;
	}
	unsigned y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
	if (!digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' || !digits(s, n, 5, 2, &mo) ||
	    s[7] != '-' || !digits(s, n, 8, 2, &d))
		return false;
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return false;
	size_t p = 10;
	int64_t off = 0;
	if (p < n) {
		if (s[p] != 'T' && s[p] != 't')
			return false;
		p++;
		if (!digits(s, n, p, 2, &h) || p + 2 >= n || s[p + 2] != ':' ||
		    !digits(s, n, p + 3, 2, &mi))
			return false;
		p += 5;
		if (p < n && s[p] == ':') {
			if (!digits(s, n, p + 1, 2, &se))
				return false;
			p += 3;
			if (p < n && s[p] == '.') {
				p++;
				size_t k = 0;
				unsigned scale = 100;
				while (p < n && s[p] >= '0' && s[p] <= '9') {
					frac += (unsigned)(s[p] - '0') * scale;
					scale /= 10;
					p++;
					k++;
				}
				if (k == 0)
					return false;
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			return false;
		if (p < n && (s[p] == 'Z' || s[p] == 'z')) {
			p++;
		} else if (p < n && (s[p] == '+' || s[p] == '-')) {
			unsigned oh, om;
			int sign = s[p] == '-' ? -1 : 1;
			p++;
			if (!digits(s, n, p, 2, &oh))
				return false;
			p += 2;
			if (p < n && s[p] == ':')
				p++;
			if (!digits(s, n, p, 2, &om))
				return false;
			p += 2;
			if (oh > 23 || om > 59)
				return false;
			off = sign * (int64_t)(oh * 60 + om) * 60;
		}
		if (p != n)
			return false;
	}
	int64_t secs = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + mi * 60 + se - off;
	*ms = secs * 1000 + frac;
	return true;
}

static bool parse_v4(const char *s, size_t n, uint8_t out[4])
{
	size_t p = 0;
	for (int k = 0; k < 4; k++) {
		unsigned v = 0, nd = 0;
		while (p < n && s[p] >= '0' && s[p] <= '9' && nd < 4) {
			v = v * 10 + (unsigned)(s[p] - '0');
			p++;
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 255)
			return false;
		out[k] = (uint8_t)v;
		if (k < 3) {
			if (p >= n || s[p] != '.')
				return false;
			p++;
		}
	}
	return p == n;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_v6(const char *s, size_t n, uint8_t out[16])
{
	uint16_t w[8] = { 0 };
	int nw = 0, gap = -1;
	size_t p = 0;
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		p = 2;
		if (p == n)
			goto done;
	} else if (n > 0 && s[0] == ':') {
		return false;
	}
	while (p < n) {
		if (nw >= 8)
			return false;
		/* an embedded IPv4 tail */
		const char *gend = memchr(s + p, ':', n - p);
		size_t glen = gend ? (size_t)(gend - (s + p)) : n - p;
		if (memchr(s + p, '.', glen)) {
			if (gend)
				return false; /* the IPv4 tail must come last */
			uint8_t v4[4];
			if (nw > 6 || !parse_v4(s + p, n - p, v4))
				return false;
			w[nw++] = (uint16_t)(v4[0] << 8 | v4[1]);
			w[nw++] = (uint16_t)(v4[2] << 8 | v4[3]);
			p = n;
			break;
		}
		unsigned v = 0, nd = 0;
		int h;
		while (p < n && (h = hexv(s[p])) >= 0) {
			v = v << 4 | (unsigned)h;
			p++;
			if (++nd > 4)
				return false;
		}
		if (nd == 0)
			return false;
		w[nw++] = (uint16_t)v;
		if (p == n)
			break;
		if (s[p] != ':')
			return false;
		p++;
		if (p < n && s[p] == ':') {
			if (gap >= 0)
				return false;
			gap = nw;
			p++;
			if (p == n)
				break;
		} else if (p == n) {
			return false;
		}
	}
done:
	if (gap < 0 && nw != 8)
		return false;
	if (gap >= 0 && nw > 7)
		return false;
	uint16_t full[8] = { 0 };
	if (gap < 0) {
		memcpy(full, w, sizeof full);
	} else {
		for (int i = 0; i < gap; i++)
			full[i] = w[i];
		int tail = nw - gap;
		for (int i = 0; i < tail; i++)
			full[8 - tail + i] = w[gap + i];
	}
	for (int i = 0; i < 8; i++) {
		out[2 * i] = (uint8_t)(full[i] >> 8);
		out[2 * i + 1] = (uint8_t)full[i];
	}
	return true;
}

bool cs__iam_parse_cidr(const char *s, size_t n, bool allow_prefix, uint8_t ip[16],
			uint8_t *bits, bool *v6)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (slash && !allow_prefix)
		return false;
	memset(ip, 0, 16);
	bool six = memchr(s, ':', alen) != NULL;
	if (six ? !parse_v6(s, alen, ip) : !parse_v4(s, alen, ip))
		return false;
	unsigned max = six ? 128 : 32, b = max;
	if (slash) {
		size_t k = n - alen - 1;
		if (k == 0 || k > 3 || !digits(s, n, alen + 1, k, &b) || b > max)
			return false;
	}
	*bits = (uint8_t)b;
	*v6 = six;
	return true;
}

static int b64v(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Base64 (standard or URL alphabet, '=' padding optional) into out (at
 * least n bytes); returns the length or -1. */
static long b64dec(const char *s, size_t n, uint8_t *out)
{
	while (n > 0 && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return -1;
	size_t o = 0;
	uint32_t acc = 0;
	int nb = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64v(s[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		nb += 6;
		if (nb >= 8) {
			nb -= 8;
			out[o++] = (uint8_t)(acc >> nb);
		}
	}
	return (long)o;
}

const char *cs__iam_cval_compile(cs_cond *c, cs_cval *v, cs_arena *a)
{
	const char *s = v->p.s;
	size_t n = v->p.len;
	switch (c->op) {
	case CS_COP_NUM_EQ:
	case CS_COP_NUM_LT:
	case CS_COP_NUM_LE:
	case CS_COP_NUM_GT:
	case CS_COP_NUM_GE:
		return cs__iam_parse_num(s, n, &v->num) ? NULL : "is not a number";
	case CS_COP_DATE_EQ:
	case CS_COP_DATE_LT:
	case CS_COP_DATE_LE:
	case CS_COP_DATE_GT:
	case CS_COP_DATE_GE:
		return cs__iam_parse_date(s, n, &v->ms)
			       ? NULL
			       : "is not a date (ISO 8601, such as 2026-01-31T12:00:00Z, or epoch seconds)";
	case CS_COP_BOOL:
	case CS_COP_NULL:
		if (ieq(s, n, "true"))
			v->b = true;
		else if (ieq(s, n, "false"))
			v->b = false;
		else
			return "must be true or false";
		return NULL;
	case CS_COP_IP:
		return cs__iam_parse_cidr(s, n, true, v->ip, &v->bits, &v->v6)
			       ? NULL
			       : "is not an IP address or CIDR block";
	case CS_COP_BINARY: {
		v->bin = cs_arena_alloc(a, n + 1);
		if (!v->bin)
			return "out of memory";
		long k = b64dec(s, n, v->bin);
		if (k < 0)
			return "is not base64";
		v->binlen = (size_t)k;
		return NULL;
	}
	default:
		return NULL;
	}
}

/* ---- evaluation --------------------------------------------------------- */

#define CS_SUBST_MAX 2048

static int cmp_num(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static bool ordered(uint8_t op, int c)
{
	switch (op) {
	case CS_COP_NUM_EQ:
	case CS_COP_DATE_EQ:
		return c == 0;
	case CS_COP_NUM_LT:
	case CS_COP_DATE_LT:
		return c < 0;
	case CS_COP_NUM_LE:
	case CS_COP_DATE_LE:
		return c <= 0;
	case CS_COP_NUM_GT:
	case CS_COP_DATE_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

static bool ip_in(const cs_cval *pv, const char *s, size_t n)
{
	uint8_t ip[16], bits;
	bool v6;
	if (!cs__iam_parse_cidr(s, n, true, ip, &bits, &v6) || v6 != pv->v6)
		return false;
	unsigned b = pv->bits;
	for (unsigned i = 0; i < b / 8; i++)
		if (ip[i] != pv->ip[i])
			return false;
	if (b % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - b % 8));
		if ((ip[b / 8] & mask) != (pv->ip[b / 8] & mask))
			return false;
	}
	return true;
}

/* Whether one request value matches one policy value (positive sense). */
static bool one(const cs_cond *c, const cs_cval *pv, const cs_policy *p,
		const cs_iam_request *rq, const char *s, const cs_ctxmeta *m)
{
	size_t n = m->len;
	switch (c->op) {
	case CS_COP_STR_EQ:
	case CS_COP_STR_EQ_IC:
	case CS_COP_STR_LIKE:
	case CS_COP_ARN: {
		const char *ps = pv->p.s;
		size_t pn = pv->p.len;
		char buf[CS_SUBST_MAX];
		unsigned char lit[CS_SUBST_MAX];
		const unsigned char *lp = NULL;
		if (pv->p.has_var && p->v2012) {
			long k = cs__iam_subst(&pv->p, rq, buf, sizeof buf, lit);
			if (k < 0)
				return false;
			ps = buf;
			pn = (size_t)k;
			lp = lit;
		}
		if (c->op == CS_COP_STR_EQ)
			return pn == n && memcmp(ps, s, n) == 0;
		if (c->op == CS_COP_STR_EQ_IC)
			return ieq(ps, pn, s);
		if (c->op == CS_COP_STR_LIKE)
			return cs__iam_glob_lit(ps, lp, pn, s, n, false);
		/* ARN operators: the request value must be an ARN */
		if (n < 4 || memcmp(s, "arn:", 4) != 0)
			return false;
		return cs__iam_arn_match_lit(ps, lp, pn, s, n);
	}
	case CS_COP_NUM_EQ:
	case CS_COP_NUM_LT:
	case CS_COP_NUM_LE:
	case CS_COP_NUM_GT:
	case CS_COP_NUM_GE: {
		if (!m->num_ok)
			return false;
		return ordered(c->op, cmp_num(m->num, pv->num));
	}
	case CS_COP_DATE_EQ:
	case CS_COP_DATE_LT:
	case CS_COP_DATE_LE:
	case CS_COP_DATE_GT:
	case CS_COP_DATE_GE: {
		if (!m->ms_ok)
			return false;
		return ordered(c->op, m->ms < pv->ms ? -1 : m->ms > pv->ms ? 1 : 0);
	}
	case CS_COP_BOOL:
		return ieq(s, n, pv->b ? "true" : "false");
	case CS_COP_IP:
		return ip_in(pv, s, n);
	case CS_COP_BINARY: {
		uint8_t tmp[CS_SUBST_MAX];
		if (n >= sizeof tmp)
			return false;
		long k = b64dec(s, n, tmp);
		if (k < 0)
			return n == pv->binlen && memcmp(s, pv->bin, n) == 0;
		return (size_t)k == pv->binlen && memcmp(tmp, pv->bin, pv->binlen) == 0;
	}
	default:
		return false;
	}
}

/* A request value against all the policy values, in the operator's sense. */
static bool value_matches(const cs_cond *c, const cs_policy *p, const cs_iam_request *rq,
			  const char *s, const cs_ctxmeta *m)
{
	bool any = false;
	for (size_t i = 0; i < c->nv && !any; i++)
		any = one(c, &c->v[i], p, rq, s, m);
	return c->neg ? !any : any;
}

bool cs__iam_cond_eval(const cs_cond *c, const cs_policy *p, const cs_iam_request *rq)
{
	const cs_ctxkey *ck = cs__iam_ctx_key(rq, c->key, c->keylen, c->keyhash);
	size_t nv = ck ? ck->nv : 0;
	char *const *v = ck ? ck->v : NULL;
	const cs_ctxmeta *meta = ck ? ck->meta : NULL;
	if (c->op == CS_COP_NULL) {
		/* "true": the key is absent; "false": present (OR over values) */
		for (size_t i = 0; i < c->nv; i++)
			if (c->v[i].b == (nv == 0))
				return true;
		return false;
	}
	if (nv == 0) {
		if (c->ifexists)
			return true;
		if (c->set == CS_SET_ALL)
			return true;
		if (c->set == CS_SET_ANY)
			return false;
		return c->neg;
	}
	if (c->set == CS_SET_ALL) {
		for (size_t i = 0; i < nv; i++)
			if (!value_matches(c, p, rq, v[i], &meta[i]))
				return false;
		return true;
	}
	if (c->set == CS_SET_ANY) {
		for (size_t i = 0; i < nv; i++)
			if (value_matches(c, p, rq, v[i], &meta[i]))
				return true;
		return false;
	}
	/* single-valued use: positive if any request value matches any policy
	 * value; negated if none does */
	bool any = false;
	for (size_t i = 0; i < nv && !any; i++) {
		for (size_t k = 0; k < c->nv && !any; k++)
			any = one(c, &c->v[k], p, rq, v[i], &meta[i]);
	}
	return c->neg ? !any : any;
}
