# Every container image of octocat; terraform query -generate-config-out=dr.tf
# writes a ghpkg_user_package_restore resource and an import block for each.
list "ghpkg_user_package_restore" "octocat_images" {
  provider         = ghpkg
  include_resource = true

  config {
    username     = "octocat"
    package_type = "container"
  }
}
