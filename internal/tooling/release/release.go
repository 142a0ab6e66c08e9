// Package release builds the provider's release with goreleaser (Snapshot),
// reads a release back as the registry and `terraform init` will (Open,
// Check), and lays it out as a provider mirror (WriteMirror). A release is
// the files a GitHub release of the provider holds: one zip per platform,
// the _SHA256SUMS file with its .sig, and the _manifest.json.
package release

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Project is goreleaser's project name, the prefix of every release file.
const Project = "terraform-provider-ghpkg"

// Archive is one platform's zip.
type Archive struct {
	Platform string // "linux_amd64"
	Path     string
	SHA256   string // hex, as the checksum file lists it
	Size     int64
}

// Release is a release's files in a directory.
type Release struct {
	Dir      string
	Version  string
	Sums     string    // path of the _SHA256SUMS file
	Archives []Archive // sorted by platform
	// SignedBy is the fingerprint of the key whose signature of Sums
	// `gpg --verify` accepted; Snapshot sets it.
	SignedBy string
}

// Open reads the release in dir from its one
// terraform-provider-ghpkg_{version}_SHA256SUMS file, which names every zip;
// Archives are those of the zips that dir holds (a download may leave some
// platforms out).
func Open(dir string) (*Release, error) {
	found, err := filepath.Glob(filepath.Join(dir, Project+"_*_SHA256SUMS"))
	if err != nil || len(found) != 1 {
		return nil, fmt.Errorf("%s holds %d %s_*_SHA256SUMS files, want one: run make release-snapshot, or download a release's files into it", dir, len(found), Project)
	}
	name := filepath.Base(found[0])
	r := &Release{Dir: dir, Sums: found[0], Version: strings.TrimSuffix(strings.TrimPrefix(name, Project+"_"), "_SHA256SUMS")}
	sums, err := r.sums()
	if err != nil {
		return nil, err
	}
	for name, sum := range sums {
		platform, ok := r.platformOf(name)
		if !ok {
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		r.Archives = append(r.Archives, Archive{Platform: platform, Path: path, SHA256: sum, Size: info.Size()})
	}
	slices.SortFunc(r.Archives, func(a, b Archive) int { return strings.Compare(a.Platform, b.Platform) })
	return r, nil
}

// Archive returns the zip of a platform ("linux_amd64").
func (r *Release) Archive(platform string) (Archive, bool) {
	i := slices.IndexFunc(r.Archives, func(a Archive) bool { return a.Platform == platform })
	if i < 0 {
		return Archive{}, false
	}
	return r.Archives[i], true
}

// BinaryName is the provider binary a platform's zip must hold, the name
// Terraform looks for: terraform-provider-ghpkg_v{version}[.exe].
func (r *Release) BinaryName(platform string) string {
	if strings.HasPrefix(platform, "windows_") {
		return Project + "_v" + r.Version + ".exe"
	}
	return Project + "_v" + r.Version
}

func (r *Release) manifestName() string { return Project + "_" + r.Version + "_manifest.json" }

// platformOf reads "linux_amd64" out of a zip's name.
func (r *Release) platformOf(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, Project+"_"+r.Version+"_")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, ".zip")
}

// sums reads the checksum file: file name -> hex SHA-256.
func (r *Release) sums() (map[string]string, error) {
	f, err := os.Open(r.Sums)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	sums := map[string]string{}
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		sum, name, ok := strings.Cut(lines.Text(), "  ")
		if !ok {
			return nil, fmt.Errorf("%s: line %q is not \"<sha256>  <file>\"", r.Sums, lines.Text())
		}
		sums[name] = sum
	}
	return sums, lines.Err()
}

// Check reads the release back: every file the checksum file names is
// there with that digest, the manifest declares the plugin protocol, and
// each zip holds the binary BinaryName at its top level and no directory.
func (r *Release) Check() error {
	sums, err := r.sums()
	if err != nil {
		return err
	}
	var errs []error
	for name, want := range sums {
		if got, err := FileSHA256(filepath.Join(r.Dir, name)); err != nil || got != want {
			errs = append(errs, fmt.Errorf("%s: SHA-256 %s, the checksum file says %s (%v)", name, got, want, err))
		}
	}
	if _, ok := sums[r.manifestName()]; !ok {
		errs = append(errs, fmt.Errorf("%s does not list %s", r.Sums, r.manifestName()))
	} else if err := checkManifest(filepath.Join(r.Dir, r.manifestName())); err != nil {
		errs = append(errs, err)
	}
	if len(r.Archives) == 0 {
		errs = append(errs, fmt.Errorf("%s lists no zip", r.Sums))
	}
	for _, a := range r.Archives {
		errs = append(errs, checkArchive(a.Path, r.BinaryName(a.Platform)))
	}
	return errors.Join(errs...)
}

// verify checks a zip against its checksum and reads it back.
func (r *Release) verify(a Archive) error {
	got, err := FileSHA256(a.Path)
	if err != nil {
		return err
	}
	if got != a.SHA256 {
		return fmt.Errorf("%s: SHA-256 %s, the checksum file says %s", a.Path, got, a.SHA256)
	}
	return checkArchive(a.Path, r.BinaryName(a.Platform))
}

// checkManifest reads the registry manifest: the registry takes the
// provider's plugin protocol versions from it.
func checkManifest(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Version != 1 || len(m.Metadata.ProtocolVersions) == 0 {
		return fmt.Errorf("%s is not a registry manifest of version 1 with protocol_versions (%v): %s", path, err, data)
	}
	return nil
}

// checkArchive checks that a zip holds the executable binary at its top
// level and nothing in a directory: Terraform runs the binary it finds at
// the top of the extracted package.
func checkArchive(path, binary string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer func() { _ = z.Close() }()
	var errs []error
	found := false
	for _, f := range z.File {
		if strings.Contains(f.Name, "/") {
			errs = append(errs, fmt.Errorf("%s holds %s, in a directory", path, f.Name))
		}
		if f.Name == binary {
			found = true
			if !strings.HasSuffix(binary, ".exe") && f.Mode()&0o111 == 0 {
				errs = append(errs, fmt.Errorf("%s: %s is not executable (mode %v)", path, binary, f.Mode()))
			}
		}
	}
	if !found {
		errs = append(errs, fmt.Errorf("%s does not hold %s", path, binary))
	}
	return errors.Join(errs...)
}

// FileSHA256 is the hex SHA-256 of a file, as the checksum file and a
// mirror's zh: hashes give it.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
