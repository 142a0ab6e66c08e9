# A runbook step: restore one package on demand (Terraform 1.14 or later).
#   terraform apply -invoke=action.ghpkg_package_restore.octo_app
action "ghpkg_package_restore" "octo_app" {
  config {
    username     = "octocat"
    package_type = "container"
    package_name = "octo-repo/octo-app"
  }
}

# A deleted tag of an organisation's image, by name; or set
# package_version_id instead of version.
action "ghpkg_package_restore" "api_v1" {
  config {
    org          = "octo-org"
    package_type = "container"
    package_name = "octo-api"
    version      = "v1"

    timeouts {
      invoke = "10m"
    }
  }
}

# With a package token (only package restores take one): from a sensitive
# variable, since Terraform shows an action's configuration in the plan.
variable "package_token" {
  type      = string
  sensitive = true
  default   = null
}

action "ghpkg_package_restore" "octo_lib" {
  config {
    username     = "octocat"
    package_type = "npm"
    package_name = "octo-lib"
    token        = var.package_token
  }
}

# Restore after another resource is created: the action runs once, after
# terraform_data.release is created, and keeps nothing in state.
resource "terraform_data" "release" {
  input = "octo-api v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ghpkg_package_restore.api_v1]
    }
  }
}
