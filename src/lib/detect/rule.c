/*
 * detect/rule.c - Sigma rule documents: reading rule files (several YAML
 * documents each), telling detection rules, correlation rules and meta
 * filters apart, reading their metadata, compiling detections (selections,
 * keyword lists, the condition, the filters that apply) and resolving the
 * references of correlations (to rules and to other correlations).
 *
 * Every problem is diagnosed with file, line and column; a rule with a
 * problem is skipped and counted, and loading goes on.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cshare/yaml.h"
#include "detect/detect_int.h"

#define MAX_RULE_FILE (16u << 20)

typedef struct pdoc {
	uint8_t kind; /* 1 detection, 2 correlation, 3 filter */
	const cs_value *doc;
	const char *file;
} pdoc;

struct cs__pending {
	pdoc *d;
	size_t n, cap;
};

cs__pending *cs__pending_new(void)
{
	return cs_calloc(1, sizeof(cs__pending));
}

void cs__pending_free(cs__pending *p)
{
	if (p) {
		cs_free(p->d);
		cs_free(p);
	}
}

static cs_err pend_add(cs__pending *p, uint8_t kind, const cs_value *doc, const char *file)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 64;
		pdoc *nd = cs_realloc(p->d, nc * sizeof(*nd));
		if (!nd)
			return CS_ENOMEM;
		p->d = nd;
		p->cap = nc;
	}
	p->d[p->n++] = (pdoc){ kind, doc, file };
	return CS_OK;
}

#define LOC(v) cs_value_line(v), cs_value_col(v)

cs_err cs__rules_load_file(cs__loader *L, const char *path, cs__pending *pend)
{
	cs_err rc = CS_OK;
	char *data = NULL;
	size_t len = 0;
	const cs_value *docs = NULL;
	const char *file = cs_arena_strdup(L->rs->arena, path);
	if (!file)
		return CS_ENOMEM;
	rc = cs_file_read(path, MAX_RULE_FILE, &data, &len);
	if (rc) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, rc, file, 0, 0, NULL, "cannot read rule file: %s",
			     cs_strerror(rc));
		L->failed++;
		rc = CS_OK;
		goto out;
	}
	cs_yaml_opts yo = { 64, 1000000 };
	rc = cs_yaml_parse(L->rs->arena, file, data, len, &yo, L->diag, &docs);
	if (rc == CS_ENOMEM)
		goto out;
	if (rc) {
		L->failed++;
		rc = CS_OK;
		goto out;
	}
	for (size_t i = 0; i < cs_value_len(docs) && !rc; i++) {
		const cs_value *d = cs_value_at(docs, i);
		if (cs_value_type(d) == CS_VNULL)
			continue; /* empty document (a trailing ---) */
		if (cs_value_type(d) != CS_VOBJECT) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(d), NULL,
				     "a rule document must be a mapping, not %s",
				     cs_vtype_name(cs_value_type(d)));
			L->failed++;
			continue;
		}
		const cs_value *act = cs_value_get(d, "action");
		if (act) {
			cs_diag_emit(L->diag, CS_SEV_WARNING, CS_EUNSUPPORTED, file, LOC(act), NULL,
				     "unsupported: Sigma 1 rule collections ('action: %.*s'); "
				     "write each rule as a complete document",
				     (int)cs_value_str(act).len, cs_value_str(act).ptr);
			L->unsupported++;
			continue;
		}
		uint8_t kind = cs_value_get(d, "correlation") ? 2
			       : cs_value_get(d, "filter")    ? 3
			       : cs_value_get(d, "detection") ? 1
							      : 0;
		if (!kind) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(d), NULL,
				     "document has none of 'detection', 'correlation' or 'filter'");
			L->failed++;
			continue;
		}
		rc = pend_add(pend, kind, d, file);
	}
out:
	cs_free(data);
	return rc;
}

/* ---- metadata ------------------------------------------------------------- */

static const char *str_field(cs__loader *L, const char *file, const cs_value *d,
			     const char *key, bool *bad)
{
	const cs_value *v = cs_value_get(d, key);
	if (!v || cs_value_type(v) == CS_VNULL)
		return NULL;
	if (cs_value_type(v) == CS_VOBJECT || cs_value_type(v) == CS_VARRAY) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(v), NULL,
			     "'%s' must be a scalar, not %s", key, cs_vtype_name(cs_value_type(v)));
		*bad = true;
		return NULL;
	}
	cs_str s = cs__det_text(v);
	return cs_arena_strndup(L->rs->arena, s.ptr, s.len);
}

static cs_err read_meta(cs__loader *L, const char *file, const cs_value *d, cs__rule *r)
{
	bool bad = false;
	r->file = file;
	r->line = cs_value_line(d);
	r->id = str_field(L, file, d, "id", &bad);
	r->name = str_field(L, file, d, "name", &bad);
	r->title = str_field(L, file, d, "title", &bad);
	r->level = str_field(L, file, d, "level", &bad);
	r->author = str_field(L, file, d, "author", &bad);
	r->status = str_field(L, file, d, "status", &bad);
	r->domain = str_field(L, file, d, "cshare_domain", &bad);
	if (!r->title && !bad) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(d), r->id,
			     "rule has no 'title'");
		bad = true;
	}
	const cs_value *ls = cs_value_get(d, "logsource");
	if (ls && cs_value_type(ls) == CS_VOBJECT) {
		r->product = str_field(L, file, ls, "product", &bad);
		r->service = str_field(L, file, ls, "service", &bad);
		r->category = str_field(L, file, ls, "category", &bad);
	} else if (ls) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(ls), r->id,
			     "'logsource' must be a mapping");
		bad = true;
	}
	const cs_value *tags = cs_value_get(d, "tags");
	size_t nt = tags && cs_value_type(tags) == CS_VARRAY ? cs_value_len(tags) : 0;
	r->tags = cs_arena_alloc(L->rs->arena, (nt + 1) * sizeof(char *));
	if (!r->tags)
		return CS_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < nt; i++) {
		const cs_value *t = cs_value_at(tags, i);
		if (cs_value_type(t) == CS_VSTRING)
			r->tags[k++] = cs_arena_strndup(L->rs->arena, cs_value_str(t).ptr,
							cs_value_str(t).len);
	}
	r->tags[k] = NULL;
	if (cs_arena_error(L->rs->arena))
		return CS_ENOMEM;
	return bad ? CS_ECHECK : CS_OK;
}

static cs_err rule_push(cs_ruleset *rs, cs__rule **out, uint32_t *ix)
{
	if (rs->nrules == rs->caprules) {
		size_t nc = rs->caprules ? rs->caprules * 2 : 64;
		cs__rule *nr = cs_realloc(rs->rules, nc * sizeof(*nr));
		if (!nr)
			return CS_ENOMEM;
		rs->rules = nr;
		rs->caprules = nc;
	}
	*ix = (uint32_t)rs->nrules;
	*out = &rs->rules[rs->nrules++];
	memset(*out, 0, sizeof(**out));
	return CS_OK;
}

/* Drops the last rule and the tests it made (a rule that failed). */
static void rule_pop(cs_ruleset *rs, size_t ntests_before)
{
	cs__rule *r = &rs->rules[--rs->nrules];
	cs_free(r->prog.ops);
	cs_free(r->fields);
	while (rs->ntests > ntests_before) {
		cs__test *t = &rs->tests[--rs->ntests];
		if (t->re)
			pcre2_code_free(t->re);
	}
}

/* ---- detections ----------------------------------------------------------- */

typedef struct sels {
	cs__sel *s;
	size_t n;
} sels;

static void sels_release(sels *s)
{
	for (size_t i = 0; i < s->n; i++)
		cs_free(s->s[i].prog.ops);
	cs_free(s->s);
	s->s = NULL;
	s->n = 0;
}

/* One selection map: AND of its items. */
static cs_err sel_map(cs__loader *L, uint32_t rule, const char *file, const cs_value *m,
		      cs__prog *p)
{
	cs_err rc = CS_OK;
	size_t n = cs_value_len(m);
	const cs_member *mem = ((const struct cs_value *)m)->u.obj.m;
	if (n == 0) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(m), L->rs->rules[rule].id,
			     "empty selection map");
		return CS_ECHECK;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		cs_str k = mem[i].key;
		char *key = cs_arena_strndup(L->rs->arena, k.ptr, k.len);
		if (!key)
			return CS_ENOMEM;
		rc = cs__item_compile(L, rule, file, key, mem[i].line, mem[i].col, mem[i].val, p);
	}
	if (!rc && n > 1)
		rc = cs__prog_push(p, CS__OP(CS__OP_AND, n));
	return rc;
}

/* One named selection (map, list of maps, keyword list or keyword). */
static cs_err selection(cs__loader *L, uint32_t rule, const char *file, const cs_value *v,
			cs__prog *p)
{
	cs_err rc = CS_OK;
	const char *rid = L->rs->rules[rule].id;
	switch (cs_value_type(v)) {
	case CS_VOBJECT:
		return sel_map(L, rule, file, v, p);
	case CS_VARRAY: {
		size_t n = cs_value_len(v), nmaps = 0;
		for (size_t i = 0; i < n; i++)
			nmaps += cs_value_type(cs_value_at(v, i)) == CS_VOBJECT;
		if (n == 0) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(v), rid,
				     "empty selection list");
			return CS_ECHECK;
		}
		if (nmaps == 0)
			return cs__item_compile(L, rule, file, NULL, LOC(v), v, p);
		if (nmaps != n) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(v), rid,
				     "a selection list mixes maps and keywords");
			return CS_ECHECK;
		}
		for (size_t i = 0; i < n && !rc; i++)
			rc = sel_map(L, rule, file, cs_value_at(v, i), p);
		if (!rc && n > 1)
			rc = cs__prog_push(p, CS__OP(CS__OP_OR, n));
		return rc;
	}
	case CS_VSTRING:
	case CS_VNUMBER:
		return cs__item_compile(L, rule, file, NULL, LOC(v), v, p);
	default:
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(v), rid,
			     "a selection must be a map, a list or a keyword, not %s",
			     cs_vtype_name(cs_value_type(v)));
		return CS_ECHECK;
	}
}

/* Compiles the selections of a detection (or filter) block, skipping the
 * keys that are not selections. */
static cs_err block_sels(cs__loader *L, uint32_t rule, const char *file, const cs_value *det,
			 const char *const *skip, sels *out)
{
	cs_err rc = CS_OK;
	size_t n = cs_value_len(det);
	out->s = cs_calloc(n ? n : 1, sizeof(cs__sel));
	if (!out->s)
		return CS_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		cs_str k = cs_value_key_at(det, i);
		bool skipped = false;
		for (size_t j = 0; skip[j]; j++)
			skipped |= cs_str_eqc(k, skip[j]);
		if (skipped)
			continue;
		char *nm = cs_arena_strndup(L->rs->arena, k.ptr, k.len);
		if (!nm)
			return CS_ENOMEM;
		cs__sel *s = &out->s[out->n++];
		s->name = nm;
		rc = selection(L, rule, file, cs_value_at(det, i), &s->prog);
	}
	return rc;
}

/* Compiles `condition` (a string or a list of strings, OR'd) into p. */
static cs_err condition(cs__loader *L, const char *file, const char *rid, const cs_value *cond,
			const sels *s, cs__prog *p)
{
	cs_err rc = CS_OK;
	if (!cond) {
		return CS_ECHECK;
	}
	size_t n = cs_value_type(cond) == CS_VARRAY ? cs_value_len(cond) : 1;
	if (n == 0)
		goto bad;
	for (size_t i = 0; i < n && !rc; i++) {
		const cs_value *c = cs_value_type(cond) == CS_VARRAY ? cs_value_at(cond, i) : cond;
		if (cs_value_type(c) != CS_VSTRING)
			goto bad;
		rc = cs__cond_compile(L->diag, file, LOC(c), rid, cs_value_str(c).ptr,
				      cs_value_str(c).len, s->s, s->n, p);
	}
	if (!rc && n > 1)
		rc = cs__prog_push(p, CS__OP(CS__OP_OR, n));
	return rc;
bad:
	cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, file, LOC(cond), rid,
		     "'condition' must be a string or a list of strings");
	return CS_ECHECK;
}

static bool logsource_covers(const cs__rule *f, const cs__rule *r)
{
	/* every logsource field the filter sets must equal the rule's */
	const char *fa[3] = { f->product, f->service, f->category };
	const char *ra[3] = { r->product, r->service, r->category };
	for (int i = 0; i < 3; i++)
		if (fa[i] && (!ra[i] || strcasecmp(fa[i], ra[i]) != 0))
			return false;
	return true;
}

static bool filter_names(const cs_value *rules, const cs__rule *r)
{
	if (cs_value_type(rules) == CS_VSTRING)
		return cs_str_ieqc(cs_value_str(rules), "any") ||
		       (r->id && cs_str_eqc(cs_value_str(rules), r->id)) ||
		       (r->name && cs_str_eqc(cs_value_str(rules), r->name));
	for (size_t i = 0; i < cs_value_len(rules); i++) {
		cs_str s = cs__det_text(cs_value_at(rules, i));
		if ((r->id && cs_str_eqc(s, r->id)) || (r->name && cs_str_eqc(s, r->name)))
			return true;
	}
	return false;
}

/* Whether a filter document is well formed (diagnosed once). */
static bool filter_ok(cs__loader *L, const pdoc *pd, cs__rule *meta)
{
	const cs_value *f = cs_value_get(pd->doc, "filter");
	bool bad = false;
	memset(meta, 0, sizeof(*meta));
	if (read_meta(L, pd->file, pd->doc, meta) != CS_OK)
		return false;
	if (cs_value_type(f) != CS_VOBJECT) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(f), meta->id,
			     "'filter' must be a mapping");
		return false;
	}
	const cs_value *rules = cs_value_get(f, "rules");
	if (!rules || (cs_value_type(rules) != CS_VARRAY && cs_value_type(rules) != CS_VSTRING)) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(f), meta->id,
			     "filter needs 'rules' (a list of rule ids or names, or 'any')");
		bad = true;
	}
	if (!cs_value_get(f, "condition")) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(f), meta->id,
			     "filter needs a 'condition'");
		bad = true;
	}
	if (!cs_value_get(pd->doc, "logsource")) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(pd->doc), meta->id,
			     "filter needs a 'logsource'");
		bad = true;
	}
	return !bad;
}

static const char *const DET_SKIP[] = { "condition", "timeframe", NULL };
static const char *const FILT_SKIP[] = { "condition", "rules", NULL };

static cs_err detection_rule(cs__loader *L, cs__pending *pend, size_t di, const bool *fgood,
			     const cs__rule *fmeta)
{
	cs_err rc = CS_OK;
	const pdoc *pd = &pend->d[di];
	cs__rule *r;
	uint32_t ix;
	size_t t0 = L->rs->ntests;
	sels s = { 0 }, fs = { 0 };
	rc = rule_push(L->rs, &r, &ix);
	if (rc)
		return rc;
	r->kind = CS__R_DETECTION;
	rc = read_meta(L, pd->file, pd->doc, r);
	if (rc)
		goto out;
	const cs_value *det = cs_value_get(pd->doc, "detection");
	if (cs_value_type(det) != CS_VOBJECT) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(det), r->id,
			     "'detection' must be a mapping");
		rc = CS_ECHECK;
		goto out;
	}
	const cs_value *tf = cs_value_get(det, "timeframe");
	if (tf) {
		cs_diag_emit(L->diag, CS_SEV_WARNING, CS_EUNSUPPORTED, pd->file, LOC(tf), r->id,
			     "unsupported: Sigma 1 'timeframe' in a detection; use a correlation "
			     "rule");
		rc = CS_EUNSUPPORTED;
		goto out;
	}
	const cs_value *cond = cs_value_get(det, "condition");
	if (!cond) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(det), r->id,
			     "detection has no 'condition'");
		rc = CS_ECHECK;
		goto out;
	}
	rc = block_sels(L, ix, pd->file, det, DET_SKIP, &s);
	if (!rc)
		rc = condition(L, pd->file, r->id, cond, &s, &L->rs->rules[ix].prog);
	/* meta filters that name this rule: rule := rule and filter1 and ...
	 * (one flat AND, so many filters do not nest the program deeply) */
	size_t nf = 0;
	for (size_t i = 0; i < pend->n && !rc; i++) {
		r = &L->rs->rules[ix];
		if (pend->d[i].kind != 3 || !fgood[i] || !logsource_covers(&fmeta[i], r))
			continue;
		const cs_value *f = cs_value_get(pend->d[i].doc, "filter");
		if (!filter_names(cs_value_get(f, "rules"), r))
			continue;
		sels_release(&fs);
		rc = block_sels(L, ix, pend->d[i].file, f, FILT_SKIP, &fs);
		if (!rc)
			rc = condition(L, pend->d[i].file, fmeta[i].id, cs_value_get(f, "condition"),
				       &fs, &L->rs->rules[ix].prog);
		nf++;
	}
	if (!rc && nf)
		rc = cs__prog_push(&L->rs->rules[ix].prog, CS__OP(CS__OP_AND, nf + 1));
out:
	sels_release(&s);
	sels_release(&fs);
	if (rc == CS_ELIMIT) {
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(pd->doc),
			     L->rs->rules[ix].id, "rule too large to compile");
		rc = CS_ECHECK;
	}
	if (rc == CS_ECHECK || rc == CS_EUNSUPPORTED) {
		if (rc == CS_ECHECK)
			L->failed++;
		else
			L->unsupported++;
		rule_pop(L->rs, t0);
		rc = CS_OK;
	} else if (rc) {
		rule_pop(L->rs, t0);
	}
	return rc;
}

/* ---- correlations --------------------------------------------------------- */

static const struct {
	const char *name;
	uint8_t type;
} CTYPES[] = {
	{ "event_count", CS__C_EVENT_COUNT },   { "value_count", CS__C_VALUE_COUNT },
	{ "temporal", CS__C_TEMPORAL },         { "temporal_ordered", CS__C_TEMPORAL_ORDERED },
	{ "value_sum", CS__C_VALUE_SUM },       { "value_avg", CS__C_VALUE_AVG },
	{ "value_percentile", CS__C_VALUE_PERCENTILE },
};
static const struct {
	const char *name;
	uint8_t cmp;
} CMPS[] = { { "gt", CS__CMP_GT },   { "gte", CS__CMP_GTE }, { "lt", CS__CMP_LT },
	     { "lte", CS__CMP_LTE }, { "eq", CS__CMP_EQ },   { "neq", CS__CMP_NEQ } };

static bool parse_timespan(cs_str s, int64_t *ms)
{
	if (s.len < 2 || s.len > 12)
		return false;
	int64_t n = 0;
	for (size_t i = 0; i + 1 < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
		n = n * 10 + (s.ptr[i] - '0');
	}
	switch (s.ptr[s.len - 1]) {
	case 's': *ms = n * 1000; break;
	case 'm': *ms = n * 60000; break;
	case 'h': *ms = n * 3600000; break;
	case 'd': *ms = n * 86400000; break;
	default: return false;
	}
	return n > 0;
}

#define CERR(v, ...)                                                                      \
	do {                                                                              \
		cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(v), r->id,   \
			     __VA_ARGS__);                                                \
		rc = CS_ECHECK;                                                           \
		goto out;                                                                 \
	} while (0)

/* First pass: metadata and the correlation section, references unresolved. */
static cs_err correlation_rule(cs__loader *L, const pdoc *pd)
{
	cs_err rc = CS_OK;
	cs__rule *r;
	uint32_t ix;
	cs_arena *a = L->rs->arena;
	rc = rule_push(L->rs, &r, &ix);
	if (rc)
		return rc;
	r->kind = CS__R_CORRELATION;
	rc = read_meta(L, pd->file, pd->doc, r);
	if (rc)
		goto out;
	const cs_value *c = cs_value_get(pd->doc, "correlation");
	if (cs_value_type(c) != CS_VOBJECT)
		CERR(c, "'correlation' must be a mapping");
	cs__corr *co = cs_arena_alloc(a, sizeof(*co));
	if (!co) {
		rc = CS_ENOMEM;
		goto out;
	}
	memset(co, 0, sizeof(*co));
	r->corr = co;
	const cs_value *ty = cs_value_get(c, "type");
	if (!ty)
		CERR(c, "correlation needs a 'type'");
	for (size_t i = 0; i < CS_ARRAY_SIZE(CTYPES); i++)
		if (cs_str_eqc(cs_value_str(ty), CTYPES[i].name))
			co->type = CTYPES[i].type;
	if (!co->type)
		CERR(ty, "unknown correlation type '%.*s'", (int)cs_value_str(ty).len,
		     cs_value_str(ty).ptr);
	const cs_value *rules = cs_value_get(c, "rules");
	if (rules && cs_value_type(rules) == CS_VSTRING) {
		/* a single reference */
	} else if (!rules || cs_value_type(rules) != CS_VARRAY || cs_value_len(rules) == 0) {
		CERR(rules ? rules : c, "correlation needs 'rules' (ids or names)");
	}
	const cs_value *gb = cs_value_get(c, "group-by");
	if (gb && cs_value_type(gb) == CS_VSTRING) {
		co->ngroup = 1;
	} else if (gb && cs_value_type(gb) == CS_VARRAY) {
		co->ngroup = cs_value_len(gb);
	} else if (gb && cs_value_type(gb) != CS_VNULL) {
		CERR(gb, "'group-by' must be a list of field names");
	}
	co->group_by = cs_arena_alloc(a, (co->ngroup + 1) * sizeof(char *));
	if (!co->group_by) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < co->ngroup; i++) {
		const cs_value *g = cs_value_type(gb) == CS_VARRAY ? cs_value_at(gb, i) : gb;
		if (cs_value_type(g) != CS_VSTRING)
			CERR(g, "group-by names must be strings");
		co->group_by[i] = cs_arena_strndup(a, cs_value_str(g).ptr, cs_value_str(g).len);
	}
	const cs_value *ts = cs_value_get(c, "timespan");
	if (!ts)
		ts = cs_value_get(c, "timeframe");
	if (!ts || !parse_timespan(cs__det_text(ts), &co->timespan_ms))
		CERR(ts ? ts : c, "correlation needs 'timespan' as a number and s, m, h or d "
				  "(e.g. 90m)");
	const cs_value *cond = cs_value_get(c, "condition");
	bool needs_field = co->type == CS__C_VALUE_COUNT || co->type == CS__C_VALUE_SUM ||
			   co->type == CS__C_VALUE_AVG || co->type == CS__C_VALUE_PERCENTILE;
	bool temporal = co->type == CS__C_TEMPORAL || co->type == CS__C_TEMPORAL_ORDERED;
	if (cond && cs_value_type(cond) != CS_VOBJECT)
		CERR(cond, "correlation 'condition' must be a mapping such as {gte: 10}");
	if (!cond && !temporal)
		CERR(c, "this correlation type needs a 'condition'");
	size_t ncmp = 0;
	for (size_t i = 0; cond && i < cs_value_len(cond); i++) {
		cs_str k = cs_value_key_at(cond, i);
		const cs_value *v = cs_value_at(cond, i);
		if (cs_str_eqc(k, "field")) {
			if (cs_value_type(v) != CS_VSTRING)
				CERR(v, "condition 'field' must be a field name");
			co->field = cs_arena_strndup(a, cs_value_str(v).ptr, cs_value_str(v).len);
			continue;
		}
		size_t j;
		for (j = 0; j < CS_ARRAY_SIZE(CMPS); j++)
			if (cs_str_eqc(k, CMPS[j].name))
				break;
		if (j == CS_ARRAY_SIZE(CMPS))
			CERR(v, "unknown correlation condition operator '%.*s'", (int)k.len, k.ptr);
		if (cs_value_type(v) != CS_VNUMBER)
			CERR(v, "correlation condition '%.*s' needs a number", (int)k.len, k.ptr);
		if (ncmp == 2)
			CERR(v, "at most two condition operators (a range) are allowed");
		co->cmp[ncmp] = CMPS[j].cmp;
		co->cmpv[ncmp++] = cs_value_num(v);
	}
	if (cond && ncmp == 0)
		CERR(cond, "correlation condition has no operator (gt, gte, lt, lte, eq, neq)");
	if (needs_field && !co->field)
		CERR(cond ? cond : c, "this correlation type needs 'field' in its condition");
	const cs_value *gen = cs_value_get(c, "generate");
	if (!gen)
		gen = cs_value_get(pd->doc, "generate");
	co->generate = gen && cs_value_type(gen) == CS_VBOOL && cs_value_bool(gen);
out:
	if (rc == CS_ECHECK) {
		L->failed++;
		rule_pop(L->rs, L->rs->ntests);
		rc = CS_OK;
	} else if (rc) {
		rule_pop(L->rs, L->rs->ntests);
	}
	return rc;
}

/* Second pass: references and aliases.  *dead set when the rule must go. */
static cs_err correlation_refs(cs__loader *L, const pdoc *pd, uint32_t ix, bool *dead)
{
	cs_err rc = CS_OK;
	cs__rule *r = &L->rs->rules[ix];
	cs__corr *co = r->corr;
	cs_arena *a = L->rs->arena;
	const cs_value *c = cs_value_get(pd->doc, "correlation");
	const cs_value *rules = cs_value_get(c, "rules");
	size_t n = cs_value_type(rules) == CS_VARRAY ? cs_value_len(rules) : 1;
	co->refs = cs_arena_alloc(a, n * sizeof(uint32_t));
	co->alias_field = cs_arena_alloc(a, (co->ngroup * n + 1) * sizeof(char *));
	if (!co->refs || !co->alias_field)
		return CS_ENOMEM;
	co->nrefs = n;
	for (size_t i = 0; i < n; i++) {
		const cs_value *v = cs_value_type(rules) == CS_VARRAY ? cs_value_at(rules, i) : rules;
		cs_str s = cs__det_text(v);
		void *hit = cs__strmap_get(&L->rs->by_ref, s.ptr, s.len, NULL);
		if (!hit) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(v), r->id,
				     "correlation refers to '%.*s', which is no loaded rule's id or "
				     "name (or that rule was skipped)", (int)s.len, s.ptr);
			*dead = true;
			return CS_OK;
		}
		co->refs[i] = (uint32_t)((uintptr_t)hit - 1);
		if (co->refs[i] == ix) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(v), r->id,
				     "correlation refers to itself");
			*dead = true;
			return CS_OK;
		}
	}
	const cs_value *al = cs_value_get(c, "aliases");
	for (size_t g = 0; g < co->ngroup; g++) {
		const cs_value *m = al ? cs_value_get(al, co->group_by[g]) : NULL;
		for (size_t i = 0; i < n; i++) {
			const char *f = NULL;
			if (m && cs_value_type(m) == CS_VOBJECT) {
				const cs__rule *ref = &L->rs->rules[co->refs[i]];
				const cs_value *fv = ref->name ? cs_value_get(m, ref->name) : NULL;
				if (!fv && ref->id)
					fv = cs_value_get(m, ref->id);
				if (fv && cs_value_type(fv) == CS_VSTRING)
					f = cs_arena_strndup(a, cs_value_str(fv).ptr, cs_value_str(fv).len);
				if (!fv) {
					cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, pd->file, LOC(m),
						     r->id, "alias '%s' names no field for rule '%s'",
						     co->group_by[g], ref->name ? ref->name : ref->id);
					*dead = true;
					return CS_OK;
				}
			}
			co->alias_field[g * n + i] = f;
		}
	}
	return rc;
}

/* Whether a correlation is in (or built on) a reference cycle or a chain
 * deeper than 32: depth-first with colours (0 new, 1 on the path, 2 done),
 * so every rule is visited once. */
static bool in_cycle(const cs_ruleset *rs, uint32_t ix, uint8_t *colour, unsigned depth)
{
	const cs__rule *r = &rs->rules[ix];
	if (colour[ix] == 1 || depth > 32)
		return true;
	if (colour[ix] == 2 || r->kind != CS__R_CORRELATION || !r->corr || !r->corr->refs)
		return false;
	colour[ix] = 1;
	bool bad = false;
	for (size_t i = 0; i < r->corr->nrefs && !bad; i++)
		bad = in_cycle(rs, r->corr->refs[i], colour, depth + 1);
	colour[ix] = bad ? 1 : 2;
	return bad;
}

/* Makes a rule findable by id and name; a second rule with an id or name
 * already taken is an error and is disabled. */
static cs_err register_refs(cs__loader *L, uint32_t ix)
{
	cs_err rc = CS_OK;
	cs_ruleset *rs = L->rs;
	cs__rule *r = &rs->rules[ix];
	const char *keys[2] = { r->id, r->name };
	for (int k = 0; k < 2; k++)
		if (keys[k] && cs__strmap_get(&rs->by_ref, keys[k], strlen(keys[k]), NULL)) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, r->file, r->line, 1, r->id,
				     "rule %s '%s' is already used by another loaded rule",
				     k ? "name" : "id", keys[k]);
			r->kind = 0;
			L->failed++;
			return CS_OK;
		}
	for (int k = 0; k < 2 && !rc; k++)
		if (keys[k])
			rc = cs__strmap_put(&rs->by_ref, keys[k], strlen(keys[k]),
					    (void *)(uintptr_t)(ix + 1));
	return rc;
}

cs_err cs__rules_finish(cs__loader *L, cs__pending *pend)
{
	cs_err rc = CS_OK;
	cs_ruleset *rs = L->rs;
	bool *fgood = cs_calloc(pend->n + 1, sizeof(bool));
	cs__rule *fmeta = cs_calloc(pend->n + 1, sizeof(cs__rule));
	uint32_t *cdoc = cs_calloc(pend->n + 1, sizeof(uint32_t));
	uint8_t *colour = NULL;
	if (!fgood || !fmeta || !cdoc) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < pend->n; i++)
		if (pend->d[i].kind == 3) {
			fgood[i] = filter_ok(L, &pend->d[i], &fmeta[i]);
			if (!fgood[i])
				L->failed++;
		}
	for (size_t i = 0; i < pend->n && !rc; i++)
		if (pend->d[i].kind == 1)
			rc = detection_rule(L, pend, i, fgood, fmeta);
	size_t first_corr = rs->nrules;
	for (size_t i = 0; i < pend->n && !rc; i++)
		if (pend->d[i].kind == 2) {
			size_t before = rs->nrules;
			rc = correlation_rule(L, &pend->d[i]);
			if (!rc && rs->nrules > before)
				cdoc[rs->nrules - 1 - first_corr] = (uint32_t)i;
		}
	for (size_t i = 0; i < rs->nrules && !rc; i++)
		rc = register_refs(L, (uint32_t)i);
	for (size_t i = first_corr; i < rs->nrules && !rc; i++) {
		bool dead = false;
		if (!rs->rules[i].kind)
			continue;
		rc = correlation_refs(L, &pend->d[cdoc[i - first_corr]], (uint32_t)i, &dead);
		if (dead) {
			rs->rules[i].kind = 0;
			L->failed++;
		}
	}
	/* cycles, and correlations built on dead ones */
	colour = rc ? NULL : cs_calloc(rs->nrules + 1, 1);
	if (!rc && !colour)
		rc = CS_ENOMEM;
	for (size_t i = first_corr; i < rs->nrules && !rc; i++) {
		cs__rule *r = &rs->rules[i];
		if (!r->kind)
			continue;
		memset(colour, 0, rs->nrules);
		bool bad = in_cycle(rs, (uint32_t)i, colour, 0);
		for (size_t k = 0; !bad && k < r->corr->nrefs; k++)
			bad = rs->rules[r->corr->refs[k]].kind == 0;
		if (bad) {
			cs_diag_emit(L->diag, CS_SEV_ERROR, CS_ECHECK, r->file, r->line, 1, r->id,
				     "correlation is part of a reference cycle or refers to a "
				     "correlation that was skipped");
			r->kind = 0;
			L->failed++;
			i = first_corr - 1; /* a dead rule may kill others: rescan */
		}
	}
	/* the fields correlations read from hits, for the on-demand reader */
	if (!rc)
		rc = cs__corr_fields(rs);
out:
	cs_free(fgood);
	cs_free(fmeta);
	cs_free(cdoc);
	cs_free(colour);
	return rc;
}
