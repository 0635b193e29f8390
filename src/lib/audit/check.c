/*
 * audit/check.c - loading posture checks from YAML (docs/checks.md) into
 * condition trees, validating them against the normalized kinds, and the
 * public accessors.  A bad check is diagnosed with file, line and column and
 * skipped; the others still load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cshare/yaml.h"
#include "check.h"
#include "../iam/account_int.h"

static const char *const level_names[] = { "info", "low", "medium", "high", "critical" };

int cs_level_parse(const char *s)
{
	for (size_t i = 0; i < CS_ARRAY_SIZE(level_names); i++)
		if (strcmp(s, level_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *cs_level_name(cs_level l)
{
	return (unsigned)l < CS_ARRAY_SIZE(level_names) ? level_names[l] : "?";
}

const char *cs_verdict_name(cs_verdict v)
{
	switch (v) {
	case CS_PASS:
		return "pass";
	case CS_FAIL:
		return "fail";
	case CS_UNKNOWN:
		return "unknown";
	}
	return "?";
}

cs_err cs_checkset_new(cs_checkset **out, cs_diag_sink *diag)
{
	cs_checkset *cs = cs_calloc(1, sizeof(*cs));
	*out = NULL;
	if (!cs)
		return CS_ENOMEM;
	cs->a = cs_arena_new(0);
	if (!cs->a) {
		cs_free(cs);
		return CS_ENOMEM;
	}
	cs->diag = diag;
	*out = cs;
	return CS_OK;
}

void cs_checkset_free(cs_checkset *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->regexes.n; i++) {
		regfree(cs->regexes.v[i]);
		cs_free(cs->regexes.v[i]);
	}
	cs__ptrvec_release(&cs->regexes);
	cs__ptrvec_release(&cs->checks);
	cs_arena_free(cs->a);
	cs_free(cs);
}

typedef struct loader {
	cs_checkset *cs;
	cs_spec s;
	unsigned depth;
} loader;

static cs_cond *parse_cond(loader *L, const cs_value *v);

static cs_cond *new_cond(loader *L, const cs_value *at, cs_cond_kind k)
{
	cs_cond *c = cs_arena_alloc(L->s.a, sizeof(*c));
	if (!c)
		return NULL;
	memset(c, 0, sizeof *c);
	c->kind = k;
	c->line = at ? at->line : 0;
	c->col = at ? at->col : 0;
	return c;
}

static cs_path *cond_path(loader *L, const cs_value *v)
{
	const char *t = cs__spec_text(&L->s, v);
	cs_path *p = NULL;
	const char *why = NULL;
	if (!t || v->type != CS_VSTRING) {
		cs__spec_error(&L->s, v, "'attr' must be an attribute path (a string)");
		return NULL;
	}
	if (cs__path_parse(L->s.a, t, &p, &why)) {
		cs__spec_error(&L->s, v, "invalid attribute path '%s': %s", t, why ? why : "out of memory");
		return NULL;
	}
	return p;
}

static bool parse_list(loader *L, const cs_value *v, cs_cond *c, const char *what)
{
	if (!v || v->type != CS_VARRAY || v->u.arr.n == 0) {
		cs__spec_error(&L->s, v, "'%s' needs a non-empty list of conditions", what);
		return false;
	}
	c->kids = cs_arena_alloc(L->s.a, v->u.arr.n * sizeof(cs_cond *));
	if (!c->kids)
		return false;
	for (size_t i = 0; i < v->u.arr.n; i++) {
		if (!(c->kids[i] = parse_cond(L, v->u.arr.v[i])))
			return false;
	}
	c->n = v->u.arr.n;
	return true;
}

static const struct {
	const char *name;
	cs_op op;
} ops[] = {
	{ "eq", OP_EQ },	 { "eq_cased", OP_EQ_CASED }, { "ne", OP_NE },
	{ "in", OP_IN },	 { "not_in", OP_NOT_IN },     { "exists", OP_EXISTS },
	{ "gt", OP_GT },	 { "gte", OP_GTE },	      { "lt", OP_LT },
	{ "lte", OP_LTE },	 { "contains", OP_CONTAINS }, { "matches", OP_MATCHES },
	{ "empty", OP_EMPTY }, { "cidr_open", OP_CIDR_OPEN },
};

static cs_cond *parse_test(loader *L, const cs_value *v)
{
	cs_cond *c = new_cond(L, v, C_TEST);
	const cs_value *arg = NULL;
	int nops = 0;
	if (!c)
		return NULL;
	for (size_t i = 0; i < v->u.obj.n; i++) {
		const cs_member *m = &v->u.obj.m[i];
		if (cs_str_eqc(m->key, "attr"))
			continue;
		bool known = false;
		for (size_t k = 0; k < CS_ARRAY_SIZE(ops); k++) {
			if (cs_str_eqc(m->key, ops[k].name)) {
				c->op = ops[k].op;
				arg = m->val;
				known = true;
				nops++;
			}
		}
		if (!known) {
			cs_value at = { 0 };
			at.line = m->line;
			at.col = m->col;
			cs__spec_error(&L->s, &at,
				       "unknown operator '%.*s' (eq, eq_cased, ne, in, not_in, exists, gt, gte, "
				       "lt, lte, contains, matches, empty, cidr_open)",
				       (int)m->key.len, m->key.ptr);
			return NULL;
		}
	}
	if (nops != 1) {
		cs__spec_error(&L->s, v, "a test has 'attr' and exactly one operator");
		return NULL;
	}
	if (!(c->attr = cond_path(L, cs_value_get(v, "attr"))))
		return NULL;
	c->arg = arg;
	switch (c->op) {
	case OP_EXISTS:
	case OP_EMPTY:
	case OP_CIDR_OPEN:
		if (!arg || arg->type != CS_VBOOL) {
			cs__spec_error(&L->s, arg, "this operator takes true or false");
			return NULL;
		}
		c->flag = arg->u.b;
		break;
	case OP_IN:
	case OP_NOT_IN:
		if (!arg || arg->type != CS_VARRAY) {
			cs__spec_error(&L->s, arg, "'in' and 'not_in' take a list of values");
			return NULL;
		}
		break;
	case OP_GT:
	case OP_GTE:
	case OP_LT:
	case OP_LTE:
		if (!arg || arg->type != CS_VNUMBER) {
			cs__spec_error(&L->s, arg, "comparisons take a number");
			return NULL;
		}
		break;
	case OP_MATCHES: {
		const char *re = cs__spec_text(&L->s, arg);
		if (!re || arg->type != CS_VSTRING) {
			cs__spec_error(&L->s, arg, "'matches' takes a regular expression (string)");
			return NULL;
		}
		regex_t *rx = cs_malloc(sizeof(*rx));
		if (!rx)
			return NULL;
		int e = regcomp(rx, re, REG_EXTENDED | REG_NOSUB);
		if (e) {
			char buf[256];
			regerror(e, rx, buf, sizeof buf);
			cs_free(rx);
			cs__spec_error(&L->s, arg, "invalid regular expression: %s", buf);
			return NULL;
		}
		if (cs__ptrvec_push(&L->cs->regexes, rx)) {
			regfree(rx);
			cs_free(rx);
			return NULL;
		}
		c->re = rx;
		break;
	}
	default:
		if (!arg || arg->type == CS_VOBJECT) {
			cs__spec_error(&L->s, arg, "this operator takes a value");
			return NULL;
		}
		break;
	}
	return c;
}

static cs_cond *parse_cond(loader *L, const cs_value *v)
{
	cs_cond *c = NULL;
	if (!v || v->type != CS_VOBJECT) {
		cs__spec_error(&L->s, v, "a condition must be a mapping");
		return NULL;
	}
	if (++L->depth > 32) {
		cs__spec_error(&L->s, v, "conditions nested too deeply");
		L->depth--;
		return NULL;
	}
	const cs_value *x;
	if ((x = cs_value_get(v, "each"))) {
		static const char *const keys[] = { "each", "all", "any", "none", NULL };
		cs__spec_only_keys(&L->s, v, keys);
		c = new_cond(L, v, C_EACH);
		int nq = 0;
		const cs_value *body = NULL;
		if ((body = cs_value_get(v, "all")) && ++nq)
			c->q = Q_ALL;
		if (cs_value_get(v, "any") && ++nq) {
			c->q = Q_ANY;
			body = cs_value_get(v, "any");
		}
		if (cs_value_get(v, "none") && ++nq) {
			c->q = Q_NONE;
			body = cs_value_get(v, "none");
		}
		if (nq != 1) {
			cs__spec_error(&L->s, v, "'each' needs exactly one of all, any or none");
			c = NULL;
		} else if (!(c->attr = cond_path(L, x)) || !(c->body = parse_cond(L, body))) {
			c = NULL;
		}
	} else if ((x = cs_value_get(v, "all")) || (x = cs_value_get(v, "any"))) {
		bool all = cs_value_get(v, "all") != NULL;
		if (v->u.obj.n != 1) {
			cs__spec_error(&L->s, v, "'%s' stands alone in its mapping", all ? "all" : "any");
		} else {
			c = new_cond(L, v, all ? C_ALL : C_ANY);
			if (c && !parse_list(L, x, c, all ? "all" : "any"))
				c = NULL;
		}
	} else if ((x = cs_value_get(v, "not"))) {
		if (v->u.obj.n != 1) {
			cs__spec_error(&L->s, v, "'not' stands alone in its mapping");
		} else {
			c = new_cond(L, v, C_NOT);
			if (c && !(c->body = parse_cond(L, x)))
				c = NULL;
		}
	} else if (cs_value_get(v, "attr")) {
		c = parse_test(L, v);
	} else {
		cs__spec_error(&L->s, v, "a condition is a test (attr + operator), all, any, not or each");
	}
	L->depth--;
	return c;
}

static bool valid_id(const char *id)
{
	if (!id[0] || !((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= '0' && id[0] <= '9')))
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

static const char *const *str_list(loader *L, const cs_value *v, size_t *n, const char *what)
{
	*n = 0;
	if (!v)
		return NULL;
	if (v->type != CS_VARRAY) {
		cs__spec_error(&L->s, v, "'%s' must be a list", what);
		return NULL;
	}
	const char **out = cs_arena_alloc(L->s.a, (v->u.arr.n + 1) * sizeof(char *));
	if (!out)
		return NULL;
	for (size_t i = 0; i < v->u.arr.n; i++) {
		const char *t = cs__spec_text(&L->s, v->u.arr.v[i]);
		if (!t) {
			cs__spec_error(&L->s, v->u.arr.v[i], "'%s' lists strings", what);
			return NULL;
		}
		out[(*n)++] = t;
	}
	return out;
}

/* The iam-analysis form: `finding` (an id or prefix ending in '*', or a
 * list of them) and `subjects` (what the findings are about). */
static void load_iam_form(loader *L, const cs_value *doc, cs_check *c)
{
	cs_spec *s = &L->s;
	const cs_value *f = cs_value_get(doc, "finding");
	if (cs_value_get(doc, "kind"))
		cs__spec_error(s, cs_value_get(doc, "kind"),
			       "a check with source: iam-analysis takes its kind from 'subjects'");
	if (!f) {
		cs__spec_error(s, doc, "missing required key 'finding' (an analysis finding id, "
				       "or a prefix ending in '*')");
	} else if (f->type == CS_VSTRING) {
		const char **one = cs_arena_alloc(s->a, sizeof(char *));
		if (one && (one[0] = cs__spec_text(s, f)) != NULL) {
			c->iam_findings = one;
			c->niam_findings = 1;
		}
	} else {
		c->iam_findings = (const char **)str_list(L, f, &c->niam_findings, "finding");
		if (!c->niam_findings && f->type == CS_VARRAY)
			cs__spec_error(s, f, "'finding' lists at least one finding id");
	}
	for (size_t i = 0; i < c->niam_findings; i++)
		if (strncmp(c->iam_findings[i], "iam.", 4) != 0)
			cs__spec_error(s, f, "finding ids start with 'iam.' (docs/iam.md), not '%s'",
				       c->iam_findings[i]);
	const char *subj = cs__spec_str(s, doc, "subjects", true);
	if (subj) {
		c->iam_class = cs__iam_sclass_parse(subj);
		if (c->iam_class < 0)
			cs__spec_error(s, cs_value_get(doc, "subjects"),
				       "subjects is principals, trust-policies, policies, resource-policies, "
				       "user-mfa, user-access-keys, root-mfa or root-access-keys, not '%s'",
				       subj);
		else
			c->kind = cs__iam_sclass_kind((cs__iam_sclass)c->iam_class);
	}
}

static void load_check(loader *L, const cs_value *doc, const char *source)
{
	static const char *const keys[] = { "id",	  "title",	"kind",	    "severity",
					    "domain",	  "owner",	"frameworks", "rationale",
					    "remediation", "references", "when",	    "assert",
					    "message",	  "description", "source",     "finding",
					    "subjects",	  NULL };
	cs_spec *s = &L->s;
	if (!doc || doc->type != CS_VOBJECT) {
		cs__spec_error(s, doc, "a check file is a YAML mapping (see docs/checks.md)");
		return;
	}
	unsigned errs = s->errors;
	cs_check *c = cs_arena_alloc(s->a, sizeof(*c));
	if (!c)
		return;
	memset(c, 0, sizeof *c);
	c->file = s->file;
	c->source = source;
	c->line = doc->line;
	c->id = cs__spec_str(s, doc, "id", true);
	if (c->id) {
		s->id = c->id;
		if (!valid_id(c->id))
			cs__spec_error(s, cs_value_get(doc, "id"),
				       "check id '%s' must be upper-case letters, digits and '-'", c->id);
	}
	cs__spec_only_keys(s, doc, keys);
	c->title = cs__spec_str(s, doc, "title", true);
	c->iam_class = -1;
	const char *src_form = cs__spec_str(s, doc, "source", false);
	bool iam = src_form && strcmp(src_form, "iam-analysis") == 0;
	if (src_form && !iam)
		cs__spec_error(s, cs_value_get(doc, "source"),
			       "source is iam-analysis (or absent: a check on resource attributes)");
	if (iam)
		load_iam_form(L, doc, c);
	else
		c->kind = cs__spec_str(s, doc, "kind", true);
	if (!iam && (cs_value_get(doc, "finding") || cs_value_get(doc, "subjects")))
		cs__spec_error(s, cs_value_get(doc, "finding") ? cs_value_get(doc, "finding")
							       : cs_value_get(doc, "subjects"),
			       "'finding' and 'subjects' belong to checks with source: iam-analysis");
	c->domain = cs__spec_str(s, doc, "domain", true);
	c->owner = cs__spec_str(s, doc, "owner", false);
	if (!c->owner)
		c->owner = "customer";
	else if (strcmp(c->owner, "customer") && strcmp(c->owner, "provider") &&
		 strcmp(c->owner, "shared"))
		cs__spec_error(s, cs_value_get(doc, "owner"), "owner is customer, provider or shared");
	c->rationale = cs__spec_str(s, doc, "rationale", true);
	c->remediation = cs__spec_str(s, doc, "remediation", true);
	c->message = cs__spec_str(s, doc, "message", false);
	const char *sev = cs__spec_str(s, doc, "severity", true);
	if (sev) {
		int l = cs_level_parse(sev);
		if (l < 0)
			cs__spec_error(s, cs_value_get(doc, "severity"),
				       "severity is info, low, medium, high or critical, not '%s'", sev);
		else
			c->level = (cs_level)l;
	}
	const cs_value *fw = cs_value_get(doc, "frameworks");
	if (!fw || fw->type != CS_VOBJECT) {
		cs__spec_error(s, fw ? fw : doc, "'frameworks' must map framework names to control ids");
	} else {
		c->fw = cs_arena_alloc(s->a, (fw->u.obj.n + 1) * sizeof(cs_fw));
		bool nist = false;
		for (size_t i = 0; c->fw && i < fw->u.obj.n; i++) {
			const cs_member *m = &fw->u.obj.m[i];
			cs_fw *f = &c->fw[c->nfw++];
			f->name = cs_arena_strndup(s->a, m->key.ptr, m->key.len);
			f->ids = (const char **)str_list(L, m->val, &f->n, "framework controls");
			if (cs_str_eqc(m->key, "nist-800-53-r5") && f->n > 0)
				nist = true;
		}
		if (!nist)
			cs__spec_error(s, fw, "every check names its NIST SP 800-53 rev5 controls (nist-800-53-r5)");
	}
	c->refs = (const char **)str_list(L, cs_value_get(doc, "references"), &c->nrefs, "references");
	const cs_value *w = cs_value_get(doc, "when");
	const cs_value *as = cs_value_get(doc, "assert");
	if (iam) {
		if (w || as)
			cs__spec_error(s, w ? w : as,
				       "a check with source: iam-analysis has no 'when' or 'assert': "
				       "its verdicts come from the analysis' findings");
	} else {
		if (w && !(c->when = parse_cond(L, w)))
			s->errors += s->errors == errs;
		if (!as)
			cs__spec_error(s, doc, "missing required key 'assert'");
		else if (!(c->assert_ = parse_cond(L, as)))
			s->errors += s->errors == errs;
	}
	if (s->errors != errs)
		return;
	/* a later check with the same id replaces the earlier one */
	for (size_t i = 0; i < L->cs->checks.n; i++) {
		cs_check *o = L->cs->checks.v[i];
		if (strcmp(o->id, c->id) == 0) {
			L->cs->checks.v[i] = c;
			return;
		}
	}
	if (cs__ptrvec_push(&L->cs->checks, c))
		s->errors++;
}

static cs_err load_file(cs_checkset *cs, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	cs_err rc = cs_file_read(path, 1u << 20, &data, &len);
	if (rc) {
		cs_diag_emit(cs->diag, CS_SEV_ERROR, rc, path, 0, 0, NULL, "cannot read check: %s",
			     cs_strerror(rc));
		return CS_ECHECK;
	}
	loader L = { cs, { cs->a, cs->diag, cs_arena_strdup(cs->a, path), NULL, 0 }, 0 };
	const char *source = cs_arena_strndup(cs->a, data, len);
	const cs_value *docs = NULL;
	rc = cs_yaml_parse(cs->a, L.s.file, data, len, NULL, cs->diag, &docs);
	cs_free(data);
	if (rc)
		return rc == CS_ENOMEM ? rc : CS_ECHECK;
	if (cs_value_len(docs) != 1) {
		cs__spec_error(&L.s, docs, "a check file holds exactly one YAML document");
		return CS_ECHECK;
	}
	load_check(&L, cs_value_at(docs, 0), source);
	return L.s.errors ? CS_ECHECK : CS_OK;
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) || (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

static cs_err walk(cs_checkset *cs, const char *dir, unsigned depth)
{
	cs_err worst = CS_OK;
	cs_ptrvec names = { 0 };
	cs_err rc = cs__dir_sorted(cs->a, dir, &names);
	if (rc == CS_EIO) {
		cs_diag_emit(cs->diag, CS_SEV_ERROR, CS_ENOENT, dir, 0, 0, NULL,
			     "cannot open check directory");
		return CS_ECHECK;
	}
	if (rc)
		worst = rc;
	for (size_t i = 0; i < names.n && worst != CS_ENOMEM; i++) {
		struct stat st;
		const char *p = names.v[i];
		if (stat(p, &st) != 0)
			continue;
		rc = CS_OK;
		if (S_ISDIR(st.st_mode) && depth < 16)
			rc = walk(cs, p, depth + 1);
		else if (S_ISREG(st.st_mode) && yaml_name(p))
			rc = load_file(cs, p);
		if (rc)
			worst = rc;
	}
	cs__ptrvec_release(&names);
	return worst;
}

static int check_cmp(const void *a, const void *b)
{
	const cs_check *x = *(cs_check *const *)a, *y = *(cs_check *const *)b;
	return strcmp(x->id, y->id);
}

cs_err cs_checkset_load_dir(cs_checkset *cs, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0) {
		cs_diag_emit(cs->diag, CS_SEV_ERROR, CS_ENOENT, dir, 0, 0, NULL,
			     "check directory not found");
		return CS_ECHECK;
	}
	cs_err rc = S_ISDIR(st.st_mode) ? walk(cs, dir, 0) : load_file(cs, dir);
	if (cs->checks.n)
		qsort(cs->checks.v, cs->checks.n, sizeof(void *), check_cmp);
	return rc;
}

/* Validates the attribute paths of a condition against the kind's schema
 * (top level only; inside `each` paths are relative to list elements). */
static void validate_cond(cs_spec *s, const cs_map_kind *k, const cs_cond *c, bool in_each)
{
	if (!c)
		return;
	if ((c->kind == C_TEST || c->kind == C_EACH) && !in_each) {
		cs_str head = cs__path_head(c->attr);
		const char *text = cs__path_text(c->attr);
		if (head.len && !cs__kind_attr(k, text, strlen(text)) &&
		    !cs__kind_attr(k, head.ptr, head.len)) {
			/* dotted schema names: accept any declared name with this prefix */
			bool prefix = false;
			size_t tl = strlen(text);
			for (size_t i = 0; i < k->nattrs && !prefix; i++)
				prefix = strncmp(k->attrs[i].name, text, tl) == 0 &&
					 (k->attrs[i].name[tl] == '.' || k->attrs[i].name[tl] == 0);
			for (size_t i = 0; i < k->nattrs && !prefix; i++) {
				size_t nl = strlen(k->attrs[i].name);
				prefix = strncmp(text, k->attrs[i].name, nl) == 0 &&
					 (text[nl] == '.' || text[nl] == '[');
			}
			if (!prefix) {
				cs_value at = { 0 };
				at.line = c->line;
				at.col = c->col;
				cs__spec_error(s, &at, "kind %s has no attribute '%s' (see %s)", k->kind, text,
					       k->file);
			}
		}
	}
	switch (c->kind) {
	case C_ALL:
	case C_ANY:
		for (size_t i = 0; i < c->n; i++)
			validate_cond(s, k, c->kids[i], in_each);
		break;
	case C_NOT:
		validate_cond(s, k, c->body, in_each);
		break;
	case C_EACH:
		validate_cond(s, k, c->body, true);
		break;
	case C_TEST:
		break;
	}
}

cs_err cs_checkset_validate(cs_checkset *cs, const cs_inventory *inv)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; i < cs->checks.n; i++) {
		cs_check *c = cs->checks.v[i];
		cs_spec s = { cs->a, cs->diag, c->file, c->id, 0 };
		if (c->iam_class >= 0)
			continue; /* judged by the IAM analysis, not by attributes */
		c->mk = cs__mapset_kind(&inv->ms, c->kind);
		if (!c->mk) {
			cs_value at = { 0 };
			at.line = c->line;
			at.col = 1;
			cs__spec_error(&s, &at, "unknown kind '%s' (no mapping in data/mappings)", c->kind);
		} else {
			validate_cond(&s, c->mk, c->when, false);
			validate_cond(&s, c->mk, c->assert_, false);
		}
		if (s.errors) {
			c->invalid = true;
			rc = CS_ECHECK;
		}
	}
	/* invalid checks leave the set: they are neither run nor listed */
	size_t k = 0;
	for (size_t i = 0; i < cs->checks.n; i++) {
		cs_check *c = cs->checks.v[i];
		if (!c->invalid)
			cs->checks.v[k++] = c;
	}
	cs->checks.n = k;
	for (size_t i = 0; i < k; i++)
		((cs_check *)cs->checks.v[i])->rank = (unsigned)i;
	return rc;
}

size_t cs_checkset_count(const cs_checkset *cs)
{
	return cs->checks.n;
}

const cs_check *cs_checkset_at(const cs_checkset *cs, size_t i)
{
	return i < cs->checks.n ? cs->checks.v[i] : NULL;
}

const cs_check *cs_checkset_find(const cs_checkset *cs, const char *id)
{
	for (size_t i = 0; i < cs->checks.n; i++) {
		const cs_check *c = cs->checks.v[i];
		if (strcmp(c->id, id) == 0)
			return c;
	}
	return NULL;
}

const char *cs_check_id(const cs_check *c) { return c->id; }
const char *cs_check_title(const cs_check *c) { return c->title; }
const char *cs_check_kind(const cs_check *c) { return c->kind; }
cs_level cs_check_level(const cs_check *c) { return c->level; }
const char *cs_check_domain(const cs_check *c) { return c->domain; }
const char *cs_check_owner(const cs_check *c) { return c->owner; }
const char *cs_check_rationale(const cs_check *c) { return c->rationale; }
const char *cs_check_remediation(const cs_check *c) { return c->remediation; }
const char *cs_check_file(const cs_check *c) { return c->file; }
const char *cs_check_source(const cs_check *c) { return c->source; }
size_t cs_check_framework_count(const cs_check *c) { return c->nfw; }
size_t cs_check_reference_count(const cs_check *c) { return c->nrefs; }

const char *cs_check_framework(const cs_check *c, size_t i, size_t *ncontrols)
{
	if (i >= c->nfw)
		return NULL;
	if (ncontrols)
		*ncontrols = c->fw[i].n;
	return c->fw[i].name;
}

const char *cs_check_control(const cs_check *c, size_t fw, size_t j)
{
	return fw < c->nfw && j < c->fw[fw].n ? c->fw[fw].ids[j] : NULL;
}

const char *cs_check_reference(const cs_check *c, size_t i)
{
	return i < c->nrefs ? c->refs[i] : NULL;
}

/* The input formats an iam-analysis check's subjects come from. */
static const char *const iam_formats[][3] = {
	[CS__IAM_S_PRINCIPALS] = { "aws-iam-authorization-details", NULL, NULL },
	[CS__IAM_S_TRUST] = { "aws-iam-authorization-details", NULL, NULL },
	[CS__IAM_S_POLICIES] = { "aws-iam-authorization-details", NULL, NULL },
	[CS__IAM_S_RESOURCE] = { "cloudformation", "terraform-plan", "aws-config" },
	[CS__IAM_S_USER_MFA] = { "aws-iam-credential-report", NULL, NULL },
	[CS__IAM_S_USER_KEYS] = { "aws-iam-credential-report", NULL, NULL },
	[CS__IAM_S_ROOT_MFA] = { "aws-iam-credential-report", NULL, NULL },
	[CS__IAM_S_ROOT_KEYS] = { "aws-iam-credential-report", NULL, NULL },
};

size_t cs_check_format_count(const cs_check *c)
{
	if (c->iam_class >= 0 && c->iam_class < CS__IAM_S_N) {
		size_t n = 0;
		while (n < 3 && iam_formats[c->iam_class][n])
			n++;
		return n;
	}
	return c->mk ? c->mk->nformats : 0;
}

const char *cs_check_format(const cs_check *c, size_t i)
{
	if (c->iam_class >= 0 && c->iam_class < CS__IAM_S_N)
		return i < cs_check_format_count(c) ? iam_formats[c->iam_class][i] : NULL;
	return c->mk && i < c->mk->nformats ? c->mk->formats[i] : NULL;
}
