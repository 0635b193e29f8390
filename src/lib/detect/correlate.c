/*
 * detect/correlate.c - Sigma correlation rules over event time: per
 * correlation, groups (by the group-by values, through aliases), each with
 * the hits inside its time window.
 *
 * Windows (docs/detect.md):
 *  - A hit at time t sees the hits with t - timespan <= time <= t (both
 *    edges inside).
 *  - "At least" conditions (only gt/gte; temporal types without a
 *    condition) are checked after every hit over the sliding window; when
 *    met, the correlation fires once and the group starts afresh.
 *  - Every other condition (lt, lte, eq, neq, ranges; value_avg and
 *    value_percentile always) is checked when the group's window closes: a
 *    window opens at the group's first hit and closes when a hit of that
 *    group arrives more than `timespan` later, or at the end of the stream.
 *  - value_percentile: for each distinct value of the field in a closed
 *    window, its share of the window's hits in percent is compared (the
 *    specification's "1% of all processes" example); one alert per value.
 * Hits without a time use the last known event time.  Group fields missing
 * from an event count as the empty value.
 *
 * Expiry (memory that does not grow with the input): the matcher tells the
 * state the latest event time seen (the watermark W, cs__corr_advance).
 * Input may be out of order by up to `lateness` (default 1 hour); a hit of
 * a detection rule is assumed to have a time >= W - lateness.  Then a
 * correlation's hits have times >= W - lag(C), lag(detection) = lateness,
 * lag(C) = timespan + lag_in (sliding types) or timespan + 2 lag_in
 * (windows judged at close), lag_in the largest lag of its references.
 * A group whose every future hit would find its window over (sliding: all
 * kept hits older than timespan; closing types: the window closed) is
 * judged now if it is a closing type, and freed.  That is exactly what its
 * next hit would have done, so alerts are the same as without expiry for
 * input within the lateness; only the moment a closing window's alert
 * comes out moves (at the event that moves W past the window, instead of
 * the group's next hit or the end of the stream).  A hit later than the
 * lateness finds its group gone and starts a new one.  Deadlines sit in a
 * min-heap per correlation (re-keyed lazily when popped); correlations are
 * swept in chain order (referenced ones first), so a chained hit produced
 * by a sweep reaches its parent before the parent is swept.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"

#define MAX_ENTRIES 10000  /* hits kept per group (oldest dropped beyond) */
#define MAX_GROUPS 100000  /* live groups per correlation (new groups ignored beyond) */
#define DEFAULT_LATENESS_MS (3600 * 1000LL)

typedef struct entry {
	int64_t t;
	uint32_t pos; /* position in the correlation's rule list */
	char *val;    /* field text (value_* types), owned, or NULL */
	double num;
	bool has_num;
	char *ref;    /* owned "file@offset" */
} entry;

typedef struct group {
	char *key;
	size_t klen;
	uint64_t hash;
	char **gv; /* ngroup values, owned */
	entry *e;
	size_t n, cap;
	int64_t start;
	int64_t dl;   /* deadline key in the heap (may be stale low, see expiry) */
	uint64_t seq; /* creation order (ties in the heap) */
	struct group *prev, *next; /* live groups in creation order */
	/* the last contributing event, copied (alerts may come after it) */
	cs_event ev;
	char *json, *file, *product, *service;
} group;

typedef struct corr_rt {
	group **tab;      /* open addressing by key hash, linear probing */
	size_t tcap, ng;  /* slots (power of two) and live groups */
	group *first, *last;
	group **hp;       /* min-heap on (dl, seq) */
	size_t nh, caph;
	int64_t lag_in;   /* lateness of this correlation's incoming hits */
	int64_t lag_out;  /* lateness of the hits it produces */
	uint32_t depth;   /* chain depth (1 = only detection rules) */
	bool eager;
} corr_rt;

struct cs__corrstate {
	const cs_ruleset *rs;
	corr_rt *rt; /* per rule (used for correlations only) */
	uint32_t *order; /* correlation rules by chain depth */
	size_t norder;
	uint64_t dropped; /* hits not kept: group limit reached */
	uint64_t seq;
	int64_t wm;       /* latest event time seen */
	bool have_wm;
	int64_t lateness;
	int64_t lb;       /* no heap's top has a deadline below this (a new
			     group lowers it to INT64_MIN): an advance to no
			     later than lb has nothing to judge */
};

uint64_t cs__corr_dropped(const cs__corrstate *cs)
{
	return cs->dropped;
}

static char *dupn(const char *s, size_t n)
{
	char *d = cs_malloc(n + 1);
	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static char *dups(const char *s)
{
	return s ? dupn(s, strlen(s)) : NULL;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static bool eager_kind(const cs__corr *c)
{
	if (c->type == CS__C_VALUE_AVG || c->type == CS__C_VALUE_PERCENTILE)
		return false;
	for (int i = 0; i < 2; i++)
		if (c->cmp[i] && c->cmp[i] != CS__CMP_GT && c->cmp[i] != CS__CMP_GTE)
			return false;
	return true;
}

/* Chain depth and lags of correlation r (memoized in rt; chains are at
 * most 33 deep and acyclic, see rule.c). */
static void lags(cs__corrstate *cs, uint32_t r, int level)
{
	corr_rt *rt = &cs->rt[r];
	const cs__corr *c = cs->rs->rules[r].corr;
	if (rt->depth || level > 64)
		return;
	int64_t in = cs->lateness;
	uint32_t d = 1;
	for (size_t k = 0; k < c->nrefs; k++) {
		uint32_t x = c->refs[k];
		if (cs->rs->rules[x].kind != CS__R_CORRELATION)
			continue;
		lags(cs, x, level + 1);
		if (cs->rt[x].lag_out > in)
			in = cs->rt[x].lag_out;
		if (cs->rt[x].depth + 1 > d)
			d = cs->rt[x].depth + 1;
	}
	rt->lag_in = in;
	rt->lag_out = sat_add(c->timespan_ms, rt->eager ? in : sat_add(in, in));
	rt->depth = d;
}

static void compute_lags(cs__corrstate *cs)
{
	for (size_t i = 0; i < cs->norder; i++)
		cs->rt[cs->order[i]].depth = 0;
	for (size_t i = 0; i < cs->norder; i++)
		lags(cs, cs->order[i], 0);
	/* insertion sort by depth, stable (rule order within a depth) */
	for (size_t i = 1; i < cs->norder; i++) {
		uint32_t x = cs->order[i];
		size_t j = i;
		while (j > 0 && cs->rt[cs->order[j - 1]].depth > cs->rt[x].depth) {
			cs->order[j] = cs->order[j - 1];
			j--;
		}
		cs->order[j] = x;
	}
}

cs__corrstate *cs__corr_new(const cs_ruleset *rs)
{
	cs__corrstate *cs = cs_calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->rs = rs;
	cs->lateness = DEFAULT_LATENESS_MS;
	cs->rt = cs_calloc(rs->nrules + 1, sizeof(corr_rt));
	cs->order = cs_calloc(rs->nrules + 1, sizeof(uint32_t));
	cs->lb = INT64_MIN;
	if (!cs->rt || !cs->order) {
		cs_free(cs->rt);
		cs_free(cs->order);
		cs_free(cs);
		return NULL;
	}
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].kind == CS__R_CORRELATION) {
			cs->rt[i].eager = eager_kind(rs->rules[i].corr);
			cs->order[cs->norder++] = (uint32_t)i;
		}
	compute_lags(cs);
	return cs;
}

void cs__corr_set_lateness(cs__corrstate *cs, int64_t ms)
{
	cs->lateness = ms < 0 ? 0 : ms;
	compute_lags(cs);
}

static void entry_release(entry *e)
{
	cs_free(e->val);
	cs_free(e->ref);
}

static void group_clear(group *g)
{
	for (size_t i = 0; i < g->n; i++)
		entry_release(&g->e[i]);
	g->n = 0;
}

static void group_free(group *g, size_t ngv)
{
	group_clear(g);
	for (size_t k = 0; k < ngv; k++)
		cs_free(g->gv[k]);
	cs_free(g->gv);
	cs_free(g->e);
	cs_free(g->key);
	cs_free(g->json);
	cs_free(g->file);
	cs_free(g->product);
	cs_free(g->service);
	cs_free(g);
}

void cs__corr_free(cs__corrstate *cs)
{
	if (!cs)
		return;
	for (size_t r = 0; r < cs->rs->nrules; r++) {
		corr_rt *rt = &cs->rt[r];
		size_t ngv = cs->rs->rules[r].corr ? cs->rs->rules[r].corr->ngroup : 0;
		for (group *g = rt->first, *nx; g; g = nx) {
			nx = g->next;
			group_free(g, ngv);
		}
		cs_free(rt->tab);
		cs_free(rt->hp);
	}
	cs_free(cs->rt);
	cs_free(cs->order);
	cs_free(cs);
}

/* ---- the group table (keys -> live groups) and the deadline heap ------------ */

static uint64_t key_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static group *tab_find(const corr_rt *rt, const char *k, size_t n, uint64_t h)
{
	if (!rt->tcap)
		return NULL;
	size_t mask = rt->tcap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		group *g = rt->tab[i];
		if (!g)
			return NULL;
		if (g->hash == h && g->klen == n && memcmp(g->key, k, n) == 0)
			return g;
	}
}

static void tab_insert(corr_rt *rt, group *g)
{
	size_t mask = rt->tcap - 1, i = (size_t)g->hash & mask;
	while (rt->tab[i])
		i = (i + 1) & mask;
	rt->tab[i] = g;
}

/* Room for one more group (load at most one half). */
static cs_err tab_reserve(corr_rt *rt)
{
	if ((rt->ng + 1) * 2 <= rt->tcap)
		return CS_OK;
	size_t nc = rt->tcap ? rt->tcap * 2 : 64;
	group **nt = cs_calloc(nc, sizeof(group *));
	if (!nt)
		return CS_ENOMEM;
	group **old = rt->tab;
	size_t oc = rt->tcap;
	rt->tab = nt;
	rt->tcap = nc;
	for (size_t i = 0; i < oc; i++)
		if (old[i])
			tab_insert(rt, old[i]);
	cs_free(old);
	return CS_OK;
}

/* Removes g (backward-shift deletion keeps probe chains whole). */
static void tab_remove(corr_rt *rt, const group *g)
{
	size_t mask = rt->tcap - 1, i = (size_t)g->hash & mask;
	while (rt->tab[i] != g)
		i = (i + 1) & mask;
	rt->tab[i] = NULL;
	for (size_t j = (i + 1) & mask; rt->tab[j]; j = (j + 1) & mask) {
		size_t home = (size_t)rt->tab[j]->hash & mask;
		/* can tab[j] move to the hole at i? (home not in (i, j]) */
		bool stay = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stay) {
			rt->tab[i] = rt->tab[j];
			rt->tab[j] = NULL;
			i = j;
		}
	}
}

static bool hp_less(const group *a, const group *b)
{
	return a->dl < b->dl || (a->dl == b->dl && a->seq < b->seq);
}

static void hp_down(corr_rt *rt, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < rt->nh && hp_less(rt->hp[l], rt->hp[m]))
			m = l;
		if (l + 1 < rt->nh && hp_less(rt->hp[l + 1], rt->hp[m]))
			m = l + 1;
		if (m == i)
			return;
		group *t = rt->hp[i];
		rt->hp[i] = rt->hp[m];
		rt->hp[m] = t;
		i = m;
	}
}

static cs_err hp_push(corr_rt *rt, group *g)
{
	if (rt->nh == rt->caph) {
		size_t nc = rt->caph ? rt->caph * 2 : 64;
		group **n = cs_realloc(rt->hp, nc * sizeof(group *));
		if (!n)
			return CS_ENOMEM;
		rt->hp = n;
		rt->caph = nc;
	}
	size_t i = rt->nh++;
	rt->hp[i] = g;
	while (i > 0 && hp_less(rt->hp[i], rt->hp[(i - 1) / 2])) {
		group *t = rt->hp[i];
		rt->hp[i] = rt->hp[(i - 1) / 2];
		rt->hp[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return CS_OK;
}

/* The time after which no hit can reach g's window any more (INT64_MIN
 * when the group holds nothing). */
static int64_t deadline(const corr_rt *rt, const cs__corr *c, const group *g)
{
	if (g->n == 0)
		return INT64_MIN;
	int64_t ref = g->start;
	if (rt->eager) {
		ref = g->e[0].t;
		for (size_t i = 1; i < g->n; i++)
			if (g->e[i].t > ref)
				ref = g->e[i].t;
	}
	return sat_add(sat_add(ref, c->timespan_ms), rt->lag_in);
}

/* Unlinks and frees a live group (it must be out of the heap). */
static void group_drop(corr_rt *rt, group *g, size_t ngv)
{
	tab_remove(rt, g);
	rt->ng--;
	if (g->prev)
		g->prev->next = g->next;
	else
		rt->first = g->next;
	if (g->next)
		g->next->prev = g->prev;
	else
		rt->last = g->prev;
	group_free(g, ngv);
}

/* ---- reading hit fields --------------------------------------------------- */

typedef struct fv {
	const cs_value *v;
} fv;

static bool take_first(void *ud, const cs_value *v)
{
	((fv *)ud)->v = v;
	return false;
}

/* The text of a field of a hit (event field, or a captured or chained
 * group field); *isnum and *num say whether it is a JSON number. */
static bool hit_field(const cs__hit *h, const char *name, cs_str *out, bool *isnum, double *num)
{
	*isnum = false;
	*num = 0;
	if (h->er) {
		/* the reader's first value of the field is the tree walk's
		 * (evread.h); the name is one of the rule set's fields
		 * (cs__corr_fields) */
		void *ix = cs__strmap_get(&h->rs->field_ix, name, strlen(name), NULL);
		uint32_t first = ix ? cs__evread_first(h->er, (uint32_t)((uintptr_t)ix - 1))
				    : CS__EV_NONE;
		if (first == CS__EV_NONE)
			return false;
		const cs__evval *v = &h->er->vals[first];
		if (v->type == CS_VNULL || v->type == CS_VOBJECT || v->type == CS_VARRAY)
			return false;
		*out = (cs_str){ v->ptr, v->len };
		if (v->type == CS_VNUMBER) {
			*isnum = true;
			*num = v->num;
		}
		return true;
	}
	if (h->event) {
		fv f = { NULL };
		cs__event_values(h->event, name, take_first, &f);
		if (!f.v || cs_value_type(f.v) == CS_VNULL || cs_value_type(f.v) == CS_VOBJECT ||
		    cs_value_type(f.v) == CS_VARRAY)
			return false;
		*out = cs__det_text(f.v);
		if (cs_value_type(f.v) == CS_VNUMBER) {
			*isnum = true;
			*num = cs_value_num(f.v);
		}
		return true;
	}
	for (size_t i = 0; i < h->ngroup; i++)
		if (strcmp(h->gfields[i], name) == 0) {
			*out = cs_str_c(h->gvalues[i]);
			if (h->gnum && h->gisnum[i]) {
				*isnum = true;
				*num = h->gnum[i];
			}
			return true;
		}
	return false;
}

/* The field names the correlations referencing detection rule `rule` read
 * from its hits (group-by fields through aliases and mappings, `field`),
 * each given to fn; duplicates possible. */
static bool hit_names(const cs_ruleset *rs, uint32_t rule, bool (*fn)(void *, const char *),
		      void *ud)
{
	const cs__rule *r = &rs->rules[rule];
	for (size_t p = 0; p < r->nparents; p++) {
		const cs__rule *cr = &rs->rules[r->parents[p]];
		if (cr->kind != CS__R_CORRELATION)
			continue;
		const cs__corr *c = cr->corr;
		for (size_t k = 0; k < c->nrefs; k++) {
			if (c->refs[k] != rule)
				continue;
			for (size_t i = 0; i < c->ngroup; i++) {
				const char *f = c->alias_field[i * c->nrefs + k];
				if (!f)
					f = cs__fieldmap_apply(rs, r->product, r->service, c->group_by[i]);
				if (!fn(ud, f))
					return false;
			}
			if (c->field &&
			    !fn(ud, cs__fieldmap_apply(rs, r->product, r->service, c->field)))
				return false;
		}
	}
	return true;
}

typedef struct capture {
	const cs__hit *src;
	cs_buf *out;
	uint32_t n;
	cs_err rc;
} capture;

static bool capture_one(void *ud, const char *name)
{
	capture *c = ud;
	cs_str s;
	bool isnum;
	double num;
	if (!hit_field(c->src, name, &s, &isnum, &num))
		return true;
	uint8_t kind = isnum ? 2 : 1;
	uint64_t len = s.len;
	c->rc = cs_buf_append(c->out, &name, sizeof name);
	if (!c->rc)
		c->rc = cs_buf_append(c->out, &kind, 1);
	if (!c->rc)
		c->rc = cs_buf_append(c->out, &num, sizeof num);
	if (!c->rc)
		c->rc = cs_buf_append(c->out, &len, sizeof len);
	if (!c->rc && s.len)
		c->rc = cs_buf_append(c->out, s.ptr, s.len);
	c->n++;
	return c->rc == CS_OK;
}

cs_err cs__corr_capture(const cs_ruleset *rs, uint32_t rule, const cs__hit *src, cs_buf *out,
			uint32_t *n)
{
	capture c = { src, out, 0, CS_OK };
	(void)hit_names(rs, rule, capture_one, &c);
	*n = c.n;
	return c.rc;
}

cs_err cs__corr_fields(cs_ruleset *rs)
{
	cs_err rc = CS_OK;
	/* the names hit_names() gives, for every live correlation and every
	 * rule it references (rs->rules[].parents is not built yet) */
	for (size_t ci = 0; ci < rs->nrules && !rc; ci++) {
		const cs__rule *cr = &rs->rules[ci];
		if (cr->kind != CS__R_CORRELATION)
			continue;
		const cs__corr *c = cr->corr;
		for (size_t k = 0; k < c->nrefs && !rc; k++) {
			const cs__rule *r = &rs->rules[c->refs[k]];
			uint32_t ix;
			for (size_t i = 0; i < c->ngroup && !rc; i++) {
				const char *f = c->alias_field[i * c->nrefs + k];
				if (!f)
					f = cs__fieldmap_apply(rs, r->product, r->service, c->group_by[i]);
				rc = cs__field_intern(rs, f, &ix);
			}
			if (!rc && c->field)
				rc = cs__field_intern(rs, cs__fieldmap_apply(rs, r->product, r->service,
									     c->field),
						      &ix);
		}
	}
	return rc;
}

/* ---- metrics -------------------------------------------------------------- */

static bool cmp_ok(const cs__corr *c, double x)
{
	bool any = false;
	for (int i = 0; i < 2; i++) {
		if (!c->cmp[i])
			continue;
		any = true;
		double v = c->cmpv[i];
		bool ok = false;
		switch (c->cmp[i]) {
		case CS__CMP_GT: ok = x > v; break;
		case CS__CMP_GTE: ok = x >= v; break;
		case CS__CMP_LT: ok = x < v; break;
		case CS__CMP_LTE: ok = x <= v; break;
		case CS__CMP_EQ: ok = x == v; break;
		case CS__CMP_NEQ: ok = x != v; break;
		default: break;
		}
		if (!ok)
			return false;
	}
	/* temporal types without a condition: every referenced rule */
	return any || x >= (double)c->nrefs;
}

static int cmp_valp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The field values of the group's hits, sorted (heap; NULL when none or
 * out of memory, *n = 0 then). */
static const char **sorted_vals(const group *g, size_t *n)
{
	const char **v = cs_calloc(g->n + 1, sizeof(char *));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < g->n; i++)
		if (g->e[i].val)
			v[(*n)++] = g->e[i].val;
	if (*n > 1)
		qsort(v, *n, sizeof(char *), cmp_valp);
	return v;
}

static size_t distinct_vals(const group *g)
{
	size_t n, d = 0;
	const char **v = sorted_vals(g, &n);
	for (size_t i = 0; i < n; i++)
		d += i == 0 || strcmp(v[i - 1], v[i]) != 0;
	cs_free(v);
	return d;
}

/* temporal_ordered: how many of the rules, in order, the hits show (each
 * one after the previous). */
static size_t ordered_prefix(const group *g, size_t nrefs)
{
	size_t k = 0;
	for (size_t i = 0; i < g->n && k < nrefs; i++)
		if (g->e[i].pos == k)
			k++;
	return k;
}

static double metric(const cs__corr *c, const group *g)
{
	switch (c->type) {
	case CS__C_EVENT_COUNT:
		return (double)g->n;
	case CS__C_VALUE_COUNT:
		return (double)distinct_vals(g);
	case CS__C_TEMPORAL: {
		size_t n = 0;
		for (size_t p = 0; p < c->nrefs; p++) {
			bool seen = false;
			for (size_t i = 0; i < g->n && !seen; i++)
				seen = g->e[i].pos == p;
			n += seen;
		}
		return (double)n;
	}
	case CS__C_TEMPORAL_ORDERED:
		return (double)ordered_prefix(g, c->nrefs);
	case CS__C_VALUE_SUM:
	case CS__C_VALUE_AVG: {
		double s = 0;
		size_t n = 0;
		for (size_t i = 0; i < g->n; i++)
			if (g->e[i].has_num) {
				s += g->e[i].num;
				n++;
			}
		if (c->type == CS__C_VALUE_AVG)
			return n ? s / (double)n : 0;
		return s;
	}
	default:
		return 0;
	}
}

/* ---- firing --------------------------------------------------------------- */

static cs_err fire(cs__corrstate *cs, uint32_t rule, group *g, const char *extra,
		   cs__corr_alert_fn fn, void *ud)
{
	cs_err rc = CS_OK;
	const cs__corr *c = cs->rs->rules[rule].corr;
	const char **contrib = cs_calloc(g->n + 1, sizeof(char *));
	cs_buf key;
	cs_buf_init(&key, 1u << 20);
	if (!contrib) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->n; i++)
		contrib[i] = g->e[i].ref;
	rc = cs_buf_puts(&key, g->key);
	if (!rc && extra)
		rc = cs_buf_printf(&key, "%s%s", key.len ? "," : "", extra);
	if (rc)
		goto out;
	cs__hit last = { rule, g->n ? g->e[g->n - 1].t : 0, NULL, NULL, NULL, 0,
			 g->n ? g->e[g->n - 1].ref : "-", &g->ev, NULL, NULL, NULL, NULL };
	fn(ud, rule, &last, key.data ? key.data : "", contrib, g->n, c->group_by,
	   (const char *const *)g->gv, c->ngroup);
out:
	cs_free(contrib);
	cs_buf_release(&key);
	return rc;
}

/* Evaluates a closed window (or the sliding one) and fires if met. */
static cs_err check(cs__corrstate *cs, uint32_t rule, group *g, cs__corr_alert_fn fn, void *ud,
		    bool *fired)
{
	cs_err rc = CS_OK;
	const cs__corr *c = cs->rs->rules[rule].corr;
	*fired = false;
	if (g->n == 0)
		return CS_OK;
	if (c->type != CS__C_VALUE_PERCENTILE) {
		if (cmp_ok(c, metric(c, g))) {
			*fired = true;
			rc = fire(cs, rule, g, NULL, fn, ud);
		}
		return rc;
	}
	/* each distinct value's share of the hits, in sorted order */
	size_t total;
	const char **v = sorted_vals(g, &total);
	if (!v)
		return CS_ENOMEM;
	for (size_t i = 0; i < total && !rc;) {
		size_t j = i;
		while (j < total && strcmp(v[j], v[i]) == 0)
			j++;
		if (cmp_ok(c, 100.0 * (double)(j - i) / (double)total)) {
			cs_buf x;
			cs_buf_init(&x, 1u << 20);
			rc = cs_buf_printf(&x, "%s=%s", c->field, v[i]);
			if (!rc)
				rc = fire(cs, rule, g, x.data, fn, ud);
			cs_buf_release(&x);
			*fired = true;
		}
		i = j;
	}
	cs_free(v);
	return rc;
}

static cs_err snapshot(group *g, const cs_event *ev)
{
	if (!ev)
		return CS_OK;
	cs_free(g->json);
	cs_free(g->file);
	cs_free(g->product);
	cs_free(g->service);
	g->json = dupn(ev->json ? ev->json : "", ev->json ? ev->len : 0);
	g->file = dups(ev->file);
	g->product = dups(ev->product);
	g->service = dups(ev->service);
	g->ev = *ev;
	g->ev.json = g->json;
	g->ev.file = g->file;
	g->ev.product = g->product;
	g->ev.service = g->service;
	if (!g->json || (ev->file && !g->file) || (ev->product && !g->product) ||
	    (ev->service && !g->service))
		return CS_ENOMEM;
	return CS_OK;
}

static cs_err group_get(cs__corrstate *cs, uint32_t rule, const cs__hit *h, size_t pos,
			group **out)
{
	cs_err rc = CS_OK;
	const cs__corr *c = cs->rs->rules[rule].corr;
	corr_rt *rt = &cs->rt[rule];
	cs_buf key;
	char **gv = cs_calloc(c->ngroup + 1, sizeof(char *));
	cs_buf_init(&key, 1u << 20);
	*out = NULL;
	if (!gv)
		return CS_ENOMEM;
	for (size_t i = 0; i < c->ngroup && !rc; i++) {
		const char *f = c->alias_field[i * c->nrefs + pos];
		cs_str s = CS_STR_LIT("");
		bool isnum;
		double num;
		if (!f)
			f = cs__fieldmap_apply(cs->rs, cs->rs->rules[h->rule].product,
					       cs->rs->rules[h->rule].service, c->group_by[i]);
		(void)hit_field(h, f, &s, &isnum, &num);
		gv[i] = dupn(s.ptr, s.len);
		if (!gv[i])
			rc = CS_ENOMEM;
		/* "%s%s=%s" by hand: printf's machinery was a third of a hit */
		if (!rc && i)
			rc = cs_buf_puts(&key, ",");
		if (!rc)
			rc = cs_buf_puts(&key, c->group_by[i]);
		if (!rc)
			rc = cs_buf_puts(&key, "=");
		if (!rc)
			rc = cs_buf_puts(&key, gv[i]);
	}
	if (rc)
		goto out;
	const char *k = key.data ? key.data : "";
	uint64_t hash = key_hash(k, key.len);
	group *g = tab_find(rt, k, key.len, hash);
	if (g) {
		*out = g;
		goto out;
	}
	if (rt->ng >= MAX_GROUPS) {
		cs->dropped++;
		goto out;
	}
	rc = tab_reserve(rt);
	if (rc)
		goto out;
	g = cs_calloc(1, sizeof(*g));
	if (!g || !(g->key = dupn(k, key.len))) {
		cs_free(g);
		rc = CS_ENOMEM;
		goto out;
	}
	g->klen = key.len;
	g->hash = hash;
	g->seq = cs->seq++;
	g->dl = INT64_MIN; /* keyed for real when it first leaves the heap's top */
	cs->lb = INT64_MIN;
	rc = hp_push(rt, g);
	if (rc) {
		cs_free(g->key);
		cs_free(g);
		goto out;
	}
	g->gv = gv;
	gv = NULL;
	tab_insert(rt, g);
	rt->ng++;
	g->prev = rt->last;
	if (rt->last)
		rt->last->next = g;
	else
		rt->first = g;
	rt->last = g;
	*out = g;
out:
	if (gv) {
		for (size_t i = 0; i < c->ngroup; i++)
			cs_free(gv[i]);
		cs_free(gv);
	}
	cs_buf_release(&key);
	return rc;
}

static cs_err add_entry(const cs__corrstate *cs, group *g, const cs__corr *c, const cs__hit *h,
			size_t pos)
{
	if (g->n == MAX_ENTRIES) {
		entry_release(&g->e[0]);
		memmove(g->e, g->e + 1, (g->n - 1) * sizeof(entry));
		g->n--;
	}
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 8;
		entry *ne = cs_realloc(g->e, nc * sizeof(entry));
		if (!ne)
			return CS_ENOMEM;
		g->e = ne;
		g->cap = nc;
	}
	entry *e = &g->e[g->n];
	memset(e, 0, sizeof(*e));
	e->t = h->time_ms;
	e->pos = (uint32_t)pos;
	e->ref = dups(h->ref ? h->ref : "-");
	if (!e->ref)
		return CS_ENOMEM;
	if (c->field) {
		cs_str s;
		bool isnum;
		double num;
		const cs__rule *hr = &cs->rs->rules[h->rule];
		const char *name = cs__fieldmap_apply(cs->rs, hr->product, hr->service, c->field);
		if (hit_field(h, name, &s, &isnum, &num)) {
			e->val = dupn(s.ptr, s.len);
			if (!e->val) {
				cs_free(e->ref);
				return CS_ENOMEM;
			}
			if (isnum) {
				e->num = num;
				e->has_num = true;
			} else if (s.len && s.len < 64) {
				char tmp[64], *end = NULL;
				memcpy(tmp, s.ptr, s.len);
				tmp[s.len] = '\0';
				e->num = strtod(tmp, &end);
				e->has_num = end && *end == '\0';
			}
		}
		/* value types ignore hits without the field */
		bool need_num = c->type == CS__C_VALUE_SUM || c->type == CS__C_VALUE_AVG;
		if (!e->val || (need_num && !e->has_num)) {
			entry_release(e);
			return CS_OK;
		}
	}
	g->n++;
	return CS_OK;
}

static cs_err feed_one(cs__corrstate *cs, uint32_t rule, const cs__hit *h, size_t pos,
		       cs__corr_alert_fn fn, void *ud)
{
	cs_err rc = CS_OK;
	const cs__corr *c = cs->rs->rules[rule].corr;
	group *g;
	bool fired = false;
	rc = group_get(cs, rule, h, pos, &g);
	if (rc || !g)
		return rc;
	if (cs->rt[rule].eager) {
		/* slide: drop hits older than t - timespan */
		size_t keep = 0;
		for (size_t i = 0; i < g->n; i++) {
			if (h->time_ms - g->e[i].t > c->timespan_ms)
				entry_release(&g->e[i]);
			else
				g->e[keep++] = g->e[i];
		}
		g->n = keep;
		rc = add_entry(cs, g, c, h, pos);
		if (!rc)
			rc = snapshot(g, h->ev);
		if (!rc)
			rc = check(cs, rule, g, fn, ud, &fired);
		if (fired)
			group_clear(g);
		return rc;
	}
	if (g->n && h->time_ms - g->start > c->timespan_ms) {
		rc = check(cs, rule, g, fn, ud, &fired);
		group_clear(g);
	}
	if (!rc && g->n == 0)
		g->start = h->time_ms;
	if (!rc)
		rc = add_entry(cs, g, c, h, pos);
	if (!rc)
		rc = snapshot(g, h->ev);
	return rc;
}

cs_err cs__corr_feed(cs__corrstate *cs, const cs__hit *h, cs__corr_alert_fn fn, void *ud)
{
	cs_err rc = CS_OK;
	const cs__rule *r = &cs->rs->rules[h->rule];
	for (size_t p = 0; p < r->nparents && !rc; p++) {
		uint32_t cr = r->parents[p];
		const cs__rule *crr = &cs->rs->rules[cr];
		if (crr->kind != CS__R_CORRELATION)
			continue;
		for (size_t k = 0; k < crr->corr->nrefs && !rc; k++)
			if (crr->corr->refs[k] == h->rule)
				rc = feed_one(cs, cr, h, k, fn, ud);
	}
	return rc;
}

/* Judges (closing types) and frees the groups of correlation r that no
 * hit can reach any more. */
static cs_err sweep(cs__corrstate *cs, uint32_t r, cs__corr_alert_fn fn, void *ud)
{
	cs_err rc = CS_OK;
	corr_rt *rt = &cs->rt[r];
	const cs__corr *c = cs->rs->rules[r].corr;
	while (rt->nh && rt->hp[0]->dl < cs->wm && !rc) {
		group *g = rt->hp[0];
		int64_t d = deadline(rt, c, g);
		if (d >= cs->wm) {
			g->dl = d;
			hp_down(rt, 0);
			continue;
		}
		rt->hp[0] = rt->hp[--rt->nh];
		hp_down(rt, 0);
		if (!rt->eager) {
			bool fired;
			rc = check(cs, r, g, fn, ud, &fired);
		}
		group_drop(rt, g, c->ngroup);
	}
	return rc;
}

/* The sweep of cs__corr_advance once the watermark has passed lb: out of
 * line, so that the usual call (nothing to judge) saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static cs_err advance_sweep(cs__corrstate *cs, cs__corr_alert_fn fn, void *ud)
{
	cs_err rc = CS_OK;
	/* after the pass lb is the earliest deadline of the heaps' tops
	 * (groups made by chained hits during it lower it to INT64_MIN) */
	int64_t lb = INT64_MAX;
	cs->lb = INT64_MAX;
	for (size_t i = 0; i < cs->norder && !rc; i++) {
		/* (the usual case, nothing expired, without the call) */
		const corr_rt *rt = &cs->rt[cs->order[i]];
		if (rt->nh && rt->hp[0]->dl < cs->wm)
			rc = sweep(cs, cs->order[i], fn, ud);
		if (rt->nh && rt->hp[0]->dl < lb)
			lb = rt->hp[0]->dl;
	}
	cs->lb = rc ? INT64_MIN : lb < cs->lb ? lb : cs->lb;
	return rc;
}

cs_err cs__corr_advance(cs__corrstate *cs, int64_t time_ms, cs__corr_alert_fn fn, void *ud)
{
	if (cs->have_wm && time_ms <= cs->wm)
		return CS_OK;
	cs->wm = time_ms;
	cs->have_wm = true;
	if (cs->lb >= time_ms)
		return CS_OK;
	return advance_sweep(cs, fn, ud);
}

cs_err cs__corr_finish(cs__corrstate *cs, cs__corr_alert_fn fn, void *ud)
{
	cs_err rc = CS_OK;
	/* closing a window may feed a chained correlation that was already
	 * closed in this pass: repeat while windows are open (chains are at
	 * most 33 deep, see rule.c).  Groups are judged in the order they
	 * were created. */
	bool open = true;
	for (int pass = 0; pass < 40 && open && !rc; pass++) {
		for (size_t r = 0; r < cs->rs->nrules && !rc; r++) {
			corr_rt *rt = &cs->rt[r];
			if (rt->eager)
				continue;
			for (group *g = rt->first; g && !rc; g = g->next) {
				bool fired;
				rc = check(cs, (uint32_t)r, g, fn, ud, &fired);
				group_clear(g);
			}
		}
		open = false;
		for (size_t r = 0; r < cs->rs->nrules; r++)
			for (group *g = cs->rt[r].first; !cs->rt[r].eager && g; g = g->next)
				open |= g->n > 0;
	}
	return rc;
}
