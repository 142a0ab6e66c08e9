# An image and release tags of an organisation: which apply restores, which
# it adopts, and which it cannot restore any more (deleted over 30 days ago:
# one warning at plan names them with the day their window closed).
data "ghpkg_org_restore_preview" "releases" {
  org      = "octo-org"
  packages = { api = { package_type = "container", package_name = "octo-api" } }
  versions = {
    v1 = { package_type = "container", package_name = "octo-api", version = "v1" } # deleted: restore
    v2 = { package_type = "container", package_name = "octo-api", version = "v2" } # visible: adopt
  }
}

output "to_restore" {
  value = [for key, v in data.ghpkg_org_restore_preview.releases.versions : key if v.action == "restore"]
}
