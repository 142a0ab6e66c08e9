package acctest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// orgApp is the organisation's repository-linked image the org tests name.
var orgApp = ghfake.Package{Org: true, Owner: Org, Type: "container", Name: "octo-repo/octo-app", Repository: "octo-repo", VersionCount: 2}

const orgAppPath = "/orgs/octo-org/packages/container/octo-repo%2Focto-app"

// The live accounts of these tests. GitHub spells the organisation
// "Real-Org"; the maintainer gave GHPKG_ACC_ORG in lower case.
const (
	liveToken   = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
	liveOwner   = "real-owner"
	liveOrg     = "real-org"
	liveOrgHeld = "Real-Org"
)

func TestLiveURLRewritesUserAndOrgPaths(t *testing.T) {
	live, err := NewLive("https://ghe.example.com/api/v3/", liveToken, liveOwner, nil)
	if err != nil {
		t.Fatal(err)
	}
	live.Org = liveOrg
	const base = "https://ghe.example.com/api/v3"
	for _, tc := range []struct{ path, query, want string }{
		{"/users/octocat/packages/npm/scope%2Flib", "", base + "/users/real-owner/packages/npm/scope%2Flib"},
		{orgAppPath, "", base + "/orgs/real-org/packages/container/octo-repo%2Focto-app"},
		{orgAppPath + "/restore", "token=pkg-secret", base + "/orgs/real-org/packages/container/octo-repo%2Focto-app/restore?token=pkg-secret"},
		{"/orgs/octo-org/packages", "package_type=container&visibility=public", base + "/orgs/real-org/packages?package_type=container&visibility=public"},
		{"/orgs/octo-org", "", base + "/orgs/real-org"},
		// The account lookups of a refused restore.
		{"/users/octo-org", "", base + "/users/real-org"},
		{"/users/octocat", "", base + "/users/real-owner"},
		// Another spelling of the organisation goes out in another case.
		{"/orgs/Octo-Org/packages/container/octo-app", "", base + "/orgs/REAL-ORG/packages/container/octo-app"},
		{"/users/OctoCat/packages/npm/lib", "", base + "/users/REAL-OWNER/packages/npm/lib"},
		// Other names, and the test names in the other namespace, stay.
		{"/orgs/another-org/packages/npm/lib", "", base + "/orgs/another-org/packages/npm/lib"},
		{"/orgs/octo-org-2/packages/npm/lib", "", base + "/orgs/octo-org-2/packages/npm/lib"},
		{"/users/octo-org/packages/npm/lib", "", base + "/users/octo-org/packages/npm/lib"},
		{"/orgs/octocat/packages/npm/lib", "", base + "/orgs/octocat/packages/npm/lib"},
		{"/user/packages", "package_type=npm", base + "/user/packages?package_type=npm"},
		{"/orgs/octo-org/packages/npm/%40scope%2Fodd%20name", "", base + "/orgs/real-org/packages/npm/%40scope%2Fodd%20name"},
	} {
		got, err := live.url(tc.path, tc.query)
		if err != nil {
			t.Errorf("url(%s) failed: %v", tc.path, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("url(%s?%s) = %s, want %s", tc.path, tc.query, got, tc.want)
		}
	}

	live.Org = ""
	if _, err := live.url(orgAppPath, ""); err == nil || !strings.Contains(err.Error(), "GHPKG_ACC_ORG") {
		t.Errorf("without an organisation, url(%s) = %v; want a refusal naming GHPKG_ACC_ORG", orgAppPath, err)
	}
	if got, err := live.url("/users/octocat/packages/npm/lib", ""); err != nil || !strings.Contains(got.Path, "/users/real-owner/") {
		t.Errorf("without an organisation, a user's path gave %v, %v", got, err)
	}
}

func TestLiveAnswerRewritesOwnerAndOrg(t *testing.T) {
	live := &Live{Owner: liveOwner, Org: liveOrg}
	body := `{"name":"real-org-tools","url":"https://api.github.com/orgs/Real-Org/packages/container/real-org-tools",` +
		`"html_url":"https://github.com/orgs/Real-Org/packages/container/package/real-org-tools",` +
		`"owner":{"login":"Real-Org","url":"https://api.github.com/users/Real-Org","html_url":"https://github.com/Real-Org","type":"Organization"},` +
		`"repository":{"full_name":"Real-Org/octo-repo","html_url":"https://github.com/Real-Org/octo-repo","url":"https://api.github.com/repos/Real-Org/octo-repo",` +
		`"owner":{"login":"REAL-ORG"}},"description":"by real-owner, not xreal-org or real-org2","user":{"login":"Real-Owner"}}`
	want := `{"name":"real-org-tools","url":"https://api.github.com/orgs/octo-org/packages/container/real-org-tools",` +
		`"html_url":"https://github.com/orgs/octo-org/packages/container/package/real-org-tools",` +
		`"owner":{"login":"octo-org","url":"https://api.github.com/users/octo-org","html_url":"https://github.com/octo-org","type":"Organization"},` +
		`"repository":{"full_name":"octo-org/octo-repo","html_url":"https://github.com/octo-org/octo-repo","url":"https://api.github.com/repos/octo-org/octo-repo",` +
		`"owner":{"login":"octo-org"}},"description":"by octocat, not xreal-org or real-org2","user":{"login":"octocat"}}`
	resp := &http.Response{
		StatusCode: http.StatusOK,
		Header: http.Header{
			"Content-Length": {fmt.Sprint(len(body))},
			"Link":           {`<https://api.github.com/orgs/Real-Org/packages?page=2>; rel="next"`},
		},
		Body: io.NopCloser(strings.NewReader(body)),
	}
	got, err := live.anonymize(resp)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(got.Body)
	if string(raw) != want {
		t.Errorf("answer rewritten to\n%s\nwant\n%s", raw, want)
	}
	if link := got.Header.Get("Link"); link != `<https://api.github.com/orgs/octo-org/packages?page=2>; rel="next"` {
		t.Errorf("Link rewritten to %s", link)
	}
	if got.ContentLength != int64(len(want)) || got.Header.Get("Content-Length") != "" {
		t.Errorf("length %d, header %q; want %d and no header", got.ContentLength, got.Header.Get("Content-Length"), len(want))
	}
}

// liveGitHub is ghfake served over TLS as a stand-in for GitHub, holding
// the live owner's and organisation's packages, and a Live pointing at it.
func liveGitHub(t *testing.T, org string) (*ghfake.Server, *Live) {
	t.Helper()
	github := ghfake.New()
	github.AddToken(liveToken, "read:packages", "write:packages", "delete:packages")
	github.AddPackage(ghfake.Package{Owner: liveOwner, Type: lib.Type, Name: lib.Name})
	held := orgApp
	held.Owner = liveOrgHeld
	github.AddPackage(held)
	tlsServer := httptest.NewTLSServer(github)
	t.Cleanup(tlsServer.Close)
	live, err := NewLive(tlsServer.URL+"/api/v3/", liveToken, liveOwner, tlsServer.Client().Transport)
	if err != nil {
		t.Fatal(err)
	}
	live.Org = org
	return github, live
}

// exchange sends one request as the provider would and returns what came
// back: the request line, the status and the body.
func exchange(t testing.TB, srv *Server, method, path string) (string, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+Token)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %s %d", method, path, resp.StatusCode), body
}

// userAndOrgFlow restores the user's and the organisation's package, reads
// the organisation's by another spelling and lists its images.
var userAndOrgFlow = []struct{ method, path string }{
	{"GET", "/users/octocat/packages/npm/scope%2Flib"},
	{"POST", "/users/octocat/packages/npm/scope%2Flib/restore?token=pkg-secret"},
	{"GET", orgAppPath},
	{"POST", orgAppPath + "/restore?token=pkg-secret"},
	{"GET", orgAppPath},
	{"GET", "/orgs/Octo-Org/packages/container/octo-repo%2Focto-app"},
	{"GET", "/orgs/octo-org/packages?package_type=container"},
	{"GET", "/users/octocat/packages/npm/scope%2Flib"},
}

var wantUserAndOrgStatuses = []int{404, 204, 404, 204, 200, 200, 200, 200}

func runUserAndOrgFlow(t testing.TB, srv *Server) (transcript []string, orgBody []byte) {
	t.Helper()
	for i, step := range userAndOrgFlow {
		line, body := exchange(t, srv, step.method, step.path)
		if want := fmt.Sprintf("%s %s %d", step.method, step.path, wantUserAndOrgStatuses[i]); line != want {
			t.Errorf("got %s, want %s: %s", line, want, body)
		}
		if i == 4 {
			orgBody = body
		}
		transcript = append(transcript, line+" "+string(body))
	}
	return transcript, orgBody
}

// TestRecordUserAndOrgAgainstGitHubOverTLS records a user's and an
// organisation's packages in one test: GitHub sees the live names (the
// organisation also in another case), the answers and the cassette only
// the tests' names, and the cassette replays the same answers.
func TestRecordUserAndOrgAgainstGitHubOverTLS(t *testing.T) {
	github, live := liveGitHub(t, liveOrg)
	dir := t.TempDir()
	var recorded []string
	t.Run("record", func(t *testing.T) {
		srv := Start(t, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: "live-org", Live: live})
		srv.AddDeletedPackage(lib, time.Hour)
		srv.AddDeletedPackage(orgApp, time.Hour)
		var orgBody []byte
		recorded, orgBody = runUserAndOrgFlow(t, srv)

		type account struct {
			Login   string `json:"login"`
			URL     string `json:"url"`
			HTMLURL string `json:"html_url"`
		}
		var pkg struct {
			URL        string  `json:"url"`
			HTMLURL    string  `json:"html_url"`
			Owner      account `json:"owner"`
			Repository struct {
				FullName string  `json:"full_name"`
				URL      string  `json:"url"`
				HTMLURL  string  `json:"html_url"`
				Owner    account `json:"owner"`
			} `json:"repository"`
		}
		if err := json.Unmarshal(orgBody, &pkg); err != nil {
			t.Fatalf("%v: %s", err, orgBody)
		}
		for _, c := range []struct{ field, got, want string }{
			{"url", pkg.URL, "https://api.github.com" + orgAppPath},
			{"html_url", pkg.HTMLURL, "https://github.com/orgs/octo-org/packages/container/package/octo-repo%2Focto-app"},
			{"owner.login", pkg.Owner.Login, Org},
			{"owner.url", pkg.Owner.URL, "https://api.github.com/users/octo-org"},
			{"owner.html_url", pkg.Owner.HTMLURL, "https://github.com/octo-org"},
			{"repository.full_name", pkg.Repository.FullName, "octo-org/octo-repo"},
			{"repository.url", pkg.Repository.URL, "https://api.github.com/repos/octo-org/octo-repo"},
			{"repository.html_url", pkg.Repository.HTMLURL, "https://github.com/octo-org/octo-repo"},
			{"repository.owner.login", pkg.Repository.Owner.Login, Org},
		} {
			if c.got != c.want {
				t.Errorf("answer's %s = %q, want %q", c.field, c.got, c.want)
			}
		}
	})

	var seen []string
	for _, r := range github.Requests() {
		seen = append(seen, r.Method+" "+r.Path)
	}
	for _, want := range []string{
		"DELETE /users/real-owner/packages/npm/scope%2Flib",
		"DELETE /orgs/real-org/packages/container/octo-repo%2Focto-app",
		"POST /orgs/real-org/packages/container/octo-repo%2Focto-app/restore",
		"GET /orgs/REAL-ORG/packages/container/octo-repo%2Focto-app",
		"GET /orgs/real-org/packages",
	} {
		if !containsString(seen, want) {
			t.Errorf("GitHub did not see %s; it saw %q", want, seen)
		}
	}
	if joined := strings.Join(seen, "\n"); strings.Contains(joined, Owner) || strings.Contains(joined, Org) {
		t.Errorf("GitHub saw the tests' names:\n%s", joined)
	}

	raw, err := os.ReadFile(filepath.Join(dir, "live-org.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cassette := strings.ToLower(string(raw))
	for _, leak := range []string{liveToken, liveOwner, liveOrg, "pkg-secret"} {
		if strings.Contains(cassette, strings.ToLower(leak)) {
			t.Errorf("cassette holds %q:\n%s", leak, raw)
		}
	}
	for _, want := range []string{orgAppPath + "/restore?token=REDACTED", "/orgs/Octo-Org/packages/container/octo-repo%2Focto-app",
		"/orgs/octo-org/packages?package_type=container"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("cassette lacks %s:\n%s", want, raw)
		}
	}

	t.Run("replay", func(t *testing.T) {
		srv := Start(t, Options{Mode: ModeReplay, CassetteDir: dir, Cassette: "live-org"})
		replayed, _ := runUserAndOrgFlow(t, srv)
		if strings.Join(replayed, "\n") != strings.Join(recorded, "\n") {
			t.Errorf("replay answered\n%s\nrecording answered\n%s", strings.Join(replayed, "\n"), strings.Join(recorded, "\n"))
		}
	})
}

// TestGitHubIsPreparedWhenTheTestRuns: tests set up before
// resource.ParallelTest pauses them, so a second test's setup comes before
// the first test sends anything. Against GitHub, setup only takes effect at
// a test's first request, so the second cannot undo the first's deletion.
func TestGitHubIsPreparedWhenTheTestRuns(t *testing.T) {
	github, live := liveGitHub(t, liveOrg)
	dir := t.TempDir()
	deleting := Start(t, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: "deleting", Live: live})
	deleting.AddDeletedPackage(orgApp, time.Hour)
	adopting := Start(t, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: "adopting", Live: live})
	adopting.AddPackage(orgApp)
	if n := github.CountRequests(""); n != 0 {
		t.Fatalf("setup sent %d requests to GitHub before the tests ran: %v", n, github.Requests())
	}
	if line, body := exchange(t, deleting, "GET", orgAppPath); !strings.HasSuffix(line, " 404") {
		t.Errorf("first test: %s, want the package it deleted: %s", line, body)
	}
	if line, body := exchange(t, adopting, "GET", orgAppPath); !strings.HasSuffix(line, " 200") {
		t.Errorf("second test: %s, want the package it restored: %s", line, body)
	}
	before := github.CountRequests("")
	if line, _ := exchange(t, deleting, "GET", orgAppPath); !strings.HasSuffix(line, " 200") {
		t.Errorf("first test again: %s; want the second test's state, not a second preparation", line)
	}
	if n := github.CountRequests("") - before; n != 1 {
		t.Errorf("a later request sent %d requests to GitHub, want 1 (prepared once)", n)
	}

	// DeletePackage (a test's PreConfig) acts at once, after the setup.
	late := Start(t, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: "late", Live: live})
	late.AddPackage(orgApp)
	if err := late.DeletePackage(orgApp); err != nil {
		t.Fatal(err)
	}
	if line, _ := exchange(t, late, "GET", orgAppPath); !strings.HasSuffix(line, " 404") {
		t.Errorf("after DeletePackage: %s, want 404", line)
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// skipTB keeps the reason a recorded server skipped its test.
type skipTB struct {
	testing.TB
	reason string
}

func (s *skipTB) Skip(args ...any) {
	s.reason = fmt.Sprint(args...)
	s.TB.Skip(args...)
}

func (s *skipTB) Skipf(format string, args ...any) {
	s.reason = fmt.Sprintf(format, args...)
	s.TB.Skipf(format, args...)
}

// TestOrgPackagesSkipWithoutGHPKG_ACC_ORG: against GitHub without an
// organisation, a test of an organisation's package skips, naming
// GHPKG_ACC_ORG, before anything reaches GitHub or a cassette; a user's
// package still records, and a request for the organisation is refused.
func TestOrgPackagesSkipWithoutGHPKG_ACC_ORG(t *testing.T) {
	github, live := liveGitHub(t, "")
	dir := t.TempDir()
	for name, use := range map[string]func(*Server){
		"AddPackage":        func(s *Server) { s.AddPackage(orgApp) },
		"AddDeletedPackage": func(s *Server) { s.AddDeletedPackage(orgApp, time.Hour) },
		"DeletePackage":     func(s *Server) { _ = s.DeletePackage(orgApp) },
	} {
		tb := &skipTB{}
		reached := false
		t.Run(name, func(t *testing.T) {
			tb.TB = t
			use(Start(tb, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: name, Live: live}))
			reached = true
		})
		if reached || !tb.Skipped() || !strings.Contains(tb.reason, "GHPKG_ACC_ORG") {
			t.Errorf("%s of an organisation's package: reached end %v, skipped %v (%q); want a skip naming GHPKG_ACC_ORG",
				name, reached, tb.Skipped(), tb.reason)
		}
		if _, err := os.Stat(filepath.Join(dir, name+".yaml")); !os.IsNotExist(err) {
			t.Errorf("%s: the skipped test wrote a cassette (%v)", name, err)
		}
	}
	if n := github.CountRequests(""); n != 0 {
		t.Errorf("GitHub saw %d requests for skipped tests: %v", n, github.Requests())
	}

	t.Run("user package and an org request", func(t *testing.T) {
		srv := Start(t, Options{Mode: ModeRecord, CassetteDir: dir, Cassette: "user", Live: live})
		srv.AddPackage(lib)
		if line, body := exchange(t, srv, "GET", "/users/octocat/packages/npm/scope%2Flib"); !strings.HasSuffix(line, " 200") {
			t.Errorf("%s: %s", line, body)
		}
		line, body := exchange(t, srv, "GET", orgAppPath)
		if !strings.HasSuffix(line, " 502") || !strings.Contains(string(body), "GHPKG_ACC_ORG") {
			t.Errorf("request for the organisation: %s %s; want 502 naming GHPKG_ACC_ORG", line, body)
		}
	})
	for _, r := range github.Requests() {
		if strings.HasPrefix(r.Path, "/orgs/") {
			t.Errorf("GitHub saw %s %s without an organisation", r.Method, r.Path)
		}
	}
}

// TestOrgPackagesRunAgainstGhfake: the skip is for GitHub only; recording
// against ghfake and serving ghfake keep organisations' packages.
func TestOrgPackagesRunAgainstGhfake(t *testing.T) {
	for _, mode := range []Mode{ModeRecord, ModeEmulator} {
		t.Run(string(mode), func(t *testing.T) {
			srv := Start(t, Options{Mode: mode, CassetteDir: t.TempDir(), Cassette: "org"})
			srv.AddDeletedPackage(orgApp, time.Hour)
			if _, body := exchange(t, srv, "POST", orgAppPath+"/restore"); len(body) != 0 {
				t.Errorf("restore answered %s", body)
			}
			if err := srv.DeletePackage(orgApp); err != nil {
				t.Fatal(err)
			}
			if line, body := exchange(t, srv, "GET", orgAppPath); !strings.HasSuffix(line, " 404") {
				t.Errorf("%s: %s", line, body)
			}
		})
	}
}

func TestOptionsFromEnvReadsOrg(t *testing.T) {
	for _, tc := range []struct {
		org, want, wantErr string
	}{
		{"", "", ""},
		{"my-org", "my-org", ""},
		{" my-org\n", "my-org", ""},
		{"Me", "", "GHPKG_ACC_ORG"},
	} {
		t.Run(fmt.Sprintf("%q", tc.org), func(t *testing.T) {
			for key, value := range map[string]string{"VCR_MODE": "RECORD_ONLY", "VCR_PATH": "", "GHPKG_ACC_TARGET": "github",
				"GITHUB_TOKEN": "x", "GHPKG_ACC_OWNER": "me", "GITHUB_BASE_URL": "", "GHPKG_ACC_ORG": tc.org} {
				t.Setenv(key, value)
			}
			opts, err := OptionsFromEnv()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || opts.Live == nil || opts.Live.Org != tc.want {
				t.Fatalf("OptionsFromEnv() = %+v, %v; want Live.Org %q", opts, err, tc.want)
			}
		})
	}
	t.Run("ignored against ghfake", func(t *testing.T) {
		for _, key := range []string{"VCR_MODE", "VCR_PATH", "GHPKG_ACC_TARGET", "GITHUB_TOKEN", "GHPKG_ACC_OWNER", "GITHUB_BASE_URL"} {
			t.Setenv(key, "")
		}
		t.Setenv("GHPKG_ACC_ORG", "my-org")
		if opts, err := OptionsFromEnv(); err != nil || opts.Live != nil || opts.Mode != ModeReplay {
			t.Fatalf("OptionsFromEnv() = %+v, %v", opts, err)
		}
	})
}
