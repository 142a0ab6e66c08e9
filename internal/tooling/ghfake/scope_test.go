package ghfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// decode reads a JSON answer into a generic value.
func decode[T any](t *testing.T, resp *http.Response) T {
	t.Helper()
	var v T
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("decoding the answer: %v", err)
	}
	return v
}

// field follows a path of object keys through a decoded answer.
func field(v map[string]any, path ...string) any {
	var cur any = v
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

var orgApp = Package{Org: true, Owner: "octo-org", Type: "npm", Name: "app"}

func TestOrgPackageRoutes(t *testing.T) {
	t.Parallel()
	userApp := Package{Owner: "octo-org", Type: "npm", Name: "app"} // a user of the same name
	cases := []struct {
		name         string
		setup        func(*Server)
		method, path string
		status       int
		// orgActive and userActive: whether each package is active after.
		orgActive, userActive bool
	}{
		{"get", func(s *Server) { s.AddPackage(orgApp) }, "GET", "/orgs/octo-org/packages/npm/app", 200, true, false},
		{"get with enterprise prefix", func(s *Server) { s.AddPackage(orgApp) },
			"GET", "/api/v3/orgs/octo-org/packages/npm/app", 200, true, false},
		{"get ignores the org's case", func(s *Server) { s.AddPackage(orgApp) },
			"GET", "/orgs/Octo-Org/packages/npm/app", 200, true, false},
		{"get does not ignore the name's case", func(s *Server) { s.AddPackage(orgApp) },
			"GET", "/orgs/octo-org/packages/npm/App", 404, true, false},
		{"get of a deleted package", func(s *Server) { s.AddDeletedPackage(orgApp, time.Hour) },
			"GET", "/orgs/octo-org/packages/npm/app", 404, false, false},
		{"get does not find the user's package", func(s *Server) { s.AddPackage(userApp) },
			"GET", "/orgs/octo-org/packages/npm/app", 404, false, true},
		{"delete", func(s *Server) { s.AddPackage(orgApp); s.AddPackage(userApp) },
			"DELETE", "/orgs/OCTO-ORG/packages/npm/app", 204, false, true},
		{"delete of a missing package", func(s *Server) { s.AddPackage(userApp) },
			"DELETE", "/orgs/octo-org/packages/npm/app", 404, false, true},
		{"restore deleted yesterday", func(s *Server) { s.AddDeletedPackage(orgApp, 24*time.Hour) },
			"POST", "/orgs/octo-org/packages/npm/app/restore", 204, true, false},
		{"restore deleted 31 days ago", func(s *Server) { s.AddDeletedPackage(orgApp, RestoreWindow+time.Hour) },
			"POST", "/orgs/octo-org/packages/npm/app/restore", 404, false, false},
		{"restore window on the emulator clock", func(s *Server) {
			s.AddDeletedPackage(orgApp, 24*time.Hour)
			s.Advance(RestoreWindow)
		}, "POST", "/orgs/octo-org/packages/npm/app/restore", 404, false, false},
		{"restore of a name taken by a new package", func(s *Server) {
			s.AddDeletedPackage(orgApp, time.Hour)
			s.AddPackage(orgApp)
		}, "POST", "/orgs/octo-org/packages/npm/app/restore", 404, true, false},
		{"restore once the new package is deleted", func(s *Server) {
			s.AddDeletedPackage(orgApp, time.Hour)
			s.AddPackage(orgApp)
			_ = s.DeletePackage(orgApp) // the status below tells whether it worked
		}, "POST", "/orgs/octo-org/packages/npm/app/restore", 204, true, false},
		{"a user's active package does not take the org's name", func(s *Server) {
			s.AddDeletedPackage(orgApp, time.Hour)
			s.AddPackage(userApp)
		}, "POST", "/orgs/octo-org/packages/npm/app/restore", 204, true, true},
		{"restore under /users leaves the org's package deleted", func(s *Server) {
			s.AddDeletedPackage(orgApp, time.Hour)
		}, "POST", "/users/octo-org/packages/npm/app/restore", 404, false, false},
		{"restore never existed", func(*Server) {}, "POST", "/orgs/octo-org/packages/npm/app/restore", 404, false, false},
		{"wrong method", func(s *Server) { s.AddPackage(orgApp) }, "PUT", "/orgs/octo-org/packages/npm/app", 404, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t)
			tc.setup(fake)
			if tc.method == "PUT" { // not in the contract: ask the emulator directly
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(tc.method, tc.path, nil)
				req.Header.Set("Authorization", "Bearer full")
				fake.ServeHTTP(rec, req)
				if rec.Code != tc.status {
					t.Fatalf("%s %s answered %d, want %d", tc.method, tc.path, rec.Code, tc.status)
				}
			} else if got := send(t, ts, tc.method, tc.path, "full").StatusCode; got != tc.status {
				t.Fatalf("%s %s answered %d, want %d", tc.method, tc.path, got, tc.status)
			}
			if _, active := fake.Lookup(orgApp); active != tc.orgActive {
				t.Errorf("org package active: %v, want %v", active, tc.orgActive)
			}
			if _, active := fake.Lookup(userApp); active != tc.userActive {
				t.Errorf("user package active: %v, want %v", active, tc.userActive)
			}
		})
	}
}

func TestOrgListVisibilityAndPagination(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	for i := range 25 { // 13 public, 12 private
		fake.AddPackage(Package{Org: true, Owner: "octo-org", Type: "maven", Name: fmt.Sprintf("lib-%02d", i),
			Visibility: map[bool]string{true: "public", false: "private"}[i%2 == 0]})
	}
	fake.AddPackage(Package{Owner: "octo-org", Type: "maven", Name: "user-lib", Visibility: "public"})
	fake.AddPackage(Package{Org: true, Owner: "other-org", Type: "maven", Name: "lib", Visibility: "public"})
	fake.AddPackage(Package{Org: true, Owner: "octo-org", Type: "npm", Name: "js", Visibility: "public"})

	cases := []struct {
		name, query string
		count       int
		link        []string // substrings the Link header holds; nil: no header
		noNext      bool
	}{
		{"all on one page", "package_type=maven", 25, nil, true},
		{"public, first page", "package_type=maven&visibility=public&per_page=5", 5,
			[]string{`page=2&per_page=5&visibility=public>; rel="next"`, `page=3&per_page=5&visibility=public>; rel="last"`}, false},
		{"public, last page", "package_type=maven&visibility=public&per_page=5&page=3", 3,
			[]string{`rel="prev"`, `rel="first"`}, true},
		{"private", "package_type=maven&visibility=private&per_page=100", 12, nil, true},
		{"other type", "package_type=npm", 1, nil, true},
		{"empty", "package_type=container", 0, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, org := range []string{"octo-org", "Octo-Org"} {
				resp := send(t, ts, "GET", "/orgs/"+org+"/packages?"+tc.query, "read")
				body := decode[[]map[string]any](t, resp)
				if resp.StatusCode != 200 || len(body) != tc.count {
					t.Fatalf("%s: %d with %d packages, want 200 with %d", org, resp.StatusCode, len(body), tc.count)
				}
				for _, p := range body {
					if field(p, "owner", "type") != "Organization" || field(p, "owner", "login") != "octo-org" {
						t.Errorf("%s: listed a package of %v %v", org, field(p, "owner", "type"), field(p, "owner", "login"))
					}
				}
				link := resp.Header.Get("Link")
				if tc.link == nil && link != "" {
					t.Errorf("%s: Link %q, want none", org, link)
				}
				for _, want := range tc.link {
					if !strings.Contains(link, want) || !strings.Contains(link, "/orgs/"+org+"/packages?") {
						t.Errorf("%s: Link %q lacks %q", org, link, want)
					}
				}
				if tc.noNext && strings.Contains(link, `rel="next"`) {
					t.Errorf("%s: Link %q has a next page", org, link)
				}
			}
		})
	}
	if got := send(t, ts, "GET", "/orgs/octo-org/packages?package_type=maven&per_page=100&page=101", "read").StatusCode; got != 400 {
		t.Fatalf("page beyond 10000 packages answered %d, want 400", got)
	}
}

func TestAuthenticatedUserNamespace(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		login string // "" keeps the default
		// want is the owner whose package /user/... finds, "" for none.
		want string
	}{
		{"default login", "", "octocat"},
		{"named login", "mona", "mona"},
		{"login in another case", "MONA", "MONA"},
		{"login without packages", "hubot", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t)
			if tc.login != "" {
				fake.SetLogin("full", tc.login)
			}
			for _, owner := range []string{"octocat", "mona"} {
				fake.AddPackage(Package{Owner: owner, Type: "npm", Name: "app"})
				fake.AddDeletedPackage(Package{Owner: owner, Type: "npm", Name: "old"}, time.Hour)
			}
			fake.AddPackage(Package{Org: true, Owner: "octocat", Type: "npm", Name: "org-app"})

			resp := send(t, ts, "GET", "/user/packages/npm/app", "full")
			if tc.want == "" {
				if resp.StatusCode != 404 {
					t.Fatalf("GET answered %d, want 404", resp.StatusCode)
				}
				return
			}
			got := decode[map[string]any](t, resp)
			if !strings.EqualFold(fmt.Sprint(field(got, "owner", "login")), tc.want) || field(got, "owner", "type") != "User" ||
				!strings.HasPrefix(fmt.Sprint(got["url"]), "https://api.github.com/users/") {
				t.Fatalf("GET found %v's package (%v, %v), want %s's", field(got, "owner", "login"),
					field(got, "owner", "type"), got["url"], tc.want)
			}
			list := decode[[]map[string]any](t, send(t, ts, "GET", "/api/v3/user/packages?package_type=npm", "full"))
			if len(list) != 1 || list[0]["name"] != "app" {
				t.Errorf("list holds %d packages, want %s's app alone", len(list), tc.want)
			}
			if got := send(t, ts, "POST", "/user/packages/npm/old/restore", "full").StatusCode; got != 204 {
				t.Errorf("restore answered %d, want 204", got)
			}
			if got := send(t, ts, "DELETE", "/user/packages/npm/app", "full").StatusCode; got != 204 {
				t.Errorf("delete answered %d, want 204", got)
			}
			for _, owner := range []string{"octocat", "mona"} {
				mine := strings.EqualFold(owner, tc.want)
				if _, ok := fake.Lookup(Package{Owner: owner, Type: "npm", Name: "old"}); ok != mine {
					t.Errorf("%s's old package active: %v, want %v", owner, ok, mine)
				}
				if _, ok := fake.Lookup(Package{Owner: owner, Type: "npm", Name: "app"}); ok == mine {
					t.Errorf("%s's app package active: %v, want %v", owner, ok, !mine)
				}
			}
		})
	}
}

func TestSetLoginBeforeAddToken(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	fake.SetLogin("late", "mona")
	if got := send(t, ts, "GET", "/user/packages?package_type=npm", "late").StatusCode; got != 401 {
		t.Fatalf("a token with a login but never added answered %d, want 401", got)
	}
	fake.AddToken("late", "read:packages")
	fake.AddPackage(Package{Owner: "mona", Type: "npm", Name: "app"})
	if got := send(t, ts, "GET", "/user/packages/npm/app", "late").StatusCode; got != 200 {
		t.Fatalf("GET of mona's package answered %d, want 200", got)
	}
}

func TestUserAndOrgOfSameNameKeptApart(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	user := fake.AddPackage(Package{Owner: "octo", Type: "npm", Name: "app", Visibility: "private"})
	org := fake.AddPackage(Package{Org: true, Owner: "Octo", Type: "npm", Name: "app", Visibility: "public"})
	if user.ID == org.ID {
		t.Fatalf("both packages got ID %d", user.ID)
	}
	for _, tc := range []struct {
		path      string
		id        int64
		ownerType string
	}{
		{"/users/octo/packages/npm/app", user.ID, "User"},
		{"/orgs/octo/packages/npm/app", org.ID, "Organization"},
	} {
		got := decode[map[string]any](t, send(t, ts, "GET", tc.path, "full"))
		if got["id"] != float64(tc.id) || field(got, "owner", "type") != tc.ownerType {
			t.Errorf("%s: id %v owner %v, want %d %s", tc.path, got["id"], field(got, "owner", "type"), tc.id, tc.ownerType)
		}
	}
	userOwner := field(decode[map[string]any](t, send(t, ts, "GET", "/users/octo/packages/npm/app", "full")), "owner", "id")
	orgOwner := field(decode[map[string]any](t, send(t, ts, "GET", "/orgs/octo/packages/npm/app", "full")), "owner", "id")
	if userOwner == orgOwner {
		t.Errorf("the user and the organisation share the owner id %v", userOwner)
	}
	if err := fake.DeletePackage(Package{Org: true, Owner: "OCTO", Type: "npm", Name: "app"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := fake.Lookup(Package{Owner: "octo", Type: "npm", Name: "app"}); !ok {
		t.Fatal("deleting the org's package deleted the user's")
	}
	err := fake.DeletePackage(Package{Org: true, Owner: "octo", Type: "npm", Name: "app"})
	if err == nil || !strings.Contains(err.Error(), "orgs/octo/npm/app") {
		t.Fatalf("second delete: %v, want an error naming orgs/octo/npm/app", err)
	}
	if got := send(t, ts, "GET", "/users/octo/packages/npm/app", "full").StatusCode; got != 200 {
		t.Fatalf("GET of the user's package answered %d, want 200", got)
	}
}
