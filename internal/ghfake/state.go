// Package ghfake is an in-memory emulator of GitHub's user-package endpoints,
// for tests, the demo and benchmarks. It follows GitHub's documented rules:
// restore within 30 days of deletion while the name is free, classic-token
// scopes, pagination with a Link header, and GitHub's error body.
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
	ID           int64
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

func (p *Package) key() string {
	return strings.ToLower(p.Owner) + "/" + p.Type + "/" + p.Name
}

func (p *Package) active() bool { return p.DeletedAt.IsZero() }

// store holds every package ever added, active or deleted, under a clock
// that only moves when a test moves it.
type store struct {
	mu       sync.Mutex
	now      time.Time
	nextID   int64
	packages []*Package
	// hiddenFor counts the GETs that still answer 404 after a restore, to
	// emulate GitHub's eventual consistency.
	hiddenFor map[string]int
}

func newStore() *store {
	return &store{now: Epoch, nextID: 1001, hiddenFor: map[string]int{}}
}

func packageKey(owner, packageType, name string) string {
	return strings.ToLower(owner) + "/" + packageType + "/" + name
}

// find returns the active package with that key, or nil.
func (s *store) findActive(key string) *Package {
	for _, p := range s.packages {
		if p.active() && p.key() == key {
			return p
		}
	}
	return nil
}

// latestDeleted returns the most recently deleted package with that key.
func (s *store) latestDeleted(key string) *Package {
	var latest *Package
	for _, p := range s.packages {
		if !p.active() && p.key() == key && (latest == nil || p.DeletedAt.After(latest.DeletedAt)) {
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
		p.CreatedAt = s.now
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
func (s *store) delete(key string) bool {
	p := s.findActive(key)
	if p == nil {
		return false
	}
	p.DeletedAt = s.now
	return true
}

// restore applies GitHub's rule: the latest deletion of that name comes back
// if it is at most 30 days old and no active package has taken the name.
func (s *store) restore(key string) bool {
	if s.findActive(key) != nil {
		return false
	}
	p := s.latestDeleted(key)
	if p == nil || s.now.Sub(p.DeletedAt) > RestoreWindow {
		return false
	}
	p.DeletedAt = time.Time{}
	return true
}

// visible is the package a GET sees, honouring the post-restore lag.
func (s *store) visible(key string) *Package {
	p := s.findActive(key)
	if p == nil {
		return nil
	}
	if s.hiddenFor[key] > 0 {
		s.hiddenFor[key]--
		return nil
	}
	return p
}

// list returns the active packages of one owner and type, in ID order.
func (s *store) list(owner, packageType, visibility string) []Package {
	var out []Package
	for _, p := range s.packages {
		if p.active() && strings.EqualFold(p.Owner, owner) && p.Type == packageType &&
			(visibility == "" || p.Visibility == visibility) {
			out = append(out, *p)
		}
	}
	return out
}
