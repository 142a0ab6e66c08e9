package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/cmd/ghpkg-emulator/seed"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// scratch is a workspace and what the CLI last printed in it.
type scratch struct {
	*tfcli.Workspace
	out           bytes.Buffer
	validateFlags []string
	cleanup       func()
}

// code runs the CLI and returns its exit code (0, or 2 for a plan with
// changes); an error carries what the CLI printed.
func (s *scratch) code(args ...string) (int, error) {
	s.out.Reset()
	code, err := s.Run(args...)
	if err != nil {
		return code, fmt.Errorf("%w\n%s", err, s.out.String())
	}
	return code, nil
}

func (s *scratch) run(args ...string) error {
	_, err := s.code(args...)
	return err
}

// apply applies the directory against a fresh emulator with the default
// seed of `make emulator`, as a reader who pastes the example would, then
// plans again: no changes and no warning. Import alternatives are left out
// of that apply (they adopt a package that exists, while the example's
// resource restores the deleted one the seed holds under its name) and
// applied after it, each into an empty state.
func (c *check) apply() error {
	name, err := filepath.Rel(c.root, c.dir)
	if err != nil {
		return err
	}
	st := stacks[filepath.ToSlash(name)]
	if st.noApply != "" {
		c.did = "validated; not applied: " + st.noApply
		return nil
	}
	fake, env, stop, err := emulator(st)
	if err != nil {
		return err
	}
	defer stop()
	s, err := c.prepare(importAlternatives(c.dir), env...)
	if err != nil {
		return err
	}
	defer s.cleanup()
	if err := c.applyIn(s, st); err != nil {
		return err
	}
	if err := st.verify(s, fake); err != nil {
		return err
	}
	c.did = "validated, applied, planned no changes"
	return c.applyImports(s, st)
}

// emulator serves the default seed, with the stack's packages deleted, and
// returns the environment that points the provider at it.
func emulator(st stack) (*ghfake.Server, []string, func(), error) {
	s, err := seed.Load("")
	if err != nil {
		return nil, nil, nil, err
	}
	fake, err := s.Emulator()
	if err != nil {
		return nil, nil, nil, err
	}
	for _, p := range st.deleteFirst {
		if err := fake.DeletePackage(p); err != nil {
			return nil, nil, nil, err
		}
	}
	server := httptest.NewServer(fake)
	env := append([]string{"GITHUB_BASE_URL=" + server.URL, "GITHUB_TOKEN=" + s.Token}, st.env()...)
	return fake, env, server.Close, nil
}

// applyIn plans (writing the configuration of list blocks first, as the
// guide "Generate a DR stack" does), applies that plan, and plans again.
func (c *check) applyIn(s *scratch, st stack) error {
	if queries, _ := filepath.Glob(filepath.Join(s.Dir, "*.tfquery.hcl")); len(queries) > 0 {
		if err := s.run("query", "-generate-config-out=generated.tf"); err != nil {
			return err
		}
	}
	if st.summary != "" {
		if err := planWithWorkflow(s, c.root, st.summary); err != nil {
			return err
		}
		return applyPlan(s, "restore.tfplan")
	}
	return planApplyPlan(s, 0)
}

// planApplyPlan plans, applies that plan, and plans again: no changes and
// no warning. firstPlan is the exit code the first plan must have; 0
// accepts 0 or 2.
func planApplyPlan(s *scratch, firstPlan int) error {
	code, err := s.code("plan", "-detailed-exitcode", "-input=false", "-out=examplecheck.tfplan")
	if err != nil {
		return fmt.Errorf("first plan: %w", err)
	}
	if firstPlan != 0 && code != firstPlan {
		return fmt.Errorf("first plan exited %d, want %d\n%s", code, firstPlan, s.out.String())
	}
	return applyPlan(s, "examplecheck.tfplan")
}

// applyPlan applies a saved plan and plans again: no changes and no warning.
func applyPlan(s *scratch, plan string) error {
	if err := s.run("apply", "-input=false", plan); err != nil {
		return err
	}
	code, err := s.code("plan", "-detailed-exitcode", "-input=false")
	switch {
	case err != nil:
		return fmt.Errorf("plan after apply: %w", err)
	case code != 0:
		return fmt.Errorf("plan after apply shows changes\n%s", s.out.String())
	}
	if warned := warnings(s.out.String()); len(warned) > 0 {
		return fmt.Errorf("plan after apply warns %q\n%s", warned, s.out.String())
	}
	return nil
}

// applyImports imports the example's package into an empty state with each
// import alternative the CLI reads, as a reader who adopts an existing
// package with the resource page's snippet would.
func (c *check) applyImports(s *scratch, st stack) error {
	alternatives := importAlternatives(c.dir)
	if len(alternatives) > 0 && st.noImport != "" {
		c.did += "; imports not applied: " + st.noImport
		return nil
	}
	for _, name := range alternatives {
		if !c.readable(name) {
			continue
		}
		if err := c.applyImport(s, name); err != nil {
			return fmt.Errorf("with %s: %w", name, err)
		}
		c.did += ", imported with " + name
	}
	return nil
}

func (c *check) applyImport(s *scratch, name string) error {
	for _, state := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(s.Dir, state)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	body, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		return err
	}
	target := filepath.Join(s.Dir, name)
	if err := os.WriteFile(target, body, 0o600); err != nil {
		return err
	}
	defer func() { _ = os.Remove(target) }()
	return planApplyPlan(s, 2)
}

// warning is a diagnostic title, boxed or not.
var warning = regexp.MustCompile(`(?m)^[│ ]*Warning: (.+)$`)

// warnings lists the warnings a plan printed, but the one that every CLI
// prints under dev_overrides.
func warnings(output string) []string {
	var titles []string
	for _, m := range warning.FindAllStringSubmatch(output, -1) {
		if title := strings.TrimSpace(m[1]); !strings.HasPrefix(title, "Provider development overrides") {
			titles = append(titles, title)
		}
	}
	return titles
}
