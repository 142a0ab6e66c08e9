# org/package_type/package_name/version_id; the last segment is the version's
# numeric ID, so the name may itself contain "/".
terraform import ghpkg_org_package_version_restore.v1 octo-org/container/octo-repo/octo-app/123456
