/*
 * json/json_int.h - pieces of the JSON reader and writer shared with the
 * detection engine (the on-demand event reader, the alert writers) and the
 * report writers, so all decode and encode strings and numbers the same
 * way.  Not installed.
 */
#ifndef CS_JSON_INT_H
#define CS_JSON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "cshare/core.h"

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define CS_JSON_SSE2 1
#endif

/* Decodes the escapes of a JSON string body src[0..len) (without quotes)
 * into o, which must hold len + 1 bytes (the output is never longer; it is
 * NUL-terminated).  *outlen is the decoded length.  CS_ESYNTAX (bad or
 * truncated escape) or CS_EUTF8 (unpaired surrogate), with *bad the offset
 * of the offending backslash in src. */
cs_err cs__json_unescape(const char *src, size_t len, char *o, size_t *outlen, size_t *bad);

/* The value of a number token s[0..n) already checked against the JSON
 * grammar; is_int when it has neither fraction nor exponent.  NAN only
 * when a long token could not be copied (out of memory). */
double cs__json_num_value(const char *s, size_t n, bool is_int);

/* Room cs__json_put_str needs for a string of n bytes: every byte as
 * \u00XX, plus the quotes. */
#define CS__JSON_STR_ROOM(n) (6 * (n) + 2)

/* Writes s[0..n) quoted and escaped at d, which has CS__JSON_STR_ROOM(n)
 * bytes, byte for byte what cs_json_write_str appends (for writers that
 * reserve room once instead of a buffer call per piece); returns the end. */
char *cs__json_put_str(char *d, const char *s, size_t n);

/* The end of the run of plain string bytes starting at q: the first byte
 * before e that is a quote, a backslash, a control byte or a non-ASCII byte
 * (each needs a closer look), or e.  16 bytes at a time with SSE2. */
static inline const unsigned char *cs__json_plain_end(const unsigned char *q,
						      const unsigned char *e)
{
#ifdef CS_JSON_SSE2
	const __m128i quote = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\'),
		      sp = _mm_set1_epi8(0x20);
	while (e - q >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		/* signed compare: bytes >= 0x80 are negative, so below 0x20 too */
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
						      _mm_cmpeq_epi8(v, bsl)),
					 _mm_cmplt_epi8(v, sp));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return q + __builtin_ctz(bits);
		q += 16;
	}
#endif
	while (q < e && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
		q++;
	return q;
}

#endif
