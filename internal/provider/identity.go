package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// Resource identity (Terraform 1.12 or later) names the package, or the
// version, a restore resource protects, with the resource's own attribute
// names: the owner attribute, package_type, package_name and, for versions,
// package_version_id. Package and version resources of both owners share it.

// identitySchema is the identity of an owner's resources; withVersion adds
// package_version_id.
func identitySchema(owner ownerSpec, withVersion bool) identityschema.Schema {
	attributes := map[string]identityschema.Attribute{
		owner.attribute: identityschema.StringAttribute{RequiredForImport: true,
			Description: "The " + owner.scope.OwnerWord() + " that owns the package, in lower case (GitHub compares owners case-insensitively)."},
		attrPackageType: identityschema.StringAttribute{RequiredForImport: true,
			Description: "The registry of the package: npm, maven, rubygems, docker, nuget or container."},
		attrPackageName: identityschema.StringAttribute{RequiredForImport: true,
			Description: "The package's name exactly as GitHub lists it; it may contain a slash."},
	}
	if withVersion {
		attributes[attrPackageVersionID] = identityschema.Int64Attribute{RequiredForImport: true,
			Description: "GitHub's numeric ID of the version."}
	}
	return identityschema.Schema{Attributes: attributes}
}

// setIdentity records the identity of ref (and of version versionID when it
// is not 0). The owner is lower-cased so that a change of case in the
// configuration, an in-place update, is no change of identity. Read sets it
// before anything else, also when it removes the resource: with an identity
// schema the framework rejects a Read that returns no identity, which would
// turn drift on a state without identity (written before Terraform 1.12 or
// before ghpkg had identity) into an error.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, owner ownerSpec, ref ghapi.PackageRef, versionID int64) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	var diags diag.Diagnostics
	for attribute, value := range map[string]string{owner.attribute: strings.ToLower(ref.Owner), attrPackageType: ref.Type, attrPackageName: ref.Name} {
		diags.Append(identity.SetAttribute(ctx, path.Root(attribute), value)...)
	}
	if versionID != 0 {
		diags.Append(identity.SetAttribute(ctx, path.Root(attrPackageVersionID), versionID)...)
	}
	return diags
}

// importState imports a restore resource of owner (a version's with
// withVersion): it writes what the import names to state (id, the package
// and version, restored false) and the identity; ok is false when the
// import names nothing. The Read that follows checks GitHub.
func importState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, owner ownerSpec, withVersion bool) (ok bool) {
	ref, diags := importTarget(req, owner, withVersion)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return false
	}
	values := map[string]any{attrID: ref.Package.String(), owner.attribute: ref.Package.Owner, attrPackageType: ref.Package.Type,
		attrPackageName: ref.Package.Name, attrRestored: false}
	if withVersion {
		values[attrID], values[attrPackageVersionID] = ref.String(), ref.ID
	}
	for attr, value := range values {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), value)...)
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, owner, ref.Package, ref.ID)...)
	return true
}

// importTarget is what an import names, read from the import ID or from an
// import identity and checked by the same rules; for package resources
// (withVersion false) the version ID is 0.
func importTarget(req resource.ImportStateRequest, owner ownerSpec, withVersion bool) (ghapi.VersionRef, diag.Diagnostics) {
	var diags diag.Diagnostics
	if req.ID != "" || req.Identity == nil {
		var target ghapi.VersionRef
		var err error
		if withVersion {
			target, err = validate.ParseVersionImportID(owner.scope, req.ID)
		} else {
			target.Package, err = validate.ParseImportID(owner.scope, req.ID)
		}
		if err != nil {
			diags.AddError(invalidImportID(owner, req.ID, withVersion, err))
		}
		return target, diags
	}
	identity, err := attributesOf(req.Identity.Raw)
	if err != nil {
		diags.AddError(providerBug("reading the import identity", err))
		return ghapi.VersionRef{}, diags
	}
	target := identity.versionRef(owner)
	err = validate.Ref(target.Package)
	if err == nil && withVersion && target.ID <= 0 {
		err = fmt.Errorf("package_version_id must be the version's numeric ID, got %d", target.ID)
	}
	if err != nil {
		diags.AddError(invalidImportIdentity(owner, err))
	}
	return target, diags
}
