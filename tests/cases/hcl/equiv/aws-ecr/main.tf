resource "aws_ecr_repository" "api" {
  name = "shop/api"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "AES256"
    kms_key = ""
  }
}

resource "aws_ecr_repository" "tools" {
  name = "shop/tools"
  image_tag_mutability = "MUTABLE"
  image_scanning_configuration {
    scan_on_push = false
  }
  encryption_configuration {
    encryption_type = "AES256"
    kms_key = ""
  }
}

resource "aws_ecr_repository" "param" {
  name = "shop/param"
  image_scanning_configuration {
    scan_on_push = module.repo_policy.scan_on_push
  }
  encryption_configuration {
    encryption_type = "AES256"
    kms_key = ""
  }
  image_tag_mutability = module.repo_policy.tag_mutability
}

resource "aws_ecr_repository_policy" "param" {
  repository = aws_ecr_repository.param.name
  policy = data.aws_iam_policy_document.param_pull.json
}

data "aws_iam_policy_document" "param_pull" {}

module "repo_policy" {
  source = "example-org/repo-policy/aws"
}

