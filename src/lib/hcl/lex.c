/*
 * hcl/lex.c - the token scanner of HCL native syntax (hclsyntax/spec.md,
 * "Lexical Elements"): identifiers (Unicode letters, digits, `_`, `-`),
 * numbers, operators and delimiters, newlines, the three comment styles
 * (`#` and `//` to the end of the line, which then counts as a newline, and
 * slash-star ... star-slash), and the openers of quoted strings and
 * heredocs (their contents are read by the parser).
 *
 * Identifier characters outside ASCII: the spec uses Unicode's ID_Start
 * and ID_Continue.  Rather than carry the Unicode tables, this scanner
 * accepts every non-ASCII code point except the blocks that hold no
 * letters or digits (Latin-1 punctuation and symbols, general punctuation,
 * arrows, mathematical and technical symbols, box drawing, shapes,
 * dingbats, CJK punctuation, fullwidth ASCII punctuation, private use,
 * emoji, specials).  Every identifier Terraform accepts is accepted; a few
 * symbols in other blocks are accepted too where HCL would say "Invalid
 * character".
 */
#include <string.h>

#include "hcl/lex.h"

void cs__hcl_lex_init(hcl_lexer *lx, const char *src, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
	lx->line = 1;
}

void cs__hcl_lex_release(hcl_lexer *lx)
{
	cs_free(lx->comments);
	lx->comments = NULL;
	lx->ncomments = lx->ccap = 0;
}

uint32_t cs__hcl_lex_col(const hcl_lexer *lx, size_t off)
{
	return (uint32_t)(off - lx->line_start + 1);
}

void cs__hcl_lex_bump(hcl_lexer *lx)
{
	if (lx->pos >= lx->len)
		return;
	if (lx->src[lx->pos] == '\n') {
		lx->line++;
		lx->line_start = lx->pos + 1;
	}
	lx->pos++;
}

/* Decodes one UTF-8 sequence; returns the code point or -1, *w its length. */
static long utf8_decode(const unsigned char *s, size_t n, size_t *w)
{
	long cp = -1;
	*w = 0;
	if (n == 0)
		return -1;
	if (s[0] < 0x80) {
		*w = 1;
		return s[0];
	}
	size_t need = 0;
	long min = 0;
	if ((s[0] & 0xE0) == 0xC0) {
		need = 2;
		cp = s[0] & 0x1F;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		need = 3;
		cp = s[0] & 0x0F;
		min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		need = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if (n < need)
		return -1;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*w = need;
	return cp;
}

/* Non-ASCII code points that cannot be part of an identifier (see the file
 * comment). */
static bool non_ident_cp(long cp)
{
	static const long ranges[][2] = {
		{ 0x80, 0xA9 },     { 0xAB, 0xB4 },     { 0xB6, 0xB9 },
		{ 0xBB, 0xBF },     { 0xD7, 0xD7 },     { 0xF7, 0xF7 },
		{ 0x2000, 0x206F }, { 0x20A0, 0x20CF }, { 0x2190, 0x23FF },
		{ 0x2500, 0x27BF }, { 0x2900, 0x2BFF }, { 0x3000, 0x3003 },
		{ 0x3008, 0x3020 }, { 0xE000, 0xF8FF }, { 0xFE30, 0xFE4F },
		{ 0xFEFF, 0xFEFF }, { 0xFF01, 0xFF0F }, { 0xFF1A, 0xFF20 },
		{ 0xFF3B, 0xFF40 }, { 0xFF5B, 0xFF65 }, { 0xFFF0, 0xFFFF },
		{ 0x1F000, 0x1FAFF },
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(ranges); i++) {
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	}
	return false;
}

bool cs__hcl_ident_start(const char *s, size_t n, size_t *w)
{
	long cp = utf8_decode((const unsigned char *)s, n, w);
	if (cp < 0)
		return false;
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
	return !non_ident_cp(cp);
}

bool cs__hcl_ident_cont(const char *s, size_t n, size_t *w)
{
	long cp = utf8_decode((const unsigned char *)s, n, w);
	if (cp < 0)
		return false;
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' ||
		       cp == '-' || (cp >= '0' && cp <= '9');
	return !non_ident_cp(cp);
}

static void add_comment(hcl_lexer *lx, size_t off, uint32_t line, uint32_t col)
{
	if (off < lx->comments_end || lx->oom)
		return;
	if (lx->ncomments == lx->ccap) {
		size_t nc = lx->ccap ? lx->ccap * 2 : 16;
		hcl_lexcomment *v = cs_realloc(lx->comments, nc * sizeof(*v));
		if (!v) {
			lx->oom = true;
			return;
		}
		lx->comments = v;
		lx->ccap = nc;
	}
	hcl_lexcomment *c = &lx->comments[lx->ncomments++];
	c->off = (uint32_t)off;
	c->end = (uint32_t)lx->pos;
	c->line = line;
	c->col = col;
	c->eline = lx->line;
	lx->comments_end = lx->pos;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Scans a heredoc header after "<<": [-]IDENT newline.  Returns false when
 * it is not one (the caller reports an invalid character). */
static bool scan_heredoc_header(hcl_lexer *lx)
{
	size_t p = lx->pos + 2, w = 0;
	if (p < lx->len && lx->src[p] == '-')
		p++;
	if (!(p < lx->len && cs__hcl_ident_start(lx->src + p, lx->len - p, &w)))
		return false;
	p += w;
	while (p < lx->len && cs__hcl_ident_cont(lx->src + p, lx->len - p, &w))
		p += w;
	if (p < lx->len && lx->src[p] == '\r')
		p++;
	if (!(p < lx->len && lx->src[p] == '\n'))
		return false;
	lx->pos = p;
	cs__hcl_lex_bump(lx); /* the newline */
	return true;
}

hcl_token cs__hcl_lex_next(hcl_lexer *lx)
{
	hcl_token t;
	memset(&t, 0, sizeof(t));
	const char *s = lx->src;
	for (;;) {
		if (lx->pos >= lx->len)
			break;
		char c = s[lx->pos];
		if (c == ' ' || c == '\t' || c == '\r') {
			lx->pos++;
			continue;
		}
		if (c == '#' || (c == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '/')) {
			/* line comment: up to the newline, which stays a token */
			size_t off = lx->pos;
			uint32_t line = lx->line, col = cs__hcl_lex_col(lx, off);
			while (lx->pos < lx->len && s[lx->pos] != '\n')
				lx->pos++;
			size_t end = lx->pos;
			if (end > off && s[end - 1] == '\r')
				end--;
			size_t save = lx->pos;
			lx->pos = end;
			add_comment(lx, off, line, col);
			lx->pos = save;
			continue;
		}
		if (c == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '*') {
			size_t off = lx->pos;
			uint32_t line = lx->line, col = cs__hcl_lex_col(lx, off);
			lx->pos += 2;
			bool closed = false;
			while (lx->pos < lx->len) {
				if (s[lx->pos] == '*' && lx->pos + 1 < lx->len &&
				    s[lx->pos + 1] == '/') {
					lx->pos += 2;
					closed = true;
					break;
				}
				cs__hcl_lex_bump(lx);
			}
			if (!closed) {
				t.kind = TK_UNCLOSED_COMMENT;
				t.off = (uint32_t)off;
				t.end = (uint32_t)lx->pos;
				t.line = line;
				t.col = col;
				t.eline = lx->line;
				return t;
			}
			add_comment(lx, off, line, col);
			continue;
		}
		break;
	}
	t.off = (uint32_t)lx->pos;
	t.line = lx->line;
	t.col = cs__hcl_lex_col(lx, lx->pos);
	if (lx->pos >= lx->len) {
		t.kind = TK_EOF;
		t.end = t.off;
		t.eline = t.line;
		return t;
	}
	char c = s[lx->pos];
	char d = lx->pos + 1 < lx->len ? s[lx->pos + 1] : '\0';
	size_t w = 0;
	hcl_tk k = TK_INVALID;
	size_t n = 1;
	switch (c) {
	case '\n':
		cs__hcl_lex_bump(lx);
		t.kind = TK_NL;
		t.end = (uint32_t)lx->pos;
		t.eline = t.line;
		return t;
	case '"': k = TK_OQUOTE; break;
	case '{': k = TK_LBRACE; break;
	case '}': k = TK_RBRACE; break;
	case '[': k = TK_LBRACK; break;
	case ']': k = TK_RBRACK; break;
	case '(': k = TK_LPAREN; break;
	case ')': k = TK_RPAREN; break;
	case ',': k = TK_COMMA; break;
	case '*': k = TK_STAR; break;
	case '/': k = TK_SLASH; break;
	case '%':
		k = d == '{' ? TK_TEMPLATE_OPEN : TK_PERCENT;
		n = d == '{' ? 2 : 1;
		break;
	case '$':
		if (d == '{') {
			k = TK_TEMPLATE_OPEN;
			n = 2;
		}
		break;
	case '+': k = TK_PLUS; break;
	case '-': k = TK_MINUS; break;
	case '?': k = TK_QUESTION; break;
	case '~': k = TK_TILDE; break;
	case '.':
		if (d == '.' && lx->pos + 2 < lx->len && s[lx->pos + 2] == '.') {
			k = TK_ELLIPSIS;
			n = 3;
		} else {
			k = TK_DOT;
		}
		break;
	case '=':
		k = d == '=' ? TK_EQ : d == '>' ? TK_ARROW : TK_ASSIGN;
		n = (d == '=' || d == '>') ? 2 : 1;
		break;
	case '!':
		k = d == '=' ? TK_NE : TK_BANG;
		n = d == '=' ? 2 : 1;
		break;
	case '<':
		if (d == '<') {
			uint32_t line = lx->line;
			if (scan_heredoc_header(lx)) {
				t.kind = TK_OHEREDOC;
				t.end = (uint32_t)lx->pos;
				t.eline = line;
				return t;
			}
			k = TK_LT; /* a lone "<" then; the parser will complain */
			break;
		}
		k = d == '=' ? TK_LE : TK_LT;
		n = d == '=' ? 2 : 1;
		break;
	case '>':
		k = d == '=' ? TK_GE : TK_GT;
		n = d == '=' ? 2 : 1;
		break;
	case '&':
		if (d == '&') {
			k = TK_AND;
			n = 2;
		}
		break;
	case '|':
		if (d == '|') {
			k = TK_OR;
			n = 2;
		}
		break;
	case ':':
		k = d == ':' ? TK_DCOLON : TK_COLON;
		n = d == ':' ? 2 : 1;
		break;
	default:
		if (is_digit(c)) {
			size_t p = lx->pos;
			while (p < lx->len && is_digit(s[p]))
				p++;
			if (p + 1 < lx->len && s[p] == '.' && is_digit(s[p + 1])) {
				p++;
				while (p < lx->len && is_digit(s[p]))
					p++;
			}
			if (p < lx->len && (s[p] == 'e' || s[p] == 'E')) {
				size_t q = p + 1;
				if (q < lx->len && (s[q] == '+' || s[q] == '-'))
					q++;
				if (q < lx->len && is_digit(s[q])) {
					while (q < lx->len && is_digit(s[q]))
						q++;
					p = q;
				}
			}
			k = TK_NUMBER;
			n = p - lx->pos;
		} else if (cs__hcl_ident_start(s + lx->pos, lx->len - lx->pos, &w)) {
			size_t p = lx->pos + w;
			while (p < lx->len && cs__hcl_ident_cont(s + p, lx->len - p, &w))
				p += w;
			k = TK_IDENT;
			n = p - lx->pos;
		} else if ((unsigned char)c >= 0x80) {
			(void)utf8_decode((const unsigned char *)s + lx->pos, lx->len - lx->pos,
					  &w);
			if (w == 0) {
				k = TK_BADUTF8;
				n = 1;
			} else {
				k = TK_INVALID;
				n = w;
			}
		}
		break;
	}
	lx->pos += n;
	t.kind = k;
	t.end = (uint32_t)lx->pos;
	t.eline = t.line;
	return t;
}
