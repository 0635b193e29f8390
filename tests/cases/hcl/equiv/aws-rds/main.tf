resource "aws_db_instance" "prod" {
  identifier = "prod-postgres"
  engine = "postgres"
  instance_class = "db.m6g.large"
  allocated_storage = 100
  username = "app"
  manage_master_user_password = true
  storage_encrypted = true
  publicly_accessible = false
  backup_retention_period = 14
  deletion_protection = true
  multi_az = true
  enabled_cloudwatch_logs_exports = [
    "postgresql",
    "upgrade",
  ]
  skip_final_snapshot = false
  final_snapshot_identifier = "prod-postgres-final"
  copy_tags_to_snapshot = true
  auto_minor_version_upgrade = true
  apply_immediately = false
  iam_database_authentication_enabled = false
  performance_insights_enabled = false
}

resource "aws_db_instance" "dev" {
  identifier = "dev-postgres"
  engine = "postgres"
  instance_class = "db.m6g.large"
  allocated_storage = 100
  username = "app"
  manage_master_user_password = true
  storage_encrypted = false
  publicly_accessible = true
  backup_retention_period = 0
  deletion_protection = false
  multi_az = false
  enabled_cloudwatch_logs_exports = []
  skip_final_snapshot = false
  final_snapshot_identifier = "dev-postgres-final"
  copy_tags_to_snapshot = true
  auto_minor_version_upgrade = true
  apply_immediately = false
  iam_database_authentication_enabled = false
  performance_insights_enabled = false
}

resource "aws_db_instance" "analytics" {
  identifier = "analytics-postgres"
  engine = "postgres"
  instance_class = "db.m6g.large"
  allocated_storage = 100
  username = "app"
  manage_master_user_password = true
  skip_final_snapshot = false
  final_snapshot_identifier = "analytics-postgres-final"
  copy_tags_to_snapshot = true
  auto_minor_version_upgrade = true
  apply_immediately = false
  iam_database_authentication_enabled = false
  performance_insights_enabled = false
  storage_encrypted = module.db_policy.encrypt_storage
  publicly_accessible = module.db_policy.public_access
  deletion_protection = module.db_policy.deletion_protection
  enabled_cloudwatch_logs_exports = module.db_policy.log_exports
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier = "orders-aurora"
  engine = "aurora-postgresql"
  engine_mode = "provisioned"
  master_username = "app"
  manage_master_user_password = true
  storage_encrypted = true
  backup_retention_period = 7
  deletion_protection = true
  enabled_cloudwatch_logs_exports = [
    "postgresql",
  ]
  skip_final_snapshot = false
  final_snapshot_identifier = "orders-aurora-final"
  copy_tags_to_snapshot = true
}

resource "aws_rds_cluster_instance" "orders_1" {
  identifier = "orders-aurora-1"
  engine = "aurora-postgresql"
  instance_class = "db.r6g.large"
  publicly_accessible = false
  auto_minor_version_upgrade = true
  cluster_identifier = aws_rds_cluster.orders.id
}

resource "aws_rds_cluster" "legacy" {
  cluster_identifier = "legacy-aurora"
  engine = "aurora-postgresql"
  engine_mode = "provisioned"
  master_username = "app"
  manage_master_user_password = true
  storage_encrypted = false
  backup_retention_period = 1
  deletion_protection = false
  enabled_cloudwatch_logs_exports = []
  skip_final_snapshot = false
  final_snapshot_identifier = "legacy-aurora-final"
  copy_tags_to_snapshot = true
}

resource "aws_rds_cluster" "reporting" {
  cluster_identifier = "reporting-aurora"
  engine = "aurora-postgresql"
  engine_mode = "provisioned"
  master_username = "app"
  manage_master_user_password = true
  skip_final_snapshot = false
  final_snapshot_identifier = "reporting-aurora-final"
  copy_tags_to_snapshot = true
  backup_retention_period = module.db_policy.backup_days
  deletion_protection = module.db_policy.deletion_protection
  enabled_cloudwatch_logs_exports = module.db_policy.log_exports
}

module "db_policy" {
  source = "example-org/db-policy/aws"
}

