package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

const testResource = "ghpkg_user_package_restore.test"

// appPackage is the package most tests restore.
var appPackage = ghfake.Package{Owner: "octocat", Type: "container", Name: "octo-app", VersionCount: 3}

// restoreConfig declares one resource; extra goes inside its block.
func restoreConfig(srv *acctest.Server, p ghfake.Package, extra string) string {
	return srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
resource "ghpkg_user_package_restore" "test" {
  username     = %[1]q
  package_type = %[2]q
  package_name = %[3]q
%[4]s}
`, p.Owner, p.Type, p.Name, extra)
}

// expectRequests checks the requests the server answered, in order, written
// as "METHOD escaped-path status".
func expectRequests(srv *acctest.Server, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range srv.Requests() {
			got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			return fmt.Errorf("requests:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		return nil
	}
}

// expectRestores checks how many restores (POSTs) the server answered so far.
func expectRestores(srv *acctest.Server, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.CountRequests("POST"); n != want {
			return fmt.Errorf("%d restores sent, want %d", n, want)
		}
		return nil
	}
}

// expectPackageKept is a CheckDestroy: no DELETE went out, the package lives.
func expectPackageKept(srv *acctest.Server, p ghfake.Package) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.CountRequests("DELETE"); n != 0 {
			return fmt.Errorf("destroy sent %d DELETE requests", n)
		}
		return expectVisible(srv, p)
	}
}

// expectVisible checks the emulator's state when the emulator answered the
// test (VCR_MODE=OFF or recording); the request log covers replay.
func expectVisible(srv *acctest.Server, p ghfake.Package) error {
	fake, ok := srv.EmulatorState()
	if !ok {
		return nil
	}
	if _, visible := fake.Lookup(p); !visible {
		return fmt.Errorf("package %s/%s/%s is not visible", p.Owner, p.Type, p.Name)
	}
	return nil
}

// errorPattern matches a diagnostic holding each part in order, whatever
// line wrapping Terraform applies between words.
func errorPattern(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

func attr(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

const appPath = "/users/octocat/packages/container/octo-app"

// testRestoresDeletedPackage restores p, deleted a day ago, declared with
// config: one GET that finds nothing, one restore, one GET that sees it.
// checks, given the package as it was deleted, hold in state; a second plan
// is empty; destroy keeps the package.
func testRestoresDeletedPackage(t *testing.T, p ghfake.Package, path string,
	config func(*acctest.Server, ghfake.Package, string) string, checks func(deleted ghfake.Package) []statecheck.StateCheck,
) {
	t.Helper()
	srv := acctest.NewServer(t)
	deleted := srv.AddDeletedPackage(p, 24*time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectPackageKept(srv, p),
		Steps: []resource.TestStep{{
			Config:            config(srv, p, ""),
			Check:             expectRequests(srv, "GET "+path+" 404", "POST "+path+"/restore 204", "GET "+path+" 200"),
			ConfigStateChecks: checks(deleted),
		}, {
			// A second plan refreshes with one GET and has nothing to do.
			Config:           config(srv, p, ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

func TestAccUserPackageRestore_restoresDeletedPackage(t *testing.T) {
	testRestoresDeletedPackage(t, appPackage, appPath, restoreConfig, func(deleted ghfake.Package) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(testResource, attr("id"), knownvalue.StringExact("octocat/container/octo-app")),
			statecheck.ExpectKnownValue(testResource, attr("restored"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(testResource, attr("restored_at"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(testResource, attr("package_id"), knownvalue.Int64Exact(deleted.ID)),
			statecheck.ExpectKnownValue(testResource, attr("version_count"), knownvalue.Int64Exact(3)),
			statecheck.ExpectKnownValue(testResource, attr("visibility"), knownvalue.StringExact("private")),
			statecheck.ExpectKnownValue(testResource, attr("repository"), knownvalue.Null()),
			statecheck.ExpectKnownValue(testResource, attr("created_at"), knownvalue.StringExact("2026-01-05T09:00:00Z")),
			statecheck.ExpectKnownValue(testResource, attr("html_url"),
				knownvalue.StringExact("https://github.com/users/octocat/packages/container/package/octo-app")),
		}
	})
}

func TestAccUserPackageRestore_adoptsVisiblePackage(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: restoreConfig(srv, appPackage, ""),
			Check:  expectRequests(srv, "GET "+appPath+" 200"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testResource, attr("restored"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(testResource, attr("restored_at"), knownvalue.Null()),
			},
		}},
	})
}

func TestAccUserPackageRestore_waitsUntilRestoredPackageIsVisible(t *testing.T) {
	testRestoresAppPackage(t, func(fake *ghfake.Server) { fake.SetRestoreLag(2) }, "",
		"GET "+appPath+" 404", "POST "+appPath+"/restore 204", "GET "+appPath+" 404", "GET "+appPath+" 404", "GET "+appPath+" 200")
}

func TestAccUserPackageRestore_failsWhenNotVisibleWithinTimeout(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	srv.Emulator().SetRestoreLag(1000)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      restoreConfig(srv, appPackage, "  timeouts {\n    create = \"2s\"\n  }\n"),
			ExpectError: errorPattern("Restored Package Not Visible", "octocat/container/octo-app", "Nothing was saved"),
		}},
	})
}

func TestAccUserPackageRestore_driftAfterOutOfBandDeleteIsRestored(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	config := restoreConfig(srv, appPackage, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := srv.DeletePackage(appPackage); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreate),
				}},
				Check: func(*terraform.State) error {
					if n := srv.CountRequests("POST"); n != 2 {
						return fmt.Errorf("%d restores sent, want 2: the first apply's and the drift's", n)
					}
					return expectVisible(srv, appPackage)
				},
			},
		},
	})
}

func TestAccUserPackageRestore_expiredDeletionIsNotRestorable(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, ghfake.RestoreWindow+time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      restoreConfig(srv, appPackage, ""),
			ExpectError: errorPattern("Package Not Restorable", "Most likely, package octocat/container/octo-app was deleted more than 30 days ago", "404 Not Found"),
		}},
	})
}

func TestAccUserPackageRestore_reusedNameIsNotRestorable(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	// Someone publishes a new package under the name between the provider's
	// GET and its restore: GitHub then refuses the restore.
	fake := srv.Emulator()
	fake.OnRequest(func(method, _ string) {
		if method == "POST" {
			fake.AddPackage(appPackage)
		}
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      restoreConfig(srv, appPackage, ""),
			ExpectError: errorPattern("Package Not Restorable", "octocat/container/octo-app", "name was reused by a new package (delete that one first"),
		}},
	})
}

func TestAccUserPackageRestore_rejectedTokenSaysHowToSetOne(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	config := strings.Replace(restoreConfig(srv, appPackage, ""), acctest.Token, "revoked-token", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorPattern("GitHub Token Rejected", `401 Unauthorized ("Bad credentials")`, "GitHub rejected the token from the provider's token argument."),
		}},
	})
}

func TestAccUserPackageRestore_missingScopeNamesScopes(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	srv.Emulator().AddToken("read-only-token", "read:packages")
	config := strings.Replace(restoreConfig(srv, appPackage, ""), acctest.Token, "read-only-token", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorPattern("Insufficient Token Permissions", "restoring package octocat/container/octo-app", "403 Forbidden", "write:packages", "The token has: read:packages."),
		}},
	})
}

func TestAccUserPackageRestore_invalidConfigRejectedAtPlan(t *testing.T) {
	cases := []struct {
		name    string
		pkg     ghfake.Package
		message string
	}{
		{"unknown type", ghfake.Package{Owner: "octocat", Type: "pypi", Name: "app"}, `(?s)Invalid Package Type.*"pypi".*no\s+Python\s+registry`},
		{"upper-case type", ghfake.Package{Owner: "octocat", Type: "NPM", Name: "app"}, `(?s)Invalid Package Type.*lower\s+case:\s+use\s+"npm"`},
		{"registry host in name", ghfake.Package{Owner: "octocat", Type: "container", Name: "ghcr.io/octocat/app"}, `(?s)Invalid Package Name.*registry\s+host\s+ghcr.io`},
		{"dot-dot name", ghfake.Package{Owner: "octocat", Type: "npm", Name: "a/../b"}, `(?s)Invalid Package Name.*".."`},
		{"empty segment", ghfake.Package{Owner: "octocat", Type: "npm", Name: "a//b"}, `(?s)Invalid Package Name.*"//"`},
		{"control character", ghfake.Package{Owner: "octocat", Type: "npm", Name: "a\tb"}, `(?s)Invalid Package Name.*control`},
		{"username with slash", ghfake.Package{Owner: "octo/cat", Type: "npm", Name: "app"}, `(?s)username.*must be a GitHub\s+username`},
		{"empty username", ghfake.Package{Owner: "", Type: "npm", Name: "app"}, `(?s)username.*must be a GitHub\s+username`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      restoreConfig(srv, tc.pkg, ""),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.message),
				}},
			})
			if n := srv.CountRequests(""); n != 0 {
				t.Fatalf("invalid configuration sent %d requests, want 0", n)
			}
		})
	}
}

var linkedImage = ghfake.Package{Owner: "octocat", Type: "container", Name: "octo-repo/octo-app", Repository: "octo-repo"}

const linkedPath = "/users/octocat/packages/container/octo-repo%2Focto-app"

func TestAccUserPackageRestore_nameWithSlashTravelsEscaped(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(linkedImage, time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: restoreConfig(srv, linkedImage, ""),
			Check:  expectRequests(srv, "GET "+linkedPath+" 404", "POST "+linkedPath+"/restore 204", "GET "+linkedPath+" 200"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testResource, attr("id"), knownvalue.StringExact("octocat/container/octo-repo/octo-app")),
				statecheck.ExpectKnownValue(testResource, attr("repository"), knownvalue.StringExact("octocat/octo-repo")),
			},
		}},
	})
}

const packageToken = "restore-token-value"

func TestAccUserPackageRestore_writeOnlyTokenReachesQueryNotState(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsWriteOnly,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: restoreConfig(srv, appPackage, fmt.Sprintf("  token = %q\n", packageToken)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testResource, attr("token"), knownvalue.Null()),
			},
			Check: func(s *terraform.State) error {
				var restoreQuery string
				for _, r := range srv.Requests() {
					if r.Method == "POST" {
						restoreQuery = r.Query.Get("token")
					}
				}
				if restoreQuery != packageToken {
					return fmt.Errorf("restore sent token=%q, want the configured token", restoreQuery)
				}
				for key, value := range s.RootModule().Resources[testResource].Primary.Attributes {
					if strings.Contains(value, packageToken) {
						return fmt.Errorf("state attribute %s holds the write-only token", key)
					}
				}
				return nil
			},
		}},
	})
}

func TestAccUserPackageRestore_importNameWithSlashThenEmptyPlan(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(linkedImage)
	config := restoreConfig(srv, linkedImage, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectPackageKept(srv, linkedImage),
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       testResource,
				ImportState:        true,
				ImportStateId:      "octocat/container/octo-repo/octo-app",
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["package_name"] != "octo-repo/octo-app" ||
						states[0].Attributes["restored"] != "false" || states[0].Attributes["repository"] != "octocat/octo-repo" {
						return fmt.Errorf("imported state: %v", states)
					}
					return expectRequests(srv, "GET "+linkedPath+" 200")(nil)
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccUserPackageRestore_importMatchesCreatedState(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: restoreConfig(srv, appPackage, "")},
			{ResourceName: testResource, ImportState: true, ImportStateVerify: true},
		},
	})
}

func TestAccUserPackageRestore_importOfMissingPackageFails(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        restoreConfig(srv, appPackage, ""),
			ResourceName:  testResource,
			ImportState:   true,
			ImportStateId: "octocat/container/octo-app",
			ExpectError:   errorPattern("Package Not Found", "octocat/container/octo-app", "404 Not Found"),
		}},
	})
}
