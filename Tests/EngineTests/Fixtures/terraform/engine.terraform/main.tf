# A provider-less stand-in for the Hetzner VM module: the built-in terraform_data resource (Terraform >= 1.4) makes
# plan, apply, output and destroy real without downloading anything.
terraform {
  backend "local" {}
}

variable "name" {
  type = string
}

resource "terraform_data" "server" {
  input = var.name
}

output "server_name" {
  value = terraform_data.server.output
}
