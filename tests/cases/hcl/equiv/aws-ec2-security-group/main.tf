resource "aws_security_group" "web" {
  description = "Managed by Terraform"
  ingress {
    cidr_blocks = [
      "0.0.0.0/0",
    ]
    description = ""
    from_port = 443
    ipv6_cidr_blocks = [
      "::/0",
    ]
    protocol = "tcp"
    self = false
    to_port = 443
  }
  egress {
    cidr_blocks = [
      "0.0.0.0/0",
    ]
    description = ""
    from_port = 443
    protocol = "tcp"
    self = false
    to_port = 443
  }
  name = "web"
  revoke_rules_on_delete = false
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_security_group" "bastion" {
  description = "Managed by Terraform"
  ingress = []
  egress = []
  name = "bastion"
  revoke_rules_on_delete = false
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_security_group" "outbound" {
  description = "Managed by Terraform"
  ingress = []
  egress = []
  name = "outbound"
  revoke_rules_on_delete = false
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_security_group_rule" "outbound_all" {
  cidr_blocks = [
    "0.0.0.0/0",
  ]
  description = "all outbound"
  from_port = 0
  protocol = "-1"
  self = false
  to_port = 0
  type = "egress"
  security_group_id = aws_security_group.outbound.id
}

resource "aws_security_group_rule" "bastion_ssh" {
  cidr_blocks = [
    "0.0.0.0/0",
  ]
  description = "SSH"
  from_port = 22
  protocol = "tcp"
  self = false
  to_port = 22
  type = "ingress"
  security_group_id = aws_security_group.bastion.id
}

resource "aws_security_group" "db" {
  description = "Managed by Terraform"
  ingress = []
  egress = []
  name = "db"
  revoke_rules_on_delete = false
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_security_group" "jump" {
  description = "Managed by Terraform"
  ingress = []
  egress = []
  name = "jump"
  revoke_rules_on_delete = false
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_vpc_security_group_ingress_rule" "jump_rdp" {
  cidr_ipv6 = "::/0"
  description = "RDP to the jump host"
  from_port = 3389
  ip_protocol = "tcp"
  to_port = 3389
  security_group_id = aws_security_group.jump.id
}

resource "aws_vpc_security_group_ingress_rule" "db_postgres" {
  cidr_ipv4 = "0.0.0.0/0"
  description = "PostgreSQL"
  from_port = 5432
  ip_protocol = "tcp"
  to_port = 5432
  security_group_id = aws_security_group.db.id
}

resource "aws_security_group" "all_open" {
  description = "Managed by Terraform"
  ingress {
    cidr_blocks = [
      "0.0.0.0/0",
    ]
    description = ""
    from_port = 0
    protocol = "-1"
    self = false
    to_port = 0
  }
  egress = []
  name = "all-open"
  revoke_rules_on_delete = false
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_security_group" "from_nat" {
  name = "from-nat"
  vpc_id = "vpc-0a1b2c3d4e5f60718"
  ingress {
    from_port = 0
    to_port = 65535
    protocol = "tcp"
    cidr_blocks = data.aws_eip.nat.public_ip
  }
}

resource "aws_default_security_group" "main" {
  egress = []
  ingress = []
  revoke_rules_on_delete = false
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_default_security_group" "legacy" {
  egress {
    cidr_blocks = [
      "0.0.0.0/0",
    ]
    description = ""
    from_port = 0
    protocol = "-1"
    self = false
    to_port = 0
  }
  ingress {
    description = ""
    from_port = 0
    protocol = "-1"
    self = true
    to_port = 0
  }
  revoke_rules_on_delete = false
  vpc_id = "vpc-0f0e0d0c0b0a09081"
}

resource "aws_default_security_group" "peered" {
  vpc_id = "vpc-0c1d2e3f405162738"
}

data "aws_eip" "nat" {}

