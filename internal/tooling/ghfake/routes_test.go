package ghfake

import "testing"

func TestParseRoute(t *testing.T) {
	t.Parallel()
	cases := []struct {
		path string
		want route
		ok   bool
	}{
		{"/users/octocat/packages", route{scope: scopeUsers, owner: "octocat", list: true}, true},
		{"/users/octocat/packages/npm/app", route{scope: scopeUsers, owner: "octocat", packageType: "npm", name: "app"}, true},
		{"/users/octocat/packages/npm/app/restore",
			route{scope: scopeUsers, owner: "octocat", packageType: "npm", name: "app", restore: true}, true},
		{"/api/v3/users/octocat/packages/npm/app",
			route{scope: scopeUsers, owner: "octocat", packageType: "npm", name: "app"}, true},
		{"/users/octocat/packages/container/repo%2Fapp",
			route{scope: scopeUsers, owner: "octocat", packageType: "container", name: "repo/app"}, true},
		{"/orgs/octo-org/packages", route{scope: scopeOrgs, owner: "octo-org", list: true}, true},
		{"/orgs/Octo-Org/packages/npm/app", route{scope: scopeOrgs, owner: "Octo-Org", packageType: "npm", name: "app"}, true},
		{"/api/v3/orgs/octo-org/packages/container/repo%2Fapp/restore",
			route{scope: scopeOrgs, owner: "octo-org", packageType: "container", name: "repo/app", restore: true}, true},
		{"/user/packages", route{scope: scopeUser, list: true}, true},
		{"/api/v3/user/packages/npm/app", route{scope: scopeUser, packageType: "npm", name: "app"}, true},
		{"/user/packages/container/repo%2Fapp/restore",
			route{scope: scopeUser, packageType: "container", name: "repo/app", restore: true}, true},
		// Unescaped exactly once: %252F is a name holding "%2F", not "/".
		{"/orgs/octo-org/packages/npm/a%252Fb", route{scope: scopeOrgs, owner: "octo-org", packageType: "npm", name: "a%2Fb"}, true},
		// A raw slash in the name names no endpoint, as on GitHub.
		{"/users/octocat/packages/container/repo/app", route{}, false},
		{"/orgs/octo-org/packages/container/repo/app", route{}, false},
		{"/user/packages/container/repo/app", route{}, false},
		{"/users//packages/npm/app", route{}, false},
		{"/orgs/octo-org/packages/npm/app/", route{}, false},
		{"/users/octocat/packages/npm/%zz", route{}, false},
		{"/users/octocat/repos", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions",
			route{scope: scopeOrgs, owner: "octo-org", packageType: "npm", name: "app", versions: true}, true},
		{"/api/v3/users/octocat/packages/container/repo%2Fapp/versions/5001",
			route{scope: scopeUsers, owner: "octocat", packageType: "container", name: "repo/app", versions: true, versionID: 5001}, true},
		{"/user/packages/npm/app/versions/5001/restore",
			route{scope: scopeUser, packageType: "npm", name: "app", versions: true, versionID: 5001, restore: true}, true},
		{"/orgs/octo-org/packages/npm/app/versions/", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions/abc", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions/0", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions/-1", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions/+5", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions/05", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions/5/x", route{}, false},
		{"/orgs/octo-org/packages/npm/app/versions/5/restore/x", route{}, false},
		{"/orgs/octo-org/packages/npm/app/restore/versions", route{}, false},
		{"/user/octocat/packages", route{}, false},
		{"/user", route{scope: scopeUser, self: true}, true},
		{"/api/v3/user", route{scope: scopeUser, self: true}, true},
		{"/user/", route{}, false},
		{"/user/repos", route{}, false},
		{"/orgs/octo-org", route{}, false},
		{"/users/octocat", route{scope: scopeUsers, owner: "octocat", account: true}, true},
		{"/api/v3/users/Octo-Org", route{scope: scopeUsers, owner: "Octo-Org", account: true}, true},
		{"/users/octocat/", route{}, false},
		{"/users", route{}, false},
		{"/users/octocat/packages/npm/app/restore/x", route{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			got, ok := parseRoute(tc.path)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("parseRoute(%q) = %+v, %v; want %+v, %v", tc.path, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestOrgOf(t *testing.T) {
	t.Parallel()
	cases := []struct{ path, org string }{
		{"/orgs/Octo-Org/packages/npm/app", "Octo-Org"},
		{"/api/v3/orgs/octo-org/packages", "octo-org"},
		{"/orgs/octo-org/packages/npm/app/versions", "octo-org"},
		{"/orgs/octo-org", "octo-org"},
		{"/orgs", ""},
		{"/users/orgs/packages", ""},
		{"/user/packages", ""},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			org, ok := orgOf(tc.path)
			if org != tc.org || ok != (tc.org != "") {
				t.Fatalf("orgOf(%q) = %q, %v; want %q", tc.path, org, ok, tc.org)
			}
		})
	}
}
