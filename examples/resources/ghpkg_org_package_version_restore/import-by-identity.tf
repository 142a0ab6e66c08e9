import {
  to = ghpkg_org_package_version_restore.v1
  identity = {
    org                = "octo-org"
    package_type       = "container"
    package_name       = "octo-repo/octo-app"
    package_version_id = 123456
  }
}
