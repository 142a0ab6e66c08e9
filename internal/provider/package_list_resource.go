package provider

import (
	"context"
	"fmt"
	"maps"

	listtimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/list/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// packageListResource lists the packages of one namespace and type for
// `terraform query` (Terraform 1.14 or later), as the package restore
// resources of its owner: each result carries the resource's identity and,
// when asked, the resource as an import would read it, so
// `terraform query -generate-config-out` writes a DR stack of what exists.
type packageListResource struct {
	owner ownerSpec
	data  *providerData
}

var (
	_ list.ListResource              = (*packageListResource)(nil)
	_ list.ListResourceWithConfigure = (*packageListResource)(nil)
)

// NewUserPackageRestoreListResource is the factory of the list resource
// ghpkg_user_package_restore (terraform query).
func NewUserPackageRestoreListResource() list.ListResource {
	return &packageListResource{owner: userOwner}
}

// NewOrgPackageRestoreListResource is the factory of the list resource
// ghpkg_org_package_restore (terraform query).
func NewOrgPackageRestoreListResource() list.ListResource {
	return &packageListResource{owner: orgOwner}
}

func (l *packageListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.owner.typeName("package_restore")
}

func (l *packageListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (l *packageListResource) ListResourceConfigSchema(ctx context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	owner := l.owner
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists every visible package of one type in %s namespace, all pages "+
			"(100 per request) within `timeouts.list` (default `5m`), as `ghpkg%s` resources: `terraform query "+
			"-generate-config-out=dr.tf` writes a resource and an import block for each, a disaster-recovery stack "+
			"of what exists today. Terraform 1.14 or later.", owner.whose, owner.typeName("package_restore")),
		Attributes: map[string]schema.Attribute{
			owner.attribute: schema.StringAttribute{
				MarkdownDescription: owner.description,
				Required:            true,
				Validators:          []validator.String{validate.Owner(owner.scope)},
			},
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
		},
		Blocks: map[string]schema.Block{attrTimeouts: listtimeouts.BlockWithOpts(ctx, listtimeouts.Opts{
			ListDescription: "How long to list, every page and retry included (default `5m`).",
		})},
	}
}

// List lists under the timeout; the results are pushed after it returns,
// under ctx.
func (l *packageListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var timeouts listtimeouts.Value
	diags := req.Config.GetAttribute(ctx, path.Root(attrTimeouts), &timeouts)
	ns, pkgs := listNamespace(ctx, l.data, l.owner, req.Config, "timeouts.list", timeouts.List, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, pkg := range pkgs {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(l.result(ctx, req, ghapi.PackageRef{Scope: ns.Scope, Owner: ns.Owner, Type: ns.Type, Name: pkg.Name}, pkg)) {
				return
			}
		}
	}
}

// result is one listed package: its identity, its display name
// (owner/type/name) and, when asked, the resource as an import reads it
// (restored false, no restored_at).
func (l *packageListResource) result(ctx context.Context, req list.ListRequest, ref ghapi.PackageRef, pkg *ghapi.Package) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = ref.String()
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, l.owner, ref, 0)...)
	if req.IncludeResource {
		result.Diagnostics.Append(l.importedResource(ctx, result.Resource, ref, pkg)...)
	}
	return result
}

// importedResource writes pkg into resource as an import reads it: restored
// false, no restored_at, no timeouts. Raw values, like Read (raw_state.go).
func (l *packageListResource) importedResource(ctx context.Context, resource *tfsdk.Resource, ref ghapi.PackageRef, pkg *ghapi.Package) diag.Diagnostics {
	var diags diag.Diagnostics
	objectType, ok := resource.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError(providerBug("listing package "+ref.String(), fmt.Errorf("the resource schema is not an object")))
		return diags
	}
	values := packageValues(l.owner, ref, pkg)
	maps.Copy(values, restoredValues(false, nil))
	values[attrTimeouts] = tftypes.NewValue(objectType.AttributeTypes[attrTimeouts], nil)
	if err := tftypes.ValidateValue(objectType, map[string]tftypes.Value(values)); err != nil {
		diags.AddError(providerBug("listing package "+ref.String(), err))
		return diags
	}
	resource.Raw = tftypes.NewValue(objectType, map[string]tftypes.Value(values))
	return diags
}
