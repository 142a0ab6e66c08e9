package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// userOwner is the owner attribute of the user-scope resources and data
// sources.
var userOwner = ownerSpec{
	scope:       ghapi.ScopeUser,
	attribute:   "username",
	description: "The GitHub user whose namespace holds the package (`octocat`).",
}

// userPackageScope is what ghpkg_user_package_restore declares; its list resource
// shares it.
var userPackageScope = packageScope{
	owner:         userOwner,
	typeSuffix:    "_user_package_restore",
	description:   "Restores a package deleted from a user's namespace and keeps checking that it stays visible.",
	importExample: "octocat/container/octo-repo/octo-app",
	newModel:      func() packageRestoreModel { return &userPackageRestoreModel{} },
}

// NewUserPackageRestoreResource is the factory of ghpkg_user_package_restore.
func NewUserPackageRestoreResource() resource.Resource {
	return &packageRestoreResource{scope: userPackageScope}
}

// NewUserPackageRestoreListResource is the factory of the list resource
// ghpkg_user_package_restore (terraform query).
func NewUserPackageRestoreListResource() list.ListResource {
	return &packageListResource{scope: userPackageScope}
}

type userPackageRestoreModel struct {
	Username types.String `tfsdk:"username"`
	packageRestoreFields
}

func (m *userPackageRestoreModel) owner() *types.String          { return &m.Username }
func (m *userPackageRestoreModel) fields() *packageRestoreFields { return &m.packageRestoreFields }
