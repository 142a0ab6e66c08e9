package ghapi

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// PackageTypes are the registries GitHub's package endpoints accept, in the
// order GitHub documents them.
var PackageTypes = []string{"npm", "maven", "rubygems", "docker", "nuget", "container"}

// Scope is the kind of namespace a package lives in. The zero value is a
// user's namespace.
type Scope uint8

const (
	// ScopeUser is /users/{username}/packages.
	ScopeUser Scope = iota
	// ScopeOrg is /orgs/{org}/packages.
	ScopeOrg
	// ScopeAuthenticatedUser is /user/packages: the token's own account,
	// the only user namespace GitHub lists by version state.
	ScopeAuthenticatedUser
)

// OwnerWord names the owner in messages: "user" or "organisation".
func (s Scope) OwnerWord() string {
	if s == ScopeOrg {
		return "organisation"
	}
	return "user"
}

// ownerAttribute names the owner in validation errors.
func (s Scope) ownerAttribute() string {
	if s == ScopeOrg {
		return "org"
	}
	return "username"
}

// Namespace is one owner's packages of one type: what a listing returns.
type Namespace struct {
	Scope Scope
	// Owner is the user or organisation; for ScopeAuthenticatedUser it is
	// the token's login, used in messages only.
	Owner string
	Type  string
}

// String is owner/type, the form messages use.
func (n Namespace) String() string { return n.Owner + "/" + n.Type }

// PackageRef identifies a package.
type PackageRef struct {
	Scope Scope
	Owner string
	Type  string
	Name  string
}

// Namespace is the namespace that holds the package.
func (r PackageRef) Namespace() Namespace {
	return Namespace{Scope: r.Scope, Owner: r.Owner, Type: r.Type}
}

// String is the form users see in messages and import IDs: owner/type/name.
func (r PackageRef) String() string {
	return r.Owner + "/" + r.Type + "/" + r.Name
}

// CheckName reports why a package name cannot be sent to GitHub, or nil. Names
// may contain "/" (repository-linked container images), but no empty, "." or
// ".." segment, which a URL resolver would fold into a different path.
func CheckName(name string) error {
	if name == "" {
		return fmt.Errorf("must not be empty")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("must not contain control characters (found %U)", r)
		}
	}
	for _, segment := range strings.Split(name, "/") {
		switch segment {
		case "":
			return fmt.Errorf("must not start or end with \"/\" or contain \"//\"")
		case ".", "..":
			return fmt.Errorf("must not contain a %q segment", segment)
		}
	}
	return nil
}

// checkSegment guards owner and type, which travel as single path segments.
// An empty owner matters most: go-github would silently switch to /user/...
func checkSegment(what, value string) error {
	if value == "" {
		return fmt.Errorf("%s must not be empty", what)
	}
	if value == "." || value == ".." {
		return fmt.Errorf("%s must not be %q", what, value)
	}
	for _, r := range value {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s must not contain control characters", what)
		}
	}
	return nil
}

// validate reports whether the namespace can be turned into a request path.
func (n Namespace) validate() error {
	if n.Scope != ScopeAuthenticatedUser {
		if err := checkSegment(n.Scope.ownerAttribute(), n.Owner); err != nil {
			return err
		}
	}
	return checkSegment("package type", n.Type)
}

// Validate reports whether the reference can be turned into a request path.
func (r PackageRef) Validate() error {
	if err := r.Namespace().validate(); err != nil {
		return err
	}
	if err := CheckName(r.Name); err != nil {
		return fmt.Errorf("package name %w", err)
	}
	return nil
}

// listPath is the namespace's listing, relative to the base URL. An empty
// owner is refused before this point: go-github's convention of switching
// to /user/... on an empty name is exactly what must never happen silently.
func (n Namespace) listPath() string {
	switch n.Scope {
	case ScopeOrg:
		return "orgs/" + url.PathEscape(n.Owner) + "/packages"
	case ScopeAuthenticatedUser:
		return "user/packages"
	default:
		return "users/" + url.PathEscape(n.Owner) + "/packages"
	}
}

// path is the package's API path relative to the base URL, every segment
// escaped so that a "/" inside the name travels as %2F.
func (r PackageRef) path() (string, error) {
	if err := r.Validate(); err != nil {
		return "", err
	}
	return r.Namespace().listPath() + "/" + url.PathEscape(r.Type) + "/" + url.PathEscape(r.Name), nil
}

// restorePath is the restore endpoint of the package.
func (r PackageRef) restorePath() (string, error) {
	p, err := r.path()
	if err != nil {
		return "", err
	}
	return p + "/restore", nil
}
