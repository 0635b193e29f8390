/*
 * cshare/iam.h - AWS authorization: the action catalogue, policies, the
 * evaluator (exactly as AWS documents it) and the account model for
 * `can`, `who-can` and `analyze` (docs/iam.md).
 *
 * Typical use (one request):
 *   cs_iam_catalog_load(&cat, "data/iam", &sink);
 *   cs_policy_parse(&p, CS_POLICY_IDENTITY, "admin.json", text, len, &sink);
 *   cs_iam_policyset_new(&ps);  cs_iam_policyset_add(ps, p, 0);
 *   cs_iam_request_new(&rq);    cs_iam_request_principal(rq, "arn:aws:iam::1:user/a"); ...
 *   d = cs_iam_eval(ps, rq, trace);
 *
 * Policies, policy sets and requests are immutable while evaluated, so one
 * policy set can be evaluated from several threads with their own requests
 * and traces.
 */
#ifndef CSHARE_IAM_H
#define CSHARE_IAM_H

#include "cshare/core.h"
#include "cshare/inventory.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_iam_catalog cs_iam_catalog;
typedef struct cs_policy cs_policy;
typedef struct cs_iam_policyset cs_iam_policyset;
typedef struct cs_iam_request cs_iam_request;
typedef struct cs_iam_trace cs_iam_trace;
typedef struct cs_iam_account cs_iam_account;

/* ---- the action catalogue (data/iam) ---------------------------------- */

/* Loads services.tsv, actions.tsv, resources.tsv and conditions.tsv from
 * `dir`; problems diagnosed with file, line and column. */
CS_API cs_err cs_iam_catalog_load(cs_iam_catalog **out, const char *dir, cs_diag_sink *diag);
CS_API void cs_iam_catalog_free(cs_iam_catalog *cat);
/* Number of known actions. */
CS_API size_t cs_iam_catalog_action_count(const cs_iam_catalog *cat);
/* "s3:GetObject" -> its access level ("Read", ...), or NULL if unknown. */
CS_API const char *cs_iam_catalog_access_level(const cs_iam_catalog *cat, const char *action);
/* Calls fn for every known action ("prefix:Action") matched by an action
 * pattern (`s3:Get*`); returns the count. */
CS_API size_t cs_iam_catalog_expand(const cs_iam_catalog *cat, const char *pattern,
				    void (*fn)(void *ud, const char *action), void *ud);

/* ---- policies --------------------------------------------------------- */

typedef enum cs_policy_kind {
	CS_POLICY_IDENTITY = 0, /* managed or inline identity-based policy */
	CS_POLICY_RESOURCE,     /* resource-based policy (needs Principal) */
	CS_POLICY_TRUST,        /* a role's trust policy (a resource policy on the role) */
	CS_POLICY_BOUNDARY,     /* permissions boundary */
	CS_POLICY_SESSION,      /* session policy */
	CS_POLICY_SCP,          /* service control policy */
	CS_POLICY_RCP,          /* resource control policy */
} cs_policy_kind;

/* Parses a policy document (JSON text).  `name` names it in diagnostics
 * (a file name, or "file.json: role/Admin policy Inline1").  `line0` and
 * `col0` locate the text when it is embedded in a larger file (1, 1
 * otherwise).  Problems are diagnosed in AWS's terms; CS_ESYNTAX or
 * CS_ECHECK if the policy is unusable (then *out is NULL). */
CS_API cs_err cs_policy_parse(cs_policy **out, cs_policy_kind kind, const char *name,
			      const char *json, size_t len, uint32_t line0, uint32_t col0,
			      cs_diag_sink *diag);
/* The same from an already parsed value (CloudFormation PolicyDocument,
 * a Terraform plan's decoded policy), keeping its locations; `file` names
 * the file it came from. */
CS_API cs_err cs_policy_from_value(cs_policy **out, cs_policy_kind kind, const char *name,
				   const char *file, const cs_value *doc, cs_diag_sink *diag);
CS_API void cs_policy_free(cs_policy *p);
CS_API const char *cs_policy_name(const cs_policy *p);
CS_API cs_policy_kind cs_policy_kind_of(const cs_policy *p);

/* ---- one request ------------------------------------------------------ */

CS_API cs_err cs_iam_request_new(cs_iam_request **out);
CS_API void cs_iam_request_free(cs_iam_request *rq);
/* The calling principal: an IAM user, role, assumed-role session, root,
 * federated user ARN, a service principal ("lambda.amazonaws.com") or
 * "*" (anonymous).  Sets aws:PrincipalArn, aws:PrincipalAccount,
 * aws:PrincipalType, aws:userid/aws:username where derivable.  CS_EINVAL
 * for something that is none of these. */
CS_API cs_err cs_iam_request_principal(cs_iam_request *rq, const char *principal);
CS_API cs_err cs_iam_request_action(cs_iam_request *rq, const char *action);
/* The resource ARN (or "*"); its account is taken from the ARN, or given
 * by cs_iam_request_resource_account for ARNs without one (S3). */
CS_API cs_err cs_iam_request_resource(cs_iam_request *rq, const char *arn);
CS_API cs_err cs_iam_request_resource_account(cs_iam_request *rq, const char *account);
/* Adds a value for a context key (repeat for a multi-valued key). */
CS_API cs_err cs_iam_request_context(cs_iam_request *rq, const char *key, const char *value);

/* ---- policy sets and evaluation --------------------------------------- */

typedef enum cs_iam_decision {
	CS_IAM_IMPLICIT_DENY = 0,
	CS_IAM_ALLOW,
	CS_IAM_EXPLICIT_DENY,
} cs_iam_decision;
/* "implicit-deny", "allow", "explicit-deny". */
CS_API const char *cs_iam_decision_name(cs_iam_decision d);

CS_API cs_err cs_iam_policyset_new(cs_iam_policyset **out);
CS_API void cs_iam_policyset_free(cs_iam_policyset *ps);
/* Adds a policy (borrowed: it must outlive the set).  `level` orders SCPs
 * and RCPs from the organization root (0) down to the account; ignored for
 * other kinds.  The resource policy's account is the request's resource
 * account. */
CS_API cs_err cs_iam_policyset_add(cs_iam_policyset *ps, const cs_policy *p, unsigned level);
/* Organization facts for SCPs and RCPs: whether the principal's (resource's)
 * account is an organization member (not the management account).  SCPs
 * and RCPs added to a set apply only when this says so (default: they
 * apply when any is added). */
CS_API void cs_iam_policyset_org(cs_iam_policyset *ps, bool principal_member,
				 bool resource_member);

/* Decides one request.  `trace` (may be NULL) records the explanation. */
CS_API cs_iam_decision cs_iam_eval(const cs_iam_policyset *ps, const cs_iam_request *rq,
				   cs_iam_trace *trace);
CS_API cs_err cs_iam_trace_new(cs_iam_trace **out);
CS_API void cs_iam_trace_free(cs_iam_trace *t);
/* Writes the explanation: text for people, or JSON (json = true). */
CS_API cs_err cs_iam_trace_write(cs_buf *out, const cs_iam_trace *t, bool json);

/* ---- the account model ------------------------------------------------ */

/* An empty account model; the catalogue and `diag` are borrowed. */
CS_API cs_err cs_iam_account_new(cs_iam_account **out, const cs_iam_catalog *cat,
				 cs_diag_sink *diag);
CS_API void cs_iam_account_free(cs_iam_account *a);
/* Reads an input, detected by content: authorization details JSON, a
 * credential report CSV, an organization policies file (docs/iam.md).
 * Problems diagnosed; the rest still read. */
CS_API cs_err cs_iam_account_add_path(cs_iam_account *a, const char *path);
/* Takes the resource policies of an inventory's resources (borrowed: it
 * must outlive the account). */
CS_API cs_err cs_iam_account_add_inventory(cs_iam_account *a, const cs_inventory *inv);
/* Call once after adding inputs. */
CS_API cs_err cs_iam_account_build(cs_iam_account *a);

#ifdef __cplusplus
}
#endif
#endif
