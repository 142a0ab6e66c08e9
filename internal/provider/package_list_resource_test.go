package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// listQueryConfig is a .tfquery.hcl list block over owner's namespace;
// extra goes inside its config block. The provider block is the previous
// step's, which the query step keeps.
func listQueryConfig(owner ghfake.Package, packageType, extra string) string {
	resourceType, ownerAttribute := ownerScoped(owner, "package_restore")
	return fmt.Sprintf(`
list %[1]q "all" {
  provider         = ghpkg
  include_resource = true
  config {
    %[2]s = %[3]q
    package_type = %[4]q
%[5]s  }
}
`, resourceType, ownerAttribute, owner.Owner, packageType, extra)
}

// queryOnly runs a list block; the step before it only initialises the
// provider (plugin-testing needs a configuration step first).
func queryOnly(t *testing.T, srv *acctest.Server, query string, checks ...querycheck.QueryResultCheck) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   needsQuery,
		Steps: []resource.TestStep{
			{Config: srv.ProviderConfig(acctest.Token)},
			{Query: true, Config: query, QueryResultChecks: checks},
		},
	})
	if n := srv.CountRequests("POST"); n != 0 {
		t.Fatalf("terraform query sent %d restores", n)
	}
}

func TestAccUserPackageRestore_listEnumeratesNamespaceAndType(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	linked := srv.AddPackage(linkedImage)
	srv.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"})                     // another type
	srv.AddPackage(ghfake.Package{Owner: "hubot", Type: "container", Name: "hubot-app"})                // another owner
	srv.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "container", Name: "gone"}, time.Hour) // not visible
	const list = "ghpkg_user_package_restore.all"
	linkedIdentity := packageIdentity("username", linkedImage)
	queryOnly(t, srv, listQueryConfig(appPackage, "container", ""),
		querycheck.ExpectLength(list, 2),
		querycheck.ExpectIdentity(list, packageIdentity("username", appPackage)),
		querycheck.ExpectIdentity(list, linkedIdentity),
		querycheck.ExpectResourceDisplayName(list, queryfilter.ByResourceIdentity(linkedIdentity),
			knownvalue.StringExact("octocat/container/octo-repo/octo-app")),
		// The resource as an import reads it: generated configuration and
		// the import that follows agree.
		querycheck.ExpectResourceKnownValues(list, queryfilter.ByResourceIdentity(linkedIdentity), []querycheck.KnownValueCheck{
			{Path: attr("id"), KnownValue: knownvalue.StringExact("octocat/container/octo-repo/octo-app")},
			{Path: attr("package_id"), KnownValue: knownvalue.Int64Exact(linked.ID)},
			{Path: attr("repository"), KnownValue: knownvalue.StringExact("octocat/octo-repo")},
			{Path: attr("restored"), KnownValue: knownvalue.Bool(false)},
			{Path: attr("restored_at"), KnownValue: knownvalue.Null()},
			{Path: attr("token"), KnownValue: knownvalue.Null()},
		}),
	)
}

func TestAccOrgPackageRestore_listFiltersByVisibility(t *testing.T) {
	srv := acctest.NewServer(t)
	public := ghfake.Package{Org: true, Owner: "octo-org", Type: "npm", Name: "octo-public", Visibility: "public"}
	srv.AddPackage(public)
	srv.AddPackage(ghfake.Package{Org: true, Owner: "octo-org", Type: "npm", Name: "octo-private"})
	const list = "ghpkg_org_package_restore.all"
	queryOnly(t, srv, listQueryConfig(public, "npm", "    visibility = \"public\"\n"),
		querycheck.ExpectLength(list, 1),
		querycheck.ExpectIdentity(list, packageIdentity("org", public)),
		querycheck.ExpectResourceDisplayName(list, queryfilter.ByResourceIdentity(packageIdentity("org", public)),
			knownvalue.StringExact("octo-org/npm/octo-public")),
	)
}

func TestAccUserPackageRestore_listTimeoutAccepted(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	const list = "ghpkg_user_package_restore.all"
	queryOnly(t, srv, listQueryConfig(appPackage, "container", timeoutsBlock("list", "2m")),
		querycheck.ExpectIdentity(list, packageIdentity("username", appPackage)),
	)
}

// A listing that outlasts timeouts.list ends the query with an error naming
// the listing and the timeout.
func TestAccUserPackageRestore_slowListTimesOut(t *testing.T) {
	srv := slowListing(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   needsQuery,
		Steps: []resource.TestStep{
			{Config: srv.ProviderConfig(acctest.Token)},
			{
				Query:  true,
				Config: listQueryConfig(octocat, "npm", timeoutsBlock("list", "1s")),
				ExpectError: errorPattern("Listing Timed Out", "the packages of octocat/npm", "within timeouts.list (1s)",
					"raise timeouts.list"),
			},
		},
	})
}
