import {
  to = ghpkg_user_package_version_restore.lib_1_4_2
  id = "octocat/npm/octo-lib/123456"
}
