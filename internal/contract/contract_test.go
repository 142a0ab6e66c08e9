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
