/*
 * detect/evread.c - the on-demand event reader (see evread.h): a trie of
 * the object keys on referenced field paths, and a one-pass validating JSON
 * reader that descends only along the trie and skips everything else
 * without building it.
 *
 * Two stages.  Stage 1 copies the record into a buffer padded with NUL
 * bytes and, in the same pass, marks, 64 bytes to a 64-bit word, every byte that may end a
 * plain run of string text: a quote, a backslash, a control byte or a
 * non-ASCII byte (AVX2, SSE2 or portable code, chosen at run time).  Dots
 * matter in keys that are not predicted only; those are searched for one
 * (first_dot) after crossing.
 * Stage 2 walks the grammar byte by byte outside strings (in CloudTrail
 * that is a structural character or two between strings) and crosses each
 * string with one look-up in the marks: when the first mark after the
 * opening quote is a quote, the string is plain; otherwise the marks are
 * followed one by one (escapes, UTF-8, control bytes) exactly as a byte
 * scan would.  The NUL padding stops every scan at the end of the record
 * without bounds checks: a NUL is never white space, structure or a digit,
 * and it is marked.  An object key is first compared with the two known
 * keys that last followed the previous key at this trie node (records of
 * one kind repeat their key order), which gives its edge at once; other
 * keys are compared with the trie's edges through a per-node key length
 * bitmap and a hash of (node, length, first 8 bytes), and learnt.
 *
 * Validation matches json/reader.c rule for rule (structure, literals,
 * number grammar, string escapes, control characters, UTF-8, nesting over
 * 512), so the set of accepted records is the same, and the offset of the
 * first problem is the one a left-to-right byte scan finds; the unit tests
 * and the evread fuzz harness check that against cs_json_parse on every
 * stage-1 path.
 */
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EV_X86 1
#endif

#include "detect/evread.h"
#include "json/json_int.h"

#define MAX_NEST 512     /* cs_json_parse's default nesting limit */
#define MAX_WALK 60      /* walk depth beyond which the tree walk decides */
#define MAX_STEPS 4000   /* path visits per record before the tree walk decides */
#define KEEP_BUF (4u << 20) /* record buffers above this are freed after use */
#define KEY_MAX 1024     /* known keys per reader (entry 0 included) */
#define KEY_SLOTS 4096   /* their hash table: at most a quarter full */
#define KEY_LEN 256      /* longer keys are not remembered */
#define KEY_POOL (64u << 10) /* bytes of known key text */

typedef struct evnode {
	uint32_t term;    /* first field ending here, or NONE; with TERM_MORE set
			   * when more end here (through tnext) */
	uint32_t nedges;  /* keys continuing from here */
	uint64_t lenmask; /* bit (length % 64) of every key continuing from here */
} evnode;

typedef struct evedge {
	uint32_t from, child;
	uint32_t klen;
	char *key;        /* owned copy, 8 zero bytes past the end */
} evedge;

#define TERM_MORE 0x80000000u /* in evnode.term: more fields end at the node */

/* One slot of the edge table: the edge's look-up data in one place. */
typedef struct evslot {
	uint64_t w0;      /* the key's first 8 bytes (zero beyond its length) */
	uint32_t node;    /* from; CS__EV_NONE: empty slot */
	uint32_t len;
	uint64_t w1;      /* the key's bytes 8..16 (zero beyond its length) */
	uint32_t edge;
} evslot;

/* A known key: an object key seen at trie node `node`, the node its edge
 * from there leads to (or none) and the two known keys that last followed
 * it in an object (0: none).  Only plain keys (no escape, dot, control or
 * non-ASCII byte) are known, so a key whose bytes and closing quote match
 * one is plain too.  It is compared as its pattern: the opening quote, the
 * key, its closing quote and a colon (len + 3 bytes), so a key of up to 13
 * bytes is two masked words, one of up to 21 bytes a third (the pattern's
 * last 8 bytes), and the opening quote needs no test of its own. */
struct cs__evkey {
	uint64_t w0, w1;  /* the pattern's bytes 0..8 and 8..16, zero beyond its end */
	uint64_t m0, m1;  /* masks of those bytes */
	uint32_t node;    /* CS__EV_NONE: unused */
	uint32_t plen;    /* of the pattern (the key's length + 3) */
	uint32_t child;
	uint32_t succ[2]; /* the known keys that followed it, the last seen first */
	uint32_t pat;     /* offset of the pattern in kpool (followed by 8 NUL bytes) */
	uint64_t w2;      /* the pattern's last 8 bytes (len over 13) */
};                        /* 64 bytes: an index is a shift */
typedef struct cs__evkey evkey;

struct cs__evpaths {
	evnode *nodes;
	size_t nnodes, capnodes;
	evedge *edges;
	size_t nedges, capedges;
	evslot *slots;   /* open addressing, at most a quarter full */
	size_t mask;
	unsigned shift;  /* 64 - log2(mask + 1) */
	size_t nfields;
	uint32_t *tnext; /* per field: next field ending at the same node */
};

/* ---- keys and the trie ---------------------------------------------------- */

/* The first min(n, 8) bytes of k as a little-endian word, zero above.
 * Reads 8 bytes: k must have 8 readable bytes (the padded record buffer,
 * the padded scratch, an edge's key). */
static inline uint64_t word_fast(const char *k, size_t n)
{
	uint64_t w;
	memcpy(&w, k, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return n >= 8 ? w : w & ((1ull << (8 * n)) - 1);
}

/* As word_fast, reading only k[0..n). */
static uint64_t word_safe(const char *k, size_t n)
{
	unsigned char b[8] = { 0 };
	memcpy(b, k, n < 8 ? n : 8);
	return word_fast((const char *)b, n);
}

/* The per-node part of key_slot's hash. */
static inline uint64_t node_salt(uint32_t node)
{
	return ((uint64_t)node + 1) * 0x9e3779b97f4a7c15ull;
}

/* Multiplicative hashing: the top bits of the product depend on every
 * bit of the key's first word, its length and the node. */
static inline size_t key_slot(const cs__evpaths *P, uint64_t salt, size_t n, uint64_t w0)
{
	return (size_t)(((w0 ^ ((uint64_t)n << 56) ^ salt) * 0xff51afd7ed558ccdull) >> P->shift);
}

/* Whether a[16..n) == b[16..n), both with 8 readable bytes past n. */
static bool tail_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 16; i < n; i += 8)
		if (word_fast(a + i, n - i) != word_fast(b + i, n - i))
			return false;
	return true;
}

/* The edge from `node` under key k[0..n) (8 readable bytes past n) whose
 * first word is w0, or NONE.  Keys of up to 16 bytes are compared through
 * the slot's two words alone. */
static inline uint32_t edge_find(const cs__evpaths *P, uint32_t node, uint64_t salt,
				 const char *k, size_t n, uint64_t w0)
{
	for (size_t i = key_slot(P, salt, n, w0);; i = (i + 1) & P->mask) {
		const evslot *e = &P->slots[i];
		if (e->w0 == w0 && e->node == node && e->len == n) {
			if (n <= 8 || (e->w1 == word_fast(k + 8, n - 8) &&
				       (n <= 16 || tail_eq(P->edges[e->edge].key, k, n))))
				return e->edge;
		} else if (e->node == CS__EV_NONE) {
			return CS__EV_NONE;
		}
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
	P->nodes[P->nnodes] = (evnode){ CS__EV_NONE, 0, 0 };
	*out = (uint32_t)P->nnodes++;
	return CS_OK;
}

static void slot_put(cs__evpaths *P, size_t e)
{
	const evedge *ed = &P->edges[e];
	uint64_t w0 = word_fast(ed->key, ed->klen);
	uint64_t w1 = ed->klen > 8 ? word_fast(ed->key + 8, ed->klen - 8) : 0;
	size_t i = key_slot(P, node_salt(ed->from), ed->klen, w0);
	while (P->slots[i].node != CS__EV_NONE)
		i = (i + 1) & P->mask;
	P->slots[i] = (evslot){ w0, ed->from, ed->klen, w1, (uint32_t)e };
}

static cs_err rehash(cs__evpaths *P, size_t cap)
{
	evslot *s = cs_malloc(cap * sizeof(evslot));
	unsigned bits = 0;
	if (!s)
		return CS_ENOMEM;
	for (size_t i = 0; i < cap; i++)
		s[i] = (evslot){ 0, CS__EV_NONE, 0, 0, CS__EV_NONE };
	while (((size_t)1 << bits) < cap)
		bits++;
	cs_free(P->slots);
	P->slots = s;
	P->mask = cap - 1;
	P->shift = 64 - bits;
	for (size_t e = 0; e < P->nedges; e++)
		slot_put(P, e);
	return CS_OK;
}

/* The child of node `from` under key k[0..n), created if new. */
static cs_err edge_get(cs__evpaths *P, uint32_t from, const char *k, size_t n, uint32_t *child)
{
	cs_err rc = CS_OK;
	char *copy;
	if (n > UINT32_MAX - 16 || P->nedges >= UINT32_MAX / 8)
		return CS_ELIMIT;
	copy = cs_calloc(n + 8, 1);
	if (!copy)
		return CS_ENOMEM;
	memcpy(copy, k, n);
	uint32_t e = edge_find(P, from, node_salt(from), copy, n, word_safe(k, n));
	if (e != CS__EV_NONE) {
		cs_free(copy);
		*child = P->edges[e].child;
		return CS_OK;
	}
	if (P->nedges == P->capedges) {
		size_t cap = P->capedges ? P->capedges * 2 : 16;
		evedge *ne = cs_realloc(P->edges, cap * sizeof(evedge));
		if (!ne) {
			cs_free(copy);
			return CS_ENOMEM;
		}
		P->edges = ne;
		P->capedges = cap;
	}
	uint32_t c;
	if ((rc = node_new(P, &c))) {
		cs_free(copy);
		return rc;
	}
	P->edges[P->nedges++] = (evedge){ from, c, (uint32_t)n, copy };
	P->nodes[from].nedges++;
	P->nodes[from].lenmask |= 1ull << (n & 63);
	/* a quarter full at most: a key that is no edge mostly meets an empty
	 * slot at once */
	if (4 * P->nedges > P->mask) {
		size_t cap = 2 * (P->mask + 1);
		while (4 * P->nedges > cap - 1)
			cap *= 2;
		if ((rc = rehash(P, cap)))
			return rc;
	} else {
		slot_put(P, P->nedges - 1);
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
	if (nfields >= TERM_MORE - 1) /* field indexes leave term's flag bit */
		rc = CS_ENOMEM;
	if (rc || (rc = node_new(P, &root)) || (rc = rehash(P, 16)))
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
			uint32_t t = P->nodes[node].term;
			P->tnext[f] = t == CS__EV_NONE ? t : t & ~TERM_MORE;
			P->nodes[node].term = (uint32_t)f | (t == CS__EV_NONE ? 0 : TERM_MORE);
		}
	}
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
	for (size_t e = 0; e < P->nedges; e++)
		cs_free(P->edges[e].key);
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
	r->found = cs_calloc(p->nfields + 1, sizeof(uint32_t));
	r->estamp = cs_calloc(p->nnodes + 1, sizeof(uint32_t));
	r->keys = cs_malloc(KEY_MAX * sizeof(evkey));
	r->kfirst = cs_calloc(2 * (p->nnodes + 1), sizeof(uint32_t));
	r->ktab = cs_calloc(KEY_SLOTS, sizeof(uint32_t));
	r->kpool = cs_malloc(KEY_POOL);
	if (r->keys) {
		for (size_t i = 0; i < KEY_MAX; i++)
			r->keys[i] = (evkey){ 0, 0, 0, 0, CS__EV_NONE, 0, CS__EV_NONE, { 0, 0 }, 0, 0 };
		r->nkeys = 1;
	}
	if (!r->fgen || !r->head || !r->tail || !r->found || !r->estamp || !r->keys || !r->kfirst ||
	    !r->ktab || !r->kpool) {
		cs__evread_release(r);
		return CS_ENOMEM;
	}
	return CS_OK;
}

static void free_buf(cs__evread *r)
{
	cs_free(r->buf);
	cs_free(r->marks);
	r->buf = NULL;
	r->marks = NULL;
	r->bufcap = 0;
}

void cs__evread_release(cs__evread *r)
{
	cs_free(r->fgen);
	cs_free(r->found);
	cs_free(r->head);
	cs_free(r->tail);
	cs_free(r->estamp);
	cs_free(r->keys);
	cs_free(r->kfirst);
	cs_free(r->ktab);
	cs_free(r->kpool);
	cs_free(r->vals);
	cs_free(r->tmp);
	free_buf(r);
	memset(r, 0, sizeof(*r));
}

void cs__evread_clear(cs__evread *r)
{
	r->nvals = 0;
	r->nfound = 0;
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
		r->found[r->nfound++] = f;
	} else {
		r->vals[r->tail[f]].next = ix;
	}
	r->tail[f] = ix;
	return CS_OK;
}

/* ---- stage 1: marks -------------------------------------------------------- */

/* Every stage-1 path copies nb 64-byte blocks from src to dst (which may be
 * src: then it only reads) and sets bit j of m[i] exactly when byte 64 i + j
 * is a quote, a backslash, below 0x20 or above 0x7F: the record's copy is
 * made in the same pass that marks it. */

#define ONES 0x0101010101010101ull
#define LOW7 0x7f7f7f7f7f7f7f7full
#define HIGHS 0x8080808080808080ull

/* Portable: 8 bytes at a time without carries between bytes (each test
 * works on the low 7 bits, where adding 0x7f or 0x60 cannot overflow a
 * byte), then the 8 flag bits gathered by one multiplication. */
static void marks_scalar(const unsigned char *src, unsigned char *dst, size_t nb, uint64_t *m)
{
	for (size_t i = 0; i < nb; i++) {
		uint64_t bits = 0;
		for (unsigned k = 0; k < 8; k++) {
			uint64_t x;
			memcpy(&x, src + 64 * i + 8 * k, 8);
			memcpy(dst + 64 * i + 8 * k, &x, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			x = __builtin_bswap64(x);
#endif
			uint64_t y = x & LOW7, q = y ^ (ONES * '"'), s = y ^ (ONES * '\\');
			uint64_t nz_q = (q + LOW7) | q, nz_s = (s + LOW7) | s;
			uint64_t ge20 = y + ONES * 0x60;
			uint64_t f = (x | ~nz_q | ~nz_s | ~ge20) & HIGHS;
			bits |= (((f >> 7) * 0x0102040810204080ull) >> 56) << (8 * k);
		}
		m[i] = bits;
	}
}

#ifdef EV_X86
static void marks_sse2(const unsigned char *src, unsigned char *dst, size_t nb, uint64_t *m)
{
	const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), sp = _mm_set1_epi8(0x20);
	for (size_t i = 0; i < nb; i++, src += 64, dst += 64) {
		uint64_t bits = 0;
		for (unsigned k = 0; k < 4; k++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + 16 * k));
			_mm_storeu_si128((__m128i *)(void *)(dst + 16 * k), v);
			/* signed: below 0x20 or (negative) above 0x7f */
			__m128i f = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
						 _mm_cmpgt_epi8(sp, v));
			bits |= (uint64_t)(unsigned)_mm_movemask_epi8(f) << (16 * k);
		}
		m[i] = bits;
	}
}

__attribute__((target("avx2"))) static void marks_avx2(const unsigned char *src,
							 unsigned char *dst, size_t nb, uint64_t *m)
{
	const __m256i q = _mm256_set1_epi8('"'), bs = _mm256_set1_epi8('\\'),
		      sp = _mm256_set1_epi8(0x20);
	for (size_t i = 0; i < nb; i++, src += 64, dst += 64) {
		__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)src);
		__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(src + 32));
		_mm256_storeu_si256((__m256i *)(void *)dst, lo);
		_mm256_storeu_si256((__m256i *)(void *)(dst + 32), hi);
		__m256i fl = _mm256_or_si256(
			_mm256_or_si256(_mm256_cmpeq_epi8(lo, q), _mm256_cmpeq_epi8(lo, bs)),
			_mm256_cmpgt_epi8(sp, lo));
		__m256i fh = _mm256_or_si256(
			_mm256_or_si256(_mm256_cmpeq_epi8(hi, q), _mm256_cmpeq_epi8(hi, bs)),
			_mm256_cmpgt_epi8(sp, hi));
		m[i] = (uint64_t)(uint32_t)_mm256_movemask_epi8(fl) |
		       (uint64_t)(uint32_t)_mm256_movemask_epi8(fh) << 32;
	}
}
#endif

static int forced_path; /* CS__EV_PATH_*; tests only */

bool cs__evread_force_path(int path)
{
	bool ok = path == CS__EV_PATH_AUTO || path == CS__EV_PATH_SCALAR;
#ifdef EV_X86
	ok = ok || path == CS__EV_PATH_SSE2 ||
	     (path == CS__EV_PATH_AVX2 && __builtin_cpu_supports("avx2"));
#endif
	if (ok)
		forced_path = path;
	return ok;
}

static void marks(const unsigned char *src, unsigned char *dst, size_t nb, uint64_t *m)
{
#ifdef EV_X86
	if (forced_path == CS__EV_PATH_AVX2 ||
	    (forced_path == CS__EV_PATH_AUTO && __builtin_cpu_supports("avx2")))
		marks_avx2(src, dst, nb, m);
	else if (forced_path != CS__EV_PATH_SCALAR)
		marks_sse2(src, dst, nb, m);
	else
#endif
		marks_scalar(src, dst, nb, m);
}

/* ---- stage 2: the grammar walk --------------------------------------------- */

typedef struct scan {
	cs__evread *r;
	const cs__evpaths *P;
	cs_arena *a;
	const unsigned char *p;    /* cursor in buf */
	const unsigned char *buf;  /* the record, NUL padded */
	const unsigned char *end;  /* buf + length */
	const char *json;          /* the caller's record (values point there) */
	const uint64_t *m;         /* stage-1 marks of buf */
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

/* The caller's copy of buf text at p. */
static inline const char *orig(const scan *s, const void *p)
{
	return s->json + ((const unsigned char *)p - s->buf);
}

#define WS_BITS ((1ull << ' ') | (1ull << '\t') | (1ull << '\n') | (1ull << '\r'))

/* The first byte at or after p that is not JSON white space (the padding
 * NUL at the latest). */
static inline const unsigned char *ws(const unsigned char *p)
{
	while (*p <= ' ' && ((WS_BITS >> *p) & 1))
		p++;
	return p;
}

/* The first marked byte at or after q (q at most 8 bytes past the end:
 * the padding is marked). */
static inline const unsigned char *mark_at(const unsigned char *buf, const uint64_t *marks,
					   const unsigned char *q)
{
	size_t pos = (size_t)(q - buf);
	const uint64_t *m = marks + (pos >> 6);
	uint64_t w = *m >> (pos & 63);
	/* the common case first: a mark left in the word (no sign extension
	 * of the count, no jump there and back) */
	if (__builtin_expect(w != 0, 1))
		return q + (unsigned)__builtin_ctzll(w);
	do
		m++;
	while (!*m);
	return buf + ((size_t)(m - marks) << 6) + (unsigned)__builtin_ctzll(*m);
}

static inline const unsigned char *next_mark(const scan *s, const unsigned char *q)
{
	return mark_at(s->buf, s->m, q);
}

/* The closing quote of the string opening at p when the string is plain
 * (no escape, control or non-ASCII byte), else NULL. */
static inline const unsigned char *plain_end(const unsigned char *buf, const uint64_t *marks,
					     const unsigned char *p)
{
	const unsigned char *q = mark_at(buf, marks, p + 1);
	return *q == '"' ? q : NULL;
}

/* The rest of string() from q, the first marked byte after the opening
 * quote, when q is not the closing quote: the marks lead from one byte
 * needing a closer look to the next, in the order a byte scan meets them. */
static bool string_slow(scan *s, const unsigned char *q, cs_str *raw, bool *escaped)
{
	const unsigned char *open = s->p, *e = s->end;
	while (*q != '"') {
		unsigned char c = *q;
		if (q >= e)
			return fail(s, open, CS_ESYNTAX);
		if (c == '\\') {
			*escaped = true;
			if (q + 1 >= e)
				return fail(s, q, CS_ESYNTAX);
			q += 2;
		} else if (c < 0x20) {
			return fail(s, q, CS_ESYNTAX);
		} else {
			size_t rest = (size_t)(e - q), chk = rest < 4 ? rest : 4;
			if (cs__utf8_check((const char *)q, chk) == 0)
				return fail(s, q, CS_EUTF8);
			q += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		}
		q = next_mark(s, q);
	}
	raw->ptr = (const char *)open + 1;
	raw->len = (size_t)(q - open - 1);
	s->p = q + 1;
	return true;
}

/* Crosses the string at s->p (the opening quote), validating it as
 * cs_json_parse does; *raw is its body as written (in buf), *escaped
 * whether it has escapes (which are checked by the caller through
 * decode()).  Plain (the common case) when the first marked byte is the
 * closing quote. */
static inline bool string(scan *s, cs_str *raw, bool *escaped)
{
	const unsigned char *q = next_mark(s, s->p + 1);
	*escaped = false;
	if (*q == '"') {
		raw->ptr = (const char *)s->p + 1;
		raw->len = (size_t)(q - s->p - 1);
		s->p = q + 1;
		return true;
	}
	return string_slow(s, q, raw, escaped);
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

/* Decodes into the reader's scratch (keys, strings nobody keeps), which
 * keeps 8 readable bytes past the text for word_fast and first_dot. */
static bool decode_tmp(scan *s, cs_str raw, cs_str *out)
{
	if (raw.len + 9 > s->r->tmpcap) {
		char *t = cs_realloc(s->r->tmp, raw.len + 9);
		if (!t)
			return fail(s, s->p, CS_ENOMEM);
		s->r->tmp = t;
		s->r->tmpcap = raw.len + 9;
	}
	memset(s->r->tmp + raw.len, 0, 9);
	return decode(s, raw, s->r->tmp, out);
}

/* A string nobody keeps: crossed and its escapes checked. */
static inline bool skip_string(scan *s)
{
	cs_str raw, txt;
	bool esc;
	if (!string(s, &raw, &esc))
		return false;
	return !esc || decode_tmp(s, raw, &txt);
}

static bool scan_number(scan *s, bool *is_int)
{
	const unsigned char *p = s->p;
	*is_int = true;
	if (*p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return fail(s, s->p, CS_ESYNTAX);
	if (*p == '0') {
		p++;
	} else {
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == '.') {
		*is_int = false;
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return fail(s, p, CS_ESYNTAX);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		*is_int = false;
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return fail(s, p, CS_ESYNTAX);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return true;
}

/* The literal w (n bytes) at s->p; the padding never matches. */
static bool lit(scan *s, const char *w, size_t n)
{
	if (memcmp(s->p, w, n) != 0)
		return fail(s, s->p, CS_ESYNTAX);
	s->p += n;
	return true;
}

/* Reports a value for every field ending at the node whose first is f;
 * a problem is reported at `at`. */
static bool add_all(scan *s, const unsigned char *at, uint32_t f, uint8_t type, const char *ptr,
		    size_t len, double num)
{
	cs__evval v = { ptr, (uint32_t)len, CS__EV_NONE, num, type };
	if (len > UINT32_MAX)
		return fail(s, at, CS_ELIMIT);
	for (; f != CS__EV_NONE; f = s->P->tnext[f]) {
		cs_err rc = cs__evread_add(s->r, f, &v);
		if (rc)
			return fail(s, at, rc);
	}
	return true;
}

/* add_all, inline for the common case: one field, room for its value.
 * f is a node's term (TERM_MORE set when more fields end there). */
static inline __attribute__((always_inline)) bool add(scan *s, const unsigned char *at, uint32_t f,
						      uint8_t type, const char *ptr, size_t len,
						      double num)
{
	cs__evread *r = s->r;
	uint32_t ix;
	cs__evval *v;
	if ((f & TERM_MORE) || r->nvals == r->capvals || len > UINT32_MAX)
		return add_all(s, at, f & ~TERM_MORE, type, ptr, len, num);
	ix = (uint32_t)r->nvals++;
	v = &r->vals[ix];
	v->ptr = ptr;
	v->len = (uint32_t)len;
	v->next = CS__EV_NONE;
	v->num = num;
	v->type = type;
	if (r->fgen[f] != r->gen) {
		r->fgen[f] = r->gen;
		r->head[f] = ix;
		r->found[r->nfound++] = f;
	} else {
		r->vals[r->tail[f]].next = ix;
	}
	r->tail[f] = ix;
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
		if (f == CS__EV_NONE)
			return skip_string(s);
		if (!string(s, &raw, &esc))
			return false;
		txt.ptr = orig(s, raw.ptr);
		txt.len = raw.len;
		if (esc) {
			char *o = cs_arena_alloc(s->a, raw.len + 1);
			if (!o)
				return fail(s, at, CS_ENOMEM);
			if (!decode(s, raw, o, &txt))
				return false;
		}
		return add(s, s->p, f, CS_VSTRING, txt.ptr, txt.len, 0);
	}
	case 't':
		return lit(s, "true", 4) && (f == CS__EV_NONE || add(s, s->p, f, CS_VBOOL, "true", 4, 0));
	case 'f':
		return lit(s, "false", 5) && (f == CS__EV_NONE || add(s, s->p, f, CS_VBOOL, "false", 5, 0));
	case 'n':
		return lit(s, "null", 4) && (f == CS__EV_NONE || add(s, s->p, f, CS_VNULL, "", 0, 0));
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
		return add(s, s->p, f, CS_VNUMBER, orig(s, at), n, d);
	}
	}
}

/* Crosses the string at p (its opening quote) that nobody keeps; the
 * position after it, or NULL on an error (in s). */
static inline const unsigned char *skip_str(scan *s, const unsigned char *p)
{
	const unsigned char *q = plain_end(s->buf, s->m, p);
	if (q)
		return q + 1;
	s->p = p;
	return skip_string(s) ? s->p : NULL;
}

/* The end of the literal true, false or null at p, or NULL (p has 8
 * readable bytes: the padding never matches). */
static inline const unsigned char *literal_end(const unsigned char *p)
{
	uint64_t w = word_fast((const char *)p, 8);
	if ((w & 0xffffffffu) == 0x65757274u || (w & 0xffffffffu) == 0x6c6c756eu) /* true null */
		return p + 4;
	if ((w & 0xffffffffffull) == 0x65736c6166ull) /* false */
		return p + 5;
	return NULL;
}

/* Whether p[0] is a and p[1] is b (p has 2 readable bytes), one compare. */
static inline bool pair_is(const unsigned char *p, unsigned a, unsigned b)
{
	uint16_t w;
	memcpy(&w, p, 2);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return w == (uint16_t)(a << 8 | b);
#else
	return w == (uint16_t)(a | b << 8);
#endif
}

/* Validates the object or array at s->p without reporting anything:
 * iterative, one entry of `kind` per open level (true: object); obj is the
 * innermost level's entry. */
static bool skip_container(scan *s)
{
	bool kind[MAX_NEST + 1];
	const unsigned char *p = s->p;
	/* levels open here: d, of at most lim (s->nest stays as it is) */
	unsigned d = 0, lim = MAX_NEST - s->nest;
	bool ok = false, obj;
open:
	/* p at '{' or '[' */
	if (d >= lim) {
		fail(s, p, CS_ELIMIT);
		goto out;
	}
	obj = *p == '{';
	kind[d++] = obj;
	p++;
	if (obj && *p == '"') /* the usual case: a key right after the brace */
		goto key_str;
	if (*p <= ' ')
		p = ws(p);
	if (*p == (obj ? '}' : ']')) {
		p++;
		goto closed;
	}
	if (!obj)
		goto value;
key:
	if (*p != '"') {
		p = ws(p);
		if (*p != '"') {
			fail(s, p, CS_ESYNTAX);
			goto out;
		}
	}
key_str:
	/* p at a key's opening quote */
	if (!(p = skip_str(s, p)))
		goto out;
	if (pair_is(p, ':', '"')) { /* the usual case: a string right after the colon */
		p++;
		goto string;
	}
	if (*p != ':') {
		p = ws(p);
		if (*p != ':') {
			fail(s, p, CS_ESYNTAX);
			goto out;
		}
	}
	p++;
	if (*p <= ' ')
		p = ws(p);
value:
	if (*p == '"') {
string:
		if (!(p = skip_str(s, p)))
			goto out;
	} else if (*p == '{' || *p == '[') {
		goto open;
	} else {
		s->p = p;
		if (!scalar(s, CS__EV_NONE))
			goto out;
		p = s->p;
	}
after:
	/* the common case first: a comma right after the value, then a key */
	if (pair_is(p, ',', '"')) {
		p++;
		if (obj)
			goto key_str;
		goto string;
	}
	if (*p <= ' ')
		p = ws(p);
	if (*p == ',') {
		p++;
		if (obj)
			goto key; /* which crosses white space before the key */
		if (*p <= ' ')
			p = ws(p);
		goto value;
	}
	if (*p != (obj ? '}' : ']')) {
		fail(s, p, CS_ESYNTAX);
		goto out;
	}
	p++;
closed:
	if (--d) {
		obj = kind[d - 1];
		goto after;
	}
	ok = true;
	s->p = p;
out:
	return ok;
}

/* Index of the first '.' in k[0..n), or n; k has 8 readable bytes past
 * each 8-byte step. */
static inline size_t first_dot(const char *k, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = word_fast(k + i, n - i), x = w ^ (ONES * '.');
		/* exact: high bit of a byte set when that byte of w is '.' */
		uint64_t hit = ~(((x & LOW7) + LOW7) | x) & HIGHS;
		if (n - i < 8)
			hit &= (1ull << (8 * (n - i))) - 1;
		if (hit)
			return i + (size_t)__builtin_ctzll(hit) / 8;
	}
	return n;
}

static bool value(scan *s, uint32_t node, unsigned wd);
static bool array(scan *s, uint32_t node, unsigned wd, bool leaf);

/* Whether the string at p is the known key k at `node` followed by a
 * colon: the bytes at p match k's pattern (so are no NUL and inside the
 * record: each word read starts at most 8 bytes past a matched byte, in
 * the padding at worst). */
static inline __attribute__((always_inline)) bool key_is(const evkey *k, uint32_t node,
							  const unsigned char *p, const char *kpool)
{
	if (k->node != node)
		return false;
	if ((((word_fast((const char *)p, 8) & k->m0) ^ k->w0) |
	     ((word_fast((const char *)p + 8, 8) & k->m1) ^ k->w1)) != 0)
		return false;
	if (k->plen <= 16)
		return true;
	if (k->plen <= 24)
		return word_fast((const char *)p + k->plen - 8, 8) == k->w2;
	return tail_eq(kpool + k->pat, (const char *)p, k->plen);
}

/* The mask of the bytes of a pattern of l bytes in its word at off. */
static inline uint64_t pat_mask(size_t l, size_t off)
{
	return l >= off + 8 ? ~0ull : l > off ? (1ull << (8 * (l - off))) - 1 : 0;
}

/* Forgets every known key (the table is full). */
static void keys_reset(cs__evread *r)
{
	for (size_t i = 0; i < r->nkeys; i++)
		r->keys[i].node = CS__EV_NONE;
	memset(r->kfirst, 0, 2 * (r->paths->nnodes + 1) * sizeof(uint32_t));
	memset(r->ktab, 0, KEY_SLOTS * sizeof(uint32_t));
	r->nkeys = 1;
	r->kpool_used = 0;
}

/* The known key k[0..n) at `node` (plain, no dot, n <= KEY_LEN, 8 readable
 * bytes past n), remembered with its edge's child c if new (forgetting all
 * others when there is no room). */
static uint32_t key_learn(cs__evread *r, uint32_t node, const char *k, size_t n, uint32_t c)
{
	/* the pattern: '"', the key, '"', ':', zeros (the two words compared
	 * and the 8 bytes kept past it; zeroing all of pat was a fifth of a
	 * look-up) */
	char pat[KEY_LEN + 16];
	memset(pat, 0, 16);
	pat[0] = '"';
	memcpy(pat + 1, k, n);
	pat[n + 1] = '"';
	pat[n + 2] = ':';
	memset(pat + n + 3, 0, 8);
	uint64_t w0 = word_fast(pat, 8), w1 = word_fast(pat + 8, 8);
	size_t i = (size_t)(((word_fast(k, n) ^ ((uint64_t)n << 56) ^ node_salt(node)) *
			     0xff51afd7ed558ccdull) >>
			    52);
	for (;; i = (i + 1) & (KEY_SLOTS - 1)) {
		uint32_t id = r->ktab[i];
		const evkey *x = &r->keys[id];
		if (!id)
			break;
		if (x->node == node && x->plen == n + 3 && x->w0 == w0 && x->w1 == w1 &&
		    (n <= 13 || memcmp(r->kpool + x->pat, pat, n + 3) == 0))
			return id;
	}
	if (r->nkeys == KEY_MAX || r->kpool_used + n + 11 > KEY_POOL) {
		keys_reset(r);
		return key_learn(r, node, k, n, c);
	}
	uint32_t id = r->nkeys++;
	char *t = r->kpool + r->kpool_used;
	memcpy(t, pat, n + 11);
	r->kpool_used += n + 11;
	r->keys[id] = (evkey){ w0, w1, pat_mask(n + 3, 0), pat_mask(n + 3, 8), node, (uint32_t)(n + 3),
			       c, { 0, 0 }, (uint32_t)(t - r->kpool),
			       n > 13 ? word_fast(t + n - 5, 8) : 0 };
	r->ktab[i] = id;
	return id;
}

/* The key just crossed leads to trie node c (NONE: nowhere): *child is c,
 * stamped for this object visit (a node has one edge leading to it).
 * false when the object already had that key (the record goes to the tree
 * walk: there the last one counts). */
static inline __attribute__((always_inline)) bool take_child(scan *s, uint32_t *estamp,
							    uint32_t visit, uint32_t c,
							    uint32_t *child)
{
	if (c == CS__EV_NONE)
		return true;
	if (estamp[c] == visit)
		return fall_back(s);
	estamp[c] = visit;
	*child = c;
	return true;
}

/* An object at s->p ('{') at trie node `node`, which has keys below it.
 * The common cases (a plain key, a plain string value, white space
 * nowhere) are handled inline; everything else goes through the general
 * functions. */
static bool object(scan *s, uint32_t node, unsigned wd)
{
	const cs__evpaths *P = s->P;
	const evnode *nodes = P->nodes;
	const uint64_t lenmask = nodes[node].lenmask, salt = node_salt(node);
	/* a child too deep for the walk falls back at once, like too many steps */
	const uint32_t max_steps = wd + 1 > MAX_WALK ? 0 : MAX_STEPS;
	const unsigned char *buf = s->buf, *p, *q;
	const uint64_t *marks = s->m;
	uint32_t *estamp = s->r->estamp;
	uint32_t visit;
	evkey *keys = s->r->keys;
	const char *kpool = s->r->kpool;
	/* where the known key met next is recorded (keys[0].succ: nowhere,
	 * which only costs a failed prediction), and the two keys predicted
	 * (records of one kind come in a few key orders) */
	uint32_t *link = &s->r->kfirst[2 * node], pred = link[0], pred2 = link[1];
	if (++s->nest > MAX_NEST)
		return fail(s, s->p, CS_ELIMIT);
	if (++s->r->visit == 0) {
		memset(estamp, 0, (P->nnodes + 1) * sizeof(uint32_t));
		s->r->visit = 1;
	}
	visit = s->r->visit;
	p = ws(s->p + 1);
	if (*p == '}') {
		s->p = p + 1;
		s->nest--;
		return true;
	}
	for (;;) {
		/* e: the key's edge, then the node it leads to */
		uint32_t child = CS__EV_NONE, e = CS__EV_NONE;
		evkey *k = &keys[pred];
		/* a predicted key, then the colon (the common case) */
		if (key_is(k, node, p, kpool) ||
		    (pred2 && key_is(k = &keys[pred2], node, p, kpool) &&
		     (link[0] = pred2, link[1] = pred, true))) {
			/* (the second guess that hit becomes the first) */
			p += k->plen;
			link = k->succ;
			pred = link[0];
			pred2 = link[1];
			if (!take_child(s, estamp, visit, k->child, &child))
				return false;
		} else {
			const char *kp;
			size_t kn, dot;
			if (*p != '"') {
				/* white space after a comma (rare) */
				p = ws(p);
				if (*p != '"')
					return fail(s, p, CS_ESYNTAX);
			}
			if ((q = plain_end(buf, marks, p)) != NULL) {
				kp = (const char *)p + 1;
				kn = (size_t)(q - p - 1);
				p = q + 1;
				if ((lenmask >> (kn & 63)) & 1)
					e = edge_find(P, node, salt, kp, kn, word_fast(kp, kn));
				if (e != CS__EV_NONE)
					e = P->edges[e].child;
				dot = first_dot(kp, kn);
				if (dot == kn && kn <= KEY_LEN) {
					uint32_t id = key_learn(s->r, node, kp, kn, e);
					if (link[0] != id) {
						link[1] = link[0];
						link[0] = id;
					}
					link = keys[id].succ;
				} else {
					link = keys[0].succ;
				}
			} else {
				cs_str raw, key;
				bool esc;
				s->p = p;
				if (!string(s, &raw, &esc))
					return false;
				key = raw;
				if (esc && !decode_tmp(s, raw, &key))
					return false;
				kp = key.ptr;
				kn = key.len;
				dot = first_dot(kp, kn);
				p = s->p;
				if ((lenmask >> (kn & 63)) & 1)
					e = edge_find(P, node, salt, kp, kn, word_fast(kp, kn));
				if (e != CS__EV_NONE)
					e = P->edges[e].child;
				link = keys[0].succ;
			}
			pred = link[0];
			pred2 = link[1];
			if (!take_child(s, estamp, visit, e, &child))
				return false;
			if (child == CS__EV_NONE && dot < kn &&
			    ((lenmask >> (dot & 63)) & 1) &&
			    edge_find(P, node, salt, kp, dot, word_fast(kp, dot)) != CS__EV_NONE)
				/* "a.b" could stand for a then b */
				return fall_back(s);
			if (*p != ':') {
				p = ws(p);
				if (*p != ':')
					return fail(s, p, CS_ESYNTAX);
			}
			p++;
		}
	at_value:
		/* the value; white space before it (rare) is crossed below, so
		 * that the usual case (a quote) costs one test */
		if (*p == '"' && (q = plain_end(buf, marks, p))) {
			/* a plain string: value() inline */
			if (child != CS__EV_NONE) {
				uint32_t term = nodes[child].term;
				if (++s->steps > max_steps)
					return fall_back(s);
				if (term != CS__EV_NONE) {
					if (!add(s, p, term, CS_VSTRING, orig(s, p + 1), (size_t)(q - p - 1),
						 0))
						return false;
				}
			}
			p = q + 1;
		} else if ((q = literal_end(p)) != NULL) {
			/* true, false or null: value() inline */
			if (child != CS__EV_NONE) {
				uint32_t term = nodes[child].term;
				if (++s->steps > max_steps)
					return fall_back(s);
				if (term != CS__EV_NONE) {
					size_t n = (size_t)(q - p);
					if (!add(s, p, term, *p == 'n' ? CS_VNULL : CS_VBOOL,
						 *p == 'n' ? "" : *p == 't' ? "true" : "false",
						 *p == 'n' ? 0 : n, 0))
						return false;
				}
			}
			p = q;
		} else {
			if (*p <= ' ' && ((WS_BITS >> *p) & 1)) {
				p = ws(p);
				goto at_value;
			}
			s->p = p;
			if (child != CS__EV_NONE && *p == '{' && nodes[child].nedges) {
				/* an object on the path: value() inline */
				uint32_t term = nodes[child].term;
				if (++s->steps > max_steps)
					return fall_back(s);
				if (term != CS__EV_NONE && !add(s, p, term, CS_VOBJECT, "", 0, 0))
					return false;
				if (!object(s, child, wd + 1))
					return false;
			} else if (child != CS__EV_NONE) {
				if (!value(s, child, wd + 1))
					return false;
			} else if (!(*p == '{' || *p == '[' ? skip_container(s)
							    : scalar(s, CS__EV_NONE))) {
				return false;
			}
			p = s->p;
		}
		/* the next key's white space, if any, is crossed at its start */
		if (*p == ',') {
			p++;
			continue;
		}
		p = ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '}') {
			s->p = p + 1;
			break;
		}
		return fail(s, p, CS_ESYNTAX);
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
	uint32_t term = leaf ? P->nodes[node].term : CS__EV_NONE;
	bool descend = P->nodes[node].nedges != 0;
	const unsigned char *p;
	if (term == CS__EV_NONE && !descend)
		return skip_container(s);
	if (++s->nest > MAX_NEST)
		return fail(s, s->p, CS_ELIMIT);
	p = ws(s->p + 1);
	if (*p == ']') {
		s->p = p + 1;
		s->nest--;
		return true;
	}
	for (;;) {
		unsigned char c = *p;
		bool ok;
		s->p = p;
		if (c == '{' || c == '[') {
			if (term != CS__EV_NONE &&
			    !add(s, s->p, term, c == '{' ? CS_VOBJECT : CS_VARRAY, "", 0, 0))
				return false;
			if (descend) {
				if (++s->steps > MAX_STEPS || wd + 1 > MAX_WALK)
					return fall_back(s);
				ok = c == '{' ? object(s, node, wd + 1) : array(s, node, wd + 1, false);
			} else {
				ok = skip_container(s);
			}
		} else {
			ok = scalar(s, term);
		}
		if (!ok)
			return false;
		p = ws(s->p);
		if (*p == ',') {
			p = ws(p + 1);
			continue;
		}
		if (*p == ']') {
			s->p = p + 1;
			break;
		}
		return fail(s, p, CS_ESYNTAX);
	}
	s->nest--;
	return true;
}

/* The value at s->p, sitting at trie node `node` (not NONE) at walk depth
 * wd. */
static bool value(scan *s, uint32_t node, unsigned wd)
{
	unsigned char c = *s->p;
	uint32_t term;
	if (s->p >= s->end)
		return fail(s, s->p, CS_ESYNTAX);
	if (++s->steps > MAX_STEPS || wd > MAX_WALK)
		return fall_back(s);
	term = s->P->nodes[node].term;
	if (c == '{') {
		if (term != CS__EV_NONE && !add(s, s->p, term, CS_VOBJECT, "", 0, 0))
			return false;
		return s->P->nodes[node].nedges ? object(s, node, wd) : skip_container(s);
	}
	if (c == '[')
		return array(s, node, wd, true);
	return scalar(s, term);
}

/* Makes r->buf a copy of json[0..len) followed by NUL bytes, nb 64-byte
 * blocks in all, and r->marks its stage-1 marks (nb words). */
static cs_err prepare(cs__evread *r, const char *json, size_t len, size_t nb)
{
	if (nb * 64 > r->bufcap) {
		free_buf(r);
		r->buf = cs_malloc(nb * 64);
		r->marks = cs_malloc(nb * sizeof(uint64_t));
		if (!r->buf || !r->marks) {
			free_buf(r);
			return CS_ENOMEM;
		}
		r->bufcap = nb * 64;
	}
	/* the whole blocks are copied by the marks pass; the last bytes (under
	 * 64) and the padding are put in place first and marked where they are */
	size_t whole = len / 64, done = whole * 64;
	unsigned char *b = (unsigned char *)r->buf;
	if (len > done)
		memcpy(b + done, json + done, len - done);
	memset(b + len, 0, nb * 64 - len);
	if (whole)
		marks((const unsigned char *)json, b, whole, r->marks);
	marks(b + done, b + done, nb - whole, r->marks + whole);
	return CS_OK;
}

cs_err cs__evread_record(cs__evread *r, cs_arena *a, const char *json, size_t len,
			 bool *fallback, size_t *err_off)
{
	cs_err rc = CS_OK;
	scan s;
	/* at least 64 NUL bytes after the record: every look past the end
	 * (literals, key words, the marks' scan) stays in the buffer */
	size_t nb = len / 64 + 2;
	*fallback = false;
	*err_off = 0;
	cs__evread_clear(r);
	if (len > SIZE_MAX / 2)
		return CS_ENOMEM;
	if ((rc = prepare(r, json, len, nb)))
		return rc;
	memset(&s, 0, sizeof s);
	s.r = r;
	s.P = r->paths;
	s.a = a;
	s.buf = s.p = (const unsigned char *)r->buf;
	s.end = s.buf + len;
	s.json = json;
	s.m = r->marks;
	if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
		s.p += 3;
	s.p = ws(s.p);
	if (*s.p != '{') {
		/* empty, malformed or not an object: the full parser says which */
		*fallback = true;
		goto out;
	}
	if (value(&s, 0, 0)) {
		s.p = ws(s.p);
		if (s.p < s.end)
			(void)fail(&s, s.p, CS_ESYNTAX);
	}
	if (s.fallback) {
		cs__evread_clear(r);
		*fallback = true;
		goto out;
	}
	if (s.err) {
		cs__evread_clear(r);
		*err_off = (size_t)(s.err_at - s.buf);
		rc = s.err;
	}
out:
	if (r->bufcap > KEEP_BUF)
		free_buf(r);
	return rc;
}
