package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// A scaled-down secondary limit: GitHub's is 80 writes a minute and 500 an
// hour; here 6 writes in any 10 s, refused with Retry-After: 1. A restore
// meets it several times in a row, more often than max_retries (3).
const (
	massPackages   = 30
	massLimit      = 6
	massWindow     = 10 * time.Second
	massRetryAfter = time.Second
)

const massRestoreConfig = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {}

resource "ghpkg_user_package_restore" "dr" {
  count        = %d
  username     = "octocat"
  package_type = "npm"
  package_name = format("pkg-%%02d", count.index)
}
`

// TestMassRestoreFinishesUnderTheSecondaryLimit: 30 deleted packages
// restored in one apply with -parallelism=10 while GitHub refuses writes
// beyond its secondary limit: every package restored, none failed, the
// restores spread no more than 1.2x beyond what the limit allows, never
// more requests in flight than the provider's bound, and the waits logged
// at INFO.
func TestMassRestoreFinishesUnderTheSecondaryLimit(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	bin := providerDir(t)
	srv := acctest.StartScale(t)
	fake := srv.Emulator()
	for i := range massPackages {
		srv.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("pkg-%02d", i)}, time.Hour)
	}
	fake.LimitWrites(massLimit, massWindow, massRetryAfter)
	ws, output := newWorkspace(t, bin, fmt.Sprintf(massRestoreConfig, massPackages),
		"GITHUB_BASE_URL="+srv.URL, "GITHUB_TOKEN="+acctest.Token)
	logPath := filepath.Join(t.TempDir(), "apply.log")
	ws.Env = append(ws.Env, "TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+logPath)

	start := time.Now()
	if _, err := ws.Run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"); err != nil {
		t.Fatalf("apply: %v\n%s", err, output.String())
	}
	took := time.Since(start)

	if n := fake.AcceptedWrites(); n != massPackages {
		t.Errorf("%d restores accepted, want %d (one per package)", n, massPackages)
	}
	for i := range massPackages {
		if _, visible := fake.Lookup(ghfake.Package{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("pkg-%02d", i)}); !visible {
			t.Errorf("pkg-%02d is not restored", i)
		}
	}
	if !strings.Contains(output.String(), fmt.Sprintf("%d added, 0 changed, 0 destroyed", massPackages)) {
		t.Errorf("apply did not add every resource:\n%s", output.String())
	}
	if peak := fake.PeakInFlight(); peak > ghapi.DefaultMaxInFlight {
		t.Errorf("%d requests in flight at once, over the provider's bound of %d", peak, ghapi.DefaultMaxInFlight)
	}
	times := fake.AcceptedWriteTimes()
	span, least := times[len(times)-1].Sub(times[0]), leastSpan(len(times))
	ratio := span.Seconds() / least.Seconds()
	t.Logf("%d restores over %s (apply %s); the limit allows %s at best: %.2fx; %d restores refused and sent again",
		len(times), span.Round(10*time.Millisecond), took.Round(10*time.Millisecond), least, ratio, fake.RefusedWrites())
	if ratio > 1.2 {
		t.Errorf("the restores took %.2fx what the limit allows, want at most 1.2x", ratio)
	}
	if fake.RefusedWrites() <= ghapi.DefaultMaxRetries {
		t.Errorf("only %d writes refused: the limit did not outlast max_retries, so the test proves nothing", fake.RefusedWrites())
	}
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), "rate limited; every request of this provider waits") ||
		!strings.Contains(string(logs), fmt.Sprintf(`restores_done=%d`, massPackages)) {
		t.Errorf("the INFO log does not show the waits and the restores done")
	}
}

// leastSpan is the shortest time from the first to the last of n writes
// paced one per ghapi.DefaultMutationInterval, at most massLimit in any
// massWindow: write k leaves no earlier than write k-1 plus the interval,
// nor than write k-massLimit plus the window.
func leastSpan(n int) time.Duration {
	at := make([]time.Duration, n)
	for k := 1; k < n; k++ {
		at[k] = at[k-1] + ghapi.DefaultMutationInterval
		if k >= massLimit {
			at[k] = max(at[k], at[k-massLimit]+massWindow)
		}
	}
	return at[n-1]
}

// TestRequestsInFlightStayBoundedWhateverTheParallelism: an apply of 60
// resources with -parallelism=60 (each adopts a visible package with one
// GET) never has more requests in flight than the provider's bound.
func TestRequestsInFlightStayBoundedWhateverTheParallelism(t *testing.T) {
	requireAcc(t)
	t.Parallel()
	const packages = 60
	bin := providerDir(t)
	srv := acctest.StartScale(t)
	fake := srv.Emulator()
	for i := range packages {
		srv.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("pkg-%02d", i)})
	}
	// Each answer waits a little, so that requests overlap.
	fake.OnRequest(func(string, string) { time.Sleep(20 * time.Millisecond) })
	ws, output := newWorkspace(t, bin, fmt.Sprintf(massRestoreConfig, packages),
		"GITHUB_BASE_URL="+srv.URL, "GITHUB_TOKEN="+acctest.Token)
	if _, err := ws.Run("apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", packages)); err != nil {
		t.Fatalf("apply: %v\n%s", err, output.String())
	}
	if n := fake.CountRequests("GET"); n < packages {
		t.Errorf("%d GETs, want at least one per package (%d)", n, packages)
	}
	if peak := fake.PeakInFlight(); peak > ghapi.DefaultMaxInFlight {
		t.Errorf("%d requests in flight at once with -parallelism=%d, over the provider's bound of %d", peak, packages, ghapi.DefaultMaxInFlight)
	}
	t.Logf("peak in flight %d with -parallelism=%d", fake.PeakInFlight(), packages)
}
