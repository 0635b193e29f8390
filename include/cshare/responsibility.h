/*
 * cshare/responsibility.h - the shared-responsibility model as data
 * (docs/data-files.md), the deployment file (docs/deployment.md), the
 * responsibility matrix, and the framework report (docs/report.md).
 *
 * Typical use:
 *   cs_model_new(&m, &sink);  cs_model_load_dir(m, "data");
 *   cs_deployment_load(&d, m, "dir/cshare.yaml", &sink);
 *   ... build an inventory of d's inputs (cs_deployment_input_*) ...
 *   cs_deployment_resolve(d, inv);
 *   cs_matrix_build(m, d, &mx);      cs_matrix_write(&buf, mx, &opts);
 *   cs_framework_load(m, "hipaa", &fw);
 *   cs_compliance_run(m, d, fw, checks, results, &opts, &rep);
 *   cs_compliance_write(&buf, rep, &wopts);
 */
#ifndef CSHARE_RESPONSIBILITY_H
#define CSHARE_RESPONSIBILITY_H

#include "cshare/audit.h"
#include "cshare/core.h"
#include "cshare/inventory.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_model cs_model;
typedef struct cs_deployment cs_deployment;
typedef struct cs_matrix cs_matrix;
typedef struct cs_framework cs_framework;
typedef struct cs_compliance cs_compliance;

typedef enum cs_owner {
	CS_OWNER_PROVIDER = 0,
	CS_OWNER_CUSTOMER,
	CS_OWNER_SHARED,
	CS_OWNER_NA,
	CS_OWNER_UNKNOWN,
} cs_owner;
/* "provider", "customer", "shared", "na", "unknown". */
CS_API const char *cs_owner_name(cs_owner o);

typedef enum cs_mode {
	CS_MODE_ALWAYS_ON = 0,
	CS_MODE_CONFIGURABLE,
	CS_MODE_INHERITED,
	CS_MODE_NONE,
	CS_MODE_NA,
	CS_MODE_UNKNOWN,
} cs_mode;
/* "always_on", "configurable", "inherited", "none", "na", "unknown". */
CS_API const char *cs_mode_name(cs_mode m);

typedef enum cs_state {
	CS_STATE_ON = 0,
	CS_STATE_OFF,
	CS_STATE_VARIES,
	CS_STATE_NA,
	CS_STATE_UNKNOWN,
} cs_state;
/* "on", "off", "varies", "na", "unknown". */
CS_API const char *cs_state_name(cs_state s);

/* ---- the model (data/) ------------------------------------------------ */

/* Returns an empty model in *out; `diag` is borrowed and must outlive it. */
CS_API cs_err cs_model_new(cs_model **out, cs_diag_sink *diag);
CS_API void cs_model_free(cs_model *m);
/* Loads domains.tsv, responsibility/ and frameworks/frameworks.tsv from a
 * data directory.  Every problem is diagnosed with file, line and column
 * and the rest is loaded; returns CS_ECHECK if any record was bad, CS_ENOENT
 * or CS_EIO if a file could not be read. */
CS_API cs_err cs_model_load_dir(cs_model *m, const char *datadir);
/* The report's date (YYYY-MM-DD) for staleness; default: today (UTC). */
CS_API cs_err cs_model_set_as_of(cs_model *m, const char *date);

/* ---- the deployment file ---------------------------------------------- */

/* Reads a cshare.yaml (docs/deployment.md) against the model (which must
 * outlive it).  Problems are diagnosed with file, line and column; returns
 * CS_ECHECK if the file had errors (the valid parts are kept), CS_ENOENT /
 * CS_EIO / CS_ESYNTAX when it could not be read at all. */
CS_API cs_err cs_deployment_load(cs_deployment **out, cs_model *m, const char *path,
				 cs_diag_sink *diag);
/* A deployment with no file: inputs are `dir`, nothing assumed. */
CS_API cs_err cs_deployment_new_dir(cs_deployment **out, cs_model *m, const char *dir,
				    cs_diag_sink *diag);
CS_API void cs_deployment_free(cs_deployment *d);
CS_API const char *cs_deployment_name(const cs_deployment *d);
/* The inputs to read, as paths usable from the current directory. */
CS_API size_t cs_deployment_input_count(const cs_deployment *d);
CS_API const char *cs_deployment_input(const cs_deployment *d, size_t i);
/* Frameworks named in the file (ids). */
CS_API size_t cs_deployment_framework_count(const cs_deployment *d);
CS_API const char *cs_deployment_framework(const cs_deployment *d, size_t i);
/* Adds the services of the inventory's resources and places data classes
 * on resources.  The inventory must outlive the deployment. */
CS_API cs_err cs_deployment_resolve(cs_deployment *d, const cs_inventory *inv);

/* ---- the matrix ------------------------------------------------------- */

typedef enum cs_matrix_format {
	CS_MX_TEXT = 0,
	CS_MX_MARKDOWN,
	CS_MX_CSV,
	CS_MX_JSON,
	CS_MX_HTML,
} cs_matrix_format;
/* "text", "markdown" (or "md"), "csv", "json", "html"; -1 otherwise. */
CS_API int cs_matrix_format_parse(const char *s);

/* Per service used × domain: owner, mode, default state, duty, source. */
CS_API cs_err cs_matrix_build(const cs_model *m, const cs_deployment *d, cs_matrix **out);
CS_API void cs_matrix_free(cs_matrix *mx);
typedef struct cs_matrix_opts {
	cs_matrix_format format;
	bool color;
	const char *version; /* tool version */
} cs_matrix_opts;
CS_API cs_err cs_matrix_write(cs_buf *out, const cs_matrix *mx, const cs_matrix_opts *o);
/* `--explain SERVICE DOMAIN`: the fact behind one cell, how it was found
 * (service row, model default, provider default or nothing) and its source.
 * CS_ENOENT if the service or domain is unknown (diagnosed). */
CS_API cs_err cs_model_explain(cs_buf *out, const cs_model *m, const char *service,
			       const char *domain, cs_diag_sink *diag);

/* ---- frameworks and the report ---------------------------------------- */

/* Loads a framework by id (data/frameworks/frameworks.tsv): its catalogue
 * (TSV or OSCAL) and baseline profile.  Diagnosed problems; CS_ENOENT if
 * there is no such framework. */
CS_API cs_err cs_framework_load(const cs_model *m, const char *id, cs_framework **out);
CS_API void cs_framework_free(cs_framework *fw);
CS_API size_t cs_framework_count(const cs_model *m);
CS_API const char *cs_framework_id(const cs_model *m, size_t i);
CS_API const char *cs_framework_title(const cs_model *m, size_t i);

typedef enum cs_req_status {
	CS_REQ_MET = 0,
	CS_REQ_GAP,
	CS_REQ_MANUAL,
	CS_REQ_UNKNOWN,
} cs_req_status;
/* "met", "gap", "manual", "unknown". */
CS_API const char *cs_req_status_name(cs_req_status s);

/* Joins the model, the deployment (resolved), a framework, the checks and
 * the audit results into per-requirement owners, evidence, status and
 * named gaps (docs/report.md).  Everything passed must outlive *out. */
CS_API cs_err cs_compliance_run(const cs_model *m, const cs_deployment *d,
				const cs_framework *fw, const cs_checkset *checks,
				const cs_results *results, cs_compliance **out);
CS_API void cs_compliance_free(cs_compliance *c);
CS_API size_t cs_compliance_tally(const cs_compliance *c, cs_req_status s);
CS_API size_t cs_compliance_gap_count(const cs_compliance *c);

typedef enum cs_compliance_format {
	CS_CF_TEXT = 0,
	CS_CF_MARKDOWN,
	CS_CF_JSON,
	CS_CF_HTML,
	CS_CF_OSCAL,
} cs_compliance_format;
/* "text", "markdown" (or "md"), "json", "html", "oscal"; -1 otherwise. */
CS_API int cs_compliance_format_parse(const char *s);
typedef struct cs_compliance_opts {
	cs_compliance_format format;
	bool color;
	bool all;            /* text/markdown: list met requirements too */
	const char *version; /* tool version */
} cs_compliance_opts;
CS_API cs_err cs_compliance_write(cs_buf *out, const cs_compliance *c,
				  const cs_compliance_opts *o);

#ifdef __cplusplus
}
#endif
#endif
