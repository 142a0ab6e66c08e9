import {
  to = ghpkg_org_package_restore.app
  identity = {
    org          = "octo-org"
    package_type = "container"
    package_name = "octo-repo/octo-app"
  }
}
