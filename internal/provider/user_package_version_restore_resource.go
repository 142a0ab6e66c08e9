package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NewUserPackageVersionRestoreResource is the factory of
// ghpkg_user_package_version_restore.
func NewUserPackageVersionRestoreResource() resource.Resource {
	return &versionRestoreResource{scope: versionScope{
		owner:         userOwner,
		typeSuffix:    "_user_package_version_restore",
		importExample: "octocat/npm/octo-lib/123456",
		newModel:      func() versionRestoreModel { return &userVersionRestoreModel{} },
	}}
}

type userVersionRestoreModel struct {
	Username types.String `tfsdk:"username"`
	versionRestoreFields
}

func (m *userVersionRestoreModel) owner() *types.String          { return &m.Username }
func (m *userVersionRestoreModel) fields() *versionRestoreFields { return &m.versionRestoreFields }
