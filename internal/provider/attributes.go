package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	datasourceschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// The names of the restore resources' attributes beside the owner's
// (ownerSpec.attribute), for their schemas, raw state, import and
// identity; the data sources share some.
const (
	attrID           = "id"
	attrPackageType  = "package_type"
	attrPackageName  = "package_name"
	attrToken        = "token"
	attrPackageID    = "package_id"
	attrVisibility   = "visibility"
	attrVersionCount = "version_count"
	attrHTMLURL      = "html_url"
	attrRepository   = "repository"
	attrCreatedAt    = "created_at"
	attrUpdatedAt    = "updated_at"
	attrRestored     = "restored"
	attrRestoredAt   = "restored_at"
	attrTimeouts     = "timeouts"
	// Versions.
	attrPackageVersionID = "package_version_id"
	attrVersion          = "version"
	attrName             = "name"
	attrTags             = "tags"
)

// visibilities are the values GitHub's listing filter accepts.
var visibilities = []string{"public", "private", "internal"}

// ownerAttribute is the required owner (user or organisation) of a restore
// resource. GitHub compares owners case-insensitively, so a change of case
// is an in-place update of state, not another package.
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

// dataSourceOwnerAttribute is the required owner of a data source.
func dataSourceOwnerAttribute(owner ownerSpec) datasourceschema.StringAttribute {
	return datasourceschema.StringAttribute{
		MarkdownDescription: owner.description,
		Required:            true,
		Validators:          []validator.String{validate.Owner(owner.scope)},
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
