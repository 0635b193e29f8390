/*
 * responsibility/model.h - libcshare-internal view of the responsibility
 * model (docs/data-files.md) and the deployment (docs/deployment.md), shared
 * by the matrix (this part) and the compliance report (src/lib/compliance).
 *
 * Everything is allocated from the owner's arena and immutable once loaded.
 * Strings are NUL-terminated.
 */
#ifndef CS_RESPONSIBILITY_MODEL_H
#define CS_RESPONSIBILITY_MODEL_H

#include "cshare/responsibility.h"
#include "core/internal.h"

/* Where a fact was written (data file or deployment file). */
typedef struct cs__loc {
	const char *file;
	uint32_t line, col;
} cs__loc;

typedef struct cs__domain {
	const char *id, *title;
} cs__domain;

typedef struct cs__source {
	const char *id, *kind, *retrieved, *licence, *reference, *title;
	bool stale;
	cs__loc at;
} cs__source;

typedef struct cs__service {
	const char *provider; /* "aws" */
	const char *sid;      /* "s3" */
	const char *id;       /* "aws:s3" */
	const char *model;    /* "iaas" | "paas" | "saas" */
	const char *category, *name;
	const char *const *idents; /* NULL-terminated "cfn:AWS::S3::*", ... */
	cs__loc at;
} cs__service;

typedef struct cs__ownership {
	const char *provider;
	const cs__service *service; /* NULL: a default row */
	const char *model;          /* NULL on a service row or a catch-all */
	const char *domain;
	cs_owner owner;
	cs_mode mode;
	cs_state state;
	const char *duty; /* "" when none */
	const cs__source *source;
	const char *as_of;
	cs__loc at;
} cs__ownership;

typedef enum cs__att_status {
	CS_ATT_IN_SCOPE = 0,
	CS_ATT_ELIGIBLE,
	CS_ATT_NOT_IN_SCOPE,
	CS_ATT_UNKNOWN,
} cs__att_status;

typedef struct cs__attestation {
	const cs__service *service;
	const char *programme;
	cs__att_status status;
	const char *qualifier, *region_scope, *as_of;
	const cs__source *source;
	bool implied; /* from a `*` row: the service is not listed on that source */
	cs__loc at;
} cs__attestation;

/* One row of data/frameworks/frameworks.tsv. */
typedef struct cs__fwdef {
	const char *id, *family, *title, *version;
	const char *catalogue, *profile; /* paths joined to the data directory ("<datadir>/frameworks/x"), usable as they are; "" if none */
	const char *programme;           /* "" if none */
	const char *const *data_classes; /* NULL-terminated */
	const cs__source *source;
	cs__loc at;
} cs__fwdef;

typedef enum cs__lookup_level {
	CS_LOOKUP_SERVICE = 0, /* the service's own row */
	CS_LOOKUP_MODEL,       /* the provider's default for the service model */
	CS_LOOKUP_PROVIDER,    /* the provider's catch-all */
	CS_LOOKUP_NONE,        /* nothing: unknown */
} cs__lookup_level;

/* The ownership fact for (service, domain) by the documented lookup order;
 * NULL (level CS_LOOKUP_NONE) when nothing applies. */
const cs__ownership *cs__model_lookup(const cs_model *m, const cs__service *svc,
				      const char *domain, cs__lookup_level *level);
/* "aws:s3" -> service, or NULL. */
const cs__service *cs__model_service(const cs_model *m, const char *id);
/* The service whose identifiers claim a type; `prefix` is "cfn", "tf",
 * "config", "kind", "arm", "gcp" or "iam".  NULL if none. */
const cs__service *cs__model_service_for(const cs_model *m, const char *prefix,
					 const char *type);
/* The attestation of a service for a programme: a listed row, else the
 * provider's `*` row for the programme and source, recorded for this service
 * with `implied` set (service is then the service asked about), or NULL
 * (unknown).  With several sources: a listed row before an implied one, a
 * current source before a stale one, then the later as_of. */
const cs__attestation *cs__model_attestation(const cs_model *m, const cs__service *svc,
					     const char *programme);
/* Staleness of an attestation against the model's as-of date. */
bool cs__attestation_stale(const cs_model *m, const cs__attestation *a);
const cs__domain *cs__model_domain(const cs_model *m, const char *id);
size_t cs__model_domain_count(const cs_model *m);
const cs__domain *cs__model_domain_at(const cs_model *m, size_t i);
const cs__fwdef *cs__model_fwdef(const cs_model *m, const char *id);
const cs__source *cs__model_source(const cs_model *m, const char *id);
/* The data directory the model was loaded from. */
const char *cs__model_datadir(const cs_model *m);
/* The model's as-of date, YYYY-MM-DD. */
const char *cs__model_as_of(const cs_model *m);
cs_diag_sink *cs__model_diag(const cs_model *m);

/* ---- deployment ------------------------------------------------------- */

typedef struct cs__assumption {
	const char *provider;       /* "aws" */
	const cs__service *service; /* NULL: every service of the provider */
	const char *domain;         /* a domain id or a prefix ending in '*' */
	cs_owner owner;             /* who the team believes owns it */
	cs_state state;             /* CS_STATE_UNKNOWN if not said */
	const char *note;           /* "" if none */
	cs__loc at;
} cs__assumption;

/* A data class held somewhere. */
typedef struct cs__dataclass {
	const char *cls;                  /* "phi" */
	const char *description;          /* "" if none */
	const char *const *patterns;      /* resource name patterns, NULL-terminated */
	const cs__service *const *services; /* named directly, NULL-terminated */
	cs__loc at;
} cs__dataclass;

/* A service in use and why it is counted. */
typedef struct cs__used_service {
	const cs__service *service;
	bool declared;  /* listed in the deployment file */
	size_t nres;    /* resources of it in the inputs */
	/* data classes it holds (through resources or declared), NULL-terminated */
	const char *const *classes;
} cs__used_service;

/* A resource holding a data class (after cs_deployment_resolve). */
typedef struct cs__held {
	const cs_resource *res;      /* normalized resource, or NULL */
	const char *name, *type;     /* as the input names it */
	const cs__service *service;  /* NULL if unclassified */
	const char *cls;
} cs__held;

typedef struct cs__contact {
	const char *side; /* "customer" | "provider" */
	const char *name, *role, *email, *url; /* "" if absent */
} cs__contact;

struct cs__deployment_view {
	const char *name, *description, *file; /* file: "" without a deployment file */
	const char *const *providers;           /* NULL-terminated ids */
	const char *const *frameworks;          /* NULL-terminated ids */
	const cs__assumption *assumptions;
	size_t nassumptions;
	const cs__dataclass *classes;
	size_t nclasses;
	const cs__used_service *services; /* sorted by id */
	size_t nservices;
	const cs__held *held;
	size_t nheld;
	const char *const *unclassified; /* "format:type" no service claims, sorted */
	const cs__contact *contacts;
	size_t ncontacts;
};

/* The deployment's contents (valid until cs_deployment_free). */
const struct cs__deployment_view *cs__deployment_view(const cs_deployment *d);

/* The assumptions that apply to (service, domain), in file order; returns
 * the count and the first `max` in out[]. */
size_t cs__deployment_assumptions(const cs_deployment *d, const cs__service *svc,
				  const char *domain, const cs__assumption **out, size_t max);

#endif
