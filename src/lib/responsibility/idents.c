/*
 * responsibility/idents.c - which service a resource type belongs to: the
 * `prefix:pattern` identifiers of services.tsv, with a trailing `*` matching
 * any rest, the most specific (longest) pattern winning.
 */
#include <string.h>

#include "core/internal.h"
#include "model_int.h"

bool cs__is_ident(cs_str s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == ':' || c == '-'))
			return false;
	}
	return true;
}

cs_err cs__ident_add(cs_model *m, const char *prefix, const char *pattern, size_t plen, bool star,
		     const cs__service *svc, const cs__service **clash)
{
	*clash = NULL;
	/* the text as written, "cfn:AWS::S3::*", is the key for clashes */
	char *text = cs_arena_printf(m->a, "%s:%.*s%s", prefix, (int)plen, pattern, star ? "*" : "");
	cs__ident *id = cs_arena_alloc(m->a, sizeof(*id));
	if (!text || !id)
		return CS_ENOMEM;
	const cs__ident *old = cs__strmap_get(&m->ident_by_text, text, strlen(text), NULL);
	if (old) {
		*clash = old->service;
		return CS_OK;
	}
	id->prefix = prefix;
	id->pattern = cs_arena_strndup(m->a, pattern, plen);
	id->plen = plen;
	id->star = star;
	id->service = svc;
	if (!id->pattern || cs__strmap_put(&m->ident_by_text, text, strlen(text), id) ||
	    cs__ptrvec_push(&m->idents, id))
		return CS_ENOMEM;
	return CS_OK;
}

/* Azure resource types are case-insensitive; every other kind of type is
 * compared exactly. */
static bool prefix_eq(const char *a, const char *b, size_t n, bool icase)
{
	if (!icase)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

const cs__service *cs__model_service_for(const cs_model *m, const char *prefix, const char *type)
{
	const cs__ident *best = NULL;
	if (!prefix || !type)
		return NULL;
	size_t tl = strlen(type);
	bool icase = strcmp(prefix, "arm") == 0;
	for (size_t i = 0; i < m->idents.n; i++) {
		const cs__ident *id = m->idents.v[i];
		if (strcmp(id->prefix, prefix) != 0)
			continue;
		bool hit = id->star ? tl >= id->plen && prefix_eq(type, id->pattern, id->plen, icase)
				    : tl == id->plen && prefix_eq(type, id->pattern, tl, icase);
		if (!hit)
			continue;
		/* longer wins; on equal length an exact pattern beats a star */
		if (!best || id->plen > best->plen || (id->plen == best->plen && best->star && !id->star))
			best = id;
	}
	return best ? best->service : NULL;
}
