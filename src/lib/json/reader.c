/*
 * json/reader.c - a JSON (RFC 8259) parser into the arena value tree.
 *
 * One pass over the bytes; white space is skipped while counting lines so
 * every value gets its line and byte column for free.  Strings without
 * escapes are not copied: they point into the caller's buffer.  Nesting is
 * bounded (max_depth) and all allocation is in the caller's arena, so a
 * hostile input can cost neither the stack nor unbounded memory.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"
#include "json/json_int.h" /* before banned.h: <emmintrin.h> uses malloc */
#include "../core/internal.h"

typedef struct parser {
	cs_arena *a;
	const char *file;
	const unsigned char *p, *end, *start;
	const unsigned char *line_start;
	uint32_t col0;       /* columns before data[0] while on its line */
	uint64_t off0;       /* byte offset of data[0] in its file */
	uint32_t line;
	uint32_t pin_line, pin_col; /* non-zero: report this location instead */
	unsigned depth, max_depth;
	cs_diag_sink *diag;
	cs_ptrvec vals;    /* scratch stack of child values */
	cs_member *mem;    /* scratch stack of object members */
	size_t nmem, capmem;
	cs_err err;
	/* skip paths (cs_json_opts.skip), split into steps */
	unsigned nrules;
	unsigned char rlen[8];
	cs_str rstep[8][8];
	uint8_t cur;     /* rules still matching the value about to be parsed */
	size_t nskipped;
	char *scratch;   /* escape validation of skipped strings */
	size_t scap;
} parser;

static uint32_t col_of(const parser *ps, const unsigned char *at)
{
	if (ps->pin_line)
		return ps->pin_col;
	return (uint32_t)(at - ps->line_start) + 1 + ps->col0;
}

/* The line to record for a value or diagnostic (the pin, if any). */
static uint32_t line_of(const parser *ps)
{
	return ps->pin_line ? ps->pin_line : ps->line;
}

static cs_err fail_at(parser *ps, const unsigned char *at, cs_err code, const char *what)
{
	if (ps->err)
		return ps->err;
	ps->err = code;
	char near[24] = "end of input";
	if (at < ps->end) {
		unsigned char c = *at;
		if (c >= 0x20 && c < 0x7f)
			snprintf(near, sizeof near, "'%c'", c);
		else
			snprintf(near, sizeof near, "byte 0x%02x", c);
	}
	cs_diag_emit(ps->diag, CS_SEV_ERROR, code, ps->file, line_of(ps), col_of(ps, at), NULL,
		     "invalid JSON: %s (at %s, byte offset %llu)", what, near,
		     (unsigned long long)(ps->off0 + (uint64_t)(at - ps->start)));
	return code;
}

static cs_err oom(parser *ps)
{
	cs_err e = cs_arena_error(ps->a);
	if (e == CS_ELIMIT)
		return fail_at(ps, ps->p, CS_ELIMIT, "document too large for the memory limit");
	ps->err = CS_ENOMEM;
	return CS_ENOMEM;
}

static void skip_ws(parser *ps)
{
	const unsigned char *p = ps->p, *e = ps->end;
	while (p < e) {
		unsigned char c = *p;
		if (c == ' ' || c == '\t' || c == '\r') {
			p++;
		} else if (c == '\n') {
			p++;
			ps->line++;
			ps->line_start = p;
			ps->col0 = 0;
		} else {
			break;
		}
	}
	ps->p = p;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_hex4(const unsigned char *p, const unsigned char *e, uint32_t *out)
{
	if (e - p < 4)
		return false;
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return false;
		v = (v << 4) | (uint32_t)h;
	}
	*out = v;
	return true;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

cs_err cs__json_unescape(const char *src, size_t len, char *o, size_t *outlen, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)src, *q = s + len;
	const unsigned char *begin = s;
	size_t n = 0;
	cs_err rc = CS_OK;
	while (s < q) {
		if (*s != '\\') {
			o[n++] = (char)*s++;
			continue;
		}
		const unsigned char *at = s;
		s++;
		if (s >= q) {
			*bad = (size_t)(at - begin);
			rc = CS_ESYNTAX;
			break;
		}
		switch (*s) {
		case '"': o[n++] = '"'; s++; break;
		case '\\': o[n++] = '\\'; s++; break;
		case '/': o[n++] = '/'; s++; break;
		case 'b': o[n++] = '\b'; s++; break;
		case 'f': o[n++] = '\f'; s++; break;
		case 'n': o[n++] = '\n'; s++; break;
		case 'r': o[n++] = '\r'; s++; break;
		case 't': o[n++] = '\t'; s++; break;
		case 'u': {
			uint32_t cp;
			if (!read_hex4(s + 1, q, &cp)) {
				*bad = (size_t)(at - begin);
				rc = CS_ESYNTAX;
				goto out;
			}
			s += 5;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				uint32_t lo;
				if (q - s >= 6 && s[0] == '\\' && s[1] == 'u' && read_hex4(s + 2, q, &lo) &&
				    lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					s += 6;
				} else {
					*bad = (size_t)(at - begin);
					rc = CS_EUTF8;
					goto out;
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				*bad = (size_t)(at - begin);
				rc = CS_EUTF8;
				goto out;
			}
			n += put_utf8(o + n, cp);
			break;
		}
		default:
			*bad = (size_t)(at - begin);
			rc = CS_ESYNTAX;
			goto out;
		}
	}
out:
	o[n] = 0;
	*outlen = n;
	return rc;
}

/* Finds the end of the string whose opening quote is at ps->p, checking
 * control bytes and UTF-8 on the way: *endq is the closing quote, *escaped
 * whether the body has backslash escapes (they are checked by the caller). */
static inline cs_err scan_string(parser *ps, const unsigned char **endq, bool *escaped)
{
	const unsigned char *q = ps->p + 1, *e = ps->end;
	*escaped = false;
	for (;;) {
		q = cs__json_plain_end(q, e);
		if (q >= e)
			return fail_at(ps, ps->p, CS_ESYNTAX, "unterminated string");
		unsigned char c = *q;
		if (c == '"')
			break;
		if (c == '\\') {
			*escaped = true;
			if (q + 1 >= e)
				return fail_at(ps, q, CS_ESYNTAX, "unterminated string");
			q += 2;
			continue;
		}
		if (c < 0x20)
			return fail_at(ps, q, CS_ESYNTAX, "control character in string");
		/* non-ASCII: validate one sequence, then step over it */
		size_t rest = (size_t)(e - q);
		if (cs__utf8_check((const char *)q, rest < 4 ? rest : 4) == 0)
			return fail_at(ps, q, CS_EUTF8, "invalid UTF-8 in string");
		q += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	}
	*endq = q;
	return CS_OK;
}

/* Diagnoses a bad escape found by cs__json_unescape at begin[bad]. */
static cs_err bad_escape(parser *ps, const unsigned char *begin, size_t bad, cs_err urc)
{
	return fail_at(ps, begin + bad, urc,
		       urc == CS_EUTF8 ? "unpaired UTF-16 surrogate in \\u escape"
		       : begin[bad + 1] == 'u' ? "bad \\u escape"
					       : "invalid escape in string");
}

/* Parses a string starting at the opening quote; sets *out. */
static cs_err parse_string(parser *ps, cs_str *out)
{
	const unsigned char *begin = ps->p + 1, *q;
	bool escaped;
	cs_err rc = scan_string(ps, &q, &escaped);
	if (rc)
		return rc;
	size_t rawlen = (size_t)(q - begin);
	if (!escaped) {
		out->ptr = (const char *)begin;
		out->len = rawlen;
		ps->p = q + 1;
		return CS_OK;
	}
	/* decode escapes into the arena (output never longer than input) */
	char *o = cs_arena_alloc(ps->a, rawlen + 1);
	if (!o)
		return oom(ps);
	size_t n = 0, bad = 0;
	cs_err urc = cs__json_unescape((const char *)begin, rawlen, o, &n, &bad);
	if (urc)
		return bad_escape(ps, begin, bad, urc);
	o[n] = 0;
	out->ptr = o;
	out->len = n;
	ps->p = q + 1;
	return CS_OK;
}

/* Checks a string starting at the opening quote exactly as parse_string
 * does, without building it. */
static cs_err skip_string(parser *ps)
{
	const unsigned char *begin = ps->p + 1, *q;
	bool escaped;
	cs_err rc = scan_string(ps, &q, &escaped);
	if (rc)
		return rc;
	size_t rawlen = (size_t)(q - begin);
	if (escaped) {
		if (rawlen + 1 > ps->scap) {
			char *nb = cs_realloc(ps->scratch, rawlen + 1);
			if (!nb)
				return oom(ps);
			ps->scratch = nb;
			ps->scap = rawlen + 1;
		}
		size_t n = 0, bad = 0;
		cs_err urc = cs__json_unescape((const char *)begin, rawlen, ps->scratch, &n, &bad);
		if (urc)
			return bad_escape(ps, begin, bad, urc);
	}
	ps->p = q + 1;
	return CS_OK;
}

double cs__json_num_value(const char *str, size_t n, bool is_int)
{
	const unsigned char *s = (const unsigned char *)str, *p = s + n;
	double d;
	if (is_int && n <= 18) {
		const unsigned char *q = s;
		bool neg = *q == '-';
		if (neg)
			q++;
		int64_t v = 0;
		while (q < p)
			v = v * 10 + (*q++ - '0');
		d = neg ? -(double)v : (double)v;
	} else {
		char tmp[64];
		char *buf = tmp;
		if (n >= sizeof tmp) {
			buf = cs_malloc(n + 1);
			if (!buf)
				return NAN;
		}
		memcpy(buf, s, n);
		buf[n] = 0;
		d = strtod(buf, NULL);
		if (buf != tmp)
			cs_free(buf);
	}
	return d;
}

/* Checks the number token at ps->p against the grammar; *endp is its end. */
static cs_err scan_number(parser *ps, const unsigned char **endp, bool *intp)
{
	const unsigned char *s = ps->p, *p = s, *e = ps->end;
	bool is_int = true;
	if (p < e && *p == '-')
		p++;
	if (p >= e || !(*p >= '0' && *p <= '9'))
		return fail_at(ps, s, CS_ESYNTAX, "invalid number");
	if (*p == '0') {
		p++;
	} else {
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && *p == '.') {
		is_int = false;
		p++;
		if (p >= e || !(*p >= '0' && *p <= '9'))
			return fail_at(ps, p, CS_ESYNTAX, "digit expected after '.'");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		is_int = false;
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !(*p >= '0' && *p <= '9'))
			return fail_at(ps, p, CS_ESYNTAX, "digit expected in exponent");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	*endp = p;
	*intp = is_int;
	return CS_OK;
}

static cs_err parse_number(parser *ps, cs_value **out)
{
	const unsigned char *s = ps->p, *p;
	bool is_int;
	cs_err rc = scan_number(ps, &p, &is_int);
	if (rc)
		return rc;
	size_t n = (size_t)(p - s);
	double d = cs__json_num_value((const char *)s, n, is_int);
	if (isnan(d)) /* only an allocation failure for a long number */
		return oom(ps);
	cs_value *v = cs__v_num(ps->a, d, (cs_str){ (const char *)s, n }, line_of(ps),
				col_of(ps, s));
	if (!v)
		return oom(ps);
	if (is_int)
		v->flags |= CS_VF_INT;
	ps->p = p;
	*out = v;
	return CS_OK;
}

static cs_err parse_value(parser *ps, cs_value **out);
static bool lit(parser *ps, const char *w, size_t n);

static cs_err push_member(parser *ps, cs_member m)
{
	if (ps->nmem == ps->capmem) {
		size_t cap = ps->capmem ? ps->capmem * 2 : 64;
		cs_member *nm = cs_realloc(ps->mem, cap * sizeof(cs_member));
		if (!nm)
			return oom(ps);
		ps->mem = nm;
		ps->capmem = cap;
	}
	ps->mem[ps->nmem++] = m;
	return CS_OK;
}

/* Checks one value (at ps->p) exactly as parse_value would, building
 * nothing: the same grammar, the same diagnostics at the same places, the
 * same depth limit. */
static cs_err skip_value(parser *ps)
{
	if (ps->p >= ps->end)
		return fail_at(ps, ps->p, CS_ESYNTAX, "value expected");
	cs_err rc;
	switch (*ps->p) {
	case '{':
	case '[': {
		bool obj = *ps->p == '{';
		unsigned char close = obj ? '}' : ']';
		if (++ps->depth > ps->max_depth)
			return fail_at(ps, ps->p, CS_ELIMIT, "nesting too deep");
		ps->p++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return CS_OK;
		}
		for (;;) {
			if (obj) {
				if (ps->p >= ps->end || *ps->p != '"')
					return fail_at(ps, ps->p, CS_ESYNTAX,
						       "string key expected in object");
				if ((rc = skip_string(ps)))
					return rc;
				skip_ws(ps);
				if (ps->p >= ps->end || *ps->p != ':')
					return fail_at(ps, ps->p, CS_ESYNTAX,
						       "':' expected after object key");
				ps->p++;
				skip_ws(ps);
			}
			if ((rc = skip_value(ps)))
				return rc;
			skip_ws(ps);
			if (ps->p >= ps->end)
				return fail_at(ps, ps->p, CS_ESYNTAX,
					       obj ? "unterminated object" : "unterminated array");
			if (*ps->p == ',') {
				ps->p++;
				skip_ws(ps);
				continue;
			}
			if (*ps->p == close) {
				ps->p++;
				break;
			}
			return fail_at(ps, ps->p, CS_ESYNTAX,
				       obj ? "',' or '}' expected in object"
					   : "',' or ']' expected in array");
		}
		ps->depth--;
		return CS_OK;
	}
	case '"':
		return skip_string(ps);
	case 't':
		if (lit(ps, "true", 4))
			return CS_OK;
		break;
	case 'f':
		if (lit(ps, "false", 5))
			return CS_OK;
		break;
	case 'n':
		if (lit(ps, "null", 4))
			return CS_OK;
		break;
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
			const unsigned char *end;
			bool is_int;
			if ((rc = scan_number(ps, &end, &is_int)))
				return rc;
			ps->p = end;
			return CS_OK;
		}
		break;
	}
	return fail_at(ps, ps->p, CS_ESYNTAX, "value expected");
}

/* The skip rules still matching after a step (`key`, or "[]" for an array
 * element) at path position `pos`; *skip is set when one ends there. */
static uint8_t step_rules(const parser *ps, uint8_t mask, unsigned pos, cs_str key, bool *skip)
{
	uint8_t out = 0;
	for (unsigned r = 0; r < ps->nrules; r++) {
		if (!(mask & (1u << r)) || ps->rlen[r] <= pos)
			continue;
		cs_str st = ps->rstep[r][pos];
		if (st.len != key.len || memcmp(st.ptr, key.ptr, key.len) != 0)
			continue;
		if (ps->rlen[r] == pos + 1)
			*skip = true;
		else
			out = (uint8_t)(out | (1u << r));
	}
	return out;
}

static cs_err parse_array(parser *ps, cs_value **out)
{
	uint32_t line = line_of(ps), col = col_of(ps, ps->p);
	size_t base = ps->vals.n;
	cs_err rc;
	uint8_t child = 0;
	if (ps->cur) {
		bool skip = false; /* rules never end in "[]" */
		child = step_rules(ps, ps->cur, ps->depth - 1, CS_STR_LIT("[]"), &skip);
	}
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
	} else {
		for (;;) {
			cs_value *v;
			ps->cur = child;
			if ((rc = parse_value(ps, &v)))
				return rc;
			if (cs__ptrvec_push(&ps->vals, v))
				return oom(ps);
			skip_ws(ps);
			if (ps->p >= ps->end)
				return fail_at(ps, ps->p, CS_ESYNTAX, "unterminated array");
			if (*ps->p == ',') {
				ps->p++;
				skip_ws(ps);
				continue;
			}
			if (*ps->p == ']') {
				ps->p++;
				break;
			}
			return fail_at(ps, ps->p, CS_ESYNTAX, "',' or ']' expected in array");
		}
	}
	cs_value *arr = cs__v_array(ps->a, ps->vals.v ? (cs_value *const *)ps->vals.v + base : NULL,
				    ps->vals.n - base, line, col);
	ps->vals.n = base;
	if (!arr)
		return oom(ps);
	*out = arr;
	return CS_OK;
}

static cs_err parse_object(parser *ps, cs_value **out)
{
	uint32_t line = line_of(ps), col = col_of(ps, ps->p);
	size_t base = ps->nmem;
	cs_err rc;
	uint8_t mask = ps->cur;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
	} else {
		for (;;) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail_at(ps, ps->p, CS_ESYNTAX, "string key expected in object");
			cs_member m;
			m.line = line_of(ps);
			m.col = col_of(ps, ps->p);
			if ((rc = parse_string(ps, &m.key)))
				return rc;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return fail_at(ps, ps->p, CS_ESYNTAX, "':' expected after object key");
			ps->p++;
			skip_ws(ps);
			bool skip = false;
			ps->cur = mask ? step_rules(ps, mask, ps->depth - 1, m.key, &skip) : 0;
			if (skip) {
				if ((rc = skip_value(ps)))
					return rc;
				ps->nskipped++;
			} else {
				if ((rc = parse_value(ps, &m.val)))
					return rc;
				if ((rc = push_member(ps, m)))
					return rc;
			}
			skip_ws(ps);
			if (ps->p >= ps->end)
				return fail_at(ps, ps->p, CS_ESYNTAX, "unterminated object");
			if (*ps->p == ',') {
				ps->p++;
				skip_ws(ps);
				continue;
			}
			if (*ps->p == '}') {
				ps->p++;
				break;
			}
			return fail_at(ps, ps->p, CS_ESYNTAX, "',' or '}' expected in object");
		}
	}
	cs_value *obj = cs__v_object(ps->a, ps->mem ? ps->mem + base : NULL, ps->nmem - base,
				     line, col);
	ps->nmem = base;
	if (!obj)
		return oom(ps);
	*out = obj;
	return CS_OK;
}

static bool lit(parser *ps, const char *w, size_t n)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static cs_err parse_value(parser *ps, cs_value **out)
{
	if (ps->p >= ps->end)
		return fail_at(ps, ps->p, CS_ESYNTAX, "value expected");
	uint32_t line = line_of(ps), col = col_of(ps, ps->p);
	cs_err rc;
	switch (*ps->p) {
	case '{':
	case '[':
		if (++ps->depth > ps->max_depth)
			return fail_at(ps, ps->p, CS_ELIMIT, "nesting too deep");
		rc = *ps->p == '{' ? parse_object(ps, out) : parse_array(ps, out);
		ps->depth--;
		return rc;
	case '"': {
		cs_str s;
		if ((rc = parse_string(ps, &s)))
			return rc;
		*out = cs__v_str(ps->a, s, line, col);
		return *out ? CS_OK : oom(ps);
	}
	case 't':
		if (!lit(ps, "true", 4))
			break;
		*out = cs__v_bool(ps->a, true, line, col);
		return *out ? CS_OK : oom(ps);
	case 'f':
		if (!lit(ps, "false", 5))
			break;
		*out = cs__v_bool(ps->a, false, line, col);
		return *out ? CS_OK : oom(ps);
	case 'n':
		if (!lit(ps, "null", 4))
			break;
		*out = cs__v_null(ps->a, line, col);
		return *out ? CS_OK : oom(ps);
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps, out);
		break;
	}
	return fail_at(ps, ps->p, CS_ESYNTAX, "value expected");
}

cs_err cs_json_parse(cs_arena *a, const char *file, const char *data, size_t len,
		     const cs_json_opts *opts, cs_diag_sink *diag, const cs_value **out,
		     size_t *consumed)
{
	parser ps;
	cs_value *root = NULL;
	cs_err rc;

	memset(&ps, 0, sizeof ps);
	ps.a = a;
	ps.file = file;
	ps.start = ps.p = ps.line_start = (const unsigned char *)data;
	ps.end = ps.p + len;
	ps.line = opts && opts->first_line ? opts->first_line : 1;
	if (opts && opts->first_col > 1)
		ps.col0 = opts->first_col - 1;
	if (opts)
		ps.off0 = opts->first_offset;
	ps.max_depth = opts && opts->max_depth ? opts->max_depth : 512;
	if (opts && opts->pin_line) {
		ps.pin_line = opts->pin_line;
		ps.pin_col = opts->pin_col;
	}
	ps.diag = diag;
	*out = NULL;
	if (opts && opts->skip) {
		for (const char *const *r = opts->skip; *r; r++) {
			const char *t = *r;
			unsigned k = 0;
			if (ps.nrules == 8)
				return CS_EINVAL;
			for (;;) {
				const char *dot = strchr(t, '.');
				size_t n = dot ? (size_t)(dot - t) : strlen(t);
				const char *br = memchr(t, '[', n);
				if (br && br != t) { /* "key[]": a key step, then an element step */
					if (k + 2 > 8 || n - (size_t)(br - t) != 2 || br[1] != ']')
						return CS_EINVAL;
					ps.rstep[ps.nrules][k++] = (cs_str){ t, (size_t)(br - t) };
					ps.rstep[ps.nrules][k++] = CS_STR_LIT("[]");
				} else {
					if (k == 8 || n == 0)
						return CS_EINVAL;
					ps.rstep[ps.nrules][k++] = (cs_str){ t, n };
				}
				if (!dot)
					break;
				t = dot + 1;
			}
			if (cs_str_eqc(ps.rstep[ps.nrules][k - 1], "[]"))
				return CS_EINVAL;
			ps.rlen[ps.nrules++] = (unsigned char)k;
		}
		ps.cur = (uint8_t)((1u << ps.nrules) - 1);
	}

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		ps.p += 3;
		ps.line_start = ps.p;
	}
	skip_ws(&ps);
	if (ps.p >= ps.end) {
		rc = fail_at(&ps, ps.p, CS_ESYNTAX, "empty document");
		goto out;
	}
	if ((rc = parse_value(&ps, &root)))
		goto out;
	skip_ws(&ps);
	if (!(opts && opts->allow_trailing) && ps.p < ps.end) {
		rc = fail_at(&ps, ps.p, CS_ESYNTAX, "unexpected data after the JSON value");
		goto out;
	}
	*out = root;
	if (consumed)
		*consumed = (size_t)(ps.p - ps.start);
	if (opts && opts->skipped)
		*opts->skipped = ps.nskipped;
out:
	cs__ptrvec_release(&ps.vals);
	cs_free(ps.mem);
	cs_free(ps.scratch);
	return rc;
}
