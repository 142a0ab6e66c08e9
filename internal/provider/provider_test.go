package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/serve"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the
// Terraform CLI that acceptance tests run, through the same protocol server
// as the binary.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"ghpkg": func() (tfprotov6.ProviderServer, error) { return serve.NewServer(New("test")), nil },
}

// withoutTokenArgument is a configuration whose provider block sets no
// token.
func withoutTokenArgument(srv *acctest.Server) string {
	return strings.Replace(restoreConfig(srv, appPackage, ""), fmt.Sprintf("token    = %q", acctest.Token), "", 1)
}

func TestAccProvider_missingTokenSaysHowToSetIt(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	fakeGH(t, "exit 1") // gh installed, not logged in
	srv := acctest.NewServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withoutTokenArgument(srv),
			ExpectError: errorPattern("Missing GitHub Token", "found none (gh auth token found no token)",
				"token argument", "GITHUB_TOKEN environment variable", "GH_TOKEN environment variable", "gh auth token"),
		}},
	})
	if n := srv.CountRequests(""); n != 0 {
		t.Fatalf("sent %d requests without a token", n)
	}
}

// Without the argument, GITHUB_TOKEN and GH_TOKEN, the token is gh's for
// the base_url host.
func TestAccProvider_tokenFromGHCLI(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	argsFile := fakeGH(t, "echo "+acctest.Token)
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withoutTokenArgument(srv),
			Check:  expectRequests(srv, "GET "+appPath+" 200"),
		}},
	})
	want := "auth token --hostname " + strings.TrimPrefix(srv.URL, "http://") + "\n"
	if args, _ := os.ReadFile(argsFile); string(args) != want {
		t.Errorf("gh ran with %q, want %q", args, want)
	}
}

// A rejected token is named by its source: here GH_TOKEN, under an unset
// argument and GITHUB_TOKEN.
func TestAccProvider_rejectedTokenNamesItsSource(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "revoked-token")
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: withoutTokenArgument(srv),
			ExpectError: errorPattern("GitHub Token Rejected", `401 Unauthorized ("Bad credentials")`,
				"GitHub rejected the token from GH_TOKEN (neither the provider's token argument nor GITHUB_TOKEN is set)."),
		}},
	})
}

func TestAccProvider_plainHTTPRefusedForRemoteHosts(t *testing.T) {
	srv := acctest.NewServer(t)
	config := strings.Replace(restoreConfig(srv, appPackage, ""), srv.URL, "http://ghe.example.com", 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorPattern("Invalid GitHub Base URL", "plain http", "only for loopback hosts"),
		}},
	})
}

func TestAccProvider_maxRetriesIsBounded(t *testing.T) {
	srv := acctest.NewServer(t)
	config := withProviderArguments(restoreConfig(srv, appPackage, ""), "max_retries = 11")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorPattern("max_retries", "must be between 0 and 10"),
		}},
	})
	if n := srv.CountRequests(""); n != 0 {
		t.Fatalf("sent %d requests with an invalid provider configuration", n)
	}
}

// A token read with $(cat token) or from a file ends in a newline.
func TestAccProvider_tokenWhitespaceIsTrimmed(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	config := strings.Replace(restoreConfig(srv, appPackage, ""), fmt.Sprintf("token    = %q", acctest.Token),
		fmt.Sprintf("token    = %q", "  "+acctest.Token+"\n"), 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  expectRequests(srv, "GET "+appPath+" 200"),
		}},
	})
}

func TestAccProvider_invalidRequestTimeoutRejected(t *testing.T) {
	for name, value := range map[string]string{"not a duration": "soon", "zero": "0s", "negative": "-1s", "too long": "11m"} {
		t.Run(name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      withProviderArguments(restoreConfig(srv, appPackage, ""), fmt.Sprintf("request_timeout = %q", value)),
					ExpectError: regexp.MustCompile(`(Invalid Request Timeout|Invalid Time Duration String Value)`),
				}},
			})
			if n := srv.CountRequests(""); n != 0 {
				t.Fatalf("sent %d requests with an invalid request_timeout", n)
			}
		})
	}
}

// `token = ""` (an empty variable) must not hide GITHUB_TOKEN.
func TestAccProvider_emptyTokenFallsBackToEnvironment(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", acctest.Token)
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	config := strings.Replace(restoreConfig(srv, appPackage, ""), fmt.Sprintf("token    = %q", acctest.Token), `token    = ""`, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  expectRequests(srv, "GET "+appPath+" 200"),
		}},
	})
}
