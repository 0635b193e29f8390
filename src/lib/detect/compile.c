/*
 * detect/compile.c - cs_ruleset_compile: finds rule files, loads them
 * (rule.c), then freezes the rule set: the exact-value index (one hash from
 * field, case flag and folded value to tests), the list of rules that must
 * be evaluated on every event of their log source, the fields each rule's
 * alerts show, and which rules alert on their own.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "detect/detect_int.h"
#include "detect/acmatch.h"

#define MAX_FILES 100000
#define MAX_WALK_DEPTH 32

void cs__fold(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
}

cs_err cs__field_intern(cs_ruleset *rs, const char *name, uint32_t *out)
{
	size_t n = strlen(name);
	void *hit = cs__strmap_get(&rs->field_ix, name, n, NULL);
	if (hit) {
		*out = (uint32_t)((uintptr_t)hit - 1);
		return CS_OK;
	}
	if (rs->nfields == rs->capfields) {
		size_t nc = rs->capfields ? rs->capfields * 2 : 64;
		const char **nf = cs_realloc(rs->fields, nc * sizeof(*nf));
		if (!nf)
			return CS_ENOMEM;
		rs->fields = nf;
		rs->capfields = nc;
	}
	rs->fields[rs->nfields] = name;
	*out = (uint32_t)rs->nfields;
	rs->nfields++;
	return cs__strmap_put(&rs->field_ix, name, n, (void *)(uintptr_t)(*out + 1));
}

cs_err cs__test_new(cs_ruleset *rs, uint32_t rule, cs__test **t, uint32_t *out)
{
	if (rs->ntests >= 0x0fffffffu)
		return CS_ELIMIT;
	if (rs->ntests == rs->captests) {
		size_t nc = rs->captests ? rs->captests * 2 : 256;
		cs__test *nt = cs_realloc(rs->tests, nc * sizeof(*nt));
		if (!nt)
			return CS_ENOMEM;
		rs->tests = nt;
		rs->captests = nc;
	}
	*out = (uint32_t)rs->ntests;
	*t = &rs->tests[rs->ntests++];
	memset(*t, 0, sizeof(**t));
	(*t)->rule = rule;
	return CS_OK;
}

cs_err cs__prog_push(cs__prog *p, uint32_t op)
{
	if (p->n >= CS__PROG_MAX)
		return CS_ELIMIT;
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 16;
		uint32_t *no = cs_realloc(p->ops, nc * sizeof(*no));
		if (!no)
			return CS_ENOMEM;
		p->ops = no;
		p->cap = nc;
	}
	p->ops[p->n++] = op;
	return CS_OK;
}

cs_err cs__exact_key(cs_buf *b, uint32_t f, bool cased, const char *v, size_t n)
{
	char head[6] = { (char)(f & 0xff), (char)((f >> 8) & 0xff), (char)((f >> 16) & 0xff),
			 (char)((f >> 24) & 0xff), cased ? 'C' : 'i', ':' };
	b->len = 0;
	cs_err rc = cs_buf_append(b, head, sizeof head);
	if (!rc && n) {
		size_t at = b->len;
		rc = cs_buf_append(b, v, n);
		if (!rc && !cased)
			cs__fold(b->data + at, v, n);
	}
	return rc;
}

/* ---- finding rule files --------------------------------------------------- */

static bool is_rule_file(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

/* Collects rule files under path (sorted per folder, so load order and
 * therefore rule order are deterministic). */
static cs_err walk(cs_ruleset *rs, cs_diag_sink *diag, const char *path, unsigned depth,
		   cs_ptrvec *out)
{
	cs_err rc = CS_OK;
	struct stat st;
	cs_ptrvec names = { 0 };
	if (stat(path, &st) != 0) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ENOENT, path, 0, 0, NULL,
			     "cannot open rule path");
		return CS_ENOENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (out->n >= MAX_FILES)
			return CS_ELIMIT;
		char *p = cs_arena_strdup(rs->arena, path);
		return p ? cs__ptrvec_push(out, p) : CS_ENOMEM;
	}
	if (depth > MAX_WALK_DEPTH)
		return CS_OK;
	rc = cs__dir_sorted(rs->arena, path, &names);
	if (rc == CS_EIO)
		cs_diag_emit(diag, CS_SEV_ERROR, CS_EIO, path, 0, 0, NULL, "cannot read folder");
	for (size_t i = 0; i < names.n && !rc; i++) {
		const char *p = names.v[i];
		if (stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = walk(rs, diag, p, depth + 1, out);
		else if (is_rule_file(p))
			rc = walk(rs, diag, p, depth + 1, out);
	}
	cs__ptrvec_release(&names);
	return rc;
}

/* ---- freezing ------------------------------------------------------------- */

/* Three-valued evaluation with every indexed exact test false and every
 * other test unknown: whether the rule can match without an indexed hit
 * (then it is evaluated on every event of its log source). */
enum { V_F = 0, V_T = 1, V_U = 2 };

static bool may_match_unindexed(const cs_ruleset *rs, const cs__prog *p)
{
	uint8_t st[CS__STACK_MAX];
	size_t sp = 0;
	for (size_t i = 0; i < p->n; i++) {
		uint32_t op = p->ops[i], a = CS__OP_ARG(op);
		switch (CS__OP_CODE(op)) {
		case CS__OP_TEST: {
			const cs__test *t = &rs->tests[a];
			bool indexed = t->kind == CS__T_EXACT && t->field != CS__NOFIELD;
			if (sp < CS__STACK_MAX)
				st[sp++] = indexed ? V_F : V_U;
			break;
		}
		case CS__OP_CONST:
			if (sp < CS__STACK_MAX)
				st[sp++] = a ? V_T : V_F;
			break;
		case CS__OP_NOT:
			if (sp && st[sp - 1] != V_U)
				st[sp - 1] = st[sp - 1] == V_T ? V_F : V_T;
			break;
		default: {
			bool and = CS__OP_CODE(op) == CS__OP_AND;
			uint8_t r = and ? V_T : V_F;
			for (uint32_t k = 0; k < a && sp; k++) {
				uint8_t v = st[--sp];
				if (and)
					r = (r == V_F || v == V_F) ? V_F : (r == V_U || v == V_U) ? V_U : V_T;
				else
					r = (r == V_T || v == V_T) ? V_T : (r == V_U || v == V_U) ? V_U : V_F;
			}
			if (sp < CS__STACK_MAX)
				st[sp++] = r;
			break;
		}
		}
	}
	return sp ? st[sp - 1] != V_F : false;
}

/* Trigger tests of a rule: a set of indexed tests at least one of which is
 * true whenever the program is, chosen to be hit rarely, so the matcher
 * queues the rule only on those hits (with thousands of rules sharing a
 * common value such as an eventSource, queueing on every indexed hit made
 * the cost grow with the rule count).  Over the program: an indexed test is
 * its own set, costing how many tests share its key (a value many rules
 * name is likely common in the logs too) times its field's weight fwt (a
 * field of which rules name few values likely takes few); AND takes its cheapest operand
 * that has a set, OR needs a set from every operand and joins them, NOT and
 * unindexed tests have none; constant false is the empty set.  Returns
 * false when the whole program has none. */
typedef struct trig_ent {
	size_t start, n; /* segment of the scratch list */
	double cost;
	bool ok;
} trig_ent;

static bool triggers(cs_ruleset *rs, const cs__prog *p, const uint32_t *pop,
		     const uint32_t *share, const double *fwt, uint32_t *list, trig_ent *st)
{
	size_t sp = 0, top = 0;
	for (size_t i = 0; i < p->n; i++) {
		uint32_t op = p->ops[i], a = CS__OP_ARG(op);
		trig_ent e = { top, 0, 0, false };
		switch (CS__OP_CODE(op)) {
		case CS__OP_TEST: {
			const cs__test *t = &rs->tests[a];
			if ((t->kind == CS__T_EXACT && t->field != CS__NOFIELD) ||
			    (t->flags & CS__TF_AC)) {
				list[top++] = a;
				e.n = 1;
				/* a literal found inside values is less selective
				 * than a whole value, short ones least; a hit
				 * queues every rule whose trigger shares the
				 * group, so the cost grows with the sharing */
				e.cost = (t->flags & CS__TF_AC)
						 ? (2.0 + 16.0 / (double)(pop[a] + 1)) * (double)share[a]
						 : pop[a] * fwt[t->field];
				e.ok = true;
			}
			break;
		}
		case CS__OP_CONST:
			e.ok = a == 0; /* false: never true, nothing to trigger */
			break;
		case CS__OP_NOT:
			if (!sp)
				return false;
			top = st[--sp].start;
			e.start = top;
			break;
		default: {
			bool and = CS__OP_CODE(op) == CS__OP_AND;
			if (a > sp)
				return false;
			size_t base = sp - a;
			e.start = a ? st[base].start : top;
			e.ok = !and || a == 0;
			if (and) {
				size_t best = SIZE_MAX;
				for (size_t k = base; k < sp; k++)
					if (st[k].ok && (best == SIZE_MAX || st[k].cost < st[best].cost))
						best = k;
				if (best != SIZE_MAX) {
					memmove(list + e.start, list + st[best].start,
						st[best].n * sizeof(uint32_t));
					e.n = st[best].n;
					e.cost = st[best].cost;
					e.ok = true;
				}
			} else {
				e.ok = true;
				for (size_t k = base; k < sp; k++) {
					e.ok &= st[k].ok;
					e.n += st[k].n;
					e.cost += st[k].cost;
				}
			}
			if (!e.ok)
				e.n = 0;
			top = e.start + e.n;
			sp = base;
			break;
		}
		}
		if (sp >= CS__STACK_MAX)
			return false;
		st[sp++] = e;
	}
	if (sp != 1 || !st[0].ok)
		return false;
	for (size_t k = 0; k < st[0].n; k++)
		rs->tests[list[st[0].start + k]].flags |= CS__TF_TRIG;
	return true;
}

/* Subexpression sizes, so the matcher can skip operands (short cut). */
static cs_err spans(cs__rule *r)
{
	r->span = cs_calloc(r->prog.n + 1, sizeof(uint32_t));
	if (!r->span)
		return CS_ENOMEM;
	for (size_t i = 0; i < r->prog.n; i++) {
		uint32_t op = r->prog.ops[i], a = CS__OP_ARG(op), len = 1;
		size_t j = i;
		switch (CS__OP_CODE(op)) {
		case CS__OP_NOT:
			if (i)
				len += r->span[i - 1];
			break;
		case CS__OP_AND:
		case CS__OP_OR:
			for (uint32_t k = 0; k < a && j > 0; k++) {
				len += r->span[j - 1];
				j -= r->span[j - 1];
			}
			break;
		default:
			break;
		}
		r->span[i] = len;
	}
	return CS_OK;
}

/* The exact-value index (detect_int.h, cs__xent): one entry per distinct
 * (field, case flag, value) of the exact tests, listing the trigger tests
 * first (a hit queues their rules) and then the others.  A hit stamps the
 * entry (match.c); every test knows its entry (test_xent), so a rule's
 * other exact tests cost no comparison, and a hit costs nothing for the
 * tests of rules that are not queued (a value shared by thousands of
 * rules, such as an eventSource, is not walked per event). */
static cs_err build_xindex(cs_ruleset *rs)
{
	cs_err rc = CS_OK;
	size_t nx = 0, size = 16;
	uint32_t *ent = cs_calloc(rs->ntests + 1, sizeof(uint32_t)); /* test -> entry */
	uint32_t *fill = NULL;
	for (size_t i = 0; i < rs->ntests; i++)
		nx += rs->tests[i].kind == CS__T_EXACT && rs->tests[i].field != CS__NOFIELD;
	while (size < 2 * nx)
		size *= 2;
	rs->xtab = cs_calloc(size, sizeof(cs__xent));
	rs->xtests = cs_calloc(nx + 1, sizeof(uint32_t));
	rs->xfield = cs_calloc(rs->nfields + 1, 1);
	rs->xlens = cs_calloc(2 * rs->nfields + 1, sizeof(uint64_t));
	rs->test_xent = cs_calloc(rs->ntests + 1, sizeof(uint32_t));
	if (!ent || !rs->xtab || !rs->xtests || !rs->xfield || !rs->xlens || !rs->test_xent) {
		rc = CS_ENOMEM;
		goto out;
	}
	rs->xmask = size - 1;
	/* entries and their counts (n counts here; first is filled below) */
	for (size_t i = 0; i < rs->ntests; i++) {
		const cs__test *t = &rs->tests[i];
		rs->test_xent[i] = CS__NOFIELD;
		if (t->kind != CS__T_EXACT || t->field == CS__NOFIELD)
			continue;
		bool cased = (t->flags & CS__TF_CASED) != 0;
		uint64_t h = cs__xhash(t->field, cased, t->pat.ptr, t->pat.len);
		size_t k = (size_t)h & rs->xmask;
		for (;; k = (k + 1) & rs->xmask) {
			cs__xent *e = &rs->xtab[k];
			if (!e->n) {
				/* zero-padded: the lookup compares whole words */
				char *pad = cs_arena_alloc(rs->arena, (t->pat.len | 7) + 1);
				if (!pad) {
					rc = CS_ENOMEM;
					goto out;
				}
				memset(pad, 0, (t->pat.len | 7) + 1);
				if (t->pat.len)
					memcpy(pad, t->pat.ptr, t->pat.len);
				*e = (cs__xent){ h, pad, (uint32_t)t->pat.len, t->field, 0, 0, 0,
						 cased };
				break;
			}
			if (e->hash == h && e->field == t->field && e->cased == cased &&
			    e->len == t->pat.len &&
			    (!e->len || memcmp(e->pat, t->pat.ptr, t->pat.len) == 0))
				break;
		}
		rs->xtab[k].n++;
		rs->xtab[k].ntrig += (t->flags & CS__TF_TRIG) != 0;
		ent[i] = (uint32_t)k;
		rs->test_xent[i] = (uint32_t)k;
		rs->xfield[t->field] |= cased ? 2 : 1;
		rs->xlens[2 * (size_t)t->field + cased] |= cs__xlenbit(t->pat.len);
	}
	fill = cs_calloc(size, sizeof(uint32_t));
	if (!fill) {
		rc = CS_ENOMEM;
		goto out;
	}
	uint32_t at = 0;
	for (size_t k = 0; k < size; k++) {
		rs->xtab[k].first = at;
		at += rs->xtab[k].n;
	}
	/* triggers first, then the others, each in test order */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < rs->ntests; i++) {
			const cs__test *t = &rs->tests[i];
			if (t->kind != CS__T_EXACT || t->field == CS__NOFIELD ||
			    ((t->flags & CS__TF_TRIG) != 0) != (pass == 0))
				continue;
			cs__xent *e = &rs->xtab[ent[i]];
			rs->xtests[e->first + fill[ent[i]]++] = (uint32_t)i;
		}
out:
	cs_free(ent);
	cs_free(fill);
	return rc;
}

static cs_err freeze(cs_ruleset *rs)
{
	cs_err rc = CS_OK;
	cs_buf key;
	cs_buf_init(&key, 1u << 24);
	bool *seen = cs_calloc(rs->nfields + 1, sizeof(bool));
	uint32_t *pop = cs_calloc(rs->ntests + 1, sizeof(uint32_t));
	uint32_t *list = cs_calloc(rs->ntests + 1, sizeof(uint32_t));
	uint32_t *share = NULL; /* per test: tests sharing its automaton group */
	double *fwt = cs_calloc(rs->nfields + 1, sizeof(double)); /* see below */
	trig_ent *tst = cs_calloc(CS__STACK_MAX, sizeof(trig_ent));
	cs_str *keys = cs_calloc(rs->ntests + 1, sizeof(cs_str));
	cs_strmap all = { 0 }, groups = { 0 };
	if (!seen || !pop || !list || !tst || !keys || !fwt) {
		rc = CS_ENOMEM;
		goto out;
	}
	/* every exact test's key, and how many tests share it */
	for (size_t i = 0; i < rs->ntests && !rc; i++) {
		const cs__test *t = &rs->tests[i];
		if (t->kind == CS__T_EXACT && t->field != CS__NOFIELD) {
			rc = cs__exact_key(&key, t->field, (t->flags & CS__TF_CASED) != 0, t->pat.ptr,
					   t->pat.len);
			if (rc)
				break;
			char *k = cs_arena_alloc(rs->arena, key.len ? key.len : 1);
			if (!k) {
				rc = CS_ENOMEM;
				break;
			}
			memcpy(k, key.data, key.len);
			keys[i] = (cs_str){ k, key.len };
			rc = cs__strmap_put(&all, k, key.len, (void *)(uintptr_t)(i + 1));
		}
	}
	for (size_t i = 0; i < rs->ntests && !rc; i++)
		if (keys[i].ptr)
			list[i] = (uint32_t)((uintptr_t)cs__strmap_get(&all, keys[i].ptr, keys[i].len,
								       NULL) - 1);
	/* per field: a weight for its exact tests' costs, the most distinct
	 * values any field's tests name over the field's own number (fwt
	 * counts them first): rules name few values of a field that takes few
	 * (eventSource) and many of one that takes many (eventName), so a
	 * value of the first is likely the more common in the logs */
	double dmax = 1;
	for (size_t i = 0; i < rs->ntests && !rc; i++)
		if (keys[i].ptr && list[i] == i && ++fwt[rs->tests[i].field] > dmax)
			dmax = fwt[rs->tests[i].field];
	for (size_t f = 0; f < rs->nfields && !rc; f++)
		fwt[f] = fwt[f] > 0 ? dmax / fwt[f] : 1;
	for (size_t i = 0; i < rs->ntests && !rc; i++)
		if (keys[i].ptr)
			pop[list[i]]++;
	for (size_t i = 0; i < rs->ntests && !rc; i++)
		if (keys[i].ptr)
			list[i] = pop[list[i]];
	for (size_t i = 0; i < rs->ntests && !rc; i++)
		pop[i] = keys[i].ptr ? list[i] : 0;
	/* glob tests: grouped by field, case flag and pattern; each group's
	 * longest literal into the field's automaton */
	if (!rc) {
		rs->ac = cs_calloc(rs->nfields + 1, sizeof(struct cs__ac *));
		rs->test_group = cs_calloc(rs->ntests + 1, sizeof(uint32_t));
		rs->group_rep = cs_calloc(rs->ntests + 1, sizeof(uint32_t));
		if (!rs->ac || !rs->test_group || !rs->group_rep)
			rc = CS_ENOMEM;
	}
	for (size_t i = 0; i < rs->ntests && !rc; i++) {
		cs__test *t = &rs->tests[i];
		rs->test_group[i] = CS__NOFIELD;
		if (t->kind == CS__T_RE && t->field != CS__NOFIELD && t->pat.len) {
			/* a regex with a required literal: a group of its own,
			 * confirmed by running the regex */
			uint32_t gi = (uint32_t)rs->ngroups++;
			rs->group_rep[gi] = (uint32_t)i;
			rs->test_group[i] = gi;
			if (!rs->ac[t->field] && !(rs->ac[t->field] = cs__ac_new())) {
				rc = CS_ENOMEM;
				break;
			}
			cs_err arc = cs__ac_add(rs->ac[t->field], t->pat.ptr, t->pat.len, gi);
			if (arc == CS_OK) {
				t->flags |= CS__TF_AC;
				pop[i] = (uint32_t)t->pat.len;
			} else if (arc != CS_ELIMIT) {
				rc = arc;
			}
			continue;
		}
		if (t->kind != CS__T_GLOB || t->field == CS__NOFIELD || !t->pat.len)
			continue;
		rc = cs__exact_key(&key, t->field, (t->flags & CS__TF_CASED) != 0, t->pat.ptr,
				   t->pat.len);
		if (rc)
			break;
		void *g = cs__strmap_get(&groups, key.data, key.len, NULL);
		if (g) {
			uint32_t gi = (uint32_t)((uintptr_t)g - 1);
			rs->test_group[i] = gi;
			if (rs->tests[rs->group_rep[gi]].flags & CS__TF_AC) {
				t->flags |= CS__TF_AC;
				pop[i] = pop[rs->group_rep[gi]];
			}
			continue;
		}
		char *k = cs_arena_alloc(rs->arena, key.len);
		char *lit = cs_malloc(t->pat.len);
		size_t ln = lit ? cs__glob_literal(t->pat.ptr, t->pat.len, lit) : 0;
		uint32_t gi = (uint32_t)rs->ngroups;
		if (!k || !lit)
			rc = CS_ENOMEM;
		if (!rc) {
			memcpy(k, key.data, key.len);
			rc = cs__strmap_put(&groups, k, key.len, (void *)(uintptr_t)(gi + 1));
		}
		if (!rc) {
			rs->group_rep[gi] = (uint32_t)i;
			rs->test_group[i] = gi;
			rs->ngroups++;
		}
		if (!rc && ln && !rs->ac[t->field] && !(rs->ac[t->field] = cs__ac_new()))
			rc = CS_ENOMEM;
		if (!rc && ln) {
			cs_err arc = cs__ac_add(rs->ac[t->field], lit, ln, gi);
			if (arc == CS_OK) {
				t->flags |= CS__TF_AC;
				pop[i] = (uint32_t)ln;
			} else if (arc != CS_ELIMIT) {
				rc = arc; /* full automaton: the group stays unindexed */
			}
		}
		cs_free(lit);
	}
	for (size_t f = 0; f < rs->nfields && rs->ac && !rc; f++)
		if (rs->ac[f])
			rc = cs__ac_build(rs->ac[f]);
	/* tests per automaton group (the sharing in a trigger's cost) */
	if (!rc)
		share = cs_calloc(rs->ntests + rs->ngroups + 1, sizeof(uint32_t));
	if (!rc && !share)
		rc = CS_ENOMEM;
	for (size_t i = 0; i < rs->ntests && !rc; i++)
		if (rs->test_group[i] != CS__NOFIELD)
			share[rs->ntests + rs->test_group[i]]++;
	for (size_t i = 0; i < rs->ntests && !rc; i++)
		share[i] = rs->test_group[i] != CS__NOFIELD ? share[rs->ntests + rs->test_group[i]] : 1;
	for (size_t r = 0; r < rs->nrules && !rc; r++) {
		cs__rule *ru = &rs->rules[r];
		if (ru->kind != CS__R_DETECTION)
			continue;
		rc = spans(ru);
		if (rc)
			break;
		ru->always_eval = !triggers(rs, &ru->prog, pop, share, fwt, list, tst);
		if (ru->always_eval && !may_match_unindexed(rs, &ru->prog)) {
			/* no trigger set found, but an indexed hit is needed: any */
			ru->always_eval = false;
			for (size_t i = 0; i < ru->prog.n; i++) {
				uint32_t op = ru->prog.ops[i];
				cs__test *t = &rs->tests[CS__OP_ARG(op)];
				if (CS__OP_CODE(op) == CS__OP_TEST && t->kind == CS__T_EXACT &&
				    t->field != CS__NOFIELD)
					t->flags |= CS__TF_TRIG;
			}
		}
		if (ru->always_eval) {
			uint32_t *na = cs_realloc(rs->always, (rs->nalways + 1) * sizeof(uint32_t));
			if (!na) {
				rc = CS_ENOMEM;
				break;
			}
			rs->always = na;
			rs->always[rs->nalways++] = (uint32_t)r;
		}
	}
	/* per automaton group, its trigger tests (CSR) */
	if (!rc && rs->test_group) {
		rs->group_trig = cs_calloc(rs->ngroups + 2, sizeof(uint32_t));
		rs->trig_tests = cs_calloc(rs->ntests + 1, sizeof(uint32_t));
		if (!rs->group_trig || !rs->trig_tests)
			rc = CS_ENOMEM;
		for (size_t i = 0; i < rs->ntests && !rc; i++)
			if (rs->test_group[i] != CS__NOFIELD && (rs->tests[i].flags & CS__TF_TRIG))
				rs->group_trig[rs->test_group[i] + 1]++;
		for (size_t g = 0; g < rs->ngroups && !rc; g++)
			rs->group_trig[g + 1] += rs->group_trig[g];
		if (!rc)
			memset(list, 0, (rs->ntests + 1) * sizeof(uint32_t)); /* fill counts */
		for (size_t i = 0; i < rs->ntests && !rc; i++) {
			uint32_t g = rs->test_group[i];
			if (g != CS__NOFIELD && (rs->tests[i].flags & CS__TF_TRIG))
				rs->trig_tests[rs->group_trig[g] + list[g]++] = (uint32_t)i;
		}
	}
	if (!rc)
		rc = build_xindex(rs);
	/* the fields each rule's alerts show: those its tests read */
	for (size_t r = 0; r < rs->nrules && !rc; r++) {
		cs__rule *ru = &rs->rules[r];
		memset(seen, 0, (rs->nfields + 1) * sizeof(bool));
		for (size_t i = 0; i < ru->prog.n && !rc; i++) {
			uint32_t op = ru->prog.ops[i];
			if (CS__OP_CODE(op) != CS__OP_TEST)
				continue;
			uint32_t f = rs->tests[CS__OP_ARG(op)].field;
			if (f == CS__NOFIELD || seen[f])
				continue;
			seen[f] = true;
			uint32_t *nf = cs_realloc(ru->fields, (ru->nfields + 1) * sizeof(uint32_t));
			if (!nf) {
				rc = CS_ENOMEM;
				break;
			}
			ru->fields = nf;
			ru->fields[ru->nfields++] = f;
		}
	}
	/* who references whom; a referenced rule alerts on its own only if a
	 * referencing correlation says `generate: true` */
	for (size_t r = 0; r < rs->nrules; r++)
		rs->rules[r].standalone = rs->rules[r].kind != 0;
	for (size_t r = 0; r < rs->nrules && !rc; r++) {
		cs__rule *ru = &rs->rules[r];
		if (ru->kind != CS__R_CORRELATION)
			continue;
		for (size_t k = 0; k < ru->corr->nrefs && !rc; k++) {
			cs__rule *ref = &rs->rules[ru->corr->refs[k]];
			uint32_t *np = cs_realloc(ref->parents, (ref->nparents + 1) * sizeof(uint32_t));
			if (!np) {
				rc = CS_ENOMEM;
				break;
			}
			ref->parents = np;
			ref->parents[ref->nparents++] = (uint32_t)r;
		}
	}
	for (size_t r = 0; r < rs->nrules; r++) {
		cs__rule *ru = &rs->rules[r];
		if (!ru->nparents)
			continue;
		bool gen = false;
		for (size_t k = 0; k < ru->nparents; k++)
			gen |= rs->rules[ru->parents[k]].corr->generate;
		ru->standalone = gen && ru->kind != 0;
	}
	/* the key trie the on-demand event reader walks */
	if (!rc)
		rc = cs__evpaths_build(rs->fields, rs->nfields, &rs->paths);
out:
	cs_free(seen);
	cs_free(pop);
	cs_free(list);
	cs_free(share);
	cs_free(fwt);
	cs_free(tst);
	cs_free(keys);
	cs__strmap_release(&all);
	cs__strmap_release(&groups);
	cs_buf_release(&key);
	return rc;
}

cs_err cs_ruleset_compile(const char *const *paths, size_t npaths, const cs_ruleset_opts *opts,
			  cs_diag_sink *diag, cs_ruleset **out)
{
	cs_err rc = CS_OK;
	cs_ptrvec files = { 0 };
	cs__pending *pend = NULL;
	cs_diag_sink dummy = { 0 };
	cs_ruleset *rs = cs_calloc(1, sizeof(*rs));
	*out = NULL;
	if (!diag)
		diag = &dummy;
	if (!rs || !(rs->arena = cs_arena_new(0)) || !(pend = cs__pending_new())) {
		rc = CS_ENOMEM;
		goto out;
	}
	cs__loader L = { rs, diag, opts && opts->strict, 0, 0 };
	(void)cs__pcre2_mctx(); /* set up PCRE2 contexts before any thread matches */
	if (opts && opts->mappings_dir) {
		rc = cs__fieldmaps_load(rs, opts->mappings_dir, diag);
		if (rc == CS_ENOMEM)
			goto out;
		if (rc) {
			L.failed++;
			rc = CS_OK;
		}
	}
	for (size_t i = 0; i < npaths && !rc; i++) {
		rc = walk(rs, diag, paths[i], 0, &files);
		if (rc == CS_ENOENT || rc == CS_EIO) {
			L.failed++;
			rc = CS_OK;
		} else if (rc == CS_ELIMIT) {
			cs_diag_emit(diag, CS_SEV_ERROR, CS_ELIMIT, paths[i], 0, 0, NULL,
				     "more than %d rule files", MAX_FILES);
		}
	}
	for (size_t i = 0; i < files.n && !rc; i++)
		rc = cs__rules_load_file(&L, files.v[i], pend);
	if (!rc)
		rc = cs__rules_finish(&L, pend);
	if (!rc)
		rc = freeze(rs);
	if (rc)
		goto out;
	size_t live = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		live += rs->rules[i].kind != 0;
	if ((L.strict && (L.failed || L.unsupported)) || live == 0) {
		if (live == 0)
			cs_diag_emit(diag, CS_SEV_ERROR, CS_ECHECK, NULL, 0, 0, NULL,
				     "no rule compiled (%u with errors, %u unsupported)", L.failed,
				     L.unsupported);
		rc = CS_ECHECK;
		goto out;
	}
	*out = rs;
	rs = NULL;
out:
	cs__ptrvec_release(&files);
	cs__pending_free(pend);
	cs_ruleset_free(rs);
	return rc;
}

void cs_ruleset_free(cs_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->ntests; i++)
		if (rs->tests[i].re)
			pcre2_code_free(rs->tests[i].re);
	for (size_t i = 0; i < rs->nrules; i++) {
		cs_free(rs->rules[i].prog.ops);
		cs_free(rs->rules[i].span);
		cs_free(rs->rules[i].fields);
		cs_free(rs->rules[i].parents);
	}
	cs__fieldmaps_release(rs);
	cs__evpaths_free(rs->paths);
	for (size_t f = 0; rs->ac && f < rs->nfields; f++)
		cs__ac_free(rs->ac[f]);
	cs_free(rs->ac);
	cs_free(rs->test_group);
	cs_free(rs->group_rep);
	cs_free(rs->group_trig);
	cs_free(rs->trig_tests);
	cs__strmap_release(&rs->field_ix);
	cs_free(rs->xtab);
	cs_free(rs->xtests);
	cs_free(rs->test_xent);
	cs_free(rs->xfield);
	cs_free(rs->xlens);
	cs__strmap_release(&rs->by_ref);
	cs__strmap_release(&rs->placeholders);
	cs_free(rs->always);
	cs_free(rs->rules);
	cs_free(rs->tests);
	cs_free(rs->fields);
	cs_arena_free(rs->arena);
	cs_free(rs);
}

size_t cs_ruleset_count(const cs_ruleset *rs)
{
	size_t n = 0;
	for (size_t i = 0; rs && i < rs->nrules; i++)
		n += rs->rules[i].kind != 0;
	return n;
}
