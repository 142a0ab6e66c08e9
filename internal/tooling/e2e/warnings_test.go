package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
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

	logPath := filepath.Join(t.TempDir(), "provider.log")
	ws, output := newWorkspace(t, bin, warningsConfig, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN=e2e-warnings-token",
		"TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+logPath)
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
		"Package No Longer Visible", "octocat/npm/gone", "The plan proposes restoring it",
		"Package Replaced By A New One", fmt.Sprintf("now has package_id %d, but it had %d", newID, replacedID),
	} {
		if !strings.Contains(strings.Join(strings.Fields(plan), " "), want) {
			t.Errorf("plan output lacks %q:\n%s", want, plan)
		}
	}

	// A restore is no warning: state says what was restored, the log how
	// far a restore got; warnings are left for what needs a human.
	apply := run("apply", "-auto-approve", "-input=false")
	if strings.Contains(apply, "Restored") || strings.Contains(apply, "ghpkg restored it") {
		t.Errorf("apply output reports the restore as a warning:\n%s", apply)
	}
	if got := restoredKeys(t, ws.Dir); !slices.Equal(got, []string{"gone"}) {
		t.Errorf("state has restored = true for %v, want [gone]", got)
	}
	if logs, _ := os.ReadFile(logPath); !strings.Contains(string(logs), "GitHub accepted the restore") ||
		!strings.Contains(string(logs), "restores_done=1") {
		t.Errorf("the INFO log does not show the restores' progress")
	}

	destroy := run("destroy", "-auto-approve", "-input=false")
	if n := strings.Count(destroy, "Packages Left In Place"); n != 1 {
		t.Errorf("destroy of 3 resources warned %d times that packages stay, want once:\n%s", n, destroy)
	}
	if n := fake.CountRequests("DELETE"); n != 0 {
		t.Errorf("%d DELETE requests", n)
	}
}

// restoredKeys are the for_each keys whose state has restored = true and a
// restored_at, in order.
func restoredKeys(t *testing.T, dir string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Instances []struct {
				IndexKey   string `json:"index_key"`
				Attributes struct {
					Restored   bool   `json:"restored"`
					RestoredAt string `json:"restored_at"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range state.Resources {
		for _, i := range r.Instances {
			if i.Attributes.Restored && i.Attributes.RestoredAt != "" {
				keys = append(keys, i.IndexKey)
			}
		}
	}
	slices.Sort(keys)
	return keys
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
	return workspaceWith(t, config, func(work, configDir string) (*tfcli.Workspace, error) {
		return tfcli.New(work, bin, configDir, append(env, "CHECKPOINT_DISABLE=1")...)
	})
}

// workspaceWith writes config into a fresh directory and returns the
// workspace that create makes of it, its stdout and stderr going to output.
func workspaceWith(t *testing.T, config string, create func(work, configDir string) (*tfcli.Workspace, error)) (*tfcli.Workspace, *bytes.Buffer) {
	t.Helper()
	work := t.TempDir()
	configDir := filepath.Join(work, "config")
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(configDir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := create(work, configDir)
	if err != nil {
		t.Fatal(err)
	}
	output := &bytes.Buffer{}
	ws.Stdout, ws.Stderr = output, output
	return ws, output
}
