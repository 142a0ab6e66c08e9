package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// get asks the emulator for a path with the seed's token.
func get(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
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
		if got := get(t, ts.URL+path, s.Token); got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
	if got := get(t, ts.URL+"/users/octocat/packages/npm/octo-lib", "wrong-token"); got != 401 {
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
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/orgs/acme/packages/npm/lib/restore", nil)
	req.Header.Set("Authorization", "Bearer t0k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 204 {
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
