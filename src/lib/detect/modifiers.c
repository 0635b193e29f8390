/*
 * detect/modifiers.c - Sigma value modifiers: turns one detection item
 * (`field|mod|mod: value or list`) into tests and a little program, and
 * holds the value-level helpers the matcher uses (wildcards, CIDR, dates).
 *
 * Values are first put in "glob form" (detect_int.h: CS__GLOB_ESC pairs for
 * the unescaped wildcards `*` and `?` and for a literal 0xFE; Sigma: `\*`,
 * `\?` and `\\` are literals; any other backslash is itself).  Transforming
 * modifiers (windash, utf16*, wide, base64, base64offset) apply in the order
 * written; contains/startswith/endswith add wildcards around the results.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"

enum {
	M_CONTAINS = 1u << 0, M_STARTS = 1u << 1, M_ENDS = 1u << 2, M_ALL = 1u << 3,
	M_RE = 1u << 4, M_CIDR = 1u << 5, M_EXISTS = 1u << 6, M_CASED = 1u << 7,
	M_NEQ = 1u << 8, M_EXPAND = 1u << 9, M_FIELDREF = 1u << 10,
	M_RE_I = 1u << 11, M_RE_M = 1u << 12, M_RE_S = 1u << 13,
};
enum { X_WINDASH = 1, X_UTF16LE, X_UTF16BE, X_UTF16, X_BASE64, X_BASE64OFF };
#define MAX_XFORMS 8
#define MAX_VARIANTS 4096

typedef struct mods {
	unsigned flags;
	uint8_t cmp, timepart;
	uint8_t xf[MAX_XFORMS];
	size_t nxf;
} mods;

/* A list of byte-string variants of one value (heap, bounded). */
typedef struct vlist {
	cs_buf *v;
	size_t n;
} vlist;

static void vlist_release(vlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		cs_buf_release(&l->v[i]);
	cs_free(l->v);
	l->v = NULL;
	l->n = 0;
}

static cs_err vlist_add(vlist *l, const char *p, size_t n)
{
	cs_err rc = CS_OK;
	if (l->n >= MAX_VARIANTS)
		return CS_ELIMIT;
	cs_buf *nv = cs_realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return CS_ENOMEM;
	l->v = nv;
	cs_buf_init(&l->v[l->n], 1u << 20);
	rc = cs_buf_append(&l->v[l->n], p, n);
	l->n++;
	return rc;
}

static const struct {
	const char *name;
	unsigned flag;
	uint8_t cmp, tp, xf;
} MODS[] = {
	{ "contains", M_CONTAINS, 0, 0, 0 },   { "startswith", M_STARTS, 0, 0, 0 },
	{ "endswith", M_ENDS, 0, 0, 0 },       { "all", M_ALL, 0, 0, 0 },
	{ "re", M_RE, 0, 0, 0 },               { "i", M_RE_I, 0, 0, 0 },
	{ "m", M_RE_M, 0, 0, 0 },              { "s", M_RE_S, 0, 0, 0 },
	{ "cidr", M_CIDR, 0, 0, 0 },           { "exists", M_EXISTS, 0, 0, 0 },
	{ "cased", M_CASED, 0, 0, 0 },         { "neq", M_NEQ, 0, 0, 0 },
	{ "expand", M_EXPAND, 0, 0, 0 },       { "fieldref", M_FIELDREF, 0, 0, 0 },
	{ "lt", 0, CS__CMP_LT, 0, 0 },         { "lte", 0, CS__CMP_LTE, 0, 0 },
	{ "gt", 0, CS__CMP_GT, 0, 0 },         { "gte", 0, CS__CMP_GTE, 0, 0 },
	{ "minute", 0, 0, CS__TP_MINUTE, 0 },  { "hour", 0, 0, CS__TP_HOUR, 0 },
	{ "day", 0, 0, CS__TP_DAY, 0 },        { "week", 0, 0, CS__TP_WEEK, 0 },
	{ "month", 0, 0, CS__TP_MONTH, 0 },    { "year", 0, 0, CS__TP_YEAR, 0 },
	{ "windash", 0, 0, 0, X_WINDASH },     { "utf16le", 0, 0, 0, X_UTF16LE },
	{ "wide", 0, 0, 0, X_UTF16LE },        { "utf16be", 0, 0, 0, X_UTF16BE },
	{ "utf16", 0, 0, 0, X_UTF16 },         { "base64", 0, 0, 0, X_BASE64 },
	{ "base64offset", 0, 0, 0, X_BASE64OFF },
};

/* ---- value helpers used by the matcher ----------------------------------- */

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Pattern token at pi: 1 = any run, 2 = one character, 0 = literal byte
 * (*lit); *len is the token's size in the pattern. */
static int glob_tok(const unsigned char *p, size_t plen, size_t pi, unsigned char *lit,
		    size_t *len)
{
	if (p[pi] == (unsigned char)CS__GLOB_ESC && pi + 1 < plen) {
		*len = 2;
		if (p[pi + 1] == '*')
			return 1;
		if (p[pi + 1] == '?')
			return 2;
		*lit = p[pi + 1];
		return 0;
	}
	*len = 1;
	*lit = p[pi];
	return 0;
}

bool cs__glob_match(cs_str pat, const char *s, size_t n, bool cased)
{
	size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;
	const unsigned char *p = (const unsigned char *)pat.ptr;
	const unsigned char *t = (const unsigned char *)s;
	while (si < n) {
		unsigned char lit = 0;
		size_t tl = 0;
		int tok = pi < pat.len ? glob_tok(p, pat.len, pi, &lit, &tl) : -1;
		if (tok == 1) {
			pi += tl;
			star_p = pi;
			star_s = si;
		} else if (tok == 2) {
			/* ? matches one character (a whole UTF-8 sequence) */
			si++;
			while (si < n && (t[si] & 0xc0) == 0x80)
				si++;
			pi += tl;
		} else if (tok == 0 && (cased ? lit == t[si] : lit == lower(t[si]))) {
			pi += tl;
			si++;
		} else if (star_p != SIZE_MAX) {
			pi = star_p;
			si = ++star_s;
		} else {
			return false;
		}
	}
	while (pi + 1 < pat.len && p[pi] == (unsigned char)CS__GLOB_ESC && p[pi + 1] == '*')
		pi += 2;
	return pi == pat.len;
}

bool cs__ip_parse(const char *s, size_t n, uint8_t ip[16], bool *v6)
{
	char tmp[64];
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(ip, 0, 16);
	if (inet_pton(AF_INET, tmp, ip) == 1) {
		*v6 = false;
		return true;
	}
	if (inet_pton(AF_INET6, tmp, ip) == 1) {
		*v6 = true;
		return true;
	}
	return false;
}

bool cs__cidr_parse(const char *s, size_t n, uint8_t net[16], unsigned *bits, bool *v6)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (!cs__ip_parse(s, alen, net, v6))
		return false;
	unsigned max = *v6 ? 128u : 32u, b = max;
	if (slash) {
		size_t i = alen + 1;
		if (i >= n || n - i > 3)
			return false;
		b = 0;
		for (; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			b = b * 10 + (unsigned)(s[i] - '0');
		}
		if (b > max)
			return false;
	}
	*bits = b;
	/* clear host bits so comparisons only look at the prefix */
	for (unsigned i = b; i < max; i++)
		net[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	return true;
}

static int num2(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* ISO 8601 week number of a date. */
static int iso_week(long y, int m, int d)
{
	long days = days_from_civil(y, m, d);
	int wday = (int)(((days % 7) + 7 + 3) % 7); /* Monday = 0 */
	long thursday = days - wday + 3;
	/* the year of that Thursday holds the week */
	long ty = y;
	if (thursday < days_from_civil(y, 1, 1))
		ty = y - 1;
	else if (thursday >= days_from_civil(y + 1, 1, 1))
		ty = y + 1;
	return (int)((thursday - days_from_civil(ty, 1, 1)) / 7 + 1);
}

bool cs__date_part(const char *s, size_t n, int part, double *out)
{
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return false;
	int yh = num2(s), yl = num2(s + 2), mo = num2(s + 5), d = num2(s + 8);
	if (yh < 0 || yl < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	long y = yh * 100 + yl;
	int hh = -1, mi = -1;
	if (n >= 16 && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && s[13] == ':') {
		hh = num2(s + 11);
		mi = num2(s + 14);
		if (hh < 0 || hh > 23 || mi < 0 || mi > 59)
			return false;
	}
	bool ok = true;
	switch (part) {
	case CS__TP_MINUTE: ok = mi >= 0; *out = mi; break;
	case CS__TP_HOUR: ok = hh >= 0; *out = hh; break;
	case CS__TP_DAY: *out = d; break;
	case CS__TP_WEEK: *out = iso_week(y, mo, d); break;
	case CS__TP_MONTH: *out = mo; break;
	case CS__TP_YEAR: *out = (double)y; break;
	default: ok = false; break;
	}
	return ok;
}

static void *pcre_alloc(PCRE2_SIZE n, void *ud)
{
	(void)ud;
	return cs_malloc(n);
}

static void pcre_free(void *p, void *ud)
{
	(void)ud;
	cs_free(p);
}

/* Created on first use and kept for the life of the process (a few dozen
 * bytes); not thread-safe on first use, so cs_ruleset_compile and
 * cs_matcher_new call these before any matching thread starts. */
static pcre2_general_context *g_gctx;
static pcre2_match_context *g_mctx;

pcre2_general_context *cs__pcre2_gctx(void)
{
	if (!g_gctx)
		g_gctx = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
	return g_gctx;
}

pcre2_match_context *cs__pcre2_mctx(void)
{
	if (!g_mctx && cs__pcre2_gctx()) {
		g_mctx = pcre2_match_context_create(g_gctx);
		if (g_mctx) {
			pcre2_set_match_limit(g_mctx, 1000000);
			pcre2_set_depth_limit(g_mctx, 10000);
		}
	}
	return g_mctx;
}

size_t cs__num_canon(double d, char buf[32])
{
	int n = (d == floor(d) && fabs(d) < 1e15) ? snprintf(buf, 32, "%.0f", d)
						   : snprintf(buf, 32, "%.15g", d);
	return n > 0 && n < 32 ? (size_t)n : 0;
}

/* ---- transformations ------------------------------------------------------ */

/* Sigma string to glob form. */
static cs_err to_glob(cs_buf *b, const char *s, size_t n)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			rc = cs_buf_putc(b, s[++i]);
		} else if (c == '*' || c == '?' || c == CS__GLOB_ESC) {
			char two[2] = { CS__GLOB_ESC, c };
			rc = cs_buf_append(b, two, 2);
		} else {
			rc = cs_buf_putc(b, c);
		}
	}
	return rc;
}

static bool has_wild(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == CS__GLOB_ESC) {
			if (s[i + 1] == '*' || s[i + 1] == '?')
				return true;
			i++;
		}
	return false;
}

/* Glob form without wildcards to its literal bytes (in place). */
static void unescape(cs_buf *b)
{
	size_t k = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (b->data[i] == CS__GLOB_ESC && i + 1 < b->len)
			i++;
		b->data[k++] = b->data[i];
	}
	b->len = k;
	if (b->data)
		b->data[k] = '\0';
}

/* Literal bytes to glob form (escaping 0xFE). */
static cs_err escape_into(vlist *out, const char *s, size_t n)
{
	cs_buf b;
	cs_buf_init(&b, 1u << 23);
	cs_err rc = CS_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		if (s[i] == CS__GLOB_ESC)
			rc = cs_buf_putc(&b, CS__GLOB_ESC);
		if (!rc)
			rc = cs_buf_putc(&b, s[i]);
	}
	if (!rc)
		rc = vlist_add(out, b.data ? b.data : "", b.len);
	cs_buf_release(&b);
	return rc;
}

/* The dash characters windash permutes (UTF-8). */
static const char *const DASHES[] = { "-", "/", "\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\x95" };

static size_t dash_at(const char *s, size_t n, size_t i)
{
	if (s[i] == '-' || s[i] == '/')
		return 1;
	if (i + 2 < n && (unsigned char)s[i] == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] >= 0x93 && (unsigned char)s[i + 2] <= 0x95)
		return 3;
	return 0;
}

static cs_err windash(vlist *out, const char *s, size_t n)
{
	cs_err rc = CS_OK;
	size_t pos[8], npos = 0;
	for (size_t i = 0; i < n;) {
		size_t k = dash_at(s, n, i);
		if (k) {
			if (npos == CS_ARRAY_SIZE(pos))
				return CS_ELIMIT;
			pos[npos++] = i;
			i += k;
		} else {
			i++;
		}
	}
	size_t total = 1;
	for (size_t i = 0; i < npos; i++)
		total *= CS_ARRAY_SIZE(DASHES);
	cs_buf b;
	cs_buf_init(&b, 1u << 20);
	for (size_t combo = 0; combo < total && !rc; combo++) {
		size_t c = combo, last = 0;
		b.len = 0;
		for (size_t j = 0; j < npos && !rc; j++) {
			const char *d = DASHES[c % CS_ARRAY_SIZE(DASHES)];
			c /= CS_ARRAY_SIZE(DASHES);
			rc = cs_buf_append(&b, s + last, pos[j] - last);
			if (!rc)
				rc = cs_buf_puts(&b, d);
			last = pos[j] + dash_at(s, n, pos[j]);
		}
		if (!rc)
			rc = cs_buf_append(&b, s + last, n - last);
		if (!rc)
			rc = vlist_add(out, b.data ? b.data : "", b.len);
	}
	cs_buf_release(&b);
	return rc;
}

/* UTF-8 to UTF-16 (le/be, optional BOM); invalid bytes pass as U+FFFD. */
static cs_err utf16(cs_buf *b, const char *s, size_t n, bool be, bool bom)
{
	cs_err rc = CS_OK;
	const unsigned char *u = (const unsigned char *)s;
	if (bom)
		rc = cs_buf_append(b, be ? "\xfe\xff" : "\xff\xfe", 2);
	for (size_t i = 0; i < n && !rc;) {
		uint32_t cp = 0xfffd;
		size_t k = 1;
		if (u[i] < 0x80) {
			cp = u[i];
		} else if ((u[i] & 0xe0) == 0xc0 && i + 1 < n) {
			cp = ((u[i] & 0x1fu) << 6) | (u[i + 1] & 0x3fu);
			k = 2;
		} else if ((u[i] & 0xf0) == 0xe0 && i + 2 < n) {
			cp = ((u[i] & 0x0fu) << 12) | ((u[i + 1] & 0x3fu) << 6) | (u[i + 2] & 0x3fu);
			k = 3;
		} else if ((u[i] & 0xf8) == 0xf0 && i + 3 < n) {
			cp = ((u[i] & 0x07u) << 18) | ((u[i + 1] & 0x3fu) << 12) |
			     ((u[i + 2] & 0x3fu) << 6) | (u[i + 3] & 0x3fu);
			k = 4;
		}
		i += k;
		uint16_t units[2];
		size_t nu = 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[0] = (uint16_t)(0xd800 + (cp >> 10));
			units[1] = (uint16_t)(0xdc00 + (cp & 0x3ff));
			nu = 2;
		} else {
			units[0] = (uint16_t)cp;
		}
		for (size_t j = 0; j < nu && !rc; j++) {
			char two[2];
			two[be ? 0 : 1] = (char)(units[j] >> 8);
			two[be ? 1 : 0] = (char)(units[j] & 0xff);
			rc = cs_buf_append(b, two, 2);
		}
	}
	return rc;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static cs_err base64(cs_buf *b, const unsigned char *s, size_t n)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; i < n && !rc; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char q[4] = { B64[(v >> 18) & 63], B64[(v >> 12) & 63],
			      i + 1 < n ? B64[(v >> 6) & 63] : '=', i + 2 < n ? B64[v & 63] : '=' };
		rc = cs_buf_append(b, q, 4);
	}
	return rc;
}

/* base64offset: the value encoded at byte offsets 0, 1 and 2 of a larger
 * text, keeping only the characters that do not depend on the neighbours
 * (encode offset spaces + value, drop the first 0/2/3 characters and the
 * last 0/3/2 depending on (len + offset) % 3). */
static cs_err base64offset(vlist *out, const char *s, size_t n)
{
	static const size_t start[3] = { 0, 2, 3 }, endcut[3] = { 0, 3, 2 };
	cs_err rc = CS_OK;
	cs_buf in, enc;
	cs_buf_init(&in, 1u << 20);
	cs_buf_init(&enc, 1u << 22);
	for (size_t i = 0; i < 3 && !rc; i++) {
		in.len = enc.len = 0;
		rc = cs_buf_append(&in, "  ", i);
		if (!rc)
			rc = cs_buf_append(&in, s, n);
		if (!rc)
			rc = base64(&enc, (const unsigned char *)(in.data ? in.data : ""), in.len);
		if (rc)
			break;
		size_t cut = endcut[(n + i) % 3];
		if (enc.len >= start[i] + cut && enc.len - start[i] - cut > 0)
			rc = vlist_add(out, enc.data + start[i], enc.len - start[i] - cut);
	}
	cs_buf_release(&in);
	cs_buf_release(&enc);
	return rc;
}

/* ---- compiling an item ---------------------------------------------------- */

typedef struct itemctx {
	cs__loader *L;
	uint32_t rule;
	const char *file;
	uint32_t field;
	mods m;
	cs__prog *p;
	const char *rid;
} itemctx;

#define DIAG(c, sev, code, v, ...)                                                           \
	cs_diag_emit((c)->L->diag, sev, code, (c)->file, cs_value_line(v), cs_value_col(v),   \
		     (c)->rid, __VA_ARGS__)

static cs_err new_test(itemctx *c, uint8_t kind, cs__test **t)
{
	uint32_t ix;
	cs_err rc = cs__test_new(c->L->rs, c->rule, t, &ix);
	if (!rc) {
		(*t)->kind = kind;
		(*t)->field = c->field;
		(*t)->flags = (c->m.flags & M_CASED) ? CS__TF_CASED : 0;
		rc = cs__prog_push(c->p, CS__OP(CS__OP_TEST, ix));
	}
	return rc;
}

/* One string variant in glob form -> an exact or glob test. */
static cs_err string_test(itemctx *c, const char *g, size_t n)
{
	cs_err rc = CS_OK;
	cs_buf b;
	cs__test *t;
	cs_buf_init(&b, 1u << 22);
	static const char star[2] = { CS__GLOB_ESC, '*' };
	bool lead = n >= 2 && memcmp(g, star, 2) == 0;
	/* a trailing ESC '*' that is not itself the second half of ESC ESC */
	bool trail = false;
	for (size_t i = 0; i + 1 < n; i += g[i] == CS__GLOB_ESC ? 2 : 1)
		trail = g[i] == CS__GLOB_ESC && g[i + 1] == '*' && i + 2 == n;
	if ((c->m.flags & (M_CONTAINS | M_ENDS)) && !lead)
		rc = cs_buf_append(&b, star, 2);
	if (!rc)
		rc = cs_buf_append(&b, g, n);
	if (!rc && (c->m.flags & (M_CONTAINS | M_STARTS)) && !trail)
		rc = cs_buf_append(&b, star, 2);
	if (rc)
		goto out;
	bool wild = has_wild(b.data, b.len);
	if (!wild)
		unescape(&b);
	rc = new_test(c, wild ? CS__T_GLOB : CS__T_EXACT, &t);
	if (rc)
		goto out;
	char *s = cs_arena_alloc(c->L->rs->arena, b.len + 1);
	if (!s) {
		rc = CS_ENOMEM;
		goto out;
	}
	if (t->flags & CS__TF_CASED)
		memcpy(s, b.data, b.len);
	else
		cs__fold(s, b.data, b.len);
	s[b.len] = '\0';
	t->pat = (cs_str){ s, b.len };
out:
	cs_buf_release(&b);
	return rc;
}

/* A string value through the transformations, then one test per variant
 * (OR'd). */
static cs_err string_value(itemctx *c, const cs_value *v, const char *s, size_t n)
{
	cs_err rc = CS_OK;
	vlist cur = { 0 }, next = { 0 };
	cs_buf g;
	cs_buf_init(&g, 1u << 20);
	rc = to_glob(&g, s, n);
	if (!rc)
		rc = vlist_add(&cur, g.data ? g.data : "", g.len);
	for (size_t k = 0; k < c->m.nxf && !rc; k++) {
		uint8_t x = c->m.xf[k];
		for (size_t i = 0; i < cur.n && !rc; i++) {
			const char *vs = cur.v[i].data ? cur.v[i].data : "";
			size_t vn = cur.v[i].len;
			if (x != X_WINDASH && has_wild(vs, vn)) {
				DIAG(c, CS_SEV_ERROR, CS_ECHECK, v,
				     "wildcards cannot be combined with an encoding modifier "
				     "(utf16/wide/base64/base64offset); escape them with \\");
				rc = CS_ECHECK;
				break;
			}
			cs_buf tb, raw;
			cs_buf_init(&tb, 1u << 22);
			cs_buf_init(&raw, 1u << 22);
			if (x != X_WINDASH) {
				/* encodings work on the literal bytes */
				rc = cs_buf_append(&raw, vs, vn);
				unescape(&raw);
				vs = raw.data ? raw.data : "";
				vn = raw.len;
			}
			if (!rc) {
				switch (x) {
				case X_WINDASH: rc = windash(&next, vs, vn); break;
				case X_UTF16LE: rc = utf16(&tb, vs, vn, false, false); break;
				case X_UTF16BE: rc = utf16(&tb, vs, vn, true, false); break;
				case X_UTF16: rc = utf16(&tb, vs, vn, false, true); break;
				case X_BASE64: rc = base64(&tb, (const unsigned char *)vs, vn); break;
				case X_BASE64OFF: rc = base64offset(&next, vs, vn); break;
				default: rc = CS_EINTERNAL; break;
				}
			}
			/* encoded bytes are literal: back to glob form */
			if (!rc && x != X_WINDASH && x != X_BASE64OFF)
				rc = escape_into(&next, tb.data ? tb.data : "", tb.len);
			cs_buf_release(&tb);
			cs_buf_release(&raw);
		}
		if (rc == CS_ELIMIT) {
			DIAG(c, CS_SEV_ERROR, CS_ECHECK, v,
			     "value expands to too many variants (windash over more than 8 "
			     "dashes, or more than %d variants)", MAX_VARIANTS);
			rc = CS_ECHECK;
		}
		vlist_release(&cur);
		cur = next;
		next = (vlist){ 0 };
	}
	size_t nt = 0;
	for (size_t i = 0; i < cur.n && !rc; i++, nt++)
		rc = string_test(c, cur.v[i].data ? cur.v[i].data : "", cur.v[i].len);
	if (!rc && nt != 1)
		rc = cs__prog_push(c->p, nt ? CS__OP(CS__OP_OR, nt) : CS__OP(CS__OP_CONST, 0));
	vlist_release(&cur);
	vlist_release(&next);
	cs_buf_release(&g);
	return rc;
}

/* Skips a bracketed class or a group starting at p[i] ('[' or '('); the
 * index after it, or SIZE_MAX when it does not end (or holds a "(?" or
 * "(*"). */
static size_t re_skip(const char *p, size_t n, size_t i)
{
	size_t depth = 0;
	while (i < n) {
		char c = p[i];
		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == '[') {
			/* a class: ']' first (after an optional '^') is literal */
			size_t j = i + 1;
			if (j < n && p[j] == '^')
				j++;
			if (j < n && p[j] == ']')
				j++;
			while (j < n && p[j] != ']') {
				if (p[j] == '[') /* [:alpha:] and the like: not read */
					return SIZE_MAX;
				j += p[j] == '\\' ? 2 : 1;
			}
			if (j >= n)
				return SIZE_MAX;
			i = j + 1;
			if (depth == 0)
				return i;
			continue;
		}
		if (c == '(') {
			if (i + 1 < n && (p[i + 1] == '?' || p[i + 1] == '*'))
				return SIZE_MAX;
			depth++;
		} else if (c == ')') {
			if (depth == 0)
				return SIZE_MAX;
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return SIZE_MAX;
}

/* Length of a {n}, {n,}, {n,m} or {,m} quantifier at p[i], 0 if there is
 * none (then PCRE2 would read the brace literally). */
static size_t re_braces(const char *p, size_t n, size_t i)
{
	size_t j = i + 1, d1 = 0, d2 = 0;
	while (j < n && p[j] >= '0' && p[j] <= '9')
		j++, d1++;
	if (j < n && p[j] == ',') {
		j++;
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++, d2++;
	}
	return j < n && p[j] == '}' && (d1 || d2) ? j + 1 - i : 0;
}

/* A literal that every match of the regex p[0..n) contains, into out (n
 * bytes); its length, 0 when none is certain.  Deliberately conservative,
 * as the matcher skips the regex when its field's values lack the literal
 * (compile.c puts it in the field's automaton): only the top-level
 * sequence is read; an alternation, an inline option or verb ("(?",
 * "(*"), \Q..\E or a brace that is not a quantifier gives none; groups,
 * classes, escapes of letters and digits, dots, anchors and non-ASCII
 * bytes end a literal run; an optional or repeated byte ends it before
 * ('?', '*', '{') or after ('+') itself.  Not for caseless regexes (the
 * caller's check): Unicode case folding could match other bytes. */
size_t cs__re_literal(const char *p, size_t n, char *out)
{
	size_t best = 0, best_at = 0, cur = 0, cur_at = 0, o = 0;
	bool last_lit = false; /* the previous atom is out[o - 1], in the run */
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)p[i], lit;
		bool quant = c == '*' || c == '?' || c == '+' || c == '{';
		if (c == '|' || c == ')')
			return 0;
		if (quant) {
			size_t len = 1;
			if (c == '{' && !(len = re_braces(p, n, i)))
				return 0;
			if (c != '+' && last_lit) { /* the byte may be absent */
				o--;
				cur--;
			}
			if (cur > best) {
				best = cur;
				best_at = cur_at;
			}
			cur = 0;
			last_lit = false;
			i += len;
			if (i < n && (p[i] == '?' || p[i] == '+')) /* lazy, possessive */
				i++;
			continue;
		}
		if (c == '\\') {
			if (i + 1 >= n)
				return 0;
			unsigned char e = (unsigned char)p[i + 1];
			if (e == 'Q' || e == 'E')
				return 0;
			bool word = (e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
				    (e >= 'A' && e <= 'Z') || e >= 0x80;
			i += 2;
			if (word)
				goto nonlit;
			lit = e;
		} else if (c == '(' || c == '[') {
			size_t j = re_skip(p, n, i);
			if (j == SIZE_MAX)
				return 0;
			i = j;
			goto nonlit;
		} else if (c == '.' || c == '^' || c == '$' || c >= 0x80) {
			i++;
			goto nonlit;
		} else {
			lit = c;
			i++;
		}
		if (cur == 0)
			cur_at = o;
		out[o++] = (char)lit;
		cur++;
		last_lit = true;
		continue;
	nonlit:
		if (cur > best) {
			best = cur;
			best_at = cur_at;
		}
		cur = 0;
		last_lit = false;
	}
	if (cur > best) {
		best = cur;
		best_at = cur_at;
	}
	memmove(out, out + best_at, best);
	return best;
}

static cs_err regex_value(itemctx *c, const cs_value *v, cs_str s)
{
	cs_err rc = CS_OK;
	cs__test *t;
	int err = 0;
	PCRE2_SIZE off = 0;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	if (c->m.flags & M_RE_I)
		opts |= PCRE2_CASELESS;
	if (c->m.flags & M_RE_M)
		opts |= PCRE2_MULTILINE;
	if (c->m.flags & M_RE_S)
		opts |= PCRE2_DOTALL;
	pcre2_compile_context *cc = cs__pcre2_gctx() ? pcre2_compile_context_create(cs__pcre2_gctx())
						       : NULL;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)s.ptr, s.len, opts, &err, &off, cc);
	if (cc)
		pcre2_compile_context_free(cc);
	if (!re && err == PCRE2_ERROR_HEAP_FAILED)
		return CS_ENOMEM;
	if (!re) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(err, msg, sizeof msg);
		DIAG(c, CS_SEV_ERROR, CS_ECHECK, v, "invalid regular expression at offset %zu: %s",
		     (size_t)off, (const char *)msg);
		return CS_ECHECK;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
	rc = new_test(c, CS__T_RE, &t);
	if (rc) {
		pcre2_code_free(re);
		return rc;
	}
	t->flags |= CS__TF_CASED;
	t->re = re;
	/* a literal every match holds: its field's automaton finds the
	 * values worth running the regex on (compile.c) */
	if (!(c->m.flags & M_RE_I) && s.len) {
		char *lit = cs_arena_alloc(c->L->rs->arena, s.len);
		size_t ln = lit ? cs__re_literal(s.ptr, s.len, lit) : 0;
		if (!lit)
			return CS_ENOMEM;
		if (ln)
			t->pat = (cs_str){ lit, ln };
	}
	return rc;
}

static cs_err number_of(itemctx *c, const cs_value *v, double *d)
{
	cs_str s = cs__det_text(v);
	char tmp[64], *end = NULL;
	if (cs_value_type(v) == CS_VNUMBER) {
		*d = cs_value_num(v);
		return CS_OK;
	}
	if (cs_value_type(v) == CS_VSTRING && s.len > 0 && s.len < sizeof tmp) {
		memcpy(tmp, s.ptr, s.len);
		tmp[s.len] = '\0';
		*d = strtod(tmp, &end);
		if (end && *end == '\0' && isfinite(*d))
			return CS_OK;
	}
	DIAG(c, CS_SEV_ERROR, CS_ECHECK, v, "a numeric modifier needs a number, not '%.*s'",
	     (int)(s.len > 60 ? 60 : s.len), s.ptr);
	return CS_ECHECK;
}

/* One value of the item: its tests and program (one result on the stack). */
static cs_err one_value(itemctx *c, const cs_value *v)
{
	cs_err rc = CS_OK;
	cs__test *t;
	cs_vtype ty = cs_value_type(v);
	mods *m = &c->m;
	if (ty == CS_VARRAY || ty == CS_VOBJECT) {
		DIAG(c, CS_SEV_ERROR, CS_ECHECK, v, "a detection value must be a scalar, not %s",
		     cs_vtype_name(ty));
		return CS_ECHECK;
	}
	if (m->flags & M_EXISTS) {
		if (ty != CS_VBOOL) {
			DIAG(c, CS_SEV_ERROR, CS_ECHECK, v, "'exists' needs true or false");
			return CS_ECHECK;
		}
		rc = new_test(c, CS__T_EXISTS, &t);
		if (!rc)
			t->num = cs_value_bool(v) ? 1 : 0;
		return rc;
	}
	if (ty == CS_VNULL)
		return new_test(c, CS__T_NULL, &t);
	if (m->flags & M_FIELDREF) {
		cs_str s = cs__det_text(v);
		uint32_t rf;
		const cs__rule *r = &c->L->rs->rules[c->rule];
		char *nm = cs_arena_strndup(c->L->rs->arena, s.ptr, s.len);
		if (!nm)
			return CS_ENOMEM;
		rc = cs__field_intern(c->L->rs,
				      cs__fieldmap_apply(c->L->rs, r->product, r->service, nm), &rf);
		if (!rc)
			rc = new_test(c, CS__T_FIELDREF, &t);
		if (!rc)
			t->ref_field = rf;
		return rc;
	}
	if (m->cmp || m->timepart) {
		double d = 0;
		rc = number_of(c, v, &d);
		if (!rc)
			rc = new_test(c, CS__T_NUM, &t);
		if (!rc) {
			t->num = d;
			t->cmp = m->cmp ? m->cmp : CS__CMP_EQ;
			t->timepart = m->timepart;
		}
		return rc;
	}
	cs_str s = cs__det_text(v);
	if (m->flags & M_CIDR) {
		uint8_t net[16];
		unsigned bits;
		bool v6;
		if (!cs__cidr_parse(s.ptr, s.len, net, &bits, &v6)) {
			DIAG(c, CS_SEV_ERROR, CS_ECHECK, v, "invalid CIDR network '%.*s'",
			     (int)(s.len > 60 ? 60 : s.len), s.ptr);
			return CS_ECHECK;
		}
		rc = new_test(c, CS__T_CIDR, &t);
		if (!rc) {
			memcpy(t->net, net, 16);
			t->bits = bits;
			t->v6 = v6;
		}
		return rc;
	}
	if (m->flags & M_RE)
		return regex_value(c, v, s);
	char canon[32];
	size_t cn = ty == CS_VNUMBER ? cs__num_canon(cs_value_num(v), canon) : 0;
	if (cn && !(m->flags & (M_CONTAINS | M_STARTS | M_ENDS)) && m->nxf == 0 &&
	    (cn != s.len || memcmp(canon, s.ptr, cn) != 0)) {
		/* a number written differently (1e2, 100.0): its value too */
		rc = string_value(c, v, s.ptr, s.len);
		if (!rc)
			rc = string_value(c, v, canon, cn);
		if (!rc)
			rc = cs__prog_push(c->p, CS__OP(CS__OP_OR, 2));
		return rc;
	}
	return string_value(c, v, s.ptr, s.len);
}

/* Expands a %placeholder% value into its list (the `expand` modifier). */
static cs_err expand_value(itemctx *c, const cs_value *v, const cs_value **list)
{
	cs_str s = cs__det_text(v);
	const cs_value *l = NULL;
	if (s.len > 2 && s.ptr[0] == '%' && s.ptr[s.len - 1] == '%')
		l = cs__strmap_get(&c->L->rs->placeholders, s.ptr + 1, s.len - 2, NULL);
	if (!l) {
		DIAG(c, CS_SEV_WARNING, CS_EUNSUPPORTED, v,
		     "unsupported: 'expand' placeholder '%.*s' has no value list (define it in "
		     "placeholders.yml of the mappings folder)", (int)(s.len > 60 ? 60 : s.len), s.ptr);
		return CS_EUNSUPPORTED;
	}
	*list = l;
	return CS_OK;
}

static cs_err parse_mods(itemctx *c, const char *mods_text, uint32_t line, uint32_t col)
{
	const char *p = mods_text;
	while (p && *p == '|') {
		p++;
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		size_t i;
		for (i = 0; i < CS_ARRAY_SIZE(MODS); i++)
			if (strlen(MODS[i].name) == n && memcmp(MODS[i].name, p, n) == 0)
				break;
		if (i == CS_ARRAY_SIZE(MODS)) {
			bool known_other = n == 3 && memcmp(p, "gte", 3) == 0;
			(void)known_other;
			cs_diag_emit(c->L->diag, CS_SEV_WARNING, CS_EUNSUPPORTED, c->file, line, col,
				     c->rid, "unsupported: unknown value modifier '%.*s'", (int)n, p);
			return CS_EUNSUPPORTED;
		}
		c->m.flags |= MODS[i].flag;
		if (MODS[i].cmp)
			c->m.cmp = MODS[i].cmp;
		if (MODS[i].tp)
			c->m.timepart = MODS[i].tp;
		if (MODS[i].xf) {
			if (c->m.nxf == MAX_XFORMS) {
				cs_diag_emit(c->L->diag, CS_SEV_ERROR, CS_ECHECK, c->file, line, col,
					     c->rid, "too many transforming modifiers");
				return CS_ECHECK;
			}
			c->m.xf[c->m.nxf++] = MODS[i].xf;
		}
		p = e;
	}
	unsigned f = c->m.flags;
	if ((f & (M_RE_I | M_RE_M | M_RE_S)) && !(f & M_RE)) {
		cs_diag_emit(c->L->diag, CS_SEV_ERROR, CS_ECHECK, c->file, line, col, c->rid,
			     "modifiers i, m and s only qualify 're'");
		return CS_ECHECK;
	}
	if ((f & M_FIELDREF) && (f & (M_CONTAINS | M_STARTS | M_ENDS | M_RE | M_CIDR))) {
		cs_diag_emit(c->L->diag, CS_SEV_WARNING, CS_EUNSUPPORTED, c->file, line, col, c->rid,
			     "unsupported: 'fieldref' combined with contains/startswith/endswith/"
			     "re/cidr");
		return CS_EUNSUPPORTED;
	}
	return CS_OK;
}

cs_err cs__item_compile(cs__loader *L, uint32_t rule, const char *file, const char *field_mods,
			uint32_t fline, uint32_t fcol, const cs_value *val, cs__prog *p)
{
	cs_err rc = CS_OK;
	itemctx c = { L, rule, file, CS__NOFIELD, { 0 }, p, L->rs->rules[rule].id };
	const cs__rule *r = &L->rs->rules[rule];
	const char *bar = field_mods ? strchr(field_mods, '|') : NULL;
	if (field_mods && bar != field_mods) {
		size_t n = bar ? (size_t)(bar - field_mods) : strlen(field_mods);
		char *nm = cs_arena_strndup(L->rs->arena, field_mods, n);
		if (!nm)
			return CS_ENOMEM;
		rc = cs__field_intern(L->rs, cs__fieldmap_apply(L->rs, r->product, r->service, nm),
				      &c.field);
		if (rc)
			return rc;
	}
	if (bar)
		rc = parse_mods(&c, bar, fline, fcol);
	else if (!field_mods)
		c.m.flags |= M_CONTAINS; /* plain keywords match anywhere in a value */
	if (rc)
		return rc;
	if (c.field == CS__NOFIELD && (c.m.flags & (M_EXISTS | M_FIELDREF | M_NEQ))) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, fline, fcol, c.rid,
			     "exists, fieldref and neq need a field name");
		return CS_ECHECK;
	}
	const cs_value *list = val;
	if ((c.m.flags & M_EXPAND) && cs_value_type(val) != CS_VARRAY) {
		rc = expand_value(&c, val, &list);
		if (rc)
			return rc;
	}
	size_t n = cs_value_type(list) == CS_VARRAY ? cs_value_len(list) : 1;
	size_t start = p->n;
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_value *v = cs_value_type(list) == CS_VARRAY ? cs_value_at(list, i) : list;
		if ((c.m.flags & M_EXPAND) && cs_value_type(list) == CS_VARRAY && list == val) {
			const cs_value *l2;
			rc = expand_value(&c, v, &l2);
			size_t k = 0;
			for (; !rc && k < cs_value_len(l2); k++)
				rc = one_value(&c, cs_value_at(l2, k));
			if (!rc && k != 1)
				rc = cs__prog_push(p, k ? CS__OP(CS__OP_OR, k) : CS__OP(CS__OP_CONST, 0));
		} else {
			rc = one_value(&c, v);
		}
	}
	if (rc)
		return rc;
	if (n == 0)
		rc = cs__prog_push(p, CS__OP(CS__OP_CONST, 0));
	else if (n > 1)
		rc = cs__prog_push(p, CS__OP((c.m.flags & M_ALL) ? CS__OP_AND : CS__OP_OR, n));
	if (!rc && (c.m.flags & M_NEQ)) {
		/* neq: the field is present and equals none of the values */
		cs__test *t;
		rc = cs__prog_push(p, CS__OP(CS__OP_NOT, 0));
		if (!rc) {
			unsigned keep = c.m.flags;
			c.m.flags &= ~(unsigned)M_CASED;
			rc = new_test(&c, CS__T_EXISTS, &t);
			c.m.flags = keep;
			if (!rc)
				t->num = 1;
		}
		if (!rc)
			rc = cs__prog_push(p, CS__OP(CS__OP_AND, 2));
	}
	(void)start;
	return rc;
}
