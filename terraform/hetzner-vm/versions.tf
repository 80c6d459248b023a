terraform {
  required_version = ">= 1.5"

  required_providers {
    hcloud = {
      source  = "hetznercloud/hcloud"
      version = "~> 1.60"
    }
  }

  # One state file per VM, chosen by the flow at init time:
  #   terraform init -backend-config="path=$GATEHOUSE_DATA/terraform-state/hetzner/<request id>.tfstate"
  # README.md shows the S3 backend on Hetzner Object Storage for production.
  backend "local" {}
}
