# The same contract for Terraform CLIs older than 1.4 (no terraform_data): outputs only, so a plan has no resource
# changes.
terraform {
  backend "local" {}
}

variable "name" {
  type = string
}

output "server_name" {
  value = var.name
}
