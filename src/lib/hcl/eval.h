/*
 * hcl/eval.h - library-internal API of the HCL expression evaluator: an
 * expression of hcl/ast.h to a cs_value, with Terraform's operator
 * semantics, automatic type conversions, unknown propagation, for
 * expressions, splats, templates with directives, try/can and calls to the
 * built-in functions of hcl/funcs.h.  Names (var.x, local.y, each.key,
 * aws_s3_bucket.b.arn, ...) are resolved by the caller through a callback,
 * so the evaluator knows nothing about modules or resources.
 *
 * Unknown values (CS_VUNKNOWN) carry a reason naming where they come from
 * ("ref:aws_s3_bucket.b", "data.aws_iam_policy_document.x.json is known
 * only after apply", "var.region has no value").  An operation with an
 * unknown operand gives an unknown with the first operand's reason, except
 * where the answer does not depend on it (see eval.c: `false && x`,
 * `c ? a : b` with a == b, length of a tuple with unknown elements, ...).
 *
 * Errors (a type mismatch, a missing attribute, a call to an unknown
 * function) are diagnosed with file, line and column in words close to
 * Terraform's, and the evaluation returns CS_EINVAL; callers make the value
 * unknown ("error: ...") and go on.  Inside try() and can() errors are not
 * diagnosed.
 */
#ifndef CS_HCL_EVAL_H
#define CS_HCL_EVAL_H

#include "../core/internal.h"
#include "hcl/ast.h"

/* Work limits: nesting of evaluation (expressions, for bodies, template
 * directives, type constraints) and the number of elements one for
 * expression or template for directive may produce. */
#define CS_HCL_EVAL_MAX_DEPTH 256u
#define CS_HCL_EVAL_MAX_ELEMS 1000000u

typedef struct cs__hcl_ectx cs__hcl_ectx;

/* One step of a traversal after its root: `.name` or `[key]`. */
typedef struct cs__hcl_step {
	bool index;           /* [key] (or legacy .0) */
	cs_str name;          /* .name */
	const cs_value *key;  /* [key], evaluated (may be unknown) */
	const cs_hcl_expr *at;
} cs__hcl_step;

/*
 * Resolves the root name of a traversal (`root` is the CS_HCL_E_VAR node)
 * followed by `n` steps.  The resolver may consume any number of steps
 * (0..n, at least the ones its root needs: `var` needs the variable's name)
 * and sets *used; the evaluator applies the rest.  Returns CS_OK with *out,
 * CS_EINVAL after a diagnostic (an undeclared variable), or CS_ENOMEM /
 * CS_ELIMIT.  Names bound by the evaluator itself (for-expression
 * variables, bindings pushed with cs__hcl_bind) are looked up first and
 * never reach the resolver.
 */
typedef cs_err (*cs__hcl_resolve_fn)(void *ud, cs__hcl_ectx *cx, const cs_hcl_expr *root,
				     const cs__hcl_step *steps, size_t n, size_t *used,
				     const cs_value **out);

/* A name bound to a value in a scope (for-expression variables, each,
 * count, a dynamic block's iterator), kept as a linked stack. */
typedef struct cs__hcl_bind {
	cs_str name;
	const cs_value *val;
	struct cs__hcl_bind *next;
} cs__hcl_bind;

/* "Open" objects: resource instances whose attributes that the
 * configuration does not set are unknown (computed), with the reason
 * given when the object was registered. */
typedef struct cs__hcl_openset {
	cs_strmap map; /* key: the object's address bytes */
} cs__hcl_openset;

struct cs__hcl_ectx {
	cs_arena *a;
	cs_diag_sink *diags;
	const char *file;       /* for diagnostics; also the default of ranges */
	const char *dir;        /* configuration directory for file() and friends */
	cs__hcl_resolve_fn resolve;
	void *ud;
	cs__hcl_bind *binds;
	cs__hcl_openset *open; /* may be NULL */
	unsigned depth;
	unsigned quiet;  /* > 0 inside try()/can(): errors are not diagnosed */
	unsigned errors; /* errors diagnosed (or swallowed while quiet) */
	const char *last_error; /* message of the last error (arena or static) */
	const cs_value *splat_item; /* current element inside a splat */
	/* Work budget: decremented per evaluated node; at 0 evaluation stops
	 * with an error ("configuration too large to evaluate").  0 = none. */
	uint64_t budget;
	bool budget_on;
};

/* Sets up a context (everything else zero). */
void cs__hcl_ectx_init(cs__hcl_ectx *cx, cs_arena *a, cs_diag_sink *diags, const char *file,
		       const char *dir, cs__hcl_resolve_fn resolve, void *ud);

/*
 * Evaluates `e` into *out (an arena value; may share subtrees with values
 * the resolver returned).  Returns CS_OK, CS_EINVAL (diagnosed unless quiet;
 * *out NULL), CS_ENOMEM or CS_ELIMIT.
 */
cs_err cs__hcl_eval(cs__hcl_ectx *cx, const cs_hcl_expr *e, const cs_value **out);

/* Pushes / pops a binding (b is caller storage, kept until popped). */
void cs__hcl_bind_push(cs__hcl_ectx *cx, cs__hcl_bind *b, const char *name, const cs_value *val);
void cs__hcl_bind_pop(cs__hcl_ectx *cx, cs__hcl_bind *b);

/* Reports an evaluation error at `at` (may be NULL): "Summary: detail" as
 * a diagnostic (unless quiet), counts it, keeps the text in last_error.
 * Returns CS_EINVAL. */
cs_err cs__hcl_eval_err(cs__hcl_ectx *cx, const cs_hcl_expr *at, const char *fmt, ...)
	CS_PRINTF(3, 4);

/* Registers `obj` as an open object: getattr of a name it lacks gives an
 * unknown with `reason` (borrowed; arena or static).  CS_ENOMEM. */
cs_err cs__hcl_open_add(cs__hcl_openset *s, cs_arena *a, const cs_value *obj, const char *reason);
/* The reason registered for obj, or NULL. */
const char *cs__hcl_open_reason(const cs__hcl_openset *s, const cs_value *obj);
void cs__hcl_open_release(cs__hcl_openset *s);

/* Unknown with a formatted reason, at (line, col); NULL on allocation
 * failure. */
cs_value *cs__hcl_unknownf(cs_arena *a, uint32_t line, uint32_t col, const char *fmt, ...)
	CS_PRINTF(4, 5);

/* Whether v is or contains an unknown (depth-bounded: too deep counts as
 * yes); *first (may be NULL) gets the first one found. */
bool cs__hcl_val_unknown(const cs_value *v, const cs_value **first);

/* Terraform's equality (cty Equals, known operands): same type and
 * value, deep; numbers by value; a list equals a tuple of equal
 * elements. */
bool cs__hcl_val_equal(const cs_value *a, const cs_value *b);

/* Converts a known primitive to a string as Terraform does (numbers in
 * their shortest text, true/false); false for other values.  The text may
 * point into buf (at least 400 bytes). */
bool cs__hcl_tostr(const cs_value *v, char *buf, cs_str *out);

/* A number value with Terraform's text for d; NULL on allocation failure. */
cs_value *cs__hcl_mknum(cs_arena *a, double d, uint32_t line, uint32_t col);

/* Copies a value tree giving every node the location (line, col)
 * (values referenced from another file are reported where they are used).
 * Bounded: depth over CS_HCL_EVAL_MAX_DEPTH keeps the subtree as is. */
const cs_value *cs__hcl_relocate(cs_arena *a, const cs_value *v, uint32_t line, uint32_t col);

/* An object of members m[0..n) (reordered in place: sorted by key, as cty
 * keeps object attributes; for equal keys the later one wins).  Members
 * without a line get (line, col).  NULL on allocation failure. */
cs_value *cs__hcl_mkobj(cs_arena *a, cs_member *m, size_t n, uint32_t line, uint32_t col);

/* ---- type constraints (eval_type.c) ------------------------------------ */

/*
 * Converts `v` to the type constraint written as `type` (a variable's
 * `type` expression: string, number, bool, any, list(T), set(T), map(T),
 * tuple([...]), object({...}) with optional(T[, default])), applying
 * optional attributes' defaults.  An unknown stays unknown; null stays null
 * (defaults apply only to attributes inside objects).  On a mismatch
 * *why gets Terraform's message ("a string is required", "attribute
 * \"name\" is required") and CS_EINVAL is returned (not diagnosed: the
 * caller knows where the value came from).  `type` NULL accepts anything.
 */
cs_err cs__hcl_convert(cs__hcl_ectx *cx, const cs_hcl_expr *type, const cs_value *v,
		       const cs_value **out, const char **why);

/* Whether a type constraint is a primitive type or absent/any (then -var
 * and TF_VAR_ values are taken as literal strings, not parsed). */
bool cs__hcl_type_literal(const cs_hcl_expr *type);

#endif
