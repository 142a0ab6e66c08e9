package ghfake

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// testClock is a wall clock the test moves; the lock keeps the race
// detector content, as the handler reads it on the server's goroutine.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// writeStep is one request at an offset from the start of the test's clock,
// with the answer it must get; retryAfter "" means no Retry-After header.
type writeStep struct {
	at           time.Duration
	method, path string
	status       int
	retryAfter   string
}

const (
	restoreA = "/users/octocat/packages/npm/a/restore"
	restoreB = "/users/octocat/packages/npm/b/restore"
	restoreC = "/users/octocat/packages/npm/c/restore"
	restoreD = "/users/octocat/packages/npm/d/restore"
	getD     = "/users/octocat/packages/npm/d"
)

func TestWriteLimit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		limit func(*Server)
		steps []writeStep
		// accepted are the offsets of the accepted writes, in order.
		accepted []time.Duration
		refused  int
	}{
		{"n accepted, then refused until the oldest leaves the window",
			func(s *Server) { s.LimitWrites(2, 30*time.Second, 3*time.Second) },
			[]writeStep{
				{0, "POST", restoreA, 204, ""},
				{10 * time.Second, "POST", restoreB, 204, ""},
				{20 * time.Second, "POST", restoreC, 403, "3"},
				{20 * time.Second, "GET", getD, 404, ""}, // reads are free, and the refused restore did nothing
				{30*time.Second - time.Nanosecond, "POST", restoreC, 403, "3"},
				{30 * time.Second, "POST", restoreC, 204, ""},
				{30 * time.Second, "POST", restoreD, 403, "3"},
				{40 * time.Second, "POST", restoreD, 204, ""},
				{40 * time.Second, "GET", getD, 200, ""},
			},
			[]time.Duration{0, 10 * time.Second, 30 * time.Second, 40 * time.Second}, 3},
		{"refused writes do not count",
			func(s *Server) { s.LimitWrites(1, 10*time.Second, time.Second) },
			[]writeStep{
				{0, "POST", restoreA, 204, ""},
				{5 * time.Second, "POST", restoreB, 403, "1"},
				{9 * time.Second, "POST", restoreB, 403, "1"},
				{10 * time.Second, "POST", restoreB, 204, ""},
			},
			[]time.Duration{0, 10 * time.Second}, 2},
		{"an accepted write counts whatever it answers",
			func(s *Server) { s.LimitWrites(1, time.Minute, time.Second) },
			[]writeStep{
				{0, "POST", "/users/octocat/packages/npm/never/restore", 404, ""},
				{time.Second, "POST", restoreA, 403, "1"},
			},
			[]time.Duration{0}, 1},
		{"deletes and version restores are writes",
			func(s *Server) { s.LimitWrites(2, time.Minute, time.Second) },
			[]writeStep{
				{0, "DELETE", "/users/octocat/packages/npm/live", 204, ""},
				{0, "POST", "/users/octocat/packages/npm/versioned/versions/5001/restore", 204, ""},
				{0, "POST", restoreA, 403, "1"},
			},
			[]time.Duration{0, 0}, 1},
		{"Retry-After rounds up to whole seconds",
			func(s *Server) { s.LimitWrites(1, time.Minute, 1500*time.Millisecond) },
			[]writeStep{{0, "POST", restoreA, 204, ""}, {0, "POST", restoreB, 403, "2"}},
			[]time.Duration{0}, 1},
		{"no Retry-After when retryAfter < 0",
			func(s *Server) { s.LimitWrites(1, time.Minute, -1) },
			[]writeStep{{0, "POST", restoreA, 204, ""}, {0, "POST", restoreB, 403, ""}},
			[]time.Duration{0}, 1},
		{"429 when asked",
			func(s *Server) { s.LimitWrites(1, time.Minute, time.Minute); s.SetWriteLimitStatus(429) },
			[]writeStep{{0, "POST", restoreA, 204, ""}, {0, "POST", restoreB, 429, "60"}},
			[]time.Duration{0}, 1},
		{"no limit: every write accepted and dated",
			func(*Server) {},
			[]writeStep{
				{0, "POST", restoreA, 204, ""},
				{time.Second, "POST", restoreB, 204, ""},
			},
			[]time.Duration{0, time.Second}, 0},
		{"n < 1 lifts the limit",
			func(s *Server) {
				s.LimitWrites(1, time.Minute, time.Second)
				s.LimitWrites(0, time.Minute, time.Second)
			},
			[]writeStep{{0, "POST", restoreA, 204, ""}, {0, "POST", restoreB, 204, ""}, {0, "POST", restoreC, 204, ""}},
			[]time.Duration{0, 0, 0}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t)
			seedWriteTargets(fake)
			start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			clock := &testClock{now: start}
			fake.SetWallClock(clock.Now)
			tc.limit(fake)
			for i, st := range tc.steps {
				clock.set(start.Add(st.at))
				checkWriteStep(t, i, st, send(t, ts, st.method, st.path, "full"))
			}
			var got []time.Duration
			for _, at := range fake.AcceptedWriteTimes() {
				got = append(got, at.Sub(start))
			}
			if !slices.Equal(got, tc.accepted) || fake.AcceptedWrites() != len(tc.accepted) {
				t.Errorf("accepted writes at %v (%d), want %v", got, fake.AcceptedWrites(), tc.accepted)
			}
			if fake.RefusedWrites() != tc.refused {
				t.Errorf("%d writes refused, want %d", fake.RefusedWrites(), tc.refused)
			}
		})
	}
}

// seedWriteTargets stores what the steps write to: deleted packages a to d,
// an active package to delete, and a deleted version (ID 5001).
func seedWriteTargets(fake *Server) {
	for _, name := range []string{"a", "b", "c", "d"} {
		fake.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: name}, time.Hour)
	}
	fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "live"})
	versioned := fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "versioned"})
	fake.AddDeletedVersion(versioned, Version{Name: "1.0.0"}, time.Hour)
}

// checkWriteStep checks one answer; a refusal must carry GitHub's
// secondary-limit body and the token's scopes, as GitHub's answers do.
func checkWriteStep(t *testing.T, i int, st writeStep, resp *http.Response) {
	t.Helper()
	if resp.StatusCode != st.status || resp.Header.Get("Retry-After") != st.retryAfter {
		t.Fatalf("step %d, %s %s at %s: %d with Retry-After %q, want %d with %q",
			i, st.method, st.path, st.at, resp.StatusCode, resp.Header.Get("Retry-After"), st.status, st.retryAfter)
	}
	if st.status != 403 && st.status != 429 {
		return
	}
	data, _ := io.ReadAll(resp.Body)
	var body map[string]string
	if err := json.Unmarshal(data, &body); err != nil || body["message"] != secondaryLimitMessage ||
		body["documentation_url"] != secondaryLimitDocs || len(body) != 2 {
		t.Errorf("step %d: refusal body %s, want GitHub's secondary-limit error", i, data)
	}
	if resp.Header.Get("X-OAuth-Scopes") == "" {
		t.Errorf("step %d: the refusal lacks X-OAuth-Scopes", i)
	}
}

// TestWriteLimitUsesRealTimeByDefault checks the window's clock when no
// test injects one: real time, not the emulator's clock stopped at Epoch.
func TestWriteLimitUsesRealTimeByDefault(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	seedWriteTargets(fake)
	fake.LimitWrites(1, time.Hour, time.Second)
	before := time.Now()
	send(t, ts, "POST", restoreA, "full")
	after := time.Now()
	if got := send(t, ts, "POST", restoreB, "full").StatusCode; got != 403 {
		t.Fatalf("second write within the hour answered %d, want 403", got)
	}
	times := fake.AcceptedWriteTimes()
	if len(times) != 1 || times[0].Before(before) || times[0].After(after) {
		t.Errorf("accepted writes at %v, want one between %v and %v", times, before, after)
	}
}

// TestWritesBeforeTheLimitCount checks that a limit set mid-run counts the
// writes already in its window, as GitHub's limit has always been there.
func TestWritesBeforeTheLimitCount(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	seedWriteTargets(fake)
	fake.SetWallClock(func() time.Time { return Epoch })
	send(t, ts, "POST", restoreA, "full")
	fake.LimitWrites(1, time.Minute, time.Second)
	if got := send(t, ts, "POST", restoreB, "full").StatusCode; got != 403 {
		t.Fatalf("the write after a limit of 1 answered %d, want 403", got)
	}
}
