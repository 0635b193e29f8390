/*
 * hcl/hcl.h - library-internal API of the HCL reader: parse a `.tf`,
 * `.tfvars` or `.tf.json` buffer into the AST of hcl/ast.h, held by an
 * arena; parse a lone expression or template; resolve a JSON body against
 * a block schema; dump an AST in hcl2json's JSON shape (for the
 * differential test against HashiCorp's parser).
 *
 * Diagnostics: every syntax problem goes to the sink as an error with the
 * file, line and column and a message "Summary: detail" worded like
 * Terraform's (hclsyntax's) own.  Parsing recovers at the next line or
 * block so the rest of the file is still reported; the AST then holds what
 * could be read.
 */
#ifndef CS_HCL_HCL_H
#define CS_HCL_HCL_H

#include "hcl/ast.h"

/* Nesting limit for expressions, templates and blocks.  Deeper input is
 * diagnosed ("Nesting too deep") instead of recursing further, so hostile
 * input cannot exhaust the stack; real configurations stay far below. */
#define CS_HCL_MAX_DEPTH 128

/*
 * Parses native syntax `src` (`len` bytes; need not be NUL-terminated)
 * into a cs_hcl_file allocated in `a`.  `file` (borrowed, kept in the AST)
 * names the file in diagnostics and ranges; `src` is borrowed too and must
 * outlive the AST's use of cs_hcl_file.src (strings in the AST are copies).
 * Returns CS_OK when the file has no syntax error, CS_ESYNTAX when it has
 * some (*out is then still set to what could be read, with errors > 0),
 * CS_ENOMEM or CS_ELIMIT (arena) with *out NULL.
 */
cs_err cs__hcl_parse(cs_arena *a, const char *file, const char *src, size_t len,
		     cs_diag_sink *diags, cs_hcl_file **out);

/*
 * Parses the JSON variant (`.tf.json`, `.tfvars.json`): the root must be a
 * JSON object; its body is left undecided (cs_hcl_body.json) until
 * cs__hcl_body_resolve.  Same contract as cs__hcl_parse.
 */
cs_err cs__hcl_parse_json(cs_arena *a, const char *file, const char *src, size_t len,
			  cs_diag_sink *diags, cs_hcl_file **out);

/* Either of the two, by the file name: names ending in ".json" are the
 * JSON variant. */
cs_err cs__hcl_parse_any(cs_arena *a, const char *file, const char *src, size_t len,
			 cs_diag_sink *diags, cs_hcl_file **out);

/*
 * Parses `src` as one expression (a `--var` value, a JSON string that the
 * schema reads as an expression such as a variable's `type`).  `line` and
 * `col` are where src starts in `file`, for ranges and messages.  Returns
 * CS_OK, CS_ESYNTAX (diagnosed; *out NULL), CS_ENOMEM or CS_ELIMIT.
 */
cs_err cs__hcl_parse_expr(cs_arena *a, const char *file, uint32_t line, uint32_t col,
			  const char *src, size_t len, cs_diag_sink *diags, cs_hcl_expr **out);

/*
 * Parses `src` as the content of a template with no quotes around it (the
 * JSON variant's strings: "${...}" and %{...} work, backslash escapes are
 * the JSON parser's business and are already resolved).  The result is a
 * LITERAL string when there is nothing to interpolate, else a TEMPLATE.
 * Same contract as cs__hcl_parse_expr.
 */
cs_err cs__hcl_parse_template(cs_arena *a, const char *file, uint32_t line, uint32_t col,
			      const char *src, size_t len, cs_diag_sink *diags,
			      cs_hcl_expr **out);

/* One block type of a schema: its name and how many labels it takes. */
typedef struct cs_hcl_blockspec {
	const char *type;
	unsigned nlabels;
} cs_hcl_blockspec;

/*
 * Reads a JSON-variant body by a schema (json/spec.md): properties named as
 * one of `blocks` become blocks - a property's value is an object whose
 * nesting gives the labels (nlabels levels), then a block body (an object)
 * or an array of block bodies; every other property is an attribute whose
 * value becomes an expression (strings are templates, "//" properties are
 * comments and skipped).  Block bodies of the result are again undecided
 * JSON bodies, to be resolved with their own schema.  A native body (json
 * == NULL) is returned as is.  Problems (a block property that is not an
 * object, too few label levels) are diagnosed and the property skipped.
 * Returns CS_OK, CS_ESYNTAX (something diagnosed; *out still set),
 * CS_ENOMEM or CS_ELIMIT.
 */
cs_err cs__hcl_body_resolve(cs_arena *a, const cs_hcl_body *body, const cs_hcl_blockspec *blocks,
			    size_t nblocks, cs_diag_sink *diags, const cs_hcl_body **out);

/* The attribute named `name` in a (native or resolved) body, or NULL. */
const cs_hcl_item *cs__hcl_body_attr(const cs_hcl_body *body, const char *name);

/*
 * Appends to `b` the file's body as hcl2json (@cdktf/hcl2json, after
 * tmccombs/hcl2json) prints it: blocks nested by type then labels, each
 * label level an object, the innermost an array of bodies; attributes
 * whose expressions are literals, tuples and objects as JSON values, every
 * other expression as a "${source}" string, templates re-rendered with
 * their directives.  For the differential test; native syntax only
 * (CS_EINVAL for a JSON-variant file).
 */
cs_err cs__hcl_dump_json(cs_buf *b, const cs_hcl_file *f);

#endif
