package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// A rejected token is named by where it came from, never by its value: in
// the first error of a run, explained in full, and in the short ones that
// follow, which name the call (a listing by its namespace).
func TestAddErrorNamesTheTokenSource(t *testing.T) {
	t.Parallel()
	pkg := ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: "app"}
	listing := ghapi.PackageRef{Owner: "octocat", Type: "npm"}
	unauthorized := func(op ghapi.Op, ref ghapi.PackageRef) error {
		return &ghapi.Error{Kind: ghapi.KindUnauthorized, Op: op, Ref: ref, StatusCode: 401, Message: "Bad credentials"}
	}
	tests := map[string]struct {
		source      tokenSource
		first, next string
	}{
		"argument": {tokenSource{origin: tokenArgument}, "GitHub rejected the token from the provider's token argument.",
			"rejected the token from the provider's token argument"},
		"GITHUB_TOKEN": {tokenSource{origin: tokenGitHubEnv},
			"GitHub rejected the token from GITHUB_TOKEN (the provider's token argument is not set).",
			"rejected the token from GITHUB_TOKEN"},
		"GH_TOKEN": {tokenSource{origin: tokenGHEnv},
			"GitHub rejected the token from GH_TOKEN (neither the provider's token argument nor GITHUB_TOKEN is set).",
			"rejected the token from GH_TOKEN"},
		"gh": {tokenSource{origin: tokenGHCLI, ghHost: "ghe.example.com"},
			"GitHub rejected the token from gh auth token --hostname ghe.example.com (none of the provider's token " +
				"argument, GITHUB_TOKEN and GH_TOKEN is set). To renew gh's login with the scopes ghpkg needs, run gh " +
				"auth refresh --hostname ghe.example.com --scopes read:packages,write:packages.",
			"rejected the token from gh auth token --hostname ghe.example.com"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := &providerData{token: tc.source}
			var diags diag.Diagnostics
			for _, err := range []error{unauthorized(ghapi.OpGet, pkg), unauthorized(ghapi.OpList, listing)} {
				summary, detail := describeError(pkg, err)
				data.addError(&diags, err, summary, detail)
			}
			first, next := diags[0].Detail(), diags[1].Detail()
			if !strings.Contains(first, "The token is missing, expired or revoked") || !strings.HasSuffix(first, " "+tc.first) {
				t.Errorf("first error does not end naming the source %q:\n%s", tc.first, first)
			}
			want := "While listing the packages of octocat/npm, GitHub " + tc.next + ` with 401 Unauthorized ("Bad credentials"), as for an earlier package.`
			if !strings.HasPrefix(next, want) {
				t.Errorf("second error:\n%s\nwant it to start %q", next, want)
			}
		})
	}
}

func TestMissingTokenSaysWhereGhpkgLooked(t *testing.T) {
	t.Parallel()
	summary, detail := missingToken(errGHFailed)
	for _, want := range []string{"found none (gh auth token found no token)", "the provider's token argument, the " +
		"GITHUB_TOKEN environment variable, the GH_TOKEN environment variable, then gh auth token"} {
		if summary != "Missing GitHub Token" || !strings.Contains(detail, want) {
			t.Errorf("%s: %s\nlacks %q", summary, detail, want)
		}
	}
}
