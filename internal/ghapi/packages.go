package ghapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/hashicorp/terraform-plugin-log/tflog"
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

// GetPackage fetches a package; a package that is deleted or that the
// token cannot see is an *Error of KindNotFound (see IsNotFound).
func (c *Client) GetPackage(ctx context.Context, ref PackageRef) (*Package, error) {
	path, err := ref.path()
	if err != nil {
		return nil, invalidRef(OpGet, ref, err)
	}
	var raw github.Package
	if _, err := c.do(ctx, call{op: OpGet, ref: ref, method: http.MethodGet, path: path, out: &raw}); err != nil {
		return nil, err
	}
	return fromGitHub(ref, raw)
}

// RestorePackage asks GitHub to restore a deleted package. packageToken,
// when not empty, is sent as the endpoint's token query parameter.
//
// A restore is sent once. When its answer is lost (a 5xx, a reset, a
// timeout), a GET decides: visible means it took effect and it is not sent
// again; not visible means it is sent again. A 404 to that second one may
// only mean that the first restore is not visible yet (GitHub shows a
// restore after a lag): IsUnconfirmedRestore tells the caller to wait for
// visibility before it concludes. When even the GET fails, RestorePackage
// returns nil without sending the restore again: the caller's wait for
// visibility finds out.
func (c *Client) RestorePackage(ctx context.Context, ref PackageRef, packageToken string) error {
	path, err := ref.restorePath()
	if err != nil {
		return invalidRef(OpRestore, ref, err)
	}
	var query url.Values
	if packageToken != "" {
		query = url.Values{"token": {packageToken}}
	}
	return c.restore(ctx, call{op: OpRestore, ref: ref, method: http.MethodPost, path: path, query: query}, c.visible(ref))
}

// restore sends a restore call (of a package or a version) once, deciding
// about a lost answer with visible; see RestorePackage.
func (c *Client) restore(ctx context.Context, cl call, visible func(context.Context) (bool, error)) error {
	cl.alreadyDone = visible
	_, err := c.do(ctx, cl)
	switch {
	case err == nil:
		tflog.Info(ctx, "GitHub accepted the restore", map[string]any{"package": cl.ref.String(), "restores_done": c.restores.Add(1)})
	case errors.Is(err, errUnconfirmed):
		tflog.Warn(ctx, "GitHub API: the restore's answer was lost and its effect could not be checked; waiting for it to become visible", map[string]any{"package": cl.ref.String()})
		return nil
	case IsUnconfirmedRestore(err):
		tflog.Info(ctx, "GitHub API: the restore, sent again after a lost answer, answered 404; the first one may still become visible", map[string]any{"package": cl.ref.String()})
	}
	return err
}

// IsUnconfirmedRestore reports whether err is a 404 to a restore sent again
// after an earlier attempt got no clear answer: the earlier one may have
// worked and not be visible yet, so only a wait for visibility (within the
// create timeout) tells "restored" from "not restorable".
func IsUnconfirmedRestore(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Kind == KindNotFound && apiErr.afterAmbiguous &&
		(apiErr.Op == OpRestore || apiErr.Op == OpRestoreVersion)
}

// visible checks whether a package is visible, for deciding about a restore
// whose answer was lost.
func (c *Client) visible(ref PackageRef) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		_, err := c.GetPackage(ctx, ref)
		if IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	}
}

// ListPackages lists every visible package of a namespace, following
// pagination; visibility ("public", "private", "internal"), when not empty,
// filters on GitHub's side.
func (c *Client) ListPackages(ctx context.Context, ns Namespace, visibility string) ([]*Package, error) {
	return allPages(ctx, namespaceListing(ns), func(ctx context.Context, page int) ([]*Package, Page, error) {
		return c.ListPackagesPage(ctx, ns, visibility, page)
	})
}

// ListPackagesPage fetches one page (of ListPageSize) of a namespace's
// listing and where it sits among the others. An error names the page.
func (c *Client) ListPackagesPage(ctx context.Context, ns Namespace, visibility string, page int) ([]*Package, Page, error) {
	ref := PackageRef{Scope: ns.Scope, Owner: ns.Owner, Type: ns.Type}
	if err := ns.validate(); err != nil {
		return nil, Page{}, invalidRef(OpList, ref, err)
	}
	query := url.Values{
		"package_type": {ns.Type},
		"per_page":     {strconv.Itoa(ListPageSize)},
		"page":         {strconv.Itoa(page)},
	}
	if visibility != "" {
		query.Set("visibility", visibility)
	}
	var raw []github.Package
	header, err := c.do(ctx, call{op: OpList, ref: ref, method: http.MethodGet, path: ns.listPath(), query: query, out: &raw})
	if err != nil {
		return nil, Page{}, onPage(err, page)
	}
	pkgs := make([]*Package, 0, len(raw))
	for _, p := range raw {
		ref.Name = p.GetName()
		pkg, err := fromGitHub(ref, p)
		if err != nil {
			return nil, Page{}, onPage(err, page)
		}
		pkgs = append(pkgs, pkg)
	}
	return pkgs, pageLinks(header, page, len(raw), ListPageSize), nil
}

// fromGitHub checks the fields the provider relies on and converts them.
func fromGitHub(ref PackageRef, p github.Package) (*Package, error) {
	if p.ID == nil || p.Name == nil || p.CreatedAt == nil || p.UpdatedAt == nil {
		return nil, &Error{Kind: KindMalformed, Op: OpGet, Ref: ref, StatusCode: http.StatusOK, Attempts: 1,
			Message: "the answer lacks id, name or timestamps"}
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

func invalidRef(op Op, ref PackageRef, err error) error {
	return &Error{Kind: KindRejected, Op: op, Ref: ref, Message: err.Error(), Err: err}
}
