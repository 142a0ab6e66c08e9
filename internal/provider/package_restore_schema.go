package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

func (r *packageRestoreResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	owner := r.owner
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores a package deleted from " + owner.whose + " namespace and keeps checking that " +
			"it stays visible. Destroying this resource, or removing it from configuration, " +
			"only removes it from Terraform state: **the package is never deleted**.\n\n" +
			"`terraform apply` restores the package (or adopts it when it is already visible); every later " +
			"refresh checks it, so a new deletion shows up in `terraform plan` as a resource to create (with a " +
			"\"Package No Longer Visible\" warning), and the next apply restores it again. GitHub keeps deleted " +
			"packages restorable for 30 days. A package deleted and published again under its name is reported " +
			"by a \"Package Replaced By A New One\" warning.",
		Attributes: map[string]schema.Attribute{
			attrID: schema.StringAttribute{
				MarkdownDescription: "`" + owner.attribute + "/package_type/package_name`, the same form the import ID uses.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			owner.attribute: ownerAttribute(owner),
			attrPackageType: identityAttribute("The registry of the package: one of `npm`, `maven` (also Gradle), "+
				"`rubygems`, `docker` (the legacy docker.pkg.github.com), `nuget` or `container` (ghcr.io). "+
				"Changing it replaces the resource.", validate.PackageType()),
			attrPackageName: identityAttribute("The package's name exactly as GitHub lists it. Container images "+
				"linked to a repository are often named `repo/image`; the slash is kept. Changing it replaces "+
				"the resource.", validate.PackageName()),
			attrToken: schema.StringAttribute{
				MarkdownDescription: "A package token, sent as the restore call's `token` query parameter when " +
					"GitHub asks for one. Write-only (Terraform 1.11 or later): it is used by create and never " +
					"stored in state or plan. Changing it alone does not restore again.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			attrPackageID:    computedInt64("GitHub's numeric ID of the package."),
			attrVisibility:   computedString("`public` or `private`, as GitHub reports it at the last refresh."),
			attrVersionCount: computedInt64("The number of versions of the package at the last refresh."),
			attrHTMLURL:      computedString("The package's page on GitHub."),
			attrRepository: computedString("The full name (`owner/repo`) of the repository the package is linked " +
				"to, or null when it is not linked."),
			attrCreatedAt: computedTime("When the package was first published (RFC 3339)."),
			attrUpdatedAt: computedTime("When the package last changed, at the last refresh (RFC 3339)."),
			attrRestored: schema.BoolAttribute{
				MarkdownDescription: "What the create of this resource instance did, kept unchanged by later " +
					"refreshes: `true` when it restored the package, `false` when the package was already visible " +
					"and was adopted without a restore (also after import). When the package is deleted again, " +
					"refresh removes the resource, and the create that restores it sets `true` again.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			attrRestoredAt: computedTime("When the create of this resource instance restored the package (RFC 3339), or null when it " +
				"was adopted or imported."),
		},
		Blocks: map[string]schema.Block{
			attrTimeouts: timeouts.Block(ctx, timeouts.Opts{
				Create:            true,
				CreateDescription: "How long to restore the package and wait until GitHub shows it (default `5m`).",
			}),
		},
	}
}
