variable "name" {
  description = "Server name; also names its firewall and SSH key. Hetzner's rules: 1-63 characters, lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-63 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "server_type" {
  description = "Hetzner server type, for example cx23 or cax11 (see prices.json)."
  type        = string
}

variable "location" {
  description = "Hetzner location, for example fsn1, nbg1, hel1, ash, hil or sin."
  type        = string
}

variable "image" {
  description = "Operating system image."
  type        = string
  default     = "debian-12"
}

variable "team" {
  description = "Team that owns the VM (a label)."
  type        = string
}

variable "requester" {
  description = "Gatehouse user who asked for the VM (a label)."
  type        = string
}

variable "request_id" {
  description = "Gatehouse execution id of the provision request (a label; the destroy flow finds the state by it)."
  type        = string
}

variable "expires_at" {
  description = "When the TTL flow destroys the VM, as an RFC 3339 timestamp (2026-12-01T09:00:00Z)."
  type        = string

  validation {
    condition     = can(formatdate("YYYY", var.expires_at))
    error_message = "expires_at must be an RFC 3339 timestamp such as 2026-12-01T09:00:00Z."
  }
}

variable "ssh_key_names" {
  description = "Names (or ids) of SSH keys already in the Hetzner project to install on the server."
  type        = list(string)
  default     = []
}

variable "ssh_public_key" {
  description = "An OpenSSH public key to upload as a new SSH key named after the server; empty for none."
  type        = string
  default     = ""
}

variable "labels" {
  description = "More labels for the server and firewall; the managed labels (managed-by, requester, team, request-id, expires-at) win on a clash."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for value in values(var.labels) : can(regex("^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$", value))])
    error_message = "Label values must be at most 63 characters of letters, digits, '.', '_' and '-', starting and ending with a letter or digit."
  }
}

variable "extra_ports" {
  description = "TCP ports to open to the world besides SSH (22)."
  type        = list(number)
  default     = []

  validation {
    condition     = alltrue([for port in var.extra_ports : port >= 1 && port <= 65535 && floor(port) == port])
    error_message = "Each extra port must be a whole number from 1 to 65535."
  }
}
