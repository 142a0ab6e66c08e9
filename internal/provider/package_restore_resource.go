package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// packageRestoreResource is the restore core shared by the package restore
// resources of every scope: adopt or restore, wait until visible, read,
// import. What differs between scopes is data, in packageScope.
type packageRestoreResource struct {
	scope packageScope
	data  *providerData
}

var (
	_ resource.Resource                = (*packageRestoreResource)(nil)
	_ resource.ResourceWithConfigure   = (*packageRestoreResource)(nil)
	_ resource.ResourceWithImportState = (*packageRestoreResource)(nil)
	_ resource.ResourceWithIdentity    = (*packageRestoreResource)(nil)
)

// ownerSpec is what a scope declares about its owner attribute.
type ownerSpec struct {
	scope ghapi.Scope
	// attribute is "username" or "org"; description documents it.
	attribute, description string
}

// packageScope is what a package restore resource declares about its scope.
type packageScope struct {
	owner ownerSpec
	// typeSuffix follows the provider's name: "_user_package_restore".
	typeSuffix string
	// description opens the resource's registry page.
	description string
	// importExample is an import ID of this scope.
	importExample string
	// newModel returns an empty model of the resource's schema.
	newModel func() packageRestoreModel
}

// importingKey marks, in private state, a resource whose first Read comes
// from an import: a missing package is then an error, not drift.
const importingKey = "importing"

// packageRestoreFields are the attributes every package restore resource
// has; each scope's model embeds them beside its owner attribute.
type packageRestoreFields struct {
	ID           types.String      `tfsdk:"id"`
	PackageType  types.String      `tfsdk:"package_type"`
	PackageName  types.String      `tfsdk:"package_name"`
	Token        types.String      `tfsdk:"token"`
	PackageID    types.Int64       `tfsdk:"package_id"`
	Visibility   types.String      `tfsdk:"visibility"`
	VersionCount types.Int64       `tfsdk:"version_count"`
	HTMLURL      types.String      `tfsdk:"html_url"`
	Repository   types.String      `tfsdk:"repository"`
	CreatedAt    timetypes.RFC3339 `tfsdk:"created_at"`
	UpdatedAt    timetypes.RFC3339 `tfsdk:"updated_at"`
	Restored     types.Bool        `tfsdk:"restored"`
	RestoredAt   timetypes.RFC3339 `tfsdk:"restored_at"`
	Timeouts     timeouts.Value    `tfsdk:"timeouts"`
}

// packageRestoreModel is a scope's model: its owner and the shared fields.
type packageRestoreModel interface {
	owner() *types.String
	fields() *packageRestoreFields
}

// ref is the package a model names.
func (s packageScope) ref(m packageRestoreModel) ghapi.PackageRef {
	f := m.fields()
	return ghapi.PackageRef{Scope: s.owner.scope, Owner: m.owner().ValueString(), Type: f.PackageType.ValueString(), Name: f.PackageName.ValueString()}
}

// packageValues are the attributes GitHub's answer sets, as raw values; the
// write-only token is cleared so it can never reach state. The owner keeps
// the spelling of the configuration: GitHub compares owners
// case-insensitively.
func (s packageScope) packageValues(ref ghapi.PackageRef, pkg *ghapi.Package) rawAttributes {
	return rawAttributes{
		"id":              rawString(ref.String()),
		s.owner.attribute: rawString(ref.Owner),
		"package_type":    rawString(ref.Type),
		"package_name":    rawString(ref.Name),
		"token":           tftypes.NewValue(tftypes.String, nil),
		"package_id":      rawInt64(pkg.ID),
		"visibility":      rawString(pkg.Visibility),
		"version_count":   rawInt64(pkg.VersionCount),
		"html_url":        rawString(pkg.HTMLURL),
		"repository":      rawOptionalString(pkg.Repository),
		"created_at":      rawTime(pkg.CreatedAt),
		"updated_at":      rawTime(pkg.UpdatedAt),
	}
}

func (r *packageRestoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.scope.typeSuffix
}

func (r *packageRestoreResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(r.scope.owner, false)
}

func (r *packageRestoreResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *packageRestoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, config := r.scope.newModel(), r.scope.newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, config)...) // write-only values live only in config
	client := clientOf(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := withCreateTimeout(ctx, plan.fields().Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	ref := r.scope.ref(plan)
	ctx = tflog.SetField(ctx, "package", ref.String())
	steps := restorer{client: client, clock: r.data.clock, timeout: timeout}
	pkg, restored, err := steps.restorePackage(ctx, ref, config.fields().Token.ValueString())
	if err != nil {
		summary, detail := describeCreateError(ref, err)
		r.data.addError(&resp.Diagnostics, err, summary, detail)
		return
	}
	// A restore is the outcome the user asked for, not a warning: state
	// records it (restored, restored_at) and the log its progress.
	f := plan.fields()
	f.Restored, f.RestoredAt = restoredOutcome(restored, r.data.clock)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	if err := overlay(&resp.State, r.scope.packageValues(ref, pkg)); err != nil {
		resp.Diagnostics.AddError(providerBug("setting the state of package "+ref.String(), err))
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, ref, 0)...)
	if r.data.packages != nil {
		keepSeen(ctx, resp.Private, 0, r.data.packages.Created(ref), &resp.Diagnostics)
	}
}

// Read works on the raw state (raw_state.go): it runs once per resource in
// every plan.
func (r *packageRestoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	attrs, err := attributesOf(req.State)
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

	ref := r.scope.owner.packageRef(attrs)
	ctx = tflog.SetField(ctx, "package", ref.String())
	// Before any removal: see setIdentity.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, ref, 0)...)
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
	if before, ok := attrs.int64("package_id"); ok && before != pkg.ID {
		resp.Diagnostics.AddWarning(warnPackageReplaced(ref, before, pkg.ID))
	}
	if err := overlay(&resp.State, r.scope.packageValues(ref, pkg)); err != nil {
		resp.Diagnostics.AddError(providerBug("setting the state of package "+ref.String(), err))
	}
	if importing != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, nil)...)
	}
	keepSeen(ctx, resp.Private, last, seen, &resp.Diagnostics)
}

// Update changes nothing on GitHub: only token and timeouts update in place,
// and both matter only to Create.
func (r *packageRestoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := r.scope.newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.fields().Token = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, r.scope.ref(plan), 0)...)
}

// Delete forgets the package and leaves it on GitHub: a recovery tool must
// never destroy what it recovered.
func (r *packageRestoreResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state := r.scope.newModel()
	if diags := req.State.Get(ctx, state); !diags.HasError() {
		tflog.Info(ctx, "removing from state only; the package stays on GitHub", map[string]any{"package": r.scope.ref(state).String()})
	}
	r.data.noticeLeftInPlace(&resp.Diagnostics)
}

// ImportState takes an import ID or an import identity (Terraform 1.12 or
// later); the Read that follows checks GitHub.
func (r *packageRestoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	target, diags := importTarget(ctx, req, r.scope.owner, r.scope.importExample, false)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := target.Package
	for attr, value := range map[string]string{"id": ref.String(), r.scope.owner.attribute: ref.Owner, "package_type": ref.Type, "package_name": ref.Name} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), value)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("restored"), false)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.scope.owner, ref, 0)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, []byte("true"))...)
}
