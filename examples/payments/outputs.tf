output "alb_dns_name" {
  value = aws_lb.public.dns_name
}

output "statements_bucket" {
  value = aws_s3_bucket.statements.bucket
}

output "card_vault_key_arn" {
  value = module.vault.kms_key_arn
}
