resource "aws_redshift_parameter_group" "warehouse" {
  name = "warehouse-params"
  family = "redshift-1.0"
  description = "Managed by Terraform"
  parameter {
    name = "enable_user_activity_logging"
    value = "true"
  }
  parameter {
    name = "require_ssl"
    value = "true"
  }
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier = "warehouse"
  node_type = "ra3.xlplus"
  cluster_type = "single-node"
  number_of_nodes = 1
  database_name = "analytics"
  master_username = "admin"
  manage_master_password = true
  encrypted = true
  publicly_accessible = false
  automated_snapshot_retention_period = 14
  cluster_parameter_group_name = aws_redshift_parameter_group.warehouse.name
  skip_final_snapshot = false
  final_snapshot_identifier = "warehouse-final"
}

resource "aws_redshift_parameter_group" "legacy" {
  name = "legacy-params"
  family = "redshift-1.0"
  description = "Managed by Terraform"
  parameter {
    name = "require_ssl"
    value = "false"
  }
}

resource "aws_redshift_cluster" "legacy" {
  cluster_identifier = "legacy"
  node_type = "ra3.xlplus"
  cluster_type = "single-node"
  number_of_nodes = 1
  database_name = "analytics"
  master_username = "admin"
  manage_master_password = true
  encrypted = false
  publicly_accessible = true
  automated_snapshot_retention_period = 0
  cluster_parameter_group_name = aws_redshift_parameter_group.legacy.name
  skip_final_snapshot = false
  final_snapshot_identifier = "legacy-final"
}

resource "aws_redshift_parameter_group" "staging" {
  name = "staging-params"
  family = "redshift-1.0"
  description = "Managed by Terraform"
  parameter = module.rs_policy.parameters
}

resource "aws_redshift_cluster" "staging" {
  cluster_identifier = "staging"
  node_type = "ra3.xlplus"
  cluster_type = "single-node"
  number_of_nodes = 1
  database_name = "analytics"
  master_username = "admin"
  manage_master_password = true
  cluster_parameter_group_name = aws_redshift_parameter_group.staging.name
  skip_final_snapshot = false
  final_snapshot_identifier = "staging-final"
  encrypted = module.rs_policy.encrypted
  publicly_accessible = module.rs_policy.public
  automated_snapshot_retention_period = module.rs_policy.snapshot_days
}

module "rs_policy" {
  source = "example-org/rs-policy/aws"
}

