package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

func newFakeClient(t *testing.T) (*ghfake.Server, *Client) {
	t.Helper()
	fake := ghfake.New()
	fake.AddToken("t", "read:packages", "write:packages")
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	return fake, client
}

func TestGetUserPackage_mapsFields(t *testing.T) {
	t.Parallel()
	fake, client := newFakeClient(t)
	added := fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "container", Name: "repo/app", Repository: "repo", Visibility: "public", VersionCount: 7})
	got, err := client.GetPackage(context.Background(), PackageRef{ScopeUser, "octocat", "container", "repo/app"})
	if err != nil {
		t.Fatal(err)
	}
	want := Package{ID: added.ID, Name: "repo/app", Type: "container", Visibility: "public", VersionCount: 7,
		HTMLURL: "https://github.com/users/octocat/packages/container/package/repo%2Fapp", Repository: "octocat/repo",
		CreatedAt: ghfake.Epoch, UpdatedAt: ghfake.Epoch}
	if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Fatalf("timestamps %v %v, want %v", got.CreatedAt, got.UpdatedAt, ghfake.Epoch)
	}
	got.CreatedAt, got.UpdatedAt = want.CreatedAt, want.UpdatedAt
	if *got != want {
		t.Fatalf("got %+v\nwant %+v", *got, want)
	}
}

func TestListUserPackages_followsPages(t *testing.T) {
	t.Parallel()
	fake, client := newFakeClient(t)
	for i := range 250 {
		fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("p%d", i)})
	}
	pkgs, err := client.ListPackages(context.Background(), Namespace{Owner: "octocat", Type: "npm"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 250 || fake.CountRequests("GET") != 3 {
		t.Fatalf("%d packages in %d requests, want 250 in 3", len(pkgs), fake.CountRequests("GET"))
	}
}

func TestRestoreUserPackage_sendsTokenAsQuery(t *testing.T) {
	t.Parallel()
	fake, client := newFakeClient(t)
	fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: "app"}, time.Hour)
	if err := client.RestorePackage(context.Background(), PackageRef{ScopeUser, "octocat", "npm", "app"}, "pkg-token"); err != nil {
		t.Fatal(err)
	}
	if got := fake.Requests()[0].Query.Get("token"); got != "pkg-token" {
		t.Fatalf("restore sent token=%q", got)
	}
}

// scripted answers one fixed response, whatever the request.
func scripted(status int, header map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

const jsonType = "application/json; charset=utf-8"

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	reset := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		handler http.HandlerFunc
		check   func(*Error) bool
	}{
		{"404", scripted(404, map[string]string{"Content-Type": jsonType}, `{"message":"Package not found.","documentation_url":"https://docs.github.com/rest"}`),
			func(e *Error) bool { return e.Kind == KindNotFound && e.Message == "Package not found." }},
		{"401", scripted(401, map[string]string{"Content-Type": jsonType}, `{"message":"Bad credentials"}`),
			func(e *Error) bool { return e.Kind == KindUnauthorized && e.StatusCode == 401 }},
		{"403 with scopes", scripted(403, map[string]string{"Content-Type": jsonType, "X-OAuth-Scopes": "read:packages, repo"}, `{"message":"no"}`),
			func(e *Error) bool {
				return e.Kind == KindForbidden && e.ScopesKnown && strings.Join(e.Scopes, "|") == "read:packages|repo"
			}},
		{"403 without scopes header", scripted(403, map[string]string{"Content-Type": jsonType}, `{"message":"no"}`),
			func(e *Error) bool { return e.Kind == KindForbidden && !e.ScopesKnown }},
		{"403 primary rate limit", scripted(403, map[string]string{"Content-Type": jsonType, "X-RateLimit-Remaining": "0",
			"X-RateLimit-Limit": "5000", "X-RateLimit-Reset": fmt.Sprint(reset.Unix())}, `{"message":"API rate limit exceeded"}`),
			func(e *Error) bool {
				return e.Kind == KindRateLimited && e.RateLimitReset.Equal(reset) && !e.SecondaryLimit
			}},
		{"403 secondary rate limit", scripted(403, map[string]string{"Content-Type": jsonType, "Retry-After": "30"},
			`{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`),
			func(e *Error) bool {
				return e.Kind == KindRateLimited && e.SecondaryLimit && e.RetryAfter == 30*time.Second
			}},
		{"429", scripted(429, map[string]string{"Content-Type": jsonType, "Retry-After": "7"}, `{"message":"slow down"}`),
			func(e *Error) bool { return e.Kind == KindRateLimited && e.RetryAfter == 7*time.Second }},
		{"502 HTML page", scripted(502, map[string]string{"Content-Type": "text/html"}, `<html>bad gateway</html>`),
			func(e *Error) bool { return e.Kind == KindServer && e.StatusCode == 502 }},
		{"200 HTML page", scripted(200, map[string]string{"Content-Type": "text/html"}, `<html>login</html>`),
			func(e *Error) bool { return e.Kind == KindMalformed && e.StatusCode == 200 }},
		{"200 empty body", scripted(200, map[string]string{"Content-Type": jsonType}, ``),
			func(e *Error) bool { return e.Kind == KindMalformed }},
		{"200 truncated JSON", scripted(200, map[string]string{"Content-Type": jsonType}, `{"id": 1, "na`),
			func(e *Error) bool { return e.Kind == KindMalformed }},
		{"200 without id", scripted(200, map[string]string{"Content-Type": jsonType}, `{"name":"app"}`),
			func(e *Error) bool { return e.Kind == KindMalformed }},
		{"422", scripted(422, map[string]string{"Content-Type": jsonType}, `{"message":"Validation Failed"}`),
			func(e *Error) bool { return e.Kind == KindRejected }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := httptest.NewServer(tc.handler)
			defer ts.Close()
			client, err := New(Config{Token: providerSecret, BaseURL: ts.URL})
			if err != nil {
				t.Fatal(err)
			}
			// A second is too short for any rate-limit wait: the answer is classified at once.
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			_, err = client.GetPackage(ctx, PackageRef{ScopeUser, "octocat", "npm", "app"})
			e, ok := err.(*Error)
			if !ok || !tc.check(e) {
				t.Fatalf("got %#v", err)
			}
			if !strings.Contains(e.Error(), "octocat/npm/app") {
				t.Fatalf("error %q does not name the package", e)
			}
		})
	}
}

func TestNetworkErrorHidesURL(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	ts.Close() // nothing listens any more
	client, err := New(Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	err = client.RestorePackage(context.Background(), PackageRef{ScopeUser, "octocat", "npm", "app"}, "secret-package-token")
	e, ok := err.(*Error)
	if !ok || e.Kind != KindNetwork {
		t.Fatalf("got %#v, want a network error", err)
	}
	if strings.Contains(e.Error(), "secret-package-token") || strings.Contains(e.Message, "secret-package-token") {
		t.Fatalf("error leaks the restore token: %v", e)
	}
}
