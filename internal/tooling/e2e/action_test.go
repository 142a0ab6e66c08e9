package e2e

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

const actionConfig = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {}

variable "package_token" {
  type      = string
  sensitive = true
}

action "ghpkg_package_restore" "lib" {
  config {
    username     = "octocat"
    package_type = "npm"
    package_name = "octo-lib"
    token        = var.package_token
  }
}
`

// TestActionInvokeRestoresOnce: terraform apply -invoke, the runbook use of
// ghpkg_package_restore, reports its progress and what it did; a second
// invocation finds the package visible and sends no restore. The package
// token reaches the restore call only: not the output, the TRACE log or
// the state.
func TestActionInvokeRestoresOnce(t *testing.T) {
	requireAcc(t)
	requireTerraform(t, "1.14.0", "") // actions; OpenTofu has none
	bin := providerDir(t)
	const token = "e2e-action-package-token-5d2e"
	fake := ghfake.New()
	fake.AddToken(providerToken, "read:packages", "write:packages")
	lib := ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"}
	fake.AddDeletedPackage(lib, time.Hour)
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	ws, output := newWorkspace(t, bin, actionConfig, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN="+providerToken,
		"TF_VAR_package_token="+token, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	invoke := func() string {
		t.Helper()
		output.Reset()
		if _, err := ws.Run("apply", "-invoke=action.ghpkg_package_restore.lib", "-auto-approve", "-input=false", "-no-color"); err != nil {
			t.Fatalf("terraform apply -invoke: %v\n%s", err, output.String())
		}
		return strings.Join(strings.Fields(output.String()), " ")
	}

	first := invoke()
	for _, want := range []string{
		"token = (sensitive value)",
		"Restoring package octocat/npm/octo-lib",
		"Package octocat/npm/octo-lib: GitHub accepted the restore; waiting until it is visible",
		"Package octocat/npm/octo-lib restored: GitHub shows it again",
		"Actions: 1 invoked.",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("first invocation's output lacks %q:\n%s", want, first)
		}
	}
	var got []string
	for _, r := range fake.Requests() {
		got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
		if r.Method == "POST" && r.Query.Get("token") != token {
			t.Errorf("the restore sent token=%q, want the configured one", r.Query.Get("token"))
		}
	}
	path := "/users/octocat/packages/npm/octo-lib"
	if want := []string{"GET " + path + " 404", "POST " + path + "/restore 204", "GET " + path + " 200"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}

	second := invoke()
	if !strings.Contains(second, "Package octocat/npm/octo-lib was already visible: nothing done") {
		t.Errorf("second invocation does not say it found nothing to do:\n%s", second)
	}
	if n := fake.CountRequests("POST"); n != 1 {
		t.Errorf("%d restores after two invocations, want 1", n)
	}

	logs, _ := os.ReadFile(logPath)
	state, _ := os.ReadFile(filepath.Join(ws.Dir, "terraform.tfstate"))
	if !strings.Contains(string(logs), "GitHub API request") {
		t.Error("the TRACE log shows no request; it may not be captured")
	}
	for name, text := range map[string]string{"TRACE log": string(logs), "state": string(state), "output": first + second} {
		for _, secret := range []string{providerToken, token} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s holds a secret (%.8s...)", name, secret)
			}
		}
	}
}
