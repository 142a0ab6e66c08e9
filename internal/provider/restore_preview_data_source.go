package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// restorePreviewDataSource says, at plan, what apply will do to each package
// and version of a stack: restore it or adopt it.
//
// It is a data source, not an attribute of the restore resources, because
// Terraform plans every create twice (at plan, and again at apply) and
// rejects a known value that changed in between, while a data source read
// at plan is kept in the plan and not read again at apply. So the preview
// is what GitHub showed when the plan was made, and the resources still
// decide at apply from what GitHub shows then.
type restorePreviewDataSource struct {
	owner      ownerSpec
	typeSuffix string
	data       *providerData
}

// NewUserRestorePreviewDataSource is the factory of ghpkg_user_restore_preview.
func NewUserRestorePreviewDataSource() datasource.DataSource {
	return &restorePreviewDataSource{owner: userOwner, typeSuffix: "_user_restore_preview"}
}

// NewOrgRestorePreviewDataSource is the factory of ghpkg_org_restore_preview.
func NewOrgRestorePreviewDataSource() datasource.DataSource {
	return &restorePreviewDataSource{owner: orgOwner, typeSuffix: "_org_restore_preview"}
}

var (
	_ datasource.DataSource              = (*restorePreviewDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*restorePreviewDataSource)(nil)
)

func (d *restorePreviewDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.typeSuffix
}

func (d *restorePreviewDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	action := computed("What apply will do, as GitHub stood when the plan was made: `adopt` (visible), `restore` " +
		"(not visible), `expired` (a version deleted more than 30 days ago: apply fails), `missing` (a version " +
		"neither visible nor deleted: apply fails) or `unknown` (the lookup failed, or a version's package is " +
		"itself not visible: apply decides).")
	detail := computed("Why, in one sentence.")
	packageType := schema.StringAttribute{MarkdownDescription: "The package's registry.", Required: true,
		Validators: []validator.String{validate.PackageType()}}
	packageName := schema.StringAttribute{MarkdownDescription: "The package's name (may contain `/`).", Required: true,
		Validators: []validator.String{validate.PackageName()}}
	resourceType := "ghpkg" + strings.TrimSuffix(d.typeSuffix, "_restore_preview")
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Says, at plan, what apply will do to each package and version of a "+
			"disaster-recovery stack: restore it or adopt it (`action`). Give it the same packages and versions "+
			"as the stack's `%s_package_restore` and `%s_package_version_restore` resources, keyed as they are. "+
			"Terraform reads it during plan and keeps its answer in a saved plan, so `terraform show -json` of the "+
			"plan holds it; apply does not read it again. When GitHub changes between plan and apply, the "+
			"resources follow GitHub, not the preview. Packages are looked up as a refresh reads them (a "+
			"namespace's listing for many packages, GitHub's own 404 for each that is not visible), versions "+
			"through their package's listings. A failed "+
			"lookup makes the entry `unknown` with one warning for the run, never a failed plan; versions past "+
			"their 30-day restore window are named in one warning.", resourceType, resourceType),
		Attributes: map[string]schema.Attribute{
			d.owner.attribute: dataSourceOwnerAttribute(d.owner),
			"packages": schema.MapNestedAttribute{
				MarkdownDescription: "Packages, keyed as the stack's package resources (`for_each` keys).",
				Optional:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"package_type": packageType,
					"package_name": packageName,
					"action":       action,
					"detail":       detail,
				}},
			},
			"versions": schema.MapNestedAttribute{
				MarkdownDescription: "Versions, keyed as the stack's version resources, each by `version` (a " +
					"name, tag or digest) or `package_version_id`.",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"package_type": packageType,
						"package_name": packageName,
						"version": schema.StringAttribute{
							MarkdownDescription: "The version's name, a container tag or a `sha256:` digest.",
							Optional:            true,
							Validators: []validator.String{stringvalidator.ExactlyOneOf(
								path.MatchRelative().AtParent().AtName("package_version_id"))},
						},
						"package_version_id": schema.Int64Attribute{
							MarkdownDescription: "The version's numeric ID.",
							Optional:            true,
							Validators:          []validator.Int64{int64validator.AtLeast(1)},
						},
						"found_version_id": schema.Int64Attribute{
							MarkdownDescription: "The numeric ID of the version found, visible or deleted; null when none was.",
							Computed:            true,
						},
						"action":           action,
						"detail":           detail,
						"deleted_at":       schema.StringAttribute{MarkdownDescription: "When the version was deleted; null unless listed as deleted.", Computed: true, CustomType: timetypes.RFC3339Type{}},
						"restorable_until": schema.StringAttribute{MarkdownDescription: "`deleted_at` + 30 days; null unless listed as deleted.", Computed: true, CustomType: timetypes.RFC3339Type{}},
					},
				},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": readTimeoutBlock(ctx)},
	}
}

func (d *restorePreviewDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *restorePreviewDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var owner types.String
	var packages map[string]previewPackage
	var versions map[string]previewVersion
	ctx, client, _, cancel, ok := startRead(ctx, d.data, req.Config,
		map[string]any{d.owner.attribute: &owner, "packages": &packages, "versions": &versions}, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	p := previewer{client: client, now: d.data.clock.Now()}
	p.packages(ctx, d.owner.scope, owner.ValueString(), packages)
	p.versions(ctx, d.owner.scope, owner.ValueString(), versions)
	p.warn(ctx, &resp.Diagnostics, d.data.firstTime)
	tflog.Info(ctx, "restore preview", map[string]any{"owner": owner.ValueString(), "packages": len(packages),
		"versions": len(versions), "restore": p.count[previewRestore], "adopt": p.count[previewAdopt]})
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("packages"), packages)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("versions"), versions)...)
}
