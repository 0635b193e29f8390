/* core/arena.c - bump allocator with a byte limit; everything it hands out is
 * freed at once (a loaded document, a compiled check set). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[]; /* aligned storage */
} chunk;

struct cs_arena {
	chunk *head;
	size_t limit, total;
	cs_err err;
};

#define ALIGN (sizeof(max_align_t))
#define CHUNK_MIN ((size_t)64 * 1024)

cs_arena *cs_arena_new(size_t limit)
{
	cs_arena *a = cs_calloc(1, sizeof(*a));
	if (a)
		a->limit = limit;
	return a;
}

void cs_arena_free(cs_arena *a)
{
	if (!a)
		return;
	chunk *c = a->head;
	while (c) {
		chunk *n = c->next;
		cs_free(c);
		c = n;
	}
	cs_free(a);
}

void cs_arena_reset(cs_arena *a)
{
	/* keep one standard chunk for the next round, free the rest */
	chunk *keep = NULL, *c = a->head;
	while (c) {
		chunk *n = c->next;
		if (!keep && c->size == CHUNK_MIN) {
			keep = c;
		} else {
			cs_free(c);
		}
		c = n;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->total = 0;
	a->err = CS_OK;
}

void *cs_arena_alloc(cs_arena *a, size_t n)
{
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	if (a->limit && (n > a->limit || a->total > a->limit - n)) {
		a->err = CS_ELIMIT;
		return NULL;
	}
	chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t sz = n > CHUNK_MIN / 2 ? n : CHUNK_MIN;
		chunk *nc = cs_malloc(sizeof(chunk) + sz);
		if (!nc) {
			a->err = CS_ENOMEM;
			return NULL;
		}
		nc->size = sz;
		nc->used = 0;
		if (c && sz == n && c->size - c->used >= CHUNK_MIN / 8) {
			/* big one-off block: keep the current chunk for small ones */
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	a->total += n;
	return p;
}

char *cs_arena_strndup(cs_arena *a, const char *s, size_t len)
{
	char *p = cs_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = 0;
	return p;
}

char *cs_arena_strdup(cs_arena *a, const char *s)
{
	return cs_arena_strndup(a, s, strlen(s));
}

char *cs_arena_printf(cs_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = cs_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t cs_arena_used(const cs_arena *a)
{
	return a->total;
}

cs_err cs_arena_error(const cs_arena *a)
{
	return a->err;
}
