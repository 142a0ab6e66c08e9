package release

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// Options of a snapshot build.
type Options struct {
	RepoDir string   // the repository: .goreleaser.yml, tools/go.mod and the module
	Dist    string   // goreleaser's output directory; emptied first
	Targets []string // "linux_amd64", a subset of the config's; none: all of them
	Sign    bool     // sign the checksums with a throwaway GPG key and verify it
	// Hooks runs the config's before hooks (go mod tidy) as a release does;
	// tests leave them out so as not to touch the working tree.
	Hooks bool
	Log   io.Writer // goreleaser's output
}

// manifestFile is the registry manifest at the repository's root; the
// release publishes it as {project}_{version}_manifest.json.
const manifestFile = "terraform-registry-manifest.json"

// Snapshot builds a snapshot release with goreleaser from .goreleaser.yml,
// changed only in where it writes (Dist) and, when Targets are given, in
// which of its os/arch targets it builds, then reads the release back.
func Snapshot(opts Options) (*Release, error) {
	repo, err := filepath.Abs(opts.RepoDir)
	if err != nil {
		return nil, err
	}
	dist, err := filepath.Abs(opts.Dist)
	if err != nil {
		return nil, err
	}
	config, targets, err := deriveConfig(filepath.Join(repo, ".goreleaser.yml"), dist, opts.Targets)
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.Remove(config) }()
	var keys *keyring
	if opts.Sign {
		if keys, err = newKeyring(); err != nil {
			return nil, err
		}
		defer keys.close()
	}
	if err := goreleaser(repo, config, opts, keys); err != nil {
		return nil, err
	}
	return readBack(repo, dist, targets, keys)
}

// goreleaser runs `goreleaser release --snapshot` with the pinned tool.
func goreleaser(repo, config string, opts Options, keys *keyring) error {
	args := []string{"tool", "-modfile=tools/go.mod", "goreleaser", "release", "--snapshot", "--clean", "--config", config}
	var skip []string
	if !opts.Hooks {
		skip = append(skip, "before")
	}
	if keys == nil {
		skip = append(skip, "sign")
	}
	if len(skip) > 0 {
		args = append(args, "--skip="+strings.Join(skip, ","))
	}
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = repo, opts.Log, opts.Log
	cmd.Env = os.Environ()
	if keys != nil {
		cmd.Env = append(cmd.Env, keys.env()...)
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("goreleaser release --snapshot: %w", err)
	}
	return nil
}

// readBack completes dist as a GitHub release holds it (the manifest, which
// goreleaser only checksums), checks that it holds a zip for each target and
// reads them back, and verifies the signature.
func readBack(repo, dist string, targets []string, keys *keyring) (*Release, error) {
	r, err := Open(dist)
	if err != nil {
		return nil, err
	}
	var built []string
	for _, a := range r.Archives {
		built = append(built, a.Platform)
	}
	if want := slices.Sorted(slices.Values(targets)); !slices.Equal(built, want) {
		return nil, fmt.Errorf("goreleaser built zips for %v, the config asks for %v", built, want)
	}
	manifest, err := os.ReadFile(filepath.Join(repo, manifestFile))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dist, r.manifestName()), manifest, 0o644); err != nil {
		return nil, err
	}
	if err := r.Check(); err != nil {
		return nil, err
	}
	if keys != nil {
		if err := keys.verify(r.Sums+".sig", r.Sums); err != nil {
			return nil, err
		}
		r.SignedBy = keys.fingerprint
	}
	return r, nil
}

// deriveConfig writes a copy of the goreleaser config with dist set and,
// when targets are given, each build restricted to them, and returns its
// path and the targets it builds. goreleaser has no flag for either in a
// full release.
func deriveConfig(path, dist string, targets []string) (string, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	var config map[string]any
	if err := yaml.Unmarshal(data, &config); err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	config["dist"] = dist
	if targets, err = restrict(config, targets); err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	out, err := yaml.Marshal(config)
	if err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp("", "ghpkg-goreleaser-*.yml")
	if err != nil {
		return "", nil, err
	}
	_, err = f.Write(out)
	return f.Name(), targets, errors.Join(err, f.Close())
}

// restrict replaces each build's goos x goarch (minus ignore) by targets,
// all of which it must list, and returns the targets built: all the
// config's when none are given.
func restrict(config map[string]any, targets []string) ([]string, error) {
	builds, _ := config["builds"].([]any)
	if len(builds) != 1 {
		return nil, fmt.Errorf("%d builds, want one", len(builds))
	}
	build, ok := builds[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the build is not a mapping")
	}
	listed, err := targetsOf(build)
	if err != nil || len(targets) == 0 {
		return listed, err
	}
	for _, t := range targets {
		if !slices.Contains(listed, t) {
			return nil, fmt.Errorf("target %s is not among the config's: %s", t, strings.Join(listed, ", "))
		}
	}
	delete(build, "goos")
	delete(build, "goarch")
	delete(build, "ignore")
	build["targets"] = targets
	return targets, nil
}

// targetsOf lists a goreleaser build's os/arch pairs ("linux_amd64"): goos x
// goarch, less those its ignore list names and those Go cannot build
// (darwin/arm), which goreleaser skips without a word.
func targetsOf(build map[string]any) ([]string, error) {
	buildable, err := goTargets()
	if err != nil {
		return nil, err
	}
	var targets []string
	for _, goos := range scalars(build["goos"]) {
		for _, goarch := range scalars(build["goarch"]) {
			if t := goos + "_" + goarch; buildable[t] && !ignored(build, goos, goarch) {
				targets = append(targets, t)
			}
		}
	}
	return targets, nil
}

// goTargets is `go tool dist list`, as a set of "os_arch".
var goTargets = sync.OnceValues(func() (map[string]bool, error) {
	out, err := exec.Command("go", "tool", "dist", "list").Output()
	if err != nil {
		return nil, fmt.Errorf("go tool dist list: %w", err)
	}
	set := map[string]bool{}
	for _, line := range strings.Fields(string(out)) {
		set[strings.Replace(line, "/", "_", 1)] = true
	}
	return set, nil
})

func ignored(build map[string]any, goos, goarch string) bool {
	rules, _ := build["ignore"].([]any)
	for _, r := range rules {
		rule, _ := r.(map[string]any)
		if fmt.Sprint(rule["goos"]) == goos && fmt.Sprint(rule["goarch"]) == goarch {
			return true
		}
	}
	return false
}

// scalars reads a YAML list of scalars as strings.
func scalars(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, item := range list {
		out = append(out, fmt.Sprint(item))
	}
	return out
}
