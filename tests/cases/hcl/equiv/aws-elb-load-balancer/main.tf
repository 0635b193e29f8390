resource "aws_lb" "shop" {
  access_logs {
    bucket = "shop-elb-logs-111122223333"
    enabled = true
    prefix = "shop"
  }
  client_keep_alive = 3600
  desync_mitigation_mode = "defensive"
  drop_invalid_header_fields = true
  enable_deletion_protection = true
  enable_http2 = true
  idle_timeout = 60
  internal = false
  load_balancer_type = "application"
  name = "shop"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

resource "aws_lb" "plain" {
  access_logs = []
  client_keep_alive = 3600
  desync_mitigation_mode = "defensive"
  drop_invalid_header_fields = false
  enable_deletion_protection = false
  enable_http2 = true
  idle_timeout = 60
  internal = false
  load_balancer_type = "application"
  name = "plain"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

resource "aws_lb" "partners" {
  access_logs {
    bucket = "shop-elb-logs-111122223333"
    prefix = "partners"
    enabled = data.terraform_data.env.output
  }
  client_keep_alive = 3600
  desync_mitigation_mode = "defensive"
  enable_http2 = true
  idle_timeout = 60
  internal = false
  load_balancer_type = "application"
  name = "partners"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
  enable_deletion_protection = data.terraform_data.env.output
  drop_invalid_header_fields = data.terraform_data.env.output
}

resource "aws_lb" "mqtt" {
  access_logs = []
  client_keep_alive = 3600
  desync_mitigation_mode = "defensive"
  drop_invalid_header_fields = false
  enable_deletion_protection = true
  enable_http2 = true
  idle_timeout = 60
  internal = true
  load_balancer_type = "network"
  name = "mqtt"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

resource "aws_elb" "legacy_api" {
  access_logs {
    bucket = "shop-elb-logs-111122223333"
    bucket_prefix = "legacy"
    enabled = true
    interval = 60
  }
  connection_draining = false
  connection_draining_timeout = 300
  cross_zone_load_balancing = true
  idle_timeout = 60
  listener {
    instance_port = 8080
    instance_protocol = "http"
    lb_port = 443
    lb_protocol = "https"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:111122223333:certificate/8f1c3b2a-4d5e-4f60-9a7b-1c2d3e4f5a6b"
  }
  name = "legacy-api"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

resource "aws_elb" "legacy_web" {
  access_logs = []
  connection_draining = false
  connection_draining_timeout = 300
  cross_zone_load_balancing = true
  idle_timeout = 60
  listener {
    instance_port = 8080
    instance_protocol = "http"
    lb_port = 80
    lb_protocol = "http"
    ssl_certificate_id = ""
  }
  name = "legacy-web"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

resource "aws_elb" "legacy_env" {
  access_logs {
    bucket = "shop-elb-logs-111122223333"
    bucket_prefix = "env"
    interval = 60
    enabled = data.terraform_data.env.output
  }
  connection_draining = false
  connection_draining_timeout = 300
  cross_zone_load_balancing = true
  idle_timeout = 60
  listener {
    instance_port = 8080
    instance_protocol = "http"
    lb_port = 443
    ssl_certificate_id = ""
    lb_protocol = data.terraform_data.env.output
  }
  name = "legacy-env"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

resource "aws_lb" "logs_default" {
  access_logs {
    bucket = "shop-elb-logs-111122223333"
    prefix = "shop"
  }
  client_keep_alive = 3600
  desync_mitigation_mode = "defensive"
  drop_invalid_header_fields = true
  enable_deletion_protection = true
  enable_http2 = true
  idle_timeout = 60
  internal = false
  load_balancer_type = "application"
  name = "logs-default"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

resource "aws_elb" "classic_logs_default" {
  access_logs {
    bucket = "shop-elb-logs-111122223333"
    bucket_prefix = "legacy"
    interval = 60
  }
  connection_draining = false
  connection_draining_timeout = 300
  cross_zone_load_balancing = true
  idle_timeout = 60
  listener {
    instance_port = 8080
    instance_protocol = "http"
    lb_port = 443
    lb_protocol = "https"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:111122223333:certificate/8f1c3b2a-4d5e-4f60-9a7b-1c2d3e4f5a6b"
  }
  name = "classic-logs-default"
  subnets = [
    "subnet-0a1b2c3d4e5f60718",
    "subnet-0f1e2d3c4b5a69788",
  ]
}

data "terraform_data" "env" {}
