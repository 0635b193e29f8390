/*
 * iam/policy.c - AWS policy documents (JSON) to compiled policies, following
 * the IAM User Guide's "Grammar of the IAM JSON policy language" and "IAM
 * JSON policy elements" (Version, Id, Statement, Sid, Effect, Principal,
 * NotPrincipal, Action, NotAction, Resource, NotResource, Condition).
 *
 * Every problem becomes a located diagnostic in AWS's terms, and the whole
 * document is still checked; a document with an error is not used (the
 * caller gets CS_ECHECK and no policy), as AWS would refuse to store it.
 */
#include <stdio.h>
#include <string.h>

#include "cshare/json.h"
#include "iam/policy_int.h"

typedef struct pctx {
	cs_policy *p;
	cs_diag_sink *diag;
	unsigned errors;
	unsigned stmt; /* 1-based statement number in messages; 0 outside */
} pctx;

static void vemit(pctx *c, cs_severity sev, uint32_t line, uint32_t col, const char *fmt,
		  va_list ap) CS_PRINTF(5, 0);

static void emit(pctx *c, cs_severity sev, const cs_value *at, const char *fmt, ...)
	CS_PRINTF(4, 5);
static void emit(pctx *c, cs_severity sev, const cs_value *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vemit(c, sev, at ? cs_value_line(at) : 0, at ? cs_value_col(at) : 0, fmt, ap);
	va_end(ap);
}

/* The same, located at the key of member i of object `obj`. */
static void emit_key(pctx *c, const cs_value *obj, size_t i, const char *fmt, ...)
	CS_PRINTF(4, 5);
static void emit_key(pctx *c, const cs_value *obj, size_t i, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const cs_member *m = &obj->u.obj.m[i];
	vemit(c, CS_SEV_ERROR, m->line ? m->line : obj->line, m->line ? m->col : obj->col, fmt, ap);
	va_end(ap);
}

static void vemit(pctx *c, cs_severity sev, uint32_t line, uint32_t col, const char *fmt,
		  va_list ap)
{
	char msg[768];
	int k = 0;
	if (c->stmt)
		k = snprintf(msg, sizeof msg, "Statement %u: ", c->stmt);
	if (k < 0)
		k = 0;
	vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, ap);
	if (sev == CS_SEV_ERROR)
		c->errors++;
	bool named = c->p->file && strcmp(c->p->file, c->p->name) == 0;
	cs_diag_emit(c->diag, sev, CS_ECHECK, c->p->file, line, col, NULL, "%s%s%s",
		     named ? "" : c->p->name,
		     named ? "" : ": ", msg);
}

static bool oom(pctx *c, const void *ptr)
{
	if (ptr)
		return false;
	c->errors++;
	return true;
}

/* A scalar's text (strings; numbers as written; booleans). */
static bool scalar(const cs_value *v, cs_str *out)
{
	return cs__scalar_text(v, out);
}

static char *dup_lower(cs_arena *a, cs_str s)
{
	char *d = cs_arena_strndup(a, s.ptr, s.len);
	if (d)
		for (size_t i = 0; i < s.len; i++)
			if (d[i] >= 'A' && d[i] <= 'Z')
				d[i] = (char)(d[i] + 32);
	return d;
}

static void classify(cs_pat *pt, bool vars)
{
	const char *s = pt->s;
	size_t n = pt->len;
	pt->has_var = vars && strstr(s, "${") != NULL;
	size_t stars = 0, q = 0;
	for (size_t i = 0; i < n; i++) {
		stars += s[i] == '*';
		q += s[i] == '?';
	}
	if (pt->has_var)
		pt->kind = CS_PAT_GLOB;
	else if (n == 1 && s[0] == '*')
		pt->kind = CS_PAT_ANY;
	else if (!stars && !q)
		pt->kind = CS_PAT_EXACT;
	else if (stars == 1 && !q && s[n - 1] == '*')
		pt->kind = CS_PAT_PREFIX;
	else
		pt->kind = CS_PAT_GLOB;
}

/* The elements of a string-or-array value; calls fn for each string. */
typedef bool (*each_fn)(pctx *c, const cs_value *v, cs_str s, void *ud);

static size_t count_items(const cs_value *v)
{
	return cs_value_type(v) == CS_VARRAY ? cs_value_len(v) : 1;
}

static void each_string(pctx *c, const cs_value *v, const char *elem, each_fn fn, void *ud)
{
	size_t n = count_items(v);
	if (cs_value_type(v) == CS_VARRAY && n == 0) {
		emit(c, CS_SEV_ERROR, v, "%s must not be an empty list", elem);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const cs_value *e = cs_value_type(v) == CS_VARRAY ? cs_value_at(v, i) : v;
		cs_str s;
		if (cs_value_type(e) != CS_VSTRING || !scalar(e, &s)) {
			emit(c, CS_SEV_ERROR, e, "%s must be a string or a list of strings", elem);
			continue;
		}
		if (!fn(c, e, s, ud))
			return;
	}
}

/* ---- Action ---------------------------------------------------------- */

typedef struct patlist {
	cs_pat *v;
	size_t n;
} patlist;

static bool add_action(pctx *c, const cs_value *e, cs_str s, void *ud)
{
	patlist *pl = ud;
	bool ok = s.len == 1 && s.ptr[0] == '*';
	if (!ok) {
		const char *colon = memchr(s.ptr, ':', s.len);
		ok = colon && colon != s.ptr && colon != s.ptr + s.len - 1;
	}
	if (!ok) {
		emit(c, CS_SEV_ERROR, e,
		     "Action '%.*s': Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
		     (int)s.len, s.ptr);
		return true;
	}
	cs_pat *pt = &pl->v[pl->n++];
	pt->s = dup_lower(c->p->arena, s);
	if (oom(c, pt->s))
		return false;
	pt->len = (uint32_t)s.len;
	pt->line = cs_value_line(e);
	pt->col = cs_value_col(e);
	classify(pt, false);
	return true;
}

/* ---- Resource -------------------------------------------------------- */

static bool add_resource(pctx *c, const cs_value *e, cs_str s, void *ud)
{
	patlist *pl = ud;
	bool star = s.len == 1 && s.ptr[0] == '*';
	bool var = c->p->v2012 && s.len >= 2 && s.ptr[0] == '$' && s.ptr[1] == '{';
	if (!star && !var) {
		if (s.len < 4 || memcmp(s.ptr, "arn:", 4) != 0) {
			emit(c, CS_SEV_ERROR, e, "Resource %.*s must be in ARN format or \"*\".",
			     (int)s.len, s.ptr);
			return true;
		}
		size_t colons = 0;
		for (size_t i = 0; i < s.len; i++)
			colons += s.ptr[i] == ':';
		if (colons < 5 && s.ptr[s.len - 1] != '*') {
			emit(c, CS_SEV_ERROR, e, "Invalid ARN '%.*s'", (int)s.len, s.ptr);
			return true;
		}
	}
	cs_pat *pt = &pl->v[pl->n++];
	pt->s = cs_arena_strndup(c->p->arena, s.ptr, s.len);
	if (oom(c, pt->s))
		return false;
	pt->len = (uint32_t)s.len;
	pt->line = cs_value_line(e);
	pt->col = cs_value_col(e);
	classify(pt, c->p->v2012);
	return true;
}

/* ---- Principal ------------------------------------------------------- */

typedef struct prlist {
	cs_princ *v;
	size_t n;
	uint8_t kind; /* of the current block */
} prlist;

static bool all_digits(cs_str s, size_t n)
{
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return true;
}

/* arn:PART:iam::ACCOUNT:root -> the account; returns false otherwise. */
static bool root_account(cs_str s, cs_str *acct)
{
	if (s.len < 5 || memcmp(s.ptr, "arn:", 4) != 0 || s.len < 5 ||
	    memcmp(s.ptr + s.len - 5, ":root", 5) != 0)
		return false;
	size_t off[6] = { 0 }, k = 0, start = 0;
	size_t len[6] = { 0 };
	for (size_t i = 0; i < s.len && k < 5; i++) {
		if (s.ptr[i] == ':') {
			off[k] = start;
			len[k] = i - start;
			k++;
			start = i + 1;
		}
	}
	if (k != 5)
		return false;
	off[5] = start;
	len[5] = s.len - start;
	if (len[2] != 3 || memcmp(s.ptr + off[2], "iam", 3) != 0 || len[3] != 0)
		return false;
	acct->ptr = s.ptr + off[4];
	acct->len = len[4];
	return all_digits(*acct, 12) && len[5] == 4;
}

static bool valid_principal_arn(cs_str s)
{
	if (s.len < 4 || memcmp(s.ptr, "arn:", 4) != 0)
		return false;
	size_t colons = 0;
	for (size_t i = 0; i < s.len; i++)
		colons += s.ptr[i] == ':';
	return colons >= 5;
}

static bool add_principal(pctx *c, const cs_value *e, cs_str s, void *ud)
{
	prlist *pl = ud;
	cs_princ *pr = &pl->v[pl->n];
	pr->kind = pl->kind;
	pr->line = cs_value_line(e);
	pr->col = cs_value_col(e);
	cs_str val = s;
	if (pl->kind == CS_PR_ARN) { /* the AWS block */
		cs_str acct;
		if (s.len == 1 && s.ptr[0] == '*') {
			pr->kind = CS_PR_ANY;
		} else if (all_digits(s, 12)) {
			pr->kind = CS_PR_ACCOUNT;
		} else if (root_account(s, &acct)) {
			pr->kind = CS_PR_ACCOUNT;
			val = acct;
		} else if (!valid_principal_arn(s)) {
			emit(c, CS_SEV_ERROR, e, "Invalid principal in policy: \"AWS\" : \"%.*s\"",
			     (int)s.len, s.ptr);
			return true;
		} else if (memchr(s.ptr, '*', s.len) || memchr(s.ptr, '?', s.len)) {
			emit(c, CS_SEV_ERROR, e,
			     "Invalid principal in policy: \"AWS\" : \"%.*s\" (wildcards are allowed only as \"*\")",
			     (int)s.len, s.ptr);
			return true;
		}
	} else if (s.len == 1 && s.ptr[0] == '*' && pl->kind == CS_PR_SERVICE) {
		emit(c, CS_SEV_ERROR, e, "Invalid principal in policy: \"Service\" : \"*\"");
		return true;
	}
	pr->s = cs_arena_strndup(c->p->arena, val.ptr, val.len);
	if (oom(c, pr->s))
		return false;
	pr->len = (uint32_t)val.len;
	pl->n++;
	return true;
}

static size_t principal_capacity(const cs_value *v)
{
	if (cs_value_type(v) != CS_VOBJECT)
		return 1;
	size_t n = 0;
	for (size_t i = 0; i < cs_value_len(v); i++)
		n += count_items(cs_value_at(v, i));
	return n;
}

static void parse_principal(pctx *c, cs_stmt *st, const cs_value *v, const char *elem)
{
	size_t cap = principal_capacity(v);
	prlist pl = { cs_arena_alloc(c->p->arena, (cap ? cap : 1) * sizeof(cs_princ)), 0, 0 };
	if (oom(c, pl.v))
		return;
	if (cs_value_type(v) == CS_VSTRING) {
		cs_str s = cs_value_str(v);
		if (s.len == 1 && s.ptr[0] == '*') {
			pl.v[0] = (cs_princ){ CS_PR_ANY, "*", 1, cs_value_line(v), cs_value_col(v) };
			pl.n = 1;
		} else {
			emit(c, CS_SEV_ERROR, v,
			     "Invalid principal in policy: %s must be \"*\" or an object such as {\"AWS\": ...}",
			     elem);
		}
	} else if (cs_value_type(v) == CS_VOBJECT) {
		if (cs_value_len(v) == 0)
			emit(c, CS_SEV_ERROR, v, "%s must not be empty", elem);
		for (size_t i = 0; i < cs_value_len(v); i++) {
			cs_str k = cs_value_key_at(v, i);
			const cs_value *e = cs_value_at(v, i);
			if (cs_str_eqc(k, "AWS"))
				pl.kind = CS_PR_ARN;
			else if (cs_str_eqc(k, "Service"))
				pl.kind = CS_PR_SERVICE;
			else if (cs_str_eqc(k, "Federated"))
				pl.kind = CS_PR_FEDERATED;
			else if (cs_str_eqc(k, "CanonicalUser"))
				pl.kind = CS_PR_CANONICAL;
			else {
				emit(c, CS_SEV_ERROR, e,
				     "Invalid principal in policy: unknown principal type \"%.*s\" (AWS, Service, Federated or CanonicalUser)",
				     (int)k.len, k.ptr);
				continue;
			}
			each_string(c, e, elem, add_principal, &pl);
		}
	} else {
		emit(c, CS_SEV_ERROR, v, "Invalid principal in policy: %s must be \"*\" or an object",
		     elem);
	}
	st->pr = pl.v;
	st->npr = pl.n;
}

/* ---- Condition ------------------------------------------------------- */

static void parse_condition(pctx *c, cs_stmt *st, const cs_value *v)
{
	if (cs_value_type(v) != CS_VOBJECT) {
		emit(c, CS_SEV_ERROR, v, "Condition must be an object of condition operators");
		return;
	}
	size_t cap = 0;
	for (size_t i = 0; i < cs_value_len(v); i++) {
		const cs_value *blk = cs_value_at(v, i);
		if (cs_value_type(blk) == CS_VOBJECT)
			cap += cs_value_len(blk);
	}
	st->cond = cs_arena_alloc(c->p->arena, (cap ? cap : 1) * sizeof(cs_cond));
	if (oom(c, st->cond))
		return;
	for (size_t i = 0; i < cs_value_len(v); i++) {
		cs_str opn = cs_value_key_at(v, i);
		const cs_value *blk = cs_value_at(v, i);
		cs_cond proto;
		memset(&proto, 0, sizeof proto);
		if (!cs__iam_cop_parse(opn.ptr, opn.len, &proto)) {
			emit_key(c, v, i, "Unknown condition operator %.*s", (int)opn.len, opn.ptr);
			continue;
		}
		if (cs_value_type(blk) != CS_VOBJECT || cs_value_len(blk) == 0) {
			emit(c, CS_SEV_ERROR, blk,
			     "Condition operator %.*s must map condition keys to values",
			     (int)opn.len, opn.ptr);
			continue;
		}
		proto.opname = cs_arena_strndup(c->p->arena, opn.ptr, opn.len);
		if (oom(c, proto.opname))
			return;
		for (size_t k = 0; k < cs_value_len(blk); k++) {
			cs_str key = cs_value_key_at(blk, k);
			const cs_value *vals = cs_value_at(blk, k);
			const char *colon = memchr(key.ptr, ':', key.len);
			if (!colon || colon == key.ptr || colon == key.ptr + key.len - 1) {
				emit_key(c, blk, k,
				     "Condition key '%.*s': Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
				     (int)key.len, key.ptr);
				continue;
			}
			cs_cond *cd = &st->cond[st->ncond];
			*cd = proto;
			cd->key = dup_lower(c->p->arena, key);
			if (oom(c, cd->key))
				return;
			cd->keylen = (uint32_t)key.len;
			cd->keyhash = cs__hash64(cd->key, key.len, 0);
			cd->line = cs_value_line(vals);
			cd->col = cs_value_col(vals);
			size_t n = count_items(vals);
			if (n == 0) {
				emit(c, CS_SEV_ERROR, vals, "Condition %.*s on %.*s has no values",
				     (int)opn.len, opn.ptr, (int)key.len, key.ptr);
				continue;
			}
			cd->v = cs_arena_alloc(c->p->arena, n * sizeof(cs_cval));
			if (oom(c, cd->v))
				return;
			memset(cd->v, 0, n * sizeof(cs_cval));
			bool bad = false;
			for (size_t j = 0; j < n; j++) {
				const cs_value *e =
					cs_value_type(vals) == CS_VARRAY ? cs_value_at(vals, j) : vals;
				cs_str s;
				cs_vtype t = cs_value_type(e);
				if ((t != CS_VSTRING && t != CS_VNUMBER && t != CS_VBOOL) ||
				    !scalar(e, &s)) {
					emit(c, CS_SEV_ERROR, e,
					     "Condition %.*s on %.*s: values must be strings, numbers or booleans",
					     (int)opn.len, opn.ptr, (int)key.len, key.ptr);
					bad = true;
					continue;
				}
				cs_cval *cv = &cd->v[cd->nv];
				cv->p.s = cs_arena_strndup(c->p->arena, s.ptr, s.len);
				if (oom(c, cv->p.s))
					return;
				cv->p.len = (uint32_t)s.len;
				cv->p.line = cs_value_line(e);
				cv->p.col = cs_value_col(e);
				classify(&cv->p, c->p->v2012);
				const char *why = cs__iam_cval_compile(cd, cv, c->p->arena);
				if (why) {
					emit(c, CS_SEV_ERROR, e, "Condition %.*s on %.*s: '%.*s' %s",
					     (int)opn.len, opn.ptr, (int)key.len, key.ptr, (int)s.len,
					     s.ptr, why);
					bad = true;
					continue;
				}
				cd->nv++;
			}
			if (!bad)
				st->ncond++;
		}
	}
}

/* ---- Statement ------------------------------------------------------- */

static void parse_list(pctx *c, const cs_value *v, const char *elem, each_fn fn, cs_pat **out,
		       size_t *nout)
{
	size_t cap = count_items(v);
	patlist pl = { cs_arena_alloc(c->p->arena, (cap ? cap : 1) * sizeof(cs_pat)), 0 };
	if (oom(c, pl.v))
		return;
	memset(pl.v, 0, (cap ? cap : 1) * sizeof(cs_pat));
	each_string(c, v, elem, fn, &pl);
	*out = pl.v;
	*nout = pl.n;
}

static void parse_statement(pctx *c, cs_stmt *st, const cs_value *v)
{
	memset(st, 0, sizeof *st);
	st->index = c->stmt;
	st->line = cs_value_line(v);
	st->col = cs_value_col(v);
	if (cs_value_type(v) != CS_VOBJECT) {
		emit(c, CS_SEV_ERROR, v, "a statement must be a JSON object");
		return;
	}
	const cs_value *effect = NULL, *pr = NULL, *npr = NULL, *act = NULL, *nact = NULL,
		       *res = NULL, *nres = NULL, *cond = NULL;
	for (size_t i = 0; i < cs_value_len(v); i++) {
		cs_str k = cs_value_key_at(v, i);
		const cs_value *e = cs_value_at(v, i);
		if (cs_str_eqc(k, "Sid")) {
			cs_str s;
			if (cs_value_type(e) != CS_VSTRING || !scalar(e, &s))
				emit(c, CS_SEV_ERROR, e, "Sid must be a string");
			else if (!(st->sid = cs_arena_strndup(c->p->arena, s.ptr, s.len)))
				c->errors++;
		} else if (cs_str_eqc(k, "Effect"))
			effect = e;
		else if (cs_str_eqc(k, "Principal"))
			pr = e;
		else if (cs_str_eqc(k, "NotPrincipal"))
			npr = e;
		else if (cs_str_eqc(k, "Action"))
			act = e;
		else if (cs_str_eqc(k, "NotAction"))
			nact = e;
		else if (cs_str_eqc(k, "Resource"))
			res = e;
		else if (cs_str_eqc(k, "NotResource"))
			nres = e;
		else if (cs_str_eqc(k, "Condition"))
			cond = e;
		else
			emit_key(c, v, i, "Unknown field %.*s", (int)k.len, k.ptr);
	}
	cs_policy_kind kind = c->p->kind;
	if (!effect) {
		emit(c, CS_SEV_ERROR, v, "Missing required field Effect");
	} else {
		cs_str s = cs_value_str(effect);
		if (cs_value_type(effect) == CS_VSTRING && cs_str_eqc(s, "Allow"))
			st->allow = true;
		else if (!(cs_value_type(effect) == CS_VSTRING && cs_str_eqc(s, "Deny")))
			emit(c, CS_SEV_ERROR, effect, "Effect must be Allow or Deny");
	}
	bool needs_pr = kind == CS_POLICY_RESOURCE || kind == CS_POLICY_TRUST || kind == CS_POLICY_RCP;
	if (pr && npr)
		emit(c, CS_SEV_ERROR, npr, "Principal and NotPrincipal cannot both be present");
	if ((pr || npr) && !needs_pr) {
		emit(c, CS_SEV_ERROR, pr ? pr : npr,
		     kind == CS_POLICY_SCP ? "Has prohibited field %s (service control policies do not support it)"
					   : "Has prohibited field %s: Policy document should not specify a principal.",
		     pr ? "Principal" : "NotPrincipal");
	} else if (needs_pr && !pr && !npr) {
		emit(c, CS_SEV_ERROR, v, "Missing required field Principal");
	} else if (npr && (kind == CS_POLICY_TRUST || kind == CS_POLICY_RCP)) {
		emit(c, CS_SEV_ERROR, npr, "Has prohibited field NotPrincipal (not supported in %s)",
		     kind == CS_POLICY_TRUST ? "role trust policies" : "resource control policies");
	} else if (pr || npr) {
		st->has_principal = true;
		st->not_principal = npr != NULL;
		parse_principal(c, st, pr ? pr : npr, pr ? "Principal" : "NotPrincipal");
		if (npr && effect && st->allow)
			emit(c, CS_SEV_ERROR, npr,
			     "NotPrincipal must be used with \"Effect\":\"Deny\"; with Allow it is not supported");
		if (kind == CS_POLICY_RCP && pr && !(st->npr == 1 && st->pr[0].kind == CS_PR_ANY))
			emit(c, CS_SEV_ERROR, pr,
			     "The Principal of a resource control policy must be \"*\"");
	}
	if (act && nact)
		emit(c, CS_SEV_ERROR, nact, "Action and NotAction cannot both be present");
	else if (!act && !nact)
		emit(c, CS_SEV_ERROR, v, "Missing required field Action (or NotAction)");
	else {
		st->not_action = nact != NULL;
		parse_list(c, act ? act : nact, act ? "Action" : "NotAction", add_action, &st->act,
			   &st->nact);
		/* the service filter: literal service prefixes only */
		st->svc_any = st->not_action;
		for (size_t i = 0; i < st->nact && !st->svc_any; i++) {
			const char *s = st->act[i].s;
			const char *colon = strchr(s, ':');
			size_t sl = colon ? (size_t)(colon - s) : 0;
			for (size_t k = 0; k < sl; k++)
				if (s[k] == '*' || s[k] == '?')
					st->svc_any = true;
			if (!colon)
				st->svc_any = true; /* "*" */
			else
				st->svc_bloom |= cs__iam_svc_bit(s, sl);
		}
	}
	if (res && nres) {
		emit(c, CS_SEV_ERROR, nres, "Resource and NotResource cannot both be present");
	} else if (kind == CS_POLICY_TRUST) {
		if (res || nres)
			emit(c, CS_SEV_ERROR, res ? res : nres,
			     "Has prohibited field %s (a role trust policy applies to the role)",
			     res ? "Resource" : "NotResource");
	} else if (!res && !nres) {
		emit(c, CS_SEV_ERROR, v, "Missing required field Resource (or NotResource)");
	} else {
		st->has_resource = true;
		st->not_resource = nres != NULL;
		parse_list(c, res ? res : nres, res ? "Resource" : "NotResource", add_resource,
			   &st->res, &st->nres);
	}
	if (cond)
		parse_condition(c, st, cond);
}

static void compile(pctx *c, const cs_value *doc)
{
	if (cs_value_type(doc) != CS_VOBJECT) {
		emit(c, CS_SEV_ERROR, doc, "a policy document must be a JSON object");
		return;
	}
	const cs_value *ver = cs_value_get(doc, "Version");
	const cs_value *stmts = NULL;
	for (size_t i = 0; i < cs_value_len(doc); i++) {
		cs_str k = cs_value_key_at(doc, i);
		const cs_value *e = cs_value_at(doc, i);
		if (cs_str_eqc(k, "Statement"))
			stmts = e;
		else if (cs_str_eqc(k, "Id")) {
			if (cs_value_type(e) != CS_VSTRING)
				emit(c, CS_SEV_ERROR, e, "Id must be a string");
		} else if (!cs_str_eqc(k, "Version"))
			emit_key(c, doc, i, "Unknown field %.*s", (int)k.len, k.ptr);
	}
	if (ver) {
		cs_str s = cs_value_str(ver);
		if (cs_value_type(ver) == CS_VSTRING && cs_str_eqc(s, "2012-10-17"))
			c->p->v2012 = true;
		else if (!(cs_value_type(ver) == CS_VSTRING && cs_str_eqc(s, "2008-10-17")))
			emit(c, CS_SEV_ERROR, ver,
			     "Unsupported Version '%.*s': use 2012-10-17 (or the older 2008-10-17)",
			     (int)s.len, s.ptr);
	}
	if (!stmts) {
		emit(c, CS_SEV_ERROR, doc, "Missing required field Statement");
		return;
	}
	size_t n = cs_value_type(stmts) == CS_VARRAY ? cs_value_len(stmts) : 1;
	if (cs_value_type(stmts) != CS_VARRAY && cs_value_type(stmts) != CS_VOBJECT) {
		emit(c, CS_SEV_ERROR, stmts, "Statement must be an object or a list of objects");
		return;
	}
	c->p->st = cs_arena_alloc(c->p->arena, (n ? n : 1) * sizeof(cs_stmt));
	if (oom(c, c->p->st))
		return;
	for (size_t i = 0; i < n; i++) {
		const cs_value *sv = cs_value_type(stmts) == CS_VARRAY ? cs_value_at(stmts, i) : stmts;
		c->stmt = (unsigned)i + 1;
		parse_statement(c, &c->p->st[c->p->nst], sv);
		/* duplicate Sids: AWS requires them unique within a policy */
		const char *sid = c->p->st[c->p->nst].sid;
		for (size_t k = 0; sid && k < c->p->nst; k++)
			if (c->p->st[k].sid && strcmp(c->p->st[k].sid, sid) == 0)
				emit(c, CS_SEV_ERROR, sv, "Duplicate Sid '%s' (statement IDs must be unique)",
				     sid);
		c->p->svc_any |= c->p->st[c->p->nst].svc_any;
		c->p->svc_bloom |= c->p->st[c->p->nst].svc_bloom;
		c->p->nst++;
	}
	c->stmt = 0;
}

static cs_err start(cs_policy **pp, cs_policy_kind kind, const char *name, const char *file)
{
	cs_policy *p = cs_calloc(1, sizeof *p);
	if (!p)
		return CS_ENOMEM;
	p->arena = cs_arena_new(0);
	if (!p->arena) {
		cs_free(p);
		return CS_ENOMEM;
	}
	p->kind = kind;
	p->name = cs_arena_strdup(p->arena, name ? name : "policy");
	p->file = file ? cs_arena_strdup(p->arena, file) : NULL;
	if (!p->name || (file && !p->file)) {
		cs_policy_free(p);
		return CS_ENOMEM;
	}
	*pp = p;
	return CS_OK;
}

static cs_err finish(cs_policy **out, cs_policy *p, pctx *c)
{
	if (cs_arena_error(p->arena) == CS_ENOMEM) {
		cs_policy_free(p);
		return CS_ENOMEM;
	}
	if (c->errors) {
		cs_policy_free(p);
		return CS_ECHECK;
	}
	*out = p;
	return CS_OK;
}

cs_err cs_policy_from_value(cs_policy **out, cs_policy_kind kind, const char *name,
			    const char *file, const cs_value *doc, cs_diag_sink *diag)
{
	*out = NULL;
	cs_policy *p = NULL;
	cs_err rc = start(&p, kind, name, file);
	if (rc)
		return rc;
	pctx c = { p, diag, 0, 0 };
	compile(&c, doc);
	return finish(out, p, &c);
}

cs_err cs_policy_parse(cs_policy **out, cs_policy_kind kind, const char *name, const char *json,
		       size_t len, uint32_t line0, uint32_t col0, cs_diag_sink *diag)
{
	(void)col0; /* columns of the first line are the document's own */
	*out = NULL;
	cs_policy *p = NULL;
	cs_err rc = start(&p, kind, name, name);
	if (rc)
		return rc;
	cs_arena *tmp = cs_arena_new(0);
	if (!tmp) {
		cs_policy_free(p);
		return CS_ENOMEM;
	}
	cs_json_opts o = { 0 };
	o.first_line = line0 ? line0 : 1;
	o.max_depth = 64;
	const cs_value *doc = NULL;
	rc = cs_json_parse(tmp, p->file, json, len, &o, diag, &doc, NULL);
	if (rc) {
		cs_policy_free(p);
		cs_arena_free(tmp);
		return rc == CS_ENOMEM ? CS_ENOMEM : CS_ESYNTAX;
	}
	pctx c = { p, diag, 0, 0 };
	compile(&c, doc);
	rc = finish(out, p, &c);
	cs_arena_free(tmp);
	return rc;
}

void cs_policy_free(cs_policy *p)
{
	if (!p)
		return;
	cs_arena_free(p->arena);
	cs_free(p);
}

const char *cs_policy_name(const cs_policy *p)
{
	return p->name;
}

cs_policy_kind cs_policy_kind_of(const cs_policy *p)
{
	return p->kind;
}

const char *cs__iam_kind_name(cs_policy_kind k)
{
	switch (k) {
	case CS_POLICY_IDENTITY:
		return "identity";
	case CS_POLICY_RESOURCE:
		return "resource";
	case CS_POLICY_TRUST:
		return "trust";
	case CS_POLICY_BOUNDARY:
		return "boundary";
	case CS_POLICY_SESSION:
		return "session";
	case CS_POLICY_SCP:
		return "scp";
	case CS_POLICY_RCP:
		return "rcp";
	}
	return "unknown";
}
