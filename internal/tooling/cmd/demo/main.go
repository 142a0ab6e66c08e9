// Command demo shows ghpkg end to end with no network: it serves the GitHub
// emulator on loopback, applies examples/demo with the locally built provider
// (dev_overrides), plans again, deletes a package behind Terraform's back and
// shows the plan that restores it. Run it with `make demo`.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
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
	defer func() { _ = os.RemoveAll(work) }()
	tf, err := tfcli.New(work, providerDir, exampleDir, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN="+demoToken)
	if err != nil {
		return err
	}

	step("GitHub emulator at %s: octocat's container octo-repo/octo-app and npm octo-lib are deleted, maven "+
		"com.example.octo-core is visible; organisation octo-org has container images octo-api and octo-worker, "+
		"and octo-web is deleted, and so is octo-api's tag v1", server.URL)
	step("terraform apply: lists octo-org's images, restores the deleted packages and the v1 tag, and adopts the visible ones")
	if _, err := tf.Run("apply", "-auto-approve", "-input=false"); err != nil {
		return err
	}
	step("terraform plan -detailed-exitcode: nothing to do (exit code 0)")
	if code, err := tf.Run("plan", "-detailed-exitcode", "-input=false"); err != nil || code != 0 {
		return fmt.Errorf("second plan: exit code %d, %v", code, err)
	}
	step("Someone deletes npm octo-lib behind Terraform's back")
	if err := fake.DeletePackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"}); err != nil {
		return err
	}
	step("terraform plan -detailed-exitcode: the deletion shows as a package to restore (exit code 2)")
	if code, err := tf.Run("plan", "-detailed-exitcode", "-input=false"); code != 2 {
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
	for _, name := range []string{"octo-api", "octo-worker"} {
		fake.AddPackage(ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: name})
	}
	api := ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "octo-api"}
	fake.AddVersion(api, ghfake.Version{Name: "sha256:2b2b", Tags: []string{"v2", "latest"}})
	fake.AddDeletedVersion(api, ghfake.Version{Name: "sha256:1a1a", Tags: []string{"v1"}}, 5*24*time.Hour)
	fake.AddDeletedPackage(ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "octo-web"}, 2*24*time.Hour)
	return fake
}

func step(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n\n", args...)
}
