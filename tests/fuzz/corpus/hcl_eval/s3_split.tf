variable "env" {
  type    = string
  default = "dev"
}

variable "regions" {
  type = map(object({
    kms = optional(bool, false)
  }))
  default = {
    eu = { kms = true }
    us = {}
  }
}

locals {
  prefix = "shop-${var.env}"
}

resource "aws_s3_bucket" "logs" {
  for_each = var.regions
  bucket   = "${local.prefix}-${each.key}"
  tags = {
    Kms = each.value.kms
  }
}

resource "aws_s3_bucket_versioning" "v" {
  for_each = aws_s3_bucket.logs
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "plain" {
  count  = 2
  bucket = "plain-${count.index}"
  # cshare:ignore CS-AWS-S3-001 test
}

data "aws_iam_policy_document" "p" {}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.plain[0].id
  policy = data.aws_iam_policy_document.p.json
}
