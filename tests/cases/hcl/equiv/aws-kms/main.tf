resource "aws_kms_key" "data" {
  description = "data"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage = "ENCRYPT_DECRYPT"
  enable_key_rotation = true
  deletion_window_in_days = 30
  is_enabled = true
  bypass_policy_lockout_safety_check = false
}

resource "aws_kms_key" "legacy" {
  description = "legacy"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage = "ENCRYPT_DECRYPT"
  enable_key_rotation = false
  deletion_window_in_days = 30
  is_enabled = true
  bypass_policy_lockout_safety_check = false
}

resource "aws_kms_key" "signing" {
  description = "signing"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage = "SIGN_VERIFY"
  enable_key_rotation = false
  deletion_window_in_days = 30
  is_enabled = true
  bypass_policy_lockout_safety_check = false
}

resource "aws_kms_key" "param" {
  description = "param"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage = "ENCRYPT_DECRYPT"
  deletion_window_in_days = 30
  is_enabled = true
  bypass_policy_lockout_safety_check = false
  enable_key_rotation = module.key_policy.rotate
}

module "key_policy" {
  source = "example-org/key-policy/aws"
}

