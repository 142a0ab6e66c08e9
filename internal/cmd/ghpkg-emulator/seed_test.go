package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

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

func TestDefaultSeedServesDeletedAndVisiblePackages(t *testing.T) {
	s, err := loadSeed("")
	if err != nil {
		t.Fatal(err)
	}
	fake, err := s.emulator()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	for path, want := range map[string]int{
		"/users/octocat/packages/maven/com.example.octo-core":               200,
		"/users/octocat/packages/npm/octo-lib":                              404, // deleted, restorable
		"/orgs/octo-org/packages/container/octo-api":                        200,
		"/orgs/octo-org/packages/container/octo-api/versions?state=deleted": 200,
		"/user/packages/container/octo-repo%2Focto-app":                     404,
	} {
		if got := do(t, ts, "GET", path, s.Token).StatusCode; got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
	if got := do(t, ts, "GET", "/users/octocat/packages/npm/octo-lib", "wrong-token").StatusCode; got != 401 {
		t.Errorf("a wrong token got %d, want 401", got)
	}
}

func TestSeedFileInJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.json")
	seedJSON := `{"token": "t0k", "packages": [{"org": true, "owner": "acme", "type": "npm", "name": "lib", "deleted_ago": "24h"}]}`
	if err := os.WriteFile(path, []byte(seedJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := loadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	fake, err := s.emulator()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	if resp := do(t, ts, "POST", "/orgs/acme/packages/npm/lib/restore", "t0k"); resp.StatusCode != 204 {
		t.Fatalf("restore of the seeded deleted package: %d, want 204", resp.StatusCode)
	}
}

func TestSeedWithoutTokenIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte("packages: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSeed(path); err == nil {
		t.Fatal("a seed without a token was accepted")
	}
}
