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
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

// Resource identity (Terraform 1.12 or later) names the package, or the
// version, a restore resource protects, with the resource's own attribute
// names: the owner attribute, package_type, package_name and, for versions,
// package_version_id. Package and version resources of every scope share it.

// identitySchema is the identity of a scope's resources; withVersion adds
// package_version_id.
func identitySchema(owner ownerSpec, withVersion bool) identityschema.Schema {
	attributes := map[string]identityschema.Attribute{
		owner.attribute: identityschema.StringAttribute{RequiredForImport: true,
			Description: "The " + owner.scope.OwnerWord() + " that owns the package, in lower case (GitHub compares owners case-insensitively)."},
		"package_type": identityschema.StringAttribute{RequiredForImport: true,
			Description: "The registry of the package: npm, maven, rubygems, docker, nuget or container."},
		"package_name": identityschema.StringAttribute{RequiredForImport: true,
			Description: "The package's name exactly as GitHub lists it; it may contain a slash."},
	}
	if withVersion {
		attributes["package_version_id"] = identityschema.Int64Attribute{RequiredForImport: true,
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
	for attribute, value := range map[string]string{owner.attribute: strings.ToLower(ref.Owner), "package_type": ref.Type, "package_name": ref.Name} {
		diags.Append(identity.SetAttribute(ctx, path.Root(attribute), value)...)
	}
	if versionID != 0 {
		diags.Append(identity.SetAttribute(ctx, path.Root("package_version_id"), versionID)...)
	}
	return diags
}

// importTarget is what an import names, read from the import ID or from an
// import identity and checked by the same rules; for package resources
// (withVersion false) the version ID is 0.
func importTarget(ctx context.Context, req resource.ImportStateRequest, owner ownerSpec, example string, withVersion bool) (ghapi.VersionRef, diag.Diagnostics) {
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
			diags.AddError(invalidImportID(owner, req.ID, example, withVersion, err))
		}
		return target, diags
	}
	var parts [3]types.String
	for i, attribute := range []string{owner.attribute, "package_type", "package_name"} {
		diags.Append(req.Identity.GetAttribute(ctx, path.Root(attribute), &parts[i])...)
	}
	var versionID types.Int64
	if withVersion {
		diags.Append(req.Identity.GetAttribute(ctx, path.Root("package_version_id"), &versionID)...)
	}
	if diags.HasError() {
		return ghapi.VersionRef{}, diags
	}
	target := ghapi.VersionRef{ID: versionID.ValueInt64(), Package: ghapi.PackageRef{
		Scope: owner.scope, Owner: parts[0].ValueString(), Type: parts[1].ValueString(), Name: parts[2].ValueString()}}
	err := validate.Ref(target.Package)
	if err == nil && withVersion && target.ID <= 0 {
		err = fmt.Errorf("package_version_id must be the version's numeric ID, got %d", target.ID)
	}
	if err != nil {
		diags.AddError(invalidImportIdentity(owner, err))
	}
	return target, diags
}
