// Command testmatrix runs the replayed acceptance suite, and the e2e tests,
// on several Terraform and OpenTofu CLIs, and prints a table CLI × suite of
// tests run, skipped and failed. CLIs it lacks are built from the Go module
// proxy with tools/cli and cached. Run it with `make testacc-matrix`.
//
//	testmatrix -cli terraform@1.5.7,terraform,terraform@1.16.3,tofu@1.12.6
//
// `terraform` alone is the one on PATH. A skipped test is never silent: the
// table counts skips and lists each distinct reason.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

func main() {
	clis := flag.String("cli", "terraform@1.5.7,terraform,terraform@1.16.3,tofu@1.12.6",
		"comma-separated CLIs: terraform (on PATH), terraform@VERSION, tofu@VERSION")
	cache := flag.String("cache", defaultCache(), "directory of built CLIs (one sub-directory per version)")
	suites := flag.String("suites", "acceptance,e2e", "comma-separated suites: "+strings.Join(suiteNames(), ", "))
	jobs := flag.Int("jobs", 1, "CLIs tested at once")
	logDir := flag.String("logs", "", "directory for each run's go test -json output (default: a temporary one)")
	flag.Parse()

	specs, err := parseSpecs(*clis)
	if err != nil {
		log.Fatalf("testmatrix: %v", err)
	}
	chosen, err := pickSuites(*suites)
	if err != nil {
		log.Fatalf("testmatrix: %v", err)
	}
	if *logDir == "" {
		if *logDir, err = os.MkdirTemp("", "ghpkg-matrix-"); err != nil {
			log.Fatal(err)
		}
	}
	start := time.Now()
	if err := ensureAll(specs, *cache); err != nil {
		log.Fatalf("testmatrix: %v", err)
	}
	log.Printf("CLIs ready after %s", time.Since(start).Round(time.Second))

	results := make([][]result, len(specs))
	sem := make(chan struct{}, max(1, *jobs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			for _, s := range chosen {
				logPath := filepath.Join(*logDir, spec.slug()+"-"+s.name+".json")
				log.Printf("%s: %s suite (log %s)", spec.label, s.name, logPath)
				r := runSuite(spec, s, logPath)
				log.Printf("%s: %s suite %s in %s", spec.label, s.name, r.verdict(), r.elapsed.Round(time.Second))
				results[i] = append(results[i], r)
			}
		})
	}
	wg.Wait()

	failed := report(os.Stdout, results)
	fmt.Printf("\nMatrix took %s; logs in %s\n", time.Since(start).Round(time.Second), *logDir)
	if failed {
		os.Exit(1)
	}
}

func defaultCache() string {
	if d := os.Getenv("GHPKG_CLI_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "ghpkg")
	}
	return filepath.Join(os.TempDir(), "ghpkg-cli-cache")
}
