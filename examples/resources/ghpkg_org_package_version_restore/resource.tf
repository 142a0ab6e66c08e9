# Restore a container image and its last three release tags. The versions
# reference the package resource, so Terraform restores the package first.
resource "ghpkg_org_package_restore" "app" {
  org          = "octo-org"
  package_type = "container"
  package_name = "octo-repo/octo-app"
}

resource "ghpkg_org_package_version_restore" "releases" {
  for_each = toset(["v1.4.0", "v1.4.1", "v1.4.2"])

  org          = ghpkg_org_package_restore.app.org
  package_type = ghpkg_org_package_restore.app.package_type
  package_name = ghpkg_org_package_restore.app.package_name
  version      = each.key # a tag, resolved once to its package_version_id
}
