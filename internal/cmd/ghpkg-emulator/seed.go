package main

import (
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

// seed is what the emulator starts with, read from a YAML or JSON file
// (JSON is YAML).
type seed struct {
	// Token is the classic token the emulator accepts.
	Token string `yaml:"token"`
	// Login is the token's user, for /user/... routes.
	Login    string        `yaml:"login"`
	Packages []seedPackage `yaml:"packages"`
}

type seedPackage struct {
	Org        bool          `yaml:"org"`
	Owner      string        `yaml:"owner"`
	Type       string        `yaml:"type"`
	Name       string        `yaml:"name"`
	Visibility string        `yaml:"visibility"`
	Repository string        `yaml:"repository"`
	DeletedAgo time.Duration `yaml:"deleted_ago"` // 0: visible
	Versions   []seedVersion `yaml:"versions"`
}

type seedVersion struct {
	Name       string        `yaml:"name"`
	Tags       []string      `yaml:"tags"`
	DeletedAgo time.Duration `yaml:"deleted_ago"`
}

// defaultSeed is a namespace worth trying a configuration on: deleted and
// visible packages of a user and an organisation, and a deleted tag.
const defaultSeed = `
token: emulator-token
login: octocat
packages:
  - {owner: octocat, type: container, name: octo-repo/octo-app, repository: octo-repo, deleted_ago: 72h}
  - {owner: octocat, type: npm, name: octo-lib, deleted_ago: 240h}
  - {owner: octocat, type: maven, name: com.example.octo-core, visibility: public}
  - org: true
    owner: octo-org
    type: container
    name: octo-api
    versions:
      - {name: "sha256:2b2b", tags: [v2, latest]}
      - {name: "sha256:1a1a", tags: [v1], deleted_ago: 120h}
  - {org: true, owner: octo-org, type: container, name: octo-web, deleted_ago: 48h}
  - {org: true, owner: octo-org, type: npm, name: octo-lib, deleted_ago: 24h}
  - {org: true, owner: octo-org, type: npm, name: octo-cli, deleted_ago: 24h}
`

// loadSeed reads a seed file, or the default seed when path is empty.
func loadSeed(path string) (*seed, error) {
	data := []byte(defaultSeed)
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, err
		}
	}
	var s seed
	if err := yaml.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	if s.Token == "" {
		return nil, fmt.Errorf("seed %s: a token is required", path)
	}
	return &s, nil
}

// emulator builds the emulator a seed describes.
func (s *seed) emulator() (*ghfake.Server, error) {
	fake := ghfake.New()
	fake.AddToken(s.Token, "read:packages", "write:packages", "delete:packages")
	if s.Login != "" {
		fake.SetLogin(s.Token, s.Login)
	}
	for _, p := range s.Packages {
		if p.Owner == "" || p.Type == "" || p.Name == "" {
			return nil, fmt.Errorf("seed package %+v: owner, type and name are required", p)
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
	}
	return fake, nil
}
