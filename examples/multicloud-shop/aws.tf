# Storefront JavaScript, CSS and fonts, served through CloudFront with origin access control.
resource "aws_s3_bucket" "storefront_assets" {
  bucket        = "northwind-shop-storefront-assets"
  force_destroy = false

  tags = {
    data-class = "public-content"
  }
}

resource "aws_s3_bucket_public_access_block" "storefront_assets" {
  bucket                  = aws_s3_bucket.storefront_assets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "storefront_assets" {
  bucket = aws_s3_bucket.storefront_assets.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_cloudfront_origin_access_control" "storefront_assets" {
  name                              = "northwind-shop-storefront-assets"
  description                       = "Storefront assets"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# Default *.cloudfront.net certificate; the storefront pages link to it over HTTPS,
# but the distribution also answers plain HTTP.
resource "aws_cloudfront_distribution" "storefront" {
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "Northwind shop storefront assets"
  default_root_object = "index.html"
  price_class         = "PriceClass_100"

  origin {
    origin_id                = "s3-storefront-assets"
    domain_name              = aws_s3_bucket.storefront_assets.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.storefront_assets.id
  }

  default_cache_behavior {
    target_origin_id       = "s3-storefront-assets"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6" # Managed-CachingOptimized
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  tags = {
    data-class = "public-content"
  }
}

resource "aws_s3_bucket_policy" "storefront_assets" {
  bucket = aws_s3_bucket.storefront_assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowCloudFrontOAC"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.storefront_assets.arn}/*"
      Condition = {
        StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.storefront.arn }
      }
    }]
  })
}
