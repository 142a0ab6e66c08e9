package e2e

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// defaultParallel is how many parallel subtests run at once unless -parallel
// says otherwise. The subtests here mostly wait (on Terraform, on retry
// backoff, on request timeouts), so the default, one per CPU, would leave
// a small machine idle for minutes.
const defaultParallel = 8

func TestMain(m *testing.M) {
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		_ = flag.Set("test.parallel", fmt.Sprint(defaultParallel))
	}
	code := m.Run()
	for _, dir := range []string{build.dir, hostRelease.dir} {
		if dir != "" {
			_ = os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// build is the provider binary, built once per test binary: each build
// costs seconds.
var build struct {
	once sync.Once
	dir  string
	err  error
}

// providerDir returns the directory holding the built provider binary,
// building it on first use.
func providerDir(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		// Shared by every test of the binary, so not t.TempDir(); TestMain removes it.
		build.dir, build.err = os.MkdirTemp("", "ghpkg-e2e-") //nolint:usetesting // outlives the first test
		if build.err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(build.dir, tfcli.BinaryName), "../../..")
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.dir
}

// requireAcc skips tests that run Terraform unless TF_ACC is set.
func requireAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs Terraform; set TF_ACC=1 (make test does)")
	}
}

// requireTerraform skips, naming what it needs, unless the CLI chosen by
// TF_ACC_TERRAFORM_PATH (terraform on PATH by default) is Terraform at or
// above least, or OpenTofu at or above tofu ("" when no OpenTofu has the
// feature).
func requireTerraform(t *testing.T, least, tofu string) {
	t.Helper()
	if reason := (tfcli.Requirement{Terraform: least, Tofu: tofu}).SkipReason(); reason != "" {
		t.Skip(reason)
	}
}
