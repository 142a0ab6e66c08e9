package ghfake

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/contract"
)

// faultExchange is what a client saw of one request.
type faultExchange struct {
	resp    *http.Response // nil when the request failed
	err     error          // of the request, else of reading the body
	body    []byte
	elapsed time.Duration
	// firstByte is when the first byte of the body arrived.
	firstByte time.Duration
}

// TestFaultsReachTheClient checks each misbehaviour as a client sees it.
// The server is not behind the contract check, which buffers every answer
// and so would turn a trickle or a cut into a whole answer or a reset.
func TestFaultsReachTheClient(t *testing.T) {
	t.Parallel()
	const (
		pkgPath     = "/api/v3/users/octocat/packages/npm/app"
		missingPath = "/api/v3/users/octocat/packages/npm/missing"
		restorePath = "/api/v3/users/octocat/packages/npm/gone/restore"
		trickle     = 2 * time.Millisecond
	)
	cases := []struct {
		name         string
		method, path string
		fault        Fault
		timeout      time.Duration
		check        func(t *testing.T, x faultExchange, normal []byte, fake *Server)
	}{
		{"hang", "GET", pkgPath, Fault{Hang: true}, 200 * time.Millisecond,
			func(t *testing.T, x faultExchange, _ []byte, _ *Server) {
				var ne net.Error
				if !errors.As(x.err, &ne) || !ne.Timeout() {
					t.Fatalf("got %v, %v; want the client's timeout", x.resp, x.err)
				}
				if x.elapsed < 200*time.Millisecond {
					t.Errorf("gave up after %s, before the timeout", x.elapsed)
				}
			}},
		{"hang after taking effect", "POST", restorePath, Fault{Hang: true, TakeEffect: true}, 200 * time.Millisecond,
			func(t *testing.T, x faultExchange, _ []byte, fake *Server) {
				var ne net.Error
				if !errors.As(x.err, &ne) || !ne.Timeout() {
					t.Fatalf("got %v, %v; want the client's timeout", x.resp, x.err)
				}
				if _, ok := fake.Lookup(Package{Owner: "octocat", Type: "npm", Name: "gone"}); !ok {
					t.Error("the restore did not take effect")
				}
			}},
		{"truncate", "GET", pkgPath, Fault{Truncate: true}, 5 * time.Second,
			func(t *testing.T, x faultExchange, normal []byte, _ *Server) {
				if x.resp == nil || x.resp.StatusCode != 200 {
					t.Fatalf("got %v, %v; want the real 200 before the cut", x.resp, x.err)
				}
				if !errors.Is(x.err, io.ErrUnexpectedEOF) {
					t.Errorf("reading the body: %v, want %v", x.err, io.ErrUnexpectedEOF)
				}
				if got := x.resp.Header.Get("Content-Length"); got != strconv.Itoa(len(normal)) {
					t.Errorf("Content-Length %q, want the whole body's %d", got, len(normal))
				}
				if !bytes.Equal(x.body, normal[:len(normal)/2]) {
					t.Errorf("received %q, want the first half of %q", x.body, normal)
				}
				if x.resp.Header.Get("X-Oauth-Scopes") == "" || x.resp.Header.Get(contract.ExemptHeader) == "" {
					t.Errorf("headers %v: want the real ones and %s", x.resp.Header, contract.ExemptHeader)
				}
			}},
		{"truncate a scripted body", "GET", pkgPath, func() Fault { f := ServerError(502); f.Truncate = true; return f }(), 5 * time.Second,
			func(t *testing.T, x faultExchange, _ []byte, _ *Server) {
				if x.resp == nil || x.resp.StatusCode != 502 || !errors.Is(x.err, io.ErrUnexpectedEOF) {
					t.Fatalf("got %v, %v; want a 502 whose body ends early", x.resp, x.err)
				}
				if want := ServerError(502).Body; string(x.body) != want[:len(want)/2] {
					t.Errorf("received %q, want the first half of %q", x.body, want)
				}
			}},
		{"truncate an answer without a body", "POST", restorePath, Fault{Truncate: true}, 5 * time.Second,
			func(t *testing.T, x faultExchange, _ []byte, fake *Server) {
				if x.resp != nil || x.err == nil {
					t.Fatalf("got %v, %v; want the connection dropped unanswered", x.resp, x.err)
				}
				if _, ok := fake.Lookup(Package{Owner: "octocat", Type: "npm", Name: "gone"}); !ok {
					t.Error("the restore did not take effect before the drop")
				}
			}},
		{"trickle", "GET", missingPath, Fault{Trickle: trickle}, 5 * time.Second,
			func(t *testing.T, x faultExchange, normal []byte, _ *Server) {
				if x.err != nil || x.resp.StatusCode != 404 {
					t.Fatalf("got %v, %v; want the real 404", x.resp, x.err)
				}
				if !bytes.Equal(x.body, normal) {
					t.Errorf("received %q, want %q", x.body, normal)
				}
				if least := time.Duration(len(normal)-1) * trickle; x.elapsed < least {
					t.Errorf("the body of %d bytes arrived in %s, want at least %s", len(normal), x.elapsed, least)
				}
				if x.firstByte > x.elapsed/2 {
					t.Errorf("the first byte came after %s of %s: held back, not trickled", x.firstByte, x.elapsed)
				}
			}},
		{"trickle until the client gives up", "GET", pkgPath, Fault{Trickle: 50 * time.Millisecond}, 200 * time.Millisecond,
			func(t *testing.T, x faultExchange, _ []byte, _ *Server) {
				var ne net.Error
				if !errors.As(x.err, &ne) || !ne.Timeout() {
					t.Fatalf("got %v, %v; want the client's timeout while reading", x.resp, x.err)
				}
				if len(x.body) == 0 {
					t.Error("no byte arrived before the timeout")
				}
			}},
		{"NotFoundHTML", "GET", pkgPath, NotFoundHTML(), 5 * time.Second,
			func(t *testing.T, x faultExchange, _ []byte, _ *Server) {
				if x.err != nil || x.resp.StatusCode != 404 {
					t.Fatalf("got %v, %v; want a 404", x.resp, x.err)
				}
				if ct := x.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q, want text/html", ct)
				}
				if !bytes.HasPrefix(x.body, []byte("<!DOCTYPE html>")) {
					t.Errorf("body %q, want an HTML page", x.body)
				}
				for _, h := range []string{"X-Oauth-Scopes", "X-Accepted-Oauth-Scopes", "X-Github-Request-Id"} {
					if v := x.resp.Header.Get(h); v != "" {
						t.Errorf("%s: %q; a proxy's page has no GitHub headers", h, v)
					}
				}
				if x.resp.Header.Get(contract.ExemptHeader) == "" {
					t.Errorf("no %s: the contract check would reject the page", contract.ExemptHeader)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := New()
			fake.AddToken("full", "read:packages", "write:packages")
			fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "app"})
			fake.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "gone"}, time.Hour)
			ts := httptest.NewServer(fake)
			t.Cleanup(func() {
				ts.CloseClientConnections() // ends hanging handlers, whatever the client did
				ts.Close()
			})
			var normal []byte // the answer without the fault; a POST would take effect
			if tc.method == "GET" {
				normal = fetch(t, ts, tc.method, tc.path, 5*time.Second).body
			}
			fake.Script(tc.method, strings.TrimPrefix(tc.path, "/api/v3"), tc.fault)
			tc.check(t, fetch(t, ts, tc.method, tc.path, tc.timeout), normal, fake)
		})
	}
}

// fetch sends one request on a new connection and reads the whole answer.
func fetch(t *testing.T, ts *httptest.Server, method, path string, timeout time.Duration) faultExchange {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer full")
	// A new connection each time: net/http resends a request that failed on
	// a reused one, which would hide a dropped connection.
	req.Close = true
	client := &http.Client{Timeout: timeout}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return faultExchange{err: err, elapsed: time.Since(start)}
	}
	defer func() { _ = resp.Body.Close() }()
	x := faultExchange{resp: resp}
	var buf [1]byte
	for {
		n, err := resp.Body.Read(buf[:])
		if n > 0 {
			if len(x.body) == 0 {
				x.firstByte = time.Since(start)
			}
			x.body = append(x.body, buf[:n]...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			x.err = err
			break
		}
	}
	x.elapsed = time.Since(start)
	return x
}
