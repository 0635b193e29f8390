/*
 * hcl/lex.h - the token scanner of HCL native syntax, shared by the parser
 * (parse.c) and nothing else.  Tokens are scanned on demand; quoted
 * strings and heredoc contents are not tokens: at an opening quote or a
 * heredoc header the parser reads the template text itself from the
 * lexer's position (parse.c), and comes back to tokens inside ${ } and %{ }.
 */
#ifndef CS_HCL_LEX_H
#define CS_HCL_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/internal.h"
#include "hcl/ast.h"

typedef enum hcl_tk {
	TK_EOF = 0,
	TK_NL,       /* newline (a line comment counts as one) */
	TK_IDENT,
	TK_NUMBER,
	TK_OQUOTE,   /* " : template text follows */
	TK_OHEREDOC, /* <<EOT or <<-EOT and its newline */
	TK_LBRACE,
	TK_RBRACE,
	TK_LBRACK,
	TK_RBRACK,
	TK_LPAREN,
	TK_RPAREN,
	TK_COMMA,
	TK_DOT,
	TK_ELLIPSIS,
	TK_STAR,
	TK_SLASH,
	TK_PERCENT,
	TK_PLUS,
	TK_MINUS,
	TK_ASSIGN, /* = */
	TK_EQ,     /* == */
	TK_NE,
	TK_LT,
	TK_LE,
	TK_GT,
	TK_GE,
	TK_AND,
	TK_OR,
	TK_BANG,
	TK_QUESTION,
	TK_COLON,
	TK_DCOLON, /* :: */
	TK_ARROW,  /* => */
	TK_TILDE,  /* ~ (strip marker before a template's closing brace) */
	TK_TEMPLATE_OPEN, /* ${ or %{ outside a template: not valid */
	TK_INVALID,       /* a character HCL does not use; see bad */
	TK_BADUTF8,       /* bytes that are not UTF-8 */
	TK_UNCLOSED_COMMENT,
} hcl_tk;

typedef struct hcl_token {
	hcl_tk kind;
	uint32_t off, end; /* bytes [off, end) */
	uint32_t line, col;
	uint32_t eline; /* line of the last byte */
} hcl_token;

/* One comment, as scanned (the parser turns them into cs_hcl_comment). */
typedef struct hcl_lexcomment {
	uint32_t off, end, line, col, eline;
} hcl_lexcomment;

typedef struct hcl_lexer {
	const char *src;
	size_t len;   /* bytes scanned stop here (a heredoc may narrow it) */
	size_t pos;
	uint32_t line;
	size_t line_start; /* offset of the current line's first byte */
	/* Comments seen, in order; those before `comments_end` offset are not
	 * recorded again when the parser rescans. */
	hcl_lexcomment *comments;
	size_t ncomments, ccap;
	size_t comments_end;
	bool oom;
} hcl_lexer;

void cs__hcl_lex_init(hcl_lexer *lx, const char *src, size_t len);
void cs__hcl_lex_release(hcl_lexer *lx);
/* Scans the next token from lx->pos (white space and comments skipped). */
hcl_token cs__hcl_lex_next(hcl_lexer *lx);
/* Advances over one byte of template text, keeping line counts. */
void cs__hcl_lex_bump(hcl_lexer *lx);
/* Column (1-based, bytes) of offset `off` on the current line. */
uint32_t cs__hcl_lex_col(const hcl_lexer *lx, size_t off);
/* Whether the UTF-8 sequence at s (n bytes left) starts / continues an
 * identifier; *w receives its length in bytes (0 if not UTF-8). */
bool cs__hcl_ident_start(const char *s, size_t n, size_t *w);
bool cs__hcl_ident_cont(const char *s, size_t n, size_t *w);

#endif
