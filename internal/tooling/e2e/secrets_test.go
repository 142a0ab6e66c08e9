// Package e2e runs the built provider binary under the Terraform CLI, for
// what only a real plugin process shows: the logs Terraform writes at
// TF_LOG=TRACE, the state file and the plan output.
package e2e

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

const (
	providerToken = "ghp_e2eProviderToken0123456789abcdefXYZ"
	restoreToken  = "e2e-restore-token-6f1c2b"
)

const config = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {}

variable "restore_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghpkg_user_package_restore" "restored" {
  username     = "octocat"
  package_type = "npm"
  package_name = "octo-lib"
  token        = var.restore_token
}

resource "ghpkg_user_package_restore" "expired" {
  username     = "octocat"
  package_type = "npm"
  package_name = "old-lib"
  token        = var.restore_token
}
`

// TestSecretsNeverLeak applies with TRACE logging: one restore retried after
// a 502, one that fails; then looks for both tokens everywhere.
func TestSecretsNeverLeak(t *testing.T) {
	requireAcc(t)
	requireTerraform(t, "1.11.0", "1.11.0") // write-only arguments
	work := t.TempDir()
	bin := providerDir(t)
	fake := ghfake.New()
	fake.AddToken(providerToken, "read:packages", "write:packages")
	fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"}, time.Hour)
	fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "old-lib"}, 40*24*time.Hour)
	fake.Script("POST", "/octo-lib/restore", ghfake.ServerError(502))
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)

	configDir := filepath.Join(work, "config")
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(configDir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(work, "trace.log")
	ws, err := tfcli.New(work, bin, configDir, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN="+providerToken,
		"TF_VAR_restore_token="+restoreToken, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	if err != nil {
		t.Fatal(err)
	}
	var output bytes.Buffer
	ws.Stdout, ws.Stderr = &output, &output
	if _, err := ws.Run("apply", "-auto-approve", "-input=false"); err == nil {
		t.Fatal("apply succeeded; the expired package should fail it")
	}
	if _, err := ws.Run("plan", "-input=false"); err != nil {
		t.Fatalf("plan: %v\n%s", err, output.String())
	}

	logs, _ := os.ReadFile(logPath)
	state, _ := os.ReadFile(filepath.Join(ws.Dir, "terraform.tfstate"))
	for _, want := range []string{"GitHub API request", "server error, retrying", "Package Not Restorable"} {
		if !strings.Contains(string(logs)+output.String(), want) {
			t.Errorf("the run shows no %q; the logs may not be captured", want)
		}
	}
	if !strings.Contains(string(state), "octo-lib") {
		t.Errorf("state lacks the restored package:\n%s", state)
	}
	if n := fake.CountRequests("POST"); n != 3 {
		t.Errorf("%d POSTs, want 3: octo-lib twice (502, then 204), old-lib once", n)
	}
	for name, text := range map[string]string{"TRACE log": string(logs), "state": string(state), "output": output.String()} {
		for _, secret := range []string{providerToken, restoreToken} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s holds a secret (%.8s...)", name, secret)
			}
		}
	}
}
