/*
 * cshare/inventory.h - reading inputs (CloudFormation, Terraform plan JSON,
 * AWS Config) into normalized resources.
 *
 * Typical use:
 *   cs_inventory_new(&inv, &sink);
 *   cs_inventory_load_mappings(inv, "data/mappings");
 *   cs_inventory_add_path(inv, "deploy/");      (files, directories, "-")
 *   cs_inventory_build(inv);
 *   for each i < cs_inventory_count(inv): cs_inventory_at(inv, i) ...
 */
#ifndef CSHARE_INVENTORY_H
#define CSHARE_INVENTORY_H

#include "cshare/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_inventory cs_inventory;
typedef struct cs_resource cs_resource;

/* Returns a new inventory in *out (free with cs_inventory_free).  `diag`
 * is borrowed and must outlive the inventory. */
CS_API cs_err cs_inventory_new(cs_inventory **out, cs_diag_sink *diag);
CS_API void cs_inventory_free(cs_inventory *inv);
/* Largest input file accepted (default 256 MiB); bigger ones are an error. */
CS_API void cs_inventory_set_max_file(cs_inventory *inv, size_t bytes);
/* Loads the mapping files (*.yaml, recursively) of a directory; may be
 * called several times (user mappings after shipped ones).  CS_ECHECK if a
 * mapping file was invalid (diagnosed; the rest is loaded). */
CS_API cs_err cs_inventory_load_mappings(cs_inventory *inv, const char *dir);
/* Reads a file, a directory (recursively: *.json, *.yaml, *.yml,
 * *.template; and each directory with .tf or .tf.json files as one
 * Terraform root module, evaluated at cs_inventory_build) or "-"
 * (standard input).  Every problem is diagnosed with
 * file, line and column; the other inputs are still read.  Returns CS_OK,
 * or the category of the last input problem (CS_ENOENT, CS_EIO, CS_ESYNTAX,
 * CS_EUTF8, CS_ELIMIT, CS_EFORMAT, CS_ETYPE), or CS_ENOMEM. */
CS_API cs_err cs_inventory_add_path(cs_inventory *inv, const char *path);
/* Reads one input held in memory (copied), named `name` in diagnostics,
 * as if it were a file named on the command line. */
CS_API cs_err cs_inventory_add_buffer(cs_inventory *inv, const char *name, const char *data,
				      size_t len);
/* Terraform configurations (directories of .tf / .tf.json files, read by
 * cs_inventory_add_path and evaluated by cs_inventory_build): a
 * -var-file (file = true, text = its path) or -var ("name=value") option,
 * in command-line order (later ones win); `text` is borrowed and must
 * outlive the build.  CS_ENOMEM. */
CS_API cs_err cs_inventory_add_tf_var(cs_inventory *inv, bool file, const char *text);
/* The environment whose TF_VAR_<name> variables give Terraform variables
 * values ("NAME=value" strings, like environ; borrowed); none by default. */
CS_API void cs_inventory_set_env(cs_inventory *inv, char *const *env);
/* Makes the normalized resources; call once after adding every input. */
CS_API cs_err cs_inventory_build(cs_inventory *inv);
/* Number of input problems diagnosed so far (errors only). */
CS_API unsigned cs_inventory_input_errors(const cs_inventory *inv);
CS_API size_t cs_inventory_count(const cs_inventory *inv);
CS_API const cs_resource *cs_inventory_at(const cs_inventory *inv, size_t i);
/* Number of input files read (recognized or not). */
CS_API size_t cs_inventory_file_count(const cs_inventory *inv);

/* A resource as an input names it, before normalization: every resource
 * read, including those of types no mapping normalizes (for deriving the
 * services a deployment uses).  Strings live as long as the inventory. */
typedef struct cs_input_resource {
	const char *format; /* "cloudformation", "terraform-plan", "terraform-hcl",
			       "aws-config" */
	const char *type;   /* AWS::S3::Bucket, aws_s3_bucket, ... */
	const char *name;   /* logical id, address or resource id */
	const char *file;
	uint32_t line, col;
} cs_input_resource;
/* Number of resources read from the inputs (valid after cs_inventory_build). */
CS_API size_t cs_inventory_input_count(const cs_inventory *inv);
/* Fills *out with the i-th resource read; false if i is out of range. */
CS_API bool cs_inventory_input_at(const cs_inventory *inv, size_t i, cs_input_resource *out);

CS_API const char *cs_resource_kind(const cs_resource *r);
CS_API const char *cs_resource_provider(const cs_resource *r);
CS_API const char *cs_resource_service(const cs_resource *r);
/* CloudFormation logical id, Terraform address or AWS Config resource id. */
CS_API const char *cs_resource_name(const cs_resource *r);
/* "cloudformation", "terraform-plan" or "aws-config". */
CS_API const char *cs_resource_format(const cs_resource *r);
/* The type as the input names it (AWS::S3::Bucket, aws_s3_bucket). */
CS_API const char *cs_resource_source_type(const cs_resource *r);
CS_API const char *cs_resource_file(const cs_resource *r);
CS_API uint32_t cs_resource_line(const cs_resource *r);
CS_API uint32_t cs_resource_col(const cs_resource *r);
/* The normalized attributes (an object value). */
CS_API const cs_value *cs_resource_attrs(const cs_resource *r);

#ifdef __cplusplus
}
#endif
#endif
