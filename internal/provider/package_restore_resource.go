package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// packageRestoreResource is the restore core shared by the package restore
// resources of both owners: adopt or restore, wait until visible, read,
// import. What differs between them is data, in ownerSpec.
type packageRestoreResource struct {
	owner ownerSpec
	data  *providerData
}

var (
	_ resource.Resource                   = (*packageRestoreResource)(nil)
	_ resource.ResourceWithConfigure      = (*packageRestoreResource)(nil)
	_ resource.ResourceWithImportState    = (*packageRestoreResource)(nil)
	_ resource.ResourceWithIdentity       = (*packageRestoreResource)(nil)
	_ resource.ResourceWithValidateConfig = (*packageRestoreResource)(nil)
)

// NewUserPackageRestoreResource is the factory of ghpkg_user_package_restore.
func NewUserPackageRestoreResource() resource.Resource {
	return &packageRestoreResource{owner: userOwner}
}

// NewOrgPackageRestoreResource is the factory of ghpkg_org_package_restore.
func NewOrgPackageRestoreResource() resource.Resource {
	return &packageRestoreResource{owner: orgOwner}
}

// importingKey marks, in private state, a resource whose first Read comes
// from an import: a missing package is then an error, not drift.
const importingKey = "importing"

// packageValues are the attributes GitHub's answer sets, as raw values; the
// write-only token is cleared so it can never reach state. The owner keeps
// the spelling of the configuration: GitHub compares owners
// case-insensitively.
func packageValues(owner ownerSpec, ref ghapi.PackageRef, pkg *ghapi.Package) rawAttributes {
	return rawAttributes{
		attrID:           rawString(ref.String()),
		owner.attribute:  rawString(ref.Owner),
		attrPackageType:  rawString(ref.Type),
		attrPackageName:  rawString(ref.Name),
		attrToken:        tftypes.NewValue(tftypes.String, nil),
		attrPackageID:    rawInt64(pkg.ID),
		attrVisibility:   rawString(pkg.Visibility),
		attrVersionCount: rawInt64(pkg.VersionCount),
		attrHTMLURL:      rawString(pkg.HTMLURL),
		attrRepository:   rawOptionalString(pkg.Repository),
		attrCreatedAt:    rawTime(pkg.CreatedAt),
		attrUpdatedAt:    rawTime(pkg.UpdatedAt),
	}
}

func (r *packageRestoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.owner.typeName("package_restore")
}

func (r *packageRestoreResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(r.owner, false)
}

func (r *packageRestoreResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *packageRestoreResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	warnOwnerPrefix(ctx, req.Config, r.owner.attribute, &resp.Diagnostics)
}

func (r *packageRestoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, err := attributesOf(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError(providerBug("reading the plan", err))
		return
	}
	var token types.String // write-only: it lives only in config
	var t timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrToken), &token)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(attrTimeouts), &t)...)
	client := clientOf(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := withTimeout(ctx, t.Create, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	ref := plan.packageRef(r.owner)
	ctx = tflog.SetField(ctx, "package", ref.String())
	steps := restorer{client: client, clock: r.data.clock, timeout: timeout, data: r.data, advice: resourceAdvice}
	pkg, restored, err := steps.restorePackage(ctx, ref, token.ValueString())
	if err != nil {
		steps.report(&resp.Diagnostics, ghapi.VersionRef{Package: ref}, err)
		return
	}
	// A restore is the outcome the user asked for, not a warning: state
	// records it (restored, restored_at) and the log its progress.
	values := packageValues(r.owner, ref, pkg)
	maps.Copy(values, restoredValues(restored, r.data.clock.Now))
	resp.State.Raw = plan.object(req.Plan.Raw.Type(), values)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.owner, ref, 0)...)
	if r.data.packages != nil {
		keepSeen(ctx, resp.Private, 0, r.data.packages.Created(ref), &resp.Diagnostics)
	}
}

// Read runs once per resource in every plan.
func (r *packageRestoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	attrs, err := attributesOf(req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError(providerBug("reading the state", err))
		return
	}
	client := clientOf(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	importing, diags := req.Private.GetKey(ctx, importingKey)
	resp.Diagnostics.Append(diags...)

	ref := attrs.packageRef(r.owner)
	ctx = tflog.SetField(ctx, "package", ref.String())
	// Before any removal: see setIdentity.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.owner, ref, 0)...)
	var pkg *ghapi.Package
	last := lastSeen(ctx, req.Private)
	seen := last
	if r.data.packages != nil && importing == nil {
		pkg, seen, err = r.data.packages.Read(ctx, ref, last)
	} else {
		pkg, err = client.GetPackage(ctx, ref) // import checks GitHub itself
	}
	switch {
	case ghapi.IsNotFound(err) && importing == nil:
		tflog.Warn(ctx, "package is no longer visible; the plan proposes restoring it")
		resp.Diagnostics.AddWarning(warnPackageGone(ref))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		summary, detail := describeError(ref, err)
		r.data.addError(&resp.Diagnostics, err, summary, detail)
		return
	}
	if before, ok := attrs.int64(attrPackageID); ok && before != pkg.ID {
		resp.Diagnostics.AddWarning(warnPackageReplaced(ref, before, pkg.ID))
	}
	resp.State.Raw = attrs.object(req.State.Raw.Type(), packageValues(r.owner, ref, pkg))
	if importing != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, nil)...)
	}
	keepSeen(ctx, resp.Private, last, seen, &resp.Diagnostics)
}

// Update changes nothing on GitHub: only token and timeouts update in place,
// and both matter only to Create.
func (r *packageRestoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, err := attributesOf(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError(providerBug("reading the plan", err))
		return
	}
	resp.State.Raw = plan.object(req.Plan.Raw.Type(), rawAttributes{attrToken: tftypes.NewValue(tftypes.String, nil)})
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.owner, plan.packageRef(r.owner), 0)...)
}

// Delete forgets the package and leaves it on GitHub: a recovery tool must
// never destroy what it recovered.
func (r *packageRestoreResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if state, err := attributesOf(req.State.Raw); err == nil {
		tflog.Info(ctx, "removing from state only; the package stays on GitHub", map[string]any{"package": state.packageRef(r.owner).String()})
	}
	r.data.noticeLeftInPlace(&resp.Diagnostics)
}

// ImportState takes an import ID or an import identity (Terraform 1.12 or
// later); the Read that follows checks GitHub.
func (r *packageRestoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if importState(ctx, req, resp, r.owner, false) {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, []byte("true"))...)
	}
}
