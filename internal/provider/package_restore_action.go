package provider

import (
	"context"

	actiontimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// packageRestoreAction is ghpkg_package_restore: one restore of a package or
// of one of its versions, on demand (terraform apply -invoke) or from a
// lifecycle action_trigger. It keeps no state; the steps are the restore
// resources' own (restorer), so validation, retries, the wait until visible
// and the wording are theirs.
type packageRestoreAction struct {
	data *providerData
}

var (
	_ action.Action                     = (*packageRestoreAction)(nil)
	_ action.ActionWithConfigure        = (*packageRestoreAction)(nil)
	_ action.ActionWithConfigValidators = (*packageRestoreAction)(nil)
	_ action.ActionWithValidateConfig   = (*packageRestoreAction)(nil)
)

// NewPackageRestoreAction is the factory of ghpkg_package_restore.
func NewPackageRestoreAction() action.Action {
	return &packageRestoreAction{}
}

type packageRestoreActionModel struct {
	Username         types.String         `tfsdk:"username"`
	Org              types.String         `tfsdk:"org"`
	PackageType      types.String         `tfsdk:"package_type"`
	PackageName      types.String         `tfsdk:"package_name"`
	PackageVersionID types.Int64          `tfsdk:"package_version_id"`
	Version          types.String         `tfsdk:"version"`
	Token            types.String         `tfsdk:"token"`
	Timeouts         actiontimeouts.Value `tfsdk:"timeouts"`
}

// ref is the package the configuration names: an organisation's when org
// is set, else a user's (exactly one of them is, checked at validate).
func (m packageRestoreActionModel) ref() ghapi.PackageRef {
	ref := ghapi.PackageRef{Scope: ghapi.ScopeUser, Owner: m.Username.ValueString(),
		Type: m.PackageType.ValueString(), Name: m.PackageName.ValueString()}
	if !m.Org.IsNull() {
		ref.Scope, ref.Owner = ghapi.ScopeOrg, m.Org.ValueString()
	}
	return ref
}

// restoresVersion is true when the configuration names a version.
func (m packageRestoreActionModel) restoresVersion() bool {
	return !m.PackageVersionID.IsNull() || !m.Version.IsNull()
}

func (a *packageRestoreAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_package_restore"
}

func (a *packageRestoreAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (a *packageRestoreAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	for _, owner := range []ownerSpec{userOwner, orgOwner} {
		warnOwnerPrefix(ctx, req.Config, owner.attribute, &resp.Diagnostics)
	}
}

func (a *packageRestoreAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config packageRestoreActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	client := clientOf(a.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := withTimeout(ctx, config.Timeouts.Invoke, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	say := func(message string) { resp.SendProgress(action.InvokeProgressEvent{Message: message}) }
	steps := restorer{client: client, clock: a.data.clock, timeout: timeout, progress: say, data: a.data, advice: actionAdvice}

	pkg := config.ref()
	ctx = tflog.SetField(ctx, "package", pkg.String())
	if !config.restoresVersion() {
		say(progressStart(packageLabel(pkg)))
		_, restored, err := steps.restorePackage(ctx, pkg, config.Token.ValueString())
		if err != nil {
			steps.report(&resp.Diagnostics, ghapi.VersionRef{Package: pkg}, err)
			return
		}
		say(progressDone(packageLabel(pkg), restored))
		return
	}

	say(progressStart(requestedVersionLabel(pkg, config)))
	ref, deleted, diags := steps.locateVersion(ctx, pkg, config.PackageVersionID.ValueInt64(), config.Version.ValueString())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, restored, err := steps.restoreVersion(ctx, ref, deleted)
	if err != nil {
		steps.report(&resp.Diagnostics, ref, err)
		return
	}
	say(progressDone(versionLabel(ref), restored))
}

// requestedVersionLabel names the version as configured, before a version
// name is resolved to its id.
func requestedVersionLabel(pkg ghapi.PackageRef, config packageRestoreActionModel) string {
	if config.PackageVersionID.IsNull() {
		return namedVersionLabel(pkg, config.Version.ValueString())
	}
	return versionLabel(ghapi.VersionRef{Package: pkg, ID: config.PackageVersionID.ValueInt64()})
}
