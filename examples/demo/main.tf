# The stack `make demo` applies against a local GitHub emulator: three packages
# of octocat that must exist. Two were deleted and are restored; one is still
# visible and is adopted without a restore.
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
