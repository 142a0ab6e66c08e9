import {
  to = ghpkg_org_package_restore.app
  id = "octo-org/container/octo-repo/octo-app"
}
