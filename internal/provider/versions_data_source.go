package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// versionsDataSource lists a package's versions in one state; the user and
// organisation data sources differ only in their ownerSpec.
type versionsDataSource struct {
	owner ownerSpec
	data  *providerData
}

var (
	_ datasource.DataSource              = (*versionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*versionsDataSource)(nil)
)

// NewUserPackageVersionsDataSource is the factory of ghpkg_user_package_versions.
func NewUserPackageVersionsDataSource() datasource.DataSource {
	return &versionsDataSource{owner: userOwner}
}

// NewOrgPackageVersionsDataSource is the factory of ghpkg_org_package_versions.
func NewOrgPackageVersionsDataSource() datasource.DataSource {
	return &versionsDataSource{owner: orgOwner}
}

// versionListItem is one version of a listing.
type versionListItem struct {
	ID              types.Int64       `tfsdk:"id"`
	Name            types.String      `tfsdk:"name"`
	Tags            []types.String    `tfsdk:"tags"`
	HTMLURL         types.String      `tfsdk:"html_url"`
	CreatedAt       timetypes.RFC3339 `tfsdk:"created_at"`
	UpdatedAt       timetypes.RFC3339 `tfsdk:"updated_at"`
	DeletedAt       timetypes.RFC3339 `tfsdk:"deleted_at"`
	RestorableUntil timetypes.RFC3339 `tfsdk:"restorable_until"`
}

func (d *versionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.owner.typeName("package_versions")
}

func (d *versionsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	timestamp := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true, CustomType: timetypes.RFC3339Type{}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the versions of one package, active or deleted, following all pages, within " +
			"`timeouts.read` (default `5m`). With " +
			"`state = \"deleted\"` it shows what can still be restored and until when (`restorable_until`). " +
			"GitHub lists deleted versions only of organisations and of the token's own account.",
		Attributes: map[string]schema.Attribute{
			d.owner.attribute: dataSourceOwnerAttribute(d.owner),
			attrPackageType: schema.StringAttribute{MarkdownDescription: "The package's registry.", Required: true,
				Validators: []validator.String{validate.PackageType()}},
			attrPackageName: schema.StringAttribute{MarkdownDescription: "The package's name (may contain `/`).", Required: true,
				Validators: []validator.String{validate.PackageName()}},
			"state": schema.StringAttribute{
				MarkdownDescription: "`active` (default) or `deleted`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(ghapi.VersionsActive, ghapi.VersionsDeleted)},
			},
			"versions": schema.ListNestedAttribute{
				MarkdownDescription: "The versions, in GitHub's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   schema.Int64Attribute{MarkdownDescription: "The version's numeric ID (`package_version_id`).", Computed: true},
					"name": str("The version's name (for containers, the `sha256:` digest)."),
					"tags": schema.ListAttribute{MarkdownDescription: "Container or docker tags; `[]` for other types.",
						ElementType: types.StringType, Computed: true},
					"html_url":         str("The version's page on GitHub."),
					"created_at":       timestamp("When the version was published."),
					"updated_at":       timestamp("When the version last changed."),
					"deleted_at":       timestamp("When the version was deleted; null for active versions."),
					"restorable_until": timestamp("`deleted_at` + 30 days: after that GitHub cannot restore it; null for active versions."),
				}},
			},
		},
		Blocks: map[string]schema.Block{attrTimeouts: readTimeoutBlock(ctx)},
	}
}

func (d *versionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// Read reads the configuration by path (the framework fills the state
// from it) and writes versions.
func (d *versionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var owner, packageType, packageName, state types.String
	ctx, client, bound, cancel, ok := startRead(ctx, d.data, req.Config, map[string]any{d.owner.attribute: &owner,
		attrPackageType: &packageType, attrPackageName: &packageName, "state": &state}, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	pkg := ghapi.PackageRef{Scope: d.owner.scope, Owner: owner.ValueString(), Type: packageType.ValueString(), Name: packageName.ValueString()}
	listed := pkg
	if state.ValueString() == ghapi.VersionsDeleted {
		var err error
		if listed, err = listableRef(ctx, client, pkg); err != nil {
			if listingTimedOutIn(ctx) {
				resp.Diagnostics.AddError(describeListingError(ctx, bound, ghapi.OpListVersions, pkg, err))
			} else {
				summary, detail := cannotListDeleted(err)
				resp.Diagnostics.AddAttributeError(path.Root("state"), summary, detail)
			}
			return
		}
	}
	versions, err := client.ListVersions(ctx, listed, state.ValueString())
	if err != nil {
		summary, detail := describeListingError(ctx, bound, ghapi.OpListVersions, pkg, err)
		d.data.addError(&resp.Diagnostics, err, summary, detail)
		return
	}
	items := make([]versionListItem, 0, len(versions))
	for _, v := range versions {
		items = append(items, versionItemOf(v))
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("versions"), items)...)
}

func versionItemOf(v *ghapi.PackageVersion) versionListItem {
	item := versionListItem{
		ID:              types.Int64Value(v.ID),
		Name:            types.StringValue(v.Name),
		Tags:            make([]types.String, 0, len(v.Tags)),
		HTMLURL:         types.StringValue(v.HTMLURL),
		CreatedAt:       timetypes.NewRFC3339TimeValue(v.CreatedAt.UTC()),
		UpdatedAt:       timetypes.NewRFC3339TimeValue(v.UpdatedAt.UTC()),
		DeletedAt:       timetypes.NewRFC3339Null(),
		RestorableUntil: timetypes.NewRFC3339Null(),
	}
	for _, tag := range v.Tags {
		item.Tags = append(item.Tags, types.StringValue(tag))
	}
	if !v.DeletedAt.IsZero() {
		item.DeletedAt = timetypes.NewRFC3339TimeValue(v.DeletedAt.UTC())
		item.RestorableUntil = timetypes.NewRFC3339TimeValue(v.RestorableUntil().UTC())
	}
	return item
}
