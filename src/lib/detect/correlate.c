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
 */
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"

#define MAX_ENTRIES 10000  /* hits kept per group (oldest dropped beyond) */
#define MAX_GROUPS 100000  /* groups per correlation (new groups ignored beyond) */

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
	char **gv; /* ngroup values, owned */
	entry *e;
	size_t n, cap;
	int64_t start;
	/* the last contributing event, copied (alerts may come after it) */
	cs_event ev;
	char *json, *file, *product, *service;
} group;

typedef struct corr_rt {
	cs_strmap ix; /* key -> group */
	group **g;
	size_t ng;
	bool eager;
} corr_rt;

struct cs__corrstate {
	const cs_ruleset *rs;
	corr_rt *rt; /* per rule (used for correlations only) */
	uint64_t dropped; /* hits not kept: group limit reached */
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

static bool eager_kind(const cs__corr *c)
{
	if (c->type == CS__C_VALUE_AVG || c->type == CS__C_VALUE_PERCENTILE)
		return false;
	for (int i = 0; i < 2; i++)
		if (c->cmp[i] && c->cmp[i] != CS__CMP_GT && c->cmp[i] != CS__CMP_GTE)
			return false;
	return true;
}

cs__corrstate *cs__corr_new(const cs_ruleset *rs)
{
	cs__corrstate *cs = cs_calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->rs = rs;
	cs->rt = cs_calloc(rs->nrules + 1, sizeof(corr_rt));
	if (!cs->rt) {
		cs_free(cs);
		return NULL;
	}
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].kind == CS__R_CORRELATION)
			cs->rt[i].eager = eager_kind(rs->rules[i].corr);
	return cs;
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

void cs__corr_free(cs__corrstate *cs)
{
	if (!cs)
		return;
	for (size_t r = 0; r < cs->rs->nrules; r++) {
		corr_rt *rt = &cs->rt[r];
		for (size_t i = 0; i < rt->ng; i++) {
			group *g = rt->g[i];
			group_clear(g);
			size_t ngv = cs->rs->rules[r].corr ? cs->rs->rules[r].corr->ngroup : 0;
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
		cs_free(rt->g);
		cs__strmap_release(&rt->ix);
	}
	cs_free(cs->rt);
	cs_free(cs);
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

/* The text of a field of a hit (event field or chained group field). */
static bool hit_field(const cs__hit *h, const char *name, cs_str *out, const cs_value **val)
{
	*val = NULL;
	if (h->event) {
		fv f = { NULL };
		cs__event_values(h->event, name, take_first, &f);
		if (!f.v || cs_value_type(f.v) == CS_VNULL || cs_value_type(f.v) == CS_VOBJECT ||
		    cs_value_type(f.v) == CS_VARRAY)
			return false;
		*out = cs__det_text(f.v);
		*val = f.v;
		return true;
	}
	for (size_t i = 0; i < h->ngroup; i++)
		if (strcmp(h->gfields[i], name) == 0) {
			*out = cs_str_c(h->gvalues[i]);
			return true;
		}
	return false;
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
			 g->n ? g->e[g->n - 1].ref : "-", &g->ev };
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
		const cs_value *v;
		if (!f)
			f = cs__fieldmap_apply(cs->rs, cs->rs->rules[h->rule].product,
					       cs->rs->rules[h->rule].service, c->group_by[i]);
		(void)hit_field(h, f, &s, &v);
		gv[i] = dupn(s.ptr, s.len);
		if (!gv[i])
			rc = CS_ENOMEM;
		if (!rc)
			rc = cs_buf_printf(&key, "%s%s=%s", i ? "," : "", c->group_by[i], gv[i]);
	}
	if (rc)
		goto out;
	const char *k = key.data ? key.data : "";
	group *g = cs__strmap_get(&rt->ix, k, key.len, NULL);
	if (g) {
		*out = g;
		goto out;
	}
	if (rt->ng >= MAX_GROUPS) {
		cs->dropped++;
		goto out;
	}
	g = cs_calloc(1, sizeof(*g));
	group **ng = g ? cs_realloc(rt->g, (rt->ng + 1) * sizeof(group *)) : NULL;
	if (!ng) {
		cs_free(g);
		rc = CS_ENOMEM;
		goto out;
	}
	rt->g = ng;
	g->key = dupn(k, key.len);
	if (!g->key) {
		cs_free(g);
		rc = CS_ENOMEM;
		goto out;
	}
	g->gv = gv;
	gv = NULL;
	rt->g[rt->ng++] = g;
	rc = cs__strmap_put(&rt->ix, g->key, key.len, g);
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
		const cs_value *v;
		const cs__rule *hr = &cs->rs->rules[h->rule];
		const char *name = cs__fieldmap_apply(cs->rs, hr->product, hr->service, c->field);
		if (hit_field(h, name, &s, &v)) {
			e->val = dupn(s.ptr, s.len);
			if (!e->val) {
				cs_free(e->ref);
				return CS_ENOMEM;
			}
			if (v && cs_value_type(v) == CS_VNUMBER) {
				e->num = cs_value_num(v);
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

cs_err cs__corr_finish(cs__corrstate *cs, cs__corr_alert_fn fn, void *ud)
{
	cs_err rc = CS_OK;
	/* closing a window may feed a chained correlation that was already
	 * closed in this pass: repeat while windows are open (chains are at
	 * most 33 deep, see rule.c) */
	bool open = true;
	for (int pass = 0; pass < 40 && open && !rc; pass++) {
		for (size_t r = 0; r < cs->rs->nrules && !rc; r++) {
			corr_rt *rt = &cs->rt[r];
			if (rt->eager)
				continue;
			for (size_t i = 0; i < rt->ng && !rc; i++) {
				bool fired;
				rc = check(cs, (uint32_t)r, rt->g[i], fn, ud, &fired);
				group_clear(rt->g[i]);
			}
		}
		open = false;
		for (size_t r = 0; r < cs->rs->nrules; r++)
			for (size_t i = 0; !cs->rt[r].eager && i < cs->rt[r].ng; i++)
				open |= cs->rt[r].g[i]->n > 0;
	}
	return rc;
}
