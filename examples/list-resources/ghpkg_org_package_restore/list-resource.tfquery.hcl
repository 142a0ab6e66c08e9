# Every private npm package of octo-org; terraform query -generate-config-out=dr.tf
# writes a ghpkg_org_package_restore resource and an import block for each.
list "ghpkg_org_package_restore" "octo_org_npm" {
  provider         = ghpkg
  include_resource = true

  config {
    org          = "octo-org"
    package_type = "npm"
    visibility   = "private"
  }
}
