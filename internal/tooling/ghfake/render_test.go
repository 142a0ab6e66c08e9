package ghfake

import (
	"fmt"
	"strings"
	"testing"
)

func TestRenderByScope(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		pkg        Package
		path, list string            // a GET of the package, and a list that holds it
		want       map[string]string // dotted field path → value
	}{
		{"org package", Package{Org: true, Owner: "octo-org", Type: "container", Name: "repo/app", Repository: "repo"},
			"/orgs/Octo-Org/packages/container/repo%2Fapp", "/orgs/octo-org/packages?package_type=container", map[string]string{
				"url":                   "https://api.github.com/orgs/octo-org/packages/container/repo%2Fapp",
				"html_url":              "https://github.com/orgs/octo-org/packages/container/package/repo%2Fapp",
				"owner.login":           "octo-org",
				"owner.type":            "Organization",
				"owner.url":             "https://api.github.com/users/octo-org",
				"owner.html_url":        "https://github.com/octo-org",
				"repository.full_name":  "octo-org/repo",
				"repository.html_url":   "https://github.com/octo-org/repo",
				"repository.owner.type": "Organization",
			}},
		{"org package without repository", Package{Org: true, Owner: "octo-org", Type: "npm", Name: "app"},
			"/orgs/octo-org/packages/npm/app", "/api/v3/orgs/OCTO-ORG/packages?package_type=npm", map[string]string{
				"url":        "https://api.github.com/orgs/octo-org/packages/npm/app",
				"html_url":   "https://github.com/orgs/octo-org/packages/npm/package/app",
				"owner.type": "Organization",
				"repository": "<nil>",
			}},
		{"user package", Package{Owner: "octocat", Type: "container", Name: "repo/app", Repository: "repo"},
			"/users/octocat/packages/container/repo%2Fapp", "/users/octocat/packages?package_type=container", map[string]string{
				"url":                   "https://api.github.com/users/octocat/packages/container/repo%2Fapp",
				"html_url":              "https://github.com/users/octocat/packages/container/package/repo%2Fapp",
				"owner.type":            "User",
				"owner.node_id":         "U_98300680",
				"repository.full_name":  "octocat/repo",
				"repository.owner.type": "User",
			}},
		{"user package through /user", Package{Owner: "octocat", Type: "npm", Name: "app"},
			"/user/packages/npm/app", "/user/packages?package_type=npm", map[string]string{
				"url":         "https://api.github.com/users/octocat/packages/npm/app",
				"html_url":    "https://github.com/users/octocat/packages/npm/package/app",
				"owner.login": "octocat",
				"owner.type":  "User",
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t) // the contract checks every answer
			fake.AddPackage(tc.pkg)
			for _, p := range []string{tc.path, tc.list} {
				resp := send(t, ts, "GET", p, "full")
				var got map[string]any
				if resp.StatusCode != 200 {
					t.Fatalf("GET %s answered %d", p, resp.StatusCode)
				}
				if p == tc.path {
					got = decode[map[string]any](t, resp)
				} else if list := decode[[]map[string]any](t, resp); len(list) == 1 {
					got = list[0]
				} else {
					t.Fatalf("GET %s listed %d packages, want 1", p, len(list))
				}
				for path, want := range tc.want {
					if v := fmt.Sprint(field(got, strings.Split(path, ".")...)); v != want {
						t.Errorf("GET %s: %s = %q, want %q", p, path, v, want)
					}
				}
			}
		})
	}
}
