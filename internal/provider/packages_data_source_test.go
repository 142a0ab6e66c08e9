package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

// listingConfig declares a listing data source of owner's namespace;
// extra goes inside its block.
func listingConfig(srv *acctest.Server, owner ghfake.Package, packageType, extra string) string {
	dataSource, ownerAttribute := "ghpkg_user_packages", "username"
	if owner.Org {
		dataSource, ownerAttribute = "ghpkg_org_packages", "org"
	}
	return srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
data %[1]q "test" {
  %[2]s = %[3]q
  package_type = %[4]q
%[5]s}
`, dataSource, ownerAttribute, owner.Owner, packageType, extra)
}

// A namespace of 250 packages is listed whole, in 3 pages of 100.
func TestAccPackagesDataSource_listsAllPages(t *testing.T) {
	for _, owner := range []ghfake.Package{octocat, octoOrg} {
		t.Run(owner.Owner, func(t *testing.T) {
			srv := acctest.StartScale(t)
			for i := range 250 {
				srv.AddPackage(ghfake.Package{Org: owner.Org, Owner: owner.Owner, Type: "npm", Name: fmt.Sprintf("pkg-%04d", i)})
			}
			srv.AddPackage(ghfake.Package{Org: owner.Org, Owner: owner.Owner, Type: "container", Name: "not-npm"})
			srv.AddPackage(ghfake.Package{Org: !owner.Org, Owner: owner.Owner, Type: "npm", Name: "other-scope"})
			dataSource := "data.ghpkg_user_packages.test"
			if owner.Org {
				dataSource = "data.ghpkg_org_packages.test"
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: listingConfig(srv, owner, "npm", ""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(dataSource, tfjsonpath.New("packages"), knownvalue.ListSizeExact(250)),
						statecheck.ExpectKnownValue(dataSource, tfjsonpath.New("packages").AtSliceIndex(249).AtMapKey("name"),
							knownvalue.StringExact("pkg-0249")),
					},
					Check: func(*terraform.State) error {
						if n := srv.CountRequests("GET"); n != 3 {
							return fmt.Errorf("%d requests, want 3 pages", n)
						}
						return nil
					},
				}},
			})
		})
	}
}

func TestAccOrgPackagesDataSource_visibilityFilter(t *testing.T) {
	srv := acctest.NewServer(t)
	public := srv.AddPackage(ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "octo-repo/public-app",
		Visibility: "public", Repository: "octo-repo", VersionCount: 4})
	srv.AddPackage(ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "private-app"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: listingConfig(srv, octoOrg, "container", `  visibility = "public"`+"\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ghpkg_org_packages.test", tfjsonpath.New("packages"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"name":          knownvalue.StringExact("octo-repo/public-app"),
						"package_id":    knownvalue.Int64Exact(public.ID),
						"visibility":    knownvalue.StringExact("public"),
						"version_count": knownvalue.Int64Exact(4),
						"repository":    knownvalue.StringExact("octo-org/octo-repo"),
						"html_url":      knownvalue.StringExact("https://github.com/orgs/octo-org/packages/container/package/octo-repo%2Fpublic-app"),
						"created_at":    knownvalue.StringExact("2026-01-05T09:00:00Z"),
						"updated_at":    knownvalue.StringExact("2026-01-05T09:00:00Z"),
					}),
				})),
			},
			Check: expectRequests(srv, "GET /orgs/octo-org/packages 200"),
		}},
	})
}

func TestAccUserPackagesDataSource_invalidVisibilityRejectedAtPlan(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      listingConfig(srv, octocat, "npm", `  visibility = "secret"`+"\n"),
			ExpectError: errorPattern("visibility", "public", "private", "internal"),
		}},
	})
	if n := srv.CountRequests(""); n != 0 {
		t.Fatalf("sent %d requests for an invalid configuration", n)
	}
}
