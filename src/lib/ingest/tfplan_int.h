/*
 * ingest/tfplan_int.h - shared between the Terraform plan adapter's files:
 * tfplan.c (walking the plan, overlaying after_unknown) and tfplan_refs.c
 * (Terraform addresses and the configuration's references, which turn an
 * unknown into "ref:<address>" for joins).  Not installed.
 */
#ifndef CS_INGEST_TFPLAN_INT_H
#define CS_INGEST_TFPLAN_INT_H

#include "raw.h"

/* One managed resource instance that will be added. */
typedef struct tf_cand {
	const cs_value *obj;   /* the resource change (or planned-values resource) */
	const cs_value *after; /* change.after / values: an object */
	const cs_value *unk;   /* change.after_unknown, or NULL */
	const char *address;   /* NUL-terminated, in the arena */
	cs_str modaddr;        /* module instance path ("" at the root), in address */
	cs_str base;           /* address without its instance key, in address */
	cs_str key;            /* instance key with brackets ("[0]", "[\"eu\"]") or "" */
	cs_str tname;          /* "type.name" as the configuration writes it */
	const char *type;
	const char *provider;
} tf_cand;

/* Lookups over all candidates of one plan.  Built by tf_refs_init. */
typedef struct tf_refs {
	cs_arena *a;
	const cs_value *cfg_root; /* configuration.root_module, or NULL */
	struct tf_key *by_addr;   /* sorted by full address */
	struct tf_key *by_base;   /* sorted by base address */
	size_t n;
	struct tf_key *cfg; /* configuration resources, sorted; built lazily */
	size_t ncfg;
	bool cfg_built;
	cs_buf tmp; /* scratch for building addresses */
	/* the configuration expressions of the last candidate looked up
	 * (add_refs asks for several attributes of one resource in a row) */
	const tf_cand *last_c;
	const cs_value *last_ex;
} tf_refs;

/* Splits a candidate's address into module path, base and key (fills
 * modaddr, base, key, tname from address, type, name and module_address,
 * which may be an empty string).  Never fails. */
void cs__tf_split_address(tf_cand *c, cs_str type, cs_str name, cs_str module_address);

/* Builds the address indexes over `n` candidates (borrowed: they must
 * outlive r).  `cfg_root` may be NULL.  CS_ENOMEM on failure.  Release
 * with cs__tf_refs_release. */
cs_err cs__tf_refs_init(tf_refs *r, cs_arena *a, const tf_cand *c, size_t n,
			const cs_value *cfg_root);
void cs__tf_refs_release(tf_refs *r);

/* For the unknown top-level attribute `attr` of candidate `c`: the address
 * of the managed resource its configuration expression references (with
 * the module prefix and, where it can be decided, the instance key), or
 * NULL when there is none.  The result lives in r->a.  *err is set to
 * CS_ENOMEM on allocation failure (and NULL returned). */
const char *cs__tf_ref_target(tf_refs *r, const tf_cand *c, cs_str attr, cs_err *err);

#endif
