package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/go-github/v62/github"
)

// Package is what the provider keeps of a package GitHub reports as visible.
type Package struct {
	ID           int64
	Name         string
	Type         string
	Visibility   string
	VersionCount int64
	HTMLURL      string
	// Repository is the linked repository's full name, or "" when none.
	Repository string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// GetUserPackage fetches a package; a package that is deleted or that the
// token cannot see is an *Error of KindNotFound (see IsNotFound).
func (c *Client) GetUserPackage(ctx context.Context, ref PackageRef) (*Package, error) {
	path, err := ref.path()
	if err != nil {
		return nil, invalidRef("get", ref, err)
	}
	var raw github.Package
	resp, err := c.do(ctx, call{op: "get", ref: ref, method: http.MethodGet, path: path, out: &raw})
	if err != nil {
		return nil, err
	}
	return fromGitHub(ref, resp, raw)
}

// RestoreUserPackage asks GitHub to restore a deleted package. packageToken,
// when not empty, is sent as the endpoint's token query parameter.
func (c *Client) RestoreUserPackage(ctx context.Context, ref PackageRef, packageToken string) error {
	path, err := ref.restorePath()
	if err != nil {
		return invalidRef("restore", ref, err)
	}
	var query url.Values
	if packageToken != "" {
		query = url.Values{"token": {packageToken}}
	}
	_, err = c.do(ctx, call{op: "restore", ref: ref, method: http.MethodPost, path: path, query: query,
		alreadyDone: func(ctx context.Context) (bool, error) {
			_, err := c.GetUserPackage(ctx, ref)
			if IsNotFound(err) {
				return false, nil
			}
			return err == nil, err
		}})
	return err
}

// listPageSize is GitHub's maximum page size for package listings.
const listPageSize = 100

// ListUserPackages lists every visible package of one type in a user's
// namespace, following pagination.
func (c *Client) ListUserPackages(ctx context.Context, owner, packageType string) ([]*Package, error) {
	var all []*Package
	for page := 1; ; page++ {
		pkgs, last, err := c.ListUserPackagesPage(ctx, owner, packageType, page)
		if err != nil {
			return nil, err
		}
		all = append(all, pkgs...)
		if page >= last {
			return all, nil
		}
	}
}

// ListUserPackagesPage fetches one page (of 100) of a namespace's listing
// and the number of its last page, from GitHub's Link header.
func (c *Client) ListUserPackagesPage(ctx context.Context, owner, packageType string, page int) ([]*Package, int, error) {
	ref := PackageRef{Owner: owner, Type: packageType}
	if err := checkSegment("username", owner); err != nil {
		return nil, 0, invalidRef("list", ref, err)
	}
	var raw []github.Package
	query := url.Values{
		"package_type": {packageType},
		"per_page":     {strconv.Itoa(listPageSize)},
		"page":         {strconv.Itoa(page)},
	}
	resp, err := c.do(ctx, call{op: "list", ref: ref, method: http.MethodGet, path: packagesPath(owner), query: query, out: &raw})
	if err != nil {
		return nil, 0, err
	}
	pkgs := make([]*Package, 0, len(raw))
	for _, p := range raw {
		pkg, err := fromGitHub(PackageRef{Owner: owner, Type: packageType, Name: p.GetName()}, resp, p)
		if err != nil {
			return nil, 0, err
		}
		pkgs = append(pkgs, pkg)
	}
	last := resp.LastPage // 0 on the last page itself
	if last == 0 || len(raw) < listPageSize {
		last = page
	}
	return pkgs, last, nil
}

// fromGitHub checks the fields the provider relies on and converts them.
func fromGitHub(ref PackageRef, resp *github.Response, p github.Package) (*Package, error) {
	if p.ID == nil || p.Name == nil || p.CreatedAt == nil || p.UpdatedAt == nil {
		e := classify("get", ref, resp, fmt.Errorf("package without id, name or timestamps"))
		e.Kind, e.Message = KindMalformed, "the answer lacks id, name or timestamps"
		return nil, e
	}
	pkg := &Package{
		ID:           p.GetID(),
		Name:         p.GetName(),
		Type:         p.GetPackageType(),
		Visibility:   p.GetVisibility(),
		VersionCount: p.GetVersionCount(),
		HTMLURL:      p.GetHTMLURL(),
		CreatedAt:    p.GetCreatedAt().Time,
		UpdatedAt:    p.GetUpdatedAt().Time,
	}
	if p.Repository != nil {
		pkg.Repository = p.Repository.GetFullName()
	}
	return pkg, nil
}

func invalidRef(op string, ref PackageRef, err error) error {
	return &Error{Kind: KindRejected, Op: op, Ref: ref, Message: err.Error(), Err: err}
}
