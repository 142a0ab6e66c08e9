# Restore one npm release of a user's package by its numeric version ID (the
# number at the end of the version's URL on GitHub). By name (`version`)
# works only in the token's own account: GitHub lists deleted versions by
# state only there and in organisations.
resource "ghpkg_user_package_version_restore" "lib_1_4_2" {
  username           = "octocat"
  package_type       = "npm"
  package_name       = "octo-lib"
  package_version_id = 123456
}
