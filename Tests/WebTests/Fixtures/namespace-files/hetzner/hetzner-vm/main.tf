# A provider-less stand-in for terraform/hetzner-vm (same variables and outputs) for the end-to-end test: the
# built-in terraform_data resource (Terraform >= 1.4) makes plan, apply and destroy real without the hcloud provider.
terraform {
  backend "local" {}
}

variable "name" {
  type = string
}

variable "server_type" {
  type = string
}

variable "location" {
  type = string
}

variable "image" {
  type    = string
  default = "debian-12"
}

variable "team" {
  type = string
}

variable "requester" {
  type = string
}

variable "request_id" {
  type = string
}

variable "expires_at" {
  type = string
}

variable "ssh_key_names" {
  type    = list(string)
  default = []
}

variable "ssh_public_key" {
  type    = string
  default = ""
}

variable "labels" {
  type    = map(string)
  default = {}
}

variable "extra_ports" {
  type    = list(number)
  default = []
}

locals {
  ipv4 = "203.0.113.${parseint(substr(sha1(var.name), 0, 2), 16) % 250 + 1}"
  ipv6 = "2001:db8::${substr(sha1(var.name), 0, 4)}"
}

resource "terraform_data" "server" {
  input = {
    name        = var.name
    server_type = var.server_type
    location    = var.location
    requester   = var.requester
    request_id  = var.request_id
    expires_at  = var.expires_at
  }
}

output "id" {
  value = terraform_data.server.id
}

output "name" {
  value = var.name
}

output "ipv4" {
  value = local.ipv4
}

output "ipv6" {
  value = local.ipv6
}

output "status" {
  value = "running"
}
