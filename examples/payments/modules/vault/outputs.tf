output "kms_key_arn" {
  value = aws_kms_key.vault.arn
}

output "tokens_table_name" {
  value = aws_dynamodb_table.tokens.name
}
