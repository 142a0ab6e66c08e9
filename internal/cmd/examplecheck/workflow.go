package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"
)

// workflow is the part of a GitHub Actions workflow the check reads.
type workflow struct {
	Jobs map[string]struct {
		Steps []struct {
			ID  string `yaml:"id"`
			Run string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// stubTerraform plays terraform for the plan step: plan exits with
// $STUB_PLAN_EXIT, show -json prints a plan that restores one package and
// one version.
const stubTerraform = `#!/usr/bin/env bash
case "$1" in
  plan) exit "${STUB_PLAN_EXIT:-0}" ;;
  show) cat <<'JSON'
{"resource_changes":[
 {"address":"ghpkg_org_package_restore.this[\"app\"]","change":{"actions":["create"],"after":{"org":"octo-org","package_type":"container","package_name":"octo-app"}}},
 {"address":"ghpkg_org_package_version_restore.v1","change":{"actions":["create"],"after":{"org":"octo-org","package_type":"container","package_name":"octo-app","version":"v1"}}},
 {"address":"ghpkg_org_package_restore.this[\"kept\"]","change":{"actions":["no-op"],"after":{"org":"octo-org","package_type":"npm","package_name":"kept"}}}
]}
JSON
  ;;
esac
`

// checkWorkflow runs the plan step of a workflow under GitHub's shell
// (bash -eo pipefail) against the stub, for plan exit codes 0, 1 and 2.
func checkWorkflow(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	script := ""
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			if step.ID == "plan" {
				script = step.Run
			}
		}
	}
	if script == "" {
		return fmt.Errorf("%s: no step with id: plan", path)
	}
	for _, tc := range []struct {
		code       int
		wantExit   bool
		output     string
		summaryHas []string
	}{
		{0, false, "changes=false", []string{"Every protected package is visible."}},
		{2, false, "changes=true", []string{"to restore, or to adopt if visible", "octo-org/container/octo-app", "version v1"}},
		{1, true, "", nil},
	} {
		if err := runPlanStep(script, tc.code, tc.wantExit, tc.output, tc.summaryHas); err != nil {
			return fmt.Errorf("%s, plan exiting %d: %w", path, tc.code, err)
		}
	}
	return nil
}

func runPlanStep(script string, code int, wantFailure bool, wantOutput string, summaryHas []string) error {
	dir, err := os.MkdirTemp("", "ghpkg-workflow-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if err := os.WriteFile(filepath.Join(dir, "terraform"), []byte(stubTerraform), 0o755); err != nil {
		return err
	}
	output, summary := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"),
		fmt.Sprintf("STUB_PLAN_EXIT=%d", code), "GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+summary)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if failed := err != nil; failed != wantFailure {
		return fmt.Errorf("step failed=%v, want %v (%v) %s", failed, wantFailure, err, stderr.String())
	}
	got, _ := os.ReadFile(output)
	if !strings.Contains(string(got), wantOutput) {
		return fmt.Errorf("GITHUB_OUTPUT %q lacks %q", got, wantOutput)
	}
	text, _ := os.ReadFile(summary)
	for _, want := range summaryHas {
		if !strings.Contains(string(text), want) {
			return fmt.Errorf("step summary lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(string(text), "kept") {
		return fmt.Errorf("step summary lists a package that needs nothing:\n%s", text)
	}
	return nil
}
