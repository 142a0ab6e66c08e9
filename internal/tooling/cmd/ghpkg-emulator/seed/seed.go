// Package seed reads what the user-facing emulator starts with (`make
// emulator`, and the example check, which applies every example against the
// default seed) and builds that emulator, on the real clock.
package seed

import (
	_ "embed" // the default seed
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// Seed is what the emulator starts with, read from a YAML or JSON file
// (JSON is YAML).
type Seed struct {
	// Token is the classic token the emulator accepts.
	Token string `yaml:"token"`
	// Login is the token's user, for /user/... routes.
	Login    string    `yaml:"login"`
	Packages []Package `yaml:"packages"`
}

// Package is a seeded package; Org puts it in the organisation Owner.
type Package struct {
	Org        bool          `yaml:"org"`
	Owner      string        `yaml:"owner"`
	Type       string        `yaml:"type"`
	Name       string        `yaml:"name"`
	Visibility string        `yaml:"visibility"`
	Repository string        `yaml:"repository"`
	DeletedAgo time.Duration `yaml:"deleted_ago"` // 0: visible
	Versions   []Version     `yaml:"versions"`
}

// Version is a seeded version of a package.
type Version struct {
	Name       string        `yaml:"name"`
	Tags       []string      `yaml:"tags"`
	DeletedAgo time.Duration `yaml:"deleted_ago"`
}

// defaultSeed holds every name the README, the guides and the examples use.
//
//go:embed default.yaml
var defaultSeed []byte

// Load reads a seed file, or the default seed when path is empty.
func Load(path string) (*Seed, error) {
	data := defaultSeed
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, err
		}
	}
	var s Seed
	if err := yaml.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	if s.Token == "" {
		return nil, fmt.Errorf("seed %s: a token is required", path)
	}
	return &s, nil
}

// Emulator builds the emulator the seed describes. It runs on the real
// clock: a version seeded as deleted 120h ago is dated five days before
// now, as a plan that compares its restore window with plantimestamp()
// expects.
func (s *Seed) Emulator() (*ghfake.Server, error) {
	fake := ghfake.New()
	fake.UseRealClock()
	fake.AddToken(s.Token, "read:packages", "write:packages", "delete:packages")
	if s.Login != "" {
		fake.SetLogin(s.Token, s.Login)
	}
	for _, p := range s.Packages {
		if err := p.add(fake); err != nil {
			return nil, err
		}
	}
	return fake, nil
}

// add stores the package and its versions in the emulator.
func (p Package) add(fake *ghfake.Server) error {
	if p.Owner == "" || p.Type == "" || p.Name == "" {
		return fmt.Errorf("seed package %+v: owner, type and name are required", p)
	}
	pkg := ghfake.Package{Org: p.Org, Owner: p.Owner, Type: p.Type, Name: p.Name, Visibility: p.Visibility, Repository: p.Repository}
	var added ghfake.Package
	if p.DeletedAgo > 0 {
		added = fake.AddDeletedPackage(pkg, p.DeletedAgo)
	} else {
		added = fake.AddPackage(pkg)
	}
	for _, v := range p.Versions {
		version := ghfake.Version{Name: v.Name, Tags: v.Tags}
		if v.DeletedAgo > 0 {
			fake.AddDeletedVersion(added, version, v.DeletedAgo)
		} else {
			fake.AddVersion(added, version)
		}
	}
	return nil
}
