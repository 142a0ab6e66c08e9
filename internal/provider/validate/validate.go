// Package validate holds what ghpkg checks in a configuration before any
// request: the plan-time validators of the resource's identity attributes
// and the parser of its import ID. It is kept apart from the provider so its
// fuzz tests build without the plugin server and the test harness.
package validate

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// usernamePattern follows GitHub's login rules: letters, digits and hyphens,
// not starting or ending with a hyphen. Underscores are allowed for
// Enterprise Managed Users (login_shortcode), whose logins can be longer.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,98}[A-Za-z0-9])?$`)

const usernameRule = "must be a GitHub username: letters, digits, hyphens (and underscores for managed users), " +
	"starting and ending with a letter or digit, at most 100 characters"

// orgPattern follows GitHub's rules for organisation names: letters, digits
// and single hyphens between them, at most 39 characters.
var orgPattern = regexp.MustCompile(`^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$`)

const orgRule = "must be a GitHub organisation name: letters, digits and single hyphens between them, " +
	"at most 39 characters"

// ownerRules are the owner checks of each scope.
var ownerRules = map[ghapi.Scope]struct {
	pattern *regexp.Regexp
	rule    string
}{
	ghapi.ScopeUser: {usernamePattern, usernameRule},
	ghapi.ScopeOrg:  {orgPattern, orgRule},
}

// Username accepts GitHub logins.
func Username() validator.String { return Owner(ghapi.ScopeUser) }

// Owner accepts the owners of a scope: user logins or organisation names.
func Owner(scope ghapi.Scope) validator.String {
	r := ownerRules[scope]
	return stringvalidator.RegexMatches(r.pattern, r.rule)
}

// PackageType accepts the package types of GitHub's package endpoints; its
// message lists them, with a hint for names users commonly try.
func PackageType() validator.String { return packageTypeValidator{} }

// typeHints answer package types GitHub does not have by what to use.
var typeHints = map[string]string{
	"gradle":   `Gradle packages have the type "maven"`,
	"yarn":     `packages published with yarn or pnpm have the type "npm"`,
	"pnpm":     `packages published with yarn or pnpm have the type "npm"`,
	"gem":      `RubyGems packages have the type "rubygems"`,
	"rubygem":  `RubyGems packages have the type "rubygems"`,
	"ghcr":     `images on ghcr.io have the type "container"`,
	"ghcr.io":  `images on ghcr.io have the type "container"`,
	"oci":      `OCI images and Helm charts on ghcr.io have the type "container"`,
	"helm":     `OCI images and Helm charts on ghcr.io have the type "container"`,
	"pypi":     "GitHub Packages has no Python registry",
	"pip":      "GitHub Packages has no Python registry",
	"python":   "GitHub Packages has no Python registry",
	"go":       "GitHub Packages has no Go registry; Go modules are served from their repositories",
	"golang":   "GitHub Packages has no Go registry; Go modules are served from their repositories",
	"cargo":    "GitHub Packages has no Rust registry",
	"crates":   "GitHub Packages has no Rust registry",
	"composer": "GitHub Packages has no PHP registry",
}

// checkPackageType explains why a package type is not one GitHub has.
func checkPackageType(t string) error {
	if slices.Contains(ghapi.PackageTypes, t) {
		return nil
	}
	valid := "must be one of " + strings.Join(ghapi.PackageTypes, ", ")
	lower := strings.ToLower(t)
	switch hint, ok := typeHints[lower]; {
	case slices.Contains(ghapi.PackageTypes, lower):
		return fmt.Errorf("%q is written in lower case: use %q", t, lower)
	case ok:
		return fmt.Errorf("%q is not a GitHub Packages type: %s (%s)", t, hint, valid)
	}
	return fmt.Errorf("%q %s", t, valid)
}

type packageTypeValidator struct{}

func (packageTypeValidator) Description(context.Context) string {
	return "must be one of " + strings.Join(ghapi.PackageTypes, ", ")
}

func (v packageTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (packageTypeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkPackageType(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Package Type", fmt.Sprintf("The package type %s.", err))
	}
}

// registryHosts are prefixes users copy from an image or package URL.
var registryHosts = []string{"ghcr.io/", "docker.pkg.github.com/", "npm.pkg.github.com/", "maven.pkg.github.com/",
	"nuget.pkg.github.com/", "rubygems.pkg.github.com/"}

// PackageName applies ghapi.CheckName at plan time, so a name the client
// would refuse never gets as far as apply.
func PackageName() validator.String { return packageNameValidator{} }

type packageNameValidator struct{}

func (packageNameValidator) Description(context.Context) string {
	return "must be a package name: not empty, no control characters, and no empty, \".\" or \"..\" segment between slashes"
}

func (v packageNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (packageNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	for _, host := range registryHosts {
		if strings.HasPrefix(strings.ToLower(name), host) {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid Package Name", fmt.Sprintf("The package name %q "+
				"starts with the registry host %s: give the name alone, without host and owner (%sOWNER/octo-app "+
				"is package_name = \"octo-app\").", name, strings.TrimSuffix(host, "/"), host))
			return
		}
	}
	if err := ghapi.CheckName(name); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Package Name", fmt.Sprintf("The package name %q %s.", name, err))
	}
}

// ParseImportID reads owner/package_type/package_name of a scope; the name
// is all that follows the second slash, so it may hold slashes of its own.
func ParseImportID(scope ghapi.Scope, id string) (ghapi.PackageRef, error) {
	owner := ownerAttribute(scope)
	parts := strings.SplitN(id, "/", 3)
	if len(parts) != 3 {
		return ghapi.PackageRef{}, fmt.Errorf("expected %s/package_type/package_name, got %q", owner, id)
	}
	ref := ghapi.PackageRef{Scope: scope, Owner: parts[0], Type: parts[1], Name: parts[2]}
	return ref, Ref(ref)
}

// Ref reports why a package reference read from outside the configuration
// (an import ID, an import identity) names no valid package, or nil.
func Ref(ref ghapi.PackageRef) error {
	if r := ownerRules[ref.Scope]; !r.pattern.MatchString(ref.Owner) {
		return fmt.Errorf("%s %q %s", ownerAttribute(ref.Scope), ref.Owner, r.rule)
	}
	if err := checkPackageType(ref.Type); err != nil {
		return fmt.Errorf("package type %w", err)
	}
	if err := ghapi.CheckName(ref.Name); err != nil {
		return fmt.Errorf("package name %q %w", ref.Name, err)
	}
	return nil
}

// ParseVersionImportID reads owner/package_type/package_name/version_id: the
// last segment is always the numeric version ID, so a name with slashes
// stays unambiguous.
func ParseVersionImportID(scope ghapi.Scope, id string) (ghapi.VersionRef, error) {
	cut := strings.LastIndex(id, "/")
	if cut < 0 {
		return ghapi.VersionRef{}, fmt.Errorf("expected %s/package_type/package_name/version_id, got %q", ownerAttribute(scope), id)
	}
	digits := id[cut+1:]
	versionID, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || versionID <= 0 || strconv.FormatInt(versionID, 10) != digits {
		return ghapi.VersionRef{}, fmt.Errorf("the last segment of %q must be the version's numeric ID, got %q", id, digits)
	}
	pkg, err := ParseImportID(scope, id[:cut])
	if err != nil {
		return ghapi.VersionRef{}, err
	}
	return ghapi.VersionRef{Package: pkg, ID: versionID}, nil
}

// ownerAttribute names a scope's owner attribute.
func ownerAttribute(scope ghapi.Scope) string {
	if scope == ghapi.ScopeOrg {
		return "org"
	}
	return "username"
}
