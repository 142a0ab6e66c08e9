package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// newerCLI are example files that a CLI understands only from some version
// on; below it they are left out of the check, with a message naming the
// version they need.
var newerCLI = []struct {
	pattern      string // a glob within an example directory
	need         tfcli.Requirement
	validateFlag string // what validate needs to read them, if anything
}{
	{pattern: "import-by-identity.tf", need: tfcli.Requirement{Terraform: "1.12.0", Tofu: identityTofu}},
	{pattern: "*.tfquery.hcl", need: tfcli.Requirement{Terraform: "1.14.0"}, validateFlag: "-query"},
	// tfplugindocs' name for an action's example (examples/actions/<type>/).
	{pattern: "action.tf", need: tfcli.Requirement{Terraform: "1.14.0"}},
}

// identityTofu is the OpenTofu release line with import by identity (the
// acceptance tests of identity pass on OpenTofu 1.12.6; 1.12 has no query).
const identityTofu = "1.12.0"

// errAllSkipped: nothing in a directory is for this CLI.
var errAllSkipped = errors.New("every file needs a newer CLI")

// importAlternatives are the import-by-*.tf files of a directory: ways to
// import the same resource, of which Terraform accepts one at a time.
func importAlternatives(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "import-by-*.tf"))
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Base(f)
	}
	return names
}

// validate checks one directory with `terraform validate`, each import
// alternative with the others left out.
func (c *check) validate() error {
	alternatives := importAlternatives(c.dir)
	if len(alternatives) < 2 {
		return c.validateWithout(nil)
	}
	for _, keep := range alternatives {
		others := slices.DeleteFunc(slices.Clone(alternatives), func(name string) bool { return name == keep })
		if err := c.validateWithout(others); err != nil {
			return fmt.Errorf("with %s: %w", keep, err)
		}
	}
	return nil
}

func (c *check) validateWithout(leaveOut []string) error {
	s, err := c.prepare(leaveOut)
	if err != nil {
		return err
	}
	defer s.cleanup()
	return s.run(append([]string{"validate"}, s.validateFlags...)...)
}

// prepare copies the directory into a scratch workspace, so no .terraform
// folder, lock file or state is left among the examples, without the files
// named in leaveOut and those the CLI is too old for, and with the
// provider declared. extraEnv is added to the CLI's environment.
func (c *check) prepare(leaveOut []string, extraEnv ...string) (*scratch, error) {
	work, err := os.MkdirTemp("", "ghpkg-examplecheck-")
	if err != nil {
		return nil, err
	}
	s := &scratch{cleanup: func() { _ = os.RemoveAll(work) }}
	if s.Workspace, err = tfcli.New(work, c.providerDir, c.dir, extraEnv...); err == nil {
		err = c.leaveOut(s, leaveOut)
	}
	if err == nil {
		err = declareProvider(s.Dir)
	}
	if err != nil {
		s.cleanup()
		return nil, err
	}
	s.Stdout, s.Stderr = &s.out, &s.out
	return s, nil
}

// leaveOut removes the named files and those the CLI is too old for from
// the workspace, noting the latter once per file; errAllSkipped when no
// configuration is left.
func (c *check) leaveOut(s *scratch, names []string) error {
	for _, name := range names {
		if err := os.Remove(filepath.Join(s.Dir, name)); err != nil {
			return err
		}
	}
	for _, rule := range newerCLI {
		matches, _ := filepath.Glob(filepath.Join(s.Dir, rule.pattern))
		for _, match := range matches {
			if rule.need.MetBy(c.cli) {
				if rule.validateFlag != "" && !slices.Contains(s.validateFlags, rule.validateFlag) {
					s.validateFlags = append(s.validateFlags, rule.validateFlag)
				}
				continue
			}
			if err := os.Remove(match); err != nil {
				return err
			}
			c.skip(filepath.Join(c.dir, filepath.Base(match)), fmt.Sprintf("needs %s, have %s", rule.need, c.cli))
		}
	}
	if left, _ := filepath.Glob(filepath.Join(s.Dir, "*.tf*")); len(left) == 0 {
		return errAllSkipped
	}
	return nil
}

// readable reports whether the CLI reads the file of that name.
func (c *check) readable(name string) bool {
	for _, rule := range newerCLI {
		if matched, _ := filepath.Match(rule.pattern, name); matched && !rule.need.MetBy(c.cli) {
			return false
		}
	}
	return true
}

// declareProvider adds the required_providers block that registry snippets
// (resource.tf, import-by-string-id.tf) leave out for brevity; without it
// Terraform would look for hashicorp/ghpkg.
func declareProvider(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return err
	}
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if strings.Contains(string(body), "required_providers") {
			return nil
		}
	}
	block := "terraform {\n  required_providers {\n    ghpkg = {\n      source = \"ghpkg/ghpkg\"\n    }\n  }\n}\n"
	return os.WriteFile(filepath.Join(dir, "examplecheck_providers.tf"), []byte(block), 0o600)
}
