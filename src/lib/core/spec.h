/*
 * core/spec.h - helpers for reading cshare's own YAML data files (mappings,
 * checks): typed member access with located diagnostics, and rejection of
 * unknown keys so a typo never silently disables something.
 */
#ifndef CS_CORE_SPEC_H
#define CS_CORE_SPEC_H

#include "internal.h"

typedef struct cs_spec {
	cs_arena *a;
	cs_diag_sink *diag;
	const char *file;
	const char *id; /* check or kind id for diagnostics, may be NULL */
	unsigned errors;
} cs_spec;

/* Reports an error located at v (or at line 0 when v is NULL). */
void cs__spec_error(cs_spec *s, const cs_value *v, const char *fmt, ...) CS_PRINTF(3, 4);
void cs__spec_warn(cs_spec *s, const cs_value *v, const char *fmt, ...) CS_PRINTF(3, 4);
/* Errors for every key of object `obj` not in the NULL-terminated list. */
void cs__spec_only_keys(cs_spec *s, const cs_value *obj, const char *const *keys);
/* A required / optional string member, as an arena NUL-terminated copy.
 * Scalars (numbers, booleans) are accepted as their text.  NULL when
 * missing (after an error for required ones) or of the wrong type. */
const char *cs__spec_str(cs_spec *s, const cs_value *obj, const char *key, bool required);
/* Returns v's text as a NUL-terminated arena string (scalars only). */
const char *cs__spec_text(cs_spec *s, const cs_value *v);

#endif
