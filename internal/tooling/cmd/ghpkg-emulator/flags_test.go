package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/cmd/ghpkg-emulator/seed"
)

func TestParseFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args string
		want options // ignored when wantErr
		// wantErr is a fragment of the error, "" when the flags are valid.
		wantErr string
	}{
		{"", options{addr: "127.0.0.1:8787", retryAfter: time.Minute, limitStatus: 403}, ""},
		{"-write-limit 80/1m -retry-after 60s -restore-lag 2 -seed s.yaml",
			options{addr: "127.0.0.1:8787", seedPath: "s.yaml", writeLimit: writeLimit{80, time.Minute},
				retryAfter: time.Minute, limitStatus: 403, restoreLag: 2}, ""},
		{"-write-limit 6/30s -retry-after 3s -write-limit-status 429 -addr 127.0.0.1:0",
			options{addr: "127.0.0.1:0", writeLimit: writeLimit{6, 30 * time.Second},
				retryAfter: 3 * time.Second, limitStatus: 429}, ""},
		{"-write-limit 6/30s -retry-after -1s",
			options{addr: "127.0.0.1:8787", writeLimit: writeLimit{6, 30 * time.Second},
				retryAfter: -time.Second, limitStatus: 403}, ""},
		{"-write-limit 6", options{}, "N/DURATION"},
		{"-write-limit 0/1m", options{}, "N/DURATION"},
		{"-write-limit x/1m", options{}, "N/DURATION"},
		{"-write-limit 6/soon", options{}, "positive duration"},
		{"-write-limit 6/0s", options{}, "positive duration"},
		{"-write-limit-status 500", options{}, "403 or 429"},
		{"-restore-lag -1", options{}, "0 or more"},
		{"-retry-after 3", options{}, "invalid value"},
		{"extra", options{}, "unexpected arguments"},
	}
	for _, tc := range cases {
		t.Run(tc.args, func(t *testing.T) {
			t.Parallel()
			got, err := parseFlags(strings.Fields(tc.args), io.Discard)
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one mentioning %q", err, tc.wantErr)
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.wantErr == "" && got != tc.want:
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestFlagsReachTheEmulator checks that the limits the flags set are the
// emulator's: a second restore within the hour is refused, and a restored
// package stays invisible to the next GET.
func TestFlagsReachTheEmulator(t *testing.T) {
	t.Parallel()
	o, err := parseFlags(strings.Fields("-write-limit 1/1h -retry-after 3s -write-limit-status 429 -restore-lag 1"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s, err := seed.Load("")
	if err != nil {
		t.Fatal(err)
	}
	fake, err := s.Emulator()
	if err != nil {
		t.Fatal(err)
	}
	o.apply(fake)
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	steps := []struct {
		method, path string
		status       int
		retryAfter   string
	}{
		{"POST", "/users/octocat/packages/container/octo-repo%2Focto-app/restore", 204, ""},
		{"GET", "/users/octocat/packages/container/octo-repo%2Focto-app", 404, ""}, // the restore lags
		{"GET", "/users/octocat/packages/container/octo-repo%2Focto-app", 200, ""},
		{"POST", "/orgs/octo-org/packages/container/octo-web/restore", 429, "3"},
	}
	for _, st := range steps {
		resp := do(t, ts, st.method, st.path, s.Token)
		if resp.StatusCode != st.status || resp.Header.Get("Retry-After") != st.retryAfter {
			t.Errorf("%s %s: %d with Retry-After %q, want %d with %q",
				st.method, st.path, resp.StatusCode, resp.Header.Get("Retry-After"), st.status, st.retryAfter)
		}
	}
	if fake.AcceptedWrites() != 1 || fake.RefusedWrites() != 1 {
		t.Errorf("%d writes accepted and %d refused, want 1 and 1", fake.AcceptedWrites(), fake.RefusedWrites())
	}
}

// do sends one request with the token on the server's own client (closing
// another test's server would close http.DefaultTransport's idle
// connections under a parallel test) and closes the answer's body.
func do(t *testing.T, ts *httptest.Server, method, path, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp
}
