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

#endif
