resource "aws_lb_listener" "https" {
  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/8f1c3b2a-4d5e-4f60-9a7b-1c2d3e4f5a6b"
  default_action {
    order = 1
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067"
    type = "forward"
  }
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188"
  port = 443
  protocol = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

resource "aws_lb_listener" "http_redirect" {
  default_action {
    order = 1
    redirect = [
      {
        "host" = "#{host}"
        "path" = "/#{path}"
        "port" = "443"
        "query" = "#{query}"
        "status_code" = "HTTP_301"
        "protocol" = "HTTPS"
      },
    ]
    type = "redirect"
  }
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188"
  port = 80
  protocol = "HTTP"
  ssl_policy = ""
}

resource "aws_alb_listener" "http_forward" {
  default_action {
    order = 1
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067"
    type = "forward"
  }
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188"
  port = 8080
  protocol = "HTTP"
  ssl_policy = ""
}

resource "aws_lb_listener" "https_old" {
  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/8f1c3b2a-4d5e-4f60-9a7b-1c2d3e4f5a6b"
  default_action {
    order = 1
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067"
    type = "forward"
  }
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188"
  port = 8443
  protocol = "HTTPS"
  ssl_policy = "ELBSecurityPolicy-2016-08"
}

resource "aws_lb_listener" "https_env" {
  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/8f1c3b2a-4d5e-4f60-9a7b-1c2d3e4f5a6b"
  default_action {
    order = 1
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067"
    type = "forward"
  }
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188"
  port = 9443
  protocol = "HTTPS"
  ssl_policy = data.terraform_data.tls_policy.output
}

resource "aws_lb_listener" "http_env" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188"
  port = 8081
  protocol = "HTTP"
  # a dynamic block is not recorded in the plan's configuration section; the
  # redirect's protocol comes from a value known only after apply
  dynamic "default_action" {
    for_each = ["redirect"]
    content {
      order = 1
      type = default_action.value
      redirect {
        host = "#{host}"
        path = "/#{path}"
        port = "443"
        query = "#{query}"
        status_code = "HTTP_301"
        protocol = data.terraform_data.tls_policy.output
      }
    }
  }
}

data "terraform_data" "tls_policy" {}

resource "aws_lb_listener" "http_keep_protocol" {
  default_action {
    order = 1
    redirect {
      status_code = "HTTP_302"
    }
    type = "redirect"
  }
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/50dc6c495c0c9188"
  port = 8082
  protocol = "HTTP"
  ssl_policy = ""
}
