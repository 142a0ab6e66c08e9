# octocat's public npm packages, all pages.
data "ghpkg_user_packages" "public_npm" {
  username     = "octocat"
  package_type = "npm"
  visibility   = "public"
}

output "public_npm_packages" {
  value = [for p in data.ghpkg_user_packages.public_npm.packages : p.name]
}
