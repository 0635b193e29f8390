# Ledger: authorisations, captures, refunds, and the token references into the vault.
resource "aws_db_subnet_group" "ledger" {
  name        = "${local.name}-ledger"
  description = "payflow prod ledger"
  subnet_ids  = var.private_subnet_ids

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier = "${local.name}-ledger"
  engine             = "aurora-postgresql"
  engine_version     = "16.4"
  engine_mode        = "provisioned"
  database_name      = "ledger"

  master_username               = "ledger_admin"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.data.arn

  storage_encrypted = true
  kms_key_id        = aws_kms_key.data.arn

  db_subnet_group_name   = aws_db_subnet_group.ledger.name
  vpc_security_group_ids = [aws_security_group.db.id]

  backup_retention_period      = 14
  preferred_backup_window      = "03:00-04:00"
  preferred_maintenance_window = "sun:05:00-sun:06:00"
  deletion_protection          = true
  skip_final_snapshot          = false
  final_snapshot_identifier    = "${local.name}-ledger-final"
  copy_tags_to_snapshot        = true

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]

  tags = {
    pci-scope  = "cde"
    data-class = "cardholder-data"
  }
}

resource "aws_rds_cluster_instance" "ledger" {
  count = 2

  identifier         = "${local.name}-ledger-${count.index}"
  cluster_identifier = aws_rds_cluster.ledger.id
  instance_class     = var.aurora_instance_class
  engine             = aws_rds_cluster.ledger.engine
  engine_version     = aws_rds_cluster.ledger.engine_version

  publicly_accessible             = false
  auto_minor_version_upgrade      = true
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.data.arn
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.rds_monitoring.arn

  tags = {
    pci-scope = "cde"
  }
}

# Reader for the BI team's hosted dashboard tool, which connects from its SaaS IPs.
resource "aws_rds_cluster_instance" "reporting" {
  identifier         = "${local.name}-ledger-reporting"
  cluster_identifier = aws_rds_cluster.ledger.id
  instance_class     = "db.r7g.large"
  engine             = aws_rds_cluster.ledger.engine
  engine_version     = aws_rds_cluster.ledger.engine_version

  publicly_accessible          = true
  promotion_tier               = 15
  auto_minor_version_upgrade   = true
  performance_insights_enabled = false

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_iam_role" "rds_monitoring" {
  name = "${local.name}-rds-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]
}

# Checkout sessions and idempotency keys (tokens only, never PANs).
resource "aws_elasticache_subnet_group" "sessions" {
  name        = "${local.name}-sessions"
  description = "payflow prod session cache"
  subnet_ids  = var.private_subnet_ids

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "${local.name}-sessions"
  description          = "Checkout sessions and idempotency keys"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = "cache.r7g.large"
  port                 = 6379
  parameter_group_name = "default.redis7"

  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true

  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.data.arn
  # The Go client in checkout-api v2 had no TLS support; revisit after the upgrade.
  transit_encryption_enabled = false

  snapshot_retention_limit = 0

  subnet_group_name  = aws_elasticache_subnet_group.sessions.name
  security_group_ids = [aws_security_group.redis.id]

  tags = {
    pci-scope = "cde"
  }
}
