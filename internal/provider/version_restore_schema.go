package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

func (r *versionRestoreResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	owner := r.owner
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores one deleted version of a package (a tag, a release) and keeps checking " +
			"that it stays visible. Destroying this resource only removes it from Terraform state: **the version " +
			"is never deleted**.\n\n" +
			"The package itself must be visible (restore it with the package resource first). GitHub keeps " +
			"deleted versions restorable for 30 days. Name the version by `package_version_id`, or by `version`, " +
			"resolved once at create.",
		Attributes: map[string]schema.Attribute{
			attrID: schema.StringAttribute{
				MarkdownDescription: "`" + owner.attribute + "/package_type/package_name/version_id`, the import ID's form.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			owner.attribute: ownerAttribute(owner),
			attrPackageType: identityAttribute("The registry of the package: one of `npm`, `maven`, `rubygems`, "+
				"`docker`, `nuget` or `container`. Changing it replaces the resource.", validate.PackageType()),
			attrPackageName: identityAttribute("The package's name exactly as GitHub lists it (may contain `/`). "+
				"Changing it replaces the resource.", validate.PackageName()),
			attrPackageVersionID: schema.Int64Attribute{
				MarkdownDescription: "The version's numeric ID (the number at the end of its URL on GitHub). " +
					"Exactly one of `package_version_id` and `version`; when `version` is given, this is the ID it " +
					"resolved to. Changing it replaces the resource.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{
					int64planmodifier.UseStateForUnknown(),
					int64planmodifier.RequiresReplaceIfConfigured(),
				},
			},
			attrVersion: schema.StringAttribute{
				MarkdownDescription: "The version's name: an npm, Maven, NuGet or RubyGems version (`1.4.2`), or " +
					"a container tag (`v1.4.2`) or digest (`sha256:...`). Resolved once, at create, through the " +
					"listing of deleted versions (the most recently deleted when several match; an active version " +
					"of that name is adopted); never resolved again. GitHub lists deleted versions only of " +
					"organisations and of the token's own account: for another user's package use " +
					"`package_version_id`. Changing it replaces the resource.",
				Optional:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			attrName: computedString("The version's name as GitHub reports it (for containers, the `sha256:` digest)."),
			attrTags: schema.ListAttribute{
				MarkdownDescription: "The version's container or docker tags; `[]` for other package types.",
				ElementType:         types.StringType,
				Computed:            true,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
			attrHTMLURL:   computedString("The version's page on GitHub."),
			attrCreatedAt: computedTime("When the version was published (RFC 3339)."),
			attrUpdatedAt: computedTime("When the version last changed, at the last refresh (RFC 3339)."),
			attrRestored: schema.BoolAttribute{
				MarkdownDescription: "`true` when the create of this resource instance restored the version; " +
					"`false` when it was already visible and was adopted (also after import).",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			attrRestoredAt: computedTime("When the create of this resource instance restored the version " +
				"(RFC 3339), or null when it was adopted or imported."),
		},
		Blocks: map[string]schema.Block{
			attrTimeouts: timeouts.Block(ctx, timeouts.Opts{
				Create:            true,
				CreateDescription: "How long to restore the version and wait until GitHub shows it (default `5m`).",
			}),
		},
	}
}

// ConfigValidators: a version is named exactly one way, checked at plan time.
func (r *versionRestoreResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot(attrPackageVersionID), path.MatchRoot(attrVersion)),
	}
}
