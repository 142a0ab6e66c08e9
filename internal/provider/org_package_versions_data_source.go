package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NewOrgPackageVersionsDataSource is the factory of ghpkg_org_package_versions.
func NewOrgPackageVersionsDataSource() datasource.DataSource {
	return &versionsDataSource{scope: versionsScope{
		owner:      orgOwner,
		typeSuffix: "_org_package_versions",
		newModel:   func() versionsModel { return &orgVersionsModel{} },
	}}
}

type orgVersionsModel struct {
	Org types.String `tfsdk:"org"`
	versionsFields
}

func (m *orgVersionsModel) owner() *types.String    { return &m.Org }
func (m *orgVersionsModel) fields() *versionsFields { return &m.versionsFields }
