/*
 * cshare/json.h - JSON text to the value tree, with the line and column of
 * every value (RFC 8259).
 */
#ifndef CSHARE_JSON_H
#define CSHARE_JSON_H

#include "cshare/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_json_opts {
	unsigned max_depth;  /* nesting limit; 0 = default (512) */
	bool allow_trailing; /* stop after the first value instead of requiring
	                        only white space after it (JSON lines) */
	uint32_t first_line; /* line number of data[0]; 0 = 1 */
	/* For a document cut out of a bigger file (a log record): the column
	 * of data[0] on first_line (0 = 1) and its byte offset in the file,
	 * so that diagnostics name the position in that file. */
	uint32_t first_col;
	uint64_t first_offset;
	/* When pin_line is non-zero, every value and member key parsed (and
	 * every syntax diagnostic) gets the location pin_line:pin_col instead
	 * of its own: for JSON documents embedded in a string of another file
	 * (AWS Config's "configuration"), whose inner positions mean nothing
	 * in that file. */
	uint32_t pin_line, pin_col;
	/* Members to check but not build: a NULL-terminated list of paths of
	 * object keys separated by '.', with "[]" for every element of an array
	 * ("planned_values", "resource_changes[].change.before"); at most 8
	 * paths of at most 8 steps, the last step a key.  Such a member is
	 * validated exactly as if it were parsed (a syntax error in it fails
	 * the parse the same way) and left out of its object.  NULL = none. */
	const char *const *skip;
	/* If not NULL, receives the number of members left out. */
	size_t *skipped;
} cs_json_opts;

/*
 * Parses `len` bytes of JSON.  Values are allocated in `a`; strings without
 * escapes point into `data`, so `data` must outlive the values (borrows).
 * On success *out is the root value and, if `consumed` is not NULL, the
 * number of bytes read (including trailing white space).  On failure a
 * diagnostic naming `file`, line and column goes to `diag` and CS_ESYNTAX,
 * CS_EUTF8, CS_ELIMIT (depth or arena limit) or CS_ENOMEM is returned.
 * A leading UTF-8 byte-order mark is skipped.
 */
CS_API cs_err cs_json_parse(cs_arena *a, const char *file, const char *data, size_t len,
			    const cs_json_opts *opts, cs_diag_sink *diag, const cs_value **out,
			    size_t *consumed);

/* Appends `s` to `b` as a JSON string literal, quotes included, escaping
 * what RFC 8259 requires (and U+2028/2029 and '/' after '<'). */
CS_API cs_err cs_json_write_str(cs_buf *b, const char *s, size_t len);

/* Appends JSON text without its insignificant white space (for JSON
 * lines); the text must be valid JSON. */
CS_API cs_err cs_json_write_compact(cs_buf *b, const char *json, size_t len);

/* Appends a value as compact JSON (unknown is written as null). */
CS_API cs_err cs_json_write_value(cs_buf *b, const cs_value *v);

#ifdef __cplusplus
}
#endif
#endif
