# The deleted versions of an image, and a check that warns in every plan
# when one of them becomes unrestorable within 7 days.
data "ghpkg_org_package_versions" "deleted" {
  org          = "octo-org"
  package_type = "container"
  package_name = "octo-repo/octo-app"
  state        = "deleted"
}

check "deleted_versions_window" {
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
