/*
 * detect/acmatch.c - Aho-Corasick over case-folded bytes (see acmatch.h).
 *
 * Bytes are mapped to classes (one per distinct byte in the literals, plus
 * one for every other byte) so the full transition table stays small:
 * states x classes 32-bit entries.  Matches are reported through each
 * state's own ids and a link to the nearest suffix state that has ids.
 */
#include <string.h>

#include "detect/detect_int.h"
#include "detect/acmatch.h"

#define AC_MAX_STATES (1u << 18) /* per automaton (< 2^31: transitions keep a flag bit) */
#define AC_NONE UINT32_MAX

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

struct cs__ac {
	uint8_t cls[256];   /* byte -> class (0: no literal uses it) */
	uint32_t nclass;
	acstate *st;
	size_t nst, capst;
	acedge *ed;         /* the trie's edges */
	size_t ned, caped;
	uint32_t *go;       /* after build: nst x nclass transitions */
	acid *id;
	size_t nid, capid;
	size_t minlen;      /* the shortest literal's length */
	/* skipping at the root (Horspool over a window of `win` bytes, the
	 * shortest literal's length up to 255): shift[c] for the window's
	 * last byte c is how many starting positions no literal can use */
	size_t win;
	uint8_t shift[256];
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
	cs_free(ac->id);
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
	uint32_t *depth = cs_calloc(ac->nst + 1, sizeof(uint32_t));
	uint32_t maxd[256];
	if (!depth) {
		rc = CS_ENOMEM;
		goto out;
	}
	ac->win = ac->minlen < 255 ? ac->minlen : 255;
	for (unsigned c = 0; c < 256; c++)
		maxd[c] = UINT32_MAX;
	size_t qh = 0, qt = 0;
	queue[qt++] = 0;
	while (qh < qt) {
		uint32_t s = queue[qh++];
		/* every trie state is a prefix of some literal: an edge from
		 * depth d < win is a byte some literal has at position d */
		for (uint32_t e = ac->st[s].child; e != AC_NONE; e = ac->ed[e].next) {
			depth[ac->ed[e].to] = depth[s] + 1;
			if (depth[s] < ac->win &&
			    (maxd[ac->ed[e].c] == UINT32_MAX || depth[s] > maxd[ac->ed[e].c]))
				maxd[ac->ed[e].c] = depth[s];
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
	for (unsigned c = 0; c < 256; c++) {
		unsigned f = (c >= 'A' && c <= 'Z') ? c + 32 : c; /* literals are folded */
		ac->shift[c] = (uint8_t)(maxd[f] == UINT32_MAX ? ac->win : ac->win - 1 - maxd[f]);
	}
	cs_free(depth);
	/* transitions carry whether the target reports anything (low bit), so
	 * the scan tests one bit per byte instead of two links */
	for (size_t i = 0; i < ac->nst * nc; i++) {
		uint32_t to = ac->go[i];
		ac->go[i] = (to << 1) | (ac->st[to].ids != AC_NONE || ac->st[to].dict != AC_NONE);
	}
	ac->built = true;
out:
	cs_free(queue);
	return rc;
}

void cs__ac_scan(const cs__ac *ac, const char *s, size_t n, cs__ac_fn fn, void *ud)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint32_t *go = ac->go;
	const uint8_t *cls = ac->cls;
	const acstate *st = ac->st;
	size_t nc = ac->nclass, win = ac->win;
	const uint8_t *shift = ac->shift;
	uint32_t q = 0;
	if (!ac->built)
		return;
	for (size_t i = 0; i < n; i++) {
		/* at the root no match is under way, so one that starts in the
		 * next win bytes covers the last of them, c: it can start only
		 * where some literal has c at the matching position, shift[c]
		 * positions on at the earliest (most bytes of a user agent or
		 * an ARN are in none of their field's few literals) */
		if (q == 0 && win) {
			size_t sh;
			while (n - i >= win && (sh = shift[p[i + win - 1]]) != 0)
				i += sh;
			if (i >= n)
				break;
		}
		uint32_t t = go[(size_t)q * nc + cls[p[i]]];
		q = t >> 1;
		if (!(t & 1))
			continue;
		for (uint32_t k = st[q].ids != AC_NONE ? q : st[q].dict; k != AC_NONE; k = st[k].dict)
			for (uint32_t j = st[k].ids; j != AC_NONE; j = ac->id[j].next)
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
