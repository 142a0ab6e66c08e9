package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// workflowPath is the CI workflow whose plan step the checks run, under the
// examples root.
const workflowPath = "ci/github-actions.yml"

// workflow is the part of a GitHub Actions workflow the check reads.
type workflow struct {
	Jobs map[string]struct {
		Steps []struct {
			ID  string `yaml:"id"`
			Run string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// stubTerraform plays terraform for the plan step's exit codes 0 and 1:
// plan exits with $STUB_PLAN_EXIT. The summary of exit code 2 is checked
// against a real plan of the DR stack (stacks.go).
const stubTerraform = `#!/usr/bin/env bash
case "$1" in
  plan) exit "${STUB_PLAN_EXIT:-0}" ;;
  *) echo "the stub plays plan only" >&2; exit 1 ;;
esac
`

// planStep reads the script of the step with id plan.
func planStep(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			if step.ID == "plan" {
				return step.Run, nil
			}
		}
	}
	return "", fmt.Errorf("%s: no step with id: plan", path)
}

// checkWorkflow runs the plan step of a workflow under GitHub's shell
// (bash -eo pipefail) against the stub, for plan exit codes 0 and 1.
func checkWorkflow(path string) error {
	script, err := planStep(path)
	if err != nil {
		return err
	}
	for _, tc := range []struct {
		code       int
		wantFailed bool
		output     string
		summary    string
	}{
		{0, false, "changes=false", "Every protected package is visible."},
		{1, true, "", ""},
	} {
		dir, err := os.MkdirTemp("", "ghpkg-workflow-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		if err := os.WriteFile(filepath.Join(dir, "terraform"), []byte(stubTerraform), 0o755); err != nil {
			return err
		}
		run, err := runStep(script, dir, dir, append(os.Environ(), fmt.Sprintf("STUB_PLAN_EXIT=%d", tc.code)))
		switch {
		case (err != nil) != tc.wantFailed:
			return fmt.Errorf("plan exiting %d: step failed=%v, want %v (%v) %s", tc.code, err != nil, tc.wantFailed, err, run.stderr)
		case !strings.Contains(run.output, tc.output):
			return fmt.Errorf("plan exiting %d: GITHUB_OUTPUT %q lacks %q", tc.code, run.output, tc.output)
		case !strings.Contains(run.summary, tc.summary):
			return fmt.Errorf("plan exiting %d: step summary %q lacks %q", tc.code, run.summary, tc.summary)
		}
	}
	return nil
}

// stepRun is what a step wrote: $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY and
// its stderr.
type stepRun struct{ output, summary, stderr string }

// runStep runs script in dir as GitHub Actions does (bash -eo pipefail),
// with binDir first on PATH and env.
func runStep(script, dir, binDir string, env []string) (stepRun, error) {
	files, err := os.MkdirTemp("", "ghpkg-step-")
	if err != nil {
		return stepRun{}, err
	}
	defer func() { _ = os.RemoveAll(files) }()
	output, summary := filepath.Join(files, "output"), filepath.Join(files, "summary")
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(env, "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+summary, "RUNNER_TEMP="+files)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	out, _ := os.ReadFile(output)
	text, _ := os.ReadFile(summary)
	return stepRun{output: string(out), summary: string(text), stderr: stderr.String()}, err
}

// planWithWorkflow makes the stack's first plan with the workflow's own plan
// step and the real CLI, in s, and checks its step summary: exactly the
// first markdown block of the guide, line by line. It leaves restore.tfplan
// for the apply.
func planWithWorkflow(s *scratch, root, guide string) error {
	script, err := planStep(filepath.Join(root, workflowPath))
	if err != nil {
		return err
	}
	want, err := markdownBlock(filepath.Join(filepath.Dir(root), guide))
	if err != nil {
		return err
	}
	binDir, err := os.MkdirTemp("", "ghpkg-cli-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(binDir) }()
	if err := os.Symlink(tfcli.Path(), filepath.Join(binDir, "terraform")); err != nil {
		return err
	}
	run, err := runStep(script, s.Dir, binDir, append(s.Env, "TF_INPUT=0"))
	if err != nil {
		return fmt.Errorf("the workflow's plan step: %w\n%s", err, run.stderr)
	}
	if !strings.Contains(run.output, "changes=true") {
		return fmt.Errorf("the workflow's plan step wrote %q, want changes=true", run.output)
	}
	if got := strings.TrimSpace(run.summary); got != want {
		return fmt.Errorf("the workflow's step summary:\n%s\nthe guide %s shows:\n%s", got, guide, want)
	}
	return nil
}

// markdownBlock returns the first fenced markdown block of a page.
func markdownBlock(path string) (string, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	_, block, found := strings.Cut(string(text), "```markdown\n")
	block, _, closed := strings.Cut(block, "```")
	if !found || !closed {
		return "", fmt.Errorf("%s has no ```markdown block", path)
	}
	return strings.TrimSpace(block), nil
}
