/*
 * detect/acmatch.h - many literals at once: an Aho-Corasick automaton over
 * ASCII-case-folded bytes, one per event field, holding a required literal
 * of every wildcard test (contains / startswith / endswith / * ? patterns)
 * on that field.  One pass over a value finds every test whose literal
 * occurs in it, so the cost per value does not grow with the number of
 * rules; the candidates are then confirmed with the full pattern.
 * Not installed.
 */
#ifndef CS_DETECT_ACMATCH_H
#define CS_DETECT_ACMATCH_H

#include "core/internal.h"

typedef struct cs__ac cs__ac;

/* An empty automaton (add literals, then build).  NULL when out of memory. */
cs__ac *cs__ac_new(void);
void cs__ac_free(cs__ac *ac);
/* Adds literal lit[0..n) (n >= 1; folded here) reporting id on a match.
 * CS_OK, CS_ENOMEM, or CS_ELIMIT past the automaton's size limit (the
 * caller then leaves that test out of the automaton). */
cs_err cs__ac_add(cs__ac *ac, const char *lit, size_t n, uint32_t id);
/* Computes the failure links and the transition table.  CS_OK or
 * CS_ENOMEM. */
cs_err cs__ac_build(cs__ac *ac);

/* The shortest literal's length (after build): a shorter value holds no
 * literal, cs__ac_scan would report nothing. */
size_t cs__ac_minlen(const cs__ac *ac);

/* Calls fn(ud, id) for every literal occurring in s[0..n) (compared with
 * ASCII letters folded), once per occurrence. */
typedef void (*cs__ac_fn)(void *ud, uint32_t id);
void cs__ac_scan(const cs__ac *ac, const char *s, size_t n, cs__ac_fn fn, void *ud);

/* The longest literal run of a pattern in glob form (detect_int.h:
 * CS__GLOB_ESC pairs), decoded into out (pattern length bytes); its
 * length, 0 when the pattern has no literal. */
size_t cs__glob_literal(const char *pat, size_t n, char *out);

#endif
