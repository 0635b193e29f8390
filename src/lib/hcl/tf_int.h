/*
 * hcl/tf_int.h - shared between the Terraform configuration reader's files
 * (config.c: modules as parsed; vars.c: root variable values; module.c:
 * module instances and evaluation; adapter.c: raw resources).  Not
 * installed.
 *
 * A tf_module is a directory as written (one per directory, shared by all
 * its instances); a tf_minst is one instance of it (the root, or one
 * instance of a module call, with its own variables, locals, resources and
 * outputs).  Everything is evaluated on demand and cached in the instance,
 * with a state per named value so that cycles are found, not followed.
 */
#ifndef CS_HCL_TF_INT_H
#define CS_HCL_TF_INT_H

#include "hcl/tf.h"

#define TF_FORMAT_HCL "terraform-hcl"
#define TF_MAX_MODULE_DEPTH 32u
#define TF_MAX_INSTANCES 1000000u
#define TF_DEFAULT_BUDGET 200000000ull

typedef struct tf_file {
	const char *path;
	const cs_hcl_file *ast;
	const cs_hcl_body *body; /* resolved top-level body */
} tf_file;

typedef struct tf_var {
	cs_str name;
	const tf_file *f;
	const cs_hcl_item *it;
	const cs_hcl_expr *type, *def;
	bool nullable;
} tf_var;

typedef struct tf_named {
	cs_str name;
	const tf_file *f;
	const cs_hcl_item *it;
	const cs_hcl_expr *expr; /* a local's or output's value */
} tf_named;

typedef struct tf_res {
	bool data;
	cs_str type, name;
	const tf_file *f;
	const cs_hcl_item *it;
	const cs_hcl_body *body;
	const cs_hcl_expr *count, *for_each;
} tf_res;

typedef struct tf_module tf_module;

typedef struct tf_call {
	cs_str name;
	const tf_file *f;
	const cs_hcl_item *it;
	const cs_hcl_body *body;
	const cs_hcl_expr *count, *for_each;
	cs_str source;
} tf_call;

struct tf_module {
	const char *dir;
	tf_file *files;
	size_t nfiles;
	tf_file *tfvars; /* root only: terraform.tfvars etc., name order */
	size_t ntfvars;
	tf_var *vars;
	size_t nvars;
	tf_named *locals;
	size_t nlocals;
	tf_named *outs;
	size_t nouts;
	tf_res *res;
	size_t nres;
	tf_call *calls;
	size_t ncalls;
	cs_strmap var_ix, local_ix, out_ix, res_ix, call_ix; /* -> index + 1 */
};

enum { TF_ST_NONE = 0, TF_ST_BUSY, TF_ST_DONE };

typedef struct tf_rinst {
	const char *addr;
	const cs_value *props;
} tf_rinst;

typedef struct tf_rstate {
	uint8_t st;
	bool unknown_keys;
	tf_rinst *inst;
	size_t ninst;
	const cs_value *whole; /* what `type.name` evaluates to */
} tf_rstate;

typedef struct tf_minst tf_minst;

typedef struct tf_cstate {
	uint8_t st;
	bool absent; /* remote module not downloaded, or unreadable */
	tf_minst **inst;
	const cs_value **keys; /* instance keys (NULL without count/for_each) */
	size_t ninst;
	bool keyed, counted, unknown_keys;
	const cs_value *unk; /* the unknown count/for_each */
} tf_cstate;

typedef struct tf_ctx tf_ctx;

struct tf_minst {
	tf_ctx *t;
	const tf_module *mod;
	const char *addr;    /* "" for the root, "module.a[\"x\"].module.b" */
	const char *keypath; /* modules.json key: "a.b" */
	tf_minst *parent;
	const tf_call *call;
	const cs_value *each;  /* binding for the call's expressions, or NULL */
	const cs_value *count; /* idem */
	unsigned depth;
	const cs_value **var_val;
	uint8_t *var_st;
	const cs_value **loc_val;
	uint8_t *loc_st;
	const cs_value **out_val;
	uint8_t *out_st;
	tf_rstate *rs;
	tf_cstate *cs;
	const cs_value **given; /* root: values given for variables (vars.c) */
};

struct tf_ctx {
	cs_ingest *in;
	cs_arena *a;
	cs_diag_sink *diag;
	const cs__tf_opts *o;
	cs__hcl_openset open;
	cs_strmap modcache;       /* dir -> tf_module* */
	cs_ptrvec mods;           /* every tf_module loaded (their indexes are heap) */
	const char *root_dir;
	const cs_value *modjson;  /* .terraform/modules/modules.json "Modules", or NULL */
	uint64_t budget;
	unsigned errors;
	const cs__tf_memfile *mem; /* root files given in memory */
	size_t nmem;
};

/* config.c: loads (or finds in the cache) the module in `dir`; *out NULL
 * with a diagnostic when the directory cannot be read or has no
 * configuration files (then the caller reports the module as absent).
 * Root modules also collect their tfvars files. */
cs_err cs__tf_module_load(tf_ctx *t, const char *dir, bool root, const tf_module **out);

/* config.c: frees a module's heap indexes (the module is in the arena). */
void cs__tf_module_release(tf_module *m);

/* config.c: reads a file through the options' loader or into the arena. */
cs_err cs__tf_read(tf_ctx *t, const char *path, const char **data, size_t *len);

/* vars.c: the values given for the root module's variables from
 * TF_VAR_ environment variables, tfvars files and the -var / -var-file
 * options, by Terraform's precedence; given[i] NULL when none. */
cs_err cs__tf_root_vars(tf_ctx *t, const tf_module *m, const cs_value **given);

/* module.c */
cs_err cs__tf_minst_new(tf_ctx *t, const tf_module *m, tf_minst *parent, const tf_call *call,
			const char *addr, const char *keypath, tf_minst **out);
/* Evaluates expression e in instance mi, file f, with the bindings. */
cs_err cs__tf_eval(tf_minst *mi, const tf_file *f, cs__hcl_bind *binds, const cs_hcl_expr *e,
		   const cs_value **out);
cs_err cs__tf_resource(tf_minst *mi, size_t ri, const tf_rstate **out);
/* The raw resource's view of an instance: the attributes the provider
 * computes when they are not set (opts.computed) added as unknown "known
 * after apply", as a plan's after_unknown shows them.  References to the
 * resource keep seeing them as "ref:<address>" (not added there). */
cs_err cs__tf_add_computed(tf_ctx *t, const tf_res *r, const cs_value **props);
cs_err cs__tf_calls(tf_minst *mi, size_t ci, const tf_cstate **out);

/* module.c: `dir` joined with a local module source ("./x", "../x"),
 * "." and ".." folded; NULL on allocation failure.  Whether a source is
 * local. */
const char *cs__tf_join_source(tf_ctx *t, const char *dir, cs_str src);
bool cs__tf_is_local_source(cs_str s);

/* Diagnostics of the reader (counted in t->errors when errors). */
void cs__tf_diag(tf_ctx *t, cs_severity sev, const char *file, uint32_t line, uint32_t col,
		 const char *fmt, ...) CS_PRINTF(6, 7);

#endif
