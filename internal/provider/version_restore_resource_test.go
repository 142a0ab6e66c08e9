package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

const testOrgVersion = "ghpkg_org_package_version_restore.test"

// orgApp is an organisation's container image whose versions the tests restore.
var orgApp = ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "octo-app"}

const orgAppPath = "/orgs/octo-org/packages/container/octo-app"

// versionConfig declares one version resource of p (org or user scope);
// naming is `package_version_id = 123` or `version = "v1"`.
func versionConfig(srv *acctest.Server, p ghfake.Package, naming string) string {
	resourceType, ownerAttribute := "ghpkg_user_package_version_restore", "username"
	if p.Org {
		resourceType, ownerAttribute = "ghpkg_org_package_version_restore", "org"
	}
	return srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
resource %[1]q "test" {
  %[2]s = %[3]q
  package_type = %[4]q
  package_name = %[5]q
  %[6]s
}
`, resourceType, ownerAttribute, p.Owner, p.Type, p.Name, naming)
}

// withReleases adds p with an active v2 and a v1 deleted two days ago.
func withReleases(srv *acctest.Server, p ghfake.Package) (active, deleted ghfake.Version) {
	fake := srv.Emulator()
	fake.AddPackage(p)
	active = fake.AddVersion(p, ghfake.Version{Name: "sha256:2222", Tags: []string{"v2", "latest"}})
	deleted = fake.AddDeletedVersion(p, ghfake.Version{Name: "sha256:1111", Tags: []string{"v1"}}, 48*time.Hour)
	return active, deleted
}

func TestAccOrgPackageVersionRestore_restoresByTag(t *testing.T) {
	srv := acctest.NewServer(t)
	_, deleted := withReleases(srv, orgApp)
	versionPath := fmt.Sprintf("%s/versions/%d", orgAppPath, deleted.ID)
	config := versionConfig(srv, orgApp, `version = "v1"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectNoMutation(srv, 1),
		Steps: []resource.TestStep{{
			Config: config,
			// One listing pass, one restore, then the check that it is visible.
			Check: expectRequests(srv, "GET "+orgAppPath+"/versions 200", "POST "+versionPath+"/restore 204", "GET "+versionPath+" 200"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testOrgVersion, attr("id"), knownvalue.StringExact(fmt.Sprintf("octo-org/container/octo-app/%d", deleted.ID))),
				statecheck.ExpectKnownValue(testOrgVersion, attr("package_version_id"), knownvalue.Int64Exact(deleted.ID)),
				statecheck.ExpectKnownValue(testOrgVersion, attr("name"), knownvalue.StringExact("sha256:1111")),
				statecheck.ExpectKnownValue(testOrgVersion, attr("tags"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("v1")})),
				statecheck.ExpectKnownValue(testOrgVersion, attr("restored"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(testOrgVersion, attr("restored_at"), knownvalue.NotNull()),
			},
		}, {
			Config:           config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

func TestAccOrgPackageVersionRestore_adoptsActiveVersionByTag(t *testing.T) {
	srv := acctest.NewServer(t)
	active, _ := withReleases(srv, orgApp)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: versionConfig(srv, orgApp, `version = "latest"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testOrgVersion, attr("package_version_id"), knownvalue.Int64Exact(active.ID)),
				statecheck.ExpectKnownValue(testOrgVersion, attr("restored"), knownvalue.Bool(false)),
			},
		}},
	})
	if n := srv.CountRequests("POST"); n != 0 {
		t.Fatalf("%d restores sent for an active version", n)
	}
}

// A version deleted again after the apply is drift: plan shows a create,
// the next apply restores it; destroy sends nothing.
func TestAccOrgPackageVersionRestore_driftByIDIsRestored(t *testing.T) {
	srv := acctest.NewServer(t)
	active, _ := withReleases(srv, orgApp)
	config := versionConfig(srv, orgApp, fmt.Sprintf("package_version_id = %d", active.ID))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectNoMutation(srv, 1),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if fake, ok := srv.EmulatorState(); ok {
						if err := fake.DeleteVersion(orgApp, active.ID); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testOrgVersion, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testOrgVersion, attr("restored"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

func TestAccOrgPackageVersionRestore_deletedPackageSaysRestoreItFirst(t *testing.T) {
	srv := acctest.NewServer(t)
	_, deleted := withReleases(srv, orgApp)
	if fake, ok := srv.EmulatorState(); ok {
		if err := fake.DeletePackage(orgApp); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: versionConfig(srv, orgApp, fmt.Sprintf("package_version_id = %d", deleted.ID)),
			ExpectError: errorPattern("Package Of Version Deleted", "octo-org/container/octo-app", "no version restore was sent",
				"ghpkg_org_package_restore"),
		}},
	})
	if n := srv.CountRequests("POST"); n != 0 {
		t.Fatalf("%d restores sent for a version of a deleted package", n)
	}
}

func TestAccOrgPackageVersionRestore_unknownNameListsNearest(t *testing.T) {
	srv := acctest.NewServer(t)
	withReleases(srv, orgApp)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      versionConfig(srv, orgApp, `version = "v3"`),
			ExpectError: errorPattern("Version Not Found", "octo-org/container/octo-app", `"v3"`, "Nearest names seen: v1, v2"),
		}},
	})
}

func TestAccOrgPackageVersionRestore_ambiguousTagTakesLatestDeletion(t *testing.T) {
	srv := acctest.NewServer(t)
	fake := srv.Emulator()
	fake.AddPackage(orgApp)
	fake.AddDeletedVersion(orgApp, ghfake.Version{Name: "sha256:aaaa", Tags: []string{"nightly"}}, 10*24*time.Hour)
	recent := fake.AddDeletedVersion(orgApp, ghfake.Version{Name: "sha256:bbbb", Tags: []string{"nightly"}}, 24*time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: versionConfig(srv, orgApp, `version = "nightly"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testOrgVersion, attr("package_version_id"), knownvalue.Int64Exact(recent.ID)),
			},
		}},
	})
}

func TestAccOrgPackageVersionRestore_importByIDAndImportBlock(t *testing.T) {
	srv := acctest.NewServer(t)
	active, _ := withReleases(srv, orgApp)
	id := fmt.Sprintf("octo-org/container/octo-app/%d", active.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: versionConfig(srv, orgApp, fmt.Sprintf("package_version_id = %d", active.ID))},
			{ResourceName: testOrgVersion, ImportState: true, ImportStateVerify: true, ImportStateId: id,
				ImportStateVerifyIgnore: []string{"timeouts"}},
			{ResourceName: testOrgVersion, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: id},
		},
	})
}

func TestAccVersionRestore_exactlyOneWayToNameAVersion(t *testing.T) {
	for name, naming := range map[string]string{
		"both":    "package_version_id = 1\n  version = \"v1\"",
		"neither": "",
	} {
		t.Run(name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      versionConfig(srv, orgApp, naming),
					ExpectError: regexp.MustCompile(`(Invalid Attribute Combination|Missing Attribute Configuration)`),
				}},
			})
			if n := srv.CountRequests(""); n != 0 {
				t.Fatalf("sent %d requests for an invalid configuration", n)
			}
		})
	}
}

// Another user's namespace cannot be listed by state: the error asks for
// package_version_id after one GET /user.
func TestAccUserPackageVersionRestore_byNameOutsideOwnAccountAsksForID(t *testing.T) {
	srv := acctest.NewServer(t)
	other := ghfake.Package{Owner: "hubot", Type: "npm", Name: "hubot-lib"}
	withReleases(srv, other)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      versionConfig(srv, other, `version = "v1"`),
			ExpectError: errorPattern("Cannot Look Up Version By Name", "token's own", "octocat", "hubot", "package_version_id"),
			Check:       expectRequests(srv, "GET /user 200"),
		}},
	})
}

// In the token's own account a version is found by name through /user/...
func TestAccUserPackageVersionRestore_byNameInOwnAccount(t *testing.T) {
	srv := acctest.NewServer(t)
	own := ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"}
	_, deleted := withReleases(srv, own)
	versionPath := fmt.Sprintf("/users/octocat/packages/npm/octo-lib/versions/%d", deleted.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: versionConfig(srv, own, `version = "sha256:1111"`),
			Check: expectRequests(srv, "GET /user 200", "GET /user/packages/npm/octo-lib/versions 200",
				"POST "+versionPath+"/restore 204", "GET "+versionPath+" 200"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("ghpkg_user_package_version_restore.test", attr("restored"), knownvalue.Bool(true)),
			},
		}},
	})
}

// expectNoMutation is a CheckDestroy: destroy sent no DELETE, and no more
// POSTs than the apply's.
func expectNoMutation(srv *acctest.Server, posts int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.CountRequests("DELETE"); n != 0 {
			return fmt.Errorf("destroy sent %d DELETE requests", n)
		}
		if n := srv.CountRequests("POST"); n > posts {
			return fmt.Errorf("%d POSTs, want at most %d", n, posts)
		}
		return nil
	}
}

// 100 version resources of one package refresh in at most
// ceil(100/100) + 3 requests: they share the listing of its versions.
// Counted in the emulator's log, so it runs against ghfake.
func TestAccOrgPackageVersionRestore_refreshOf100SharesTheVersionListing(t *testing.T) {
	srv := acctest.StartScale(t)
	fake := srv.Emulator()
	pkg := ghfake.Package{Org: true, Owner: "octo-org", Type: "npm", Name: "octo-lib"}
	fake.AddPackage(pkg)
	first := fake.AddVersion(pkg, ghfake.Version{Name: "1.0.0"}).ID
	for i := 1; i < 100; i++ {
		fake.AddVersion(pkg, ghfake.Version{Name: fmt.Sprintf("1.0.%d", i)}) // IDs follow on
	}
	config := srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
resource "ghpkg_org_package_version_restore" "many" {
  count              = 100
  org                = "octo-org"
  package_type       = "npm"
  package_name       = "octo-lib"
  package_version_id = %d + count.index
}
`, first)
	cost := &refreshCost{t: t, srv: srv}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: cost.start, RefreshState: true, Check: cost.check(4, 3, false)},
		},
	})
}
