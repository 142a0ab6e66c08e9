package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

var (
	_ resource.Resource                = (*userPackageRestoreResource)(nil)
	_ resource.ResourceWithConfigure   = (*userPackageRestoreResource)(nil)
	_ resource.ResourceWithImportState = (*userPackageRestoreResource)(nil)
)

// defaultCreateTimeout bounds restore plus the wait until the package is visible.
const defaultCreateTimeout = 5 * time.Minute

// importingKey marks, in private state, a resource whose first Read comes
// from an import: a missing package is then an error, not drift.
const importingKey = "importing"

// NewUserPackageRestoreResource is the factory the provider registers.
func NewUserPackageRestoreResource() resource.Resource {
	return &userPackageRestoreResource{}
}

type userPackageRestoreResource struct {
	data *providerData
}

type userPackageRestoreModel struct {
	ID           types.String      `tfsdk:"id"`
	Username     types.String      `tfsdk:"username"`
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

// ref is the package the model names.
func (m *userPackageRestoreModel) ref() ghapi.PackageRef {
	return ghapi.PackageRef{Owner: m.Username.ValueString(), Type: m.PackageType.ValueString(), Name: m.PackageName.ValueString()}
}

// setPackage copies what GitHub reports into the model; the write-only token
// is cleared so it can never reach state.
func (m *userPackageRestoreModel) setPackage(ref ghapi.PackageRef, pkg *ghapi.Package) {
	m.ID = types.StringValue(ref.String())
	m.Username = types.StringValue(ref.Owner)
	m.PackageType = types.StringValue(ref.Type)
	m.PackageName = types.StringValue(ref.Name)
	m.Token = types.StringNull()
	m.PackageID = types.Int64Value(pkg.ID)
	m.Visibility = types.StringValue(pkg.Visibility)
	m.VersionCount = types.Int64Value(pkg.VersionCount)
	m.HTMLURL = types.StringValue(pkg.HTMLURL)
	m.Repository = types.StringNull()
	if pkg.Repository != "" {
		m.Repository = types.StringValue(pkg.Repository)
	}
	m.CreatedAt = timetypes.NewRFC3339TimeValue(pkg.CreatedAt.UTC())
	m.UpdatedAt = timetypes.NewRFC3339TimeValue(pkg.UpdatedAt.UTC())
}

func (r *userPackageRestoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_package_restore"
}

func (r *userPackageRestoreResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil { // called before the provider is configured
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	r.data = data
}

// client returns the configured client, or a diagnostic when the provider
// could not be configured yet (a token known only after apply).
func (r *userPackageRestoreResource) client(diags *diag.Diagnostics) *ghapi.Client {
	if r.data == nil {
		diags.AddError("Provider Not Configured",
			"The ghpkg provider has no GitHub client: its token or base_url is not known yet. "+
				"Use values known at plan time for the provider configuration.")
		return nil
	}
	return r.data.client
}

func (r *userPackageRestoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config userPackageRestoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...) // write-only values live only in config
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	ref := plan.ref()
	ctx = tflog.SetField(ctx, "package", ref.String())
	pkg, restored, err := r.restoreOrAdopt(ctx, client, ref, config.Token.ValueString(), timeout)
	if err != nil {
		resp.Diagnostics.AddError(describeCreateError(ref, err))
		return
	}
	plan.setPackage(ref, pkg)
	plan.Restored = types.BoolValue(restored)
	plan.RestoredAt = timetypes.NewRFC3339Null()
	if restored {
		plan.RestoredAt = timetypes.NewRFC3339TimeValue(r.data.clock.Now().UTC().Truncate(time.Second))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// notVisibleError means GitHub accepted the restore but the package did not
// become visible before the create timeout.
type notVisibleError struct {
	checks  int
	timeout time.Duration
	last    error // the last failed check, nil when every check answered 404
}

func (e *notVisibleError) Error() string {
	return fmt.Sprintf("not visible after %d checks in %s", e.checks, e.timeout)
}

// restoreOrAdopt adopts a visible package, or restores it and waits until a
// GET sees it. restored reports which happened.
func (r *userPackageRestoreResource) restoreOrAdopt(ctx context.Context, client *ghapi.Client, ref ghapi.PackageRef, packageToken string, timeout time.Duration) (*ghapi.Package, bool, error) {
	pkg, err := client.GetUserPackage(ctx, ref)
	if err == nil {
		tflog.Info(ctx, "package already visible; adopting it without a restore")
		return pkg, false, nil
	}
	if !ghapi.IsNotFound(err) {
		return nil, false, err
	}
	tflog.Info(ctx, "package not visible; asking GitHub to restore it")
	if err := client.RestoreUserPackage(ctx, ref, packageToken); err != nil {
		return nil, false, err
	}
	var lastErr error // the last transient failure of a check, for the timeout message
	checks, err := poll.Until(ctx, r.data.clock, poll.DefaultBackoff, func(ctx context.Context) (bool, error) {
		pkg, err = client.GetUserPackage(ctx, ref)
		switch {
		case ghapi.IsNotFound(err):
			tflog.Debug(ctx, "restored package not visible yet")
			return false, nil
		case ghapi.IsTransient(err) && ctx.Err() == nil:
			// GitHub accepted the restore: a flaky check is no reason to
			// give up before the create timeout.
			lastErr = err
			tflog.Warn(ctx, "checking the restored package failed; checking again", map[string]any{"error": err.Error()})
			return false, nil
		}
		return err == nil, err
	})
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) { // the create timeout ran out while waiting
		return nil, false, &notVisibleError{checks: checks, timeout: timeout, last: lastErr}
	}
	if err != nil {
		return nil, false, err
	}
	tflog.Info(ctx, "package restored and visible", map[string]any{"checks": checks})
	return pkg, true, nil
}

func (r *userPackageRestoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userPackageRestoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	importing, diags := req.Private.GetKey(ctx, importingKey)
	resp.Diagnostics.Append(diags...)

	ref := state.ref()
	ctx = tflog.SetField(ctx, "package", ref.String())
	read := client.GetUserPackage // import checks GitHub itself
	if r.data.refresh != nil && importing == nil {
		read = r.data.refresh.Read
	}
	pkg, err := read(ctx, ref)
	switch {
	case ghapi.IsNotFound(err) && importing == nil:
		tflog.Warn(ctx, "package is no longer visible; removing it from state so the next apply restores it")
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError(describeError(ref, err))
		return
	}
	state.setPackage(ref, pkg)
	if importing != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update changes nothing on GitHub: only token and timeouts update in place,
// and both matter only to Create.
func (r *userPackageRestoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan userPackageRestoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Token = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the package and leaves it on GitHub: a recovery tool must
// never destroy what it recovered.
func (r *userPackageRestoreResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	var state userPackageRestoreModel
	if diags := req.State.Get(ctx, &state); !diags.HasError() {
		tflog.Info(ctx, "removing from state only; the package stays on GitHub", map[string]any{"package": state.ref().String()})
	}
}

func (r *userPackageRestoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, err := validate.ParseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("Cannot import %q: %s. Use "+
			"username/package_type/package_name, for example octocat/container/octo-repo/octo-app.", req.ID, err))
		return
	}
	for attr, value := range map[string]string{"id": ref.String(), "username": ref.Owner, "package_type": ref.Type, "package_name": ref.Name} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), value)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("restored"), false)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, []byte("true"))...)
}
