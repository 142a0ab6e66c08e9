package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NewUserPackagesDataSource is the factory of ghpkg_user_packages.
func NewUserPackagesDataSource() datasource.DataSource {
	return &packagesDataSource{scope: listingScope{
		owner:      userOwner,
		typeSuffix: "_user_packages",
		newModel:   func() packagesModel { return &userPackagesModel{} },
	}}
}

type userPackagesModel struct {
	Username types.String `tfsdk:"username"`
	packagesFields
}

func (m *userPackagesModel) owner() *types.String    { return &m.Username }
func (m *userPackagesModel) fields() *packagesFields { return &m.packagesFields }
