/* report/report.c - choosing a writer, ordering results, shared helpers. */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "report.h"

int cs_format_parse(const char *s)
{
	static const char *const names[] = { "text", "json", "sarif", "junit", "csv" };
	for (size_t i = 0; i < CS_ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static bool wanted(const cs_result *x, const cs_report_opts *o)
{
	return !(x->suppressed && !o->show_suppressed) && !(x->verdict == CS_PASS && !o->include_pass);
}

bool cs__report_listed(cs_results *r, cs_result *x, const cs_report_opts *o)
{
	if (!wanted(x, o))
		return false;
	cs__result_describe(r, x);
	return true;
}

/* Bytes that need an escape or a closer look, as in cs_json_write_str:
 * control characters, '"', '\\', '/' (escaped after '<') and 0xE2 (the
 * first byte of U+2028 and U+2029). */
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
#if defined(__SSE2__)
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

cs_err cs__json_str(cs_buf *b, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	cs_err rc = CS_OK;
	/* worst case: every byte as \u00XX, plus the quotes; long strings
	 * (rare in reports) go through the general writer */
	if (len > ((size_t)1 << 16))
		return cs_json_write_str(b, str, len);
	char *start = cs__buf_reserve(b, 6 * len + 2, &rc);
	if (rc == CS_ELIMIT) /* near the buffer's maximum: exactly as the writer does */
		return cs_json_write_str(b, str, len);
	if (!start)
		return rc;
	char *d = start;
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
	cs__buf_commit(b, (size_t)(d - start));
	return CS_OK;
}

cs_err cs__json_str_or_null(cs_buf *b, const char *s)
{
	return s ? cs__json_str(b, s, strlen(s)) : cs__buf_add(b, "null", 4);
}

cs_err cs__xml_escape(cs_buf *b, const char *s)
{
	cs_err rc = CS_OK;
	for (const char *p = s; *p && !rc; p++) {
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '<': rc = cs_buf_puts(b, "&lt;"); break;
		case '>': rc = cs_buf_puts(b, "&gt;"); break;
		case '&': rc = cs_buf_puts(b, "&amp;"); break;
		case '"': rc = cs_buf_puts(b, "&quot;"); break;
		case '\'': rc = cs_buf_puts(b, "&apos;"); break;
		default:
			/* XML 1.0 forbids most control characters even escaped */
			if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
				rc = cs_buf_putc(b, '?');
			else
				rc = cs_buf_putc(b, (char)c);
		}
	}
	return rc;
}

/* Output order: severity (high first), check id, verdict (fail, unknown,
 * pass), file, line, resource name. */
static int result_cmp(const void *pa, const void *pb)
{
	const cs_result *a = pa, *b = pb;
	static const int vrank[] = { 2, 0, 1 };
	if (a->check->level != b->check->level)
		return (int)b->check->level - (int)a->check->level;
	if (a->check->rank != b->check->rank) /* rank is the id order */
		return a->check->rank < b->check->rank ? -1 : 1;
	int c;
	if (vrank[a->verdict] != vrank[b->verdict])
		return vrank[a->verdict] - vrank[b->verdict];
	/* results of one input share its file name string */
	if (a->file != b->file && (c = strcmp(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return strcmp(a->res->name, b->res->name);
}

cs_err cs_report_write(cs_buf *out, cs_results *r, const cs_report_opts *o)
{
	/* only what is listed needs an order: move it to the front, sort that
	 * (JUnit lists every result) */
	size_t n = r->n;
	if (o->format != CS_FMT_JUNIT) {
		n = 0;
		for (size_t i = 0; i < r->n; i++) {
			if (!wanted(&r->v[i], o))
				continue;
			if (i != n) {
				cs_result t = r->v[n];
				r->v[n] = r->v[i];
				r->v[i] = t;
			}
			n++;
		}
	}
	if (n)
		qsort(r->v, n, sizeof(cs_result), result_cmp);
	switch (o->format) {
	case CS_FMT_TEXT:
		return cs__report_text(out, r, o);
	case CS_FMT_JSON:
		return cs__report_json(out, r, o);
	case CS_FMT_SARIF:
		return cs__report_sarif(out, r, o);
	case CS_FMT_JUNIT:
		return cs__report_junit(out, r, o);
	case CS_FMT_CSV:
		return cs__report_csv(out, r, o);
	}
	return CS_EINVAL;
}
