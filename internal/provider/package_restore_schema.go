package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

func (r *packageRestoreResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	s := r.scope
	resp.Schema = schema.Schema{
		MarkdownDescription: s.description + " Destroying this resource, or removing it from configuration, " +
			"only removes it from Terraform state: **the package is never deleted**.\n\n" +
			"`terraform apply` restores the package (or adopts it when it is already visible); every later " +
			"refresh checks it, so a new deletion shows up in `terraform plan` as a resource to create (with a " +
			"\"Package No Longer Visible\" warning), and the next apply restores it again. GitHub keeps deleted " +
			"packages restorable for 30 days. A package deleted and published again under its name is reported " +
			"by a \"Package Replaced By A New One\" warning.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`" + s.owner.attribute + "/package_type/package_name`, the same form the import ID uses.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			s.owner.attribute: ownerAttribute(s.owner),
			"package_type": identityAttribute("The registry of the package: one of `npm`, `maven` (also Gradle), "+
				"`rubygems`, `docker` (the legacy docker.pkg.github.com), `nuget` or `container` (ghcr.io). "+
				"Changing it replaces the resource.", validate.PackageType()),
			"package_name": identityAttribute("The package's name exactly as GitHub lists it. Container images "+
				"linked to a repository are often named `repo/image`; the slash is kept. Changing it replaces "+
				"the resource.", validate.PackageName()),
			"token": schema.StringAttribute{
				MarkdownDescription: "A package token, sent as the restore call's `token` query parameter when " +
					"GitHub asks for one. Write-only (Terraform 1.11 or later): it is used by create and never " +
					"stored in state or plan. Changing it alone does not restore again.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"package_id":    computedInt64("GitHub's numeric ID of the package."),
			"visibility":    computedString("`public` or `private`, as GitHub reports it at the last refresh."),
			"version_count": computedInt64("The number of versions of the package at the last refresh."),
			"html_url":      computedString("The package's page on GitHub."),
			"repository": computedString("The full name (`owner/repo`) of the repository the package is linked " +
				"to, or null when it is not linked."),
			"created_at": computedTime("When the package was first published (RFC 3339)."),
			"updated_at": computedTime("When the package last changed, at the last refresh (RFC 3339)."),
			"restored": schema.BoolAttribute{
				MarkdownDescription: "What the create of this resource instance did, kept unchanged by later " +
					"refreshes: `true` when it restored the package, `false` when the package was already visible " +
					"and was adopted without a restore (also after import). When the package is deleted again, " +
					"refresh removes the resource, and the create that restores it sets `true` again.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"restored_at": computedTime("When the create of this resource instance restored the package (RFC 3339), or null when it " +
				"was adopted or imported."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create:            true,
				CreateDescription: "How long to restore the package and wait until GitHub shows it (default `5m`).",
			}),
		},
	}
}

// ownerAttribute is the required owner (user or organisation). GitHub
// compares owners case-insensitively, so a change of case is an in-place
// update of state, not another package.
func ownerAttribute(owner ownerSpec) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: owner.description + " A change of case only updates state (GitHub compares owners " +
			"case-insensitively); any other change replaces the resource.",
		Required:   true,
		Validators: []validator.String{validate.Owner(owner.scope)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
			func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
				resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
			},
			"Replaces the resource when the owner changes other than in case.",
			"Replaces the resource when the owner changes other than in case.")},
	}
}

// identityAttribute is a required string that names the package: changing it
// means another package, so it forces replacement.
func identityAttribute(description string, v validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Required:            true,
		Validators:          []validator.String{v},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// The computed attributes keep their state value across plans: Update calls
// no API, and Read refreshes them.
func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func computedInt64(description string) schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
	}
}

func computedTime(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		CustomType:          timetypes.RFC3339Type{},
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}
