// Package tfcli runs the Terraform CLI against a locally built provider,
// wired in with a dev_overrides CLI configuration (or installed from a
// mirror, NewInstalling). The demo, the example checker and the benchmark
// all drive Terraform this way, so none of them needs a registry or the
// network.
package tfcli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// ProviderAddress is the address dev_overrides maps onto the local binary.
const ProviderAddress = "registry.terraform.io/ghpkg/ghpkg"

// OpenTofuAddress is the same provider as OpenTofu resolves `ghpkg/ghpkg`:
// its default registry host differs, so the overrides name both.
const OpenTofuAddress = "registry.opentofu.org/ghpkg/ghpkg"

// BinaryName is the file `make build` writes into the provider directory.
const BinaryName = "terraform-provider-ghpkg"

// Workspace is a scratch copy of a configuration with the CLI configuration
// and environment Terraform needs to use the local provider.
type Workspace struct {
	Dir    string
	Env    []string
	Stdout io.Writer
	Stderr io.Writer
}

// WriteCLIConfig writes a CLI configuration into work that points the ghpkg
// address at providerDir, and returns its path.
func WriteCLIConfig(work, providerDir string) (string, error) {
	providerDir, err := filepath.Abs(providerDir)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(providerDir, BinaryName)); err != nil {
		return "", fmt.Errorf("no provider binary in %s; run `make build` first", providerDir)
	}
	path := filepath.Join(work, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		ProviderAddress, providerDir, OpenTofuAddress, providerDir)
	return path, os.WriteFile(path, []byte(overrides), 0o600)
}

// New copies configDir into work/stack and prepares the environment: the CLI
// configuration, automation mode, no colour, plus extraEnv (for example
// GITHUB_BASE_URL and GITHUB_TOKEN of an emulator).
func New(work, providerDir, configDir string, extraEnv ...string) (*Workspace, error) {
	cliConfig, err := WriteCLIConfig(work, providerDir)
	if err != nil {
		return nil, err
	}
	return newWorkspace(work, cliConfig, configDir, extraEnv)
}

// NewInstalling is New with the CLI configuration cliConfig (its text) in
// place of dev_overrides: for a provider that terraform init installs, from
// the mirror that cliConfig's provider_installation block names.
func NewInstalling(work, cliConfig, configDir string, extraEnv ...string) (*Workspace, error) {
	path := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(path, []byte(cliConfig), 0o600); err != nil {
		return nil, err
	}
	return newWorkspace(work, path, configDir, extraEnv)
}

func newWorkspace(work, cliConfig, configDir string, extraEnv []string) (*Workspace, error) {
	dir := filepath.Join(work, "stack")
	if err := os.CopyFS(dir, os.DirFS(configDir)); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "NO_COLOR=1")
	return &Workspace{Dir: dir, Env: append(env, extraEnv...), Stdout: os.Stdout, Stderr: os.Stderr}, nil
}

// Run runs the CLI (Path) in the workspace and returns its exit code. err is set
// when terraform could not run or exited with a code other than 0 or 2 (the
// "changes present" code of plan -detailed-exitcode).
func (w *Workspace) Run(args ...string) (int, error) {
	cmd := exec.Command(Path(), append([]string{"-chdir=" + w.Dir}, append(args, "-no-color")...)...)
	cmd.Env, cmd.Stdout, cmd.Stderr = w.Env, w.Stdout, w.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 2 {
		return 2, nil
	}
	if err != nil {
		return -1, fmt.Errorf("terraform %s in %s: %w", args[0], w.Dir, err)
	}
	return 0, nil
}
