/*
 * hcl/funcs_ipnet.c - Terraform's IP network functions: cidrhost,
 * cidrnetmask, cidrsubnet, cidrsubnets.
 *
 * Addresses are 128-bit numbers (hi, lo); IPv4 uses the low 32 bits.
 * Parsing follows Go's net.ParseCIDR as Terraform uses it: IPv4 octets with
 * leading zeros are refused, the prefix is masked to the network address.
 * IPv6 text is written as RFC 5952 says (lowercase, the longest run of two
 * or more zero groups as ::).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "funcs.h"

typedef struct u128 {
	uint64_t hi, lo;
} u128;

typedef struct net {
	u128 addr;
	unsigned bits;   /* 32 or 128 */
	unsigned prefix; /* length */
} net;

static u128 u_add(u128 a, u128 b)
{
	u128 r = { a.hi + b.hi, a.lo + b.lo };
	if (r.lo < a.lo)
		r.hi++;
	return r;
}

static u128 u_sub(u128 a, u128 b)
{
	u128 r = { a.hi - b.hi, a.lo - b.lo };
	if (a.lo < b.lo)
		r.hi--;
	return r;
}

static int u_cmp(u128 a, u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* 2^n for n <= 127; (0, 0) for n == 128 (wraps). */
static u128 u_pow2(unsigned n)
{
	u128 r = { 0, 0 };
	if (n < 64)
		r.lo = 1ULL << n;
	else if (n < 128)
		r.hi = 1ULL << (n - 64);
	return r;
}

/* Mask keeping the top `prefix` of `bits` bits. */
static u128 u_mask(unsigned bits, unsigned prefix)
{
	u128 host = u_sub(u_pow2(bits - prefix), (u128){ 0, 1 }); /* host bits */
	if (bits - prefix == 128)
		host = (u128){ ~0ULL, ~0ULL };
	u128 all = bits == 128 ? (u128){ ~0ULL, ~0ULL } : (u128){ 0, 0xFFFFFFFFULL };
	return (u128){ all.hi & ~host.hi, all.lo & ~host.lo };
}

static u128 u_and(u128 a, u128 b)
{
	return (u128){ a.hi & b.hi, a.lo & b.lo };
}

static bool parse_v4(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		size_t st = i;
		unsigned x = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 3)
			x = x * 10 + (unsigned)(s[i++] - '0');
		if (i == st || x > 255 || (i - st > 1 && s[st] == '0'))
			return false;
		v = (v << 8) | x;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
	}
	*out = v;
	return i == n;
}

static bool parse_v6(const char *s, size_t n, u128 *out)
{
	uint16_t g[8] = { 0 };
	int ng = 0, gap = -1;
	size_t i = 0;
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n && s[0] == ':') {
		return false;
	}
	while (i < n) {
		if (ng >= 8)
			return false;
		size_t st = i;
		unsigned x = 0;
		while (i < n && i - st < 4 &&
		       ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'))) {
			char ch = s[i++];
			x = x * 16 + (unsigned)(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
		}
		if (i < n && s[i] == '.') { /* embedded IPv4 */
			uint32_t v4;
			if (ng > 6 || !parse_v4(s + st, n - st, &v4))
				return false;
			g[ng++] = (uint16_t)(v4 >> 16);
			g[ng++] = (uint16_t)v4;
			i = n;
			break;
		}
		if (i == st)
			return false;
		g[ng++] = (uint16_t)x;
		if (i == n)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i < n && s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = ng;
			i++;
		} else if (i == n) {
			return false;
		}
	}
	if (gap < 0 && ng != 8)
		return false;
	if (gap >= 0 && ng >= 8)
		return false;
	uint16_t full[8] = { 0 };
	int tail = gap < 0 ? 0 : ng - gap;
	for (int k = 0; k < (gap < 0 ? ng : gap); k++)
		full[k] = g[k];
	for (int k = 0; k < tail; k++)
		full[8 - tail + k] = g[gap + k];
	out->hi = out->lo = 0;
	for (int k = 0; k < 4; k++) {
		out->hi = (out->hi << 16) | full[k];
		out->lo = (out->lo << 16) | full[k + 4];
	}
	return true;
}

static bool parse_cidr(cs_str s, net *n)
{
	const char *slash = memchr(s.ptr, '/', s.len);
	if (!slash)
		return false;
	size_t al = (size_t)(slash - s.ptr);
	const char *p = slash + 1;
	size_t pl = s.len - al - 1;
	unsigned prefix = 0;
	if (!pl || pl > 3 || (pl > 1 && p[0] == '0'))
		return false;
	for (size_t i = 0; i < pl; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		prefix = prefix * 10 + (unsigned)(p[i] - '0');
	}
	uint32_t v4;
	if (parse_v4(s.ptr, al, &v4)) {
		n->bits = 32;
		n->addr = (u128){ 0, v4 };
	} else if (parse_v6(s.ptr, al, &n->addr)) {
		n->bits = 128;
	} else {
		return false;
	}
	if (prefix > n->bits)
		return false;
	n->prefix = prefix;
	n->addr = u_and(n->addr, u_mask(n->bits, prefix));
	return true;
}

static size_t addr_text(const net *n, u128 a, char *buf, size_t cap)
{
	if (n->bits == 32)
		return (size_t)snprintf(buf, cap, "%u.%u.%u.%u", (unsigned)(a.lo >> 24) & 255,
					(unsigned)(a.lo >> 16) & 255, (unsigned)(a.lo >> 8) & 255,
					(unsigned)a.lo & 255);
	unsigned g[8];
	for (int k = 0; k < 4; k++) {
		g[k] = (unsigned)(a.hi >> (48 - 16 * k)) & 0xFFFF;
		g[k + 4] = (unsigned)(a.lo >> (48 - 16 * k)) & 0xFFFF;
	}
	int best = -1, bestlen = 1;
	for (int k = 0; k < 8;) {
		int l = 0;
		while (k + l < 8 && g[k + l] == 0)
			l++;
		if (l > bestlen) {
			best = k;
			bestlen = l;
		}
		k += l ? l : 1;
	}
	size_t o = 0;
	for (int k = 0; k < 8 && o < cap; k++) {
		if (k == best) {
			o += (size_t)snprintf(buf + o, cap - o, "::");
			k += bestlen - 1;
			continue;
		}
		if (k && k != best + bestlen)
			o += (size_t)snprintf(buf + o, cap - o, ":");
		o += (size_t)snprintf(buf + o, cap - o, "%x", g[k]);
	}
	return o;
}

static cs_err want_cidr(cs__hcl_call *c, size_t i, net *n)
{
	cs_str s;
	cs_err rc = cs__hcl_want_str(c, i, &s);
	if (rc)
		return rc;
	if (!parse_cidr(s, n))
		return cs__hcl_arg_err(c, i, "invalid CIDR address: %.*s", (int)(s.len > 100 ? 100 : s.len),
				       s.ptr);
	return CS_OK;
}

/* A double that is a whole number in [0, 2^bits) as u128. */
static bool num_u128(double d, unsigned bits, u128 *out)
{
	if (d < 0 || d != floor(d) || (bits < 128 && d >= ldexp(1.0, (int)bits)))
		return false;
	double hi = floor(d / 18446744073709551616.0);
	if (hi >= 18446744073709551616.0)
		return false;
	out->hi = (uint64_t)hi;
	out->lo = (uint64_t)(d - hi * 18446744073709551616.0);
	return true;
}

static cs_err f_cidrhost(cs__hcl_call *c, const cs_value **out)
{
	net n;
	double hn;
	char buf[64];
	cs_err rc = want_cidr(c, 0, &n);
	if (!rc)
		rc = cs__hcl_want_num(c, 1, &hn);
	if (rc)
		return rc;
	if (hn != floor(hn))
		return cs__hcl_arg_err(c, 1, "value must be a whole number");
	unsigned hostbits = n.bits - n.prefix;
	u128 off;
	bool neg = hn < 0;
	double mag = neg ? -hn - 1 : hn; /* -1 is the last address */
	if (!num_u128(mag, hostbits, &off))
		return cs__hcl_call_err(c, "prefix of %u bits cannot accommodate a host numbered %.0f",
					n.prefix, hn);
	u128 a;
	if (neg) {
		u128 last = u_add(n.addr, u_sub(u_pow2(hostbits), (u128){ 0, 1 }));
		if (hostbits == 128)
			last = (u128){ ~0ULL, ~0ULL };
		a = u_sub(last, off);
	} else {
		a = u_add(n.addr, off);
	}
	size_t len = addr_text(&n, a, buf, sizeof buf);
	*out = cs__hcl_str(c, buf, len);
	return CS_OK;
}

static cs_err f_cidrnetmask(cs__hcl_call *c, const cs_value **out)
{
	net n;
	char buf[64];
	cs_err rc = want_cidr(c, 0, &n);
	if (rc)
		return rc;
	if (n.bits != 32)
		return cs__hcl_arg_err(c, 0, "IPv6 addresses cannot have a netmask: %s", "use the prefix length");
	size_t len = addr_text(&n, u_mask(32, n.prefix), buf, sizeof buf);
	*out = cs__hcl_str(c, buf, len);
	return CS_OK;
}

static size_t cidr_text(const net *n, u128 a, unsigned prefix, char *buf, size_t cap)
{
	size_t o = addr_text(n, a, buf, cap);
	return o + (size_t)snprintf(buf + o, cap - o, "/%u", prefix);
}

static cs_err f_cidrsubnet(cs__hcl_call *c, const cs_value **out)
{
	net n;
	int64_t nb;
	double num;
	char buf[80];
	cs_err rc = want_cidr(c, 0, &n);
	if (!rc)
		rc = cs__hcl_want_int(c, 1, &nb);
	if (!rc)
		rc = cs__hcl_want_num(c, 2, &num);
	if (rc)
		return rc;
	if (nb < 0 || n.prefix + (uint64_t)nb > n.bits)
		return cs__hcl_call_err(c, "insufficient address space to extend prefix of %u by %lld",
					n.prefix, (long long)nb);
	unsigned np = n.prefix + (unsigned)nb;
	u128 k;
	if (!num_u128(num, (unsigned)nb, &k) || (nb == 0 && num != 0))
		return cs__hcl_call_err(c, "prefix extension of %lld does not accommodate a subnet numbered %.0f",
					(long long)nb, num);
	/* k << (bits - np) */
	unsigned sh = n.bits - np;
	u128 off = k;
	if (sh >= 64) {
		off.hi = sh >= 128 ? 0 : off.lo << (sh - 64);
		off.lo = 0;
	} else if (sh) {
		off.hi = (off.hi << sh) | (off.lo >> (64 - sh));
		off.lo <<= sh;
	}
	size_t len = cidr_text(&n, u_add(n.addr, off), np, buf, sizeof buf);
	*out = cs__hcl_str(c, buf, len);
	return CS_OK;
}

static cs_err f_cidrsubnets(cs__hcl_call *c, const cs_value **out)
{
	net n;
	cs_err rc = want_cidr(c, 0, &n);
	if (rc)
		return rc;
	size_t cnt = c->nargs - 1;
	cs_value **v = cs_arena_alloc(c->arena, (cnt ? cnt : 1) * sizeof *v);
	if (!v)
		return cs__hcl_oom(c);
	u128 cur = n.addr;
	u128 end = u_add(n.addr, u_pow2(n.bits - n.prefix)); /* exclusive; wraps for /0 of v6 */
	bool whole = n.bits - n.prefix == 128;
	for (size_t i = 0; i < cnt; i++) {
		int64_t nb;
		char buf[80];
		if ((rc = cs__hcl_want_int(c, i + 1, &nb)))
			return rc;
		if (nb < 1 || n.prefix + (uint64_t)nb > n.bits)
			return cs__hcl_arg_err(c, i + 1, "would extend prefix to %lld bits, which is too long for an IPv%d address",
					       (long long)(n.prefix + nb), n.bits == 32 ? 4 : 6);
		unsigned len = n.prefix + (unsigned)nb;
		u128 size = u_pow2(n.bits - len);
		/* align cur up to a multiple of size */
		u128 m = u_mask(n.bits, len);
		u128 start = u_and(cur, m);
		if (u_cmp(start, cur) < 0)
			start = u_add(start, size);
		u128 stop = u_add(start, size);
		bool fits = u_cmp(start, cur) >= 0 && (whole || (u_cmp(stop, end) <= 0 && u_cmp(stop, start) > 0));
		if (!fits) {
			char pb[80];
			cidr_text(&n, cur, n.prefix, pb, sizeof pb);
			return cs__hcl_arg_err(c, i + 1, "not enough remaining address space for a subnet with a prefix of %u bits after %s",
					       len, i ? "the previous subnet" : "the start of the range");
		}
		size_t tl = cidr_text(&n, start, len, buf, sizeof buf);
		if (!(v[i] = cs__hcl_str(c, buf, tl)))
			return cs__hcl_oom(c);
		cur = stop;
	}
	*out = cs__hcl_list(c, v, cnt);
	return CS_OK;
}

const cs__hcl_func cs__hcl_funcs_ipnet[] = {
	{ "cidrhost", 2, 2, 0, "prefix,hostnum", f_cidrhost },
	{ "cidrnetmask", 1, 1, 0, "prefix", f_cidrnetmask },
	{ "cidrsubnet", 3, 3, 0, "prefix,newbits,netnum", f_cidrsubnet },
	{ "cidrsubnets", 1, CS__HCL_VARIADIC, 0, "prefix,newbits", f_cidrsubnets },
};
const size_t cs__hcl_funcs_ipnet_n = CS_ARRAY_SIZE(cs__hcl_funcs_ipnet);
