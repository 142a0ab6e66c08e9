package ghapi

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// The tests in this file cover the failure paths a disaster-recovery run
// meets: secrets under faults, time bounds, and answers that must not read
// as success or as "deleted".

const restoreSecret = "restore-token-s3cr3t"

// TestRestoreTokenNeverInErrorsOrLogs sends a restore with a token through
// every fault that ends without an answer and looks for the token in the
// error and in the TRACE log.
func TestRestoreTokenNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	faults := map[string]ghfake.Fault{
		"reset":   {Reset: true},
		"timeout": {Delay: time.Second},
		"502":     ghfake.ServerError(502),
	}
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			const token = "ghp_failuresTestToken0123456789abcdef"
			fake, client := newRetryingClient(t, func(c *Config) { c.Token, c.MaxRetries, c.RequestTimeout = token, 1, 100*time.Millisecond })
			fake.AddToken(token, "read:packages", "write:packages")
			fake.AddPackage(appPackage)
			fake.Script("POST", "", fault, fault)
			fake.Script("GET", "", fault, fault, fault, fault) // the check of whether the restore took effect fails too
			var logs bytes.Buffer
			err := client.RestorePackage(tflogtest.RootLogger(t.Context(), &logs), app, restoreSecret)
			if err != nil && strings.Contains(err.Error(), restoreSecret) {
				t.Errorf("error holds the restore token: %v", err)
			}
			if strings.Contains(logs.String(), restoreSecret) || strings.Contains(logs.String(), token) {
				t.Errorf("logs hold the restore token:\n%s", logs.String())
			}
			if !strings.Contains(logs.String(), "GitHub API request") {
				t.Errorf("no request was logged; the check proves nothing:\n%s", logs.String())
			}
		})
	}
}

func TestRedactError(t *testing.T) {
	t.Parallel()
	errTestCause := errors.New("connection reset by peer")
	inner := &url.Error{Op: "Post", URL: "https://api.github.com/users/u/packages/npm/a/restore?token=" + restoreSecret, Err: errTestCause}
	outer := &url.Error{Op: "Post", URL: inner.URL, Err: fmt.Errorf("giving up: %w", inner)}
	err := fmt.Errorf("wrapped: %w", redactError(outer))
	if strings.Contains(err.Error(), restoreSecret) || !strings.Contains(err.Error(), "token=REDACTED") {
		t.Fatalf("redacted error %q", err)
	}
	if !errors.Is(err, errTestCause) {
		t.Fatalf("redaction lost the cause: %v", err)
	}
	u, _ := url.Parse("https://x:y@h/p?page=2&token=abc&per_page=100")
	if got := RedactURL(u); got != "https://h/p?page=2&per_page=100&token=REDACTED" {
		t.Fatalf("RedactURL = %q", got)
	}
}

// TestSilentServerEndsInABoundedError: a server that accepts connections
// and never answers, or trickles its body, ends each attempt after the
// request timeout; after the retries the error names the host and the wait.
func TestSilentServerEndsInABoundedError(t *testing.T) {
	t.Parallel()
	handlers := map[string]http.HandlerFunc{
		"never answers": func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		"trickles the body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			for range 100 {
				_, _ = w.Write([]byte(" "))
				if f, ok := w.(http.Flusher); ok {
					f.Flush()
				}
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		},
	}
	for name, handler := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int32
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				handler(w, r)
			}))
			t.Cleanup(ts.Close)
			client, err := New(Config{Token: providerSecret, BaseURL: ts.URL, MaxRetries: 2, RequestTimeout: 200 * time.Millisecond,
				RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = client.GetPackage(t.Context(), app) // no deadline: only the request timeout bounds it
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("took %s", took)
			}
			checkOutcome(t, err, KindNetwork, 3)
			host := strings.TrimPrefix(ts.URL, "http://")
			for _, want := range []string{"octocat/npm/app", host, "200ms", "request_timeout"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if n := requests.Load(); n != 3 {
				t.Errorf("%d attempts reached the server, want 3", n)
			}
		})
	}
}

// TestCutShortBodyIsRetried: a 200 whose connection drops mid-body.
func TestCutShortBodyIsRetried(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if requests.Add(1) == 1 {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"id": 1, "na`))
			panic(http.ErrAbortHandler)
		}
		_, _ = w.Write([]byte(`{"id":1,"name":"app","package_type":"npm","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`))
	}))
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: "t", BaseURL: ts.URL, MaxRetries: 1, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetPackage(t.Context(), app); err != nil || requests.Load() != 2 {
		t.Fatalf("err = %v after %d requests, want success after 2", err, requests.Load())
	}
}

// TestHugeRateLimitHeadersFailAtOnce: waits that cannot fit the operation
// fail at once, saying when the limit resets; nothing overflows into
// "retry immediately".
func TestHugeRateLimitHeadersFailAtOnce(t *testing.T) {
	t.Parallel()
	faults := map[string]ghfake.Fault{
		"Retry-After beyond int64 nanoseconds": {Status: 429, ContentType: "application/json", Body: `{"message":"slow down"}`,
			Header: http.Header{"Retry-After": {"9223372036854775807"}}},
		"Retry-After of ten years": {Status: 403, ContentType: "application/json", Body: `{"message":"You have exceeded a secondary rate limit"}`,
			Header: http.Header{"Retry-After": {strconv.Itoa(10 * 365 * 24 * 3600)}}},
		"reset in the year 292277026596": {Status: 403, ContentType: "application/json", Body: `{"message":"API rate limit exceeded"}`,
			Header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"9223372036854775807"}}},
		"reset in a century": {Status: 403, ContentType: "application/json", Body: `{"message":"API rate limit exceeded"}`,
			Header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(time.Now().AddDate(100, 0, 0).Unix(), 10)}}},
	}
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake, client := newRetryingClient(t, nil)
			fake.AddPackage(appPackage)
			fake.Script("GET", "", fault, fault, fault, fault)
			start := time.Now()
			_, err := client.GetPackage(t.Context(), app)
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("took %s, want an immediate failure", took)
			}
			checkOutcome(t, err, KindRateLimited, 1)
			if got := requestLine(fake); got != "GET" {
				t.Errorf("requests %q, want one GET", got)
			}
			var apiErr *Error
			if errors.As(err, &apiErr) && apiErr.RateLimitReset.IsZero() {
				t.Errorf("the error does not say when the limit resets: %+v", apiErr)
			}
		})
	}
}

// TestExhaustedLimitInAnAnswerDoesNotFailTheNextCallLocally: go-github
// would fail the next call without sending it while a 200 said
// X-RateLimit-Remaining: 0; ghpkg sends it (and would wait on a 403).
func TestExhaustedLimitInAnAnswerDoesNotFailTheNextCallLocally(t *testing.T) {
	t.Parallel()
	fake, client := newRetryingClient(t, nil)
	fake.AddPackage(appPackage)
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	fake.Script("GET", "", ghfake.Fault{Header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}})
	for i := range 2 {
		if _, err := client.GetPackage(t.Context(), app); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if got := requestLine(fake); got != "GET GET" {
		t.Fatalf("requests %q, want both GETs sent", got)
	}
}

// TestAmbiguousRestores: what happens to a restore whose answer is lost.
func TestAmbiguousRestores(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		expired  bool // deleted more than 30 days ago: not restorable
		post     []ghfake.Fault
		get      []ghfake.Fault
		wantErr  Kind // a 404 that IsUnconfirmedRestore: the caller waits for visibility
		requests string
		restored bool
	}{
		{name: "502, then 404 on the retry, not restorable: unconfirmed", expired: true,
			post: []ghfake.Fault{ghfake.ServerError(502)}, wantErr: KindNotFound, requests: "POST/restore GET POST/restore"},
		{name: "502, then 404 on the retry that took effect: unconfirmed, restored",
			post: []ghfake.Fault{ghfake.ServerError(502), {Status: 404, TakeEffect: true, ContentType: "application/json",
				Body: `{"message":"Package not found.","documentation_url":"https://docs.github.com/rest"}`}},
			wantErr: KindNotFound, requests: "POST/restore GET POST/restore", restored: true},
		{name: "lost answer and failing check: the restore is not sent again",
			post:     []ghfake.Fault{{Status: 502, TakeEffect: true, ContentType: "application/json", Body: `{"message":"Server Error"}`}},
			get:      []ghfake.Fault{ghfake.ServerError(502), ghfake.ServerError(502), ghfake.ServerError(502), ghfake.ServerError(502)},
			requests: "POST/restore GET GET GET GET", restored: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, client := newRetryingClient(t, nil)
			ago := time.Hour
			if tc.expired {
				ago = 40 * 24 * time.Hour
			}
			fake.AddDeletedPackage(appPackage, ago)
			fake.Script("POST", "", tc.post...)
			fake.Script("GET", "", tc.get...)
			err := client.RestorePackage(t.Context(), app, "")
			checkOutcome(t, err, tc.wantErr, 2)
			if IsUnconfirmedRestore(err) != (tc.wantErr != "") {
				t.Errorf("IsUnconfirmedRestore(%v) = %v", err, IsUnconfirmedRestore(err))
			}
			if got := requestLine(fake); got != tc.requests {
				t.Errorf("requests %q, want %q", got, tc.requests)
			}
			if _, restored := fake.Lookup(appPackage); restored != tc.restored {
				t.Errorf("restored = %v, want %v", restored, tc.restored)
			}
		})
	}
}

// TestWrongBasePathIsNotADeletion: only GitHub's API 404, JSON with
// X-GitHub-Request-Id or a documentation_url on GitHub's docs host, means
// "not found"; any other 404 names the host and keeps state.
func TestWrongBasePathIsNotADeletion(t *testing.T) {
	t.Parallel()
	const requestID = "X-GitHub-Request-Id"
	tests := []struct {
		name   string
		header map[string]string
		body   string
		want   Kind
	}{
		{"github.com 404", map[string]string{"Content-Type": jsonType, requestID: "ABCD:1234"},
			`{"message":"Package not found.","documentation_url":"https://docs.github.com/rest/packages/packages#get-a-package-for-a-user","status":"404"}`, KindNotFound},
		{"JSON 404 with the request id only", map[string]string{"Content-Type": jsonType, requestID: "ABCD:1234"},
			`{"message":"Not Found"}`, KindNotFound},
		{"JSON 404 with GitHub's documentation_url only", map[string]string{"Content-Type": jsonType},
			`{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`, KindNotFound},
		{"GHES 404", map[string]string{"Content-Type": jsonType},
			`{"message":"Not Found","documentation_url":"https://docs.github.com/enterprise-server@3.14/rest/packages/packages#get-a-package-for-a-user"}`, KindNotFound},
		{"older GHES 404", map[string]string{"Content-Type": jsonType},
			`{"message":"Not Found","documentation_url":"https://docs.github.com/enterprise/3.4/rest"}`, KindNotFound},
		{"Kong's 404", map[string]string{"Content-Type": jsonType}, `{"message":"no Route matched with those values"}`, KindNotGitHub},
		{"AWS API Gateway's 404", map[string]string{"Content-Type": "application/json"}, `{"message":"Not Found"}`, KindNotGitHub},
		{"GitHub Pages' HTML 404", map[string]string{"Content-Type": "text/html; charset=utf-8", requestID: "ABCD:1234"},
			`<!DOCTYPE html><html><title>Page not found · GitHub Pages</title></html>`, KindNotGitHub},
		{"empty 404 with the request id", map[string]string{"Content-Type": jsonType, requestID: "ABCD:1234"}, ``, KindNotGitHub},
		{"documentation_url on another host", map[string]string{"Content-Type": jsonType},
			`{"message":"Not Found","documentation_url":"https://docs.github.com.example.net/rest"}`, KindNotGitHub},
		{"documentation_url over http", map[string]string{"Content-Type": jsonType},
			`{"message":"Not Found","documentation_url":"http://docs.github.com/rest"}`, KindNotGitHub},
		{"HTML 404 of a web server", map[string]string{"Content-Type": "text/html"}, `<html>Not Found</html>`, KindNotGitHub},
		{"plain-text 404 of a proxy", map[string]string{"Content-Type": "text/plain"}, `404 page not found`, KindNotGitHub},
		{"JSON 404 without message", map[string]string{"Content-Type": jsonType}, `{"error":"no route"}`, KindNotGitHub},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := httptest.NewServer(scripted(404, tc.header, tc.body))
			t.Cleanup(ts.Close)
			client, err := New(Config{Token: providerSecret, BaseURL: ts.URL})
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.GetPackage(t.Context(), app)
			checkOutcome(t, err, tc.want, 1)
			if IsNotFound(err) != (tc.want == KindNotFound) {
				t.Errorf("IsNotFound = %v", IsNotFound(err))
			}
			var apiErr *Error
			if host := strings.TrimPrefix(ts.URL, "http://"); errors.As(err, &apiErr) && apiErr.Host != host {
				t.Errorf("the error names host %q, want %q", apiErr.Host, host)
			}
		})
	}
}
