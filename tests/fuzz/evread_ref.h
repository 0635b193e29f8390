/*
 * evread_ref.h - the event reader as it was before the two-stage rewrite
 * (detect/evread.c at commit 8a9d8b9, a one-pass byte scanner), kept for
 * tests only: evread_diff.h checks that the current reader accepts and
 * rejects the same records with the same error offsets, falls back on the
 * same ones and finds the same values, on every stage-1 path.  Symbols
 * carry a ref_ prefix; everything is static.  Its SSE2 string loop is left
 * out (ref_EV_SSE2 is never defined: the 8-byte loop behind it decides the
 * same), so that the header needs no intrinsics after the project's
 * banned.h.
 */
#ifndef CS_TEST_EVREAD_REF_H
#define CS_TEST_EVREAD_REF_H

#include <string.h>

#include "detect/evread.h"
#include "json/json_int.h"

typedef struct ref_evpaths ref_evpaths;

/* The per-thread state of the old reader (evread.h before the rewrite). */
typedef struct ref_evread {
	const ref_evpaths *paths;
	size_t nfields;
	uint32_t gen;
	uint32_t *fgen;
	uint32_t *head, *tail;
	cs__evval *vals;
	size_t nvals, capvals;
	uint32_t *estamp;
	uint32_t visit;
	char *tmp;
	size_t tmpcap;
} ref_evread;

static void ref_evpaths_free(ref_evpaths *P);
static void ref_evread_release(ref_evread *r);

#define ref_MAX_NEST 512     /* cs_json_parse's default nesting limit */
#define ref_MAX_WALK 60      /* walk depth beyond which the tree walk decides */
#define ref_MAX_STEPS 4000   /* path visits per record before the tree walk decides */

typedef struct ref_evnode {
	uint32_t term;   /* first field ending here (more through tnext), or NONE */
	uint32_t nedges; /* keys continuing from here */
} ref_evnode;

typedef struct ref_evedge {
	uint32_t from, child;
	const char *key;
	uint32_t klen;
	uint64_t hash;
} ref_evedge;

struct ref_evpaths {
	ref_evnode *nodes;
	size_t nnodes, capnodes;
	ref_evedge *edges;
	size_t nedges, capedges;
	uint32_t *slots; /* edge index + 1, open addressing */
	size_t mask;
	size_t nfields;
	uint32_t *tnext; /* per field: next field ending at the same node */
};

/* Hash of (node, key), 8 bytes at a time (keys are short and hashed for
 * every member of every ref_object the reader descends into). */
static uint64_t ref_key_hash(uint32_t node, const char *k, size_t n)
{
	uint64_t h = ((uint64_t)node + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, k, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		k += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, k, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	return h ^ (h >> 29);
}

static uint32_t ref_edge_find(const ref_evpaths *P, uint32_t node, const char *k, size_t n)
{
	if (!P->slots)
		return CS__EV_NONE;
	uint64_t h = ref_key_hash(node, k, n);
	for (size_t i = (size_t)h & P->mask;; i = (i + 1) & P->mask) {
		uint32_t s = P->slots[i];
		if (!s)
			return CS__EV_NONE;
		const ref_evedge *e = &P->edges[s - 1];
		if (e->hash == h && e->from == node && e->klen == n && memcmp(e->key, k, n) == 0)
			return s - 1;
	}
}

static cs_err ref_node_new(ref_evpaths *P, uint32_t *out)
{
	if (P->nnodes == P->capnodes) {
		size_t cap = P->capnodes ? P->capnodes * 2 : 16;
		ref_evnode *nn = cs_realloc(P->nodes, cap * sizeof(ref_evnode));
		if (!nn)
			return CS_ENOMEM;
		P->nodes = nn;
		P->capnodes = cap;
	}
	P->nodes[P->nnodes] = (ref_evnode){ CS__EV_NONE, 0 };
	*out = (uint32_t)P->nnodes++;
	return CS_OK;
}

static cs_err ref_rehash(ref_evpaths *P, size_t cap)
{
	uint32_t *s = cs_calloc(cap, sizeof(uint32_t));
	if (!s)
		return CS_ENOMEM;
	cs_free(P->slots);
	P->slots = s;
	P->mask = cap - 1;
	for (size_t e = 0; e < P->nedges; e++) {
		size_t i = (size_t)P->edges[e].hash & P->mask;
		while (s[i])
			i = (i + 1) & P->mask;
		s[i] = (uint32_t)(e + 1);
	}
	return CS_OK;
}

/* The child of node `from` under key k[0..n), created if new. */
static cs_err ref_edge_get(ref_evpaths *P, uint32_t from, const char *k, size_t n, uint32_t *child)
{
	cs_err rc = CS_OK;
	uint32_t e = ref_edge_find(P, from, k, n);
	if (e != CS__EV_NONE) {
		*child = P->edges[e].child;
		return CS_OK;
	}
	if (n > UINT32_MAX || P->nedges >= UINT32_MAX / 4)
		return CS_ELIMIT;
	if (P->nedges == P->capedges) {
		size_t cap = P->capedges ? P->capedges * 2 : 16;
		ref_evedge *ne = cs_realloc(P->edges, cap * sizeof(ref_evedge));
		if (!ne)
			return CS_ENOMEM;
		P->edges = ne;
		P->capedges = cap;
	}
	uint32_t c;
	if ((rc = ref_node_new(P, &c)))
		return rc;
	P->edges[P->nedges++] = (ref_evedge){ from, c, k, (uint32_t)n, ref_key_hash(from, k, n) };
	P->nodes[from].nedges++;
	if (2 * P->nedges > P->mask) {
		size_t cap = P->mask ? 2 * (P->mask + 1) : 64;
		if ((rc = ref_rehash(P, cap)))
			return rc;
	} else {
		const ref_evedge *ed = &P->edges[P->nedges - 1];
		size_t i = (size_t)ed->hash & P->mask;
		while (P->slots[i])
			i = (i + 1) & P->mask;
		P->slots[i] = (uint32_t)P->nedges;
	}
	*child = c;
	return CS_OK;
}

static cs_err ref_evpaths_build(const char *const *fields, size_t nfields, ref_evpaths **out)
{
	cs_err rc = CS_OK;
	uint32_t root;
	ref_evpaths *P = cs_calloc(1, sizeof(*P));
	*out = NULL;
	if (!P)
		return CS_ENOMEM;
	P->nfields = nfields;
	if ((rc = ref_node_new(P, &root)))
		goto out;
	P->tnext = cs_calloc(nfields + 1, sizeof(uint32_t));
	if (!P->tnext) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t f = 0; f < nfields && !rc; f++) {
		const char *p = fields[f];
		size_t n = strlen(p), start = 0;
		uint32_t node = root;
		/* one edge per component: a key holding a dot is left to the tree
		 * walk (the reader falls back when it meets one).  As in the tree
		 * walk, an empty last component (the path "" or "a.") names the
		 * ref_value reached so far, not a key "". */
		for (size_t i = 0; n && i <= n && !rc; i++) {
			if (i < n && p[i] != '.')
				continue;
			if (i == n && start == n && n)
				break;
			rc = ref_edge_get(P, node, p + start, i - start, &node);
			start = i + 1;
		}
		if (!rc) {
			P->tnext[f] = P->nodes[node].term;
			P->nodes[node].term = (uint32_t)f;
		}
	}
	if (!rc && !P->slots)
		rc = ref_rehash(P, 16);
out:
	if (rc)
		ref_evpaths_free(P);
	else
		*out = P;
	return rc;
}

static void ref_evpaths_free(ref_evpaths *P)
{
	if (!P)
		return;
	cs_free(P->nodes);
	cs_free(P->edges);
	cs_free(P->slots);
	cs_free(P->tnext);
	cs_free(P);
}

/* ---- per-thread state ----------------------------------------------------- */

static cs_err ref_evread_init(ref_evread *r, const ref_evpaths *p)
{
	memset(r, 0, sizeof(*r));
	r->paths = p;
	r->nfields = p->nfields;
	r->gen = 1;
	r->fgen = cs_calloc(p->nfields + 1, sizeof(uint32_t));
	r->head = cs_calloc(p->nfields + 1, sizeof(uint32_t));
	r->tail = cs_calloc(p->nfields + 1, sizeof(uint32_t));
	r->estamp = cs_calloc(p->nedges + 1, sizeof(uint32_t));
	if (!r->fgen || !r->head || !r->tail || !r->estamp) {
		ref_evread_release(r);
		return CS_ENOMEM;
	}
	return CS_OK;
}

static void ref_evread_release(ref_evread *r)
{
	cs_free(r->fgen);
	cs_free(r->head);
	cs_free(r->tail);
	cs_free(r->estamp);
	cs_free(r->vals);
	cs_free(r->tmp);
	memset(r, 0, sizeof(*r));
}

static void ref_evread_clear(ref_evread *r)
{
	r->nvals = 0;
	if (++r->gen == 0) {
		memset(r->fgen, 0, r->nfields * sizeof(uint32_t));
		r->gen = 1;
	}
}

static cs_err ref_evread_add(ref_evread *r, uint32_t f, const cs__evval *v)
{
	if (r->nvals == r->capvals) {
		size_t cap = r->capvals ? r->capvals * 2 : 256;
		if (cap >= UINT32_MAX)
			return CS_ELIMIT;
		cs__evval *nv = cs_realloc(r->vals, cap * sizeof(cs__evval));
		if (!nv)
			return CS_ENOMEM;
		r->vals = nv;
		r->capvals = cap;
	}
	uint32_t ix = (uint32_t)r->nvals++;
	r->vals[ix] = *v;
	r->vals[ix].next = CS__EV_NONE;
	if (r->fgen[f] != r->gen) {
		r->fgen[f] = r->gen;
		r->head[f] = ix;
	} else {
		r->vals[r->tail[f]].next = ix;
	}
	r->tail[f] = ix;
	return CS_OK;
}

/* ---- scanner -------------------------------------------------------------- */

typedef struct ref_scan {
	ref_evread *r;
	const ref_evpaths *P;
	cs_arena *a;
	const unsigned char *p, *end, *start;
	unsigned nest;
	uint32_t steps;
	bool fallback;
	cs_err err;
	const unsigned char *err_at;
} ref_scan;

static bool ref_fail(ref_scan *s, const unsigned char *at, cs_err code)
{
	if (!s->err) {
		s->err = code;
		s->err_at = at;
	}
	return false;
}

static bool ref_fall_back(ref_scan *s)
{
	s->fallback = true;
	return false;
}

static void ref_skip_ws(ref_scan *s)
{
	const unsigned char *p = s->p, *e = s->end;
	while (p < e && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	s->p = p;
}

#define ref_ONES 0x0101010101010101ull
#define ref_HIGHS 0x8080808080808080ull

/* Non-zero when one of the 8 bytes in x may stop a string ref_scan: a quote,
 * a backslash, a control character or a non-ASCII byte.  (The lowest such
 * byte is always flagged; bytes above it may be flagged falsely, which only
 * sends the scanner to its byte loop.) */
static inline uint64_t ref_stop_bytes(uint64_t x)
{
	uint64_t q = x ^ (ref_ONES * '"'), b = x ^ (ref_ONES * '\\');
	return ((q - ref_ONES) & ~q) | ((b - ref_ONES) & ~b) | ((x - ref_ONES * 0x20) & ~x) | x;
}

/* Scans the string at s->p (the opening quote), validating it as
 * cs_json_parse does; *raw is its body as written, *escaped whether it has
 * escapes (which are checked by the caller through ref_decode()). */
static bool ref_scan_string(ref_scan *s, cs_str *raw, bool *escaped)
{
	const unsigned char *q = s->p + 1, *e = s->end, *begin = q;
	*escaped = false;
	for (;;) {
#ifdef ref_EV_SSE2
		/* 16 bytes at a time: a quote, a backslash, or (signed compare) a
		 * control or non-ASCII byte stops the run; the stop byte found is
		 * handled below directly */
		const __m128i quote = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\'),
			      sp = _mm_set1_epi8(0x20);
		bool found = false;
		while ((size_t)(e - q) >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
							      _mm_cmpeq_epi8(v, bsl)),
						 _mm_cmplt_epi8(v, sp));
			unsigned bits = (unsigned)_mm_movemask_epi8(m);
			if (bits) {
				q += __builtin_ctz(bits);
				found = true;
				break;
			}
			q += 16;
		}
		if (!found) {
#endif
			while ((size_t)(e - q) >= 8) {
				uint64_t x;
				memcpy(&x, q, 8);
				if (ref_stop_bytes(x) & ref_HIGHS)
					break;
				q += 8;
			}
			while (q < e && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
				q++;
#ifdef ref_EV_SSE2
		}
#endif
		if (q >= e)
			return ref_fail(s, s->p, CS_ESYNTAX);
		unsigned char c = *q;
		if (c == '"')
			break;
		if (c == '\\') {
			*escaped = true;
			if (q + 1 >= e)
				return ref_fail(s, q, CS_ESYNTAX);
			q += 2;
			continue;
		}
		if (c < 0x20)
			return ref_fail(s, q, CS_ESYNTAX);
		size_t rest = (size_t)(e - q), chk = rest < 4 ? rest : 4;
		if (cs__utf8_check((const char *)q, chk) == 0)
			return ref_fail(s, q, CS_EUTF8);
		q += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	}
	raw->ptr = (const char *)begin;
	raw->len = (size_t)(q - begin);
	s->p = q + 1;
	return true;
}

/* Decodes an escaped string body into `into` (len + 1 bytes). */
static bool ref_decode(ref_scan *s, cs_str raw, char *into, cs_str *out)
{
	size_t n = 0, bad = 0;
	cs_err rc = cs__json_unescape(raw.ptr, raw.len, into, &n, &bad);
	if (rc)
		return ref_fail(s, (const unsigned char *)raw.ptr + bad, rc);
	out->ptr = into;
	out->len = n;
	return true;
}

/* Decodes into the reader's scratch (keys, strings nobody keeps). */
static bool ref_decode_tmp(ref_scan *s, cs_str raw, cs_str *out)
{
	if (raw.len + 1 > s->r->tmpcap) {
		char *t = cs_realloc(s->r->tmp, raw.len + 1);
		if (!t)
			return ref_fail(s, s->p, CS_ENOMEM);
		s->r->tmp = t;
		s->r->tmpcap = raw.len + 1;
	}
	return ref_decode(s, raw, s->r->tmp, out);
}

static bool ref_scan_number(ref_scan *s, bool *is_int)
{
	const unsigned char *p = s->p, *e = s->end;
	*is_int = true;
	if (p < e && *p == '-')
		p++;
	if (p >= e || !(*p >= '0' && *p <= '9'))
		return ref_fail(s, s->p, CS_ESYNTAX);
	if (*p == '0') {
		p++;
	} else {
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && *p == '.') {
		*is_int = false;
		p++;
		if (p >= e || !(*p >= '0' && *p <= '9'))
			return ref_fail(s, p, CS_ESYNTAX);
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		*is_int = false;
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !(*p >= '0' && *p <= '9'))
			return ref_fail(s, p, CS_ESYNTAX);
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return true;
}

static bool ref_lit(ref_scan *s, const char *w, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return ref_fail(s, s->p, CS_ESYNTAX);
	s->p += n;
	return true;
}

/* Reports a ref_value for every field ending at the node whose first is f. */
static bool ref_add(ref_scan *s, uint32_t f, uint8_t type, const char *ptr, size_t len, double num)
{
	cs__evval v = { ptr, (uint32_t)len, CS__EV_NONE, num, type };
	if (len > UINT32_MAX)
		return ref_fail(s, s->p, CS_ELIMIT);
	for (; f != CS__EV_NONE; f = s->P->tnext[f]) {
		cs_err rc = ref_evread_add(s->r, f, &v);
		if (rc)
			return ref_fail(s, s->p, rc);
	}
	return true;
}

/* A ref_scalar at s->p, reported for field f (CS__EV_NONE: only validated). */
static bool ref_scalar(ref_scan *s, uint32_t f)
{
	const unsigned char *at = s->p;
	switch (*at) {
	case '"': {
		cs_str raw, txt;
		bool esc;
		if (!ref_scan_string(s, &raw, &esc))
			return false;
		txt = raw;
		if (esc) {
			if (f == CS__EV_NONE)
				return ref_decode_tmp(s, raw, &txt);
			char *o = cs_arena_alloc(s->a, raw.len + 1);
			if (!o)
				return ref_fail(s, at, CS_ENOMEM);
			if (!ref_decode(s, raw, o, &txt))
				return false;
		}
		return f == CS__EV_NONE || ref_add(s, f, CS_VSTRING, txt.ptr, txt.len, 0);
	}
	case 't':
		return ref_lit(s, "true", 4) && (f == CS__EV_NONE || ref_add(s, f, CS_VBOOL, "true", 4, 0));
	case 'f':
		return ref_lit(s, "false", 5) && (f == CS__EV_NONE || ref_add(s, f, CS_VBOOL, "false", 5, 0));
	case 'n':
		return ref_lit(s, "null", 4) && (f == CS__EV_NONE || ref_add(s, f, CS_VNULL, "", 0, 0));
	default: {
		bool is_int;
		if (*at != '-' && !(*at >= '0' && *at <= '9'))
			return ref_fail(s, at, CS_ESYNTAX);
		if (!ref_scan_number(s, &is_int))
			return false;
		if (f == CS__EV_NONE)
			return true;
		size_t n = (size_t)(s->p - at);
		double d = cs__json_num_value((const char *)at, n, is_int);
		if (d != d)
			return ref_fail(s, at, CS_ENOMEM);
		return ref_add(s, f, CS_VNUMBER, (const char *)at, n, d);
	}
	}
}

static bool ref_value(ref_scan *s, uint32_t node, unsigned wd);

/* An ref_object at s->p ('{'); node: the trie node it sits at, or NONE. */
static bool ref_object(ref_scan *s, uint32_t node, unsigned wd)
{
	const ref_evpaths *P = s->P;
	bool descend = node != CS__EV_NONE && P->nodes[node].nedges;
	uint32_t visit = 0;
	if (++s->nest > ref_MAX_NEST)
		return ref_fail(s, s->p, CS_ELIMIT);
	if (descend) {
		if (++s->r->visit == 0) {
			memset(s->r->estamp, 0, P->nedges * sizeof(uint32_t));
			s->r->visit = 1;
		}
		visit = s->r->visit;
	}
	s->p++;
	ref_skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		s->nest--;
		return true;
	}
	for (;;) {
		if (s->p >= s->end || *s->p != '"')
			return ref_fail(s, s->p, CS_ESYNTAX);
		cs_str raw, key;
		bool esc;
		if (!ref_scan_string(s, &raw, &esc))
			return false;
		key = raw;
		if (esc && !ref_decode_tmp(s, raw, &key))
			return false;
		uint32_t child = CS__EV_NONE;
		if (descend) {
			uint32_t e = ref_edge_find(P, node, key.ptr, key.len);
			if (e != CS__EV_NONE) {
				if (s->r->estamp[e] == visit)
					return ref_fall_back(s); /* duplicate: the last one counts */
				s->r->estamp[e] = visit;
				child = P->edges[e].child;
			} else {
				const char *dot = memchr(key.ptr, '.', key.len);
				if (dot && ref_edge_find(P, node, key.ptr, (size_t)(dot - key.ptr)) !=
						   CS__EV_NONE)
					return ref_fall_back(s); /* "a.b" could stand for a then b */
			}
		}
		ref_skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return ref_fail(s, s->p, CS_ESYNTAX);
		s->p++;
		ref_skip_ws(s);
		if (!ref_value(s, child, wd + 1))
			return false;
		ref_skip_ws(s);
		if (s->p >= s->end)
			return ref_fail(s, s->p, CS_ESYNTAX);
		if (*s->p == ',') {
			s->p++;
			ref_skip_ws(s);
			continue;
		}
		if (*s->p == '}') {
			s->p++;
			break;
		}
		return ref_fail(s, s->p, CS_ESYNTAX);
	}
	s->nest--;
	return true;
}

/* An ref_array at s->p ('[').  At a trie node, its elements are values of the
 * node's field when `leaf` (one level, as the tree walk's leaves), and are
 * descended into when the node has keys below it. */
static bool ref_array(ref_scan *s, uint32_t node, unsigned wd, bool leaf)
{
	const ref_evpaths *P = s->P;
	uint32_t term = node != CS__EV_NONE && leaf ? P->nodes[node].term : CS__EV_NONE;
	bool descend = node != CS__EV_NONE && P->nodes[node].nedges;
	if (++s->nest > ref_MAX_NEST)
		return ref_fail(s, s->p, CS_ELIMIT);
	s->p++;
	ref_skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		s->nest--;
		return true;
	}
	for (;;) {
		if (s->p >= s->end)
			return ref_fail(s, s->p, CS_ESYNTAX);
		unsigned char c = *s->p;
		bool ok;
		if (c == '{' || c == '[') {
			if (term != CS__EV_NONE &&
			    !ref_add(s, term, c == '{' ? CS_VOBJECT : CS_VARRAY, "", 0, 0))
				return false;
			if (descend) {
				if (++s->steps > ref_MAX_STEPS || wd + 1 > ref_MAX_WALK)
					return ref_fall_back(s);
				ok = c == '{' ? ref_object(s, node, wd + 1) : ref_array(s, node, wd + 1, false);
			} else {
				ok = c == '{' ? ref_object(s, CS__EV_NONE, 0)
					      : ref_array(s, CS__EV_NONE, 0, false);
			}
		} else {
			ok = ref_scalar(s, term);
		}
		if (!ok)
			return false;
		ref_skip_ws(s);
		if (s->p >= s->end)
			return ref_fail(s, s->p, CS_ESYNTAX);
		if (*s->p == ',') {
			s->p++;
			ref_skip_ws(s);
			continue;
		}
		if (*s->p == ']') {
			s->p++;
			break;
		}
		return ref_fail(s, s->p, CS_ESYNTAX);
	}
	s->nest--;
	return true;
}

/* The ref_value at s->p, sitting at trie node `node` (or NONE) at walk depth
 * wd. */
static bool ref_value(ref_scan *s, uint32_t node, unsigned wd)
{
	if (s->p >= s->end)
		return ref_fail(s, s->p, CS_ESYNTAX);
	unsigned char c = *s->p;
	uint32_t term = CS__EV_NONE;
	if (node != CS__EV_NONE) {
		if (++s->steps > ref_MAX_STEPS || wd > ref_MAX_WALK)
			return ref_fall_back(s);
		term = s->P->nodes[node].term;
	}
	if (c == '{') {
		if (term != CS__EV_NONE && !ref_add(s, term, CS_VOBJECT, "", 0, 0))
			return false;
		return ref_object(s, node, wd);
	}
	if (c == '[')
		return ref_array(s, node, wd, true);
	return ref_scalar(s, term);
}

static cs_err ref_evread_record(ref_evread *r, cs_arena *a, const char *json, size_t len,
			 bool *fallback, size_t *err_off)
{
	ref_scan s;
	memset(&s, 0, sizeof s);
	s.r = r;
	s.P = r->paths;
	s.a = a;
	s.start = s.p = (const unsigned char *)json;
	s.end = s.p + len;
	*fallback = false;
	*err_off = 0;
	ref_evread_clear(r);
	if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
		s.p += 3;
	ref_skip_ws(&s);
	if (s.p >= s.end || *s.p != '{') {
		/* empty, malformed or not an ref_object: the full parser says which */
		*fallback = true;
		return CS_OK;
	}
	if (ref_value(&s, 0, 0)) {
		ref_skip_ws(&s);
		if (s.p < s.end)
			(void)ref_fail(&s, s.p, CS_ESYNTAX);
	}
	if (s.fallback) {
		ref_evread_clear(r);
		*fallback = true;
		return CS_OK;
	}
	if (s.err) {
		ref_evread_clear(r);
		*err_off = (size_t)(s.err_at - s.start);
	}
	return s.err;
}

#endif
