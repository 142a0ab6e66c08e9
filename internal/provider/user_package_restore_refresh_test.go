package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// manyPackagesConfig declares n npm packages pkg-0000... of owner's
// namespace (a user, or an organisation when owner.Org).
func manyPackagesConfig(srv *acctest.Server, owner ghfake.Package, n int) string {
	return spreadPackagesConfig(srv, owner, n, 1)
}

// spreadPackagesConfig declares n npm packages of owner's namespace, every
// step-th: pkg-0000, pkg-<step>...
func spreadPackagesConfig(srv *acctest.Server, owner ghfake.Package, n, step int) string {
	resourceType, ownerAttribute := ownerScoped(owner, "package_restore")
	return srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
resource %[1]q "many" {
  count        = %[4]d
  %[2]s = %[3]q
  package_type = "npm"
  package_name = format("pkg-%%04d", count.index * %[5]d)
}
`, resourceType, ownerAttribute, owner.Owner, n, step)
}

// refreshCost counts the requests of a refresh step: direct GETs and
// listing pages, from the emulator's request log.
type refreshCost struct {
	t      testing.TB
	srv    *acctest.Server
	before int
}

func (c *refreshCost) start() { c.before = len(c.srv.Requests()) }

// check bounds the requests and GETs; noListing demands direct GETs only.
func (c *refreshCost) check(maxRequests, maxGets int, noListing bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		gets, lists := 0, 0
		for _, r := range c.srv.Requests()[c.before:] {
			if r.Query.Has("page") {
				lists++
			} else {
				gets++
			}
		}
		c.t.Logf("refresh: %d GETs and %d listing pages", gets, lists)
		if gets+lists > maxRequests || gets > maxGets || (noListing && lists > 0) {
			return fmt.Errorf("refresh sent %d GETs and %d listing pages; want at most %d requests, %d of them GETs",
				gets, lists, maxRequests, maxGets)
		}
		return nil
	}
}

// These tests count requests in the emulator's log, so they always run
// against ghfake: a cassette of hundreds of concurrent requests would
// record them in no stable order. The resources are spread evenly over
// the namespace. The refresh follows the apply that created them, as a
// plan does.
func testRefreshCost(t *testing.T, owner ghfake.Package, resources, namespace, maxRequests, maxGets int, batch bool) {
	srv := acctest.StartScale(t)
	for i := range namespace {
		srv.AddPackage(ghfake.Package{Org: owner.Org, Owner: owner.Owner, Type: "npm", Name: fmt.Sprintf("pkg-%04d", i)})
	}
	config := spreadPackagesConfig(srv, owner, resources, namespace/resources)
	if !batch {
		config = withProviderArguments(config, "batch_refresh = false")
	}
	cost := &refreshCost{t: t, srv: srv}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: cost.start, RefreshState: true, Check: cost.check(maxRequests, maxGets, !batch)},
		},
	})
}

// The owners of the refresh tests.
var (
	octocat = ghfake.Package{Owner: "octocat"}
	octoOrg = ghfake.Package{Org: true, Owner: "octo-org"}
)

func TestAccUserPackageRestore_refreshOf3InLargeNamespaceSendsDirectGets(t *testing.T) {
	testRefreshCost(t, octocat, 3, 5000, 3, 3, true)
}

// A few resources spread over a large namespace: the listing's pages would
// serve one Read each, so a refresh never costs more than a GET per
// resource, plus one page.
func TestAccUserPackageRestore_refreshOf10SpreadOver5000CostsAGetEach(t *testing.T) {
	testRefreshCost(t, octocat, 10, 5000, 11, 10, true)
}

func TestAccUserPackageRestore_refreshOf300SharesOneListing(t *testing.T) {
	testRefreshCost(t, octocat, 300, 300, 6, 3, true) // ceil(300/100) + 3
}

func TestAccUserPackageRestore_refreshWithoutBatchingReadsOneByOne(t *testing.T) {
	testRefreshCost(t, octocat, 30, 30, 30, 30, false)
}

func TestAccOrgPackageRestore_refreshOf1SendsOneGet(t *testing.T) {
	testRefreshCost(t, octoOrg, 1, 300, 1, 1, true)
}

func TestAccOrgPackageRestore_refreshOf100SharesOneListing(t *testing.T) {
	testRefreshCost(t, octoOrg, 100, 100, 4, 3, true) // ceil(100/100) + 3
}

func TestAccOrgPackageRestore_refreshOf300SharesOneListing(t *testing.T) {
	testRefreshCost(t, octoOrg, 300, 300, 6, 3, true) // ceil(300/100) + 3
}
