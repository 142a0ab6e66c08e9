package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// ownerScoped names the type of kind ("packages", "package_restore"...)
// for owner's namespace, ghpkg_user_<kind> or ghpkg_org_<kind>, and the
// argument that names the owner there.
func ownerScoped(owner ghfake.Package, kind string) (typeName, ownerAttribute string) {
	if owner.Org {
		return "ghpkg_org_" + kind, "org"
	}
	return "ghpkg_user_" + kind, "username"
}

// ownerDataConfig declares the data source "test" of kind for owner's
// namespace; arguments, lines after the owner's, go inside its block.
func ownerDataConfig(srv *acctest.Server, owner ghfake.Package, kind, arguments string) string {
	dataSource, ownerAttribute := ownerScoped(owner, kind)
	return srv.ProviderConfig(acctest.Token) + fmt.Sprintf("\ndata %q \"test\" {\n  %s = %q\n%s}\n",
		dataSource, ownerAttribute, owner.Owner, arguments)
}

// listingConfig declares a listing data source of owner's namespace;
// extra goes inside its block.
func listingConfig(srv *acctest.Server, owner ghfake.Package, packageType, extra string) string {
	return ownerDataConfig(srv, owner, "packages", fmt.Sprintf("  package_type = %q\n", packageType)+extra)
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
			typeName, _ := ownerScoped(owner, "packages")
			dataSource := "data." + typeName + ".test"
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

// timeoutsBlock is a timeouts block setting one timeout, to go inside a
// data source's or a list's config block.
func timeoutsBlock(name, value string) string {
	return fmt.Sprintf("  timeouts {\n    %s = %q\n  }\n", name, value)
}

func TestAccUserPackagesDataSource_readTimeoutAccepted(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: listingConfig(srv, octocat, "container", timeoutsBlock("read", "2m")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ghpkg_user_packages.test", tfjsonpath.New("timeouts").AtMapKey("read"),
					knownvalue.StringExact("2m")),
			},
			Check: expectRequests(srv, "GET /users/octocat/packages 200"),
		}},
	})
}

func TestAccUserPackagesDataSource_invalidReadTimeoutRejectedAtPlan(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      listingConfig(srv, octocat, "npm", timeoutsBlock("read", "soon")),
			ExpectError: errorPattern("Invalid Attribute Value Time Duration", `read = "soon"`, "must be a string containing"),
		}},
	})
	if n := srv.CountRequests(""); n != 0 {
		t.Fatalf("sent %d requests for an invalid configuration", n)
	}
}

// slowListing starts the emulator with octocat's npm listing answered
// slowly: its page comes one byte every 100 ms, for 5 s in all, well within
// request_timeout. A cassette cannot replay the wait, so the test runs
// against the emulator in every mode. (A scripted body is exempt from the
// contract check, which an answer the client left before would fail.)
func slowListing(t *testing.T) *acctest.Server {
	t.Helper()
	srv := acctest.Start(t, acctest.Options{Mode: acctest.ModeEmulator})
	srv.Emulator().Script("GET", "/users/octocat/packages", ghfake.Fault{Status: 200,
		ContentType: "application/json; charset=utf-8", Body: "[" + strings.Repeat(" ", 48) + "]", Trickle: 100 * time.Millisecond})
	return srv
}

// A listing that outlasts timeouts.read ends the plan with an error naming
// the listing and the timeout.
func TestAccUserPackagesDataSource_slowListingTimesOut(t *testing.T) {
	srv := slowListing(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: listingConfig(srv, octocat, "npm", timeoutsBlock("read", "1s")),
			ExpectError: errorPattern("Listing Timed Out", "the packages of octocat/npm", "within timeouts.read (1s)",
				"raise timeouts.read"),
		}},
	})
}

// TestDescribeListingBounds: a listing past ghapi's bounds, or past its
// timeout (attribute set), is named with the limit and what to do.
func TestDescribeListingBounds(t *testing.T) {
	t.Parallel()
	ns := ghapi.PackageRef{Scope: ghapi.ScopeOrg, Owner: "octo-org", Type: "container"}
	pkg := ghapi.PackageRef{Scope: ghapi.ScopeOrg, Owner: "octo-org", Type: "container", Name: "app"}
	tests := map[string]struct {
		op        ghapi.Op
		ref       ghapi.PackageRef
		attribute string
		summary   string
		detail    []string
	}{
		"packages too large": {ghapi.OpList, ns, "", "Listing Too Large", []string{"the packages of octo-org/container",
			"1000 pages or 100000 objects", "base_url", "one visibility at a time", "file an issue"}},
		"versions too large": {ghapi.OpListVersions, pkg, "", "Listing Too Large", []string{
			"the versions of package octo-org/container/app", "1000 pages or 100000 objects", "package_version_id", "file an issue"}},
		"packages timed out": {ghapi.OpList, ns, "timeouts.list", "Listing Timed Out", []string{"the packages of octo-org/container",
			"within timeouts.list (1m0s)", "raise timeouts.list (default 5m0s)", "one visibility at a time"}},
		"versions timed out": {ghapi.OpListVersions, pkg, "timeouts.read", "Listing Timed Out", []string{
			"the versions of package octo-org/container/app", "within timeouts.read (1m0s)", "raise timeouts.read"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			summary, detail := listingTimedOut(tc.op, tc.ref, tc.attribute, time.Minute)
			if tc.attribute == "" {
				summary, detail = describeError(tc.ref, &ghapi.Error{Kind: ghapi.KindListingTooLarge, Op: tc.op,
					Message: "the listing goes on past 1000 pages or 100000 objects"})
			}
			if summary != tc.summary {
				t.Errorf("summary %q, want %q", summary, tc.summary)
			}
			for _, want := range tc.detail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail %q lacks %q", detail, want)
				}
			}
		})
	}
}
