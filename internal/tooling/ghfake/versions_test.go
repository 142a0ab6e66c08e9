package ghfake

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// versionScopes are the three namespaces, each with the package the tests
// store and the path prefix that reaches it (the "full" token's login is
// DefaultLogin, octocat).
var versionScopes = []struct {
	name, prefix string
	pkg          Package
}{
	{"orgs", "/orgs/octo-org/packages", Package{Org: true, Owner: "octo-org", Type: "npm", Name: "app"}},
	{"users", "/users/octocat/packages", Package{Owner: "octocat", Type: "npm", Name: "app"}},
	{"user", "/user/packages", Package{Owner: "octocat", Type: "npm", Name: "app"}},
}

func TestVersionRoutes(t *testing.T) {
	t.Parallel()
	// Each setup stores the package and returns the version id the request
	// names; active is whether that version is active afterwards.
	cases := []struct {
		name   string
		setup  func(s *Server, p Package) int64
		method string
		suffix string // after /versions/{id}
		token  string
		status int
		active bool
	}{
		{"get", func(s *Server, p Package) int64 { return s.AddVersion(s.AddPackage(p), Version{Name: "1.0.0"}).ID },
			"GET", "", "read", 200, true},
		{"get of a deleted version", func(s *Server, p Package) int64 {
			return s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, time.Hour).ID
		}, "GET", "", "read", 404, false},
		{"get of an unknown id", func(s *Server, p Package) int64 { s.AddPackage(p); return 9999 },
			"GET", "", "read", 404, false},
		{"get of another package's version", func(s *Server, p Package) int64 {
			s.AddPackage(p)
			other := p
			other.Name = "other"
			return s.AddVersion(s.AddPackage(other), Version{Name: "1.0.0"}).ID
		}, "GET", "", "read", 404, false}, // not a version of app
		{"get of a version of a deleted package", func(s *Server, p Package) int64 {
			id := s.AddVersion(s.AddPackage(p), Version{Name: "1.0.0"}).ID
			_ = s.DeletePackage(p)
			return id
		}, "GET", "", "read", 404, true}, // the version stays active in the deleted package
		{"delete", func(s *Server, p Package) int64 { return s.AddVersion(s.AddPackage(p), Version{Name: "1.0.0"}).ID },
			"DELETE", "", "full", 204, false},
		{"delete needs delete:packages", func(s *Server, p Package) int64 {
			return s.AddVersion(s.AddPackage(p), Version{Name: "1.0.0"}).ID
		}, "DELETE", "", "read", 403, true},
		{"delete of a deleted version", func(s *Server, p Package) int64 {
			return s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, time.Hour).ID
		}, "DELETE", "", "full", 404, false},
		{"restore deleted yesterday", func(s *Server, p Package) int64 {
			return s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, 24*time.Hour).ID
		}, "POST", "/restore", "full", 204, true},
		{"restore deleted 30 days ago", func(s *Server, p Package) int64 {
			return s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, RestoreWindow).ID
		}, "POST", "/restore", "full", 204, true},
		{"restore deleted 31 days ago", func(s *Server, p Package) int64 {
			return s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, RestoreWindow+time.Hour).ID
		}, "POST", "/restore", "full", 404, false},
		{"restore window on the emulator clock", func(s *Server, p Package) int64 {
			id := s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, 24*time.Hour).ID
			s.Advance(RestoreWindow)
			return id
		}, "POST", "/restore", "full", 404, false},
		{"restore needs write:packages", func(s *Server, p Package) int64 {
			return s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, time.Hour).ID
		}, "POST", "/restore", "read", 403, false},
		{"restore of an active version", func(s *Server, p Package) int64 {
			return s.AddVersion(s.AddPackage(p), Version{Name: "1.0.0"}).ID
		}, "POST", "/restore", "full", 404, true},
		{"restore of an unknown id", func(s *Server, p Package) int64 { s.AddPackage(p); return 9999 },
			"POST", "/restore", "full", 404, false},
		{"restore in a deleted package", func(s *Server, p Package) int64 {
			id := s.AddDeletedVersion(s.AddPackage(p), Version{Name: "1.0.0"}, time.Hour).ID
			_ = s.DeletePackage(p)
			return id
		}, "POST", "/restore", "full", 404, false},
		{"restore of a version name taken by an active version", func(s *Server, p Package) int64 {
			stored := s.AddPackage(p)
			id := s.AddDeletedVersion(stored, Version{Name: "1.0.0"}, time.Hour).ID
			s.AddVersion(stored, Version{Name: "1.0.0"})
			return id
		}, "POST", "/restore", "full", 404, false},
		{"restore after the package's restore", func(s *Server, p Package) int64 {
			stored := s.AddDeletedPackage(p, time.Hour)
			id := s.AddDeletedVersion(stored, Version{Name: "1.0.0"}, time.Hour).ID
			s.store.mu.Lock()
			defer s.store.mu.Unlock()
			if !s.store.restore(p.key()) {
				panic("package restore failed")
			}
			return id
		}, "POST", "/restore", "full", 204, true},
		{"wrong method", func(s *Server, p Package) int64 { return s.AddVersion(s.AddPackage(p), Version{Name: "1.0.0"}).ID },
			"PUT", "", "full", 404, true},
	}
	for _, sc := range versionScopes {
		for _, tc := range cases {
			t.Run(sc.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				fake, ts := newTestServer(t)
				id := tc.setup(fake, sc.pkg)
				path := fmt.Sprintf("%s/%s/%s/versions/%d%s", sc.prefix, sc.pkg.Type, sc.pkg.Name, id, tc.suffix)
				if got := sendAnyMethod(t, fake, ts, tc.method, path, tc.token); got != tc.status {
					t.Fatalf("%s %s answered %d, want %d", tc.method, path, got, tc.status)
				}
				if _, active := fake.LookupVersion(lookupTarget(fake, sc.pkg), id); active != tc.active {
					t.Errorf("version %d active: %v, want %v", id, active, tc.active)
				}
			})
		}
	}
}

// sendAnyMethod sends through the contract check, or for a method the
// contract does not know, to the emulator directly; it returns the status.
func sendAnyMethod(t *testing.T, fake *Server, ts *httptest.Server, method, path, token string) int {
	t.Helper()
	if method != "PUT" && method != "PATCH" {
		return send(t, ts, method, path, token).StatusCode
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	fake.ServeHTTP(rec, req)
	return rec.Code
}

// lookupTarget names the package a version test stored: the active one, or
// else the latest stored of that name (deleted).
func lookupTarget(s *Server, p Package) Package {
	if active, ok := s.Lookup(p); ok {
		return active
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if latest := s.store.latestDeleted(p.key()); latest != nil {
		return *latest
	}
	return p
}

func TestVersionListing(t *testing.T) {
	t.Parallel()
	type want struct {
		count  int
		link   []string // substrings of the Link header; nil: no header
		noNext bool
	}
	cases := []struct {
		name, query string
		paged       want // under /orgs and /user
		users       want // under /users/{username}: no parameters
	}{
		{"default", "", want{30, []string{`page=2>; rel="next"`, `page=4>; rel="last"`}, false}, want{105, nil, true}},
		{"active, second page", "state=active&page=2",
			want{30, []string{`page=1&state=active>; rel="prev"`, `page=3&state=active>; rel="next"`,
				`page=4&state=active>; rel="last"`, `page=1&state=active>; rel="first"`}, false}, want{105, nil, true}},
		{"last page", "per_page=50&page=3", want{5, []string{`rel="prev"`, `rel="first"`}, true}, want{105, nil, true}},
		{"per_page capped at 100", "per_page=500", want{100, []string{`page=2&per_page=500>; rel="last"`}, false},
			want{105, nil, true}},
		{"beyond the last page", "per_page=100&page=9", want{0, []string{`rel="prev"`}, true}, want{105, nil, true}},
		{"deleted", "state=deleted", want{3, nil, true}, want{105, nil, true}},
		{"deleted, paged", "state=deleted&per_page=2&page=2", want{1, []string{`rel="prev"`}, true}, want{105, nil, true}},
	}
	for _, sc := range versionScopes {
		for _, tc := range cases {
			t.Run(sc.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				fake, ts := newTestServer(t)
				stored := fake.AddPackage(sc.pkg)
				for i := range 105 {
					fake.AddVersion(stored, Version{Name: fmt.Sprintf("1.0.%d", i)})
				}
				for i := range 3 {
					fake.AddDeletedVersion(stored, Version{Name: fmt.Sprintf("0.9.%d", i)}, time.Duration(i+1)*24*time.Hour)
				}
				fake.AddDeletedVersion(stored, Version{Name: "0.1.0"}, RestoreWindow+time.Hour) // purged
				other := sc.pkg
				other.Name = "other"
				fake.AddVersion(fake.AddPackage(other), Version{Name: "9.9.9"})

				w := tc.paged
				if sc.name == "users" {
					w = tc.users
				}
				path := sc.prefix + "/npm/app/versions"
				if tc.query != "" {
					path += "?" + tc.query
				}
				resp := send(t, ts, "GET", path, "read")
				body := decode[[]map[string]any](t, resp)
				if resp.StatusCode != 200 || len(body) != w.count {
					t.Fatalf("GET %s: %d with %d versions, want 200 with %d", path, resp.StatusCode, len(body), w.count)
				}
				deleted := strings.Contains(tc.query, "state=deleted") && sc.name != "users"
				for _, v := range body {
					name := fmt.Sprint(v["name"])
					if _, has := v["deleted_at"]; has != deleted || strings.HasPrefix(name, "0.9.") != deleted {
						t.Errorf("listed %s (deleted_at %v), want only %s versions", name, v["deleted_at"],
							map[bool]string{true: "deleted", false: "active"}[deleted])
					}
				}
				link := resp.Header.Get("Link")
				if w.link == nil && link != "" {
					t.Errorf("Link %q, want none", link)
				}
				for _, sub := range w.link {
					if !strings.Contains(link, sub) || !strings.Contains(link, sc.prefix+"/npm/app/versions?") {
						t.Errorf("Link %q lacks %q", link, sub)
					}
				}
				if w.noNext && strings.Contains(link, `rel="next"`) {
					t.Errorf("Link %q has a next page", link)
				}
			})
		}
	}
}

func TestVersionListingOfMissingPackage(t *testing.T) {
	t.Parallel()
	for _, sc := range versionScopes {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t)
			fake.AddVersion(fake.AddPackage(sc.pkg), Version{Name: "1.0.0"})
			if err := fake.DeletePackage(sc.pkg); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{sc.prefix + "/npm/app/versions", sc.prefix + "/npm/app/versions?state=deleted",
				sc.prefix + "/npm/never/versions"} {
				if sc.name == "users" && strings.Contains(path, "?") {
					continue // no parameters there
				}
				if got := send(t, ts, "GET", path, "read").StatusCode; got != 404 {
					t.Errorf("GET %s answered %d, want 404", path, got)
				}
			}
		})
	}
}

func TestVersionListingRejectsUnknownState(t *testing.T) {
	t.Parallel()
	fake := New()
	fake.AddToken("read", "read:packages")
	fake.AddVersion(fake.AddPackage(versionScopes[0].pkg), Version{Name: "1.0.0"})
	rec := httptest.NewRecorder() // not through the contract: the request breaks it
	req := httptest.NewRequest("GET", "/orgs/octo-org/packages/npm/app/versions?state=all", nil)
	req.Header.Set("Authorization", "Bearer read")
	fake.ServeHTTP(rec, req)
	if rec.Code != 400 {
		t.Fatalf("state=all answered %d, want 400", rec.Code)
	}
}
