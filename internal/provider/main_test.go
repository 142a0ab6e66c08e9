package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// TestMain lets `TF_ACC_TERRAFORM_PATH=.../tofu make testacc` run the
// acceptance tests on OpenTofu with no other setting.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" {
		if err := prepareCLI(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

func prepareCLI() error {
	// A TF_CLI_CONFIG_FILE that names no file makes OpenTofu print a warning
	// where terraform-exec expects the version, and then no test runs.
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); err != nil {
			fmt.Fprintf(os.Stderr, "TF_CLI_CONFIG_FILE=%s: %v; unsetting it for the acceptance tests\n", f, err)
			_ = os.Unsetenv("TF_CLI_CONFIG_FILE")
		}
	}
	cli, err := tfcli.Detect()
	if err != nil {
		return err
	}
	if cli.Tofu {
		// terraform-plugin-testing writes configurations without
		// required_providers; OpenTofu resolves those under its own registry
		// host, and the legacy "-" namespace is refused there.
		for k, v := range map[string]string{
			"TF_ACC_PROVIDER_HOST":      "registry.opentofu.org",
			"TF_ACC_PROVIDER_NAMESPACE": "hashicorp",
		} {
			if os.Getenv(k) == "" {
				_ = os.Setenv(k, v)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "acceptance tests on %s (%s)\n", cli, cli.Path)
	return nil
}
