/*
 * core/internal.h - libcshare-internal view of the value tree and helpers
 * shared by the parsers, adapters and engines.  Not installed.
 *
 * Values are built by parsers and adapters into an arena and never change
 * afterwards.  Strings inside values are NUL-terminated copies or point into
 * a source buffer that the owning document keeps alive.
 */
#ifndef CS_CORE_INTERNAL_H
#define CS_CORE_INTERNAL_H

#include "cshare/core.h"
#include "banned.h"

#define CS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifdef NDEBUG
#define CS_ASSERT(c) ((void)0)
#else
#define CS_ASSERT(c) ((c) ? (void)0 : cs__bug(__FILE__, __LINE__, #c))
#endif
#define CS_BUG(msg) cs__bug(__FILE__, __LINE__, msg)
_Noreturn void cs__bug(const char *file, int line, const char *what);

/* Value flags. */
enum {
	CS_VF_QUOTED = 1u << 0, /* YAML scalar was quoted: never a number/bool */
	CS_VF_INT = 1u << 1,    /* number written as an integer */
	CS_VF_SYNTH = 1u << 2,  /* made by an adapter, not read from a file */
	CS_VF_DEFAULT = 1u << 3, /* a provider default filled in by the mapping */
	CS_VF_SET = 1u << 4,     /* unknown content, but certainly set (a !Ref to a
				    resource, a pseudo parameter) */
	CS_VF_HCLSET = 1u << 5,  /* array that is a Terraform set (hcl/funcs.h):
				    elements unique, in a fixed order */
};

typedef struct cs_member {
	cs_str key;
	cs_value *val;
	uint32_t line, col; /* of the key */
} cs_member;

struct cs_value {
	uint8_t type; /* cs_vtype */
	uint8_t flags;
	uint32_t line, col;
	const char *tag; /* YAML tag, NUL-terminated, or NULL */
	union {
		bool b;
		struct {
			double d;
			cs_str raw;
		} num;
		cs_str s; /* string, or reason for unknown */
		struct {
			cs_str reason; /* same place as `s` */
			/* A partly known string: its text with holes (CS_HOLE_ANY,
			 * CS_HOLE_TOKEN), or NULL when nothing is known. */
			const char *shape;
		} unk;
		struct {
			cs_value **v;
			size_t n;
		} arr;
		struct {
			cs_member *m;
			size_t n;
		} obj;
	} u;
};

/* Constructors: allocate in `a`, return NULL on allocation failure.
 * Strings are borrowed (not copied) unless stated. */
cs_value *cs__v_null(cs_arena *a, uint32_t line, uint32_t col);
cs_value *cs__v_bool(cs_arena *a, bool b, uint32_t line, uint32_t col);
cs_value *cs__v_num(cs_arena *a, double d, cs_str raw, uint32_t line, uint32_t col);
cs_value *cs__v_str(cs_arena *a, cs_str s, uint32_t line, uint32_t col);
/* Copies the string into the arena. */
cs_value *cs__v_strdup(cs_arena *a, const char *s, size_t len, uint32_t line, uint32_t col);
/* reason: borrowed, should be a static or arena string. */
cs_value *cs__v_unknown(cs_arena *a, const char *reason, uint32_t line, uint32_t col);
/* Copies the element pointers / members into the arena. */
cs_value *cs__v_array(cs_arena *a, cs_value *const *items, size_t n, uint32_t line, uint32_t col);
cs_value *cs__v_object(cs_arena *a, const cs_member *m, size_t n, uint32_t line, uint32_t col);
/* A shallow copy of v with a new location (for mapped values). */
cs_value *cs__v_clone(cs_arena *a, const cs_value *v);

/* The text of a scalar (string, number as written, true/false) in *out;
 * false for null, arrays, objects and unknowns. */
bool cs__scalar_text(const cs_value *v, cs_str *out);

/* Last line spanned by a value's subtree (for resource extents). */
uint32_t cs__value_last_line(const cs_value *v);

/* Deep equality of two values (unknown equals nothing). */
bool cs__value_equal(const cs_value *a, const cs_value *b);

/* A growable array of pointers with a limit, heap-backed. */
typedef struct cs_ptrvec {
	void **v;
	size_t n, cap;
} cs_ptrvec;
cs_err cs__ptrvec_push(cs_ptrvec *pv, void *p);
void cs__ptrvec_release(cs_ptrvec *pv);

/* The entries of a directory (no hidden ones, no node_modules), as arena
 * paths "dir/name" in name order, in *out; CS_EIO (errno kept) or
 * CS_ENOMEM.  "." lists bare names. */
cs_err cs__dir_sorted(cs_arena *a, const char *dir, cs_ptrvec *out);


/* A string-keyed hash map (open addressing) to borrowed values; keys are
 * borrowed too and must outlive the map.  Multiple values per key are kept
 * through cs__strmap_next (in no guaranteed order). */
typedef struct cs_strmap {
	struct cs_strmap_slot *slots;
	size_t cap, n;
} cs_strmap;
cs_err cs__strmap_put(cs_strmap *m, const char *key, size_t klen, void *val);
/* First value for key, or NULL; *iter (may be NULL) lets cs__strmap_next
 * find further values put under the same key. */
void *cs__strmap_get(const cs_strmap *m, const char *key, size_t klen, size_t *iter);
void *cs__strmap_next(const cs_strmap *m, const char *key, size_t klen, size_t *iter);
void cs__strmap_release(cs_strmap *m);

/* Paths into value trees: `A.B[0].C`, `L[*]` (every element), `'a.b'`
 * (quoted key), `$` (the value itself).  Used by mappings and checks. */
typedef struct cs_path cs_path;
typedef enum cs_path_status {
	CS_PATH_FOUND = 0,
	CS_PATH_ABSENT,  /* nothing there, or null (then *out is that null) */
	CS_PATH_UNKNOWN, /* an unknown value on the way; *out is that value */
} cs_path_status;
/* Parses `text` into the arena; on a syntax error returns CS_ESYNTAX and a
 * static message in *why. */
cs_err cs__path_parse(cs_arena *a, const char *text, cs_path **out, const char **why);
/* Evaluates p on root.  With [*] the result is an array of every value
 * found (flattened across wildcards), allocated in `a`; an unknown element
 * on the way is kept as an unknown element.  Returns CS_PATH_ABSENT when `a`
 * runs out of memory during a wildcard. */
cs_path_status cs__path_eval(const cs_path *p, const cs_value *root, cs_arena *a,
			     const cs_value **out);
const char *cs__path_text(const cs_path *p);
/* Number of segments / whether the path has a wildcard. */
size_t cs__path_len(const cs_path *p);
bool cs__path_has_wildcard(const cs_path *p);
/* Name of the first segment (for schema checks); empty for `$`/index. */
cs_str cs__path_head(const cs_path *p);

/* Holes in the shape of a partly known string (Fn::Sub, Fn::Join over an
 * unknown): ANY is any string; TOKEN is one or more of [A-Za-z0-9._:/-]
 * (an account id, a Region, a partition, a resource's name or ARN). */
#define CS_HOLE_ANY '\x01'
#define CS_HOLE_TOKEN '\x02'
/* Outcome of comparing a shaped unknown with a string: whether they can be
 * equal (case-insensitively if `icase`). */
bool cs__shape_can_equal(const char *shape, cs_str s, bool icase);
/* Whether the shaped string certainly contains / can contain `needle`. */
bool cs__shape_must_contain(const char *shape, cs_str needle);
bool cs__shape_can_contain(const char *shape, cs_str needle);

/* Like cs_json_write_value, but unknowns are shown for people: their known
 * text with ${?} for the holes (json/writer.c). */
cs_err cs__json_write_evidence(cs_buf *b, const cs_value *v);

/* Whether v is an unknown whose content is unknown but which is certainly
 * set (CS_VF_SET): `exists` is true for it. */
bool cs__unknown_but_set(const cs_value *v);

/* Like cs_file_read, but a regular file of 1 MiB or more is mapped
 * read-only (MAP_POPULATE) instead of copied, when the byte after its end
 * is a NUL (it does not end on a page boundary).  *mapped says which; free
 * with cs__file_release(*out, *len, *mapped).  The data must not be
 * written.  A file truncated while mapped makes later reads fault, as with
 * any mapping: only for inputs read once, right away. */
cs_err cs__file_map(const char *path, size_t max, char **out, size_t *len, bool *mapped);
void cs__file_release(char *data, size_t len, bool mapped);

/* FNV-1a 64-bit hash, for fingerprints and tables. */
uint64_t cs__hash64(const void *p, size_t n, uint64_t seed);

/* Validates UTF-8; returns the offset of the first bad byte or `len`. */
size_t cs__utf8_check(const char *s, size_t len);

#endif
