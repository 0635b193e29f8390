/*
 * compliance/compliance.h - libcshare-internal view of a loaded framework
 * (its requirement catalogue and control-domain map) and of a compliance
 * report (docs/report.md), shared by the loaders, the join and the writers.
 *
 * A framework and a report each own one arena; everything in them is
 * immutable once built.
 */
#ifndef CS_COMPLIANCE_INT_H
#define CS_COMPLIANCE_INT_H

#include "../audit/check.h"
#include "responsibility/model.h"

#define CS_NOIDX ((size_t)-1)

/* One requirement of a framework. */
typedef struct cs__req {
	const char *id;     /* display id as the framework writes it: "SC-28(1)", "164.312(a)(1)" */
	const char *oid;    /* OSCAL control id ("sc-28.1"); for TSV catalogues the id */
	size_t parent;      /* index of the enclosing requirement, or CS_NOIDX */
	const char *kind;   /* "control", "standard", ... */
	const char *obligation; /* "" if none */
	const char *title;
	size_t group;       /* index into the framework's groups (control family) */
	cs__loc at;
} cs__req;

/* A control family (OSCAL group, or a top-level requirement of a TSV catalogue). */
typedef struct cs__group {
	const char *id, *title;
} cs__group;

/* A row of controls_map.tsv for the framework's family. */
typedef struct cs__cmap {
	const char *domain, *control, *relation;
} cs__cmap;

struct cs_framework {
	cs_arena *a;
	const char *id, *family, *title, *version, *programme;
	const char *const *data_classes; /* NULL-terminated */
	cs__req *reqs;
	size_t nreqs, capreqs;
	cs__group *groups;
	size_t ngroups, capgroups;
	cs__cmap *map;
	size_t nmap, capmap;
	cs_diag_sink *diag;
	unsigned errors; /* problems diagnosed while loading */
};

/* An empty framework with these attributes (strings copied). */
cs_err cs__framework_new(cs_framework **out, const char *id, const char *family,
			 const char *title, const char *programme, cs_diag_sink *diag);
/* Reads a TSV requirement catalogue (docs/data-files.md) from memory into
 * fw; `name` names it in diagnostics.  Bad records are diagnosed and skipped;
 * returns CS_ECHECK then, CS_ESYNTAX for a bad header. */
cs_err cs__catalogue_tsv(cs_framework *fw, const char *name, const char *text, size_t len);
/* Reads an OSCAL catalogue (JSON) from memory, keeping only the controls
 * the OSCAL profile (JSON, may be NULL) selects.  Located diagnostics;
 * CS_ESYNTAX / CS_ECHECK on bad input (what could be read is kept). */
cs_err cs__catalogue_oscal(cs_framework *fw, const char *name, const char *text, size_t len,
			   const char *pname, const char *ptext, size_t plen);
/* Reads controls_map.tsv from memory, keeping the rows of fw's family. */
cs_err cs__controls_map(cs_framework *fw, const char *name, const char *text, size_t len);
/* Appends a requirement (copied); returns its index or CS_NOIDX (out of memory). */
size_t cs__framework_push(cs_framework *fw, const cs__req *r);
/* The group with this id (strings borrowed from fw's arena), added if new;
 * its index, or CS_NOIDX (out of memory). */
size_t cs__framework_group(cs_framework *fw, const char *id, const char *title);
/* The requirement with this display or OSCAL id (case-insensitive), or CS_NOIDX. */
size_t cs__framework_find(const cs_framework *fw, const char *id);

/* ---- the report --------------------------------------------------------- */

typedef enum cs__gap_type {
	CS_GAP_REGULATED_OUT_OF_SCOPE = 0,
	CS_GAP_CONFIGURABLE_OFF,
	CS_GAP_IAAS_OS,
	CS_GAP_IDENTITY,
	CS_GAP_CONTRADICTS,
	CS_GAP_STALE,
	CS_GAP_NO_EVIDENCE,
	CS_GAP_UNATTESTED,
	CS_GAP__COUNT
} cs__gap_type;
/* "regulated-data-out-of-scope", ... */
const char *cs__gap_name(cs__gap_type t);

typedef struct cs__gap {
	cs__gap_type type;
	const cs__service *service; /* NULL if none */
	const char *domain;         /* "" if none */
	const char *what;           /* one line: what is wrong */
	const char *fix;            /* one line: what to do */
	const cs__assumption *assumption; /* the assumption behind it, or NULL */
	size_t *reqs;               /* requirement indexes, ascending */
	size_t nreqs, capreqs;
} cs__gap;

/* Provider evidence: one service's attestation behind a requirement. */
typedef struct cs__pevidence {
	const cs__service *service;
	const cs__attestation *att; /* NULL: none (unknown) */
	bool stale;
} cs__pevidence;

/* Customer evidence: one check serving a requirement. */
typedef struct cs__cevidence {
	const cs_check *check;
	size_t pass, fail, unknown;
	const cs_result *const *failing; /* failing results (unsuppressed) */
	size_t nfailing;
} cs__cevidence;

/* A provider or shared part of a requirement: the service, the domain and
 * the model's fact. */
typedef struct cs__ppart {
	const cs__service *service;
	const char *domain;
	const cs__ownership *fact;
} cs__ppart;

/* Owner summary bits. */
enum {
	CS_OWN_PROVIDER = 1u << 0,
	CS_OWN_CUSTOMER = 1u << 1,
	CS_OWN_SHARED = 1u << 2,
	CS_OWN_UNKNOWN = 1u << 3,
};

typedef struct cs__reqrep {
	const cs__req *req;
	bool section; /* a heading (kind `section`): grouped under, not judged */
	const char *const *domains; /* NULL-terminated, sorted */
	unsigned owners;            /* CS_OWN_* */
	bool provider_part, customer_part;
	cs__ppart *parts; /* provider and shared parts, by service then domain */
	size_t nparts;
	cs__pevidence *pev;
	size_t npev;
	cs__cevidence *cev; /* serving checks that judged some resource */
	size_t ncev;
	size_t nserving;    /* serving checks, with or without resources */
	size_t *gaps; /* indexes into the report's gaps */
	size_t ngaps;
	cs_req_status status;
	const char *why; /* one line: why this status */
} cs__reqrep;

struct cs_compliance {
	cs_arena *a;
	const cs_model *m;
	const cs_deployment *d;
	const cs_framework *fw;
	const cs_results *results;
	cs__reqrep *reqs; /* one per framework requirement, same order */
	size_t nreqs;
	cs__gap *gaps;
	size_t ngaps, capgaps;
	size_t tally[4];
	const char *as_of;
};

/* What decides a requirement's status (docs/report.md, "Status"). */
typedef struct cs__status_in {
	bool hard_gap;          /* a failing check or a named gap that makes a gap */
	bool unknown_result;    /* some serving check's result is unknown */
	bool provider_unknown;  /* a provider part rests on an unknown attestation */
	bool provider_unproven; /* a provider part whose attestation is not_in_scope */
	bool customer_part;     /* a customer, shared or unknown-owner part */
	bool customer_evidence; /* some serving check judged at least one resource */
} cs__status_in;
/* The status by the rules of docs/report.md; *why gets a static one-liner. */
cs_req_status cs__status_decide(const cs__status_in *in, const char **why);

/* Writers (compliance/write_*.c). */
cs_err cs__cf_text(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o, bool md);
cs_err cs__cf_json(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o);
cs_err cs__cf_html(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o);
cs_err cs__cf_oscal(cs_buf *b, const cs_compliance *c, const cs_compliance_opts *o);

/* Shared writer helpers. */
/* Owner summary as text: "provider+customer", "shared", "customer", ... */
const char *cs__owners_text(unsigned owners);
/* A requirement's owner class for the summary and charts: 0 provider only,
 * 1 customer only, 2 shared (both, or a shared fact), 3 some owner unknown. */
int cs__owner_class(unsigned owners);
/* "provider", "customer", "shared", "unknown". */
const char *cs__owner_class_name(int k);
/* HTML-escapes s into b. */
cs_err cs__html_escape(cs_buf *b, const char *s);

#endif
