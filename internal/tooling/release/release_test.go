package release

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

const testVersion = "0.1.0"

// fakeRelease writes a release of testVersion as goreleaser lays it out:
// one zip per platform holding files (name -> mode), the manifest and the
// checksum file.
func fakeRelease(t *testing.T, files map[string]os.FileMode, platforms ...string) *Release {
	t.Helper()
	return fakeReleaseOf(t, testVersion, files, platforms...)
}

func fakeReleaseOf(t *testing.T, version string, files map[string]os.FileMode, platforms ...string) *Release {
	t.Helper()
	dir := t.TempDir()
	var sums strings.Builder
	add := func(name string, write func(*os.File) error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Fatal(err)
		}
		_ = f.Close()
		sum, err := FileSHA256(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sums, "%s  %s\n", sum, name)
	}
	for _, p := range platforms {
		add(fmt.Sprintf("%s_%s_%s.zip", Project, version, p), func(f *os.File) error { return writeZip(f, files) })
	}
	add(Project+"_"+version+"_manifest.json", func(f *os.File) error {
		_, err := f.WriteString(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`)
		return err
	})
	if err := os.WriteFile(filepath.Join(dir, Project+"_"+version+"_SHA256SUMS"), []byte(sums.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func writeZip(f *os.File, files map[string]os.FileMode) error {
	z := zip.NewWriter(f)
	for name, mode := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := z.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte("content of " + name)); err != nil {
			return err
		}
	}
	return z.Close()
}

var binary = Project + "_v" + testVersion

func TestOpenFindsTheVersionAndTheZips(t *testing.T) {
	r := fakeRelease(t, map[string]os.FileMode{binary: 0o755}, "linux_amd64", "darwin_arm64")
	if r.Version != testVersion {
		t.Errorf("version %q, want %q", r.Version, testVersion)
	}
	var platforms []string
	for _, a := range r.Archives {
		platforms = append(platforms, a.Platform)
	}
	if !slices.Equal(platforms, []string{"darwin_arm64", "linux_amd64"}) {
		t.Errorf("platforms %v", platforms)
	}
	if err := r.Check(); err != nil {
		t.Errorf("a release as goreleaser writes it fails Check: %v", err)
	}
}

func TestCheckRefusesWhatTerraformCannotInstall(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]os.FileMode
		want  string
	}{
		"no binary":         {map[string]os.FileMode{"LICENSE": 0o644}, "does not hold " + binary},
		"binary in a dir":   {map[string]os.FileMode{"bin/" + binary: 0o755}, "in a directory"},
		"not executable":    {map[string]os.FileMode{binary: 0o644}, "is not executable"},
		"other name":        {map[string]os.FileMode{Project: 0o755}, "does not hold " + binary},
		"extra files is ok": {map[string]os.FileMode{binary: 0o755, "LICENSE": 0o644, "README.md": 0o644}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := fakeRelease(t, tc.files, "linux_amd64").Check()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Check() = %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestAChangedZipIsNeitherReleasedNorMirrored(t *testing.T) {
	r := fakeRelease(t, map[string]os.FileMode{binary: 0o755}, "linux_amd64")
	if err := os.WriteFile(r.Archives[0].Path, []byte("not the zip the checksums name"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Check(); err == nil || !strings.Contains(err.Error(), "the checksum file says") {
		t.Errorf("Check() = %v, want a checksum mismatch", err)
	}
	if err := r.WriteMirror(t.TempDir(), []string{"registry.terraform.io/ghpkg/ghpkg"}, nil); err == nil || !strings.Contains(err.Error(), "the checksum file says") {
		t.Errorf("WriteMirror() = %v, want a checksum mismatch", err)
	}
}

// A download of a release may hold some platforms' zips only: they can be
// mirrored, while the release is incomplete.
func TestADownloadOfSomeZipsIsMirrored(t *testing.T) {
	full := fakeRelease(t, map[string]os.FileMode{binary: 0o755}, "linux_amd64", "darwin_arm64")
	if err := os.Remove(full.Archives[0].Path); err != nil {
		t.Fatal(err)
	}
	r, err := Open(full.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Archives) != 1 || r.Archives[0].Platform != "linux_amd64" {
		t.Fatalf("archives %+v, want linux_amd64 alone", r.Archives)
	}
	if err := r.WriteMirror(t.TempDir(), []string{"registry.terraform.io/ghpkg/ghpkg"}, nil); err != nil {
		t.Error(err)
	}
	if err := r.Check(); err == nil {
		t.Error("Check() of a release without its darwin_arm64 zip succeeded")
	}
}

func TestWindowsBinaryEndsInExe(t *testing.T) {
	r := fakeRelease(t, map[string]os.FileMode{binary + ".exe": 0o644}, "windows_amd64")
	if err := r.Check(); err != nil {
		t.Error(err)
	}
}

// TestTheConfigListsEveryTarget: .goreleaser.yml's targets are those Go
// builds, windows/arm (removed in Go 1.25) and darwin/386 left out.
func TestTheConfigListsEveryTarget(t *testing.T) {
	data, err := os.ReadFile("../../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var config map[string]any
	if err := yaml.Unmarshal(data, &config); err != nil {
		t.Fatal(err)
	}
	got, err := restrict(config, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"freebsd_amd64", "freebsd_386", "freebsd_arm", "freebsd_arm64",
		"windows_amd64", "windows_386", "windows_arm64",
		"linux_amd64", "linux_386", "linux_arm", "linux_arm64",
		"darwin_amd64", "darwin_arm64",
	}
	if !slices.Equal(got, want) {
		t.Errorf("targets %v, want %v", got, want)
	}
	if _, err := restrict(config, []string{"linux_riscv64"}); err == nil {
		t.Error("restricting to a target the config does not list succeeded")
	}
}

func TestDeriveConfigKeepsAllButDistAndTargets(t *testing.T) {
	path, targets, err := deriveConfig("../../../.goreleaser.yml", "/tmp/some-dist", []string{"linux_amd64"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(path) })
	data, _ := os.ReadFile(path)
	var config struct {
		Dist   string `yaml:"dist"`
		Builds []struct {
			Targets []string `yaml:"targets"`
			Goos    []string `yaml:"goos"`
			Binary  string   `yaml:"binary"`
		} `yaml:"builds"`
		Archives []map[string]any `yaml:"archives"`
	}
	if err := yaml.Unmarshal(data, &config); err != nil {
		t.Fatal(err)
	}
	b := config.Builds[0]
	if config.Dist != "/tmp/some-dist" || !slices.Equal(targets, []string{"linux_amd64"}) || !slices.Equal(b.Targets, targets) || b.Goos != nil {
		t.Errorf("derived config: dist %q, build %+v, targets %v", config.Dist, b, targets)
	}
	if b.Binary != "{{ .ProjectName }}_v{{ .Version }}" || len(config.Archives) != 1 {
		t.Errorf("the derived config lost the packaging: build %+v, archives %v", b, config.Archives)
	}
}

func TestWriteMirrorServesBothMirrorKinds(t *testing.T) {
	r := fakeRelease(t, map[string]os.FileMode{binary: 0o755}, "linux_amd64", "darwin_arm64")
	dir := t.TempDir()
	addresses := []string{"registry.terraform.io/ghpkg/ghpkg", "registry.opentofu.org/ghpkg/ghpkg"}
	if err := r.WriteMirror(dir, addresses, []string{"linux_amd64"}); err != nil {
		t.Fatal(err)
	}
	// A second platform and a second version later: both stay listed.
	if err := r.WriteMirror(dir, addresses, []string{"darwin_arm64"}); err != nil {
		t.Fatal(err)
	}
	next := fakeReleaseOf(t, "0.2.0", map[string]os.FileMode{Project + "_v0.2.0": 0o755}, "linux_amd64")
	if err := next.WriteMirror(dir, addresses[:1], nil); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "registry.terraform.io", "ghpkg", "ghpkg")
	var index mirrorIndex
	var version mirrorVersion
	if err := readJSON(filepath.Join(base, "index.json"), &index); err != nil {
		t.Fatal(err)
	}
	if err := readJSON(filepath.Join(base, testVersion+".json"), &version); err != nil {
		t.Fatal(err)
	}
	if len(index.Versions) != 2 || len(version.Archives) != 2 {
		t.Errorf("index %+v, %s.json %+v", index, testVersion, version)
	}
	linux := version.Archives["linux_amd64"]
	zipName := filepath.Base(r.Archives[1].Path)
	if linux.URL != zipName || !slices.Equal(linux.Hashes, []string{"zh:" + r.Archives[1].SHA256}) {
		got, _ := json.Marshal(linux)
		t.Errorf("linux_amd64 entry %s, want the zip's relative URL %s and its zh: hash", got, zipName)
	}
	if _, err := os.Stat(filepath.Join(dir, "registry.opentofu.org", "ghpkg", "ghpkg", zipName)); err != nil {
		t.Errorf("OpenTofu's address lacks the zip: %v", err)
	}
	if err := r.WriteMirror(dir, addresses, []string{"plan9_amd64"}); err == nil {
		t.Error("mirroring a platform the release lacks succeeded")
	}
}

func TestFingerprintReadsTheFirstFprRecord(t *testing.T) {
	colons := "sec:u:255:22:ABCD:1:::::::scESC:::+:::ed25519:::0:\nfpr:::::::::0123456789ABCDEF0123456789ABCDEF01234567:\ngrp:::::::::X:\n"
	if got, err := fingerprint([]byte(colons)); err != nil || got != "0123456789ABCDEF0123456789ABCDEF01234567" {
		t.Errorf("fingerprint = %q, %v", got, err)
	}
	if _, err := fingerprint([]byte("sec:u:255\n")); err == nil {
		t.Error("no fpr record, no error")
	}
}
