// Command examplecheck runs `terraform validate` on every example directory
// with the locally built provider (dev_overrides), so an example that no
// longer matches the schema fails CI instead of misleading registry readers.
//
//	go run ./internal/cmd/examplecheck -provider-dir bin examples
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
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
		if need, ok := requirementOf(flag.Arg(0), dir); ok && !cli.AtLeast(need.terraform, need.tofu) {
			fmt.Printf("skip %s: needs %s, have %s\n", dir, need, cli)
			continue
		}
		if err := validate(*providerDir, dir); err != nil {
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

// requirement is the CLI an example needs when it uses a feature newer
// than the oldest supported Terraform.
type requirement struct {
	terraform string
	tofu      string // "" when no OpenTofu version has the feature
}

func (r requirement) String() string {
	if r.tofu == "" {
		return "Terraform " + r.terraform + " or later"
	}
	return "Terraform " + r.terraform + " or OpenTofu " + r.tofu + " or later"
}

// requirements, by the example folder's first segment under the root.
var requirements = map[string]requirement{
	"actions": {terraform: "1.14.0"}, // action blocks
}

func requirementOf(root, dir string) (requirement, bool) {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return requirement{}, false
	}
	need, ok := requirements[strings.Split(filepath.ToSlash(rel), "/")[0]]
	return need, ok
}

// configDirs lists every directory under root that holds a .tf file.
func configDirs(root string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		if !d.IsDir() && filepath.Ext(path) == ".tf" {
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

// validate checks one directory in a scratch copy, so no .terraform folder
// or lock file is left among the examples.
func validate(providerDir, dir string) error {
	work, err := os.MkdirTemp("", "ghpkg-examplecheck-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	ws, err := tfcli.New(work, providerDir, dir)
	if err != nil {
		return err
	}
	if err := declareProvider(ws.Dir); err != nil {
		return err
	}
	var out bytes.Buffer
	ws.Stdout, ws.Stderr = &out, &out
	if _, err := ws.Run("validate"); err != nil {
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
