package ghfake

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSSO(t *testing.T) {
	t.Parallel()
	type grant struct{ token, org string }
	full := func(org string) []grant { return []grant{{"full", org}} }
	cases := []struct {
		name, method, path, token string
		grants                    []grant // AuthorizeSSO calls
		status                    int
		sso                       bool // whether the answer is SSO's 403
	}{
		{"get", "GET", "/orgs/octo-org/packages/npm/app", "full", nil, 403, true},
		{"get, org in another case", "GET", "/api/v3/orgs/OCTO-ORG/packages/npm/app", "full", nil, 403, true},
		{"list", "GET", "/orgs/octo-org/packages?package_type=npm", "full", nil, 403, true},
		{"restore", "POST", "/orgs/octo-org/packages/npm/old/restore", "full", nil, 403, true},
		{"delete", "DELETE", "/orgs/octo-org/packages/npm/app", "full", nil, 403, true},
		{"SSO before scopes", "DELETE", "/orgs/octo-org/packages/npm/app", "read", nil, 403, true},
		{"authentication before SSO", "GET", "/orgs/octo-org/packages/npm/app", "", nil, 401, false},
		{"bad token before SSO", "GET", "/orgs/octo-org/packages/npm/app", "unknown", nil, 401, false},
		{"authorised for another org", "GET", "/orgs/octo-org/packages/npm/app", "full", full("other-org"), 403, true},
		{"another token authorised", "GET", "/orgs/octo-org/packages/npm/app", "full", []grant{{"read", "octo-org"}}, 403, true},
		{"authorised: get", "GET", "/orgs/octo-org/packages/npm/app", "full", full("octo-org"), 200, false},
		{"authorised in another case: list", "GET", "/orgs/Octo-Org/packages?package_type=npm", "full", full("OCTO-org"), 200, false},
		{"authorised: restore", "POST", "/orgs/octo-org/packages/npm/old/restore", "full", full("octo-org"), 204, false},
		{"authorised: delete", "DELETE", "/orgs/octo-org/packages/npm/app", "full", full("octo-org"), 204, false},
		{"authorised, scopes still apply", "DELETE", "/orgs/octo-org/packages/npm/app", "read", []grant{{"read", "octo-org"}}, 403, false},
		{"another org", "GET", "/orgs/other-org/packages/npm/app", "full", nil, 200, false},
		{"a user of the same name", "GET", "/users/octo-org/packages/npm/app", "full", nil, 200, false},
		{"the token's own namespace", "GET", "/user/packages/npm/app", "full", nil, 200, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, ts := newTestServer(t)
			fake.RequireSSO("Octo-Org")
			for _, g := range tc.grants {
				fake.AuthorizeSSO(g.token, g.org)
			}
			fake.SetLogin("full", "octo-org")
			fake.AddPackage(Package{Org: true, Owner: "octo-org", Type: "npm", Name: "app"})
			fake.AddPackage(Package{Org: true, Owner: "other-org", Type: "npm", Name: "app"})
			fake.AddPackage(Package{Owner: "octo-org", Type: "npm", Name: "app"})
			fake.AddDeletedPackage(Package{Org: true, Owner: "octo-org", Type: "npm", Name: "old"}, time.Hour)

			resp := send(t, ts, tc.method, tc.path, tc.token)
			if resp.StatusCode != tc.status {
				t.Fatalf("%s %s answered %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
			}
			header := resp.Header.Get("X-GitHub-SSO")
			if !tc.sso {
				if header != "" {
					t.Fatalf("X-GitHub-SSO %q on an answer that is not SSO's", header)
				}
				return
			}
			body := decode[map[string]any](t, resp)
			if header != "required; url=https://github.com/orgs/Octo-Org/sso?authorization_request=EXAMPLE" ||
				body["message"] != "Resource protected by organization SAML enforcement. "+
					"You must grant your Personal Access token access to this organization." ||
				body["documentation_url"] != "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/" {
				t.Fatalf("X-GitHub-SSO %q, body %v", header, body)
			}
		})
	}
}

// TestSSOCoversPathsOffTheContract: every path under an organisation that
// enforces SSO answers SSO's 403, even one the emulator does not serve
// (GET /orgs/{org}/docker/conflicts is GitHub's, not the emulator's).
func TestSSOCoversPathsOffTheContract(t *testing.T) {
	t.Parallel()
	cases := []struct {
		path, token string
		authorised  bool
		status      int
		sso         bool
	}{
		{"/orgs/Octo-Org/docker/conflicts", "full", false, 403, true},
		{"/api/v3/orgs/octo-org", "full", false, 403, true},
		{"/orgs/octo-org/docker/conflicts", "", false, 401, false},
		{"/orgs/octo-org/docker/conflicts", "full", true, 404, false},
		{"/orgs/other-org/docker/conflicts", "full", false, 404, false},
		{"/orgs/other-org/docker/conflicts", "", false, 404, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %q authorised=%v", tc.path, tc.token, tc.authorised), func(t *testing.T) {
			t.Parallel()
			fake := New() // off the contract: no contract check
			fake.AddToken("full", "read:packages")
			fake.RequireSSO("octo-org")
			if tc.authorised {
				fake.AuthorizeSSO("full", "OCTO-ORG")
			}
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "token "+tc.token)
			}
			rec := httptest.NewRecorder()
			fake.ServeHTTP(rec, req)
			if rec.Code != tc.status || (rec.Header().Get("X-GitHub-SSO") != "") != tc.sso {
				t.Fatalf("answered %d with X-GitHub-SSO %q, want %d (SSO: %v)",
					rec.Code, rec.Header().Get("X-GitHub-SSO"), tc.status, tc.sso)
			}
		})
	}
}
