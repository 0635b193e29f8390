# Template forms from hclsyntax/spec.md and Terraform's string docs.
greeting = "Hello, %{ if var.name != "" }${var.name}%{ else }unnamed%{ endif }!"
escapes  = "tab\tquote\" backslash\\ dollar $${literal} percent %%{literal} \u00e9"
wrap     = "${var.only}"
servers  = <<EOT
%{ for ip in aws_instance.example[*].private_ip ~}
server ${ip}
%{ endfor ~}
EOT
indented = <<-EOT
    hello
      world
    EOT
strip    = "a  ${~ var.x ~}  b"
list     = <<EOT
%{ for k, v in var.m }${k}=${v}
%{ endfor }
EOT
