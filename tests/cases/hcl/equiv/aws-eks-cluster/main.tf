resource "aws_eks_cluster" "payments" {
  access_config = []
  bootstrap_self_managed_addons = true
  enabled_cluster_log_types = [
    "api",
    "audit",
    "authenticator",
  ]
  encryption_config {
    provider = [
      {
        "key_arn" = "arn:aws:kms:eu-west-1:111122223333:key/4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d"
      },
    ]
    resources = [
      "secrets",
    ]
  }
  name = "payments"
  remote_network_config = []
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  version = "1.31"
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access = false
    subnet_ids = [
      "subnet-0a1b2c3d4e5f60718",
      "subnet-0f1e2d3c4b5a69788",
    ]
    public_access_cidrs = [
      "0.0.0.0/0",
    ]
  }
  zonal_shift_config = []
}

resource "aws_eks_cluster" "sandbox" {
  access_config = []
  bootstrap_self_managed_addons = true
  enabled_cluster_log_types = []
  encryption_config = []
  name = "sandbox"
  remote_network_config = []
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  version = "1.31"
  vpc_config {
    endpoint_private_access = false
    endpoint_public_access = true
    subnet_ids = [
      "subnet-0a1b2c3d4e5f60718",
      "subnet-0f1e2d3c4b5a69788",
    ]
    public_access_cidrs = [
      "0.0.0.0/0",
    ]
  }
  zonal_shift_config = []
}

resource "aws_eks_cluster" "partners" {
  access_config = []
  bootstrap_self_managed_addons = true
  encryption_config {
    provider = [
      {
        "key_arn" = "arn:aws:kms:eu-west-1:111122223333:key/4d5e6f70-8192-4a3b-8c4d-5e6f7a8b9c0d"
      },
    ]
    resources = data.terraform_data.eks_logging.output
  }
  name = "partners"
  remote_network_config = []
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  version = "1.31"
  vpc_config {
    endpoint_private_access = false
    endpoint_public_access = true
    subnet_ids = [
      "subnet-0a1b2c3d4e5f60718",
      "subnet-0f1e2d3c4b5a69788",
    ]
  }
  zonal_shift_config = []
  enabled_cluster_log_types = data.terraform_data.eks_logging.output
}

data "terraform_data" "eks_logging" {}
