/*
 * iam/account_int.h - libcshare-internal view of the IAM action catalogue
 * and of the account model (principals, policies, credentials, the
 * organization, resource policies) that `can`, `who-can` and `analyze`
 * work on.  Not installed.
 *
 * Ownership: a catalogue owns everything it returns (arena); an account
 * owns its documents, values and strings (one arena) and its parsed
 * policies (freed with it).  Everything is immutable after
 * cs_iam_account_build.
 */
#ifndef CS_IAM_ACCOUNT_INT_H
#define CS_IAM_ACCOUNT_INT_H

#include "cshare/iam.h"
#include "../core/internal.h"

/* ---- catalogue --------------------------------------------------------- */

typedef struct cs__iam_action {
	const char *name;   /* "s3:GetObject" (AWS's case) */
	const char *lname;  /* "s3:getobject" */
	const char *prefix; /* "s3" */
	const char *access; /* "List", "Read", "Write", "Permissions management", "Tagging" */
	const char *rtypes; /* "accesspointobject,object*" or "" */
	const char *ckeys;  /* comma-separated condition keys or "" */
} cs__iam_action;

typedef struct cs__iam_rtype {
	const char *prefix; /* "s3" */
	const char *name;   /* "object" */
	const char *arn;    /* "arn:${Partition}:s3:::${BucketName}/${ObjectName}" */
	const char *ckeys;
} cs__iam_rtype;

/* The action named `name` ("s3:getobject", any case), or NULL. */
const cs__iam_action *cs__iam_catalog_action(const cs_iam_catalog *cat, const char *name);
/* Whether `prefix` is a known service prefix. */
bool cs__iam_catalog_has_service(const cs_iam_catalog *cat, const char *prefix, size_t len);
/* Whether the service supports resource control policies (services.tsv). */
bool cs__iam_catalog_rcp_supported(const cs_iam_catalog *cat, const char *prefix);
/* Calls fn for every action of service `prefix` that lists resource type
 * `type` (required or not); returns the count. */
size_t cs__iam_catalog_actions_for_type(const cs_iam_catalog *cat, const char *prefix,
					const char *type,
					void (*fn)(void *ud, const cs__iam_action *a), void *ud);
/* The resource type an ARN is of, by the ARN formats of resources.tsv, or
 * NULL.  Placeholders (${...}) match one or more characters, without ':'
 * except in the format's last placeholder; when several formats match, the
 * one with the most literal characters wins (bucket/object). */
const cs__iam_rtype *cs__iam_catalog_rtype_of_arn(const cs_iam_catalog *cat, const char *arn);
/* The type of a condition key ("String", "ArrayOfString", ...) or NULL;
 * keys with a variable part (aws:ResourceTag/x) are matched against the
 * catalogue's "${TagKey}" / "<key>" / "tag-key" forms. */
const char *cs__iam_catalog_condition_type(const cs_iam_catalog *cat, const char *key);

/* Case-insensitive wildcard match of an action pattern: `*` any run, `?`
 * one character.  Linear in practice (one backtrack point). */
bool cs__iam_glob_icase(const char *pat, size_t plen, const char *s, size_t slen);

/* ---- the account model ------------------------------------------------- */

/* A policy document with where it came from. */
typedef struct cs__iam_doc {
	const char *name; /* for diagnostics and findings ("role/Admin inline policy P") */
	const char *file;
	uint32_t line, col;  /* of the document (or of the string holding it) */
	const cs_value *doc; /* the document; NULL when it could not be read */
	cs_policy *pol;      /* compiled by cs_iam_account_build; NULL if unusable */
} cs__iam_doc;

/* A managed policy (customer or AWS managed) with its default version. */
typedef struct cs__iam_managed {
	const char *arn, *name, *id, *path;
	bool aws_managed; /* arn:aws:iam::aws:policy/... */
	unsigned attachments;
	cs__iam_doc doc; /* the default version (IsDefaultVersion) */
	cs_policy *bpol; /* the same compiled as a permissions boundary, when used as one */
} cs__iam_managed;

typedef enum cs__iam_pkind {
	CS__IAM_USER = 0,
	CS__IAM_GROUP,
	CS__IAM_ROLE,
} cs__iam_pkind;

/* Tri-state facts of the credential report. */
typedef enum cs__iam_tri {
	CS__TRI_UNKNOWN = 0, /* no report, "no_information", "not_supported" */
	CS__TRI_FALSE,
	CS__TRI_TRUE,
} cs__iam_tri;

/* Dates of the credential report: seconds since 1970 (UTC), or one of: */
#define CS__TIME_NA (-1)      /* "N/A": the thing does not exist */
#define CS__TIME_NOINFO (-2)  /* "no_information": never used, or not recorded */
#define CS__TIME_UNKNOWN (-3) /* column absent, or "not_supported" */

typedef struct cs__iam_key {
	cs__iam_tri active;
	int64_t last_rotated, last_used;
} cs__iam_key;

/* One row of the credential report. */
typedef struct cs__iam_creds {
	const char *user, *arn;
	const char *file;
	uint32_t line;
	bool root; /* the <root_account> row */
	int64_t created;
	cs__iam_tri password_enabled;
	int64_t password_last_used, password_last_changed;
	cs__iam_tri mfa_active;
	cs__iam_key key[2];
	cs__iam_tri cert_active[2];
} cs__iam_creds;

/* A user, group or role with its policies. */
typedef struct cs__iam_principal {
	cs__iam_pkind kind;
	const char *name, *arn, *id, *path;
	const char *file;
	uint32_t line, col;
	cs__iam_doc *inl; /* inline policies */
	size_t ninl;
	const char **attached; /* ARNs of attached managed policies */
	size_t nattached;
	const cs__iam_managed **managed; /* resolved by build (NULL: not in the input) */
	const char **group_names; /* users: their groups */
	size_t ngroups;
	const struct cs__iam_principal **groups; /* resolved by build (NULL: unknown) */
	const char *boundary_arn;               /* or NULL */
	const cs__iam_managed *boundary;        /* resolved by build */
	cs__iam_doc trust;                      /* roles: AssumeRolePolicyDocument */
	bool service_linked;                    /* roles under /aws-service-role/ */
	const char **instance_profiles;         /* roles: instance profile ARNs */
	size_t nprofiles;
	const cs__iam_creds *creds; /* users: their credential report row (build) */
} cs__iam_principal;

/* A node of the organization: a root, an OU or an account. */
typedef struct cs__iam_orgnode {
	const char *id, *name, *parent; /* parent NULL for roots */
	char type;                      /* 'r' root, 'o' OU, 'a' account */
	const char *file;
	uint32_t line, col;
} cs__iam_orgnode;

/* An SCP or RCP with its targets (roots, OUs, accounts). */
typedef struct cs__iam_orgpolicy {
	const char *id, *name;
	bool rcp; /* RESOURCE_CONTROL_POLICY; else SERVICE_CONTROL_POLICY */
	bool aws_managed;
	const char **targets;
	size_t ntargets;
	cs__iam_doc doc;
} cs__iam_orgpolicy;

struct cs_raw;

/* A resource-based policy from the inventory. */
typedef struct cs__iam_respolicy {
	const char *kind;    /* "aws.s3.bucket", "aws.sqs.queue", ... */
	const char *service; /* IAM prefix: s3, kms, sqs, sns, lambda, secretsmanager, ecr */
	const char *name;    /* the resource's name in its input (logical id, address) */
	const char *arn;     /* NULL when the input does not determine it */
	const char *account; /* NULL when not known */
	const struct cs_raw *raw; /* the inventory's raw resource it came from */
	cs__iam_doc doc;          /* doc.doc NULL: the input does not determine it */
} cs__iam_respolicy;

struct cs_iam_account {
	const cs_iam_catalog *cat; /* borrowed; may be NULL */
	cs_diag_sink *diag;        /* borrowed */
	cs_arena *arena;           /* documents, values, strings, records */
	cs_ptrvec files;           /* owned file buffers (char *) values point into */
	const char *account_id;    /* from ARNs, or NULL */
	cs_ptrvec users, groups, roles; /* cs__iam_principal * */
	cs_ptrvec managed;              /* cs__iam_managed * */
	cs_ptrvec creds;                /* cs__iam_creds * */
	cs_ptrvec orgnodes;             /* cs__iam_orgnode * */
	cs_ptrvec orgpolicies;          /* cs__iam_orgpolicy * */
	const char *org_id, *org_master; /* organization id, management account */
	bool have_org;
	cs_ptrvec respolicies; /* cs__iam_respolicy * */
	cs_strmap by_arn;      /* principal ARN -> cs__iam_principal */
	cs_strmap by_policy;   /* managed-policy ARN -> cs__iam_managed */
	cs_strmap by_group;    /* group name -> principal */
	bool built;
	unsigned input_errors;
};

/* Readers (authdetails.c, credreport.c, org.c, respolicy.c).  `data` is
 * owned by the account (kept until it is freed); problems are diagnosed
 * and the rest read.  CS_ENOMEM/CS_ELIMIT, or CS_ESYNTAX/CS_ETYPE after
 * diagnostics when something was skipped. */
cs_err cs__iam_read_authdetails(cs_iam_account *a, const char *file, const cs_value *root);
cs_err cs__iam_read_credreport(cs_iam_account *a, const char *file, const char *data,
			       size_t len);
cs_err cs__iam_read_org(cs_iam_account *a, const char *file, const cs_value *root);
bool cs__iam_is_authdetails(const cs_value *root);
bool cs__iam_is_org(const cs_value *root);

/* Reads a policy document that is a JSON object (CLI output) or a string
 * (raw API output: URL-encoded JSON; or plain JSON text) into d->doc; a
 * string's inner locations are pinned to the string.  Diagnoses a
 * document that is neither and leaves d->doc NULL (returns CS_ESYNTAX). */
cs_err cs__iam_doc_read(cs_iam_account *a, cs__iam_doc *d, const char *file,
			const cs_value *v, const char *name);

/* Diagnoses a problem at value v of `file` (error). */
void cs__iam_diag(cs_iam_account *a, const char *file, const cs_value *v, cs_err code,
		  const char *fmt, ...) CS_PRINTF(5, 6);

/* A string member of an object (NULL if absent or not a string), copied
 * into the account's arena as a C string. */
const char *cs__iam_str(cs_iam_account *a, const cs_value *obj, const char *key);

/* Lookups after build. */
const cs__iam_principal *cs__iam_account_principal(const cs_iam_account *a, const char *arn);
const cs__iam_managed *cs__iam_account_managed(const cs_iam_account *a, const char *arn);
/* The organization path of an account, root first ending at the account:
 * up to `max` nodes in out; returns the number (0 when the account is not
 * in the organization file). */
size_t cs__iam_org_path(const cs_iam_account *a, const char *account,
			const cs__iam_orgnode **out, size_t max);

/* ISO 8601 date-time as AWS writes it (2014-10-20T16:53:01+00:00, Z,
 * fractional seconds) -> seconds since 1970 UTC; false if malformed. */
bool cs__iam_parse_time(cs_str s, int64_t *out);

/* ---- analysis (analyze.c, escalate.c) ------------------------------------ */

/* Builds the policy set AWS would use for rq in the account (see
 * cs_iam_account_can) into ps. */
cs_err cs__iam_account_policyset(const cs_iam_account *a, const cs_iam_request *rq,
				 cs_iam_policyset *ps);
/* Decides `action` on `resource` for a principal of the account (NULL
 * context); CS_IAM_IMPLICIT_DENY on allocation failure (*rc set). */
cs_iam_decision cs__iam_decide(const cs_iam_account *a, const char *principal,
			       const char *action, const char *resource, cs_err *rc);

/* A finding being reported: analyze.c owns the sink. */
typedef struct cs__iam_report {
	void (*fn)(void *ud, const cs_iam_finding *f);
	void *ud;
	size_t count;
} cs__iam_report;
void cs__iam_emit(cs__iam_report *r, const char *id, const char *domain, const char *sev,
		  const char *subject, const char *file, uint32_t line, uint32_t col,
		  const char *fmt, ...) CS_PRINTF(9, 10);

/* Whether the principal (user or role of the account) is admin-equivalent:
 * allowed every probe action of docs/iam.md on "*". */
bool cs__iam_is_admin(const cs_iam_account *a, const cs__iam_principal *p, cs_err *rc);
/* Reports privilege-escalation methods and assume-role chains
 * (escalate.c); `admin` marks the admin-equivalent principals (users then
 * roles, in account order). */
cs_err cs__iam_escalations(const cs_iam_account *a, const bool *admin_users,
			   const bool *admin_roles, cs__iam_report *r);

/* ---- subjects of the analysis (subjects.c), for `cshare audit` ----------- */

/* What a kind of finding is about (docs/checks.md, `subjects:`). */
typedef enum cs__iam_sclass {
	CS__IAM_S_PRINCIPALS = 0, /* users and roles (not service-linked) */
	CS__IAM_S_TRUST,          /* roles' trust policies */
	CS__IAM_S_POLICIES,       /* inline and attached customer managed policies */
	CS__IAM_S_RESOURCE,       /* resource policies from the inventory */
	CS__IAM_S_USER_MFA,       /* IAM users: console password and MFA */
	CS__IAM_S_USER_KEYS,      /* IAM users: access keys */
	CS__IAM_S_ROOT_MFA,       /* the root user: MFA */
	CS__IAM_S_ROOT_KEYS,      /* the root user: access keys */
	CS__IAM_S_N
} cs__iam_sclass;

/* "principals", "trust-policies", ... -> class, or -1. */
int cs__iam_sclass_parse(const char *s);
/* The normalized kind named by a class's checks ("aws.iam.principal"). */
const char *cs__iam_sclass_kind(cs__iam_sclass c);

/* One subject the analysis examined. */
typedef struct cs__iam_subject {
	const char *subject; /* as cs_iam_finding.subject names it */
	const char *name;    /* for reports: the ARN, policy or resource name (valid
				during the callback only) */
	const char *kind;    /* "aws.iam.user", "aws.iam.role", "aws.iam.policy", "aws.s3.bucket" */
	const char *format;  /* the input format it came from */
	const char *type;    /* its type in that input ("User", "AWS::S3::BucketPolicy") */
	const char *arn;     /* or NULL */
	const char *file;
	uint32_t line, col;
	const char *undecided; /* why the analysis cannot decide about it, or NULL */
} cs__iam_subject;

/* Calls fn for every subject of class `c` (after cs_iam_account_build).
 * `undecided` says what the input leaves open: policies missing from the
 * export, an unreadable policy, credential facts the report does not
 * give (`now`: the time ages are measured against).  Stops at the first
 * error fn returns. */
cs_err cs__iam_subjects(const cs_iam_account *a, cs__iam_sclass c, int64_t now,
			cs_err (*fn)(void *ud, const cs__iam_subject *s), void *ud);
/* Sets (or clears, with NULL) the action catalogue after the account was
 * made: the audit loads it only when an account is analysed. */
void cs__iam_account_set_catalog(cs_iam_account *a, const cs_iam_catalog *cat);

#endif
