package provider

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

const testOrgResource = "ghpkg_org_package_restore.test"

// orgImage is an organisation's repository-linked container image.
var orgImage = ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "octo-repo/octo-app", Repository: "octo-repo", VersionCount: 2}

const orgImagePath = "/orgs/octo-org/packages/container/octo-repo%2Focto-app"

// orgRestoreConfig declares one org resource; org overrides the owner's
// spelling when not empty.
func orgRestoreConfig(srv *acctest.Server, p ghfake.Package, org string) string {
	if org == "" {
		org = p.Owner
	}
	return srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
resource "ghpkg_org_package_restore" "test" {
  org          = %[1]q
  package_type = %[2]q
  package_name = %[3]q
}
`, org, p.Type, p.Name)
}

func TestAccOrgPackageRestore_restoresDeletedPackage(t *testing.T) {
	testRestoresDeletedPackage(t, orgImage, orgImagePath, orgRestoreConfig, func(deleted ghfake.Package) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(testOrgResource, attr("id"), knownvalue.StringExact("octo-org/container/octo-repo/octo-app")),
			statecheck.ExpectKnownValue(testOrgResource, attr("org"), knownvalue.StringExact("octo-org")),
			statecheck.ExpectKnownValue(testOrgResource, attr("restored"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(testOrgResource, attr("package_id"), knownvalue.Int64Exact(deleted.ID)),
			statecheck.ExpectKnownValue(testOrgResource, attr("repository"), knownvalue.StringExact("octo-org/octo-repo")),
			statecheck.ExpectKnownValue(testOrgResource, attr("html_url"),
				knownvalue.StringExact("https://github.com/orgs/octo-org/packages/container/package/octo-repo%2Focto-app")),
		}
	})
}

func TestAccOrgPackageRestore_driftAfterOutOfBandDeleteIsRestored(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(orgImage)
	config := orgRestoreConfig(srv, orgImage, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testOrgResource, attr("restored"), knownvalue.Bool(false)),
			}},
			{
				PreConfig: func() {
					if err := srv.DeletePackage(orgImage); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testOrgResource, plancheck.ResourceActionCreate),
				}},
				Check: func(*terraform.State) error {
					if n := srv.CountRequests("POST"); n != 1 {
						return fmt.Errorf("%d restores sent, want 1", n)
					}
					return expectVisible(srv, orgImage)
				},
			},
		},
	})
}

func TestAccOrgPackageRestore_importByIDAndImportBlock(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(orgImage)
	config := orgRestoreConfig(srv, orgImage, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectPackageKept(srv, orgImage),
		Steps: []resource.TestStep{
			{Config: config},
			{ResourceName: testOrgResource, ImportState: true, ImportStateVerify: true,
				ImportStateId: "octo-org/container/octo-repo/octo-app"},
			{ResourceName: testOrgResource, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateId: "octo-org/container/octo-repo/octo-app"},
		},
	})
}

// GitHub compares organisation names case-insensitively: state keeps the
// configuration's spelling, and a change of case is no replacement.
func TestAccOrgPackageRestore_caseOfOrgIsNoReplacement(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(orgImage)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectPackageKept(srv, orgImage),
		Steps: []resource.TestStep{{
			Config: orgRestoreConfig(srv, orgImage, "Octo-Org"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testOrgResource, attr("org"), knownvalue.StringExact("Octo-Org")),
				statecheck.ExpectKnownValue(testOrgResource, attr("restored"), knownvalue.Bool(false)),
			},
		}, {
			Config:           orgRestoreConfig(srv, orgImage, "Octo-Org"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			Config: orgRestoreConfig(srv, orgImage, "octo-org"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(testOrgResource, plancheck.ResourceActionUpdate),
			}},
			Check: expectRestores(srv, 0), // a visible package
		}},
	})
}

func TestAccOrgPackageRestore_invalidOrgRejectedAtPlan(t *testing.T) {
	for name, org := range map[string]string{"double hyphen": "octo--org", "underscore": "octo_org", "40 characters": strings.Repeat("o", 40)} {
		t.Run(name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      orgRestoreConfig(srv, orgImage, org),
					ExpectError: errorPattern("org", "must be a GitHub organisation name"),
				}},
			})
			if n := srv.CountRequests(""); n != 0 {
				t.Fatalf("sent %d requests for an invalid org", n)
			}
		})
	}
}

func TestAccOrgPackageRestore_expiredDeletionSaysOrganisation(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(orgImage, 40*24*time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: orgRestoreConfig(srv, orgImage, ""),
			ExpectError: errorPattern("Package Not Restorable",
				"octo-org/container/octo-repo/octo-app was deleted more than 30 days ago",
				"deleted packages of the organisation octo-org"),
		}},
	})
}

func TestAccOrgPackageRestore_ssoProtectedOrgSaysAuthorizeToken(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(orgImage)
	srv.Emulator().RequireSSO("octo-org")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: orgRestoreConfig(srv, orgImage, ""),
			ExpectError: errorPattern("Token Not Authorized For SSO", "octo-org/container/octo-repo/octo-app", "403",
				"SAML single sign-on", "Configure SSO"),
		}},
	})
}

// 40 deleted packages restored with -parallelism=40: exactly one restore
// each while restores are in flight together and some answers are lost.
//
// Without faults this proved little: answered at once and paced a second
// apart, no two restores were ever in flight together, and nothing gave the
// provider a reason to send one again. So every restore's answer is held
// back longer than that pacing (restores overlap, amid the other packages'
// GETs; the check below demands it), and every other answer is lost in a
// 502 after GitHub restored the package. Each lost answer must be settled by
// a GET of that package, not by the restore sent again: a client that
// retried the lost restore, or mixed up the packages of concurrent restores
// when checking, would send a second restore to some package, and the count
// per package fails. No restore lag: with one, a lost answer is rightly sent
// again (TestAccUserPackageRestore_lostAnswerThen404WaitsForVisibility).
// Counted in the emulator's log, so it runs against ghfake.
func TestAccOrgPackageRestore_oneRestorePerPackageUnderParallelism(t *testing.T) {
	const packages = 40
	t.Setenv("TF_CLI_ARGS_apply", fmt.Sprintf("-parallelism=%d", packages))
	srv := acctest.StartScale(t)
	for i := range packages {
		srv.AddDeletedPackage(ghfake.Package{Org: true, Owner: "octo-org", Type: "npm", Name: fmt.Sprintf("pkg-%04d", i)}, time.Hour)
	}
	fake := srv.Emulator()
	held := 2 * ghapi.DefaultMutationInterval
	lost := ghfake.ServerError(http.StatusBadGateway)
	lost.TakeEffect, lost.Delay = true, held
	faults := make([]ghfake.Fault, packages)
	for i := range faults {
		faults[i] = ghfake.Fault{Delay: held}
		if i%2 == 1 {
			faults[i] = lost
		}
	}
	fake.Script(http.MethodPost, "/restore", faults...)
	// Restores in flight: counted up when the emulator takes one, down when
	// its answer is logged.
	var mu sync.Mutex
	inFlight, peak := 0, 0
	fake.OnRequest(func(method, _ string) {
		if method == http.MethodPost {
			mu.Lock()
			inFlight++
			peak = max(peak, inFlight)
			mu.Unlock()
		}
	})
	srv.OnRecord(func(r ghfake.Request) {
		if r.Method == http.MethodPost {
			mu.Lock()
			inFlight--
			mu.Unlock()
		}
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: manyPackagesConfig(srv, octoOrg, packages),
			Check: func(*terraform.State) error {
				posts, lostAnswers := map[string]int{}, 0
				for _, r := range srv.Requests() {
					if r.Method == http.MethodPost {
						posts[r.Path]++
						if r.Status == http.StatusBadGateway {
							lostAnswers++
						}
					}
				}
				for path, n := range posts {
					if n != 1 {
						return fmt.Errorf("%d restores of %s", n, path)
					}
				}
				if len(posts) != packages {
					return fmt.Errorf("%d packages restored, want %d", len(posts), packages)
				}
				if lostAnswers != packages/2 {
					return fmt.Errorf("%d restore answers lost, want %d: the scripted faults did not all apply", lostAnswers, packages/2)
				}
				mu.Lock()
				defer mu.Unlock()
				if peak < 2 {
					return fmt.Errorf("at most %d restore in flight at once: the restores did not overlap", peak)
				}
				return nil
			},
		}},
	})
}
