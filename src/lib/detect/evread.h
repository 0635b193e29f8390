/*
 * detect/evread.h - the on-demand event reader: reads one JSON record in a
 * single pass and hands out only the values found at the field paths some
 * rule references, without building a value tree.  Everything else is
 * skipped (strings by scanning for the closing quote, containers by
 * bracket depth) yet fully validated, so a record is accepted exactly when
 * cs_json_parse accepts it.  Not installed.
 *
 * Field paths follow the matcher's rules (match.c, cs__event_values): a
 * dotted path descends through objects one key per component, arrays on
 * the way are walked, and a value at the end that is an array gives its
 * elements.  Cases where the tree walk's semantics are subtler (an object
 * key that itself contains a dot and could match several components, a
 * duplicate key, very deep or very branchy paths) are not decided here:
 * the reader reports *fallback and the caller parses the record fully and
 * walks the tree instead.
 */
#ifndef CS_DETECT_EVREAD_H
#define CS_DETECT_EVREAD_H

#include "core/internal.h"

#define CS__EV_NONE UINT32_MAX

/* The referenced paths of a rule set, compiled into a trie of object keys.
 * Immutable once built; shared by every thread. */
typedef struct cs__evpaths cs__evpaths;

/* Builds the trie of `nfields` field paths (borrowed: they must outlive
 * the result).  Field i's values are reported under index i.  Returns owned
 * *out (free with cs__evpaths_free) or CS_ENOMEM. */
cs_err cs__evpaths_build(const char *const *fields, size_t nfields, cs__evpaths **out);
void cs__evpaths_free(cs__evpaths *p);

/* One value found at a field path.  Containers are reported as present
 * (type CS_VOBJECT or CS_VARRAY) without text. */
typedef struct cs__evval {
	const char *ptr; /* text: strings unescaped, numbers as written, "true"/"false" */
	uint32_t len;
	uint32_t next;   /* next value of the same field, or CS__EV_NONE */
	double num;      /* numbers: the value */
	uint8_t type;    /* cs_vtype */
} cs__evval;

/* Per-thread reading state (values of the current record). */
typedef struct cs__evread {
	const cs__evpaths *paths;
	size_t nfields;
	uint32_t gen;      /* record generation */
	uint32_t *fgen;    /* per field: generation head/tail belong to */
	uint32_t *head, *tail;
	uint32_t *found;   /* the fields with values, in the order first found */
	uint32_t nfound;
	cs__evval *vals;
	size_t nvals, capvals;
	uint32_t *estamp;  /* per trie node: object visit whose key led to it */
	uint32_t visit;
	char *tmp;         /* decoded keys and skipped escaped strings */
	size_t tmpcap;
	/* Key prediction (evread.c, "known keys"): records of one kind repeat
	 * their key order, so each object key seen at a trie node remembers
	 * the node its edge leads to (or none) and the two keys that last followed it; a key
	 * equal to a predicted one is crossed and looked up by one comparison. */
	struct cs__evkey *keys; /* known keys; entry 0 never matches */
	uint32_t nkeys;
	uint32_t *kfirst;  /* per trie node: the two known keys that came first */
	uint32_t *ktab;    /* hash of the known keys (0: empty) */
	char *kpool;       /* their text, each followed by 8 NUL bytes */
	size_t kpool_used;
	char *buf;         /* the current record, NUL padded to 64-byte blocks */
	uint64_t *marks;   /* per block of buf: its quotes, backslashes,
			    * control and non-ASCII bytes */
	size_t bufcap;
} cs__evread;

/* Prepares r for the paths of p (borrowed).  CS_OK or CS_ENOMEM. */
cs_err cs__evread_init(cs__evread *r, const cs__evpaths *p);
void cs__evread_release(cs__evread *r);

/* Forgets the values of the previous record. */
void cs__evread_clear(cs__evread *r);

/* Reads one record json[0..len) (a leading byte-order mark and white space
 * around the object allowed).  Strings with escapes are decoded into `a`.
 * CS_OK: the values of every field are available (cs__evread_first), or
 * *fallback is set and nothing is (the caller must parse the record fully:
 * a dotted or duplicate key on a referenced path, a path deeper than the
 * tree walk allows, or a root that is not an object).  CS_ESYNTAX,
 * CS_EUTF8, CS_ELIMIT (nesting over 512): malformed, *err_off is the byte
 * offset in json of the problem.  CS_ENOMEM.  The record is copied into
 * r->buf (kept for the next record unless over 4 MiB); the values point
 * into json or `a`, never into r. */
cs_err cs__evread_record(cs__evread *r, cs_arena *a, const char *json, size_t len,
			 bool *fallback, size_t *err_off);

/* Stage-1 implementations (see evread.c), for tests: */
#define CS__EV_PATH_AUTO 0   /* the best this CPU has (the default) */
#define CS__EV_PATH_SCALAR 1 /* portable C */
#define CS__EV_PATH_SSE2 2   /* x86-64 baseline */
#define CS__EV_PATH_AVX2 3

/* Test-only: makes every later cs__evread_record of the process use stage-1
 * implementation `path` (not thread-safe: call before reading).  false,
 * and nothing changed, when this build or CPU does not have it. */
bool cs__evread_force_path(int path);

/* Adds a value for field f to the current record (used when the caller
 * fills the values from a parsed tree instead).  CS_OK or CS_ENOMEM. */
cs_err cs__evread_add(cs__evread *r, uint32_t f, const cs__evval *v);

/* Index in r->vals of the first value of field f, or CS__EV_NONE. */
static inline uint32_t cs__evread_first(const cs__evread *r, uint32_t f)
{
	return r->fgen[f] == r->gen ? r->head[f] : CS__EV_NONE;
}

#endif
