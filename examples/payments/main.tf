locals {
  name       = "payflow-${var.environment}"
  account_id = "111122223333"
}

# Customer-managed key for everything in the CDE that holds or carries card data.
resource "aws_kms_key" "data" {
  description             = "payflow prod: ledger, statements, queues, EKS secrets"
  deletion_window_in_days = 30
  enable_key_rotation     = true

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name}-data"
  target_key_id = aws_kms_key.data.key_id
}

# Log-archive key: rotation was left off ("the SIEM team will do it").
resource "aws_kms_key" "logs" {
  description             = "payflow prod: CloudWatch log groups and VPC flow logs"
  deletion_window_in_days = 7
  enable_key_rotation     = false

  tags = {
    pci-scope = "connected"
  }
}

# Tokenization vault: the only place PANs exist, as tokens plus a keyed fingerprint.
module "vault" {
  source = "./modules/vault"

  name_prefix             = "${local.name}-card-vault"
  deletion_window_in_days = 30
}

# Account-wide settings of the CDE account.
resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 8
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = false
  allow_users_to_change_password = true
  max_password_age               = 90
  password_reuse_prevention      = 4
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}
