package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// warnOwnerPrefix warns at plan time when package_name starts with the
// owner, as names copied from ghcr.io/OWNER/NAME often do. It is a warning,
// not an error: a repository may be named like its owner (octocat/octocat),
// and its linked images are then named octocat/<image>.
func warnOwnerPrefix(ctx context.Context, config tfsdkGetter, ownerAttribute string, diags *diag.Diagnostics) {
	var owner, name types.String
	diags.Append(config.GetAttribute(ctx, path.Root(ownerAttribute), &owner)...)
	diags.Append(config.GetAttribute(ctx, path.Root("package_name"), &name)...)
	if owner.IsUnknown() || owner.IsNull() || name.IsUnknown() || name.IsNull() {
		return
	}
	prefix := owner.ValueString() + "/"
	if rest, ok := cutPrefixFold(name.ValueString(), prefix); ok {
		diags.AddAttributeWarning(path.Root("package_name"), "Package Name Starts With Its Owner",
			fmt.Sprintf("package_name %q starts with %q, the %s. GitHub names a package without its owner: if "+
				"this was copied from ghcr.io/%s%s, use package_name = %q. Keep it only when the package is "+
				"linked to a repository that is itself named %q.", name.ValueString(), prefix, ownerAttribute,
				prefix, rest, rest, owner.ValueString()))
	}
}

// tfsdkGetter is the part of tfsdk.Config the check reads.
type tfsdkGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}

func (r *packageRestoreResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	warnOwnerPrefix(ctx, req.Config, r.scope.owner.attribute, &resp.Diagnostics)
}

func (r *versionRestoreResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	warnOwnerPrefix(ctx, req.Config, r.scope.owner.attribute, &resp.Diagnostics)
}

var (
	_ resource.ResourceWithValidateConfig = (*packageRestoreResource)(nil)
	_ resource.ResourceWithValidateConfig = (*versionRestoreResource)(nil)
)
