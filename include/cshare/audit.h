/*
 * cshare/audit.h - posture checks (docs/checks.md) and running them over an
 * inventory of normalized resources.
 */
#ifndef CSHARE_AUDIT_H
#define CSHARE_AUDIT_H

#include "cshare/core.h"
#include "cshare/inventory.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_checkset cs_checkset;
typedef struct cs_check cs_check;
typedef struct cs_results cs_results;

typedef enum cs_level {
	CS_LEVEL_INFO = 0,
	CS_LEVEL_LOW,
	CS_LEVEL_MEDIUM,
	CS_LEVEL_HIGH,
	CS_LEVEL_CRITICAL,
} cs_level;

/* "info" ... "critical"; -1 for anything else. */
CS_API int cs_level_parse(const char *s);
CS_API const char *cs_level_name(cs_level l);

typedef enum cs_verdict {
	CS_PASS = 0,
	CS_FAIL = 1,
	CS_UNKNOWN = 2,
} cs_verdict;
CS_API const char *cs_verdict_name(cs_verdict v);

/* Returns an empty check set in *out; `diag` is borrowed. */
CS_API cs_err cs_checkset_new(cs_checkset **out, cs_diag_sink *diag);
CS_API void cs_checkset_free(cs_checkset *cs);
/* Loads every *.yaml check under dir (recursively).  A check with the id
 * of one already loaded replaces it (user checks override shipped ones).
 * Invalid checks are diagnosed and skipped; returns CS_ECHECK then. */
CS_API cs_err cs_checkset_load_dir(cs_checkset *cs, const char *dir);
/* Checks every check against the inventory's kinds and their attribute
 * schemas (a typo in an attribute name is an error, the check skipped).
 * Returns CS_ECHECK if any check was invalid. */
CS_API cs_err cs_checkset_validate(cs_checkset *cs, const cs_inventory *inv);
CS_API size_t cs_checkset_count(const cs_checkset *cs);
/* Checks in id order. */
CS_API const cs_check *cs_checkset_at(const cs_checkset *cs, size_t i);
CS_API const cs_check *cs_checkset_find(const cs_checkset *cs, const char *id);

CS_API const char *cs_check_id(const cs_check *c);
CS_API const char *cs_check_title(const cs_check *c);
CS_API const char *cs_check_kind(const cs_check *c);
CS_API cs_level cs_check_level(const cs_check *c);
CS_API const char *cs_check_domain(const cs_check *c);
CS_API const char *cs_check_owner(const cs_check *c);
CS_API const char *cs_check_rationale(const cs_check *c);
CS_API const char *cs_check_remediation(const cs_check *c);
CS_API const char *cs_check_file(const cs_check *c);
/* Frameworks: count, name of the i-th, and its control ids. */
CS_API size_t cs_check_framework_count(const cs_check *c);
CS_API const char *cs_check_framework(const cs_check *c, size_t i, size_t *ncontrols);
CS_API const char *cs_check_control(const cs_check *c, size_t fw, size_t j);
/* The input formats the check's kind comes from (after validation). */
CS_API size_t cs_check_format_count(const cs_check *c);
CS_API const char *cs_check_format(const cs_check *c, size_t i);
CS_API size_t cs_check_reference_count(const cs_check *c);
CS_API const char *cs_check_reference(const cs_check *c, size_t i);
/* The check's source text (the YAML as written), for `checks show`. */
CS_API const char *cs_check_source(const cs_check *c);

/* Checks with `source: iam-analysis` (docs/checks.md) judge the IAM
 * exports of the inventory through the IAM analysis: `catalog_dir` is the
 * action catalogue (data/iam; NULL: none, then NotAction patterns are not
 * checked against it), `now` the time credential ages are measured
 * against (seconds since 1970; 0: the time of the run). */
CS_API void cs_checkset_set_iam(cs_checkset *cs, const char *catalog_dir, int64_t now);

typedef struct cs_audit_opts {
	cs_level min_level;      /* results below are dropped */
	const char *const *only; /* NULL-terminated check ids (or id prefixes
	                            ending in '*') to run; NULL = all */
	const char *const *skip; /* ids/prefixes not to run */
	const char *baseline;    /* baseline file to apply, or NULL */
} cs_audit_opts;

/* Runs every applicable check over every resource.  The checks and the
 * inventory must outlive the results.  Baseline problems are diagnosed
 * (CS_EIO / CS_ESYNTAX returned, results still produced). */
CS_API cs_err cs_audit_run(const cs_checkset *cs, const cs_inventory *inv,
			   const cs_audit_opts *opts, cs_diag_sink *diag, cs_results **out);
CS_API void cs_results_free(cs_results *r);
CS_API size_t cs_results_count(const cs_results *r);
/* Counts of unsuppressed results by verdict. */
CS_API size_t cs_results_tally(const cs_results *r, cs_verdict v);
CS_API size_t cs_results_suppressed(const cs_results *r);
/* Appends a baseline (docs/formats.md): the fingerprints of the fail and
 * unknown results that are not suppressed inline. */
CS_API cs_err cs_results_baseline(cs_results *r, cs_buf *out);

#ifdef __cplusplus
}
#endif
#endif
