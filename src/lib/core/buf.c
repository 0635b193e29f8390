/* core/buf.c - growable byte buffers with a hard maximum, and pointer vectors. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void cs_buf_init(cs_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : SIZE_MAX / 2;
	b->flush = NULL;
	b->flush_ud = NULL;
}

#define FLUSH_AT ((size_t)1 << 20)

cs_err cs_buf_flush(cs_buf *b)
{
	cs_err rc = CS_OK;
	if (b->flush && b->len)
		rc = b->flush(b->flush_ud, b->data, b->len);
	if (b->flush) {
		b->len = 0;
		if (b->data)
			b->data[0] = 0;
	}
	return rc;
}

void cs_buf_release(cs_buf *b)
{
	cs_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static cs_err grow(cs_buf *b, size_t extra)
{
	if (b->flush && b->len && b->len + extra + 1 > b->cap && b->len + extra >= FLUSH_AT) {
		cs_err rc = cs_buf_flush(b);
		if (rc)
			return rc;
	}
	if (extra > b->max || b->len > b->max - extra)
		return CS_ELIMIT;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return CS_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = cs_realloc(b->data, cap);
	if (!p)
		return CS_ENOMEM;
	b->data = p;
	b->cap = cap;
	return CS_OK;
}

cs_err cs_buf_append(cs_buf *b, const void *p, size_t n)
{
	cs_err rc = grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return CS_OK;
}

char *cs__buf_reserve(cs_buf *b, size_t n, cs_err *rc)
{
	*rc = grow(b, n);
	return *rc ? NULL : b->data + b->len;
}

cs_err cs_buf_puts(cs_buf *b, const char *s)
{
	return cs_buf_append(b, s, strlen(s));
}

cs_err cs_buf_putc(cs_buf *b, char c)
{
	return cs_buf_append(b, &c, 1);
}

cs_err cs_buf_vprintf(cs_buf *b, const char *fmt, va_list ap)
{
	/* format straight into the spare capacity; only if it does not fit,
	 * grow and format again */
	va_list ap2;
	va_copy(ap2, ap);
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return CS_EINVAL;
	if ((size_t)n < room) {
		if ((size_t)n > b->max || b->len > b->max - (size_t)n) {
			b->data[b->len] = 0;
			return CS_ELIMIT;
		}
		b->len += (size_t)n;
		return CS_OK;
	}
	cs_err rc = grow(b, (size_t)n);
	if (rc) {
		if (b->data)
			b->data[b->len] = 0;
		return rc;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return CS_OK;
}

cs_err cs_buf_printf(cs_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cs_err rc = cs_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *cs_buf_steal(cs_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p) {
		p = cs_malloc(1);
		if (p)
			p[0] = 0;
	}
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

cs_err cs__ptrvec_push(cs_ptrvec *pv, void *p)
{
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 16;
		void **nv = cs_realloc(pv->v, cap * sizeof(void *));
		if (!nv)
			return CS_ENOMEM;
		pv->v = nv;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
	return CS_OK;
}

void cs__ptrvec_release(cs_ptrvec *pv)
{
	cs_free(pv->v);
	pv->v = NULL;
	pv->n = pv->cap = 0;
}
