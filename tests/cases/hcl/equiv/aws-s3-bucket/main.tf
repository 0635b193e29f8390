resource "aws_s3_bucket" "data" {
  bucket = "app-data-tf"
  force_destroy = false
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  rule {
    apply_server_side_encryption_by_default {
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
  bucket = aws_s3_bucket.data.id
}

resource "aws_s3_bucket_versioning" "data" {
  versioning_configuration {
    status = "Enabled"
  }
  bucket = aws_s3_bucket.data.id
}

resource "aws_s3_bucket_public_access_block" "data" {
  block_public_acls = true
  ignore_public_acls = true
  block_public_policy = true
  restrict_public_buckets = true
  bucket = aws_s3_bucket.data.id
}

resource "aws_s3_bucket_logging" "data" {
  target_bucket = "app-logs-tf"
  target_grant = []
  target_object_key_format = []
  target_prefix = "data/"
  bucket = aws_s3_bucket.data.id
}

resource "aws_s3_bucket" "logs" {
  bucket = "app-logs-tf"
  force_destroy = false
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
  bucket = aws_s3_bucket.logs.id
}

resource "aws_s3_bucket_acl" "logs" {
  acl = "log-delivery-write"
  bucket = aws_s3_bucket.logs.id
}

resource "aws_s3_bucket_public_access_block" "logs" {
  block_public_acls = true
  ignore_public_acls = true
  block_public_policy = true
  bucket = aws_s3_bucket.logs.id
  restrict_public_buckets = module.org_guardrails.restrict_public_buckets
}

resource "aws_s3_bucket" "public" {
  bucket = "app-public-tf"
  force_destroy = false
}

resource "aws_s3_bucket_public_access_block" "public" {
  block_public_acls = false
  ignore_public_acls = false
  block_public_policy = false
  restrict_public_buckets = false
  bucket = aws_s3_bucket.public.id
}

resource "aws_s3_bucket_acl" "public" {
  acl = "public-read"
  bucket = aws_s3_bucket.public.id
}

resource "aws_s3_bucket_versioning" "public" {
  versioning_configuration {
    status = "Suspended"
  }
  bucket = aws_s3_bucket.public.id
}

resource "aws_s3_bucket" "audit_logs" {
  bucket = "app-audit-logs-tf"
  force_destroy = false
}

resource "aws_s3_bucket_acl" "audit_logs" {
  acl = "log-delivery-write"
  bucket = aws_s3_bucket.audit_logs.id
}

resource "aws_s3_bucket_server_side_encryption_configuration" "audit_logs" {
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = false
  }
  bucket = aws_s3_bucket.audit_logs.id
}

module "org_guardrails" {
  source = "example-org/org-guardrails/aws"
}

