package seed

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// emulator builds the emulator of the seed at path ("" for the default).
func emulator(t *testing.T, path string) (*Seed, *ghfake.Server) {
	t.Helper()
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	fake, err := s.Emulator()
	if err != nil {
		t.Fatal(err)
	}
	return s, fake
}

// serve sends one request with the token straight to the emulator.
func serve(fake *ghfake.Server, method, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	return rec
}

func TestDefaultSeedServesDeletedAndVisiblePackages(t *testing.T) {
	t.Parallel()
	s, fake := emulator(t, "")
	for path, want := range map[string]int{
		"/users/octocat/packages/maven/com.example.octo-core":               200,
		"/users/octocat/packages/npm/octo-lib":                              200,
		"/users/octocat/packages/container/octo-repo%2Focto-app":            404, // deleted, restorable
		"/orgs/octo-org/packages/container/octo-api":                        200,
		"/orgs/octo-org/packages/container/octo-api/versions?state=deleted": 200,
		"/orgs/octo-org/packages/npm/octo-lib":                              404,
		"/user/packages/container/octo-repo%2Focto-app":                     404,
	} {
		if got := serve(fake, "GET", path, s.Token).Code; got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
	if got := serve(fake, "GET", "/users/octocat/packages/npm/octo-lib", "wrong-token").Code; got != 401 {
		t.Errorf("a wrong token got %d, want 401", got)
	}
}

// TestSeedRunsOnTheRealClock: a version seeded as deleted 120h ago is dated
// five days before now, not before ghfake's fixed Epoch, so a check of its
// restore window against plantimestamp() does not fire falsely.
func TestSeedRunsOnTheRealClock(t *testing.T) {
	t.Parallel()
	s, fake := emulator(t, "")
	rec := serve(fake, "GET", "/orgs/octo-org/packages/container/octo-api/versions?state=deleted", s.Token)
	var versions []struct {
		DeletedAt time.Time `json:"deleted_at"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &versions); err != nil || len(versions) != 1 {
		t.Fatalf("deleted versions of octo-api: %v, %s", err, rec.Body)
	}
	want := time.Now().Add(-120 * time.Hour)
	if got := versions[0].DeletedAt; got.Sub(want).Abs() > time.Minute {
		t.Errorf("a version seeded as deleted 120h ago is dated %v, want about %v", got, want)
	}
}

func TestSeedFileInJSON(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "seed.json")
	seedJSON := `{"token": "t0k", "packages": [{"org": true, "owner": "acme", "type": "npm", "name": "lib", "deleted_ago": "24h"}]}`
	if err := os.WriteFile(path, []byte(seedJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	_, fake := emulator(t, path)
	if got := serve(fake, "POST", "/orgs/acme/packages/npm/lib/restore", "t0k").Code; got != 204 {
		t.Fatalf("restore of the seeded deleted package: %d, want 204", got)
	}
}

func TestSeedWithoutTokenIsRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte("packages: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil {
		t.Fatal("a seed without a token was accepted")
	}
}
