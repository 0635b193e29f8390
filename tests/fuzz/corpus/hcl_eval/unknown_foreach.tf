data "aws_availability_zones" "az" {}
resource "aws_subnet" "s" {
  for_each   = toset(data.aws_availability_zones.az.names)
  cidr_block = cidrsubnet("10.0.0.0/16", 8, index(data.aws_availability_zones.az.names, each.key))
  vpc_id     = aws_vpc.v.id
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags       = { for s in aws_subnet.s : s.cidr_block => s.id }
}
