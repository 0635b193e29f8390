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

/* The table's hash: eight bytes at a time (the maps are keyed by join keys
 * and type names tens of bytes long, looked up once or more per resource;
 * byte-wise FNV was 2 % of a big audit).  Only the spread matters here:
 * nothing outside this file sees it. */
static uint64_t key_hash(const char *p, size_t n)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = k ^ (uint64_t)n, w;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	w = 0;
	if (n)
		memcpy(&w, p, n);
	h = (h ^ w) * k;
	h ^= h >> 32;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 29);
}

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
	uint64_t h = key_hash(key, klen);
	size_t j = (size_t)h & (m->cap - 1);
	while (m->slots[j].key)
		j = (j + 1) & (m->cap - 1);
	m->slots[j] = (struct cs_strmap_slot){ key, klen, h, val };
	m->n++;
	return CS_OK;
}

/* From slot *pos on, the next entry with this key (h is its hash, or 0 to
 * compare the keys alone). */
static void *scan(const cs_strmap *m, const char *key, size_t klen, uint64_t h, size_t *pos)
{
	if (!m->cap)
		return NULL;
	size_t j = *pos;
	while (m->slots[j].key) {
		const struct cs_strmap_slot *s = &m->slots[j];
		size_t nj = (j + 1) & (m->cap - 1);
		if ((!h || s->h == h) && s->klen == klen && memcmp(s->key, key, klen) == 0) {
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
	uint64_t h = key_hash(key, klen);
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
	/* no need to hash again: the key comparison decides */
	return scan(m, key, klen, 0, iter);
}

void cs__strmap_release(cs_strmap *m)
{
	cs_free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
