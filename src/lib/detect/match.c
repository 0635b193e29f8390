/*
 * detect/match.c - the matcher: reads an event, marks the exact-value tests
 * it satisfies through the rule set's hash, evaluates the programs of the
 * rules that were hit (and of those that must always be evaluated) with
 * every other test computed on demand, and reports alerts; hits of rules
 * that feed correlations go to correlate.c.
 *
 * Event access: event_load() reads the record once with the on-demand
 * reader (evread.c), which keeps only the values at the rule set's field
 * paths.  The whole record is parsed with cs_json_parse (need_root()) only
 * when something needs all of it: keyword searches, or a record the
 * on-demand reader leaves to the tree walk (then the field values are taken
 * from the tree).  A hit that feeds a correlation reads its group-by fields
 * from the reader's values: they are among the rule set's fields
 * (cs__corr_fields).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cshare/json.h"
#include "detect/detect_int.h"
#include "detect/acmatch.h"
#include "detect/alert_int.h"

#define EVENT_ARENA_LIMIT (256u << 20)
#define MAX_PATH_DEPTH 64
#define MAX_KEYWORD_VALUES 100000

/* fmark bits: the field's values go through the exact index (its rules
 * have trigger tests on it) and/or its automaton */
#define FM_INDEX 1u
#define FM_AC 2u

struct cs_matcher {
	const cs_ruleset *rs;
	cs__evread er;       /* field values of the current event */
	bool er_ready;
	bool root_tried;     /* need_root() ran for this event */
	bool reference;      /* no indexes: see cs__matcher_set_reference() */
	cs_alert_fn fn;
	void *ud;
	cs_arena *scratch;
	const cs_value *root;
	const cs_event *ev;
	uint32_t cur;        /* event generation */
	uint32_t *tgen;      /* per test: generation its result is for */
	uint8_t *tval;       /* per test: result */
	uint32_t *ggen;      /* per automaton group: generation gval is for */
	uint8_t *gval;       /* per group: its pattern matched a value */
	uint32_t *vgen;      /* per group: value the automaton last confirmed it on */
	uint32_t vcur;       /* value counter for vgen */
	uint32_t *rgen;      /* per rule: generation it was queued in */
	uint32_t *queue;     /* rules to evaluate for this event */
	size_t nqueue;
	uint32_t *xgen;      /* per field: generation its values were looked up
				in the exact index for (then an exact test
				whose entry is not stamped is false) */
	uint32_t *egen;      /* per exact-index slot: generation a value of
				the event hit it in */
	uint8_t *fmark;      /* per field: what the index passes do with its
			      * values for the last log source (source_rules) */
	uint64_t *counts;    /* alerts per rule */
	cs_alert_memo *memos; /* per rule: what the alert writers keep */
	pcre2_match_data *md;
	cs__corrstate *corr;
	int64_t last_time;
	cs_err cb_err;
	/* the always-evaluated rules that apply to the last log source seen
	 * (events of one input share it, so this is rebuilt rarely) */
	uint32_t *src_always;
	size_t nsrc_always;
	uint8_t *src_rule;   /* per rule: it applies to that source */
	char *src_product, *src_service;
	bool src_valid;
	bool warned_groups; /* the group-limit warning was given */
	/* deferred mode (cs_matcher_defer): correlation steps go to `log` */
	cs_buf *log;
	uint64_t nemit;      /* alerts emitted since cs_matcher_defer */
	bool has_corr;       /* the rule set has correlations */
};

cs_str cs__det_text(const cs_value *v)
{
	cs_str s = CS_STR_LIT("");
	if (!cs__scalar_text(v, &s))
		s = CS_STR_LIT("");
	return s;
}

/* ---- field access --------------------------------------------------------- */

static bool emit_leaf(const cs_value *v, cs__value_fn fn, void *ud)
{
	if (cs_value_type(v) == CS_VARRAY) {
		for (size_t i = 0; i < cs_value_len(v); i++)
			if (!fn(ud, cs_value_at(v, i)))
				return false;
		return true;
	}
	return fn(ud, v);
}

/* Walk state: the callback and a step budget (a path with many dots over
 * an event with keys for many of its prefixes could otherwise branch
 * without end). */
typedef struct walker {
	cs__value_fn fn;
	void *ud;
	size_t budget;
} walker;

#define WALK_BUDGET 4096

static bool walk(walker *w, const cs_value *v, const char *p, size_t n, unsigned depth)
{
	if (depth > MAX_PATH_DEPTH || w->budget == 0)
		return true;
	w->budget--;
	if (n == 0)
		return emit_leaf(v, w->fn, w->ud);
	if (cs_value_type(v) == CS_VARRAY) {
		for (size_t i = 0; i < cs_value_len(v); i++)
			if (!walk(w, cs_value_at(v, i), p, n, depth + 1))
				return false;
		return true;
	}
	if (cs_value_type(v) != CS_VOBJECT)
		return true;
	const cs_value *c = cs_value_getn(v, p, n);
	if (c)
		return walk(w, c, "", 0, depth + 1);
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '.')
			continue;
		c = cs_value_getn(v, p, i);
		if (c && !walk(w, c, p + i + 1, n - i - 1, depth + 1))
			return false;
	}
	return true;
}

void cs__event_values(const cs_value *root, const char *path, cs__value_fn fn, void *ud)
{
	walker w = { fn, ud, WALK_BUDGET };
	if (root)
		(void)walk(&w, root, path, strlen(path), 0);
}

/* Every string (and number) value of the event, for keywords. */
static bool all_values(const cs_value *v, unsigned depth, size_t *budget, cs__value_fn fn,
		       void *ud)
{
	if (depth > MAX_PATH_DEPTH || *budget == 0)
		return true;
	cs_vtype t = cs_value_type(v);
	if (t == CS_VARRAY || t == CS_VOBJECT) {
		for (size_t i = 0; i < cs_value_len(v); i++)
			if (!all_values(cs_value_at(v, i), depth + 1, budget, fn, ud))
				return false;
		return true;
	}
	(*budget)--;
	return (t == CS_VSTRING || t == CS_VNUMBER) ? fn(ud, v) : true;
}

/* Passes the full parser's first diagnostic about a malformed record on,
 * as the record's: its line and column in the input, what is wrong and
 * the byte offset where. */
typedef struct malformed_ctx {
	cs_diag_sink *to;
	const cs_event *ev;
	bool done;
} malformed_ctx;

static void malformed_fn(void *ud, const cs_diag *d)
{
	malformed_ctx *c = ud;
	if (c->done || d->sev != CS_SEV_ERROR)
		return;
	c->done = true;
	/* a line is only known when the reader knew the record's; the column
	 * on the record's first line only when it knew where the record
	 * starts on it */
	uint32_t line = c->ev->line ? d->line : 0;
	uint32_t col = line && (d->line != c->ev->line || c->ev->col) ? d->col : 0;
	cs_diag_emit(c->to, CS_SEV_ERROR, CS_ESYNTAX, c->ev->file, line, col, NULL,
		     "byte offset %llu: malformed record skipped: %s",
		     (unsigned long long)c->ev->offset, d->msg);
}

/* Reports the record ev, which the event reader or the tree walk rejected,
 * through the full parser: where and why it is malformed, or, when it
 * parses, that it is not an object. */
static void rejected(cs_matcher *m, const cs_event *ev, cs_diag_sink *diag)
{
	malformed_ctx c = { diag, ev, false };
	cs_diag_sink sink = { malformed_fn, &c, 0, 0 };
	cs_json_opts o = { 0 };
	const cs_value *any = NULL;
	o.first_line = ev->line ? ev->line : 1;
	o.first_col = ev->col;
	o.first_offset = ev->offset;
	if (cs_json_parse(m->scratch, ev->file, ev->json, ev->len, &o, &sink, &any, NULL) == CS_OK)
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ESYNTAX, ev->file, ev->line, ev->col, NULL,
			     "byte offset %llu: record skipped: not a JSON object",
			     (unsigned long long)ev->offset);
	else if (!c.done)
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ESYNTAX, ev->file, ev->line, ev->col, NULL,
			     "byte offset %llu: malformed record skipped",
			     (unsigned long long)ev->offset);
}

/* The whole event as a value tree, parsed on first use per event (NULL
 * when out of memory; the on-demand reader has already accepted the
 * record, so it parses). */
static const cs_value *need_root(cs_matcher *m)
{
	if (m->root_tried)
		return m->root;
	m->root_tried = true;
	cs_diag_sink quiet = { 0 };
	const cs_value *root = NULL;
	cs_json_opts o = { 0 };
	o.first_line = m->ev->line ? m->ev->line : 1;
	if (cs_json_parse(m->scratch, m->ev->file, m->ev->json, m->ev->len, &o, &quiet, &root,
			  NULL) == CS_OK && cs_value_type(root) == CS_VOBJECT)
		m->root = root;
	return m->root;
}

static cs__evval ev_of(const cs_value *v)
{
	cs__evval e = { "", 0, CS__EV_NONE, 0, (uint8_t)cs_value_type(v) };
	cs_str s;
	if (cs__scalar_text(v, &s)) {
		e.ptr = s.ptr;
		e.len = (uint32_t)(s.len > UINT32_MAX ? UINT32_MAX : s.len);
	}
	if (e.type == CS_VNUMBER)
		e.num = cs_value_num(v);
	return e;
}

typedef struct fill_ctx {
	cs__evread *er;
	uint32_t f;
	cs_err rc;
} fill_ctx;

static bool fill_value(void *ud, const cs_value *v)
{
	fill_ctx *c = ud;
	cs__evval e = ev_of(v);
	c->rc = cs__evread_add(c->er, c->f, &e);
	return c->rc == CS_OK;
}

/* Loads the event: the one place that decides how fields are read. */
static cs_err event_load(cs_matcher *m, const cs_event *ev, cs_diag_sink *diag)
{
	cs_err rc = CS_OK;
	bool fallback = false;
	size_t off = 0;
	/* one scratch arena per matcher, reset per event (not re-made) */
	if (m->scratch)
		cs_arena_reset(m->scratch);
	else
		m->scratch = cs_arena_new(EVENT_ARENA_LIMIT);
	m->root = NULL;
	m->root_tried = false;
	m->ev = ev;
	if (!m->scratch)
		return CS_ENOMEM;
	if (m->reference) {
		cs__evread_clear(&m->er);
		fallback = true;
	} else {
		rc = cs__evread_record(&m->er, m->scratch, ev->json, ev->len, &fallback, &off);
	}
	if (rc == CS_ENOMEM)
		return rc;
	if (!rc && fallback) {
		/* the tree walk decides: parse fully, take the values from the tree */
		const cs_value *root = need_root(m);
		if (!root && cs_arena_error(m->scratch) == CS_ENOMEM)
			return CS_ENOMEM;
		if (!root) {
			rejected(m, ev, diag);
			return CS_ESYNTAX;
		}
		for (uint32_t f = 0; f < m->rs->nfields && !rc; f++) {
			fill_ctx c = { &m->er, f, CS_OK };
			cs__event_values(root, m->rs->fields[f], fill_value, &c);
			rc = c.rc;
		}
		return rc;
	}
	if (rc) {
		rejected(m, ev, diag);
		return CS_ESYNTAX;
	}
	return CS_OK;
}

/* ---- tests ---------------------------------------------------------------- */

static bool cmp_num(uint8_t cmp, double a, double b)
{
	switch (cmp) {
	case CS__CMP_LT: return a < b;
	case CS__CMP_LTE: return a <= b;
	case CS__CMP_GT: return a > b;
	case CS__CMP_GTE: return a >= b;
	case CS__CMP_EQ: return a == b;
	case CS__CMP_NEQ: return a != b;
	default: return false;
	}
}

static bool text_eq(cs_str a, cs_str b, bool cased)
{
	if (a.len != b.len)
		return false;
	if (cased)
		return memcmp(a.ptr, b.ptr, a.len) == 0;
	for (size_t i = 0; i < a.len; i++) {
		unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

static bool value_test(cs_matcher *m, const cs__test *t, const cs__evval *v)
{
	cs_vtype ty = (cs_vtype)v->type;
	if (ty == CS_VNULL || ty == CS_VOBJECT || ty == CS_VARRAY)
		return false;
	cs_str s = { v->ptr, v->len };
	bool cased = (t->flags & CS__TF_CASED) != 0;
	switch (t->kind) {
	case CS__T_EXACT: {
		if (text_eq(t->pat, s, cased))
			return true;
		/* numbers also match in canonical form, as the index does */
		char canon[32];
		size_t cn = ty == CS_VNUMBER && t->field != CS__NOFIELD
				    ? cs__num_canon(v->num, canon) : 0;
		return cn && text_eq(t->pat, (cs_str){ canon, cn }, cased);
	}
	case CS__T_GLOB:
		return cs__glob_match(t->pat, s.ptr, s.len, cased);
	case CS__T_RE:
		return m->md && pcre2_match(t->re, (PCRE2_SPTR)s.ptr, s.len, 0, 0, m->md,
					    cs__pcre2_mctx()) >= 0;
	case CS__T_CIDR: {
		uint8_t ip[16];
		bool v6;
		if (!cs__ip_parse(s.ptr, s.len, ip, &v6) || v6 != t->v6)
			return false;
		for (unsigned i = 0; i < t->bits; i++) {
			unsigned mask = 0x80u >> (i % 8);
			if ((ip[i / 8] & mask) != (t->net[i / 8] & mask))
				return false;
		}
		return true;
	}
	case CS__T_NUM: {
		double d;
		if (t->timepart) {
			if (ty != CS_VSTRING || !cs__date_part(s.ptr, s.len, t->timepart, &d))
				return false;
		} else if (ty == CS_VNUMBER) {
			d = v->num;
		} else {
			char tmp[64], *end = NULL;
			if (ty != CS_VSTRING || s.len == 0 || s.len >= sizeof tmp)
				return false;
			memcpy(tmp, s.ptr, s.len);
			tmp[s.len] = '\0';
			d = strtod(tmp, &end);
			if (!end || *end)
				return false;
		}
		return cmp_num(t->cmp, d, t->num);
	}
	default:
		return false;
	}
}

typedef struct tctx {
	cs_matcher *m;
	const cs__test *t;
	bool hit, present, null;
	const cs__evval *other; /* fieldref: value to compare with */
} tctx;

/* The tree walk's value callback for one test (true: go on). */
static bool on_value(tctx *c, const cs__evval *v)
{
	c->present = true;
	if (v->type == CS_VNULL)
		c->null = true;
	if (c->t->kind == CS__T_EXISTS || c->t->kind == CS__T_NULL)
		return !c->null;
	if (c->t->kind == CS__T_FIELDREF) {
		cs_str a = { v->ptr, v->len }, b = { c->other->ptr, c->other->len };
		c->hit = v->type != CS_VNULL && v->type != CS_VOBJECT && v->type != CS_VARRAY &&
			 text_eq(a, b, (c->t->flags & CS__TF_CASED) != 0);
		return !c->hit;
	}
	c->hit = value_test(c->m, c->t, v);
	return !c->hit;
}

static bool on_tree_value(void *ud, const cs_value *v)
{
	cs__evval e = ev_of(v);
	return on_value(ud, &e);
}

/* Calls on_value for each value of field f until it says stop. */
static void field_values(cs_matcher *m, uint32_t f, tctx *c)
{
	const cs__evread *er = &m->er;
	for (uint32_t i = cs__evread_first(er, f); i != CS__EV_NONE; i = er->vals[i].next)
		if (!on_value(c, &er->vals[i]))
			return;
}

static bool test_eval(cs_matcher *m, const cs__test *t)
{
	tctx c = { m, t, false, false, false, NULL };
	if (t->kind == CS__T_CONST)
		return t->num != 0;
	if (t->field == CS__NOFIELD) {
		size_t budget = MAX_KEYWORD_VALUES;
		const cs_value *root = need_root(m);
		if (root)
			(void)all_values(root, 0, &budget, on_tree_value, &c);
		return c.hit;
	}
	if (t->kind == CS__T_FIELDREF) {
		const cs__evread *er = &m->er;
		for (uint32_t i = cs__evread_first(er, t->ref_field); i != CS__EV_NONE && !c.hit;
		     i = er->vals[i].next) {
			tctx in = { m, t, false, false, false, &er->vals[i] };
			field_values(m, t->field, &in);
			c.hit = in.hit;
		}
		return c.hit;
	}
	field_values(m, t->field, &c);
	if (t->kind == CS__T_EXISTS)
		return c.present == (t->num != 0);
	if (t->kind == CS__T_NULL)
		return !c.present || c.null;
	return c.hit;
}

static CS__XINLINE void index_field(cs_matcher *m, uint32_t f, bool queue);

static bool test_compute(cs_matcher *m, uint32_t ix)
{
	const cs__test *t = &m->rs->tests[ix];
	bool r = false;
	if (m->reference) {
		r = test_eval(m, t);
		m->tgen[ix] = m->cur;
		m->tval[ix] = r;
		return r;
	}
	if (t->flags & CS__TF_AC) { /* the automaton pass decided */
		uint32_t g = m->rs->test_group[ix];
		return m->ggen[g] == m->cur && m->gval[g];
	}
	if (t->kind == CS__T_EXACT && t->field != CS__NOFIELD) {
		/* indexed: once the field's values are looked up, the test
		 * is true exactly when a value hit its entry */
		if (m->xgen[t->field] != m->cur)
			index_field(m, t->field, false);
		r = m->egen[m->rs->test_xent[ix]] == m->cur;
	} else {
		r = test_eval(m, t);
	}
	m->tgen[ix] = m->cur;
	m->tval[ix] = r;
	return r;
}

/* A test's result for the current event, memoized: the usual cases (known
 * already, or an exact test of a field whose values were looked up) inline
 * in the program's evaluation, the others in test_compute. */
static CS__XINLINE bool test_result(cs_matcher *m, uint32_t ix)
{
	/* (an exact test with a field is the one kind with an entry; its
	 * result is the entry's stamp, as cheap to read again as a memo.  A
	 * field's xgen is the current generation only once index_field has
	 * run in this event, which the reference mode never does) */
	const cs_ruleset *rs = m->rs;
	uint32_t xe = rs->test_xent[ix];
	if (xe != CS__NOFIELD) {
		if (m->xgen[rs->xtab[xe].field] == m->cur)
			return m->egen[xe] == m->cur;
	} else if (m->tgen[ix] == m->cur) {
		return m->tval[ix] != 0;
	}
	return test_compute(m, ix);
}

/* Evaluates the subexpression ending at op i, skipping operands once an
 * AND is false or an OR true (depth is bounded by the condition parser's
 * nesting limit plus the few levels of selections and items). */
static bool eval_at(cs_matcher *m, const cs__rule *r, size_t i)
{
	uint32_t op = r->prog.ops[i], a = CS__OP_ARG(op);
	switch (CS__OP_CODE(op)) {
	case CS__OP_TEST:
		return test_result(m, a);
	case CS__OP_CONST:
		return a != 0;
	case CS__OP_NOT:
		return i > 0 && !eval_at(m, r, i - 1);
	default: {
		bool and = CS__OP_CODE(op) == CS__OP_AND;
		size_t j = i;
		for (uint32_t k = 0; k < a && j > 0; k++) {
			/* a test operand (most are) without the recursive call */
			uint32_t sub = r->prog.ops[j - 1];
			bool v = CS__OP_CODE(sub) == CS__OP_TEST ? test_result(m, CS__OP_ARG(sub))
								 : eval_at(m, r, j - 1);
			if (and != v)
				return v; /* false in an AND, true in an OR */
			j -= r->span[j - 1];
		}
		return and;
	}
	}
}

static bool run_prog(cs_matcher *m, const cs__rule *r)
{
	return r->prog.n > 0 && eval_at(m, r, r->prog.n - 1);
}

/* ---- alerts --------------------------------------------------------------- */

static const char *const CTYPE_NAMES[] = { "", "event_count", "value_count", "temporal",
					   "temporal_ordered", "value_sum", "value_avg",
					   "value_percentile" };

/* Alerts whose lists and values fit take them from the stack. */
#define EMIT_STACK 512

/* The matched fields' lists at blk (lens: the values' lengths, at blk;
 * the names and the values after lsz bytes) and the values' text after
 * head bytes, up to end: the number of values, or SIZE_MAX when the text
 * does not fit (nothing usable in blk then). */
static CS__XINLINE size_t fill_matched(const cs_matcher *m, const cs__rule *r,
				       const cs_event *ev, char *blk, const char *end,
				       size_t lsz, size_t head)
{
	/* a value in the record's text has no escape, so no NUL (the reader
	 * takes no control byte in a string): its length is the text's; a
	 * decoded one is counted */
	uintptr_t lo = ev ? (uintptr_t)ev->json : 0, hi = ev ? lo + ev->len : 0;
	size_t *lens = (size_t *)(void *)blk, nf = 0;
	const char **f = (const char **)(void *)(blk + lsz), **v = f + r->nfields;
	char *at = blk + head;
	for (size_t i = 0; i < r->nfields; i++) {
		uint32_t first = cs__evread_first(&m->er, r->fields[i]);
		if (first == CS__EV_NONE)
			continue;
		const cs__evval *fv = &m->er.vals[first];
		uintptr_t vp = (uintptr_t)fv->ptr;
		if ((size_t)(end - at) <= fv->len)
			return SIZE_MAX;
		cs__copy_short(at, fv->ptr, fv->len);
		at[fv->len] = '\0';
		f[nf] = m->rs->fields[r->fields[i]];
		if (fv->type == CS_VNULL) {
			v[nf] = "null";
			lens[nf] = 4;
		} else {
			v[nf] = at;
			lens[nf] = vp >= lo && vp < hi ? fv->len : strlen(at);
		}
		nf++;
		at += fv->len + 1;
	}
	return nf;
}

static void emit_alert(cs_matcher *m, uint32_t rix, const cs_event *ev, const char *ctype,
		       const char *gkey, const char *const *contrib, size_t ncontrib)
{
	const cs__rule *r = &m->rs->rules[rix];
	const char **f = NULL, **v = NULL;
	size_t *lens = NULL;
	size_t nf = 0;
	static const char *const notags[] = { NULL };
	union {
		size_t n;
		const char *p;
		char c[EMIT_STACK];
	} stk;
	if (r->nfields && !ctype) {
		/* one block for the lengths, the two lists and the values' text:
		 * the stack's when they fit (the usual case), else one arena
		 * block, else (out of memory) per value blocks, as before */
		size_t lsz = (r->nfields * sizeof(size_t) + sizeof(char *) - 1) / sizeof(char *) *
			     sizeof(char *);
		size_t head = lsz + 2 * r->nfields * sizeof(char *);
		char *blk = stk.c, *end = stk.c + sizeof stk.c;
		for (;;) {
			nf = head < (size_t)(end - blk) ? fill_matched(m, r, ev, blk, end, lsz, head)
							: SIZE_MAX;
			if (nf != SIZE_MAX || blk != stk.c)
				break;
			size_t need = head;
			for (size_t i = 0; i < r->nfields; i++) {
				uint32_t first = cs__evread_first(&m->er, r->fields[i]);
				if (first != CS__EV_NONE)
					need += (size_t)m->er.vals[first].len + 1;
			}
			if ((blk = cs_arena_alloc(m->scratch, need)) == NULL)
				break;
			end = blk + need;
		}
		if (!blk)
			nf = 0;
		if (blk) {
			lens = (size_t *)(void *)blk;
			f = (const char **)(void *)(blk + lsz);
		} else {
			f = cs_arena_alloc(m->scratch, 2 * r->nfields * sizeof(char *));
		}
		v = f ? f + r->nfields : NULL;
		for (size_t i = 0; !blk && f && v && i < r->nfields; i++) {
			const char *name = m->rs->fields[r->fields[i]];
			uint32_t first = cs__evread_first(&m->er, r->fields[i]);
			if (first == CS__EV_NONE)
				continue;
			const cs__evval *fv = &m->er.vals[first];
			const char *t = cs_arena_strndup(m->scratch, fv->ptr, fv->len);
			if (!t)
				break;
			f[nf] = name;
			v[nf++] = fv->type == CS_VNULL ? "null" : t;
		}
	}
	cs_alert a = {
		r->id, r->title, r->level, r->author, r->status, r->tags ? r->tags : notags,
		r->domain, r->file, ev, f, v, nf, ctype, gkey, contrib, ncontrib, &m->memos[rix],
		lens,
	};
	m->counts[rix]++;
	m->nemit++;
	if (m->fn)
		m->fn(m->ud, &a);
}

/* Correlation results: alert, and feed chained correlations. */
static void corr_alert(void *ud, uint32_t rule, const cs__hit *last, const char *group_key,
		       const char *const *contributing, size_t ncontrib, const char *const *gf,
		       const char *const *gv, size_t ng)
{
	cs_matcher *m = ud;
	const cs__rule *r = &m->rs->rules[rule];
	if (r->standalone)
		emit_alert(m, rule, last->ev, CTYPE_NAMES[r->corr->type], group_key, contributing,
			   ncontrib);
	if (r->nparents) {
		cs__hit h = { rule, last->time_ms, NULL, gf, gv, ng, last->ref, last->ev,
			      NULL, NULL, NULL, NULL };
		cs_err rc = cs__corr_feed(m->corr, &h, corr_alert, m);
		if (rc && !m->cb_err)
			m->cb_err = rc;
	}
}

/* ---- matcher -------------------------------------------------------------- */

cs_err cs_matcher_new(const cs_ruleset *rs, cs_alert_fn fn, void *ud, cs_matcher **out)
{
	cs_err rc = CS_OK;
	cs_matcher *m = cs_calloc(1, sizeof(*m));
	*out = NULL;
	if (!m)
		return CS_ENOMEM;
	m->rs = rs;
	m->fn = fn;
	m->ud = ud;
	m->last_time = 0;
	m->tgen = cs_calloc(rs->ntests + 1, sizeof(uint32_t));
	m->tval = cs_calloc(rs->ntests + 1, 1);
	m->vgen = cs_calloc(rs->ngroups + 1, sizeof(uint32_t));
	m->ggen = cs_calloc(rs->ngroups + 1, sizeof(uint32_t));
	m->gval = cs_calloc(rs->ngroups + 1, 1);
	m->rgen = cs_calloc(rs->nrules + 1, sizeof(uint32_t));
	m->queue = cs_calloc(rs->nrules + 1, sizeof(uint32_t));
	m->counts = cs_calloc(rs->nrules + 1, sizeof(uint64_t));
	m->memos = cs_calloc(rs->nrules + 1, sizeof(cs_alert_memo));
	m->xgen = cs_calloc(rs->nfields + 1, sizeof(uint32_t));
	m->egen = cs_calloc(rs->xmask + 1, sizeof(uint32_t));
	m->fmark = cs_calloc(rs->nfields + 1, 1);
	m->src_rule = cs_calloc(rs->nrules + 1, 1);
	m->src_always = cs_calloc(rs->nalways + 1, sizeof(uint32_t));
	m->md = pcre2_match_data_create(1, cs__pcre2_gctx());
	(void)cs__pcre2_mctx();
	m->corr = cs__corr_new(rs);
	for (size_t i = 0; i < rs->nrules; i++)
		m->has_corr |= rs->rules[i].kind == CS__R_CORRELATION;
	if (rs->paths && cs__evread_init(&m->er, rs->paths) == CS_OK)
		m->er_ready = true;
	if (!m->er_ready || !m->vgen || !m->ggen || !m->gval || !m->tgen || !m->tval || !m->rgen || !m->queue || !m->counts || !m->memos || !m->xgen || !m->egen || !m->fmark || !m->src_rule ||
	    !m->src_always || !m->md || !m->corr) {
		rc = CS_ENOMEM;
		goto out;
	}
	*out = m;
	m = NULL;
out:
	cs_matcher_free(m);
	return rc;
}

void cs_matcher_free(cs_matcher *m)
{
	if (!m)
		return;
	cs_arena_free(m->scratch);
	if (m->er_ready)
		cs__evread_release(&m->er);
	cs_free(m->tgen);
	cs_free(m->tval);
	cs_free(m->vgen);
	cs_free(m->ggen);
	cs_free(m->gval);
	cs_free(m->rgen);
	cs_free(m->queue);
	cs_free(m->counts);
	for (size_t i = 0; m->memos && i < m->rs->nrules; i++)
		cs__alert_memo_release(&m->memos[i]);
	cs_free(m->memos);
	cs_free(m->xgen);
	cs_free(m->egen);
	cs_free(m->fmark);
	cs_free(m->src_rule);
	cs_free(m->src_always);
	cs_free(m->src_product);
	cs_free(m->src_service);
	if (m->md)
		pcre2_match_data_free(m->md);
	cs__corr_free(m->corr);
	cs_free(m);
}

static void enqueue(cs_matcher *m, uint32_t r)
{
	if (m->rgen[r] != m->cur) {
		m->rgen[r] = m->cur;
		m->queue[m->nqueue++] = r;
	}
}

/* Looks one value of field f up in the exact index (as written, and as a
 * number's canonical text): the entries it hits are stamped (an exact test
 * is true when its entry is, test_result), and with `queue` the rules of
 * the entries' trigger tests are queued. */
static CS__XINLINE void index_hit(cs_matcher *m, const cs__xent *e, bool queue)
{
	const cs_ruleset *rs = m->rs;
	if (!e)
		return;
	m->egen[e - rs->xtab] = m->cur;
	for (uint32_t j = 0; queue && j < e->ntrig; j++)
		enqueue(m, rs->tests[rs->xtests[e->first + j]].rule);
}

static void index_value(cs_matcher *m, uint32_t f, const cs__evval *v, bool queue)
{
	const cs_ruleset *rs = m->rs;
	cs_vtype ty = (cs_vtype)v->type;
	if (ty == CS_VNULL || ty == CS_VOBJECT || ty == CS_VARRAY)
		return;
	cs_str texts[2] = { { v->ptr, v->len }, CS_STR_LIT("") };
	char canon[32];
	size_t nt = 1, cn = ty == CS_VNUMBER ? cs__num_canon(v->num, canon) : 0;
	if (cn && (cn != texts[0].len || memcmp(canon, texts[0].ptr, cn) != 0))
		texts[nt++] = (cs_str){ canon, cn };
	uint8_t want = rs->xfield[f];
	if (nt == 1 && want != 3) { /* the usual case: one text, one case flag */
		index_hit(m, cs__xfind(rs, f, want == 2, texts[0].ptr, texts[0].len), queue);
		return;
	}
	for (size_t k = 0; k < 2 * nt; k++) {
		bool cased = (k & 1) != 0;
		cs_str s = texts[k >> 1];
		if (want & (cased ? 2 : 1))
			index_hit(m, cs__xfind(rs, f, cased, s.ptr, s.len), queue);
	}
}

/* Every value of field f through the exact index (see index_value). */
static CS__XINLINE void index_field(cs_matcher *m, uint32_t f, bool queue)
{
	const cs_ruleset *rs = m->rs;
	const cs__evval *vals = m->er.vals; /* (not changed by the lookups) */
	uint8_t want = rs->xfield[f];
	for (uint32_t i = cs__evread_first(&m->er, f); i != CS__EV_NONE; i = vals[i].next) {
		const cs__evval *v = &vals[i];
		/* the usual case inline: a string (one text), one case flag */
		if (v->type == CS_VSTRING && want != 3)
			index_hit(m, cs__xfind(rs, f, want == 2, v->ptr, v->len), queue);
		else
			index_value(m, f, v, queue);
	}
	m->xgen[f] = m->cur;
}

/* The automaton pass: candidates whose literal occurs in the value are
 * confirmed with the whole pattern, once per test and value. */
typedef struct acctx {
	cs_matcher *m;
	const cs__evval *v;
} acctx;

static void on_literal(void *ud, uint32_t g)
{
	acctx *c = ud;
	cs_matcher *m = c->m;
	const cs_ruleset *rs = m->rs;
	if ((m->ggen[g] == m->cur && m->gval[g]) || m->vgen[g] == m->vcur)
		return;
	m->vgen[g] = m->vcur;
	if (!value_test(m, &rs->tests[rs->group_rep[g]], c->v))
		return;
	m->ggen[g] = m->cur;
	m->gval[g] = 1;
	for (uint32_t k = rs->group_trig[g]; k < rs->group_trig[g + 1]; k++)
		enqueue(m, rs->tests[rs->trig_tests[k]].rule);
}

/* The values of field f from the first, vals[i], through f's automaton. */
static void ac_field(cs_matcher *m, uint32_t f, uint32_t i)
{
	const cs__ac *ac = m->rs->ac[f];
	const cs__evval *vals = m->er.vals; /* (not changed by the automaton) */
	size_t minlen = cs__ac_minlen(ac);
	for (; i != CS__EV_NONE; i = vals[i].next) {
		const cs__evval *v = &vals[i];
		/* (a value shorter than every literal holds none) */
		if (v->type == CS_VNULL || v->type == CS_VOBJECT || v->type == CS_VARRAY ||
		    v->len < minlen)
			continue;
		if (++m->vcur == 0) {
			memset(m->vgen, 0, m->rs->ngroups * sizeof(uint32_t));
			m->vcur = 1;
		}
		acctx c = { m, v };
		cs__ac_scan(ac, v->ptr, v->len, on_literal, &c);
	}
}

static bool applies(const cs__rule *r, const cs_event *ev)
{
	if (r->product && (!ev->product || strcasecmp(r->product, ev->product) != 0))
		return false;
	if (r->service && (!ev->service || strcasecmp(r->service, ev->service) != 0))
		return false;
	return true;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s, bool *fail)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *d = cs_malloc(n + 1);
	if (!d)
		*fail = true;
	else
		memcpy(d, s, n + 1);
	return d;
}

/* Rebuilds the always-evaluated rules for the event's log source when it
 * differs from the previous event's. */
static cs_err source_rules(cs_matcher *m, const cs_event *ev)
{
	if (m->src_valid && same_str(m->src_product, ev->product) &&
	    same_str(m->src_service, ev->service))
		return CS_OK;
	bool fail = false;
	cs_free(m->src_product);
	cs_free(m->src_service);
	m->src_product = dup_or_null(ev->product, &fail);
	m->src_service = dup_or_null(ev->service, &fail);
	m->src_valid = !fail;
	m->nsrc_always = 0;
	for (size_t i = 0; i < m->rs->nalways; i++)
		if (applies(&m->rs->rules[m->rs->always[i]], ev))
			m->src_always[m->nsrc_always++] = m->rs->always[i];
	/* the fields the index passes visit: FM_INDEX exact trigger tests,
	 * FM_AC literals in the field's automaton, of rules for this source
	 * (the other rules are never evaluated on its events) */
	const cs_ruleset *rs = m->rs;
	for (size_t r = 0; r < rs->nrules; r++)
		m->src_rule[r] = applies(&rs->rules[r], ev);
	memset(m->fmark, 0, rs->nfields);
	for (size_t i = 0; i < rs->ntests; i++) {
		const cs__test *t = &rs->tests[i];
		uint8_t bit = t->field == CS__NOFIELD ? 0
			      : (t->kind == CS__T_EXACT && (t->flags & CS__TF_TRIG)) ? FM_INDEX
			      : ((t->flags & CS__TF_AC) && rs->ac && rs->ac[t->field]) ? FM_AC : 0;
		if (bit && m->src_rule[t->rule])
			m->fmark[t->field] |= bit;
	}
	return fail ? CS_ENOMEM : CS_OK;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* ---- deferred mode and replay ---------------------------------------------- */

/* Log records (native byte order, read back by the same build):
 *   'E' int64 time, uint64 alerts-before      an event with a known time
 *   'H' uint32 rule, int64 time (INT64_MIN: the event has none),
 *       uint64 alerts-before, const cs_event *, uint64 ref length, ref,
 *       uint32 n, n captured fields (cs__corr_capture)
 * "alerts-before" counts the deferred matcher's alerts since
 * cs_matcher_defer that come before the step in single-matcher order. */
static cs_err log_put(cs_buf *b, const void *p, size_t n, cs_err rc)
{
	return rc ? rc : cs_buf_append(b, p, n);
}

static cs_err log_event(cs_matcher *m, int64_t t)
{
	cs_err rc = CS_OK;
	char tag = 'E';
	rc = log_put(m->log, &tag, 1, rc);
	rc = log_put(m->log, &t, sizeof t, rc);
	rc = log_put(m->log, &m->nemit, sizeof m->nemit, rc);
	return rc;
}

static cs_err log_hit(cs_matcher *m, uint32_t rix, const cs_event *ev, const char *ref,
		      const cs__hit *src)
{
	cs_err rc = CS_OK;
	char tag = 'H';
	int64_t t = ev->time_ms;
	uint64_t rl = strlen(ref);
	uint32_t n = 0;
	rc = log_put(m->log, &tag, 1, rc);
	rc = log_put(m->log, &rix, sizeof rix, rc);
	rc = log_put(m->log, &t, sizeof t, rc);
	rc = log_put(m->log, &m->nemit, sizeof m->nemit, rc);
	rc = log_put(m->log, &ev, sizeof ev, rc);
	rc = log_put(m->log, &rl, sizeof rl, rc);
	rc = log_put(m->log, ref, rl, rc);
	size_t at = m->log->len;
	rc = log_put(m->log, &n, sizeof n, rc);
	if (!rc)
		rc = cs__corr_capture(m->rs, rix, src, m->log, &n);
	if (!rc)
		memcpy(m->log->data + at, &n, sizeof n);
	return rc;
}

void cs_matcher_defer(cs_matcher *m, cs_buf *log)
{
	m->log = log;
	m->nemit = 0;
}

typedef struct rd {
	const char *p, *end;
	bool bad;
} rd;

static void rd_get(rd *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static const char *rd_str(rd *r, cs_arena *a, uint64_t n)
{
	if (r->bad || (uint64_t)(r->end - r->p) < n) {
		r->bad = true;
		return "";
	}
	const char *s = cs_arena_strndup(a, r->p, (size_t)n);
	r->p += n;
	return s ? s : "";
}

static void group_warning(cs_matcher *m, const cs_event *ev, cs_diag_sink *diag)
{
	if (!m->warned_groups && cs__corr_dropped(m->corr)) {
		m->warned_groups = true;
		cs_diag_emit(diag, CS_SEV_WARNING, CS_ELIMIT, ev->file, ev->line, 0, NULL,
			     "correlation group limit (100000 groups per correlation) reached at "
			     "byte offset %llu: hits of new groups are not counted",
			     (unsigned long long)ev->offset);
	}
}

cs_err cs_matcher_replay(cs_matcher *m, const cs_buf *log,
			 void (*sync)(void *ud, uint64_t nalerts), void *ud, cs_diag_sink *diag)
{
	cs_err rc = CS_OK;
	cs_diag_sink dummy = { 0 };
	/* an empty log may have no buffer at all: NULL + 0 is undefined */
	rd r = { log->data, log->data ? log->data + log->len : NULL, false };
	if (!diag)
		diag = &dummy;
	if (!m->scratch && !(m->scratch = cs_arena_new(EVENT_ARENA_LIMIT)))
		return CS_ENOMEM;
	m->cb_err = CS_OK;
	while (!rc && !r.bad && r.p < r.end) {
		char tag;
		int64_t t;
		uint64_t before;
		rd_get(&r, &tag, 1);
		if (tag == 'E') {
			rd_get(&r, &t, sizeof t);
			rd_get(&r, &before, sizeof before);
			if (r.bad)
				break;
			if (sync)
				sync(ud, before);
			m->last_time = t;
			rc = cs__corr_advance(m->corr, t, corr_alert, m);
			continue;
		}
		if (tag != 'H') {
			r.bad = true;
			break;
		}
		uint32_t rule, n;
		const cs_event *ev;
		uint64_t rl;
		cs_arena_reset(m->scratch);
		rd_get(&r, &rule, sizeof rule);
		rd_get(&r, &t, sizeof t);
		rd_get(&r, &before, sizeof before);
		rd_get(&r, &ev, sizeof ev);
		rd_get(&r, &rl, sizeof rl);
		const char *ref = rd_str(&r, m->scratch, rl);
		rd_get(&r, &n, sizeof n);
		const char **names = cs_arena_alloc(m->scratch, ((size_t)n + 1) * sizeof(char *));
		const char **vals = cs_arena_alloc(m->scratch, ((size_t)n + 1) * sizeof(char *));
		bool *isnum = cs_arena_alloc(m->scratch, (size_t)n + 1);
		double *num = cs_arena_alloc(m->scratch, ((size_t)n + 1) * sizeof(double));
		if (!names || !vals || !isnum || !num) {
			rc = CS_ENOMEM;
			break;
		}
		for (uint32_t i = 0; i < n && !r.bad; i++) {
			uint8_t kind;
			uint64_t len;
			rd_get(&r, &names[i], sizeof names[i]);
			rd_get(&r, &kind, 1);
			rd_get(&r, &num[i], sizeof num[i]);
			rd_get(&r, &len, sizeof len);
			vals[i] = rd_str(&r, m->scratch, len);
			isnum[i] = kind == 2;
		}
		if (r.bad || rule >= m->rs->nrules || !ev)
			break;
		if (sync)
			sync(ud, before);
		cs__hit h = { rule, t == INT64_MIN ? m->last_time : t, NULL, names, vals, n,
			      ref, ev, isnum, num, NULL, NULL };
		rc = cs__corr_feed(m->corr, &h, corr_alert, m);
		if (!rc)
			rc = m->cb_err;
		group_warning(m, ev, diag);
	}
	if (!rc && r.bad)
		rc = CS_EINVAL;
	return rc ? rc : m->cb_err;
}

/* The record reference "file@offset" ("-" for no file) in arena a; NULL
 * when out of memory.  (Formatted by hand: printf's machinery was most of
 * a correlation hit's cost outside the event parse.) */
static const char *record_ref(cs_arena *a, const cs_event *ev)
{
	const char *file = ev->file ? ev->file : "-";
	size_t fl = strlen(file);
	char digits[24];
	size_t n = sizeof digits;
	uint64_t v = ev->offset;
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char *r = cs_arena_alloc(a, fl + 1 + (sizeof digits - n) + 1);
	if (r) {
		memcpy(r, file, fl);
		r[fl] = '@';
		memcpy(r + fl + 1, digits + n, sizeof digits - n);
		r[fl + 1 + sizeof digits - n] = '\0';
	}
	return r;
}

/* Evaluates one candidate rule on the loaded event. */
static cs_err eval_rule(cs_matcher *m, uint32_t rix, const cs_event *ev, const char **ref)
{
	const cs__rule *r = &m->rs->rules[rix];
	if (r->kind != CS__R_DETECTION || !run_prog(m, r))
		return CS_OK;
	if (r->standalone)
		emit_alert(m, rix, ev, NULL, NULL, NULL, 0);
	if (!r->nparents)
		return CS_OK;
	if (!*ref)
		*ref = record_ref(m->scratch, ev);
	if (!*ref)
		return CS_ENOMEM;
	/* correlations read their group-by fields from the reader's values
	 * (the rule set's fields include them: cs__corr_fields); the
	 * reference mode reads them from the whole event, as the tree walk
	 * does, so that the differential tests compare the two */
	cs__hit h = { rix, m->last_time, NULL, NULL, NULL, 0, *ref, ev, NULL, NULL, NULL, NULL };
	if (m->reference) {
		h.event = need_root(m);
		if (!h.event)
			return CS_ENOMEM;
	} else {
		h.er = &m->er;
		h.rs = m->rs;
	}
	if (m->log)
		return log_hit(m, rix, ev, *ref, &h);
	return cs__corr_feed(m->corr, &h, corr_alert, m);
}

cs_err cs_matcher_feed(cs_matcher *m, const cs_event *ev, cs_diag_sink *diag)
{
	cs_err rc = CS_OK;
	cs_diag_sink dummy = { 0 };
	const cs_ruleset *rs = m->rs;
	if (!diag)
		diag = &dummy;
	rc = event_load(m, ev, diag);
	if (rc)
		return rc;
	m->ev = ev;
	if (++m->cur == 0) { /* generation wrapped: forget every memo */
		memset(m->tgen, 0, rs->ntests * sizeof(uint32_t));
		memset(m->rgen, 0, rs->nrules * sizeof(uint32_t));
		memset(m->xgen, 0, rs->nfields * sizeof(uint32_t));
		memset(m->egen, 0, (rs->xmask + 1) * sizeof(uint32_t));
		memset(m->ggen, 0, rs->ngroups * sizeof(uint32_t));
		m->cur = 1;
	}
	if (ev->time_ms != INT64_MIN)
		m->last_time = ev->time_ms;
	m->nqueue = 0;
	for (uint32_t r = 0; m->reference && r < rs->nrules; r++)
		enqueue(m, r);
	rc = source_rules(m, ev);
	if (rc)
		return rc;
	/* the index passes over the fields the event has (the reader lists
	 * them as found), those of the source's rules; a field the event lacks
	 * is left to test_result: nothing to look up.  (The order of the
	 * passes does not matter: they only stamp entries and groups and
	 * queue rules, and the queue is sorted below.  Bounds in locals: the
	 * passes write through m, so the compiler would reload them.) */
	const uint32_t *found = m->er.found;
	const uint8_t *fmark = m->fmark;
	uint32_t nfound = m->reference ? 0 : m->er.nfound;
	for (uint32_t k = 0; k < nfound; k++) {
		uint32_t f = found[k];
		uint8_t mk = fmark[f];
		if (mk & FM_INDEX)
			index_field(m, f, true);
		if (mk & FM_AC)
			ac_field(m, f, m->er.head[f]);
	}
	/* indexed hits (few) in rule order, merged with the source's
	 * always-evaluated rules (sorted by construction): alerts come out in
	 * load order */
	size_t nhit = m->nqueue;
	for (size_t i = 0; i < nhit;) {
		if (m->src_rule[m->queue[i]])
			i++;
		else
			m->queue[i] = m->queue[--nhit];
	}
	if (nhit > 32) {
		qsort(m->queue, nhit, sizeof(uint32_t), cmp_u32);
	} else { /* the usual handful: insertion sort, no call per comparison */
		for (size_t i = 1; i < nhit; i++) {
			uint32_t x = m->queue[i];
			size_t j = i;
			for (; j > 0 && m->queue[j - 1] > x; j--)
				m->queue[j] = m->queue[j - 1];
			m->queue[j] = x;
		}
	}
	m->cb_err = CS_OK;
	/* windows that no hit can reach any more close before this event's
	 * hits (correlate.c: expiry) */
	if (ev->time_ms != INT64_MIN)
		rc = m->log ? (m->has_corr ? log_event(m, ev->time_ms) : CS_OK)
			    : cs__corr_advance(m->corr, ev->time_ms, corr_alert, m);
	const char *ref = NULL;
	size_t qi = 0, ai = 0;
	uint32_t prev = UINT32_MAX;
	while (!rc && (qi < nhit || ai < m->nsrc_always)) {
		uint32_t r;
		if (ai == m->nsrc_always || (qi < nhit && m->queue[qi] <= m->src_always[ai]))
			r = m->queue[qi++];
		else
			r = m->src_always[ai++];
		if (r == prev)
			continue;
		prev = r;
		rc = eval_rule(m, r, ev, &ref);
	}
	if (!rc)
		rc = m->cb_err;
	group_warning(m, ev, diag);
	return rc;
}

void cs__matcher_set_reference(cs_matcher *m, bool on)
{
	m->reference = on;
}

void cs_matcher_set_lateness(cs_matcher *m, int64_t ms)
{
	cs__corr_set_lateness(m->corr, ms);
}

cs_err cs_matcher_finish(cs_matcher *m)
{
	m->cb_err = CS_OK;
	cs_err rc = cs__corr_finish(m->corr, corr_alert, m);
	return rc ? rc : m->cb_err;
}

size_t cs_matcher_rule_count(const cs_matcher *m)
{
	return m->rs->nrules;
}

const char *cs_matcher_rule_id(const cs_matcher *m, size_t i, uint64_t *alerts)
{
	if (i >= m->rs->nrules) {
		if (alerts)
			*alerts = 0;
		return NULL;
	}
	const cs__rule *r = &m->rs->rules[i];
	if (alerts)
		*alerts = m->counts[i];
	return r->id ? r->id : r->name ? r->name : r->title;
}
