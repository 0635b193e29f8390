/*
 * ingest/cfn_internal.h - what the CloudFormation adapter's files share:
 * the per-template context, the three-valued condition result and the
 * evaluator entry points.  Not installed.
 */
#ifndef CS_INGEST_CFN_INTERNAL_H
#define CS_INGEST_CFN_INTERNAL_H

#include "raw.h"

/* Bounds on one template's evaluation: recursion depth (values nested in
 * intrinsics, chains of conditions) and total work (nodes visited). */
#define CFN_MAX_DEPTH 200u
#define CFN_MAX_WORK ((size_t)8 * 1000 * 1000)
/* Largest string an intrinsic may build (Fn::Sub, Fn::Join, Fn::Base64). */
#define CFN_MAX_STRING ((size_t)4 << 20)

typedef enum cfn_tri { CFN_FALSE = 0, CFN_TRUE = 1, CFN_UNKNOWN = 2 } cfn_tri;

/* Member lookup by key in one template section (last duplicate wins),
 * by hashing, so hostile templates with many names stay linear. */
typedef struct cfn_index {
	const cs_value *obj; /* the section (an object), or NULL */
	size_t *h;           /* open addressing: member index + 1, 0 = empty */
	size_t cap;          /* power of two, or 0 */
} cfn_index;

typedef struct cfn {
	cs_ingest *in;
	cs_arena *a;
	cs_diag_sink *diag;
	const char *file; /* arena copy */
	const cs_value *mappings;
	cfn_index params, conds, res;
	const cs_value **pval; /* memo: resolved parameter values by member index */
	uint8_t *cstate;       /* conditions: 0 new, 1 being evaluated, 2 done */
	uint8_t *cval;         /* conditions: cfn_tri once done */
	bool has_transform;    /* Ref/GetAtt to undefined names are expected */
	unsigned depth;
	size_t work;
	cs_err err; /* CS_ENOMEM or CS_ELIMIT: stop */
} cfn;

/* The "no value" result of Ref AWS::NoValue: a property or list element
 * resolving to it is removed. */
extern const cs_value cs__cfn_novalue;
#define CFN_NOVALUE (&cs__cfn_novalue)

/* Index of `key` in the indexed section, or SIZE_MAX. */
size_t cs__cfn_index_find(const cfn_index *ix, const char *key, size_t klen);

/* Resolves the intrinsic functions in v (copy on write: unchanged subtrees
 * are shared).  Returns the value, CFN_NOVALUE, or NULL when cx->err is set
 * (out of memory, over a limit). */
const cs_value *cs__cfn_resolve(cfn *cx, const cs_value *v);
/* Evaluates a condition by name (memoized; cycles are diagnosed and give
 * CFN_UNKNOWN).  `at` locates diagnostics. */
cfn_tri cs__cfn_cond_named(cfn *cx, cs_str name, const cs_value *at);
/* The value of parameter number `idx` of the Parameters section: its
 * Default coerced to its Type, or an unknown saying why not (memoized, not
 * located).  NULL when cx->err is set. */
const cs_value *cs__cfn_param_value(cfn *cx, size_t idx);

/* Parses "a.b.c.d/n" or an IPv6 block ("2001:db8::/56") into 16 bytes
 * (IPv4 in the last 4), its prefix length and whether it is IPv6.  False
 * when the text is not such a block. */
bool cs__cfn_parse_cidr(cs_str s, unsigned char ip[16], unsigned *prefix, bool *v6);
/* Writes an IPv6 address as RFC 5952 text (at most 40 bytes with NUL). */
void cs__cfn_ipv6_text(const unsigned char ip[16], char *out, size_t cap);

/* Diagnostics located at a value. */
void cs__cfn_diag(cfn *cx, cs_severity sev, const cs_value *at, const char *fmt, ...)
	CS_PRINTF(4, 5);
/* An unknown value located at `at` with a formatted reason; NULL on
 * allocation failure (cx->err set). */
const cs_value *cs__cfn_unknown(cfn *cx, const cs_value *at, const char *fmt, ...)
	CS_PRINTF(3, 4);
/* Records an allocation failure of the arena in cx->err; returns NULL. */
const cs_value *cs__cfn_oom(cfn *cx, const cs_value *at);

#endif
