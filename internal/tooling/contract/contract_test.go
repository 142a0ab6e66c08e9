package contract

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const validPackage = `{"id":1,"name":"octo-app","package_type":"container","url":"https://api.github.com/users/octocat/packages/container/octo-app",
"html_url":"https://github.com/users/octocat/packages/container/package/octo-app","version_count":1,"visibility":"private",
"created_at":"2026-01-05T09:00:00Z","updated_at":"2026-01-05T09:00:00Z"}`

func TestCheck(t *testing.T) {
	t.Parallel()
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	cases := []struct {
		name    string
		method  string
		target  string
		status  int
		body    string
		wantErr string // "" when the exchange is valid
	}{
		{"valid get", "GET", "/users/octocat/packages/container/octo-app", 200, validPackage, ""},
		{"valid get with enterprise prefix", "GET", "/api/v3/users/octocat/packages/container/octo-app", 200, validPackage, ""},
		{"valid get of a name with a slash", "GET", "/users/octocat/packages/container/repo%2Fapp", 200, validPackage, ""},
		{"valid restore with token", "POST", "/users/octocat/packages/npm/app/restore?token=x", 204, "", ""},
		{"valid list", "GET", "/users/octocat/packages?package_type=npm&per_page=100&page=2", 200, "[" + validPackage + "]", ""},
		{"package without html_url", "GET", "/users/octocat/packages/container/octo-app", 200,
			strings.Replace(validPackage, `"html_url"`, `"other"`, 1), "packages/get-package-for-user: 200 response violates the contract"},
		{"visibility outside the enum", "GET", "/users/octocat/packages/container/octo-app", 200,
			strings.Replace(validPackage, `"private"`, `"secret"`, 1), "visibility"},
		{"list with an unknown package type", "GET", "/users/octocat/packages?package_type=pypi", 200, "[]",
			"packages/list-packages-for-user: request violates the contract"},
		{"list without package type", "GET", "/users/octocat/packages", 200, "[]", "package_type"},
		{"unknown endpoint", "GET", "/users/octocat/repos", 200, "[]", "no operation in the contract"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:8080"+tc.target, nil)
			err := v.Check(req, tc.status, jsonHeader, []byte(tc.body))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("valid exchange rejected: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("invalid exchange accepted, want an error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}

// TestHandlerAuthenticatedUser: GET /user and GET /users/{username} are the
// exchanges outside the contract Handler accepts, and only their 200
// answers' login (and type) are checked; other methods and paths near them
// still need an operation.
func TestHandlerAuthenticatedUser(t *testing.T) {
	t.Parallel()
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, target string
		status               int
		body                 string
		wantErr              string // "" when the exchange is accepted
	}{
		{"get", "GET", "/user", 200, `{"login":"octocat","id":1,"type":"User"}`, ""},
		{"get with enterprise prefix", "GET", "/api/v3/user?x=1", 200, `{"login":"octocat"}`, ""},
		{"unauthenticated", "GET", "/user", 401, `{"message":"Requires authentication"}`, ""},
		{"get without login", "GET", "/user", 200, `{"id":1}`, "not a user with a login"},
		{"get with a non-JSON body", "GET", "/user", 200, `<html>`, "not a user with a login"},
		{"another method", "PATCH", "/user", 200, `{"login":"octocat"}`, "no operation in the contract"},
		{"trailing slash", "GET", "/user/", 200, `{"login":"octocat"}`, "no operation in the contract"},
		{"another user path", "GET", "/user/repos", 200, `[]`, "no operation in the contract"},
		{"a user by name", "GET", "/users/octocat", 200, `{"login":"octocat","type":"User"}`, ""},
		{"an organisation by name", "GET", "/api/v3/users/octo-org", 200, `{"login":"octo-org","type":"Organization"}`, ""},
		{"an unknown account", "GET", "/users/nobody", 404, `{"message":"Not Found"}`, ""},
		{"an account without type", "GET", "/users/octocat", 200, `{"login":"octocat"}`, "not an account with a login and a type"},
		{"an account, another method", "PATCH", "/users/octocat", 200, `{"login":"octocat"}`, "no operation in the contract"},
		{"a user's other path", "GET", "/users/octocat/repos", 200, `[]`, "no operation in the contract"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []error
			h := v.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}), func(err error) { got = append(got, err) })
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, "http://127.0.0.1:8080"+tc.target, nil))
			if rec.Code != tc.status || rec.Body.String() != tc.body {
				t.Fatalf("answer changed: %d %q", rec.Code, rec.Body.String())
			}
			switch {
			case tc.wantErr == "" && len(got) > 0:
				t.Fatalf("accepted exchange reported: %v", got)
			case tc.wantErr != "" && (len(got) != 1 || !strings.Contains(got[0].Error(), tc.wantErr)):
				t.Fatalf("reported %v, want one error containing %q", got, tc.wantErr)
			}
		})
	}
}
