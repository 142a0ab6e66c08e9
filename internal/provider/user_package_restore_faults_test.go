package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// withProviderArguments adds arguments to the provider block of a config.
func withProviderArguments(config, arguments string) string {
	return strings.Replace(config, "provider \"ghpkg\" {", "provider \"ghpkg\" {\n  "+arguments, 1)
}

// testRestoresAppPackage restores appPackage, deleted an hour ago, with
// providerArguments (may be empty) in the provider block, once prepare has
// set the emulator up: the requests sent are want, in order, and state says
// restored.
func testRestoresAppPackage(t *testing.T, prepare func(*ghfake.Server), providerArguments string, want ...string) {
	t.Helper()
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	prepare(srv.Emulator())
	config := restoreConfig(srv, appPackage, "")
	if providerArguments != "" {
		config = withProviderArguments(config, providerArguments)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  expectRequests(srv, want...),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testResource, attr("restored"), knownvalue.Bool(true)),
			},
		}},
	})
}

func TestAccUserPackageRestore_serverErrorsAreRetriedAndRestoreIsNotRepeated(t *testing.T) {
	testRestoresAppPackage(t, func(fake *ghfake.Server) {
		fake.Script("GET", "", ghfake.ServerError(502))
		// GitHub restores the package but the answer is lost in a 502.
		fake.Script("POST", "", ghfake.Fault{Status: 502, TakeEffect: true, ContentType: "application/json; charset=utf-8",
			Body: `{"message":"Server Error","documentation_url":"https://docs.github.com/rest"}`})
	}, "", "GET "+appPath+" 502", "GET "+appPath+" 404",
		"POST "+appPath+"/restore 502", "GET "+appPath+" 200", "GET "+appPath+" 200")
}

func TestAccUserPackageRestore_exhaustedRetriesSayWhatWasTried(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	srv.Emulator().Script("GET", "", ghfake.ServerError(503), ghfake.ServerError(503))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withProviderArguments(restoreConfig(srv, appPackage, ""), "max_retries = 1"),
			ExpectError: errorPattern("GitHub Server Error", "octocat/container/octo-app", "503 Service Unavailable",
				"after 2 attempts", "githubstatus.com"),
			Check: expectRequests(srv, "GET "+appPath+" 503", "GET "+appPath+" 503"),
		}},
	})
}

func TestAccUserPackageRestore_htmlAnswerIsAClearError(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	// A login page or a proxy's notice, twice: the first is retried.
	page := ghfake.Fault{Status: 200, ContentType: "text/html; charset=utf-8",
		Body: "<html><body>Unicorn! This page is taking too long to load.</body></html>"}
	srv.Emulator().Script("GET", "", page, page)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withProviderArguments(restoreConfig(srv, appPackage, ""), "max_retries = 1"),
			ExpectError: errorPattern("Unexpected Answer From GitHub", "octocat/container/octo-app", "200",
				"text/html", "Unicorn!", "after 2 attempts", "base_url"),
			Check: expectRequests(srv, "GET "+appPath+" 200", "GET "+appPath+" 200"),
		}},
	})
}

// A base_url that reaches a web server instead of the API answers every GET
// with an HTML 404. That must not read as "every package deleted".
func TestAccUserPackageRestore_webPage404KeepsState(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	fake := srv.Emulator()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: restoreConfig(srv, appPackage, ""),
		}, {
			PreConfig: func() {
				fake.Script("GET", "", ghfake.Fault{Status: 404, ContentType: "text/html",
					Body: "<html><head><title>404 Not Found</title></head><body>nginx</body></html>"})
			},
			Config:      restoreConfig(srv, appPackage, ""),
			ExpectError: errorPattern("Not a GitHub API Answer", "octocat/container/octo-app", "answered 404", "text/html", "Check base_url"),
		}, {
			// The resource is still in state: nothing to restore.
			Config:           restoreConfig(srv, appPackage, ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
	if n := srv.CountRequests("POST"); n != 0 {
		t.Fatalf("%d restores sent for a package that was never deleted", n)
	}
}

// GitHub accepted the restore; the checks that follow fail longer than the
// retries of one check last. Create keeps checking within its timeout.
func TestAccUserPackageRestore_flakyChecksAfterRestoreKeepPolling(t *testing.T) {
	testRestoresAppPackage(t, func(fake *ghfake.Server) {
		fake.Script("GET", "", ghfake.Fault{}, ghfake.ServerError(502), ghfake.ServerError(503), ghfake.ServerError(502))
	}, "max_retries = 1", "GET "+appPath+" 404", "POST "+appPath+"/restore 204",
		"GET "+appPath+" 502", "GET "+appPath+" 503", "GET "+appPath+" 502", "GET "+appPath+" 200")
}

// A restore answered 502 took effect, but GitHub hides the restored package
// from the next reads: the restore sent again answers 404, and ghpkg waits
// for the package to show instead of reporting it not restorable.
func TestAccUserPackageRestore_lostAnswerThen404WaitsForVisibility(t *testing.T) {
	testRestoresAppPackage(t, func(fake *ghfake.Server) {
		fake.SetRestoreLag(2)
		lost := ghfake.ServerError(502)
		lost.TakeEffect = true
		fake.Script("POST", "", lost)
	}, "", "GET "+appPath+" 404", "POST "+appPath+"/restore 502", "GET "+appPath+" 404",
		"POST "+appPath+"/restore 404", "GET "+appPath+" 404", "GET "+appPath+" 200")
}

// Maven packages follow repository permissions: a token without repo cannot
// restore one, and the error says so; with repo it can.
func TestAccUserPackageRestore_mavenNeedsRepoScope(t *testing.T) {
	lib := ghfake.Package{Owner: "octocat", Type: "maven", Name: "com.example.octo-lib"}
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(lib, time.Hour)
	srv.Emulator().AddToken("repo-token", "read:packages", "write:packages", "repo")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: restoreConfig(srv, lib, ""),
			ExpectError: errorPattern("Insufficient Token Permissions", "restoring package octocat/maven/com.example.octo-lib",
				"403 Forbidden", "Maven", "repo as well", "The token has: read:packages, write:packages."),
		}, {
			Config: strings.Replace(restoreConfig(srv, lib, ""), acctest.Token, "repo-token", 1),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testResource, attr("restored"), knownvalue.Bool(true)),
			},
		}},
	})
}
