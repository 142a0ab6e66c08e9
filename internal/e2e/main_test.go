package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tfcli"
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
	if build.dir != "" {
		_ = os.RemoveAll(build.dir)
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
		cmd := exec.Command("go", "build", "-o", filepath.Join(build.dir, tfcli.BinaryName), "../..")
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

func requireTerraform(t *testing.T, least string) {
	t.Helper()
	out, err := exec.Command("terraform", "version", "-json").Output()
	if err != nil {
		t.Skipf("no terraform on PATH: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatal(err)
	}
	if have.LessThan(version.Must(version.NewVersion(least))) {
		t.Skipf("needs Terraform %s or later, have %s", least, v.Version)
	}
}
