# Monthly merchant statements (contain truncated PANs and cardholder names).
resource "aws_s3_bucket" "statements" {
  bucket_prefix = "${local.name}-statements-"
  force_destroy = false

  tags = {
    pci-scope  = "cde"
    data-class = "cardholder-statements"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "statements" {
  bucket = aws_s3_bucket.statements.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "statements" {
  bucket = aws_s3_bucket.statements.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "statements" {
  bucket                  = aws_s3_bucket.statements.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_logging" "statements" {
  bucket        = aws_s3_bucket.statements.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "s3/statements/"
}

# Server access logs, ALB and CloudFront logs. ALB log delivery supports SSE-S3 only.
resource "aws_s3_bucket" "access_logs" {
  bucket        = "${local.name}-access-logs-${local.account_id}"
  force_destroy = false

  tags = {
    pci-scope  = "connected"
    data-class = "audit-log"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "AES256"
      kms_master_key_id = null
    }
    bucket_key_enabled = null
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Daily settlement files picked up by the acquiring bank (PAN-bearing until the
# acquirer's v3 file format ships). Versioning was suspended to cut storage costs;
# the bank's cross-account bucket policy is maintained by hand, hence the relaxed
# public access block. No encryption configuration: S3 applies SSE-S3 by default.
resource "aws_s3_bucket" "settlement_exports" {
  bucket        = "${local.name}-settlement-exports"
  force_destroy = false

  tags = {
    pci-scope  = "cde"
    data-class = "settlement-files"
  }
}

resource "aws_s3_bucket_versioning" "settlement_exports" {
  bucket = aws_s3_bucket.settlement_exports.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "settlement_exports" {
  bucket                  = aws_s3_bucket.settlement_exports.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = false
}
