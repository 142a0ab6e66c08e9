// Package ghfake is an in-memory emulator of GitHub's package endpoints of
// users, organisations and the authenticated user, for tests, the demo and
// benchmarks. It follows GitHub's documented rules: restore within 30 days of
// deletion while the name is free, classic-token scopes, pagination with a
// Link header, SAML SSO enforcement, and GitHub's error body.
package ghfake

import (
	"strings"
	"sync"
	"time"
)

// RestoreWindow is how long GitHub keeps a deleted package restorable.
const RestoreWindow = 30 * 24 * time.Hour

// Epoch is where every emulator's clock starts, so recordings are stable.
var Epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// Package is a package as the emulator stores it.
type Package struct {
	ID int64
	// Org: the package belongs to the organisation Owner, served under
	// /orgs/{Owner}; otherwise to the user Owner, under /users/{Owner} (and
	// /user for a token of that login).
	Org          bool
	Owner        string
	Type         string
	Name         string
	Visibility   string // "private" when empty
	VersionCount int64
	// Repository is the linked repository's name within the owner, or "".
	Repository string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// DeletedAt is zero while the package is active.
	DeletedAt time.Time
}

// key names a package as GitHub does: by namespace (a user's or an
// organisation's), owner, type and name. Logins and organisation names are
// case-insensitive, so the owner is lower-cased; types and names are not.
type key struct {
	org                      bool
	owner, packageType, name string
}

func (p *Package) key() key {
	return key{org: p.Org, owner: strings.ToLower(p.Owner), packageType: p.Type, name: p.Name}
}

// ref names the package in messages: owner/type/name, with orgs/ in front
// for an organisation's package.
func (p *Package) ref() string {
	ref := p.Owner + "/" + p.Type + "/" + p.Name
	if p.Org {
		return "orgs/" + ref
	}
	return ref
}

func (p *Package) active() bool { return p.DeletedAt.IsZero() }

// store holds every package ever added, active or deleted, under a clock
// that stands at Epoch and only moves when a test moves it, unless
// UseRealClock made it the real time.
type store struct {
	mu sync.Mutex
	// clock is where now starts from, and advanced what Advance added.
	clock    func() time.Time
	advanced time.Duration
	nextID   int64
	packages []*Package
	// hiddenFor counts the GETs that still answer 404 after a restore, to
	// emulate GitHub's eventual consistency.
	hiddenFor map[key]int
	// versions holds each package's versions, by package ID, in ID order;
	// version IDs come from their own counter.
	versions      map[int64][]*Version
	nextVersionID int64
	// hiddenVersions is hiddenFor for versions, by version ID.
	hiddenVersions map[int64]int
}

func newStore() *store {
	return &store{clock: func() time.Time { return Epoch }, nextID: 1001, hiddenFor: map[key]int{},
		versions: map[int64][]*Version{}, nextVersionID: 5001, hiddenVersions: map[int64]int{}}
}

// now is the emulator's time: the clock plus what Advance added.
func (s *store) now() time.Time { return s.clock().Add(s.advanced) }

// view is the package as the API shows it: once it has versions, its
// version_count counts the active ones; without versions, VersionCount as
// stored.
func (s *store) view(p *Package) Package {
	out := *p
	if vs := s.versions[p.ID]; len(vs) > 0 {
		out.VersionCount = 0
		for _, v := range vs {
			if v.active() {
				out.VersionCount++
			}
		}
	}
	return out
}

// findActive returns the active package with that key, or nil.
func (s *store) findActive(k key) *Package {
	for _, p := range s.packages {
		if p.active() && p.key() == k {
			return p
		}
	}
	return nil
}

// latestDeleted returns the most recently deleted package with that key.
func (s *store) latestDeleted(k key) *Package {
	var latest *Package
	for _, p := range s.packages {
		if !p.active() && p.key() == k && (latest == nil || p.DeletedAt.After(latest.DeletedAt)) {
			latest = p
		}
	}
	return latest
}

func (s *store) add(p Package) Package {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ID = s.nextID
	s.nextID++
	if p.Visibility == "" {
		p.Visibility = "private"
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.now()
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = p.CreatedAt
	}
	if p.VersionCount == 0 {
		p.VersionCount = 1
	}
	stored := p
	s.packages = append(s.packages, &stored)
	return stored
}

// delete marks the active package deleted now; false when there is none.
func (s *store) delete(k key) bool {
	p := s.findActive(k)
	if p == nil {
		return false
	}
	p.DeletedAt = s.now()
	return true
}

// restore applies GitHub's rule: the latest deletion of that name comes back
// if it is at most 30 days old and no active package has taken the name.
func (s *store) restore(k key) bool {
	if s.findActive(k) != nil {
		return false
	}
	p := s.latestDeleted(k)
	if p == nil || s.now().Sub(p.DeletedAt) > RestoreWindow {
		return false
	}
	p.DeletedAt = time.Time{}
	return true
}

// visible is the package a GET sees, honouring the post-restore lag.
func (s *store) visible(k key) *Package {
	p := s.findActive(k)
	if p == nil {
		return nil
	}
	if s.hiddenFor[k] > 0 {
		s.hiddenFor[k]--
		return nil
	}
	return p
}

// list returns the active packages of one owner (a user's, or an
// organisation's when org) and type, in ID order.
func (s *store) list(org bool, owner, packageType, visibility string) []Package {
	var out []Package
	for _, p := range s.packages {
		if p.active() && p.Org == org && strings.EqualFold(p.Owner, owner) && p.Type == packageType &&
			(visibility == "" || p.Visibility == visibility) {
			out = append(out, s.view(p))
		}
	}
	return out
}
