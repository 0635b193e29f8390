resource "aws_cloudtrail" "org_trail" {
  advanced_event_selector = []
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/org:*"
  cloud_watch_logs_role_arn = "arn:aws:iam::111122223333:role/cloudtrail-to-cloudwatch"
  enable_log_file_validation = true
  enable_logging = true
  event_selector = []
  include_global_service_events = true
  insight_selector = []
  is_multi_region_trail = true
  is_organization_trail = false
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/5e6f7081-92a3-4b4c-8d5e-6f7a8b9c0d1e"
  name = "org-trail"
  s3_bucket_name = "org-cloudtrail-111122223333"
}

resource "aws_cloudtrail" "minimal" {
  advanced_event_selector = []
  enable_log_file_validation = false
  enable_logging = false
  event_selector = []
  include_global_service_events = false
  insight_selector = []
  is_multi_region_trail = false
  is_organization_trail = false
  name = "minimal"
  s3_bucket_name = "org-cloudtrail-111122223333"
}

resource "aws_cloudtrail" "env_trail" {
  advanced_event_selector = []
  event_selector = []
  insight_selector = []
  is_organization_trail = false
  name = "env-trail"
  s3_bucket_name = "org-cloudtrail-111122223333"
  enable_logging = data.terraform_data.audit_policy.output
  is_multi_region_trail = data.terraform_data.audit_policy.output
  enable_log_file_validation = data.terraform_data.audit_policy.output
  include_global_service_events = data.terraform_data.audit_policy.output
  kms_key_id = data.aws_kms_key.trail.arn
  cloud_watch_logs_group_arn = data.aws_cloudwatch_log_group.trail.arn
}

data "aws_cloudwatch_log_group" "trail" {}

data "aws_kms_key" "trail" {}

data "terraform_data" "audit_policy" {}

