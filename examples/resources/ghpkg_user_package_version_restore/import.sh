# username/package_type/package_name/version_id
terraform import ghpkg_user_package_version_restore.lib_1_4_2 octocat/npm/octo-lib/123456
