package e2e

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/release"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// mirrorConfig requires the release's version exactly: a snapshot's is a
// prerelease, which no other constraint selects.
const mirrorConfig = `
terraform {
  required_providers {
    ghpkg = {
      source  = "ghpkg/ghpkg"
      version = %q
    }
  }
}

provider "ghpkg" {}

resource "ghpkg_user_package_restore" "app" {
  username     = "octocat"
  package_type = "npm"
  package_name = "octo-lib"
}
`

// mirrorAddresses: `ghpkg/ghpkg` is the first to Terraform, the second to
// OpenTofu; the mirror holds the same zips under both.
var mirrorAddresses = []string{tfcli.ProviderAddress, tfcli.OpenTofuAddress}

// mirrorKind makes a mirror directory reachable to the CLI: the CLI
// configuration that allows it alone (no direct, no dev_overrides), and
// the environment the CLI needs for it.
type mirrorKind struct {
	name  string
	serve func(t *testing.T, dir string) (cliConfig string, env []string)
	// publishesHashes: the CLI reads the zips' zh: hashes from the mirror
	// ({version}.json), not only the zips.
	publishesHashes bool
}

var mirrorKinds = []mirrorKind{
	{name: "filesystem_mirror", serve: func(_ *testing.T, dir string) (string, []string) {
		return fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", dir), nil
	}},
	{name: "network_mirror", publishesHashes: true, serve: func(t *testing.T, dir string) (string, []string) {
		url, ca := serveTLS(t, http.FileServer(http.Dir(dir)))
		return fmt.Sprintf("provider_installation {\n  network_mirror {\n    url = %q\n  }\n}\n", url+"/"), []string{"SSL_CERT_FILE=" + ca}
	}},
}

// TestInstallFromMirror installs the provider as an air-gapped recovery
// environment does: terraform init from a mirror of the release's zip,
// with a dependency lock file; then the installed provider restores a
// package, another init with the lock file installs the same package, and
// an init with the lock file refuses a tampered one.
func TestInstallFromMirror(t *testing.T) {
	requireAcc(t)
	// Beside the other e2e tests, which would otherwise wait for the
	// release build.
	t.Parallel()
	rel := releaseForHost(t)
	good := t.TempDir()
	if err := rel.WriteMirror(good, mirrorAddresses, []string{hostPlatform}); err != nil {
		t.Fatal(err)
	}
	tampered := tamperedMirror(t, rel)
	for _, kind := range mirrorKinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			cliConfig, env := kind.serve(t, good)
			lock := installAndRestore(t, rel, cliConfig, env)
			checkLock(t, rel, kind, lock)

			// Another machine, the lock file committed: the same package, the lock file untouched.
			if out, err := initWithLock(t, rel, cliConfig, env, lock); err != nil {
				t.Fatalf("init -lockfile=readonly from the same mirror: %v\n%s", err, out)
			}
			badConfig, badEnv := kind.serve(t, tampered)
			out, err := initWithLock(t, rel, badConfig, badEnv, lock)
			if err == nil {
				t.Fatalf("init installed a tampered package in spite of the lock file:\n%s", out)
			}
			if !strings.Contains(strings.Join(strings.Fields(out), " "), "checksums previously recorded in the dependency lock file") {
				t.Errorf("init refused the tampered package, but not for the lock file:\n%s", out)
			}
			t.Logf("init refused the tampered zip:\n%s", out)
		})
	}
}

// installAndRestore runs init from the mirror and an apply that restores a
// deleted package, checks what the provider told GitHub of its version,
// and returns the lock file init wrote.
func installAndRestore(t *testing.T, rel *release.Release, cliConfig string, env []string) []byte {
	t.Helper()
	const token = "e2e-mirror-token"
	pkg := ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"}
	fake := ghfake.New()
	fake.AddToken(token, "read:packages", "write:packages")
	fake.AddDeletedPackage(pkg, 24*time.Hour)
	agents := &agentLog{}
	server := httptest.NewServer(agents.wrap(fake))
	t.Cleanup(server.Close)

	ws, out := mirrorWorkspace(t, rel, cliConfig, append(env, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN="+token)...)
	for _, args := range [][]string{{"init", "-input=false"}, {"apply", "-auto-approve", "-input=false"}} {
		if _, err := ws.Run(args...); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	if _, ok := fake.Lookup(pkg); !ok {
		t.Errorf("the apply did not restore %s/%s/%s:\n%s", pkg.Owner, pkg.Type, pkg.Name, out)
	}
	agents.check(t, "terraform-provider-ghpkg/"+rel.Version+" (")
	lock, err := os.ReadFile(filepath.Join(ws.Dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	return lock
}

// checkLock: the lock file names the CLI's address of the provider, the
// release's version and an h1: hash; from a network mirror, OpenTofu also
// records the zh: hash that the mirror published for the zip.
func checkLock(t *testing.T, rel *release.Release, kind mirrorKind, lock []byte) {
	t.Helper()
	t.Logf("%s lock file:\n%s", kind.name, lock)
	cli, err := tfcli.Detect()
	if err != nil {
		t.Fatal(err)
	}
	address := tfcli.ProviderAddress
	if cli.Tofu {
		address = tfcli.OpenTofuAddress
	}
	for _, want := range []string{fmt.Sprintf("provider %q", address), fmt.Sprintf("version     = %q", rel.Version)} {
		if !bytes.Contains(lock, []byte(want)) {
			t.Errorf("the lock file lacks %s", want)
		}
	}
	if !regexp.MustCompile(`"h1:[A-Za-z0-9+/]{43}=",`).Match(lock) {
		t.Error("the lock file holds no h1: hash")
	}
	if !kind.publishesHashes {
		return
	}
	t.Run("zh_hash", func(t *testing.T) {
		if !cli.Tofu {
			t.Skip("Terraform records a zh: hash only from a registry's signed checksums, never a mirror's: its lock file holds the h1: hash of the package it installed")
		}
		archive, _ := rel.Archive(hostPlatform)
		if !bytes.Contains(lock, []byte(`"zh:`+archive.SHA256+`"`)) {
			t.Errorf("the lock file lacks the zip's zh:%s", archive.SHA256)
		}
	})
}

// initWithLock runs init -lockfile=readonly in a fresh workspace holding
// lock, and checks that a successful init left lock as it was.
func initWithLock(t *testing.T, rel *release.Release, cliConfig string, env []string, lock []byte) (string, error) {
	t.Helper()
	ws, out := mirrorWorkspace(t, rel, cliConfig, env...)
	path := filepath.Join(ws.Dir, ".terraform.lock.hcl")
	if err := os.WriteFile(path, lock, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Run("init", "-input=false", "-lockfile=readonly"); err != nil {
		return out.String(), err
	}
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, lock) {
		t.Errorf("init -lockfile=readonly changed the lock file (%v):\n%s", err, after)
	}
	return out.String(), nil
}

// mirrorWorkspace is a workspace of mirrorConfig whose provider comes from
// terraform init, as cliConfig says.
func mirrorWorkspace(t *testing.T, rel *release.Release, cliConfig string, env ...string) (*tfcli.Workspace, *bytes.Buffer) {
	t.Helper()
	return workspaceWith(t, fmt.Sprintf(mirrorConfig, rel.Version), func(work, configDir string) (*tfcli.Workspace, error) {
		return tfcli.NewInstalling(work, cliConfig, configDir, append(env, "CHECKPOINT_DISABLE=1")...)
	})
}

// tamperedMirror is a mirror of the release whose zip holds the binary with
// one byte changed, in a valid zip whose zh: hash the mirror publishes: only
// the lock file can tell it from the release. (A byte flipped in the zip
// itself would fail the zip's own CRC, lock file or not.)
func tamperedMirror(t *testing.T, rel *release.Release) string {
	t.Helper()
	archive, _ := rel.Archive(hostPlatform)
	path := filepath.Join(t.TempDir(), filepath.Base(archive.Path))
	rezip(t, archive.Path, path, rel.BinaryName(hostPlatform))
	sum, err := release.FileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := *rel
	bad.Archives = []release.Archive{{Platform: hostPlatform, Path: path, SHA256: sum}}
	dir := t.TempDir()
	if err := bad.WriteMirror(dir, mirrorAddresses, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

// rezip copies the zip from into to, with the middle byte of binary changed.
func rezip(t *testing.T, from, to, binary string) {
	t.Helper()
	src, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = src.Close() }()
	var buf bytes.Buffer
	dst := zip.NewWriter(&buf)
	for _, f := range src.File {
		if err := copyEntry(dst, f, f.Name == binary); err != nil {
			t.Fatal(err)
		}
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func copyEntry(dst *zip.Writer, f *zip.File, tamper bool) error {
	if !tamper {
		return dst.Copy(f)
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(r)
	_ = r.Close()
	if err != nil {
		return err
	}
	data[len(data)/2] ^= 0xff
	header := &zip.FileHeader{Name: f.Name, Method: zip.Store, Modified: f.Modified}
	header.SetMode(f.Mode())
	w, err := dst.CreateHeader(header)
	if err == nil {
		_, err = w.Write(data)
	}
	return err
}

// agentLog serves ghfake and keeps the User-Agent of each request, which
// ghfake's own request log leaves out.
type agentLog struct {
	mu     sync.Mutex
	agents []string
}

func (l *agentLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.agents = append(l.agents, r.UserAgent())
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// check fails t unless there were requests and each User-Agent starts with
// prefix.
func (l *agentLog) check(t *testing.T, prefix string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.agents) == 0 {
		t.Error("the provider sent no request")
	}
	for _, agent := range l.agents {
		if !strings.HasPrefix(agent, prefix) {
			t.Errorf("User-Agent %q, want it to start with %q (the installed zip's version)", agent, prefix)
			return
		}
	}
	t.Logf("%d requests, User-Agent %q", len(l.agents), l.agents[0])
}
