/*
 * iam/trace.c - the explanation of a decision: every statement consulted,
 * whether its principal, action, resource and conditions matched, and the
 * rule that decided; written as text for people or as JSON.
 */
#include <stdio.h>
#include <string.h>

#include "cshare/json.h"
#include "iam/policy_int.h"

cs_err cs_iam_trace_new(cs_iam_trace **out)
{
	*out = cs_calloc(1, sizeof **out);
	return *out ? CS_OK : CS_ENOMEM;
}

void cs_iam_trace_free(cs_iam_trace *t)
{
	if (!t)
		return;
	cs_free(t->s);
	cs_free(t);
}

cs_err cs__iam_trace_add(cs_iam_trace *t, const cs_trstmt *s)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		if (cap > (size_t)1 << 24)
			return CS_ELIMIT;
		cs_trstmt *nv = cs_realloc(t->s, cap * sizeof *nv);
		if (!nv)
			return CS_ENOMEM;
		t->s = nv;
		t->cap = cap;
	}
	t->s[t->n++] = *s;
	return CS_OK;
}

static const char *yn(int v)
{
	return v < 0 ? "-" : v ? "yes" : "no";
}

static cs_err write_text(cs_buf *b, const cs_iam_trace *t)
{
	cs_err rc = cs_buf_printf(b, "decision: %s\nreason:   %s\n", cs_iam_decision_name(t->decision),
				  t->why);
	const cs_iam_request *rq = t->rq;
	if (!rc && rq) {
		const char *racct = cs__iam_resource_account(rq);
		rc = cs_buf_printf(b, "request:  %s %s on %s%s%s%s\n",
				   rq->principal ? rq->principal : "(no principal)", rq->action,
				   rq->resource ? rq->resource : "*", racct ? " (account " : "",
				   racct ? racct : "", racct ? ")" : "");
	}
	const cs_policy *last = NULL;
	for (size_t i = 0; i < t->n && !rc; i++) {
		const cs_trstmt *s = &t->s[i];
		if (s->p != last) {
			last = s->p;
			if (s->p->kind == CS_POLICY_SCP || s->p->kind == CS_POLICY_RCP)
				rc = cs_buf_printf(b, "%s policy '%s' (level %u):\n",
						   cs__iam_kind_name(s->p->kind), s->p->name, s->level);
			else
				rc = cs_buf_printf(b, "%s policy '%s':\n", cs__iam_kind_name(s->p->kind),
						   s->p->name);
			if (rc)
				break;
		}
		rc = cs_buf_printf(b, "  statement %u%s%s%s (line %u) %s: %s  [principal %s, action %s, resource %s",
				   s->st->index, s->st->sid ? " \"" : "", s->st->sid ? s->st->sid : "",
				   s->st->sid ? "\"" : "", s->st->line, s->st->allow ? "Allow" : "Deny",
				   s->applies ? "applies" : "does not apply", yn(s->principal),
				   yn(s->action), yn(s->resource));
		if (!rc && s->failed_cond >= 0) {
			const cs_cond *c = &s->st->cond[s->failed_cond];
			rc = cs_buf_printf(b, ", condition %s on %s (line %u) false", c->opname, c->keyname,
					   c->line);
		} else if (!rc && s->st->ncond && s->action && s->resource && s->principal != 0) {
			rc = cs_buf_printf(b, ", conditions true");
		}
		if (!rc)
			rc = cs_buf_puts(b, "]\n");
	}
	return rc;
}

static cs_err jstr(cs_buf *b, const char *s)
{
	return s ? cs_json_write_str(b, s, strlen(s)) : cs_buf_puts(b, "null");
}

static cs_err write_json(cs_buf *b, const cs_iam_trace *t)
{
	cs_err rc = cs_buf_printf(b, "{\"decision\":\"%s\",\"reason\":", cs_iam_decision_name(t->decision));
	if (!rc)
		rc = jstr(b, t->why);
	const cs_iam_request *rq = t->rq;
	if (!rc && rq) {
		const char *racct = cs__iam_resource_account(rq);
		rc = cs_buf_puts(b, ",\"request\":{\"principal\":");
		if (!rc)
			rc = jstr(b, rq->principal);
		if (!rc)
			rc = cs_buf_puts(b, ",\"action\":");
		if (!rc)
			rc = jstr(b, rq->action);
		if (!rc)
			rc = cs_buf_puts(b, ",\"resource\":");
		if (!rc)
			rc = jstr(b, rq->resource);
		if (!rc)
			rc = cs_buf_puts(b, ",\"resource_account\":");
		if (!rc)
			rc = jstr(b, racct);
		if (!rc)
			rc = cs_buf_puts(b, "}");
	}
	if (!rc)
		rc = cs_buf_puts(b, ",\"statements\":[");
	for (size_t i = 0; i < t->n && !rc; i++) {
		const cs_trstmt *s = &t->s[i];
		rc = cs_buf_printf(b, "%s{\"policy\":", i ? "," : "");
		if (!rc)
			rc = jstr(b, s->p->name);
		if (!rc)
			rc = cs_buf_printf(b, ",\"kind\":\"%s\",\"level\":%u,\"statement\":%u,\"sid\":",
					   cs__iam_kind_name(s->p->kind), s->level, s->st->index);
		if (!rc)
			rc = jstr(b, s->st->sid);
		if (!rc)
			rc = cs_buf_printf(b, ",\"line\":%u,\"effect\":\"%s\",\"principal\":%s,\"action\":%s,\"resource\":%s,\"failed_condition\":",
					   s->st->line, s->st->allow ? "Allow" : "Deny",
					   s->principal < 0 ? "null" : s->principal ? "true" : "false",
					   s->action ? "true" : "false", s->resource ? "true" : "false");
		if (!rc && s->failed_cond >= 0) {
			const cs_cond *c = &s->st->cond[s->failed_cond];
			rc = cs_buf_puts(b, "{\"operator\":");
			if (!rc)
				rc = jstr(b, c->opname);
			if (!rc)
				rc = cs_buf_puts(b, ",\"key\":");
			if (!rc)
				rc = jstr(b, c->keyname);
			if (!rc)
				rc = cs_buf_printf(b, ",\"line\":%u}", c->line);
		} else if (!rc) {
			rc = cs_buf_puts(b, "null");
		}
		if (!rc)
			rc = cs_buf_printf(b, ",\"applies\":%s}", s->applies ? "true" : "false");
	}
	if (!rc)
		rc = cs_buf_puts(b, "]}\n");
	return rc;
}

cs_err cs_iam_trace_write(cs_buf *out, const cs_iam_trace *t, bool json)
{
	return json ? write_json(out, t) : write_text(out, t);
}
