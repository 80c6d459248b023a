# The token comes from the environment (HCLOUD_TOKEN), which the flow fills from secret('HCLOUD_TOKEN').
provider "hcloud" {}

locals {
  # Hetzner label values allow only [A-Za-z0-9._-], at most 63 characters, starting and ending with a letter or digit.
  # So every other character becomes '-' (the timestamp 2026-12-01T09:00:00Z becomes 2026-12-01T09-00-00Z, an e-mail
  # address alice@example.com becomes alice-example.com), the value is cut to 63 characters, and leading or trailing
  # punctuation is dropped. The exact values stay in Gatehouse's execution history.
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

  inbound_ports = distinct(concat([22], var.extra_ports))
}

# Hetzner refuses a second key with the same fingerprint in one project: when the requester's key is already there,
# pass its name in ssh_key_names instead of ssh_public_key.
resource "hcloud_ssh_key" "requester" {
  count = var.ssh_public_key == "" ? 0 : 1

  name       = var.name
  public_key = var.ssh_public_key
  labels     = local.labels
}

resource "hcloud_firewall" "vm" {
  name   = var.name
  labels = local.labels

  dynamic "rule" {
    for_each = local.inbound_ports
    content {
      description = "tcp ${rule.value}"
      direction   = "in"
      protocol    = "tcp"
      port        = tostring(rule.value)
      source_ips  = ["0.0.0.0/0", "::/0"]
    }
  }
}

resource "hcloud_server" "vm" {
  name         = var.name
  server_type  = var.server_type
  location     = var.location
  image        = var.image
  ssh_keys     = concat(var.ssh_key_names, hcloud_ssh_key.requester[*].id)
  firewall_ids = [hcloud_firewall.vm.id]
  labels       = local.labels

  public_net {
    ipv4_enabled = true
    ipv6_enabled = true
  }
}
