/*
 * hcl/tf.h - library-internal API of the Terraform configuration reader:
 * a directory of .tf / .tf.json files is one module (config.c); its input
 * variables get values from defaults, tfvars files, -var/-var-file and
 * TF_VAR_ variables (vars.c); module instances are evaluated lazily
 * (module.c: locals in dependency order, count/for_each expansion,
 * dynamic blocks, nested local and downloaded modules); the adapter
 * (adapter.c) emits one raw resource per managed resource instance, the
 * same raw resources the plan adapter (ingest/tfplan.c) makes for the
 * same configuration.
 */
#ifndef CS_HCL_TF_H
#define CS_HCL_TF_H

#include "hcl/eval.h"
#include "hcl/hcl.h"
#include "ingest/raw.h"

/* One -var or -var-file option, in command-line order. */
typedef struct cs__tf_varopt {
	bool file;        /* --var-file PATH (true) or --var NAME=VALUE */
	const char *text; /* borrowed */
} cs__tf_varopt;

/* Reads a file for the reader: returns CS_OK with bytes that stay valid
 * until the ingest is freed (*data need not be NUL-terminated), or
 * CS_ENOENT / CS_EIO / CS_ELIMIT (not yet diagnosed). */
typedef cs_err (*cs__tf_load_fn)(void *ud, const char *path, const char **data, size_t *len);

typedef struct cs__tf_opts {
	const cs__tf_varopt *vars; /* may be NULL */
	size_t nvars;
	char *const *env;    /* "NAME=value" strings (environ); NULL: none read */
	cs__tf_load_fn load; /* NULL: files are read into the ingest arena */
	void *load_ud;
	uint64_t budget;     /* evaluation steps per root module; 0: default */
	/* Attributes a provider computes when the configuration leaves them
	 * unset (a plan shows them unknown), by resource type: values are
	 * NUL-terminated space-separated names.  May be NULL. */
	const cs_strmap *computed;
} cs__tf_opts;

/* Parses a computed-attributes file (lines "type attr attr ...", #
 * comments) into `m` (keys and values in `a`).  CS_ENOMEM. */
cs_err cs__tf_computed_parse(cs_arena *a, const char *data, size_t len, cs_strmap *m);

/* One file given from memory (tests, fuzzing). */
typedef struct cs__tf_memfile {
	const char *name; /* "main.tf", "terraform.tfvars", ... */
	const char *data;
	size_t len;
} cs__tf_memfile;

/* Whether a file name is a Terraform configuration file (.tf, .tf.json)
 * or a variable definitions file (.tfvars, .tfvars.json). */
bool cs__tf_is_config_name(const char *name);
bool cs__tf_is_tfvars_name(const char *name);

/*
 * Reads the root modules `dirs` (each a directory with .tf or .tf.json
 * files) and adds their managed resource instances to `in` as raw
 * resources of format "terraform-hcl".  A directory that another of the
 * given roots uses as a local module (source "./x") is read as that
 * module only, not again as a root.  Problems are diagnosed (file, line,
 * column) and the rest is still read.  Returns CS_OK, CS_ENOMEM or
 * CS_ELIMIT; CS_ESYNTAX / CS_EINVAL when something was diagnosed as an
 * error (resources are still added).
 */
cs_err cs__tf_extract_dirs(cs_ingest *in, const char *const *dirs, size_t ndirs,
			   const cs__tf_opts *o);

/* Like cs__tf_extract_dirs for one root module whose files are given in
 * memory (named relative to `dir`, which local module sources are
 * resolved against). */
cs_err cs__tf_extract_files(cs_ingest *in, const char *dir, const cs__tf_memfile *files,
			    size_t nfiles, const cs__tf_opts *o);

#endif
