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

// Username accepts GitHub logins.
func Username() validator.String {
	return stringvalidator.RegexMatches(usernamePattern, usernameRule)
}

// PackageType accepts the package types of GitHub's package endpoints; its
// message lists them.
func PackageType() validator.String {
	return stringvalidator.OneOf(ghapi.PackageTypes...)
}

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
	if err := ghapi.CheckName(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Package Name",
			fmt.Sprintf("The package name %q %s.", req.ConfigValue.ValueString(), err))
	}
}

// ParseImportID reads username/package_type/package_name; the name is all
// that follows the second slash, so it may hold slashes of its own.
func ParseImportID(id string) (ghapi.PackageRef, error) {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) != 3 {
		return ghapi.PackageRef{}, fmt.Errorf("expected username/package_type/package_name, got %q", id)
	}
	ref := ghapi.PackageRef{Owner: parts[0], Type: parts[1], Name: parts[2]}
	if !usernamePattern.MatchString(ref.Owner) {
		return ref, fmt.Errorf("username %q %s", ref.Owner, usernameRule)
	}
	if !slices.Contains(ghapi.PackageTypes, ref.Type) {
		return ref, fmt.Errorf("package type %q must be one of %s", ref.Type, strings.Join(ghapi.PackageTypes, ", "))
	}
	if err := ghapi.CheckName(ref.Name); err != nil {
		return ref, fmt.Errorf("package name %q %w", ref.Name, err)
	}
	return ref, nil
}
