// Command demo shows ghpkg end to end with no network: it serves the GitHub
// emulator on loopback, applies examples/demo with the locally built provider
// (dev_overrides), plans again, deletes a package behind Terraform's back and
// shows the plan that restores it. Run it with `make demo`.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

const demoToken = "demo-classic-token"

func main() {
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-ghpkg")
	exampleDir := flag.String("example", "examples/demo", "the configuration to apply")
	flag.Parse()
	if err := run(*providerDir, *exampleDir); err != nil {
		log.Fatalf("demo: %v", err)
	}
}

func run(providerDir, exampleDir string) error {
	fake := seed()
	server := httptest.NewServer(fake)
	defer server.Close()

	work, err := os.MkdirTemp("", "ghpkg-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	tf, err := newTerraform(work, providerDir, exampleDir, server.URL)
	if err != nil {
		return err
	}

	step("GitHub emulator at %s: octocat's container octo-repo/octo-app and npm octo-lib are deleted, maven com.example.octo-core is visible", server.URL)
	step("terraform apply: restores the deleted packages and adopts the visible one")
	if _, err := tf.run("apply", "-auto-approve", "-input=false"); err != nil {
		return err
	}
	step("terraform plan -detailed-exitcode: nothing to do (exit code 0)")
	if code, err := tf.run("plan", "-detailed-exitcode", "-input=false"); err != nil || code != 0 {
		return fmt.Errorf("second plan: exit code %d, %v", code, err)
	}
	step("Someone deletes npm octo-lib behind Terraform's back")
	if err := fake.DeletePackage("octocat", "npm", "octo-lib"); err != nil {
		return err
	}
	step("terraform plan -detailed-exitcode: the deletion shows as a package to restore (exit code 2)")
	if code, err := tf.run("plan", "-detailed-exitcode", "-input=false"); code != 2 {
		return fmt.Errorf("plan after the deletion: exit code %d, want 2 (%v)", code, err)
	}
	step("Requests the emulator answered: %d GET, %d POST, %d DELETE (the provider never deletes)",
		fake.CountRequests("GET"), fake.CountRequests("POST"), fake.CountRequests("DELETE"))
	return nil
}

// seed is the emulator the demo starts with.
func seed() *ghfake.Server {
	fake := ghfake.New()
	fake.AddToken(demoToken, "read:packages", "write:packages")
	fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "container", Name: "octo-repo/octo-app",
		Repository: "octo-repo", VersionCount: 12}, 3*24*time.Hour)
	fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib", VersionCount: 4}, 10*24*time.Hour)
	fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "maven", Name: "com.example.octo-core", Visibility: "public"})
	return fake
}

func step(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n\n", args...)
}

// terraform runs the CLI in a scratch copy of the example with the local
// provider and the emulator wired in through the environment.
type terraform struct {
	dir string
	env []string
}

func newTerraform(work, providerDir, exampleDir, baseURL string) (*terraform, error) {
	providerDir, err := filepath.Abs(providerDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(providerDir, "terraform-provider-ghpkg")); err != nil {
		return nil, fmt.Errorf("no provider binary in %s; run `make build` first", providerDir)
	}
	cliConfig := filepath.Join(work, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/ghpkg/ghpkg\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		return nil, err
	}
	dir := filepath.Join(work, "stack")
	if err := os.CopyFS(dir, os.DirFS(exampleDir)); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1",
		"GITHUB_BASE_URL="+baseURL, "GITHUB_TOKEN="+demoToken, "NO_COLOR=1")
	return &terraform{dir: dir, env: env}, nil
}

// run returns the exit code; err is set only when terraform could not run
// or failed with a code other than the plan's "changes present" (2).
func (t *terraform) run(args ...string) (int, error) {
	cmd := exec.Command("terraform", append([]string{"-chdir=" + t.dir}, append(args, "-no-color")...)...)
	cmd.Env, cmd.Stdout, cmd.Stderr = t.env, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 2 {
		return 2, nil
	}
	if err != nil {
		return -1, fmt.Errorf("terraform %s: %w", args[0], err)
	}
	return 0, nil
}
