resource "aws_cloudfront_distribution" "shop" {
  aliases = [
    "shop.example.com",
  ]
  continuous_deployment_policy_id = ""
  custom_error_response = []
  default_cache_behavior {
    allowed_methods = [
      "GET",
      "HEAD",
    ]
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    cached_methods = [
      "GET",
      "HEAD",
    ]
    compress = true
    field_level_encryption_id = ""
    origin_request_policy_id = ""
    realtime_log_config_arn = ""
    response_headers_policy_id = ""
    smooth_streaming = false
    target_origin_id = "assets"
    viewer_protocol_policy = "redirect-to-https"
  }
  default_root_object = ""
  enabled = true
  http_version = "http2"
  is_ipv6_enabled = true
  logging_config {
    bucket = "shop-cf-logs-111122223333.s3.amazonaws.com"
    include_cookies = false
    prefix = "shop/"
  }
  ordered_cache_behavior {
    allowed_methods = [
      "GET",
      "HEAD",
    ]
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    cached_methods = [
      "GET",
      "HEAD",
    ]
    compress = true
    field_level_encryption_id = ""
    origin_request_policy_id = ""
    realtime_log_config_arn = ""
    response_headers_policy_id = ""
    smooth_streaming = false
    target_origin_id = "api"
    viewer_protocol_policy = "https-only"
    path_pattern = "/api/*"
  }
  origin {
    connection_attempts = 3
    connection_timeout = 10
    domain_name = "shop-assets-111122223333.s3.eu-west-1.amazonaws.com"
    origin_access_control_id = "E2QWRUHAPOMQZL"
    origin_id = "assets"
    origin_path = ""
  }
  origin {
    connection_attempts = 3
    connection_timeout = 10
    custom_origin_config = [
      {
        "http_port" = 80
        "https_port" = 443
        "origin_keepalive_timeout" = 5
        "origin_read_timeout" = 30
        "origin_ssl_protocols" = [
          "TLSv1.2",
        ]
        "origin_protocol_policy" = "https-only"
      },
    ]
    domain_name = "api.example.com"
    origin_access_control_id = ""
    origin_id = "api"
    origin_path = ""
  }
  origin_group = []
  price_class = "PriceClass_100"
  restrictions {
    geo_restriction = [
      {
        "locations" = []
        "restriction_type" = "none"
      },
    ]
  }
  retain_on_delete = false
  staging = false
  viewer_certificate {
    cloudfront_default_certificate = false
    minimum_protocol_version = "TLSv1.2_2021"
    ssl_support_method = "sni-only"
    acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
  }
  wait_for_deployment = true
  web_acl_id = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/3f5e7a9b-1c2d-4e6f-8a0b-c1d2e3f4a5b6"
}

resource "aws_cloudfront_distribution" "legacy" {
  aliases = []
  continuous_deployment_policy_id = ""
  custom_error_response = []
  default_cache_behavior {
    allowed_methods = [
      "GET",
      "HEAD",
    ]
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    cached_methods = [
      "GET",
      "HEAD",
    ]
    compress = true
    field_level_encryption_id = ""
    origin_request_policy_id = ""
    realtime_log_config_arn = ""
    response_headers_policy_id = ""
    smooth_streaming = false
    target_origin_id = "web"
    viewer_protocol_policy = "allow-all"
  }
  default_root_object = ""
  enabled = true
  http_version = "http2"
  is_ipv6_enabled = true
  logging_config = []
  ordered_cache_behavior {
    allowed_methods = [
      "GET",
      "HEAD",
    ]
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    cached_methods = [
      "GET",
      "HEAD",
    ]
    compress = true
    field_level_encryption_id = ""
    origin_request_policy_id = ""
    realtime_log_config_arn = ""
    response_headers_policy_id = ""
    smooth_streaming = false
    target_origin_id = "web"
    viewer_protocol_policy = "allow-all"
    path_pattern = "/static/*"
  }
  origin {
    connection_attempts = 3
    connection_timeout = 10
    custom_origin_config = [
      {
        "http_port" = 80
        "https_port" = 443
        "origin_keepalive_timeout" = 5
        "origin_read_timeout" = 30
        "origin_ssl_protocols" = [
          "TLSv1.2",
        ]
        "origin_protocol_policy" = "http-only"
      },
    ]
    domain_name = "www-origin.example.com"
    origin_access_control_id = ""
    origin_id = "web"
    origin_path = ""
  }
  origin_group = []
  price_class = "PriceClass_100"
  restrictions {
    geo_restriction = [
      {
        "locations" = []
        "restriction_type" = "none"
      },
    ]
  }
  retain_on_delete = false
  staging = false
  viewer_certificate {
    cloudfront_default_certificate = true
    minimum_protocol_version = "TLSv1"
  }
  wait_for_deployment = true
}

resource "aws_cloudfront_distribution" "partners" {
  aliases = [
    "partners.example.com",
  ]
  continuous_deployment_policy_id = ""
  custom_error_response = []
  default_cache_behavior {
    allowed_methods = [
      "GET",
      "HEAD",
    ]
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    cached_methods = [
      "GET",
      "HEAD",
    ]
    compress = true
    field_level_encryption_id = ""
    origin_request_policy_id = ""
    realtime_log_config_arn = ""
    response_headers_policy_id = ""
    smooth_streaming = false
    target_origin_id = "partners"
    viewer_protocol_policy = "redirect-to-https"
  }
  default_root_object = ""
  enabled = true
  http_version = "http2"
  is_ipv6_enabled = true
  logging_config {
    include_cookies = false
    prefix = "partners/"
    bucket = data.aws_s3_bucket.partner_logs.bucket_domain_name
  }
  ordered_cache_behavior {
    allowed_methods = [
      "GET",
      "HEAD",
    ]
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    cached_methods = [
      "GET",
      "HEAD",
    ]
    compress = true
    field_level_encryption_id = ""
    origin_request_policy_id = ""
    realtime_log_config_arn = ""
    response_headers_policy_id = ""
    smooth_streaming = false
    target_origin_id = "partners"
    path_pattern = "/v2/*"
    viewer_protocol_policy = data.terraform_data.partners.output
  }
  origin {
    connection_attempts = 3
    connection_timeout = 10
    custom_origin_config {
      http_port = 80
      https_port = 443
      origin_keepalive_timeout = 5
      origin_read_timeout = 30
      origin_ssl_protocols = [
        "TLSv1.2",
      ]
      origin_protocol_policy = data.terraform_data.partners.output
    }
    domain_name = "partners-origin.example.com"
    origin_access_control_id = ""
    origin_id = "partners"
    origin_path = ""
  }
  origin_group = []
  price_class = "PriceClass_100"
  restrictions {
    geo_restriction = [
      {
        "locations" = []
        "restriction_type" = "none"
      },
    ]
  }
  retain_on_delete = false
  staging = false
  viewer_certificate {
    cloudfront_default_certificate = false
    minimum_protocol_version = "TLSv1.2_2021"
    acm_certificate_arn = data.aws_acm_certificate.partners.arn
  }
  wait_for_deployment = true
  web_acl_id = data.aws_wafv2_web_acl.partners.arn
}

data "aws_acm_certificate" "partners" {}

data "aws_s3_bucket" "partner_logs" {}

data "aws_wafv2_web_acl" "partners" {}

data "terraform_data" "partners" {}
