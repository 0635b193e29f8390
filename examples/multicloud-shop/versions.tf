# Northwind shop - production. One root module across three clouds:
#   Azure: customers and orders (SQL Database), media storage, key vault, web NSG
#   Google Cloud: catalogue and recommendations (Cloud SQL), product images, order exports
#   AWS: storefront static assets behind CloudFront
# Plan with:  terraform plan -out=tfplan && terraform show -json tfplan > plan.json
terraform {
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.14"
    }
    google = {
      source  = "hashicorp/google"
      version = "~> 6.14"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  backend "azurerm" {
    resource_group_name  = "rg-shop-tfstate"
    storage_account_name = "stshoptfstate01"
    container_name       = "tfstate"
    key                  = "prod.terraform.tfstate"
    use_azuread_auth     = true
  }
}

provider "azurerm" {
  subscription_id = var.azure_subscription_id
  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
  }
}

provider "google" {
  project = var.gcp_project
  region  = var.gcp_region
}

provider "aws" {
  region = var.aws_region
  default_tags {
    tags = {
      Project     = "northwind-shop"
      Environment = "prod"
      ManagedBy   = "terraform"
    }
  }
}
