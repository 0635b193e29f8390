/*
 * hcl/ast.h - the syntax tree of a parsed HCL file (native syntax `.tf`,
 * `.tfvars`, or the JSON variant `.tf.json`), as the evaluator walks it.
 *
 * Everything here lives in the cs_arena the parser was given and is
 * immutable once parse returns; strings are NUL-terminated arena copies
 * (their `len` is the byte length; they may contain NUL bytes only if the
 * source escaped one as \u0000, so always use the length).
 *
 * Locations: lines and columns are 1-based, columns count bytes (like every
 * cshare diagnostic).  Every item (attribute, block) and every expression
 * carries the position of its first byte and the line of its last byte
 * (`end_line`, for `# cshare:ignore` suppressions that cover a range).  The
 * file name is held once by the body (cs_hcl_body.file) and by cs_hcl_file.
 *
 * Shape of the tree (native syntax; what hclsyntax calls Body/Attribute/Block
 * and the Expression types):
 *
 *   cs_hcl_file   - the top body, plus the comments of the file.
 *   cs_hcl_body   - attributes and blocks in source order (`items`).
 *   cs_hcl_item   - CS_HCL_ATTR `name = expr` or CS_HCL_BLOCK
 *                   `type "label" ident { body }` (labels quoted or bare).
 *   cs_hcl_expr   - one node per expression form, see cs_hcl_ekind.
 *
 * Traversals are not flattened: `var.a.b[0]` is
 *     INDEX(GETATTR(GETATTR(VAR "var", "a"), "b"), LITERAL 0)
 * so the evaluator applies steps innermost first.
 *
 * Splats follow hclsyntax: `src[*].a.b` is SPLAT{source=src, each=
 * GETATTR(GETATTR(SPLAT_ITEM, "a"), "b")}: `each` is evaluated once per
 * element of `source` with SPLAT_ITEM standing for that element.  With
 * `.*` (attribute-only, legacy) only attribute steps join `each`; an index
 * after `.*.a` applies to the splat's result, as in HCL.  A splat over a
 * value that is not a list/set/tuple wraps it in a one-element tuple (null
 * gives an empty tuple) - the evaluator's job.
 *
 * Templates: quoted strings and heredocs.  A string with only literal text
 * (after escapes, and after heredoc indentation removal) is CS_HCL_E_LITERAL
 * of kind CS_HCL_LIT_STRING, flagged CS_HCL_F_QUOTED or CS_HCL_F_HEREDOC.
 * Anything with an interpolation or a directive is CS_HCL_E_TEMPLATE whose
 * parts are literal text, interpolations and directives (if/for, nested).
 * Strip markers (`${~`, `~}`, `%{~`, `~}`) are applied by the parser:
 * the whitespace they remove is already gone from the literal parts.
 * A template that is exactly one interpolation (`"${x}"`, nothing else) is
 * flagged CS_HCL_F_WRAP: per the spec its value is the interpolated value
 * itself, not converted to a string.
 *
 * JSON variant: a `.tf.json` body cannot be read without a schema (is
 * `"tags": {...}` an attribute holding an object, or a block?).  The parser
 * keeps such a body undecided: cs_hcl_body.json points to the JSON object
 * (a cs_value tree with locations) and `items` is empty.  The evaluator,
 * which knows Terraform's schema, calls cs__hcl_body_resolve() (hcl.h)
 * with the names that are blocks and how many labels each has; that returns
 * an ordinary body whose attribute values are expressions built by the JSON
 * spec's rules (strings are templates, numbers keep their text, arrays are
 * tuples, objects are objects) and whose nested block bodies are again
 * undecided JSON bodies.  A native body resolves to itself.  Where
 * Terraform reads a JSON string as an expression rather than a template
 * (a variable's `type`, `depends_on`, `ignore_changes` items), the
 * evaluator passes the literal's text to cs__hcl_parse_expr().
 */
#ifndef CS_HCL_AST_H
#define CS_HCL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cshare/core.h"

typedef struct cs_hcl_expr cs_hcl_expr;
typedef struct cs_hcl_body cs_hcl_body;
typedef struct cs_hcl_tpart cs_hcl_tpart;

/* Where a node starts (line, col), the line it ends on, and its bytes in
 * the source buffer [off, end) (for messages quoting the source; 0, 0 for
 * nodes built from the JSON variant's values). */
typedef struct cs_hcl_range {
	uint32_t line, col;
	uint32_t end_line;
	uint32_t off, end;
} cs_hcl_range;

/* ---- expressions -------------------------------------------------------- */

typedef enum cs_hcl_ekind {
	CS_HCL_E_LITERAL = 1, /* u.lit: null, bool, number, string */
	CS_HCL_E_TEMPLATE,    /* u.tmpl: "...${x}...", heredocs with parts */
	CS_HCL_E_TUPLE,       /* u.tuple: [a, b, c] */
	CS_HCL_E_OBJECT,      /* u.object: { k = v, "k2": v2, (expr) = v } */
	CS_HCL_E_VAR,         /* u.var: a root name: var, local, each, aws_s3_bucket */
	CS_HCL_E_GETATTR,     /* u.getattr: obj.name */
	CS_HCL_E_INDEX,       /* u.index: obj[key], obj.0 (legacy: CS_HCL_F_LEGACY) */
	CS_HCL_E_SPLAT,       /* u.splat: source[*]... or source.*... */
	CS_HCL_E_SPLAT_ITEM,  /* the current element inside a splat's `each` */
	CS_HCL_E_CALL,        /* u.call: name(args...) */
	CS_HCL_E_UNARY,       /* u.unary: -x, !x */
	CS_HCL_E_BINARY,      /* u.binary: a op b */
	CS_HCL_E_COND,        /* u.cond: c ? a : b */
	CS_HCL_E_FOR,         /* u.forx: [for ...] and {for ...} */
	CS_HCL_E_PAREN,       /* u.paren: (x) - kept for object keys and dumps */
} cs_hcl_ekind;

/* Expression flags. */
enum {
	CS_HCL_F_QUOTED = 1u << 0,  /* string literal/template written "..." */
	CS_HCL_F_HEREDOC = 1u << 1, /* written as a heredoc (<<EOT or <<-EOT) */
	CS_HCL_F_INDENT = 1u << 2,  /* heredoc was <<- (indentation removed) */
	CS_HCL_F_WRAP = 1u << 3,    /* template is one interpolation: value kept */
	CS_HCL_F_LEGACY = 1u << 4,  /* INDEX written .0 (legacy index) */
	CS_HCL_F_JSON = 1u << 5,    /* built from the JSON variant */
};

typedef enum cs_hcl_litkind {
	CS_HCL_LIT_NULL = 1,
	CS_HCL_LIT_BOOL,
	CS_HCL_LIT_NUMBER,
	CS_HCL_LIT_STRING,
} cs_hcl_litkind;

typedef enum cs_hcl_op {
	/* unary */
	CS_HCL_OP_NEG = 1, /* -x */
	CS_HCL_OP_NOT,     /* !x */
	/* binary, by precedence (spec, highest first):
	 *   * / %   then   + -   then   > >= < <=   then   == !=
	 *   then   &&   then   ||     (all left-associative)          */
	CS_HCL_OP_MUL,
	CS_HCL_OP_DIV,
	CS_HCL_OP_MOD,
	CS_HCL_OP_ADD,
	CS_HCL_OP_SUB,
	CS_HCL_OP_GT,
	CS_HCL_OP_GE,
	CS_HCL_OP_LT,
	CS_HCL_OP_LE,
	CS_HCL_OP_EQ,
	CS_HCL_OP_NE,
	CS_HCL_OP_AND,
	CS_HCL_OP_OR,
} cs_hcl_op;

/* Kinds of template parts. */
typedef enum cs_hcl_tkind {
	CS_HCL_T_TEXT = 1, /* literal text (escapes resolved, strips applied) */
	CS_HCL_T_INTERP,   /* ${ expr } */
	CS_HCL_T_IF,       /* %{ if cond } then %{ else } else %{ endif } */
	CS_HCL_T_FOR,      /* %{ for k, v in coll } body %{ endfor } */
} cs_hcl_tkind;

/* A sequence of template parts (the whole template, or a directive's
 * branch or body). */
typedef struct cs_hcl_tparts {
	cs_hcl_tpart *v;
	size_t n;
} cs_hcl_tparts;

struct cs_hcl_tpart {
	cs_hcl_tkind kind;
	cs_hcl_range range;
	union {
		cs_str text;        /* CS_HCL_T_TEXT */
		cs_hcl_expr *expr;  /* CS_HCL_T_INTERP */
		struct {
			cs_hcl_expr *cond;
			cs_hcl_tparts then_parts;
			cs_hcl_tparts else_parts; /* n == 0 without %{else} */
			bool has_else;
		} ifd; /* CS_HCL_T_IF */
		struct {
			cs_str key_var; /* len 0 when only a value variable */
			cs_str val_var;
			cs_hcl_expr *coll;
			cs_hcl_tparts body;
		} ford; /* CS_HCL_T_FOR */
	} u;
};

/* One member of an object constructor. */
typedef struct cs_hcl_objitem {
	/* The key: when key_ident is true the key is the bare identifier
	 * `key_name` (a literal string, as HCL reads `name = ...`); otherwise
	 * `key` is an expression to evaluate (a quoted string, a template, a
	 * parenthesized expression, a traversal such as var.k).  In the JSON
	 * variant keys are always expressions (templates or literal strings). */
	bool key_ident;
	cs_str key_name;
	cs_hcl_expr *key;
	cs_hcl_expr *val;
	bool colon; /* written `k: v` instead of `k = v` */
	cs_hcl_range range;
} cs_hcl_objitem;

struct cs_hcl_expr {
	cs_hcl_ekind kind;
	uint32_t flags; /* CS_HCL_F_* */
	cs_hcl_range range;
	union {
		struct {
			cs_hcl_litkind kind;
			bool b;    /* BOOL */
			double d;  /* NUMBER: parsed value (may be inexact) */
			cs_str s;  /* NUMBER: source text; STRING: the text */
		} lit;
		struct {
			cs_hcl_tparts parts;
		} tmpl;
		struct {
			cs_hcl_expr **v;
			size_t n;
		} tuple;
		struct {
			cs_hcl_objitem *v;
			size_t n;
		} object;
		struct {
			cs_str name;
		} var;
		struct {
			cs_hcl_expr *obj;
			cs_str name;
		} getattr;
		struct {
			cs_hcl_expr *obj;
			cs_hcl_expr *key; /* legacy .0: a NUMBER literal */
		} index;
		struct {
			cs_hcl_expr *source;
			cs_hcl_expr *each; /* over SPLAT_ITEM; SPLAT_ITEM itself if
					      nothing follows the splat */
			bool full;         /* [*] (true) or .* (false) */
		} splat;
		struct {
			/* "upper", or "provider::aws::arn_parse" as written
			 * (namespaces joined with "::"). */
			cs_str name;
			cs_hcl_expr **args;
			size_t nargs;
			bool expand; /* last argument followed by `...` */
		} call;
		struct {
			cs_hcl_op op;
			cs_hcl_expr *x;
		} unary;
		struct {
			cs_hcl_op op;
			cs_hcl_expr *l, *r;
		} binary;
		struct {
			cs_hcl_expr *cond, *yes, *no;
		} cond;
		struct {
			/* [for k, v in coll : val if c]  (key_expr NULL) or
			 * {for k, v in coll : key_expr => val... if c}.  key_var
			 * has len 0 when only one variable is named. */
			cs_str key_var;
			cs_str val_var;
			cs_hcl_expr *coll;
			cs_hcl_expr *key_expr; /* object form only */
			cs_hcl_expr *val_expr;
			cs_hcl_expr *cond;     /* NULL without `if` */
			bool object;           /* {for ...} */
			bool group;            /* `...` after the value (object form) */
		} forx;
		struct {
			cs_hcl_expr *x;
		} paren;
	} u;
};

/* ---- bodies ------------------------------------------------------------- */

typedef enum cs_hcl_ikind {
	CS_HCL_ATTR = 1,
	CS_HCL_BLOCK,
} cs_hcl_ikind;

typedef struct cs_hcl_label {
	cs_str text;   /* unquoted text */
	bool quoted;   /* "label" (true) or bare identifier (false) */
	cs_hcl_range range;
} cs_hcl_label;

typedef struct cs_hcl_item {
	cs_hcl_ikind kind;
	/* Position of the name (attribute) or the type keyword (block), and
	 * the line of the last byte: the expression's end, or the `}`. */
	cs_hcl_range range;
	cs_str name; /* attribute name or block type */
	/* CS_HCL_ATTR */
	cs_hcl_expr *expr;
	/* CS_HCL_BLOCK */
	cs_hcl_label *labels;
	size_t nlabels;
	cs_hcl_body *body;
} cs_hcl_item;

struct cs_hcl_body {
	const char *file;  /* borrowed from the parse call; may be NULL */
	cs_hcl_item **items; /* source order */
	size_t n;
	cs_hcl_range range;  /* of the `{` (or the file start), to `}` */
	/* JSON variant: the undecided object (see the header comment), or
	 * NULL for native syntax and for bodies already resolved. */
	const cs_value *json;
};

/* A comment as written (with its comment markers: #, // or slash-star), for suppressions. */
typedef struct cs_hcl_comment {
	cs_str text;
	cs_hcl_range range;
} cs_hcl_comment;

typedef struct cs_hcl_file {
	const char *file;
	/* The source buffer given to the parser (borrowed: valid while the
	 * caller keeps it; ranges' off/end index it). */
	const char *src;
	size_t len;
	cs_hcl_body *body;
	cs_hcl_comment *comments; /* source order; none for JSON */
	size_t ncomments;
	bool json;                /* parsed as the JSON variant */
	unsigned errors;          /* syntax errors diagnosed in this file */
} cs_hcl_file;

#endif
