# org/package_type/package_name; the name may itself contain "/".
terraform import ghpkg_org_package_restore.app octo-org/container/octo-repo/octo-app
