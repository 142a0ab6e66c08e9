package ghfake

import (
	"fmt"
	"slices"
	"time"
)

// Version is a version of a package as the emulator stores it.
type Version struct {
	// ID is assigned by AddVersion, from a counter of its own (5001, 5002,
	// …), so version IDs never look like package IDs.
	ID int64
	// Name is the version as its registry names it: "1.4.2" for npm or
	// maven, the manifest digest "sha256:…" for container and docker images.
	Name string
	// Tags are a container or docker image's tags; ignored for other types.
	Tags      []string
	CreatedAt time.Time
	UpdatedAt time.Time
	// DeletedAt is zero while the version is active.
	DeletedAt time.Time
}

func (v *Version) active() bool { return v.DeletedAt.IsZero() }

// clone copies the version, its tags included.
func (v *Version) clone() Version {
	out := *v
	out.Tags = slices.Clone(v.Tags)
	return out
}

// resolve returns the stored package p names: the package of p.ID when it
// is set (as AddPackage and AddDeletedPackage return it, so a deleted
// package can be named), otherwise the active package of p's Org, Owner,
// Type and Name; nil when there is none.
func (s *store) resolve(p Package) *Package {
	if p.ID == 0 {
		return s.findActive(p.key())
	}
	for _, q := range s.packages {
		if q.ID == p.ID {
			return q
		}
	}
	return nil
}

// version returns the version of that ID of the package, or nil.
func (s *store) version(pkg *Package, id int64) *Version {
	for _, v := range s.versions[pkg.ID] {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// addVersion stores v under the package p names, active, or when deleted
// deleted `ago` before now. Timestamps left zero default to now, or for a
// deleted version to its deletion time.
func (s *store) addVersion(p Package, v Version, deleted bool, ago time.Duration) Version {
	s.mu.Lock()
	defer s.mu.Unlock()
	pkg := s.resolve(p)
	if pkg == nil {
		panic(fmt.Sprintf("ghfake: no package %s (ID %d) to add a version to", p.ref(), p.ID))
	}
	v.ID = s.nextVersionID
	s.nextVersionID++
	v.Tags = slices.Clone(v.Tags)
	v.DeletedAt = time.Time{}
	if deleted {
		v.DeletedAt = s.now().Add(-ago)
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = s.now()
		if deleted {
			v.CreatedAt = v.DeletedAt
		}
	}
	if v.UpdatedAt.IsZero() {
		v.UpdatedAt = v.CreatedAt
	}
	s.versions[pkg.ID] = append(s.versions[pkg.ID], &v)
	return v.clone()
}

// restorable reports whether a version of pkg may be restored now: it is
// deleted, at most RestoreWindow ago, and no active version of the package
// has taken its name (GitHub's namespace rule, applied to versions).
func (s *store) restorable(pkg *Package, v *Version) bool {
	if v.active() || s.now().Sub(v.DeletedAt) > RestoreWindow {
		return false
	}
	for _, other := range s.versions[pkg.ID] {
		if other.active() && other.Name == v.Name {
			return false
		}
	}
	return true
}

// listVersions returns the package's active versions, or when deleted its
// versions deleted at most RestoreWindow ago (GitHub purges older ones), in
// ID order.
func (s *store) listVersions(pkg *Package, deleted bool) []Version {
	var out []Version
	for _, v := range s.versions[pkg.ID] {
		switch {
		case !deleted && v.active(), deleted && !v.active() && s.now().Sub(v.DeletedAt) <= RestoreWindow:
			out = append(out, v.clone())
		}
	}
	return out
}

// AddVersion stores an active version of the package p names, assigning
// its ID, and returns it. p names the package by its ID when set (as
// AddPackage and AddDeletedPackage return it), otherwise by its Org, Owner,
// Type and Name among the active packages. CreatedAt and UpdatedAt default
// to the clock's now. It panics when p names no package: a test's mistake.
//
// Once a package has versions, its version_count counts the active ones.
func (s *Server) AddVersion(p Package, v Version) Version {
	return s.store.addVersion(p, v, false, 0)
}

// AddDeletedVersion stores a version deleted `ago` before the clock's now,
// as AddVersion does; its timestamps default to the deletion time.
func (s *Server) AddDeletedVersion(p Package, v Version, ago time.Duration) Version {
	return s.store.addVersion(p, v, true, ago)
}

// DeleteVersion deletes an active version behind the provider's back; p
// names the package as for AddVersion.
func (s *Server) DeleteVersion(p Package, id int64) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if pkg := s.store.resolve(p); pkg != nil {
		if v := s.store.version(pkg, id); v != nil && v.active() {
			v.DeletedAt = s.store.now()
			return nil
		}
	}
	return fmt.Errorf("ghfake: no active version %d of package %s", id, p.ref())
}

// LookupVersion returns the version of that ID of the package p names (as
// for AddVersion) when the version is active.
func (s *Server) LookupVersion(p Package, id int64) (Version, bool) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if pkg := s.store.resolve(p); pkg != nil {
		if v := s.store.version(pkg, id); v != nil && v.active() {
			return v.clone(), true
		}
	}
	return Version{}, false
}
