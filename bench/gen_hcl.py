#!/usr/bin/env python3
"""gen_hcl.py N DIR - a Terraform configuration with N for_each instances of an
S3 bucket (N a multiple of 100), each with a versioning resource joined to it,
for `make bench` (the acceptance's 10,000 for_each instances under 200 MB)."""
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
outer = n // 100
with open(os.path.join(out, "main.tf"), "w") as f:
    f.write(f'''variable "env" {{
  type    = string
  default = "bench"
}}

locals {{
  names = toset(flatten([for a in range({outer}) : [for b in range(100) : "b-${{a}}-${{b}}"]]))
}}

resource "aws_s3_bucket" "b" {{
  for_each = local.names
  bucket   = "${{var.env}}-${{each.key}}"
  tags = {{
    Env  = var.env
    Name = each.key
  }}
}}

resource "aws_s3_bucket_versioning" "b" {{
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_public_access_block" "b" {{
  for_each                = aws_s3_bucket.b
  bucket                  = each.value.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}}
''')
with open(os.path.join(out, "terraform.tfvars"), "w") as f:
    f.write('env = "prod"\n')
