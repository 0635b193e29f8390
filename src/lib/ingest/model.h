/*
 * ingest/model.h - normalized resources, the mapping set that makes them
 * from raw resources, and the inventory that holds both (internal view).
 */
#ifndef CS_INGEST_MODEL_H
#define CS_INGEST_MODEL_H

#include "cshare/inventory.h"
#include "hcl/tf.h"
#include "raw.h"

typedef enum {
	CS_T_ANY = 0,
	CS_T_STRING,
	CS_T_NUMBER,
	CS_T_BOOL,
	CS_T_LIST,
	CS_T_OBJECT,
} cs_attr_type;

/* Parses "string", "number", ...; returns -1 for an unknown name. */
int cs__attr_type_parse(const char *s);
const char *cs__attr_type_name(cs_attr_type t);

typedef enum { AS_PATH, AS_FIRST, AS_VALUE, AS_EXISTS, AS_EACH, AS_COUNT, AS_UNKNOWN } cs_attr_form;

typedef struct cs_attr_spec {
	const char *name; /* normalized attribute name, may contain dots */
	cs_attr_form form;
	cs_path *path;   /* AS_PATH, AS_EXISTS, AS_EACH, AS_COUNT */
	cs_path **alts;  /* AS_FIRST */
	size_t nalts;
	const cs_value *map;   /* value map (object) or NULL */
	const cs_value *value; /* AS_VALUE, or per-source default */
	int absent;            /* -1 inherit from source, 0 absent, 1 unknown */
	cs_attr_type type;
	struct cs_attr_spec *sub; /* AS_EACH */
	size_t nsub;
	uint32_t line, col;
} cs_attr_spec;

typedef struct cs_map_kind cs_map_kind;

typedef struct cs_map_source {
	cs_map_kind *kind;
	const char *format, *type;
	bool absent_unknown;
	cs_path *join_on; /* NULL: a primary source */
	const char **join_to;
	size_t njoin_to;
	cs_attr_spec *attrs;
	size_t nattrs;
} cs_map_source;

typedef struct cs_schema_attr {
	const char *name;
	size_t len;
	cs_attr_type type;
	const char *doc;
} cs_schema_attr;

typedef struct cs_map_default {
	const char *name;
	const cs_value *value;
	const char *source;
	const char *note;
} cs_map_default;

struct cs_map_kind {
	const char *kind, *provider, *service, *title, *file;
	cs_schema_attr *attrs;
	size_t nattrs;
	cs_map_default *defs;
	size_t ndefs;
	bool has_joins;
	const char *formats[4]; /* input formats its resources come from */
	size_t nformats;
};

typedef struct cs_mapset {
	cs_arena *a;
	cs_ptrvec kinds;  /* cs_map_kind* */
	cs_strmap by_kind; /* kind -> cs_map_kind* */
	cs_strmap by_src;  /* "format\x1ftype" -> primary cs_map_source* (several) */
	cs_strmap by_join; /* "format\x1ftype" -> joining cs_map_source* (several) */
	cs_ptrvec joins;   /* every cs_map_source with a join */
} cs_mapset;

/* Loads every *.yaml under dir (recursively) into the set; problems are
 * diagnosed and the bad file or entry skipped.  Returns CS_ECHECK if any
 * file had errors (the rest is still loaded). */
cs_err cs__mapset_load_dir(cs_mapset *ms, const char *dir, cs_diag_sink *diag);
void cs__mapset_release(cs_mapset *ms);
const cs_map_kind *cs__mapset_kind(const cs_mapset *ms, const char *kind);
const cs_schema_attr *cs__kind_attr(const cs_map_kind *k, const char *name, size_t len);
const cs_map_default *cs__kind_default(const cs_map_kind *k, const char *name);

/* An inline suppression comment found in a source file. */
typedef struct cs_suppression {
	uint32_t line;
	const char *check_id;
	const char *reason;
} cs_suppression;

typedef struct cs_srcfile {
	const char *path;    /* as given / found */
	const char *relpath; /* relative to the root it was found under */
	const char *format;  /* detected format, or NULL */
	char *data;          /* owned file contents (values may point into it) */
	size_t len;
	bool mapped;         /* data is a file mapping (cs__file_release) */
	cs_suppression *supp;
	size_t nsupp;
} cs_srcfile;

struct cs_resource {
	const char *kind, *provider, *service;
	const cs_map_kind *mk;
	const char *name;
	const cs_raw *raw; /* primary raw resource */
	const cs_srcfile *src;
	uint32_t line, col, end_line;
	const cs_value *attrs; /* object of normalized attributes */
	/* joined split resources' extents, for suppressions */
	const cs_raw **joined;
	size_t njoined;
};

struct cs_inventory {
	cs_diag_sink *diag;
	cs_ingest *in;
	cs_mapset ms;
	bool mappings_loaded;
	cs_ptrvec files; /* cs_srcfile* */
	cs_resource *res;
	size_t nres;
	size_t max_file;
	unsigned input_errors;
	const char *cur_root;
	/* Terraform: root module directories found, -var/-var-file options,
	 * the environment for TF_VAR_ variables */
	cs_ptrvec tf_dirs;
	cs__tf_varopt *tf_vars;
	size_t ntf_vars;
	char *const *env;
	cs_strmap tf_computed; /* terraform-hcl-computed.txt of the mapping dirs */
	/* IAM exports (authorization details, credential reports, organization
	 * files) read into one account model, built with the inventory; NULL
	 * when there were none */
	struct cs_iam_account *iam;
};

/* Builds the normalized resources from the raw ones (all files). */
cs_err cs__normalize(cs_inventory *inv);

#endif
