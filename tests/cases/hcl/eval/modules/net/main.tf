variable "index" {
  type = number
}

variable "name" {
  type = string
}

locals {
  cidr = "10.${var.index}.0.0/16"
}

resource "aws_vpc" "main" {
  cidr_block = local.cidr
  tags = {
    Name = var.name
  }
}

module "sub" {
  source   = "./sub"
  for_each = toset(["a"])
  vpc_id   = aws_vpc.main.id
  cidr     = cidrsubnet(local.cidr, 8, 1)
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "cidr" {
  value = aws_vpc.main.cidr_block
}
