package provider

import (
	"context"
	"fmt"
	"time"

	datasourcetimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// packagesDataSource lists the packages of one namespace and type; the
// user and organisation data sources differ only in their ownerSpec.
type packagesDataSource struct {
	owner ownerSpec
	data  *providerData
}

var (
	_ datasource.DataSource              = (*packagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*packagesDataSource)(nil)
)

// NewUserPackagesDataSource is the factory of ghpkg_user_packages.
func NewUserPackagesDataSource() datasource.DataSource {
	return &packagesDataSource{owner: userOwner}
}

// NewOrgPackagesDataSource is the factory of ghpkg_org_packages.
func NewOrgPackagesDataSource() datasource.DataSource {
	return &packagesDataSource{owner: orgOwner}
}

// packageListing is one package of a listing.
type packageListing struct {
	Name         types.String      `tfsdk:"name"`
	PackageID    types.Int64       `tfsdk:"package_id"`
	Visibility   types.String      `tfsdk:"visibility"`
	VersionCount types.Int64       `tfsdk:"version_count"`
	Repository   types.String      `tfsdk:"repository"`
	HTMLURL      types.String      `tfsdk:"html_url"`
	CreatedAt    timetypes.RFC3339 `tfsdk:"created_at"`
	UpdatedAt    timetypes.RFC3339 `tfsdk:"updated_at"`
}

func (d *packagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.owner.typeName("packages")
}

func (d *packagesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists every visible package of one type in %s namespace, following "+
			"all pages (100 per request), within `timeouts.read` (default `5m`). Use it to build a disaster-recovery "+
			"stack from what exists today: `for_each` over `packages` into `ghpkg%s` resources.", d.owner.whose,
			d.owner.typeName("package_restore")),
		Attributes: map[string]schema.Attribute{
			d.owner.attribute: dataSourceOwnerAttribute(d.owner),
			attrPackageType: schema.StringAttribute{
				MarkdownDescription: "The registry to list: one of `npm`, `maven`, `rubygems`, `docker`, `nuget` or `container`.",
				Required:            true,
				Validators:          []validator.String{validate.PackageType()},
			},
			attrVisibility: schema.StringAttribute{
				MarkdownDescription: "Lists only packages of this visibility: `public`, `private` or `internal`. Default: all.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(visibilities...)},
			},
			"packages": schema.ListNestedAttribute{
				MarkdownDescription: "Every visible package of the namespace and type, in GitHub's order, all pages.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":          computed("The package's name, as the restore resources take it (may contain `/`)."),
					"package_id":    schema.Int64Attribute{MarkdownDescription: "GitHub's numeric ID of the package.", Computed: true},
					"visibility":    computed("`public` or `private`."),
					"version_count": schema.Int64Attribute{MarkdownDescription: "The number of versions.", Computed: true},
					"repository":    computed("The full name of the linked repository, or null."),
					"html_url":      computed("The package's page on GitHub."),
					"created_at":    schema.StringAttribute{MarkdownDescription: "When the package was first published (RFC 3339).", Computed: true, CustomType: timetypes.RFC3339Type{}},
					"updated_at":    schema.StringAttribute{MarkdownDescription: "When the package last changed (RFC 3339).", Computed: true, CustomType: timetypes.RFC3339Type{}},
				}},
			},
		},
		Blocks: map[string]schema.Block{attrTimeouts: readTimeoutBlock(ctx)},
	}
}

func (d *packagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// Read reads the configuration by path (the framework fills the state
// from it) and writes packages.
func (d *packagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var timeouts datasourcetimeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrTimeouts), &timeouts)...)
	_, pkgs := listNamespace(ctx, d.data, d.owner, req.Config, "timeouts.read", timeouts.Read, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	listings := make([]packageListing, 0, len(pkgs))
	for _, p := range pkgs {
		listings = append(listings, listingOf(p))
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("packages"), listings)...)
}

// listNamespace lists the namespace that a listing's configuration names
// (the owner, package_type and visibility attributes) within the timeout
// that read returns, named attribute in messages; diags says why not.
func listNamespace(ctx context.Context, data *providerData, owner ownerSpec, config tfsdkGetter, attribute string,
	read func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), diags *diag.Diagnostics) (ghapi.Namespace, []*ghapi.Package) {
	var ownerName, packageType, visibility types.String
	diags.Append(config.GetAttribute(ctx, path.Root(owner.attribute), &ownerName)...)
	diags.Append(config.GetAttribute(ctx, path.Root(attrPackageType), &packageType)...)
	diags.Append(config.GetAttribute(ctx, path.Root(attrVisibility), &visibility)...)
	client := clientOf(data, diags)
	ctx, bound, cancel := withListingTimeout(ctx, attribute, read, diags)
	defer cancel()
	ns := ghapi.Namespace{Scope: owner.scope, Owner: ownerName.ValueString(), Type: packageType.ValueString()}
	if diags.HasError() {
		return ns, nil
	}
	pkgs, err := client.ListPackages(ctx, ns, visibility.ValueString())
	if err != nil {
		summary, detail := describeListingError(ctx, bound, ghapi.OpList, ghapi.PackageRef{Scope: ns.Scope, Owner: ns.Owner, Type: ns.Type}, err)
		data.addError(diags, err, summary, detail)
		return ns, nil
	}
	tflog.Debug(ctx, "namespace listed", map[string]any{"namespace": ns.String(), "packages": len(pkgs)})
	return ns, pkgs
}

func listingOf(p *ghapi.Package) packageListing {
	l := packageListing{
		Name:         types.StringValue(p.Name),
		PackageID:    types.Int64Value(p.ID),
		Visibility:   types.StringValue(p.Visibility),
		VersionCount: types.Int64Value(p.VersionCount),
		Repository:   types.StringNull(),
		HTMLURL:      types.StringValue(p.HTMLURL),
		CreatedAt:    timetypes.NewRFC3339TimeValue(p.CreatedAt.UTC()),
		UpdatedAt:    timetypes.NewRFC3339TimeValue(p.UpdatedAt.UTC()),
	}
	if p.Repository != "" {
		l.Repository = types.StringValue(p.Repository)
	}
	return l
}
