terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "buckets" {
  type = map(object({
    versioning = optional(bool, true)
  }))
  default = {}
}

locals {
  names = [for k, v in var.buckets : "${k}-logs"]
}

resource "aws_s3_bucket" "this" {
  for_each = var.buckets
  bucket   = each.key

  tags = merge(var.tags, { Name = each.key })

  lifecycle { prevent_destroy = true }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  versioning_configuration {
    status = var.buckets[each.key].versioning ? "Enabled" : "Suspended"
  }
}

dynamic "setting" {
  for_each = var.settings
  content {
    name  = setting.key
    value = setting.value
  }
}

module "net" {
  source = "./modules/net"
  cidr   = cidrsubnet("10.0.0.0/8", 8, 1)
}

output "ids" {
  value = aws_s3_bucket.this[*].id
}
