resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "payflow public ALB"
  vpc_id      = var.vpc_id

  ingress = [
    { description = "HTTPS from the Internet", protocol = "tcp", from_port = 443, to_port = 443, cidr_blocks = ["0.0.0.0/0"], ipv6_cidr_blocks = [], prefix_list_ids = [], security_groups = [], self = false },
    { description = "HTTP, redirected to HTTPS", protocol = "tcp", from_port = 80, to_port = 80, cidr_blocks = ["0.0.0.0/0"], ipv6_cidr_blocks = [], prefix_list_ids = [], security_groups = [], self = false },
    { description = "legacy acquirer callbacks", protocol = "tcp", from_port = 8080, to_port = 8080, cidr_blocks = ["0.0.0.0/0"], ipv6_cidr_blocks = [], prefix_list_ids = [], security_groups = [], self = false },
  ]

  egress = [
    { description = "", protocol = "-1", from_port = 0, to_port = 0, cidr_blocks = ["0.0.0.0/0"], ipv6_cidr_blocks = [], prefix_list_ids = [], security_groups = [], self = false },
  ]

  tags = { Name = "${local.name}-alb" }
}

resource "aws_security_group" "app" {
  name        = "${local.name}-app"
  description = "payflow EKS workloads"
  vpc_id      = var.vpc_id
  tags        = { Name = "${local.name}-app" }
}

resource "aws_security_group" "db" {
  name        = "${local.name}-db"
  description = "payflow Aurora ledger"
  vpc_id      = var.vpc_id
  tags        = { Name = "${local.name}-db" }
}

resource "aws_security_group" "redis" {
  name        = "${local.name}-redis"
  description = "payflow session cache"
  vpc_id      = var.vpc_id
  tags        = { Name = "${local.name}-redis" }
}

resource "aws_security_group" "jump" {
  name        = "${local.name}-jump"
  description = "payflow SSH jump host for the SRE rota"
  vpc_id      = var.vpc_id
  tags        = { Name = "${local.name}-jump" }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  description                  = "API pods from the ALB"
}

resource "aws_security_group_rule" "db_from_app" {
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  source_security_group_id = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 5432
  to_port                  = 5432
  description              = "PostgreSQL from EKS workloads"
}

resource "aws_security_group_rule" "redis_from_vpc" {
  type              = "ingress"
  security_group_id = aws_security_group.redis.id
  cidr_blocks       = ["10.20.0.0/16"]
  protocol          = "tcp"
  from_port         = 6379
  to_port           = 6379
  description       = "Redis from the VPC"
}

resource "aws_vpc_security_group_ingress_rule" "jump_ssh" {
  security_group_id = aws_security_group.jump.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  description       = "SSH for on-call SREs (MFA on the host)"
}

resource "aws_lb" "public" {
  name                       = "${local.name}-public"
  internal                   = false
  load_balancer_type         = "application"
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  enable_deletion_protection = true
  drop_invalid_header_fields = false

  access_logs {
    bucket  = aws_s3_bucket.access_logs.bucket
    prefix  = "alb"
    enabled = true
  }

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_lb_target_group" "api" {
  name        = "${local.name}-api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    path     = "/healthz"
    matcher  = "200"
    protocol = "HTTP"
    interval = 15
  }

  tags = {
    pci-scope = "cde"
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.public.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

# Callbacks from a legacy acquiring processor that only speaks plain HTTP.
resource "aws_lb_listener" "acquirer_callbacks" {
  load_balancer_arn = aws_lb.public.arn
  port              = 8080
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

# Hosted checkout page. TLS ends at CloudFront; the hop to the ALB is plain HTTP
# because the ALB certificate does not cover the ALB's own DNS name.
resource "aws_cloudfront_distribution" "checkout" {
  enabled         = true
  is_ipv6_enabled = true
  comment         = "payflow hosted checkout"
  aliases         = ["checkout.payflow.example"]
  price_class     = "PriceClass_100"
  http_version    = "http2and3"
  web_acl_id      = var.waf_acl_arn

  origin {
    origin_id   = "alb-public"
    domain_name = aws_lb.public.dns_name

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "http-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_keepalive_timeout = 5
      origin_read_timeout      = 30
    }
  }

  default_cache_behavior {
    target_origin_id         = "alb-public"
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods           = ["GET", "HEAD"]
    compress                 = true
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # Managed-CachingDisabled
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3" # Managed-AllViewer
  }

  viewer_certificate {
    acm_certificate_arn      = var.cloudfront_certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  logging_config {
    bucket          = aws_s3_bucket.access_logs.bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }

  tags = {
    pci-scope = "connected"
  }
}
