// Command examplecheck runs `terraform validate` on every example directory
// with the locally built provider (dev_overrides), so an example that no
// longer matches the schema fails CI instead of misleading registry readers.
//
//	go run ./internal/cmd/examplecheck -provider-dir bin examples
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tfcli"
)

func main() {
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-ghpkg")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: examplecheck -provider-dir DIR EXAMPLES_DIR")
	}
	dirs, err := configDirs(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	cli, err := tfcli.Detect()
	if err != nil {
		log.Fatal(err)
	}
	failed := 0
	for _, dir := range dirs {
		err := validate(*providerDir, dir, cli)
		if errors.Is(err, errAllSkipped) {
			fmt.Printf("skip %s: every file needs a newer CLI\n", dir)
			continue
		}
		if err != nil {
			failed++
			fmt.Printf("FAIL %s\n%v\n", dir, err)
			continue
		}
		fmt.Printf("ok   %s\n", dir)
	}
	workflows, _ := filepath.Glob(filepath.Join(flag.Arg(0), "ci", "*.yml"))
	for _, wf := range workflows {
		if err := checkWorkflow(wf); err != nil {
			failed++
			fmt.Printf("FAIL %s\n%v\n", wf, err)
			continue
		}
		fmt.Printf("ok   %s (plan step with exit codes 0, 1 and 2)\n", wf)
	}
	if failed > 0 {
		log.Fatalf("%d of %d examples fail", failed, len(dirs)+len(workflows))
	}
}

// configDirs lists every directory under root that holds a .tf or a
// .tfquery.hcl file.
func configDirs(root string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		if !d.IsDir() && (filepath.Ext(path) == ".tf" || strings.HasSuffix(path, ".tfquery.hcl")) {
			seen[filepath.Dir(path)] = true
		}
		return nil
	})
	dirs := make([]string, 0, len(seen))
	for dir := range seen {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	return dirs, err
}

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

// skipped remembers the files already reported as skipped.
var skipped = map[string]bool{}

// validate checks one directory. import-by-*.tf files are alternative ways
// to import the same resource, and Terraform refuses two import blocks for
// one address, so each is validated with the others left out.
func validate(providerDir, dir string, cli tfcli.CLI) error {
	alternatives, err := filepath.Glob(filepath.Join(dir, "import-by-*.tf"))
	if err != nil || len(alternatives) < 2 {
		return validateWithout(providerDir, dir, cli, nil)
	}
	for _, keep := range alternatives {
		var others []string
		for _, other := range alternatives {
			if other != keep {
				others = append(others, filepath.Base(other))
			}
		}
		if err := validateWithout(providerDir, dir, cli, others); err != nil {
			return fmt.Errorf("with %s: %w", filepath.Base(keep), err)
		}
	}
	return nil
}

// validateWithout checks dir without the files named in leaveOut, in a
// scratch copy, so no .terraform folder or lock file is left among the
// examples.
func validateWithout(providerDir, dir string, cli tfcli.CLI, leaveOut []string) error {
	work, err := os.MkdirTemp("", "ghpkg-examplecheck-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	ws, err := tfcli.New(work, providerDir, dir)
	if err != nil {
		return err
	}
	for _, name := range leaveOut {
		if err := os.Remove(filepath.Join(ws.Dir, name)); err != nil {
			return err
		}
	}
	args := []string{"validate"}
	for _, rule := range newerCLI {
		matches, _ := filepath.Glob(filepath.Join(ws.Dir, rule.pattern))
		for _, match := range matches {
			if rule.need.MetBy(cli) {
				if rule.validateFlag != "" && !slices.Contains(args, rule.validateFlag) {
					args = append(args, rule.validateFlag)
				}
				continue
			}
			if err := os.Remove(match); err != nil {
				return err
			}
			if name := filepath.Join(dir, filepath.Base(match)); !skipped[name] {
				skipped[name] = true
				fmt.Printf("skip %s: needs %s, have %s\n", name, rule.need, cli)
			}
		}
	}
	if left, _ := filepath.Glob(filepath.Join(ws.Dir, "*.tf*")); len(left) == 0 {
		return errAllSkipped
	}
	if err := declareProvider(ws.Dir); err != nil {
		return err
	}
	var out bytes.Buffer
	ws.Stdout, ws.Stderr = &out, &out
	if _, err := ws.Run(args...); err != nil {
		return fmt.Errorf("%w\n%s", err, out.String())
	}
	return nil
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
		if bytes.Contains(body, []byte("required_providers")) {
			return nil
		}
	}
	block := "terraform {\n  required_providers {\n    ghpkg = {\n      source = \"ghpkg/ghpkg\"\n    }\n  }\n}\n"
	return os.WriteFile(filepath.Join(dir, "examplecheck_providers.tf"), []byte(block), 0o600)
}
