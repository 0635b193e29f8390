/*
 * evread_diff.h - the differential check shared by fuzz_evread.c and
 * tests/unit/test_detect_evread.c: the on-demand event reader
 * (detect/evread.c) against cs_json_parse plus the matcher's tree walk,
 * and against the reader as it was before its two-stage rewrite
 * (evread_ref.h).  For one record and a set of field paths: both accept or
 * both reject it, and when the reader does not leave the record to the
 * tree walk, every field has the same values (type, text, number) in the
 * same order; and on every stage-1 path (portable, SSE2, AVX2) the reader
 * gives exactly what the old reader gave: result, error offset, fallback,
 * values; and the list of fields found names exactly those with values.
 */
#ifndef CS_TEST_EVREAD_DIFF_H
#define CS_TEST_EVREAD_DIFF_H

#include <string.h>

/* json_int.h first: it may pull in intrinsics headers, which must come
 * before banned.h (through detect_int.h) */
#include "json/json_int.h"
#include "cshare/json.h"
#include "detect/detect_int.h"
#include "evread_ref.h"

/* The fields the differential tests use: plain keys, nested paths, a path
 * through arrays, a dotted key, an empty component. */
static const char *const evdiff_fields[] = {
	"a", "b", "a.b", "a.b.c", "c.d", "x.y.z", "n", "s", "e", "a.c", "", "b.", "k.l",
};
#define EVDIFF_NFIELDS (sizeof evdiff_fields / sizeof evdiff_fields[0])

typedef struct evdiff_walk {
	const cs__evread *er;
	uint32_t at;  /* next reader value to compare */
	int bad;
} evdiff_walk;

static bool evdiff_same(const cs__evval *e, const cs_value *v)
{
	cs_str t = CS_STR_LIT("");
	if (e->type != (uint8_t)cs_value_type(v))
		return false;
	if (!cs__scalar_text(v, &t))
		t = CS_STR_LIT("");
	if (e->len != t.len || (t.len && memcmp(e->ptr, t.ptr, t.len) != 0))
		return false;
	if (e->type == CS_VNUMBER) {
		double a = e->num, b = cs_value_num(v);
		if (!(a == b || (a != a && b != b)))
			return false;
	}
	return true;
}

static bool evdiff_cb(void *ud, const cs_value *v)
{
	evdiff_walk *w = ud;
	if (w->at == CS__EV_NONE || !evdiff_same(&w->er->vals[w->at], v)) {
		w->bad = 1;
		return false;
	}
	w->at = w->er->vals[w->at].next;
	return true;
}

/* Whether two value lists (from vals heads a and b) are the same. */
static bool evdiff_same_list(const cs__evval *va, uint32_t a, const cs__evval *vb, uint32_t b)
{
	for (; a != CS__EV_NONE && b != CS__EV_NONE; a = va[a].next, b = vb[b].next) {
		const cs__evval *x = &va[a], *y = &vb[b];
		if (x->type != y->type || x->len != y->len ||
		    (x->len && memcmp(x->ptr, y->ptr, x->len) != 0) ||
		    !(x->num == y->num || (x->num != x->num && y->num != y->num)))
			return false;
	}
	return a == CS__EV_NONE && b == CS__EV_NONE;
}

/* Whether er's list of found fields (er->found, what the matcher's index
 * passes walk) holds exactly the nf fields that have values, each once, in
 * the order of their first values. */
static bool evdiff_found_ok(const cs__evread *er, size_t nf)
{
	size_t with = 0;
	for (size_t f = 0; f < nf; f++)
		with += cs__evread_first(er, (uint32_t)f) != CS__EV_NONE;
	if (er->nfound != with)
		return false;
	for (uint32_t k = 0; k < er->nfound; k++) {
		uint32_t f = er->found[k];
		if (f >= nf || cs__evread_first(er, f) == CS__EV_NONE ||
		    (k && er->head[f] <= er->head[er->found[k - 1]]))
			return false;
	}
	return true;
}

/* 0 when the caller's reader er, which keeps what it learnt from earlier
 * records (the known keys), gives for json[0..len) on every stage-1 path
 * what the old reader gives (result, error offset, fallback, values); 4
 * when not, 3 out of memory. */
static int evdiff_warm(cs__evread *er, const char *const *fields, size_t nf, const char *json,
		       size_t len)
{
	int res = 0;
	ref_evpaths *R = NULL;
	ref_evread rr;
	bool rfb = false;
	size_t roff = 0;
	cs_arena *a = cs_arena_new(256u << 20), *b = cs_arena_new(256u << 20);
	memset(&rr, 0, sizeof rr);
	if (!a || !b || ref_evpaths_build(fields, nf, &R) != CS_OK ||
	    ref_evread_init(&rr, R) != CS_OK) {
		res = 3;
		goto out;
	}
	cs_err rrc = ref_evread_record(&rr, a, json, len, &rfb, &roff);
	static const int paths[] = { CS__EV_PATH_SCALAR, CS__EV_PATH_SSE2, CS__EV_PATH_AVX2 };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0] && !res; i++) {
		bool fb = false;
		size_t off = 0;
		if (!cs__evread_force_path(paths[i]))
			continue;
		cs_err rc = cs__evread_record(er, b, json, len, &fb, &off);
		if (rc == CS_ENOMEM || rrc == CS_ENOMEM)
			res = 3;
		else if (rc != rrc || fb != rfb || off != roff)
			res = 4;
		else if (rc == CS_OK && !fb && !evdiff_found_ok(er, nf))
			res = 4;
		for (size_t f = 0; f < nf && !res; f++)
			if (!evdiff_same_list(er->vals, cs__evread_first(er, (uint32_t)f), rr.vals,
					      rr.fgen[f] == rr.gen ? rr.head[f] : CS__EV_NONE))
				res = 4;
	}
	(void)cs__evread_force_path(CS__EV_PATH_AUTO);
out:
	if (R)
		ref_evread_release(&rr);
	ref_evpaths_free(R);
	cs_arena_free(a);
	cs_arena_free(b);
	return res;
}

/* 0 when a fresh reader on every stage-1 path gives what the old reader
 * gives for json[0..len) (result, error offset, fallback, values); 4 when
 * not, 3 out of memory. */
static int evdiff_vs_ref(const cs__evpaths *P, const char *const *fields, size_t nf,
			 const char *json, size_t len)
{
	cs__evread er;
	int res;
	if (cs__evread_init(&er, P) != CS_OK)
		return 3;
	res = evdiff_warm(&er, fields, nf, json, len);
	cs__evread_release(&er);
	return res;
}

/* 0 when the reader and the parser agree on json[0..len), and the reader
 * agrees with the old one on every path; otherwise a code (1 acceptance
 * differs, 2 values differ, 3 out of memory, 4 differs from the old
 * reader).  *fell_back (may be NULL) tells whether the reader left the
 * record to the tree walk. */
static int evdiff_check(const cs__evpaths *P, const char *const *fields, size_t nf,
			const char *json, size_t len, bool *fell_back)
{
	int res = 0;
	cs__evread er;
	cs_arena *a = cs_arena_new(256u << 20), *b = cs_arena_new(256u << 20);
	if (!a || !b || cs__evread_init(&er, P) != CS_OK) {
		cs_arena_free(a);
		cs_arena_free(b);
		return 3;
	}
	bool fb = false;
	size_t off = 0;
	cs_err rc = cs__evread_record(&er, a, json, len, &fb, &off);
	cs_diag_sink quiet = { 0 };
	const cs_value *root = NULL;
	cs_err prc = cs_json_parse(b, "t", json, len, NULL, &quiet, &root, NULL);
	if (rc == CS_ENOMEM || prc == CS_ENOMEM) {
		res = 3;
	} else if (fb) {
		/* left to the tree walk: a non-object root is the parser's to judge */
		if (prc == CS_OK && cs_value_type(root) == CS_VOBJECT && json[0] != '{' &&
		    json[0] != ' ' && json[0] != '\n' && json[0] != '\t' && json[0] != '\r' &&
		    json[0] != '\xef')
			res = 1;
	} else if ((rc == CS_OK) != (prc == CS_OK)) {
		res = 1;
	} else if (rc == CS_OK) {
		if (off > len)
			res = 1;
		for (size_t f = 0; f < nf && !res; f++) {
			evdiff_walk w = { &er, cs__evread_first(&er, (uint32_t)f), 0 };
			cs__event_values(root, fields[f], evdiff_cb, &w);
			if (w.bad || w.at != CS__EV_NONE)
				res = 2;
		}
		if (!res && !evdiff_found_ok(&er, nf))
			res = 2;
	} else if (off > len) {
		res = 1;
	}
	if (fell_back)
		*fell_back = fb;
	cs__evread_release(&er);
	cs_arena_free(a);
	cs_arena_free(b);
	if (!res)
		res = evdiff_vs_ref(P, fields, nf, json, len);
	return res;
}

#endif
