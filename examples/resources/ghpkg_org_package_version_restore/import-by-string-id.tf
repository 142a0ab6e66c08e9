import {
  to = ghpkg_org_package_version_restore.v1
  id = "octo-org/container/octo-repo/octo-app/123456"
}
