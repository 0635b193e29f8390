/*
 * hcl/funcs_string.c - Terraform's string functions: chomp, endswith,
 * format, formatlist, indent, join, lower, regex, regexall, replace, split,
 * startswith, strcontains, strrev, substr, title, trim, trimprefix,
 * trimsuffix, trimspace, upper.
 *
 * regex, regexall and replace with a /pattern/ use PCRE2 in UTF mode;
 * features RE2 refuses (backreferences, lookaround, possessive and atomic
 * groups) are refused here too so that a configuration that Terraform
 * rejects is not accepted.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "funcs.h"

#define STR_MAX (64u << 20) /* results larger than this are refused */

static cs_err buf_result(cs__hcl_call *c, cs_buf *b, cs_err rc, const cs_value **out)
{
	if (rc == CS_ELIMIT)
		rc = cs__hcl_call_err(c, "the result is longer than %u bytes", STR_MAX);
	else if (rc == CS_ENOMEM)
		rc = cs__hcl_oom(c);
	if (!rc)
		*out = cs__hcl_str(c, b->data ? b->data : "", b->len);
	cs_buf_release(b);
	return rc;
}

/* ---- case ------------------------------------------------------------------- */

static uint32_t to_upper(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return cp - 32;
	if ((cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
		return cp - 32;
	if (cp == 0xFF)
		return 0x178;
	if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 &&
	    cp != 0x149 && cp != 0x17F) {
		bool odd_lower = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
		if (odd_lower ? (cp % 2 == 0) : (cp % 2 == 1))
			return cp - 1;
		return cp;
	}
	if (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2)
		return cp - 32;
	if (cp == 0x3C2)
		return 0x3A3;
	if (cp >= 0x430 && cp <= 0x44F)
		return cp - 32;
	if (cp >= 0x450 && cp <= 0x45F)
		return cp - 80;
	return cp;
}

static uint32_t to_lower(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp == 0x178)
		return 0xFF;
	if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 &&
	    cp != 0x149 && cp != 0x17F) {
		bool odd_lower = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
		if (odd_lower ? (cp % 2 == 1) : (cp % 2 == 0))
			return cp + 1;
		return cp;
	}
	if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

static bool is_letter_or_digit(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
		       cp == '_';
	return to_upper(cp) != cp || to_lower(cp) != cp || (cp >= 0xAA && cp != 0xD7 && cp != 0xF7 &&
							    !(cp >= 0x2000 && cp <= 0x206F) &&
							    !(cp >= 0x3000 && cp <= 0x303F));
}

/* mode 0: upper, 1: lower, 2: title (first letter of each word) */
static cs_err map_case(cs__hcl_call *c, const cs_value **out, int mode)
{
	cs_str s;
	cs_buf b;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	cs_buf_init(&b, STR_MAX);
	bool prev_word = false;
	for (size_t i = 0; i < s.len && !rc;) {
		size_t adv;
		uint32_t cp = cs__hcl_utf8_next(s.ptr + i, s.len - i, &adv);
		if (adv == 1 && (unsigned char)s.ptr[i] >= 0x80) {
			rc = cs_buf_append(&b, s.ptr + i, 1); /* not UTF-8: as is */
		} else {
			uint32_t m = cp;
			if (mode == 0)
				m = to_upper(cp);
			else if (mode == 1)
				m = to_lower(cp);
			else if (!prev_word)
				m = to_upper(cp);
			prev_word = is_letter_or_digit(cp) || cp == '\'';
			rc = cs__hcl_utf8_put(&b, m);
		}
		i += adv;
	}
	return buf_result(c, &b, rc, out);
}

static cs_err f_upper(cs__hcl_call *c, const cs_value **out)
{
	return map_case(c, out, 0);
}

static cs_err f_lower(cs__hcl_call *c, const cs_value **out)
{
	return map_case(c, out, 1);
}

static cs_err f_title(cs__hcl_call *c, const cs_value **out)
{
	return map_case(c, out, 2);
}

/* ---- simple ones -------------------------------------------------------------- */

static cs_err two_strs(cs__hcl_call *c, cs_str *a, cs_str *b)
{
	cs_err rc = cs__hcl_want_str(c, 0, a);
	if (!rc)
		rc = cs__hcl_want_str(c, 1, b);
	return rc;
}

static cs_err f_startswith(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, p;
	cs_err rc = two_strs(c, &s, &p);
	if (!rc)
		*out = cs__hcl_bool(c, p.len <= s.len && memcmp(s.ptr, p.ptr, p.len) == 0);
	return rc;
}

static cs_err f_endswith(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, p;
	cs_err rc = two_strs(c, &s, &p);
	if (!rc)
		*out = cs__hcl_bool(c, p.len <= s.len &&
					       memcmp(s.ptr + s.len - p.len, p.ptr, p.len) == 0);
	return rc;
}

static const char *find(cs_str h, cs_str n)
{
	if (n.len == 0)
		return h.ptr;
	for (size_t i = 0; i + n.len <= h.len; i++)
		if (h.ptr[i] == n.ptr[0] && memcmp(h.ptr + i, n.ptr, n.len) == 0)
			return h.ptr + i;
	return NULL;
}

static cs_err f_strcontains(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, p;
	cs_err rc = two_strs(c, &s, &p);
	if (!rc)
		*out = cs__hcl_bool(c, find(s, p) != NULL);
	return rc;
}

static cs_err f_trimprefix(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, p;
	cs_err rc = two_strs(c, &s, &p);
	if (rc)
		return rc;
	if (p.len <= s.len && memcmp(s.ptr, p.ptr, p.len) == 0)
		s.ptr += p.len, s.len -= p.len;
	*out = cs__hcl_str(c, s.ptr, s.len);
	return CS_OK;
}

static cs_err f_trimsuffix(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, p;
	cs_err rc = two_strs(c, &s, &p);
	if (rc)
		return rc;
	if (p.len <= s.len && memcmp(s.ptr + s.len - p.len, p.ptr, p.len) == 0)
		s.len -= p.len;
	*out = cs__hcl_str(c, s.ptr, s.len);
	return CS_OK;
}

static cs_err f_chomp(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	while (s.len && (s.ptr[s.len - 1] == '\n' || s.ptr[s.len - 1] == '\r'))
		s.len--;
	*out = cs__hcl_str(c, s.ptr, s.len);
	return CS_OK;
}

/* Unicode white space as Go's unicode.IsSpace. */
static bool uspace(uint32_t cp)
{
	return cp == ' ' || (cp >= 9 && cp <= 13) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000;
}

/* The code point that ends at s[end-1], and its length. */
static uint32_t prev_cp(const char *s, size_t end, size_t *len)
{
	size_t st = end - 1;
	while (st > 0 && end - st < 4 && ((unsigned char)s[st] & 0xC0) == 0x80)
		st--;
	size_t adv;
	uint32_t cp = cs__hcl_utf8_next(s + st, end - st, &adv);
	if (st + adv != end) { /* not a whole code point: the last byte */
		*len = 1;
		return (unsigned char)s[end - 1];
	}
	*len = adv;
	return cp;
}

static cs_err f_trimspace(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	size_t adv;
	while (s.len && uspace(cs__hcl_utf8_next(s.ptr, s.len, &adv)))
		s.ptr += adv, s.len -= adv;
	while (s.len && uspace(prev_cp(s.ptr, s.len, &adv)))
		s.len -= adv;
	*out = cs__hcl_str(c, s.ptr, s.len);
	return CS_OK;
}

static bool in_cutset(cs_str set, uint32_t cp)
{
	size_t adv;
	for (size_t i = 0; i < set.len; i += adv)
		if (cs__hcl_utf8_next(set.ptr + i, set.len - i, &adv) == cp)
			return true;
	return false;
}

static cs_err f_trim(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, set;
	cs_err rc = two_strs(c, &s, &set);
	if (rc)
		return rc;
	size_t adv;
	while (s.len && in_cutset(set, cs__hcl_utf8_next(s.ptr, s.len, &adv)))
		s.ptr += adv, s.len -= adv;
	while (s.len && in_cutset(set, prev_cp(s.ptr, s.len, &adv)))
		s.len -= adv;
	*out = cs__hcl_str(c, s.ptr, s.len);
	return CS_OK;
}

static cs_err f_indent(cs__hcl_call *c, const cs_value **out)
{
	int64_t n;
	cs_str s;
	cs_buf b;
	cs_err rc = cs__hcl_want_int(c, 0, &n);
	if (!rc)
		rc = cs__hcl_want_str(c, 1, &s);
	if (rc)
		return rc;
	if (n < 0 || n > 1024)
		return cs__hcl_arg_err(c, 0, "indentation must be between 0 and 1024 spaces");
	cs_buf_init(&b, STR_MAX);
	for (size_t i = 0; i < s.len && !rc; i++) {
		rc = cs_buf_putc(&b, s.ptr[i]);
		if (s.ptr[i] == '\n')
			for (int64_t k = 0; k < n && !rc; k++)
				rc = cs_buf_putc(&b, ' ');
	}
	return buf_result(c, &b, rc, out);
}

static cs_err f_join(cs__hcl_call *c, const cs_value **out)
{
	cs_str sep;
	cs_buf b;
	cs_err rc = cs__hcl_want_str(c, 0, &sep);
	if (rc)
		return rc;
	if (c->nargs < 2)
		return cs__hcl_arg_err(c, 1, "at least one list is required");
	cs_buf_init(&b, STR_MAX);
	size_t k = 0;
	for (size_t i = 1; i < c->nargs && !rc; i++) {
		const cs_value *l;
		rc = cs__hcl_want_list(c, i, &l);
		for (size_t j = 0; !rc && j < l->u.arr.n; j++, k++) {
			char nb[400];
			cs_str s;
			const cs_value *e = l->u.arr.v[j];
			if (e->type == CS_VNULL)
				rc = cs__hcl_arg_err(c, i, "element %zu is null; cannot concatenate null values", j);
			else if (!cs__hcl_as_str(e, nb, &s))
				rc = cs__hcl_arg_err(c, i, "element %zu: string required", j);
			if (!rc && k)
				rc = cs_buf_append(&b, sep.ptr, sep.len);
			if (!rc)
				rc = cs_buf_append(&b, s.ptr, s.len);
		}
	}
	if (rc == CS_EINVAL) {
		cs_buf_release(&b);
		return rc;
	}
	return buf_result(c, &b, rc, out);
}

static cs_err f_split(cs__hcl_call *c, const cs_value **out)
{
	cs_str sep, s;
	cs_ptrvec pv = { 0 };
	cs_err rc = two_strs(c, &sep, &s);
	if (rc)
		return rc;
	size_t start = 0;
	for (size_t i = 0; !rc;) {
		const char *hit = NULL;
		if (sep.len == 0) { /* every code point */
			size_t adv;
			if (i >= s.len)
				break;
			cs__hcl_utf8_next(s.ptr + i, s.len - i, &adv);
			hit = s.ptr + i + adv;
			cs_value *v = cs__hcl_str(c, s.ptr + i, adv);
			rc = v ? cs__ptrvec_push(&pv, v) : CS_ENOMEM;
			i += adv;
			(void)hit;
			continue;
		}
		hit = find((cs_str){ s.ptr + i, s.len - i }, sep);
		size_t end = hit ? (size_t)(hit - s.ptr) : s.len;
		cs_value *v = cs__hcl_str(c, s.ptr + start, end - start);
		rc = v ? cs__ptrvec_push(&pv, v) : CS_ENOMEM;
		if (!hit)
			break;
		i = start = end + sep.len;
	}
	if (!rc) {
		*out = cs__hcl_list(c, (cs_value **)pv.v, pv.n);
		if (!*out)
			rc = CS_ENOMEM;
	}
	cs__ptrvec_release(&pv);
	return rc ? cs__hcl_oom(c) : CS_OK;
}

static cs_err f_strrev(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	char *r = cs_arena_alloc(c->arena, s.len + 1);
	if (!r)
		return cs__hcl_oom(c);
	size_t o = s.len;
	for (size_t i = 0; i < s.len;) {
		size_t g = cs__hcl_grapheme_len(s.ptr + i, s.len - i);
		o -= g;
		memcpy(r + o, s.ptr + i, g);
		i += g;
	}
	r[s.len] = 0;
	*out = cs__v_str(c->arena, (cs_str){ r, s.len }, c->line, c->col);
	return CS_OK;
}

static cs_err f_substr(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	int64_t off, len;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (!rc)
		rc = cs__hcl_want_int(c, 1, &off);
	if (!rc)
		rc = cs__hcl_want_int(c, 2, &len);
	if (rc)
		return rc;
	int64_t total = 0;
	for (size_t i = 0; i < s.len; total++)
		i += cs__hcl_grapheme_len(s.ptr + i, s.len - i);
	if (off < 0)
		off += total;
	if (off < 0)
		off = 0;
	if (len < 0)
		len = total - off; /* -1: to the end */
	if (off > total)
		off = total;
	if (len > total - off)
		len = total - off;
	if (len < 0)
		len = 0;
	size_t i = 0, from = 0, to = 0;
	for (int64_t g = 0; g <= total; g++) {
		if (g == off)
			from = i;
		if (g == off + len) {
			to = i;
			break;
		}
		if (i < s.len)
			i += cs__hcl_grapheme_len(s.ptr + i, s.len - i);
	}
	*out = cs__hcl_str(c, s.ptr + from, to - from);
	return CS_OK;
}

/* ---- regular expressions -------------------------------------------------- */

/* Whether the pattern uses something RE2 does not have. */
static bool re2_refuses(cs_str p)
{
	bool cls = false;
	for (size_t i = 0; i < p.len; i++) {
		char ch = p.ptr[i];
		if (ch == '\\' && i + 1 < p.len) {
			char n = p.ptr[++i];
			if (!cls && n >= '1' && n <= '9')
				return true; /* backreference */
			continue;
		}
		if (cls) {
			if (ch == ']')
				cls = false;
			continue;
		}
		if (ch == '[') {
			cls = true;
			if (i + 1 < p.len && p.ptr[i + 1] == ']')
				i++;
			continue;
		}
		if (ch == '(' && i + 2 < p.len && p.ptr[i + 1] == '?') {
			char n = p.ptr[i + 2];
			if (n == '=' || n == '!' || n == '>' || n == '|' ||
			    (n == '<' && i + 3 < p.len && (p.ptr[i + 3] == '=' || p.ptr[i + 3] == '!')))
				return true;
		}
		if ((ch == '+' || ch == '*' || ch == '?' || ch == '}') && i + 1 < p.len &&
		    p.ptr[i + 1] == '+')
			return true; /* possessive */
	}
	return false;
}

typedef struct regex {
	pcre2_code *re;
	pcre2_match_data *md;
	uint32_t ncap;
	uint32_t nnames, name_size;
	PCRE2_SPTR names;
} regex;

static void regex_release(regex *r)
{
	if (r->md)
		pcre2_match_data_free(r->md);
	if (r->re)
		pcre2_code_free(r->re);
}

static cs_err regex_compile(cs__hcl_call *c, size_t arg, cs_str p, regex *r)
{
	int err;
	PCRE2_SIZE off;
	memset(r, 0, sizeof *r);
	if (re2_refuses(p))
		return cs__hcl_arg_err(c, arg,
				       "invalid regular expression: backreferences, lookaround and "
				       "possessive or atomic groups are not supported (RE2 syntax)");
	r->re = pcre2_compile((PCRE2_SPTR)p.ptr, p.len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DUPNAMES,
			      &err, &off, NULL);
	if (!r->re) {
		PCRE2_UCHAR msg[200];
		pcre2_get_error_message(err, msg, sizeof msg);
		return cs__hcl_arg_err(c, arg, "invalid regular expression at offset %zu: %s",
				       (size_t)off, (const char *)msg);
	}
	r->md = pcre2_match_data_create_from_pattern(r->re, NULL);
	if (!r->md) {
		regex_release(r);
		return cs__hcl_oom(c);
	}
	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &r->ncap);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &r->nnames);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &r->name_size);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &r->names);
	return CS_OK;
}

/* Matches at byte `from`; 1 matched, 0 no match, <0 error. */
static int regex_match(regex *r, cs_str s, size_t from)
{
	int n = pcre2_match(r->re, (PCRE2_SPTR)s.ptr, s.len, from, 0, r->md, NULL);
	if (n == PCRE2_ERROR_NOMATCH)
		return 0;
	return n < 0 ? -1 : 1;
}

/* Capture k of the last match as a string value, or null when unset. */
static cs_value *capture(cs__hcl_call *c, regex *r, cs_str s, uint32_t k)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
	if (ov[2 * k] == PCRE2_UNSET)
		return cs__hcl_str(c, "", 0); /* RE2 gives "" for unmatched groups */
	return cs__hcl_str(c, s.ptr + ov[2 * k], ov[2 * k + 1] - ov[2 * k]);
}

/* The value regex() gives for the last match. */
static cs_value *match_value(cs__hcl_call *c, regex *r, cs_str s)
{
	if (r->ncap == 0)
		return capture(c, r, s, 0);
	if (r->nnames) {
		cs_member *m = cs_arena_alloc(c->arena, r->nnames * sizeof *m);
		if (!m)
			return NULL;
		for (uint32_t i = 0; i < r->nnames; i++) {
			PCRE2_SPTR e = r->names + (size_t)i * r->name_size;
			uint32_t k = ((uint32_t)e[0] << 8) | e[1];
			/* the name table goes with the pattern: copy */
			const char *name = cs_arena_strdup(c->arena, (const char *)e + 2);
			if (!name)
				return NULL;
			m[i].key = (cs_str){ name, strlen(name) };
			m[i].val = capture(c, r, s, k);
			if (!m[i].val)
				return NULL;
		}
		return cs__hcl_object(c, m, r->nnames);
	}
	cs_value **v = cs_arena_alloc(c->arena, r->ncap * sizeof *v);
	if (!v)
		return NULL;
	for (uint32_t k = 1; k <= r->ncap; k++)
		if (!(v[k - 1] = capture(c, r, s, k)))
			return NULL;
	return cs__hcl_list(c, v, r->ncap);
}

static cs_err f_regex(cs__hcl_call *c, const cs_value **out)
{
	cs_str p, s;
	regex r;
	cs_err rc = two_strs(c, &p, &s);
	if (rc)
		return rc;
	rc = regex_compile(c, 0, p, &r);
	if (rc)
		return rc;
	int m = regex_match(&r, s, 0);
	if (m == 0)
		rc = cs__hcl_call_err(c, "pattern did not match any part of the given string");
	else if (m < 0)
		rc = cs__hcl_call_err(c, "the regular expression could not be matched (limit)");
	else if (!(*out = match_value(c, &r, s)))
		rc = cs__hcl_oom(c);
	regex_release(&r);
	return rc;
}

/* Next search position after a match [a,b): past an empty match by one
 * code point. */
static size_t next_from(cs_str s, size_t a, size_t b)
{
	if (b > a)
		return b;
	if (b >= s.len)
		return s.len + 1;
	size_t adv;
	cs__hcl_utf8_next(s.ptr + b, s.len - b, &adv);
	return b + adv;
}

static cs_err f_regexall(cs__hcl_call *c, const cs_value **out)
{
	cs_str p, s;
	regex r;
	cs_ptrvec pv = { 0 };
	cs_err rc = two_strs(c, &p, &s);
	if (rc)
		return rc;
	rc = regex_compile(c, 0, p, &r);
	if (rc)
		return rc;
	size_t prev_end = SIZE_MAX;
	for (size_t from = 0; from <= s.len && !rc;) {
		int m = regex_match(&r, s, from);
		if (m == 0)
			break;
		if (m < 0) {
			rc = cs__hcl_call_err(c, "the regular expression could not be matched (limit)");
			break;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r.md);
		size_t a = ov[0], e = ov[1];
		from = next_from(s, a, e);
		if (a == e && a == prev_end) /* Go: no empty match right after a match */
			continue;
		prev_end = e;
		cs_value *v = match_value(c, &r, s);
		rc = v ? cs__ptrvec_push(&pv, v) : CS_ENOMEM;
	}
	if (!rc && !(*out = cs__hcl_list(c, (cs_value **)pv.v, pv.n)))
		rc = CS_ENOMEM;
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		rc = cs__hcl_oom(c);
	cs__ptrvec_release(&pv);
	regex_release(&r);
	return rc;
}

/* Appends a replacement template with $1, ${1}, $name, ${name} and $$
 * expanded as Go's regexp.Expand does. */
static cs_err expand(cs_buf *b, regex *r, cs_str s, cs_str t)
{
	cs_err rc = CS_OK;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
	for (size_t i = 0; i < t.len && !rc; i++) {
		if (t.ptr[i] != '$' || i + 1 >= t.len) {
			rc = cs_buf_putc(b, t.ptr[i]);
			continue;
		}
		if (t.ptr[i + 1] == '$') {
			rc = cs_buf_putc(b, '$');
			i++;
			continue;
		}
		size_t ns, ne;
		bool brace = t.ptr[i + 1] == '{';
		ns = i + 1 + (brace ? 1 : 0);
		ne = ns;
		while (ne < t.len && (t.ptr[ne] == '_' || (t.ptr[ne] >= '0' && t.ptr[ne] <= '9') ||
				      (t.ptr[ne] >= 'a' && t.ptr[ne] <= 'z') ||
				      (t.ptr[ne] >= 'A' && t.ptr[ne] <= 'Z')))
			ne++;
		if (ne == ns || (brace && (ne >= t.len || t.ptr[ne] != '}'))) {
			rc = cs_buf_putc(b, '$'); /* not a reference: literal */
			continue;
		}
		char name[64];
		size_t nl = ne - ns < sizeof name - 1 ? ne - ns : sizeof name - 1;
		memcpy(name, t.ptr + ns, nl);
		name[nl] = 0;
		int k = -1;
		bool numeric = true;
		for (size_t q = 0; q < nl; q++)
			numeric = numeric && name[q] >= '0' && name[q] <= '9';
		if (numeric) {
			long v = 0;
			for (size_t q = 0; q < nl && v < 100000; q++)
				v = v * 10 + (name[q] - '0');
			k = v <= (long)r->ncap ? (int)v : -1;
		} else {
			k = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)name);
		}
		if (k >= 0 && ov[2 * k] != PCRE2_UNSET)
			rc = cs_buf_append(b, s.ptr + ov[2 * k], ov[2 * k + 1] - ov[2 * k]);
		i = brace ? ne : ne - 1;
	}
	return rc;
}

static cs_err f_replace(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, sub, rep;
	cs_buf b;
	cs_err rc = two_strs(c, &s, &sub);
	if (!rc)
		rc = cs__hcl_want_str(c, 2, &rep);
	if (rc)
		return rc;
	cs_buf_init(&b, STR_MAX);
	if (sub.len > 1 && sub.ptr[0] == '/' && sub.ptr[sub.len - 1] == '/') {
		regex r;
		rc = regex_compile(c, 1, (cs_str){ sub.ptr + 1, sub.len - 2 }, &r);
		if (rc)
			return rc;
		size_t last = 0, prev_end = SIZE_MAX;
		for (size_t from = 0; from <= s.len && !rc;) {
			int m = regex_match(&r, s, from);
			if (m <= 0) {
				if (m < 0)
					rc = cs__hcl_call_err(c, "the regular expression could not be matched (limit)");
				break;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r.md);
			size_t a = ov[0], e = ov[1];
			if (a == e && a == prev_end) { /* Go: no empty match right after a match */
				from = next_from(s, a, e);
				continue;
			}
			prev_end = e;
			rc = cs_buf_append(&b, s.ptr + last, a - last);
			if (!rc)
				rc = expand(&b, &r, s, rep);
			last = e;
			from = next_from(s, a, e);
			if (e == a && from <= s.len && !rc) { /* keep the skipped code point */
				rc = cs_buf_append(&b, s.ptr + e, from - e);
				last = from;
			}
		}
		if (!rc && last < s.len)
			rc = cs_buf_append(&b, s.ptr + last, s.len - last);
		regex_release(&r);
		if (rc == CS_EINVAL) {
			cs_buf_release(&b);
			return rc;
		}
		return buf_result(c, &b, rc, out);
	}
	if (sub.len == 0) { /* Go: insert at every code point boundary */
		size_t adv;
		rc = cs_buf_append(&b, rep.ptr, rep.len);
		for (size_t i = 0; i < s.len && !rc; i += adv) {
			cs__hcl_utf8_next(s.ptr + i, s.len - i, &adv);
			rc = cs_buf_append(&b, s.ptr + i, adv);
			if (!rc)
				rc = cs_buf_append(&b, rep.ptr, rep.len);
		}
		return buf_result(c, &b, rc, out);
	}
	for (size_t i = 0; i < s.len && !rc;) {
		const char *hit = find((cs_str){ s.ptr + i, s.len - i }, sub);
		size_t end = hit ? (size_t)(hit - s.ptr) : s.len;
		rc = cs_buf_append(&b, s.ptr + i, end - i);
		if (!hit || rc)
			break;
		rc = cs_buf_append(&b, rep.ptr, rep.len);
		i = end + sub.len;
	}
	return buf_result(c, &b, rc, out);
}

/* ---- format ----------------------------------------------------------------- */

typedef struct spec {
	bool minus, plus, sharp, space, zero;
	int width, prec; /* -1: none */
} spec;

static cs_err pad(cs_buf *b, const spec *sp, const char *s, size_t len, bool numeric)
{
	cs_err rc = CS_OK;
	size_t chars = 0, adv;
	for (size_t i = 0; i < len; i += adv, chars++)
		cs__hcl_utf8_next(s + i, len - i, &adv);
	size_t fill = sp->width > 0 && (size_t)sp->width > chars ? (size_t)sp->width - chars : 0;
	if (sp->minus) {
		rc = cs_buf_append(b, s, len);
		for (size_t i = 0; i < fill && !rc; i++)
			rc = cs_buf_putc(b, ' ');
		return rc;
	}
	if (sp->zero && numeric && len && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
		rc = cs_buf_putc(b, s[0]);
		s++, len--;
	}
	for (size_t i = 0; i < fill && !rc; i++)
		rc = cs_buf_putc(b, sp->zero && numeric ? '0' : ' ');
	if (!rc)
		rc = cs_buf_append(b, s, len);
	return rc;
}

/* Formats one verb; returns CS_EINVAL with the error set on a bad value. */
static cs_err format_one(cs__hcl_call *c, cs_buf *b, const spec *sp, char verb, size_t ai)
{
	const cs_value *v = c->args[ai];
	char tmp[512], nb[400];
	cs_str s;
	cs_err rc = CS_OK;
	cs_buf jb;
	switch (verb) {
	case 'v':
		if (sp->sharp || v->type == CS_VARRAY || v->type == CS_VOBJECT || v->type == CS_VNULL) {
			cs_buf_init(&jb, STR_MAX);
			rc = cs__hcl_json_encode(&jb, v);
			if (!rc)
				rc = pad(b, sp, jb.data ? jb.data : "", jb.len, false);
			cs_buf_release(&jb);
			return rc;
		}
		cs__hcl_as_str(v, nb, &s);
		return pad(b, sp, s.ptr, s.len, v->type == CS_VNUMBER);
	case 's':
	case 'q':
		if (!cs__hcl_as_str(v, nb, &s))
			return cs__hcl_arg_err(c, ai, "unsupported value for \"%%%c\" at %zu: string required",
					       verb, ai);
		if (sp->prec >= 0) { /* at most prec characters */
			size_t i = 0, adv;
			for (int k = 0; k < sp->prec && i < s.len; k++, i += adv)
				cs__hcl_utf8_next(s.ptr + i, s.len - i, &adv);
			s.len = i;
		}
		if (verb == 'q') {
			cs_buf_init(&jb, STR_MAX);
			rc = cs__hcl_json_encode(&jb, &(cs_value){ .type = CS_VSTRING, .u.s = s });
			if (!rc)
				rc = pad(b, sp, jb.data, jb.len, false);
			cs_buf_release(&jb);
			return rc;
		}
		return pad(b, sp, s.ptr, s.len, false);
	case 't':
		if (v->type != CS_VBOOL && !(v->type == CS_VSTRING && (cs_str_eqc(v->u.s, "true") ||
								       cs_str_eqc(v->u.s, "false"))))
			return cs__hcl_arg_err(c, ai, "unsupported value for \"%%t\" at %zu: bool required", ai);
		cs__hcl_as_str(v, nb, &s);
		return pad(b, sp, s.ptr, s.len, false);
	default:
		break;
	}
	/* numeric verbs */
	double d;
	if (v->type == CS_VNUMBER)
		d = v->u.num.d;
	else if (!(v->type == CS_VSTRING && cs__hcl_parse_num(v->u.s, &d)))
		return cs__hcl_arg_err(c, ai, "unsupported value for \"%%%c\" at %zu: number required",
				       verb, ai);
	const char *sign = d < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	double ad = fabs(d);
	int n = 0;
	if (verb == 'd' || verb == 'b' || verb == 'o' || verb == 'x' || verb == 'X') {
		if (ad != floor(ad))
			return cs__hcl_arg_err(c, ai, "unsupported value for \"%%%c\" at %zu: an integer is required",
					       verb, ai);
		if (ad >= 1.8446744073709552e19)
			return cs__hcl_arg_err(c, ai, "unsupported value for \"%%%c\" at %zu: number is too large",
					       verb, ai);
		unsigned long long u = (unsigned long long)ad;
		char digits[80];
		int nd = 0;
		unsigned base = verb == 'd' ? 10 : verb == 'b' ? 2 : verb == 'o' ? 8 : 16;
		const char *dig = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
		do {
			digits[nd++] = dig[u % base];
			u /= base;
		} while (u);
		const char *pre = "";
		if (sp->sharp)
			pre = verb == 'x' ? "0x" : verb == 'X' ? "0X" : verb == 'o' ? "0" : verb == 'b' ? "0b" : "";
		n = snprintf(tmp, sizeof tmp, "%s%s", sign, pre);
		while (nd && n < (int)sizeof tmp - 1)
			tmp[n++] = digits[--nd];
		tmp[n] = 0;
	} else if (verb == 'e' || verb == 'E' || verb == 'f' || verb == 'g' || verb == 'G') {
		char f[16];
		int prec = sp->prec;
		if (verb == 'g' || verb == 'G') {
			if (prec < 0) { /* Go: the shortest representation */
				char nt[400];
				cs__hcl_num_text(ad, nt, sizeof nt);
				int exp = ad == 0 ? 0 : (int)floor(log10(ad));
				if (exp < -4 || exp >= 21) {
					for (int p = 1; p <= 17; p++) {
						n = snprintf(tmp, sizeof tmp, "%s%.*e", sign, p - 1, ad);
						if (strtod(tmp + strlen(sign), NULL) == ad)
							break;
					}
				} else {
					n = snprintf(tmp, sizeof tmp, "%s%s", sign, nt);
				}
				if (verb == 'G')
					for (char *q = tmp; *q; q++)
						if (*q == 'e')
							*q = 'E';
				return pad(b, sp, tmp, (size_t)n, true);
			}
		}
		if (prec < 0)
			prec = 6;
		if (prec > 100)
			prec = 100;
		snprintf(f, sizeof f, "%%s%%.%d%c", prec, verb);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
		n = snprintf(tmp, sizeof tmp, f, sign, ad);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
		if (n < 0 || n >= (int)sizeof tmp)
			return cs__hcl_arg_err(c, ai, "number too large for \"%%%c\"", verb);
	} else {
		return cs__hcl_call_err(c, "unsupported format verb \"%%%c\"", verb);
	}
	return pad(b, sp, tmp, (size_t)n, true);
}

/* Formats spec with args[first..] into b (format and formatlist). */
static cs_err format_spec(cs__hcl_call *c, cs_buf *b, cs_str fmt, size_t first)
{
	cs_err rc = CS_OK;
	size_t next = first, used = first;
	bool indexed = false;
	for (size_t i = 0; i < fmt.len && !rc; i++) {
		if (fmt.ptr[i] != '%') {
			rc = cs_buf_putc(b, fmt.ptr[i]);
			continue;
		}
		size_t at = i++;
		spec sp = { .width = -1, .prec = -1 };
		for (; i < fmt.len; i++) {
			char f = fmt.ptr[i];
			if (f == '-')
				sp.minus = true;
			else if (f == '+')
				sp.plus = true;
			else if (f == '#')
				sp.sharp = true;
			else if (f == ' ')
				sp.space = true;
			else if (f == '0')
				sp.zero = true;
			else
				break;
		}
		for (; i < fmt.len && fmt.ptr[i] >= '0' && fmt.ptr[i] <= '9'; i++)
			sp.width = (sp.width < 0 ? 0 : sp.width) * 10 + (fmt.ptr[i] - '0') % 1000;
		if (sp.width > 10000)
			sp.width = 10000;
		if (i < fmt.len && fmt.ptr[i] == '.') {
			sp.prec = 0;
			for (i++; i < fmt.len && fmt.ptr[i] >= '0' && fmt.ptr[i] <= '9'; i++)
				sp.prec = (sp.prec * 10 + (fmt.ptr[i] - '0')) % 100000;
		}
		if (i < fmt.len && fmt.ptr[i] == '[') {
			size_t k = 0, j = i + 1;
			for (; j < fmt.len && fmt.ptr[j] >= '0' && fmt.ptr[j] <= '9' && k < 100000; j++)
				k = k * 10 + (size_t)(fmt.ptr[j] - '0');
			if (j >= fmt.len || fmt.ptr[j] != ']' || k == 0)
				return cs__hcl_call_err(c, "invalid argument index at offset %zu", at);
			next = first + k - 1;
			i = j + 1;
			indexed = true;
		}
		if (i >= fmt.len)
			return cs__hcl_call_err(c, "missing verb at end of format string");
		char verb = fmt.ptr[i];
		if (verb == '%') {
			rc = cs_buf_putc(b, '%');
			continue;
		}
		if (!strchr("vtsqbdoxXeEfgG", verb))
			return cs__hcl_call_err(c, "unsupported format verb \"%%%c\" at offset %zu", verb, at);
		if (next >= c->nargs)
			return cs__hcl_call_err(c, "not enough arguments for \"%%%c\" at %zu: need index %zu but have %zu total",
						verb, at, next - first + 1, c->nargs - first);
		if (c->args[next]->type == CS_VNULL && !(verb == 'v'))
			return cs__hcl_arg_err(c, next, "unsupported value for \"%%%c\" at %zu: null value cannot be formatted",
					       verb, at);
		rc = format_one(c, b, &sp, verb, next);
		next++;
		if (next > used)
			used = next;
	}
	if (!rc && !indexed && used < c->nargs)
		rc = cs__hcl_call_err(c, "too many arguments; no verbs left to consume");
	return rc;
}

static cs_err f_format(cs__hcl_call *c, const cs_value **out)
{
	cs_str fmt;
	cs_buf b;
	cs_err rc = cs__hcl_want_str(c, 0, &fmt);
	if (rc)
		return rc;
	cs_buf_init(&b, STR_MAX);
	rc = format_spec(c, &b, fmt, 1);
	if (rc == CS_EINVAL) {
		cs_buf_release(&b);
		return rc;
	}
	return buf_result(c, &b, rc, out);
}

static cs_err f_formatlist(cs__hcl_call *c, const cs_value **out)
{
	cs_str fmt;
	cs_err rc;
	size_t n = SIZE_MAX;
	for (size_t i = 0; i < c->nargs; i++)
		if (c->args[i]->type == CS_VUNKNOWN) {
			*out = cs__hcl_unknown_from(c, c->args[i]);
			return *out ? CS_OK : cs__hcl_oom(c);
		}
	for (size_t i = 1; i < c->nargs; i++) {
		const cs_value *a = c->args[i];
		if (a->type != CS_VARRAY)
			continue;
		if (n != SIZE_MAX && a->u.arr.n != n)
			return cs__hcl_call_err(c, "argument %zu has length %zu, which is inconsistent with argument 1 of length %zu",
						i, a->u.arr.n, n);
		n = a->u.arr.n;
	}
	rc = cs__hcl_want_str(c, 0, &fmt);
	if (rc)
		return rc;
	if (n == SIZE_MAX)
		n = 1; /* no lists: one result */
	cs_value **items = cs_arena_alloc(c->arena, (n ? n : 1) * sizeof *items);
	cs_value **row = cs_arena_alloc(c->arena, c->nargs * sizeof *row);
	if (!items || !row)
		return cs__hcl_oom(c);
	for (size_t k = 0; k < n && !rc; k++) {
		cs__hcl_call sub = *c;
		row[0] = c->args[0];
		for (size_t i = 1; i < c->nargs; i++)
			row[i] = c->args[i]->type == CS_VARRAY ? c->args[i]->u.arr.v[k] : c->args[i];
		sub.args = row;
		cs_buf b;
		cs_buf_init(&b, STR_MAX);
		const cs_value *u = NULL;
		for (size_t i = 1; i < c->nargs && !u; i++)
			cs__hcl_has_unknown(row[i], &u);
		if (u) {
			items[k] = cs__hcl_unknown_from(c, u);
			if (!items[k])
				rc = cs__hcl_oom(c);
			cs_buf_release(&b);
			continue;
		}
		rc = format_spec(&sub, &b, fmt, 1);
		if (rc) {
			c->summary = sub.summary;
			c->detail = sub.detail;
			c->bad_arg = sub.bad_arg;
		} else if (!(items[k] = cs__hcl_str(c, b.data ? b.data : "", b.len))) {
			rc = cs__hcl_oom(c);
		}
		cs_buf_release(&b);
	}
	if (!rc)
		*out = cs__hcl_list(c, items, n);
	return rc;
}

const cs__hcl_func cs__hcl_funcs_string[] = {
	{ "chomp", 1, 1, 0, "str", f_chomp },
	{ "endswith", 2, 2, 0, "str,suffix", f_endswith },
	{ "format", 1, CS__HCL_VARIADIC, CS__HCL_F_NULLOK, "format,args", f_format },
	{ "formatlist", 1, CS__HCL_VARIADIC, CS__HCL_F_NULLOK | CS__HCL_F_PARTIAL, "format,args",
	  f_formatlist },
	{ "indent", 2, 2, 0, "spaces,str", f_indent },
	{ "join", 1, CS__HCL_VARIADIC, 0, "separator,lists", f_join },
	{ "lower", 1, 1, 0, "str", f_lower },
	{ "regex", 2, 2, 0, "pattern,string", f_regex },
	{ "regexall", 2, 2, 0, "pattern,string", f_regexall },
	{ "replace", 3, 3, 0, "str,substr,replace", f_replace },
	{ "split", 2, 2, 0, "separator,str", f_split },
	{ "startswith", 2, 2, 0, "str,prefix", f_startswith },
	{ "strcontains", 2, 2, 0, "str,substr", f_strcontains },
	{ "strrev", 1, 1, 0, "str", f_strrev },
	{ "substr", 3, 3, 0, "str,offset,length", f_substr },
	{ "title", 1, 1, 0, "str", f_title },
	{ "trim", 2, 2, 0, "str,cutset", f_trim },
	{ "trimprefix", 2, 2, 0, "str,prefix", f_trimprefix },
	{ "trimspace", 1, 1, 0, "str", f_trimspace },
	{ "trimsuffix", 2, 2, 0, "str,suffix", f_trimsuffix },
	{ "upper", 1, 1, 0, "str", f_upper },
};
const size_t cs__hcl_funcs_string_n = CS_ARRAY_SIZE(cs__hcl_funcs_string);
