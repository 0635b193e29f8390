/* core/str.c - length-carrying strings, hashing and UTF-8 validation. */
#include <string.h>

#include "internal.h"

cs_str cs_str_c(const char *s)
{
	cs_str r = { s ? s : "", s ? strlen(s) : 0 };
	return r;
}

bool cs_str_eq(cs_str a, cs_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool cs_str_eqc(cs_str a, const char *c)
{
	return cs_str_eq(a, cs_str_c(c));
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

bool cs_str_ieqc(cs_str a, const char *c)
{
	size_t n = strlen(c);
	if (n != a.len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a.ptr[i]) != lower((unsigned char)c[i]))
			return false;
	return true;
}

uint64_t cs__hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

size_t cs__utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i <= need)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* overlong, surrogate and out-of-range forms */
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}
