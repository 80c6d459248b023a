# The same stand-in for Terraform CLIs older than 1.4 (no terraform_data): outputs only, so a plan changes no resource.
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

output "id" {
  value = var.request_id
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
