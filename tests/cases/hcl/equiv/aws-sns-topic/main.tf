resource "aws_sns_topic" "orders_events" {
  content_based_deduplication = false
  fifo_topic = false
  kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/3c4d5e6f-7081-4b9c-8d0e-2f3a4b5c6d7e"
  name = "orders-events"
}

resource "aws_sns_topic" "marketing_news" {
  content_based_deduplication = false
  fifo_topic = false
  name = "marketing-news"
}

resource "aws_sns_topic" "ops_alerts" {
  content_based_deduplication = false
  fifo_topic = false
  name = "ops-alerts"
  kms_master_key_id = data.aws_kms_key.alerts.id
}

data "aws_kms_key" "alerts" {}

