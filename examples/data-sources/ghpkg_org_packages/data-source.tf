# Every container image of octo-org that is visible today...
data "ghpkg_org_packages" "images" {
  org          = "octo-org"
  package_type = "container"

  # The listing, every page and retry, gets 5 minutes by default; a large
  # organisation on a slow GitHub Enterprise Server may need more.
  timeouts {
    read = "10m"
  }
}

locals {
  # ...plus the names that must survive a deletion. A listing shows only
  # visible packages: once one is deleted it drops out of the listing, so
  # keep the names here (copy them from the listing's first run) for the
  # stack to restore them instead of forgetting them.
  protected_images = ["octo-repo/octo-app", "octo-cli"]
}

resource "ghpkg_org_package_restore" "images" {
  for_each = toset(concat(local.protected_images, [for p in data.ghpkg_org_packages.images.packages : p.name]))

  org          = "octo-org"
  package_type = "container"
  package_name = each.key
}
