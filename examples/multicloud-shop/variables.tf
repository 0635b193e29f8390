variable "azure_subscription_id" {
  type        = string
  description = "Subscription of the shop's production workloads"
}

variable "azure_tenant_id" {
  type        = string
  description = "Entra ID tenant"
}

variable "azure_location" {
  type    = string
  default = "westeurope"
}

variable "sql_admin_group_object_id" {
  type        = string
  description = "Entra ID group that administers the SQL server"
}

variable "gcp_project" {
  type    = string
  default = "northwind-shop-prod"
}

variable "gcp_region" {
  type    = string
  default = "europe-west1"
}

variable "gcp_network" {
  type        = string
  default     = "shop-vpc"
  description = "Shared VPC network of the shop project"
}

variable "aws_region" {
  type    = string
  default = "us-east-1"
}
