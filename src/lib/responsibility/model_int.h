/*
 * responsibility/model_int.h - the inside of cs_model, shared by the files of
 * this part only (model.c: lifecycle and lookups; datafiles.c: the loaders;
 * idents.c: the service identifier patterns).  The compliance part uses the
 * accessors of model.h, never these fields.
 */
#ifndef CS_RESPONSIBILITY_MODEL_INT_H
#define CS_RESPONSIBILITY_MODEL_INT_H

#include "model.h"

/* One `prefix:pattern` of a service's identifiers (services.tsv). */
typedef struct cs__ident {
	const char *prefix;  /* "cfn", "tf", ... */
	const char *pattern; /* without the trailing '*' */
	size_t plen;
	bool star; /* the pattern ended in '*': matches any rest */
	const cs__service *service;
} cs__ident;

/* An attestation row with service `*` and its provider. */
typedef struct cs__star {
	const char *provider;
	const cs__attestation *a;
} cs__star;

struct cs_model {
	cs_arena *a;
	cs_diag_sink *diag; /* borrowed */
	const char *datadir;
	char as_of[11];
	cs_ptrvec domains, sources, services, owns, atts, fwdefs, idents, stars;
	cs_strmap dom_by_id, src_by_id, svc_by_id, own_by_key, att_by_svc, fw_by_id,
		ident_by_text, att_keys;
	bool finished;     /* implied attestations made */
	size_t stars_done; /* `*` rows whose implied attestations exist */
};

/* The data files of the model, for loading one from memory. */
typedef enum cs__datafile {
	CS_DF_DOMAINS = 0,
	CS_DF_SOURCES,
	CS_DF_SERVICES,
	CS_DF_OWNERSHIP,
	CS_DF_ATTESTATIONS,
	CS_DF_FRAMEWORKS,
} cs__datafile;

/* Loads one data file of the given kind from `path`, or from `text` (len
 * bytes, copied) when text is not NULL, in which case `path` only names it.
 * Files a kind refers to must have been loaded before (domains, sources,
 * services, then the rest).  Every problem is diagnosed; returns CS_ECHECK
 * if any record was bad, CS_ENOENT/CS_EIO/CS_ELIMIT if it was not read,
 * CS_ENOMEM. */
cs_err cs__model_load_file(cs_model *m, cs__datafile kind, const char *path, const char *text,
			   size_t len);
/* Makes the implied attestations of `*` rows (once, after every file). */
cs_err cs__model_finish(cs_model *m);

/* cs_deployment_load for a file's text held in memory (`path` names it and
 * is where relative inputs are found from). */
cs_err cs__deployment_load_buffer(cs_deployment **out, cs_model *m, const char *path,
				  const char *data, size_t len, cs_diag_sink *diag);

/* Identifier syntax of docs/data-files.md: non-empty, [a-z0-9._:-]. */
bool cs__is_ident(cs_str s);
/* Registers a service's identifiers (already split and checked). */
cs_err cs__ident_add(cs_model *m, const char *prefix, const char *pattern, size_t plen, bool star,
		     const cs__service *svc, const cs__service **clash);

#endif
