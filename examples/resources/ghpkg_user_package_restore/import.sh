# username/package_type/package_name; the name may itself contain "/".
terraform import ghpkg_user_package_restore.app octocat/container/octo-repo/octo-app
