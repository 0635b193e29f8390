/* ingest/collect.c - the collector that adapters add raw resources to. */
#include <string.h>

#include "raw.h"

struct cs_ingest {
	cs_arena *arena;
	cs_diag_sink *diag;
	cs_raw *raw;
	size_t n, cap;
};

cs_ingest *cs__ingest_new(size_t max_bytes, cs_diag_sink *diag)
{
	cs_ingest *in = cs_calloc(1, sizeof(*in));
	if (!in)
		return NULL;
	in->arena = cs_arena_new(max_bytes);
	if (!in->arena) {
		cs_free(in);
		return NULL;
	}
	in->diag = diag;
	return in;
}

void cs__ingest_free(cs_ingest *in)
{
	if (!in)
		return;
	cs_arena_free(in->arena);
	cs_free(in->raw);
	cs_free(in);
}

cs_err cs__ingest_add(cs_ingest *in, const cs_raw *r)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 64;
		cs_raw *nr = cs_realloc(in->raw, cap * sizeof(cs_raw));
		if (!nr)
			return CS_ENOMEM;
		in->raw = nr;
		in->cap = cap;
	}
	in->raw[in->n++] = *r;
	return CS_OK;
}

cs_arena *cs__ingest_arena(cs_ingest *in)
{
	return in->arena;
}

cs_diag_sink *cs__ingest_diag(cs_ingest *in)
{
	return in->diag;
}

size_t cs__ingest_count(const cs_ingest *in)
{
	return in->n;
}

const cs_raw *cs__ingest_at(const cs_ingest *in, size_t i)
{
	return i < in->n ? &in->raw[i] : NULL;
}
