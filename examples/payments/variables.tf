variable "region" {
  type        = string
  default     = "us-east-2"
  description = "Primary Region of the cardholder-data environment"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "vpc_id" {
  type        = string
  description = "CDE VPC from the network account (landing zone)"
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "CDE private subnets, one per AZ"
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnets for the ALB"
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate for api.payflow.example"
}

variable "cloudfront_certificate_arn" {
  type        = string
  description = "ACM certificate (us-east-1) for checkout.payflow.example"
}

variable "waf_acl_arn" {
  type        = string
  description = "WAFv2 web ACL (CLOUDFRONT scope) managed by the security team"
}

variable "aurora_instance_class" {
  type    = string
  default = "db.r7g.large"
}
