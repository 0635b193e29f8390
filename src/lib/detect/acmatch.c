/*
 * detect/acmatch.c - Aho-Corasick over case-folded bytes (see acmatch.h).
 *
 * Bytes are mapped to classes (one per distinct byte in the literals, plus
 * one for every other byte) so the full transition table stays small:
 * states x classes 32-bit entries.  Matches are reported through each
 * state's own ids and a link to the nearest suffix state that has ids.
 *
 * The scan is one dependent load per byte, so the table is laid out for
 * that chain: a transition holds the target's row offset (state x classes,
 * multiplied once at build time, not per byte), and the states are
 * renumbered so that those that report something come last: "the target
 * reports" is the offset compared with a bound, off the load chain.
 */
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AC_X86 1
#endif

#include "detect/detect_int.h"
#include "detect/acmatch.h"

#define AC_MAX_STATES (1u << 18) /* per automaton (< 2^31: transitions keep a flag bit) */
#define AC_NONE UINT32_MAX
#define AC_PRE_MAX 8 /* literals an automaton may have for the prefilter */

typedef struct acstate {
	uint32_t ids;   /* first id in the id chain, or AC_NONE */
	uint32_t dict;  /* nearest proper-suffix state with ids, or AC_NONE */
	uint32_t fail;
	uint32_t child; /* first trie edge (while adding), or AC_NONE */
} acstate;

typedef struct acedge {
	uint32_t to, next;
	uint8_t c;
} acedge;

typedef struct acid {
	uint32_t id, next;
} acid;

typedef struct acpre {
	uint8_t first, mid, last;
	size_t len;
} acpre;

typedef struct acout {
	uint32_t ids;   /* as in acstate */
	uint32_t dict;  /* as in acstate, as an index of out[] */
} acout;

struct cs__ac {
	uint8_t cls[256];   /* byte -> class (0: no literal uses it) */
	uint32_t nclass;
	acstate *st;
	size_t nst, capst;
	acedge *ed;         /* the trie's edges */
	size_t ned, caped;
	uint32_t *go;       /* after build: nst x nclass transitions, each the
			       target's row offset (renumbered state x nclass) */
	uint32_t outbase;   /* offsets >= this are of states that report */
	uint32_t nquiet;    /* states before the reporting ones (root first) */
	acout *out;         /* per reporting state (renumbered - nquiet) */
	acid *id;
	size_t nid, capid;
	size_t minlen;      /* the shortest literal's length */
	/* skipping at the root (Wu-Manber over a window of `win` bytes, the
	 * shortest literal's length up to 255, at least 2): for the classes
	 * a, b of the window's last two bytes, shift[a << sbits | b] is how
	 * many starting positions no literal can use */
	size_t win;
	unsigned sbits;     /* 2^sbits >= nclass */
	uint8_t *shift;
	/* the prefilter (see pre_avx2): each distinct literal's first,
	 * middle (n / 2) and last byte (OR 0x20) and length, the first AC_PRE_MAX of them;
	 * npre is 0 after build when there are more (nlit) or no AVX2 */
	acpre pre[AC_PRE_MAX];
	size_t nlit, npre;
	bool built;
};

static unsigned char fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static cs_err state_new(cs__ac *ac, uint32_t *out)
{
	if (ac->nst >= AC_MAX_STATES)
		return CS_ELIMIT;
	if (ac->nst == ac->capst) {
		size_t cap = ac->capst ? ac->capst * 2 : 64;
		acstate *ns = cs_realloc(ac->st, cap * sizeof(acstate));
		if (!ns)
			return CS_ENOMEM;
		ac->st = ns;
		ac->capst = cap;
	}
	ac->st[ac->nst] = (acstate){ AC_NONE, AC_NONE, 0, AC_NONE };
	*out = (uint32_t)ac->nst++;
	return CS_OK;
}

static uint32_t child_of(const cs__ac *ac, uint32_t s, unsigned char c)
{
	for (uint32_t e = ac->st[s].child; e != AC_NONE; e = ac->ed[e].next)
		if (ac->ed[e].c == c)
			return ac->ed[e].to;
	return AC_NONE;
}

cs__ac *cs__ac_new(void)
{
	uint32_t root;
	cs__ac *ac = cs_calloc(1, sizeof(*ac));
	if (ac && state_new(ac, &root) != CS_OK) {
		cs__ac_free(ac);
		ac = NULL;
	}
	return ac;
}

void cs__ac_free(cs__ac *ac)
{
	if (!ac)
		return;
	cs_free(ac->st);
	cs_free(ac->ed);
	cs_free(ac->go);
	cs_free(ac->out);
	cs_free(ac->id);
	cs_free(ac->shift);
	cs_free(ac);
}

cs_err cs__ac_add(cs__ac *ac, const char *lit, size_t n, uint32_t id)
{
	cs_err rc = CS_OK;
	uint32_t s = 0;
	if (ac->built || n == 0 || ac->nst + n > AC_MAX_STATES)
		return CS_ELIMIT;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = fold((unsigned char)lit[i]);
		uint32_t nx = child_of(ac, s, c);
		if (nx == AC_NONE) {
			if (ac->ned == ac->caped) {
				size_t cap = ac->caped ? ac->caped * 2 : 64;
				acedge *ne = cs_realloc(ac->ed, cap * sizeof(acedge));
				if (!ne)
					return CS_ENOMEM;
				ac->ed = ne;
				ac->caped = cap;
			}
			if ((rc = state_new(ac, &nx)))
				return rc;
			ac->ed[ac->ned] = (acedge){ nx, ac->st[s].child, c };
			ac->st[s].child = (uint32_t)ac->ned++;
		}
		s = nx;
	}
	if (ac->nid == ac->capid) {
		size_t cap = ac->capid ? ac->capid * 2 : 64;
		acid *ni = cs_realloc(ac->id, cap * sizeof(acid));
		if (!ni)
			return CS_ENOMEM;
		ac->id = ni;
		ac->capid = cap;
	}
	if (ac->st[s].ids == AC_NONE && ac->nlit++ < AC_PRE_MAX)
		ac->pre[ac->npre++] = (acpre){
			(uint8_t)(fold((unsigned char)lit[0]) | 0x20),
			(uint8_t)(fold((unsigned char)lit[n / 2]) | 0x20),
			(uint8_t)(fold((unsigned char)lit[n - 1]) | 0x20), n };
	ac->id[ac->nid] = (acid){ id, ac->st[s].ids };
	ac->st[s].ids = (uint32_t)ac->nid++;
	if (!ac->minlen || n < ac->minlen)
		ac->minlen = n;
	return CS_OK;
}

cs_err cs__ac_build(cs__ac *ac)
{
	cs_err rc = CS_OK;
	uint32_t *queue = NULL;
	if (ac->built)
		return CS_OK;
	/* byte classes: every byte some literal uses gets its own; upper-case
	 * letters read as their folded letter */
	ac->nclass = 1;
	memset(ac->cls, 0, sizeof ac->cls);
	for (size_t e = 0; e < ac->ned; e++)
		if (!ac->cls[ac->ed[e].c])
			ac->cls[ac->ed[e].c] = (uint8_t)ac->nclass++;
	for (unsigned c = 'A'; c <= 'Z'; c++)
		ac->cls[c] = ac->cls[c + 32];
	size_t nc = ac->nclass;
	queue = cs_calloc(ac->nst + 1, sizeof(uint32_t));
	ac->go = cs_calloc(ac->nst * nc + 1, sizeof(uint32_t));
	if (!queue || !ac->go) {
		rc = CS_ENOMEM;
		goto out;
	}
	/* breadth first: a state's row is its failure state's row with its own
	 * children put over it; a child's failure state is where the parent's
	 * failure row leads on the child's byte */
	/* per state: its depth and the class of the byte leading to it */
	uint32_t *depth = cs_calloc(ac->nst + 1, sizeof(uint32_t));
	uint8_t *inc = cs_calloc(ac->nst + 1, 1);
	ac->win = ac->minlen < 255 ? ac->minlen : 255;
	ac->sbits = 0;
	while (((size_t)1 << ac->sbits) < nc)
		ac->sbits++;
	size_t ns = (size_t)1 << (2 * ac->sbits);
	ac->shift = ac->win >= 2 ? cs_malloc(ns) : NULL;
	if (!depth || !inc || (ac->win >= 2 && !ac->shift)) {
		cs_free(depth);
		cs_free(inc);
		rc = CS_ENOMEM;
		goto out;
	}
	if (ac->shift)
		memset(ac->shift, (int)ac->win, ns);
	size_t qh = 0, qt = 0;
	queue[qt++] = 0;
	while (qh < qt) {
		uint32_t s = queue[qh++];
		/* every trie state is a prefix of some literal: an edge from
		 * depth d < win is a byte some literal has at position d.  A
		 * literal starting win - 1 - d positions into the window has
		 * its bytes d - 1 and d last in it: that bigram (any class
		 * before a literal's first byte) shifts at most that far */
		for (uint32_t e = ac->st[s].child; e != AC_NONE; e = ac->ed[e].next) {
			uint32_t to = ac->ed[e].to;
			size_t b = ac->cls[ac->ed[e].c];
			depth[to] = depth[s] + 1;
			inc[to] = (uint8_t)b;
			if (!ac->shift || depth[s] >= ac->win)
				continue;
			uint8_t sh = (uint8_t)(ac->win - 1 - depth[s]);
			for (size_t a = 0; a < nc; a++) {
				if (s != 0 && a != inc[s])
					continue;
				uint8_t *t = &ac->shift[a << ac->sbits | b];
				if (*t > sh)
					*t = sh;
			}
		}
		uint32_t *row = ac->go + (size_t)s * nc;
		if (s != 0) {
			uint32_t f = ac->st[s].fail;
			memcpy(row, ac->go + (size_t)f * nc, nc * sizeof(uint32_t));
			ac->st[s].dict = ac->st[f].ids != AC_NONE ? f : ac->st[f].dict;
		}
		for (uint32_t e = ac->st[s].child; e != AC_NONE; e = ac->ed[e].next) {
			uint32_t to = ac->ed[e].to;
			size_t c = ac->cls[ac->ed[e].c];
			ac->st[to].fail = s == 0 ? 0 : row[c];
			row[c] = to;
			queue[qt++] = to;
		}
	}
	cs_free(depth);
	cs_free(inc);
	/* renumber: the root and the other states that report nothing first
	 * (queue[] holds the new number), then those that report */
	uint32_t nq = 0, no = 0;
	for (size_t s = 0; s < ac->nst; s++)
		if (ac->st[s].ids == AC_NONE && ac->st[s].dict == AC_NONE)
			queue[s] = nq++;
	for (size_t s = 0; s < ac->nst; s++)
		if (ac->st[s].ids != AC_NONE || ac->st[s].dict != AC_NONE)
			queue[s] = nq + no++;
	ac->nquiet = nq;
	ac->outbase = (uint32_t)(nq * nc);
	ac->out = cs_calloc((size_t)no + 1, sizeof(acout));
	uint32_t *go = cs_calloc(ac->nst * nc + 1, sizeof(uint32_t));
	if (!ac->out || !go) {
		cs_free(go);
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t s = 0; s < ac->nst; s++) {
		uint32_t *to = go + (size_t)queue[s] * nc;
		const uint32_t *from = ac->go + s * nc;
		for (size_t c = 0; c < nc; c++)
			to[c] = (uint32_t)(queue[from[c]] * nc);
		if (queue[s] >= nq) {
			uint32_t d = ac->st[s].dict;
			/* (a dict state has ids: it is a reporting one) */
			ac->out[queue[s] - nq] = (acout){ ac->st[s].ids,
							  d == AC_NONE ? AC_NONE : queue[d] - nq };
		}
	}
	cs_free(ac->go);
	ac->go = go;
#ifdef AC_X86
	if (ac->nlit > AC_PRE_MAX || !__builtin_cpu_supports("avx2"))
		ac->npre = 0;
#else
	ac->npre = 0;
#endif
	ac->built = true;
out:
	cs_free(queue);
	return rc;
}

size_t cs__ac_minlen(const cs__ac *ac)
{
	return ac->minlen;
}

#ifdef AC_X86
/* The 32 bytes at p (OR 0x20) compared with c: 0xff where equal. */
__attribute__((target("avx2"))) static __m256i eqv(const unsigned char *p, __m256i c)
{
	const __m256i lc = _mm256_set1_epi8(0x20);
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
	return _mm256_cmpeq_epi8(_mm256_or_si256(v, lc), c);
}

/* eqv as a bit mask (bit j: byte j). */
__attribute__((target("avx2"))) static uint32_t eq32(const unsigned char *p, __m256i c)
{
	return (uint32_t)_mm256_movemask_epi8(eqv(p, c));
}

/* The prefilter for automata of few literals (n >= 32): the first start
 * position in s[0..n) where some literal's first, middle and last byte all
 * fit (OR 0x20 on both sides: ASCII letters folded, a few other pairs of
 * bytes taken as equal too; never a miss), n when there is none.  Every
 * occurrence starts at such a position, so the exact scan can start at the
 * first one (from the root), or be left out.  32 start positions per
 * step: the bytes at offset o of the literal at s + i + o; the last step
 * overlaps the one before it, so nothing is read past s + n.  With fewer
 * than 32 starts (m), offset o's bytes are read at s + o - d, d = min(o,
 * 32 - m) (in the value, and holding all m), start i's at bit i + d. */
__attribute__((target("avx2"))) static size_t pre_avx2(const cs__ac *ac,
							const unsigned char *s, size_t n)
{
	size_t best = n;
	for (size_t k = 0; k < ac->npre; k++) {
		const acpre *lp = &ac->pre[k];
		size_t len = lp->len, mid = len / 2;
		if (len > n)
			continue;
		size_t m = n - len + 1; /* start positions */
		__m256i f = _mm256_set1_epi8((char)lp->first), c2 = _mm256_set1_epi8((char)lp->mid),
			l = _mm256_set1_epi8((char)lp->last);
		if (m <= 32) {
			size_t r = 32 - m, dm = mid < r ? mid : r;
			uint32_t c = eq32(s, f) & (eq32(s + mid - dm, c2) >> dm) &
				     (eq32(s + n - 32, l) >> r);
			if (c && (size_t)__builtin_ctz(c) < best)
				best = (size_t)__builtin_ctz(c);
			continue;
		}
		for (size_t i = 0; i < best; i += 32) {
			if (i + 32 > m)
				i = m - 32;
			uint32_t c = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(
				_mm256_and_si256(eqv(s + i, f), eqv(s + i + len - 1, l)),
				eqv(s + i + mid, c2)));
			if (c) {
				if (i + (size_t)__builtin_ctz(c) < best)
					best = i + (size_t)__builtin_ctz(c);
				break;
			}
			if (i + 32 == m)
				break;
		}
	}
	return best;
}
#endif

void cs__ac_scan(const cs__ac *ac, const char *s, size_t n, cs__ac_fn fn, void *ud)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	const uint32_t *go = ac->go;
	const uint8_t *cls = ac->cls;
	const uint8_t *shift = ac->shift;
	size_t win = ac->win;
	unsigned sbits = ac->sbits;
	size_t q = 0, outbase = ac->outbase; /* (size_t: no widening in the chain) */
	/* (every literal has at least win bytes: a shorter value has none) */
	if (!ac->built || n == 0 || n < win)
		return;
	end = p + n;
#ifdef AC_X86
	/* (the exact scan from the root at the first candidate finds every
	 * occurrence, in the same order as from the start) */
	if (ac->npre && n >= 32) {
		size_t at = pre_avx2(ac, p, n);
		if (at == n)
			return;
		p += at;
	}
#endif
	/* the last position a window of win bytes starts at */
	const unsigned char *last = end - win;
	while (p < end) {
		/* at the root no match is under way, so one that starts in the
		 * next win bytes covers the last two of them (or the last, as
		 * its first byte): it can start only where some literal has
		 * that pair at the matching position, shift[] positions on at
		 * the earliest (most pairs of bytes of a user agent or an ARN
		 * are in none of their field's few literals).  Past `last`
		 * no literal fits any more. */
		if (q == 0 && shift) {
			size_t sh;
			while (p <= last &&
			       (sh = shift[(size_t)cls[p[win - 2]] << sbits | cls[p[win - 1]]]) != 0)
				p += sh;
			if (p > last)
				break;
		}
		q = go[q + cls[*p++]];
		if (q < outbase)
			continue;
		uint32_t k = (uint32_t)(q / ac->nclass) - ac->nquiet;
		if (ac->out[k].ids == AC_NONE)
			k = ac->out[k].dict;
		for (; k != AC_NONE; k = ac->out[k].dict)
			for (uint32_t j = ac->out[k].ids; j != AC_NONE; j = ac->id[j].next)
				fn(ud, ac->id[j].id);
	}
}

size_t cs__glob_literal(const char *pat, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)pat;
	size_t best = 0, best_at = 0, cur = 0, cur_at = 0, o = 0;
	for (size_t i = 0; i < n;) {
		bool wild = false;
		unsigned char lit = p[i];
		if (p[i] == (unsigned char)CS__GLOB_ESC && i + 1 < n) {
			wild = p[i + 1] == '*' || p[i + 1] == '?';
			lit = p[i + 1];
			i += 2;
		} else {
			i++;
		}
		if (wild) {
			cur = 0;
			continue;
		}
		if (cur == 0)
			cur_at = o;
		out[o++] = (char)lit;
		if (++cur > best) {
			best = cur;
			best_at = cur_at;
		}
	}
	memmove(out, out + best_at, best);
	return best;
}
