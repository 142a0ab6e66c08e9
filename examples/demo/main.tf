# The stack `make demo` applies against a local GitHub emulator: three packages
# of octocat that must exist (two were deleted and are restored; one is still
# visible and is adopted without a restore), and every container image of the
# organisation octo-org, listed by a data source, one of them deleted, and a
# deleted release tag of one image.
terraform {
  required_providers {
    ghpkg = {
      source = "ghpkg/ghpkg"
    }
  }
}

# token and base_url come from GITHUB_TOKEN and GITHUB_BASE_URL.
provider "ghpkg" {}

variable "username" {
  description = "The GitHub user whose packages must exist."
  type        = string
  default     = "octocat"
}

locals {
  packages = {
    app  = { type = "container", name = "octo-repo/octo-app" }
    lib  = { type = "npm", name = "octo-lib" }
    core = { type = "maven", name = "com.example.octo-core" }
  }
}

resource "ghpkg_user_package_restore" "this" {
  for_each = local.packages

  username     = var.username
  package_type = each.value.type
  package_name = each.value.name
}

variable "org" {
  description = "The organisation whose container images must exist."
  type        = string
  default     = "octo-org"
}

data "ghpkg_org_packages" "images" {
  org          = var.org
  package_type = "container"
}

locals {
  # A listing shows only visible packages: the names that must survive a
  # deletion are kept here as well (see the disaster-recovery guide).
  org_images = toset(concat(["octo-web"], [for p in data.ghpkg_org_packages.images.packages : p.name]))
}

resource "ghpkg_org_package_restore" "images" {
  for_each = local.org_images

  org          = var.org
  package_type = "container"
  package_name = each.key
}

output "packages" {
  description = "What the apply did for each package."
  value = {
    for key, pkg in ghpkg_user_package_restore.this : key => {
      restored    = pkg.restored
      restored_at = pkg.restored_at
      html_url    = pkg.html_url
    }
  }
}

# The release tag v1 of octo-api was deleted by a cleanup job.
resource "ghpkg_org_package_version_restore" "api_v1" {
  org          = var.org
  package_type = "container"
  package_name = ghpkg_org_package_restore.images["octo-api"].package_name
  version      = "v1"
}

output "org_images" {
  description = "What the apply did for each of the organisation's images."
  value       = { for name, pkg in ghpkg_org_package_restore.images : name => pkg.restored }
}
