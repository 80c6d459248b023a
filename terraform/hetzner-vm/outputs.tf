output "id" {
  description = "Hetzner server id."
  value       = hcloud_server.vm.id
}

output "name" {
  description = "Server name."
  value       = hcloud_server.vm.name
}

output "ipv4" {
  description = "Public IPv4 address."
  value       = hcloud_server.vm.ipv4_address
}

output "ipv6" {
  description = "Public IPv6 address (the first of the server's /64)."
  value       = hcloud_server.vm.ipv6_address
}

output "status" {
  description = "Server status as Hetzner reports it (running, off, ...)."
  value       = hcloud_server.vm.status
}
