# What apply will do to each package and version of the stack: restore it
# (not visible now) or adopt it (visible). Terraform reads data sources during
# plan and keeps them in a saved plan, so `terraform show -json` of the plan
# holds each entry's action (the CI workflow's summary reads it), and apply
# does not look again: when GitHub changes in between, the resources follow
# GitHub. The versions of a deleted image say "unknown": apply restores the
# image first, and only then can its versions be looked up.
data "ghpkg_user_restore_preview" "packages" {
  username = var.owner
  packages = {
    for key, pkg in var.packages : key => { package_type = pkg.type, package_name = pkg.name }
  }
}

data "ghpkg_org_restore_preview" "image" {
  org      = var.org
  packages = { image = { package_type = "container", package_name = "octo-repo/octo-app" } }
  versions = {
    for tag in local.release_tags : tag => {
      package_type = "container", package_name = "octo-repo/octo-app", version = tag
    }
  }
}
