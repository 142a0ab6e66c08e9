package acctest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

// scanFile loads a cassette (path without .yaml) and scans it.
func scanFile(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatalf("%s.yaml: %v", path, err)
	}
	return ScanSecrets(raw, c)
}

// TestCassettesHoldNoSecrets scans every cassette in the repository.
func TestCassettesHoldNoSecrets(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	scanned := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") || !strings.Contains(path, "cassettes") {
			return err
		}
		scanned++
		if found := scanFile(t, strings.TrimSuffix(path, ".yaml")); len(found) > 0 {
			t.Errorf("%s holds secret-looking strings: %q", path, found)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned == 0 {
		t.Fatal("found no cassettes to scan; has the cassette directory moved?")
	}
}

const leakyCassette = `---
version: 2
interactions:
    - id: 0
      request:
        headers:
            Authorization:
                - Bearer acctest-classic-token
        url: https://api.github.com/users/octocat/packages/npm/lib/restore?token=pkg-secret
        method: POST
      response:
        body: '{"note":"ghp_abcdefghijklmnopqrstuvwxyz0123456789"}'
        headers:
            Set-Cookie:
                - session=abc
        code: 204
`

func TestScanSecretsFindsEveryKindOfLeak(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "leaky")
	if err := os.WriteFile(path+".yaml", []byte(leakyCassette), 0o600); err != nil {
		t.Fatal(err)
	}
	found := strings.Join(scanFile(t, path), "\n")
	for _, want := range []string{"ghp_abcdefghij", "token=pkg-secret", "Authorization", "Set-Cookie"} {
		if !strings.Contains(found, want) {
			t.Errorf("scan missed %s; found:\n%s", want, found)
		}
	}

	clean := strings.NewReplacer("Bearer acctest-classic-token", Redacted, "token=pkg-secret", "token="+Redacted,
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "safe", "session=abc", Redacted).Replace(leakyCassette)
	if err := os.WriteFile(path+".yaml", []byte(clean), 0o600); err != nil {
		t.Fatal(err)
	}
	if found := scanFile(t, path); len(found) > 0 {
		t.Errorf("scan of a scrubbed cassette reports %q", found)
	}
}

func TestScrubText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Bearer ghp_abcdefghijklmnopqrstuvwxyz0123", "Bearer " + Redacted},
		{"github_pat_11ABCDEFG0123456789_abcdefghijklmnop", Redacted},
		{"gho_abcdefghijklmnop1234 and ghs_abcdefghijklmnop1234", Redacted + " and " + Redacted},
		{"/restore?token=abc&x=1", "/restore?token=" + Redacted + "&x=1"},
		{"/restore?page=2&token=abc", "/restore?page=2&token=" + Redacted},
		{"ghp_short", "ghp_short"},
		{"no secrets here", "no secrets here"},
	}
	for _, tc := range tests {
		if got := ScrubText(tc.in); got != tc.want {
			t.Errorf("ScrubText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
