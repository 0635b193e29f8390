/*
 * cshare/core.h - errors, allocation, arenas, strings, buffers, diagnostics
 * and the value tree shared by every part of libcshare.
 *
 * Invariants:
 *  - Fallible functions return cs_err (0 = CS_OK); results go through
 *    out-parameters.  The library never prints and never exits.
 *  - Every growable buffer has a maximum; growing past it is CS_ELIMIT.
 *  - The value tree is immutable once built and lives in an arena: it is
 *    freed all at once with the arena that holds it.
 */
#ifndef CSHARE_CORE_H
#define CSHARE_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CS_API __attribute__((visibility("default")))
#define CS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CS_API
#define CS_PRINTF(f, a)
#endif

/* ---- errors ------------------------------------------------------------ */

/* X(name, value, message).  Categories only; details go to diagnostics. */
#define CS_ERRORS(X)                                                          \
	X(OK, 0, "success")                                                   \
	X(ENOMEM, 1, "out of memory")                                         \
	X(ELIMIT, 2, "size or depth limit exceeded")                          \
	X(EINVAL, 3, "invalid argument")                                      \
	X(EIO, 4, "input/output error")                                       \
	X(ENOENT, 5, "no such file or directory")                             \
	X(ESYNTAX, 6, "syntax error")                                         \
	X(ETYPE, 7, "wrong type")                                             \
	X(EFORMAT, 8, "unrecognized input format")                            \
	X(EUTF8, 9, "invalid UTF-8")                                          \
	X(ECHECK, 10, "invalid check or rule")                                \
	X(EUNSUPPORTED, 11, "unsupported feature")                            \
	X(EINTERNAL, 12, "internal error")

typedef enum cs_err {
#define CS__ERR_ENUM(n, v, m) CS_##n = v,
	CS_ERRORS(CS__ERR_ENUM)
#undef CS__ERR_ENUM
} cs_err;

/* Returns a static message for an error code (never NULL). */
CS_API const char *cs_strerror(cs_err e);
/* Returns the symbolic name ("ESYNTAX") of an error code (never NULL). */
CS_API const char *cs_errname(cs_err e);

/* ---- allocation -------------------------------------------------------- */

/* All library allocation goes through these.  They return NULL on failure;
 * callers turn that into CS_ENOMEM. */
CS_API void *cs_malloc(size_t n);
CS_API void *cs_calloc(size_t n, size_t size);
CS_API void *cs_realloc(void *p, size_t n);
CS_API void cs_free(void *p);
/* Test hook: make the nth allocation from now on (1-based) and every later
 * one fail; 0 disables.  Not thread-safe; for tests only. */
CS_API void cs_alloc_fail_after(unsigned long n);

/* ---- strings ----------------------------------------------------------- */

/* A borrowed string with its length; not necessarily NUL-terminated. */
typedef struct cs_str {
	const char *ptr;
	size_t len;
} cs_str;

#define CS_STR_LIT(s) ((cs_str){ (s), sizeof(s) - 1 })
CS_API cs_str cs_str_c(const char *s);
CS_API bool cs_str_eq(cs_str a, cs_str b);
CS_API bool cs_str_eqc(cs_str a, const char *c);
CS_API bool cs_str_ieqc(cs_str a, const char *c);

/* ---- arenas ------------------------------------------------------------ */

typedef struct cs_arena cs_arena;

/* Returns an arena that refuses to hold more than `limit` bytes (0 = no
 * limit), or NULL on allocation failure.  Free with cs_arena_free. */
CS_API cs_arena *cs_arena_new(size_t limit);
CS_API void cs_arena_free(cs_arena *a);
/* Returns `n` bytes aligned for any type, or NULL (out of memory or over
 * the arena's limit; cs_arena_error tells which). */
CS_API void *cs_arena_alloc(cs_arena *a, size_t n);
/* Copies `len` bytes plus a terminating NUL into the arena. */
CS_API char *cs_arena_strndup(cs_arena *a, const char *s, size_t len);
CS_API char *cs_arena_strdup(cs_arena *a, const char *s);
CS_API char *cs_arena_printf(cs_arena *a, const char *fmt, ...) CS_PRINTF(2, 3);
/* Bytes handed out so far. */
CS_API size_t cs_arena_used(const cs_arena *a);
/* CS_ENOMEM or CS_ELIMIT after a failed allocation, CS_OK otherwise. */
CS_API cs_err cs_arena_error(const cs_arena *a);

/* ---- buffers ----------------------------------------------------------- */

/* A growable byte buffer with a hard maximum.  Embed and cs_buf_init. */
typedef struct cs_buf {
	char *data; /* owned; always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max; /* appending past this is CS_ELIMIT */
	/* Optional: when set, a buffer that would grow past 1 MiB hands its
	 * contents to flush(ud, data, len) and starts again empty, so large
	 * outputs stream instead of accumulating.  flush returns CS_OK or an
	 * error that the append then returns. */
	cs_err (*flush)(void *ud, const char *data, size_t len);
	void *flush_ud;
} cs_buf;

CS_API void cs_buf_init(cs_buf *b, size_t max);
/* Hands what the buffer holds to its flush function (if any) and empties it. */
CS_API cs_err cs_buf_flush(cs_buf *b);
CS_API void cs_buf_release(cs_buf *b);
CS_API cs_err cs_buf_append(cs_buf *b, const void *p, size_t n);
CS_API cs_err cs_buf_puts(cs_buf *b, const char *s);
CS_API cs_err cs_buf_putc(cs_buf *b, char c);
CS_API cs_err cs_buf_printf(cs_buf *b, const char *fmt, ...) CS_PRINTF(2, 3);
CS_API cs_err cs_buf_vprintf(cs_buf *b, const char *fmt, va_list ap) CS_PRINTF(2, 0);
/* Takes ownership of the data away from the buffer (caller frees with
 * cs_free); the buffer is left empty. */
CS_API char *cs_buf_steal(cs_buf *b, size_t *len);

/* ---- files ------------------------------------------------------------- */

/* Reads a whole file (or "-" for standard input) into a NUL-terminated
 * heap buffer of at most `max` bytes.  Returns owned data (cs_free) in
 * *out.  CS_ENOENT, CS_EIO or CS_ELIMIT on failure; errno is kept. */
CS_API cs_err cs_file_read(const char *path, size_t max, char **out, size_t *len);

/* ---- diagnostics ------------------------------------------------------- */

typedef enum cs_severity {
	CS_SEV_NOTE = 0,
	CS_SEV_WARNING = 1,
	CS_SEV_ERROR = 2,
} cs_severity;

/* One problem, located.  All strings are borrowed for the call only. */
typedef struct cs_diag {
	cs_severity sev;
	cs_err code;
	const char *file; /* may be NULL */
	uint32_t line;    /* 1-based; 0 = unknown */
	uint32_t col;     /* 1-based byte column in the line; 0 = unknown */
	const char *id;   /* check/rule id, or NULL */
	const char *msg;
} cs_diag;

typedef void (*cs_diag_fn)(void *ud, const cs_diag *d);

/* Where diagnostics go.  Embed, set fn/ud (fn may be NULL: counted only). */
typedef struct cs_diag_sink {
	cs_diag_fn fn;
	void *ud;
	unsigned errors;
	unsigned warnings;
} cs_diag_sink;

CS_API void cs_diag_emit(cs_diag_sink *s, cs_severity sev, cs_err code, const char *file,
			 uint32_t line, uint32_t col, const char *id, const char *fmt, ...)
	CS_PRINTF(8, 9);

/* ---- values ------------------------------------------------------------ */

typedef enum cs_vtype {
	CS_VNULL = 0,
	CS_VBOOL,
	CS_VNUMBER,
	CS_VSTRING,
	CS_VARRAY,
	CS_VOBJECT,
	/* A value the input does not determine (a Terraform after_unknown, an
	 * unresolved !Ref, a missing supplementary configuration).  Distinct
	 * from absent (lookup returns NULL) and from null/false. */
	CS_VUNKNOWN,
} cs_vtype;

typedef struct cs_value cs_value;

CS_API cs_vtype cs_value_type(const cs_value *v);
CS_API const char *cs_vtype_name(cs_vtype t);
CS_API uint32_t cs_value_line(const cs_value *v);
CS_API uint32_t cs_value_col(const cs_value *v);
/* The YAML tag ("!Ref") the value was written with, or NULL. */
CS_API const char *cs_value_tag(const cs_value *v);
CS_API bool cs_value_bool(const cs_value *v);
CS_API double cs_value_num(const cs_value *v);
/* String contents (for CS_VSTRING), the number's source text (CS_VNUMBER),
 * or the reason (CS_VUNKNOWN); empty otherwise. */
CS_API cs_str cs_value_str(const cs_value *v);
/* Number of elements (array) or members (object); 0 otherwise. */
CS_API size_t cs_value_len(const cs_value *v);
CS_API const cs_value *cs_value_at(const cs_value *v, size_t i);
/* The member's key and value at position i of an object. */
CS_API cs_str cs_value_key_at(const cs_value *v, size_t i);
/* Object member by key (the last one if duplicated), or NULL. */
CS_API const cs_value *cs_value_get(const cs_value *v, const char *key);
CS_API const cs_value *cs_value_getn(const cs_value *v, const char *key, size_t klen);

#ifdef __cplusplus
}
#endif
#endif
