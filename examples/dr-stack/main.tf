# A disaster-recovery stack: every package listed here must exist. Run
# `terraform plan -detailed-exitcode` on a schedule; exit code 2 means a
# package was deleted and `terraform apply` will restore it.
terraform {
  required_version = ">= 1.5.7"
  required_providers {
    ghpkg = {
      source = "ghpkg/ghpkg"
    }
  }
}

provider "ghpkg" {}

variable "owner" {
  description = "The GitHub user who owns the packages."
  type        = string
}

variable "packages" {
  description = "The packages that must exist, keyed by a stable name."
  type = map(object({
    type = string
    name = string
  }))
  default = {
    app = { type = "container", name = "octo-repo/octo-app" }
    lib = { type = "npm", name = "octo-lib" }
  }
}

resource "ghpkg_user_package_restore" "this" {
  for_each = var.packages

  username     = var.owner
  package_type = each.value.type
  package_name = each.value.name

  timeouts {
    create = "10m"
  }
}

# restored and restored_at stay in state until a deletion makes the stack
# create the resource again: this lists the restores of earlier applies too.
output "restored_by_this_stack" {
  description = "The packages this stack restored (rather than adopted) when it created their resource, with restored_at."
  value       = { for key, pkg in ghpkg_user_package_restore.this : key => pkg.restored_at if pkg.restored }
}
