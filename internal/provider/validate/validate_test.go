package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

func runStringValidator(v validator.String, value types.String) bool {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	return !resp.Diagnostics.HasError()
}

func TestValidators(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		v     validator.String
		value types.String
		ok    bool
	}{
		{"username plain", Username(), types.StringValue("octocat"), true},
		{"username with hyphen", Username(), types.StringValue("octo-cat"), true},
		{"username managed user", Username(), types.StringValue("octocat_acme"), true},
		{"username one character", Username(), types.StringValue("o"), true},
		{"username leading hyphen", Username(), types.StringValue("-octocat"), false},
		{"username trailing hyphen", Username(), types.StringValue("octocat-"), false},
		{"username slash", Username(), types.StringValue("octo/cat"), false},
		{"username empty", Username(), types.StringValue(""), false},
		{"username too long", Username(), types.StringValue(strings.Repeat("a", 101)), false},
		{"username unknown passes", Username(), types.StringUnknown(), true},
		{"org plain", Owner(ghapi.ScopeOrg), types.StringValue("octo-org"), true},
		{"org mixed case", Owner(ghapi.ScopeOrg), types.StringValue("Octo-Org"), true},
		{"org 39 characters", Owner(ghapi.ScopeOrg), types.StringValue(strings.Repeat("a", 39)), true},
		{"org 40 characters", Owner(ghapi.ScopeOrg), types.StringValue(strings.Repeat("a", 40)), false},
		{"org double hyphen", Owner(ghapi.ScopeOrg), types.StringValue("octo--org"), false},
		{"org leading hyphen", Owner(ghapi.ScopeOrg), types.StringValue("-octo"), false},
		{"org trailing hyphen", Owner(ghapi.ScopeOrg), types.StringValue("octo-"), false},
		{"org underscore", Owner(ghapi.ScopeOrg), types.StringValue("octo_org"), false},
		{"org dot", Owner(ghapi.ScopeOrg), types.StringValue("octo.org"), false},
		{"type container", PackageType(), types.StringValue("container"), true},
		{"type maven", PackageType(), types.StringValue("maven"), true},
		{"type gradle is maven", PackageType(), types.StringValue("gradle"), false},
		{"type upper case", PackageType(), types.StringValue("NPM"), false},
		{"type pypi", PackageType(), types.StringValue("pypi"), false},
		{"name with ghcr.io host", PackageName(), types.StringValue("ghcr.io/octocat/octo-app"), false},
		{"type wrong case", PackageType(), types.StringValue("Container"), false},
		{"type unknown passes", PackageType(), types.StringUnknown(), true},
		{"name plain", PackageName(), types.StringValue("octo-app"), true},
		{"name with slash", PackageName(), types.StringValue("octo-repo/octo-app"), true},
		{"name scoped npm", PackageName(), types.StringValue("@octo/app"), true},
		{"name dots inside", PackageName(), types.StringValue("com.example.app"), true},
		{"name empty", PackageName(), types.StringValue(""), false},
		{"name dot", PackageName(), types.StringValue("."), false},
		{"name dot-dot segment", PackageName(), types.StringValue("repo/../app"), false},
		{"name double slash", PackageName(), types.StringValue("repo//app"), false},
		{"name leading slash", PackageName(), types.StringValue("/app"), false},
		{"name control character", PackageName(), types.StringValue("app\x7f"), false},
		{"name unknown passes", PackageName(), types.StringUnknown(), true},
		{"name null passes", PackageName(), types.StringNull(), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := runStringValidator(tc.v, tc.value); got != tc.ok {
				t.Fatalf("valid=%v, want %v", got, tc.ok)
			}
		})
	}
}

func TestParseImportID(t *testing.T) {
	t.Parallel()
	cases := []struct {
		scope                ghapi.Scope
		id, owner, typ, name string // owner "" means refused
	}{
		{ghapi.ScopeUser, "octocat/container/octo-app", "octocat", "container", "octo-app"},
		{ghapi.ScopeUser, "octocat/container/octo-repo/octo-app", "octocat", "container", "octo-repo/octo-app"},
		{ghapi.ScopeUser, "octocat/npm/@scope/pkg", "octocat", "npm", "@scope/pkg"},
		{ghapi.ScopeUser, "octo_acme/npm/pkg", "octo_acme", "npm", "pkg"},
		{ghapi.ScopeOrg, "octo-org/container/octo-repo/octo-app", "octo-org", "container", "octo-repo/octo-app"},
		{ghapi.ScopeOrg, "octo_acme/npm/pkg", "", "", ""},
		{ghapi.ScopeOrg, "octo--org/npm/pkg", "", "", ""},
		{ghapi.ScopeUser, "octocat/container", "", "", ""},
		{ghapi.ScopeUser, "octocat/container/", "", "", ""},
		{ghapi.ScopeUser, "/container/app", "", "", ""},
		{ghapi.ScopeUser, "octocat/pypi/app", "", "", ""},
		{ghapi.ScopeUser, "octocat/npm/a/../b", "", "", ""},
		{ghapi.ScopeUser, "", "", "", ""},
	}
	for _, tc := range cases {
		ref, err := ParseImportID(tc.scope, tc.id)
		switch {
		case tc.owner == "" && err == nil:
			t.Errorf("ParseImportID(%q) = %v, want an error", tc.id, ref)
		case tc.owner != "" && (err != nil || ref.Scope != tc.scope || ref.Owner != tc.owner || ref.Type != tc.typ || ref.Name != tc.name):
			t.Errorf("ParseImportID(%q) = %+v, %v", tc.id, ref, err)
		}
	}
}

// FuzzParseImportID: an accepted ID always round-trips through the id
// attribute and names a package the client can address.
func FuzzParseImportID(f *testing.F) {
	for _, seed := range []string{"octocat/container/octo-repo/octo-app", "a/npm/..", "a//b", "x/npm/a\x00", "/"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		for _, scope := range []ghapi.Scope{ghapi.ScopeUser, ghapi.ScopeOrg} {
			checkImportID(t, scope, id)
		}
	})
}

func checkImportID(t *testing.T, scope ghapi.Scope, id string) {
	t.Helper()
	ref, err := ParseImportID(scope, id)
	if err != nil {
		return
	}
	if ref.String() != id {
		t.Fatalf("ID %q parsed to %q", id, ref)
	}
	if err := ref.Validate(); err != nil {
		t.Fatalf("ID %q accepted but the client refuses it: %v", id, err)
	}
}

// FuzzValidators: whatever the configuration holds, the plan-time validators
// never panic, and what they accept the client accepts too, so no value
// passes plan and then fails (or escapes its path) at apply.
func FuzzValidators(f *testing.F) {
	for _, seed := range [][3]string{
		{"octocat", "container", "repo/app"}, {"octocat", "npm", "../x"}, {"a_b", "maven", "com.example:lib"},
		{"-x", "npm", "a"}, {"o", "pypi", "a"}, {"o", "npm", "a\u202eb"}, {"o", "npm", "a%2Fb"}, {"o", "npm", "a\x7fb"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, owner, packageType, name string) {
		for _, scope := range []ghapi.Scope{ghapi.ScopeUser, ghapi.ScopeOrg} {
			accepted := runStringValidator(Owner(scope), types.StringValue(owner)) &&
				runStringValidator(PackageType(), types.StringValue(packageType)) &&
				runStringValidator(PackageName(), types.StringValue(name))
			if !accepted {
				continue
			}
			ref := ghapi.PackageRef{Scope: scope, Owner: owner, Type: packageType, Name: name}
			if err := ref.Validate(); err != nil {
				t.Fatalf("%q passes plan-time validation but the client refuses it: %v", ref, err)
			}
			id, err := ParseImportID(scope, ref.String())
			if err != nil || id != ref {
				t.Fatalf("%q does not round-trip through its import ID: %v, %v", ref, id, err)
			}
		}
	})
}

func TestParseVersionImportID(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		scope ghapi.Scope
		id    string
		want  string // the parsed reference's String(); "" means refused
	}{
		"org":                     {ghapi.ScopeOrg, "octo-org/npm/app/123", "octo-org/npm/app/123"},
		"name with slash":         {ghapi.ScopeUser, "octocat/container/octo-repo/octo-app/987654", "octocat/container/octo-repo/octo-app/987654"},
		"numeric-looking name":    {ghapi.ScopeUser, "octocat/npm/42/7", "octocat/npm/42/7"},
		"no version id":           {ghapi.ScopeOrg, "octo-org/npm/app", ""},
		"version id not a number": {ghapi.ScopeOrg, "octo-org/npm/app/v1", ""},
		"leading zero":            {ghapi.ScopeOrg, "octo-org/npm/app/0123", ""},
		"zero":                    {ghapi.ScopeOrg, "octo-org/npm/app/0", ""},
		"bad org":                 {ghapi.ScopeOrg, "octo_org/npm/app/1", ""},
		"empty":                   {ghapi.ScopeUser, "", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ref, err := ParseVersionImportID(tc.scope, tc.id)
			got := ""
			if err == nil {
				got = ref.String()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseVersionImportID(%q) (-want +got):\n%s (err %v)", tc.id, diff, err)
			}
		})
	}
}

// FuzzParseVersionImportID: an accepted ID round-trips and names a version
// the client can address.
func FuzzParseVersionImportID(f *testing.F) {
	for _, seed := range []string{"octo-org/container/octo-repo/octo-app/42", "a/npm/b/0", "a/npm//1", "/1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		for _, scope := range []ghapi.Scope{ghapi.ScopeUser, ghapi.ScopeOrg} {
			ref, err := ParseVersionImportID(scope, id)
			if err != nil {
				continue
			}
			if ref.String() != id || ref.ID <= 0 {
				t.Fatalf("ID %q parsed to %q", id, ref)
			}
			if err := ref.Package.Validate(); err != nil {
				t.Fatalf("ID %q accepted but the client refuses it: %v", id, err)
			}
		}
	})
}

// TestPackageTypeHints: what a user who wrote a near-miss reads.
func TestPackageTypeHints(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"NPM":       `"NPM" is written in lower case: use "npm"`,
		"Container": `use "container"`,
		"gradle":    `Gradle packages have the type "maven"`,
		"pypi":      "GitHub Packages has no Python registry",
		"helm":      `type "container"`,
		"cobol":     `"cobol" must be one of npm, maven, rubygems, docker, nuget, container`,
	}
	for input, want := range tests {
		t.Run(input, func(t *testing.T) {
			t.Parallel()
			err := checkPackageType(input)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("checkPackageType(%q) = %v, want it to say %q", input, err, want)
			}
		})
	}
}
