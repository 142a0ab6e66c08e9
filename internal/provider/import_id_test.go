package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
)

// A wrong import ID, in an import {} block, is refused with the ID's form
// and an example for the resource type at hand, before any request.
func TestAccImport_wrongIDShowsFormAndExample(t *testing.T) {
	tests := map[string]struct{ config, address, form, example string }{
		"user package": {`resource "ghpkg_user_package_restore" "test" {
  username     = "octocat"
  package_type = "npm"
  package_name = "octo-lib"
}`, "ghpkg_user_package_restore.test", "username/package_type/package_name", "octocat/container/octo-repo/octo-app"},
		"org package": {`resource "ghpkg_org_package_restore" "test" {
  org          = "octo-org"
  package_type = "npm"
  package_name = "octo-lib"
}`, "ghpkg_org_package_restore.test", "org/package_type/package_name", "octo-org/container/octo-repo/octo-app"},
		"org version": {`resource "ghpkg_org_package_version_restore" "test" {
  org                = "octo-org"
  package_type       = "npm"
  package_name       = "octo-lib"
  package_version_id = 1
}`, "ghpkg_org_package_version_restore.test", "org/package_type/package_name/version_id", "octo-org/container/octo-repo/octo-app/123456"},
		"user version": {`resource "ghpkg_user_package_version_restore" "test" {
  username           = "octocat"
  package_type       = "npm"
  package_name       = "octo-lib"
  package_version_id = 1
}`, "ghpkg_user_package_version_restore.test", "username/package_type/package_name/version_id", "octocat/npm/octo-lib/123456"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:          srv.ProviderConfig(acctest.Token) + tc.config,
					ResourceName:    tc.address,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   "octocat:npm:octo-lib",
					ExpectError:     errorPattern("Invalid Import ID", `"octocat:npm:octo-lib"`, tc.form, "for example "+tc.example),
				}},
			})
			if n := srv.CountRequests(""); n != 0 {
				t.Fatalf("sent %d requests for a wrong import ID", n)
			}
		})
	}
}
