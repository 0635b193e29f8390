# payflow - cardholder-data environment (CDE) of the payments platform, production.
# Plan with:  terraform plan -out=tfplan && terraform show -json tfplan > plan.json
terraform {
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  backend "s3" {
    bucket         = "payflow-terraform-state-111122223333"
    key            = "cde/prod/terraform.tfstate"
    region         = "us-east-2"
    dynamodb_table = "payflow-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = ["111122223333"]

  default_tags {
    tags = {
      Project     = "payflow"
      Environment = "prod"
      ManagedBy   = "terraform"
      CostCenter  = "cc-4410"
    }
  }
}
