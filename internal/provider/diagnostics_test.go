package provider

import (
	"errors"
	"net/http"
	"net/http/httptest"
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
			"Package Not Restorable", []string{"Most likely, package octocat/container/repo/app was deleted more than 30 days ago",
				`404 Not Found ("Package not found.")`, "restorable deleted packages of the user octocat",
				"reused by a new package (delete that one first", "cannot see it",
				"remove the resource from configuration", "removed {} block", "terraform state rm", "publish a new package"}},
		{"restore 404, the owner is an organization", &wrongOwnerError{actual: ghapi.ScopeOrg,
			restoreErr: &ghapi.Error{Kind: ghapi.KindNotFound, Op: "restore", StatusCode: 404, Message: "Package not found."}},
			"Package Not Restorable", []string{`octocat is an organization: use ghpkg_org_package_restore, with org = "octocat".`,
				`restoring package octocat/container/repo/app, GitHub answered 404 Not Found ("Package not found.")`,
				"among the packages of a user named octocat, and octocat is an organization."}},
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
			Message: `a body of type "text/html" that is not GitHub's JSON`},
			"Not a GitHub API Answer", []string{"While reading package octocat/container/repo/app, ghe.example.com answered " +
				`404 Not Found, but not as GitHub's API answers: a body of type "text/html" that is not GitHub's JSON.`,
				"state was left as it was", "Check base_url"}},
		{"malformed", &ghapi.Error{Kind: ghapi.KindMalformed, Op: "get", StatusCode: 200, Message: "expected a JSON body"},
			"Unexpected Answer From GitHub", []string{"200 OK", "base_url"}},
		{"listing page 7 fails", &ghapi.Error{Kind: ghapi.KindServer, Op: ghapi.OpList, StatusCode: 502, Attempts: 4, Page: 7},
			"GitHub Server Error", []string{"While listing the packages of octocat/container (page 7 of the listing), GitHub answered 502 Bad Gateway"}},
		{"other error", errors.New("boom"), "Unexpected Error", []string{"octocat/container/repo/app", "boom"}},
		{"not visible in time, last check failed", &notVisibleError{checks: 9, timeout: 5 * time.Minute,
			last: &ghapi.Error{Kind: ghapi.KindServer, Op: "get", StatusCode: 503, Attempts: 4}},
			"Restored Package Not Visible", []string{"accepted the restore of package octocat/container/repo/app",
				"after 9 checks in 5m0s", "The last check failed", "503 Service Unavailable", "timeouts.create (now 5m0s)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			summary, detail := describeRestoreError(ref, tc.err, resourceAdvice)
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
	describeInvokeError := func(p ghapi.PackageRef, err error) (string, string) {
		return describeRestoreError(p, err, actionAdvice)
	}
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
		{"restore 404, the owner is a user", &wrongOwnerError{actual: ghapi.ScopeUser,
			restoreErr: &ghapi.Error{Kind: ghapi.KindNotFound, Op: "restore", StatusCode: 404}}, "Package Not Restorable",
			[]string{`octo-org is a user: set username = "octo-org" in the action instead of org.`, "restoring package octo-org/npm/lib"},
			[]string{"state", "apply again", "resource"}, describeInvokeError},
		{"not visible", &notVisibleError{checks: 3, timeout: time.Minute}, "Restored Package Not Visible",
			[]string{"octo-org/npm/lib", "Invoke the action again", "timeouts.invoke (now 1m0s)"},
			[]string{"state", "timeouts.create"}, describeInvokeError},
		{"version of a deleted package", errPackageDeleted, "Package Of Version Deleted",
			[]string{"octo-org/npm/lib", "no version restore was sent", "without package_version_id and version"},
			[]string{"resource"}, func(p ghapi.PackageRef, err error) (string, string) {
				return describeVersionRestoreError(ghapi.VersionRef{Package: p, ID: 7}, err, actionAdvice)
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

// "Package Not Restorable" leads with the most likely cause, alone on its
// line, before GitHub's answer and the other causes.
func TestNotRestorableLeadsWithTheMostLikelyCause(t *testing.T) {
	t.Parallel()
	ref := ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: "app"}
	err := &ghapi.Error{Kind: ghapi.KindNotFound, Op: ghapi.OpRestore, StatusCode: 404, Message: "Package not found."}
	for name, advice := range map[string]restoreAdvice{"resource": resourceAdvice, "action": actionAdvice} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, detail := describeRestoreError(ref, err, advice)
			first, rest, _ := strings.Cut(detail, "\n")
			want := "Most likely, package octocat/npm/app was deleted more than 30 days ago, and GitHub no longer restores it."
			if first != want {
				t.Errorf("first line %q, want %q", first, want)
			}
			if !strings.Contains(rest, "Other causes:\n- its name was reused") {
				t.Errorf("the other causes do not follow as a list:\n%s", detail)
			}
		})
	}
}

// A 404 that is not GitHub's is worded around ghapi's own reasons, as
// ghapi gives them.
func TestNotGitHubAnswerReadsAsASentence(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ contentType, body, want string }{
		"web page": {"text/html", "<html>Not Found</html>",
			`answered 404 Not Found, but not as GitHub's API answers: a body of type "text/html" that is not GitHub's JSON.`},
		"gateway JSON": {"application/json", `{"message":"no Route matched with those values"}`,
			"answered 404 Not Found, but not as GitHub's API answers: JSON without X-GitHub-Request-Id"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(ts.Close)
			client, err := ghapi.New(ghapi.Config{Token: "diagnostics-test-token", BaseURL: ts.URL})
			if err != nil {
				t.Fatal(err)
			}
			ref := ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: "app"}
			_, err = client.GetPackage(t.Context(), ref)
			summary, detail := describeError(ref, err)
			if summary != "Not a GitHub API Answer" || !strings.Contains(detail, tc.want) || strings.Contains(detail, "with (") {
				t.Errorf("%s:\n%s\nwant it to contain %q", summary, detail, tc.want)
			}
		})
	}
}

// A listing's reference has no package name: its errors name the
// namespace (owner/type), never "package octocat/npm/".
func TestListingErrorsNameTheNamespace(t *testing.T) {
	t.Parallel()
	ns := ghapi.PackageRef{Scope: ghapi.ScopeOrg, Owner: "octo-org", Type: "npm"}
	cases := map[string]error{
		"5xx":         &ghapi.Error{Kind: ghapi.KindServer, Op: ghapi.OpList, StatusCode: 502, Attempts: 4},
		"network":     &ghapi.Error{Kind: ghapi.KindNetwork, Op: ghapi.OpList, Attempts: 1, Message: "connection refused"},
		"not GitHub":  &ghapi.Error{Kind: ghapi.KindNotGitHub, Op: ghapi.OpList, StatusCode: 404, Message: "a body"},
		"404":         &ghapi.Error{Kind: ghapi.KindNotFound, Op: ghapi.OpList, StatusCode: 404},
		"not ghapi's": errors.New("boom"),
	}
	for name, err := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, detail := describeError(ns, err)
			if !strings.Contains(strings.ToLower(detail), "the packages of octo-org/npm") || strings.Contains(detail, "octo-org/npm/") {
				t.Errorf("detail does not name the namespace octo-org/npm:\n%s", detail)
			}
		})
	}
	summary, detail := describeError(ns, cases["404"])
	if summary != "Owner Not Found" || !strings.Contains(detail, "no organisation named octo-org") {
		t.Errorf("a listing's 404 is about its owner, got %s:\n%s", summary, detail)
	}
}

// A plan writes no state: the refresh's warnings say what the plan
// proposes, not that something was removed from state.
func TestRefreshWarningsSayWhatThePlanProposes(t *testing.T) {
	t.Parallel()
	pkg := ghapi.PackageRef{Scope: ghapi.ScopeOrg, Owner: "octo-org", Type: "npm", Name: "lib"}
	_, gone := warnPackageGone(pkg)
	_, versionGone := warnVersionPackageGone(ghapi.VersionRef{Package: pkg, ID: 7})
	for _, detail := range []string{gone, versionGone} {
		if !strings.Contains(detail, "plan proposes restoring") || strings.Contains(detail, "removed from state") {
			t.Errorf("detail does not say what the plan proposes:\n%s", detail)
		}
	}
	if !strings.Contains(versionGone, "ghpkg_org_package_restore resource") {
		t.Errorf("the version warning does not name the package resource:\n%s", versionGone)
	}
}
