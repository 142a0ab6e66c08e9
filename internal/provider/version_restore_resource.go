package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// versionRestoreResource is the restore core of one package version, shared
// by the user and organisation resources; what differs is in ownerSpec.
type versionRestoreResource struct {
	owner ownerSpec
	data  *providerData
}

var (
	_ resource.Resource                     = (*versionRestoreResource)(nil)
	_ resource.ResourceWithConfigure        = (*versionRestoreResource)(nil)
	_ resource.ResourceWithImportState      = (*versionRestoreResource)(nil)
	_ resource.ResourceWithConfigValidators = (*versionRestoreResource)(nil)
	_ resource.ResourceWithIdentity         = (*versionRestoreResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*versionRestoreResource)(nil)
)

// NewUserPackageVersionRestoreResource is the factory of
// ghpkg_user_package_version_restore.
func NewUserPackageVersionRestoreResource() resource.Resource {
	return &versionRestoreResource{owner: userOwner}
}

// NewOrgPackageVersionRestoreResource is the factory of
// ghpkg_org_package_version_restore.
func NewOrgPackageVersionRestoreResource() resource.Resource {
	return &versionRestoreResource{owner: orgOwner}
}

// versionValues are the attributes GitHub's answer sets, as raw values
// (raw_state.go).
func versionValues(owner ownerSpec, ref ghapi.VersionRef, v *ghapi.PackageVersion) rawAttributes {
	tags := make([]tftypes.Value, 0, len(v.Tags))
	for _, tag := range v.Tags {
		tags = append(tags, rawString(tag))
	}
	return rawAttributes{
		attrID:               rawString(ref.String()),
		owner.attribute:      rawString(ref.Package.Owner),
		attrPackageType:      rawString(ref.Package.Type),
		attrPackageName:      rawString(ref.Package.Name),
		attrPackageVersionID: rawInt64(v.ID),
		attrName:             rawString(v.Name),
		attrTags:             tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tags),
		attrHTMLURL:          rawString(v.HTMLURL),
		attrCreatedAt:        rawTime(v.CreatedAt),
		attrUpdatedAt:        rawTime(v.UpdatedAt),
	}
}

func (r *versionRestoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.owner.typeName("package_version_restore")
}

func (r *versionRestoreResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(r.owner, true)
}

func (r *versionRestoreResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *versionRestoreResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	warnOwnerPrefix(ctx, req.Config, r.owner.attribute, &resp.Diagnostics)
}

func (r *versionRestoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, err := attributesOf(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError(providerBug("reading the plan", err))
		return
	}
	var t timeouts.Value
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

	// package_version_id is unknown (0) when version names the version.
	named := plan.versionRef(r.owner)
	ctx = tflog.SetField(ctx, "package", named.Package.String())
	steps := restorer{client: client, clock: r.data.clock, timeout: timeout, data: r.data, advice: resourceAdvice}
	ref, deleted, diags := steps.locateVersion(ctx, named.Package, named.ID, plan.str(attrVersion))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, restored, err := steps.restoreVersion(ctx, ref, deleted)
	if err != nil {
		steps.report(&resp.Diagnostics, ref, err)
		return
	}
	// A restore is the outcome the user asked for, not a warning: state
	// records it (restored, restored_at) and the log its progress.
	values := versionValues(r.owner, ref, v)
	maps.Copy(values, restoredValues(restored, r.data.clock.Now))
	resp.State.Raw = plan.object(req.Plan.Raw.Type(), values)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.owner, ref.Package, ref.ID)...)
	if r.data.versions != nil {
		keepSeen(ctx, resp.Private, 0, r.data.versions.Created(ref), &resp.Diagnostics)
	}
}

// Read runs once per resource in every plan.
func (r *versionRestoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	attrs, err := attributesOf(req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError(providerBug("reading the state", err))
		return
	}
	client := clientOf(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := attrs.versionRef(r.owner)
	ctx = tflog.SetField(ctx, "package", ref.Package.String())
	// Before any removal: see setIdentity.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.owner, ref.Package, ref.ID)...)
	var v *ghapi.PackageVersion
	last := lastSeen(ctx, req.Private)
	seen := last
	if r.data.versions != nil {
		v, seen, err = r.data.versions.Read(ctx, ref, last)
	} else {
		v, err = client.GetVersion(ctx, ref)
	}
	if ghapi.IsNotFound(err) {
		r.removeMissing(ctx, client, ref, resp)
		return
	}
	if err != nil {
		summary, detail := describeError(ref.Package, err)
		r.data.addError(&resp.Diagnostics, err, summary, detail)
		return
	}
	resp.State.Raw = attrs.object(req.State.Raw.Type(), versionValues(r.owner, ref, v))
	keepSeen(ctx, resp.Private, last, seen, &resp.Diagnostics)
}

// removeMissing handles a version GitHub no longer shows: drift when its
// package is visible; when the package itself is gone, a warning that it
// must be restored first.
func (r *versionRestoreResource) removeMissing(ctx context.Context, client *ghapi.Client, ref ghapi.VersionRef, resp *resource.ReadResponse) {
	_, err := client.GetPackage(ctx, ref.Package)
	switch {
	case ghapi.IsNotFound(err):
		resp.Diagnostics.AddWarning(warnVersionPackageGone(ref))
	case err != nil:
		summary, detail := describeError(ref.Package, err)
		r.data.addError(&resp.Diagnostics, err, summary, detail)
		return
	default:
		tflog.Warn(ctx, "version is no longer visible; the plan proposes restoring it", map[string]any{"version_id": ref.ID})
	}
	resp.State.RemoveResource(ctx)
}

// Update changes nothing on GitHub: only timeouts update in place.
func (r *versionRestoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, err := attributesOf(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError(providerBug("reading the plan", err))
		return
	}
	resp.State.Raw = req.Plan.Raw
	ref := plan.versionRef(r.owner)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.owner, ref.Package, ref.ID)...)
}

// Delete forgets the version and leaves it on GitHub.
func (r *versionRestoreResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	tflog.Info(ctx, "removing from state only; the version stays on GitHub")
	r.data.noticeLeftInPlace(&resp.Diagnostics)
}

// ImportState takes an import ID or an import identity (Terraform 1.12 or
// later); the Read that follows checks GitHub.
func (r *versionRestoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importState(ctx, req, resp, r.owner, true)
}
