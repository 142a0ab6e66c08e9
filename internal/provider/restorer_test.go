package provider

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// instantClock fires each wait at once; after `fires` waits (0: never
// stop) it stops firing, so the operation's own deadline ends the wait.
type instantClock struct {
	mu    sync.Mutex
	fires int
	waits int
}

func (c *instantClock) Now() time.Time { return time.Now() }

func (c *instantClock) After(time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits++
	if c.fires > 0 && c.waits > c.fires {
		return nil
	}
	ch := make(chan time.Time, 1)
	ch <- time.Now()
	return ch
}

// TestRestoreAfterALostAnswerWaitsForVisibility: a restore answered 502
// that took effect, then 404 when sent again, while GitHub still hides the
// restored package (its visibility lag): the restore is reported done once
// a GET sees it, never "not restorable"; and a package that was never
// restorable still ends in GitHub's 404 once the wait runs out.
func TestRestoreAfterALostAnswerWaitsForVisibility(t *testing.T) {
	t.Parallel()
	lost := ghfake.ServerError(502)
	lost.TakeEffect = true
	tests := map[string]struct {
		deletedAgo time.Duration
		post       []ghfake.Fault
		lag        int
		restored   bool
	}{
		"the lost restore worked and shows after a lag": {deletedAgo: time.Hour, post: []ghfake.Fault{lost}, lag: 3, restored: true},
		"expired: GitHub's 404 once the wait runs out":  {deletedAgo: 40 * 24 * time.Hour, post: []ghfake.Fault{ghfake.ServerError(502)}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake := ghfake.New()
			fake.AddToken("t", "read:packages", "write:packages")
			pkg := ghfake.Package{Owner: "octocat", Type: "npm", Name: "app"}
			fake.AddDeletedPackage(pkg, tc.deletedAgo)
			fake.SetRestoreLag(tc.lag)
			fake.Script("POST", "", tc.post...)
			ts := httptest.NewServer(fake)
			t.Cleanup(ts.Close)
			client, err := ghapi.New(ghapi.Config{Token: "t", BaseURL: ts.URL, MaxRetries: 3, Clock: &instantClock{}})
			if err != nil {
				t.Fatal(err)
			}
			// The create timeout: ten checks without real waiting, then its
			// end (short when it is bound to come).
			timeout := time.Minute
			if !tc.restored {
				timeout = 200 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(t.Context(), timeout)
			defer cancel()
			r := restorer{client: client, clock: &instantClock{fires: 10}, timeout: timeout}
			ref := ghapi.PackageRef{Scope: ghapi.ScopeUser, Owner: pkg.Owner, Type: pkg.Type, Name: pkg.Name}
			_, restored, err := r.restorePackage(ctx, ref, "")
			if tc.restored {
				if err != nil || !restored {
					t.Fatalf("restored = %v, err = %v; want the restore reported done", restored, err)
				}
			} else if !ghapi.IsUnconfirmedRestore(err) {
				t.Fatalf("err = %v, want GitHub's 404 to the restore sent again", err)
			}
			if n := fake.CountRequests("POST"); n != 2 {
				t.Errorf("%d POSTs, want 2 (sent again once, after a GET found nothing)", n)
			}
		})
	}
}

// TestRestoreUnderTheWrongKindOfOwner: after GitHub's 404 to a restore, one
// GET /users/{owner} tells an organisation named as a user (and the
// reverse) from a package that is not restorable; a failed lookup, or an
// owner of the configured kind, leaves GitHub's 404 as it is.
func TestRestoreUnderTheWrongKindOfOwner(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		stored     ghfake.Package
		scope      ghapi.Scope
		owner      string
		wantActual ghapi.Scope
		wrong      bool
	}{
		"an organisation as a user": {stored: ghfake.Package{Org: true, Owner: "octo-org"},
			scope: ghapi.ScopeUser, owner: "octo-org", wantActual: ghapi.ScopeOrg, wrong: true},
		"a user as an organisation": {stored: ghfake.Package{Owner: "octocat"},
			scope: ghapi.ScopeOrg, owner: "octocat", wantActual: ghapi.ScopeUser, wrong: true},
		"the right kind, no such package": {stored: ghfake.Package{Owner: "octocat", Name: "old"},
			scope: ghapi.ScopeUser, owner: "octocat"},
		"an unknown owner": {stored: ghfake.Package{Owner: "octocat"}, scope: ghapi.ScopeUser, owner: "nobody"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake := ghfake.New()
			fake.AddToken("t", "read:packages", "write:packages")
			stored := tc.stored
			stored.Type = "npm"
			if stored.Name == "" {
				stored.Name = "lib"
			}
			fake.AddDeletedPackage(stored, 40*24*time.Hour)
			ts := httptest.NewServer(fake)
			t.Cleanup(ts.Close)
			client, err := ghapi.New(ghapi.Config{Token: "t", BaseURL: ts.URL})
			if err != nil {
				t.Fatal(err)
			}
			r := restorer{client: client, clock: &instantClock{}, timeout: time.Minute}
			ref := ghapi.PackageRef{Scope: tc.scope, Owner: tc.owner, Type: "npm", Name: "lib"}
			_, _, err = r.restorePackage(t.Context(), ref, "")
			var wrong *wrongOwnerError
			if errors.As(err, &wrong) != tc.wrong || (tc.wrong && wrong.actual != tc.wantActual) {
				t.Fatalf("err = %v; want a wrong owner: %v (%s)", err, tc.wrong, accountWord(tc.wantActual))
			}
			if !ghapi.IsNotFound(err) {
				t.Errorf("err = %v, want GitHub's 404 to the restore beneath", err)
			}
			if n := fake.CountRequests("GET"); n != 2 {
				t.Errorf("%d GETs, want 2: the package, then its owner once", n)
			}
		})
	}
}
