# A provider-less stand-in for terraform/hetzner-vm: the same variables and outputs (a test keeps them in step), built on
# the built-in terraform_data resource (Terraform >= 1.4), so plan, apply and destroy run without downloading the
# Hetzner provider. The addresses are from the documentation ranges (TEST-NET-3, 2001:db8::/32) and derived from the
# name, so a test knows them in advance. prices.json beside it is a copy of the real module's (a test compares them).
terraform {
  required_version = ">= 1.4"

  backend "local" {}
}

variable "name" {
  type = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-63 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
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

  validation {
    condition     = can(formatdate("YYYY", var.expires_at))
    error_message = "expires_at must be an RFC 3339 timestamp such as 2026-12-01T09:00:00Z."
  }
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
  # The same label sanitizing as the real module, so the plan shows the labels Hetzner would get.
  managed_values = {
    "requester"  = var.requester
    "team"       = var.team
    "request-id" = var.request_id
    "expires-at" = var.expires_at
  }
  managed_labels = {
    for key, value in local.managed_values :
    key => replace(substr(replace(value, "/[^A-Za-z0-9._-]/", "-"), 0, 63), "/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/", "")
  }
  labels = merge(var.labels, local.managed_labels, { "managed-by" = "gatehouse" })
  digest = sha1(var.name)
}

resource "terraform_data" "server" {
  input = {
    name          = var.name
    server_type   = var.server_type
    location      = var.location
    image         = var.image
    labels        = local.labels
    ssh_keys      = concat(var.ssh_key_names, var.ssh_public_key == "" ? [] : [var.name])
    inbound_ports = distinct(concat([22], var.extra_ports))
  }
}

output "id" {
  value = terraform_data.server.id
}

output "name" {
  value = terraform_data.server.output.name
}

output "ipv4" {
  value = "203.0.113.${parseint(substr(local.digest, 0, 2), 16) % 250 + 1}"
}

output "ipv6" {
  value = "2001:db8::${substr(local.digest, 0, 4)}"
}

output "status" {
  value = "running"
}
