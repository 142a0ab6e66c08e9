package ghfake

import (
	"encoding/json"
	"testing"
	"time"
)

// TestAccountType: GET /users/{name} tells an organisation from a user by
// the packages the emulator holds (deleted ones too) or the caller's login,
// and answers 404 for a name it does not know.
func TestAccountType(t *testing.T) {
	t.Parallel()
	fake, ts := newTestServer(t)
	fake.AddDeletedPackage(Package{Org: true, Owner: "octo-org", Type: "npm", Name: "lib"}, time.Hour)
	fake.AddPackage(Package{Owner: "monalisa", Type: "npm", Name: "app"})
	cases := map[string]struct {
		status int
		login  string
		typ    string
	}{
		"/users/octo-org":        {200, "octo-org", "Organization"},
		"/api/v3/users/OCTO-ORG": {200, "octo-org", "Organization"},
		"/users/monalisa":        {200, "monalisa", "User"},
		"/users/octocat":         {200, "octocat", "User"}, // the caller's login
		"/users/nobody":          {404, "", ""},
	}
	for path, want := range cases {
		resp := send(t, ts, "GET", path, "read")
		var got struct{ Login, Type string }
		if resp.StatusCode == 200 {
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
		}
		if resp.StatusCode != want.status || got.Login != want.login || got.Type != want.typ {
			t.Errorf("GET %s: %d %+v, want %d %s %s", path, resp.StatusCode, got, want.status, want.login, want.typ)
		}
	}
}
