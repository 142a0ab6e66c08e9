package ghapi

import (
	"net/url"
	"strings"
	"testing"
)

func TestPackageRefPath(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		ref  PackageRef
		want string // "" when the reference must be refused
	}{
		{"plain", PackageRef{ScopeUser, "octocat", "npm", "app"}, "users/octocat/packages/npm/app"},
		{"slash in name", PackageRef{ScopeUser, "octocat", "container", "repo/app"}, "users/octocat/packages/container/repo%2Fapp"},
		{"query characters", PackageRef{ScopeUser, "octocat", "npm", "a?b#c"}, "users/octocat/packages/npm/a%3Fb%23c"},
		{"percent stays literal", PackageRef{ScopeUser, "octocat", "npm", "a%2Fb"}, "users/octocat/packages/npm/a%252Fb"},
		{"scoped npm name", PackageRef{ScopeUser, "octocat", "npm", "@scope/app"}, "users/octocat/packages/npm/@scope%2Fapp"},
		{"empty owner", PackageRef{ScopeUser, "", "npm", "app"}, ""},
		{"dot-dot owner", PackageRef{ScopeUser, "..", "npm", "app"}, ""},
		{"empty name", PackageRef{ScopeUser, "octocat", "npm", ""}, ""},
		{"dot-dot name", PackageRef{ScopeUser, "octocat", "npm", ".."}, ""},
		{"dot-dot segment", PackageRef{ScopeUser, "octocat", "npm", "a/../b"}, ""},
		{"trailing slash", PackageRef{ScopeUser, "octocat", "npm", "a/"}, ""},
		{"newline", PackageRef{ScopeUser, "octocat", "npm", "a\nb"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.ref.path()
			if tc.want == "" {
				if err == nil {
					t.Fatalf("path() = %q, want a refusal", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("path() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// FuzzRequestPath checks what goes on the wire: for any input, a request is
// either refused or its path is exactly
// /api/v3/users/{owner}/packages/{type}/{name}[/restore], each segment
// decoding back to its input.
func FuzzRequestPath(f *testing.F) {
	for _, seed := range [][3]string{
		{"octocat", "container", "repo/app"}, {"octocat", "npm", "../../orgs/x"}, {"", "npm", "a"},
		{"a/b", "npm", "c"}, {"o", "..", "n"}, {"o", "npm", "a?b=c#d"}, {"o", "npm", "%2e%2e"}, {"o", "npm", "a\x00b"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	client, err := New(Config{BaseURL: "https://ghe.example.com"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, owner, packageType, name string) {
		ref := PackageRef{Owner: owner, Type: packageType, Name: name}
		for _, restore := range []bool{false, true} {
			p, err := ref.path()
			if restore {
				p, err = ref.restorePath()
			}
			if err != nil {
				return
			}
			req, err := client.gh.NewRequest("POST", p, nil)
			if err != nil {
				t.Fatalf("NewRequest(%q): %v", p, err)
			}
			segs := strings.Split(req.URL.EscapedPath(), "/")
			want := []string{"", "api", "v3", "users", owner, "packages", packageType, name}
			if restore {
				want = append(want, "restore")
			}
			if len(segs) != len(want) {
				t.Fatalf("path %q has %d segments, want %d", req.URL.EscapedPath(), len(segs), len(want))
			}
			for i, seg := range segs {
				decoded, err := url.PathUnescape(seg)
				if err != nil || decoded != want[i] {
					t.Fatalf("segment %d of %q decodes to %q, want %q", i, req.URL.EscapedPath(), decoded, want[i])
				}
			}
			if req.URL.RawQuery != "" || req.URL.Fragment != "" {
				t.Fatalf("input leaked into query %q or fragment %q", req.URL.RawQuery, req.URL.Fragment)
			}
		}
	})
}
