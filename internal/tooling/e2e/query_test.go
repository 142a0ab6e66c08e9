package e2e

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

const queryConfig = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {}
`

const queryList = `
list "ghpkg_user_package_restore" "octocat" {
  provider = ghpkg
  config {
    username     = "octocat"
    package_type = "container"
  }
}

list "ghpkg_org_package_restore" "octo_org" {
  provider = ghpkg
  config {
    org          = "octo-org"
    package_type = "npm"
  }
}
`

// TestQueryGeneratesDRStack is the DR guide's workflow: terraform query
// writes a resource and an import block for every package that exists, and
// the stack it writes plans 0 changes once imported.
func TestQueryGeneratesDRStack(t *testing.T) {
	requireAcc(t)
	requireTerraform(t, "1.14.0", "")
	bin := providerDir(t)
	fake := ghfake.New()
	fake.AddToken("e2e-query-token", "read:packages", "write:packages")
	listed := []ghfake.Package{
		{Owner: "octocat", Type: "container", Name: "octo-app"},
		{Owner: "octocat", Type: "container", Name: "octo-repo/octo-app", Repository: "octo-repo"},
		{Org: true, Owner: "octo-org", Type: "npm", Name: "octo-lib"},
	}
	for _, p := range listed {
		fake.AddPackage(p)
	}
	fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "not-listed"}) // another type
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)

	ws, output := newWorkspace(t, bin, queryConfig, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN=e2e-query-token")
	if err := os.WriteFile(filepath.Join(ws.Dir, "dr.tfquery.hcl"), []byte(queryList), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string) {
		t.Helper()
		output.Reset()
		code, err := ws.Run(args...)
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, output.String())
		}
		return code, output.String()
	}

	run("query", "-generate-config-out=dr.tf")
	generated, err := os.ReadFile(filepath.Join(ws.Dir, "dr.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no dr.tf: %v\n%s", err, output.String())
	}
	for _, p := range listed {
		if !strings.Contains(string(generated), `package_name = "`+p.Name+`"`) {
			t.Errorf("dr.tf lacks package %s:\n%s", p.Name, generated)
		}
	}
	if strings.Contains(string(generated), "not-listed") {
		t.Errorf("dr.tf holds a package of another type:\n%s", generated)
	}
	if n := strings.Count(string(generated), "identity = {"); n != len(listed) {
		t.Errorf("dr.tf has %d import blocks by identity, want %d:\n%s", n, len(listed), generated)
	}

	if _, plan := run("plan", "-input=false"); !strings.Contains(plan, "3 to import, 0 to add, 0 to change, 0 to destroy") {
		t.Errorf("the generated stack does not plan as 3 imports and nothing else:\n%s\ndr.tf:\n%s", plan, generated)
	}
	run("apply", "-auto-approve", "-input=false")
	if code, plan := run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Errorf("after import the generated stack plans changes (exit code %d):\n%s", code, plan)
	}
	if n := fake.CountRequests("POST"); n != 0 {
		t.Errorf("%d restores sent for packages that exist", n)
	}
}
