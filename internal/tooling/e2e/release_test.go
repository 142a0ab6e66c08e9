package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/release"
)

// hostPlatform is the platform of the CLI the tests run, whose zip they
// install: linux_amd64 in CI.
const hostPlatform = runtime.GOOS + "_" + runtime.GOARCH

// hostRelease is the release of hostPlatform alone, built once per test
// binary by goreleaser from .goreleaser.yml (every other target only in
// make release-snapshot, to keep the tests fast); TestMain removes dir.
var hostRelease struct {
	once sync.Once
	dir  string
	rel  *release.Release
	err  error
}

// releaseForHost returns hostRelease, building it on first use. It is
// signed with a throwaway key when gpg is on PATH (CI installs it).
func releaseForHost(t *testing.T) *release.Release {
	t.Helper()
	hostRelease.once.Do(func() {
		// Shared by every test of the binary, so not t.TempDir().
		hostRelease.dir, hostRelease.err = os.MkdirTemp("", "ghpkg-e2e-release-") //nolint:usetesting // outlives the first test
		if hostRelease.err != nil {
			return
		}
		_, noGPG := exec.LookPath("gpg")
		var log bytes.Buffer
		hostRelease.rel, hostRelease.err = release.Snapshot(release.Options{
			RepoDir: "../../..", Dist: filepath.Join(hostRelease.dir, "dist"),
			Targets: []string{hostPlatform}, Sign: noGPG == nil, Log: &log,
		})
		if hostRelease.err != nil {
			hostRelease.err = fmt.Errorf("%w\n%s", hostRelease.err, log.Bytes())
		}
	})
	if hostRelease.err != nil {
		t.Fatal(hostRelease.err)
	}
	return hostRelease.rel
}

// TestReleaseSnapshotIsSignedAndReadsBack: goreleaser's release of this
// platform, as .goreleaser.yml describes it, holds what the registry and
// terraform init need (release.Check reads it back), and its checksum file
// carries a signature that gpg --verify accepts.
func TestReleaseSnapshotIsSignedAndReadsBack(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	rel := releaseForHost(t)
	for _, a := range rel.Archives {
		t.Logf("%s: %d bytes, %s", a.Platform, a.Size, filepath.Base(a.Path))
	}
	if _, ok := rel.Archive(hostPlatform); !ok {
		t.Fatalf("no %s zip in %+v", hostPlatform, rel.Archives)
	}
	if rel.SignedBy == "" {
		t.Skip("gpg is not on PATH: the checksum file was not signed; install gnupg to check the signature")
	}
	t.Logf("gpg --verify accepted the signature of %s by the throwaway key %s", filepath.Base(rel.Sums), rel.SignedBy)
}
