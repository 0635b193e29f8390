vpc_id                     = "vpc-0f3a5c7e9b1d2f4a6"
private_subnet_ids         = ["subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829", "subnet-0c3d4e5f607182930"]
public_subnet_ids          = ["subnet-0d4e5f60718293a41", "subnet-0e5f60718293a4b52", "subnet-0f60718293a4b5c63"]
certificate_arn            = "arn:aws:acm:us-east-2:111122223333:certificate/7c2e9a41-5b3d-4f86-a0e7-1d9c4b6f2e85"
cloudfront_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/3a8d1f6c-2e47-4b95-8c01-6f5e9d2a7b34"
waf_acl_arn                = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/payflow-prod-checkout/5e1c7a93-8d24-4f6b-b0a5-2c9e7f3d1a68"
