package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NewUserPackageVersionsDataSource is the factory of ghpkg_user_package_versions.
func NewUserPackageVersionsDataSource() datasource.DataSource {
	return &versionsDataSource{scope: versionsScope{
		owner:      userOwner,
		typeSuffix: "_user_package_versions",
		newModel:   func() versionsModel { return &userVersionsModel{} },
	}}
}

type userVersionsModel struct {
	Username types.String `tfsdk:"username"`
	versionsFields
}

func (m *userVersionsModel) owner() *types.String    { return &m.Username }
func (m *userVersionsModel) fields() *versionsFields { return &m.versionsFields }
