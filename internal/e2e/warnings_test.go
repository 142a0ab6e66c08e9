package e2e

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tfcli"
)

const warningsConfig = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {}

resource "ghpkg_user_package_restore" "this" {
  for_each     = toset(["gone", "replaced", "kept"])
  username     = "octocat"
  package_type = "npm"
  package_name = each.key
}
`

// TestPlanAndDestroySayWhatHappened: what a user reads in plan and destroy
// output when packages disappear, are replaced, or are destroyed.
func TestPlanAndDestroySayWhatHappened(t *testing.T) {
	requireAcc(t)
	bin := providerDir(t)
	fake := ghfake.New()
	fake.AddToken("e2e-warnings-token", "read:packages", "write:packages")
	pkg := func(name string) ghfake.Package { return ghfake.Package{Owner: "octocat", Type: "npm", Name: name} }
	var replacedID int64
	for _, name := range []string{"gone", "replaced", "kept"} {
		added := fake.AddPackage(pkg(name))
		if name == "replaced" {
			replacedID = added.ID
		}
	}
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)

	ws, output := newWorkspace(t, bin, warningsConfig, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN=e2e-warnings-token")
	run := func(args ...string) string {
		t.Helper()
		output.Reset()
		if _, err := ws.Run(append(args, "-no-color")...); err != nil {
			t.Fatalf("terraform %s: %v\n%s", args[0], err, output.String())
		}
		return output.String()
	}
	run("apply", "-auto-approve", "-input=false")

	// Behind Terraform's back: one package deleted, one deleted and published anew.
	for _, name := range []string{"gone", "replaced"} {
		if err := fake.DeletePackage(pkg(name)); err != nil {
			t.Fatal(err)
		}
	}
	newID := fake.AddPackage(pkg("replaced")).ID
	plan := run("plan", "-input=false")
	for _, want := range []string{
		"Package No Longer Visible", "octocat/npm/gone", "the next terraform apply restores it",
		"Package Replaced By A New One", fmt.Sprintf("now has package_id %d, but it had %d", newID, replacedID),
	} {
		if !strings.Contains(strings.Join(strings.Fields(plan), " "), want) {
			t.Errorf("plan output lacks %q:\n%s", want, plan)
		}
	}

	apply := strings.Join(strings.Fields(run("apply", "-auto-approve", "-input=false")), " ")
	if !strings.Contains(apply, "Package Restored") || !strings.Contains(apply, "Package octocat/npm/gone was deleted; ghpkg restored it") {
		t.Errorf("apply output does not say that it restored octocat/npm/gone:\n%s", apply)
	}

	destroy := run("destroy", "-auto-approve", "-input=false")
	if n := strings.Count(destroy, "Packages Left In Place"); n != 1 {
		t.Errorf("destroy of 3 resources warned %d times that packages stay, want once:\n%s", n, destroy)
	}
	if n := fake.CountRequests("DELETE"); n != 0 {
		t.Errorf("%d DELETE requests", n)
	}
}

const rejectedTokenConfig = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {}

resource "ghpkg_user_package_restore" "this" {
  count        = 19
  username     = "octocat"
  package_type = "npm"
  package_name = format("pkg-%02d", count.index)
}
`

// TestRejectedTokenIsExplainedOnce: 19 resources and an expired token give
// 19 errors, one of which explains; the others point to it.
func TestRejectedTokenIsExplainedOnce(t *testing.T) {
	requireAcc(t)
	bin := providerDir(t)
	fake := ghfake.New() // knows no token: every request answers 401
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)
	ws, output := newWorkspace(t, bin, rejectedTokenConfig, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN=expired-token")
	if _, err := ws.Run("apply", "-auto-approve", "-input=false", "-no-color"); err == nil {
		t.Fatal("apply with a rejected token succeeded")
	}
	text := strings.Join(strings.Fields(output.String()), " ")
	if n := strings.Count(text, "Error: GitHub Token Rejected"); n != 19 {
		t.Errorf("%d token errors, want one per resource (19):\n%s", n, output.String())
	}
	if n := strings.Count(text, "Create a personal access token (classic)"); n != 1 {
		t.Errorf("the advice appears %d times, want once:\n%s", n, output.String())
	}
	if n := strings.Count(text, "as for an earlier package"); n != 18 {
		t.Errorf("%d short errors, want 18", n)
	}
}

// TestOwnerPrefixWarnsAtValidate: a name copied from ghcr.io/OWNER/NAME
// is pointed out before any request.
func TestOwnerPrefixWarnsAtValidate(t *testing.T) {
	requireAcc(t)
	bin := providerDir(t)
	config := strings.Replace(warningsConfig, `for_each     = toset(["gone", "replaced", "kept"])`, "", 1)
	config = strings.Replace(config, "each.key", `"octocat/octo-app"`, 1)
	ws, output := newWorkspace(t, bin, config)
	if _, err := ws.Run("validate", "-no-color"); err != nil {
		t.Fatalf("validate: %v\n%s", err, output.String())
	}
	text := strings.Join(strings.Fields(output.String()), " ")
	for _, want := range []string{"Package Name Starts With Its Owner", `use package_name = "octo-app"`} {
		if !strings.Contains(text, want) {
			t.Errorf("validate output lacks %q:\n%s", want, output.String())
		}
	}
}

const ephemeralTokenConfig = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

variable "github_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "ghpkg" {
  token = var.github_token
}

resource "ghpkg_user_package_restore" "app" {
  username     = "octocat"
  package_type = "npm"
  package_name = "octo-lib"
}
`

// TestTokenFromEphemeralVariable: the provider token may come from an
// ephemeral input variable (Terraform 1.10 and later), and stays out of state.
func TestTokenFromEphemeralVariable(t *testing.T) {
	requireAcc(t)
	requireTerraform(t, "1.10.0", "1.11.0")
	bin := providerDir(t)
	const token = "ghp_e2eEphemeralToken0123456789abcdefAB"
	fake := ghfake.New()
	fake.AddToken(token, "read:packages", "write:packages")
	fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"})
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)
	ws, output := newWorkspace(t, bin, ephemeralTokenConfig, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN=", "TF_VAR_github_token="+token)
	if _, err := ws.Run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply with a token from an ephemeral variable: %v\n%s", err, output.String())
	}
	state, _ := os.ReadFile(filepath.Join(ws.Dir, "terraform.tfstate"))
	if !strings.Contains(string(state), "octo-lib") || strings.Contains(string(state), token) {
		t.Errorf("state should hold the package and not the token:\n%s", state)
	}
}

// newWorkspace writes config into a fresh directory and returns a Terraform
// workspace on the built provider whose stdout and stderr go to output.
func newWorkspace(t *testing.T, bin, config string, env ...string) (*tfcli.Workspace, *bytes.Buffer) {
	t.Helper()
	work := t.TempDir()
	configDir := filepath.Join(work, "config")
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(configDir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := tfcli.New(work, bin, configDir, append(env, "CHECKPOINT_DISABLE=1")...)
	if err != nil {
		t.Fatal(err)
	}
	output := &bytes.Buffer{}
	ws.Stdout, ws.Stderr = output, output
	return ws, output
}
