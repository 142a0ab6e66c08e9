package provider

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

func TestDescribeError(t *testing.T) {
	t.Parallel()
	ref := ghapi.PackageRef{Owner: "octocat", Type: "container", Name: "repo/app"}
	cases := []struct {
		name    string
		err     error
		summary string
		detail  []string
	}{
		{"restore 404", &ghapi.Error{Kind: ghapi.KindNotFound, Op: "restore", StatusCode: 404, Message: "Package not found."},
			"Package Not Restorable", []string{"octocat/container/repo/app", `404 Not Found ("Package not found.")`,
				"more than 30 days", "reused by a new package (delete that one first", "cannot see it",
				"remove the resource from configuration", "removed {} block", "terraform state rm", "publish a new package"}},
		{"get 404", &ghapi.Error{Kind: ghapi.KindNotFound, Op: "get", StatusCode: 404},
			"Package Not Found", []string{"reading package octocat/container/repo/app", "terraform apply"}},
		{"401", &ghapi.Error{Kind: ghapi.KindUnauthorized, Op: "get", StatusCode: 401, Message: "Bad credentials"},
			"GitHub Token Rejected", []string{"expired or revoked", "token argument", "GITHUB_TOKEN"}},
		{"403 with scopes", &ghapi.Error{Kind: ghapi.KindForbidden, Op: "restore", StatusCode: 403, ScopesKnown: true, Scopes: []string{"read:packages"}},
			"Insufficient Token Permissions", []string{"write:packages", "repo", "The token has: read:packages."}},
		{"403 fine-grained", &ghapi.Error{Kind: ghapi.KindForbidden, Op: "get", StatusCode: 403},
			"Insufficient Token Permissions", []string{"fine-grained tokens", "classic token"}},
		{"primary rate limit", &ghapi.Error{Kind: ghapi.KindRateLimited, Op: "get", StatusCode: 403, Attempts: 1,
			RateLimitReset: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)},
			"GitHub Rate Limit Exceeded", []string{"primary rate limit", "resets at 2026-01-05T10:00:00Z"}},
		{"secondary rate limit", &ghapi.Error{Kind: ghapi.KindRateLimited, Op: "restore", StatusCode: 429, Attempts: 4,
			SecondaryLimit: true, RetryAfter: time.Minute},
			"GitHub Rate Limit Exceeded", []string{"secondary rate limit", "after 4 attempts", "wait 1m0s"}},
		{"5xx", &ghapi.Error{Kind: ghapi.KindServer, Op: "get", StatusCode: 502, Attempts: 4},
			"GitHub Server Error", []string{"502 Bad Gateway", "after 4 attempts", "githubstatus"}},
		{"network", &ghapi.Error{Kind: ghapi.KindNetwork, Op: "get", Attempts: 1, Message: "connection refused", Host: "ghe.example.com"},
			"GitHub Unreachable", []string{"no complete answer came from ghe.example.com", "connection refused", "base_url"}},
		{"timeout", &ghapi.Error{Kind: ghapi.KindNetwork, Op: "get", Attempts: 4, Host: "ghe.example.com",
			Message: (&ghapi.AttemptTimeoutError{Host: "ghe.example.com", Timeout: 30 * time.Second}).Error()},
			"GitHub Unreachable", []string{"octocat/container/repo/app", "ghe.example.com after 4 attempts", "within 30s", "raise request_timeout"}},
		{"404 from a web page", &ghapi.Error{Kind: ghapi.KindNotGitHub, Op: "get", StatusCode: 404, Host: "ghe.example.com",
			Message: `a 404 that is not GitHub's API answer (content type "text/html")`},
			"Not a GitHub API Answer", []string{"reading package octocat/container/repo/app", "ghe.example.com answered 404",
				`(content type "text/html")`, "state was left as it was", "Check base_url"}},
		{"malformed", &ghapi.Error{Kind: ghapi.KindMalformed, Op: "get", StatusCode: 200, Message: "expected a JSON body"},
			"Unexpected Answer From GitHub", []string{"200 OK", "base_url"}},
		{"listing page 7 fails", &ghapi.Error{Kind: ghapi.KindServer, Op: ghapi.OpList, StatusCode: 502, Attempts: 4, Page: 7},
			"GitHub Server Error", []string{"listing the packages of package octocat/container/repo/app (page 7 of the listing)", "502 Bad Gateway"}},
		{"other error", errors.New("boom"), "Unexpected Error", []string{"octocat/container/repo/app", "boom"}},
		{"not visible in time, last check failed", &notVisibleError{checks: 9, timeout: 5 * time.Minute,
			last: &ghapi.Error{Kind: ghapi.KindServer, Op: "get", StatusCode: 503, Attempts: 4}},
			"Restored Package Not Visible", []string{"accepted the restore of package octocat/container/repo/app",
				"after 9 checks in 5m0s", "The last check failed", "503 Service Unavailable", "timeouts.create (now 5m0s)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			summary, detail := describeCreateError(ref, tc.err)
			if summary != tc.summary {
				t.Fatalf("summary %q, want %q", summary, tc.summary)
			}
			for _, want := range tc.detail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail lacks %q:\n%s", want, detail)
				}
			}
		})
	}
}

// The action keeps no state: its errors never advise on state or resources,
// and name its own timeout.
func TestDescribeInvokeError(t *testing.T) {
	t.Parallel()
	ref := ghapi.PackageRef{Scope: ghapi.ScopeOrg, Owner: "octo-org", Type: "npm", Name: "lib"}
	cases := []struct {
		name     string
		err      error
		summary  string
		detail   []string
		notInIt  []string
		describe func(ghapi.PackageRef, error) (string, string)
	}{
		{"restore 404", &ghapi.Error{Kind: ghapi.KindNotFound, Op: "restore", StatusCode: 404}, "Package Not Restorable",
			[]string{"restoring package octo-org/npm/lib", "organisation octo-org", "then invoke the action again", "take this action out"},
			[]string{"state", "apply again", "resource"}, describeInvokeError},
		{"not visible", &notVisibleError{checks: 3, timeout: time.Minute}, "Restored Package Not Visible",
			[]string{"octo-org/npm/lib", "Invoke the action again", "timeouts.invoke (now 1m0s)"},
			[]string{"state", "timeouts.create"}, describeInvokeError},
		{"version of a deleted package", errPackageDeleted, "Package Of Version Deleted",
			[]string{"octo-org/npm/lib", "no version restore was sent", "without package_version_id and version"},
			[]string{"resource"}, func(p ghapi.PackageRef, err error) (string, string) {
				return describeVersionInvokeError(ghapi.VersionRef{Package: p, ID: 7}, err)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			summary, detail := tc.describe(ref, tc.err)
			if summary != tc.summary {
				t.Fatalf("summary %q, want %q", summary, tc.summary)
			}
			for _, want := range tc.detail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail lacks %q:\n%s", want, detail)
				}
			}
			for _, unwanted := range tc.notInIt {
				if strings.Contains(detail, unwanted) {
					t.Errorf("detail mentions %q, which is about resources:\n%s", unwanted, detail)
				}
			}
		})
	}
}
