/*
 * detect/condition.c - the Sigma condition language compiled into a
 * rule's boolean program (reverse Polish over test results).
 *
 * Grammar (precedence: not > and > or; keywords case-insensitive):
 *   expr   := term ('or' term)*
 *   term   := factor ('and' factor)*
 *   factor := 'not' factor | '(' expr ')' | quant 'of' target | NAME
 *   quant  := '1' | 'any' | 'all'        target := 'them' | NAME-PATTERN
 * NAME-PATTERN may hold '*' wildcards; 'them' is every selection whose name
 * does not start with '_'.  A selection's program is inlined where named.
 * The pipe aggregation of Sigma 1 (`| count() > 5`) is reported as
 * unsupported (use a correlation rule).
 */
#include <string.h>

#include "detect/detect_int.h"

#define MAX_DEPTH 128

typedef enum { K_END, K_NAME, K_AND, K_OR, K_NOT, K_LP, K_RP, K_ONE, K_ALL, K_OF, K_THEM, K_PIPE,
	       K_BAD } kind;

typedef struct parser {
	cs_diag_sink *diag;
	const char *file, *rid;
	uint32_t line, col;
	const char *s;
	size_t n, pos;
	kind k;
	size_t tstart, tlen;
	const cs__sel *sels;
	size_t nsels;
	cs__prog *p;
	unsigned depth;
} parser;

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '*' || c == '-' || c == '.' || c == '?';
}

static bool word_is(const parser *P, const char *w)
{
	size_t n = strlen(w);
	if (P->tlen != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = P->s[P->tstart + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != w[i])
			return false;
	}
	return true;
}

static void next(parser *P)
{
	while (P->pos < P->n && (P->s[P->pos] == ' ' || P->s[P->pos] == '\t' ||
				 P->s[P->pos] == '\n' || P->s[P->pos] == '\r'))
		P->pos++;
	P->tstart = P->pos;
	P->tlen = 0;
	if (P->pos >= P->n) {
		P->k = K_END;
		return;
	}
	char c = P->s[P->pos];
	if (c == '(' || c == ')' || c == '|') {
		P->pos++;
		P->tlen = 1;
		P->k = c == '(' ? K_LP : c == ')' ? K_RP : K_PIPE;
		return;
	}
	if (!name_char(c)) {
		P->tlen = 1;
		P->k = K_BAD;
		return;
	}
	while (P->pos < P->n && name_char(P->s[P->pos]))
		P->pos++;
	P->tlen = P->pos - P->tstart;
	if (word_is(P, "and"))
		P->k = K_AND;
	else if (word_is(P, "or"))
		P->k = K_OR;
	else if (word_is(P, "not"))
		P->k = K_NOT;
	else if (word_is(P, "1") || word_is(P, "any"))
		P->k = K_ONE;
	else if (word_is(P, "all"))
		P->k = K_ALL;
	else if (word_is(P, "of"))
		P->k = K_OF;
	else if (word_is(P, "them"))
		P->k = K_THEM;
	else
		P->k = K_NAME;
}

static cs_err fail(parser *P, cs_err code, const char *what)
{
	cs_diag_emit(P->diag, code == CS_EUNSUPPORTED ? CS_SEV_WARNING : CS_SEV_ERROR, code,
		     P->file, P->line, P->col, P->rid, "%s at offset %zu of condition '%.*s'", what,
		     P->tstart, (int)(P->n > 200 ? 200 : P->n), P->s);
	return code == CS_EUNSUPPORTED ? CS_EUNSUPPORTED : CS_ECHECK;
}

static cs_err emit_sel(parser *P, const cs__sel *s)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; i < s->prog.n && !rc; i++)
		rc = cs__prog_push(P->p, s->prog.ops[i]);
	return rc;
}

/* Name pattern match ('*' any run), case-sensitive like YAML keys. */
static bool pat_match(const char *pat, size_t pn, const char *name)
{
	size_t nn = strlen(name);
	cs_buf b;
	cs_buf_init(&b, 4096);
	bool ok = false;
	for (size_t i = 0; i < pn; i++) {
		char two[2] = { CS__GLOB_ESC, pat[i] == '*' ? '*' : CS__GLOB_ESC };
		bool special = pat[i] == '*' || pat[i] == CS__GLOB_ESC;
		if (special ? cs_buf_append(&b, two, 2) : cs_buf_putc(&b, pat[i]))
			goto out;
	}
	ok = cs__glob_match((cs_str){ b.data ? b.data : "", b.len }, name, nn, true);
out:
	cs_buf_release(&b);
	return ok;
}

static cs_err expr(parser *P);

static cs_err quantifier(parser *P)
{
	cs_err rc = CS_OK;
	bool all = P->k == K_ALL;
	next(P);
	if (P->k != K_OF)
		return fail(P, CS_ECHECK, "expected 'of'");
	next(P);
	if (P->k != K_THEM && P->k != K_NAME)
		return fail(P, CS_ECHECK, "expected 'them' or a selection name pattern");
	size_t cnt = 0;
	for (size_t i = 0; i < P->nsels && !rc; i++) {
		const char *nm = P->sels[i].name;
		bool hit = P->k == K_THEM ? nm[0] != '_'
					  : pat_match(P->s + P->tstart, P->tlen, nm);
		if (hit) {
			rc = emit_sel(P, &P->sels[i]);
			cnt++;
		}
	}
	if (rc)
		return rc;
	if (cnt == 0)
		return fail(P, CS_ECHECK, "no selection matches this 'of' pattern");
	if (cnt > 1)
		rc = cs__prog_push(P->p, CS__OP(all ? CS__OP_AND : CS__OP_OR, cnt));
	next(P);
	return rc;
}

static cs_err factor(parser *P)
{
	cs_err rc = CS_OK;
	if (++P->depth > MAX_DEPTH)
		return fail(P, CS_ECHECK, "condition nested too deeply");
	switch (P->k) {
	case K_NOT:
		next(P);
		rc = factor(P);
		if (!rc)
			rc = cs__prog_push(P->p, CS__OP(CS__OP_NOT, 0));
		break;
	case K_LP:
		next(P);
		rc = expr(P);
		if (!rc && P->k != K_RP)
			rc = fail(P, CS_ECHECK, "expected ')'");
		if (!rc)
			next(P);
		break;
	case K_ONE:
	case K_ALL:
		rc = quantifier(P);
		break;
	case K_NAME: {
		size_t i;
		for (i = 0; i < P->nsels; i++)
			if (strlen(P->sels[i].name) == P->tlen &&
			    memcmp(P->sels[i].name, P->s + P->tstart, P->tlen) == 0)
				break;
		if (i == P->nsels) {
			cs_diag_emit(P->diag, CS_SEV_ERROR, CS_ECHECK, P->file, P->line, P->col, P->rid,
				     "condition names '%.*s' (offset %zu), which is not a selection "
				     "of this rule", (int)P->tlen, P->s + P->tstart, P->tstart);
			rc = CS_ECHECK;
			break;
		}
		rc = emit_sel(P, &P->sels[i]);
		next(P);
		break;
	}
	case K_PIPE:
		rc = fail(P, CS_EUNSUPPORTED,
			  "unsupported: Sigma 1 aggregation ('| count() ...'); use a correlation rule");
		break;
	case K_END:
		rc = fail(P, CS_ECHECK, "unexpected end of condition");
		break;
	default:
		rc = fail(P, CS_ECHECK, "expected a selection name, 'not', '(' or '1 of'/'all of'");
		break;
	}
	P->depth--;
	return rc;
}

static cs_err term(parser *P)
{
	size_t n = 1;
	cs_err rc = factor(P);
	while (!rc && P->k == K_AND) {
		next(P);
		rc = factor(P);
		n++;
	}
	if (!rc && n > 1)
		rc = cs__prog_push(P->p, CS__OP(CS__OP_AND, n));
	return rc;
}

static cs_err expr(parser *P)
{
	size_t n = 1;
	cs_err rc = term(P);
	while (!rc && P->k == K_OR) {
		next(P);
		rc = term(P);
		n++;
	}
	if (!rc && n > 1)
		rc = cs__prog_push(P->p, CS__OP(CS__OP_OR, n));
	return rc;
}

cs_err cs__cond_compile(cs_diag_sink *diag, const char *file, uint32_t line, uint32_t col,
			const char *rule_id, const char *text, size_t len, const cs__sel *sels,
			size_t nsels, cs__prog *p)
{
	parser P = { diag, file, rule_id, line, col, text, len, 0, K_END, 0, 0, sels, nsels, p, 0 };
	cs_err rc = CS_OK;
	next(&P);
	rc = expr(&P);
	if (!rc && P.k == K_PIPE)
		rc = fail(&P, CS_EUNSUPPORTED,
			  "unsupported: Sigma 1 aggregation ('| count() ...'); use a correlation rule");
	else if (!rc && P.k != K_END)
		rc = fail(&P, CS_ECHECK, "unexpected text after the condition");
	if (rc == CS_ELIMIT)
		rc = fail(&P, CS_ECHECK, "condition program too large");
	return rc;
}
