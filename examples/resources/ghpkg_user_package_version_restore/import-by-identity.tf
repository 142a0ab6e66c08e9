import {
  to = ghpkg_user_package_version_restore.lib_1_4_2
  identity = {
    username           = "octocat"
    package_type       = "npm"
    package_name       = "octo-lib"
    package_version_id = 123456
  }
}
