# A stack of hundreds of packages of one organisation. Restoring them all
# in one apply is paced by the provider and by GitHub's secondary limits;
# see the guide "Restoring hundreds of packages".
terraform {
  required_version = ">= 1.5.7"
  required_providers {
    ghpkg = {
      source = "ghpkg/ghpkg"
    }
  }
}

provider "ghpkg" {}

variable "packages" {
  description = "The npm packages of octo-org that must exist."
  type        = set(string)
  default     = ["octo-lib", "octo-cli"]
}

resource "ghpkg_org_package_restore" "dr" {
  for_each = var.packages

  org          = "octo-org"
  package_type = "npm"
  package_name = each.key

  timeouts {
    # Beyond 500 restores in an hour, the next ones wait for GitHub's
    # hourly write limit to let them through: up to an hour.
    create = "65m"
  }
}
