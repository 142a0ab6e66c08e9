package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// warnOwnerPrefix warns at plan time when package_name starts with the
// owner, as names copied from ghcr.io/OWNER/NAME often do. It is a warning,
// not an error: a repository may be named like its owner (octocat/octocat),
// and its linked images are then named octocat/<image>.
func warnOwnerPrefix(ctx context.Context, config tfsdkGetter, ownerAttribute string, diags *diag.Diagnostics) {
	var owner, name types.String
	diags.Append(config.GetAttribute(ctx, path.Root(ownerAttribute), &owner)...)
	diags.Append(config.GetAttribute(ctx, path.Root(attrPackageName), &name)...)
	if owner.IsUnknown() || owner.IsNull() || name.IsUnknown() || name.IsNull() {
		return
	}
	if rest, ok := cutPrefixFold(name.ValueString(), owner.ValueString()+"/"); ok {
		summary, detail := ownerPrefixed(name.ValueString(), owner.ValueString(), ownerAttribute, rest)
		diags.AddAttributeWarning(path.Root(attrPackageName), summary, detail)
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
