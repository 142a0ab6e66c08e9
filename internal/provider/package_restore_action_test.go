package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// actionConfig declares ghpkg_package_restore.test with settings inside
// its config block, and a terraform_data that invokes it after create: the
// way plugin-testing (which has no action step) runs an action.
func actionConfig(srv *acctest.Server, settings string) string {
	return srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
action "ghpkg_package_restore" "test" {
  config {
%s  }
}

resource "terraform_data" "trigger" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ghpkg_package_restore.test]
    }
  }
}
`, settings)
}

// packageSettings names p in an action's config; extra follows.
func packageSettings(p ghfake.Package, extra string) string {
	owner := "username"
	if p.Org {
		owner = "org"
	}
	return fmt.Sprintf("    %s = %q\n    package_type = %q\n    package_name = %q\n%s", owner, p.Owner, p.Type, p.Name, extra)
}

func TestAccPackageRestoreAction_restoresDeletedUserPackage(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, 24*time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsActions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: actionConfig(srv, packageSettings(appPackage, "")),
			Check: resource.ComposeTestCheckFunc(
				expectRequests(srv, "GET "+appPath+" 404", "POST "+appPath+"/restore 204", "GET "+appPath+" 200"),
				func(*terraform.State) error { return expectVisible(srv, appPackage) },
			),
		}},
	})
}

func TestAccPackageRestoreAction_visiblePackageIsLeftAlone(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsActions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: actionConfig(srv, packageSettings(appPackage, "")),
			Check:  expectRequests(srv, "GET "+appPath+" 200"),
		}},
	})
}

func TestAccPackageRestoreAction_restoresOrgVersionByTag(t *testing.T) {
	srv := acctest.NewServer(t)
	_, deleted := withReleases(srv, orgApp)
	versionPath := fmt.Sprintf("%s/versions/%d", orgAppPath, deleted.ID)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsActions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: actionConfig(srv, packageSettings(orgApp, "    version = \"v1\"\n")),
			// One listing of deleted versions, one restore, then the check that it is visible.
			Check: expectRequests(srv, "GET "+orgAppPath+"/versions 200", "POST "+versionPath+"/restore 204", "GET "+versionPath+" 200"),
		}},
	})
}

// The token reaches the restore call's query; the action keeps no state.
func TestAccPackageRestoreAction_tokenReachesRestoreQuery(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsActions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: actionConfig(srv, packageSettings(appPackage, fmt.Sprintf("    token = %q\n", packageToken))),
			Check: func(*terraform.State) error {
				for _, r := range srv.Requests() {
					if r.Method == "POST" && r.Query.Get("token") != packageToken {
						return fmt.Errorf("restore sent token=%q, want the configured token", r.Query.Get("token"))
					}
				}
				if n := srv.CountRequests("POST"); n != 1 {
					return fmt.Errorf("%d restores, want 1", n)
				}
				return nil
			},
		}},
	})
}

func TestAccPackageRestoreAction_invalidConfigRejectedAtValidate(t *testing.T) {
	cases := map[string]struct {
		settings string
		message  string
	}{
		"username and org": {`    username = "octocat"` + "\n" + packageSettings(orgApp, ""), `(?s)Invalid Attribute Combination.*username.*org`},
		"no owner":         {"    package_type = \"npm\"\n    package_name = \"app\"\n", `(?s)Missing Attribute Configuration.*username,org`},
		"version and id": {packageSettings(orgApp, "    version = \"v1\"\n    package_version_id = 7\n"),
			`(?s)Invalid Attribute Combination.*package_version_id.*version`},
		"token with a version": {packageSettings(orgApp, "    version = \"v1\"\n    token = \"t\"\n"),
			`(?s)Invalid Attribute Combination.*token.*version`},
		"unknown type": {packageSettings(ghfake.Package{Owner: "octocat", Type: "pypi", Name: "app"}, ""),
			`(?s)Invalid Package Type.*"pypi"`},
		"invalid org": {packageSettings(ghfake.Package{Org: true, Owner: "octo_org", Type: "npm", Name: "app"}, ""),
			`(?s)org`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				TerraformVersionChecks:   needsActions,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      actionConfig(srv, tc.settings),
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

func TestAccPackageRestoreAction_expiredDeletionIsNotRestorable(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, ghfake.RestoreWindow+time.Hour)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsActions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: actionConfig(srv, packageSettings(appPackage, "")),
			ExpectError: errorPattern("Package Not Restorable", "more than 30 days ago",
				"restoring package octocat/container/octo-app", "404 Not Found", "invoke the action again",
				"take this action out of the runbook"),
		}},
	})
}

func TestAccPackageRestoreAction_notVisibleWithinItsTimeout(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	srv.Emulator().SetRestoreLag(1000)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsActions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: actionConfig(srv, packageSettings(appPackage, "    timeouts {\n      invoke = \"2s\"\n    }\n")),
			ExpectError: errorPattern("Restored Package Not Visible", "octocat/container/octo-app",
				"Invoke the action again", "raise timeouts.invoke (now 2s)"),
		}},
	})
}

func TestAccPackageRestoreAction_versionOfDeletedPackageSaysRestorePackageFirst(t *testing.T) {
	srv := acctest.NewServer(t)
	_, deleted := withReleases(srv, orgApp)
	if fake, ok := srv.EmulatorState(); ok {
		if err := fake.DeletePackage(orgApp); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   needsActions,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: actionConfig(srv, packageSettings(orgApp, fmt.Sprintf("    package_version_id = %d\n", deleted.ID))),
			ExpectError: errorPattern("Package Of Version Deleted", "octo-org/container/octo-app",
				"no version restore was sent", "invoke the action without package_version_id and version"),
		}},
	})
	if n := srv.CountRequests("POST"); n != 0 {
		t.Fatalf("%d restores sent for a version of a deleted package", n)
	}
}
