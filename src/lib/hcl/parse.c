/*
 * hcl/parse.c - recursive-descent parser of HCL native syntax
 * (hclsyntax/spec.md) into the AST of hcl/ast.h: bodies, attributes and
 * blocks; expressions by precedence climbing (conditional, then || && ==
 * != < > <= >= + - * / %, then unary - !, then postfix traversals, splats
 * and calls); quoted templates and heredocs with interpolations,
 * directives, strip markers and <<- indentation removal.
 *
 * Newlines end attributes and object items, but are ignored inside
 * parentheses, brackets, function arguments, for expressions and template
 * interpolations (p->nl_ignore counts those levels).
 *
 * Errors are diagnosed once, where found, worded like hclsyntax's, and the
 * expression being parsed is abandoned (NULL); the body parser then skips
 * to the end of the line (balancing brackets) and goes on, so the rest of
 * the file is still read and reported.  Nesting beyond CS_HCL_MAX_DEPTH is
 * diagnosed and stops the file: no stack overflow on hostile input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hcl/hcl.h"
#include "hcl/lex.h"

typedef struct parser {
	cs_arena *a;
	const char *file;
	const char *src;
	cs_diag_sink *diags;
	hcl_lexer lx;
	hcl_token tok;
	bool have_tok;
	int nl_ignore;
	unsigned depth;
	unsigned errors;
	bool fatal; /* stop: out of memory or nesting too deep */
	cs_err err; /* CS_ENOMEM / CS_ELIMIT when fatal for that reason */
	uint32_t prev_end, prev_eline; /* end of the last consumed token */
	unsigned measuring; /* inside the first pass over a <<- heredoc */
	int open; /* brackets, braces and parentheses consumed and not closed */
} parser;

/* Growable heap vector of fixed-size elements, copied to the arena. */
typedef struct vec {
	void *v;
	size_t n, cap, size;
} vec;

static void *vec_push(parser *p, vec *v)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 8;
		void *nv = cs_realloc(v->v, nc * v->size);
		if (!nv) {
			p->fatal = true;
			p->err = CS_ENOMEM;
			return NULL;
		}
		v->v = nv;
		v->cap = nc;
	}
	void *slot = (char *)v->v + v->n * v->size;
	memset(slot, 0, v->size);
	v->n++;
	return slot;
}

/* Copies the vector to the arena (NULL when empty) and frees it. */
static void *vec_finish(parser *p, vec *v)
{
	void *out = NULL;
	if (p->fatal)
		v->n = 0; /* callers read n after this: never n > 0 with no array */
	if (v->n && !p->fatal) {
		out = cs_arena_alloc(p->a, v->n * v->size);
		if (out) {
			memcpy(out, v->v, v->n * v->size);
		} else {
			p->fatal = true;
			p->err = cs_arena_error(p->a);
		}
	}
	cs_free(v->v);
	v->v = NULL;
	v->cap = 0;
	return out;
}

static void *new_node(parser *p, size_t size)
{
	void *n = cs_arena_alloc(p->a, size);
	if (!n) {
		p->fatal = true;
		p->err = cs_arena_error(p->a);
		return NULL;
	}
	memset(n, 0, size);
	return n;
}

static cs_str dup_str(parser *p, const char *s, size_t len)
{
	char *d = cs_arena_strndup(p->a, s, len);
	if (!d) {
		p->fatal = true;
		p->err = cs_arena_error(p->a);
		return (cs_str){ "", 0 };
	}
	return (cs_str){ d, len };
}

static void error_at(parser *p, uint32_t line, uint32_t col, const char *fmt, ...) CS_PRINTF(4, 5);

static void error_at(parser *p, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->errors++;
	if (p->diags)
		cs_diag_emit(p->diags, CS_SEV_ERROR, CS_ESYNTAX, p->file, line, col, NULL, "%s",
			     msg);
}

/* ---- tokens -------------------------------------------------------------- */

static hcl_token *peek_raw(parser *p)
{
	if (!p->have_tok) {
		p->tok = cs__hcl_lex_next(&p->lx);
		p->have_tok = true;
	}
	return &p->tok;
}

static hcl_token *peek(parser *p)
{
	hcl_token *t = peek_raw(p);
	while (p->nl_ignore > 0 && t->kind == TK_NL) {
		p->have_tok = false;
		t = peek_raw(p);
	}
	return t;
}

/* Consumes the current token without scanning the next one (so a template
 * can be read from the lexer's position right after it). */
static hcl_token take(parser *p)
{
	hcl_token t = *peek(p);
	p->have_tok = false;
	if (t.kind == TK_LBRACE || t.kind == TK_LBRACK || t.kind == TK_LPAREN)
		p->open++;
	else if (t.kind == TK_RBRACE || t.kind == TK_RBRACK || t.kind == TK_RPAREN)
		p->open--;
	p->prev_end = t.end;
	p->prev_eline = t.eline;
	return t;
}

static bool tok_is_word(parser *p, const hcl_token *t, const char *w)
{
	size_t n = strlen(w);
	return t->kind == TK_IDENT && t->end - t->off == n && memcmp(p->src + t->off, w, n) == 0;
}

static const char *tok_what(const hcl_token *t)
{
	switch (t->kind) {
	case TK_EOF: return "the end of the file";
	default: return "an invalid expression token";
	}
}

/* Diagnoses a token that cannot start or continue what is being parsed
 * when it is a lexical problem (bad character, unclosed comment); returns
 * true if it did. */
static bool lexical_error(parser *p, const hcl_token *t)
{
	switch (t->kind) {
	case TK_INVALID:
		if (p->src[t->off] == '^' || p->src[t->off] == '&' || p->src[t->off] == '|')
			error_at(p, t->line, t->col,
				 "Unsupported operator: Bitwise operators are not supported.");
		else if (p->src[t->off] == '\'')
			error_at(p, t->line, t->col,
				 "Invalid character: Single quotes are not valid. Use double "
				 "quotes (\") to enclose strings.");
		else
			error_at(p, t->line, t->col,
				 "Invalid character: This character is not used within the "
				 "language.");
		return true;
	case TK_BADUTF8:
		error_at(p, t->line, t->col,
			 "Invalid character encoding: All input files must be UTF-8 encoded. "
			 "Ensure that UTF-8 encoding is selected in your editor.");
		return true;
	case TK_UNCLOSED_COMMENT:
		error_at(p, t->line, t->col,
			 "Unterminated comment: There is no closing marker for this comment.");
		return true;
	case TK_TEMPLATE_OPEN:
		error_at(p, t->line, t->col,
			 "Invalid character: The \"%c{\" sequence is allowed only inside a "
			 "quoted string or heredoc template.",
			 p->src[t->off]);
		return true;
	default:
		return false;
	}
}

static cs_hcl_range range_from(const hcl_token *t)
{
	cs_hcl_range r = { t->line, t->col, t->eline, t->off, t->end };
	return r;
}

/* Closes a range at the last consumed token. */
static void range_close(parser *p, cs_hcl_range *r)
{
	r->end = p->prev_end;
	r->end_line = p->prev_eline;
}

static bool enter(parser *p, const hcl_token *t)
{
	if (p->depth >= CS_HCL_MAX_DEPTH) {
		if (!p->fatal)
			error_at(p, t->line, t->col,
				 "Nesting too deep: Expressions, templates and blocks may be "
				 "nested at most %d levels deep.",
				 CS_HCL_MAX_DEPTH);
		p->fatal = true;
		return false;
	}
	p->depth++;
	return true;
}

/* ---- expressions --------------------------------------------------------- */

static cs_hcl_expr *parse_expr(parser *p);
static cs_hcl_expr *parse_template_tok(parser *p, const hcl_token *open);

static cs_hcl_expr *mk(parser *p, cs_hcl_ekind k, const cs_hcl_range *r)
{
	cs_hcl_expr *e = new_node(p, sizeof(*e));
	if (e) {
		e->kind = k;
		e->range = *r;
	}
	return e;
}

static bool expect(parser *p, hcl_tk k, const char *msg)
{
	hcl_token *t = peek(p);
	if (t->kind == k) {
		take(p);
		return true;
	}
	if (!p->fatal && !lexical_error(p, t))
		error_at(p, t->line, t->col, "%s", msg);
	return false;
}

static cs_hcl_expr *parse_number(parser *p, const hcl_token *t)
{
	cs_hcl_range r = range_from(t);
	cs_hcl_expr *e = mk(p, CS_HCL_E_LITERAL, &r);
	if (!e)
		return NULL;
	e->u.lit.kind = CS_HCL_LIT_NUMBER;
	e->u.lit.s = dup_str(p, p->src + t->off, t->end - t->off);
	e->u.lit.d = strtod(e->u.lit.s.ptr, NULL);
	return e;
}

/* [for ...] or {for ...}; `open` was consumed, the next token is `for`. */
static cs_hcl_expr *parse_for(parser *p, const hcl_token *open, bool object)
{
	cs_hcl_range r = range_from(open);
	cs_hcl_expr *e = mk(p, CS_HCL_E_FOR, &r);
	if (!e)
		return NULL;
	e->u.forx.object = object;
	p->nl_ignore++;
	take(p); /* for */
	hcl_token *t = peek(p);
	cs_hcl_expr *res = NULL;
	if (t->kind != TK_IDENT) {
		error_at(p, t->line, t->col,
			 "Invalid 'for' expression: For expression requires variable name "
			 "after 'for'.");
		goto out;
	}
	hcl_token v1 = take(p);
	t = peek(p);
	if (t->kind == TK_COMMA) {
		take(p);
		t = peek(p);
		if (t->kind != TK_IDENT) {
			error_at(p, t->line, t->col,
				 "Invalid 'for' expression: For expression requires value variable "
				 "name after comma.");
			goto out;
		}
		hcl_token v2 = take(p);
		e->u.forx.key_var = dup_str(p, p->src + v1.off, v1.end - v1.off);
		e->u.forx.val_var = dup_str(p, p->src + v2.off, v2.end - v2.off);
		t = peek(p);
	} else {
		e->u.forx.val_var = dup_str(p, p->src + v1.off, v1.end - v1.off);
	}
	if (!tok_is_word(p, t, "in")) {
		error_at(p, t->line, t->col,
			 "Invalid 'for' expression: For expression requires the 'in' keyword "
			 "after its name declarations.");
		goto out;
	}
	take(p);
	if (!(e->u.forx.coll = parse_expr(p)))
		goto out;
	if (!expect(p, TK_COLON,
		    "Invalid 'for' expression: For expression requires a colon after the "
		    "collection expression."))
		goto out;
	if (object) {
		if (!(e->u.forx.key_expr = parse_expr(p)))
			goto out;
		if (!expect(p, TK_ARROW,
			    "Invalid 'for' expression: Key expression in 'for' expression must "
			    "be followed by a fat arrow (=>)."))
			goto out;
	}
	if (!(e->u.forx.val_expr = parse_expr(p)))
		goto out;
	t = peek(p);
	if (object && t->kind == TK_ELLIPSIS) {
		take(p);
		e->u.forx.group = true;
		t = peek(p);
	}
	if (tok_is_word(p, t, "if")) {
		take(p);
		if (!(e->u.forx.cond = parse_expr(p)))
			goto out;
		t = peek(p);
	}
	if (t->kind != (object ? TK_RBRACE : TK_RBRACK)) {
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Invalid 'for' expression: Extra characters after the end of the "
				 "'for' expression.");
		goto out;
	}
	take(p);
	range_close(p, &e->range);
	res = e;
out:
	p->nl_ignore--;
	return res;
}

static cs_hcl_expr *parse_tuple(parser *p, const hcl_token *open)
{
	cs_hcl_range r = range_from(open);
	cs_hcl_expr *res = NULL;
	vec items = { NULL, 0, 0, sizeof(cs_hcl_expr *) };
	p->nl_ignore++;
	for (;;) {
		hcl_token *t = peek(p);
		if (t->kind == TK_RBRACK)
			break;
		cs_hcl_expr *x = parse_expr(p);
		if (!x)
			goto out;
		cs_hcl_expr **slot = vec_push(p, &items);
		if (!slot)
			goto out;
		*slot = x;
		t = peek(p);
		if (t->kind == TK_COMMA) {
			take(p);
			continue;
		}
		if (t->kind == TK_RBRACK)
			break;
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Missing item separator: Expected a comma to mark the beginning "
				 "of the next item.");
		goto out;
	}
	take(p);
	cs_hcl_expr *e = mk(p, CS_HCL_E_TUPLE, &r);
	if (!e)
		goto out;
	e->u.tuple.v = vec_finish(p, &items);
	e->u.tuple.n = items.n;
	range_close(p, &e->range);
	res = p->fatal ? NULL : e;
out:
	cs_free(items.v);
	p->nl_ignore--;
	return res;
}

static cs_hcl_expr *parse_object(parser *p, const hcl_token *open)
{
	cs_hcl_range r = range_from(open);
	cs_hcl_expr *res = NULL;
	vec items = { NULL, 0, 0, sizeof(cs_hcl_objitem) };
	int saved_nl = p->nl_ignore;
	p->nl_ignore = 0; /* newlines separate items */
	for (;;) {
		hcl_token *t = peek(p);
		while (t->kind == TK_NL) {
			take(p);
			t = peek(p);
		}
		if (t->kind == TK_RBRACE)
			break;
		hcl_token kt = *t;
		p->nl_ignore++; /* a key is one expression */
		cs_hcl_expr *key = parse_expr(p);
		p->nl_ignore--;
		if (!key)
			goto out;
		t = peek(p);
		if (t->kind != TK_ASSIGN && t->kind != TK_COLON) {
			if (!lexical_error(p, t))
				error_at(p, t->line, t->col,
					 "Missing key/value separator: Expected an equals sign (\"=\") "
					 "to mark the beginning of the attribute value.");
			goto out;
		}
		bool colon = t->kind == TK_COLON;
		take(p);
		cs_hcl_expr *val = parse_expr(p);
		if (!val)
			goto out;
		cs_hcl_objitem *it = vec_push(p, &items);
		if (!it)
			goto out;
		it->colon = colon;
		it->val = val;
		it->range = range_from(&kt);
		range_close(p, &it->range);
		if (key->kind == CS_HCL_E_VAR) {
			it->key_ident = true;
			it->key_name = key->u.var.name;
		}
		it->key = key;
		t = peek(p);
		if (t->kind == TK_COMMA || t->kind == TK_NL) {
			take(p);
			continue;
		}
		if (t->kind == TK_RBRACE)
			break;
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Missing attribute separator: Expected a newline or comma to mark "
				 "the beginning of the next attribute.");
		goto out;
	}
	take(p);
	cs_hcl_expr *e = mk(p, CS_HCL_E_OBJECT, &r);
	if (!e)
		goto out;
	e->u.object.v = vec_finish(p, &items);
	e->u.object.n = items.n;
	range_close(p, &e->range);
	res = p->fatal ? NULL : e;
out:
	cs_free(items.v);
	p->nl_ignore = saved_nl;
	return res;
}

/* name(args...) where `name` (already consumed, possibly with ::
 * namespaces) spans [r.off, name_end). */
static cs_hcl_expr *parse_call(parser *p, cs_hcl_range r, cs_str name)
{
	cs_hcl_expr *res = NULL;
	vec args = { NULL, 0, 0, sizeof(cs_hcl_expr *) };
	bool expand = false;
	p->nl_ignore++;
	take(p); /* ( */
	for (;;) {
		hcl_token *t = peek(p);
		if (t->kind == TK_RPAREN)
			break;
		cs_hcl_expr *x = parse_expr(p);
		if (!x)
			goto out;
		cs_hcl_expr **slot = vec_push(p, &args);
		if (!slot)
			goto out;
		*slot = x;
		t = peek(p);
		if (t->kind == TK_ELLIPSIS) {
			take(p);
			expand = true;
			t = peek(p);
			if (t->kind == TK_COMMA) {
				take(p);
				t = peek(p);
			}
			if (t->kind != TK_RPAREN) {
				if (!lexical_error(p, t))
					error_at(p, t->line, t->col,
						 "Missing closing parenthesis: An expanded function "
						 "argument (with ...) must be immediately followed by "
						 "closing parentheses.");
				goto out;
			}
			break;
		}
		if (t->kind == TK_COMMA) {
			take(p);
			continue;
		}
		if (t->kind == TK_RPAREN)
			break;
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Missing argument separator: A comma is required to separate each "
				 "function argument from the next.");
		goto out;
	}
	take(p);
	cs_hcl_expr *e = mk(p, CS_HCL_E_CALL, &r);
	if (!e)
		goto out;
	e->u.call.name = name;
	e->u.call.args = vec_finish(p, &args);
	e->u.call.nargs = args.n;
	e->u.call.expand = expand;
	range_close(p, &e->range);
	res = p->fatal ? NULL : e;
out:
	cs_free(args.v);
	p->nl_ignore--;
	return res;
}

static cs_hcl_expr *parse_primary(parser *p)
{
	hcl_token *t = peek(p);
	hcl_token st = *t;
	cs_hcl_range r = range_from(t);
	cs_hcl_expr *e = NULL;
	switch (t->kind) {
	case TK_NUMBER:
		take(p);
		return parse_number(p, &st);
	case TK_IDENT: {
		take(p);
		cs_str w = { p->src + st.off, st.end - st.off };
		if (cs_str_eqc(w, "true") || cs_str_eqc(w, "false") || cs_str_eqc(w, "null")) {
			e = mk(p, CS_HCL_E_LITERAL, &r);
			if (!e)
				return NULL;
			if (w.ptr[0] == 'n') {
				e->u.lit.kind = CS_HCL_LIT_NULL;
			} else {
				e->u.lit.kind = CS_HCL_LIT_BOOL;
				e->u.lit.b = w.ptr[0] == 't';
			}
			return e;
		}
		hcl_token *n = peek(p);
		if (n->kind == TK_DCOLON) {
			/* provider::ns::fn( */
			while (n->kind == TK_DCOLON) {
				take(p);
				n = peek(p);
				if (n->kind != TK_IDENT) {
					if (!lexical_error(p, n))
						error_at(p, n->line, n->col,
							 "Missing function name: Function scope resolution "
							 "symbol :: must be followed by a function name in "
							 "this scope.");
					return NULL;
				}
				take(p);
				n = peek(p);
			}
			if (n->kind != TK_LPAREN) {
				if (!lexical_error(p, n))
					error_at(p, n->line, n->col,
						 "Missing function argument list: Function call requires "
						 "an argument list after the function name.");
				return NULL;
			}
			return parse_call(p, r, dup_str(p, p->src + st.off, p->prev_end - st.off));
		}
		if (n->kind == TK_LPAREN)
			return parse_call(p, r, dup_str(p, w.ptr, w.len));
		e = mk(p, CS_HCL_E_VAR, &r);
		if (e)
			e->u.var.name = dup_str(p, w.ptr, w.len);
		return e;
	}
	case TK_OQUOTE:
	case TK_OHEREDOC:
		take(p);
		return parse_template_tok(p, &st);
	case TK_LPAREN: {
		take(p);
		p->nl_ignore++;
		cs_hcl_expr *x = parse_expr(p);
		if (x && expect(p, TK_RPAREN,
				"Unbalanced parentheses: Expected a closing parenthesis to terminate "
				"the expression.")) {
			e = mk(p, CS_HCL_E_PAREN, &r);
			if (e) {
				e->u.paren.x = x;
				range_close(p, &e->range);
			}
		}
		p->nl_ignore--;
		return e;
	}
	case TK_LBRACK:
	case TK_LBRACE: {
		take(p);
		bool obj = st.kind == TK_LBRACE;
		int saved = p->nl_ignore;
		p->nl_ignore++; /* `{` newline `for` is still a for expression */
		hcl_token *n = peek(p);
		bool isfor = tok_is_word(p, n, "for");
		p->nl_ignore = saved;
		if (isfor)
			return parse_for(p, &st, obj);
		return obj ? parse_object(p, &st) : parse_tuple(p, &st);
	}
	default:
		if (!lexical_error(p, t)) {
			if (t->kind == TK_EOF)
				error_at(p, t->line, t->col,
					 "Missing expression: Expected the start of an expression, but "
					 "found the end of the file.");
			else
				error_at(p, t->line, t->col,
					 "Invalid expression: Expected the start of an expression, but "
					 "found %s.",
					 tok_what(t));
		}
		return NULL;
	}
}

static cs_hcl_expr *mk_getattr(parser *p, cs_hcl_expr *obj, const hcl_token *name)
{
	cs_hcl_range r = obj->range;
	cs_hcl_expr *e = mk(p, CS_HCL_E_GETATTR, &r);
	if (!e)
		return NULL;
	e->u.getattr.obj = obj;
	e->u.getattr.name = dup_str(p, p->src + name->off, name->end - name->off);
	range_close(p, &e->range);
	return e;
}

static cs_hcl_expr *mk_index(parser *p, cs_hcl_expr *obj, cs_hcl_expr *key, bool legacy)
{
	cs_hcl_range r = obj->range;
	cs_hcl_expr *e = mk(p, CS_HCL_E_INDEX, &r);
	if (!e)
		return NULL;
	e->u.index.obj = obj;
	e->u.index.key = key;
	if (legacy)
		e->flags |= CS_HCL_F_LEGACY;
	range_close(p, &e->range);
	return e;
}

/* `.0` (legacy index); a number token "0.1" (from `.0.1`) is two indexes. */
static cs_hcl_expr *legacy_index(parser *p, cs_hcl_expr *obj, const hcl_token *num)
{
	const char *s = p->src + num->off;
	size_t n = num->end - num->off, i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i != n && !(i < n && s[i] == '.')) {
		error_at(p, num->line, num->col,
			 "Invalid legacy index syntax: When using the legacy index syntax, "
			 "chaining two indexes together is only possible with whole numbers.");
		return NULL;
	}
	hcl_token a = *num;
	a.end = a.off + (uint32_t)i;
	cs_hcl_expr *k = parse_number(p, &a);
	cs_hcl_expr *e = k ? mk_index(p, obj, k, true) : NULL;
	if (e && i < n) {
		hcl_token b = *num;
		b.off = a.end + 1;
		b.col += (uint32_t)i + 1;
		size_t j = b.off;
		while (j < num->end && p->src[j] >= '0' && p->src[j] <= '9')
			j++;
		if (j != num->end) {
			error_at(p, num->line, num->col,
				 "Invalid legacy index syntax: When using the legacy index syntax, "
				 "chaining two indexes together is only possible with whole "
				 "numbers.");
			return NULL;
		}
		cs_hcl_expr *k2 = parse_number(p, &b);
		e = k2 ? mk_index(p, e, k2, true) : NULL;
	}
	return e;
}

/* Parses `[ expr ]` after the `[` was consumed. */
static cs_hcl_expr *finish_index(parser *p, cs_hcl_expr *obj)
{
	p->nl_ignore++;
	cs_hcl_expr *k = parse_expr(p);
	cs_hcl_expr *e = NULL;
	if (k && expect(p, TK_RBRACK,
			"Missing close bracket on index: The index operator must end with a "
			"closing bracket (\"]\")."))
		e = mk_index(p, obj, k, false);
	p->nl_ignore--;
	return e;
}

/* Lookahead bookkeeping: where the lexer is (not its comment list). */
typedef struct lexpos {
	size_t pos, line_start;
	uint32_t line;
	int open;
} lexpos;

static lexpos lex_save(const parser *p)
{
	lexpos s = { p->lx.pos, p->lx.line_start, p->lx.line, p->open };
	return s;
}

static void lex_restore(parser *p, lexpos s, const hcl_token *tok)
{
	p->lx.pos = s.pos;
	p->lx.line_start = s.line_start;
	p->lx.line = s.line;
	p->open = s.open;
	p->tok = *tok;
	p->have_tok = true;
}

/* Steps after a splat: attribute (and, for [*], index) steps applied to
 * each element. */
static cs_hcl_expr *parse_splat(parser *p, cs_hcl_expr *src, bool full)
{
	cs_hcl_range r = src->range;
	cs_hcl_expr *item = mk(p, CS_HCL_E_SPLAT_ITEM, &r);
	if (!item)
		return NULL;
	range_close(p, &item->range);
	cs_hcl_expr *each = item;
	for (;;) {
		hcl_token *t = peek(p);
		if (t->kind == TK_DOT) {
			/* look past the dot without committing: `.*` ends this splat */
			lexpos save = lex_save(p);
			hcl_token dot = *t;
			take(p);
			hcl_token *n = peek(p);
			if (n->kind == TK_IDENT) {
				hcl_token nt = take(p);
				if (!(each = mk_getattr(p, each, &nt)))
					return NULL;
				continue;
			}
			if (n->kind == TK_NUMBER && full) {
				hcl_token nt = take(p);
				if (!(each = legacy_index(p, each, &nt)))
					return NULL;
				continue;
			}
			/* not ours: back to the dot */
			lex_restore(p, save, &dot);
			break;
		}
		if (t->kind == TK_LBRACK && full) {
			lexpos save = lex_save(p);
			hcl_token br = *t;
			take(p);
			hcl_token *n = peek(p);
			if (n->kind == TK_STAR) {
				lex_restore(p, save, &br);
				break;
			}
			if (!(each = finish_index(p, each)))
				return NULL;
			continue;
		}
		break;
	}
	cs_hcl_expr *e = mk(p, CS_HCL_E_SPLAT, &r);
	if (!e)
		return NULL;
	e->u.splat.source = src;
	e->u.splat.each = each;
	e->u.splat.full = full;
	range_close(p, &e->range);
	return e;
}

static cs_hcl_expr *parse_postfix(parser *p)
{
	cs_hcl_expr *e = parse_primary(p);
	while (e && !p->fatal) {
		hcl_token *t = peek(p);
		if (t->kind == TK_DOT) {
			take(p);
			hcl_token *n = peek(p);
			if (n->kind == TK_IDENT) {
				hcl_token nt = take(p);
				e = mk_getattr(p, e, &nt);
			} else if (n->kind == TK_NUMBER) {
				hcl_token nt = take(p);
				e = legacy_index(p, e, &nt);
			} else if (n->kind == TK_STAR) {
				take(p);
				e = parse_splat(p, e, false);
			} else {
				if (!lexical_error(p, n))
					error_at(p, n->line, n->col,
						 "Invalid attribute name: An attribute name is required "
						 "after a dot.");
				e = NULL;
			}
		} else if (t->kind == TK_LBRACK) {
			take(p);
			p->nl_ignore++;
			hcl_token *n = peek(p);
			if (n->kind == TK_STAR) {
				take(p);
				bool ok = expect(p, TK_RBRACK,
						 "Missing close bracket on splat index: The star for a "
						 "full splat operator must be immediately followed by a "
						 "closing bracket (\"]\").");
				p->nl_ignore--;
				e = ok ? parse_splat(p, e, true) : NULL;
			} else {
				p->nl_ignore--;
				e = finish_index(p, e);
			}
		} else {
			break;
		}
	}
	return p->fatal ? NULL : e;
}

static cs_hcl_expr *parse_unary(parser *p)
{
	hcl_token *t = peek(p);
	if (t->kind != TK_MINUS && t->kind != TK_BANG)
		return parse_postfix(p);
	hcl_token op = take(p);
	if (!enter(p, &op))
		return NULL;
	cs_hcl_expr *x = parse_unary(p);
	p->depth--;
	if (!x)
		return NULL;
	cs_hcl_range r = range_from(&op);
	cs_hcl_expr *e = mk(p, CS_HCL_E_UNARY, &r);
	if (!e)
		return NULL;
	e->u.unary.op = op.kind == TK_MINUS ? CS_HCL_OP_NEG : CS_HCL_OP_NOT;
	e->u.unary.x = x;
	range_close(p, &e->range);
	return e;
}

/* Binary operators by level, lowest first. */
static cs_hcl_op binop_at(hcl_tk k, int level)
{
	switch (level) {
	case 0: return k == TK_OR ? CS_HCL_OP_OR : 0;
	case 1: return k == TK_AND ? CS_HCL_OP_AND : 0;
	case 2: return k == TK_EQ ? CS_HCL_OP_EQ : k == TK_NE ? CS_HCL_OP_NE : 0;
	case 3:
		return k == TK_LT   ? CS_HCL_OP_LT
		       : k == TK_LE ? CS_HCL_OP_LE
		       : k == TK_GT ? CS_HCL_OP_GT
		       : k == TK_GE ? CS_HCL_OP_GE
				    : 0;
	case 4: return k == TK_PLUS ? CS_HCL_OP_ADD : k == TK_MINUS ? CS_HCL_OP_SUB : 0;
	case 5:
		return k == TK_STAR	 ? CS_HCL_OP_MUL
		       : k == TK_SLASH	 ? CS_HCL_OP_DIV
		       : k == TK_PERCENT ? CS_HCL_OP_MOD
					 : 0;
	default: return 0;
	}
}

static cs_hcl_expr *parse_binary(parser *p, int level)
{
	if (level > 5)
		return parse_unary(p);
	cs_hcl_expr *l = parse_binary(p, level + 1);
	while (l && !p->fatal) {
		hcl_token *t = peek(p);
		cs_hcl_op op = binop_at(t->kind, level);
		if (!op)
			break;
		take(p);
		cs_hcl_expr *r = parse_binary(p, level + 1);
		if (!r)
			return NULL;
		cs_hcl_range rg = l->range;
		cs_hcl_expr *e = mk(p, CS_HCL_E_BINARY, &rg);
		if (!e)
			return NULL;
		e->u.binary.op = op;
		e->u.binary.l = l;
		e->u.binary.r = r;
		range_close(p, &e->range);
		l = e;
	}
	return l;
}

static cs_hcl_expr *parse_expr(parser *p)
{
	hcl_token *t = peek(p);
	hcl_token st = *t;
	if (p->fatal || !enter(p, &st))
		return NULL;
	cs_hcl_expr *res = NULL;
	cs_hcl_expr *c = parse_binary(p, 0);
	if (!c)
		goto out;
	t = peek(p);
	if (t->kind != TK_QUESTION) {
		res = c;
		goto out;
	}
	take(p);
	cs_hcl_expr *yes = parse_expr(p);
	if (!yes)
		goto out;
	if (!expect(p, TK_COLON,
		    "Missing false expression in conditional: The conditional operator (...?...:...) "
		    "requires a false expression, delimited by a colon."))
		goto out;
	cs_hcl_expr *no = parse_expr(p);
	if (!no)
		goto out;
	cs_hcl_range r = c->range;
	cs_hcl_expr *e = mk(p, CS_HCL_E_COND, &r);
	if (!e)
		goto out;
	e->u.cond.cond = c;
	e->u.cond.yes = yes;
	e->u.cond.no = no;
	range_close(p, &e->range);
	res = e;
out:
	p->depth--;
	return p->fatal ? NULL : res;
}

/* ---- templates ----------------------------------------------------------- */

enum tmode { TM_QUOTED, TM_HEREDOC, TM_RAW };

typedef struct tstate {
	enum tmode mode;
	size_t end;      /* heredoc: start of the closing marker line; raw: len */
	bool flush;      /* <<-: indentation is removed */
	bool measure;    /* first pass of <<-: only find the indentation */
	size_t indent;   /* <<-: leading white space removed per line */
	bool strip_next; /* a ~} asks to trim the next literal's start */
	bool closed;     /* quoted: saw the closing quote */
	cs_buf text;     /* literal text being gathered */
	uint32_t tline, tcol, toff; /* where that text started */
	bool have_text;
	uint32_t dline, dcol; /* the last directive's %{ */
} tstate;

typedef enum tstop { TS_END, TS_ELSE, TS_ENDIF, TS_ENDFOR, TS_ERROR } tstop;

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Ends the literal being gathered as a TEXT part. */
static bool flush_text(parser *p, tstate *ts, vec *parts)
{
	if (!ts->have_text)
		return true;
	ts->have_text = false;
	const char *s = ts->text.data ? ts->text.data : "";
	size_t n = ts->text.len;
	if (n == 0)
		return true;
	cs_hcl_tpart *tp = vec_push(p, parts);
	if (!tp)
		return false;
	tp->kind = CS_HCL_T_TEXT;
	tp->range.line = ts->tline;
	tp->range.col = ts->tcol;
	tp->range.off = ts->toff;
	tp->range.end = (uint32_t)p->lx.pos;
	tp->range.end_line = p->lx.line;
	tp->u.text = dup_str(p, s, n);
	ts->text.len = 0;
	if (ts->text.data)
		ts->text.data[0] = '\0';
	return !p->fatal;
}

static bool add_text(parser *p, tstate *ts, const char *s, size_t n)
{
	if (!ts->have_text) {
		ts->have_text = true;
		ts->tline = p->lx.line;
		ts->tcol = cs__hcl_lex_col(&p->lx, p->lx.pos);
		ts->toff = (uint32_t)p->lx.pos;
		ts->text.len = 0;
	}
	if (ts->strip_next) {
		while (n && is_ws(*s)) {
			s++;
			n--;
		}
		if (n)
			ts->strip_next = false;
	}
	if (n && cs_buf_append(&ts->text, s, n)) {
		p->fatal = true;
		p->err = CS_ENOMEM;
		return false;
	}
	return true;
}

/* Trims trailing white space of the last TEXT part (a `${~` / `%{~`). */
static void strip_prev(parser *p, tstate *ts, vec *parts)
{
	if (ts->have_text) {
		while (ts->text.len && is_ws(ts->text.data[ts->text.len - 1]))
			ts->text.len--;
		return;
	}
	if (parts->n) {
		cs_hcl_tpart *tp = (cs_hcl_tpart *)parts->v + parts->n - 1;
		if (tp->kind == CS_HCL_T_TEXT) {
			while (tp->u.text.len && is_ws(tp->u.text.ptr[tp->u.text.len - 1]))
				tp->u.text.len--;
		}
	}
	(void)p;
}

/* Whether the rest of the line from `off` holds only spaces and tabs. */
static bool blank_rest(const parser *p, const tstate *ts, size_t off)
{
	while (off < ts->end && (p->src[off] == ' ' || p->src[off] == '\t'))
		off++;
	return off >= ts->end || p->src[off] == '\n' || p->src[off] == '\r';
}

/* At the start of a heredoc line (in literal text, not inside an
 * interpolation): measure its indentation (first pass) or skip the
 * indentation being removed (second pass).  Blank lines do not count. */
static void skip_indent(parser *p, tstate *ts)
{
	if (ts->mode != TM_HEREDOC || !ts->flush || blank_rest(p, ts, p->lx.pos))
		return;
	size_t k = p->lx.pos;
	while (k < ts->end && (p->src[k] == ' ' || p->src[k] == '\t'))
		k++;
	if (ts->measure) {
		if (k - p->lx.pos < ts->indent)
			ts->indent = k - p->lx.pos;
		return;
	}
	size_t n = k - p->lx.pos < ts->indent ? k - p->lx.pos : ts->indent;
	p->lx.pos += n;
}

static tstop parse_tparts(parser *p, tstate *ts, vec *parts);

/* Reads the closing `}` (or `~}`) of an interpolation or directive. */
static bool close_brace(parser *p, tstate *ts)
{
	hcl_token *t = peek(p);
	bool strip = false;
	if (t->kind == TK_TILDE) {
		take(p);
		strip = true;
		t = peek(p);
	}
	if (t->kind != TK_RBRACE) {
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Extra characters after interpolation expression: Expected a "
				 "closing brace to end the interpolation expression, but found "
				 "extra characters.");
		return false;
	}
	take(p); /* do not scan past the brace: template text follows */
	ts->strip_next = strip;
	return true;
}

/* A directive `%{ ... }` whose opener (and `~`) was read. */
static tstop parse_directive(parser *p, tstate *ts, vec *parts, const hcl_token *open)
{
	hcl_token *t = peek(p);
	if (t->kind != TK_IDENT) {
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Invalid template directive: A template directive keyword (\"if\", "
				 "\"for\", etc) is expected at the beginning of a %%{ sequence.");
		return TS_ERROR;
	}
	hcl_token kw = take(p);
	cs_str w = { p->src + kw.off, kw.end - kw.off };
	if (cs_str_eqc(w, "else") || cs_str_eqc(w, "endif") || cs_str_eqc(w, "endfor")) {
		if (!close_brace(p, ts))
			return TS_ERROR;
		if (w.len == 4)
			return TS_ELSE;
		return w.ptr[3] == 'i' ? TS_ENDIF : TS_ENDFOR;
	}
	cs_hcl_range r = range_from(open);
	if (cs_str_eqc(w, "if")) {
		cs_hcl_expr *cond = parse_expr(p);
		if (!cond || !close_brace(p, ts))
			return TS_ERROR;
		vec thenp = { NULL, 0, 0, sizeof(cs_hcl_tpart) };
		vec elsep = { NULL, 0, 0, sizeof(cs_hcl_tpart) };
		tstop st = parse_tparts(p, ts, &thenp);
		bool has_else = false;
		if (st == TS_ELSE) {
			has_else = true;
			st = parse_tparts(p, ts, &elsep);
		}
		if (st != TS_ENDIF) {
			if (st != TS_ERROR)
				error_at(p, open->line, open->col,
					 "Unterminated template directive: The %%{if} directive has no "
					 "matching %%{endif}.");
			cs_free(thenp.v);
			cs_free(elsep.v);
			return TS_ERROR;
		}
		cs_hcl_tpart *tp = vec_push(p, parts);
		if (!tp) {
			cs_free(thenp.v);
			cs_free(elsep.v);
			return TS_ERROR;
		}
		tp->kind = CS_HCL_T_IF;
		tp->range = r;
		tp->range.end = (uint32_t)p->lx.pos;
		tp->range.end_line = p->lx.line;
		tp->u.ifd.cond = cond;
		tp->u.ifd.has_else = has_else;
		tp->u.ifd.then_parts.v = vec_finish(p, &thenp);
		tp->u.ifd.then_parts.n = thenp.n;
		tp->u.ifd.else_parts.v = vec_finish(p, &elsep);
		tp->u.ifd.else_parts.n = elsep.n;
		return p->fatal ? TS_ERROR : TS_END;
	}
	if (cs_str_eqc(w, "for")) {
		hcl_token v1 = *peek(p), v2;
		bool two = false;
		if (v1.kind != TK_IDENT)
			goto bad_for;
		take(p);
		if (peek(p)->kind == TK_COMMA) {
			take(p);
			v2 = *peek(p);
			if (v2.kind != TK_IDENT)
				goto bad_for;
			take(p);
			two = true;
		}
		if (!tok_is_word(p, peek(p), "in"))
			goto bad_for;
		take(p);
		cs_hcl_expr *coll = parse_expr(p);
		if (!coll || !close_brace(p, ts))
			return TS_ERROR;
		vec body = { NULL, 0, 0, sizeof(cs_hcl_tpart) };
		tstop st = parse_tparts(p, ts, &body);
		if (st != TS_ENDFOR) {
			if (st != TS_ERROR)
				error_at(p, open->line, open->col,
					 "Unterminated template directive: The %%{for} directive has "
					 "no matching %%{endfor}.");
			cs_free(body.v);
			return TS_ERROR;
		}
		cs_hcl_tpart *tp = vec_push(p, parts);
		if (!tp) {
			cs_free(body.v);
			return TS_ERROR;
		}
		tp->kind = CS_HCL_T_FOR;
		tp->range = r;
		tp->range.end = (uint32_t)p->lx.pos;
		tp->range.end_line = p->lx.line;
		if (two) {
			tp->u.ford.key_var = dup_str(p, p->src + v1.off, v1.end - v1.off);
			tp->u.ford.val_var = dup_str(p, p->src + v2.off, v2.end - v2.off);
		} else {
			tp->u.ford.val_var = dup_str(p, p->src + v1.off, v1.end - v1.off);
		}
		tp->u.ford.coll = coll;
		tp->u.ford.body.v = vec_finish(p, &body);
		tp->u.ford.body.n = body.n;
		return p->fatal ? TS_ERROR : TS_END;
	bad_for:
		error_at(p, open->line, open->col,
			 "Invalid template directive: A for directive needs a variable name, "
			 "optionally a comma and a second name, then the \"in\" keyword.");
		return TS_ERROR;
	}
	error_at(p, kw.line, kw.col,
		 "Invalid template directive: \"%.*s\" is not a template directive keyword.",
		 (int)(w.len > 40 ? 40 : w.len), w.ptr);
	return TS_ERROR;
}

/* Appends the UTF-8 encoding of cp. */
static bool add_cp(parser *p, tstate *ts, unsigned long cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return add_text(p, ts, b, n);
}

/* A backslash escape in a quoted template at lx.pos (the backslash). */
static bool escape(parser *p, tstate *ts)
{
	const char *s = p->src;
	size_t i = p->lx.pos;
	uint32_t col = cs__hcl_lex_col(&p->lx, i);
	char c = i + 1 < ts->end ? s[i + 1] : '\0';
	const char *rep = NULL;
	switch (c) {
	case 'n': rep = "\n"; break;
	case 'r': rep = "\r"; break;
	case 't': rep = "\t"; break;
	case '"': rep = "\""; break;
	case '\\': rep = "\\"; break;
	case 'u':
	case 'U': {
		size_t nd = c == 'u' ? 4 : 8;
		unsigned long cp = 0;
		bool ok = i + 2 + nd <= ts->end;
		for (size_t k = 0; ok && k < nd; k++) {
			char h = s[i + 2 + k];
			unsigned v = (h >= '0' && h <= '9')   ? (unsigned)(h - '0')
				     : (h >= 'a' && h <= 'f') ? (unsigned)(h - 'a' + 10)
				     : (h >= 'A' && h <= 'F') ? (unsigned)(h - 'A' + 10)
							      : 16u;
			if (v == 16)
				ok = false;
			cp = cp * 16 + v;
		}
		if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			error_at(p, p->lx.line, col,
				 "Invalid escape sequence: The \\%c escape needs %zu hexadecimal "
				 "digits naming a Unicode character.",
				 c, nd);
			p->lx.pos += 2;
			return true;
		}
		bool r = add_cp(p, ts, cp);
		p->lx.pos += 2 + nd;
		return r;
	}
	default:
		error_at(p, p->lx.line, col,
			 "Invalid escape sequence: The symbol \"%c\" is not a valid escape "
			 "sequence selector.",
			 (c >= 0x20 && c < 0x7f) ? c : '?');
		p->lx.pos += (c && c != '\n') ? 2 : 1;
		return true;
	}
	bool r = add_text(p, ts, rep, 1);
	p->lx.pos += 2;
	return r;
}

/* Reads template text and sequences up to the end of the template or a
 * directive that closes the caller's (else, endif, endfor). */
static tstop parse_tparts(parser *p, tstate *ts, vec *parts)
{
	const char *s = p->src;
	hcl_token here = { 0 };
	here.line = p->lx.line;
	here.col = cs__hcl_lex_col(&p->lx, p->lx.pos);
	if (!enter(p, &here))
		return TS_ERROR;
	tstop res = TS_ERROR;
	for (;;) {
		if (p->fatal)
			goto out;
		size_t i = p->lx.pos;
		if (i >= ts->end) {
			if (!flush_text(p, ts, parts))
				goto out;
			if (ts->mode == TM_QUOTED) {
				error_at(p, p->lx.line, cs__hcl_lex_col(&p->lx, i),
					 "Unterminated template string: No closing marker was found "
					 "for the string.");
				goto out;
			}
			res = TS_END;
			goto out;
		}
		char c = s[i];
		char d = i + 1 < ts->end ? s[i + 1] : '\0';
		if (ts->mode == TM_QUOTED && c == '"') {
			if (!flush_text(p, ts, parts))
				goto out;
			p->lx.pos++;
			ts->closed = true;
			res = TS_END;
			goto out;
		}
		if (ts->mode == TM_QUOTED && c == '\n') {
			if (!flush_text(p, ts, parts))
				goto out;
			error_at(p, p->lx.line, cs__hcl_lex_col(&p->lx, i),
				 "Invalid multi-line string: Quoted strings may not be split over "
				 "multiple lines. To produce a multi-line string, either use the \\n "
				 "escape to represent a newline character or use the \"heredoc\" "
				 "multi-line template syntax.");
			goto out;
		}
		if (ts->mode == TM_QUOTED && c == '\\') {
			if (!escape(p, ts))
				goto out;
			continue;
		}
		if ((c == '$' || c == '%') && d == c && i + 2 < ts->end && s[i + 2] == '{') {
			/* $${ and %%{ are literal ${ and %{ */
			char lit[2] = { c, '{' };
			if (!add_text(p, ts, lit, 2))
				goto out;
			p->lx.pos += 3;
			continue;
		}
		if ((c == '$' || c == '%') && d == '{') {
			hcl_token open = { 0 };
			open.kind = TK_TEMPLATE_OPEN;
			open.line = p->lx.line;
			open.col = cs__hcl_lex_col(&p->lx, i);
			open.off = (uint32_t)i;
			open.end = (uint32_t)(i + 2);
			open.eline = open.line;
			p->lx.pos += 2;
			bool strip = p->lx.pos < ts->end && s[p->lx.pos] == '~';
			if (strip) {
				p->lx.pos++;
				strip_prev(p, ts, parts);
			}
			if (!flush_text(p, ts, parts))
				goto out;
			ts->strip_next = false;
			size_t saved_len = p->lx.len;
			p->lx.len = ts->end;
			p->have_tok = false;
			p->nl_ignore++;
			if (c == '$') {
				cs_hcl_expr *x = parse_expr(p);
				bool ok = x && close_brace(p, ts);
				if (ok) {
					cs_hcl_tpart *tp = vec_push(p, parts);
					if (tp) {
						tp->kind = CS_HCL_T_INTERP;
						tp->range = range_from(&open);
						tp->range.end = (uint32_t)p->lx.pos;
						tp->range.end_line = p->lx.line;
						tp->u.expr = x;
					}
					ok = tp != NULL;
				}
				p->nl_ignore--;
				p->lx.len = saved_len;
				if (!ok)
					goto out;
				continue;
			}
			ts->dline = open.line;
			ts->dcol = open.col;
			tstop st = parse_directive(p, ts, parts, &open);
			p->nl_ignore--;
			p->lx.len = saved_len;
			if (st == TS_ERROR)
				goto out;
			if (st != TS_END) {
				if (strip)
					strip_prev(p, ts, parts);
				res = st;
				goto out;
			}
			continue;
		}
		/* plain text: up to the next special byte */
		size_t j = i;
		while (j < ts->end) {
			char e = s[j];
			if (e == '$' || e == '%' || e == '\n')
				break;
			if (ts->mode == TM_QUOTED && (e == '"' || e == '\\'))
				break;
			j++;
		}
		if (j == i) {
			/* a lone $ or %, or a newline (heredoc/raw) */
			if (!add_text(p, ts, s + i, 1))
				goto out;
			cs__hcl_lex_bump(&p->lx);
			if (c == '\n')
				skip_indent(p, ts);
			continue;
		}
		if (!add_text(p, ts, s + i, j - i))
			goto out;
		p->lx.pos = j;
	}
out:
	p->depth--;
	return res;
}

/* Turns gathered parts into a LITERAL (only text) or a TEMPLATE. */
static cs_hcl_expr *finish_template(parser *p, vec *parts, cs_hcl_range r, uint32_t flags)
{
	cs_hcl_expr *e = NULL;
	bool all_text = true;
	for (size_t i = 0; i < parts->n; i++) {
		if (((cs_hcl_tpart *)parts->v)[i].kind != CS_HCL_T_TEXT)
			all_text = false;
	}
	if (all_text) {
		/* join the text parts */
		cs_buf b;
		cs_buf_init(&b, (size_t)-1);
		bool ok = true;
		for (size_t i = 0; i < parts->n && ok; i++) {
			cs_str t = ((cs_hcl_tpart *)parts->v)[i].u.text;
			ok = cs_buf_append(&b, t.ptr, t.len) == CS_OK;
		}
		e = mk(p, CS_HCL_E_LITERAL, &r);
		if (e && ok) {
			e->flags = flags;
			e->u.lit.kind = CS_HCL_LIT_STRING;
			e->u.lit.s = dup_str(p, b.data ? b.data : "", b.len);
		} else if (!ok) {
			p->fatal = true;
			p->err = CS_ENOMEM;
			e = NULL;
		}
		cs_buf_release(&b);
		cs_free(parts->v);
		parts->v = NULL;
		return p->fatal ? NULL : e;
	}
	e = mk(p, CS_HCL_E_TEMPLATE, &r);
	if (!e) {
		cs_free(parts->v);
		parts->v = NULL;
		return NULL;
	}
	e->flags = flags;
	if (parts->n == 1 && ((cs_hcl_tpart *)parts->v)[0].kind == CS_HCL_T_INTERP)
		e->flags |= CS_HCL_F_WRAP;
	e->u.tmpl.parts.v = vec_finish(p, parts);
	e->u.tmpl.parts.n = parts->n;
	return p->fatal ? NULL : e;
}

/* The closing line of a heredoc: the first line after `from` that holds
 * only `marker` (after optional indentation).  Returns its start, or
 * (size_t)-1; *after is the offset after that line. */
static size_t find_marker(const parser *p, size_t from, cs_str marker, size_t *after)
{
	const char *s = p->src;
	size_t n = p->lx.len, i = from;
	while (i < n) {
		size_t ls = i, k = i;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (n - k >= marker.len && memcmp(s + k, marker.ptr, marker.len) == 0) {
			size_t m = k + marker.len;
			if (m < n && s[m] == '\r')
				m++;
			if (m >= n || s[m] == '\n') {
				*after = m;
				return ls;
			}
		}
		while (i < n && s[i] != '\n')
			i++;
		if (i < n)
			i++;
	}
	return (size_t)-1;
}

/* A quoted string or heredoc whose opening token was consumed. */
static cs_hcl_expr *parse_template_tok(parser *p, const hcl_token *open)
{
	tstate ts;
	memset(&ts, 0, sizeof(ts));
	cs_buf_init(&ts.text, (size_t)-1);
	vec parts = { NULL, 0, 0, sizeof(cs_hcl_tpart) };
	cs_hcl_range r = range_from(open);
	cs_hcl_expr *e = NULL;
	uint32_t flags = CS_HCL_F_QUOTED;
	size_t after = 0;
	if (open->kind == TK_OQUOTE) {
		ts.mode = TM_QUOTED;
		ts.end = p->lx.len;
	} else {
		const char *h = p->src + open->off + 2;
		bool ind = *h == '-';
		if (ind)
			h++;
		size_t ml = 0;
		while (h + ml < p->src + open->end && h[ml] != '\n' && h[ml] != '\r')
			ml++;
		cs_str marker = { h, ml };
		flags = CS_HCL_F_HEREDOC | (ind ? CS_HCL_F_INDENT : 0u);
		ts.mode = TM_HEREDOC;
		size_t close = find_marker(p, p->lx.pos, marker, &after);
		if (close == (size_t)-1) {
			error_at(p, open->line, open->col,
				 "Unterminated template string: No closing marker was found for the "
				 "heredoc \"%.*s\".",
				 (int)(ml > 40 ? 40 : ml), h);
			/* nothing after can be trusted: skip to the end */
			while (p->lx.pos < p->lx.len)
				cs__hcl_lex_bump(&p->lx);
			goto out;
		}
		ts.end = close;
		if (p->measuring) {
			/* measuring an enclosing <<- heredoc: this one's text does not
			 * matter, and reading it twice per level would be exponential */
			while (p->lx.pos < after)
				cs__hcl_lex_bump(&p->lx);
			p->have_tok = false;
			p->prev_end = (uint32_t)p->lx.pos;
			p->prev_eline = p->lx.line;
			vec none = { NULL, 0, 0, sizeof(cs_hcl_tpart) };
			range_close(p, &r);
			e = finish_template(p, &none, r, flags);
			goto out;
		}
		if (ind) {
			/* first pass: the least indentation of the lines that start
			 * in literal text (lines inside an interpolation do not
			 * count), read quietly and thrown away */
			lexpos save = lex_save(p);
			hcl_token cur = p->tok;
			cs_diag_sink *ds = p->diags;
			unsigned errs = p->errors;
			ts.flush = true;
			ts.measure = true;
			ts.indent = (size_t)-1;
			p->diags = NULL;
			p->measuring++;
			skip_indent(p, &ts);
			(void)parse_tparts(p, &ts, &parts);
			p->measuring--;
			p->diags = ds;
			p->errors = errs;
			lex_restore(p, save, &cur);
			p->have_tok = false;
			parts.n = 0;
			ts.text.len = 0;
			ts.have_text = false;
			ts.strip_next = false;
			ts.measure = false;
			if (ts.indent == (size_t)-1)
				ts.indent = 0;
			if (p->fatal) {
				if (!p->err)
					error_at(p, open->line, open->col,
						 "Nesting too deep: Expressions, templates and blocks "
						 "may be nested at most %d levels deep.",
						 CS_HCL_MAX_DEPTH);
				goto out;
			}
		}
		skip_indent(p, &ts);
	}
	tstop st = parse_tparts(p, &ts, &parts);
	if (st != TS_END) {
		if (st != TS_ERROR) {
			error_at(p, ts.dline, ts.dcol,
				 "Unexpected template directive: No %%{if} or %%{for} is open here.");
		}
		goto out;
	}
	if (ts.mode == TM_HEREDOC) {
		/* move past the closing marker line */
		while (p->lx.pos < after)
			cs__hcl_lex_bump(&p->lx);
	}
	p->have_tok = false;
	p->prev_end = (uint32_t)p->lx.pos;
	p->prev_eline = p->lx.line;
	range_close(p, &r);
	e = finish_template(p, &parts, r, flags);
out:
	if (!e && ts.mode == TM_QUOTED && !ts.closed) {
		/* resynchronise after a broken string: at its line's end */
		while (p->lx.pos < p->lx.len && p->src[p->lx.pos] != '\n')
			p->lx.pos++;
	}
	p->have_tok = false;
	cs_free(parts.v);
	cs_buf_release(&ts.text);
	return e;
}

/* ---- bodies -------------------------------------------------------------- */

/* Skips to the end of the current line, balancing brackets (`depth` are
 * open already), leaving a `}` that closes the enclosing block (or EOF) as
 * the next token. */
static void recover_from(parser *p, int depth)
{
	int saved = p->nl_ignore;
	p->nl_ignore = 0;
	for (;;) {
		hcl_token *t = peek(p);
		if (t->kind == TK_EOF)
			break;
		if (depth <= 0 && t->kind == TK_NL) {
			take(p);
			break;
		}
		if (depth <= 0 && t->kind == TK_RBRACE)
			break;
		hcl_token tt = take(p);
		if (tt.kind == TK_LBRACE || tt.kind == TK_LBRACK || tt.kind == TK_LPAREN)
			depth++;
		else if (tt.kind == TK_RBRACE || tt.kind == TK_RBRACK || tt.kind == TK_RPAREN)
			depth--;
		else if (tt.kind == TK_OQUOTE) {
			/* skip the string's text, without diagnosing it again */
			while (p->lx.pos < p->lx.len && p->src[p->lx.pos] != '\n' &&
			       p->src[p->lx.pos] != '"') {
				if (p->src[p->lx.pos] == '\\' && p->lx.pos + 1 < p->lx.len &&
				    p->src[p->lx.pos + 1] != '\n')
					p->lx.pos++;
				p->lx.pos++;
			}
			if (p->lx.pos < p->lx.len && p->src[p->lx.pos] == '"')
				p->lx.pos++;
		} else if (tt.kind == TK_OHEREDOC) {
			const char *h = p->src + tt.off + 2;
			if (*h == '-')
				h++;
			size_t ml = 0, after = 0;
			while (h + ml < p->src + tt.end && h[ml] != '\n' && h[ml] != '\r')
				ml++;
			size_t close = find_marker(p, p->lx.pos, (cs_str){ h, ml }, &after);
			size_t stop = close == (size_t)-1 ? p->lx.len : after;
			while (p->lx.pos < stop)
				cs__hcl_lex_bump(&p->lx);
		}
	}
	p->nl_ignore = saved;
}

static void recover(parser *p)
{
	recover_from(p, 0);
}

static bool parse_body(parser *p, cs_hcl_body *body, const hcl_token *open);

/* Duplicate attribute names: "Attribute redefined" (names kept in `seen`). */
static void check_redefined(parser *p, cs_strmap *seen, cs_hcl_item *it)
{
	const cs_hcl_item *o = cs__strmap_get(seen, it->name.ptr, it->name.len, NULL);
	if (!o) {
		if (cs__strmap_put(seen, it->name.ptr, it->name.len, it)) {
			p->fatal = true;
			p->err = CS_ENOMEM;
		}
		return;
	}
	error_at(p, it->range.line, it->range.col,
		 "Attribute redefined: The argument \"%.*s\" was already set at %s:%u,%u. Each "
		 "argument may be set only once.",
		 (int)(it->name.len > 64 ? 64 : it->name.len), it->name.ptr,
		 p->file ? p->file : "<input>", o->range.line, o->range.col);
}

/* One attribute `name = expr` after its name; `single` in a one-line block
 * (then a `}` may follow). */
static cs_hcl_item *parse_attr(parser *p, const hcl_token *name, bool single)
{
	take(p); /* = */
	int base = p->open;
	cs_hcl_expr *x = parse_expr(p);
	if (!x) {
		/* skip the rest of the attribute, brackets left open included */
		if (!p->fatal)
			recover_from(p, p->open - base);
		return NULL;
	}
	cs_hcl_item *it = new_node(p, sizeof(*it));
	if (!it)
		return NULL;
	it->kind = CS_HCL_ATTR;
	it->range = range_from(name);
	it->name = dup_str(p, p->src + name->off, name->end - name->off);
	it->expr = x;
	range_close(p, &it->range);
	hcl_token *t = peek(p);
	if (single && t->kind != TK_RBRACE) {
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Invalid single-argument block definition: An argument definition on "
				 "the same line as its containing block creates a single-line block "
				 "definition, which must also be closed on the same line. Place the "
				 "block's closing brace immediately after the argument definition.");
		recover(p);
		return it;
	}
	if (t->kind == TK_NL || t->kind == TK_EOF || single) {
		if (t->kind == TK_NL)
			take(p);
		return it;
	}
	if (!lexical_error(p, t))
		error_at(p, t->line, t->col,
			 "Missing newline after argument: An argument definition must end with a "
			 "newline.");
	recover(p);
	return it; /* keep what was read */
}

/* A block after its type word: labels, `{`, body, `}`. */
static cs_hcl_item *parse_block(parser *p, const hcl_token *type)
{
	vec labels = { NULL, 0, 0, sizeof(cs_hcl_label) };
	cs_hcl_item *res = NULL;
	for (;;) {
		hcl_token *t = peek(p);
		if (t->kind == TK_IDENT) {
			hcl_token lt = take(p);
			cs_hcl_label *l = vec_push(p, &labels);
			if (!l)
				goto out;
			l->text = dup_str(p, p->src + lt.off, lt.end - lt.off);
			l->range = range_from(&lt);
			continue;
		}
		if (t->kind == TK_OQUOTE) {
			hcl_token lt = take(p);
			cs_hcl_expr *s = parse_template_tok(p, &lt);
			if (!s)
				goto fail;
			if (s->kind != CS_HCL_E_LITERAL) {
				error_at(p, lt.line, lt.col,
					 "Invalid block label: Template sequences are not allowed in "
					 "block labels.");
				goto fail;
			}
			cs_hcl_label *l = vec_push(p, &labels);
			if (!l)
				goto out;
			l->text = s->u.lit.s;
			l->quoted = true;
			l->range = s->range;
			continue;
		}
		if (t->kind == TK_LBRACE)
			break;
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Invalid block definition: Either a quoted string block label or an "
				 "opening brace (\"{\") is expected here.");
		goto fail;
	}
	hcl_token open = take(p);
	cs_hcl_item *it = new_node(p, sizeof(*it));
	cs_hcl_body *body = new_node(p, sizeof(*body));
	if (!it || !body)
		goto out;
	it->kind = CS_HCL_BLOCK;
	it->range = range_from(type);
	it->name = dup_str(p, p->src + type->off, type->end - type->off);
	it->labels = vec_finish(p, &labels);
	it->nlabels = labels.n;
	it->body = body;
	body->file = p->file;
	if (!enter(p, &open))
		goto out;
	bool closed = parse_body(p, body, &open);
	p->depth--;
	range_close(p, &it->range);
	res = it;
	if (!closed || p->fatal)
		goto out;
	hcl_token *t = peek(p);
	if (t->kind == TK_NL) {
		take(p);
	} else if (t->kind != TK_EOF) {
		if (!lexical_error(p, t))
			error_at(p, t->line, t->col,
				 "Missing newline after block definition: A block definition must end "
				 "with a newline.");
		recover(p);
	}
	goto out;
fail:
	recover(p);
out:
	cs_free(labels.v);
	return res;
}

/* Items up to the closing `}` (open != NULL) or the end of the file.
 * Returns whether the block was closed. */
static bool parse_body(parser *p, cs_hcl_body *body, const hcl_token *open)
{
	vec items = { NULL, 0, 0, sizeof(cs_hcl_item *) };
	cs_strmap seen = { 0 };
	bool closed = false;
	bool single = false;
	int saved = p->nl_ignore;
	p->nl_ignore = 0;
	if (open) {
		body->range = range_from(open);
		hcl_token *t = peek(p);
		/* `{ name = value }` on one line */
		single = t->kind != TK_NL && t->kind != TK_RBRACE && t->kind != TK_EOF;
	}
	while (!p->fatal) {
		hcl_token *t = peek(p);
		if (t->kind == TK_NL) {
			take(p);
			continue;
		}
		if (t->kind == TK_EOF) {
			if (open)
				error_at(p, open->line, open->col,
					 "Unclosed configuration block: There is no closing brace for "
					 "this block before the end of the file. This may be caused by "
					 "incorrect brace nesting elsewhere in this file.");
			break;
		}
		if (t->kind == TK_RBRACE) {
			if (open) {
				take(p);
				closed = true;
				break;
			}
			error_at(p, t->line, t->col,
				 "Argument or block definition required: An argument or block "
				 "definition is required here.");
			take(p);
			continue;
		}
		if (t->kind != TK_IDENT) {
			if (!lexical_error(p, t))
				error_at(p, t->line, t->col,
					 "Argument or block definition required: An argument or block "
					 "definition is required here.");
			take(p);
			recover(p);
			continue;
		}
		hcl_token name = take(p);
		t = peek(p);
		cs_hcl_item *it = NULL;
		if (t->kind == TK_ASSIGN) {
			it = parse_attr(p, &name, single);
		} else if (t->kind == TK_IDENT || t->kind == TK_OQUOTE || t->kind == TK_LBRACE) {
			if (single) {
				error_at(p, name.line, name.col,
					 "Invalid single-argument block definition: A single-line block "
					 "definition can contain only a single argument.");
				recover(p);
				continue;
			}
			it = parse_block(p, &name);
		} else {
			if (!lexical_error(p, t))
				error_at(p, t->line, t->col,
					 "Argument or block definition required: An argument or block "
					 "definition is required here. To set an argument, use the "
					 "equals sign \"=\" to introduce the argument value.");
			recover(p);
			continue;
		}
		if (!it)
			continue;
		if (it->kind == CS_HCL_ATTR)
			check_redefined(p, &seen, it);
		cs_hcl_item **slot = vec_push(p, &items);
		if (!slot)
			break;
		*slot = it;
	}
	cs__strmap_release(&seen);
	body->items = vec_finish(p, &items);
	body->n = items.n;
	if (open)
		range_close(p, &body->range);
	p->nl_ignore = saved;
	return closed;
}

/* ---- entry points -------------------------------------------------------- */

static void parser_init(parser *p, cs_arena *a, const char *file, const char *src, size_t len,
			cs_diag_sink *diags)
{
	memset(p, 0, sizeof(*p));
	p->a = a;
	p->file = file;
	p->src = src;
	p->diags = diags;
	cs__hcl_lex_init(&p->lx, src, len);
}

/* Diagnoses bytes that are not UTF-8 (once, at the first). */
static void check_utf8(parser *p, const char *src, size_t len)
{
	size_t bad = cs__utf8_check(src, len);
	if (bad >= len)
		return;
	uint32_t line = 1;
	size_t ls = 0;
	for (size_t i = 0; i < bad; i++) {
		if (src[i] == '\n') {
			line++;
			ls = i + 1;
		}
	}
	error_at(p, line, (uint32_t)(bad - ls + 1),
		 "Invalid character encoding: All input files must be UTF-8 encoded. Ensure "
		 "that UTF-8 encoding is selected in your editor.");
}

cs_err cs__hcl_parse(cs_arena *a, const char *file, const char *src, size_t len,
		     cs_diag_sink *diags, cs_hcl_file **out)
{
	cs_err rc = CS_OK;
	parser p;
	parser_init(&p, a, file, src, len, diags);
	*out = NULL;
	if (len >= UINT32_MAX) {
		error_at(&p, 1, 1, "File too large: HCL files are limited to 4 GiB.");
		rc = CS_ELIMIT;
		goto out;
	}
	check_utf8(&p, src, len);
	cs_hcl_file *f = new_node(&p, sizeof(*f));
	cs_hcl_body *body = new_node(&p, sizeof(*body));
	if (!f || !body) {
		rc = p.err ? p.err : CS_ENOMEM;
		goto out;
	}
	f->file = file;
	f->src = src;
	f->len = len;
	f->body = body;
	body->file = file;
	body->range.line = 1;
	body->range.col = 1;
	(void)parse_body(&p, body, NULL);
	body->range.end_line = p.lx.line;
	body->range.end = (uint32_t)len;
	if (p.fatal && p.err) {
		rc = p.err;
		goto out;
	}
	if (p.lx.oom) {
		rc = CS_ENOMEM;
		goto out;
	}
	if (p.lx.ncomments) {
		f->comments = cs_arena_alloc(a, p.lx.ncomments * sizeof(*f->comments));
		if (!f->comments) {
			rc = cs_arena_error(a);
			goto out;
		}
		for (size_t i = 0; i < p.lx.ncomments; i++) {
			const hcl_lexcomment *c = &p.lx.comments[i];
			cs_hcl_comment *d = &f->comments[i];
			d->text = (cs_str){ src + c->off, c->end - c->off };
			d->range = (cs_hcl_range){ c->line, c->col, c->eline, c->off, c->end };
		}
		f->ncomments = p.lx.ncomments;
	}
	f->errors = p.errors;
	*out = f;
	if (p.errors)
		rc = CS_ESYNTAX;
out:
	cs__hcl_lex_release(&p.lx);
	return rc;
}

/* Moves the lexer to (line, col) bookkeeping for a sub-buffer. */
static void place(parser *p, uint32_t line, uint32_t col)
{
	p->lx.line = line ? line : 1;
	/* a negative-looking line start keeps columns right: col = pos - ls + 1 */
	p->lx.line_start = (size_t)0 - (size_t)(col ? col - 1 : 0);
}

cs_err cs__hcl_parse_expr(cs_arena *a, const char *file, uint32_t line, uint32_t col,
			  const char *src, size_t len, cs_diag_sink *diags, cs_hcl_expr **out)
{
	cs_err rc = CS_OK;
	parser p;
	parser_init(&p, a, file, src, len, diags);
	place(&p, line, col);
	*out = NULL;
	if (len >= UINT32_MAX) {
		rc = CS_ELIMIT;
		goto out;
	}
	p.nl_ignore = 1;
	cs_hcl_expr *e = parse_expr(&p);
	if (e && !p.fatal) {
		hcl_token *t = peek(&p);
		if (t->kind != TK_EOF) {
			if (!lexical_error(&p, t))
				error_at(&p, t->line, t->col,
					 "Extra characters after expression: An expression was "
					 "successfully parsed, but extra characters were found after "
					 "it.");
			e = NULL;
		}
	}
	if (p.fatal && p.err) {
		rc = p.err;
		goto out;
	}
	if (!e || p.errors) {
		rc = CS_ESYNTAX;
		goto out;
	}
	*out = e;
out:
	cs__hcl_lex_release(&p.lx);
	return rc;
}

cs_err cs__hcl_parse_template(cs_arena *a, const char *file, uint32_t line, uint32_t col,
			      const char *src, size_t len, cs_diag_sink *diags,
			      cs_hcl_expr **out)
{
	cs_err rc = CS_OK;
	parser p;
	parser_init(&p, a, file, src, len, diags);
	place(&p, line, col);
	*out = NULL;
	tstate ts;
	memset(&ts, 0, sizeof(ts));
	cs_buf_init(&ts.text, (size_t)-1);
	vec parts = { NULL, 0, 0, sizeof(cs_hcl_tpart) };
	if (len >= UINT32_MAX) {
		rc = CS_ELIMIT;
		goto out;
	}
	ts.mode = TM_RAW;
	ts.end = len;
	cs_hcl_range r = { p.lx.line, col ? col : 1, p.lx.line, 0, (uint32_t)len };
	tstop st = parse_tparts(&p, &ts, &parts);
	if (st != TS_END && st != TS_ERROR)
		error_at(&p, ts.dline, ts.dcol,
			 "Unexpected template directive: No %%{if} or %%{for} is open here.");
	cs_hcl_expr *e = NULL;
	if (st == TS_END && !p.fatal) {
		r.end_line = p.lx.line;
		e = finish_template(&p, &parts, r, CS_HCL_F_JSON);
	}
	if (p.fatal && p.err) {
		rc = p.err;
		goto out;
	}
	if (!e || p.errors) {
		rc = CS_ESYNTAX;
		goto out;
	}
	*out = e;
out:
	cs_free(parts.v);
	cs_buf_release(&ts.text);
	cs__hcl_lex_release(&p.lx);
	return rc;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && memcmp(s + n - m, suf, m) == 0;
}

cs_err cs__hcl_parse_any(cs_arena *a, const char *file, const char *src, size_t len,
			 cs_diag_sink *diags, cs_hcl_file **out)
{
	if (file && ends_with(file, ".json"))
		return cs__hcl_parse_json(a, file, src, len, diags, out);
	return cs__hcl_parse(a, file, src, len, diags, out);
}

const cs_hcl_item *cs__hcl_body_attr(const cs_hcl_body *body, const char *name)
{
	const cs_hcl_item *res = NULL;
	for (size_t i = 0; body && i < body->n && !res; i++) {
		if (body->items[i]->kind == CS_HCL_ATTR && cs_str_eqc(body->items[i]->name, name))
			res = body->items[i];
	}
	return res;
}
