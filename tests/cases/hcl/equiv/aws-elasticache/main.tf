resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description = "sessions"
  engine = "valkey"
  node_type = "cache.r7g.large"
  num_cache_clusters = 2
  automatic_failover_enabled = true
  multi_az_enabled = true
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  snapshot_retention_limit = 5
}

resource "aws_elasticache_replication_group" "queue" {
  replication_group_id = "queue"
  description = "queue"
  engine = "valkey"
  node_type = "cache.r7g.large"
  num_cache_clusters = 2
  automatic_failover_enabled = true
  multi_az_enabled = true
  at_rest_encryption_enabled = false
  transit_encryption_enabled = false
  snapshot_retention_limit = 0
}

resource "aws_elasticache_replication_group" "tokens" {
  replication_group_id = "tokens"
  description = "tokens"
  engine = "valkey"
  node_type = "cache.r7g.large"
  num_cache_clusters = 2
  automatic_failover_enabled = true
  multi_az_enabled = true
  transit_encryption_enabled = module.cache_policy.tls
  snapshot_retention_limit = module.cache_policy.snapshot_days
}

module "cache_policy" {
  source = "example-org/cache-policy/aws"
}

