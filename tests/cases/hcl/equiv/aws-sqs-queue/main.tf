resource "aws_sqs_queue" "orders" {
  content_based_deduplication = false
  delay_seconds = 0
  fifo_queue = false
  kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/2b3c4d5e-6f70-4a8b-9c0d-1e2f3a4b5c6d"
  max_message_size = 262144
  message_retention_seconds = 345600
  name = "orders"
  receive_wait_time_seconds = 0
  visibility_timeout_seconds = 30
}

resource "aws_sqs_queue" "notifications" {
  content_based_deduplication = false
  delay_seconds = 0
  fifo_queue = false
  max_message_size = 262144
  message_retention_seconds = 345600
  name = "notifications"
  receive_wait_time_seconds = 0
  visibility_timeout_seconds = 30
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "legacy_batch" {
  content_based_deduplication = false
  delay_seconds = 0
  fifo_queue = false
  max_message_size = 262144
  message_retention_seconds = 345600
  name = "legacy-batch"
  receive_wait_time_seconds = 0
  visibility_timeout_seconds = 30
  sqs_managed_sse_enabled = false
}

resource "aws_sqs_queue" "partner_inbox" {
  content_based_deduplication = false
  delay_seconds = 0
  fifo_queue = false
  max_message_size = 262144
  message_retention_seconds = 345600
  name = "partner-inbox"
  receive_wait_time_seconds = 0
  visibility_timeout_seconds = 30
  kms_master_key_id = data.aws_kms_key.partner.arn
}

data "aws_kms_key" "partner" {}

