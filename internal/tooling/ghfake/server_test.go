package ghfake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/contract"
)

// newTestServer serves the emulator behind the contract check, so every
// answer in these tests must match GitHub's OpenAPI description.
func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	v, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	fake := New()
	fake.AddToken("full", "read:packages", "write:packages", "delete:packages")
	fake.AddToken("read", "read:packages")
	ts := httptest.NewServer(v.Handler(fake, func(err error) { t.Errorf("contract: %v", err) }))
	t.Cleanup(ts.Close)
	return fake, ts
}

func send(t *testing.T, ts *httptest.Server, method, path, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// The server's own client: closing another test's server closes the
	// idle connections of http.DefaultTransport, which broke a request of
	// a parallel test picking one up ("CloseIdleConnections called").
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func TestRestoreRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(*Server)
		status int
	}{
		{"deleted yesterday", func(s *Server) {
			s.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "app"}, 24*time.Hour)
		}, 204},
		{"deleted 31 days ago", func(s *Server) {
			s.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "app"}, RestoreWindow+time.Hour)
		}, 404},
		{"name taken by a new package", func(s *Server) {
			s.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "app"}, time.Hour)
			s.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "app"})
		}, 404},
		{"never existed", func(*Server) {}, 404},
		{"window measured on the emulator clock", func(s *Server) {
			s.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "app"}, 24*time.Hour)
			s.Advance(RestoreWindow)
		}, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t)
			tc.setup(fake)
			if got := send(t, ts, "POST", "/users/octocat/packages/npm/app/restore", "full").StatusCode; got != tc.status {
				t.Fatalf("restore answered %d, want %d", got, tc.status)
			}
		})
	}
}

func TestRestoreMakesPackageVisible(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	fake.AddDeletedPackage(Package{Owner: "octocat", Type: "container", Name: "repo/app"}, time.Hour)
	path := "/api/v3/users/octocat/packages/container/repo%2Fapp"
	if got := send(t, ts, "GET", path, "full").StatusCode; got != 404 {
		t.Fatalf("GET of a deleted package answered %d, want 404", got)
	}
	if got := send(t, ts, "POST", path+"/restore", "full").StatusCode; got != 204 {
		t.Fatalf("restore answered %d, want 204", got)
	}
	if got := send(t, ts, "GET", path, "full").StatusCode; got != 200 {
		t.Fatalf("GET after restore answered %d, want 200", got)
	}
	// The unescaped form names no endpoint, as on GitHub (and not in the
	// contract either, so it goes to the emulator directly).
	raw := httptest.NewRequest("GET", "/users/octocat/packages/container/repo/app", nil)
	raw.Header.Set("Authorization", "Bearer full")
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, raw)
	if rec.Code != 404 {
		t.Fatalf("GET with a raw slash answered %d, want 404", rec.Code)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	fake.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "app"}, time.Hour)
	cases := []struct {
		method, token string
		status        int
		scopes        string
	}{
		{"GET", "", 401, ""},
		{"GET", "unknown", 401, ""},
		{"POST", "read", 403, "read:packages"},
		{"GET", "read", 404, "read:packages"},
		{"DELETE", "read", 403, "read:packages"},
	}
	for _, tc := range cases {
		path := "/users/octocat/packages/npm/app"
		if tc.method == "POST" {
			path += "/restore"
		}
		resp := send(t, ts, tc.method, path, tc.token)
		if resp.StatusCode != tc.status || resp.Header.Get("X-OAuth-Scopes") != tc.scopes {
			t.Errorf("%s with token %q: %d scopes %q, want %d %q", tc.method, tc.token,
				resp.StatusCode, resp.Header.Get("X-OAuth-Scopes"), tc.status, tc.scopes)
		}
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	for i := range 250 {
		fake.AddPackage(Package{Owner: "octocat", Type: "maven", Name: fmt.Sprintf("lib-%03d", i)})
	}
	fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "other-type"})

	first := send(t, ts, "GET", "/users/octocat/packages?package_type=maven&per_page=100", "read")
	link := first.Header.Get("Link")
	if !strings.Contains(link, `page=2&per_page=100>; rel="next"`) || !strings.Contains(link, `page=3&per_page=100>; rel="last"`) {
		t.Fatalf("first page Link %q lacks next=2 and last=3", link)
	}
	last := send(t, ts, "GET", "/users/octocat/packages?package_type=maven&per_page=100&page=3", "read")
	if link := last.Header.Get("Link"); strings.Contains(link, `rel="next"`) || !strings.Contains(link, `rel="prev"`) {
		t.Fatalf("last page Link %q", link)
	}
	single := send(t, ts, "GET", "/users/octocat/packages?package_type=npm", "read")
	if link := single.Header.Get("Link"); link != "" {
		t.Fatalf("a single page has Link %q, want none", link)
	}
	if got := send(t, ts, "GET", "/users/octocat/packages?package_type=maven&per_page=100&page=101", "read").StatusCode; got != 400 {
		t.Fatalf("page beyond 10000 packages answered %d, want 400", got)
	}
}

func TestRestoreLagHidesPackageFromGets(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	fake.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "app"}, time.Hour)
	fake.SetRestoreLag(2)
	send(t, ts, "POST", "/users/octocat/packages/npm/app/restore", "full")
	var got []int
	for range 3 {
		got = append(got, send(t, ts, "GET", "/users/octocat/packages/npm/app", "full").StatusCode)
	}
	if fmt.Sprint(got) != "[404 404 200]" {
		t.Fatalf("GETs after restore answered %v, want [404 404 200]", got)
	}
}

// TestRequestLogKeepsStatuses: tests assert on the log's statuses, so it must
// hold what the client got, including 0 for a connection dropped unanswered.
func TestRequestLogKeepsStatuses(t *testing.T) {
	fake := New()
	fake.AddToken("full", "read:packages", "write:packages")
	fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "app"})
	fake.Script("GET", "/npm/app", ServerError(502), Fault{Reset: true})
	var mu sync.Mutex
	var notified []Request
	fake.OnRecord(func(r Request) {
		mu.Lock()
		defer mu.Unlock()
		notified = append(notified, r)
	})
	ts := httptest.NewServer(fake) // no contract check: a reset has no answer to check
	t.Cleanup(ts.Close)
	for range 4 {
		req, _ := http.NewRequest("GET", ts.URL+"/api/v3/users/octocat/packages/npm/app", nil)
		req.Header.Set("Authorization", "Bearer full")
		req.Close = true // a new connection each time: net/http retries a GET reset on a reused one
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}
	var got []string
	for _, r := range fake.Requests() {
		got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
	}
	want := "GET /users/octocat/packages/npm/app 502, GET /users/octocat/packages/npm/app 0, " +
		"GET /users/octocat/packages/npm/app 200, GET /users/octocat/packages/npm/app 200"
	if strings.Join(got, ", ") != want {
		t.Fatalf("request log:\n%s\nwant:\n%s", strings.Join(got, ", "), want)
	}
	mu.Lock()
	defer mu.Unlock()
	// Each answer goes out after its request is recorded, so OnRecord has
	// seen all four by now.
	if !reflect.DeepEqual(notified, fake.Requests()) {
		t.Errorf("OnRecord saw %v, want the log's %v", notified, fake.Requests())
	}
}

// TestClockStandsAtEpochUnlessReal: tests date deletions from Epoch, so
// recordings stay stable; the emulator people use dates them from the real
// time, which their plans compare the dates with.
func TestClockStandsAtEpochUnlessReal(t *testing.T) {
	t.Parallel()
	pkg := Package{Owner: "octocat", Type: "npm", Name: "app"}
	fixed := New()
	if got := fixed.AddDeletedPackage(pkg, time.Hour).DeletedAt; !got.Equal(Epoch.Add(-time.Hour)) {
		t.Errorf("on the fixed clock a package deleted an hour ago is dated %v, want %v", got, Epoch.Add(-time.Hour))
	}
	live := New()
	live.UseRealClock()
	live.Advance(time.Minute)
	want := time.Now().Add(time.Minute - time.Hour)
	if got := live.AddDeletedPackage(pkg, time.Hour).DeletedAt; got.Sub(want).Abs() > 5*time.Second {
		t.Errorf("on the real clock advanced a minute, a package deleted an hour ago is dated %v, want about %v", got, want)
	}
}
