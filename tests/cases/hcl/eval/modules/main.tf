# Root module of the module test (tests/unit/test_hcl_eval.c): a counted
# local module with a nested for_each module, an output used by the root,
# and a registry module that is not downloaded.
module "net" {
  source = "./net"
  count  = 2
  index  = count.index
  name   = "shop-${count.index}"
}

module "remote" {
  source  = "hashicorp/consul/aws"
  version = "0.1.0"
}

resource "aws_security_group" "sg" {
  vpc_id      = module.net[0].vpc_id
  description = module.net[0].cidr
}
