package ghfake

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

const digest = "sha256:b3d3e366b55f9a54599220198b3db5da8f53592acbbb7dc7e4e9878762fc5344"

func TestRenderVersion(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		pkg     Package
		version Version
		prefix  string            // the scope's path to the package
		want    map[string]string // dotted field path → value
		absent  []string          // dotted field paths the answer lacks
	}{
		{"org container with tags", Package{Org: true, Owner: "octo-org", Type: "container", Name: "repo/app"},
			Version{Name: digest, Tags: []string{"latest", "1.4"}}, "/orgs/Octo-Org/packages/container/repo%2Fapp",
			map[string]string{
				"id":                      "5001",
				"name":                    digest,
				"url":                     "https://api.github.com/orgs/octo-org/packages/container/repo%2Fapp/versions/5001",
				"package_html_url":        "https://github.com/orgs/octo-org/packages/container/package/repo%2Fapp",
				"html_url":                "https://github.com/orgs/octo-org/packages/container/repo%2Fapp/5001",
				"created_at":              "2026-01-05T09:00:00Z",
				"updated_at":              "2026-01-05T09:00:00Z",
				"metadata.package_type":   "container",
				"metadata.container.tags": "[latest 1.4]",
			}, []string{"deleted_at", "metadata.docker"}},
		{"user container without tags", Package{Owner: "octocat", Type: "container", Name: "app"},
			Version{Name: digest}, "/users/octocat/packages/container/app",
			map[string]string{
				"url":                     "https://api.github.com/users/octocat/packages/container/app/versions/5001",
				"package_html_url":        "https://github.com/users/octocat/packages/container/package/app",
				"metadata.container.tags": "[]",
			}, []string{"deleted_at"}},
		{"docker tags under both names", Package{Owner: "octocat", Type: "docker", Name: "app"},
			Version{Name: digest, Tags: []string{"v1"}}, "/user/packages/docker/app",
			map[string]string{
				"url":                   "https://api.github.com/users/octocat/packages/docker/app/versions/5001",
				"metadata.package_type": "docker",
				"metadata.docker.tag":   "[v1]",
				"metadata.docker.tags":  "[v1]",
			}, []string{"metadata.container"}},
		{"npm without tags", Package{Owner: "octocat", Type: "npm", Name: "app"},
			Version{Name: "1.4.2", Tags: []string{"ignored"}, CreatedAt: Epoch.Add(-time.Hour)}, "/user/packages/npm/app",
			map[string]string{
				"name":                  "1.4.2",
				"metadata.package_type": "npm",
				"created_at":            "2026-01-05T08:00:00Z",
				"updated_at":            "2026-01-05T08:00:00Z",
			}, []string{"metadata.container", "metadata.docker", "deleted_at"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t) // the contract checks every answer
			v := fake.AddVersion(fake.AddPackage(tc.pkg), tc.version)
			get := decode[map[string]any](t, send(t, ts, "GET", fmt.Sprintf("%s/versions/%d", tc.prefix, v.ID), "read"))
			list := decode[[]map[string]any](t, send(t, ts, "GET", tc.prefix+"/versions", "read"))
			if len(list) != 1 {
				t.Fatalf("listed %d versions, want 1", len(list))
			}
			for _, got := range []map[string]any{get, list[0]} {
				for path, want := range tc.want {
					if v := fmt.Sprint(field(got, strings.Split(path, ".")...)); v != want {
						t.Errorf("%s = %q, want %q", path, v, want)
					}
				}
				for _, path := range tc.absent {
					if v := field(got, strings.Split(path, ".")...); v != nil {
						t.Errorf("%s = %v, want it absent", path, v)
					}
				}
			}
		})
	}
}

func TestRenderDeletedVersion(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	v := fake.AddDeletedVersion(fake.AddPackage(orgApp), Version{Name: "1.0.0"}, 2*time.Hour)
	list := decode[[]map[string]any](t, send(t, ts, "GET", "/orgs/octo-org/packages/npm/app/versions?state=deleted", "read"))
	if len(list) != 1 || list[0]["id"] != float64(v.ID) {
		t.Fatalf("deleted listing %v, want version %d", list, v.ID)
	}
	for f, want := range map[string]string{"deleted_at": "2026-01-05T07:00:00Z", "created_at": "2026-01-05T07:00:00Z"} {
		if list[0][f] != want {
			t.Errorf("%s = %v, want %s", f, list[0][f], want)
		}
	}
}

func TestVersionCount(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "plain", VersionCount: 7})
	stored := fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "versioned", VersionCount: 7})
	first := fake.AddVersion(stored, Version{Name: "1.0.0"})
	fake.AddVersion(stored, Version{Name: "1.1.0"})
	fake.AddDeletedVersion(stored, Version{Name: "0.9.0"}, time.Hour)
	count := func(name string) (get, list, lookup any) {
		get = decode[map[string]any](t, send(t, ts, "GET", "/users/octocat/packages/npm/"+name, "read"))["version_count"]
		for _, p := range decode[[]map[string]any](t, send(t, ts, "GET", "/user/packages?package_type=npm", "read")) {
			if p["name"] == name {
				list = p["version_count"]
			}
		}
		p, _ := fake.Lookup(Package{Owner: "octocat", Type: "npm", Name: name})
		return get, list, float64(p.VersionCount)
	}
	for _, tc := range []struct {
		name string
		want float64
		step func()
	}{
		{"plain", 7, func() {}},
		{"versioned", 2, func() {}},
		{"versioned", 1, func() { _ = fake.DeleteVersion(stored, first.ID) }},
	} {
		tc.step()
		if get, list, lookup := count(tc.name); get != tc.want || list != tc.want || lookup != tc.want {
			t.Errorf("%s: version_count get %v list %v Lookup %v, want %v", tc.name, get, list, lookup, tc.want)
		}
	}
}

func TestVersionRestoreLag(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	v := fake.AddDeletedVersion(fake.AddPackage(orgApp), Version{Name: "1.0.0"}, time.Hour)
	fake.SetRestoreLag(2)
	path := fmt.Sprintf("/orgs/octo-org/packages/npm/app/versions/%d", v.ID)
	if got := send(t, ts, "POST", path+"/restore", "full").StatusCode; got != 204 {
		t.Fatalf("restore answered %d, want 204", got)
	}
	var got []int
	for range 3 {
		got = append(got, send(t, ts, "GET", path, "read").StatusCode)
	}
	if fmt.Sprint(got) != "[404 404 200]" {
		t.Fatalf("GETs after restore answered %v, want [404 404 200]", got)
	}
	if pkg := send(t, ts, "GET", "/orgs/octo-org/packages/npm/app", "read").StatusCode; pkg != 200 {
		t.Fatalf("the package's GET answered %d: a version restore must not hide it", pkg)
	}
}

func TestAuthenticatedUser(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, login, path, token string
		status                   int
	}{
		{"default login", "", "/user", "read", 200},
		{"named login", "Mona", "/api/v3/user", "full", 200},
		{"no token", "", "/user", "", 401},
		{"unknown token", "", "/user", "nope", 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t) // GET /user is the contract check's exception
			want := DefaultLogin
			if tc.login != "" {
				fake.SetLogin(tc.token, tc.login)
				want = tc.login
			}
			resp := send(t, ts, "GET", tc.path, tc.token)
			if resp.StatusCode != tc.status {
				t.Fatalf("GET %s answered %d, want %d", tc.path, resp.StatusCode, tc.status)
			}
			if tc.status != 200 {
				return
			}
			got := decode[map[string]any](t, resp)
			if got["login"] != want || got["type"] != "User" || got["id"] != float64(userID(want)) ||
				got["url"] != "https://api.github.com/users/"+want || got["site_admin"] != false {
				t.Fatalf("GET %s: %v, want %s's simple-user", tc.path, got, want)
			}
		})
	}
	fake := New()
	fake.AddToken("full", "read:packages")
	for _, method := range []string{"POST", "PATCH", "DELETE"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, "/user", nil)
		req.Header.Set("Authorization", "Bearer full")
		fake.ServeHTTP(rec, req)
		if rec.Code != 404 {
			t.Errorf("%s /user answered %d, want 404", method, rec.Code)
		}
	}
}

func TestVersionSSO(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	v := fake.AddVersion(fake.AddPackage(orgApp), Version{Name: "1.0.0"})
	fake.RequireSSO("octo-org")
	path := fmt.Sprintf("/orgs/octo-org/packages/npm/app/versions/%d", v.ID)
	resp := send(t, ts, "GET", path, "full")
	if resp.StatusCode != 403 || resp.Header.Get("X-GitHub-SSO") == "" {
		t.Fatalf("GET %s under SSO answered %d, X-GitHub-SSO %q", path, resp.StatusCode, resp.Header.Get("X-GitHub-SSO"))
	}
	fake.AuthorizeSSO("full", "octo-org")
	if got := send(t, ts, "GET", path, "full").StatusCode; got != 200 {
		t.Fatalf("GET %s once authorised answered %d", path, got)
	}
}

func TestVersionAPI(t *testing.T) {
	t.Parallel()
	fake := New()
	pkg := fake.AddPackage(orgApp)
	tags := []string{"latest"}
	a := fake.AddVersion(Package{Org: true, Owner: "OCTO-ORG", Type: "npm", Name: "app"}, Version{Name: "1.0.0", Tags: tags})
	tags[0] = "changed"
	b := fake.AddDeletedVersion(pkg, Version{Name: "0.9.0"}, time.Hour)
	other := fake.AddPackage(Package{Owner: "octocat", Type: "npm", Name: "app"})
	if a.ID != 5001 || b.ID != 5002 || other.ID >= 5001 {
		t.Fatalf("IDs: versions %d %d, package %d; want versions from 5001, apart from packages", a.ID, b.ID, other.ID)
	}
	if !a.CreatedAt.Equal(Epoch) || !a.UpdatedAt.Equal(Epoch) || !a.DeletedAt.IsZero() {
		t.Errorf("AddVersion timestamps %+v, want the clock's now and active", a)
	}
	if want := Epoch.Add(-time.Hour); !b.DeletedAt.Equal(want) || !b.CreatedAt.Equal(want) {
		t.Errorf("AddDeletedVersion timestamps %+v, want deleted and created at %v", b, want)
	}
	if got, ok := fake.LookupVersion(orgApp, a.ID); !ok || !slices.Equal(got.Tags, []string{"latest"}) {
		t.Errorf("LookupVersion = %+v, %v; want the active version with its own copy of the tags", got, ok)
	}
	if _, ok := fake.LookupVersion(orgApp, b.ID); ok {
		t.Error("LookupVersion found a deleted version")
	}
	if _, ok := fake.LookupVersion(other, a.ID); ok {
		t.Error("LookupVersion found a version under another package")
	}
	if err := fake.DeleteVersion(orgApp, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := fake.DeleteVersion(orgApp, a.ID); err == nil || !strings.Contains(err.Error(), "orgs/octo-org/npm/app") {
		t.Errorf("second DeleteVersion: %v, want an error naming the package", err)
	}
	// A deleted package is named by its ID.
	gone := fake.AddDeletedPackage(Package{Owner: "octocat", Type: "npm", Name: "gone"}, time.Hour)
	c := fake.AddVersion(gone, Version{Name: "1.0.0"})
	if _, ok := fake.LookupVersion(gone, c.ID); !ok {
		t.Error("no version in the deleted package named by its ID")
	}
	defer func() {
		if recover() == nil {
			t.Error("AddVersion to a package that does not exist did not panic")
		}
	}()
	fake.AddVersion(Package{Owner: "octocat", Type: "npm", Name: "gone"}, Version{Name: "1.0.0"})
}
