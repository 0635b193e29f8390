/*
 * core/path.c - parsing and evaluating attribute paths such as
 * `BucketEncryption.ServerSideEncryptionConfiguration[0].SSEAlgorithm` or
 * `ingress[*].cidr_ipv4[*]`, shared by the mapping step and the checks.
 */
#include <string.h>

#include "internal.h"

typedef enum { SEG_KEY, SEG_INDEX, SEG_ALL } seg_kind;

typedef struct seg {
	seg_kind kind;
	const char *key;
	size_t klen;
	size_t index;
} seg;

struct cs_path {
	const char *text;
	seg *segs;
	size_t n;
	bool wild;
};

cs_err cs__path_parse(cs_arena *a, const char *text, cs_path **out, const char **why)
{
	size_t len = strlen(text), n = 0;
	seg tmp[64];
	const char *p = text, *e = text + len;
	*why = NULL;
	*out = NULL;
	if (len == 0) {
		*why = "empty path";
		return CS_ESYNTAX;
	}
	if (len == 1 && text[0] == '$')
		goto done;
	while (p < e) {
		if (n >= CS_ARRAY_SIZE(tmp)) {
			*why = "path has too many segments";
			return CS_ESYNTAX;
		}
		if (*p == '[') {
			p++;
			if (p < e && *p == '*') {
				p++;
				tmp[n++] = (seg){ SEG_ALL, NULL, 0, 0 };
			} else {
				size_t v = 0;
				const char *d = p;
				while (p < e && *p >= '0' && *p <= '9' && v < 1000000)
					v = v * 10 + (size_t)(*p++ - '0');
				if (p == d) {
					*why = "index or '*' expected after '['";
					return CS_ESYNTAX;
				}
				tmp[n++] = (seg){ SEG_INDEX, NULL, 0, v };
			}
			if (p >= e || *p != ']') {
				*why = "']' expected";
				return CS_ESYNTAX;
			}
			p++;
		} else if (*p == '\'') {
			const char *k = ++p;
			while (p < e && *p != '\'')
				p++;
			if (p >= e) {
				*why = "unterminated quoted key";
				return CS_ESYNTAX;
			}
			tmp[n++] = (seg){ SEG_KEY, k, (size_t)(p - k), 0 };
			p++;
		} else {
			const char *k = p;
			while (p < e && *p != '.' && *p != '[')
				p++;
			if (p == k) {
				*why = "empty key in path";
				return CS_ESYNTAX;
			}
			tmp[n++] = (seg){ SEG_KEY, k, (size_t)(p - k), 0 };
		}
		if (p < e && *p == '.') {
			p++;
			if (p >= e) {
				*why = "path ends with '.'";
				return CS_ESYNTAX;
			}
		} else if (p < e && *p != '[') {
			*why = "'.' or '[' expected";
			return CS_ESYNTAX;
		}
	}
done:;
	cs_path *path = cs_arena_alloc(a, sizeof(*path));
	if (!path)
		return CS_ENOMEM;
	path->text = cs_arena_strdup(a, text);
	path->n = n;
	path->wild = false;
	path->segs = n ? cs_arena_alloc(a, n * sizeof(seg)) : NULL;
	if (!path->text || (n && !path->segs))
		return CS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		path->segs[i] = tmp[i];
		if (tmp[i].kind == SEG_KEY) {
			/* keys point into our own copy of the text */
			path->segs[i].key = path->text + (tmp[i].key - text);
		}
		if (tmp[i].kind == SEG_ALL)
			path->wild = true;
	}
	*out = path;
	return CS_OK;
}

typedef struct collect {
	cs_ptrvec items;
	bool oom;
} collect;

/* Walks from segment i; returns the status for non-wildcard walks, and
 * appends to c for wildcard walks. */
static cs_path_status walk(const cs_path *p, size_t i, const cs_value *v, collect *c,
			   const cs_value **out)
{
	for (; i < p->n; i++) {
		if (v && v->type == CS_VNULL)
			*out = v; /* an explicit null: absent, but recorded as such */
		if (!v || v->type == CS_VNULL)
			return CS_PATH_ABSENT;
		if (v->type == CS_VUNKNOWN) {
			*out = v;
			if (c && cs__ptrvec_push(&c->items, (void *)v))
				c->oom = true;
			return CS_PATH_UNKNOWN;
		}
		const seg *s = &p->segs[i];
		switch (s->kind) {
		case SEG_KEY:
			v = cs_value_getn(v, s->key, s->klen);
			break;
		case SEG_INDEX:
			v = v->type == CS_VARRAY ? cs_value_at(v, s->index) : NULL;
			break;
		case SEG_ALL:
			if (v->type != CS_VARRAY && v->type != CS_VOBJECT)
				return CS_PATH_ABSENT;
			for (size_t k = 0; k < cs_value_len(v); k++) {
				const cs_value *o = NULL;
				walk(p, i + 1, cs_value_at(v, k), c, &o);
			}
			return CS_PATH_FOUND;
		}
	}
	if (v && v->type == CS_VNULL)
		*out = v;
	if (!v || v->type == CS_VNULL)
		return CS_PATH_ABSENT;
	*out = v;
	if (v->type == CS_VUNKNOWN) {
		if (c && cs__ptrvec_push(&c->items, (void *)v))
			c->oom = true;
		return CS_PATH_UNKNOWN;
	}
	if (c && cs__ptrvec_push(&c->items, (void *)v))
		c->oom = true;
	return CS_PATH_FOUND;
}

cs_path_status cs__path_eval(const cs_path *p, const cs_value *root, cs_arena *a,
			     const cs_value **out)
{
	*out = NULL;
	if (!p->wild)
		return walk(p, 0, root, NULL, out);
	/* wildcard: find the container the first [*] applies to, for status */
	collect c = { { 0 }, false };
	const cs_value *dummy = NULL;
	cs_path_status st = walk(p, 0, root, &c, &dummy);
	if (st != CS_PATH_FOUND) {
		/* absent or unknown before reaching the wildcard */
		cs__ptrvec_release(&c.items);
		*out = st == CS_PATH_UNKNOWN ? dummy : NULL;
		return st;
	}
	cs_value *arr = c.oom ? NULL
			      : cs__v_array(a, (cs_value *const *)c.items.v, c.items.n,
					    root ? root->line : 0, root ? root->col : 0);
	cs__ptrvec_release(&c.items);
	if (!arr)
		return CS_PATH_ABSENT;
	arr->flags |= CS_VF_SYNTH;
	*out = arr;
	return CS_PATH_FOUND;
}

const char *cs__path_text(const cs_path *p)
{
	return p->text;
}

size_t cs__path_len(const cs_path *p)
{
	return p->n;
}

bool cs__path_has_wildcard(const cs_path *p)
{
	return p->wild;
}

cs_str cs__path_head(const cs_path *p)
{
	if (p->n && p->segs[0].kind == SEG_KEY)
		return (cs_str){ p->segs[0].key, p->segs[0].klen };
	return (cs_str){ "", 0 };
}
