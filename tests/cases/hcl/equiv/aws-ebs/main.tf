resource "aws_ebs_volume" "encrypted" {
  availability_zone = "eu-west-1a"
  size = 100
  type = "gp3"
  encrypted = true
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  final_snapshot = false
  multi_attach_enabled = false
}

resource "aws_ebs_volume" "plain" {
  availability_zone = "eu-west-1a"
  size = 20
  type = "gp3"
  encrypted = false
  final_snapshot = false
  multi_attach_enabled = false
}

resource "aws_ebs_volume" "unset" {
  availability_zone = "eu-west-1b"
  size = 50
  type = "gp3"
  final_snapshot = false
  multi_attach_enabled = false
}

resource "aws_ebs_encryption_by_default" "eu_west_1" {
  enabled = true
}

resource "aws_ebs_encryption_by_default" "us_east_1" {
  enabled = false
}

resource "aws_ebs_encryption_by_default" "ap_southeast_2" {
  enabled = module.data_policy.ebs_encryption_by_default
}

module "data_policy" {
  source = "example-org/data-policy/aws"
}

