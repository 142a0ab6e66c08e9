import {
  to = ghpkg_user_package_restore.app
  identity = {
    username     = "octocat"
    package_type = "container"
    package_name = "octo-repo/octo-app"
  }
}
