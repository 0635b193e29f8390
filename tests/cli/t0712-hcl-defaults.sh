#!/bin/sh
# Terraform HCL: an attribute the configuration leaves unset reads as the
# provider's documented default, as a plan's `after` shows it
# (data/mappings/terraform-hcl-computed.txt), not as "not set": an
# aws_db_instance without publicly_accessible is private (hashicorp/aws:
# "Default is false"), and without storage_encrypted it is unencrypted.
. "$CS_SRC/tests/cli/lib.sh"
export CSHARE_HOME="$CS_SRC" # the shipped checks, mappings and their defaults
mkdir -p "$TMP/tf"
cat >"$TMP/tf/main.tf" <<'T'
resource "aws_db_instance" "db" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  backup_retention_period = 7
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"
}
T
run audit -f csv --all "$TMP/tf"
expect_rc "findings" 1
expect_in "RDS-002 passes: private by default" "$TMP/out" "pass,CS-AWS-RDS-002,"
expect_in "RDS-001 fails: storage_encrypted defaults to false" "$TMP/out" "fail,CS-AWS-RDS-001,"
expect_not_in "no 'not set' for a defaulted attribute" "$TMP/out" "publicly_accessible is not set"
finish
