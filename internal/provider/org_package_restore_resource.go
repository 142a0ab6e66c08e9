package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// orgOwner is the owner attribute of the organisation-scope resources and
// data sources.
var orgOwner = ownerSpec{
	scope:     ghapi.ScopeOrg,
	attribute: "org",
	description: "The organisation whose namespace holds the package (`octo-org`): letters, digits and single " +
		"hyphens, at most 39 characters.",
}

// orgPackageScope is what ghpkg_org_package_restore declares; its list resource
// shares it.
var orgPackageScope = packageScope{
	owner:         orgOwner,
	typeSuffix:    "_org_package_restore",
	description:   "Restores a package deleted from an organisation's namespace and keeps checking that it stays visible.",
	importExample: "octo-org/container/octo-repo/octo-app",
	newModel:      func() packageRestoreModel { return &orgPackageRestoreModel{} },
}

// NewOrgPackageRestoreResource is the factory of ghpkg_org_package_restore.
func NewOrgPackageRestoreResource() resource.Resource {
	return &packageRestoreResource{scope: orgPackageScope}
}

// NewOrgPackageRestoreListResource is the factory of the list resource
// ghpkg_org_package_restore (terraform query).
func NewOrgPackageRestoreListResource() list.ListResource {
	return &packageListResource{scope: orgPackageScope}
}

type orgPackageRestoreModel struct {
	Org types.String `tfsdk:"org"`
	packageRestoreFields
}

func (m *orgPackageRestoreModel) owner() *types.String          { return &m.Org }
func (m *orgPackageRestoreModel) fields() *packageRestoreFields { return &m.packageRestoreFields }
