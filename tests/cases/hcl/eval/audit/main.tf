# cshare audit of a Terraform directory (tests/cli/t0611-hcl-audit.sh; outside tests/cli/inputs, which t0300 audits as a whole).
variable "versioning" {
  type    = string
  default = "Suspended"
}

resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    # cshare:ignore CS-AWS-S3-003 access logs are written once and expire after 30 days
    status = "Suspended"
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "shop-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = var.versioning
  }
}
