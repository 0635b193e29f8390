variable "vpc_id" {}
variable "cidr" {}

resource "aws_subnet" "s" {
  vpc_id     = var.vpc_id
  cidr_block = var.cidr
}
