resource "aws_dynamodb_table" "orders" {
  name = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  deletion_protection_enabled = true
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption = []
  ttl = []
  global_secondary_index = []
  local_secondary_index = []
  replica = []
  stream_enabled = false
  import_table = []
}

resource "aws_dynamodb_table" "sessions" {
  name = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  deletion_protection_enabled = false
  point_in_time_recovery {
    enabled = false
  }
  server_side_encryption = []
  ttl = []
  global_secondary_index = []
  local_secondary_index = []
  replica = []
  stream_enabled = false
  import_table = []
}

resource "aws_dynamodb_table" "events" {
  name = "events"
  billing_mode = "PAY_PER_REQUEST"
  hash_key = "stream"
  attribute {
    name = "stream"
    type = "S"
  }
  point_in_time_recovery {
    enabled = module.data_policy.protect_tables
  }
  server_side_encryption = []
  ttl = []
  global_secondary_index = []
  local_secondary_index = []
  replica = []
  stream_enabled = false
  import_table = []
  deletion_protection_enabled = module.data_policy.protect_tables
}

module "data_policy" {
  source = "example-org/data-policy/aws"
}

