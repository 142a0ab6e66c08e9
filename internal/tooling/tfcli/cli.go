package tfcli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/go-version"
)

// CLIEnv names the one setting that chooses the Terraform or OpenTofu CLI
// for everything in this repository that runs one: the acceptance tests
// (terraform-plugin-testing reads the same variable), the e2e tests, the
// demo, the example check, the benchmark and `make fmt`. Unset, `terraform`
// from PATH runs.
const CLIEnv = "TF_ACC_TERRAFORM_PATH"

// Path returns the CLI to run: $TF_ACC_TERRAFORM_PATH, or terraform.
func Path() string {
	if p := os.Getenv(CLIEnv); p != "" {
		return p
	}
	return "terraform"
}

// CLI is what a CLI says of itself.
type CLI struct {
	Path    string
	Tofu    bool // OpenTofu rather than Terraform
	Version *version.Version
}

// Name is "Terraform" or "OpenTofu", for messages.
func (c CLI) Name() string {
	if c.Tofu {
		return "OpenTofu"
	}
	return "Terraform"
}

// String reads like "Terraform 1.16.3".
func (c CLI) String() string { return c.Name() + " " + c.Version.String() }

// AtLeast reports whether the CLI is Terraform at or above v, or OpenTofu
// at or above tofu ("" when OpenTofu lacks the feature at any version).
func (c CLI) AtLeast(terraform, tofu string) bool {
	want := terraform
	if c.Tofu {
		want = tofu
	}
	return want != "" && !c.Version.LessThan(version.Must(version.NewVersion(want)))
}

var detected struct {
	once sync.Once
	cli  CLI
	err  error
}

// Detect runs `<cli> version -json` once per process.
func Detect() (CLI, error) {
	detected.once.Do(func() {
		detected.cli, detected.err = DetectPath(Path())
	})
	return detected.cli, detected.err
}

// DetectPath asks the CLI at path what it is.
func DetectPath(path string) (CLI, error) {
	cmd := exec.Command(path, "version", "-json")
	cmd.Env = versionEnv()
	out, err := cmd.Output()
	if err != nil {
		return CLI{}, fmt.Errorf("running %s version -json (set %s to choose a CLI): %w", path, CLIEnv, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return CLI{}, fmt.Errorf("%s version -json printed %q: %w", path, strings.TrimSpace(string(out)), err)
	}
	ver, err := version.NewVersion(v.Version)
	if err != nil {
		return CLI{}, fmt.Errorf("%s version -json: %w", path, err)
	}
	// OpenTofu's version -json keeps Terraform's key; the binary's name and
	// its plain `version` banner tell them apart.
	tofu := strings.HasPrefix(filepath.Base(path), "tofu")
	if !tofu {
		banner := exec.Command(path, "version")
		banner.Env = cmd.Env
		if banner, err := banner.Output(); err == nil {
			tofu = strings.HasPrefix(string(banner), "OpenTofu")
		}
	}
	return CLI{Path: path, Tofu: tofu, Version: ver}, nil
}

// versionEnv is the environment without a TF_CLI_CONFIG_FILE that names no
// file: OpenTofu then prints a warning on stdout, before the JSON.
func versionEnv() []string {
	env := os.Environ()
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); err != nil {
			env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") })
		}
	}
	return env
}

// Requirement is the least CLI a feature needs; Tofu is "" when no
// OpenTofu version has it.
type Requirement struct{ Terraform, Tofu string }

// MetBy reports whether cli has the feature.
func (r Requirement) MetBy(cli CLI) bool { return cli.AtLeast(r.Terraform, r.Tofu) }

// String words it for skip messages: "Terraform 1.14.0 or later (no
// OpenTofu has it)".
func (r Requirement) String() string {
	if r.Tofu == "" {
		return "Terraform " + r.Terraform + " or later (no OpenTofu has it)"
	}
	return "Terraform " + r.Terraform + " or OpenTofu " + r.Tofu + " or later"
}

// SkipReason is why a test or example needing r does not run on the chosen
// CLI, or "" when it does.
func (r Requirement) SkipReason() string {
	cli, err := Detect()
	if err != nil {
		return "no usable CLI: " + err.Error()
	}
	if r.MetBy(cli) {
		return ""
	}
	return "needs " + r.String() + ", have " + cli.String()
}
