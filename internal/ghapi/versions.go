package ghapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/go-github/v62/github"
)

// VersionRef identifies one version of a package by its numeric ID.
type VersionRef struct {
	Package PackageRef
	ID      int64
}

// String is owner/type/name/version_id, the form of the version resources'
// IDs: the last segment is always the number, so names with "/" stay
// unambiguous.
func (v VersionRef) String() string {
	return v.Package.String() + "/" + strconv.FormatInt(v.ID, 10)
}

// PackageVersion is what the provider keeps of a package version.
type PackageVersion struct {
	ID   int64
	Name string
	// Tags are the container or docker tags; empty for other types.
	Tags      []string
	HTMLURL   string
	CreatedAt time.Time
	UpdatedAt time.Time
	// DeletedAt is zero for an active version.
	DeletedAt time.Time
}

// RestoreWindow is how long GitHub keeps a deleted package or version
// restorable.
const RestoreWindow = 30 * 24 * time.Hour

// RestorableUntil is when a deleted version can no longer be restored;
// zero for an active version.
func (v *PackageVersion) RestorableUntil() time.Time {
	if v.DeletedAt.IsZero() {
		return time.Time{}
	}
	return v.DeletedAt.Add(RestoreWindow)
}

// Version states GitHub's version listings filter on.
const (
	VersionsActive  = "active"
	VersionsDeleted = "deleted"
)

// CanListByState reports whether GitHub lists a scope's versions by state:
// organisations and the token's own account, not /users/{username}.
func (s Scope) CanListByState() bool { return s != ScopeUser }

func (v VersionRef) path() (string, error) {
	p, err := v.Package.path()
	if err != nil {
		return "", err
	}
	return p + "/versions/" + strconv.FormatInt(v.ID, 10), nil
}

// GetVersion fetches a version; a deleted version, or one of a deleted
// package, is an *Error of KindNotFound.
func (c *Client) GetVersion(ctx context.Context, ref VersionRef) (*PackageVersion, error) {
	path, err := ref.path()
	if err != nil {
		return nil, invalidRef(OpGetVersion, ref.Package, err)
	}
	var raw rawVersion
	if _, err := c.do(ctx, call{op: OpGetVersion, ref: ref.Package, method: http.MethodGet, path: path, out: &raw}); err != nil {
		return nil, err
	}
	return versionFromGitHub(ref.Package, raw)
}

// RestoreVersion asks GitHub to restore a deleted version, with the same
// rules for a lost answer as RestorePackage.
func (c *Client) RestoreVersion(ctx context.Context, ref VersionRef) error {
	path, err := ref.path()
	if err != nil {
		return invalidRef(OpRestoreVersion, ref.Package, err)
	}
	visible := func(ctx context.Context) (bool, error) {
		_, err := c.GetVersion(ctx, ref)
		if IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	}
	return c.restore(ctx, call{op: OpRestoreVersion, ref: ref.Package, method: http.MethodPost, path: path + "/restore"}, visible)
}

// ListVersions lists a package's versions in one state, all pages. A
// ScopeUser package can be listed only as GitHub shows it by default
// (state must be "" or VersionsActive, and no paging parameters).
func (c *Client) ListVersions(ctx context.Context, pkg PackageRef, state string) ([]*PackageVersion, error) {
	return allPages(ctx, versionsListing(pkg), func(ctx context.Context, page int) ([]*PackageVersion, Page, error) {
		return c.ListVersionsPage(ctx, pkg, state, page)
	})
}

// ListVersionsPage fetches one page of a package's versions and where it
// sits among the others. An error names the page.
func (c *Client) ListVersionsPage(ctx context.Context, pkg PackageRef, state string, page int) ([]*PackageVersion, Page, error) {
	path, err := pkg.path()
	if err != nil {
		return nil, Page{}, invalidRef(OpListVersions, pkg, err)
	}
	query := url.Values{}
	if pkg.Scope.CanListByState() {
		query.Set("per_page", strconv.Itoa(ListPageSize))
		query.Set("page", strconv.Itoa(page))
		if state != "" {
			query.Set("state", state)
		}
	} else if state != "" && state != VersionsActive {
		return nil, Page{}, invalidRef(OpListVersions, pkg, errNoStateForUsers)
	}
	var raw []rawVersion
	header, err := c.do(ctx, call{op: OpListVersions, ref: pkg, method: http.MethodGet, path: path + "/versions", query: query, out: &raw})
	if err != nil {
		return nil, Page{}, onPage(err, page)
	}
	versions := make([]*PackageVersion, 0, len(raw))
	for _, v := range raw {
		version, err := versionFromGitHub(pkg, v)
		if err != nil {
			return nil, Page{}, onPage(err, page)
		}
		versions = append(versions, version)
	}
	if !pkg.Scope.CanListByState() {
		return versions, Page{}, nil // GitHub documents no paging here
	}
	return versions, pageLinks(header, page, len(raw), ListPageSize), nil
}

// errNoStateForUsers: GitHub lists another user's versions by state only
// for the token's own account.
var errNoStateForUsers = errors.New("GitHub lists deleted versions only of organisations and of the token's own account")

// rawVersion is a version as GitHub sends it; go-github v62 lacks deleted_at
// and the docker tags (metadata.docker.tag).
type rawVersion struct {
	github.PackageVersion
	DeletedAt *github.Timestamp `json:"deleted_at,omitempty"`
	Metadata  *struct {
		Container *struct {
			Tags []string `json:"tags"`
		} `json:"container"`
		Docker *struct {
			Tag []string `json:"tag"`
		} `json:"docker"`
	} `json:"metadata,omitempty"`
}

func versionFromGitHub(pkg PackageRef, v rawVersion) (*PackageVersion, error) {
	if v.ID == nil || v.Name == nil || v.CreatedAt == nil || v.UpdatedAt == nil {
		return nil, &Error{Kind: KindMalformed, Op: OpGetVersion, Ref: pkg, StatusCode: http.StatusOK, Attempts: 1,
			Message: "the version lacks id, name or timestamps"}
	}
	out := &PackageVersion{
		ID:        v.GetID(),
		Name:      v.GetName(),
		Tags:      []string{},
		HTMLURL:   v.GetHTMLURL(),
		CreatedAt: v.GetCreatedAt().Time,
		UpdatedAt: v.GetUpdatedAt().Time,
	}
	if v.DeletedAt != nil {
		out.DeletedAt = v.DeletedAt.Time
	}
	if m := v.Metadata; m != nil {
		if m.Container != nil {
			out.Tags = append(out.Tags, m.Container.Tags...)
		}
		if m.Docker != nil {
			out.Tags = append(out.Tags, m.Docker.Tag...)
		}
	}
	return out, nil
}
