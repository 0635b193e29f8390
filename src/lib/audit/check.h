/*
 * audit/check.h - the internal form of posture checks (docs/checks.md):
 * the condition tree, the evaluator and the results of an audit run.
 */
#ifndef CS_AUDIT_CHECK_H
#define CS_AUDIT_CHECK_H

#include <regex.h>

#include "cshare/audit.h"
#include "../core/spec.h"
#include "../ingest/model.h"

typedef enum { C_TEST, C_ALL, C_ANY, C_NOT, C_EACH } cs_cond_kind;
typedef enum { Q_ALL, Q_ANY, Q_NONE } cs_quant;
typedef enum {
	OP_EQ,
	OP_EQ_CASED,
	OP_NE,
	OP_IN,
	OP_NOT_IN,
	OP_EXISTS,
	OP_GT,
	OP_GTE,
	OP_LT,
	OP_LTE,
	OP_CONTAINS,
	OP_MATCHES,
	OP_EMPTY,
	OP_CIDR_OPEN,
} cs_op;

typedef struct cs_cond {
	cs_cond_kind kind;
	cs_quant q;
	cs_op op;
	cs_path *attr;        /* C_TEST, C_EACH */
	const cs_value *arg;  /* the operand */
	bool flag;            /* exists / empty / cidr_open: true or false */
	regex_t *re;          /* OP_MATCHES */
	struct cs_cond **kids; /* C_ALL, C_ANY */
	size_t n;
	struct cs_cond *body; /* C_NOT, C_EACH */
	uint32_t line, col;
} cs_cond;

typedef struct cs_fw {
	const char *name;
	const char **ids;
	size_t n;
} cs_fw;

struct cs_check {
	const char *id, *title, *kind, *domain, *owner, *rationale, *remediation;
	const char *message, *file, *source;
	uint32_t line;
	cs_level level;
	cs_fw *fw;
	size_t nfw;
	const char **refs;
	size_t nrefs;
	cs_cond *when, *assert_;
	/* `source: iam-analysis` checks (docs/checks.md): the finding ids or
	 * prefixes (ending in '*') that fail a subject, and the subjects'
	 * class (cs__iam_sclass); iam_class is -1 for attribute checks */
	int iam_class;
	const char **iam_findings;
	size_t niam_findings;
	const cs_map_kind *mk; /* set by validate */
	unsigned rank;         /* position in the id-sorted set, set by validate */
	bool invalid;
};

struct cs_checkset {
	cs_arena *a;
	cs_diag_sink *diag;
	const char *iam_catalog; /* data/iam, for iam-analysis checks; or NULL */
	int64_t iam_now;         /* 0: the time of the run */
	cs_ptrvec checks; /* cs_check*, sorted by id after load */
	cs_ptrvec regexes; /* regex_t* to regfree */
};

typedef enum { T_FALSE = 0, T_TRUE = 1, T_UNK = 2 } cs_tri;

/* What decided a result. */
typedef struct cs_evidence {
	const cs_cond *cond;   /* the deciding test (or NULL) */
	const cs_value *val;   /* the attribute's value, NULL when absent */
	const char *each_path; /* innermost quantified list, or NULL */
	size_t each_index;
} cs_evidence;

/* Evaluates a condition on a resource's attributes. */
cs_tri cs__cond_eval(const cs_cond *c, const cs_value *root, cs_arena *scratch, cs_evidence *ev);

typedef struct cs_result {
	const cs_check *check;
	const cs_resource *res;
	cs_verdict verdict;
	cs_evidence ev;       /* what decided it */
	/* Made from ev on demand by cs__result_describe (only for results that
	 * are reported): */
	const char *evidence; /* human-readable: "sse_algorithm = \"AES256\" (provider default)" */
	const char *attr;     /* attribute path that decided it, or NULL */
	const char *message;
	const char *file;
	uint32_t line, col;
	char fp[17];            /* fingerprint, hex */
	const char *suppressed; /* reason, or NULL */
	const char *suppressed_by; /* "inline" or "baseline" */
} cs_result;

/* One piece of a check's message: literal text, then (when has_attr) the
 * value of an {attr} (path NULL when the name does not parse). */
typedef struct cs_msg_seg {
	const char *text;
	size_t len;
	bool has_attr;
	cs_path *path;
} cs_msg_seg;

struct cs_results {
	cs_arena *a;
	cs_result *v;
	size_t n, cap;
	size_t tally[3];
	size_t nsupp;
	size_t nresources, nchecks;
	/* for cs__result_describe: scratch buffers reused from result to
	 * result, and the message of the last check described, split */
	cs_buf text, val;
	const cs_check *msg_check;
	cs_msg_seg *segs;
	size_t nsegs;
	/* the fingerprint's hash over check id and kind, for fp_check/fp_kind */
	const cs_check *fp_check;
	const char *fp_kind;
	uint64_t fp_h;
};

/* Fills in x's evidence, attr and message (once). */
void cs__result_describe(cs_results *r, cs_result *x);

/* Appends a result (copied) to r. */
cs_err cs__results_push(cs_results *r, const cs_result *x);
/* Marks x suppressed when the baseline `base` (fingerprint set, may be
 * empty) or an inline comment says so, and counts it. */
void cs__result_settle(cs_results *r, cs_result *x, const cs_strmap *base);

/* Runs the `source: iam-analysis` checks in `run` (cs_check*) over the
 * inventory's IAM account, when it has one (iam_checks.c). */
cs_err cs__audit_iam(const cs_checkset *cs, const cs_inventory *inv, const cs_ptrvec *run,
		     const cs_strmap *base, cs_diag_sink *diag, cs_results *r);

#endif
