resource "aws_iam_account_password_policy" "prod" {
  allow_users_to_change_password = true
  hard_expiry = false
  max_password_age = 90
  minimum_password_length = 14
  password_reuse_prevention = 24
  require_lowercase_characters = true
  require_numbers = true
  require_symbols = true
  require_uppercase_characters = true
}

resource "aws_iam_account_password_policy" "dev" {
  allow_users_to_change_password = true
  hard_expiry = false
  max_password_age = 365
  minimum_password_length = 8
  password_reuse_prevention = 5
  require_lowercase_characters = false
  require_numbers = false
  require_symbols = false
  require_uppercase_characters = false
}

resource "aws_iam_account_password_policy" "sandbox" {
  allow_users_to_change_password = true
  hard_expiry = false
  minimum_password_length = module.org_standards.password_policy
  password_reuse_prevention = module.org_standards.password_policy
  require_symbols = module.org_standards.password_policy
  require_numbers = module.org_standards.password_policy
  require_uppercase_characters = module.org_standards.password_policy
  require_lowercase_characters = module.org_standards.password_policy
  max_password_age = module.org_standards.password_policy
}

module "org_standards" {
  source = "example-org/org-standards/aws"
}

