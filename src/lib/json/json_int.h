/*
 * json/json_int.h - pieces of the JSON reader shared with the detection
 * engine's on-demand event reader (detect/evread.c), so both decode strings
 * and numbers the same way.  Not installed.
 */
#ifndef CS_JSON_INT_H
#define CS_JSON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "cshare/core.h"

/* Decodes the escapes of a JSON string body src[0..len) (without quotes)
 * into o, which must hold len + 1 bytes (the output is never longer; it is
 * NUL-terminated).  *outlen is the decoded length.  CS_ESYNTAX (bad or
 * truncated escape) or CS_EUTF8 (unpaired surrogate), with *bad the offset
 * of the offending backslash in src. */
cs_err cs__json_unescape(const char *src, size_t len, char *o, size_t *outlen, size_t *bad);

/* The value of a number token s[0..n) already checked against the JSON
 * grammar; is_int when it has neither fraction nor exponent.  NAN only
 * when a long token could not be copied (out of memory). */
double cs__json_num_value(const char *s, size_t n, bool is_int);

#endif
