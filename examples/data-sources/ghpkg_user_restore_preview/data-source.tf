# What apply will do to each package of a stack, as GitHub stands at plan:
# give the preview the packages of the stack's resources, keyed as they are.
locals {
  packages = {
    app = { type = "container", name = "octo-repo/octo-app" } # deleted: apply restores it
    lib = { type = "npm", name = "octo-lib" }                 # visible: apply adopts it
  }
}

data "ghpkg_user_restore_preview" "stack" {
  username = "octocat"
  packages = { for key, p in local.packages : key => { package_type = p.type, package_name = p.name } }
}

resource "ghpkg_user_package_restore" "this" {
  for_each = local.packages

  username     = "octocat"
  package_type = each.value.type
  package_name = each.value.name
}
