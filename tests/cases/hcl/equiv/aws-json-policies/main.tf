resource "aws_kms_key" "scoped" {
  description = "scoped"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage = "ENCRYPT_DECRYPT"
  enable_key_rotation = true
  deletion_window_in_days = 30
  is_enabled = true
  bypass_policy_lockout_safety_check = false
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EnableRootAccess\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"
}

resource "aws_kms_key" "open" {
  description = "open"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  key_usage = "ENCRYPT_DECRYPT"
  enable_key_rotation = true
  deletion_window_in_days = 30
  is_enabled = true
  bypass_policy_lockout_safety_check = false
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EnableRootAccess\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"OpenToEveryone\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"
}

resource "aws_ecr_repository" "deploy" {
  name = "shop/deploy"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "AES256"
    kms_key = ""
  }
}

resource "aws_ecr_repository_policy" "deploy" {
  repository = aws_ecr_repository.deploy.name
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Pull\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}"
}

resource "aws_ecr_repository" "public" {
  name = "shop/public"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "AES256"
    kms_key = ""
  }
}

resource "aws_ecr_repository_policy" "public" {
  repository = aws_ecr_repository.public.name
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Pull\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}"
}

