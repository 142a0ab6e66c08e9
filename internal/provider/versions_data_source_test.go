package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// versionsConfig declares a versions data source of p; state may be "";
// extra goes inside its block.
func versionsConfig(srv *acctest.Server, p ghfake.Package, state, extra string) string {
	arguments := fmt.Sprintf("  package_type = %q\n  package_name = %q\n", p.Type, p.Name)
	if state != "" {
		arguments += fmt.Sprintf("  state = %q\n", state)
	}
	return ownerDataConfig(srv, p, "package_versions", arguments+extra)
}

func TestAccOrgPackageVersionsDataSource_deletedShowsRestorableUntil(t *testing.T) {
	srv := acctest.NewServer(t)
	_, deleted := withReleases(srv, orgApp)
	versions := tfjsonpath.New("versions")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: versionsConfig(srv, orgApp, "deleted", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ghpkg_org_package_versions.test", versions, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"id":   knownvalue.Int64Exact(deleted.ID),
						"name": knownvalue.StringExact("sha256:1111"),
						"tags": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("v1")}),
						// Deleted two days before the emulator's epoch (2026-01-05T09:00:00Z), so 28 days left.
						"deleted_at":       knownvalue.StringExact("2026-01-03T09:00:00Z"),
						"restorable_until": knownvalue.StringExact("2026-02-02T09:00:00Z"),
					}),
				})),
			},
			Check: expectRequests(srv, "GET "+orgAppPath+"/versions 200"),
		}},
	})
}

func TestAccUserPackageVersionsDataSource_activeOfAnyUser(t *testing.T) {
	srv := acctest.NewServer(t)
	other := ghfake.Package{Owner: "hubot", Type: "npm", Name: "hubot-lib"}
	active, _ := withReleases(srv, other)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: versionsConfig(srv, other, "", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ghpkg_user_package_versions.test", tfjsonpath.New("versions"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"id":               knownvalue.Int64Exact(active.ID),
						"deleted_at":       knownvalue.Null(),
						"restorable_until": knownvalue.Null(),
					}),
				})),
			},
			Check: expectRequests(srv, "GET /users/hubot/packages/npm/hubot-lib/versions 200"),
		}},
	})
}

func TestAccUserPackageVersionsDataSource_deletedOutsideOwnAccountIsAClearError(t *testing.T) {
	srv := acctest.NewServer(t)
	other := ghfake.Package{Owner: "hubot", Type: "npm", Name: "hubot-lib"}
	withReleases(srv, other)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      versionsConfig(srv, other, "deleted", ""),
			ExpectError: errorPattern("Cannot List Deleted Versions", "token's own", "hubot"),
		}},
	})
}

func TestAccOrgPackageVersionsDataSource_readTimeoutAccepted(t *testing.T) {
	srv := acctest.NewServer(t)
	withReleases(srv, orgApp)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: versionsConfig(srv, orgApp, "", timeoutsBlock("read", "90s")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ghpkg_org_package_versions.test", tfjsonpath.New("versions"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.ghpkg_org_package_versions.test", tfjsonpath.New("timeouts").AtMapKey("read"),
					knownvalue.StringExact("90s")),
			},
			Check: expectRequests(srv, "GET "+orgAppPath+"/versions 200"),
		}},
	})
}
