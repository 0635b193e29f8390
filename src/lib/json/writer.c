/* json/writer.c - writing JSON strings and value trees (for reports). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_int.h" /* first: it may pull in <emmintrin.h> */
#include "cshare/json.h"
#include "../core/internal.h"

/* Bytes that need an escape (or a closer look: '/' after '<', and the
 * first byte of U+2028/U+2029). */
static const unsigned char special[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
	[0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
	[0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
	[0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
	[0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1,  ['\\'] = 1, ['/'] = 1,
	[0xe2] = 1,
};

/* Copies bytes up to the first special one (or the end) from s + *i to
 * *d, advancing both. */
static void copy_plain(const unsigned char *s, size_t len, size_t *i, char **d)
{
	size_t k = *i;
	char *o = *d;
#ifdef CS_JSON_SSE2
	/* 16 bytes at a time: store them all, keep those before the first
	 * special byte (the caller reserved room for the worst case) */
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		      slash = _mm_set1_epi8('/'), e2 = _mm_set1_epi8((char)0xE2),
		      ctl = _mm_set1_epi8(0x1F);
	while (len - k >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
		_mm_storeu_si128((__m128i *)(void *)o, x);
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
					 _mm_or_si128(_mm_cmpeq_epi8(x, slash), _mm_cmpeq_epi8(x, e2)));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);
		if (mask) {
			unsigned z = (unsigned)__builtin_ctz(mask);
			k += z;
			o += z;
			*i = k;
			*d = o;
			return;
		}
		k += 16;
		o += 16;
	}
#endif
	while (k < len && !special[s[k]])
		*o++ = (char)s[k++];
	*i = k;
	*d = o;
}

char *cs__json_put_str(char *d, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	*d++ = '"';
	for (;;) {
		copy_plain(s, len, &i, &d);
		if (i >= len)
			break;
		unsigned char c = s[i];
		switch (c) {
		case '"': *d++ = '\\'; *d++ = '"'; break;
		case '\\': *d++ = '\\'; *d++ = '\\'; break;
		case '\n': *d++ = '\\'; *d++ = 'n'; break;
		case '\r': *d++ = '\\'; *d++ = 'r'; break;
		case '\t': *d++ = '\\'; *d++ = 't'; break;
		case '\b': *d++ = '\\'; *d++ = 'b'; break;
		case '\f': *d++ = '\\'; *d++ = 'f'; break;
		case '/':
			if (i > 0 && s[i - 1] == '<')
				*d++ = '\\';
			*d++ = '/';
			break;
		case 0xE2:
			if (i + 2 < len && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
				memcpy(d, "\\u202", 5);
				d += 5;
				*d++ = s[i + 2] == 0xA8 ? '8' : '9';
				i += 2;
			} else {
				*d++ = (char)c;
			}
			break;
		default:
			memcpy(d, "\\u00", 4);
			d += 4;
			*d++ = hex[c >> 4];
			*d++ = hex[c & 15];
		}
		i++;
	}
	*d++ = '"';
	return d;
}

cs_err cs_json_write_str(cs_buf *b, const char *s, size_t len)
{
	cs_err rc;
	static const char hex[] = "0123456789abcdef";
	if ((rc = cs_buf_putc(b, '"')))
		return rc;
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!special[c])
			continue;
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '/':
			if (i > 0 && s[i - 1] == '<')
				esc = "\\/";
			break;
		case 0xE2:
			if (i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
				esc = (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
			break;
		default:
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = 0;
			esc = u;
		}
		if (!esc)
			continue;
		if ((rc = cs_buf_append(b, s + run, i - run)))
			return rc;
		if ((rc = cs_buf_puts(b, esc)))
			return rc;
		if (c == 0xE2)
			i += 2;
		run = i + 1;
	}
	if ((rc = cs_buf_append(b, s + run, len - run)))
		return rc;
	return cs_buf_putc(b, '"');
}

/* Whether s is a number in RFC 8259 syntax. */
static bool json_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return false;
	if (s[i] == '0')
		i++;
	else
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

static cs_err write_value(cs_buf *b, const cs_value *v, bool show_unknown);

cs_err cs_json_write_value(cs_buf *b, const cs_value *v)
{
	return write_value(b, v, false);
}

cs_err cs__json_write_evidence(cs_buf *b, const cs_value *v)
{
	return write_value(b, v, true);
}

/* An unknown for people: its known text with ${?} for the holes, or ${?}. */
static cs_err write_unknown(cs_buf *b, const cs_value *v)
{
	cs_buf t;
	cs_err rc;
	cs_buf_init(&t, 0);
	const char *p = v->u.unk.shape ? v->u.unk.shape : "\x01";
	for (; *p; p++) {
		if (*p == CS_HOLE_ANY || *p == CS_HOLE_TOKEN)
			cs_buf_puts(&t, "${?}");
		else
			cs_buf_putc(&t, *p);
	}
	rc = cs_json_write_str(b, t.data ? t.data : "", t.len);
	cs_buf_release(&t);
	return rc;
}

static cs_err write_value(cs_buf *b, const cs_value *v, bool show_unknown)
{
	cs_err rc = CS_OK;
	switch (cs_value_type(v)) {
	case CS_VUNKNOWN:
		if (show_unknown)
			return write_unknown(b, v);
		return cs_buf_puts(b, "null");
	case CS_VNULL:
		return cs_buf_puts(b, "null");
	case CS_VBOOL:
		return cs_buf_puts(b, v->u.b ? "true" : "false");
	case CS_VNUMBER:
		/* the source text when it is a JSON number (YAML also allows 0x1F,
		 * 0o14, +12, .inf); otherwise the value, and non-finite values as
		 * strings since JSON cannot hold them */
		if (v->u.num.raw.len && !(v->flags & CS_VF_SYNTH) &&
		    json_number(v->u.num.raw.ptr, v->u.num.raw.len))
			return cs_buf_append(b, v->u.num.raw.ptr, v->u.num.raw.len);
		if (!isfinite(v->u.num.d))
			return cs_json_write_str(b, v->u.num.raw.ptr ? v->u.num.raw.ptr : "nan",
						 v->u.num.raw.ptr ? v->u.num.raw.len : 3);
		if (v->u.num.d == (double)(long long)v->u.num.d && fabs(v->u.num.d) < 1e15)
			return cs_buf_printf(b, "%lld", (long long)v->u.num.d);
		return cs_buf_printf(b, "%.17g", v->u.num.d);
	case CS_VSTRING:
		return cs_json_write_str(b, v->u.s.ptr, v->u.s.len);
	case CS_VARRAY:
		if ((rc = cs_buf_putc(b, '[')))
			return rc;
		for (size_t i = 0; i < v->u.arr.n; i++) {
			if (i && (rc = cs_buf_putc(b, ',')))
				return rc;
			if ((rc = write_value(b, v->u.arr.v[i], show_unknown)))
				return rc;
		}
		return cs_buf_putc(b, ']');
	case CS_VOBJECT:
		if ((rc = cs_buf_putc(b, '{')))
			return rc;
		for (size_t i = 0; i < v->u.obj.n; i++) {
			if (i && (rc = cs_buf_putc(b, ',')))
				return rc;
			const cs_member *m = &v->u.obj.m[i];
			if ((rc = cs_json_write_str(b, m->key.ptr, m->key.len)) ||
			    (rc = cs_buf_putc(b, ':')) || (rc = write_value(b, m->val, show_unknown)))
				return rc;
		}
		return cs_buf_putc(b, '}');
	}
	return rc;
}

cs_err cs_json_write_compact(cs_buf *b, const char *json, size_t len)
{
	/* copies the text, dropping white space outside strings; the input is
	 * JSON the parser accepted, so strings are well formed */
	size_t run = 0;
	cs_err rc = CS_OK;
	for (size_t i = 0; i < len && !rc; i++) {
		char c = json[i];
		if (c == '"') {
			/* to the closing quote: the next quote not preceded by an odd
			 * run of backslashes (memchr is much faster than a byte loop
			 * over long strings) */
			for (;;) {
				const char *q = memchr(json + i + 1, '"', len - i - 1);
				if (!q) {
					i = len;
					break;
				}
				i = (size_t)(q - json);
				size_t bs = 0;
				while (bs < i && json[i - 1 - bs] == '\\')
					bs++;
				if (bs % 2 == 0)
					break;
			}
		} else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			rc = cs_buf_append(b, json + run, i - run);
			run = i + 1;
		}
	}
	if (!rc && run < len)
		rc = cs_buf_append(b, json + run, len - run);
	return rc;
}
