package tfcli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeCLI writes a script that answers `version -json` and `version` like
// the real CLI named by banner.
func fakeCLI(t *testing.T, name, banner, ver string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	script := "#!/bin/sh\nif [ \"$2\" = -json ]; then echo '{\"terraform_version\":\"" + ver + "\"}'; else echo '" + banner + " v" + ver + "'; fi\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDetectTellsOpenTofuFromTerraform(t *testing.T) {
	for _, tc := range []struct {
		file, banner, version string
		tofu                  bool
		atLeast114            bool
	}{
		{"terraform", "Terraform", "1.16.3", false, true},
		{"terraform", "Terraform", "1.11.4", false, false},
		{"tofu", "OpenTofu", "1.12.6", true, false},
		// A renamed binary is still known by its banner.
		{"cli", "OpenTofu", "1.12.6", true, false},
	} {
		cli, err := DetectPath(fakeCLI(t, tc.file, tc.banner, tc.version))
		if err != nil {
			t.Fatal(err)
		}
		if cli.Tofu != tc.tofu || cli.Version.String() != tc.version {
			t.Errorf("%s %s: got %s", tc.banner, tc.version, cli)
		}
		if got := cli.AtLeast("1.14.0", ""); got != tc.atLeast114 {
			t.Errorf("%s: AtLeast(1.14.0, none for OpenTofu) = %v", cli, got)
		}
	}
}

func TestDetectNamesTheSettingWhenTheCLIIsMissing(t *testing.T) {
	_, err := DetectPath(filepath.Join(t.TempDir(), "no-such-terraform"))
	if err == nil || !strings.Contains(err.Error(), CLIEnv) {
		t.Errorf("error %v should name %s", err, CLIEnv)
	}
}

// OpenTofu prints a warning before its JSON when TF_CLI_CONFIG_FILE names a
// missing file; the stub does the same.
func TestDetectIgnoresAMissingCLIConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tofu")
	script := "#!/bin/sh\nif [ -n \"$TF_CLI_CONFIG_FILE\" ] && [ ! -e \"$TF_CLI_CONFIG_FILE\" ]; then echo 'Warning: config file missing'; fi\n" +
		"if [ \"$2\" = -json ]; then echo '{\"terraform_version\":\"1.12.6\"}'; else echo 'OpenTofu v1.12.6'; fi\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(t.TempDir(), "no-such-terraformrc"))
	cli, err := DetectPath(path)
	if err != nil || !cli.Tofu {
		t.Fatalf("DetectPath = %v, %v; want OpenTofu 1.12.6", cli, err)
	}
}
