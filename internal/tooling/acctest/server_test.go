package acctest

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

var lib = ghfake.Package{Owner: Owner, Type: "npm", Name: "scope/lib"}

var libRef = ghapi.PackageRef{Owner: lib.Owner, Type: lib.Type, Name: lib.Name}

// captureTB keeps a recorded server's error reports for the test to read.
type captureTB struct {
	testing.TB
	errors []string
}

func (c *captureTB) Errorf(format string, args ...any) {
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
}

// restoreFlow is what the provider's create sends: GET, POST restore, GET.
func restoreFlow(t testing.TB, srv *Server, restoreToken string) []string {
	t.Helper()
	client, err := ghapi.New(ghapi.Config{Token: Token, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	_, err = client.GetPackage(t.Context(), libRef)
	statuses = append(statuses, fmt.Sprint(ghapi.IsNotFound(err)))
	statuses = append(statuses, fmt.Sprint(client.RestorePackage(t.Context(), libRef, restoreToken)))
	_, err = client.GetPackage(t.Context(), libRef)
	return append(statuses, fmt.Sprint(err))
}

var wantFlow = []string{"true", "<nil>", "<nil>"}

// TestRecordingIsByteIdentical: recording the same exchange twice, in
// separate emulators, gives the same cassette (what `make cassettes` twice
// relies on).
func TestRecordingIsByteIdentical(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	recordAgainstEmulator(t, first)
	recordAgainstEmulator(t, second)
	a, errA := os.ReadFile(filepath.Join(first, "flow.yaml"))
	b, errB := os.ReadFile(filepath.Join(second, "flow.yaml"))
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if string(a) != string(b) {
		t.Errorf("two recordings differ:\n%s\n---\n%s", a, b)
	}
}

func recordAgainstEmulator(t *testing.T, dir string) {
	t.Run("record", func(t *testing.T) {
		srv := Start(t, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: "flow"})
		srv.AddDeletedPackage(lib, time.Hour)
		if got := restoreFlow(t, srv, "pkg-secret"); strings.Join(got, " ") != strings.Join(wantFlow, " ") {
			t.Fatalf("flow against ghfake: %q", got)
		}
	})
}

func TestRecordThenReplay(t *testing.T) {
	dir := t.TempDir()
	recordAgainstEmulator(t, dir)
	raw, err := os.ReadFile(filepath.Join(dir, "flow.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{Token, "pkg-secret", "127.0.0.1"} {
		if strings.Contains(string(raw), leak) {
			t.Errorf("cassette holds %q", leak)
		}
	}
	if !strings.Contains(string(raw), "scope%2Flib") {
		t.Errorf("cassette lost the escaped name:\n%s", raw)
	}

	t.Run("replay", func(t *testing.T) {
		capture := &captureTB{TB: t}
		srv := Start(capture, Options{Mode: ModeReplay, CassetteDir: dir, Cassette: "flow"})
		if got := restoreFlow(t, srv, "another-secret"); strings.Join(got, " ") != strings.Join(wantFlow, " ") {
			t.Errorf("replayed flow: %q (reports: %q)", got, capture.errors)
		}
		if len(capture.errors) > 0 {
			t.Errorf("replay reported: %q", capture.errors)
		}
		if n := srv.CountRequests("GET"); n != 2 {
			t.Errorf("request log holds %d GETs, want 2", n)
		}
	})
}

func TestReplayFailsOnUnmatchedAndUnusedInteractions(t *testing.T) {
	dir := t.TempDir()
	recordAgainstEmulator(t, dir)
	var capture *captureTB
	t.Run("replay a different flow", func(t *testing.T) {
		capture = &captureTB{TB: t}
		srv := Start(capture, Options{Mode: ModeReplay, CassetteDir: dir, Cassette: "flow"})
		client, err := ghapi.New(ghapi.Config{Token: Token, BaseURL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		// The same GET twice: the first takes the recorded 404, the second
		// the recorded 200 (recorded order), the third has nothing left.
		_, first := client.GetPackage(t.Context(), libRef)
		_, second := client.GetPackage(t.Context(), libRef)
		_, third := client.GetPackage(t.Context(), libRef)
		if !ghapi.IsNotFound(first) || second != nil || third == nil {
			t.Errorf("repeated GETs got %v, %v, %v; want 404, 200, an error", first, second, third)
		}
	})
	reports := strings.Join(capture.errors, "\n")
	for _, want := range []string{
		"no unused interaction in", "GET /users/octocat/packages/npm/scope%2Flib",
		"nearest recorded:", "used: true",
		"1 interactions of", "were never requested", "POST /users/octocat/packages/npm/scope%2Flib/restore?token=REDACTED",
	} {
		if !strings.Contains(reports, want) {
			t.Errorf("reports lack %q:\n%s", want, reports)
		}
	}
}

func TestReplayWithoutCassetteSaysHowToRecord(t *testing.T) {
	_, err := loadReplayer(filepath.Join(t.TempDir(), "missing"), t.Errorf)
	if err == nil || !strings.Contains(err.Error(), "make cassettes") {
		t.Fatalf("err = %v, want advice to record", err)
	}
}

// TestRecordAgainstGitHubOverTLS points the live recording path at ghfake
// served over TLS: the real token and owner are used on the wire and never
// reach the cassette, and the cassette replays.
func TestRecordAgainstGitHubOverTLS(t *testing.T) {
	const realToken, realOwner = "ghp_0123456789abcdefghijklmnopqrstuvwxyz", "real-owner"
	github := ghfake.New()
	github.AddToken(realToken, "read:packages", "write:packages", "delete:packages")
	github.AddPackage(ghfake.Package{Owner: realOwner, Type: lib.Type, Name: lib.Name})
	tlsServer := httptest.NewTLSServer(github)
	t.Cleanup(tlsServer.Close)
	live, err := NewLive(tlsServer.URL+"/api/v3/", realToken, realOwner, tlsServer.Client().Transport)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Run("record", func(t *testing.T) {
		srv := Start(t, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: "live", Live: live})
		srv.AddDeletedPackage(lib, time.Hour) // a DELETE on "GitHub"
		if got := restoreFlow(t, srv, "pkg-secret"); strings.Join(got, " ") != strings.Join(wantFlow, " ") {
			t.Fatalf("flow against TLS GitHub: %q", got)
		}
	})
	var paths []string
	for _, r := range github.Requests() {
		paths = append(paths, r.Method+" "+r.Path)
	}
	if want := "DELETE /users/real-owner/packages/npm/scope%2Flib"; len(paths) != 5 || paths[1] != want {
		t.Errorf("GitHub saw %q; want a seeding GET and DELETE, then the flow, for %s", paths, realOwner)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "live.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), realToken) || strings.Contains(string(raw), realOwner) {
		t.Errorf("cassette holds the real token or owner:\n%s", raw)
	}
	t.Run("replay", func(t *testing.T) {
		srv := Start(t, Options{Mode: ModeReplay, CassetteDir: dir, Cassette: "live"})
		if got := restoreFlow(t, srv, "pkg-secret"); strings.Join(got, " ") != strings.Join(wantFlow, " ") {
			t.Errorf("replay of the live cassette: %q", got)
		}
	})
}

func TestOptionsFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Mode
		live    bool
		wantErr string
	}{
		{"default is replay", nil, ModeReplay, false, ""},
		{"record against ghfake", map[string]string{"VCR_MODE": "RECORD_ONLY"}, ModeRecord, false, ""},
		{"emulator", map[string]string{"VCR_MODE": "OFF"}, ModeEmulator, false, ""},
		{"record against GitHub", map[string]string{"VCR_MODE": "RECORD_ONLY", "GHPKG_ACC_TARGET": "github",
			"GITHUB_TOKEN": "x", "GHPKG_ACC_OWNER": "me"}, ModeRecord, true, ""},
		{"GitHub needs an owner", map[string]string{"VCR_MODE": "RECORD_ONLY", "GHPKG_ACC_TARGET": "github",
			"GITHUB_TOKEN": "x"}, "", false, "GHPKG_ACC_OWNER"},
		{"GitHub only records", map[string]string{"GHPKG_ACC_TARGET": "github"}, "", false, "RECORD_ONLY"},
		{"unknown mode", map[string]string{"VCR_MODE": "sometimes"}, "", false, "want REPLAY_ONLY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, key := range []string{"VCR_MODE", "VCR_PATH", "GHPKG_ACC_TARGET", "GITHUB_TOKEN", "GHPKG_ACC_OWNER", "GITHUB_BASE_URL", "GHPKG_ACC_ORG"} {
				t.Setenv(key, tc.env[key])
			}
			opts, err := OptionsFromEnv()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || opts.Mode != tc.want || (opts.Live != nil) != tc.live {
				t.Fatalf("OptionsFromEnv() = %+v, %v", opts, err)
			}
		})
	}
}
