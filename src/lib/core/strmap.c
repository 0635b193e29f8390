/* core/strmap.c - a small open-addressing hash map from strings to pointers,
 * used for type lookups (mapping sources) and id lookups (checks). */
#include <string.h>

#include "internal.h"

struct cs_strmap_slot {
	const char *key;
	size_t klen;
	uint64_t h;
	void *val;
};

static cs_err grow(cs_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct cs_strmap_slot *ns = cs_calloc(cap, sizeof(*ns));
	if (!ns)
		return CS_ENOMEM;
	/* re-insert in the old probe order so equal keys keep their order */
	for (size_t i = 0; i < m->cap; i++) {
		struct cs_strmap_slot *o = &m->slots[i];
		if (!o->key)
			continue;
		size_t j = (size_t)o->h & (cap - 1);
		while (ns[j].key)
			j = (j + 1) & (cap - 1);
		ns[j] = *o;
	}
	cs_free(m->slots);
	m->slots = ns;
	m->cap = cap;
	return CS_OK;
}

cs_err cs__strmap_put(cs_strmap *m, const char *key, size_t klen, void *val)
{
	if ((m->n + 1) * 2 > m->cap) {
		/* rehashing may reorder same-key entries: collect them in order */
		cs_err rc = grow(m);
		if (rc)
			return rc;
	}
	uint64_t h = cs__hash64(key, klen, 0);
	size_t j = (size_t)h & (m->cap - 1);
	while (m->slots[j].key)
		j = (j + 1) & (m->cap - 1);
	m->slots[j] = (struct cs_strmap_slot){ key, klen, h, val };
	m->n++;
	return CS_OK;
}

static void *scan(const cs_strmap *m, const char *key, size_t klen, uint64_t h, size_t *pos)
{
	if (!m->cap)
		return NULL;
	size_t j = *pos;
	while (m->slots[j].key) {
		const struct cs_strmap_slot *s = &m->slots[j];
		size_t nj = (j + 1) & (m->cap - 1);
		if (s->h == h && s->klen == klen && memcmp(s->key, key, klen) == 0) {
			*pos = nj;
			return s->val;
		}
		j = nj;
	}
	*pos = j;
	return NULL;
}

void *cs__strmap_get(const cs_strmap *m, const char *key, size_t klen, size_t *iter)
{
	if (!m->cap)
		return NULL;
	uint64_t h = cs__hash64(key, klen, 0);
	size_t pos = (size_t)h & (m->cap - 1);
	void *v = scan(m, key, klen, h, &pos);
	if (iter)
		*iter = pos;
	return v;
}

void *cs__strmap_next(const cs_strmap *m, const char *key, size_t klen, size_t *iter)
{
	if (!m->cap)
		return NULL;
	uint64_t h = cs__hash64(key, klen, 0);
	return scan(m, key, klen, h, iter);
}

void cs__strmap_release(cs_strmap *m)
{
	cs_free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
