/*
 * ingest/raw.h - the contract between input adapters and the mapping step.
 *
 * An adapter turns one parsed document into "raw" resources: the source
 * type as the format names it (AWS::S3::Bucket, aws_s3_bucket) and its
 * properties as a value tree, with the source location.  The mapping step
 * (ingest/mapping.c, driven by data/mappings/) then makes normalized
 * resources of kinds such as aws.s3.bucket, written once for all formats.
 *
 * Unknown values: anything an input does not determine is a CS_VUNKNOWN
 * value whose reason says why.  A reason of the form "ref:<name>" means
 * "the value of another resource in the same input", where <name> is the
 * CloudFormation logical id (optionally ".Attribute" for Fn::GetAtt) or the
 * Terraform resource address with its module path and instance key
 * (module.net.aws_vpc.main, aws_s3_bucket.b["eu"]) but no attribute.  The
 * mapping step uses these to join split resources to their target.
 */
#ifndef CS_INGEST_RAW_H
#define CS_INGEST_RAW_H

#include "../core/internal.h"

typedef struct cs_raw {
	const char *format;   /* "cloudformation", "terraform-plan", "terraform-hcl",
				 "aws-config" */
	const char *type;     /* AWS::S3::Bucket, aws_s3_bucket, ... */
	const char *name;     /* CFN logical id; TF address; Config resourceId */
	const char *provider; /* "aws", "azure", "gcp", or NULL if not known */
	const char *file;
	uint32_t line, col; /* start of the resource's definition */
	uint32_t end_line;  /* last line of its definition (for suppressions), or 0
			       when not computed (JSON inputs: no comments) */
	/* CloudFormation: Properties with intrinsics resolved where static.
	 * Terraform plan: change.after (or planned values) with unknown leaves.
	 * AWS Config: the configuration item, with "configuration" and the
	 * values of "supplementaryConfiguration" parsed when they were JSON
	 * strings.  May be NULL (no properties). */
	const cs_value *props;
	const char *arn;     /* NULL if not known */
	const char *region;  /* NULL if not known */
	const char *account; /* NULL if not known */
	/* Split resources join their target only within one scope: `file` when
	 * NULL; the configuration directory for Terraform HCL, whose resources
	 * span several files. */
	const char *scope;
} cs_raw;

typedef struct cs_ingest cs_ingest;

/* Adds a raw resource; the struct is copied, the strings and values it
 * points to must live in cs__ingest_arena(in) (or be static). */
cs_err cs__ingest_add(cs_ingest *in, const cs_raw *r);
/* The arena that holds documents, values and strings for this ingest. */
cs_arena *cs__ingest_arena(cs_ingest *in);
/* Where adapters report problems (with file, line, column). */
cs_diag_sink *cs__ingest_diag(cs_ingest *in);

/* Lifecycle of the collector (used by the inventory and by tests):
 * cs__ingest_new returns NULL on allocation failure; the arena limit is
 * `max_bytes` (0 = none).  cs__ingest_free(NULL) is a no-op. */
cs_ingest *cs__ingest_new(size_t max_bytes, cs_diag_sink *diag);
void cs__ingest_free(cs_ingest *in);
size_t cs__ingest_count(const cs_ingest *in);
const cs_raw *cs__ingest_at(const cs_ingest *in, size_t i);

/*
 * Adapters.  Each `detect` looks at a parsed document's root and says
 * whether it is its format (cheap, no diagnostics).  Each `extract` adds the
 * document's resources; problems with one resource are diagnosed and that
 * resource skipped (or its bad part made unknown), the others still added.
 * They return CS_OK, or CS_ENOMEM/CS_ELIMIT, or CS_ETYPE when the document
 * as a whole has the wrong shape (after a diagnostic).
 */
bool cs__cfn_detect(const cs_value *root);
cs_err cs__cfn_extract(cs_ingest *in, const char *file, const cs_value *root);
bool cs__tfplan_detect(const cs_value *root);
cs_err cs__tfplan_extract(cs_ingest *in, const char *file, const cs_value *root);
bool cs__awsconfig_detect(const cs_value *root);
cs_err cs__awsconfig_extract(cs_ingest *in, const char *file, const cs_value *root);

#endif
