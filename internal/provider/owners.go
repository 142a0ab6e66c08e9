package provider

import "github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"

// The owners every type is declared for: one table of two entries, whose
// fields are all that differs between a user's and an organisation's
// resource, data source or list resource. A core type (a resource, a data
// source) holds its ownerSpec; its factories pick the entry.

// ownerSpec is one kind of owner of a package namespace.
type ownerSpec struct {
	scope ghapi.Scope
	// attribute is "username" or "org"; description documents it.
	attribute, description string
	// prefix follows the provider's name in the owner's type names: "user"
	// in ghpkg_user_package_restore.
	prefix string
	// whose words the owner in descriptions: "a user's" namespace.
	whose string
	// packageImport and versionImport are import IDs of the owner's package
	// and version restore resources, for messages.
	packageImport, versionImport string
}

var userOwner = ownerSpec{
	scope:         ghapi.ScopeUser,
	attribute:     "username",
	description:   "The GitHub user whose namespace holds the package (`octocat`).",
	prefix:        "user",
	whose:         "a user's",
	packageImport: "octocat/container/octo-repo/octo-app",
	versionImport: "octocat/npm/octo-lib/123456",
}

var orgOwner = ownerSpec{
	scope:     ghapi.ScopeOrg,
	attribute: "org",
	description: "The organisation whose namespace holds the package (`octo-org`): letters, digits and single " +
		"hyphens, at most 39 characters.",
	prefix:        "org",
	whose:         "an organisation's",
	packageImport: "octo-org/container/octo-repo/octo-app",
	versionImport: "octo-org/container/octo-repo/octo-app/123456",
}

// ownerSpecOf is the owner of a scope's packages: the token's own account
// is a user.
func ownerSpecOf(scope ghapi.Scope) ownerSpec {
	if scope == ghapi.ScopeOrg {
		return orgOwner
	}
	return userOwner
}

// typeName is the name of the owner's type of object after the provider's:
// "_user_package_restore" for "package_restore".
func (o ownerSpec) typeName(object string) string { return "_" + o.prefix + "_" + object }
