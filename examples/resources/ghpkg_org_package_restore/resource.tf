# Restore octo-org's deleted container image, or adopt it when it is still
# visible. Later plans show a planned create if it is deleted again.
resource "ghpkg_org_package_restore" "app" {
  org          = "octo-org"
  package_type = "container"
  package_name = "octo-repo/octo-app"

  timeouts {
    create = "5m"
  }
}
