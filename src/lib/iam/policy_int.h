/*
 * iam/policy_int.h - the compiled form of AWS policies, requests, policy
 * sets and traces, shared by policy.c (parser), match.c (action, ARN and
 * principal matching), cond.c (condition operators), request.c, eval.c and
 * trace.c.  Not installed.
 *
 * Invariants: a compiled policy lives in its own arena and never changes
 * after cs_policy_parse returns; every string in it is NUL-terminated and
 * owned by that arena.  Action patterns and condition keys are lower-case.
 */
#ifndef CS_IAM_POLICY_INT_H
#define CS_IAM_POLICY_INT_H

#include "cshare/iam.h"
#include "core/internal.h"

/* ---- patterns (Action, Resource, condition values) ---------------------- */

enum {
	CS_PAT_EXACT = 0, /* no wildcard, no variable: a byte comparison */
	CS_PAT_ANY,       /* "*" */
	CS_PAT_PREFIX,    /* text followed by one final '*' */
	CS_PAT_GLOB,      /* other uses of * and ? */
};

typedef struct cs_pat {
	const char *s; /* NUL-terminated; lower-case for actions */
	uint32_t len;
	uint8_t kind;    /* CS_PAT_* (after variables are substituted: GLOB) */
	bool has_var;    /* contains ${...} (only with Version 2012-10-17) */
	uint32_t line, col;
} cs_pat;

/* ---- principals --------------------------------------------------------- */

enum {
	CS_PR_ANY = 0,   /* "*" or {"AWS": "*"} */
	CS_PR_ACCOUNT,   /* "123456789012" or arn:...:iam::123456789012:root */
	CS_PR_ARN,       /* a user, role, assumed-role session or federated user */
	CS_PR_SERVICE,   /* {"Service": "lambda.amazonaws.com"} */
	CS_PR_FEDERATED, /* {"Federated": "cognito-identity.amazonaws.com" | SAML ARN} */
	CS_PR_CANONICAL, /* {"CanonicalUser": "..."} */
};

typedef struct cs_princ {
	uint8_t kind;
	const char *s; /* account id, ARN, service or provider name */
	uint32_t len;
	uint32_t line, col;
} cs_princ;

/* ---- conditions --------------------------------------------------------- */

/* Operator families.  Negated operators carry CS_COND_NEG. */
typedef enum cs_cop {
	CS_COP_STR_EQ = 0, /* StringEquals / StringNotEquals */
	CS_COP_STR_EQ_IC,  /* StringEqualsIgnoreCase / StringNotEqualsIgnoreCase */
	CS_COP_STR_LIKE,   /* StringLike / StringNotLike */
	CS_COP_NUM_EQ,
	CS_COP_NUM_LT,
	CS_COP_NUM_LE,
	CS_COP_NUM_GT,
	CS_COP_NUM_GE,
	CS_COP_DATE_EQ,
	CS_COP_DATE_LT,
	CS_COP_DATE_LE,
	CS_COP_DATE_GT,
	CS_COP_DATE_GE,
	CS_COP_BOOL,
	CS_COP_BINARY,
	CS_COP_IP,   /* IpAddress / NotIpAddress */
	CS_COP_ARN,  /* ArnEquals, ArnLike / ArnNotEquals, ArnNotLike */
	CS_COP_NULL,
} cs_cop;

enum { CS_SET_NONE = 0, CS_SET_ANY, CS_SET_ALL };

typedef struct cs_cval {
	cs_pat p;          /* the value's text (variables kept for substitution) */
	double num;        /* Numeric */
	int64_t ms;        /* Date: milliseconds since the epoch, UTC */
	uint8_t ip[16];    /* IpAddress: network address (IPv4 in ip[0..3]) */
	uint8_t bits;      /* prefix length */
	bool v6;
	bool b;            /* Bool and Null: the value is "true" */
	uint8_t *bin;      /* BinaryEquals: decoded bytes */
	size_t binlen;
} cs_cval;

typedef struct cs_cond {
	uint8_t op;      /* cs_cop */
	uint8_t set;     /* CS_SET_* */
	bool neg;        /* a negated operator (StringNotEquals, ...) */
	bool ifexists;   /* ...IfExists */
	const char *opname; /* as written */
	const char *key;    /* lower-case */
	uint32_t keylen;
	uint64_t keyhash;   /* cs__hash64 of key */
	cs_cval *v;
	size_t nv;
	uint32_t line, col;
} cs_cond;

/* ---- statements and policies ------------------------------------------- */

typedef struct cs_stmt {
	unsigned index; /* 1-based position in the policy */
	const char *sid; /* or NULL */
	bool allow;
	bool has_principal, not_principal;
	cs_princ *pr;
	size_t npr;
	bool not_action;
	cs_pat *act;
	size_t nact;
	bool has_resource, not_resource;
	cs_pat *res;
	size_t nres;
	cs_cond *cond;
	size_t ncond;
	uint32_t line, col;
	/* A filter on the request's service: when !svc_any, the statement can
	 * only match actions whose service prefix has its bit in svc_bloom. */
	uint64_t svc_bloom;
	bool svc_any;
} cs_stmt;

struct cs_policy {
	cs_arena *arena;
	cs_policy_kind kind;
	const char *name;
	const char *file;
	bool v2012; /* Version 2012-10-17: policy variables are substituted */
	cs_stmt *st;
	size_t nst;
	uint64_t svc_bloom; /* union of the statements' service filters */
	bool svc_any;
};

/* ---- requests ----------------------------------------------------------- */

enum {
	CS_RQP_NONE = 0,
	CS_RQP_USER,
	CS_RQP_ROLE,       /* a role ARN used as the caller: treated as its session */
	CS_RQP_SESSION,    /* arn:aws:sts::A:assumed-role/R/S */
	CS_RQP_FEDERATED,  /* arn:aws:sts::A:federated-user/N (GetFederationToken) */
	CS_RQP_ROOT,
	CS_RQP_SERVICE,
	CS_RQP_ANONYMOUS,
};

/* A context value parsed once for the typed operators. */
typedef struct cs_ctxmeta {
	size_t len;
	double num;
	int64_t ms;
	bool num_ok, ms_ok;
} cs_ctxmeta;

typedef struct cs_ctxkey {
	char *key; /* lower-case */
	size_t klen;
	uint64_t hash; /* cs__hash64 of key */
	char **v;
	cs_ctxmeta *meta; /* parallel to v */
	size_t nv, cap;
	bool derived; /* set from the principal or resource; explicit values replace it */
} cs_ctxkey;

struct cs_iam_request {
	cs_arena *arena;
	uint8_t pkind;
	const char *principal;  /* as given */
	const char *account;    /* the principal's account, or NULL */
	const char *role_arn;   /* sessions: arn:P:iam::A:role/Name */
	bool slr;               /* a service-linked role (path /aws-service-role/) */
	const char *action;     /* lower-case */
	size_t action_len;
	uint64_t svc_bit;       /* cs__iam_svc_bit of the action's service */
	const char *resource;
	size_t resource_len;
	bool kms_key; /* the resource is a KMS key (arn:...:kms:...:key/...) */
	const char *res_account; /* explicit or from the ARN, or NULL */
	bool res_account_explicit;
	cs_ctxkey *ctx;
	size_t nctx, capctx;
};

/* Values of a context key (key in any case), or NULL / *n = 0 if absent. */
char *const *cs__iam_ctx_get(const cs_iam_request *rq, const char *key, size_t klen,
			     size_t *n);
/* The same for a lower-case key with its cs__hash64. */
char *const *cs__iam_ctx_get_h(const cs_iam_request *rq, const char *key, size_t klen,
			       uint64_t hash, size_t *n);
/* The entry of a lower-case key with its hash, or NULL. */
const cs_ctxkey *cs__iam_ctx_key(const cs_iam_request *rq, const char *key, size_t klen,
				 uint64_t hash);
/* A number as the Numeric operators read it (decimal, optional exponent). */
bool cs__iam_parse_num(const char *s, size_t len, double *out);
/* The bloom bit of a lower-case service prefix ("s3"). */
uint64_t cs__iam_svc_bit(const char *svc, size_t len);
/* The account that owns the requested resource: explicit, from the ARN, or
 * (for ARNs without an account, such as S3) the principal's. */
const char *cs__iam_resource_account(const cs_iam_request *rq);

/* ---- matching (match.c) ------------------------------------------------- */

/* Glob match of s against pattern p: '*' any run (also empty), '?' one
 * byte; case-sensitive unless icase (ASCII). */
bool cs__iam_glob(const char *p, size_t plen, const char *s, size_t slen, bool icase);
/* AWS's ARN matching (IAM User Guide, "IAM JSON policy elements: Resource",
 * wildcards in resource ARNs): the first five colon-separated segments are
 * matched one by one, wildcards staying inside their segment, except that a
 * '*' that ends the pattern's last segment also matches beyond colons; the
 * resource part (sixth segment) may contain colons and slashes. */
bool cs__iam_arn_match(const char *p, size_t plen, const char *s, size_t slen);
/* The same with per-byte literal marks (lit may be NULL). */
bool cs__iam_arn_match_lit(const char *p, const unsigned char *lit, size_t plen, const char *s,
			   size_t slen);
/* Expands the policy variables of a pattern into buf (cap bytes) with the
 * request context (IAM User Guide, "IAM policy elements: Variables and
 * tags"): ${key}, ${key, 'default'}, and ${*} ${?} ${$} for the literal
 * characters.  Every byte that comes from a variable is marked literal in
 * `lit` (one byte per output byte): a '*' in a tag value is not a wildcard.
 * Returns the length, or -1 when a variable has no single value and no
 * default (then the pattern matches nothing) or the result does not fit. */
long cs__iam_subst(const cs_pat *p, const cs_iam_request *rq, char *buf, size_t cap,
		   unsigned char *lit);
/* Glob with per-byte literal marks (from cs__iam_subst): a marked '*'/'?'
 * only matches itself. */
bool cs__iam_glob_lit(const char *p, const unsigned char *lit, size_t plen, const char *s,
		      size_t slen, bool icase);
/* Statement element tests (principal: see eval.c for how a match counts). */
bool cs__iam_action_match(const cs_stmt *st, const cs_iam_request *rq);
bool cs__iam_resource_match(const cs_stmt *st, const cs_policy *p, const cs_iam_request *rq);

/* How a Principal entry matched the request's principal. */
enum {
	CS_PM_NONE = 0,
	CS_PM_ACCOUNT, /* the principal's account (delegation to its identity policies) */
	CS_PM_ROLE,    /* the role of a session */
	CS_PM_EXACT,   /* the user, session, federated user, root or service itself */
	CS_PM_ANY,     /* "*" */
};
/* The strongest way an entry of st's Principal names the request's
 * principal (CS_PM_*); with NotPrincipal, see cs__iam_notprincipal_applies. */
int cs__iam_principal_match(const cs_stmt *st, const cs_iam_request *rq);
/* Whether a NotPrincipal statement applies to the request's principal
 * (it is not excluded), given whether the principal has a boundary. */
bool cs__iam_notprincipal_applies(const cs_stmt *st, const cs_iam_request *rq,
				  bool has_boundary);

/* ---- conditions (cond.c) ------------------------------------------------ */

/* Evaluates one condition (one operator and key with its values). */
bool cs__iam_cond_eval(const cs_cond *c, const cs_policy *p, const cs_iam_request *rq);
/* Looks up an operator name ("ForAnyValue:StringLikeIfExists"); false if
 * unknown. */
bool cs__iam_cop_parse(const char *name, size_t len, cs_cond *out);
/* Parses one policy value for the operator into v (text already set);
 * returns NULL or a static message in AWS's terms. */
const char *cs__iam_cval_compile(cs_cond *c, cs_cval *v, cs_arena *a);
/* Dates: ISO 8601 or epoch seconds -> ms since the epoch. */
bool cs__iam_parse_date(const char *s, size_t len, int64_t *ms);
/* IP address or CIDR -> address, prefix length, family. */
bool cs__iam_parse_cidr(const char *s, size_t len, bool allow_prefix, uint8_t ip[16],
			uint8_t *bits, bool *v6);

/* ---- policy sets and traces -------------------------------------------- */

typedef struct cs_psent {
	const cs_policy *p;
	unsigned level;
} cs_psent;

struct cs_iam_policyset {
	cs_psent *v;
	size_t n, cap;
	bool org_given, principal_member, resource_member;
};

/* A statement's outcome in a trace. */
typedef struct cs_trstmt {
	const cs_policy *p;
	unsigned level;
	const cs_stmt *st;
	int8_t principal; /* -1 not applicable, 0 no, 1 yes */
	bool action, resource;
	int failed_cond; /* index of the first condition that failed, -1 none */
	bool applies;
} cs_trstmt;

struct cs_iam_trace {
	cs_trstmt *s;
	size_t n, cap;
	cs_iam_decision decision;
	char why[512]; /* the rule that decided, in words */
	const cs_iam_request *rq;
};

cs_err cs__iam_trace_add(cs_iam_trace *t, const cs_trstmt *s);
const char *cs__iam_kind_name(cs_policy_kind k);

#endif
