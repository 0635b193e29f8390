#!/bin/sh
# cshare audit of Terraform .tf directories with the shipped checks: split
# resources joined to their bucket, findings located at the attribute
# responsible (a variable's value: where it is used), inline suppressions in
# .tf files, --var / --var-file / TF_VAR_ precedence.
. "$CS_SRC/tests/cli/lib.sh"
export CSHARE_HOME="$CS_SRC"
IN="$CS_SRC/tests/cases/hcl/eval/audit"

run audit -f csv --show-suppressed --check CS-AWS-S3-003 "$IN"; expect_rc "findings" 1
expect_in "data bucket: versioning suspended (joined), at the attribute" "$TMP/out" "fail,CS-AWS-S3-003,medium,data.recovery,customer,aws.s3.bucket,aws_s3_bucket.data,$IN/main.tf,26,5,"
expect_in "logs bucket: suppressed inline with the reason" "$TMP/out" "access logs are written once and expire after 30 days"
run audit -f json --check CS-AWS-S3-003 "$IN"
expect_in "format is terraform-hcl" "$TMP/out" "\"format\":\"terraform-hcl\""

# Terraform's precedence: TF_VAR_ < -var-file / -var in order
printf 'versioning = "Enabled"\n' > "$TMP/on.tfvars"
TF_VAR_versioning=Suspended run audit -f csv --check CS-AWS-S3-003 --var-file "$TMP/on.tfvars" "$IN"; expect_rc "var-file beats TF_VAR_" 0
TF_VAR_versioning=Enabled run audit -f csv --check CS-AWS-S3-003 "$IN"; expect_rc "TF_VAR_ beats the default" 0
run audit -f csv --check CS-AWS-S3-003 --var-file "$TMP/on.tfvars" --var versioning=Suspended "$IN"; expect_rc "a later --var wins" 1
run audit --var nonsense "$IN"; expect_rc "--var needs NAME=VALUE" 2
run audit --var-file "$TMP/missing.tfvars" "$IN"; expect_rc "missing var file is an input error" 4
expect_in "missing var file named" "$TMP/err" "Failed to read variables file"
finish
