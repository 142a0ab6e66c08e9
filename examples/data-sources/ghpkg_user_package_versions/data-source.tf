# The active versions of a user's npm package.
data "ghpkg_user_package_versions" "lib" {
  username     = "octocat"
  package_type = "npm"
  package_name = "octo-lib"
}

output "lib_versions" {
  value = [for v in data.ghpkg_user_package_versions.lib.versions : v.name]
}
