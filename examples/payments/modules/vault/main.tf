# Card tokenization vault: maps payment tokens to encrypted PANs. The key is used
# only by the tokenizer service (key policy managed in the security account).
resource "aws_kms_key" "vault" {
  description             = "Card vault: PAN tokens and vault backups"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  multi_region            = false

  tags = {
    pci-scope  = "cde"
    data-class = "cardholder-data"
  }
}

resource "aws_kms_alias" "vault" {
  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.vault.key_id
}

resource "aws_dynamodb_table" "tokens" {
  name         = "${var.name_prefix}-tokens"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "token"

  attribute {
    name = "token"
    type = "S"
  }

  attribute {
    name = "pan_fingerprint"
    type = "S"
  }

  global_secondary_index {
    name            = "by-fingerprint"
    hash_key        = "pan_fingerprint"
    projection_type = "KEYS_ONLY"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.vault.arn
  }

  point_in_time_recovery {
    enabled = true
  }

  deletion_protection_enabled = true

  tags = {
    pci-scope  = "cde"
    data-class = "cardholder-data"
  }
}

resource "aws_cloudwatch_log_group" "vault" {
  name              = "/payflow/prod/card-vault"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.vault.arn

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_s3_bucket" "backups" {
  bucket_prefix = "${var.name_prefix}-backups-"
  force_destroy = false

  tags = {
    pci-scope  = "cde"
    data-class = "cardholder-data"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.vault.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket                  = aws_s3_bucket.backups.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
