package release

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteMirror lays the zips of platforms (all when none are given) out in
// dir under each provider address ("registry.terraform.io/ghpkg/ghpkg"),
// as `terraform providers mirror` does: the zips in the packed layout of a
// filesystem_mirror, and beside them index.json and {version}.json of the
// provider network mirror protocol, with URLs relative to them and the zips'
// zh: hashes. So dir serves as a filesystem_mirror as it is, and as a
// network_mirror from an HTTPS file server. Versions and platforms already
// in dir stay listed. Each zip is checked against its checksum and read back
// first.
func (r *Release) WriteMirror(dir string, addresses, platforms []string) error {
	archives, err := r.pick(platforms)
	if err != nil {
		return err
	}
	for _, a := range archives {
		if err := r.verify(a); err != nil {
			return err
		}
	}
	for _, address := range addresses {
		if err := r.writeAddress(filepath.Join(dir, filepath.FromSlash(address)), archives); err != nil {
			return err
		}
	}
	return nil
}

func (r *Release) pick(platforms []string) ([]Archive, error) {
	if len(platforms) == 0 {
		if len(r.Archives) == 0 {
			return nil, fmt.Errorf("release %s: no zip in %s", r.Version, r.Dir)
		}
		return r.Archives, nil
	}
	var picked []Archive
	for _, p := range platforms {
		a, ok := r.Archive(p)
		if !ok {
			return nil, fmt.Errorf("release %s: no %s zip in %s", r.Version, p, r.Dir)
		}
		picked = append(picked, a)
	}
	return picked, nil
}

// mirrorIndex is index.json: the versions the mirror holds.
type mirrorIndex struct {
	Versions map[string]struct{} `json:"versions"`
}

// mirrorVersion is {version}.json: one zip per platform.
type mirrorVersion struct {
	Archives map[string]mirrorArchive `json:"archives"`
}

type mirrorArchive struct {
	URL    string   `json:"url"`
	Hashes []string `json:"hashes"`
}

func (r *Release) writeAddress(dir string, archives []Archive) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	index := mirrorIndex{Versions: map[string]struct{}{}}
	version := mirrorVersion{Archives: map[string]mirrorArchive{}}
	versionFile := filepath.Join(dir, r.Version+".json")
	if err := errors.Join(readJSON(filepath.Join(dir, "index.json"), &index), readJSON(versionFile, &version)); err != nil {
		return err
	}
	for _, a := range archives {
		name := filepath.Base(a.Path)
		if err := copyFile(a.Path, filepath.Join(dir, name)); err != nil {
			return err
		}
		version.Archives[a.Platform] = mirrorArchive{URL: name, Hashes: []string{"zh:" + a.SHA256}}
	}
	index.Versions[r.Version] = struct{}{}
	return errors.Join(writeJSON(filepath.Join(dir, "index.json"), index), writeJSON(versionFile, version))
}

// readJSON leaves v as it is when path does not exist.
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer func() { _ = src.Close() }()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	return errors.Join(err, dst.Close())
}
