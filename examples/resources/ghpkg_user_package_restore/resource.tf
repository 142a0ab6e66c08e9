# Restore octocat's deleted container image, or adopt it when it is still
# visible. Later plans show a planned create if it is deleted again.
resource "ghpkg_user_package_restore" "app" {
  username     = "octocat"
  package_type = "container"
  package_name = "octo-repo/octo-app"

  timeouts {
    create = "5m"
  }
}
