resource "aws_efs_file_system" "shared" {
  encrypted = true
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  performance_mode = "generalPurpose"
  lifecycle_policy = []
  tags = {
    "Name" = "shared"
  }
}

resource "aws_efs_backup_policy" "shared" {
  backup_policy {
    status = "ENABLED"
  }
  file_system_id = aws_efs_file_system.shared.id
}

resource "aws_efs_file_system" "scratch" {
  encrypted = false
  performance_mode = "generalPurpose"
  lifecycle_policy = []
  tags = {
    "Name" = "scratch"
  }
}

resource "aws_efs_backup_policy" "scratch" {
  backup_policy {
    status = "DISABLED"
  }
  file_system_id = aws_efs_file_system.scratch.id
}

resource "aws_efs_file_system" "unset" {
  performance_mode = "generalPurpose"
  lifecycle_policy = []
  tags = {
    "Name" = "unset"
  }
}

resource "aws_efs_backup_policy" "unset" {
  backup_policy {
    status = module.data_policy.efs_backup_status
  }
  file_system_id = aws_efs_file_system.unset.id
}

module "data_policy" {
  source = "example-org/data-policy/aws"
}

