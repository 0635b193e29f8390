# Authorisation and capture events between checkout-api and the ledger writer.
resource "aws_sqs_queue" "payment_events" {
  name                              = "${local.name}-payment-events.fifo"
  fifo_queue                        = true
  content_based_deduplication       = true
  kms_master_key_id                 = aws_kms_alias.data.name
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
  visibility_timeout_seconds        = 120
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.payment_events_dlq.arn
    maxReceiveCount     = 5
  })

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_sqs_queue" "payment_events_dlq" {
  name                      = "${local.name}-payment-events-dlq.fifo"
  fifo_queue                = true
  kms_master_key_id         = aws_kms_alias.data.name
  message_retention_seconds = 1209600

  tags = {
    pci-scope = "cde"
  }
}

# Merchant webhook retries. The consumer library could not read SSE-SQS messages
# in 2024, so server-side encryption was switched off explicitly.
resource "aws_sqs_queue" "webhook_retries" {
  name                       = "${local.name}-webhook-retries"
  sqs_managed_sse_enabled    = false
  message_retention_seconds  = 345600
  visibility_timeout_seconds = 60

  tags = {
    pci-scope = "connected"
  }
}

resource "aws_sns_topic" "settlement_alerts" {
  name              = "${local.name}-settlement-alerts"
  kms_master_key_id = "alias/aws/sns"

  tags = {
    pci-scope = "connected"
  }
}

# Payment status notifications to merchants (order id, amount, last four digits).
resource "aws_sns_topic" "merchant_notifications" {
  name         = "${local.name}-merchant-notifications"
  display_name = "payflow"

  tags = {
    pci-scope = "connected"
  }
}
