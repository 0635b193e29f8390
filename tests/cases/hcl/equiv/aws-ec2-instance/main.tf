resource "aws_instance" "app" {
  ami = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.medium"
  metadata_options {
    http_put_response_hop_limit = 1
    instance_metadata_tags = "disabled"
    http_tokens = "required"
    http_endpoint = "enabled"
  }
  subnet_id = "subnet-0a1b2c3d4e5f60718"
  user_data_replace_on_change = false
  source_dest_check = true
  get_password_data = false
  launch_template = []
  associate_public_ip_address = false
}

resource "aws_instance" "legacy" {
  ami = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.medium"
  metadata_options {
    http_put_response_hop_limit = 1
    instance_metadata_tags = "disabled"
    http_tokens = "optional"
    http_endpoint = "enabled"
  }
  subnet_id = "subnet-0a1b2c3d4e5f60718"
  user_data_replace_on_change = false
  source_dest_check = true
  get_password_data = false
  launch_template = []
  associate_public_ip_address = true
}

resource "aws_instance" "worker" {
  ami = "ami-0a1b2c3d4e5f60718"
  instance_type = "t3.medium"
  metadata_options {
    http_put_response_hop_limit = 1
    instance_metadata_tags = "disabled"
  }
  subnet_id = "subnet-0a1b2c3d4e5f60718"
  user_data_replace_on_change = false
  source_dest_check = true
  get_password_data = false
  launch_template = []
}
