// Command examplecheck checks every example directory with the locally built
// provider (dev_overrides): `terraform validate`, then an apply against the
// emulator with `make emulator`'s default seed and a second plan that must
// show no changes and no warning. An example that no longer matches the
// schema, or names a package the emulator does not hold, fails CI instead of
// misleading the reader who pastes it.
//
//	go run ./internal/tooling/cmd/examplecheck -provider-dir bin examples
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

func main() {
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-ghpkg")
	// The CLIs mostly wait (on the provider's pacing of restores, one a
	// second, and on each other), so a few directories at once keep two
	// cores busy without slowing each other.
	parallel := flag.Int("parallel", 4, "example directories checked at once")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: examplecheck -provider-dir DIR [-parallel N] EXAMPLES_DIR")
	}
	root := flag.Arg(0)
	dirs, err := configDirs(root)
	if err != nil {
		log.Fatal(err)
	}
	cli, err := tfcli.Detect()
	if err != nil {
		log.Fatal(err)
	}
	checks := make([]*check, len(dirs))
	for i, dir := range dirs {
		checks[i] = &check{providerDir: *providerDir, root: root, dir: dir, cli: cli, skipped: map[string]bool{}}
	}
	failed := report(runAll(checks, *parallel))
	workflows, _ := filepath.Glob(filepath.Join(root, "ci", "*.yml"))
	for _, wf := range workflows {
		if err := checkWorkflow(wf); err != nil {
			failed++
			fmt.Printf("FAIL %s\n%v\n", wf, err)
			continue
		}
		fmt.Printf("ok   %s (plan step with exit codes 0 and 1; 2 with the dr-stack)\n", wf)
	}
	if failed > 0 {
		log.Fatalf("%d of %d examples fail", failed, len(dirs)+len(workflows))
	}
}

// runAll runs the checks, up to parallel at once, and sends each on the
// returned channel once done, in their order.
func runAll(checks []*check, parallel int) <-chan *check {
	slots := make(chan struct{}, max(parallel, 1))
	done := make([]chan struct{}, len(checks))
	for i, c := range checks {
		done[i] = make(chan struct{})
		go func() {
			slots <- struct{}{}
			defer func() { <-slots; close(done[i]) }()
			start := time.Now()
			c.err = c.run()
			c.took = time.Since(start)
		}()
	}
	ordered := make(chan *check)
	go func() {
		for i, c := range checks {
			<-done[i]
			ordered <- c
		}
		close(ordered)
	}()
	return ordered
}

// report prints each check as it arrives and returns how many failed.
func report(checks <-chan *check) int {
	failed := 0
	for c := range checks {
		fmt.Print(c.log.String())
		switch {
		case errors.Is(c.err, errAllSkipped):
			fmt.Printf("skip %s: every file needs a newer CLI\n", c.dir)
		case c.err != nil:
			failed++
			fmt.Printf("FAIL %s\n%v\n", c.dir, c.err)
		default:
			fmt.Printf("ok   %s (%s; %.1fs)\n", c.dir, c.did, c.took.Seconds())
		}
	}
	return failed
}

// check is the check of one example directory. What it prints waits in log,
// so that directories checked at once still print in order.
type check struct {
	providerDir, root, dir string
	cli                    tfcli.CLI
	log                    strings.Builder
	skipped                map[string]bool // files already reported as skipped
	did                    string          // what passed, for the ok line
	err                    error
	took                   time.Duration
}

// run validates the directory, then applies it.
func (c *check) run() error {
	if err := c.validate(); err != nil {
		return err
	}
	return c.apply()
}

// skip notes, once, that a file is left out and why.
func (c *check) skip(name, why string) {
	if !c.skipped[name] {
		c.skipped[name] = true
		fmt.Fprintf(&c.log, "skip %s: %s\n", name, why)
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
