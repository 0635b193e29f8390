variable "o" {
  type    = object({ a = string, b = optional(list(number), [1]) })
  default = { a = "x" }
}
variable "fuzz" { type = number }
locals {
  m = { for k, v in var.o : k => v }
  s = [for i in range(3) : "${i}-%{if i > 1}big%{else}small%{endif}"]
  c = local.d
  d = local.c
}
resource "aws_kms_key" "k" {
  count               = var.fuzz + 1
  enable_key_rotation = try(local.m.zz, count.index == 0)
  description         = join(",", local.s)
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*" }] })
  dynamic "tag" {
    for_each = local.m
    content { key = tag.key }
  }
}
module "m" {
  source = "./nowhere"
}
--- terraform.tfvars
fuzz = 2
--- extra.tf.json
{"resource": {"aws_sqs_queue": {"q": {"name": "${var.o.a}-q", "count": 1}}}}
