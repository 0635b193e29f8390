/*
 * evread_diff.h - the differential check shared by fuzz_evread.c and
 * tests/unit/test_detect_evread.c: the on-demand event reader
 * (detect/evread.c) against cs_json_parse plus the matcher's tree walk.
 * For one record and a set of field paths: both accept or both reject it,
 * and when the reader does not leave the record to the tree walk, every
 * field has the same values (type, text, number) in the same order.
 */
#ifndef CS_TEST_EVREAD_DIFF_H
#define CS_TEST_EVREAD_DIFF_H

#include <string.h>

#include "cshare/json.h"
#include "detect/detect_int.h"

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

/* 0 when the reader and the parser agree on json[0..len); otherwise a code
 * (1 acceptance differs, 2 values differ, 3 out of memory).  *fell_back
 * (may be NULL) tells whether the reader left the record to the tree walk. */
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
	} else if (off > len) {
		res = 1;
	}
	if (fell_back)
		*fell_back = fb;
	cs__evread_release(&er);
	cs_arena_free(a);
	cs_arena_free(b);
	return res;
}

#endif
