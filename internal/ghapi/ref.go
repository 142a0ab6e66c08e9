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

// PackageRef identifies a package in a user's namespace.
type PackageRef struct {
	Owner string
	Type  string
	Name  string
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

// Validate reports whether the reference can be turned into a request path.
func (r PackageRef) Validate() error {
	if err := checkSegment("username", r.Owner); err != nil {
		return err
	}
	if err := checkSegment("package type", r.Type); err != nil {
		return err
	}
	if err := CheckName(r.Name); err != nil {
		return fmt.Errorf("package name %w", err)
	}
	return nil
}

// path is the package's API path relative to the base URL, every segment
// escaped so that a "/" inside the name travels as %2F.
func (r PackageRef) path() (string, error) {
	if err := r.Validate(); err != nil {
		return "", err
	}
	return packagesPath(r.Owner) + "/" + url.PathEscape(r.Type) + "/" + url.PathEscape(r.Name), nil
}

// restorePath is the restore endpoint of the package.
func (r PackageRef) restorePath() (string, error) {
	p, err := r.path()
	if err != nil {
		return "", err
	}
	return p + "/restore", nil
}

func packagesPath(owner string) string {
	return "users/" + url.PathEscape(owner) + "/packages"
}
