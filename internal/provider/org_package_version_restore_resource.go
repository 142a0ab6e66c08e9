package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NewOrgPackageVersionRestoreResource is the factory of
// ghpkg_org_package_version_restore.
func NewOrgPackageVersionRestoreResource() resource.Resource {
	return &versionRestoreResource{scope: versionScope{
		owner:         orgOwner,
		typeSuffix:    "_org_package_version_restore",
		importExample: "octo-org/container/octo-repo/octo-app/123456",
		newModel:      func() versionRestoreModel { return &orgVersionRestoreModel{} },
	}}
}

type orgVersionRestoreModel struct {
	Org types.String `tfsdk:"org"`
	versionRestoreFields
}

func (m *orgVersionRestoreModel) owner() *types.String          { return &m.Org }
func (m *orgVersionRestoreModel) fields() *versionRestoreFields { return &m.versionRestoreFields }
