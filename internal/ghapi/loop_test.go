package ghapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// TestTransientFailuresBackOffExponentially: resets and 5xx alike wait
// longer before each retry, and the log names each wait that is taken,
// none after the last attempt.
func TestTransientFailuresBackOffExponentially(t *testing.T) {
	t.Parallel()
	reset, bad := ghfake.Fault{Reset: true}, ghfake.ServerError(502)
	tests := map[string]struct {
		faults  []ghfake.Fault
		wantErr Kind
		logged  string
	}{
		"resets then an answer":     {faults: []ghfake.Fault{reset, reset, reset}, logged: "no answer, retrying"},
		"5xx then an answer":        {faults: []ghfake.Fault{bad, bad, bad}, logged: "server error, retrying"},
		"resets beyond max_retries": {faults: []ghfake.Fault{reset, reset, reset, reset}, wantErr: KindNetwork, logged: "no answer, retrying"},
		// A reset on a kept-alive connection is retried by net/http itself,
		// unseen: resets come first, on fresh connections.
		"a reset, then 5xx":           {faults: []ghfake.Fault{reset, bad, bad}, logged: "retrying"},
		"5xx beyond max_retries, too": {faults: []ghfake.Fault{bad, bad, bad, bad}, wantErr: KindServer, logged: "server error, retrying"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake, client, clock := newClockedClient(t, func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Second, 30*time.Second })
			fake.AddPackage(appPackage)
			fake.Script("GET", "", tc.faults...)
			var logs bytes.Buffer
			_, err := client.GetPackage(tflogtest.RootLogger(t.Context(), &logs), app)
			checkOutcome(t, err, tc.wantErr, 4)
			waits := clock.Waits()
			if len(waits) != 3 {
				t.Fatalf("waits %v, want 3 (max_retries)", waits)
			}
			for i, w := range waits {
				ceiling := time.Second << i // 1 s, 2 s, 4 s, with jitter in the upper half
				if w < ceiling/2 || w > ceiling {
					t.Errorf("wait %d = %s, want within [%s, %s]", i+1, w, ceiling/2, ceiling)
				}
			}
			if n := strings.Count(logs.String(), tc.logged); n != 3 {
				t.Errorf("%d %q lines, want one per retry taken (3):\n%s", n, tc.logged, logs.String())
			}
			for _, w := range waits {
				if !strings.Contains(logs.String(), `"wait":"`+w.String()+`"`) {
					t.Errorf("the log does not name the wait %s", w)
				}
			}
		})
	}
}

// TestRateLimitPausesEveryCall: when one call meets a limit, the client's
// other calls wait for it too, even when the first gives up.
func TestRateLimitPausesEveryCall(t *testing.T) {
	t.Parallel()
	fake, client, clock := newClockedClient(t, nil)
	fake.AddPackage(appPackage)
	fake.Script("GET", "", ghfake.SecondaryRateLimit(403, 30*time.Second))
	short, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := client.GetPackage(short, app); !isKind(err, KindRateLimited) {
		t.Fatalf("first call: err = %v, want rate limited at once (30 s does not fit in 10 s)", err)
	}
	limitedAt := clock.Now()
	if _, err := client.GetPackage(t.Context(), app); err != nil {
		t.Fatalf("second call: %v", err)
	}
	if got := clock.Waits(); len(got) != 1 || got[0] != 30*time.Second {
		t.Errorf("waits %v, want the second call to wait out the 30 s pause", got)
	}
	if clock.Now().Sub(limitedAt) < 30*time.Second {
		t.Error("the second call left before the pause ended")
	}
	if n := fake.CountRequests("GET"); n != 2 {
		t.Errorf("%d GETs, want 2", n)
	}
}

// TestPauseBeyondTheDeadlineFailsAtOnce: a call whose time ends before a
// shared pause does is told so at once, as a rate limit, without sending.
func TestPauseBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	fake, client, clock := newClockedClient(t, nil)
	fake.AddPackage(appPackage)
	client.gate.pauseUntil(clock.Now().Add(time.Hour))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := client.GetPackage(ctx, app); !isKind(err, KindRateLimited) {
		t.Fatalf("err = %v, want rate limited", err)
	}
	// Without a deadline (a Read), a call waits at most five minutes.
	if _, err := client.GetPackage(t.Context(), app); !isKind(err, KindRateLimited) {
		t.Fatalf("without a deadline: err = %v, want rate limited", err)
	}
	if n := len(fake.Requests()); n != 0 || len(clock.Waits()) != 0 {
		t.Errorf("%d requests and waits %v, want none", n, clock.Waits())
	}
}

// TestRestoreProgressIsLogged: each accepted restore and each rate-limit
// wait says at INFO how many restores are done.
func TestRestoreProgressIsLogged(t *testing.T) {
	t.Parallel()
	fake, client := newRetryingClient(t, nil)
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &logs)
	for _, name := range []string{"a", "b"} {
		fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name}, time.Hour)
	}
	fake.Script("POST", "", ghfake.SecondaryRateLimit(403, 3*time.Second))
	for _, name := range []string{"a", "b"} {
		if err := client.RestorePackage(ctx, PackageRef{Owner: "octocat", Type: "npm", Name: name}, ""); err != nil {
			t.Fatal(err)
		}
	}
	var limited, accepted []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		switch entry["@message"] {
		case "GitHub API: rate limited; every request of this provider waits":
			limited = append(limited, entry)
		case "GitHub accepted the restore":
			accepted = append(accepted, entry)
		}
	}
	if len(limited) != 1 || limited[0]["@level"] != "info" || limited[0]["wait"] != "3s" || limited[0]["restores_done"] != 0.0 {
		t.Errorf("rate-limit progress %v, want one INFO line naming the 3s wait and 0 restores done", limited)
	}
	if len(accepted) != 2 || accepted[0]["restores_done"] != 1.0 || accepted[1]["restores_done"] != 2.0 || accepted[1]["@level"] != "info" {
		t.Errorf("restore progress %v, want INFO lines counting 1 and 2 restores done", accepted)
	}
}

// TestLoginIsAskedOnceAndEachWaiterKeepsItsContext: concurrent callers
// share one GET /user, and one that gives up does not wait for it.
func TestLoginIsAskedOnceAndEachWaiterKeepsItsContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var asked atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"login":"octocat"}`))
	}))
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: "t", BaseURL: ts.URL, Clock: newVirtualClock()})
	if err != nil {
		t.Fatal(err)
	}
	patient := make(chan string)
	go func() {
		login, _ := client.AuthenticatedLogin(t.Context())
		patient <- login
	}()
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // this caller has already given up
	if _, err := client.AuthenticatedLogin(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the caller's own cancellation while GET /user hangs", err)
	}
	close(release)
	if login := <-patient; login != "octocat" {
		t.Errorf("login %q, want octocat", login)
	}
	if login, err := client.AuthenticatedLogin(t.Context()); err != nil || login != "octocat" {
		t.Errorf("cached login %q, %v", login, err)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("GET /user sent %d times, want 1", n)
	}
}

func isKind(err error, kind Kind) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Kind == kind
}
