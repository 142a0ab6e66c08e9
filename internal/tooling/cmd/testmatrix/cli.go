package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// spec is one CLI of the matrix: Terraform on PATH, or a version of
// Terraform or OpenTofu built into the cache.
type spec struct {
	tool, version string // tool is "terraform" or "tofu"; version "" means PATH
	path          string // set by ensure
	label         string // "Terraform 1.16.3", "Terraform 1.11.4 (PATH)"
}

func parseSpecs(list string) ([]*spec, error) {
	var specs []*spec
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		tool, ver, _ := strings.Cut(item, "@")
		if tool != "terraform" && tool != "tofu" {
			return nil, fmt.Errorf("CLI %q: want terraform, terraform@VERSION or tofu@VERSION", item)
		}
		if tool == "tofu" && ver == "" {
			return nil, fmt.Errorf("CLI %q: name an OpenTofu version (tofu@1.12.6)", item)
		}
		specs = append(specs, &spec{tool: tool, version: strings.TrimPrefix(ver, "v")})
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("no CLI given")
	}
	return specs, nil
}

// slug names the spec's log files.
func (s *spec) slug() string {
	if s.version == "" {
		return s.tool + "-path"
	}
	return s.tool + "-" + s.version
}

// ensureAll finds or builds every CLI; builds run at once, each into
// cache/<tool>-<version>, where the build scripts return at once next time.
func ensureAll(specs []*spec, cache string) error {
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, s := range specs {
		wg.Go(func() { errs[i] = s.ensure(cache) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *spec) ensure(cache string) error {
	if s.version == "" {
		p, err := exec.LookPath(s.tool)
		if err != nil {
			return fmt.Errorf("no %s on PATH: %w", s.tool, err)
		}
		s.path = p
	} else {
		dir := filepath.Join(cache, s.slug())
		s.path = filepath.Join(dir, s.tool)
		script := filepath.Join("tools", "cli", "build-"+s.tool+".sh")
		logPath := filepath.Join(cache, s.slug()+".build.log")
		if err := os.MkdirAll(cache, 0o755); err != nil {
			return err
		}
		logFile, err := os.Create(logPath)
		if err != nil {
			return err
		}
		cmd := exec.Command(script, s.version, dir)
		cmd.Stdout, cmd.Stderr = logFile, logFile
		err = cmd.Run()
		_ = logFile.Close()
		if err != nil {
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("building %s %s with %s: %w\n%s", s.tool, s.version, script, err, out)
		}
	}
	cli, err := tfcli.DetectPath(s.path)
	if err != nil {
		return err
	}
	s.label = cli.String()
	if s.version == "" {
		s.label += " (PATH)"
	}
	return nil
}
