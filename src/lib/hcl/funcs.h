/*
 * hcl/funcs.h - Terraform's built-in functions over cs_value trees, for the
 * HCL evaluator.
 *
 * The evaluator looks a function up by name (cs__hcl_func_lookup), evaluates
 * the arguments (expanding `args...`), fills a cs__hcl_call and calls
 * cs__hcl_func_call, which checks the number of arguments, applies
 * Terraform's unknown and null rules and runs the function.
 *
 * Values (core/internal.h):
 *  - Terraform's list and tuple are CS_VARRAY; map and object are CS_VOBJECT.
 *  - A Terraform set is a CS_VARRAY with the CS_VF_HCLSET flag whose elements
 *    are unique and sorted: null, false, true, numbers ascending, strings by
 *    bytes, then lists and objects by their JSON text.  For primitive
 *    elements that is the order Terraform itself shows; for sets of
 *    collections Terraform's order is a hash order, ours is stable.  Every
 *    function that returns a set (toset, distinct is not one, setunion,
 *    setintersection, setsubtract, setproduct of sets) returns this form;
 *    every function that reads a list also reads a set.
 *  - Numbers are doubles (Terraform uses arbitrary precision): results are
 *    exact up to 2^53 and as printed by shortest round trip after that.
 *  - An unknown is CS_VUNKNOWN with a reason.  A function with an unknown
 *    argument returns an unknown (reason: the argument's, or "ref:..." is
 *    reported as "derived from ref:..."), unless the function is marked
 *    CS__HCL_F_PARTIAL: it then looks at its arguments itself (length of a
 *    list with unknown elements is known; coalesce stops at the first known
 *    non-null argument, and so on).
 *  - null arguments are refused ("argument must not be null") except where
 *    Terraform allows them (CS__HCL_F_NULLOK: the to* conversions, coalesce,
 *    merge, compact, one, ...).
 *
 * Strings are counted in grapheme clusters where Terraform does (length,
 * substr, strrev): a base code point with following combining marks,
 * variation selectors, emoji modifiers, zero-width-joiner sequences and
 * regional-indicator pairs; not the full Unicode segmentation algorithm.
 * upper/lower/title map ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
 *
 * Regular expressions are RE2 syntax in Terraform; they are compiled with
 * PCRE2 (UTF mode, no backtracking-only features are rejected): RE2 is a
 * subset of PCRE's syntax for what configurations use, except (?P<name>)
 * which PCRE2 also accepts.  Backreferences and lookaround, which RE2
 * refuses, are refused here too ("invalid regular expression").
 *
 * Impure functions (timestamp, plantimestamp, uuid, bcrypt) return unknown:
 * nothing is known about them before apply.
 */
#ifndef CS_HCL_FUNCS_H
#define CS_HCL_FUNCS_H

#include <string.h>

#include "../core/internal.h"

/* memcpy that accepts (NULL, 0), as empty arrays have no element pointer. */
static inline void cs__hcl_copy(void *dst, const void *src, size_t n)
{
	if (n)
		memcpy(dst, src, n);
}

/* Reads a file named by a configuration for file(), filebase64,
 * templatefile, ...: `path` as written in the call (relative to the
 * configuration directory `dir`, or absolute).  Returns CS_OK with the bytes
 * in *data (arena or other storage that outlives the call) and *len,
 * CS_ENOENT when there is no such file, CS_EINVAL when the path is outside
 * the configuration directory, CS_EIO or CS_ELIMIT. */
typedef cs_err (*cs__hcl_read_fn)(void *ud, cs_arena *a, const char *dir, const char *path,
				  const char **data, size_t *len);

/* Renders a template's text (templatefile) with `vars` (an object) as its
 * only variables, as the evaluator does for a template string.  On success
 * *out is the value (a string, or any value for a template that is a single
 * interpolation); on failure *why is a message (arena or static). */
typedef cs_err (*cs__hcl_template_fn)(void *ud, cs_arena *a, const char *path, const char *text,
				      size_t len, const cs_value *vars, const cs_value **out,
				      const char **why);

/* One call.  The evaluator fills the inputs; the function fills the error. */
typedef struct cs__hcl_call {
	/* inputs */
	cs_arena *arena;              /* results are allocated here */
	cs_value *const *args;        /* evaluated arguments (borrowed) */
	size_t nargs;
	const char *dir;              /* configuration directory for file() etc.;
					 NULL: file functions fail */
	uint32_t line, col;           /* location given to results */
	cs__hcl_read_fn read_file;    /* NULL: cs__hcl_read_confined */
	cs__hcl_template_fn template; /* NULL: templatefile fails */
	void *ud;                     /* for read_file and template */
	/* set by cs__hcl_func_call */
	const struct cs__hcl_func *func;
	/* outputs on error: Terraform's summary ("Invalid function argument",
	 * "Error in function call", "Not enough function arguments", ...), its
	 * detail ("Invalid value for \"str\" parameter: string required." /
	 * "Call to function \"x\" failed: ..."), and the argument at fault
	 * (SIZE_MAX: the call as a whole). */
	const char *summary;
	const char *detail;
	size_t bad_arg;
} cs__hcl_call;

/* A function: returns CS_OK with *out, or an error code (CS_EINVAL for a
 * Terraform error, CS_ENOMEM/CS_ELIMIT for the arena) with c->summary and
 * c->detail set. */
typedef cs_err (*cs__hcl_fn)(cs__hcl_call *c, const cs_value **out);

enum {
	CS__HCL_F_PARTIAL = 1u << 0, /* sees unknown arguments itself */
	CS__HCL_F_NULLOK = 1u << 1,  /* null arguments are allowed */
	CS__HCL_F_LANG = 1u << 2,    /* can/try: the evaluator evaluates the
					arguments itself (see below) */
	CS__HCL_F_IMPURE = 1u << 3,  /* result unknown before apply */
	CS__HCL_F_FILE = 1u << 4,    /* reads files through read_file */
};

#define CS__HCL_VARIADIC 255u

typedef struct cs__hcl_func {
	const char *name;
	uint8_t min_args;
	uint8_t max_args; /* CS__HCL_VARIADIC: any number */
	uint8_t flags;
	/* Parameter names for messages, comma-separated; the last one is the
	 * variadic parameter's when max_args is CS__HCL_VARIADIC. */
	const char *params;
	cs__hcl_fn fn;
} cs__hcl_func;

/* The function called `name` (len bytes), or NULL when Terraform has no
 * such built-in (the evaluator then reports "Call to unknown function").
 * A "provider::" prefixed name is never found. */
const cs__hcl_func *cs__hcl_func_lookup(const char *name, size_t len);

/* Calls f with c's arguments: checks their number, returns an unknown when
 * Terraform would (see the file comment), refuses null arguments where
 * Terraform does, then runs f.  Sets c->func.  *out is an arena value.
 *
 * can and try (CS__HCL_F_LANG): the evaluator evaluates each argument
 * itself and passes only those that evaluated without error, in order; try
 * then returns the first of them (an error when there is none: "no
 * expression succeeded"), and can(x) returns true; the evaluator returns
 * false for a can() whose argument failed.  An unknown argument makes both
 * unknown, as in Terraform. */
cs_err cs__hcl_func_call(const cs__hcl_func *f, cs__hcl_call *c, const cs_value **out);

/* The default read_file: reads `path` relative to `dir` (or absolute),
 * refusing (CS_EINVAL) anything whose real path is not inside dir's real
 * path, and files over 64 MiB (CS_ELIMIT).  The bytes go to the arena. */
cs_err cs__hcl_read_confined(void *ud, cs_arena *a, const char *dir, const char *path,
			     const char **data, size_t *len);

/* Number of built-in functions and the i-th (for documentation and tests). */
size_t cs__hcl_func_count(void);
const cs__hcl_func *cs__hcl_func_at(size_t i);

/* ---- helpers shared by the funcs_*.c files --------------------------------
 * Not for the evaluator, although it may use the conversions. */

/* Sets c's error: "Invalid function argument" / "Invalid value for \"<p>\"
 * parameter: <msg>." for argument i.  Returns CS_EINVAL. */
cs_err cs__hcl_arg_err(cs__hcl_call *c, size_t i, const char *fmt, ...) CS_PRINTF(3, 4);
/* Sets c's error: "Error in function call" / "Call to function \"<f>\"
 * failed: <msg>."  Returns CS_EINVAL. */
cs_err cs__hcl_call_err(cs__hcl_call *c, const char *fmt, ...) CS_PRINTF(2, 3);
/* CS_ENOMEM or the arena's limit error, after a failed allocation. */
cs_err cs__hcl_oom(cs__hcl_call *c);

/* Terraform's name of a value's type for messages: "string", "number",
 * "bool", "tuple", "object", "null", "list", "set". */
const char *cs__hcl_type_name(const cs_value *v);
/* Whether v is or contains an unknown; *first gets the first one. */
bool cs__hcl_has_unknown(const cs_value *v, const cs_value **first);
/* The unknown a function returns when given `from` (an unknown argument). */
cs_value *cs__hcl_unknown_from(cs__hcl_call *c, const cs_value *from);

/* Values with the call's location; NULL on allocation failure. */
cs_value *cs__hcl_num(cs__hcl_call *c, double d);
cs_value *cs__hcl_str(cs__hcl_call *c, const char *s, size_t len); /* copies */
cs_value *cs__hcl_bool(cs__hcl_call *c, bool b);
cs_value *cs__hcl_null(cs__hcl_call *c);
cs_value *cs__hcl_list(cs__hcl_call *c, cs_value *const *items, size_t n);
/* A set from items: sorted and deduplicated (items is reordered). */
cs_value *cs__hcl_set(cs__hcl_call *c, cs_value **items, size_t n);
/* Object with its members sorted by key (duplicate keys: the last wins;
 * m is reordered). */
cs_value *cs__hcl_object(cs__hcl_call *c, cs_member *m, size_t n);

/* Terraform's text of a number (shortest round trip, never an exponent:
 * 1e21 is "1000000000000000000000"), into buf (at least 400 bytes). */
size_t cs__hcl_num_text(double d, char *buf, size_t cap);
/* Total order used for sets and sort(). */
int cs__hcl_value_cmp(const cs_value *a, const cs_value *b);

/* Conversions of argument i with Terraform's rules; on failure they set
 * the argument error and return CS_EINVAL. */
cs_err cs__hcl_want_str(cs__hcl_call *c, size_t i, cs_str *out);
cs_err cs__hcl_want_num(cs__hcl_call *c, size_t i, double *out);
/* A whole number (error "value must be a whole number"). */
cs_err cs__hcl_want_int(cs__hcl_call *c, size_t i, int64_t *out);
cs_err cs__hcl_want_bool(cs__hcl_call *c, size_t i, bool *out);
/* A list, set or tuple. */
cs_err cs__hcl_want_list(cs__hcl_call *c, size_t i, const cs_value **out);
/* A map or object. */
cs_err cs__hcl_want_map(cs__hcl_call *c, size_t i, const cs_value **out);

/* Converts a known value to a string the way Terraform's automatic
 * conversion does (number text, "true"/"false"); false for other types.
 * The text may point into buf (400 bytes) or into v. */
bool cs__hcl_as_str(const cs_value *v, char *buf, cs_str *out);
/* Terraform's string-to-number conversion (decimal text, optional sign,
 * fraction and exponent; no spaces, no hex). */
bool cs__hcl_parse_num(cs_str s, double *out);
/* Converts elements to one type when they are mixed primitives (strings,
 * numbers, bools: all become strings, as Terraform's type unification
 * does); otherwise leaves them.  *items is replaced by an arena copy when
 * something changed.  False (with an argument error on i) when elements
 * cannot be unified (a string and a list). */
cs_err cs__hcl_unify(cs__hcl_call *c, size_t i, cs_value ***items, size_t n);

/* Grapheme clusters: the byte length of the cluster starting at s[0]. */
size_t cs__hcl_grapheme_len(const char *s, size_t len);
/* Decodes one UTF-8 code point (invalid bytes decode as themselves, 1 byte). */
uint32_t cs__hcl_utf8_next(const char *s, size_t len, size_t *adv);
/* Appends code point cp as UTF-8. */
cs_err cs__hcl_utf8_put(cs_buf *b, uint32_t cp);

/* Appends v as JSON the way jsonencode does (funcs_encoding.c): keys
 * sorted, <, >, & escaped as \u003c..., no white space.  CS_EINVAL for an
 * unknown inside. */
cs_err cs__hcl_json_encode(cs_buf *b, const cs_value *v);

/* Hashes (funcs_hash.c): out gets 16, 20, 32 or 64 bytes. */
void cs__hcl_md5(const void *p, size_t n, unsigned char out[16]);
void cs__hcl_sha1(const void *p, size_t n, unsigned char out[20]);
void cs__hcl_sha256(const void *p, size_t n, unsigned char out[32]);
void cs__hcl_sha512(const void *p, size_t n, unsigned char out[64]);
/* Standard base64 with padding into the arena; NULL on allocation failure. */
char *cs__hcl_base64(cs_arena *a, const unsigned char *p, size_t n, size_t *outlen);

/* Function tables of each family. */
extern const cs__hcl_func cs__hcl_funcs_string[];
extern const size_t cs__hcl_funcs_string_n;
extern const cs__hcl_func cs__hcl_funcs_collection[];
extern const size_t cs__hcl_funcs_collection_n;
extern const cs__hcl_func cs__hcl_funcs_encoding[];
extern const size_t cs__hcl_funcs_encoding_n;
extern const cs__hcl_func cs__hcl_funcs_numeric[];
extern const size_t cs__hcl_funcs_numeric_n;
extern const cs__hcl_func cs__hcl_funcs_ipnet[];
extern const size_t cs__hcl_funcs_ipnet_n;
extern const cs__hcl_func cs__hcl_funcs_typeconv[];
extern const size_t cs__hcl_funcs_typeconv_n;
extern const cs__hcl_func cs__hcl_funcs_datetime[];
extern const size_t cs__hcl_funcs_datetime_n;
extern const cs__hcl_func cs__hcl_funcs_hash[];
extern const size_t cs__hcl_funcs_hash_n;
extern const cs__hcl_func cs__hcl_funcs_file[];
extern const size_t cs__hcl_funcs_file_n;

#endif
