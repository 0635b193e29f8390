/*
 * core/shape.c - partly known strings.  `arn:${AWS::Partition}:iam::${AWS::
 * AccountId}:root` is unknown, but it is certainly not "*": the unknown
 * value keeps its text with holes, and comparisons that the known text
 * already decides are decided.
 */
#include <string.h>

#include "internal.h"

static int fold(int c, bool icase)
{
	return icase && c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
}

/* Glob match of a shape against s; bounded: a shape has few holes. */
static bool match(const char *p, const char *s, const char *e, bool icase, unsigned depth)
{
	if (depth > 64)
		return true; /* too complex to decide: say it can match */
	for (; *p; p++) {
		if (*p == CS_HOLE_ANY) {
			for (const char *t = s; t <= e; t++)
				if (match(p + 1, t, e, icase, depth + 1))
					return true;
			return false;
		}
		if (*p == CS_HOLE_TOKEN) {
			/* one or more token characters */
			const char *t = s;
			while (t < e && token_char((unsigned char)*t)) {
				t++;
				if (match(p + 1, t, e, icase, depth + 1))
					return true;
			}
			return false;
		}
		if (s >= e || fold((unsigned char)*p, icase) != fold((unsigned char)*s, icase))
			return false;
		s++;
	}
	return s == e;
}

bool cs__shape_can_equal(const char *shape, cs_str s, bool icase)
{
	return match(shape, s.ptr, s.ptr + s.len, icase, 0);
}

bool cs__shape_must_contain(const char *shape, cs_str needle)
{
	/* some literal run of the shape contains the needle */
	const char *p = shape;
	while (*p) {
		const char *q = p;
		while (*q && *q != CS_HOLE_ANY && *q != CS_HOLE_TOKEN)
			q++;
		for (const char *t = p; t + needle.len <= q; t++)
			if (memcmp(t, needle.ptr, needle.len) == 0)
				return true;
		p = *q ? q + 1 : q;
	}
	return false;
}

bool cs__shape_can_contain(const char *shape, cs_str needle)
{
	if (cs__shape_must_contain(shape, needle))
		return true;
	if (strchr(shape, CS_HOLE_ANY))
		return true;
	if (!strchr(shape, CS_HOLE_TOKEN))
		return false;
	/* holes hold only token characters: a needle with another character
	 * can only come from the literal text, spanning a hole or not */
	for (size_t i = 0; i < needle.len; i++)
		if (!token_char((unsigned char)needle.ptr[i]))
			return false;
	return true;
}
