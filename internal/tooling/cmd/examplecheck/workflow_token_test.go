package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// TestWorkflowShowsBothTokens: the example workflow runs with a classic
// token from a secret or, without one, with the workflow's own token, which
// needs packages: write to restore and the admin role on the package.
func TestWorkflowShowsBothTokens(t *testing.T) {
	path := filepath.Join(repoRoot, "examples", "ci", "github-actions.yml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Env  map[string]string `yaml:"env"`
		Jobs map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if token := wf.Env["GITHUB_TOKEN"]; !strings.Contains(token, "secrets.GHPKG_TOKEN") || !strings.Contains(token, "github.token") {
		t.Errorf("GITHUB_TOKEN = %q, want the secret, else the workflow's own token", token)
	}
	if got := wf.Jobs["apply"].Permissions["packages"]; got != "write" {
		t.Errorf("the apply job's token has packages: %q, want write", got)
	}
	if !strings.Contains(string(data), "admin role") {
		t.Errorf("%s does not say that the workflow's token needs the admin role on the package", path)
	}
}
