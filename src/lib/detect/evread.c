/*
 * detect/evread.c - the on-demand event reader (see evread.h): a trie of
 * the object keys on referenced field paths, and a one-pass validating JSON
 * scanner that descends only along the trie and skips everything else
 * without building it.
 *
 * Validation matches json/reader.c rule for rule (structure, literals,
 * number grammar, string escapes, control characters, UTF-8, nesting over
 * 512), so the set of accepted records is the same; the unit tests and the
 * evread fuzz harness check that against cs_json_parse.
 */
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define EV_SSE2 1
#endif

#include "detect/evread.h"
#include "json/json_int.h"

#define MAX_NEST 512     /* cs_json_parse's default nesting limit */
#define MAX_WALK 60      /* walk depth beyond which the tree walk decides */
#define MAX_STEPS 4000   /* path visits per record before the tree walk decides */

typedef struct evnode {
	uint32_t term;   /* first field ending here (more through tnext), or NONE */
	uint32_t nedges; /* keys continuing from here */
} evnode;

typedef struct evedge {
	uint32_t from, child;
	const char *key;
	uint32_t klen;
	uint64_t hash;
} evedge;

struct cs__evpaths {
	evnode *nodes;
	size_t nnodes, capnodes;
	evedge *edges;
	size_t nedges, capedges;
	uint32_t *slots; /* edge index + 1, open addressing */
	size_t mask;
	size_t nfields;
	uint32_t *tnext; /* per field: next field ending at the same node */
};

/* Hash of (node, key), 8 bytes at a time (keys are short and hashed for
 * every member of every object the reader descends into). */
static uint64_t key_hash(uint32_t node, const char *k, size_t n)
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

static uint32_t edge_find(const cs__evpaths *P, uint32_t node, const char *k, size_t n)
{
	if (!P->slots)
		return CS__EV_NONE;
	uint64_t h = key_hash(node, k, n);
	for (size_t i = (size_t)h & P->mask;; i = (i + 1) & P->mask) {
		uint32_t s = P->slots[i];
		if (!s)
			return CS__EV_NONE;
		const evedge *e = &P->edges[s - 1];
		if (e->hash == h && e->from == node && e->klen == n && memcmp(e->key, k, n) == 0)
			return s - 1;
	}
}

static cs_err node_new(cs__evpaths *P, uint32_t *out)
{
	if (P->nnodes == P->capnodes) {
		size_t cap = P->capnodes ? P->capnodes * 2 : 16;
		evnode *nn = cs_realloc(P->nodes, cap * sizeof(evnode));
		if (!nn)
			return CS_ENOMEM;
		P->nodes = nn;
		P->capnodes = cap;
	}
	P->nodes[P->nnodes] = (evnode){ CS__EV_NONE, 0 };
	*out = (uint32_t)P->nnodes++;
	return CS_OK;
}

static cs_err rehash(cs__evpaths *P, size_t cap)
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
static cs_err edge_get(cs__evpaths *P, uint32_t from, const char *k, size_t n, uint32_t *child)
{
	cs_err rc = CS_OK;
	uint32_t e = edge_find(P, from, k, n);
	if (e != CS__EV_NONE) {
		*child = P->edges[e].child;
		return CS_OK;
	}
	if (n > UINT32_MAX || P->nedges >= UINT32_MAX / 4)
		return CS_ELIMIT;
	if (P->nedges == P->capedges) {
		size_t cap = P->capedges ? P->capedges * 2 : 16;
		evedge *ne = cs_realloc(P->edges, cap * sizeof(evedge));
		if (!ne)
			return CS_ENOMEM;
		P->edges = ne;
		P->capedges = cap;
	}
	uint32_t c;
	if ((rc = node_new(P, &c)))
		return rc;
	P->edges[P->nedges++] = (evedge){ from, c, k, (uint32_t)n, key_hash(from, k, n) };
	P->nodes[from].nedges++;
	if (2 * P->nedges > P->mask) {
		size_t cap = P->mask ? 2 * (P->mask + 1) : 64;
		if ((rc = rehash(P, cap)))
			return rc;
	} else {
		const evedge *ed = &P->edges[P->nedges - 1];
		size_t i = (size_t)ed->hash & P->mask;
		while (P->slots[i])
			i = (i + 1) & P->mask;
		P->slots[i] = (uint32_t)P->nedges;
	}
	*child = c;
	return CS_OK;
}

cs_err cs__evpaths_build(const char *const *fields, size_t nfields, cs__evpaths **out)
{
	cs_err rc = CS_OK;
	uint32_t root;
	cs__evpaths *P = cs_calloc(1, sizeof(*P));
	*out = NULL;
	if (!P)
		return CS_ENOMEM;
	P->nfields = nfields;
	if ((rc = node_new(P, &root)))
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
		 * value reached so far, not a key "". */
		for (size_t i = 0; n && i <= n && !rc; i++) {
			if (i < n && p[i] != '.')
				continue;
			if (i == n && start == n && n)
				break;
			rc = edge_get(P, node, p + start, i - start, &node);
			start = i + 1;
		}
		if (!rc) {
			P->tnext[f] = P->nodes[node].term;
			P->nodes[node].term = (uint32_t)f;
		}
	}
	if (!rc && !P->slots)
		rc = rehash(P, 16);
out:
	if (rc)
		cs__evpaths_free(P);
	else
		*out = P;
	return rc;
}

void cs__evpaths_free(cs__evpaths *P)
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

cs_err cs__evread_init(cs__evread *r, const cs__evpaths *p)
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
		cs__evread_release(r);
		return CS_ENOMEM;
	}
	return CS_OK;
}

void cs__evread_release(cs__evread *r)
{
	cs_free(r->fgen);
	cs_free(r->head);
	cs_free(r->tail);
	cs_free(r->estamp);
	cs_free(r->vals);
	cs_free(r->tmp);
	memset(r, 0, sizeof(*r));
}

void cs__evread_clear(cs__evread *r)
{
	r->nvals = 0;
	if (++r->gen == 0) {
		memset(r->fgen, 0, r->nfields * sizeof(uint32_t));
		r->gen = 1;
	}
}

cs_err cs__evread_add(cs__evread *r, uint32_t f, const cs__evval *v)
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

typedef struct scan {
	cs__evread *r;
	const cs__evpaths *P;
	cs_arena *a;
	const unsigned char *p, *end, *start;
	unsigned nest;
	uint32_t steps;
	bool fallback;
	cs_err err;
	const unsigned char *err_at;
} scan;

static bool fail(scan *s, const unsigned char *at, cs_err code)
{
	if (!s->err) {
		s->err = code;
		s->err_at = at;
	}
	return false;
}

static bool fall_back(scan *s)
{
	s->fallback = true;
	return false;
}

static void skip_ws(scan *s)
{
	const unsigned char *p = s->p, *e = s->end;
	while (p < e && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	s->p = p;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Non-zero when one of the 8 bytes in x may stop a string scan: a quote,
 * a backslash, a control character or a non-ASCII byte.  (The lowest such
 * byte is always flagged; bytes above it may be flagged falsely, which only
 * sends the scanner to its byte loop.) */
static inline uint64_t stop_bytes(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
	return ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((x - ONES * 0x20) & ~x) | x;
}

/* Scans the string at s->p (the opening quote), validating it as
 * cs_json_parse does; *raw is its body as written, *escaped whether it has
 * escapes (which are checked by the caller through decode()). */
static bool scan_string(scan *s, cs_str *raw, bool *escaped)
{
	const unsigned char *q = s->p + 1, *e = s->end, *begin = q;
	*escaped = false;
	for (;;) {
#ifdef EV_SSE2
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
				if (stop_bytes(x) & HIGHS)
					break;
				q += 8;
			}
			while (q < e && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
				q++;
#ifdef EV_SSE2
		}
#endif
		if (q >= e)
			return fail(s, s->p, CS_ESYNTAX);
		unsigned char c = *q;
		if (c == '"')
			break;
		if (c == '\\') {
			*escaped = true;
			if (q + 1 >= e)
				return fail(s, q, CS_ESYNTAX);
			q += 2;
			continue;
		}
		if (c < 0x20)
			return fail(s, q, CS_ESYNTAX);
		size_t rest = (size_t)(e - q), chk = rest < 4 ? rest : 4;
		if (cs__utf8_check((const char *)q, chk) == 0)
			return fail(s, q, CS_EUTF8);
		q += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	}
	raw->ptr = (const char *)begin;
	raw->len = (size_t)(q - begin);
	s->p = q + 1;
	return true;
}

/* Decodes an escaped string body into `into` (len + 1 bytes). */
static bool decode(scan *s, cs_str raw, char *into, cs_str *out)
{
	size_t n = 0, bad = 0;
	cs_err rc = cs__json_unescape(raw.ptr, raw.len, into, &n, &bad);
	if (rc)
		return fail(s, (const unsigned char *)raw.ptr + bad, rc);
	out->ptr = into;
	out->len = n;
	return true;
}

/* Decodes into the reader's scratch (keys, strings nobody keeps). */
static bool decode_tmp(scan *s, cs_str raw, cs_str *out)
{
	if (raw.len + 1 > s->r->tmpcap) {
		char *t = cs_realloc(s->r->tmp, raw.len + 1);
		if (!t)
			return fail(s, s->p, CS_ENOMEM);
		s->r->tmp = t;
		s->r->tmpcap = raw.len + 1;
	}
	return decode(s, raw, s->r->tmp, out);
}

static bool scan_number(scan *s, bool *is_int)
{
	const unsigned char *p = s->p, *e = s->end;
	*is_int = true;
	if (p < e && *p == '-')
		p++;
	if (p >= e || !(*p >= '0' && *p <= '9'))
		return fail(s, s->p, CS_ESYNTAX);
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
			return fail(s, p, CS_ESYNTAX);
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		*is_int = false;
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !(*p >= '0' && *p <= '9'))
			return fail(s, p, CS_ESYNTAX);
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return true;
}

static bool lit(scan *s, const char *w, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return fail(s, s->p, CS_ESYNTAX);
	s->p += n;
	return true;
}

/* Reports a value for every field ending at the node whose first is f. */
static bool add(scan *s, uint32_t f, uint8_t type, const char *ptr, size_t len, double num)
{
	cs__evval v = { ptr, (uint32_t)len, CS__EV_NONE, num, type };
	if (len > UINT32_MAX)
		return fail(s, s->p, CS_ELIMIT);
	for (; f != CS__EV_NONE; f = s->P->tnext[f]) {
		cs_err rc = cs__evread_add(s->r, f, &v);
		if (rc)
			return fail(s, s->p, rc);
	}
	return true;
}

/* A scalar at s->p, reported for field f (CS__EV_NONE: only validated). */
static bool scalar(scan *s, uint32_t f)
{
	const unsigned char *at = s->p;
	switch (*at) {
	case '"': {
		cs_str raw, txt;
		bool esc;
		if (!scan_string(s, &raw, &esc))
			return false;
		txt = raw;
		if (esc) {
			if (f == CS__EV_NONE)
				return decode_tmp(s, raw, &txt);
			char *o = cs_arena_alloc(s->a, raw.len + 1);
			if (!o)
				return fail(s, at, CS_ENOMEM);
			if (!decode(s, raw, o, &txt))
				return false;
		}
		return f == CS__EV_NONE || add(s, f, CS_VSTRING, txt.ptr, txt.len, 0);
	}
	case 't':
		return lit(s, "true", 4) && (f == CS__EV_NONE || add(s, f, CS_VBOOL, "true", 4, 0));
	case 'f':
		return lit(s, "false", 5) && (f == CS__EV_NONE || add(s, f, CS_VBOOL, "false", 5, 0));
	case 'n':
		return lit(s, "null", 4) && (f == CS__EV_NONE || add(s, f, CS_VNULL, "", 0, 0));
	default: {
		bool is_int;
		if (*at != '-' && !(*at >= '0' && *at <= '9'))
			return fail(s, at, CS_ESYNTAX);
		if (!scan_number(s, &is_int))
			return false;
		if (f == CS__EV_NONE)
			return true;
		size_t n = (size_t)(s->p - at);
		double d = cs__json_num_value((const char *)at, n, is_int);
		if (d != d)
			return fail(s, at, CS_ENOMEM);
		return add(s, f, CS_VNUMBER, (const char *)at, n, d);
	}
	}
}

static bool value(scan *s, uint32_t node, unsigned wd);

/* An object at s->p ('{'); node: the trie node it sits at, or NONE. */
static bool object(scan *s, uint32_t node, unsigned wd)
{
	const cs__evpaths *P = s->P;
	bool descend = node != CS__EV_NONE && P->nodes[node].nedges;
	uint32_t visit = 0;
	if (++s->nest > MAX_NEST)
		return fail(s, s->p, CS_ELIMIT);
	if (descend) {
		if (++s->r->visit == 0) {
			memset(s->r->estamp, 0, P->nedges * sizeof(uint32_t));
			s->r->visit = 1;
		}
		visit = s->r->visit;
	}
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		s->nest--;
		return true;
	}
	for (;;) {
		if (s->p >= s->end || *s->p != '"')
			return fail(s, s->p, CS_ESYNTAX);
		cs_str raw, key;
		bool esc;
		if (!scan_string(s, &raw, &esc))
			return false;
		key = raw;
		if (esc && !decode_tmp(s, raw, &key))
			return false;
		uint32_t child = CS__EV_NONE;
		if (descend) {
			uint32_t e = edge_find(P, node, key.ptr, key.len);
			if (e != CS__EV_NONE) {
				if (s->r->estamp[e] == visit)
					return fall_back(s); /* duplicate: the last one counts */
				s->r->estamp[e] = visit;
				child = P->edges[e].child;
			} else {
				const char *dot = memchr(key.ptr, '.', key.len);
				if (dot && edge_find(P, node, key.ptr, (size_t)(dot - key.ptr)) !=
						   CS__EV_NONE)
					return fall_back(s); /* "a.b" could stand for a then b */
			}
		}
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return fail(s, s->p, CS_ESYNTAX);
		s->p++;
		skip_ws(s);
		if (!value(s, child, wd + 1))
			return false;
		skip_ws(s);
		if (s->p >= s->end)
			return fail(s, s->p, CS_ESYNTAX);
		if (*s->p == ',') {
			s->p++;
			skip_ws(s);
			continue;
		}
		if (*s->p == '}') {
			s->p++;
			break;
		}
		return fail(s, s->p, CS_ESYNTAX);
	}
	s->nest--;
	return true;
}

/* An array at s->p ('[').  At a trie node, its elements are values of the
 * node's field when `leaf` (one level, as the tree walk's leaves), and are
 * descended into when the node has keys below it. */
static bool array(scan *s, uint32_t node, unsigned wd, bool leaf)
{
	const cs__evpaths *P = s->P;
	uint32_t term = node != CS__EV_NONE && leaf ? P->nodes[node].term : CS__EV_NONE;
	bool descend = node != CS__EV_NONE && P->nodes[node].nedges;
	if (++s->nest > MAX_NEST)
		return fail(s, s->p, CS_ELIMIT);
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		s->nest--;
		return true;
	}
	for (;;) {
		if (s->p >= s->end)
			return fail(s, s->p, CS_ESYNTAX);
		unsigned char c = *s->p;
		bool ok;
		if (c == '{' || c == '[') {
			if (term != CS__EV_NONE &&
			    !add(s, term, c == '{' ? CS_VOBJECT : CS_VARRAY, "", 0, 0))
				return false;
			if (descend) {
				if (++s->steps > MAX_STEPS || wd + 1 > MAX_WALK)
					return fall_back(s);
				ok = c == '{' ? object(s, node, wd + 1) : array(s, node, wd + 1, false);
			} else {
				ok = c == '{' ? object(s, CS__EV_NONE, 0)
					      : array(s, CS__EV_NONE, 0, false);
			}
		} else {
			ok = scalar(s, term);
		}
		if (!ok)
			return false;
		skip_ws(s);
		if (s->p >= s->end)
			return fail(s, s->p, CS_ESYNTAX);
		if (*s->p == ',') {
			s->p++;
			skip_ws(s);
			continue;
		}
		if (*s->p == ']') {
			s->p++;
			break;
		}
		return fail(s, s->p, CS_ESYNTAX);
	}
	s->nest--;
	return true;
}

/* The value at s->p, sitting at trie node `node` (or NONE) at walk depth
 * wd. */
static bool value(scan *s, uint32_t node, unsigned wd)
{
	if (s->p >= s->end)
		return fail(s, s->p, CS_ESYNTAX);
	unsigned char c = *s->p;
	uint32_t term = CS__EV_NONE;
	if (node != CS__EV_NONE) {
		if (++s->steps > MAX_STEPS || wd > MAX_WALK)
			return fall_back(s);
		term = s->P->nodes[node].term;
	}
	if (c == '{') {
		if (term != CS__EV_NONE && !add(s, term, CS_VOBJECT, "", 0, 0))
			return false;
		return object(s, node, wd);
	}
	if (c == '[')
		return array(s, node, wd, true);
	return scalar(s, term);
}

cs_err cs__evread_record(cs__evread *r, cs_arena *a, const char *json, size_t len,
			 bool *fallback, size_t *err_off)
{
	scan s;
	memset(&s, 0, sizeof s);
	s.r = r;
	s.P = r->paths;
	s.a = a;
	s.start = s.p = (const unsigned char *)json;
	s.end = s.p + len;
	*fallback = false;
	*err_off = 0;
	cs__evread_clear(r);
	if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
		s.p += 3;
	skip_ws(&s);
	if (s.p >= s.end || *s.p != '{') {
		/* empty, malformed or not an object: the full parser says which */
		*fallback = true;
		return CS_OK;
	}
	if (value(&s, 0, 0)) {
		skip_ws(&s);
		if (s.p < s.end)
			(void)fail(&s, s.p, CS_ESYNTAX);
	}
	if (s.fallback) {
		cs__evread_clear(r);
		*fallback = true;
		return CS_OK;
	}
	if (s.err) {
		cs__evread_clear(r);
		*err_off = (size_t)(s.err_at - s.start);
	}
	return s.err;
}
