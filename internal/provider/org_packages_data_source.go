package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NewOrgPackagesDataSource is the factory of ghpkg_org_packages.
func NewOrgPackagesDataSource() datasource.DataSource {
	return &packagesDataSource{scope: listingScope{
		owner:      orgOwner,
		typeSuffix: "_org_packages",
		newModel:   func() packagesModel { return &orgPackagesModel{} },
	}}
}

type orgPackagesModel struct {
	Org types.String `tfsdk:"org"`
	packagesFields
}

func (m *orgPackagesModel) owner() *types.String    { return &m.Org }
func (m *orgPackagesModel) fields() *packagesFields { return &m.packagesFields }
