# Release tags that must exist, beside their image: the versions reference the
# package resource, so Terraform restores a deleted image before its tags.
variable "org" {
  description = "The organisation that owns the image."
  type        = string
}

resource "ghpkg_org_package_restore" "image" {
  org          = var.org
  package_type = "container"
  package_name = "octo-repo/octo-app"
}

locals {
  release_tags = toset(["v1.4.0", "v1.4.1", "v1.4.2"])
}

resource "ghpkg_org_package_version_restore" "releases" {
  for_each = local.release_tags

  org          = ghpkg_org_package_restore.image.org
  package_type = ghpkg_org_package_restore.image.package_type
  package_name = ghpkg_org_package_restore.image.package_name
  version      = each.key # a tag, resolved once to its package_version_id
}

# The deleted versions of the image, for a check that warns in every plan when
# one can be restored for 7 more days or less. The image is named through its
# resource: when the image itself was deleted, Terraform lists its versions
# during apply, after restoring it, instead of failing the plan.
data "ghpkg_org_package_versions" "deleted" {
  org          = ghpkg_org_package_restore.image.org
  package_type = ghpkg_org_package_restore.image.package_type
  package_name = ghpkg_org_package_restore.image.package_name
  state        = "deleted"
}

check "restore_window" {
  assert {
    condition = alltrue([
      for v in data.ghpkg_org_package_versions.deleted.versions :
      timecmp(v.restorable_until, timeadd(plantimestamp(), "168h")) > 0
    ])
    error_message = "Deleted versions become unrestorable within 7 days: ${join(", ", [
      for v in data.ghpkg_org_package_versions.deleted.versions : "${v.name} (${join(",", v.tags)}) until ${v.restorable_until}"
      if timecmp(v.restorable_until, timeadd(plantimestamp(), "168h")) <= 0
    ])}"
  }
}
