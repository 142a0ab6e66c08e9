package ghapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// testToken looks like a classic token: logs and errors mask it wherever it
// appears, so a one-letter token would mask that letter in every message.
const testToken = "ghp_test0123456789abcdefghijklmnopqrst"

var app = PackageRef{Owner: "octocat", Type: "npm", Name: "app"}

var appPackage = ghfake.Package{Owner: app.Owner, Type: app.Type, Name: app.Name}

// newRetryingClient is a client against ghfake on a virtual clock: backoff,
// pacing and rate-limit waits take no real time.
func newRetryingClient(t *testing.T, tweak func(*Config)) (*ghfake.Server, *Client) {
	t.Helper()
	fake, client, _ := newClockedClient(t, tweak)
	return fake, client
}

// newClockedClient is newRetryingClient with its clock, which records the
// waits.
func newClockedClient(t *testing.T, tweak func(*Config)) (*ghfake.Server, *Client, *virtualClock) {
	t.Helper()
	fake := ghfake.New()
	fake.AddToken(testToken, "read:packages", "write:packages")
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	clock := newVirtualClock()
	cfg := Config{Token: testToken, BaseURL: ts.URL, MaxRetries: 3, Clock: clock}
	if tweak != nil {
		tweak(&cfg)
	}
	client, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return fake, client, clock
}

func requestLine(fake *ghfake.Server) string {
	var lines []string
	for _, r := range fake.Requests() {
		suffix := strings.TrimPrefix(r.Path, "/users/octocat/packages/npm/app")
		lines = append(lines, r.Method+suffix)
	}
	return strings.Join(lines, " ")
}

// TestFaults drives every transient fault through one call and checks what
// the client did and which requests it sent.
func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		deleted  bool // the package starts deleted, and the call is a restore
		method   string
		faults   []ghfake.Fault
		wantErr  Kind
		attempts int
		requests string
	}{
		{name: "502 and 503 then 200", method: "GET", faults: []ghfake.Fault{ghfake.ServerError(502), ghfake.ServerError(503)},
			requests: "GET GET GET"},
		{name: "500 beyond max_retries", method: "GET", faults: []ghfake.Fault{ghfake.ServerError(500), ghfake.ServerError(500), ghfake.ServerError(500), ghfake.ServerError(500)},
			wantErr: KindServer, attempts: 4, requests: "GET GET GET GET"},
		{name: "504 gateway timeout then 200", method: "GET", faults: []ghfake.Fault{ghfake.ServerError(504)}, requests: "GET GET"},
		{name: "connection reset then 200", method: "GET", faults: []ghfake.Fault{{Reset: true}}, requests: "GET GET"},
		{name: "404 is not retried", deleted: true, method: "GET", wantErr: KindNotFound, attempts: 1, requests: "GET"},
		{name: "422 is not retried", method: "GET", faults: []ghfake.Fault{{Status: 422, ContentType: "application/json", Body: `{"message":"Validation Failed"}`}},
			wantErr: KindRejected, attempts: 1, requests: "GET"},
		{name: "403 without a limit is not retried", method: "GET", faults: []ghfake.Fault{{Status: 403, ContentType: "application/json", Body: `{"message":"Forbidden"}`}},
			wantErr: KindForbidden, attempts: 1, requests: "GET"},
		{name: "HTML page with 200 is retried", method: "GET", faults: []ghfake.Fault{htmlPage}, requests: "GET GET"},
		{name: "HTML page with 200 beyond max_retries is malformed", method: "GET", faults: []ghfake.Fault{htmlPage, htmlPage, htmlPage, htmlPage},
			wantErr: KindMalformed, attempts: 4, requests: "GET GET GET GET"},
		{name: "truncated JSON is retried", method: "GET", faults: []ghfake.Fault{{Status: 200, ContentType: "application/json", Body: `{"id": 1, "name": "ap`}},
			requests: "GET GET"},
		{name: "200 with empty body is retried", method: "GET", faults: []ghfake.Fault{{Status: 200, ContentType: "application/json", Body: " "}},
			requests: "GET GET"},
		{name: "restore lost in a 502 is not sent again", deleted: true, method: "POST",
			faults: []ghfake.Fault{{Status: 502, TakeEffect: true, ContentType: "application/json", Body: `{"message":"Server Error"}`}}, requests: "POST/restore GET"},
		{name: "restore lost in a reset is not sent again", deleted: true, method: "POST",
			faults: []ghfake.Fault{{Reset: true, TakeEffect: true}}, requests: "POST/restore GET"},
		{name: "restore refused with 502 is sent again", deleted: true, method: "POST",
			faults: []ghfake.Fault{ghfake.ServerError(502)}, requests: "POST/restore GET POST/restore"},
		{name: "secondary limit with Retry-After 0", deleted: true, method: "POST",
			faults: []ghfake.Fault{ghfake.SecondaryRateLimit(403, 0)}, requests: "POST/restore POST/restore"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, client := newRetryingClient(t, nil)
			if tc.deleted {
				fake.AddDeletedPackage(appPackage, time.Hour)
			} else {
				fake.AddPackage(appPackage)
			}
			fake.Script(tc.method, "", tc.faults...)
			var err error
			if tc.method == "POST" {
				err = client.RestorePackage(t.Context(), app, "")
			} else {
				_, err = client.GetPackage(t.Context(), app)
			}
			checkOutcome(t, err, tc.wantErr, tc.attempts)
			if got := requestLine(fake); got != tc.requests {
				t.Errorf("requests %q, want %q", got, tc.requests)
			}
			if tc.method == "POST" && tc.wantErr == "" {
				if _, visible := fake.Lookup(ghfake.Package{Owner: app.Owner, Type: app.Type, Name: app.Name}); !visible {
					t.Error("the package is not restored")
				}
			}
		})
	}
}

// htmlPage is what a proxy or login page answers instead of GitHub's JSON.
var htmlPage = ghfake.Fault{Status: 200, ContentType: "text/html", Body: "<html>Unicorn!</html>"}

func checkOutcome(t *testing.T, err error, want Kind, attempts int) {
	t.Helper()
	var apiErr *Error
	switch {
	case want == "" && err != nil:
		t.Fatalf("err = %v, want success", err)
	case want != "" && !errors.As(err, &apiErr):
		t.Fatalf("err = %v, want a %s *Error", err, want)
	case want != "" && (apiErr.Kind != want || apiErr.Attempts != attempts):
		t.Fatalf("err = %v (kind %s, %d attempts), want kind %s after %d attempts", err, apiErr.Kind, apiErr.Attempts, want, attempts)
	}
}

// TestRateLimits: a call waits as GitHub's headers say, for as long as its
// operation's time allows, and the waits are not retries.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	limited := func(n int, fault func(now time.Time) ghfake.Fault) func(time.Time) []ghfake.Fault {
		return func(now time.Time) []ghfake.Fault {
			faults := make([]ghfake.Fault, n)
			for i := range faults {
				faults[i] = fault(now)
			}
			return faults
		}
	}
	secondary := func(status int, retryAfter time.Duration) func(time.Time) ghfake.Fault {
		return func(time.Time) ghfake.Fault { return ghfake.SecondaryRateLimit(status, retryAfter) }
	}
	tests := []struct {
		name       string
		faults     func(now time.Time) []ghfake.Fault
		maxRetries int
		timeout    time.Duration // 0: no deadline
		wantErr    Kind
		attempts   int
		waits      []time.Duration
	}{
		{name: "429 waits Retry-After", faults: limited(1, secondary(429, time.Second)), timeout: time.Minute,
			waits: []time.Duration{time.Second}},
		{name: "primary limit waits until the reset and one second more",
			faults:  limited(1, func(now time.Time) ghfake.Fault { return ghfake.PrimaryRateLimit(403, now.Add(10*time.Second)) }),
			timeout: time.Minute, waits: []time.Duration{11 * time.Second}},
		{name: "primary limit beyond the timeout fails at once",
			faults:  limited(1, func(now time.Time) ghfake.Fault { return ghfake.PrimaryRateLimit(429, now.Add(time.Hour)) }),
			timeout: 10 * time.Second, wantErr: KindRateLimited, attempts: 1},
		{name: "secondary limit without Retry-After needs 60 s", faults: limited(1, secondary(403, -1)),
			timeout: 10 * time.Second, wantErr: KindRateLimited, attempts: 1},
		{name: "six limits with max_retries 1: waited out, not retries", faults: limited(6, secondary(403, 3*time.Second)),
			maxRetries: 1, timeout: time.Minute, waits: slices.Repeat([]time.Duration{3 * time.Second}, 6)},
		{name: "limits beyond the operation's time", faults: limited(30, secondary(403, 3*time.Second)),
			timeout: 10 * time.Second, wantErr: KindRateLimited, attempts: 4, waits: slices.Repeat([]time.Duration{3 * time.Second}, 3)},
		{name: "without a deadline: five minutes of waits in all", faults: limited(5, secondary(429, 2*time.Minute)),
			wantErr: KindRateLimited, attempts: 3, waits: slices.Repeat([]time.Duration{2 * time.Minute}, 2)},
		{name: "secondary limits without Retry-After double from 60 s", faults: limited(2, secondary(403, -1)),
			timeout: 10 * time.Minute, waits: []time.Duration{time.Minute, 2 * time.Minute}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, client, clock := newClockedClient(t, func(c *Config) { c.MaxRetries = tc.maxRetries })
			fake.AddPackage(appPackage)
			fake.Script("GET", "", tc.faults(clock.Now())...)
			ctx := t.Context()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			_, err := client.GetPackage(ctx, app)
			checkOutcome(t, err, tc.wantErr, tc.attempts)
			// The reset is in whole seconds: the wait may be up to 1 s shorter.
			withinASecond := cmp.Comparer(func(a, b time.Duration) bool { return (a - b).Abs() <= time.Second })
			if diff := cmp.Diff(tc.waits, clock.Waits(), withinASecond, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			want := len(tc.waits) + 1
			if tc.wantErr != "" {
				want = tc.attempts
			}
			if n := fake.CountRequests("GET"); n != want {
				t.Errorf("%d GETs, want %d", n, want)
			}
			var apiErr *Error
			if errors.As(err, &apiErr) && !apiErr.SecondaryLimit && apiErr.RateLimitReset.IsZero() {
				t.Errorf("a primary limit error should say when it resets: %+v", apiErr)
			}
		})
	}
}

func TestRateLimitWaitFollowsGitHubAdvice(t *testing.T) {
	t.Parallel()
	clock := &virtualClock{now: time.Unix(1_800_000_000, 0)}
	p := retryPolicy{clock: clock, waitMin: time.Second, waitMax: 30 * time.Second}
	answer := func(h map[string]string) *http.Response {
		resp := &http.Response{StatusCode: 429, Header: http.Header{}}
		for k, v := range h {
			resp.Header.Set(k, v)
		}
		return resp
	}
	tests := []struct {
		name   string
		header map[string]string
		nth    int
		want   time.Duration
	}{
		{"Retry-After", map[string]string{"Retry-After": "7"}, 1, 7 * time.Second},
		{"reset of an exhausted limit", map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1800000042"}, 1, 43 * time.Second},
		{"no hint: 60 s", nil, 1, time.Minute},
		{"no hint again: doubles", nil, 2, 2 * time.Minute},
		{"Retry-After wins over reset", map[string]string{"Retry-After": "3", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1800000042"}, 1, 3 * time.Second},
	}
	for _, tc := range tests {
		if got := p.limitWait(answer(tc.header), tc.nth); got != tc.want {
			t.Errorf("%s: wait %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestCancelStopsWaitingAtOnce: Ctrl-C while a call waits out a rate limit
// ends the call without another request.
func TestCancelStopsWaitingAtOnce(t *testing.T) {
	t.Parallel()
	fake, client, clock := newClockedClient(t, nil)
	fake.AddPackage(appPackage)
	fake.Script("GET", "", ghfake.SecondaryRateLimit(429, 30*time.Second))
	ctx, cancel := context.WithCancel(t.Context())
	clock.onWait = func(time.Duration) { cancel() }
	_, err := client.GetPackage(ctx, app)
	if !errors.Is(err, context.Canceled) && !strings.Contains(fmt.Sprint(err), "cancelled") {
		t.Fatalf("err = %v, want the cancellation", err)
	}
	if n := fake.CountRequests("GET"); n != 1 {
		t.Errorf("%d GETs, want 1: nothing is sent after the cancellation", n)
	}
}

// TestParallelRestoresStayBounded restores 40 packages at once, as a
// Terraform apply with high parallelism would: exactly 40 POSTs, never more
// requests in flight than the bound, POSTs paced.
func TestParallelRestoresStayBounded(t *testing.T) {
	t.Parallel()
	const interval = time.Second
	fake, client, clock := newClockedClient(t, func(c *Config) { c.MaxInFlight, c.MutationInterval = 4, interval })
	start := clock.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		ref := PackageRef{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("p%02d", i)}
		fake.AddDeletedPackage(ghfake.Package{Owner: ref.Owner, Type: ref.Type, Name: ref.Name}, time.Hour)
		wg.Go(func() { errs <- client.RestorePackage(t.Context(), ref, "") })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.CountRequests("POST"); n != 40 {
		t.Errorf("%d POSTs, want exactly 40", n)
	}
	if p := fake.PeakInFlight(); p > 4 {
		t.Errorf("%d requests in flight at once, bound is 4", p)
	}
	// The first POST leaves at once, each later one a paced interval after.
	if span, least := clock.Now().Sub(start), 39*interval; span < least {
		t.Errorf("40 POSTs paced over %s of the clock; pacing at %s needs at least %s", span, interval, least)
	}
}

func TestRedirectToAnotherHostNeverCarriesTheToken(t *testing.T) {
	t.Parallel()
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization") != "")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(elsewhere.Close)
	fake, client := newRetryingClient(t, func(c *Config) { c.Token = "secret-token" })
	fake.AddToken("secret-token", "read:packages")
	fake.AddPackage(appPackage)
	// Same host name, other port: another origin.
	fake.Script("GET", "", ghfake.Fault{Status: http.StatusTemporaryRedirect, Location: elsewhere.URL + "/steal", Body: "{}", ContentType: "application/json"})
	_, err := client.GetPackage(t.Context(), app)
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Errorf("err = %v, want the refused redirect", err)
	}
	if leaked.Load() {
		t.Error("the token reached another host")
	}
}

func TestTLSIsVerified(t *testing.T) {
	t.Parallel()
	fake := ghfake.New()
	ts := httptest.NewTLSServer(fake)
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: providerSecret, BaseURL: ts.URL + "/api/v3/", MaxRetries: 3, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.GetPackage(t.Context(), app)
	checkOutcome(t, err, KindNetwork, 1)
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("err = %v, want a certificate error", err)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	t.Parallel()
	fake, client := newRetryingClient(t, nil)
	fake.AddPackage(appPackage)
	huge := `{"message":"` + strings.Repeat("x", maxBodyBytes+10) + `"}`
	fake.Script("GET", "", ghfake.Fault{Status: 500, ContentType: "application/json", Body: huge})
	fake.Script("GET", "", ghfake.Fault{Status: 200, ContentType: "application/json", Body: huge})
	_, err := client.GetPackage(t.Context(), app)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want the size limit", err)
	}
}

// TestTraceLogsHoldNoSecrets logs a retried restore at TRACE and looks for
// the provider token and the restore token in every line.
func TestTraceLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	const token, restoreToken = "ghp_providertoken0123456789abcdef", "restore-token-secret"
	fake, client := newRetryingClient(t, func(c *Config) { c.Token = token })
	fake.AddToken(token, "read:packages", "write:packages")
	fake.AddDeletedPackage(appPackage, time.Hour)
	fake.Script("POST", "", ghfake.ServerError(502))
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &logs)
	if err := client.RestorePackage(ctx, app, restoreToken); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{"GitHub API request", `"attempt":2`, "token=REDACTED", "server error, retrying"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
	for _, secret := range []string{token, restoreToken} {
		if strings.Contains(out, secret) {
			t.Errorf("logs hold %q", secret)
		}
	}
}

func TestTokenOnlyForTheAPIOrigin(t *testing.T) {
	t.Parallel()
	var got []string
	record := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		got = append(got, req.URL.Host+"="+req.Header.Get("Authorization"))
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	base, _ := ResolveBaseURL("")
	auth := authTransport{next: record, token: "secret", base: base}
	for _, target := range []string{"https://api.github.com/users/x", "https://evil.example/users/x", "http://api.github.com/users/x"} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		if _, err := auth.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	want := "api.github.com=Bearer secret evil.example= api.github.com="
	if strings.Join(got, " ") != want {
		t.Errorf("sent %q, want %q", strings.Join(got, " "), want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
