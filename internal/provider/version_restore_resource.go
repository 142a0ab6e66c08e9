package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// versionRestoreResource is the restore core of one package version, shared
// by the user and organisation resources; what differs is in versionScope.
type versionRestoreResource struct {
	scope versionScope
	data  *providerData
}

var (
	_ resource.Resource                     = (*versionRestoreResource)(nil)
	_ resource.ResourceWithConfigure        = (*versionRestoreResource)(nil)
	_ resource.ResourceWithImportState      = (*versionRestoreResource)(nil)
	_ resource.ResourceWithConfigValidators = (*versionRestoreResource)(nil)
	_ resource.ResourceWithIdentity         = (*versionRestoreResource)(nil)
)

// versionScope is what a version restore resource declares about its scope.
type versionScope struct {
	owner ownerSpec
	// typeSuffix follows the provider's name: "_org_package_version_restore".
	typeSuffix    string
	importExample string
	newModel      func() versionRestoreModel
}

// versionRestoreFields are the attributes both scopes share.
type versionRestoreFields struct {
	ID               types.String      `tfsdk:"id"`
	PackageType      types.String      `tfsdk:"package_type"`
	PackageName      types.String      `tfsdk:"package_name"`
	PackageVersionID types.Int64       `tfsdk:"package_version_id"`
	Version          types.String      `tfsdk:"version"`
	Name             types.String      `tfsdk:"name"`
	Tags             types.List        `tfsdk:"tags"`
	HTMLURL          types.String      `tfsdk:"html_url"`
	CreatedAt        timetypes.RFC3339 `tfsdk:"created_at"`
	UpdatedAt        timetypes.RFC3339 `tfsdk:"updated_at"`
	Restored         types.Bool        `tfsdk:"restored"`
	RestoredAt       timetypes.RFC3339 `tfsdk:"restored_at"`
	Timeouts         timeouts.Value    `tfsdk:"timeouts"`
}

// versionRestoreModel is a scope's model: its owner and the shared fields.
type versionRestoreModel interface {
	owner() *types.String
	fields() *versionRestoreFields
}

func (s versionScope) packageRef(m versionRestoreModel) ghapi.PackageRef {
	f := m.fields()
	return ghapi.PackageRef{Scope: s.owner.scope, Owner: m.owner().ValueString(), Type: f.PackageType.ValueString(), Name: f.PackageName.ValueString()}
}

// versionValues are the attributes GitHub's answer sets, as raw values
// (raw_state.go).
func (s versionScope) versionValues(ref ghapi.VersionRef, v *ghapi.PackageVersion) rawAttributes {
	tags := make([]tftypes.Value, 0, len(v.Tags))
	for _, tag := range v.Tags {
		tags = append(tags, rawString(tag))
	}
	return rawAttributes{
		"id":                 rawString(ref.String()),
		s.owner.attribute:    rawString(ref.Package.Owner),
		"package_type":       rawString(ref.Package.Type),
		"package_name":       rawString(ref.Package.Name),
		"package_version_id": rawInt64(v.ID),
		"name":               rawString(v.Name),
		"tags":               tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tags),
		"html_url":           rawString(v.HTMLURL),
		"created_at":         rawTime(v.CreatedAt),
		"updated_at":         rawTime(v.UpdatedAt),
	}
}

func (r *versionRestoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.scope.typeSuffix
}

func (r *versionRestoreResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(r.scope.owner, true)
}

func (r *versionRestoreResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *versionRestoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := r.scope.newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
	client := clientOf(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	f := plan.fields()
	ctx, cancel, timeout, ok := withCreateTimeout(ctx, f.Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	pkg := r.scope.packageRef(plan)
	ctx = tflog.SetField(ctx, "package", pkg.String())
	steps := restorer{client: client, clock: r.data.clock, timeout: timeout, reportVersion: r.reportVersion}
	// package_version_id is unknown (0) when version names the version.
	ref, deleted, diags := steps.locateVersion(ctx, pkg, f.PackageVersionID.ValueInt64(), f.Version.ValueString())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, restored, err := steps.restoreVersion(ctx, ref, deleted)
	if err != nil {
		r.reportVersion(&resp.Diagnostics, ref, err)
		return
	}
	// A restore is the outcome the user asked for, not a warning: state
	// records it (restored, restored_at) and the log its progress.
	f.Restored, f.RestoredAt = restoredOutcome(restored, r.data.clock)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	if err := overlay(&resp.State, r.scope.versionValues(ref, v)); err != nil {
		resp.Diagnostics.AddError(providerBug("setting the state of a version of package "+ref.Package.String(), err))
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, pkg, ref.ID)...)
	if r.data.versions != nil {
		keepSeen(ctx, resp.Private, 0, r.data.versions.Created(ref), &resp.Diagnostics)
	}
}

// Read works on the raw state (raw_state.go): it runs once per resource in
// every plan.
func (r *versionRestoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	attrs, err := attributesOf(req.State)
	if err != nil {
		resp.Diagnostics.AddError(providerBug("reading the state", err))
		return
	}
	client := clientOf(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id, _ := attrs.int64("package_version_id")
	ref := ghapi.VersionRef{Package: r.scope.owner.packageRef(attrs), ID: id}
	ctx = tflog.SetField(ctx, "package", ref.Package.String())
	// Before any removal: see setIdentity.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, ref.Package, ref.ID)...)
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
	if err := overlay(&resp.State, r.scope.versionValues(ref, v)); err != nil {
		resp.Diagnostics.AddError(providerBug("setting the state of a version of package "+ref.Package.String(), err))
	}
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
	plan := r.scope.newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, r.scope.packageRef(plan), plan.fields().PackageVersionID.ValueInt64())...)
}

// Delete forgets the version and leaves it on GitHub.
func (r *versionRestoreResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	tflog.Info(ctx, "removing from state only; the version stays on GitHub")
	r.data.noticeLeftInPlace(&resp.Diagnostics)
}

// ImportState takes an import ID or an import identity (Terraform 1.12 or
// later); the Read that follows checks GitHub.
func (r *versionRestoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, diags := importTarget(ctx, req, r.scope.owner, r.scope.importExample, true)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	for attr, value := range map[string]string{"id": ref.String(), r.scope.owner.attribute: ref.Package.Owner,
		"package_type": ref.Package.Type, "package_name": ref.Package.Name} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), value)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("package_version_id"), ref.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("restored"), false)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, ref.Package, ref.ID)...)
}

// reportVersion reports a failed step of a version's create.
func (r *versionRestoreResource) reportVersion(diags *diag.Diagnostics, ref ghapi.VersionRef, err error) {
	summary, detail := describeVersionCreateError(ref, err)
	r.data.addError(diags, err, summary, detail)
}

// packageResourceSuffix names the package resource of a scope.
func packageResourceSuffix(scope ghapi.Scope) string {
	if scope == ghapi.ScopeOrg {
		return "_org_package_restore"
	}
	return "_user_package_restore"
}
