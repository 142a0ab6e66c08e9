import {
  to = ghpkg_user_package_restore.app
  id = "octocat/container/octo-repo/octo-app"
}
