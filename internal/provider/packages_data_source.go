package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	datasourcetimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// packagesDataSource lists the packages of one namespace and type; the
// user and organisation data sources differ only in their listingScope.
type packagesDataSource struct {
	scope listingScope
	data  *providerData
}

// listingScope is what a listing data source declares about its scope.
type listingScope struct {
	owner ownerSpec
	// typeSuffix follows the provider's name: "_user_packages".
	typeSuffix string
	// newModel returns an empty model of the data source's schema.
	newModel func() packagesModel
}

var (
	_ datasource.DataSource              = (*packagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*packagesDataSource)(nil)
)

// visibilities are the values GitHub's listing filter accepts.
var visibilities = []string{"public", "private", "internal"}

// packagesFields are the attributes both listings share beside the owner.
type packagesFields struct {
	PackageType types.String             `tfsdk:"package_type"`
	Visibility  types.String             `tfsdk:"visibility"`
	Packages    []packageListing         `tfsdk:"packages"`
	Timeouts    datasourcetimeouts.Value `tfsdk:"timeouts"`
}

// packagesModel is a scope's model: its owner and the shared fields.
type packagesModel interface {
	owner() *types.String
	fields() *packagesFields
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
	resp.TypeName = req.ProviderTypeName + d.scope.typeSuffix
}

func (d *packagesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists every visible package of one type in a%s namespace, following "+
			"all pages (100 per request), within `timeouts.read` (default `5m`). Use it to build a disaster-recovery "+
			"stack from what exists today: `for_each` over `packages` into `ghpkg%s` resources.", ownerArticle(d.scope.owner.scope),
			strings.Replace(d.scope.typeSuffix, "packages", "package_restore", 1)),
		Attributes: map[string]schema.Attribute{
			d.scope.owner.attribute: dataSourceOwnerAttribute(d.scope.owner),
			"package_type": schema.StringAttribute{
				MarkdownDescription: "The registry to list: one of `npm`, `maven`, `rubygems`, `docker`, `nuget` or `container`.",
				Required:            true,
				Validators:          []validator.String{validate.PackageType()},
			},
			"visibility": schema.StringAttribute{
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
		Blocks: map[string]schema.Block{"timeouts": readTimeoutBlock(ctx)},
	}
}

// dataSourceOwnerAttribute is the required owner of a listing data source.
func dataSourceOwnerAttribute(owner ownerSpec) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: owner.description,
		Required:            true,
		Validators:          []validator.String{validate.Owner(owner.scope)},
	}
}

func (d *packagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *packagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	model := d.scope.newModel()
	resp.Diagnostics.Append(req.Config.Get(ctx, model)...)
	client := clientOf(d.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	f := model.fields()
	ctx, bound, cancel := withListingTimeout(ctx, "timeouts.read", f.Timeouts.Read, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ns := ghapi.Namespace{Scope: d.scope.owner.scope, Owner: model.owner().ValueString(), Type: f.PackageType.ValueString()}
	pkgs, err := client.ListPackages(ctx, ns, f.Visibility.ValueString())
	if err != nil {
		summary, detail := bound.describe(ctx, ghapi.OpList, ghapi.PackageRef{Scope: ns.Scope, Owner: ns.Owner, Type: ns.Type}, err)
		d.data.addError(&resp.Diagnostics, err, summary, detail)
		return
	}
	tflog.Debug(ctx, "namespace listed", map[string]any{"namespace": ns.String(), "packages": len(pkgs)})
	f.Packages = make([]packageListing, 0, len(pkgs))
	for _, p := range pkgs {
		f.Packages = append(f.Packages, listingOf(p))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
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

// defaultListingTimeout bounds a listing data source's Read and a list
// resource's List. The largest listing ghapi reads (MaxListPages pages, 4
// at a time) takes about a minute at GitHub's usual pace; five leave room
// for retries and rate-limit waits, and still end a stuck listing.
const defaultListingTimeout = 5 * time.Minute

// readTimeoutBlock is the timeouts block of the listing data sources.
func readTimeoutBlock(ctx context.Context) schema.Block {
	return datasourcetimeouts.BlockWithOpts(ctx, datasourcetimeouts.Opts{
		ReadDescription: "How long to list, every page and retry included (default `5m`).",
	})
}

// errListingTimedOut is the cause of a listing's context whose timeout ran
// out: it tells that timeout from Terraform cancelling the operation.
var errListingTimedOut = errors.New("the listing's timeout ran out")

// listingBound is the time bound of one listing, for its messages: the
// attribute that sets it and its value.
type listingBound struct {
	attribute string
	timeout   time.Duration
}

// withListingTimeout bounds ctx by the timeout read returns, by default
// defaultListingTimeout; attribute names it in messages.
func withListingTimeout(ctx context.Context, attribute string, read func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (context.Context, listingBound, context.CancelFunc) {
	timeout, d := read(ctx, defaultListingTimeout)
	diags.Append(d...)
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errListingTimedOut)
	return ctx, listingBound{attribute: attribute, timeout: timeout}, cancel
}

// describe words a failed listing of op: when its timeout ran out, the
// client's error says only that time ran out, so the bound names itself.
func (b listingBound) describe(ctx context.Context, op ghapi.Op, ref ghapi.PackageRef, err error) (string, string) {
	if listingTimedOutIn(ctx) {
		return listingTimedOut(op, ref, b.attribute, b.timeout)
	}
	return describeError(ref, err)
}

// listingTimedOutIn reports whether the listing timeout of ctx ran out.
func listingTimedOutIn(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), errListingTimedOut)
}

// ownerArticle words the owner for descriptions: " user's" or "n organisation's".
func ownerArticle(scope ghapi.Scope) string {
	if scope == ghapi.ScopeOrg {
		return "n organisation's"
	}
	return " user's"
}
