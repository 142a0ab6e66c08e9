package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// stack is what applying one example needs beyond the default seed, and
// what it must show after. An example without an entry applies as it is
// and must plan no changes after.
type stack struct {
	// vars are the values of the variables the example requires, set as
	// TF_VAR_ variables, as the CI workflow sets them.
	vars map[string]string
	// deleteFirst are deleted behind Terraform's back before the first
	// plan; the apply must restore them.
	deleteFirst []ghfake.Package
	// summary names the guide (from the repository's root) whose first
	// markdown block is the step summary the CI workflow's plan step must
	// write for the first plan, line by line; when set, that step makes the
	// first plan, with the real CLI.
	summary string
	// outputs are map outputs and the keys each must have, each with a
	// value.
	outputs map[string][]string
	// generates are what terraform query must write into generated.tf, for
	// examples of list blocks.
	generates []string
	// noApply says why the example is validated but not applied, noImport
	// why its import alternatives are.
	noApply, noImport string
}

// stacks are keyed by the example's directory under the examples root.
var stacks = map[string]stack{
	// The disaster-recovery guide's stack, planned by the CI workflow's plan
	// step. The image whose versions its check lists is deleted: the plan
	// must propose restoring it (exit 2) rather than fail on the listing,
	// and the apply restore it. Of the user packages, the seed holds
	// octocat's image deleted and octo-lib visible: the plan's summary (as
	// the guide shows it) says the stack restores the image and adopts
	// octo-lib, and the output lists the image only.
	"dr-stack": {
		vars:        map[string]string{"owner": "octocat", "org": "octo-org"},
		deleteFirst: []ghfake.Package{{Org: true, Owner: "octo-org", Type: "container", Name: "octo-repo/octo-app"}},
		summary:     "templates/guides/disaster-recovery.md.tmpl",
		outputs:     map[string][]string{"restored_by_this_stack": {"app"}},
	},
	// The package the guide "Generate a DR stack" shows terraform query
	// writing.
	"list-resources/ghpkg_org_package_restore":     {generates: []string{`package_name = "octo-sdk"`}},
	"resources/ghpkg_org_package_version_restore":  {noImport: versionID},
	"resources/ghpkg_user_package_version_restore": {noApply: versionID},
}

// versionID is why examples that name version 123456 are not applied.
const versionID = "version 123456 stands for the reader's own version ID, and ghfake numbers versions from 5001"

// env is the stack's variables as TF_VAR_ environment variables.
func (st stack) env() []string {
	env := make([]string, 0, len(st.vars))
	for name, value := range st.vars {
		env = append(env, "TF_VAR_"+name+"="+value)
	}
	sort.Strings(env)
	return env
}

// verify checks what the stack says it does, after its apply.
func (st stack) verify(s *scratch, fake *ghfake.Server) error {
	return errors.Join(st.verifyRestored(fake), st.verifyGenerated(s.Dir), st.verifyOutputs(s))
}

// verifyRestored: the packages deleted before the apply are visible again.
func (st stack) verifyRestored(fake *ghfake.Server) error {
	var errs []error
	for _, p := range st.deleteFirst {
		if _, ok := fake.Lookup(p); !ok {
			errs = append(errs, fmt.Errorf("apply left %s/%s/%s deleted", p.Owner, p.Type, p.Name))
		}
	}
	return errors.Join(errs...)
}

// verifyGenerated: terraform query wrote what the stack expects.
func (st stack) verifyGenerated(dir string) error {
	generated, _ := os.ReadFile(filepath.Join(dir, "generated.tf"))
	var errs []error
	for _, want := range st.generates {
		if !strings.Contains(string(generated), want) {
			errs = append(errs, fmt.Errorf("terraform query wrote no %s:\n%s", want, generated))
		}
	}
	return errors.Join(errs...)
}

// verifyOutputs: each output the stack names holds the keys it should, each
// with a value.
func (st stack) verifyOutputs(s *scratch) error {
	if len(st.outputs) == 0 {
		return nil
	}
	got, err := outputKeys(s)
	if err != nil {
		return err
	}
	var errs []error
	for name, want := range st.outputs {
		if !slices.Equal(got[name], want) {
			errs = append(errs, fmt.Errorf("output %s has keys %q with a value, want %q", name, got[name], want))
		}
	}
	return errors.Join(errs...)
}

// outputKeys reads the keys with a non-null value of each map output.
func outputKeys(s *scratch) (map[string][]string, error) {
	if err := s.run("output", "-json"); err != nil {
		return nil, err
	}
	var outputs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(s.out.Bytes(), &outputs); err != nil {
		return nil, fmt.Errorf("terraform output -json: %w\n%s", err, s.out.String())
	}
	keys := map[string][]string{}
	for name, o := range outputs {
		var values map[string]any
		if json.Unmarshal(o.Value, &values) != nil {
			continue
		}
		for k, v := range values {
			if v != nil {
				keys[name] = append(keys[name], k)
			}
		}
		sort.Strings(keys[name])
	}
	return keys, nil
}
