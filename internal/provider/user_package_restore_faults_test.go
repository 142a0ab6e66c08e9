package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

// withProviderArguments adds arguments to the provider block of a config.
func withProviderArguments(config, arguments string) string {
	return strings.Replace(config, "provider \"ghpkg\" {", "provider \"ghpkg\" {\n  "+arguments, 1)
}

func TestAccUserPackageRestore_serverErrorsAreRetriedAndRestoreIsNotRepeated(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(appPackage, time.Hour)
	fake := srv.Emulator()
	fake.Script("GET", "", ghfake.ServerError(502))
	// GitHub restores the package but the answer is lost in a 502.
	fake.Script("POST", "", ghfake.Fault{Status: 502, TakeEffect: true, ContentType: "application/json; charset=utf-8",
		Body: `{"message":"Server Error","documentation_url":"https://docs.github.com/rest"}`})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: restoreConfig(srv, appPackage, ""),
			Check: expectRequests(srv, "GET "+appPath+" 502", "GET "+appPath+" 404",
				"POST "+appPath+"/restore 502", "GET "+appPath+" 200", "GET "+appPath+" 200"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testResource, attr("restored"), knownvalue.Bool(true)),
			},
		}},
	})
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
	srv.Emulator().Script("GET", "", ghfake.Fault{Status: 200, ContentType: "text/html; charset=utf-8",
		Body: "<html><body>Unicorn! This page is taking too long to load.</body></html>"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      restoreConfig(srv, appPackage, ""),
			ExpectError: errorPattern("Unexpected Answer From GitHub", "octocat/container/octo-app", "200", "base_url"),
		}},
	})
}
